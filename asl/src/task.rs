//! `"Type": "Task"` — <https://states-language.net/spec.html#task-state>,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html>.
//!
//! `TimeoutSeconds`/`HeartbeatSeconds` are integers in JSONPath states and may be
//! `"{% … %}"` expressions in JSONata states; `…Path` variants are JSONPath-only.
//! An empty `Retry`/`Catch` array is the same as an absent one and is not emitted.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::common::{nullable, Handlers, IntOrExpr, Io, QueryLanguage};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Task {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    pub resource: String,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub credentials: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub parameters: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub arguments: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_selector: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_path: Option<Value>,
    #[serde(flatten)]
    pub io: Io,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<IntOrExpr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds: Option<IntOrExpr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds_path: Option<String>,
    #[serde(flatten)]
    pub handlers: Handlers,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
}

impl Task {
    /// Whether this Task pauses until a task token is completed (`….waitForTaskToken`), i.e.
    /// waits for the caller. Such a Task needs a timeout.
    ///
    /// <https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token>
    pub fn waits_for_task_token(&self) -> bool {
        is_wait_for_task_token(&self.resource)
    }

    /// Whether a timeout is set, as a number, an expression or a path.
    pub fn has_timeout(&self) -> bool {
        self.timeout_seconds.is_some() || self.timeout_seconds_path.is_some()
    }
}

/// The suffix of a Task `Resource` that pauses until its task token is completed: the "Wait for a
/// Callback with Task Token" integration pattern, for any service (`sqs:sendMessage`,
/// `lambda:invoke`, …).
///
/// <https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token>
pub const WAIT_FOR_TASK_TOKEN: &str = ".waitForTaskToken";

/// Whether `resource` uses the [`WAIT_FOR_TASK_TOKEN`] integration pattern.
pub fn is_wait_for_task_token(resource: &str) -> bool {
    resource.ends_with(WAIT_FOR_TASK_TOKEN)
}
