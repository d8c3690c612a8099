//! The PSTN audio responses the router writes itself (everything else is a message a waiting Task
//! put on the call's queue). Every one carries `SchemaVersion` "1.0".
//!
//! Action shapes: Pause <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause.html>,
//! Speak <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>,
//! Hangup <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>.

use serde_json::{Map, Value};
use switchboard::pstn::{
    Action, Engine, Hangup, Int, Pause, Response, Speak, SpeechParameters, TextType,
};
use switchboard::wire;

use crate::event::Leg;

/// `TransactionAttributes` key the router sets on a keep-alive: how many keep-alives in a row.
/// Its presence (with no `WaitToken`) tells the next event that no token is waiting on it.
pub const ATTR_KEEP_ALIVE: &str = "SwitchboardKeepAlive";

/// The router's answer as the JSON it returns. Built from the typed model, whose serialisation
/// cannot fail (string keys, strings and integers only).
fn answer(actions: Vec<Action>, attributes: Option<Map<String, Value>>) -> Value {
    let response = Response {
        transaction_attributes: attributes,
        ..Response::new(actions)
    };
    serde_json::to_value(&response).expect("a PSTN audio response serialises to JSON")
}

/// `{"SchemaVersion": "1.0", "Actions": []}`: nothing to do; stored attributes stay as they are.
pub fn empty() -> Value {
    answer(Vec::new(), None)
}

/// The `CallId` and `ParticipantTag` naming `leg`: its `CallId`, else its tag.
/// [`crate::event::CallEvent::parse`] only lets through legs whose `CallId` is a real id and
/// whose tag is LEG-A or LEG-B; with no leg at all, the invoked leg (LEG-A).
fn target(leg: Option<Leg<'_>>) -> (Option<String>, Option<String>) {
    match leg.and_then(|l| l.call_id) {
        Some(id) => (Some(id.to_owned()), None),
        None => {
            let tag = leg.and_then(|l| l.tag).unwrap_or(wire::LEG_A);
            (None, Some(tag.to_owned()))
        }
    }
}

/// `Hangup` of `leg`, with `sip_code` or the default (normal clearing).
fn hangup(leg: Option<Leg<'_>>, sip_code: Option<i64>) -> Action {
    let (call_id, participant_tag) = target(leg);
    Action::Hangup(Hangup {
        call_id,
        participant_tag,
        // The Hangup page writes the code as a string ("SipResponseCode": "0").
        sip_response_code: sip_code.map(Int::quoted),
        extra: Map::new(),
    })
}

fn queue_attrs(queue_url: Option<&str>) -> Map<String, Value> {
    let mut attrs = Map::new();
    if let Some(url) = queue_url {
        attrs.insert(wire::ATTR_QUEUE_URL.into(), url.into());
    }
    attrs
}

/// A short `Pause` on `leg` while the workflow is still working. The attributes drop the
/// `WaitToken` (it was just completed) and count the keep-alives.
pub fn keep_alive(leg: Option<Leg<'_>>, millis: u128, queue_url: &str, count: u32) -> Value {
    let (call_id, participant_tag) = target(leg);
    let pause = Action::Pause(Pause {
        call_id,
        participant_tag,
        // As the Pause page writes it: "DurationInMilliseconds": "3000".
        duration_in_milliseconds: Int::quoted(i64::try_from(millis).unwrap_or(i64::MAX)),
        extra: Map::new(),
    });
    let mut attrs = queue_attrs(Some(queue_url));
    attrs.insert(ATTR_KEEP_ALIVE.into(), count.to_string().into());
    answer(vec![pause], Some(attrs))
}

/// The deliberate answer to an error mid-call: speak `apology` on `leg`, then hang it up with
/// `sip_code`. The attributes drop the `WaitToken`, so the `HANGUP` that follows completes nothing.
/// `Speak` needs the leg's `CallId` (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>):
/// a leg known only by its tag is hung up without a word.
pub fn apology(leg: Option<Leg<'_>>, text: &str, sip_code: i64, queue_url: Option<&str>) -> Value {
    let mut actions = Vec::with_capacity(2);
    if let Some(id) = leg.and_then(|l| l.call_id) {
        actions.push(Action::Speak(Speak {
            call_id: id.to_owned(),
            speech: SpeechParameters {
                text: text.to_owned(),
                engine: Some(Engine::Neural),
                language_code: Some("en-US".to_owned()),
                text_type: Some(TextType::Text),
                voice_id: Some("Joanna".to_owned()),
                extra: Map::new(),
            },
        }));
    }
    actions.push(hangup(leg, Some(sip_code)));
    answer(actions, Some(queue_attrs(queue_url)))
}

/// Hangs up `legs` with nothing said and the default SIP code (normal clearing): what is left of
/// a call whose caller has gone. The attributes keep the queue (or clear everything when there is
/// none) and drop the `WaitToken`, so the `HANGUP`s that follow complete nothing.
pub fn hang_up<'a>(legs: impl IntoIterator<Item = Leg<'a>>, queue_url: Option<&str>) -> Value {
    let actions = legs
        .into_iter()
        .map(|leg| hangup(Some(leg), None))
        .collect();
    answer(actions, Some(queue_attrs(queue_url)))
}

/// Rejects a call that has not been answered (no flow for the number): a `Hangup` with
/// `sip_code` and nothing spoken, so the caller is not billed for an answered call.
pub fn reject(leg: Option<Leg<'_>>, sip_code: i64) -> Value {
    answer(vec![hangup(leg, Some(sip_code))], None)
}

/// Checks a queued message is a PSTN audio response: an object whose `Actions` is an array and
/// whose `SchemaVersion`, if present, is "1.0". A missing `SchemaVersion` is filled in.
pub fn from_message(body: &str) -> Result<Value, String> {
    let mut v: Value =
        serde_json::from_str(body).map_err(|e| format!("message body is not JSON ({e})"))?;
    let obj = v
        .as_object_mut()
        .ok_or("message body is not a JSON object")?;
    if !obj.get("Actions").is_some_and(Value::is_array) {
        return Err("message body has no \"Actions\" array".into());
    }
    match obj.get("SchemaVersion") {
        None => {
            obj.insert("SchemaVersion".into(), wire::SCHEMA_VERSION.into());
        }
        Some(Value::String(s)) if s == wire::SCHEMA_VERSION => {}
        Some(other) => {
            return Err(format!(
                "message body has SchemaVersion {other}, not \"1.0\""
            ))
        }
    }
    Ok(v)
}

/// The task token a queued response carries.
pub fn message_token(response: &Value) -> Option<&str> {
    response
        .get("TransactionAttributes")
        .and_then(|a| a.get(wire::ATTR_WAIT_TOKEN))
        .and_then(Value::as_str)
}

/// Whether `v` is a response PSTN audio accepts at the top level.
pub fn is_valid(v: &Value) -> bool {
    v.get("SchemaVersion").and_then(Value::as_str) == Some(wire::SCHEMA_VERSION)
        && v.get("Actions").is_some_and(Value::is_array)
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    const SIP: i64 = switchboard::pstn::limits::SIP_NO_ANSWER;

    #[test]
    fn message_checks() {
        assert!(from_message("nope").unwrap_err().contains("not JSON"));
        assert!(from_message("[]")
            .unwrap_err()
            .contains("not a JSON object"));
        assert!(from_message("{}").unwrap_err().contains("Actions"));
        assert!(from_message(r#"{"SchemaVersion": "2.0", "Actions": []}"#)
            .unwrap_err()
            .contains("2.0"));
        let filled = from_message(r#"{"Actions": []}"#).unwrap();
        assert!(is_valid(&filled));
    }

    /// The bytes the router answers with, pinned: building them through the typed model keeps
    /// every key in the documented order (Pause, Speak, Hangup pages).
    #[test]
    fn answers_on_the_wire() {
        let leg = Leg {
            call_id: Some("c-1"),
            tag: Some("LEG-A"),
            to: None,
            from: None,
            direction: None,
            status: None,
        };
        let by_tag = Leg {
            call_id: None,
            tag: Some("LEG-B"),
            ..leg
        };
        let wire = |v: Value| serde_json::to_string(&v).unwrap();
        assert_eq!(wire(empty()), r#"{"SchemaVersion":"1.0","Actions":[]}"#);
        assert_eq!(
            wire(keep_alive(Some(leg), 1000, "q", 2)),
            r#"{"SchemaVersion":"1.0","Actions":[{"Type":"Pause","Parameters":{"CallId":"c-1","DurationInMilliseconds":"1000"}}],"TransactionAttributes":{"QueueUrl":"q","SwitchboardKeepAlive":"2"}}"#
        );
        assert_eq!(
            wire(apology(Some(leg), "Sorry.", SIP, Some("q"))),
            r#"{"SchemaVersion":"1.0","Actions":[{"Type":"Speak","Parameters":{"CallId":"c-1","Text":"Sorry.","Engine":"neural","LanguageCode":"en-US","TextType":"text","VoiceId":"Joanna"}},{"Type":"Hangup","Parameters":{"CallId":"c-1","SipResponseCode":"480"}}],"TransactionAttributes":{"QueueUrl":"q"}}"#
        );
        assert_eq!(
            wire(reject(Some(by_tag), SIP)),
            r#"{"SchemaVersion":"1.0","Actions":[{"Type":"Hangup","Parameters":{"ParticipantTag":"LEG-B","SipResponseCode":"480"}}]}"#
        );
        assert_eq!(
            wire(hang_up([by_tag], None)),
            r#"{"SchemaVersion":"1.0","Actions":[{"Type":"Hangup","Parameters":{"ParticipantTag":"LEG-B"}}],"TransactionAttributes":{}}"#
        );
        assert_eq!(
            wire(keep_alive(None, 700, "q", 1)),
            r#"{"SchemaVersion":"1.0","Actions":[{"Type":"Pause","Parameters":{"ParticipantTag":"LEG-A","DurationInMilliseconds":"700"}}],"TransactionAttributes":{"QueueUrl":"q","SwitchboardKeepAlive":"1"}}"#
        );
    }

    #[test]
    fn apology_targets_the_leg_or_its_tag() {
        let leg = Leg {
            call_id: Some("c-1"),
            tag: Some("LEG-A"),
            to: None,
            from: None,
            direction: None,
            status: None,
        };
        let a = apology(Some(leg), "Sorry.", SIP, Some("q"));
        assert!(is_valid(&a));
        assert_eq!(a["Actions"][0]["Parameters"]["CallId"], "c-1");
        assert_eq!(a["Actions"][1]["Parameters"]["SipResponseCode"], "480");
        assert_eq!(a["TransactionAttributes"]["QueueUrl"], "q");
        assert!(a["TransactionAttributes"].get("WaitToken").is_none());
        let b = apology(None, "Sorry.", SIP, None);
        assert_eq!(
            b["Actions"],
            json!([{"Type": "Hangup", "Parameters": {"ParticipantTag": "LEG-A", "SipResponseCode": "480"}}]),
            "nothing is spoken to a leg without a CallId"
        );
        let by_tag = Leg {
            call_id: None,
            tag: Some("LEG-B"),
            ..leg
        };
        let h = hang_up([leg, by_tag], None);
        assert_eq!(
            h,
            json!({"SchemaVersion": "1.0", "Actions": [
                {"Type": "Hangup", "Parameters": {"CallId": "c-1"}},
                {"Type": "Hangup", "Parameters": {"ParticipantTag": "LEG-B"}}],
                "TransactionAttributes": {}})
        );
    }
}
