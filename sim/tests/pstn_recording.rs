//! Call recording as the PSTN audio guide documents it: `StartCallRecording` gives the
//! object's location at once; the object is delivered when `StopCallRecording` runs or the call
//! ends, as long as the time recorded; a stopped recording cannot start again. And the message
//! a caller leaves while a call recording runs and a `RecordAudio` listens (the sequence the
//! message-taking primitive sends).

mod support;

use std::sync::Arc;

use serde_json::{json, Value};
use support::{chain, machine, speak, LEG_A};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::pstn::{
    CallSpec, Entry, Record, Seconds, Setup, SimQueue, Simulator, Step, Transcript,
};
use switchboard_sim::services::Services;

const FLOW_NUMBER: &str = "+12065550100";
/// 2025-01-04T14:13:20Z.
const START: i64 = 1_736_000_000_000;

/// A flow sending `responses` in turn; the first one's result is assigned to `$first`; on
/// ACTION_FAILED it stores the error in `$failed` and ends.
fn flow(responses: Vec<Value>) -> Arc<StateMachine> {
    let catch = json!([{"ErrorEquals": ["ACTION_FAILED"], "Next": "Done",
                        "Assign": {"failed": "{% $states.errorOutput.Cause %}"}},
                       {"ErrorEquals": ["States.ALL"], "Next": "Done"}]);
    let mut states = chain(responses, catch);
    states["R0"]["Assign"] = json!({"first": "{% $states.result.ActionData %}"});
    machine("R0", Value::Object(states))
}

fn beep() -> Value {
    json!({"Type": "PlayAudio", "Parameters": {"CallId": LEG_A,
        "AudioSource": {"Type": "S3", "BucketName": "acme", "Key": "prompts/beep.wav"}}})
}

fn start_recording(location: &str) -> Value {
    json!({"Type": "StartCallRecording", "Parameters": {"CallId": LEG_A, "Track": "INCOMING",
        "Destination": {"Type": "S3", "Location": location}}})
}

fn control(kind: &str) -> Value {
    json!({"Type": kind, "Parameters": {"CallId": LEG_A}})
}

fn record_audio() -> Value {
    json!({"Type": "RecordAudio", "Parameters": {"CallId": LEG_A, "DurationInSeconds": 120,
        "SilenceDurationInSeconds": 3, "RecordingTerminators": ["#"],
        "RecordingDestination": {"Type": "S3", "BucketName": "acme", "Prefix": "scratch/"}}})
}

fn hangup() -> Value {
    json!({"Type": "Hangup", "Parameters": {"CallId": LEG_A, "SipResponseCode": "0"}})
}

fn simulator(responses: Vec<Value>) -> Simulator {
    let mut services = Services::new();
    services.s3.create_bucket("acme");
    services
        .s3
        .put("acme", "prompts/beep.wav", Vec::new())
        .expect("bucket exists");
    let setup = Setup {
        name: "messages".into(),
        machine: flow(responses),
        numbers: vec![FLOW_NUMBER.into()],
        services,
        clock: Clock::new(START, 1),
        tz: chrono_tz::UTC,
    };
    let mut sim = Simulator::new(setup, SimQueue::new()).expect("simulator starts");
    sim.set_audio_length("acme", "prompts/beep.wav", 1000);
    sim
}

/// What the message-taking primitive sends: [prompt, beep, StartCallRecording] as one
/// response, [RecordAudio] as the next, then [StopCallRecording, thanks, Hangup].
fn take_message() -> Vec<Value> {
    vec![
        json!([
            speak("Leave a message after the tone."),
            beep(),
            start_recording("acme/messages")
        ]),
        json!([record_audio()]),
        json!([control("StopCallRecording"), speak("Thank you."), hangup()]),
    ]
}

fn first(t: &Transcript) -> Value {
    t.executions[0].variables["first"].clone()
}

/// The documented key: prefix/year/month/date/year-month-date-hour-minute-second-ms_transaction_call.wav.
fn key_of(t: &Transcript) -> String {
    let location = first(t)["CallRecordingDestination"]["Location"]
        .as_str()
        .expect("a CallRecordingDestination location")
        .to_string();
    let key = location
        .strip_prefix("acme/")
        .expect("bucket first")
        .to_string();
    let call_id = &t.executions[0].name;
    assert!(
        key.starts_with("messages/2025/01/04/2025-01-04-14-13-20-000_"),
        "{key}"
    );
    assert!(
        key.ends_with(&format!("{call_id}-leg-a.wav")),
        "{key} vs {call_id}"
    );
    key
}

#[test]
fn the_caller_presses_pound_the_recording_is_delivered_at_stop_as_long_as_it_recorded() {
    let mut sim = simulator(take_message());
    let t = sim
        .run(
            CallSpec::inbound("+15105550101", FLOW_NUMBER),
            vec![Step::Record(Record {
                seconds: Seconds(20),
                terminator: Some("#".into()),
                hang_up: false,
            })],
        )
        .clone();
    assert!(t.problems.is_empty(), "{:?}\n{t}", t.problems);
    let key = key_of(&t);
    // 20 s of talk between the start and the stop; the scratch RecordAudio is saved too.
    assert_eq!(sim.object_ms("acme", &key), Some(20_000), "{t}");
    assert_eq!(sim.world().services().s3.list("acme", "scratch/").len(), 1);
    assert!(t.heard().any(|h| h == "Thank you."));
}

/// The caller talks 20 s and hangs up mid-message: RecordAudio saves nothing, the call
/// recording is delivered when the call ends, 20 s long, at the key known since it started.
#[test]
fn the_caller_hangs_up_mid_message_the_call_recording_is_still_delivered() {
    let mut sim = simulator(take_message());
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
    let key = key_of(&t);
    assert_eq!(sim.object_ms("acme", &key), Some(20_000), "{t}");
    assert!(sim
        .world()
        .services()
        .s3
        .list("acme", "scratch/")
        .is_empty());
    assert_eq!(t.recordings, vec![format!("s3://acme/{key}")]);
}

/// Nothing is written before the recording stops: the object is not there while it runs.
#[test]
fn no_object_before_the_recording_stops() {
    let mut sim = simulator(vec![
        json!([start_recording("acme")]),
        json!([speak("Say something."), hangup()]),
    ]);
    let t = sim
        .run(CallSpec::inbound("+15105550101", FLOW_NUMBER), vec![])
        .clone();
    let location = first(&t)["CallRecordingDestination"]["Location"]
        .as_str()
        .unwrap()
        .to_string();
    // A bucket alone: the default prefix.
    assert!(
        location.starts_with("acme/Amazon-Chime-SMA-Call-Recordings/2025/01/04/"),
        "{location}"
    );
    let saved_at = t.entries.iter().find_map(|e| match e {
        Entry::Note { text, at_ms, .. } if text.starts_with("call recording saved") => Some(*at_ms),
        _ => None,
    });
    let hung_up_at = t.entries.iter().find_map(|e| match e {
        Entry::HungUp { at_ms, .. } => Some(*at_ms),
        _ => None,
    });
    assert!(saved_at.is_some() && saved_at == hung_up_at, "{t}");
}

#[test]
fn a_stopped_recording_cannot_start_again_and_pause_changes_nothing() {
    let mut sim = simulator(vec![
        json!([
            start_recording("acme/calls"),
            control("PauseCallRecording"),
            speak("one two three four five"),
            control("ResumeCallRecording"),
            control("StopCallRecording")
        ]),
        json!([start_recording("acme/calls")]),
        json!([hangup()]),
    ]);
    let t = sim
        .run(CallSpec::inbound("+15105550101", FLOW_NUMBER), vec![])
        .clone();
    let failed = t.executions[0].variables["failed"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(failed.contains("InvalidActionParameter"), "{failed}\n{t}");
    // ACTION_SUCCESSFUL carries the last action's data (StopCallRecording's): find the object.
    let keys = sim.world().services().s3.list("acme", "calls/");
    assert_eq!(keys.len(), 1, "{t}");
    let key = keys[0].clone();
    // Five words, 2 s, recorded paused or not.
    assert_eq!(sim.object_ms("acme", &key), Some(2_000), "{t}");
    let results: Vec<(&str, &str)> = t
        .actions()
        .filter(|a| a.0.ends_with("CallRecording"))
        .map(|a| (a.0, a.2))
        .collect();
    assert_eq!(
        results,
        vec![
            ("StartCallRecording", "recording"),
            ("PauseCallRecording", "ok"),
            ("ResumeCallRecording", "ok"),
            ("StopCallRecording", "ok"),
            ("StartCallRecording", "refused"),
        ]
    );
}

#[test]
fn a_missing_bucket_fails_the_start() {
    let mut sim = simulator(vec![
        json!([start_recording("no-such-bucket/calls")]),
        json!([hangup()]),
    ]);
    let t = sim
        .run(CallSpec::inbound("+15105550101", FLOW_NUMBER), vec![])
        .clone();
    let failed = t.executions[0].variables["failed"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(failed.contains("NoAccessToDestination"), "{failed}\n{t}");
    assert!(t.recordings.is_empty());
}
