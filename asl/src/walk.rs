//! Walking a definition's graph: the transitions out of a state as typed edges, the `Next`/`End`
//! pair, and the nested scopes (Parallel branches, a Map's item processor).
//!
//! Everything that follows transitions — the graph checks, the compiler's passes and
//! statistics, the simulator — goes through [`State::successors`] (or
//! [`State::successors_mut`] to rename targets) and [`State::scopes`], so the list of fields
//! that name a next state (`Next`, `Default`, each Choice rule's `Next`, each catcher's `Next`)
//! is written down once. Spec: <https://states-language.net/spec.html#transition>.

use std::fmt;

use crate::{QueryLanguage, State, States};

/// Which field a transition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transition {
    Next,
    Default,
    /// Index into `Choices`.
    Rule(usize),
    /// Index into `Catch`.
    Catch(usize),
}

impl Transition {
    /// Whether the transition is taken only when the state fails (a catcher's `Next`).
    pub fn is_catch(self) -> bool {
        matches!(self, Transition::Catch(_))
    }
}

impl fmt::Display for Transition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Transition::Next => f.write_str("Next"),
            Transition::Default => f.write_str("Default"),
            Transition::Rule(i) => write!(f, "Choices[{i}].Next"),
            Transition::Catch(i) => write!(f, "Catch[{i}].Next"),
        }
    }
}

/// One transition out of a state: the field it comes from and the state it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge<'a> {
    pub kind: Transition,
    pub target: &'a str,
}

/// Where a nested scope sits in its parent state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// Index into a Parallel's `Branches`.
    Branch(usize),
    /// A Map's `ItemProcessor`.
    ItemProcessor,
    /// A Map's legacy `Iterator`.
    Iterator,
}

impl ScopeKind {
    /// The scope's place in its state, as a JSON pointer suffix: `/Branches/0`, `/ItemProcessor`.
    pub fn pointer(self) -> String {
        match self {
            ScopeKind::Branch(i) => format!("/Branches/{i}"),
            ScopeKind::ItemProcessor => "/ItemProcessor".to_owned(),
            ScopeKind::Iterator => "/Iterator".to_owned(),
        }
    }
}

impl fmt::Display for ScopeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScopeKind::Branch(i) => write!(f, "branch {}", i + 1),
            ScopeKind::ItemProcessor => f.write_str("ItemProcessor"),
            ScopeKind::Iterator => f.write_str("Iterator"),
        }
    }
}

/// A nested scope: a sub-machine whose states may only transition among themselves.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub kind: ScopeKind,
    /// The scope's own `QueryLanguage`, if it sets one; otherwise the parent's applies.
    pub query_language: Option<QueryLanguage>,
    pub start_at: &'a str,
    pub states: &'a States,
}

impl State {
    /// Every transition out of this state, in declaration order: each Choice rule's `Next`,
    /// `Default`, `Next`, each catcher's `Next`. Nested scopes are not entered (see
    /// [`State::scopes`]).
    pub fn successors(&self) -> impl Iterator<Item = Edge<'_>> {
        let (rules, default) = match self {
            State::Choice(c) => (c.choices.as_slice(), c.default.as_deref()),
            _ => (&[][..], None),
        };
        let next = self.next_end().and_then(|(next, _)| next);
        let catch = self.handlers().map_or(&[][..], |h| h.catch.as_slice());
        let edge = |kind, target| Edge { kind, target };
        rules
            .iter()
            .enumerate()
            .map(move |(i, r)| edge(Transition::Rule(i), r.next.as_str()))
            .chain(default.map(move |d| edge(Transition::Default, d)))
            .chain(next.map(move |n| edge(Transition::Next, n)))
            .chain(
                catch
                    .iter()
                    .enumerate()
                    .map(move |(i, c)| edge(Transition::Catch(i), c.next.as_str())),
            )
    }

    /// The targets of [`State::successors`], in the same order, to rewrite them.
    pub fn successors_mut(&mut self) -> impl Iterator<Item = (Transition, &mut String)> {
        let mut out = Vec::new();
        let (next, catch) = match self {
            State::Choice(c) => {
                for (i, r) in c.choices.iter_mut().enumerate() {
                    out.push((Transition::Rule(i), &mut r.next));
                }
                if let Some(d) = &mut c.default {
                    out.push((Transition::Default, d));
                }
                (None, None)
            }
            State::Pass(s) => (s.next.as_mut(), None),
            State::Wait(s) => (s.next.as_mut(), None),
            State::Task(s) => (s.next.as_mut(), Some(&mut s.handlers.catch)),
            State::Parallel(s) => (s.next.as_mut(), Some(&mut s.handlers.catch)),
            State::Map(s) => (s.next.as_mut(), Some(&mut s.handlers.catch)),
            State::Succeed(_) | State::Fail(_) => (None, None),
        };
        if let Some(n) = next {
            out.push((Transition::Next, n));
        }
        for (i, c) in catch.into_iter().flatten().enumerate() {
            out.push((Transition::Catch(i), &mut c.next));
        }
        out.into_iter()
    }

    /// `(Next, End)` of a state that has them; `None` for Choice, Succeed and Fail.
    pub fn next_end(&self) -> Option<(Option<&str>, Option<bool>)> {
        match self {
            State::Pass(s) => Some((s.next.as_deref(), s.end)),
            State::Task(s) => Some((s.next.as_deref(), s.end)),
            State::Wait(s) => Some((s.next.as_deref(), s.end)),
            State::Parallel(s) => Some((s.next.as_deref(), s.end)),
            State::Map(s) => Some((s.next.as_deref(), s.end)),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// `Next` and `End` to change them, for the states that have them.
    pub fn next_end_mut(&mut self) -> Option<(&mut Option<String>, &mut Option<bool>)> {
        match self {
            State::Pass(s) => Some((&mut s.next, &mut s.end)),
            State::Task(s) => Some((&mut s.next, &mut s.end)),
            State::Wait(s) => Some((&mut s.next, &mut s.end)),
            State::Parallel(s) => Some((&mut s.next, &mut s.end)),
            State::Map(s) => Some((&mut s.next, &mut s.end)),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }

    /// Whether an execution can stop here: Succeed, Fail, or `"End": true`.
    pub fn is_terminal(&self) -> bool {
        match self {
            State::Succeed(_) | State::Fail(_) => true,
            _ => matches!(self.next_end(), Some((_, Some(true)))),
        }
    }

    /// The nested scopes of a Parallel (its branches, in order) or a Map (its `ItemProcessor`,
    /// then its legacy `Iterator`); nothing for the other types.
    pub fn scopes(&self) -> impl Iterator<Item = Scope<'_>> {
        let branches = match self {
            State::Parallel(p) => p.branches.as_slice(),
            _ => &[][..],
        };
        let (processor, iterator) = match self {
            State::Map(m) => (m.item_processor.as_ref(), m.iterator.as_ref()),
            _ => (None, None),
        };
        let branch_scopes = branches.iter().enumerate().map(|(i, b)| Scope {
            kind: ScopeKind::Branch(i),
            query_language: b.query_language,
            start_at: &b.start_at,
            states: &b.states,
        });
        let map_scopes = [
            (ScopeKind::ItemProcessor, processor),
            (ScopeKind::Iterator, iterator),
        ]
        .into_iter()
        .filter_map(|(kind, p)| {
            p.map(|p| Scope {
                kind,
                query_language: p.query_language,
                start_at: &p.start_at,
                states: &p.states,
            })
        });
        branch_scopes.chain(map_scopes)
    }

    /// The `States` of each nested scope, in the order of [`State::scopes`], to change them.
    pub fn scopes_mut(&mut self) -> impl Iterator<Item = &mut States> {
        let mut out = Vec::new();
        match self {
            State::Parallel(p) => out.extend(p.branches.iter_mut().map(|b| &mut b.states)),
            State::Map(m) => {
                out.extend(m.item_processor.as_mut().map(|p| &mut p.states));
                out.extend(m.iterator.as_mut().map(|p| &mut p.states));
            }
            _ => {}
        }
        out.into_iter()
    }
}
