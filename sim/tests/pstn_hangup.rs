//! How calls end, as the PSTN audio guide documents it: every `HANGUP` event carries
//! `SipResponseCode` (0 normal clearing, 480 no answer, 486 user busy,
//! <https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>), an outbound call
//! to a busy line or nobody ends with `HANGUP` 486 or 480, and a `CallAndBridge` that is not
//! answered fails with the one documented error, `CallNotAnswered` / "Call not answered"
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>), busy or not.

use std::sync::Arc;

mod support;

use serde_json::{json, Map, Value};
use support::{machine, speak, LEG_A};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::pstn::{
    Answer, Bridge, BridgeOutcome, CallSpec, Ender, Entry, Seconds, Setup, SimQueue, Simulator,
    Step, Transcript,
};
use switchboard_sim::services::Services;

const FLOW_NUMBER: &str = "+12065550100";
/// Every waiting Task here: a hang-up ends the flow, any other failure goes to `Failed`.
fn send(actions: Value, next: &str) -> Value {
    support::send(
        actions,
        next,
        json!([{"ErrorEquals": ["HANGUP"], "Next": "Done"},
               {"ErrorEquals": ["States.ALL"], "Next": "Failed"}]),
    )
}

/// Sends `first`; on success `then`; on ACTION_FAILED speaks "failed" and hangs up.
fn flow(first: Value, then: Value) -> Arc<StateMachine> {
    machine(
        "First",
        json!({
            "First": send(first, "Then"),
            "Then": send(then, "Done"),
            "Failed": send(json!([speak("failed"),
                {"Type": "Hangup", "Parameters": {"SipResponseCode": "0"}}]), "Done"),
            "Done": {"Type": "Succeed"}}),
    )
}

fn run(machine: Arc<StateMachine>, call: CallSpec, steps: Vec<Step>) -> Transcript {
    let setup = Setup {
        name: "t".into(),
        machine,
        numbers: vec![FLOW_NUMBER.into()],
        services: Services::new(),
        clock: Clock::new(1_736_000_000_000, 1),
        tz: chrono_tz::UTC,
    };
    let mut sim = Simulator::new(setup, SimQueue::new()).expect("simulator starts");
    sim.run(call, steps).clone()
}

/// `(event, error, SIP code)` of every event sent, in order.
fn events(t: &Transcript) -> Vec<(String, Option<String>, Option<i64>)> {
    t.entries
        .iter()
        .filter_map(|e| match e {
            Entry::Event {
                event,
                error,
                sip_code,
                ..
            } => Some((event.clone(), error.clone(), *sip_code)),
            _ => None,
        })
        .collect()
}

fn hangups(t: &Transcript) -> Vec<Option<i64>> {
    events(t)
        .into_iter()
        .filter(|(e, _, _)| e == "HANGUP")
        .map(|(_, _, code)| code)
        .collect()
}

fn digits() -> Value {
    json!({"Type": "SpeakAndGetDigits", "Parameters": {"CallId": LEG_A,
        "SpeechParameters": {"Text": "Press a key"}, "FailureSpeechParameters": {"Text": "Again"},
        "MinNumberOfDigits": 1, "MaxNumberOfDigits": 1, "Repeat": 1,
        "RepeatDurationInMilliseconds": 3000}})
}

fn bridge_to(number: &str, timeout: i64) -> Value {
    json!({"Type": "CallAndBridge", "Parameters": {"CallTimeoutSeconds": timeout,
        "CallerIdNumber": FLOW_NUMBER, "Endpoints": [{"BridgeEndpointType": "PSTN", "Uri": number}]}})
}

#[test]
fn a_caller_hanging_up_is_normal_clearing() {
    let t = run(
        flow(json!([digits()]), json!([speak("bye")])),
        CallSpec::inbound("+15105550101", FLOW_NUMBER),
        vec![Step::HangUp],
    );
    assert_eq!(hangups(&t), vec![Some(0)], "{t}");
}

#[test]
fn the_flow_hanging_up_reports_its_own_code() {
    let t = run(
        flow(
            json!([speak("busy here"), {"Type": "Hangup", "Parameters": {"CallId": LEG_A, "SipResponseCode": "486"}}]),
            json!([]),
        ),
        CallSpec::inbound("+15105550101", FLOW_NUMBER),
        vec![],
    );
    assert_eq!(hangups(&t), vec![Some(486)], "{t}");
}

fn bridge(outcome: BridgeOutcome) -> Step {
    Step::Bridge(Bridge {
        outcome,
        talk: Seconds(30),
        ends: Ender::Callee,
    })
}

/// Busy or not answered, the action fails the same documented way; only the time differs
/// (a busy line answers at once, nobody answering takes `CallTimeoutSeconds`).
#[test]
fn call_and_bridge_busy_and_no_answer_fail_with_the_documented_error() {
    let busy = run(
        flow(json!([bridge_to("+12065550199", 20)]), json!([])),
        CallSpec::inbound("+15105550101", FLOW_NUMBER),
        vec![bridge(BridgeOutcome::Busy)],
    );
    let none = run(
        flow(json!([bridge_to("+12065550199", 20)]), json!([])),
        CallSpec::inbound("+15105550101", FLOW_NUMBER),
        vec![bridge(BridgeOutcome::NoAnswer)],
    );
    let failed = |t: &Transcript| {
        events(t)
            .into_iter()
            .find(|(e, _, _)| e == "ACTION_FAILED")
            .and_then(|(_, error, _)| error)
    };
    let expected = Some("CallNotAnswered: Call not answered".to_string());
    assert_eq!(failed(&busy), expected, "{busy}");
    assert_eq!(failed(&none), expected, "{none}");
    let at = |t: &Transcript| {
        t.entries.iter().find_map(|e| match e {
            Entry::Event { event, at_ms, .. } if event == "ACTION_FAILED" => Some(*at_ms),
            _ => None,
        })
    };
    assert!(at(&busy) < Some(5_000), "{busy}");
    assert_eq!(at(&none), Some(20_000), "{none}");
}

fn outbound(answer: Answer) -> Transcript {
    run(
        flow(
            json!([]),
            json!([speak("hello"), {"Type": "Hangup", "Parameters": {"CallId": LEG_A}}]),
        ),
        CallSpec::outbound(FLOW_NUMBER, "+12065550199", Map::new()),
        vec![Step::Answer(answer)],
    )
}

/// `CreateSipMediaApplicationCall` to a busy line: `HANGUP` 486 with no `RINGING` (a busy line
/// does not ring); to nobody: `RINGING`, then `HANGUP` 480.
#[test]
fn an_outbound_call_tells_busy_from_no_answer_by_sip_code() {
    let busy = outbound(Answer::Busy);
    let kinds = |t: &Transcript| events(t).into_iter().map(|e| e.0).collect::<Vec<_>>();
    assert_eq!(kinds(&busy), vec!["NEW_OUTBOUND_CALL", "HANGUP"], "{busy}");
    assert_eq!(hangups(&busy), vec![Some(486)]);
    let none = outbound(Answer::NoAnswer);
    assert_eq!(
        kinds(&none),
        vec!["NEW_OUTBOUND_CALL", "RINGING", "HANGUP"],
        "{none}"
    );
    assert_eq!(hangups(&none), vec![Some(480)]);
    let answered = outbound(Answer::Answered);
    assert_eq!(hangups(&answered), vec![Some(0)], "{answered}");
}
