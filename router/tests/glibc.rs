//! The `bootstrap` binary needs no glibc symbol newer than 2.34 (provided.al2023). Checks the
//! binary cargo built for these tests and, when `cargo run -p switchboard-router --bin package`
//! has run, the packaged one too.

use switchboard_lambda::package::{check_glibc, version_needs, MAX_GLIBC};

fn check(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let needs = version_needs(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        needs.iter().any(|n| n.library.starts_with("libc.so")),
        "{} links no libc: {needs:?}",
        path.display()
    );
    let newest = check_glibc(&needs)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .expect("some GLIBC_ version need");
    assert!(newest <= MAX_GLIBC);
    newest
}

#[test]
fn bootstrap_needs_glibc_2_34_at_most() {
    let newest = check(std::path::Path::new(env!("CARGO_BIN_EXE_bootstrap")));
    eprintln!("test build of bootstrap: newest glibc need {newest:?}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let packaged = target.join("x86_64-unknown-linux-gnu/release-lambda/bootstrap");
    if packaged.exists() {
        eprintln!(
            "packaged bootstrap: newest glibc need {:?}",
            check(&packaged)
        );
    }
}
