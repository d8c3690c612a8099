//! A definition as graph data: one node per state with what it does in words and its Rust
//! `file:line`, the transitions as labelled edges, the two catches every waiting state has as
//! badges, groups by Rust file. Read from the ASL alone (JSONata or JSONPath), so a definition
//! edited elsewhere or written by hand draws as well as a compiled one.
//!
//! Everything is in declaration order (states as the definition lists them, edges in
//! [`State::successors`] order), so the same definition always gives the same graph.

use std::collections::BTreeSet;
use std::fmt;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use switchboard::wire;
use switchboard_asl::{errors, QueryLanguage, State, StateMachine, Transition};

use crate::describe;

/// A flow's graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    /// The flow's name (its file name without `.asl.json`).
    pub name: String,
    /// The definition's top-level `Comment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `JSONata` or `JSONPath`: the definition's top-level `QueryLanguage` (JSONPath when absent).
    pub query_language: String,
    /// The `StartAt` state.
    pub start: String,
    /// The Rust files the states' comments name, in order of first appearance.
    pub groups: Vec<String>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// The state most states go to on any error (see [`Graph::from_machine`]), drawn as a badge
    /// on each of them rather than as an edge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_handler: Option<String>,
}

/// One state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// The state's name.
    pub name: String,
    /// Its `Type`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What it does, in one line.
    pub label: String,
    /// The Rust `file:line` its `Comment` names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Index into [`Graph::groups`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<usize>,
    /// Waits for the caller: a Task that waits for its task token.
    #[serde(default, skip_serializing_if = "is_false")]
    pub waits: bool,
    /// An end state (Succeed, Fail, or a Pass that only ends), drawn again near each use.
    #[serde(default, skip_serializing_if = "is_false")]
    pub end: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub badges: Vec<Badge>,
    /// The Parallel or Map state whose branch or item processor holds this state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A Rust source location, as a state's `Comment` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub line: u32,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

impl Source {
    /// The location a `Comment` starts with, in the form the compiler writes it
    /// ([`switchboard_asl::comment`]). A comment in any other form names none.
    pub fn from_comment(comment: &str) -> Option<Source> {
        let (file, line) = switchboard_asl::comment::location(comment)?;
        Some(Source {
            file: file.to_owned(),
            line,
        })
    }
}

/// A catch drawn on its state rather than as an edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    pub kind: BadgeKind,
    /// The catcher's `ErrorEquals`.
    pub errors: Vec<String>,
    /// The catcher's `Next`.
    pub to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BadgeKind {
    /// The caller hung up (`HANGUP`, the wire contract's error) and the flow ends.
    Hangup,
    /// Any other error (`States.ALL`) goes to the flow's error handler.
    Error,
}

/// One transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    /// The Choice condition (shortened), `otherwise`, or the errors caught, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// A catcher's `ErrorEquals`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    Next,
    /// A Choice rule's `Next`.
    Rule,
    Default,
    Catch,
    /// From a Parallel or Map state to the start of one of its branches.
    Branch,
}

/// A definition that cannot be drawn: a transition to a state it does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub state: String,
    pub message: String,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state `{}`: {}", self.state, self.message)
    }
}

impl std::error::Error for GraphError {}

/// The fewest states whose catchers must share a `States.ALL` target for it to be drawn as the
/// error handler's badge.
const MIN_HANDLER_USES: usize = 3;

impl Graph {
    /// The graph of `machine`, named `name`.
    ///
    /// The badges are found from the definition's structure, not from state names:
    /// - **hang-up**: a catcher of exactly `HANGUP` (the error the router fails a waiting
    ///   Task's token with when the caller's leg hangs up, `switchboard::wire::ERROR_HANGUP`)
    ///   whose `Next` is an end state. A `HANGUP` catcher that goes on doing something (filing
    ///   a message left by hanging up) stays an edge.
    /// - **error**: a catcher that includes `States.ALL` and goes to the error handler: the
    ///   `States.ALL` target of more catchers than any other, and of at least
    ///   [`MIN_HANDLER_USES`] (our compiler's apology path; the sample's `Check Error
    ///   Message`). Catchers that go elsewhere (an `Err` arm back to a menu) stay edges.
    pub fn from_machine(name: &str, machine: &StateMachine) -> Result<Graph, GraphError> {
        let mut flat: Vec<(&str, &State, Option<&str>)> = Vec::new();
        flatten(&machine.states, None, &mut flat);
        let kinds: IndexMap<&str, &State> = flat.iter().map(|(n, s, _)| (*n, *s)).collect();
        let handler = error_handler(&flat);

        let mut groups: IndexMap<String, ()> = IndexMap::new();
        let mut nodes = Vec::with_capacity(flat.len());
        let mut edges = Vec::new();
        for &(name, state, parent) in &flat {
            let source = state.comment().and_then(Source::from_comment);
            let group = source
                .as_ref()
                .map(|s| groups.insert_full(s.file.clone(), ()).0);
            let mut badges = Vec::new();
            for e in state.successors() {
                let Some(target) = kinds.get(e.target) else {
                    return Err(GraphError {
                        state: name.to_owned(),
                        message: format!(
                            "{} names `{}`, which is not a state of this definition: correct the name or add the state",
                            e.kind, e.target
                        ),
                    });
                };
                let (kind, label, errors) = match (e.kind, state) {
                    (Transition::Next, _) => (EdgeKind::Next, None, Vec::new()),
                    (Transition::Default, _) => {
                        (EdgeKind::Default, Some("otherwise".to_owned()), Vec::new())
                    }
                    (Transition::Rule(i), State::Choice(c)) => (
                        EdgeKind::Rule,
                        Some(describe::condition(&c.choices[i].test)),
                        Vec::new(),
                    ),
                    (Transition::Catch(i), _) => {
                        let names = state
                            .handlers()
                            .map(|h| h.catch[i].error_equals.clone())
                            .unwrap_or_default();
                        if let Some(kind) = badge_kind(&names, e.target, target, handler) {
                            badges.push(Badge {
                                kind,
                                errors: names,
                                to: e.target.to_owned(),
                            });
                            continue;
                        }
                        (EdgeKind::Catch, Some(describe::errors(&names)), names)
                    }
                    (Transition::Rule(_), _) => (EdgeKind::Rule, None, Vec::new()),
                };
                edges.push(Edge {
                    from: name.to_owned(),
                    to: e.target.to_owned(),
                    kind,
                    label,
                    errors,
                });
            }
            for scope in state.scopes() {
                let label = match scope.kind {
                    switchboard_asl::ScopeKind::Branch(i) => format!("branch {}", i + 1),
                    _ => "each item".to_owned(),
                };
                edges.push(Edge {
                    from: name.to_owned(),
                    to: scope.start_at.to_owned(),
                    kind: EdgeKind::Branch,
                    label: Some(label),
                    errors: Vec::new(),
                });
            }
            nodes.push(Node {
                name: name.to_owned(),
                kind: state.type_name().to_owned(),
                label: describe::state(state),
                source,
                group,
                waits: matches!(state, State::Task(t) if t.waits_for_task_token()),
                end: is_end(state),
                badges,
                parent: parent.map(str::to_owned),
            });
        }
        if !kinds.contains_key(machine.start_at.as_str()) {
            return Err(GraphError {
                state: machine.start_at.clone(),
                message: "`StartAt` names a state this definition does not have".to_owned(),
            });
        }
        Ok(Graph {
            name: name.to_owned(),
            comment: machine.comment.clone(),
            query_language: match machine.query_language {
                Some(QueryLanguage::Jsonata) => "JSONata",
                _ => "JSONPath",
            }
            .to_owned(),
            start: machine.start_at.clone(),
            groups: groups.into_keys().collect(),
            nodes,
            edges,
            error_handler: handler.map(str::to_owned),
        })
    }

    /// The index of the node named `name`.
    pub fn node_index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| n.name == name)
    }

    /// The names of the states with a badge pointing at `target`.
    pub fn badge_sources(&self, target: &str) -> BTreeSet<&str> {
        self.nodes
            .iter()
            .filter(|n| n.badges.iter().any(|b| b.to == target))
            .map(|n| n.name.as_str())
            .collect()
    }
}

/// States of `states` and of every nested scope, parents before their branches.
fn flatten<'a>(
    states: &'a switchboard_asl::States,
    parent: Option<&'a str>,
    out: &mut Vec<(&'a str, &'a State, Option<&'a str>)>,
) {
    for (name, state) in states {
        out.push((name.as_str(), state, parent));
        for scope in state.scopes() {
            flatten(scope.states, Some(name.as_str()), out);
        }
    }
}

/// Succeed, Fail, or a Pass that only ends (no data, `End: true`).
fn is_end(state: &State) -> bool {
    match state {
        State::Succeed(_) | State::Fail(_) => true,
        State::Pass(p) => {
            p.end == Some(true)
                && p.io.assign.is_none()
                && p.parameters.is_none()
                && p.result.is_none()
        }
        _ => false,
    }
}

fn badge_kind(
    names: &[String],
    target_name: &str,
    target: &State,
    handler: Option<&str>,
) -> Option<BadgeKind> {
    if names.len() == 1 && names[0] == wire::ERROR_HANGUP && is_end(target) {
        return Some(BadgeKind::Hangup);
    }
    if handler == Some(target_name) && names.iter().any(|n| n == errors::ALL) {
        return Some(BadgeKind::Error);
    }
    None
}

/// The `States.ALL` target most catchers share, if it is shared widely (see
/// [`Graph::from_machine`]).
fn error_handler<'a>(flat: &[(&'a str, &'a State, Option<&'a str>)]) -> Option<&'a str> {
    let mut uses: IndexMap<&str, usize> = IndexMap::new();
    for (_, state, _) in flat {
        for c in state.handlers().map_or(&[][..], |h| h.catch.as_slice()) {
            if c.error_equals.iter().any(|e| e == errors::ALL) {
                *uses.entry(c.next.as_str()).or_default() += 1;
            }
        }
    }
    // The most used, the first of equals in declaration order of first use; it must be used
    // more than any other.
    let mut ranked: Vec<(&str, usize)> = uses.into_iter().collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1)); // stable: ties keep their order
    let (target, n) = *ranked.first()?;
    let runner_up = ranked.get(1).map_or(0, |r| r.1);
    (n >= MIN_HANDLER_USES && n > runner_up).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_name_their_source() {
        let s = Source::from_comment("workflows/src/flows/hello.rs:15 — Speak, SpeakAndGetDigits");
        assert_eq!(
            s,
            Some(Source {
                file: "workflows/src/flows/hello.rs".into(),
                line: 15
            })
        );
        assert_eq!(
            Source::from_comment("app.rs:16 — if · app.rs:15 — the call starts").map(|s| s.line),
            Some(16)
        );
        assert_eq!(Source::from_comment("a.rs:9").map(|s| s.line), Some(9));
        // Not the compiler's form: no location.
        assert_eq!(
            Source::from_comment("Check the caller: Customer, Owner"),
            None
        );
        assert_eq!(Source::from_comment("Retry 3 times: see note"), None);
        assert_eq!(Source::from_comment("x.rs:0 — nothing"), None);
    }
}
