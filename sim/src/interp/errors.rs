//! Errors of states, and how `Retry` and `Catch` match and back off.
//!
//! <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>:
//! - which `ErrorEquals` entry matches which error name (`States.ALL`, `States.TaskFailed`,
//!   `States.Timeout` as wildcards; `States.Runtime` and `States.DataLimitExceeded` never
//!   caught) is [`switchboard_asl::errors::matches`];
//! - Retry defaults: `IntervalSeconds` 1, `MaxAttempts` 3, `BackoffRate` 2.0; the delay before
//!   retry *n* (from 0) is `IntervalSeconds × BackoffRate^n`, capped by `MaxDelaySeconds`;
//!   `JitterStrategy: FULL` draws the delay uniformly below that.

use serde_json::{json, Value};
use switchboard_asl::errors;
use switchboard_asl::Retrier;

use crate::expr::{Clock, EvalError};

/// How an `ErrorEquals` entry matches an error name: [`switchboard_asl::errors::matches`].
pub use switchboard_asl::errors::matches as error_matches;

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
        Self::new(errors::RUNTIME, cause)
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
        errors::is_terminal(&self.error)
    }

    /// The error output a catcher sees: `{"Error": …, "Cause": …}`.
    pub fn output(&self) -> Value {
        json!({"Error": self.error, "Cause": self.cause})
    }
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
