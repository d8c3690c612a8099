//! This crate owns the Amazon States Language (ASL) model that Switchboard's compiler writes and
//! its simulator, deploy step and viewer read: plain serde types for a state machine definition,
//! its canonical JSON, and the parser that names the state and field at fault.
//!
//! ```
//! use switchboard_asl::{State, StateMachine};
//!
//! let text = r#"{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "End": true}}}"#;
//! let machine = StateMachine::from_json(text)?;
//! assert!(matches!(machine.states["Hello"], State::Pass(_)));
//! assert!(machine.to_canonical_json().starts_with("{\n  \"StartAt\": \"Hello\""));
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! What it offers:
//! - the model: [`StateMachine`] and [`State`], one file per state type, with the data-flow
//!   fields ([`Io`]) and `Retry`/`Catch` ([`Handlers`]) declared once and shared;
//! - [`StateMachine::from_json`] and [`StateMachine::to_canonical_json`];
//! - the transition walker: [`State::successors`] (typed [`Edge`]s), [`State::scopes`];
//! - Step Functions' error names and how `ErrorEquals` matches them: [`errors`];
//! - the graph checks (reachability, `Next` targets, names, loops, timeouts, size): [`graph`].
//!
//! One file per state type; PascalCase on the wire; struct field order is the canonical
//! output order (`Type`, `Comment`, `QueryLanguage`, …, `Next`/`End` last), a shared block's
//! fields sitting where the block is flattened into the state. Both query
//! languages are modelled: JSONPath fields (`InputPath`, `Parameters`, `ResultSelector`,
//! `ResultPath`, `OutputPath`) and JSONata fields (`Arguments`, `Output`), plus `Assign`.
//! Free-form JSON is `serde_json::Value` (with `preserve_order`, so keys keep their order).
//! Closed objects use `deny_unknown_fields`, so a typo in a hand-written definition is an
//! error that names the field and the state.
//!
//! Spec: <https://states-language.net/spec.html>; JSONata fields:
//! <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>.

pub mod choice;
pub mod comment;
pub mod common;
mod emit;
pub mod errors;
pub mod fail;
pub mod graph;
pub mod history;
mod language;
pub mod map;
pub mod names;
pub mod parallel;
pub mod pass;
pub mod pointer;
pub mod succeed;
pub mod task;
pub mod wait;
mod walk;

use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

pub use choice::{Choice, ChoiceRule, Comparison, ComparisonOp, Test};
pub use common::{Catcher, Handlers, IntOrExpr, Io, QueryLanguage, Retrier};
pub use fail::Fail;
pub use map::{ItemProcessor, Map, ProcessorConfig};
pub use parallel::{Branch, Parallel};
pub use pass::Pass;
pub use succeed::Succeed;
pub use task::Task;
pub use wait::Wait;
pub use walk::{Edge, Scope, ScopeKind, Transition};

/// The `States` object of a machine, a branch or an item processor, in declaration order.
pub type States = IndexMap<String, State>;

/// A whole state machine definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StateMachine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    pub start_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(deserialize_with = "deserialize_states")]
    pub states: States,
}

impl StateMachine {
    /// An empty machine that starts at `start_at`; add states to `states`.
    pub fn new(start_at: impl Into<String>) -> Self {
        StateMachine {
            comment: None,
            query_language: None,
            start_at: start_at.into(),
            timeout_seconds: None,
            version: None,
            states: States::new(),
        }
    }

    /// Parses a definition. Errors name the offending state and field.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// One state, tagged by `"Type"`.
///
/// Variants are stored inline (the Map variant is the largest): machines are built once and
/// kept in an `IndexMap`, and unboxed variants keep construction by the lowering plain.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "Type")]
pub enum State {
    Pass(Pass),
    Task(Task),
    Choice(Choice),
    Wait(Wait),
    Succeed(Succeed),
    Fail(Fail),
    Parallel(Parallel),
    Map(Map),
}

impl State {
    /// The `Type` name on the wire.
    pub fn type_name(&self) -> &'static str {
        match self {
            State::Pass(_) => "Pass",
            State::Task(_) => "Task",
            State::Choice(_) => "Choice",
            State::Wait(_) => "Wait",
            State::Succeed(_) => "Succeed",
            State::Fail(_) => "Fail",
            State::Parallel(_) => "Parallel",
            State::Map(_) => "Map",
        }
    }

    pub fn comment(&self) -> Option<&str> {
        match self {
            State::Pass(s) => s.comment.as_deref(),
            State::Task(s) => s.comment.as_deref(),
            State::Choice(s) => s.comment.as_deref(),
            State::Wait(s) => s.comment.as_deref(),
            State::Succeed(s) => s.comment.as_deref(),
            State::Fail(s) => s.comment.as_deref(),
            State::Parallel(s) => s.comment.as_deref(),
            State::Map(s) => s.comment.as_deref(),
        }
    }

    /// The data-flow block ([`Io`]) of every state but Fail.
    pub fn io(&self) -> Option<&Io> {
        match self {
            State::Pass(s) => Some(&s.io),
            State::Task(s) => Some(&s.io),
            State::Choice(s) => Some(&s.io),
            State::Wait(s) => Some(&s.io),
            State::Succeed(s) => Some(&s.io),
            State::Parallel(s) => Some(&s.io),
            State::Map(s) => Some(&s.io),
            State::Fail(_) => None,
        }
    }

    /// `Retry` and `Catch` of a Task, Parallel or Map; `None` for the other types.
    pub fn handlers(&self) -> Option<&Handlers> {
        match self {
            State::Task(s) => Some(&s.handlers),
            State::Parallel(s) => Some(&s.handlers),
            State::Map(s) => Some(&s.handlers),
            _ => None,
        }
    }
}

/// Deserialises a `States` object, rejecting duplicate names (JSON parsers would silently keep
/// the last one) and prefixing every error with the state it is in.
pub(crate) fn deserialize_states<'de, D: Deserializer<'de>>(d: D) -> Result<States, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = States;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object mapping state names to states")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<States, A::Error> {
            let mut states = States::with_capacity(map.size_hint().unwrap_or(0));
            while let Some(name) = map.next_key::<String>()? {
                let raw: serde_json::Value = map.next_value()?;
                let state = State::deserialize(raw)
                    .map_err(|e| de::Error::custom(format!("state `{name}`: {e}")))?;
                if let State::Succeed(Succeed {
                    io: Io {
                        assign: Some(_), ..
                    },
                    ..
                }) = state
                {
                    // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
                    return Err(de::Error::custom(format!(
                        "state `{name}`: a Succeed state cannot have `Assign` (only Pass, Task, \
                         Choice, Wait, Parallel and Map assign variables): move it to the state \
                         before"
                    )));
                }
                if states.contains_key(&name) {
                    return Err(de::Error::custom(format!(
                        "duplicate state name `{name}`: state names must be unique, rename one"
                    )));
                }
                states.insert(name, state);
            }
            Ok(states)
        }
    }
    d.deserialize_map(V)
}
