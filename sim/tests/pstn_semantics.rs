//! PSTN audio semantics the simulator plays, on small hand-written flows: the 10-action limit
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/invoke-on-call-leg.html>), a failing action
//! dropping the rest of its list, and digit collection with retries and `InputDigitsRegex`.

use std::sync::Arc;

use serde_json::{json, Value};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::pstn::{CallSpec, Entry, Setup, SimQueue, Simulator, Step};
use switchboard_sim::services::Services;

/// A JSONata flow: send `actions`, then on success speak "ok", on any error speak the error
/// name; then hang up.
fn flow(actions: Value) -> Arc<StateMachine> {
    let send = |actions: Value, next: &str| {
        json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Arguments": {"QueueUrl": "{% $states.context.Execution.Input.QueueUrl %}",
                "MessageBody": {"SchemaVersion": "1.0", "Actions": actions,
                    "TransactionAttributes": {"WaitToken": "{% $states.context.Task.Token %}",
                        "QueueUrl": "{% $states.context.Execution.Input.QueueUrl %}"}}},
            "TimeoutSeconds": 120, "Output": "{% $states.result %}", "Next": next,
            "Catch": [{"ErrorEquals": ["HANGUP"], "Next": "Done"},
                      {"ErrorEquals": ["States.ALL"], "Next": "Failed", "Assign": {"err": "{% $states.errorOutput.Error %}"}}]})
    };
    let speak = |text: &str| json!({"Type": "Speak", "Parameters": {"CallId": "{% $states.context.Execution.Input.Event.CallDetails.Participants[0].CallId %}", "Text": text}});
    let hangup = json!({"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}});
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Ask", "States": {
        "Ask": send(actions, "Ok"),
        "Ok": send(json!([speak("{% 'ok ' & $states.input.ActionData.ReceivedDigits %}"), hangup.clone()]), "Done"),
        "Failed": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Arguments": {"QueueUrl": "{% $states.context.Execution.Input.QueueUrl %}",
                "MessageBody": {"SchemaVersion": "1.0", "Actions": [
                    {"Type": "Speak", "Parameters": {"CallId": "{% $states.context.Execution.Input.Event.CallDetails.Participants[0].CallId %}", "Text": "{% 'failed ' & $err %}"}}, hangup],
                    "TransactionAttributes": {"WaitToken": "{% $states.context.Task.Token %}",
                        "QueueUrl": "{% $states.context.Execution.Input.QueueUrl %}"}}},
            "TimeoutSeconds": 120, "Next": "Done", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]},
        "Done": {"Type": "Succeed"}}});
    Arc::new(serde_json::from_value(def).expect("test flow parses"))
}

fn run(machine: Arc<StateMachine>, steps: Vec<Step>) -> (Vec<String>, Vec<Entry>) {
    let setup = Setup {
        name: "t".into(),
        machine,
        numbers: vec!["+12065550100".into()],
        services: Services::new(),
        clock: Clock::new(1_736_000_000_000, 1),
        tz: chrono_tz::UTC,
    };
    let mut sim = Simulator::new(setup, SimQueue::new()).expect("simulator starts");
    let t = sim.run(CallSpec::inbound("+15105550101", "+12065550100"), steps);
    (t.heard().map(str::to_owned).collect(), t.entries.clone())
}

fn speak(text: &str) -> Value {
    json!({"Type": "Speak", "Parameters": {"CallId": "{% $states.context.Execution.Input.Event.CallDetails.Participants[0].CallId %}", "Text": text}})
}

#[test]
fn eleven_actions_are_an_invalid_lambda_response() {
    let actions: Vec<Value> = (0..11).map(|i| speak(&format!("line {i}"))).collect();
    let (heard, entries) = run(flow(Value::Array(actions)), vec![]);
    assert_eq!(heard, vec!["failed INVALID_LAMBDA_RESPONSE"]);
    assert!(entries
        .iter()
        .any(|e| matches!(e, Entry::Event { event, .. } if event == "INVALID_LAMBDA_RESPONSE")));
}

#[test]
fn ten_actions_run() {
    let actions: Vec<Value> = (0..10).map(|i| speak(&format!("line {i}"))).collect();
    let (heard, _) = run(flow(Value::Array(actions)), vec![]);
    assert_eq!(heard.len(), 11, "{heard:?}");
    assert_eq!(heard[9], "line 9");
}

#[test]
fn a_failing_action_drops_the_rest_of_the_list() {
    let play = json!({"Type": "PlayAudio", "Parameters": {"AudioSource": {"Type": "S3", "BucketName": "none", "Key": "x.wav"}}});
    let (heard, _) = run(flow(json!([speak("first"), play, speak("never")])), vec![]);
    assert_eq!(heard, vec!["first", "failed ACTION_FAILED"]);
}

/// Three attempts in all: `Repeat` is "the number of attempts"
/// (https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html).
fn digits(min: i64, max: i64, regex: &str) -> Value {
    json!([{"Type": "SpeakAndGetDigits", "Parameters": {
        "CallId": "{% $states.context.Execution.Input.Event.CallDetails.Participants[0].CallId %}",
        "InputDigitsRegex": regex,
        "SpeechParameters": {"Text": "Enter your code"}, "FailureSpeechParameters": {"Text": "Try again"},
        "MinNumberOfDigits": min, "MaxNumberOfDigits": max, "Repeat": 3, "RepeatDurationInMilliseconds": 3000}}])
}

#[test]
fn digits_retry_with_the_failure_prompt_until_valid() {
    let (heard, _) = run(
        flow(digits(3, 4, "^[0-9]+$")),
        vec![
            Step::Press("1".into()),
            Step::Silent,
            Step::Press("1234#".into()),
        ],
    );
    assert_eq!(
        heard,
        vec![
            "Enter your code",
            "Try again",
            "Enter your code",
            "Try again",
            "Enter your code",
            "ok 1234"
        ]
    );
}

#[test]
fn digits_fail_after_every_attempt_is_used() {
    let (heard, _) = run(
        flow(digits(1, 2, "^[12]$")),
        vec![
            Step::Press("9".into()),
            Step::Press("8".into()),
            Step::Press("7".into()),
        ],
    );
    assert_eq!(
        heard.last().map(String::as_str),
        Some("failed ACTION_FAILED")
    );
    assert_eq!(heard.iter().filter(|h| *h == "Enter your code").count(), 3);
}
