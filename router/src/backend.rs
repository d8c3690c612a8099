//! The two services the router drives, behind traits.
//!
//! [`Engine`] is Step Functions (start an execution, complete a task token); [`ActionQueue`] is the
//! per-call SQS queue a waiting Task puts its PSTN audio response on. Production uses
//! [`crate::aws`]; the simulator and the benchmarks use [`crate::memory::MemoryQueue`] and their own
//! `Engine` over an in-process interpreter. The traits are generic (methods return `impl Future +
//! Send`), so implementors may simply write `async fn`.

use std::future::Future;
use std::time::Duration;

/// What went wrong in a backend call, classified by what the router does about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct BackendError {
    /// The class of failure.
    pub kind: ErrorKind,
    /// The service's own message (error code and text), for the log line.
    pub message: String,
}

impl BackendError {
    /// An error of `kind` with the service's `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        BackendError {
            kind,
            message: message.into(),
        }
    }
}

/// Classes of backend failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The task token is unknown, already completed or timed out
    /// (`InvalidToken`, `TaskDoesNotExist`, `TaskTimedOut`).
    TokenGone,
    /// An execution with that name already exists (`ExecutionAlreadyExists`).
    ExecutionExists,
    /// The state machine or execution does not exist.
    NotFound,
    /// The call's queue does not exist (any more).
    QueueGone,
    /// Anything else, after the SDK's own retries: throttling, timeouts, 5xx, network.
    Service,
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ErrorKind::TokenGone => "token gone",
            ErrorKind::ExecutionExists => "execution already exists",
            ErrorKind::NotFound => "not found",
            ErrorKind::QueueGone => "queue gone",
            ErrorKind::Service => "service error",
        })
    }
}

/// Result of a backend call.
pub type BackendResult<T> = Result<T, BackendError>;

/// The workflow engine: Step Functions in production, an ASL interpreter in the simulator.
pub trait Engine: Send + Sync {
    /// Starts execution `name` of `state_machine_arn` with `input` (a JSON document).
    /// An execution of that name that already exists must be reported as
    /// [`ErrorKind::ExecutionExists`].
    fn start_execution(
        &self,
        state_machine_arn: &str,
        name: &str,
        input: &str,
    ) -> impl Future<Output = BackendResult<()>> + Send;

    /// Completes the waiting task `token` with `output` (a JSON document).
    fn send_task_success(
        &self,
        token: &str,
        output: &str,
    ) -> impl Future<Output = BackendResult<()>> + Send;

    /// Fails the waiting task `token` with `error` and `cause`.
    fn send_task_failure(
        &self,
        token: &str,
        error: &str,
        cause: &str,
    ) -> impl Future<Output = BackendResult<()>> + Send;

    /// Whether execution `name` of `state_machine_arn` is still running. Only asked on anomalies
    /// (a token that is gone, a workflow that stays silent), never on the normal path.
    fn execution_running(
        &self,
        state_machine_arn: &str,
        name: &str,
    ) -> impl Future<Output = BackendResult<bool>> + Send;
}

/// One message taken from a call's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueMessage {
    /// The message body: a PSTN audio response written by a waiting Task.
    pub body: String,
    /// The handle to [`ActionQueue::ack`] it with.
    pub receipt: String,
}

/// The per-call action queue: SQS in production, [`crate::memory::MemoryQueue`] in process.
///
/// Receiving does not remove a message: it stays visible until acknowledged, so a retried
/// invocation finds the same actions. The router acknowledges a message once the event it caused
/// has arrived (its token is the one being completed).
pub trait ActionQueue: Send + Sync {
    /// Creates the queue `name` (idempotent) and returns its URL.
    fn create(&self, name: &str) -> impl Future<Output = BackendResult<String>> + Send;

    /// Waits up to `wait` for a message, and never longer: `Ok(None)` means none arrived within
    /// all of `wait`, and the router then stops waiting (it answers by a deadline). A zero `wait`
    /// is one look at the queue.
    fn receive(
        &self,
        url: &str,
        wait: Duration,
    ) -> impl Future<Output = BackendResult<Option<QueueMessage>>> + Send;

    /// Removes a received message.
    fn ack(&self, url: &str, receipt: &str) -> impl Future<Output = BackendResult<()>> + Send;

    /// Deletes the queue.
    fn delete(&self, url: &str) -> impl Future<Output = BackendResult<()>> + Send;
}
