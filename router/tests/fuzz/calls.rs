//! Calls as PSTN audio would play them, and the proptest strategies that generate them: steps
//! (events, bridges, hang-ups of either leg, repeats) and mutations (garbage `Sequence`,
//! `Status`, `CallId` and tags, missing attributes, bogus tokens, big fields, ...).

use proptest::prelude::*;
use serde_json::{json, Value};

use super::DID;

#[derive(Debug, Clone)]
pub struct Leg {
    pub call_id: String,
    pub tag: &'static str,
    pub to: String,
    pub from: String,
    pub direction: &'static str,
    pub connected: bool,
}

impl Leg {
    fn json(&self, status: bool) -> Value {
        let mut v = json!({"CallId": self.call_id, "ParticipantTag": self.tag, "To": self.to,
            "From": self.from, "Direction": self.direction, "StartTimeInMilliseconds": "1700000000000"});
        if status {
            v["Status"] = if self.connected {
                "Connected"
            } else {
                "Disconnected"
            }
            .into();
        }
        v
    }
}

#[derive(Debug)]
pub struct Call {
    pub tx: String,
    pub seq: u64,
    pub legs: Vec<Leg>,
    pub attributes: Option<Value>,
    pub last: Option<Vec<u8>>,
}

impl Call {
    pub fn new(tx: String, outbound: bool, known: bool) -> Self {
        let number = if known { DID } else { "+19995550000" };
        let (to, from, direction) = if outbound {
            ("+15105550101".to_owned(), number.to_owned(), "Outbound")
        } else {
            (number.to_owned(), "+15105550101".to_owned(), "Inbound")
        };
        let leg_a = Leg {
            call_id: format!(
                "{:.30}-a",
                tx.replace(|c: char| !c.is_ascii_alphanumeric(), "")
            ),
            tag: "LEG-A",
            to,
            from,
            direction,
            connected: true,
        };
        Call {
            tx,
            seq: 0,
            legs: vec![leg_a],
            attributes: None,
            last: None,
        }
    }

    pub fn over(&self) -> bool {
        self.legs.iter().all(|l| !l.connected)
    }

    pub fn event(&mut self, kind: &str, action_data: Option<Value>) -> Value {
        self.seq += 1;
        let status = !matches!(kind, "NEW_INBOUND_CALL" | "NEW_OUTBOUND_CALL" | "RINGING");
        let mut details = json!({"TransactionId": self.tx, "AwsAccountId": "123456789012",
            "AwsRegion": "us-east-1", "SipRuleId": "sip-rule", "SipMediaApplicationId": "sma",
            "Participants": self.legs.iter().map(|l| l.json(status)).collect::<Vec<_>>()});
        if let Some(a) = &self.attributes {
            details["TransactionAttributes"] = a.clone();
        }
        let mut ev = json!({"SchemaVersion": "1.0", "Sequence": self.seq,
            "InvocationEventType": kind, "CallDetails": details});
        if let Some(d) = action_data {
            ev["ActionData"] = d;
        }
        ev
    }

    pub fn hangup_of(&mut self, i: usize) -> Value {
        self.legs[i].connected = false;
        let leg = &self.legs[i];
        let data = json!({"Type": "Hangup", "Parameters": {"CallId": leg.call_id, "ParticipantTag": leg.tag}});
        self.event("HANGUP", Some(data))
    }

    /// What PSTN audio does with an answer: keep its attributes, run its hang-ups (each then
    /// reported by a `HANGUP`).
    pub fn apply(&mut self, answer: &Value) -> Vec<Value> {
        if let Some(a) = answer.get("TransactionAttributes") {
            self.attributes = Some(a.clone());
        }
        let mut follow = Vec::new();
        for action in answer["Actions"].as_array().into_iter().flatten() {
            if action["Type"] != "Hangup" {
                continue;
            }
            let p = &action["Parameters"];
            let i = self.legs.iter().position(|l| {
                p["CallId"].as_str() == Some(l.call_id.as_str())
                    || (p.get("CallId").is_none()
                        && p["ParticipantTag"].as_str().unwrap_or("LEG-A") == l.tag)
            });
            if let Some(i) = i.filter(|&i| self.legs[i].connected) {
                follow.push(self.hangup_of(i));
            }
        }
        follow
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Kind {
    ActionSuccessful,
    ActionFailed,
    DigitsReceived,
    CallAnswered,
    CallUpdateRequested,
    InvalidLambdaResponse,
    ActionInterrupted,
    Ringing,
}

#[derive(Debug, Clone)]
pub enum Mutation {
    NoSequence,
    Sequence(Value),
    Status(Value),
    CallId(Value),
    Tag(Value),
    NoAttributes,
    Token(String),
    EventType(String),
    Participants(usize),
    /// A 64 KiB string in one field (the corpus has the 1 MB ones: slow in a debug build).
    Big(&'static str),
}

#[derive(Debug, Clone)]
pub enum Step {
    Event(Kind),
    Bridge,
    BridgedLegHangsUp,
    CallerHangsUp,
    Repeat,
    Mutated(Kind, Mutation),
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub tx: String,
    pub outbound: bool,
    pub known: bool,
    pub steps: Vec<Step>,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => Just(Kind::ActionSuccessful),
        2 => Just(Kind::ActionFailed),
        2 => Just(Kind::DigitsReceived),
        1 => Just(Kind::CallAnswered),
        1 => Just(Kind::CallUpdateRequested),
        1 => Just(Kind::InvalidLambdaResponse),
        1 => Just(Kind::ActionInterrupted),
        1 => Just(Kind::Ringing),
    ]
}

fn garbage() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(null)),
        Just(json!("")),
        Just(json!("abc")),
        Just(json!(-1)),
        Just(json!(2.5)),
        Just(json!({})),
        Just(json!([1])),
        Just(json!(u64::MAX)),
        Just(json!("99999999999999999999999")),
        "[ -~]{0,12}".prop_map(Value::from),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => Just(Mutation::NoSequence),
        2 => garbage().prop_map(Mutation::Sequence),
        2 => prop_oneof![garbage(), Just(json!("connected")), Just(json!("DISCONNECTED"))]
            .prop_map(Mutation::Status),
        1 => prop_oneof![garbage(), Just(json!("x".repeat(300)))].prop_map(Mutation::CallId),
        1 => prop_oneof![garbage(), Just(json!("LEG-C")), Just(json!("leg-b"))].prop_map(Mutation::Tag),
        2 => Just(Mutation::NoAttributes),
        2 => prop_oneof![Just(String::new()), "[a-z.0-9]{1,20}"].prop_map(Mutation::Token),
        1 => prop_oneof![Just("NEW_FAX".to_owned()), Just("hangup".to_owned()), Just(String::new())]
            .prop_map(Mutation::EventType),
        1 => prop_oneof![Just(0usize), Just(3usize)].prop_map(Mutation::Participants),
        1 => prop_oneof![
            Just("TransactionId"),
            Just("ErrorMessage"),
            Just("WaitToken"),
            Just("InvocationEventType"),
            Just("CallId"),
        ]
        .prop_map(Mutation::Big),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => kind().prop_map(Step::Event),
        2 => Just(Step::Bridge),
        2 => Just(Step::BridgedLegHangsUp),
        2 => Just(Step::CallerHangsUp),
        2 => Just(Step::Repeat),
        3 => (kind(), mutation()).prop_map(|(k, m)| Step::Mutated(k, m)),
    ]
}

fn transaction_id() -> impl Strategy<Value = String> {
    let shared = "5f0c9d1e-shared-prefix-".repeat(4);
    prop_oneof![
        6 => any::<u128>().prop_map(|n| {
            let h = format!("{n:032x}");
            format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
        }),
        1 => any::<u32>().prop_map(move |n| format!("{shared}{n}")),
        1 => "[ -~é☎]{1,40}",
    ]
}

pub fn plan() -> impl Strategy<Value = Plan> {
    (
        transaction_id(),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.93),
        prop::collection::vec(step(), 0..10),
    )
        .prop_map(|(tx, outbound, known, steps)| Plan {
            tx,
            outbound,
            known,
            steps,
        })
}

pub fn action_data(kind: Kind, call: &Call) -> (&'static str, Option<Value>) {
    let a = &call.legs[0].call_id;
    match kind {
        Kind::ActionSuccessful => (
            "ACTION_SUCCESSFUL",
            Some(json!({"Type": "Pause",
            "Parameters": {"ParticipantTag": "LEG-A", "DurationInMilliseconds": "100"}})),
        ),
        Kind::ActionFailed => (
            "ACTION_FAILED",
            Some(json!({"Type": "PlayAudio",
            "Parameters": {"CallId": a, "AudioSource": {"Type": "S3", "BucketName": "b", "Key": "k.wav"}},
            "ErrorType": "InvalidAudioSource", "ErrorMessage": "Audio Source parameter value is invalid."})),
        ),
        Kind::DigitsReceived => (
            "DIGITS_RECEIVED",
            Some(json!({"Type": "ReceiveDigits",
            "ReceivedDigits": "1#", "Parameters": {"CallId": a, "InputDigitsRegex": "^\\d#$"}})),
        ),
        Kind::CallAnswered => ("CALL_ANSWERED", None),
        Kind::CallUpdateRequested => (
            "CALL_UPDATE_REQUESTED",
            Some(json!({"Type": "CallUpdateRequest",
            "Parameters": {"Arguments": {"k": "v"}}})),
        ),
        Kind::InvalidLambdaResponse => ("INVALID_LAMBDA_RESPONSE", None),
        Kind::ActionInterrupted => (
            "ACTION_INTERRUPTED",
            Some(json!({"Type": "Pause",
            "Parameters": {"ParticipantTag": "LEG-A", "DurationInMilliseconds": "100"}})),
        ),
        Kind::Ringing => ("RINGING", None),
    }
}

pub fn mutate(ev: &mut Value, m: &Mutation) {
    let leg = |ev: &mut Value| ev["CallDetails"]["Participants"][0].take();
    match m {
        Mutation::NoSequence => {
            ev.as_object_mut().map(|o| o.remove("Sequence"));
        }
        Mutation::Sequence(v) => ev["Sequence"] = v.clone(),
        Mutation::Status(v) => ev["CallDetails"]["Participants"][0]["Status"] = v.clone(),
        Mutation::CallId(v) => ev["CallDetails"]["Participants"][0]["CallId"] = v.clone(),
        Mutation::Tag(v) => ev["CallDetails"]["Participants"][0]["ParticipantTag"] = v.clone(),
        Mutation::NoAttributes => {
            ev["CallDetails"]
                .as_object_mut()
                .map(|o| o.remove("TransactionAttributes"));
        }
        Mutation::Token(t) => {
            ev["CallDetails"]["TransactionAttributes"]["WaitToken"] = t.as_str().into()
        }
        Mutation::EventType(t) => ev["InvocationEventType"] = t.as_str().into(),
        Mutation::Participants(n) => {
            let first = leg(ev);
            ev["CallDetails"]["Participants"] = Value::Array(vec![first; *n]);
        }
        Mutation::Big(field) => {
            let big = Value::from("B".repeat(64 << 10));
            match *field {
                "TransactionId" => ev["CallDetails"]["TransactionId"] = big,
                "ErrorMessage" => ev["ErrorMessage"] = big,
                "WaitToken" => ev["CallDetails"]["TransactionAttributes"]["WaitToken"] = big,
                "InvocationEventType" => ev["InvocationEventType"] = big,
                _ => ev["CallDetails"]["Participants"][0]["CallId"] = big,
            }
        }
    }
}
