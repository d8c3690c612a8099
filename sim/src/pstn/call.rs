//! One call's legs, its transaction attributes, and the invocation events PSTN audio builds
//! from them (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>).

use serde_json::{Map, Value};
use switchboard::pstn::{ActionData, CallDetails, Int, InvocationEvent, Participant};
use switchboard::wire::{self, event as ev, SCHEMA_VERSION};

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
    /// The leg as `CallDetails.Participants` lists it; `Status` once the call is set up.
    fn participant(&self, with_status: bool) -> Participant {
        let status = if self.connected {
            "Connected"
        } else {
            "Disconnected"
        };
        Participant {
            call_id: self.call_id.clone(),
            participant_tag: self.tag.to_owned(),
            to: Some(self.to.clone()),
            from: Some(self.from.clone()),
            direction: Some(self.direction.to_owned()),
            // The service sends a numeric string.
            start_time_in_milliseconds: Some(Int::quoted(self.start_ms)),
            status: with_status.then(|| status.to_owned()),
            extra: Map::new(),
        }
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
    pub fn event(&mut self, kind: &str, action_data: Option<ActionData>) -> InvocationEvent {
        self.sequence += 1;
        let status = !matches!(
            kind,
            ev::NEW_INBOUND_CALL | ev::NEW_OUTBOUND_CALL | ev::RINGING
        );
        let mut participants = vec![self.leg_a.participant(status)];
        if let Some(b) = &self.leg_b {
            participants.push(b.participant(status));
        }
        let Ok(invocation_event_type) = kind.parse();
        InvocationEvent {
            schema_version: SCHEMA_VERSION.to_owned(),
            sequence: self.sequence,
            invocation_event_type,
            call_details: CallDetails {
                transaction_id: self.transaction_id.clone(),
                aws_account_id: "123456789012".to_owned(),
                aws_region: "us-east-1".to_owned(),
                sip_rule_id: Some("sip-rule-sim".to_owned()),
                sip_media_application_id: Some(self.sma_id.clone()),
                participants,
                transaction_attributes: self.attributes.clone(),
                extra: Map::new(),
            },
            action_data,
            error_type: None,
            error_message: None,
            extra: Map::new(),
        }
    }

    /// `ActionData` of a hang-up of `tag`: the code and the leg that hung up.
    pub fn hangup_data(&self, tag: &str) -> ActionData {
        let id = match (tag, &self.leg_b) {
            (wire::LEG_B, Some(b)) => &b.call_id,
            _ => &self.leg_a.call_id,
        };
        ActionData::hangup(self.hangup_code, id, tag)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Call {
        let leg = |tag, id: &str, connected| Leg {
            call_id: id.into(),
            tag,
            from: "+15105550101".into(),
            to: "+12065550100".into(),
            direction: "Inbound",
            start_ms: 1_736_000_000_000,
            connected,
        };
        let mut attributes = Map::new();
        attributes.insert("WaitToken".into(), "t".into());
        Call {
            number: 1,
            transaction_id: "sim-0001".into(),
            sma_id: "sma".into(),
            leg_a: leg(wire::LEG_A, "a", true),
            leg_b: Some(leg(wire::LEG_B, "b", false)),
            attributes: Some(attributes),
            sequence: 6,
            start_ms: 1_736_000_000_000,
            deadline_ms: None,
            talk: None,
            arguments: None,
            hangup_code: 486,
            responses: 1,
            hang_up_seen: None,
            recordings: Vec::new(),
            recording_stopped: Vec::new(),
        }
    }

    /// The bytes of an event, pinned: the documented key order of `CallDetails`, its
    /// participants and a `HANGUP`'s `ActionData`
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>).
    #[test]
    fn events_on_the_wire() {
        let mut c = call();
        let data = c.hangup_data(wire::LEG_B);
        let e = serde_json::to_string(&c.event(ev::HANGUP, Some(data))).unwrap();
        assert_eq!(
            e,
            r#"{"SchemaVersion":"1.0","Sequence":7,"InvocationEventType":"HANGUP","CallDetails":{"TransactionId":"sim-0001","AwsAccountId":"123456789012","AwsRegion":"us-east-1","SipRuleId":"sip-rule-sim","SipMediaApplicationId":"sma","Participants":[{"CallId":"a","ParticipantTag":"LEG-A","To":"+12065550100","From":"+15105550101","Direction":"Inbound","StartTimeInMilliseconds":"1736000000000","Status":"Connected"},{"CallId":"b","ParticipantTag":"LEG-B","To":"+12065550100","From":"+15105550101","Direction":"Inbound","StartTimeInMilliseconds":"1736000000000","Status":"Disconnected"}],"TransactionAttributes":{"WaitToken":"t"}},"ActionData":{"Type":"Hangup","Parameters":{"SipResponseCode":486,"CallId":"b","ParticipantTag":"LEG-B"}}}"#
        );
        c.leg_b = None;
        c.attributes = None;
        let e = serde_json::to_string(&c.event(ev::NEW_INBOUND_CALL, None)).unwrap();
        assert_eq!(
            e,
            r#"{"SchemaVersion":"1.0","Sequence":8,"InvocationEventType":"NEW_INBOUND_CALL","CallDetails":{"TransactionId":"sim-0001","AwsAccountId":"123456789012","AwsRegion":"us-east-1","SipRuleId":"sip-rule-sim","SipMediaApplicationId":"sma","Participants":[{"CallId":"a","ParticipantTag":"LEG-A","To":"+12065550100","From":"+15105550101","Direction":"Inbound","StartTimeInMilliseconds":"1736000000000"}]}}"#
        );
    }
}
