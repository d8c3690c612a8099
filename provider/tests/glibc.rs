//! The provider binary needs no glibc symbol newer than 2.34 (provided.al2023): the one cargo
//! built for these tests and, when `cargo run -p switchboard-provider --bin package-provider` has
//! run, the packaged one too.

use switchboard_lambda::package::{check_glibc, version_needs, MAX_GLIBC, PROFILE, TARGET};

fn check(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let needs = version_needs(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let newest = check_glibc(&needs)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .expect("some GLIBC_ version need");
    assert!(newest <= MAX_GLIBC);
    newest
}

#[test]
fn the_provider_needs_glibc_2_34_at_most() {
    let newest = check(std::path::Path::new(env!("CARGO_BIN_EXE_provider")));
    eprintln!("test build of provider: newest glibc need {newest:?}");
    let root = switchboard_lambda::package::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let packaged = target.join(TARGET).join(PROFILE).join("provider");
    if packaged.exists() {
        eprintln!(
            "packaged provider: newest glibc need {:?}",
            check(&packaged)
        );
    }
}
