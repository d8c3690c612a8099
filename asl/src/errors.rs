//! Step Functions' predefined error names (`States.*`) and how a `Retry`/`Catch`'s
//! `ErrorEquals` matches them.
//!
//! The one place these strings are spelled: the compiler's catchers, the simulator's failures
//! and the graph checks use these constants. The PSTN audio wire contract's own error names
//! (`HANGUP`, `ACTION_FAILED`, …) are `switchboard::wire`'s.
//!
//! Source: <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>
//! ("Error names").

/// A wildcard that matches any error name — except [`RUNTIME`] and [`DATA_LIMIT_EXCEEDED`],
/// which no retrier or catcher can handle.
pub const ALL: &str = "States.ALL";
/// A Task state ran longer than its `TimeoutSeconds`, or failed to send a heartbeat within its
/// `HeartbeatSeconds`; as a pattern it also matches [`HEARTBEAT_TIMEOUT`].
pub const TIMEOUT: &str = "States.Timeout";
/// A Task's heartbeat did not come within its `HeartbeatSeconds`.
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
/// A Task failed during execution; as a pattern, a wildcard for any error except
/// [`TIMEOUT`] (and so [`HEARTBEAT_TIMEOUT`]).
pub const TASK_FAILED: &str = "States.TaskFailed";
/// A Choice state matched no rule and has no `Default`.
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
/// Output larger than the payload quota; terminal: no retrier or catcher handles it.
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
/// A runtime error, e.g. a path that matches nothing; terminal: no retrier or catcher handles
/// it.
pub const RUNTIME: &str = "States.Runtime";
/// A JSONata expression failed or produced no value.
pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
/// An intrinsic function (`States.Format(…)`, …) failed.
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
/// A `ResultPath` cannot be applied to the state's input.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
/// A `Parameters`/`ItemSelector` path could not be applied.
pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";

/// Whether no retrier or catcher may handle the error `name`: it ends the execution.
pub fn is_terminal(name: &str) -> bool {
    name == RUNTIME || name == DATA_LIMIT_EXCEEDED
}

/// Whether the `ErrorEquals` entry `pattern` matches the error `name`.
///
/// [`ALL`] "can't catch the `States.DataLimitExceeded` terminal error or `Runtime` error
/// types"; [`TASK_FAILED`] "acts as a wildcard that matches any known error name except for
/// `States.Timeout`"; [`TIMEOUT`] covers a missed heartbeat too.
pub fn matches(pattern: &str, name: &str) -> bool {
    if is_terminal(name) {
        return false;
    }
    match pattern {
        ALL => true,
        TASK_FAILED => name != TIMEOUT && name != HEARTBEAT_TIMEOUT,
        TIMEOUT => name == TIMEOUT || name == HEARTBEAT_TIMEOUT,
        p => p == name,
    }
}

/// Whether any entry of `error_equals` matches `name`.
pub fn any_matches(error_equals: &[String], name: &str) -> bool {
    error_equals.iter().any(|p| matches(p, name))
}
