//! `#[call_flow]` checks literal option values with the `const fn`s of
//! `switchboard::__private::checks`; the macro keeps the list of names it checks (a proc-macro
//! crate cannot share constants). This keeps the two lists the same: a name only the macro has
//! would fail to resolve in every flow using it, and a name only the dsl has would go unchecked.

use std::path::Path;

#[test]
fn the_macro_checks_exactly_the_options_the_dsl_can_check() {
    let source = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../macros/src/expand/options.rs"),
    )
    .unwrap();
    let start = source
        .find("pub const CHECKED: &[&str] =")
        .expect("macros/src/expand/options.rs declares CHECKED");
    let list = &source[start..];
    let list = &list[list.find("= &[").unwrap() + 4..];
    let list = &list[..list.find("];").unwrap()];
    let mut in_macro: Vec<String> = list
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let mut in_dsl: Vec<String> = switchboard::__private::checks::CHECKED
        .iter()
        .map(|s| s.to_string())
        .collect();
    in_macro.sort();
    in_dsl.sort();
    assert!(!in_dsl.is_empty());
    assert_eq!(
        in_macro, in_dsl,
        "macros/src/expand/options.rs CHECKED and dsl/src/lang/checks.rs CHECKED differ"
    );
}
