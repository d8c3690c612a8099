//! One test per invocation event type, each parsing a documented example
//! (tests/fixtures/pstn/events, pages in SOURCES.md).

use std::path::Path;
use switchboard::pstn::{Action, EventType, InvocationEvent};
use switchboard::wire;

fn event(name: &str) -> InvocationEvent {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/pstn/events/{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn new_inbound_call() {
    let e = event("new-inbound-call");
    assert_eq!(e.invocation_event_type, EventType::NewInboundCall);
    let a = e.leg(wire::LEG_A).expect("LEG-A");
    assert!(a.is_inbound() && a.is_connected());
    assert_eq!(a.from.as_deref(), Some("+15105550101"));
    assert_eq!(
        a.start_time_in_milliseconds
            .as_ref()
            .and_then(|t| t.value()),
        Some(159700958834234)
    );
    assert_eq!(
        e.call_details.sip_media_application(),
        Some("sip-application-id")
    );
    assert!(e.leg(wire::LEG_B).is_none());
}

#[test]
fn new_outbound_call() {
    let e = event("new-outbound-call");
    assert_eq!(e.invocation_event_type, EventType::NewOutboundCall);
    assert_eq!(
        e.leg(wire::LEG_A).unwrap().direction.as_deref(),
        Some("Outbound")
    );
    let with_args = event("new-outbound-call-arguments");
    let data = with_args.action_data.as_ref().unwrap();
    assert_eq!(data.kind.as_deref(), Some("CallCreateRequest"));
    assert!(
        data.action().is_none(),
        "CallCreateRequest is not an action"
    );
    assert_eq!(data.argument("RequestedDialNumber"), Some("+16265551212"));
}

#[test]
fn action_successful() {
    let e = event("action-successful-record-audio");
    assert_eq!(e.invocation_event_type, EventType::ActionSuccessful);
    let data = e.action_data.as_ref().unwrap();
    assert_eq!(
        data.recording_destination.as_ref().unwrap().key,
        "valid-S3-key"
    );
    assert_eq!(data.recording_terminator_used.as_deref(), Some("#"));
    assert!(matches!(data.action(), Some(Ok(Action::RecordAudio(_)))));
    assert_eq!(
        e.transaction_attribute(wire::ATTR_WAIT_TOKEN),
        Some("token-1")
    );
    assert_eq!(e.transaction_attribute("Missing"), None);

    let digits = event("action-successful-speak-and-get-digits");
    assert_eq!(
        digits.action_data.unwrap().received_digits.as_deref(),
        Some("1234")
    );

    let bridged = event("action-successful-call-and-bridge");
    assert_eq!(bridged.leg(wire::LEG_B).unwrap().call_id, "call-id-2");
}

#[test]
fn action_failed() {
    let e = event("action-failed-call-and-bridge");
    assert_eq!(e.invocation_event_type, EventType::ActionFailed);
    assert_eq!(e.error_type(), Some("CallNotAnswered"));
    assert_eq!(e.error_message(), Some("Call not answered"));
    assert!(
        e.error_type.is_none(),
        "on ACTION_FAILED the error is inside ActionData"
    );
}

#[test]
fn action_interrupted() {
    let e = event("action-interrupted");
    assert_eq!(e.invocation_event_type, EventType::ActionInterrupted);
    assert!(matches!(
        e.action_data.unwrap().action(),
        Some(Ok(Action::PlayAudio(_)))
    ));
}

#[test]
fn hangup() {
    let e = event("hangup");
    assert_eq!(e.invocation_event_type, EventType::Hangup);
    assert!(!e.leg(wire::LEG_A).unwrap().is_connected());
    let b = event("hangup-leg-b");
    // The page spells the tags `Leg-A` / `Leg-B`; lookup ignores ASCII case.
    assert_eq!(
        b.leg(wire::LEG_B).unwrap().status.as_deref(),
        Some("Disconnected")
    );
    let coded = event("hangup-sip-response-code");
    let params = coded.action_data.unwrap().parameters.unwrap();
    assert_eq!(params["SipResponseCode"], 486);
}

#[test]
fn call_answered() {
    let e = event("call-answered");
    assert_eq!(e.invocation_event_type, EventType::CallAnswered);
    assert!(e.leg(wire::LEG_A).unwrap().is_connected());
}

#[test]
fn invalid_lambda_response() {
    let e = event("invalid-lambda-response");
    assert_eq!(e.invocation_event_type, EventType::InvalidLambdaResponse);
    assert_eq!(
        e.error_type.as_deref(),
        Some("TransactionAttributesInvalidMapSize")
    );
    assert!(e.error_message().unwrap().contains("too many mappings"));
    assert!(e.action_data.is_none());
}

#[test]
fn digits_received() {
    let e = event("digits-received");
    assert_eq!(e.invocation_event_type, EventType::DigitsReceived);
    let data = e.action_data.unwrap();
    assert_eq!(data.received_digits.as_deref(), Some("11#"));
    assert!(matches!(data.action(), Some(Ok(Action::ReceiveDigits(_)))));
}

#[test]
fn call_update_requested() {
    let e = event("call-update-requested");
    assert_eq!(e.invocation_event_type, EventType::CallUpdateRequested);
    let data = e.action_data.unwrap();
    assert_eq!(data.kind.as_deref(), Some("CallUpdateRequest"));
    assert_eq!(data.argument("JoinToken"), Some("abc123"));
}

#[test]
fn ringing() {
    let e = event("ringing");
    assert_eq!(e.invocation_event_type, EventType::Ringing);
    assert!(e.action_data.is_none());
}

#[test]
fn event_type_names_round_trip_and_unknown_types_survive() {
    for name in wire::event::ALL {
        let Ok(t) = name.parse::<EventType>();
        assert!(!matches!(t, EventType::Unknown(_)), "{name}");
        assert_eq!(t.as_str(), name);
    }
    let mut v: serde_json::Value = serde_json::to_value(event("ringing")).unwrap();
    v["InvocationEventType"] = "SOMETHING_NEW".into();
    let e: InvocationEvent = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(
        e.invocation_event_type,
        EventType::Unknown("SOMETHING_NEW".into())
    );
    assert_eq!(serde_json::to_value(&e).unwrap(), v);
}
