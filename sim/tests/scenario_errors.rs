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

// The YAML reader (serde-saphyr) reports where the problem is; these pin the line it names for
// each kind of mistake, and what to write instead.

#[test]
fn a_syntax_error_names_its_line() {
    let e = err("flow: voicemail\ncall:\n  from: \"+1\"\n   to: \"+2\"\n");
    assert!(e.starts_with("bad.yaml:4: call: "), "{e}");
    let e = err("flow: voicemail\ncall: {from: \"+1\", to: \"+2\"\n");
    assert!(
        e.starts_with("bad.yaml:2: call: ") && e.contains("'{'"),
        "{e}"
    );
}

#[test]
fn a_mistake_inside_a_block_step_names_its_own_line() {
    let e = err(
        "flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - record:\n      seconds: 5\n      colour: 3\n",
    );
    assert!(
        e.starts_with("bad.yaml:6: script[0].record.colour: unknown field"),
        "{e}"
    );
    assert!(e.contains("seconds, terminator, hang_up"), "{e}");
}

#[test]
fn a_key_written_twice_is_refused_at_the_second() {
    let e = err("flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nflow: hello\n");
    assert!(
        e.starts_with("bad.yaml:3:") && e.contains("duplicate"),
        "{e}"
    );
}

#[test]
fn yaml_tags_are_refused_with_the_plain_form() {
    let e = err("flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - silent\n  - !press \"1\"\n");
    assert!(e.starts_with("bad.yaml:5:"), "{e}");
    assert!(
        e.contains("`!press`") && e.contains("- press: \"1\""),
        "{e}"
    );
}

#[test]
fn hang_up_takes_after_or_nothing() {
    let e = err("flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - hang_up: 3\n");
    assert!(e.starts_with("bad.yaml:4: script[0].hang_up: "), "{e}");
    assert!(
        e.contains("{after: 3s}") && e.contains("`- hang_up` alone"),
        "{e}"
    );
}

#[test]
fn a_lambda_stub_takes_one_key() {
    let e = err(
        "flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nlambdas:\n  notify:\n    returns: {}\n    fails: {error: E, message: m}\n",
    );
    assert!(e.starts_with("bad.yaml:6: lambdas.notify"), "{e}");
    assert!(e.contains("exactly one key"), "{e}");
}

#[test]
fn only_true_and_false_are_booleans() {
    // YAML 1.2, as before: `yes` is not a boolean, and stays text where any value is allowed.
    let e =
        err("flow: voicemail\ncall: {from: \"+1\", to: \"+2\"}\nexpect:\n  recording_saved: yes\n");
    assert!(e.starts_with("bad.yaml:4: expect.recording_saved: "), "{e}");
    let s = Scenario::parse(
        Path::new("ok.yaml"),
        "flow: x\ncall: {from: \"+1\", to: \"+2\", arguments: {a: yes, b: on, c: true}}\n",
    )
    .expect("parses");
    let args = serde_json::Value::Object(s.call.expect("a call").arguments);
    assert_eq!(args, serde_json::json!({"a": "yes", "b": "on", "c": true}));
}

#[test]
fn numbers_in_values_read_as_before() {
    // What serde_yaml 0.9 made of these plain scalars, kept: a leading zero or an underscore
    // keeps the text (a PIN such as 0042 stays "0042").
    let s = Scenario::parse(
        Path::new("ok.yaml"),
        "flow: x\ncall:\n  from: \"+1\"\n  to: \"+2\"\n  arguments: {pin: 0042, n: 1_000, hex: 0x1F, e: 1e3, day: 2025-01-01, to: +12065550100, neg: -7}\n",
    )
    .expect("parses");
    let args = serde_json::Value::Object(s.call.expect("a call").arguments);
    assert_eq!(
        args,
        serde_json::json!({"pin": "0042", "n": "1_000", "hex": 31, "e": 1000.0, "day": "2025-01-01", "to": 12065550100u64, "neg": -7})
    );
}
