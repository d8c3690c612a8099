//! Bad scenario files are refused with the file, the line and the field, and never panic.

use std::path::Path;

use switchboard_sim::scenario::Scenario;

fn err(text: &str) -> String {
    Scenario::parse(Path::new("bad.yaml"), text)
        .and_then(|s| s.run(None))
        .map(|o| format!("ran: {:?}", o.failures))
        .unwrap_or_else(|e| e.to_string())
}

#[test]
fn an_unknown_field_is_named_with_its_line() {
    let e = err("flow: voicemail\ncall:\n  from: \"+1\"\n  to: \"+2\"\n  colour: blue\n");
    assert!(e.starts_with("bad.yaml:5:"), "{e}");
    assert!(e.contains("colour"), "{e}");
}

#[test]
fn an_unknown_step_is_named_with_its_line() {
    let e = err("flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - press: \"1\"\n  - dance: 3\n");
    assert!(e.starts_with("bad.yaml:5:"), "{e}");
    assert!(e.contains("dance") && e.contains("press"), "{e}");
}

#[test]
fn a_bad_duration_says_what_to_write() {
    let e = err("flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - wait: soon\n");
    assert!(e.starts_with("bad.yaml:4:"), "{e}");
    assert!(e.contains("15m"), "{e}");
}

#[test]
fn a_bad_time_zone_points_at_its_field() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/voicemail.asl.json");
    let text = format!(
        "flow: {}\ncall:\n  from: \"+1\"\n  to: \"+2\"\n  time_zone: Mars/Olympus\n",
        dist.display()
    );
    let e = err(&text);
    assert!(
        e.starts_with("bad.yaml:5: call.time_zone: unknown time zone \"Mars/Olympus\": use an IANA name such as \"America/New_York\""),
        "{e}"
    );
    // In `calls:` too, the error names the call.
    let text = format!(
        "flow: {}\ncalls:\n  - call: {{from: \"+1\", to: \"+2\"}}\n  - call:\n      from: \"+1\"\n      to: \"+2\"\n      time_zone: Europe/Pariss\n",
        dist.display()
    );
    let e = err(&text);
    assert!(
        e.starts_with("bad.yaml:7: calls[1].call.time_zone: unknown time zone \"Europe/Pariss\""),
        "{e}"
    );
}

#[test]
fn a_missing_flow_says_how_to_name_one() {
    let e = err("flow: no-such-flow\ncall: {from: \"+1\", to: \"+2\"}\n");
    assert!(e.starts_with("bad.yaml:1: flow"), "{e}");
    assert!(e.contains("cargo run --bin compile"), "{e}");
}
