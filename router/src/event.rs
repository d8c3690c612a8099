//! A lenient, borrowed view of a PSTN audio invocation event: only the fields the router needs,
//! each checked, so a malformed event is reported with the offending field instead of failing the
//! invocation.
//!
//! Event shape: <https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>.

use serde_json::{Map, Value};
use switchboard::wire;

/// The event types the router knows: the typed model's, minus the ones it does not recognise
/// (an unknown type is a bad event here, answered without touching the execution).
pub use switchboard::pstn::EventType as EventKind;

/// Parses a wire name into one of the 11 documented event types.
pub fn parse_kind(name: &str) -> Option<EventKind> {
    match name.parse::<EventKind>() {
        Ok(EventKind::Unknown(_)) | Err(_) => None,
        Ok(kind) => Some(kind),
    }
}

/// One call leg as listed in `CallDetails.Participants`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg<'a> {
    pub call_id: Option<&'a str>,
    pub tag: Option<&'a str>,
    pub to: Option<&'a str>,
    pub from: Option<&'a str>,
    pub direction: Option<&'a str>,
    pub status: Option<&'a str>,
}

/// The two documented values of a leg's `Status`.
const CONNECTED: &str = "Connected";
const DISCONNECTED: &str = "Disconnected";

/// Longest `CallId` the router accepts. The documented ones are UUIDs (36 characters); a longer
/// one is not an id PSTN audio issued, and would be echoed into answers and logs.
pub const MAX_CALL_ID: usize = 256;

impl Leg<'_> {
    /// `Status` is `Connected` (or absent, which the service only omits on live legs).
    pub fn connected(&self) -> bool {
        self.status.is_none_or(|s| s == CONNECTED)
    }
    /// The leg's tag is `LEG-A`. After [`CallEvent::parse`] every leg has a tag, written as
    /// [`wire::LEG_A`] or [`wire::LEG_B`].
    pub fn is_leg_a(&self) -> bool {
        self.tag == Some(wire::LEG_A)
    }
}

/// Checks one participant and writes its tag and status the documented way: tags compared
/// ignoring case (the documentation's examples spell them `Leg-A` too), a status that is
/// `Connected` or `Disconnected` in any case. Anything else is refused with its field: the
/// router decides who left from these, and a guess could fail a task for a caller still there.
fn leg(p: &Value) -> Result<Leg<'_>, (&'static str, String)> {
    let text = |key: &'static str| -> Result<Option<&str>, (&'static str, String)> {
        match p.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err((key, format!("expected a string, got {}", kind_of(other)))),
        }
    };
    let call_id = text("CallId")?;
    if let Some(id) = call_id {
        if id.is_empty() || id.len() > MAX_CALL_ID {
            return Err((
                "CallId",
                format!(
                    "expected a call id of 1 to {MAX_CALL_ID} characters, got {} bytes",
                    id.len()
                ),
            ));
        }
    }
    let tag = match text("ParticipantTag")? {
        None => None,
        Some(t) if t.eq_ignore_ascii_case(wire::LEG_A) => Some(wire::LEG_A),
        Some(t) if t.eq_ignore_ascii_case(wire::LEG_B) => Some(wire::LEG_B),
        Some(t) => {
            return Err((
                "ParticipantTag",
                format!(
                    "expected LEG-A or LEG-B, got {:?}",
                    crate::incident::clip(t, 64)
                ),
            ))
        }
    };
    let status = match text("Status")? {
        None => None,
        Some(s) if s.eq_ignore_ascii_case(CONNECTED) => Some(CONNECTED),
        Some(s) if s.eq_ignore_ascii_case(DISCONNECTED) => Some(DISCONNECTED),
        Some(s) => {
            return Err((
                "Status",
                format!(
                    "expected Connected or Disconnected, got {:?}",
                    crate::incident::clip(s, 64)
                ),
            ))
        }
    };
    Ok(Leg {
        call_id,
        tag,
        to: p.get("To").and_then(Value::as_str),
        from: p.get("From").and_then(Value::as_str),
        direction: p.get("Direction").and_then(Value::as_str),
        status,
    })
}

/// Key of the stand-in document the runtime hands the router when the payload was not JSON
/// (see [`crate::lambda::JsonGuardLayer`]); its value is the start of the payload.
pub const UNPARSED_PAYLOAD: &str = "SwitchboardUnparsedPayload";

/// A well-formed event, borrowed from the JSON document.
#[derive(Debug, Clone)]
pub struct CallEvent<'a> {
    pub raw: &'a Value,
    pub kind: EventKind,
    pub sequence: Option<u64>,
    pub transaction_id: &'a str,
    /// One or two legs.
    pub legs: Vec<Leg<'a>>,
    pub attributes: Option<&'a Map<String, Value>>,
}

/// Why an event could not be understood, with whatever identifies the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEvent {
    /// The JSON path of the offending field.
    pub field: String,
    /// What is wrong with it.
    pub problem: String,
    pub transaction_id: Option<String>,
    pub event_type: Option<String>,
    pub sequence: Option<u64>,
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

impl<'a> CallEvent<'a> {
    /// Checks the fields the router relies on.
    pub fn parse(raw: &'a Value) -> Result<CallEvent<'a>, BadEvent> {
        let event_type = str_at(raw, "InvocationEventType");
        let details = raw.get("CallDetails");
        let transaction_id = details.and_then(|d| str_at(d, "TransactionId"));
        let sequence = raw.get("Sequence").and_then(|s| {
            s.as_u64()
                .or_else(|| s.as_str().and_then(|s| s.parse().ok()))
        });
        let bad = |field: &str, problem: String| BadEvent {
            field: field.to_owned(),
            problem,
            transaction_id: transaction_id.map(str::to_owned),
            event_type: event_type.map(str::to_owned),
            sequence,
        };
        if let Some(text) = raw.get(UNPARSED_PAYLOAD) {
            let text = text.as_str().unwrap_or_default();
            return Err(bad(
                "$",
                format!("payload is not JSON the runtime can read: {text}"),
            ));
        }
        if !raw.is_object() {
            return Err(bad(
                "$",
                format!("expected a JSON object, got {}", kind_of(raw)),
            ));
        }
        let name = event_type.ok_or_else(|| {
            bad(
                "$.InvocationEventType",
                "missing or not a string".to_owned(),
            )
        })?;
        let kind = parse_kind(name).ok_or_else(|| {
            bad(
                "$.InvocationEventType",
                format!("unknown event type {name:?}"),
            )
        })?;
        let details = match details {
            Some(d @ Value::Object(_)) => d,
            Some(other) => {
                return Err(bad(
                    "$.CallDetails",
                    format!("expected an object, got {}", kind_of(other)),
                ))
            }
            None => return Err(bad("$.CallDetails", "missing".to_owned())),
        };
        let transaction_id = transaction_id
            .filter(|t| !t.is_empty())
            .ok_or_else(|| bad("$.CallDetails.TransactionId", "missing or empty".to_owned()))?;
        let participants = details
            .get("Participants")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                bad(
                    "$.CallDetails.Participants",
                    "missing or not an array".to_owned(),
                )
            })?;
        if participants.is_empty() || participants.len() > 2 {
            return Err(bad(
                "$.CallDetails.Participants",
                format!("expected one or two call legs, got {}", participants.len()),
            ));
        }
        let mut legs = Vec::with_capacity(participants.len());
        for (i, p) in participants.iter().enumerate() {
            if !p.is_object() {
                return Err(bad(
                    &format!("$.CallDetails.Participants[{i}]"),
                    format!("expected an object, got {}", kind_of(p)),
                ));
            }
            let l = leg(p).map_err(|(field, problem)| {
                bad(&format!("$.CallDetails.Participants[{i}].{field}"), problem)
            })?;
            legs.push(l);
        }
        // A leg without a tag is the one the other is not; alone, or both untagged, they are
        // LEG-A then LEG-B in the order listed.
        match legs.as_mut_slice() {
            [a, b] if a.tag.is_some() && a.tag == b.tag => {
                return Err(bad(
                    "$.CallDetails.Participants[1].ParticipantTag",
                    format!("both legs are tagged {}", a.tag.unwrap_or_default()),
                ))
            }
            [a, b] => match (a.tag, b.tag) {
                (Some(t), None) => b.tag = Some(other_leg(t)),
                (None, Some(t)) => a.tag = Some(other_leg(t)),
                (None, None) => (a.tag, b.tag) = (Some(wire::LEG_A), Some(wire::LEG_B)),
                (Some(_), Some(_)) => {}
            },
            [a] => {
                a.tag.get_or_insert(wire::LEG_A);
            }
            _ => {}
        }
        let attributes = details
            .get("TransactionAttributes")
            .and_then(Value::as_object);
        Ok(CallEvent {
            raw,
            kind,
            sequence,
            transaction_id,
            legs,
            attributes,
        })
    }

    /// A `TransactionAttributes` value.
    pub fn attribute(&self, key: &str) -> Option<&'a str> {
        self.attributes
            .and_then(|a| a.get(key))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The waiting task's token echoed back by PSTN audio.
    pub fn wait_token(&self) -> Option<&'a str> {
        self.attribute(wire::ATTR_WAIT_TOKEN)
    }

    /// The caller's leg: the one tagged `LEG-A`, else the first.
    pub fn leg_a(&self) -> Leg<'a> {
        self.legs
            .iter()
            .copied()
            .find(Leg::is_leg_a)
            .unwrap_or(self.legs[0])
    }

    /// The number that selects the flow: dialled number for inbound calls, calling number for
    /// outbound ones (the seed router's rule).
    pub fn flow_number(&self) -> Option<&'a str> {
        let leg = self.leg_a();
        let outbound = self.kind == EventKind::NewOutboundCall
            || leg
                .direction
                .is_some_and(|d| d.eq_ignore_ascii_case("Outbound"));
        if outbound {
            leg.from
        } else {
            leg.to
        }
    }

    /// No leg is connected any more: the call is over.
    pub fn call_over(&self) -> bool {
        self.legs.len() == 1 && self.kind == EventKind::Hangup
            || self.legs.iter().all(|l| !l.connected())
    }

    /// The caller's leg is gone: its `Status` says `Disconnected`, or, on a `HANGUP` whose legs
    /// carry no status, the hang-up names LEG-A.
    pub fn caller_gone(&self) -> bool {
        let a = self.leg_a();
        match a.status {
            Some(_) => !a.connected(),
            None => {
                self.kind == EventKind::Hangup
                    && self
                        .hung_up_tag()
                        .is_some_and(|t| t.eq_ignore_ascii_case(wire::LEG_A))
            }
        }
    }

    /// The legs still connected, other than the caller's.
    pub fn other_live_legs(&self) -> impl Iterator<Item = Leg<'a>> + '_ {
        self.legs
            .iter()
            .copied()
            .filter(|l| !l.is_leg_a() && l.connected())
    }

    /// The leg a `HANGUP` is about: `ActionData.Parameters.ParticipantTag` when the application
    /// hung up, else the disconnected leg (LEG-A first).
    pub fn hung_up_tag(&self) -> Option<&'a str> {
        let from_action = self
            .raw
            .get("ActionData")
            .and_then(|a| a.get("Parameters"))
            .and_then(|p| str_at(p, "ParticipantTag"));
        from_action.or_else(|| {
            let mut gone: Vec<_> = self.legs.iter().filter(|l| !l.connected()).collect();
            gone.sort_by_key(|l| !l.is_leg_a());
            gone.first().and_then(|l| l.tag)
        })
    }

    /// A connected leg to talk to (LEG-A first).
    pub fn live_leg(&self) -> Option<Leg<'a>> {
        let mut live: Vec<_> = self.legs.iter().copied().filter(Leg::connected).collect();
        live.sort_by_key(|l| !l.is_leg_a());
        live.first().copied()
    }

    /// The `Type` of the action this event reports on.
    pub fn action_type(&self) -> Option<&'a str> {
        self.raw.get("ActionData").and_then(|a| str_at(a, "Type"))
    }

    /// The service's explanation of a failure: `ErrorType: ErrorMessage` from `ActionData` or the
    /// event itself, or the event type when the service gave none.
    pub fn failure_cause(&self) -> String {
        let action = self.raw.get("ActionData");
        let pick = |key: &str| {
            action
                .and_then(|a| str_at(a, key))
                .or_else(|| str_at(self.raw, key))
        };
        match (pick("ErrorType"), pick("ErrorMessage")) {
            (Some(t), Some(m)) => format!("{t}: {m}"),
            (Some(t), None) => t.to_owned(),
            (None, Some(m)) => m.to_owned(),
            (None, None) => self.kind.as_str().to_owned(),
        }
    }
}

fn other_leg(tag: &str) -> &'static str {
    if tag == wire::LEG_A {
        wire::LEG_B
    } else {
        wire::LEG_A
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_match_the_wire_names() {
        for name in wire::event::ALL {
            assert_eq!(parse_kind(name).as_ref().map(EventKind::as_str), Some(name));
        }
        assert_eq!(parse_kind("NEW_CALL"), None);
    }

    #[test]
    fn hangup_of_the_bridged_leg_is_found_from_status() {
        let raw = json!({"InvocationEventType": "HANGUP", "Sequence": "7",
            "CallDetails": {"TransactionId": "t", "Participants": [
                {"CallId": "a", "ParticipantTag": "LEG-A", "Status": "Connected"},
                {"CallId": "b", "ParticipantTag": "LEG-B", "Status": "Disconnected"}]}});
        let ev = CallEvent::parse(&raw).unwrap();
        assert_eq!(ev.sequence, Some(7));
        assert_eq!(ev.hung_up_tag(), Some("LEG-B"));
        assert!(!ev.call_over());
        assert_eq!(ev.live_leg().and_then(|l| l.call_id), Some("a"));
    }

    #[test]
    fn tags_are_written_the_documented_way_and_untagged_legs_get_the_other_one() {
        let raw = json!({"InvocationEventType": "HANGUP",
            "CallDetails": {"TransactionId": "t", "Participants": [
                {"CallId": "b", "Status": "disconnected"},
                {"CallId": "a", "ParticipantTag": "leg-a", "Status": "CONNECTED"}]}});
        let ev = CallEvent::parse(&raw).unwrap();
        assert_eq!(ev.legs[0].tag, Some("LEG-B"));
        assert_eq!(ev.legs[1].tag, Some("LEG-A"));
        assert_eq!(ev.legs[0].status, Some("Disconnected"));
        assert_eq!(ev.leg_a().call_id, Some("a"));
        assert!(!ev.caller_gone());
        let untagged = json!({"InvocationEventType": "HANGUP",
            "CallDetails": {"TransactionId": "t", "Participants": [
                {"CallId": "a", "Status": "Disconnected"}, {"CallId": "b", "Status": "Connected"}]}});
        let ev = CallEvent::parse(&untagged).unwrap();
        assert_eq!(
            (ev.legs[0].tag, ev.legs[1].tag),
            (Some("LEG-A"), Some("LEG-B"))
        );
        assert!(ev.caller_gone());
        assert_eq!(
            ev.other_live_legs().map(|l| l.call_id).collect::<Vec<_>>(),
            [Some("b")]
        );
    }

    #[test]
    fn leg_fields_outside_the_documentation_are_refused_by_field() {
        let with = |leg: Value| {
            let raw = json!({"InvocationEventType": "ACTION_FAILED", "Sequence": 3,
                "CallDetails": {"TransactionId": "t", "Participants": [
                    {"CallId": "a", "ParticipantTag": "LEG-A", "Status": "Connected"}, leg]}});
            CallEvent::parse(&raw).map(|_| ()).unwrap_err()
        };
        let bad = with(json!({"CallId": "b", "ParticipantTag": "LEG-B", "Status": ""}));
        assert_eq!(bad.field, "$.CallDetails.Participants[1].Status");
        assert_eq!(
            (bad.transaction_id.as_deref(), bad.sequence),
            (Some("t"), Some(3))
        );
        let bad = with(json!({"CallId": "b", "ParticipantTag": "LEG-C"}));
        assert_eq!(bad.field, "$.CallDetails.Participants[1].ParticipantTag");
        assert!(bad.problem.contains("LEG-C"), "{}", bad.problem);
        let bad = with(json!({"CallId": "", "ParticipantTag": "LEG-B"}));
        assert_eq!(bad.field, "$.CallDetails.Participants[1].CallId");
        let bad = with(json!({"CallId": 7}));
        assert_eq!(bad.field, "$.CallDetails.Participants[1].CallId");
        let bad = with(json!({"CallId": "b", "ParticipantTag": "Leg-A"}));
        assert!(
            bad.problem.contains("both legs are tagged LEG-A"),
            "{}",
            bad.problem
        );
        let bad = with(json!({"CallId": "x".repeat(MAX_CALL_ID + 1)}));
        assert!(bad.problem.contains("257 bytes"), "{}", bad.problem);
    }

    #[test]
    fn cause_prefers_action_data() {
        let raw = json!({"InvocationEventType": "ACTION_FAILED",
            "ActionData": {"Type": "PlayAudio", "ErrorType": "InvalidAudioSource",
                           "ErrorMessage": "Audio Source parameter value is invalid."},
            "CallDetails": {"TransactionId": "t", "Participants": [{"CallId": "a"}]}});
        let ev = CallEvent::parse(&raw).unwrap();
        assert_eq!(
            ev.failure_cause(),
            "InvalidAudioSource: Audio Source parameter value is invalid."
        );
    }
}
