//! Reading an execution history into a call: the hand-made business-phone fixture (see its
//! `_comment`), and histories that cannot be read.

use std::path::{Path, PathBuf};

use switchboard_asl::StateMachine;
use switchboard_view::history::{self, History};
use switchboard_view::Graph;

fn business() -> Graph {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist/business-phone.asl.json");
    let m = StateMachine::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    Graph::from_machine("business-phone", &m).unwrap()
}

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/business-phone-voicemail.history.json")
}

#[test]
fn a_recorded_call_becomes_its_steps() {
    let t = history::read(&fixture(), &business()).unwrap();
    insta::assert_json_snapshot!(t);
    assert_eq!(t.status, "SUCCEEDED");
    let states: Vec<&str> = t.steps.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(
        states,
        [
            "If call.Direction = 'Outbound'",
            "Speak Thank you for calling Acme Plumbing. Please hold while I connect you. -...",
            "Speak Sorry, nobody can take your call right now. Please leave a message afte...",
            "Record message - Stop recording",
            "DynamoDB putItem BusinessPhoneMessages",
            "Speak Thank you, your message has been saved. Goodbye.",
            "Call ended",
        ]
    );
    assert_eq!(
        t.steps[1].error.as_deref(),
        Some("ACTION_FAILED: CallNotAnswered: Call not answered")
    );
    assert_eq!(
        t.steps[2].heard,
        [
            "Sorry, nobody can take your call right now. Please leave a message after the tone. Press pound or hang up when you are done.",
            "♪ prompts/beep.wav"
        ]
    );
    assert_eq!(
        t.steps[2].reported.as_deref(),
        Some("ACTION_SUCCESSFUL (StartCallRecording)")
    );
    assert_eq!(
        t.steps[4].sent,
        ["Stores a record in acme-business-BusinessPhoneMessages-1A2B3C4D5E6F"]
    );
    assert_eq!(t.steps[5].error.as_deref(), Some("HANGUP"));
    let times: Vec<i64> = t.steps.iter().map(|s| s.at_ms.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert_eq!(times[2], 29_850);
}

#[test]
fn keys_pressed_come_from_the_event_that_completed_the_wait() {
    // A digit prompt answered with `1`: the output of TaskSucceeded is the PSTN audio event.
    let g = business();
    let menu = "Ask ...Press 1 to hear your messages, 2 to call a customer, or 3 to schedule...";
    let event = r#"{"SchemaVersion":"1.0","Sequence":5,"InvocationEventType":"ACTION_SUCCESSFUL","ActionData":{"Type":"SpeakAndGetDigits","ReceivedDigits":"1"}}"#;
    let h: History = serde_json::from_value(serde_json::json!({"events": [
        {"timestamp": 1749564000.0, "type": "ExecutionStarted", "id": 1, "previousEventId": 0},
        {"timestamp": 1749564001.0, "type": "TaskStateEntered", "id": 2, "previousEventId": 1,
         "stateEnteredEventDetails": {"name": menu}},
        {"timestamp": 1749564005.5, "type": "TaskSucceeded", "id": 3, "previousEventId": 2,
         "taskSucceededEventDetails": {"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken", "output": event}}
    ]}))
    .unwrap();
    let t = history::trace(&h, &g, "menu").unwrap();
    assert_eq!(t.status, "RUNNING");
    assert_eq!(t.steps[0].pressed.as_deref(), Some("1"));
    assert_eq!(
        t.steps[0].reported.as_deref(),
        Some("ACTION_SUCCESSFUL (SpeakAndGetDigits): received 1")
    );
    assert_eq!(t.steps[0].at_ms, Some(1000));
}

fn error_of(json: &str) -> String {
    let dir = std::env::temp_dir().join(format!("switchboard-view-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("h{}.json", json.len()));
    std::fs::write(&path, json).unwrap();
    let e = history::read(&path, &business()).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    e.replace(&path.display().to_string(), "HISTORY")
}

#[test]
fn the_history_of_another_state_machine_is_refused() {
    let e = error_of(
        r#"{"events": [{"timestamp": 1, "type": "PassStateEntered", "id": 1, "previousEventId": 0, "stateEnteredEventDetails": {"name": "Init"}}]}"#,
    );
    assert_eq!(
        e,
        "error: HISTORY: event 1 (PassStateEntered) enters the state `Init`, which this definition does not have: is the history of another state machine, or of an older version of it?"
    );
    // A placeholder stands for some text, not for none.
    let e = error_of(
        r#"{"events": [{"timestamp": 1, "type": "TaskStateEntered", "id": 1, "stateEnteredEventDetails": {"name": "DynamoDB putItem "}}]}"#,
    );
    assert!(e.contains("enters the state `DynamoDB putItem `"), "{e}");
}

#[test]
fn a_file_that_is_not_a_history_is_refused_with_its_line() {
    let e = error_of("{\n  \"executionArn\": \"arn:aws:states:us-east-1:1:execution:x:y\"\n}");
    assert!(
        e.starts_with("error: HISTORY:3:1: missing field `events`"),
        "{e}"
    );
    assert!(e.contains("get-execution-history --output json"), "{e}");
    let e = error_of("{\"events\": []}");
    assert_eq!(
        e,
        "error: HISTORY: `events` is empty: the history has no events"
    );
    let e =
        error_of("{\"events\": [{\"type\": \"TaskStateEntered\", \"id\": 1, \"timestamp\": 1}]}");
    assert_eq!(
        e,
        "error: HISTORY: event 1 (TaskStateEntered) has no `stateEnteredEventDetails`"
    );
    assert!(Path::new(&fixture()).exists());
}

#[test]
fn a_history_is_written_back_as_it_was_read() {
    // What a simulator records in this model serialises to the shape it reads: every field of
    // the fixture's events that the model holds comes back unchanged.
    let text = std::fs::read_to_string(fixture()).unwrap();
    let h: History = serde_json::from_str(&text).unwrap();
    let back: serde_json::Value = serde_json::to_value(&h).unwrap();
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    for (i, (a, b)) in back["events"]
        .as_array()
        .unwrap()
        .iter()
        .zip(original["events"].as_array().unwrap())
        .enumerate()
    {
        for (k, v) in a.as_object().unwrap() {
            if let Some(o) = v.as_object() {
                for (field, value) in o {
                    assert_eq!(Some(value), b[k].get(field), "event {}: {k}.{field}", i + 1);
                }
            } else {
                assert_eq!(v, &b[k], "event {}: {k}", i + 1);
            }
        }
        // Every details object of the fixture is modelled.
        for k in b
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| k.ends_with("EventDetails"))
        {
            assert!(a.get(k).is_some(), "event {}: {k} is not modelled", i + 1);
        }
    }
}
