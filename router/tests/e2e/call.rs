//! The PSTN audio side of a call, for the end-to-end tests: invocation events built from one
//! template (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>), sent
//! through the real router, and its answers parsed with the typed PSTN audio model and
//! validated as the service would.
//!
//! A call is scripted as [`Turn`]s: what the caller (or the network) does in reply to the last
//! answer, and the actions the next answer must hold, written `"Type"` or `"Type: text"` (see
//! [`render`] and [`matches`]).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};
use switchboard::pstn::{Action, Response};
use switchboard::wire::{self, event as ev, LEG_A};
use switchboard_router::Severity;

use super::moto::{unique, Env};

/// What happens next on the phone, in reply to the last answer.
#[derive(Debug, Clone, Copy)]
pub enum Caller {
    /// The call arrives: `NEW_INBOUND_CALL`.
    Dials,
    /// Every action of the last answer ran: `ACTION_SUCCESSFUL` with the last action's data;
    /// after a `Hangup` action, the `HANGUP` that ends the call.
    Listens,
    /// Keys digits at the last answer's digit prompt (without the terminator, as PSTN audio
    /// reports them).
    Presses(&'static str),
    /// Leaves a message at the last answer's `RecordAudio`, ended with `#`; PSTN audio stores it
    /// under the action's prefix and reports the key. The key is the `{recording}` placeholder
    /// from then on.
    Records,
    /// Nobody answers the last answer's `CallAndBridge`: `ACTION_FAILED`, `CallNotAnswered`
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>).
    NobodyAnswers,
    /// The caller hangs up: `HANGUP` of LEG-A.
    HangsUp,
}

/// One exchange: what the phone does, and the actions the router answers with.
#[derive(Debug)]
pub struct Turn {
    pub caller: Caller,
    pub hears: &'static [&'static str],
}

/// Values scripts refer to as `{name}`: `{caller}` (this call's number), `{customer}` (a number
/// unique to the test), `{recording}` (the key of the last message recorded).
pub type Vars = BTreeMap<&'static str, String>;

/// Replaces every `{name}` of `vars` in `text`.
pub fn resolve(text: &str, vars: &Vars) -> String {
    vars.iter().fold(text.to_owned(), |t, (k, v)| {
        t.replace(&format!("{{{k}}}"), v)
    })
}

/// One call as PSTN audio keeps it.
pub struct Phone<'a> {
    env: &'a Env,
    pub tx: String,
    seq: u64,
    attrs: Value,
    pub legs: Vec<Value>,
    /// The actions of the last answer, as sent (their `Parameters` go back in `ActionData`)
    /// and typed.
    last: Vec<Value>,
    last_typed: Vec<Action>,
    /// The call's queue, from the first answer's `TransactionAttributes`.
    pub queue_url: Option<String>,
    /// Incidents of severity `Error` the router reported during the call.
    pub errors: Vec<String>,
}

impl<'a> Phone<'a> {
    /// A call from `from` to `to`, not yet placed.
    pub fn new(env: &'a Env, from: &str, to: &str) -> Self {
        Phone {
            env,
            tx: format!("tx-{}", unique()),
            seq: 0,
            attrs: json!({}),
            legs: vec![
                json!({"CallId": "call-a", "ParticipantTag": LEG_A, "To": to,
                "From": from, "Direction": "Inbound", "Status": "Connected"}),
            ],
            last: Vec::new(),
            last_typed: Vec::new(),
            queue_url: None,
            errors: Vec::new(),
        }
    }

    fn event(&mut self, kind: &str, action_data: Option<Value>) -> Value {
        self.seq += 1;
        let mut event = json!({"SchemaVersion": wire::SCHEMA_VERSION, "Sequence": self.seq,
            "InvocationEventType": kind,
            "CallDetails": {"TransactionId": self.tx, "AwsAccountId": super::moto::ACCOUNT,
                "AwsRegion": "us-east-1", "SipMediaApplicationId": "sma",
                "Participants": self.legs, "TransactionAttributes": self.attrs}});
        if let Some(a) = action_data {
            event["ActionData"] = a;
        }
        event
    }

    /// Sends one event through the router as PSTN audio would, checks the answer is a valid
    /// response (in time, parses, within every action's documented limits) and keeps its
    /// attributes for the next event.
    pub async fn send(&mut self, kind: &str, action_data: Option<Value>) -> Value {
        self.send_typed(kind, action_data).await.0
    }

    async fn send_typed(&mut self, kind: &str, action_data: Option<Value>) -> (Value, Response) {
        let event = self.event(kind, action_data);
        let started = Instant::now();
        let budget = self.env.router.config().response_budget;
        let reply = self.env.router.handle(&event, started + budget).await;
        let took = started.elapsed();
        eprintln!(
            "{kind} -> {} in {took:?} {:?}",
            reply.response["Actions"], reply.incidents
        );
        assert!(
            took < budget + Duration::from_millis(2500),
            "{kind} answered after {took:?}"
        );
        self.errors.extend(
            reply
                .incidents
                .iter()
                .filter(|i| i.severity == Severity::Error)
                .map(|i| format!("{}: {}", i.kind, i.detail)),
        );
        let parsed = Response::deserialize(&reply.response).unwrap_or_else(|e| {
            panic!(
                "{kind}: the answer does not parse ({e}): {:#}",
                reply.response
            )
        });
        if let Err(errors) = parsed.validate() {
            panic!(
                "{kind}: PSTN audio would reject the answer: {errors:?}\n{:#}",
                reply.response
            );
        }
        if let Some(a) = &parsed.transaction_attributes {
            self.attrs = Value::Object(a.clone());
            if let Some(q) = a.get(wire::ATTR_QUEUE_URL).and_then(Value::as_str) {
                self.queue_url.get_or_insert_with(|| q.to_owned());
            }
        }
        (reply.response, parsed)
    }

    /// Plays `caller` against the last answer and returns the next answer's actions, after any
    /// keep-alive `Pause`s the router sent while the workflow was busy (each answered as
    /// PSTN audio does, with `ACTION_SUCCESSFUL`).
    pub async fn act(&mut self, caller: Caller, vars: &mut Vars) -> &[Action] {
        let (kind, data) = self.next_event(caller, vars);
        let (mut response, mut parsed) = self.send_typed(kind, data).await;
        for _ in 0..10 {
            if !is_keep_alive(&response) {
                break;
            }
            let pause =
                json!({"Type": "Pause", "Parameters": response["Actions"][0]["Parameters"]});
            (response, parsed) = self.send_typed(ev::ACTION_SUCCESSFUL, Some(pause)).await;
        }
        self.last = response["Actions"].as_array().cloned().unwrap_or_default();
        self.last_typed = parsed.actions;
        &self.last_typed
    }

    /// The event PSTN audio sends when `caller` happens after the last answer.
    fn next_event(&mut self, caller: Caller, vars: &mut Vars) -> (&'static str, Option<Value>) {
        let last = self.last.last().cloned().unwrap_or(Value::Null);
        let data = |extra: Value| {
            let mut d = json!({"Type": last["Type"], "Parameters": last["Parameters"]});
            d.as_object_mut()
                .unwrap()
                .extend(extra.as_object().cloned().unwrap_or_default());
            Some(d)
        };
        match (caller, self.last_typed.last()) {
            (Caller::Dials, _) => (ev::NEW_INBOUND_CALL, None),
            (Caller::Listens, Some(Action::Hangup(_))) => {
                self.legs[0]["Status"] = "Disconnected".into();
                (ev::HANGUP, data(json!({})))
            }
            // The call recording starts: PSTN audio reports where it will be delivered
            // (https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html).
            (Caller::Listens, Some(Action::StartCallRecording(r))) => {
                let location = format!(
                    "{}/{}.wav",
                    r.destination.location.trim_end_matches('/'),
                    self.tx
                );
                let key = location.split_once('/').map_or("", |(_, k)| k).to_owned();
                vars.insert("recording", key);
                let dest = json!({"Type": "S3", "Location": location});
                (
                    ev::ACTION_SUCCESSFUL,
                    data(json!({ "CallRecordingDestination": dest })),
                )
            }
            (Caller::Listens, _) => (ev::ACTION_SUCCESSFUL, data(json!({}))),
            // The caller presses # into take_message's RecordAudio; StopCallRecording, the last
            // action of that response, reports.
            (Caller::Records, Some(Action::StopCallRecording(_))) => {
                (ev::ACTION_SUCCESSFUL, data(json!({})))
            }
            (Caller::Presses(digits), Some(Action::SpeakAndGetDigits(_))) => (
                ev::ACTION_SUCCESSFUL,
                data(json!({"ReceivedDigits": digits})),
            ),
            (Caller::Records, Some(Action::RecordAudio(r))) => {
                let dest = &r.recording_destination;
                let key = format!("{}{}.wav", dest.prefix.as_deref().unwrap_or(""), self.tx);
                vars.insert("recording", key.clone());
                let stored = json!({"Type": "S3", "BucketName": dest.bucket_name, "Key": key});
                (
                    ev::ACTION_SUCCESSFUL,
                    data(json!({"RecordingDestination": stored, "RecordingTerminatorUsed": "#"})),
                )
            }
            (Caller::NobodyAnswers, Some(Action::CallAndBridge(_))) => (
                ev::ACTION_FAILED,
                data(json!({"ErrorType": "CallNotAnswered", "ErrorMessage": "Call not answered"})),
            ),
            (Caller::HangsUp, _) => {
                self.legs[0]["Status"] = "Disconnected".into();
                let hangup = json!({"Type": "Hangup", "Parameters": {"SipResponseCode": "0",
                    "CallId": "call-a", "ParticipantTag": LEG_A}});
                (ev::HANGUP, Some(hangup))
            }
            (_, last) => panic!(
                "{caller:?} does not fit the answer, which ends with {:?}",
                last.map(Action::type_name)
            ),
        }
    }
}

/// The router's keep-alive: a lone `Pause` with no task token to complete.
pub fn is_keep_alive(response: &Value) -> bool {
    let actions = response["Actions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    matches!(actions, [a] if a["Type"] == "Pause")
        && response["TransactionAttributes"]
            .get(wire::ATTR_WAIT_TOKEN)
            .is_none()
}

/// An action as a script line: `Speak: <text>`, `SpeakAndGetDigits: <prompt>`,
/// `PlayAudio: s3://bucket/key`, `RecordAudio: s3://bucket/prefix`,
/// `StartCallRecording: s3://bucket/prefix`, `CallAndBridge: <number>`,
/// else the type alone (`Hangup`).
pub fn render(action: &Action) -> String {
    let s3 = |bucket: &str, key: &str| format!("s3://{bucket}/{key}");
    let detail = match action {
        Action::Speak(a) => Some(a.speech.text.clone()),
        Action::SpeakAndGetDigits(a) => Some(a.speech_parameters.text.clone()),
        Action::PlayAudio(a) => Some(s3(&a.audio_source.bucket_name, &a.audio_source.key)),
        Action::PlayAudioAndGetDigits(a) => {
            Some(s3(&a.audio_source.bucket_name, &a.audio_source.key))
        }
        Action::RecordAudio(a) => {
            let dest = &a.recording_destination;
            Some(s3(&dest.bucket_name, dest.prefix.as_deref().unwrap_or("")))
        }
        Action::CallAndBridge(a) => a.endpoints.first().map(|e| e.uri.clone()),
        Action::StartCallRecording(a) => Some(format!("s3://{}", a.destination.location)),
        _ => None,
    };
    match detail {
        Some(d) => format!("{}: {d}", action.type_name()),
        None => action.type_name().to_owned(),
    }
}

/// Whether a rendered action meets a script line: the same type and, when the line has text
/// after `: `, each of its `…`-separated fragments in order.
pub fn matches(line: &str, rendered: &str) -> bool {
    let (want_kind, want_text) = line.split_once(": ").unwrap_or((line, ""));
    let (kind, text) = rendered.split_once(": ").unwrap_or((rendered, ""));
    if want_kind != kind {
        return false;
    }
    let mut rest = text;
    want_text
        .split('…')
        .all(|fragment| match rest.find(fragment) {
            Some(at) => {
                rest = &rest[at + fragment.len()..];
                true
            }
            None => false,
        })
}

#[test]
fn script_lines_match_by_type_and_fragments_in_order() {
    let said = "Speak: New message 1 of 3, from +15550001, received Tuesday";
    assert!(matches("Speak", said));
    assert!(matches("Speak: New message 1 of…+15550001…Tuesday", said));
    assert!(!matches("Speak: Tuesday…New message", said), "order counts");
    assert!(
        !matches("SpeakAndGetDigits: New message", said),
        "type counts"
    );
    assert!(!matches("Speak: Wednesday", said));
    assert!(matches("Hangup", "Hangup"));
}
