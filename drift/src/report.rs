//! Each difference at the Rust line it comes from, in words: the builder call to change and the
//! argument to write for a changed text or option, the state for a rewired transition, where a
//! state was added or removed.
//!
//! Where: a value a builder call set (or would set) is at that call's line and column (the
//! compiler's [`Sources`]); anything else of a state is at the line its `Comment` names; what
//! has neither is at the flow function. Findings are ordered by file, line and column, then by
//! kind and state, so the report is the same every time.

use crate::compare::{Difference, Kind, Target, Way};
use serde_json::Value as Json;
use std::fmt;
use switchboard::ir::{Call, Loc, Origin, Sent};
use switchboard::wire;
use switchboard_asl::pointer;
use switchboard_compiler::emit::comment_location;
use switchboard_compiler::sources::Sources;

/// A place in the Rust source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub file: String,
    pub line: u32,
    /// Known for a builder call; a state's `Comment` names the line only.
    pub column: Option<u32>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        match self.column {
            Some(c) => write!(f, ":{c}"),
            None => Ok(()),
        }
    }
}

impl From<Loc> for Place {
    fn from(l: Loc) -> Place {
        Place {
            file: l.file.to_owned(),
            line: l.line,
            column: Some(l.column),
        }
    }
}

/// One difference, explained.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub place: Place,
    /// `text`, `option`, `value`, `edge`, `added state`, `removed state`.
    pub category: &'static str,
    /// What differs: `state `X`: SpeakAndGetDigits Repeat: 3 → 4`.
    pub headline: String,
    /// What to change in the flow.
    pub advice: String,
    /// For a value a builder call sets (or would): what to change.
    pub change: Option<Change>,
    /// The difference's pointer in our definition.
    pub pointer: String,
    /// Filled in by `--apply`'s planning: what happens to it (`applied`, or why not).
    pub outcome: Option<String>,
}

impl Finding {
    /// Sort key: the place, then the kind, the state, the pointer.
    fn key(&self) -> (&Place, u8, &str, &str) {
        let rank = match self.category {
            "text" | "option" | "value" => 0,
            "edge" => 1,
            "added state" => 2,
            _ => 3,
        };
        (
            &self.place,
            rank,
            self.headline.as_str(),
            self.pointer.as_str(),
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}\n    {}",
            self.place, self.category, self.headline, self.advice
        )?;
        match &self.outcome {
            Some(o) => write!(f, "; {o}"),
            None => Ok(()),
        }
    }
}

/// A value a builder call sets (or would), changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub origin: Origin,
    /// Our value, and the argument that sends theirs (`None`: absent there, or no argument
    /// sends it).
    pub ours: Option<Json>,
    pub argument: Option<Json>,
}

/// What the findings are read against: our definition, where its values come from, and where
/// the flow function is.
pub struct Ours<'a> {
    pub definition: &'a Json,
    pub sources: &'a Sources,
    pub flow: Loc,
}

/// Every difference explained, in report order.
pub fn explain(diffs: &[Difference], ours: &Ours) -> Vec<Finding> {
    let mut out: Vec<Finding> = diffs.iter().map(|d| one(d, ours)).collect();
    out.sort_by(|a, b| a.key().cmp(&b.key()));
    out
}

fn one(d: &Difference, ours: &Ours) -> Finding {
    let finding = |place: Place, category, headline: String, advice: String| Finding {
        place,
        category,
        headline,
        advice,
        change: None,
        pointer: d.pointer.clone(),
        outcome: None,
    };
    let scope = d.pointer.rsplit_once("/States/").map_or("", |(s, _)| s);
    let state_at = |name: &str| format!("{scope}/States/{}", pointer::escape(name));
    match &d.kind {
        Kind::Value { ours: o, theirs: t } => value(d, o.as_ref(), t.as_ref(), ours),
        Kind::Edge {
            slot,
            ours: o,
            theirs: t,
        } => {
            let headline = if d.state.is_empty() {
                format!(
                    "the machine starts at {} there, {} here",
                    target(t),
                    target(o)
                )
            } else {
                format!(
                    "state `{}`: {slot} goes to {} there, {} here",
                    d.state,
                    target(t),
                    target(o)
                )
            };
            finding(
                state_place(ours, &d.pointer),
                "edge",
                headline,
                "the transition is the flow's control flow at this line (an `if`, a `match` arm, the next statement, an `Err` arm): change it there".into(),
            )
        }
        Kind::Added {
            type_name,
            from,
            to,
        } => {
            let place = from.first().map_or_else(
                || flow_place(ours),
                |w| state_place(ours, &state_at(&w.state)),
            );
            let mut headline = format!("state `{}` ({type_name}) is there only", d.state);
            for Way { state, slot, other } in from {
                headline.push_str(&format!(
                    "; `{state}` {slot} leads to it (here to {})",
                    target(other)
                ));
            }
            let on: Vec<String> = to
                .iter()
                .map(|(s, t)| format!("{s} {}", target(t)))
                .collect();
            if !on.is_empty() {
                headline.push_str(&format!("; it goes on: {}", on.join(", ")));
            }
            finding(
                place,
                "added state",
                headline,
                "write the step it takes in the flow at this line, or remove it in Workflow Studio"
                    .into(),
            )
        }
        Kind::Removed { type_name, instead } => {
            let mut headline = format!("state `{}` ({type_name}) is not there", d.state);
            for Way { state, slot, other } in instead {
                headline.push_str(&format!(
                    "; `{state}` {slot} goes to {} there instead",
                    target(other)
                ));
            }
            finding(
                state_place(ours, &d.pointer),
                "removed state",
                headline,
                "remove the step from the flow at this line, or put the state back in Workflow Studio".into(),
            )
        }
    }
}

fn target(t: &Target) -> String {
    match t {
        Target::State(s) => format!("`{s}`"),
        Target::Theirs(s) => format!("`{s}` (there only)"),
        Target::End => "the end".into(),
    }
}

fn flow_place(ours: &Ours) -> Place {
    Place {
        column: None,
        ..Place::from(ours.flow)
    }
}

/// The line the `Comment` of the state at (or containing) `at` names, else the flow's.
fn state_place(ours: &Ours, at: &str) -> Place {
    let state = state_pointer(at);
    let comment = ours
        .definition
        .pointer(state)
        .and_then(|s| s.get("Comment"))
        .and_then(Json::as_str);
    match comment.and_then(comment_location) {
        Some((file, line)) => Place {
            file: file.to_owned(),
            line,
            column: None,
        },
        None => flow_place(ours),
    }
}

/// The pointer of the (innermost) state `at` is in: up to the name after the last `/States/`.
fn state_pointer(at: &str) -> &str {
    let Some(i) = at.rfind("/States/") else {
        return "";
    };
    let name_start = i + "/States/".len();
    at[name_start..]
        .find('/')
        .map_or(at, |j| &at[..name_start + j])
}

/// A value: at the builder call that set it (or would), named as that call; else at its state.
fn value(d: &Difference, o: Option<&Json>, t: Option<&Json>, ours: &Ours) -> Finding {
    let state = state_pointer(&d.pointer);
    let what = what(ours.definition, state, &d.pointer, o.or(t));
    let show = |v: Option<&Json>| v.map_or("(absent)".to_owned(), |v| v.to_string());
    let whose = match d.state.as_str() {
        "" => "the machine".to_owned(),
        name => format!("state `{name}`"),
    };
    let headline = format!("{whose}: {what}: {} here, {} there", show(o), show(t));
    let is_text = o.or(t).is_some_and(Json::is_string);
    let origin = ours.sources.get(&d.pointer).or_else(|| {
        // A whole action or object of ours: at the call that made it. (One they added has no
        // call: it is at its state.)
        o?;
        ours.sources
            .iter()
            .filter(|(p, _)| {
                p.strip_prefix(d.pointer.as_str())
                    .is_some_and(|r| r.starts_with('/'))
            })
            .map(|(_, o)| o)
            .find(|o| matches!(o.call, Call::Function(_)))
    });
    let exact = ours.sources.get(&d.pointer);
    let (place, advice, change) = match (exact, origin) {
        (Some(origin), _) => {
            let argument = t.and_then(|t| origin.sent.argument(t));
            let change = Change {
                origin: origin.clone(),
                ours: o.cloned(),
                argument,
            };
            let advice = advise(origin, t, change.argument.as_ref());
            (Place::from(origin.loc), advice, Some(change))
        }
        (None, Some(origin)) if t.is_none() && what.starts_with("action ") => (
            Place::from(origin.loc),
            format!("they removed the action `{}(…)` sends: remove the call", origin.call.name()),
            None,
        ),
        (None, Some(origin)) => (
            Place::from(origin.loc),
            format!("made by the call of `{}` here: change the flow at this call", origin.call.name()),
            None,
        ),
        (None, None) if o.is_none() && what.starts_with("action ") => (
            state_place(ours, &d.pointer),
            "they added an action to this response: write it in the flow at this line".into(),
            None,
        ),
        (None, None) if waits(ours.definition, state) && d.pointer == format!("{state}/TimeoutSeconds") => (
            state_place(ours, &d.pointer),
            "the compiler derives a waiting Task's timeout from what it sends (the length of each text, `.retries(…)`, `.max_minutes(…)`, …): it follows the flow's other values, so compile and deploy the flow rather than edit it".into(),
            None,
        ),
        (None, None) => (
            state_place(ours, &d.pointer),
            "no one builder call sets it: it comes from the flow's code at this line; change it there".into(),
            None,
        ),
    };
    let category = match (change.is_some(), is_text) {
        (true, true) => "text",
        (true, false) => "option",
        (false, _) => "value",
    };
    Finding {
        place,
        category,
        headline,
        advice,
        change,
        pointer: d.pointer.clone(),
        outcome: None,
    }
}

/// Whether the state at `state` is a waiting Task (a round trip to the caller).
fn waits(definition: &Json, state: &str) -> bool {
    let resource = definition.pointer(&format!("{state}/Resource"));
    resource.and_then(Json::as_str) == Some(wire::RESOURCE_SEND_AND_WAIT)
}

/// What to write: the argument that sends their value, or the call to add or remove.
fn advise(o: &Origin, theirs: Option<&Json>, arg: Option<&Json>) -> String {
    let name = o.call.name();
    let call = |arg: &str| match o.call {
        Call::Method(_) => format!("`.{name}({arg})`"),
        Call::Function(_) => format!("`{name}(…)`"),
    };
    let lit = |a: &Json| crate::source::rust_literal(a, "").unwrap_or_else(|| a.to_string());
    match (o.called, theirs, arg, o.sent) {
        (true, Some(_), Some(_), Sent::Flag(_)) => format!("keep {}", call("")),
        (false, Some(_), Some(_), Sent::Flag(_)) => format!("add {} to this call", call("")),
        (true, _, None, Sent::Flag(_)) => format!("remove {} (its value is not theirs)", call("")),
        (true, Some(_), Some(a), _) => match o.call {
            Call::Method(_) if o.arg == 0 => format!("write {}", call(&lit(a))),
            _ => format!("write {} as argument {} of {}", lit(a), o.arg + 1, call("…")),
        },
        (false, Some(_), Some(a), _) if o.arg == 0 => {
            format!("add {} to this call (the flow leaves it at what Switchboard sends)", call(&lit(a)))
        }
        (false, Some(_), Some(a), _) => format!(
            "add {} to this call, with {} as argument {}",
            call("…"),
            lit(a),
            o.arg + 1
        ),
        (true, None, _, _) => format!("they removed the value {} sets: remove the call, or put the value back in Workflow Studio", call("…")),
        (false, None, _, _) => "they removed a value Switchboard always sends: put it back in Workflow Studio".into(),
        (_, Some(t), None, _) => format!("no argument of {} sends {t}", call("…")),
    }
}

/// The value at `at` in words: `SpeakAndGetDigits Repeat` for an action's parameter, else its
/// path from the state (`Arguments.TableName`, `Choices[1].Condition`).
/// `value` is the value at `at` (ours, else theirs): an action's own `Type` when `at` is a whole
/// action.
fn what(definition: &Json, state: &str, at: &str, value: Option<&Json>) -> String {
    let rest = at.strip_prefix(state).unwrap_or(at);
    let owned = pointer::tokens(rest).unwrap_or_default();
    let tokens: Vec<&str> = owned.iter().map(String::as_str).collect();
    if let ["Arguments", "MessageBody", "Actions", i, tail @ ..] = tokens.as_slice() {
        let action_at = format!("{state}/Arguments/MessageBody/Actions/{i}");
        let kind = match tail {
            [] => value.and_then(|v| v.get("Type")),
            _ => definition.pointer(&format!("{action_at}/Type")),
        };
        let kind = kind.and_then(Json::as_str).unwrap_or("action");
        let n = i.parse::<usize>().map_or(0, |n| n + 1);
        return match tail {
            [] => format!("action {n} ({kind})"),
            ["Parameters", rest @ ..] if !rest.is_empty() => format!("{kind} {}", dotted(rest)),
            _ => format!("{kind} {}", dotted(tail)),
        };
    }
    dotted(&tokens)
}

fn dotted(tokens: &[&str]) -> String {
    let mut out = String::new();
    for t in tokens {
        if t.parse::<usize>().is_ok() {
            out.push_str(&format!("[{}]", t.parse::<usize>().unwrap_or(0) + 1));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_the_name_after_the_last_states() {
        assert_eq!(state_pointer("/States/A/Arguments/x"), "/States/A");
        assert_eq!(
            state_pointer("/States/P/Branches/0/States/B/TimeoutSeconds"),
            "/States/P/Branches/0/States/B"
        );
        assert_eq!(state_pointer("/States/A"), "/States/A");
        assert_eq!(state_pointer("/TimeoutSeconds"), "");
    }

    #[test]
    fn paths_read_as_fields() {
        let def = serde_json::json!({"States": {"A": {"Arguments": {"MessageBody": {"Actions": [
            {"Type": "Speak"}, {"Type": "SpeakAndGetDigits"}]}}}}});
        let at = "/States/A/Arguments/MessageBody/Actions/1/Parameters/SpeechParameters/Text";
        assert_eq!(
            what(&def, "/States/A", at, None),
            "SpeakAndGetDigits SpeechParameters.Text"
        );
        assert_eq!(
            what(&def, "/States/A", "/States/A/Choices/0/Condition", None),
            "Choices[1].Condition"
        );
        let whole = "/States/A/Arguments/MessageBody/Actions/0";
        let added = serde_json::json!({"Type": "PlayAudio"});
        assert_eq!(
            what(&def, "/States/A", whole, Some(&added)),
            "action 1 (PlayAudio)"
        );
    }
}
