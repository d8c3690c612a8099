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
use switchboard::pstn::Response;
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
    /// The actions of the last answer.
    last: Vec<Value>,
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
        if let Some(a) = reply.response.get("TransactionAttributes") {
            self.attrs = a.clone();
            if let Some(q) = a.get(wire::ATTR_QUEUE_URL).and_then(Value::as_str) {
                self.queue_url.get_or_insert_with(|| q.to_owned());
            }
        }
        reply.response
    }

    /// Plays `caller` against the last answer and returns the next answer's actions, after any
    /// keep-alive `Pause`s the router sent while the workflow was busy (each answered as
    /// PSTN audio does, with `ACTION_SUCCESSFUL`).
    pub async fn act(&mut self, caller: Caller, vars: &mut Vars) -> Vec<Value> {
        let (kind, data) = self.next_event(caller, vars);
        let mut response = self.send(kind, data).await;
        for _ in 0..10 {
            if !is_keep_alive(&response) {
                break;
            }
            let pause =
                json!({"Type": "Pause", "Parameters": response["Actions"][0]["Parameters"]});
            response = self.send(ev::ACTION_SUCCESSFUL, Some(pause)).await;
        }
        self.last = response["Actions"].as_array().cloned().unwrap_or_default();
        self.last.clone()
    }

    /// The event PSTN audio sends when `caller` happens after the last answer.
    fn next_event(&mut self, caller: Caller, vars: &mut Vars) -> (&'static str, Option<Value>) {
        let last = self.last.last().cloned().unwrap_or(Value::Null);
        let kind = last["Type"].as_str().unwrap_or("").to_owned();
        let data = |extra: Value| {
            let mut d = json!({"Type": kind, "Parameters": last["Parameters"]});
            d.as_object_mut()
                .unwrap()
                .extend(extra.as_object().cloned().unwrap_or_default());
            Some(d)
        };
        let expect = |wanted: &str| {
            assert_eq!(
                kind,
                wanted,
                "{caller:?} needs a {wanted} last in the answer: {:#}",
                Value::from(self.last.clone())
            );
        };
        match caller {
            Caller::Dials => (ev::NEW_INBOUND_CALL, None),
            Caller::Listens if kind == "Hangup" => {
                self.legs[0]["Status"] = "Disconnected".into();
                (ev::HANGUP, data(json!({})))
            }
            Caller::Listens => (ev::ACTION_SUCCESSFUL, data(json!({}))),
            Caller::Presses(digits) => {
                expect("SpeakAndGetDigits");
                (
                    ev::ACTION_SUCCESSFUL,
                    data(json!({"ReceivedDigits": digits})),
                )
            }
            Caller::Records => {
                expect("RecordAudio");
                let dest = &last["Parameters"]["RecordingDestination"];
                let key = format!("{}{}.wav", dest["Prefix"].as_str().unwrap_or(""), self.tx);
                vars.insert("recording", key.clone());
                let stored = json!({"Type": "S3", "BucketName": dest["BucketName"], "Key": key});
                (
                    ev::ACTION_SUCCESSFUL,
                    data(json!({"RecordingDestination": stored, "RecordingTerminatorUsed": "#"})),
                )
            }
            Caller::NobodyAnswers => {
                expect("CallAndBridge");
                (
                    ev::ACTION_FAILED,
                    data(
                        json!({"ErrorType": "CallNotAnswered", "ErrorMessage": "Call not answered"}),
                    ),
                )
            }
            Caller::HangsUp => {
                self.legs[0]["Status"] = "Disconnected".into();
                let hangup = json!({"Type": "Hangup", "Parameters": {"SipResponseCode": "0",
                    "CallId": "call-a", "ParticipantTag": LEG_A}});
                (ev::HANGUP, Some(hangup))
            }
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
/// `PlayAudio: s3://bucket/key`, `RecordAudio: s3://bucket/prefix`, `CallAndBridge: <number>`,
/// `Hangup`, else the type alone.
pub fn render(action: &Value) -> String {
    let p = &action["Parameters"];
    let kind = action["Type"].as_str().unwrap_or("?");
    let s3 = |v: &Value, key: &str| {
        format!(
            "s3://{}/{}",
            v["BucketName"].as_str().unwrap_or(""),
            v[key].as_str().unwrap_or("")
        )
    };
    let detail = match kind {
        "Speak" => p["Text"].as_str().map(str::to_owned),
        "SpeakAndGetDigits" => p["SpeechParameters"]["Text"].as_str().map(str::to_owned),
        "PlayAudio" | "PlayAudioAndGetDigits" => Some(s3(&p["AudioSource"], "Key")),
        "RecordAudio" => Some(s3(&p["RecordingDestination"], "Prefix")),
        "CallAndBridge" => p["Endpoints"][0]["Uri"].as_str().map(str::to_owned),
        _ => None,
    };
    match detail {
        Some(d) => format!("{kind}: {d}"),
        None => kind.to_owned(),
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
