//! Emission: the state [`Arena`] → an [`asl::StateMachine`](StateMachine), naming every state
//! once.
//!
//! Layout: the top level in reading order — depth-first from `StartAt`, each state's
//! transitions in ASL's order — then the states nothing reaches, kept so the graph check names
//! them (the shared end states and the error handler's states are simply left out when
//! unused). A Parallel branch lists its states in the order lowering made them.
//!
//! Names (`emit/names.rs`): readable, at most 80 characters, unique across the machine. Each state
//! first gets its base, numbered (` (2)`, ` (3)`…) in the order lowering made the states (back
//! to front); the top level is then renumbered in reading order, so `Hang up` comes before
//! `Hang up (2)` in the file. Names inside Parallel branches keep their first number.

mod names;

use crate::arena::{
    message, Arena, Assign, Caller, Catch, Name, Node, Slot, StateId, FIXED_NAMES, TOP,
};
use indexmap::IndexMap;
use names::Names;
use std::collections::{HashMap, HashSet};
use switchboard::wire;
use switchboard_asl::{
    Branch, Catcher, Choice, ChoiceRule, Fail, Handlers, IntOrExpr, Io, Parallel, Pass,
    QueryLanguage, State, StateMachine, Succeed, Task, Wait,
};

/// What a transition to the end of a Parallel branch is called where ASL has no `End` (a
/// Choice rule, a catcher): no state has that name, so the graph check reports it.
const BRANCH_END_NAME: &str = "\u{0}end";
/// What a transition to a loop head that was never bound is called (a loop with an empty body,
/// reported already).
const UNBOUND_NAME: &str = "\u{0}loop";

/// The state machine of a lowered (and optimised) arena.
pub fn machine(arena: &Arena, comment: String) -> StateMachine {
    let first = first_names(arena);
    let scopes = scopes(arena);
    let order = reading_order(arena);
    // Names inside the branches of the Parallel states are kept; the top level is renumbered
    // around them.
    let mut inner = HashSet::new();
    for &id in &order {
        if let Some(Node::Parallel(p)) = arena.get(id) {
            for b in &p.branches {
                let states = scopes.get(&b.scope).map_or(&[][..], Vec::as_slice);
                inner.extend(states.iter().filter_map(|s| first[s.index()].clone()));
            }
        }
    }
    let order_names: Vec<String> = order
        .iter()
        .filter_map(|id| first[id.index()].clone())
        .collect();
    let rename = first.names.renumber(order_names.iter(), &inner);
    let first_name = |t: StateId| match first[t.index()].as_deref() {
        Some(n) => n.to_owned(),
        None if t == StateId::BRANCH_END => BRANCH_END_NAME.to_owned(),
        None => UNBOUND_NAME.to_owned(),
    };
    let final_name = |t: StateId| {
        let n = first_name(t);
        rename.get(&n).cloned().unwrap_or(n)
    };
    let e = Emitter {
        arena,
        scopes: &scopes,
        first: &first_name,
    };
    let mut states: IndexMap<String, State> = IndexMap::new();
    for &id in &order {
        if let Some(state) = e.state(id, &final_name) {
            states.insert(final_name(id), state);
        }
    }
    // What nothing reaches: user code is kept (the graph check reports it), with the names it
    // first got; the shared ends and the error handler's states are simply unused.
    let reached: HashSet<StateId> = order.iter().copied().collect();
    let shared = [StateId::END_HANGUP, StateId::CALL_ENDED, StateId::FAILED];
    for id in arena.filled() {
        let meta = arena.meta(id);
        if meta.scope != TOP || reached.contains(&id) || shared.contains(&id) || meta.optional {
            continue;
        }
        if let Some(state) = e.state(id, &first_name) {
            states.insert(first_name(id), state);
        }
    }
    let mut m = StateMachine::new(first_name(StateId::START));
    m.comment = Some(comment);
    m.query_language = Some(QueryLanguage::Jsonata);
    m.states = states;
    m
}

/// Each state's name as first given, in the order lowering made the states.
struct FirstNames {
    names: Names,
    by_id: Vec<Option<String>>,
}

impl std::ops::Index<usize> for FirstNames {
    type Output = Option<String>;
    fn index(&self, i: usize) -> &Option<String> {
        &self.by_id[i]
    }
}

fn first_names(arena: &Arena) -> FirstNames {
    let mut names = Names::default();
    for (_, n) in FIXED_NAMES {
        names.reserve(n);
    }
    let mut by_id = vec![None; arena.len()];
    for id in arena.ids() {
        by_id[id.index()] = match &arena.meta(id).name {
            Name::None => None,
            Name::Fixed(n) => Some((*n).to_owned()),
            Name::Readable(base) => Some(names.fresh(base)),
        };
    }
    FirstNames { names, by_id }
}

/// The states of each Parallel branch, in the order they were made.
fn scopes(arena: &Arena) -> HashMap<u32, Vec<StateId>> {
    let mut out: HashMap<u32, Vec<StateId>> = HashMap::new();
    for id in arena.filled() {
        let scope = arena.meta(id).scope;
        if scope != TOP {
            out.entry(scope).or_default().push(id);
        }
    }
    out
}

/// The top level depth-first from the start, each state's transitions in ASL's order.
fn reading_order(arena: &Arena) -> Vec<StateId> {
    let mut order = Vec::new();
    let mut seen = vec![false; arena.len()];
    let mut stack = vec![StateId::START];
    while let Some(id) = stack.pop() {
        if seen[id.index()] {
            continue;
        }
        let Some(node) = arena.get(id) else {
            continue;
        };
        if matches!(node, Node::BranchEnd) {
            continue;
        }
        seen[id.index()] = true;
        for (_, t) in node.edges().into_iter().rev() {
            if !seen[t.index()] {
                stack.push(t);
            }
        }
        order.push(id);
    }
    order
}

struct Emitter<'a> {
    arena: &'a Arena,
    scopes: &'a HashMap<u32, Vec<StateId>>,
    /// Names inside branches.
    first: &'a dyn Fn(StateId) -> String,
}

impl Emitter<'_> {
    /// The ASL state of `id`, its transitions named by `name`.
    fn state(&self, id: StateId, name: &dyn Fn(StateId) -> String) -> Option<State> {
        let node = self.arena.get(id)?;
        let comment = self
            .arena
            .meta(id)
            .origin
            .as_ref()
            .map(|(loc, what)| format!("{loc} — {what}"));
        let io = |a: &Assign| Io {
            assign: a.to_json(),
            ..Io::default()
        };
        Some(match node {
            Node::Pass(p) => {
                let (next, end) = next_end(p.next, name);
                State::Pass(Pass {
                    comment,
                    io: io(&p.assign),
                    next,
                    end,
                    ..Default::default()
                })
            }
            Node::Caller(c) => {
                let (next, end) = next_end(c.next, name);
                State::Task(Task {
                    comment,
                    resource: wire::RESOURCE_SEND_AND_WAIT.into(),
                    arguments: Some(message(c.actions())),
                    io: io(&c.assign),
                    timeout_seconds: Some(IntOrExpr::Int(c.timeout_seconds())),
                    handlers: handlers(node, name),
                    next,
                    end,
                    ..Default::default()
                })
            }
            Node::Service(s) => {
                let (next, end) = next_end(s.next, name);
                State::Task(Task {
                    comment,
                    resource: s.resource.clone(),
                    arguments: Some(s.args.clone()),
                    io: io(&s.assign),
                    timeout_seconds: Some(IntOrExpr::Int(u64::from(s.timeout_seconds))),
                    handlers: handlers(node, name),
                    next,
                    end,
                    ..Default::default()
                })
            }
            Node::Choice(c) => State::Choice(Choice {
                comment,
                choices: c
                    .rules
                    .iter()
                    .map(|r| {
                        let mut rule = ChoiceRule::new(r.test.clone(), name(r.next));
                        rule.comment = r.comment.clone();
                        rule.assign = r.assign.to_json();
                        rule
                    })
                    .collect(),
                default: Some(name(c.default)),
                ..Default::default()
            }),
            Node::Wait(w) => {
                let (next, end) = next_end(w.next, name);
                State::Wait(Wait {
                    comment,
                    seconds: Some(w.seconds.clone()),
                    next,
                    end,
                    ..Default::default()
                })
            }
            Node::Parallel(p) => {
                let (next, end) = next_end(p.next, name);
                State::Parallel(Parallel {
                    comment,
                    branches: p.branches.iter().map(|b| self.branch(b)).collect(),
                    handlers: handlers(node, name),
                    next,
                    end,
                    ..Default::default()
                })
            }
            Node::Succeed => State::Succeed(Succeed {
                comment,
                ..Default::default()
            }),
            Node::Fail(f) => State::Fail(Fail {
                comment,
                error: Some(f.error.clone()),
                cause: Some(f.cause.clone()),
                ..Default::default()
            }),
            Node::BranchEnd => return None,
        })
    }

    fn branch(&self, b: &crate::arena::Branch) -> Branch {
        let mut states = IndexMap::new();
        for &id in self.scopes.get(&b.scope).map_or(&[][..], Vec::as_slice) {
            if let Some(state) = self.state(id, self.first) {
                states.insert((self.first)(id), state);
            }
        }
        Branch {
            comment: None,
            query_language: None,
            start_at: (self.first)(b.start),
            states,
        }
    }
}

/// `Next`, or `"End": true` at the end of a Parallel branch.
fn next_end(t: StateId, name: &dyn Fn(StateId) -> String) -> (Option<String>, Option<bool>) {
    if t == StateId::BRANCH_END {
        (None, Some(true))
    } else {
        (Some(name(t)), None)
    }
}

/// The `Catch` of a Task or Parallel, in the order of [`Node::edges`].
fn handlers(node: &Node, name: &dyn Fn(StateId) -> String) -> Handlers {
    let (catch, caller): (&[Catch], Option<&Caller>) = match node {
        Node::Caller(c) => (&c.catch, Some(c)),
        Node::Service(s) => (&s.catch, None),
        Node::Parallel(p) => (&p.catch, None),
        _ => (&[], None),
    };
    let mut out = Vec::new();
    for (slot, t) in node.edges() {
        let (error, assign) = match (slot, caller) {
            // A Task hanging up the caller: `HANGUP` is its success, with its assignments
            // (not its result: there is none).
            (Slot::Mirror, Some(c)) => (
                wire::ERROR_HANGUP,
                Assign {
                    bind: None,
                    vars: c.assign.vars.clone(),
                }
                .to_json(),
            ),
            (Slot::Catch(i), _) => (catch[i].error, catch[i].assign.to_json()),
            _ => continue,
        };
        let mut c = Catcher::new([error], name(t));
        c.assign = assign;
        out.push(c);
    }
    Handlers {
        catch: out,
        ..Handlers::default()
    }
}
