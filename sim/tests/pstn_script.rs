//! What the caller's script steps do: `hang_up` lets the audio of the response under way be
//! heard first, `hang_up: {after}` hangs up that long into whatever happens next, and
//! `record: {seconds, hang_up: true}` talks, then hangs up in the middle of the recording.

mod support;

use std::path::Path;
use std::sync::Arc;

use serde_json::{json, Value};
use support::{chain, machine, speak, LEG_A};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::pstn::{
    CallSpec, Entry, Record, Seconds, Setup, SimQueue, Simulator, Step, Transcript,
};
use switchboard_sim::scenario::Scenario;
use switchboard_sim::services::Services;

const FLOW_NUMBER: &str = "+12065550100";
/// A flow that sends `responses` one after the other (each on the previous one's success),
/// and ends on any failure.
fn flow(responses: Vec<Value>) -> Arc<StateMachine> {
    let catch = json!([{"ErrorEquals": ["States.ALL"], "Next": "Done"}]);
    machine("R0", Value::Object(chain(responses, catch)))
}

fn menu(text: &str) -> Value {
    json!({"Type": "SpeakAndGetDigits", "Parameters": {"CallId": LEG_A,
        "SpeechParameters": {"Text": text}, "FailureSpeechParameters": {"Text": "Sorry."},
        "MinNumberOfDigits": 1, "MaxNumberOfDigits": 1, "Repeat": 1,
        "RepeatDurationInMilliseconds": 3000}})
}

fn hangup() -> Value {
    json!({"Type": "Hangup", "Parameters": {"CallId": LEG_A, "SipResponseCode": "0"}})
}

fn record_audio() -> Value {
    json!({"Type": "RecordAudio", "Parameters": {"CallId": LEG_A, "DurationInSeconds": 60,
        "SilenceDurationInSeconds": 3, "RecordingTerminators": ["#"],
        "RecordingDestination": {"Type": "S3", "BucketName": "rec", "Prefix": "scratch/"}}})
}

fn simulator(machine: Arc<StateMachine>) -> Simulator {
    let mut services = Services::new();
    services.s3.create_bucket("rec");
    let setup = Setup {
        name: "t".into(),
        machine,
        numbers: vec![FLOW_NUMBER.into()],
        services,
        clock: Clock::new(1_736_000_000_000, 1),
        tz: chrono_tz::UTC,
    };
    Simulator::new(setup, SimQueue::new()).expect("simulator starts")
}

fn run(responses: Vec<Value>, steps: Vec<Step>) -> Transcript {
    let mut sim = simulator(flow(responses));
    sim.run(CallSpec::inbound("+15105550101", FLOW_NUMBER), steps)
        .clone()
}

fn heard(t: &Transcript) -> Vec<&str> {
    t.heard().collect()
}

fn events(t: &Transcript) -> Vec<(String, i64)> {
    t.entries
        .iter()
        .filter_map(|e| match e {
            Entry::Event { event, at_ms, .. } => Some((event.clone(), *at_ms)),
            _ => None,
        })
        .collect()
}

/// The confirmation spoken in the same response as the next menu is heard; the caller hangs
/// up at the menu, after its prompt.
#[test]
fn hang_up_lets_the_audio_of_the_response_under_way_be_heard() {
    let t = run(
        vec![
            json!([menu("Press 1 to delete.")]),
            json!([speak("Deleted."), menu("Press 1 for the next message.")]),
            json!([speak("Goodbye."), hangup()]),
        ],
        vec![Step::Press("1".into()), Step::HangUp],
    );
    assert!(t.problems.is_empty(), "{:?}\n{t}", t.problems);
    assert_eq!(
        heard(&t),
        vec![
            "Press 1 to delete.",
            "Deleted.",
            "Press 1 for the next message."
        ],
        "{t}"
    );
    let kinds: Vec<String> = events(&t).into_iter().map(|e| e.0).collect();
    assert_eq!(
        kinds,
        vec!["NEW_INBOUND_CALL", "ACTION_SUCCESSFUL", "HANGUP"],
        "{t}"
    );
}

/// A response of audio only is heard to its end and reported; the caller hangs up before
/// the next one starts (none of it is heard).
#[test]
fn hang_up_after_an_audio_only_response_hears_none_of_the_next() {
    let t = run(
        vec![
            json!([menu("Press 1 to save.")]),
            json!([speak("Your message is saved.")]),
            json!([speak("Goodbye."), hangup()]),
        ],
        vec![Step::Press("1".into()), Step::HangUp],
    );
    assert!(t.problems.is_empty(), "{:?}\n{t}", t.problems);
    assert_eq!(
        heard(&t),
        vec!["Press 1 to save.", "Your message is saved."],
        "{t}"
    );
    let kinds: Vec<String> = events(&t).into_iter().map(|e| e.0).collect();
    assert_eq!(
        kinds,
        vec![
            "NEW_INBOUND_CALL",
            "ACTION_SUCCESSFUL",
            "ACTION_SUCCESSFUL",
            "HANGUP"
        ],
        "{t}"
    );
}

/// `hang_up: {after: 3s}`: three seconds into the long greeting, whatever is playing.
#[test]
fn hang_up_after_a_time_hangs_up_that_long_into_what_comes_next() {
    let long = "Thank you for calling Acme Plumbing, the friendliest plumbers in town, \
                we answer every call in the order it arrives.";
    let t = run(
        vec![json!([speak(long), menu("Press 1 for sales.")])],
        vec![Step::HangUpAfter(Seconds(3))],
    );
    assert!(t.problems.is_empty(), "{:?}\n{t}", t.problems);
    assert_eq!(heard(&t), vec![long], "{t}");
    assert_eq!(
        events(&t).last(),
        Some(&("HANGUP".to_string(), 3000)),
        "{t}"
    );
}

/// The caller talks 20 s into a RecordAudio and hangs up: `HANGUP`, no `ACTION_SUCCESSFUL`,
/// and no object. The RecordAudio page reports the recording's key only in
/// `ACTION_SUCCESSFUL` (https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html)
/// and says nothing of a file on hang-up; the conservative reading is that there is none.
#[test]
fn record_then_hang_up_ends_mid_recording_with_no_object() {
    let mut sim = simulator(flow(vec![
        json!([speak("Leave a message."), record_audio()]),
        json!([speak("Thank you."), hangup()]),
    ]));
    let t = sim
        .run(
            CallSpec::inbound("+15105550101", FLOW_NUMBER),
            vec![Step::Record(Record {
                seconds: Seconds(20),
                terminator: None,
                hang_up: true,
            })],
        )
        .clone();
    assert!(t.problems.is_empty(), "{:?}\n{t}", t.problems);
    let last = events(&t).last().cloned().expect("events");
    assert_eq!(last.0, "HANGUP", "{t}");
    assert!(t.recordings.is_empty(), "{t}");
    assert!(sim.world().services().s3.list("rec", "").is_empty());
    assert!(!heard(&t).contains(&"Thank you."));
}

fn parse(text: &str) -> Result<Scenario, String> {
    Scenario::parse(Path::new("s.yaml"), text).map_err(|e| e.to_string())
}

#[test]
fn the_yaml_forms_of_the_steps() {
    let s = parse(
        "flow: x\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - hang_up\n  - hang_up: {after: 3s}\n  - record: {seconds: 20, hang_up: true}\n",
    )
    .expect("parses");
    assert_eq!(
        s.script,
        vec![
            Step::HangUp,
            Step::HangUpAfter(Seconds(3)),
            Step::Record(Record {
                seconds: Seconds(20),
                terminator: None,
                hang_up: true
            })
        ]
    );
    let e = parse(
        "flow: x\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - record: {seconds: 5, terminator: \"#\", hang_up: true}\n",
    )
    .unwrap_err();
    assert!(e.starts_with("s.yaml:4:"), "{e}");
    assert!(e.contains("terminator") && e.contains("hang_up"), "{e}");
    let e = parse("flow: x\ncall: {from: \"+1\", to: \"+2\"}\nscript:\n  - hang_up: {later: 3}\n")
        .unwrap_err();
    assert!(e.starts_with("s.yaml:4:") && e.contains("after"), "{e}");
}
