//! Emission: the state [`Arena`] → an [`asl::StateMachine`](StateMachine), naming every state
//! once.
//!
//! Layout: the top level in reading order — depth-first from `StartAt`, each state's
//! transitions in ASL's order — then the states nothing reaches, kept so the graph check names
//! them (the shared end states and the error handler's states are simply left out when
//! unused). A Parallel branch lists its states in the order lowering made them; where a Choice
//! rule (or a catcher) of a branch leads to the branch's end, ASL has no `"End": true` to say
//! so, and the branch gets a Succeed state, which "ends a branch of a Parallel workflow state"
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html>).
//!
//! Names (`emit/names.rs`): readable, at most 80 characters, unique across the machine,
//! branches of branches included. Each state first gets its base, numbered (` (2)`, ` (3)`…)
//! in the order lowering made the states (back to front); the top level is then renumbered in
//! reading order, so `Hang up` comes before `Hang up (2)` in the file. Names inside Parallel
//! branches keep their first number.

mod names;

use crate::arena::{
    message, Arena, Assign, Caller, Catch, Name, Node, Slot, StateId, FIXED_NAMES, TOP,
};
use crate::sources::{Base, Marks};
use indexmap::IndexMap;
use names::Names;
use std::collections::{BTreeMap, HashSet};
use switchboard::ir::Loc;
use switchboard::lang::WAIT_KIND;
use switchboard::wire;
use switchboard_asl::{
    Branch, Catcher, Choice, ChoiceRule, Fail, Handlers, IntOrExpr, Io, Parallel, Pass,
    QueryLanguage, State, StateMachine, Succeed, Task, Wait,
};

/// What a transition to a loop head that was never bound is called (a loop with an empty body,
/// reported already): no state has that name.
const UNBOUND_NAME: &str = "\u{0}loop";

/// The state machine of a lowered (and optimised) arena.
pub fn machine(arena: &Arena, comment: String) -> StateMachine {
    emit(arena, comment, None)
}

/// [`machine`], each action object and service `Arguments` tagged with its origins
/// ([`crate::sources`]), for the passes to carry and [`crate::sources::collect`] to take out.
pub fn machine_tagged(arena: &Arena, comment: String, marks: &Marks) -> StateMachine {
    emit(arena, comment, Some(marks))
}

fn emit(arena: &Arena, comment: String, marks: Option<&Marks>) -> StateMachine {
    let scopes = scopes(arena);
    let mut top = reading_order(arena);
    // What nothing reaches: user code is kept (the graph check reports it); the shared ends and
    // the error handler's states are simply unused.
    let seen: HashSet<StateId> = top.iter().copied().collect();
    let shared = [StateId::END_HANGUP, StateId::CALL_ENDED, StateId::FAILED];
    top.extend(arena.filled().filter(|id| {
        let meta = arena.meta(*id);
        meta.scope == TOP
            && !seen.contains(id)
            && !shared.contains(id)
            && !meta.optional
            && !matches!(arena.get(*id), Some(Node::BranchEnd))
    }));
    let e = Emitter {
        arena,
        names: naming(arena, &scopes, &top),
        scopes: &scopes,
        marks,
    };
    let mut states: IndexMap<String, State> = IndexMap::new();
    for &id in &top {
        if let Some(state) = e.state(id) {
            states.insert(e.name(id, TOP), state);
        }
    }
    let mut m = StateMachine::new(e.name(StateId::START, TOP));
    m.comment = Some(comment);
    m.query_language = Some(QueryLanguage::Jsonata);
    m.states = states;
    m
}

/// Every state's name, and the name of each branch's Succeed end (where it needs one).
struct Naming {
    by_id: Vec<Option<String>>,
    branch_ends: BTreeMap<u32, String>,
}

/// Names in the order lowering made the states, then the top level (`top`, in layout order)
/// renumbered around the names inside branches.
fn naming(arena: &Arena, scopes: &BTreeMap<u32, Vec<StateId>>, top: &[StateId]) -> Naming {
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
    let mut branch_ends = BTreeMap::new();
    for (&scope, ids) in scopes {
        let ends_by_rule = ids.iter().any(|&id| {
            arena.get(id).is_some_and(|n| {
                n.edges()
                    .iter()
                    .any(|&(slot, t)| t == StateId::BRANCH_END && slot != Slot::Next)
            })
        });
        if ends_by_rule {
            branch_ends.insert(scope, names.fresh("End of branch"));
        }
    }
    let mut inner: HashSet<String> = branch_ends.values().cloned().collect();
    for ids in scopes.values() {
        inner.extend(ids.iter().filter_map(|id| by_id[id.index()].clone()));
    }
    let top_names: Vec<String> = top
        .iter()
        .filter_map(|id| by_id[id.index()].clone())
        .collect();
    let rename = names.renumber(top_names.iter(), &inner);
    for id in top {
        if let Some(new) = by_id[id.index()].as_ref().and_then(|n| rename.get(n)) {
            by_id[id.index()] = Some(new.clone());
        }
    }
    Naming { by_id, branch_ends }
}

/// The states of each Parallel branch, in the order they were made.
fn scopes(arena: &Arena) -> BTreeMap<u32, Vec<StateId>> {
    let mut out: BTreeMap<u32, Vec<StateId>> = BTreeMap::new();
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
    names: Naming,
    scopes: &'a BTreeMap<u32, Vec<StateId>>,
    marks: Option<&'a Marks>,
}

impl Emitter<'_> {
    /// The name of state `t`, seen from a state of `scope`.
    fn name(&self, t: StateId, scope: u32) -> String {
        if t == StateId::BRANCH_END {
            if let Some(end) = self.names.branch_ends.get(&scope) {
                return end.clone();
            }
        }
        match &self.names.by_id[t.index()] {
            Some(n) => n.clone(),
            None => UNBOUND_NAME.to_owned(),
        }
    }

    /// The ASL state of `id`.
    fn state(&self, id: StateId) -> Option<State> {
        let node = self.arena.get(id)?;
        let scope = self.arena.meta(id).scope;
        let name = &|t: StateId| self.name(t, scope);
        let comment = self
            .arena
            .meta(id)
            .origin
            .as_ref()
            .map(|(loc, what)| comment(*loc, what));
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
                let mut actions = c.actions();
                if let Some(marks) = self.marks {
                    // `actions` holds the acts that are sent, in order, then the closing
                    // Hangup (no call of the flow's).
                    let sent = c.acts.iter().filter(|a| a.kind != WAIT_KIND);
                    for (json, act) in actions.iter_mut().zip(sent) {
                        marks.tag(json, &act.origins, Base::Object);
                    }
                }
                State::Task(Task {
                    comment,
                    resource: wire::RESOURCE_SEND_AND_WAIT.into(),
                    arguments: Some(message(actions)),
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
                let mut args = s.args.clone();
                if let Some(marks) = self.marks {
                    marks.tag(&mut args, &s.origins, Base::State);
                }
                State::Task(Task {
                    comment,
                    resource: s.resource.clone(),
                    arguments: Some(args),
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
                    branches: p.branches.iter().map(|b| self.branch(id, b)).collect(),
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

    /// A branch of the Parallel state `parallel`.
    fn branch(&self, parallel: StateId, b: &crate::arena::Branch) -> Branch {
        let mut states = IndexMap::new();
        for &id in self.scopes.get(&b.scope).map_or(&[][..], Vec::as_slice) {
            if let Some(state) = self.state(id) {
                states.insert(self.name(id, b.scope), state);
            }
        }
        if let Some(end) = self.names.branch_ends.get(&b.scope) {
            let comment = self.arena.meta(parallel).origin.as_ref();
            let end_state = Succeed {
                comment: comment.map(|(loc, _)| self::comment(*loc, "the branch ends")),
                ..Default::default()
            };
            states.insert(end.clone(), State::Succeed(end_state));
        }
        Branch {
            comment: None,
            query_language: None,
            start_at: self.name(b.start, b.scope),
            states,
        }
    }
}

/// A state's `Comment`: where it comes from in the Rust source and what it does there
/// ([`switchboard_asl::comment`] owns the form).
pub fn comment(loc: Loc, what: &str) -> String {
    switchboard_asl::comment::write(loc.file, loc.line, what)
}

/// The Rust file and line a state's `Comment` names first.
pub use switchboard_asl::comment::location as comment_location;

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
