//! The shared field blocks: which states have them, where they sit in the canonical output,
//! and what parsing refuses.

use serde_json::json;
use switchboard_asl::{State, StateMachine};

fn parse_state(state: serde_json::Value) -> Result<StateMachine, String> {
    let text = json!({ "StartAt": "A", "States": { "A": state } }).to_string();
    StateMachine::from_json(&text).map_err(|e| e.to_string())
}

#[test]
fn every_state_but_fail_has_the_io_block() {
    for ty in [
        "Pass", "Task", "Choice", "Wait", "Succeed", "Parallel", "Map",
    ] {
        let mut state = json!({ "Type": ty, "InputPath": "$.in", "OutputPath": null });
        let extra = match ty {
            "Task" => json!({ "Resource": "r", "End": true }),
            "Choice" => {
                json!({ "Choices": [{ "Variable": "$.x", "IsPresent": true, "Next": "A" }] })
            }
            "Wait" => json!({ "Seconds": 1, "End": true }),
            "Parallel" => json!({ "Branches": [], "End": true }),
            "Map" => json!({ "End": true }),
            "Pass" => json!({ "End": true }),
            _ => json!({}),
        };
        state
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let m = parse_state(state).unwrap_or_else(|e| panic!("{ty}: {e}"));
        let io = m.states["A"].io().expect("an Io block");
        assert_eq!(io.input_path, Some(json!("$.in")), "{ty}");
        // An explicit null is kept: it means something else than an absent field.
        assert_eq!(io.output_path, Some(serde_json::Value::Null), "{ty}");
    }
    let fail = parse_state(json!({ "Type": "Fail", "Error": "E" })).unwrap();
    assert!(fail.states["A"].io().is_none());
    let err = parse_state(json!({ "Type": "Fail", "InputPath": "$" })).unwrap_err();
    assert!(
        err.contains("state `A`") && err.contains("InputPath"),
        "{err}"
    );
}

#[test]
fn succeed_cannot_assign() {
    // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html: Assign is
    // for Pass, Task, Map, Parallel, Choice and Wait.
    let err = parse_state(json!({ "Type": "Succeed", "Assign": { "x": 1 } })).unwrap_err();
    assert!(
        err.contains("state `A`") && err.contains("`Assign`"),
        "{err}"
    );
    assert!(parse_state(json!({ "Type": "Succeed", "Output": "{% 1 %}" })).is_ok());
}

#[test]
fn only_task_parallel_and_map_have_retry_and_catch() {
    let catch = json!([{ "ErrorEquals": ["States.ALL"], "Next": "A" }]);
    for (ty, extra) in [
        ("Task", json!({ "Resource": "r", "End": true })),
        ("Parallel", json!({ "Branches": [], "End": true })),
        ("Map", json!({ "End": true })),
    ] {
        let mut state = json!({ "Type": ty, "Catch": catch, "Retry": [{ "ErrorEquals": ["X"] }] });
        state
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let m = parse_state(state).unwrap_or_else(|e| panic!("{ty}: {e}"));
        let h = m.states["A"].handlers().expect("Retry/Catch");
        assert_eq!((h.retry.len(), h.catch.len()), (1, 1), "{ty}");
    }
    for (ty, extra) in [
        ("Pass", json!({ "End": true })),
        ("Wait", json!({ "Seconds": 1, "End": true })),
        ("Succeed", json!({})),
    ] {
        let mut state = json!({ "Type": ty, "Catch": catch });
        state
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let err = parse_state(state).unwrap_err();
        assert!(
            err.contains("state `A`") && err.contains("`Catch`"),
            "{ty}: {err}"
        );
    }
}

/// The blocks sit where the canonical order puts their fields: a JSONPath state's data-flow
/// fields after its own (`InputPath` next to `OutputPath`), `Retry`/`Catch` after the timeouts,
/// `Next`/`End` last.
#[test]
fn blocks_keep_their_place_in_the_canonical_order() {
    let state = json!({
        "Next": "A", "Catch": [{ "ErrorEquals": ["X"], "Next": "A" }], "Retry": [{ "ErrorEquals": ["X"] }],
        "HeartbeatSeconds": 5, "TimeoutSeconds": 9, "Assign": {}, "OutputPath": "$.o",
        "ResultPath": "$.r", "ResultSelector": {}, "Parameters": {}, "InputPath": "$.i",
        "Resource": "r", "Comment": "c", "Type": "Task",
    });
    let text = parse_state(state).unwrap().to_canonical_json();
    let keys: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("      \""))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "Type",
            "Comment",
            "Resource",
            "Parameters",
            "ResultSelector",
            "ResultPath",
            "InputPath",
            "OutputPath",
            "Assign",
            "TimeoutSeconds",
            "HeartbeatSeconds",
            "Retry",
            "Catch",
            "Next"
        ]
    );
    assert!(matches!(
        StateMachine::from_json(&text).unwrap().states["A"],
        State::Task(_)
    ));
}
