//! The scenario format's expectations: each one holds when it should and fails, with a
//! message that says what was expected and what happened, when it should not. And several calls
//! in one file share their tables, buckets and clock.
//!
//! The flows are small hand-written definitions under `tests/fixtures/flows/`, so these tests
//! do not move when the example flows change.

use std::collections::BTreeSet;
use std::path::Path;

use switchboard::pstn::Action;
use switchboard_sim::scenario::{Outcome, Scenario, ACTION_TYPES};

fn parse(text: &str) -> Result<Scenario, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inline.yaml");
    Scenario::parse(&path, text).map_err(|e| e.to_string())
}

fn run(text: &str) -> Outcome {
    let s = parse(text).unwrap_or_else(|e| panic!("{e}"));
    s.run(None).unwrap_or_else(|e| panic!("{e}"))
}

/// The failures of `text`; panics if it passed.
fn failures(text: &str) -> Vec<String> {
    let o = run(text);
    assert!(!o.passed(), "expected a failure:\n{}", o.transcript);
    o.failures.iter().map(|f| f.to_string()).collect()
}

fn passes(text: &str) {
    let o = run(text);
    assert!(
        o.passed(),
        "{}\nfailures:\n  {}",
        o.transcript,
        o.failures.join("\n  ")
    );
}

/// The one failure of `text` must contain every piece of `pieces`.
fn fails_with(text: &str, pieces: &[&str]) {
    let f = failures(text);
    assert_eq!(f.len(), 1, "{f:#?}");
    for p in pieces {
        assert!(f[0].contains(p), "{p:?} not in {:?}", f[0]);
    }
}

/// A bridged call: the caller (LEG-A) hears the greeting; the callee (LEG-B) hears the
/// whisper; after 30 s the callee hangs up and the caller hears goodbye.
const BRIDGE: &str = r#"
flow: fixtures/flows/bridge.asl.json
call: {from: "+15105550101", to: "+12065550100"}
script:
  - bridge: {outcome: answered, talk: 30, ends: callee}
"#;

#[test]
fn heard_per_leg_tells_the_legs_apart() {
    passes(&format!(
        "{BRIDGE}expect:\n  heard: [Connecting you, Call from Acme, Goodbye]\n  legs:\n    LEG-A: {{heard: [Connecting you, Goodbye], not_heard: [Call from Acme]}}\n    LEG-B: {{heard: [Call from Acme], not_heard: [Connecting you, Goodbye]}}\n"
    ));
    fails_with(
        &format!("{BRIDGE}expect:\n  legs:\n    LEG-A: {{not_heard: [Call from Acme]}}\n    LEG-B: {{not_heard: [Call from Acme]}}\n"),
        &["expected LEG-B never to hear \"Call from Acme\"", "Call from Acme Plumbing."],
    );
    fails_with(
        &format!("{BRIDGE}expect:\n  legs: {{LEG-A: {{heard: [Call from Acme]}}}}\n"),
        &[
            "expected LEG-A to hear \"Call from Acme\"",
            "Connecting you.",
            "The other party has left. Goodbye.",
        ],
    );
}

#[test]
fn actions_not_run_anywhere_or_on_a_leg() {
    passes(&format!(
        "{BRIDGE}expect:\n  actions_not_run: [RecordAudio, Pause]\n  legs: {{LEG-B: {{actions_not_run: [Hangup]}}}}\n"
    ));
    fails_with(
        &format!("{BRIDGE}expect:\n  legs: {{LEG-B: {{actions_not_run: [Speak]}}}}\n"),
        &["expected no Speak on LEG-B; it ran 1 time(s)"],
    );
    fails_with(
        &format!("{BRIDGE}expect:\n  actions_not_run: [CallAndBridge]\n"),
        &["expected no CallAndBridge on any leg; it ran 1 time(s)"],
    );
    passes(&format!(
        "{BRIDGE}expect:\n  legs: {{LEG-A: {{actions: [Speak, CallAndBridge, Hangup]}}, LEG-B: {{actions: [Speak]}}}}\n"
    ));
    fails_with(
        &format!("{BRIDGE}expect:\n  legs: {{LEG-B: {{actions: [Speak, Hangup]}}}}\n"),
        &["expected the actions [\"Speak\", \"Hangup\"] on LEG-B in this order; missing \"Hangup\" in [\"Speak\"]"],
    );
}

/// A caller who hangs up mid-bridge: the flow ends without hanging up LEG-B, and the router,
/// whose call is not over, keeps LEG-B alive and then apologises to it. Only a per-leg
/// expectation can say who heard the apology; here it is asserted either way round, so the
/// test holds whatever the router does about it.
#[test]
fn what_the_callee_hears_after_the_caller_leaves_is_visible() {
    let text = "flow: fixtures/flows/bridge.asl.json\ncall: {from: \"+15105550101\", to: \"+12065550100\"}\nscript:\n  - bridge: {outcome: answered, talk: 30, ends: caller}\nexpect:\n  legs: {LEG-A: {not_heard: [Sorry]}, LEG-B: {not_heard: [Sorry]}}\n";
    let o = run(text);
    let b_heard_sorry = o.transcript.entries.iter().any(|e| {
        matches!(e, switchboard_sim::pstn::Entry::Action { leg, text: Some(t), .. }
            if leg == "LEG-B" && t.contains("Sorry"))
    });
    if b_heard_sorry {
        assert_eq!(o.failures.len(), 1, "{:?}", o.failures);
        assert!(o.failures[0].starts_with("expected LEG-B never to hear \"Sorry\""));
    } else {
        assert!(o.passed(), "{:?}", o.failures);
    }
}

/// Leaves one message; the item holds the call recording's key.
const MESSAGE: &str = r#"
flow: fixtures/flows/messages.asl.json
call: {from: "+15105550101", to: "+12065550100", at: "2025-06-10 10:00"}
tables: [{name: Messages, partition_key: mailbox, sort_key: at}]
objects: [{bucket: acme, key: prompts/beep.wav, seconds: 1}]
"#;

#[test]
fn items_absent_items_and_counts() {
    let pressed = format!("{MESSAGE}script:\n  - record: {{seconds: 12, terminator: \"#\"}}\n");
    passes(&format!(
        "{pressed}expect:\n  items: [{{table: Messages, with: {{mailbox: main}}, count: 1}}]\n  absent_items: [{{table: Messages, with: {{from: \"+19995550000\"}}}}]\n"
    ));
    fails_with(
        &format!(
            "{pressed}expect:\n  absent_items: [{{table: Messages, with: {{mailbox: main}}}}]\n"
        ),
        &[
            "expected no item with {\"mailbox\":\"main\"} in Messages; found",
            "+15105550101",
        ],
    );
    fails_with(
        &format!(
            "{pressed}expect:\n  items: [{{table: Messages, with: {{mailbox: main}}, count: 2}}]\n"
        ),
        &["expected 2 item(s) with {\"mailbox\":\"main\"} in Messages; there are 1"],
    );
    fails_with(
        &format!("{pressed}expect:\n  items: [{{table: Nope, with: {{mailbox: main}}}}]\n"),
        &["table Nope, which does not exist"],
    );
}

/// The caller hangs up mid-message: the call recording is delivered when the call ends, as
/// long as the caller talked, and the flow's hang-up arm stored its key.
#[test]
fn objects_with_a_playable_length_and_absent_objects() {
    let hung_up = format!("{MESSAGE}script:\n  - record: {{seconds: 20, hang_up: true}}\n");
    passes(&format!(
        "{hung_up}expect:\n  objects: [{{bucket: acme, key_prefix: messages/2025/06/10/, min_seconds: 20}}]\n  absent_objects: [{{bucket: acme, key_prefix: scratch/}}]\n  items: [{{table: Messages, with: {{mailbox: main}}}}]\n  recording_saved: true\n"
    ));
    fails_with(
        &format!("{hung_up}expect:\n  objects: [{{bucket: acme, key_prefix: messages/, min_seconds: 21}}]\n"),
        &["of at least 21 s", "20.0"],
    );
    fails_with(
        &format!("{hung_up}expect:\n  objects: [{{bucket: acme, key: messages/missing.wav}}]\n"),
        &[
            "expected an object s3://acme/messages/missing.wav",
            "prompts/beep.wav",
        ],
    );
    fails_with(
        &format!("{hung_up}expect:\n  absent_objects: [{{bucket: acme, key_prefix: messages/}}]\n"),
        &["expected no object s3://acme/messages/*; found"],
    );
    fails_with(
        &format!("{hung_up}expect:\n  objects: [{{bucket: nobucket, key_prefix: x}}]\n"),
        &["bucket nobucket, which does not exist"],
    );
}

/// "Hang up mid-message → an item stored with a playable key": the item's `key` names the
/// call recording, 20 s long.
#[test]
fn an_item_naming_a_playable_object() {
    let hung_up = format!("{MESSAGE}script:\n  - record: {{seconds: 20, hang_up: true}}\n");
    passes(&format!(
        "{hung_up}expect:\n  items: [{{table: Messages, with: {{mailbox: main}}, object: {{bucket: acme, min_seconds: 20}}, count: 1}}]\n"
    ));
    fails_with(
        &format!("{hung_up}expect:\n  items: [{{table: Messages, with: {{mailbox: main}}, object: {{bucket: acme, min_seconds: 25}}}}]\n"),
        &["whose \"key\" names an object in acme of at least 25 s", ": 20 s"],
    );
    fails_with(
        &format!("{hung_up}expect:\n  items: [{{table: Messages, with: {{mailbox: main}}, object: {{bucket: acme, key_attribute: from}}}}]\n"),
        &["\"+15105550101\": no such object"],
    );
}

/// Two callers leave messages; a third call finds both. One world, one clock: items,
/// objects and the time carry over, and each call's expectations see only that call.
#[test]
fn several_calls_share_tables_buckets_and_the_clock() {
    let base = r##"
flow: fixtures/flows/messages.asl.json
tables: [{name: Messages, partition_key: mailbox, sort_key: at}]
objects: [{bucket: acme, key: prompts/beep.wav, seconds: 1}]
calls:
  - name: first caller presses pound
    call: {from: "+15105550101", to: "+12065550100", at: "2025-06-10 10:00"}
    script: [{record: {seconds: 10, terminator: "#"}}]
    expect: {heard: [Thank you], items: [{table: Messages, with: {mailbox: main}, count: 1}]}
  - name: second caller hangs up
    call: {from: "+15105550102", to: "+12065550100", at: "2025-06-10 11:30"}
    script: [{record: {seconds: 15, hang_up: true}}]
    expect:
      not_heard: [Thank you]
      items: [{table: Messages, with: {from: "+15105550102"}}]
      objects: [{bucket: acme, key_prefix: messages/2025/06/10/2025-06-10-11-30-00-000_, min_seconds: 15}]
  - call: {from: "+15105550103", to: "+12065550100"}
    script: [silent]
"##;
    passes(&format!(
        "{base}expect:\n  calls: 3\n  items: [{{table: Messages, with: {{mailbox: main}}, count: 3}}]\n"
    ));
    let f = failures(&base.replace(
        "count: 1}]}\n  - name: second",
        "count: 2}]}\n  - name: second",
    ));
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with("call 1 (first caller presses pound): expected 2 item(s)"),
        "{}",
        f[0]
    );
    let f = failures(&base.replace(
        "expect:\n      not_heard: [Thank you]",
        "expect:\n      heard: [Thank you]",
    ));
    assert!(
        f[0].starts_with("call 2 (second caller hangs up): expected to hear \"Thank you\""),
        "{}",
        f[0]
    );
    // The third call starts when the second is over, at 11:30 and some seconds.
    let o = run(base);
    let starts: Vec<String> = o
        .transcript
        .entries
        .iter()
        .filter_map(|e| match e {
            switchboard_sim::pstn::Entry::Call { local_time, .. } => Some(local_time.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(starts.len(), 3);
    assert!(starts[0].starts_with("2025-06-10 10:00:00"), "{starts:?}");
    assert!(starts[1].starts_with("2025-06-10 11:30:00"), "{starts:?}");
    assert!(starts[2].starts_with("2025-06-10 11:30:"), "{starts:?}");
}

fn error(text: &str) -> String {
    match parse(text).and_then(|s| s.run(None).map_err(|e| e.to_string())) {
        Ok(o) => panic!("expected an error, ran: {:?}", o.failures),
        Err(e) => e,
    }
}

#[test]
fn format_errors_name_the_line_and_say_what_to_write() {
    let e = error("flow: fixtures/flows/bridge.asl.json\nexpect: {calls: 1}\n");
    assert!(e.contains("inline.yaml") && e.contains("`calls:`"), "{e}");
    let e = error(&format!(
        "{BRIDGE}calls:\n  - call: {{from: \"+1\", to: \"+2\"}}\n"
    ));
    assert!(e.contains(":6: calls") && e.contains("not both"), "{e}");
    let e = error(&format!(
        "{BRIDGE}expect:\n  legs: {{LEG-C: {{heard: [x]}}}}\n"
    ));
    assert!(
        e.contains(":7:") && e.contains("LEG-C") && e.contains("LEG-A"),
        "{e}"
    );
    let e = error(&format!("{BRIDGE}expect:\n  actions_not_run: [Speek]\n"));
    assert!(
        e.contains(":7: expect.actions_not_run")
            && e.contains("`Speek` is not a PSTN audio action"),
        "{e}"
    );
    let e = error(&format!(
        "{BRIDGE}expect:\n  objects: [{{bucket: a, key: k, key_prefix: p}}]\n"
    ));
    assert!(
        e.contains(":7: expect.objects.key") && e.contains("exactly one"),
        "{e}"
    );
    let e = error(&format!(
        "{BRIDGE}expect:\n  absent_items: [{{table: T, with: {{a: 1}}, count: 0}}]\n"
    ));
    assert!(e.contains("absent_items.count"), "{e}");
    let calls = "flow: fixtures/flows/messages.asl.json\ncalls:\n  - call: {from: \"+1\", to: \"+2\", at: \"2025-06-10 10:00\"}\n  - call:\n      from: \"+1\"\n      to: \"+2\"\n      seed: 7\n";
    let e = error(calls);
    assert!(e.contains(":7: calls[1].call.seed"), "{e}");
    let back_in_time = "flow: fixtures/flows/messages.asl.json\nobjects: [{bucket: acme, key: prompts/beep.wav}]\ntables: [{name: Messages, partition_key: mailbox, sort_key: at}]\ncalls:\n  - call: {from: \"+1\", to: \"+2\", at: \"2025-06-10 10:00\"}\n  - call:\n      from: \"+1\"\n      to: \"+2\"\n      at: \"2025-06-10 09:00\"\n";
    let e = error(back_in_time);
    assert!(
        e.contains(":9: calls[1].call.at") && e.contains("before the calls before it are over"),
        "{e}"
    );
    let e = error("flow: fixtures/flows/messages.asl.json\ncalls:\n  - call: {from: \"+1\", to: \"+2\"}\nscript: [silent]\n");
    assert!(
        e.contains(":4: script") && e.contains("each call has its own `script`"),
        "{e}"
    );
}

/// The action names expectations accept are exactly the actions of the typed model: each
/// documentation example under dsl/tests/fixtures/pstn/actions/ parses to one of them.
#[test]
fn the_action_names_are_the_typed_models() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/tests/fixtures/pstn/actions");
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("the PSTN action fixtures") {
        let path = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&path).expect("readable");
        let action: Action =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen.insert(action.type_name().to_string());
    }
    let ours: BTreeSet<String> = ACTION_TYPES.iter().map(|s| s.to_string()).collect();
    assert_eq!(ours, seen);
}

/// Every YAML example in the README's scenario section is a valid scenario (the first one is
/// also run by the workflows' scenario test).
#[test]
fn the_readme_examples_parse() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README.md");
    let mut rest = readme.as_str();
    let mut n = 0;
    while let Some(i) = rest.find("```yaml\n") {
        let body = &rest[i + "```yaml\n".len()..];
        let end = body.find("```").expect("a closed block");
        let block = &body[..end];
        // Fragments (an `expect:` alone) are shown inside a minimal scenario.
        let text = if block.starts_with("expect:") {
            format!("flow: x\ncall: {{from: \"+1\", to: \"+2\"}}\n{block}")
        } else {
            block.to_string()
        };
        Scenario::parse(Path::new("README.md"), &text)
            .unwrap_or_else(|e| panic!("README example {n}: {e}\n{block}"));
        n += 1;
        rest = &body[end + 3..];
    }
    assert!(n >= 3, "{n} examples");
}

/// The stronger scenarios waiting in `workflows/tests/pending/` for the fixes of issue 8 stay
/// valid scenarios while they wait (they are not run: they fail until then).
#[test]
fn the_pending_scenarios_parse() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../workflows/tests/pending"),
        &mut files,
    );
    for f in &files {
        let s = Scenario::load(f).unwrap_or_else(|e| panic!("{e}"));
        s.machine(None).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// A script problem is reported once, whether the scenario has one call or several.
#[test]
fn script_problems_are_reported_once() {
    let one = failures(&format!("{BRIDGE}  - press: \"5\"\n"));
    assert_eq!(
        one,
        vec!["script step 2 (press \"5\") was never used".to_string()]
    );
    let several = failures(
        "flow: fixtures/flows/bridge.asl.json\ncalls:\n  - call: {from: \"+15105550101\", to: \"+12065550100\"}\n    script: [{bridge: {outcome: answered, talk: 30}}, {press: \"5\"}]\n",
    );
    assert_eq!(
        several,
        vec!["call 1: script step 2 (press \"5\") was never used".to_string()]
    );
}
