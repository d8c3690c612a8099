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

impl Leg<'_> {
    /// `Status` is `Connected` (or absent, which the service only omits on live legs).
    pub fn connected(&self) -> bool {
        self.status
            .is_none_or(|s| s.eq_ignore_ascii_case("Connected"))
    }
    /// The leg's tag is `LEG-A`.
    /// Tags are compared ignoring case: the documentation's examples spell them `Leg-A` too.
    pub fn is_leg_a(&self) -> bool {
        self.tag
            .is_some_and(|t| t.eq_ignore_ascii_case(wire::LEG_A))
    }
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
    pub field: &'static str,
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
        let bad = |field: &'static str, problem: String| BadEvent {
            field,
            problem,
            transaction_id: transaction_id.map(str::to_owned),
            event_type: event_type.map(str::to_owned),
            sequence,
        };
        if let Some(text) = raw.get(UNPARSED_PAYLOAD) {
            let text = text.as_str().unwrap_or_default();
            return Err(bad("$", format!("payload is not JSON: {text}")));
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
        for p in participants {
            if !p.is_object() {
                return Err(bad(
                    "$.CallDetails.Participants[]",
                    format!("expected an object, got {}", kind_of(p)),
                ));
            }
            legs.push(Leg {
                call_id: str_at(p, "CallId"),
                tag: str_at(p, "ParticipantTag"),
                to: str_at(p, "To"),
                from: str_at(p, "From"),
                direction: str_at(p, "Direction"),
                status: str_at(p, "Status"),
            });
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
