//! Whole flows: the reference workflow's first states (JSONPath, `$var` variables,
//! `States.Format`, `ResultPath`, one JSONata Pass) and a JSONata fixture in the shape the
//! compiler emits.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{json, Value};
use switchboard::wire::{ATTR_WAIT_TOKEN, ERROR_HANGUP};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{Env, Execution, Status};
use switchboard_sim::services::sqs::Queues;
use switchboard_sim::services::Services;

fn reference() -> Option<Arc<StateMachine>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/business-phone-number-proxy.asl.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "SKIPPED: the reference workflow is absent at {}; put shared/ beside the repo to run this test",
            path.display()
        );
        return None;
    };
    Some(Arc::new(
        StateMachine::from_json(&text).expect("reference parses"),
    ))
}

fn inbound_event(from: &str) -> Value {
    json!({
        "SchemaVersion": "1.0", "Sequence": 1, "InvocationEventType": "NEW_INBOUND_CALL",
        "CallDetails": {
            "TransactionId": "tx-1", "AwsAccountId": "123456789012", "AwsRegion": "us-east-1",
            "SipRuleId": "rule-1", "SipMediaApplicationId": "sma-1",
            "Participants": [{"CallId": "call-a", "ParticipantTag": "LEG-A", "To": "+15550100",
                "From": from, "Direction": "Inbound", "StartTimeInMilliseconds": "1714564800000"}]
        }
    })
}

/// Run the reference workflow from Init until it first waits for the caller, at `utc`.
fn first_prompt(utc: &str) -> Option<(Execution, Env, String, Value)> {
    let machine = reference()?;
    let mut services = Services::new();
    let url = services.queues.create("tx-1");
    let mut env = Env::new(Clock::at(utc, 1).unwrap(), services);
    let input = json!({"QueueUrl": url, "Event": inbound_event("+15557777")});
    let mut exec = Execution::start(machine, "tx-1", input, &env);
    let status = exec.run_until_blocked(&mut env);
    let Status::Waiting { token, state, .. } = status else {
        panic!("expected the flow to wait for the caller, got {status:?}")
    };
    let msg = env.services.queues.receive(&url, 1).unwrap().remove(0);
    assert_eq!(
        msg.body["TransactionAttributes"][ATTR_WAIT_TOKEN],
        json!(token)
    );
    assert_eq!(msg.body["TransactionAttributes"]["QueueUrl"], json!(url));
    Some((exec, env, state, msg.body))
}

#[test]
fn reference_inbound_call_in_business_hours_is_welcomed() {
    // 16:00Z is 12:00 at the reference's UTC offset -0400: inside 08:00–18:00.
    let Some((exec, _, state, body)) = first_prompt("2024-05-01T16:00:00Z") else {
        return;
    };
    assert_eq!(state, "Business Welcome Message");
    let text = body["Actions"][0]["Parameters"]["Text"].as_str().unwrap();
    assert_eq!(
        text,
        "Welcome to: Demo Business! Please wait while I connect your call."
    );
    assert_eq!(body["Actions"][0]["Parameters"]["CallId"], json!("call-a"));
    assert_eq!(
        exec.states_entered(),
        vec![
            "Init",
            "Check Call Flow: Customer, Owner, Scheduled",
            "Compute In Business",
            "Check Business Hours",
            "Business Welcome Message"
        ]
    );
    assert_eq!(exec.variables()["InBusiness"], json!(true));
    assert_eq!(exec.variables()["Call"]["From"], json!("+15557777"));
    assert_eq!(exec.cost().state_transitions, 5);
}

#[test]
fn reference_inbound_call_after_hours_hears_the_closed_message_and_hangup_ends_cleanly() {
    // 23:00Z is 19:00 at -0400: after hours.
    let Some((mut exec, mut env, state, body)) = first_prompt("2024-05-01T23:00:00Z") else {
        return;
    };
    assert_eq!(state, "Play After Hours Message");
    let text = body["Actions"][0]["Parameters"]["Text"].as_str().unwrap();
    assert!(
        text.starts_with("We are sorry to inform you that: Demo Business!"),
        "{text}"
    );
    let token = exec.waiting_token().unwrap().to_string();
    // The router fails the token with HANGUP when the caller hangs up: Catch puts the error at
    // $.Error, "Check Error Message" matches it and the execution succeeds.
    exec.send_task_failure(&env.clock, &token, ERROR_HANGUP, "caller hung up")
        .unwrap();
    let status = exec.run_until_blocked(&mut env);
    assert!(
        matches!(status, Status::Succeeded(ref out) if out["Error"]["Error"] == "HANGUP"),
        "{status:?}"
    );
    assert_eq!(exec.states_entered().last(), Some(&"Succeded"));
}

fn fixture() -> Arc<StateMachine> {
    let text = include_str!("fixtures/menu.asl.json");
    Arc::new(StateMachine::from_json(text).expect("fixture parses"))
}

fn start_fixture() -> (Execution, Env, String) {
    let mut services = Services::new();
    let url = services.queues.create("tx-9");
    let env = Env::new(Clock::new(0, 1), services);
    let input = json!({"QueueUrl": url, "Event": inbound_event("+15551234")});
    (Execution::start(fixture(), "tx-9", input, &env), env, url)
}

fn next_message(env: &mut Env, url: &str) -> Value {
    env.services.queues.receive(url, 1).unwrap().remove(0).body
}

#[test]
fn jsonata_fixture_runs_a_whole_call() {
    let (mut exec, mut env, url) = start_fixture();
    let Status::Waiting { token, state, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    assert_eq!(state, "Ask");
    let body = next_message(&mut env, &url);
    assert_eq!(body["Actions"][0]["Type"], json!("SpeakAndGetDigits"));
    assert_eq!(body["TransactionAttributes"]["WaitToken"], json!(token));
    let digits =
        json!({"InvocationEventType": "ACTION_SUCCESSFUL", "ActionData": {"ReceivedDigits": "1"}});
    exec.send_task_success(&env.clock, &token, digits).unwrap();
    let Status::Waiting { token, state, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    assert_eq!(state, "Say sales");
    let body = next_message(&mut env, &url);
    assert_eq!(
        body["Actions"][0]["Parameters"]["Text"],
        json!("Connecting +15551234 to sales.")
    );
    exec.send_task_success(&env.clock, &token, json!({}))
        .unwrap();
    let Status::Waiting { token, state, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    assert_eq!(state, "Hang up");
    exec.send_task_failure(&env.clock, &token, ERROR_HANGUP, "")
        .unwrap();
    assert!(matches!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(_)
    ));
    assert_eq!(exec.cost().task_tokens, 3);
    assert_eq!(exec.cost().state_transitions, 6);
    assert_eq!(Queues::url_for("tx-9"), url);
}

#[test]
fn jsonata_fixture_other_failures_reach_the_fail_state_with_the_error_assigned() {
    let (mut exec, mut env, _) = start_fixture();
    let Status::Waiting { token, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    exec.send_task_failure(&env.clock, &token, "ACTION_FAILED", "bad action")
        .unwrap();
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Failed {
            error: "ACTION_FAILED".into(),
            cause: "bad action".into()
        }
    );
}

#[test]
fn jsonata_fixture_silence_times_out_into_the_fail_state() {
    let (mut exec, mut env, _) = start_fixture();
    exec.run_until_blocked(&mut env);
    let s = exec.advance_by(&mut env, 30_000);
    assert!(
        matches!(s, Status::Failed { ref error, .. } if error == "States.Timeout"),
        "{s:?}"
    );
    assert_eq!(env.clock.now_millis(), 30_000);
}
