//! The README's first screen must stay true: its flow is `workflows/src/flows/hello.rs`, its ASL
//! excerpt is what that flow compiles to, and its summary line is the compiler's.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
}

fn fenced_blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    let open = format!("```{lang}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        let body = &rest[i + open.len()..];
        let end = body.find("```").expect("closed code block");
        out.push(&body[..end]);
        rest = &body[end + 3..];
    }
    out
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

#[test]
fn readme_flow_is_the_hello_flow_source() {
    let source = std::fs::read_to_string(root().join("workflows/src/flows/hello.rs")).unwrap();
    let block = fenced_blocks(&readme(), "rust")[0].to_owned();
    assert!(
        source.contains(block.trim()),
        "the README's flow differs from workflows/src/flows/hello.rs:\n{block}"
    );
}

#[test]
fn readme_asl_is_what_hello_compiles_to() {
    let defs = switchboard_workflows::registry();
    let def = defs
        .iter()
        .find(|d| d.name == "hello")
        .expect("hello is registered");
    let config =
        switchboard_compiler::config::Config::load(&root().join("workflows/switchboard.toml"))
            .unwrap();
    let flow = def.build(&config.section("hello")).unwrap();
    let compiled = switchboard_compiler::compile_flow(&flow).unwrap();
    let readme = readme();
    let shown: serde_json::Value = serde_json::from_str(fenced_blocks(&readme, "json")[0]).unwrap();
    let actual = serde_json::to_value(&compiled.machine).unwrap();
    for (name, state) in shown.as_object().unwrap() {
        assert_eq!(
            Some(state),
            actual["States"].get(name),
            "README state `{name}` is not what hello compiles to"
        );
    }
    let summary = fenced_blocks(&readme, "text")[0];
    let line = summary
        .lines()
        .find(|l| l.starts_with("hello "))
        .expect("summary line for hello");
    let fields: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(fields[1], compiled.stats.states.to_string(), "{line}");
    assert_eq!(fields[3], compiled.stats.round_trips.to_string(), "{line}");
    assert_eq!(fields[6], compiled.stats.bytes.to_string(), "{line}");
}
