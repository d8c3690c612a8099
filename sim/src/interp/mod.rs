//! The ASL interpreter: runs a [`StateMachine`] as Step Functions would, one resumable
//! [`Execution`] at a time, on a simulated clock.
//!
//! An execution is step-driven, never blocking: [`Execution::run_until_blocked`] runs states
//! until the execution finishes or has to wait — for a task token
//! (`….waitForTaskToken`: [`Status::Waiting`]) or for time to pass (a `Wait` state or a
//! `Retry` back-off: [`Status::TimedWait`]). The driver then completes the token
//! ([`Execution::send_task_success`] / [`Execution::send_task_failure`]) or moves
//! [`Env::clock`] forward ([`Execution::advance_by`]) and runs again. A waiting Task past its
//! `TimeoutSeconds`/`HeartbeatSeconds` fails with `States.Timeout`/`States.HeartbeatTimeout`
//! when the execution next runs.
//!
//! Parallel branches and Map iterations run one after the other (the simulator is
//! single-threaded and deterministic); each runs in a variable scope of its own that reads the
//! outer scopes' variables and whose `Assign`s are not visible outside
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>, "Variable
//! scope").
//!
//! Every execution counts what Step Functions Standard bills ([`Cost::state_transitions`]) and
//! keeps a [`History`] of the states it entered and left, for transcripts.

mod context;
mod data;
mod errors;
mod machine;
mod outcome;
mod rules;
mod run;
mod states;

use std::sync::Arc;

use serde_json::Value;
use switchboard_asl::StateMachine;

use crate::expr::{Clock, JsonataEngine, Vars};

pub use crate::integration::{Integrations, TaskFailure, TaskRequest};
pub use errors::{error_matches, retry_delay_ms, StateError};
pub use machine::Execution;

/// Everything an execution runs against: the simulated clock, the service integrations, the
/// JSONata engine (whose parse cache is shared by every execution) and the account the ARNs
/// name.
pub struct Env<S = crate::services::Services> {
    /// Simulated time and the seeded random generator (jitter, `$random`, `$uuid`).
    pub clock: Clock,
    /// What `Task` states call.
    pub services: S,
    /// JSONata evaluation with a parse cache.
    pub engine: JsonataEngine,
    /// Region used in the ARNs of executions and state machines.
    pub region: String,
    /// Account id used in ARNs.
    pub account: String,
}

impl<S> Env<S> {
    /// An environment in `us-east-1`, account `123456789012`.
    pub fn new(clock: Clock, services: S) -> Self {
        Env {
            clock,
            services,
            engine: JsonataEngine::new(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
        }
    }
}

/// Where an execution stands after [`Execution::run_until_blocked`].
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// A Task waits for its token to be completed.
    Waiting {
        /// The token to pass to `send_task_success`/`send_task_failure`.
        token: String,
        /// The waiting Task's name.
        state: String,
        /// When the Task times out (`TimeoutSeconds`, `HeartbeatSeconds` or the machine's
        /// `TimeoutSeconds`, whichever comes first), in simulated epoch milliseconds.
        deadline_ms: Option<i64>,
    },
    /// Nothing happens until the clock reaches `until_ms` (a `Wait` state or a retry back-off).
    TimedWait {
        /// Epoch milliseconds.
        until_ms: i64,
        /// The state that waits.
        state: String,
    },
    /// The execution succeeded with this output.
    Succeeded(Value),
    /// The execution failed.
    Failed {
        /// The error name, e.g. `States.Timeout` or a `Fail` state's `Error`.
        error: String,
        /// The cause.
        cause: String,
    },
}

impl Status {
    /// Whether the execution has finished (succeeded or failed).
    pub fn is_finished(&self) -> bool {
        matches!(self, Status::Succeeded(_) | Status::Failed { .. })
    }
}

/// Why a task token could not be completed (Step Functions' `SendTaskSuccess` errors).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// No Task of this execution waits for this token.
    #[error("TaskDoesNotExist: no task waits for the token '{0}'")]
    TaskDoesNotExist(String),
    /// The Task timed out before the token was completed.
    #[error("TaskTimedOut: the task waiting for the token '{0}' has timed out")]
    TaskTimedOut(String),
}

/// What the execution cost, as Step Functions Standard bills it.
///
/// <https://aws.amazon.com/step-functions/pricing/>: "Step Functions counts a state transition
/// each time a step of your workflow is executed. You are charged for the total number of
/// state transitions across all your state machines, including retries." and "If you include
/// retry error handling in any steps of your workflow, each retry will be charged as an
/// additional state transition." So every state entered counts one — in the top level, in
/// every Parallel branch and every Map iteration — and every retry one more.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cost {
    /// Billed state transitions: `states_entered + retries`.
    pub state_transitions: u64,
    /// States entered (a retry does not re-enter).
    pub states_entered: u64,
    /// Retries performed.
    pub retries: u64,
    /// Service calls made by Task states (including the sends of waiting Tasks).
    pub task_calls: u64,
    /// Task tokens issued (round trips to whoever completes them, e.g. the caller).
    pub task_tokens: u64,
}

/// One entry of an execution's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    /// Simulated epoch milliseconds.
    pub at_ms: i64,
    /// What happened.
    pub kind: EventKind,
}

/// What a [`HistoryEvent`] records: enough to write the execution as Step Functions'
/// `GetExecutionHistory` reports it ([`crate::history`]). A state's input and output are shared
/// with the interpreter, not copied.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// A state was entered (counted as a transition).
    StateEntered {
        /// State name.
        state: String,
        /// Its `Type` (`Task`, `Choice`, …).
        kind: &'static str,
        /// Nesting depth: 0 at top level, 1 in a branch or iteration, …
        depth: usize,
        /// The state's input.
        input: Arc<Value>,
    },
    /// A state finished and the execution moved on (or its scope ended): after its normal
    /// end, or after a catcher handled its error. A state whose error nothing catches, and a
    /// `Fail` state, have no exit.
    StateExited {
        /// State name.
        state: String,
        /// Its `Type`.
        kind: &'static str,
        /// Nesting depth.
        depth: usize,
        /// The state's output.
        output: Arc<Value>,
        /// The variables its `Assign` (or its catcher's) set, if any.
        assigned: Option<Vars>,
    },
    /// A Task called its resource.
    TaskScheduled {
        /// State name.
        state: String,
        /// The resource.
        resource: String,
        /// `Arguments` (JSONata) or `Parameters` (JSONPath) as evaluated: what was sent.
        parameters: Value,
        /// `TimeoutSeconds`, as evaluated.
        timeout_seconds: Option<u64>,
        /// `HeartbeatSeconds`, as evaluated.
        heartbeat_seconds: Option<u64>,
    },
    /// A Task that waits for its token sent its request (`….waitForTaskToken`); `output` is the
    /// service's answer to the request itself.
    TaskSubmitted {
        /// State name.
        state: String,
        /// The resource.
        resource: String,
        /// What the service answered.
        output: Arc<Value>,
    },
    /// A Task's call (or its token) succeeded with `output`.
    TaskSucceeded {
        /// State name.
        state: String,
        /// The resource.
        resource: String,
        /// The result: the service's answer, or what `SendTaskSuccess` gave.
        output: Arc<Value>,
    },
    /// A state failed: its Task's call or wait (a Task scheduled since it was entered or last
    /// retried), an expression, or anything else that raised `error`.
    Failed {
        /// State name.
        state: String,
        /// Its `Type`.
        kind: &'static str,
        /// Error name.
        error: String,
        /// The cause.
        cause: String,
    },
    /// A state is retried after `delay_ms`.
    Retry {
        /// State name.
        state: String,
        /// The error retried.
        error: String,
        /// 1 for the first retry.
        attempt: u32,
        /// Back-off before the retry.
        delay_ms: i64,
    },
    /// A catcher handled an error.
    Caught {
        /// State name.
        state: String,
        /// Error name.
        error: String,
        /// The catcher's `Next`.
        next: String,
    },
    /// A Parallel starts its branches, or a Map its iterations.
    ChildrenStarted {
        /// The Parallel or Map state.
        state: String,
        /// Its `Type`.
        kind: &'static str,
        /// How many branches or iterations.
        count: usize,
    },
    /// One branch or iteration starts.
    ChildStarted {
        /// The Parallel or Map state.
        state: String,
        /// Its `Type`.
        kind: &'static str,
        /// The branch's or iteration's index.
        index: usize,
    },
    /// One branch or iteration ended: `ok` says whether it succeeded.
    ChildEnded {
        /// The Parallel or Map state.
        state: String,
        /// Its `Type`.
        kind: &'static str,
        /// The branch's or iteration's index.
        index: usize,
        /// Whether it succeeded.
        ok: bool,
    },
    /// The execution ended.
    ExecutionSucceeded {
        /// Its output.
        output: Value,
    },
    /// The execution failed.
    ExecutionFailed {
        /// Error name.
        error: String,
        /// The cause.
        cause: String,
    },
    /// The execution ran past the state machine's `TimeoutSeconds`.
    ExecutionTimedOut {
        /// Why.
        cause: String,
    },
}

impl EventKind {
    /// A Task's call answered `output`: the request of a Task that `waits` for its token was
    /// sent ([`EventKind::TaskSubmitted`]); any other Task succeeded.
    pub(crate) fn answered(waits: bool, state: &str, resource: &str, output: Arc<Value>) -> Self {
        let (state, resource) = (state.to_owned(), resource.to_owned());
        match waits {
            true => EventKind::TaskSubmitted {
                state,
                resource,
                output,
            },
            false => EventKind::TaskSucceeded {
                state,
                resource,
                output,
            },
        }
    }
}

/// The events of an execution in order.
pub type History = Vec<HistoryEvent>;

/// A state machine shared by many executions.
pub type Machine = Arc<StateMachine>;
