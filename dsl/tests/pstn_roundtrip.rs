//! Documentation examples (tests/fixtures/pstn, sources in SOURCES.md) and the reference
//! workflow's actions: deserialise, validate, serialise, compare as JSON values.

use serde::{de::DeserializeOwned, Serialize};
use serde_json::{Map, Value};
use std::fs;
use std::path::{Path, PathBuf};
use switchboard::pstn::{Action, ConstraintKind, EventType, InvocationEvent, Response};

fn fixtures(dir: &str) -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pstn")
        .join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", root.display());
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, v)
        })
        .collect()
}

fn round_trip<T: Serialize + DeserializeOwned>(path: &Path, input: &Value) -> T {
    let typed: T = serde_json::from_value(input.clone())
        .unwrap_or_else(|e| panic!("{}: does not parse: {e}", path.display()));
    let output = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        &output,
        input,
        "{}: round trip changed the JSON",
        path.display()
    );
    typed
}

#[test]
fn documented_actions_round_trip_and_validate() {
    let mut seen = Vec::new();
    for (path, input) in fixtures("actions") {
        let action: Action = round_trip(&path, &input);
        if let Err(errs) = action.validate() {
            panic!("{}: {errs:#?}", path.display());
        }
        seen.push(action.type_name());
    }
    for t in Action::TYPES {
        assert!(seen.contains(&t), "no documented example for action {t}");
    }
}

#[test]
fn documented_responses_round_trip_and_validate() {
    for (path, input) in fixtures("responses") {
        let response: Response = round_trip(&path, &input);
        if let Err(errs) = response.validate() {
            panic!("{}: {errs:#?}", path.display());
        }
    }
}

#[test]
fn documented_events_round_trip_with_known_types() {
    let mut seen = Vec::new();
    for (path, input) in fixtures("events") {
        let event: InvocationEvent = round_trip(&path, &input);
        assert!(
            !matches!(event.invocation_event_type, EventType::Unknown(_)),
            "{}: unknown event type",
            path.display()
        );
        // Action results echo the whole action, so it parses as that action. (A HANGUP's
        // ActionData only carries the leg, e.g. case-5.html, so it is not checked.)
        let echoes = matches!(
            event.invocation_event_type,
            EventType::ActionSuccessful
                | EventType::ActionFailed
                | EventType::ActionInterrupted
                | EventType::DigitsReceived
        );
        let parsed = event.action_data.as_ref().and_then(|d| d.action());
        if let (true, Some(Err(e))) = (echoes, parsed) {
            panic!(
                "{}: ActionData.Parameters do not parse: {e}",
                path.display()
            );
        }
        seen.push(event.invocation_event_type.as_str().to_owned());
    }
    for t in switchboard::wire::event::ALL {
        assert!(
            seen.iter().any(|s| s == t),
            "no documented example for event {t}"
        );
    }
}

/// A literal of the right kind for a `.$` (JSONPath template) parameter of the reference, so the
/// rest of the action can be checked; the template itself is evaluated by Step Functions.
fn stand_in(field: &str) -> Option<Value> {
    Some(Value::String(
        match field {
            "CallId" => "call-id-1",
            "CallerIdNumber" => "+12065550100",
            "Uri" => "+15105550101",
            "Text" => "Text filled in at run time.",
            "BucketName" => "bucket-name",
            "Key" => "key.wav",
            "Prefix" => "prefix",
            _ => return None,
        }
        .to_owned(),
    ))
}

fn replace_templates(v: &Value, path: &str) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                match k.strip_suffix(".$") {
                    Some(field) => {
                        let lit = stand_in(field).unwrap_or_else(|| {
                            panic!("reference: no stand-in for templated {path}.{k}; add one")
                        });
                        out.insert(field.to_owned(), lit);
                    }
                    None => {
                        out.insert(k.clone(), replace_templates(v, &format!("{path}.{k}")));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(|x| replace_templates(x, path)).collect()),
        other => other.clone(),
    }
}

fn collect_actions(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::Object(m) => {
            if let Some(actions) = m.get("MessageBody").and_then(|b| b.get("Actions")) {
                out.extend(actions.as_array().into_iter().flatten().cloned());
            }
            m.values().for_each(|x| collect_actions(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect_actions(x, out)),
        _ => {}
    }
}

/// Every action the hand-built reference workflow sends. `.$` parameters are JSONPath templates:
/// they are replaced by a literal of the same field (see `stand_in`) before checking.
///
/// The reference sends `"Repeat": 0` / `"Repeat": "0"` to `PlayAudio` and `SpeakAndGetDigits`,
/// which the documentation does not allow ("An integer greater than zero",
/// https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html,
/// https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html): those are the only
/// violations this test accepts, and it checks they are reported.
#[test]
fn reference_workflow_actions_round_trip_and_validate() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/business-phone-number-proxy.asl.json");
    let Ok(text) = fs::read_to_string(&path) else {
        eprintln!(
            "\n!!!!! SKIPPED: reference workflow not found at {} !!!!!\n",
            path.display()
        );
        return;
    };
    let asl: Value = serde_json::from_str(&text).expect("reference workflow is JSON");
    let mut actions = Vec::new();
    collect_actions(&asl, &mut actions);
    assert!(
        actions.len() >= 10,
        "expected the reference's actions, found {}",
        actions.len()
    );
    let mut repeat_zero = 0;
    for (i, raw) in actions.iter().enumerate() {
        let input = replace_templates(raw, "Actions");
        let label = PathBuf::from(format!("reference action #{i}"));
        let action: Action = round_trip(&label, &input);
        if let Err(errs) = action.validate() {
            for e in &errs {
                let allowed = e.field == "Parameters.Repeat" && e.kind == ConstraintKind::Tolerated;
                assert!(allowed, "reference action #{i} {input}: unexpected {e}");
            }
            repeat_zero += 1;
        }
    }
    assert_eq!(
        repeat_zero, 2,
        "the reference's two Repeat-0 actions should be reported"
    );
}
