//! Errors of states, and how `Retry` and `Catch` match and back off.
//!
//! <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>:
//! - `States.ALL` matches any error name, but "can't catch the `States.DataLimitExceeded`
//!   terminal error or `Runtime` error types"; a `States.Runtime` error "isn't retriable, and
//!   will always cause the execution to fail".
//! - `States.TaskFailed`, used in a retrier or catcher, "acts as a wildcard that matches any
//!   known error name except for `States.Timeout`".
//! - `States.Timeout`: "A Task state either ran longer than the `TimeoutSeconds` value, or
//!   failed to send a heartbeat for a period longer than the `HeartbeatSeconds` value", so it
//!   also matches `States.HeartbeatTimeout`.
//! - Retry defaults: `IntervalSeconds` 1, `MaxAttempts` 3, `BackoffRate` 2.0; the delay before
//!   retry *n* (from 0) is `IntervalSeconds × BackoffRate^n`, capped by `MaxDelaySeconds`;
//!   `JitterStrategy: FULL` draws the delay uniformly below that.

use serde_json::{json, Value};
use switchboard::wire::{ERROR_ALL, ERROR_TASK_FAILED, ERROR_TIMEOUT};
use switchboard_asl::Retrier;

use crate::expr::{names, Clock, EvalError};

/// `States.HeartbeatTimeout`.
pub(crate) const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// `States.NoChoiceMatched`.
pub(crate) const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
/// `States.DataLimitExceeded`.
pub(crate) const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";

/// A state's failure: the error name `Retry`/`Catch` match and a cause naming the state and
/// field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct StateError {
    /// The error name.
    pub error: String,
    /// The cause.
    pub cause: String,
}

impl StateError {
    /// An error with a name and a cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        StateError {
            error: error.into(),
            cause: cause.into(),
        }
    }

    /// `States.Runtime`.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(names::RUNTIME, cause)
    }

    /// An expression error, its cause prefixed with the state and field it happened in.
    pub fn eval(state: &str, field: &str, e: EvalError) -> Self {
        StateError::new(
            e.error,
            format!("state '{state}', field '{field}': {}", e.cause),
        )
    }

    /// Whether no `Retry` or `Catch` may handle this error: it ends the execution.
    pub fn is_terminal(&self) -> bool {
        self.error == names::RUNTIME || self.error == DATA_LIMIT_EXCEEDED
    }

    /// The error output a catcher sees: `{"Error": …, "Cause": …}`.
    pub fn output(&self) -> Value {
        json!({"Error": self.error, "Cause": self.cause})
    }
}

/// Whether the `ErrorEquals` entry `pattern` matches the error `name`.
pub fn error_matches(pattern: &str, name: &str) -> bool {
    if name == names::RUNTIME || name == DATA_LIMIT_EXCEEDED {
        return false;
    }
    match pattern {
        p if p == ERROR_ALL => true,
        p if p == ERROR_TASK_FAILED => name != ERROR_TIMEOUT && name != HEARTBEAT_TIMEOUT,
        p if p == ERROR_TIMEOUT => name == ERROR_TIMEOUT || name == HEARTBEAT_TIMEOUT,
        p => p == name,
    }
}

/// Whether any entry of `error_equals` matches `name`.
pub(crate) fn any_matches(error_equals: &[String], name: &str) -> bool {
    error_equals.iter().any(|p| error_matches(p, name))
}

/// `MaxAttempts` of a retrier (default 3).
pub(crate) fn max_attempts(r: &Retrier) -> u64 {
    r.max_attempts.unwrap_or(3)
}

/// The back-off before retry number `attempt` (0 for the first retry) of retrier `r`, in
/// milliseconds, drawing jitter from `clock`'s generator when `JitterStrategy` is `FULL`.
pub fn retry_delay_ms(r: &Retrier, attempt: u32, clock: &mut Clock) -> i64 {
    let interval = r.interval_seconds.unwrap_or(1) as f64;
    let rate = r
        .backoff_rate
        .as_ref()
        .and_then(|n| n.as_f64())
        .unwrap_or(2.0);
    let mut seconds = interval * rate.powi(attempt as i32);
    if let Some(max) = r.max_delay_seconds {
        seconds = seconds.min(max as f64);
    }
    if r.jitter_strategy.as_deref() == Some("FULL") {
        seconds *= clock.next_f64();
    }
    // The largest delay Step Functions allows is far below this bound; it only keeps the
    // conversion finite for absurd rates.
    (seconds.clamp(0.0, 1.0e12) * 1000.0).round() as i64
}
