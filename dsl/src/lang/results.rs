//! The call handle and the results of actions and service calls.

use super::val::Val;
use crate::ir::{Expr, Kind};

fn field(var: &str, path: &[&str], kind: Kind) -> Val {
    let mut e = Expr::var(var);
    for p in path {
        e = e.field(*p);
    }
    Val::new(e, kind)
}

/// The call a flow handles, read from the event that started the execution.
///
/// `from`/`to` are the calling and dialled numbers of the first participant (LEG-A);
/// `arguments` are the `Arguments` of an outbound call (`CreateSipMediaApplicationCall`).
#[derive(Clone, Copy, Debug)]
pub struct Call {
    pub from: Val,
    pub to: Val,
    /// `"Inbound"` or `"Outbound"`.
    pub direction: Val,
    pub call_id: Val,
    pub transaction_id: Val,
    pub sip_media_application_id: Val,
    /// Arguments of an outbound call (JSON object of strings).
    pub arguments: Val,
}

impl Call {
    /// The flow variable holding the call, assigned by the compiler's first state.
    pub const VAR: &'static str = "call";
    /// Each field of the `call` variable and where it is read from in the execution input.
    pub const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("From", "Event.CallDetails.Participants[0].From"),
        ("To", "Event.CallDetails.Participants[0].To"),
        ("Direction", "Event.CallDetails.Participants[0].Direction"),
        ("CallId", "Event.CallDetails.Participants[0].CallId"),
        ("TransactionId", "Event.CallDetails.TransactionId"),
        (
            "SipMediaApplicationId",
            "Event.CallDetails.SipMediaApplicationId",
        ),
        ("Arguments", "Event.ActionData.Parameters.Arguments"),
    ];

    pub(crate) fn entry() -> Call {
        let f = |name: &str, kind| field(Self::VAR, &[name], kind);
        Call {
            from: f("From", Kind::Str),
            to: f("To", Kind::Str),
            direction: f("Direction", Kind::Str),
            call_id: f("CallId", Kind::Str),
            transaction_id: f("TransactionId", Kind::Str),
            sip_media_application_id: f("SipMediaApplicationId", Kind::Str),
            arguments: f("Arguments", Kind::Any),
        }
    }

    /// Whether the call came in (`Direction == "Inbound"`).
    pub fn is_inbound(&self) -> Val {
        super::val::ops::eq(self.direction, "Inbound")
    }
    /// An argument of an outbound call, as a string.
    pub fn argument(&self, name: &str) -> Val {
        Val::new(self.arguments.expr().field(name), Kind::Str)
    }
}

/// A failure caught by an `Err(e)` arm: Step Functions' `{ Error, Cause }`.
#[derive(Clone, Copy, Debug)]
pub struct Failure {
    /// The error name (`ACTION_FAILED`, `States.Timeout`, `States.TaskFailed`, …).
    pub error: Val,
    /// The human-readable cause.
    pub cause: Val,
}

impl Failure {
    pub(crate) fn from_var(var: &str) -> Failure {
        Failure {
            error: field(var, &["Error"], Kind::Str),
            cause: field(var, &["Cause"], Kind::Str),
        }
    }
}

/// How a result type is read back from its variable.
pub trait FromVar {
    fn from_var(var: &str) -> Self;
}

/// The result of an action that reports nothing worth keeping.
#[derive(Clone, Copy, Debug)]
pub struct Done;
impl FromVar for Done {
    fn from_var(_: &str) -> Self {
        Done
    }
}

/// Digits the caller entered (`ActionData.ReceivedDigits`).
#[derive(Clone, Copy, Debug)]
pub struct Digits {
    pub digits: Val,
}
impl FromVar for Digits {
    fn from_var(var: &str) -> Self {
        Digits {
            digits: field(var, &["digits"], Kind::Str),
        }
    }
}

/// A recording PSTN audio wrote to S3 (`ActionData.RecordingDestination`).
#[derive(Clone, Copy, Debug)]
pub struct Recording {
    pub bucket: Val,
    pub key: Val,
}
impl FromVar for Recording {
    fn from_var(var: &str) -> Self {
        Recording {
            bucket: field(var, &["bucket"], Kind::Str),
            key: field(var, &["key"], Kind::Str),
        }
    }
}

/// A call recording that has started (`ActionData.CallRecordingDestination` of
/// `StartCallRecording`'s `ACTION_SUCCESSFUL`): `location` is the bucket and key it will be
/// delivered to when it stops or the call ends.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>
#[derive(Clone, Copy, Debug)]
pub struct CallRecording {
    pub location: Val,
}
impl FromVar for CallRecording {
    fn from_var(var: &str) -> Self {
        CallRecording {
            location: field(var, &["location"], Kind::Str),
        }
    }
}

/// A message left with [`super::message::take_message`]: where it is in S3 and how long the
/// caller spoke (seconds, measured by the flow from the recording's start to its end).
#[derive(Clone, Copy, Debug)]
pub struct Message {
    pub bucket: Val,
    pub key: Val,
    pub seconds: Val,
}
impl FromVar for Message {
    fn from_var(var: &str) -> Self {
        Message {
            bucket: field(var, &["bucket"], Kind::Str),
            key: field(var, &["key"], Kind::Str),
            seconds: field(var, &["seconds"], Kind::Num),
        }
    }
}

/// Any JSON result (bot conversations, service calls).
impl FromVar for Val {
    fn from_var(var: &str) -> Self {
        Val::new(Expr::var(var), Kind::Any)
    }
}

/// An item read by `get_item` (`Item` of DynamoDB's `GetItem`, in attribute-value format).
#[derive(Clone, Copy, Debug)]
pub struct Item {
    /// The raw item (absent when no item matched the key).
    pub item: Val,
}
impl FromVar for Item {
    fn from_var(var: &str) -> Self {
        Item {
            item: field(var, &["Item"], Kind::Any),
        }
    }
}
impl Item {
    /// Whether an item matched the key.
    pub fn found(&self) -> Val {
        self.item.exists()
    }
    /// A string attribute (`Item.<name>.S`).
    pub fn s(&self, name: &str) -> Val {
        Val::new(self.item.expr().field(name).field("S"), Kind::Str)
    }
    /// A number attribute (`$number(Item.<name>.N)`).
    pub fn n(&self, name: &str) -> Val {
        Val::new(self.item.expr().field(name).field("N"), Kind::Str).to_number()
    }
    /// A boolean attribute (`Item.<name>.BOOL`).
    pub fn bool(&self, name: &str) -> Val {
        Val::new(self.item.expr().field(name).field("BOOL"), Kind::Bool)
    }
}

/// Items read by `query` (`Items` and `Count` of DynamoDB's `Query`).
#[derive(Clone, Copy, Debug)]
pub struct Items {
    pub count: Val,
    items: Val,
}
impl FromVar for Items {
    fn from_var(var: &str) -> Self {
        Items {
            count: field(var, &["Count"], Kind::Num),
            items: field(var, &["Items"], Kind::Any),
        }
    }
}
impl Items {
    /// The item at `index` (0-based; a runtime value is allowed).
    pub fn at(&self, index: impl super::val::ToVal) -> Item {
        let e = Expr::Index(Box::new(self.items.expr()), Box::new(index.to_val().expr()));
        Item {
            item: Val::new(e, Kind::Any),
        }
    }
    pub fn is_empty(&self) -> Val {
        super::val::ops::eq(self.count, 0)
    }
}
