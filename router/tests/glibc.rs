//! The `bootstrap` binary needs no glibc symbol newer than 2.34 (provided.al2023). Checks the
//! binary cargo built for these tests and, when `cargo run -p switchboard-router --bin package`
//! has run, the packaged one too.

use switchboard_lambda::package::{newest_glibc, packaged_binary};

fn check(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    newest_glibc(&bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .expect("some GLIBC_ version need")
}

#[test]
fn bootstrap_needs_glibc_2_34_at_most() {
    let newest = check(std::path::Path::new(env!("CARGO_BIN_EXE_bootstrap")));
    eprintln!("test build of bootstrap: newest glibc need {newest:?}");
    let packaged = packaged_binary("bootstrap");
    if packaged.exists() {
        eprintln!(
            "packaged bootstrap: newest glibc need {:?}",
            check(&packaged)
        );
    }
}
