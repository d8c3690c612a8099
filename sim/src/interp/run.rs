//! The pieces of a running execution: frames (one per running scope: the machine, a Parallel
//! branch, a Map iteration), what a frame is doing, and what running a state produced.

use std::sync::Arc;

use serde_json::Value;
use switchboard_asl::{Catcher, QueryLanguage, Retrier, State, StateMachine, States};

use super::errors::StateError;
use crate::expr::Vars;

/// Which nested scope a frame runs: scope number `index` ([`State::scopes`]) of the state named
/// `state` — the `index`th branch of a Parallel, or (index 0) a Map's item processor.
#[derive(Debug, Clone)]
pub(crate) struct ScopeStep {
    pub state: String,
    pub index: usize,
}

/// One running scope.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    /// From the machine's top level down to this scope.
    pub path: Vec<ScopeStep>,
    /// The query language of states that do not set one.
    pub lang: QueryLanguage,
    /// The current state.
    pub state: String,
    /// The current state's raw input (shared with the history, which records it).
    pub input: Arc<Value>,
    /// This scope's own variables (outer scopes' are read through the stack).
    pub vars: Vars,
    /// When the current state was entered.
    pub entered_ms: i64,
    /// Whether the current state's entry is still to be recorded and billed.
    pub fresh: bool,
    /// Attempts used per retrier of the current state.
    pub retries: Vec<u32>,
    /// Retries of the current state so far (`$$.State.RetryCount`).
    pub retry_count: u32,
    /// What the frame is doing.
    pub phase: Phase,
}

impl Frame {
    pub fn new(
        path: Vec<ScopeStep>,
        lang: QueryLanguage,
        state: String,
        input: Value,
        now: i64,
    ) -> Self {
        Frame {
            path,
            lang,
            state,
            input: Arc::new(input),
            vars: Vars::new(),
            entered_ms: now,
            fresh: true,
            retries: Vec::new(),
            retry_count: 0,
            phase: Phase::Enter,
        }
    }

    /// Move to `next` with `input`: a new state, with fresh retry counters.
    pub fn transition(&mut self, next: String, input: Arc<Value>, now: i64) {
        self.state = next;
        self.input = input;
        self.entered_ms = now;
        self.fresh = true;
        self.retries.clear();
        self.retry_count = 0;
        self.phase = Phase::Enter;
    }
}

/// What a frame is doing in its current state.
#[derive(Debug, Clone)]
pub(crate) enum Phase {
    /// The state is to run (first time or a retry).
    Enter,
    /// A Task waits for its token.
    Waiting {
        token: String,
        /// `TimeoutSeconds` deadline.
        deadline: Option<i64>,
        /// `HeartbeatSeconds` in ms and the current heartbeat deadline.
        heartbeat: Option<(i64, i64)>,
    },
    /// The token was completed; the Task finishes when the execution next runs.
    Completed {
        token: String,
        result: Result<Value, StateError>,
    },
    /// Nothing to do until `until`.
    Sleeping { until: i64, after: AfterSleep },
    /// A Parallel or Map runs its branches or iterations one after the other.
    Children(Children),
}

/// What happens when a sleep ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterSleep {
    /// Run the state again (retry back-off).
    Retry,
    /// Finish the Wait state.
    WaitState,
}

/// Progress of a Parallel's branches or a Map's iterations.
#[derive(Debug, Clone)]
pub(crate) struct Children {
    /// The input of each child still to start.
    pub inputs: Vec<Value>,
    /// The next child to start.
    pub next: usize,
    /// The outputs of finished children, in order.
    pub results: Vec<Value>,
}

/// What running (part of) a state produced.
#[derive(Debug)]
pub(crate) enum Step {
    /// Go to `next` with `output`, then apply `assign`.
    Next {
        next: String,
        output: Value,
        assign: Option<Vars>,
    },
    /// The scope ends with `output`.
    End { output: Value, assign: Option<Vars> },
    /// A `Fail` state: the scope fails; this state's Retry/Catch do not apply.
    Fail(StateError),
    /// The state failed; its Retry/Catch apply.
    Error(StateError),
    /// The state blocks or starts children.
    Block(Phase),
}

/// `Next` or `End` of a state that has them.
pub(crate) fn next_or_end(
    name: &str,
    next: &Option<String>,
    end: Option<bool>,
    output: Value,
    assign: Option<Vars>,
) -> Step {
    match (next, end) {
        (Some(n), _) => Step::Next {
            next: n.clone(),
            output,
            assign,
        },
        (None, Some(true)) => Step::End { output, assign },
        (None, _) => Step::Error(StateError::runtime(format!(
            "state '{name}' has neither 'Next' nor '\"End\": true'"
        ))),
    }
}

/// The `States` of the scope at `path`.
pub(crate) fn scope_states<'m>(
    machine: &'m StateMachine,
    path: &[ScopeStep],
) -> Option<&'m States> {
    let mut states = &machine.states;
    for step in path {
        states = states.get(&step.state)?.scopes().nth(step.index)?.states;
    }
    Some(states)
}

/// The retriers and catchers of a state (only Task, Parallel and Map have them).
pub(crate) fn handlers(state: &State) -> (&[Retrier], &[Catcher]) {
    state
        .handlers()
        .map_or((&[], &[]), |h| (&h.retry, &h.catch))
}
