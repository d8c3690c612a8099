//! `compile --drift`: the business app's definition edited in code the way Workflow Studio
//! edits it (each kind of edit: a text, an option, a transition, a state added, a state
//! removed), and the exact report; what is not an edit (formatting, key order, deploy-time
//! values, the describe-state-machine wrapper); what `--apply` refuses and why; and the real
//! `compile` binary's exit status.

use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::process::Command;
use switchboard_compiler::compile::Options;
use switchboard_drift::run::{run, BAD_INPUT, DRIFT, SAME};

/// The workspace root: the flows' files are named relative to it.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The business app as `compile` writes it (`compile --check` keeps `dist/` current).
fn business() -> Json {
    let text = std::fs::read_to_string(root().join("dist/business-phone.asl.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A state of `def`, to edit.
fn state<'a>(def: &'a mut Json, name: &str) -> &'a mut Json {
    def["States"]
        .get_mut(name)
        .unwrap_or_else(|| panic!("no state `{name}`"))
}

/// The action `i` of a waiting Task's response.
fn action<'a>(def: &'a mut Json, name: &str, i: usize) -> &'a mut Json {
    &mut state(def, name)["Arguments"]["MessageBody"]["Actions"][i]
}

/// `compile --drift` on `text` (written to a file named `name`); the report with the file's
/// path as `EDITED`, and the exit status. `root` is where the flows' files are read (and, with
/// `apply`, rewritten).
fn drift_in(root: &Path, name: &str, text: &str, apply: bool) -> (String, u8) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drift");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let opts = Options {
        drift: Some(file.clone()),
        apply,
        ..Options::default()
    };
    let config = root.join("workflows/switchboard.toml");
    let flows = switchboard_workflows::registry();
    let (report, status) = run(&flows, &opts, Some(&config), root);
    let report = report
        .replace(&file.display().to_string(), "EDITED")
        .replace(&root.display().to_string(), "ROOT");
    (report, status)
}

fn drift(name: &str, def: &Json) -> (String, u8) {
    drift_in(
        &root(),
        name,
        &serde_json::to_string_pretty(def).unwrap(),
        false,
    )
}

#[test]
fn a_changed_text_is_the_literal_to_change() {
    let mut def = business();
    let speak = action(&mut def, "Speak The customer has hung up. Goodbye.", 0);
    speak["Parameters"]["Text"] = json!("The customer has left the call. Goodbye.");
    let (report, status) = drift("text.json", &def);
    assert_eq!(status, DRIFT);
    insta::assert_snapshot!(report);
}

#[test]
fn a_changed_option_names_the_builder_method() {
    let mut def = business();
    // `.ring_for(30)` in the flow; Workflow Studio's field is CallTimeoutSeconds.
    let name = "Speak This is the call you scheduled with ... . Connecting you now. - Bridge ...";
    action(&mut def, name, 1)["Parameters"]["CallTimeoutSeconds"] = json!(45);
    // `.retries(2)` sends Repeat 3; and a wait the flow leaves at Switchboard's default: the
    // option to add.
    let menu = "Ask ...Press 1 to hear your messages, 2 to call a customer, or 3 to schedule...";
    action(&mut def, menu, 0)["Parameters"]["Repeat"] = json!(4);
    action(&mut def, menu, 0)["Parameters"]["RepeatDurationInMilliseconds"] = json!(8000);
    let (report, status) = drift("option.json", &def);
    assert_eq!(status, DRIFT);
    insta::assert_snapshot!(report);
    // The README shows this report.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown = report.replace("EDITED", "edited.asl.json");
    assert!(
        readme.contains(&shown),
        "the README's drift report is not:\n{shown}"
    );
}

#[test]
fn a_rewired_transition_is_reported_at_its_state() {
    let mut def = business();
    state(&mut def, "Wait for hang-up")["Next"] = json!("Call ended");
    // The first decision's rule and Default swapped.
    let menu = state(&mut def, "If call.Direction = 'Outbound'");
    let rule_next = menu["Choices"][0]["Next"].clone();
    menu["Choices"][0]["Next"] = menu["Default"].clone();
    menu["Default"] = rule_next;
    let (report, status) = drift("edge.json", &def);
    assert_eq!(status, DRIFT);
    insta::assert_snapshot!(report);
}

#[test]
fn an_added_state_is_reported_where_it_is_reached_from() {
    let mut def = business();
    def["States"]["Log the failure"] = json!({"Type": "Pass", "Next": "Apologise and hang up"});
    state(&mut def, "Did the caller answer?")["Default"] = json!("Log the failure");
    let (report, status) = drift("added.json", &def);
    assert_eq!(status, DRIFT);
    insta::assert_snapshot!(report);
}

#[test]
fn a_removed_state_is_reported_at_its_line() {
    let mut def = business();
    let gone = "Speak The customer has hung up. Goodbye.";
    let after = state(&mut def, gone)["Next"].clone();
    def["States"].as_object_mut().unwrap().remove(gone);
    state(&mut def, "Wait for hang-up")["Next"] = after;
    let (report, status) = drift("removed.json", &def);
    assert_eq!(status, DRIFT);
    insta::assert_snapshot!(report);
}

#[test]
fn a_machine_field_is_at_the_flow_function() {
    let mut def = business();
    def["TimeoutSeconds"] = json!(3600);
    let (report, status) = drift("machine.json", &def);
    assert_eq!(status, DRIFT);
    assert_eq!(
        report.lines().next(),
        Some("workflows/src/flows/business/app.rs:15: value: the machine: TimeoutSeconds: (absent) here, 3600 there")
    );
}

#[test]
fn an_action_added_to_a_response_or_removed_from_it_is_at_its_line() {
    let mut def = business();
    let name = "Speak The customer has hung up. Goodbye.";
    let actions = &mut state(&mut def, name)["Arguments"]["MessageBody"]["Actions"];
    let pause = json!({"Type": "Pause", "Parameters": {"CallId": "{% $call.CallId %}",
        "DurationInMilliseconds": "500"}});
    actions.as_array_mut().unwrap().insert(1, pause);
    // The announcement's speech taken out of its response: the bridge is left.
    let name = "Speak This is the call you scheduled with ... . Connecting you now. - Bridge ...";
    let actions = &mut state(&mut def, name)["Arguments"]["MessageBody"]["Actions"];
    actions.as_array_mut().unwrap().remove(0);
    let (report, status) = drift("actions.json", &def);
    assert_eq!(status, DRIFT);
    insta::assert_snapshot!(report);
}

/// The same JSON with every object's keys in reverse order.
fn reversed(v: &Json) -> Json {
    match v {
        Json::Object(m) => Json::Object(
            m.iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed(v)))
                .collect(),
        ),
        Json::Array(a) => Json::Array(a.iter().map(reversed).collect()),
        other => other.clone(),
    }
}

#[test]
fn formatting_and_key_order_are_not_drift() {
    let def = business();
    let compact = serde_json::to_string(&reversed(&def)).unwrap();
    assert_ne!(
        compact,
        serde_json::to_string(&def).unwrap(),
        "keys reordered"
    );
    let (report, status) = drift_in(&root(), "reordered.json", &compact, false);
    assert_eq!(
        (report.as_str(), status),
        (
            "no drift: EDITED means what flow `business-phone` compiles to\n",
            SAME
        )
    );
}

/// The definition as CloudFormation deploys it: each `${Name}` filled in.
fn deployed() -> String {
    let text = std::fs::read_to_string(root().join("dist/business-phone.asl.json")).unwrap();
    let deployed = text
        .replace(
            "${BusinessPhoneMessages}",
            "acme-BusinessPhoneMessages-1Q2W3E",
        )
        .replace("${acme-business-phone}", "acme-business-phone-bucket-4r5t")
        .replace("${ScheduleGroup}", "acme-calls")
        .replace(
            "${SchedulerRoleArn}",
            "arn:aws:iam::123456789012:role/acme-scheduler",
        );
    assert!(
        !deployed.contains("${"),
        "every deploy-time value filled in"
    );
    deployed
}

#[test]
fn deploy_time_values_and_the_describe_wrapper_are_not_drift() {
    let (report, status) = drift_in(&root(), "deployed.json", &deployed(), false);
    assert_eq!(status, SAME, "{report}");
    // `aws stepfunctions describe-state-machine --output json`: the definition is a string.
    let described = json!({
        "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:business-phone",
        "name": "business-phone",
        "status": "ACTIVE",
        "definition": deployed(),
        "roleArn": "arn:aws:iam::123456789012:role/business-phone",
        "type": "STANDARD",
        "creationDate": "2025-01-01T00:00:00+00:00"
    });
    let (report, status) = drift_in(&root(), "described.json", &described.to_string(), false);
    assert_eq!(status, SAME, "{report}");
    // A real edit of the deployed definition is still one.
    let edited = deployed().replace(
        "The customer has hung up. Goodbye.\"",
        "The customer hung up. Bye.\"",
    );
    let (report, status) = drift_in(&root(), "deployed-edit.json", &edited, false);
    assert_eq!(status, DRIFT);
    assert!(
        report.contains(
            "\"The customer has hung up. Goodbye.\" here, \"The customer hung up. Bye.\" there"
        ),
        "{report}"
    );
}

/// The flows' files copied under a scratch root, so `--apply` rewrites the copies.
fn scratch_root(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("drift-root-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    copy(&root().join("workflows/src"), &dir.join("workflows/src"));
    std::fs::copy(
        root().join("workflows/switchboard.toml"),
        dir.join("workflows/switchboard.toml"),
    )
    .unwrap();
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The lines of `file` under the two roots that differ.
fn changed_lines(a: &Path, b: &Path, file: &str) -> Vec<(String, String)> {
    let read = |r: &Path| std::fs::read_to_string(r.join(file)).unwrap();
    let (x, y) = (read(a), read(b));
    assert_eq!(
        x.lines().count(),
        y.lines().count(),
        "{file}: lines added or removed"
    );
    x.lines()
        .zip(y.lines())
        .filter(|(l, m)| l != m)
        .map(|(l, m)| (l.to_owned(), m.to_owned()))
        .collect()
}

#[test]
fn apply_rewrites_exactly_the_literals_and_refuses_the_rest_saying_why() {
    let mut def = business();
    // Applied: one literal each.
    let said = action(&mut def, "Speak The customer has hung up. Goodbye.", 0);
    said["Parameters"]["Text"] = json!("The customer has left the call. \"Goodbye.\"");
    let name = "Speak This is the call you scheduled with ... . Connecting you now. - Bridge ...";
    action(&mut def, name, 1)["Parameters"]["CallTimeoutSeconds"] = json!(45);
    // Refused: built by `format!` from the configuration.
    let goodbye = action(
        &mut def,
        "Speak Thank you for calling Acme Plumbing. Goodbye.",
        0,
    );
    goodbye["Parameters"]["Text"] = json!("Thanks for calling. Goodbye.");
    // Refused: a configuration value.
    let ring = "Speak Thank you for calling Acme Plumbing. Please hold while I connect you. -...";
    action(&mut def, ring, 1)["Parameters"]["CallTimeoutSeconds"] = json!(40);
    // Refused: one literal of a sub-flow inlined twice, changed in one of the two states.
    let saved = action(
        &mut def,
        "Speak Thank you, your message has been saved. Goodbye.",
        0,
    );
    saved["Parameters"]["Text"] = json!("Your message is saved. Goodbye.");
    // Refused: the literal of a helper that makes two prompts, changed in one.
    let pin = "Ask Welcome back. Please enter your PIN, then press pound.";
    action(&mut def, pin, 0)["Parameters"]["Repeat"] = json!(4);
    // Refused: an option the flow does not call (a call to add, not a literal to change).
    let menu = "Ask ...Press 1 to hear your messages, 2 to call a customer, or 3 to schedule...";
    action(&mut def, menu, 0)["Parameters"]["RepeatDurationInMilliseconds"] = json!(8000);
    let scratch = scratch_root("apply");
    let text = serde_json::to_string_pretty(&def).unwrap();
    let (report, status) = drift_in(&scratch, "apply.json", &text, true);
    assert_eq!(status, DRIFT);
    insta::assert_snapshot!(report);
    assert_eq!(
        changed_lines(
            &root(),
            &scratch,
            "workflows/src/flows/business/scheduled.rs"
        ),
        [
            (
                "        .ring_for(30)".to_owned(),
                "        .ring_for(45)".to_owned()
            ),
            (
                "            speak(\"The customer has hung up. Goodbye.\");".to_owned(),
                "            speak(\"The customer has left the call. \\\"Goodbye.\\\"\");"
                    .to_owned()
            ),
        ]
    );
    for file in [
        "workflows/src/flows/business/customer.rs",
        "workflows/src/flows/business/voicemail.rs",
        "workflows/src/flows/business/owner.rs",
        "workflows/switchboard.toml",
    ] {
        assert!(
            changed_lines(&root(), &scratch, file).is_empty(),
            "{file} rewritten"
        );
    }
}

#[test]
fn the_compile_binary_exits_0_1_or_2() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("drift-binary");
    std::fs::create_dir_all(&dir).unwrap();
    let status = |name: &str, text: &str| {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_compile"))
            .arg("--drift")
            .arg(&file)
            .current_dir(root())
            .output()
            .expect("the compile binary runs");
        let stderr =
            String::from_utf8_lossy(&out.stderr).replace(&file.display().to_string(), "FILE");
        (out.status.code(), stderr)
    };
    let hello = std::fs::read_to_string(root().join("dist/hello.asl.json")).unwrap();
    assert_eq!(status("same.json", &hello).0, Some(SAME.into()));
    let edited = hello.replace("\"Goodbye.\"", "\"Bye.\"");
    assert_eq!(status("edited.json", &edited).0, Some(DRIFT.into()));
    let (code, stderr) = status("broken.json", &hello[..hello.len() / 2]);
    assert_eq!(code, Some(BAD_INPUT.into()));
    assert!(stderr.starts_with("error: FILE: line "), "{stderr}");
    assert!(stderr.contains("not JSON"), "{stderr}");
    let unnamed = hello.replacen("hello — compiled by Switchboard", "edited", 1);
    let (code, stderr) = status("unnamed.json", &unnamed);
    assert_eq!(code, Some(BAD_INPUT.into()));
    assert!(stderr.contains("cannot tell which flow it is"), "{stderr}");
}
