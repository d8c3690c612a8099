//! A Step Functions execution history (`aws stepfunctions get-execution-history --output
//! json`, or the simulator's in the same shape) read into a [`Trace`].
//!
//! The events are the API's `HistoryEvent`s
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html>):
//! `id`, `previousEventId`, `timestamp`, `type`, and the details object of that type. Only
//! what the page shows is modelled; other fields are ignored. What each step becomes:
//! - `…StateEntered` (`stateEnteredEventDetails.name`): a step;
//! - `TaskScheduled` (`taskScheduledEventDetails.parameters`, the JSON the Task sent): for a
//!   waiting SQS Task, the PSTN audio actions of its message body: what was said and played
//!   is what the caller heard; for another Task, the service call in words;
//! - `TaskSucceeded` (`taskSucceededEventDetails.output`): for a waiting Task, the PSTN audio
//!   event the router completed the token with (its type, the action, the keys received);
//! - `TaskFailed`, `TaskTimedOut`, `TaskStartFailed`, `TaskSubmitFailed` (`error`, `cause`):
//!   the step's error (`HANGUP` when the caller hung up);
//! - `ExecutionSucceeded`, `ExecutionFailed`, `ExecutionTimedOut`, `ExecutionAborted`: the
//!   trace's status.
//!
//! CloudFormation's `DefinitionSubstitutions` replace `${Name}` placeholders anywhere in a
//! definition, state names included. Our compiler keeps them out of names
//! (`switchboard_asl::names`), but a definition written elsewhere may hold them, and its
//! history then names `DynamoDB putItem acme-Messages-1A2B` where the file has `DynamoDB
//! putItem ${Messages}`: a history's name matches a state whose placeholders stand for any
//! text.

use std::path::Path;

use serde_json::Value;
use switchboard_asl::{State, Task};

use crate::describe;
use crate::graph::Graph;
use crate::trace::{Step, Trace};
use crate::words::{cut, field, strip_ssml, Field};

pub use switchboard_asl::history::{
    ErrorCause, ExecutionStarted, History, HistoryEvent, Output, StateEntered, StateExited,
    TaskOutput, TaskScheduled,
};

/// What a failure's details say, in a line.
fn error_text(e: &ErrorCause) -> String {
    match (&e.error, &e.cause) {
        (Some(e), Some(c)) if !c.is_empty() && c != e => format!("{e}: {}", cut(c, 200)),
        (Some(e), _) => e.clone(),
        (None, Some(c)) => cut(c, 200),
        (None, None) => "failed".to_owned(),
    }
}

/// Reads the history at `path` as a trace on `graph`. Errors name the file, and the line or
/// event at fault.
pub fn read(path: &Path, graph: &Graph) -> Result<Trace, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
    let history: History = serde_json::from_str(&text).map_err(|e| {
        format!(
            "error: {}:{}:{}: {e}; expected the output of `aws stepfunctions get-execution-history --output json` ({{\"events\": [...]}})",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    let title = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    trace(&history, graph, &title).map_err(|e| format!("error: {}: {e}", path.display()))
}

/// The trace of `history` on `graph`, titled `title`.
pub fn trace(history: &History, graph: &Graph, title: &str) -> Result<Trace, String> {
    if history.events.is_empty() {
        return Err("`events` is empty: the history has no events".to_owned());
    }
    let mut events: Vec<&HistoryEvent> = history.events.iter().collect();
    events.sort_by_key(|e| e.id);
    let start = events.iter().find_map(|e| millis(&e.timestamp));
    let mut t = Trace {
        title: title.to_owned(),
        status: "RUNNING".to_owned(),
        ..Trace::default()
    };
    for ev in events {
        let at_ms = match (millis(&ev.timestamp), start) {
            (Some(now), Some(s)) => Some(now - s),
            _ => None,
        };
        let kind = ev.kind.as_str();
        if kind.ends_with("StateEntered") {
            let details = ev.state_entered_event_details.as_ref().ok_or_else(|| {
                format!("event {} ({kind}) has no `stateEnteredEventDetails`", ev.id)
            })?;
            let state = state_name(graph, &details.name).ok_or_else(|| {
                format!(
                    "event {} ({kind}) enters the state `{}`, which this definition does not have: is the history of another state machine, or of an older version of it?",
                    ev.id, details.name
                )
            })?;
            t.steps.push(Step {
                state,
                at_ms,
                ..Step::default()
            });
            continue;
        }
        let step = t.steps.last_mut();
        match (kind, step) {
            ("TaskScheduled", Some(step)) => {
                if let Some(d) = &ev.task_scheduled_event_details {
                    scheduled(step, d);
                }
            }
            ("TaskSucceeded", Some(step)) => {
                if let Some(out) = ev
                    .task_succeeded_event_details
                    .as_ref()
                    .and_then(|d| d.output.as_deref())
                {
                    succeeded(step, out);
                }
            }
            (
                "TaskFailed" | "TaskTimedOut" | "TaskStartFailed" | "TaskSubmitFailed"
                | "EvaluationFailed",
                Some(step),
            ) => {
                let d = ev
                    .task_failed_event_details
                    .as_ref()
                    .or(ev.task_timed_out_event_details.as_ref())
                    .or(ev.task_start_failed_event_details.as_ref())
                    .or(ev.task_submit_failed_event_details.as_ref())
                    .or(ev.evaluation_failed_event_details.as_ref());
                step.error = Some(d.map_or_else(|| kind.to_owned(), error_text));
            }
            ("ExecutionSucceeded", _) => t.status = "SUCCEEDED".to_owned(),
            ("ExecutionFailed", _) => {
                t.status = "FAILED".to_owned();
                t.error = ev.execution_failed_event_details.as_ref().map(error_text);
            }
            ("ExecutionTimedOut", _) => {
                t.status = "TIMED_OUT".to_owned();
                t.error = ev
                    .execution_timed_out_event_details
                    .as_ref()
                    .map(error_text);
            }
            ("ExecutionAborted", _) => {
                t.status = "ABORTED".to_owned();
                t.error = ev.execution_aborted_event_details.as_ref().map(error_text);
            }
            _ => {}
        }
    }
    Ok(t)
}

/// The graph's name for a state a history names: the same, or one whose `${Name}`
/// placeholders stand for the text the deploy step put there. When several fit (a placeholder
/// at the end could also swallow the ` (3)` of a numbered name), the one with the most text of
/// its own is meant.
fn state_name(graph: &Graph, name: &str) -> Option<String> {
    if graph.node_index(name).is_some() {
        return Some(name.to_owned());
    }
    graph
        .nodes
        .iter()
        .filter(|n| n.name.contains("${") && matches_placeholders(&n.name, name))
        .max_by_key(|n| literal_len(&n.name))
        .map(|n| n.name.clone())
}

/// The characters of `pattern` outside its `${…}` placeholders.
fn literal_len(pattern: &str) -> usize {
    let mut len = 0;
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        len += rest[..start].chars().count();
        match rest[start..].find('}') {
            Some(end) => rest = &rest[start + end + 1..],
            None => return len + rest[start..].chars().count(),
        }
    }
    len + rest.chars().count()
}

/// Whether `text` is `pattern` with each `${…}` replaced by some non-empty text.
fn matches_placeholders(pattern: &str, text: &str) -> bool {
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        parts.push(&rest[..start]);
        rest = &rest[start + end + 1..];
    }
    parts.push(rest);
    let Some(mut remaining) = text.strip_prefix(parts[0]) else {
        return false;
    };
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate().skip(1) {
        if i == last {
            return remaining.len() > part.len() && remaining.ends_with(part);
        }
        // The placeholder takes at least one character.
        let Some(found) = remaining.get(1..).and_then(|r| r.find(part)) else {
            return false;
        };
        remaining = &remaining[1 + found + part.len()..];
    }
    remaining.is_empty()
}

/// Milliseconds since the epoch of a `timestamp`.
fn millis(ts: &Value) -> Option<i64> {
    match ts {
        Value::Number(n) => n.as_f64().map(|s| (s * 1000.0).round() as i64),
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.timestamp_millis()),
        _ => None,
    }
}

/// What a Task sent: a PSTN audio response's actions, or a service call.
fn scheduled(step: &mut Step, d: &TaskScheduled) {
    let params: Value = serde_json::from_str(&d.parameters).unwrap_or(Value::Null);
    let body = params.get("MessageBody").map(|b| match b {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        other => other.clone(),
    });
    let actions = body
        .as_ref()
        .and_then(|b| b.get("Actions"))
        .and_then(Value::as_array);
    if let (true, Some(actions)) = (d.resource_type == "sqs", actions) {
        step.sent = actions.iter().map(describe::pstn_action).collect();
        step.heard = actions.iter().filter_map(heard).collect();
        return;
    }
    let task = Task {
        resource: format!("arn:aws:states:::{}:{}", d.resource_type, d.resource),
        parameters: Some(params),
        ..Task::default()
    };
    step.sent = vec![describe::state(&State::Task(task))];
}

/// What the caller hears of one action: the words spoken, the audio played.
fn heard(action: &Value) -> Option<String> {
    let p = action.get("Parameters")?;
    // The text as sent (a history holds the evaluated values), whole.
    let text = |v: &Value| match field(v, "Text")? {
        Field::Static(Value::String(s)) => Some(strip_ssml(s)),
        other => Some(other.speech()),
    };
    let audio = |v: &Value| {
        let src = v.get("AudioSource")?;
        let key = field(src, "Key").map(Field::value)?;
        Some(format!("♪ {key}"))
    };
    match action.get("Type")?.as_str()? {
        "Speak" => text(p),
        "SpeakAndGetDigits" => p.get("SpeechParameters").and_then(text),
        "PlayAudio" | "PlayAudioAndGetDigits" => audio(p),
        _ => None,
    }
}

/// What came back: a PSTN audio event (type, action, keys), or the service's answer.
fn succeeded(step: &mut Step, output: &str) {
    let v: Value =
        serde_json::from_str(output).unwrap_or_else(|_| Value::String(output.to_owned()));
    if let Some(kind) = v.get("InvocationEventType").and_then(Value::as_str) {
        let action = v.pointer("/ActionData/Type").and_then(Value::as_str);
        let digits = v
            .pointer("/ActionData/ReceivedDigits")
            .and_then(Value::as_str)
            .filter(|d| !d.is_empty());
        let mut said = kind.to_owned();
        if let Some(a) = action {
            said.push_str(&format!(" ({a})"));
        }
        if let Some(d) = digits {
            said.push_str(&format!(": received {d}"));
            step.pressed = Some(d.to_owned());
        }
        step.reported = Some(said);
    } else {
        step.reported = Some(cut(&v.to_string(), 160));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use switchboard_asl::StateMachine;

    #[test]
    fn placeholders_match_the_text_deploy_put_there() {
        let m = matches_placeholders;
        assert!(m(
            "DynamoDB putItem ${Messages}",
            "DynamoDB putItem acme-Messages-1A2B"
        ));
        assert!(m(
            "DynamoDB putItem ${Messages} (2)",
            "DynamoDB putItem acme-Messages-1A2B (2)"
        ));
        assert!(!m("DynamoDB putItem ${Messages}", "DynamoDB putItem "));
        assert!(!m(
            "DynamoDB putItem ${Messages} (2)",
            "DynamoDB putItem acme (3)"
        ));
        assert!(m("${A} and ${B}", "x and y"));
        assert!(!m("${A} and ${B}", "x or y"));
    }

    #[test]
    fn a_name_goes_to_the_most_specific_state_its_placeholders_allow() {
        // `${T}` could stand for `acme-T-1A2B (3)`: the numbered state is the one meant.
        let m = StateMachine::from_json(
            &json!({"StartAt": "DynamoDB updateItem ${T}", "States": {
                "DynamoDB updateItem ${T}": {"Type": "Pass", "Next": "DynamoDB updateItem ${T} (3)"},
                "DynamoDB updateItem ${T} (3)": {"Type": "Pass", "End": true}}})
            .to_string(),
        )
        .unwrap();
        let g = Graph::from_machine("x", &m).unwrap();
        let name = |n: &str| state_name(&g, n);
        assert_eq!(
            name("DynamoDB updateItem acme-T-1A2B (3)").as_deref(),
            Some("DynamoDB updateItem ${T} (3)")
        );
        assert_eq!(
            name("DynamoDB updateItem acme-T-1A2B").as_deref(),
            Some("DynamoDB updateItem ${T}")
        );
    }

    #[test]
    fn timestamps_in_either_form() {
        assert_eq!(
            millis(&json!("2025-06-10T10:00:01.250000-04:00")),
            Some(1_749_564_001_250)
        );
        assert_eq!(millis(&json!(1749564001.25)), Some(1_749_564_001_250));
        assert_eq!(millis(&json!(null)), None);
    }
}
