//! What a state does, in one line a business owner reads: what is said, what is asked, who is
//! dialled, what is stored, how long it waits; Choice conditions and error names shortened for
//! edge labels.
//!
//! Read from the ASL only, so any definition gets words: our compiler's, the sample's hand-built
//! one (JSONPath, `Key.$` fields), one edited in Workflow Studio.

use serde_json::Value;
use switchboard::wire;
use switchboard_asl::choice::{ComparisonOp, Operand};
use switchboard_asl::errors;
use switchboard_asl::{Choice, IntOrExpr, State, Task, Test};

use crate::words::{cut, field, parenthesised, placeholder, split_top, Field, DYNAMIC};

/// The longest condition an edge label shows.
pub const MAX_CONDITION: usize = 48;

/// The one-line description of `state`.
pub fn state(state: &State) -> String {
    match state {
        State::Task(t) => task(t),
        State::Choice(c) => choice(c),
        State::Wait(w) => match (&w.seconds, &w.timestamp, &w.seconds_path, &w.timestamp_path) {
            (Some(IntOrExpr::Int(n)), ..) => format!("Waits {}", duration(*n)),
            (_, Some(ts), ..) => format!(
                "Waits until {}",
                Field::Static(&Value::from(ts.as_str())).value()
            ),
            (_, _, Some(p), _) => format!("Waits {} seconds", Field::Path(p).value()),
            (_, _, _, Some(p)) => format!("Waits until {}", Field::Path(p).value()),
            _ => "Waits a computed time".to_owned(),
        },
        State::Pass(p) => {
            let keys: Vec<String> = [&p.io.assign, &p.parameters, &p.result]
                .into_iter()
                .flatten()
                .filter_map(Value::as_object)
                .flat_map(|m| m.keys().map(|k| k.trim_end_matches(".$").to_owned()))
                .collect();
            if keys.is_empty() {
                "Goes on".to_owned()
            } else {
                format!("Notes {}", list(&keys, 4))
            }
        }
        State::Succeed(_) => "Ends".to_owned(),
        State::Fail(f) => match &f.error {
            Some(e) if !e.contains("{%") => format!("Fails: {e}"),
            _ => "Fails".to_owned(),
        },
        State::Parallel(p) => format!("Runs {} branches at once", p.branches.len()),
        State::Map(_) => "Repeats its steps for each item".to_owned(),
    }
}

/// `a, b, c and 2 more`.
fn list(items: &[String], max: usize) -> String {
    let shown = items
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    match items.len().saturating_sub(max) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// Seconds as `45 s`, `2 min`, `1 min 30 s`, `2 h`.
pub fn duration(secs: u64) -> String {
    match (secs / 3600, secs % 3600 / 60, secs % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, 0) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// The service and action of a Task resource: `arn:aws:states:::aws-sdk:dynamodb:query` →
/// (`dynamodb`, `query`); a Lambda function ARN → (`lambda`, `invoke`).
/// <https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html>
pub fn resource(resource: &str) -> (String, String) {
    if let Some(rest) = resource.strip_prefix("arn:aws:states:::") {
        let rest = rest.strip_prefix("aws-sdk:").unwrap_or(rest);
        let rest = rest.split('.').next().unwrap_or(rest);
        let mut parts = rest.splitn(2, ':');
        let service = parts.next().unwrap_or_default().to_owned();
        let action = parts.next().unwrap_or_default().to_owned();
        return (service, action);
    }
    let parts: Vec<&str> = resource.split(':').collect();
    match parts.as_slice() {
        ["arn", _, "lambda", _, _, "function", ..] => ("lambda".into(), "invoke".into()),
        ["arn", _, "states", _, _, "activity", name, ..] => ("activity".into(), (*name).into()),
        _ => (resource.to_owned(), String::new()),
    }
}

fn task(t: &Task) -> String {
    let params = t.arguments.as_ref().or(t.parameters.as_ref());
    let (service, action) = resource(&t.resource);
    if t.waits_for_task_token() && service == "sqs" {
        if let Some(body) = params.and_then(|p| field(p, "MessageBody")) {
            return match body {
                Field::Static(body) => match field(body, "Actions") {
                    Some(Field::Static(Value::Array(actions))) => pstn_actions(actions),
                    Some(_) => "Sends the caller actions worked out during the call".to_owned(),
                    None => "Sends a message and waits for the answer".to_owned(),
                },
                _ => {
                    "Sends a message worked out during the call and waits for the answer".to_owned()
                }
            };
        }
    }
    let table = || {
        params
            .and_then(|p| field(p, "TableName"))
            .map_or_else(|| "a table".to_owned(), Field::value)
    };
    let waits = if t.waits_for_task_token() {
        " and waits for its answer"
    } else {
        ""
    };
    let said = match (service.as_str(), action.as_str()) {
        ("dynamodb", "putItem") => format!("Stores a record in {}", table()),
        ("dynamodb", "getItem") => format!("Looks up a record in {}", table()),
        ("dynamodb", "query") => format!("Looks up records in {}", table()),
        ("dynamodb", "scan") => format!("Reads every record of {}", table()),
        ("dynamodb", "updateItem") => format!("Updates a record in {}", table()),
        ("dynamodb", "deleteItem") => format!("Deletes a record from {}", table()),
        ("lambda", _) => {
            let name = params
                .and_then(|p| field(p, "FunctionName"))
                .map(Field::value)
                .unwrap_or_else(|| t.resource.clone());
            format!("Runs the function {}", function_name(&name))
        }
        ("scheduler", "createSchedule") => {
            let target = params
                .and_then(|p| p.get("Target"))
                .and_then(|t| field(t, "Arn"))
                .map(Field::value)
                .unwrap_or_default();
            if target.contains("createSipMediaApplicationCall") {
                "Schedules a phone call".to_owned()
            } else if target.contains(":function:") || target.contains("lambda") {
                format!("Schedules the function {}", function_name(&target))
            } else {
                "Creates a schedule".to_owned()
            }
        }
        ("chimesdkvoice", "createSipMediaApplicationCall") => "Places a phone call".to_owned(),
        ("sqs", "sendMessage") => "Sends a message to a queue".to_owned(),
        ("sns", "publish") => "Sends a notification".to_owned(),
        ("events", "putEvents") => "Publishes an event".to_owned(),
        ("activity", name) => format!("Waits for the activity {name}"),
        (service, "") => format!("Calls {service}"),
        (service, action) => format!("Calls {service} {action}"),
    };
    format!("{said}{waits}")
}

/// `arn:aws:lambda:us-east-1:123:function:notify` → `notify`.
fn function_name(name: &str) -> String {
    match name.split(":function:").nth(1) {
        Some(rest) => rest.split(':').next().unwrap_or(rest).to_owned(),
        None => name.to_owned(),
    }
}

/// The actions of one PSTN audio response, each in a few words, joined by ` · `.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/specify-actions.html>
pub fn pstn_actions(actions: &[Value]) -> String {
    if actions.is_empty() {
        return "Waits for the next call event".to_owned();
    }
    actions
        .iter()
        .map(pstn_action)
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One PSTN audio action in a few words.
pub fn pstn_action(action: &Value) -> String {
    let kind = action
        .get("Type")
        .and_then(Value::as_str)
        .unwrap_or("an action");
    let null = Value::Null;
    let p = action.get("Parameters").unwrap_or(&null);
    let text = |obj: &Value| {
        field(obj, "Text")
            .map(Field::speech)
            .unwrap_or_else(|| DYNAMIC.into())
    };
    let audio = |obj: &Value| {
        obj.get("AudioSource")
            .and_then(|a| field(a, "Key"))
            .map_or_else(|| "a recording".to_owned(), Field::value)
    };
    let secs = |key: &str| field(p, key).and_then(Field::number);
    match kind {
        "Speak" => format!("Says “{}”", text(p)),
        "SpeakAndGetDigits" => {
            let speech = p
                .get("SpeechParameters")
                .map_or_else(|| DYNAMIC.to_owned(), text);
            format!("Asks “{speech}”{}", keys(p))
        }
        "PlayAudio" => format!("Plays {}", audio(p)),
        "PlayAudioAndGetDigits" => format!("Plays {} and asks{}", audio(p), keys(p)),
        "CallAndBridge" => {
            let to = p
                .get("Endpoints")
                .and_then(|e| e.get(0))
                .and_then(|e| field(e, "Uri"))
                .map_or_else(|| "a number".to_owned(), Field::value);
            format!("Dials {to}")
        }
        "RecordAudio" => match secs("DurationInSeconds") {
            Some(s) => format!("Records the caller (up to {})", duration(s as u64)),
            None => "Records the caller".to_owned(),
        },
        "StartCallRecording" => "Starts recording the call".to_owned(),
        "StopCallRecording" => "Stops recording the call".to_owned(),
        "PauseCallRecording" => "Pauses the call recording".to_owned(),
        "ResumeCallRecording" => "Resumes the call recording".to_owned(),
        "Hangup" => "Hangs up".to_owned(),
        "Pause" => match secs("DurationInMilliseconds") {
            Some(ms) => format!("Pauses {}", duration((ms / 1000.0).round() as u64)),
            None => "Pauses".to_owned(),
        },
        "SendDigits" => format!(
            "Sends the keys {}",
            field(p, "Digits").map_or_else(|| DYNAMIC.to_owned(), Field::value)
        ),
        "ReceiveDigits" => "Listens for keys".to_owned(),
        "JoinChimeMeeting" => "Joins a Chime meeting".to_owned(),
        "ModifyChimeMeetingAttendees" => "Changes the meeting's attendees".to_owned(),
        "StartBotConversation" => "Hands the caller to a bot".to_owned(),
        "VoiceFocus" => "Changes Voice Focus".to_owned(),
        "CallUpdateRequest" => "Updates the call".to_owned(),
        other => format!("Runs {other}"),
    }
}

/// ` (1 key)`, ` (4–10 keys)` of a digit prompt.
fn keys(p: &Value) -> String {
    let min = field(p, "MinNumberOfDigits").and_then(Field::number);
    let max = field(p, "MaxNumberOfDigits").and_then(Field::number);
    match (min, max) {
        (_, Some(1.0)) => " (1 key)".to_owned(),
        (Some(min), Some(max)) if min == max => format!(" ({max} keys)"),
        (Some(min), Some(max)) => format!(" ({min}–{max} keys)"),
        (None, Some(max)) => format!(" (up to {max} keys)"),
        _ => String::new(),
    }
}

/// `Which key? 1, 2, 3` when rules compare the keys pressed (`…, and 2 more checks` for the
/// others), else the conditions.
fn choice(c: &Choice) -> String {
    let keys: Vec<String> = c.choices.iter().filter_map(|r| keypress(&r.test)).collect();
    let others = c.choices.len() - keys.len();
    if !keys.is_empty() {
        let more = match others {
            0 => String::new(),
            1 => ", and 1 more check".to_owned(),
            n => format!(", and {n} more checks"),
        };
        return format!("Which key? {}{more}", keys.join(", "));
    }
    let conds: Vec<String> = c.choices.iter().map(|r| condition(&r.test)).collect();
    match conds.as_slice() {
        [one] => format!("Checks {one}"),
        _ => format!("Checks {}", cut(&conds.join("; "), 100)),
    }
}

/// The keys a test compares the caller's digits with, if that is all it does: a field named
/// `ReceivedDigits` (PSTN audio's `ActionData`) or `digits` equal to a string of keys, or (JSONata)
/// `in` a list of them. Several keys read `1 or 2`.
fn keypress(test: &Test) -> Option<String> {
    let (path, values): (String, Vec<String>) = match test {
        Test::Compare(c) if c.op == ComparisonOp::StringEquals => {
            (c.variable.clone(), vec![c.operand.as_str()?.to_owned()])
        }
        Test::Condition(Value::String(s)) => {
            let inner = s.trim().strip_prefix("{%")?.strip_suffix("%}")?.trim();
            let quoted = |v: &str| {
                let v = v.trim();
                v.strip_prefix('"')
                    .and_then(|r| r.strip_suffix('"'))
                    .map(str::to_owned)
            };
            if let Some((l, r)) = inner.split_once(" in ") {
                let list = r.trim().strip_prefix('[')?.strip_suffix(']')?;
                let values: Option<Vec<String>> =
                    split_top(list, ',').into_iter().map(quoted).collect();
                (l.trim().to_owned(), values?)
            } else {
                let (l, r) = inner.split_once('=')?;
                let l = l.trim();
                if l.ends_with('!') || l.ends_with('<') || l.ends_with('>') {
                    return None;
                }
                (l.to_owned(), vec![quoted(r)?])
            }
        }
        _ => return None,
    };
    let last = path.rsplit('.').next()?;
    let keys = !values.is_empty()
        && values.iter().all(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_digit() || c == '*' || c == '#')
        });
    (keys && (last == "ReceivedDigits" || last == "digits")).then(|| values.join(" or "))
}

/// A Choice test, shortened for an edge label: `pressed 1`, `Call.Direction = 'Outbound'`.
pub fn condition(test: &Test) -> String {
    if let Some(k) = keypress(test) {
        return format!("pressed {k}");
    }
    let text = match test {
        Test::Condition(Value::Bool(b)) => if *b { "always" } else { "never" }.to_owned(),
        Test::Condition(Value::String(s)) => {
            let t = s.trim();
            let inner = t
                .strip_prefix("{%")
                .and_then(|x| x.strip_suffix("%}"))
                .unwrap_or(t);
            undollar(block_value(inner.trim()))
        }
        Test::Condition(other) => other.to_string(),
        Test::Compare(c) => {
            let var = path(&c.variable);
            let operand = match (c.op.operand(), &c.operand) {
                (Operand::Path, Value::String(p)) => path(p),
                (_, Value::String(s)) => format!("'{s}'"),
                (_, v) => v.to_string(),
            };
            let name = c.op.as_str().trim_end_matches("Path");
            let sym = if name.ends_with("LessThanEquals") {
                "<="
            } else if name.ends_with("GreaterThanEquals") {
                ">="
            } else if name.ends_with("LessThan") {
                "<"
            } else if name.ends_with("GreaterThan") {
                ">"
            } else if name.ends_with("Equals") {
                "="
            } else {
                ""
            };
            let yes = c.operand.as_bool() != Some(false);
            match (name, sym) {
                (_, s) if !s.is_empty() => format!("{var} {s} {operand}"),
                ("StringMatches", _) => format!("{var} matches {operand}"),
                ("IsPresent", _) => format!("{var} is {}set", if yes { "" } else { "not " }),
                ("IsNull", _) => format!("{var} is {}null", if yes { "" } else { "not " }),
                (other, _) => {
                    let what = other.trim_start_matches("Is").to_lowercase();
                    format!("{var} is {}a {what}", if yes { "" } else { "not " })
                }
            }
        }
        Test::Not(t) => format!("not ({})", condition(t)),
        Test::And(ts) => join(ts, " and "),
        Test::Or(ts) => join(ts, " or "),
    };
    cut(&text, MAX_CONDITION)
}

fn join(tests: &[Test], sep: &str) -> String {
    tests
        .iter()
        .map(|t| match t {
            Test::And(_) | Test::Or(_) => format!("({})", condition(t)),
            _ => condition(t),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// A JSONPath path without its `$.`/`$`: `$.ActionData.ReceivedDigits` → `ActionData.ReceivedDigits`.
fn path(p: &str) -> String {
    let p = p.trim_start_matches("$$.").trim_start_matches('$');
    placeholder(p.trim_start_matches('.'))
}

/// The expression that gives a JSONata block's value: the last of `(a := …; b := …; test)`,
/// the assignments before it being bookkeeping (the compiler keeps the call's details there).
fn block_value(expr: &str) -> &str {
    let mut e = expr.trim();
    loop {
        let parts = split_top(e, ';');
        if parts.len() > 1 {
            e = parts[parts.len() - 1].trim();
            continue;
        }
        match parenthesised(e) {
            Some(inner) if split_top(inner, ';').len() > 1 => e = inner.trim(),
            _ => return e,
        }
    }
}

/// A JSONata expression without the `$` of its variables (outside strings).
fn undollar(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut quote: Option<char> = None;
    let mut chars = expr.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None => match c {
                '"' | '\'' => {
                    quote = Some(c);
                    out.push(c);
                }
                '$' if chars.peek().is_some_and(|n| n.is_alphabetic() || *n == '_') => {}
                _ => out.push(c),
            },
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The errors of a catcher in words: `caller hung up`, `any error`, or the error's name.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>
pub fn errors(names: &[String]) -> String {
    names
        .iter()
        .map(|n| match n.as_str() {
            wire::ERROR_HANGUP => "caller hung up".to_owned(),
            errors::ALL => "any error".to_owned(),
            errors::TIMEOUT => "timed out".to_owned(),
            errors::TASK_FAILED => "task failed".to_owned(),
            wire::ERROR_ACTION_FAILED => "action failed".to_owned(),
            other => other.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use switchboard_asl::Comparison;

    #[test]
    fn resources_name_service_and_action() {
        let r = |s: &str| resource(s);
        assert_eq!(
            r("arn:aws:states:::dynamodb:putItem"),
            ("dynamodb".into(), "putItem".into())
        );
        assert_eq!(
            r("arn:aws:states:::aws-sdk:dynamodb:query"),
            ("dynamodb".into(), "query".into())
        );
        assert_eq!(
            r("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            ("sqs".into(), "sendMessage".into())
        );
        assert_eq!(
            r("arn:aws:lambda:us-east-1:123456789012:function:notify"),
            ("lambda".into(), "invoke".into())
        );
    }

    #[test]
    fn actions_say_what_the_caller_hears() {
        let a = json!([
            {"Type": "Speak", "Parameters": {"Text": "<speak>Hi <break/>there</speak>"}},
            {"Type": "SpeakAndGetDigits", "Parameters": {"SpeechParameters": {"Text": "Press 1."}, "MinNumberOfDigits": 1, "MaxNumberOfDigits": 1}},
            {"Type": "CallAndBridge", "Parameters": {"Endpoints": [{"Uri": "+12065550100"}]}}
        ]);
        assert_eq!(
            pstn_actions(a.as_array().unwrap()),
            "Says “Hi there” · Asks “Press 1.” (1 key) · Dials +12065550100"
        );
        assert_eq!(pstn_actions(&[]), "Waits for the next call event");
    }

    #[test]
    fn conditions_are_shortened() {
        let c = Test::Compare(Comparison::new(
            "$.ActionData.ReceivedDigits",
            ComparisonOp::StringEquals,
            "3",
        ));
        assert_eq!(condition(&c), "pressed 3");
        let c = Test::Condition(json!("{% $choice.digits = \"1\" %}"));
        assert_eq!(condition(&c), "pressed 1");
        let c = Test::Condition(json!("{% $choice.digits in [\"1\", \"2\"] %}"));
        assert_eq!(condition(&c), "pressed 1 or 2");
        let c = Test::Condition(json!("{% $choice.digits in [\"1\", $x] %}"));
        assert_eq!(condition(&c), "choice.digits in [\"1\", x]");
        let c = Test::Condition(json!("{% $choice.digits != \"1\" %}"));
        assert_eq!(condition(&c), "choice.digits != \"1\"");
        let c = Test::Condition(json!(
            "{% ($call := ({\"From\": $x}); ($call.Direction = \"Outbound\")) %}"
        ));
        assert_eq!(condition(&c), "(call.Direction = \"Outbound\")");
        let c = Test::Compare(Comparison::new(
            "$Call.Direction",
            ComparisonOp::StringEquals,
            "Outbound",
        ));
        assert_eq!(condition(&c), "Call.Direction = 'Outbound'");
        let c = Test::Compare(Comparison::new(
            "$.Error.Error",
            ComparisonOp::IsPresent,
            true,
        ));
        assert_eq!(condition(&c), "Error.Error is set");
        let long = Test::Condition(json!(
            "{% $a.very.long.path.name = $another.very.long.path.name and $x %}"
        ));
        assert!(condition(&long).chars().count() <= MAX_CONDITION);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(120), "2 min");
        assert_eq!(duration(90), "1 min 30 s");
        assert_eq!(duration(7200), "2 h");
    }
}
