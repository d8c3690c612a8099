//! Compile-fail tests of `#[call_flow]`: each file under `ui/<category>/` is one mistake a flow
//! author can make, and its `.stderr` is the error rustc prints (reviewed: it points at the
//! offending tokens and says what to write instead).
//!
//! Regenerate after an intended message change with
//! `TRYBUILD=overwrite cargo test -p switchboard-macros --test ui`, then read the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
