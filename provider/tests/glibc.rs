//! The provider binary needs no glibc symbol newer than 2.34 (provided.al2023): the one cargo
//! built for these tests and, when `cargo run -p switchboard-provider --bin package-provider` has
//! run, the packaged one too.

use switchboard_lambda::package::{newest_glibc, packaged_binary};

fn check(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    newest_glibc(&bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .expect("some GLIBC_ version need")
}

#[test]
fn the_provider_needs_glibc_2_34_at_most() {
    let newest = check(std::path::Path::new(env!("CARGO_BIN_EXE_provider")));
    eprintln!("test build of provider: newest glibc need {newest:?}");
    let packaged = packaged_binary("provider");
    if packaged.exists() {
        eprintln!(
            "packaged provider: newest glibc need {:?}",
            check(&packaged)
        );
    }
}
