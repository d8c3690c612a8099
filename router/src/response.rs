//! The PSTN audio responses the router writes itself (everything else is a message a waiting Task
//! put on the call's queue). Every one carries `SchemaVersion` "1.0".
//!
//! Action shapes: Pause <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause.html>,
//! Speak <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>,
//! Hangup <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>.

use serde_json::{json, Map, Value};
use switchboard::wire;

use crate::event::Leg;

/// `TransactionAttributes` key the router sets on a keep-alive: how many keep-alives in a row.
/// Its presence (with no `WaitToken`) tells the next event that no token is waiting on it.
pub const ATTR_KEEP_ALIVE: &str = "SwitchboardKeepAlive";

/// `{"SchemaVersion": "1.0", "Actions": []}`: nothing to do; stored attributes stay as they are.
pub fn empty() -> Value {
    json!({ "SchemaVersion": wire::SCHEMA_VERSION, "Actions": [] })
}

/// Parameters naming `leg`: its `CallId`, else its tag. [`crate::event::CallEvent::parse`] only
/// lets through legs whose `CallId` is a real id and whose tag is LEG-A or LEG-B; with no leg at
/// all, the invoked leg (LEG-A).
fn target(leg: Option<Leg<'_>>) -> Map<String, Value> {
    let mut p = Map::new();
    match leg.and_then(|l| l.call_id) {
        Some(id) => p.insert("CallId".into(), id.into()),
        None => p.insert(
            "ParticipantTag".into(),
            leg.and_then(|l| l.tag).unwrap_or(wire::LEG_A).into(),
        ),
    };
    p
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
    let mut params = target(leg);
    params.insert("DurationInMilliseconds".into(), millis.to_string().into());
    let mut attrs = queue_attrs(Some(queue_url));
    attrs.insert(ATTR_KEEP_ALIVE.into(), count.to_string().into());
    json!({
        "SchemaVersion": wire::SCHEMA_VERSION,
        "Actions": [{ "Type": "Pause", "Parameters": params }],
        "TransactionAttributes": attrs,
    })
}

/// The deliberate answer to an error mid-call: speak `apology` on `leg`, then hang it up with
/// `sip_code`. The attributes drop the `WaitToken`, so the `HANGUP` that follows completes nothing.
/// `Speak` needs the leg's `CallId` (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>):
/// a leg known only by its tag is hung up without a word.
pub fn apology(leg: Option<Leg<'_>>, text: &str, sip_code: &str, queue_url: Option<&str>) -> Value {
    let mut actions = Vec::with_capacity(2);
    if let Some(id) = leg.and_then(|l| l.call_id) {
        actions.push(json!({ "Type": "Speak", "Parameters": {
            "CallId": id, "Text": text, "Engine": "neural", "LanguageCode": "en-US",
            "TextType": "text", "VoiceId": "Joanna" } }));
    }
    let mut hangup = target(leg);
    hangup.insert("SipResponseCode".into(), sip_code.into());
    actions.push(json!({ "Type": "Hangup", "Parameters": hangup }));
    json!({
        "SchemaVersion": wire::SCHEMA_VERSION,
        "Actions": actions,
        "TransactionAttributes": queue_attrs(queue_url),
    })
}

/// Hangs up `legs` with nothing said and the default SIP code (normal clearing): what is left of
/// a call whose caller has gone. The attributes keep the queue (or clear everything when there is
/// none) and drop the `WaitToken`, so the `HANGUP`s that follow complete nothing.
pub fn hang_up<'a>(legs: impl IntoIterator<Item = Leg<'a>>, queue_url: Option<&str>) -> Value {
    let actions: Vec<Value> = legs
        .into_iter()
        .map(|leg| json!({ "Type": "Hangup", "Parameters": target(Some(leg)) }))
        .collect();
    json!({
        "SchemaVersion": wire::SCHEMA_VERSION,
        "Actions": actions,
        "TransactionAttributes": queue_attrs(queue_url),
    })
}

/// Rejects a call that has not been answered (no flow for the number): a `Hangup` with
/// `sip_code` and nothing spoken, so the caller is not billed for an answered call.
pub fn reject(leg: Option<Leg<'_>>, sip_code: &str) -> Value {
    let mut hangup = target(leg);
    hangup.insert("SipResponseCode".into(), sip_code.into());
    json!({
        "SchemaVersion": wire::SCHEMA_VERSION,
        "Actions": [{ "Type": "Hangup", "Parameters": hangup }],
    })
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
        let a = apology(Some(leg), "Sorry.", "480", Some("q"));
        assert!(is_valid(&a));
        assert_eq!(a["Actions"][0]["Parameters"]["CallId"], "c-1");
        assert_eq!(a["Actions"][1]["Parameters"]["SipResponseCode"], "480");
        assert_eq!(a["TransactionAttributes"]["QueueUrl"], "q");
        assert!(a["TransactionAttributes"].get("WaitToken").is_none());
        let b = apology(None, "Sorry.", "480", None);
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
