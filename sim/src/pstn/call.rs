//! One call's legs, its transaction attributes, and the invocation events PSTN audio builds
//! from them (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>).

use serde_json::{json, Map, Value};
use switchboard::wire::{self, event as ev};

use super::recording::CallRecording;

/// `SipResponseCode` of a `HANGUP` event (the page's example writes it as a number): the PSTN
/// audio model's codes (`switchboard::pstn::limits`), under the names the simulator uses.
pub mod sip {
    pub use switchboard::pstn::limits::{
        SIP_BUSY as USER_BUSY, SIP_NORMAL_CLEARING as NORMAL_CLEARING, SIP_NO_ANSWER as NO_ANSWER,
    };
}

/// A call leg.
#[derive(Debug, Clone)]
pub struct Leg {
    pub call_id: String,
    pub tag: &'static str,
    pub from: String,
    pub to: String,
    /// `Inbound` or `Outbound`.
    pub direction: &'static str,
    pub start_ms: i64,
    pub connected: bool,
}

impl Leg {
    fn json(&self, with_status: bool) -> Value {
        let mut p = json!({
            "CallId": self.call_id,
            "ParticipantTag": self.tag,
            "To": self.to,
            "From": self.from,
            "Direction": self.direction,
            "StartTimeInMilliseconds": self.start_ms.to_string(),
        });
        if with_status {
            p["Status"] = json!(if self.connected {
                "Connected"
            } else {
                "Disconnected"
            });
        }
        p
    }
}

/// A bridged conversation in progress: when it ends and who ends it.
#[derive(Debug, Clone, Copy)]
pub struct Talk {
    pub until_ms: i64,
    pub caller_ends: bool,
}

/// One call as PSTN audio keeps it.
#[derive(Debug, Clone)]
pub struct Call {
    /// 1 for the first call of a run.
    pub number: usize,
    pub transaction_id: String,
    pub sma_id: String,
    pub leg_a: Leg,
    pub leg_b: Option<Leg>,
    /// The last `TransactionAttributes` a response set; echoed on every later event.
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/transaction-attributes.html>
    pub attributes: Option<Map<String, Value>>,
    pub sequence: u64,
    pub start_ms: i64,
    /// When the caller hangs up whatever happens (`hang_up_after`), epoch ms.
    pub deadline_ms: Option<i64>,
    pub talk: Option<Talk>,
    /// `CallCreateRequest` arguments of an outbound call.
    pub arguments: Option<Map<String, Value>>,
    /// `SipResponseCode` of the last hang-up ([`sip`]), for its `HANGUP` event.
    pub hangup_code: i64,
    /// Responses run so far (1 for the first).
    pub responses: u64,
    /// The response during which a plain `hang_up` step came up: the caller hears that
    /// response's audio, then hangs up.
    pub hang_up_seen: Option<u64>,
    /// Call recordings in progress.
    pub recordings: Vec<CallRecording>,
    /// Legs whose call recording has stopped (it cannot start again).
    pub recording_stopped: Vec<&'static str>,
}

impl Call {
    /// Whether the call has ended for the caller.
    pub fn over(&self) -> bool {
        !self.leg_a.connected && self.leg_b.as_ref().is_none_or(|b| !b.connected)
    }

    /// The leg an action addresses: by `CallId`, else by `ParticipantTag`, else LEG-A (the
    /// "invoked call leg").
    pub fn leg_of(&self, params: &Value) -> &'static str {
        let id = params.get("CallId").and_then(Value::as_str);
        let tag = params.get("ParticipantTag").and_then(Value::as_str);
        match (id, &self.leg_b) {
            (Some(id), Some(b)) if id == b.call_id => wire::LEG_B,
            (Some(_), _) => wire::LEG_A,
            (None, _) if tag.is_some_and(|t| t.eq_ignore_ascii_case(wire::LEG_B)) => wire::LEG_B,
            _ => wire::LEG_A,
        }
    }

    /// The leg tagged `tag`, if the call has it.
    pub fn leg(&self, tag: &str) -> Option<&Leg> {
        if tag == wire::LEG_B {
            self.leg_b.as_ref()
        } else {
            Some(&self.leg_a)
        }
    }

    /// An event of `kind` (`ActionData` given or none), advancing `Sequence`.
    pub fn event(&mut self, kind: &str, action_data: Option<Value>) -> Value {
        self.sequence += 1;
        let status = !matches!(
            kind,
            ev::NEW_INBOUND_CALL | ev::NEW_OUTBOUND_CALL | ev::RINGING
        );
        let mut legs = vec![self.leg_a.json(status)];
        if let Some(b) = &self.leg_b {
            legs.push(b.json(status));
        }
        let mut details = json!({
            "TransactionId": self.transaction_id,
            "AwsAccountId": "123456789012",
            "AwsRegion": "us-east-1",
            "SipRuleId": "sip-rule-sim",
            "SipMediaApplicationId": self.sma_id,
            "Participants": legs,
        });
        if let Some(a) = &self.attributes {
            details["TransactionAttributes"] = Value::Object(a.clone());
        }
        let mut event = json!({
            "SchemaVersion": "1.0",
            "Sequence": self.sequence,
            "InvocationEventType": kind,
            "CallDetails": details,
        });
        if let Some(data) = action_data {
            event["ActionData"] = data;
        }
        event
    }

    /// `ActionData` of a hang-up of `tag`: `Type` `Hangup`, and `SipResponseCode`, `CallId`
    /// and `ParticipantTag` of the leg that hung up
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>, `HANGUP`).
    pub fn hangup_data(&self, tag: &str) -> Value {
        let id = match (tag, &self.leg_b) {
            (wire::LEG_B, Some(b)) => b.call_id.clone(),
            _ => self.leg_a.call_id.clone(),
        };
        json!({"Type": "Hangup", "Parameters": {
            "SipResponseCode": self.hangup_code, "CallId": id, "ParticipantTag": tag}})
    }

    /// Disconnect `tag` (LEG-A takes LEG-B with it only when `both`).
    pub fn disconnect(&mut self, tag: &str, both: bool) {
        if tag == wire::LEG_B {
            if let Some(b) = &mut self.leg_b {
                b.connected = false;
            }
        } else {
            self.leg_a.connected = false;
            if both {
                if let Some(b) = &mut self.leg_b {
                    b.connected = false;
                }
            }
        }
        self.talk = None;
    }
}
