//! Validation of a [`StateMachine`]'s graph, recursing into Parallel branches and Map item
//! processors (each its own scope: a state may only transition within its scope).
//!
//! Checks: `StartAt` exists; every transition (`Next`, `Default`, Choice rule `Next`, Catch
//! `Next`) names a state in scope; every state is reachable; every state has `Next` or `End`
//! (not both) and can reach an end; every cycle passes through a waiting state; waiting Tasks
//! have a timeout; names are valid and unique; Choice states have rules; the definition fits
//! the 1 MB quota. Findings carry the Rust source location from the state's `Comment`.
//!
//! Everything is linear in states + transitions (BFS and an iterative Tarjan SCC), so large
//! generated machines check quickly.

use std::collections::{HashMap, VecDeque};
use std::fmt;

use crate::{Edge, QueryLanguage, State, StateMachine, States};

/// Step Functions' limit on a state machine definition: "1 MB", a hard quota
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html#service-limits-accounts>),
/// which the API states exactly: `CreateStateMachine`/`UpdateStateMachine`'s `definition` is a
/// string of at most 1,048,576 characters (the service model's `Definition` shape, `max:
/// 1048576`; <https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html>).
/// It is the string as sent, whitespace included — nothing says the service minifies before it
/// measures — so what counts is the definition as uploaded: `dist/<flow>.asl.json` byte for
/// byte (bytes, never fewer than its characters, so the check errs on the safe side).
pub const MAX_DEFINITION_BYTES: usize = 1_048_576;

/// From this share of [`MAX_DEFINITION_BYTES`] on, a definition gets a warning: the flow is close
/// to the point where it can no longer grow.
pub const WARN_DEFINITION_PERCENT: usize = 80;

/// A warning for a definition of `bytes` that is at least [`WARN_DEFINITION_PERCENT`] of the
/// limit but within it (over the limit is an error of [`check`]).
pub fn size_warning(bytes: usize) -> Option<String> {
    let warn_from = MAX_DEFINITION_BYTES * WARN_DEFINITION_PERCENT / 100;
    (warn_from..=MAX_DEFINITION_BYTES)
        .contains(&bytes)
        .then(|| {
            format!(
                "the definition is {bytes} bytes, {:.1}% of Step Functions' limit of \
             {MAX_DEFINITION_BYTES} (warning from {WARN_DEFINITION_PERCENT}%): split the flow into \
             smaller state machines before it grows further",
                bytes as f64 * 100.0 / MAX_DEFINITION_BYTES as f64
            )
        })
}

/// "State names MUST have length of less than or equal to 80 Unicode characters."
/// <https://states-language.net/spec.html#states-fields> ([`crate::names`] has the rules of the
/// names we make.)
pub const MAX_STATE_NAME_CHARS: usize = crate::names::MAX_CHARS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GraphErrorKind {
    /// `StartAt` names no state of its scope (or the scope has no states).
    MissingStartAt,
    /// A `Next`/`Default`/Choice `Next`/Catch `Next` names no state of its scope.
    DanglingTransition,
    /// Not reachable from `StartAt`.
    Unreachable,
    /// Neither `Next` nor `"End": true`.
    MissingTransition,
    /// Both `Next` and `"End": true`.
    ConflictingTransition,
    /// No Succeed, Fail or End is reachable: the execution can never finish from here.
    NoPathToEnd,
    /// A cycle with no Wait state and no waiting Task: it would spin through transitions.
    SpinCycle,
    /// A `.waitForTaskToken` Task without `TimeoutSeconds`/`TimeoutSecondsPath`.
    MissingTimeout,
    /// Empty, longer than 80 characters, or containing control characters.
    InvalidName,
    /// The same name twice in the machine (names are unique across all scopes).
    DuplicateName,
    /// A Choice state without rules.
    EmptyChoice,
    /// A Parallel state without branches.
    EmptyParallel,
    /// A JSONPath state in a JSONata machine, or a field of the other query language
    /// (`Parameters` in a JSONata state, `Arguments` in a JSONPath state, …).
    QueryLanguageMismatch,
    /// The emitted definition is over [`MAX_DEFINITION_BYTES`].
    TooLarge,
}

/// One finding. `state` is empty for findings about the whole definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub state: String,
    /// `path.rs:LINE` taken from the state's `Comment`, when the compiler wrote one.
    pub location: Option<String>,
    pub kind: GraphErrorKind,
    pub message: String,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for GraphError {}

impl StateMachine {
    /// Every graph finding ([`check`]); empty when the definition is sound.
    pub fn check(&self) -> Vec<GraphError> {
        check(self)
    }
}

/// Every finding, in a deterministic order (scope by scope, state by state).
pub fn check(machine: &StateMachine) -> Vec<GraphError> {
    let top = machine.query_language.unwrap_or(QueryLanguage::JsonPath);
    let mut ck = Checker {
        errors: Vec::new(),
        names: HashMap::new(),
        top,
    };
    ck.scope("", top, &machine.start_at, &machine.states);
    let size = machine.canonical_size();
    if size > MAX_DEFINITION_BYTES {
        ck.errors.push(GraphError {
            state: String::new(),
            location: None,
            kind: GraphErrorKind::TooLarge,
            message: format!(
                "the definition is {size} bytes, over Step Functions' hard quota of \
                 {MAX_DEFINITION_BYTES} bytes: split the flow into smaller state machines"
            ),
        });
    }
    ck.errors
}

/// The leading `path.rs:LINE` (or `path.rs:LINE:COL`) token of a comment such as
/// `"front_desk.rs:12 — speak(…)"`.
pub fn parse_location(comment: &str) -> Option<String> {
    let token = comment.split_whitespace().next()?;
    let at = token.find(".rs:")?;
    if at == 0 {
        return None;
    }
    let rest = &token[at + 4..];
    let line_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if line_len == 0 {
        return None;
    }
    let mut end = at + 4 + line_len;
    if let Some(col) = token[end..].strip_prefix(':') {
        let col_len = col.bytes().take_while(u8::is_ascii_digit).count();
        if col_len > 0 {
            end += 1 + col_len;
        }
    }
    Some(token[..end].to_owned())
}

/// Whether the state makes the execution pause (so a loop through it does not spin): a Wait,
/// a `.waitForTaskToken` Task, or a Parallel each of whose branches must pass such a state.
pub fn is_waiting(state: &State) -> bool {
    match state {
        State::Wait(_) => true,
        State::Task(t) => t.waits_for_task_token(),
        State::Parallel(p) => {
            !p.branches.is_empty() && p.branches.iter().all(|b| must_wait(&b.start_at, &b.states))
        }
        // A Map may get an empty item list and then does not wait at all.
        _ => false,
    }
}

/// No path from `start_at` to an exit avoids waiting states.
fn must_wait(start_at: &str, states: &States) -> bool {
    let Some(start) = states.get_index_of(start_at) else {
        return false;
    };
    let mut seen = vec![false; states.len()];
    let mut queue = VecDeque::from([start]);
    seen[start] = true;
    while let Some(i) = queue.pop_front() {
        let Some((_, state)) = states.get_index(i) else {
            continue;
        };
        if is_waiting(state) {
            continue;
        }
        if state.is_terminal() {
            return false;
        }
        for edge in state.successors() {
            match states.get_index_of(edge.target) {
                Some(j) if !seen[j] => {
                    seen[j] = true;
                    queue.push_back(j);
                }
                Some(_) => {}
                None => return false,
            }
        }
    }
    true
}

struct Checker<'m> {
    errors: Vec<GraphError>,
    /// Every state name seen so far, with the scope it was first seen in.
    names: HashMap<&'m str, String>,
    /// The machine's `QueryLanguage` (JSONPath when absent).
    top: QueryLanguage,
}

impl<'m> Checker<'m> {
    fn push(&mut self, name: &str, state: Option<&State>, kind: GraphErrorKind, message: String) {
        let location = state.and_then(State::comment).and_then(parse_location);
        self.errors.push(GraphError {
            state: name.to_owned(),
            location,
            kind,
            message,
        });
    }

    /// `where_` is "" for the top level or e.g. " in branch 2 of `Fan out`".
    fn scope(&mut self, where_: &str, lang: QueryLanguage, start_at: &'m str, states: &'m States) {
        use GraphErrorKind::*;
        let n = states.len();
        let start = states.get_index_of(start_at);
        if start.is_none() {
            let msg = if n == 0 {
                format!("`States`{where_} is empty: add at least one state and point StartAt at it")
            } else {
                format!(
                    "StartAt{where_} names `{start_at}`, which is not a state there: point StartAt at one of its states"
                )
            };
            self.push(start_at, None, MissingStartAt, msg);
        }

        // Per-state checks and the adjacency lists.
        let mut succ: Vec<Vec<usize>> = Vec::with_capacity(n);
        // States that already carry a structural error count as exits for NoPathToEnd, so one
        // mistake is reported once rather than again for every state before it.
        let mut exit = vec![false; n];
        for (i, (name, state)) in states.iter().enumerate() {
            self.name(where_, name, state);
            self.state_fields(name, state);
            self.language(name, state, lang);
            exit[i] = state.is_terminal();
            if let Some((next, end)) = state.next_end() {
                let end = end == Some(true);
                match (next, end) {
                    (None, false) => {
                        exit[i] = true;
                        self.push(name, Some(state), MissingTransition, format!(
                            "state `{name}` has neither Next nor End: add \"Next\": \"<state>\" or \"End\": true"
                        ));
                    }
                    (Some(next), true) => self.push(name, Some(state), ConflictingTransition, format!(
                        "state `{name}` has both \"Next\": \"{next}\" and \"End\": true: keep only one"
                    )),
                    _ => {}
                }
            }
            let mut out = Vec::new();
            for Edge {
                kind: field,
                target,
            } in state.successors()
            {
                match states.get_index_of(target) {
                    Some(j) => out.push(j),
                    None => {
                        exit[i] = true;
                        let hint = if where_.is_empty() {
                            String::new()
                        } else {
                            format!(" (a state{where_} can only go to states of the same scope)")
                        };
                        self.push(name, Some(state), DanglingTransition, format!(
                            "{field} of state `{name}` names `{target}`, which is not a state{where_}: \
                             add a state `{target}` or point {field} at an existing state{hint}"
                        ));
                    }
                }
            }
            succ.push(out);
        }

        // Reachability from StartAt.
        if let Some(start) = start {
            let reached = bfs(&succ, [start]);
            for (i, (name, state)) in states.iter().enumerate() {
                if !reached[i] {
                    self.push(name, Some(state), Unreachable, format!(
                        "state `{name}` is never reached from StartAt{where_}: remove it or point a Next at it"
                    ));
                }
            }
        }

        // Every state can reach an exit: backwards BFS from the exits.
        let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, out) in succ.iter().enumerate() {
            for &j in out {
                pred[j].push(i);
            }
        }
        let ends = bfs(&pred, (0..n).filter(|&i| exit[i]));
        let stuck: Vec<bool> = ends.iter().map(|e| !e).collect();
        for comp in sccs(&succ, &stuck) {
            // Report only the loops everything else drains into (no edge leaves the component).
            let inside = |j: usize| comp.binary_search(&j).is_ok();
            if comp.iter().all(|&i| succ[i].iter().all(|&j| inside(j))) {
                let (name, state) = named(states, comp[0]);
                self.push(
                    name,
                    state,
                    NoPathToEnd,
                    format!(
                        "{} never reach a Succeed, Fail or End: the execution could not finish; \
                     add a Choice branch or Catch that leads out of the loop",
                        list(states, &comp)
                    ),
                );
            }
        }

        // Every cycle passes through a waiting state: the non-waiting subgraph is acyclic.
        let busy: Vec<bool> = states.values().map(|s| !is_waiting(s)).collect();
        for comp in sccs(&succ, &busy) {
            let i = comp[0];
            if comp.len() > 1 || succ[i].contains(&i) {
                let (name, state) = named(states, i);
                self.push(
                    name,
                    state,
                    SpinCycle,
                    format!(
                    "{} form a loop without a waiting state, so it would spin through transitions: \
                     add a Wait state or a step that waits for the caller to the loop",
                    list(states, &comp)
                ),
                );
            }
        }

        // Nested scopes.
        for (name, state) in states {
            for scope in state.scopes() {
                let label = format!("{where_} in {} of `{name}`", scope.kind);
                let inner = scope.query_language.unwrap_or(self.top);
                self.scope(&label, inner, scope.start_at, scope.states);
            }
        }
    }

    fn name(&mut self, where_: &str, name: &'m str, state: &State) {
        use GraphErrorKind::*;
        let len = name.chars().count();
        if name.is_empty() {
            self.push(
                name,
                Some(state),
                InvalidName,
                format!(
                    "a {} state{where_} has an empty name: give it a readable name",
                    state.type_name()
                ),
            );
        } else if len > MAX_STATE_NAME_CHARS {
            self.push(name, Some(state), InvalidName, format!(
                "state name `{name}` is {len} characters, over the limit of {MAX_STATE_NAME_CHARS}: shorten it"
            ));
        }
        // Step Functions' list of forbidden characters (whitespace, brackets, `:`, `&` …) is
        // for state machine, execution and activity names; state names in deployed machines,
        // the reference workflow included, use spaces, `:` and `&`. Control characters are
        // rejected: <https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html>.
        if let Some(c) = name.chars().find(|&c| is_forbidden_char(c)) {
            self.push(
                name,
                Some(state),
                InvalidName,
                format!(
                    "state name {name:?} contains the control character U+{:04X}: remove it",
                    u32::from(c)
                ),
            );
        }
        let here = if where_.is_empty() {
            "at the top level".to_owned()
        } else {
            where_.trim_start().to_owned()
        };
        if let Some(first) = self.names.get(name) {
            let msg = format!(
                "state name `{name}` is used {here} and again {first}: names must be unique across \
                 the whole state machine, including branches; rename one"
            );
            self.push(name, Some(state), DuplicateName, msg);
        } else {
            self.names.insert(name, here);
        }
    }

    fn state_fields(&mut self, name: &str, state: &State) {
        use GraphErrorKind::*;
        match state {
            State::Task(t) if t.waits_for_task_token() && !t.has_timeout() => {
                self.push(name, Some(state), MissingTimeout, format!(
                    "Task `{name}` waits for a task token but has no TimeoutSeconds: add TimeoutSeconds \
                     so a caller who never answers cannot hold the execution open"
                ))
            }
            State::Choice(c) if c.choices.is_empty() => self.push(name, Some(state), EmptyChoice, format!(
                "Choice `{name}` has no rules: add a Choice rule, or replace it with a Pass to its Default"
            )),
            State::Parallel(p) if p.branches.is_empty() => self.push(name, Some(state), EmptyParallel, format!(
                "Parallel `{name}` has no branches: add a branch or replace it with a Pass"
            )),
            _ => {}
        }
    }
}

impl Checker<'_> {
    /// <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>: a JSONPath
    /// machine may contain JSONata states, not the other way round.
    fn language(&mut self, name: &str, state: &State, lang: QueryLanguage) {
        let own = state.query_language();
        if self.top == QueryLanguage::Jsonata && own == Some(QueryLanguage::JsonPath) {
            self.push(name, Some(state), GraphErrorKind::QueryLanguageMismatch, format!(
                "state `{name}` sets QueryLanguage JSONPath, but the machine is JSONata and Step Functions \
                 allows no JSONPath states in it: convert the state to JSONata or drop the machine's QueryLanguage"
            ));
            return;
        }
        let lang = own.unwrap_or(lang);
        let foreign = state.foreign_fields(lang);
        if !foreign.is_empty() {
            let (mine, other) = match lang {
                QueryLanguage::JsonPath => ("JSONPath", "JSONata"),
                QueryLanguage::Jsonata => ("JSONata", "JSONPath"),
            };
            self.push(
                name,
                Some(state),
                GraphErrorKind::QueryLanguageMismatch,
                format!(
                    "state `{name}` is {mine} but uses {}, which only {other} states have: \
                 set \"QueryLanguage\": \"{other}\" on it or use the {mine} fields",
                    foreign.join(", ")
                ),
            );
        }
    }
}

/// Control characters U+0000–U+001F, U+007F–U+009F and the non-characters U+FFFE/U+FFFF.
fn is_forbidden_char(c: char) -> bool {
    c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}'
}

fn named(states: &States, i: usize) -> (&str, Option<&State>) {
    states
        .get_index(i)
        .map_or(("", None), |(n, s)| (n.as_str(), Some(s)))
}

/// "states `a`, `b` and 3 more" / "state `a`".
fn list(states: &States, comp: &[usize]) -> String {
    const SHOWN: usize = 4;
    let names: Vec<String> = comp
        .iter()
        .take(SHOWN)
        .map(|&i| format!("`{}`", named(states, i).0))
        .collect();
    let more = comp.len().saturating_sub(SHOWN);
    match (comp.len(), more) {
        (1, _) => format!("state {}", names.join("")),
        (_, 0) => format!("states {}", names.join(", ")),
        _ => format!("states {} and {more} more", names.join(", ")),
    }
}

fn bfs(adj: &[Vec<usize>], seeds: impl IntoIterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    let mut queue = VecDeque::new();
    for s in seeds {
        if !seen[s] {
            seen[s] = true;
            queue.push_back(s);
        }
    }
    while let Some(i) = queue.pop_front() {
        for &j in &adj[i] {
            if !seen[j] {
                seen[j] = true;
                queue.push_back(j);
            }
        }
    }
    seen
}

/// Strongly connected components of the subgraph induced by the `keep` nodes (Tarjan,
/// iterative so deep chains cannot overflow the stack). Each component is sorted; components
/// come in order of their smallest node, so output is deterministic.
fn sccs(adj: &[Vec<usize>], keep: &[bool]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = adj.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next_index = 0;
    // (node, position in its adjacency list)
    let mut call: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if !keep[root] || index[root] != UNSEEN {
            continue;
        }
        call.push((root, 0));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            if let Some(&w) = adj[v].get(*pos) {
                *pos += 1;
                if !keep[w] {
                    continue;
                }
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                comp.sort_unstable();
                out.push(comp);
            }
        }
    }
    out.sort_unstable_by_key(|c| c[0]);
    out
}
