//! What a `Task` state asks of a service integration, and what the integration answers: the
//! boundary between the interpreter ([`crate::interp`], which calls through
//! [`Integrations`]) and the in-memory services ([`crate::services`], which implement it). Both
//! depend on this module, so the services need nothing from the interpreter.

use serde_json::Value;

use crate::expr::Clock;

/// What a [`Task`](switchboard_asl::Task) asks of a service integration.
#[derive(Debug, Clone)]
pub struct TaskRequest<'a> {
    /// The state's `Resource`, e.g. `arn:aws:states:::dynamodb:putItem`.
    pub resource: &'a str,
    /// The Task state's name.
    pub state: &'a str,
    /// The execution's ARN.
    pub execution: &'a str,
    /// `Parameters` (JSONPath) or `Arguments` (JSONata) after evaluation.
    pub arguments: &'a Value,
    /// The task token, for `….waitForTaskToken` resources.
    pub task_token: Option<&'a str>,
}

/// A service integration's failure: the error name a `Catch` matches, and its cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFailure {
    /// E.g. `DynamoDB.ConditionalCheckFailedException`.
    pub error: String,
    /// A human-readable cause naming the resource at fault.
    pub cause: String,
}

impl TaskFailure {
    /// A failure with the given error name and cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        TaskFailure {
            error: error.into(),
            cause: cause.into(),
        }
    }
}

/// What the interpreter calls for `Task` resources. [`crate::services::Services`] is the
/// in-memory implementation; a test can supply its own.
pub trait Integrations {
    /// Perform the request. For `….waitForTaskToken` resources, `Ok` means the message was
    /// sent and the Task now waits for its token; the value is ignored.
    fn invoke(&mut self, request: TaskRequest<'_>, clock: &mut Clock)
        -> Result<Value, TaskFailure>;
}
