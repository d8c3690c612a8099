//! The state graph between lowering and emission.
//!
//! Lowering ([`crate::lower`]) builds the flow's states into an [`Arena`], each addressed by a
//! typed [`StateId`], every transition an id. The optimisation passes ([`crate::opt`]) rewrite
//! the arena; emission ([`crate::emit`]) turns it into an [`switchboard_asl::StateMachine`],
//! naming every state once, at the end. Side tables ([`Meta`]) keep what is not the state
//! itself: where it comes from in the Rust source (its `Comment`), the base of its name, the
//! Parallel branch it belongs to, and what the passes may merge it into.
//!
//! The arena holds a small IR of states rather than `asl::State` values: the passes ask what
//! ASL's JSON only says as text — which variables an assignment reads, which actions a caller
//! Task sends and whether its last one hangs up — so assignments stay IR expressions
//! ([`switchboard::ir::Expr`]) and a caller Task keeps its actions until emission renders them.
//! Transitions that are derived rather than stored (the `HANGUP` catcher of a Task that hangs
//! up the caller, [`Caller::hangs_up`]) cannot drift from what they derive from.

mod assign;
mod caller;

pub use assign::{reads, Assign, Bind};
pub use caller::{hangup_action, message, Act, Caller};

use serde_json::Value as Json;
use switchboard::ir::{Loc, Origins};
use switchboard::wire;
use switchboard_asl::{IntOrExpr, Test};

/// A state of the [`Arena`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateId(u32);

impl StateId {
    /// The flow failed (`Fail`, reading the error handler's variable).
    pub const FAILED: StateId = StateId(0);
    /// The call ended (`Succeed`).
    pub const CALL_ENDED: StateId = StateId(1);
    /// The flow's end: hang up the caller.
    pub const END_HANGUP: StateId = StateId(2);
    /// The first state: keeps the call's queue and details.
    pub const START: StateId = StateId(3);
    /// Where every Parallel branch ends ([`Node::BranchEnd`]).
    pub const BRANCH_END: StateId = StateId(4);

    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub fn from_index(i: usize) -> StateId {
        StateId(i as u32)
    }
}

/// The fixed names of the states every flow has.
pub const FIXED_NAMES: [(StateId, &str); 4] = [
    (StateId::START, "Start call"),
    (StateId::END_HANGUP, "End of flow: hang up"),
    (StateId::CALL_ENDED, "Call ended"),
    (StateId::FAILED, "Call failed"),
];

/// The top level's scope; each Parallel branch has a scope of its own.
pub const TOP: u32 = 0;

/// How a state is named at emission.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Name {
    /// Not emitted under a name of its own (a loop label, the end of a branch).
    #[default]
    None,
    /// One of [`FIXED_NAMES`].
    Fixed(&'static str),
    /// A readable base, made unique (` (2)`…) and cut to 80 characters at emission.
    Readable(String),
}

/// The side table of a state: everything about it that is not the state itself.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// The Rust source location and what the state does there: its `Comment` is
    /// `"{loc} — {what}"`. `None`: no comment.
    pub origin: Option<(Loc, String)>,
    pub name: Name,
    /// [`TOP`], or the Parallel branch the state belongs to.
    pub scope: u32,
    /// The state continues the sequence of simple statements (actions, service calls,
    /// assignments) of the state whose `Next` leads to it: a pass may merge it into that state.
    pub follows: bool,
    /// The state is one of the assignments that open a branch (an `if`, a `match` arm, an `Err`
    /// or `Err(Hangup)` arm): a pass may move it onto the Choice rule or the catchers leading to
    /// it.
    pub opens: bool,
    /// A compiler-made state (the error handler's) that may go unused without it being a mistake.
    pub optional: bool,
}

/// The name base of a Pass that assigns variables: `Set a, b`.
pub fn pass_name(assign: &Assign) -> Name {
    let vars: Vec<&str> = assign.vars.iter().map(|(v, _)| v.as_str()).collect();
    Name::Readable(format!("Set {}", vars.join(", ")))
}

/// A catcher: where the error goes, and what it assigns on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Catch {
    pub error: &'static str,
    pub assign: Assign,
    pub next: StateId,
}

/// A Step Functions service integration Task.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub resource: String,
    pub args: Json,
    pub timeout_seconds: u32,
    /// The builder calls its arguments and timeout come from (paths from the Task state).
    pub origins: Origins,
    pub assign: Assign,
    pub catch: Vec<Catch>,
    pub next: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pass {
    pub assign: Assign,
    pub next: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub test: Test,
    pub comment: Option<String>,
    pub assign: Assign,
    pub next: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub rules: Vec<Rule>,
    pub default: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    pub seconds: IntOrExpr,
    pub next: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub scope: u32,
    pub start: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parallel {
    pub branches: Vec<Branch>,
    pub catch: Vec<Catch>,
    pub next: StateId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fail {
    pub error: String,
    pub cause: String,
}

/// A state.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Pass(Pass),
    Caller(Caller),
    Service(Service),
    Choice(Choice),
    Wait(Wait),
    Parallel(Parallel),
    Succeed,
    Fail(Fail),
    /// Where a Parallel branch ends: a `Next` to it becomes `"End": true`.
    BranchEnd,
}

/// Which field a transition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Rule(usize),
    Default,
    Next,
    /// The caller Task's mirrored `HANGUP` catcher ([`Caller::hangs_up`]): derived from `Next`.
    Mirror,
    /// Index into the state's `catch`.
    Catch(usize),
}

impl Slot {
    /// Whether the transition is taken only when the state fails.
    pub fn is_catch(self) -> bool {
        matches!(self, Slot::Mirror | Slot::Catch(_))
    }
}

impl Node {
    /// Every transition, in ASL's order: each rule, `Default`, `Next`, each catcher (for a Task
    /// that hangs up the caller, the mirrored `HANGUP` catcher first).
    pub fn edges(&self) -> Vec<(Slot, StateId)> {
        let mut out = Vec::new();
        let (next, catch) = match self {
            Node::Choice(c) => {
                out.extend(
                    c.rules
                        .iter()
                        .enumerate()
                        .map(|(i, r)| (Slot::Rule(i), r.next)),
                );
                out.push((Slot::Default, c.default));
                return out;
            }
            Node::Pass(p) => (p.next, &[][..]),
            Node::Wait(w) => (w.next, &[][..]),
            Node::Service(s) => (s.next, &s.catch[..]),
            Node::Parallel(p) => (p.next, &p.catch[..]),
            Node::Caller(c) => {
                out.push((Slot::Next, c.next));
                if c.hangs_up() {
                    out.push((Slot::Mirror, c.mirror_target()));
                    out.extend(
                        c.catch
                            .iter()
                            .enumerate()
                            .filter(|(_, k)| k.error != wire::ERROR_HANGUP)
                            .map(|(i, k)| (Slot::Catch(i), k.next)),
                    );
                } else {
                    out.extend(
                        c.catch
                            .iter()
                            .enumerate()
                            .map(|(i, k)| (Slot::Catch(i), k.next)),
                    );
                }
                return out;
            }
            Node::Succeed | Node::Fail(_) | Node::BranchEnd => return out,
        };
        out.push((Slot::Next, next));
        out.extend(
            catch
                .iter()
                .enumerate()
                .map(|(i, k)| (Slot::Catch(i), k.next)),
        );
        out
    }

    /// The `Assign` that runs when the transition is taken: the state's own for `Next`, the
    /// rule's, the catcher's. `None` where ASL has none (`Default`, a Wait's or a Parallel's
    /// `Next` as far as the passes are concerned) and for [`Slot::Mirror`], which copies the
    /// state's.
    pub fn assign_mut(&mut self, slot: Slot) -> Option<&mut Assign> {
        match (self, slot) {
            (Node::Pass(p), Slot::Next) => Some(&mut p.assign),
            (Node::Caller(c), Slot::Next) => Some(&mut c.assign),
            (Node::Service(s), Slot::Next) => Some(&mut s.assign),
            (Node::Choice(c), Slot::Rule(i)) => c.rules.get_mut(i).map(|r| &mut r.assign),
            (Node::Caller(c), Slot::Catch(i)) => c.catch.get_mut(i).map(|k| &mut k.assign),
            (Node::Service(s), Slot::Catch(i)) => s.catch.get_mut(i).map(|k| &mut k.assign),
            (Node::Parallel(p), Slot::Catch(i)) => p.catch.get_mut(i).map(|k| &mut k.assign),
            _ => None,
        }
    }

    /// The `Assign` of [`Node::assign_mut`], to read it.
    pub fn assign(&self, slot: Slot) -> Option<&Assign> {
        match (self, slot) {
            (Node::Pass(p), Slot::Next) => Some(&p.assign),
            (Node::Caller(c), Slot::Next) => Some(&c.assign),
            (Node::Service(s), Slot::Next) => Some(&s.assign),
            (Node::Choice(c), Slot::Rule(i)) => c.rules.get(i).map(|r| &r.assign),
            (Node::Caller(c), Slot::Catch(i)) => c.catch.get(i).map(|k| &k.assign),
            (Node::Service(s), Slot::Catch(i)) => s.catch.get(i).map(|k| &k.assign),
            (Node::Parallel(p), Slot::Catch(i)) => p.catch.get(i).map(|k| &k.assign),
            _ => None,
        }
    }

    /// Calls `f` on every stored transition target ([`Slot::Mirror`] follows `Next`).
    pub fn targets_mut(&mut self, f: &mut dyn FnMut(&mut StateId)) {
        let (next, catch) = match self {
            Node::Choice(c) => {
                c.rules.iter_mut().for_each(|r| f(&mut r.next));
                f(&mut c.default);
                return;
            }
            Node::Pass(p) => (&mut p.next, &mut [][..]),
            Node::Wait(w) => (&mut w.next, &mut [][..]),
            Node::Service(s) => (&mut s.next, &mut s.catch[..]),
            Node::Parallel(p) => (&mut p.next, &mut p.catch[..]),
            Node::Caller(c) => (&mut c.next, &mut c.catch[..]),
            Node::Succeed | Node::Fail(_) | Node::BranchEnd => return,
        };
        f(next);
        catch.iter_mut().for_each(|k| f(&mut k.next));
    }

    /// Changes every transition to `from` into one to `to`.
    pub fn retarget(&mut self, from: StateId, to: StateId) {
        self.targets_mut(&mut |t| {
            if *t == from {
                *t = to;
            }
        });
    }
}

/// The states of a flow, addressed by [`StateId`], with their side tables.
#[derive(Debug, Clone)]
pub struct Arena {
    /// `None`: reserved and not filled yet (a loop's head, a Parallel being lowered), or
    /// removed by a pass.
    nodes: Vec<Option<Node>>,
    meta: Vec<Meta>,
    /// Ids in the order they were filled: the order of the states inside a Parallel branch.
    filled: Vec<StateId>,
}

impl Default for Arena {
    fn default() -> Self {
        Self::new()
    }
}

impl Arena {
    /// An arena with the four states every flow has reserved under their fixed names, and the
    /// end of every Parallel branch.
    pub fn new() -> Arena {
        let mut a = Arena {
            nodes: Vec::new(),
            meta: Vec::new(),
            filled: Vec::new(),
        };
        for id in [
            StateId::FAILED,
            StateId::CALL_ENDED,
            StateId::END_HANGUP,
            StateId::START,
        ] {
            let name = FIXED_NAMES.iter().find(|(f, _)| *f == id).map(|(_, n)| *n);
            let r = a.reserve(Meta {
                name: name.map_or(Name::None, Name::Fixed),
                ..Meta::default()
            });
            debug_assert_eq!(r, id);
        }
        let end = a.add(Node::BranchEnd, Meta::default());
        debug_assert_eq!(end, StateId::BRANCH_END);
        a
    }

    /// A new id whose state is filled in later with [`Arena::fill`].
    pub fn reserve(&mut self, meta: Meta) -> StateId {
        let id = StateId(self.nodes.len() as u32);
        self.nodes.push(None);
        self.meta.push(meta);
        id
    }

    pub fn fill(&mut self, id: StateId, node: Node) {
        self.nodes[id.index()] = Some(node);
        self.filled.push(id);
    }

    pub fn add(&mut self, node: Node, meta: Meta) -> StateId {
        let id = self.reserve(meta);
        self.fill(id, node);
        id
    }

    /// Takes a state out of the arena (its id stays unused).
    pub fn remove(&mut self, id: StateId) -> Option<Node> {
        self.nodes.get_mut(id.index()).and_then(Option::take)
    }

    pub fn get(&self, id: StateId) -> Option<&Node> {
        self.nodes.get(id.index()).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, id: StateId) -> Option<&mut Node> {
        self.nodes.get_mut(id.index()).and_then(Option::as_mut)
    }

    pub fn meta(&self, id: StateId) -> &Meta {
        &self.meta[id.index()]
    }

    pub fn meta_mut(&mut self, id: StateId) -> &mut Meta {
        &mut self.meta[id.index()]
    }

    /// How many ids were handed out.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The states present, in id order (the order lowering made them).
    pub fn ids(&self) -> impl Iterator<Item = StateId> + '_ {
        (0..self.nodes.len() as u32)
            .map(StateId)
            .filter(|id| self.nodes[id.index()].is_some())
    }

    /// The states present, in the order they were filled.
    pub fn filled(&self) -> impl Iterator<Item = StateId> + '_ {
        self.filled
            .iter()
            .copied()
            .filter(|id| self.nodes[id.index()].is_some())
    }

    /// Makes `label` (a reserved id never filled) stand for `target`: every transition to it,
    /// all made after it was reserved, now goes to `target`.
    pub fn bind_label(&mut self, label: StateId, target: StateId) {
        for i in label.index() + 1..self.nodes.len() {
            if let Some(node) = &mut self.nodes[i] {
                node.retarget(label, target);
            }
        }
    }

    /// Every state's predecessors (the states with a transition to it), by id.
    pub fn preds(&self) -> Vec<Vec<StateId>> {
        let mut out = vec![Vec::new(); self.nodes.len()];
        for id in self.ids() {
            for (_, t) in self.nodes[id.index()]
                .as_ref()
                .map_or(Vec::new(), Node::edges)
            {
                let p: &mut Vec<StateId> = &mut out[t.index()];
                if p.last() != Some(&id) {
                    p.push(id);
                }
            }
        }
        out
    }
}
