//! The error every evaluation returns, named as Step Functions names it.

/// Step Functions' error names used by the expression layer.
///
/// See <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>.
pub mod names {
    /// A runtime error: a path that matches nothing, a bad value for a field.
    pub const RUNTIME: &str = "States.Runtime";
    /// A JSONata expression failed or returned nothing.
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
    /// An intrinsic function failed.
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    /// `ResultPath` cannot be applied to the state's input.
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    /// A `Parameters`/`ItemSelector` template could not be applied.
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
}

/// A failed evaluation: the Step Functions error name and a cause naming the expression or field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}: {cause}")]
pub struct EvalError {
    /// The error name a `Catch`'s `ErrorEquals` matches, e.g. `States.Runtime`.
    pub error: &'static str,
    /// A human-readable cause naming the expression, path or field at fault.
    pub cause: String,
}

impl EvalError {
    /// An error with the given Step Functions name.
    pub fn new(error: &'static str, cause: impl Into<String>) -> Self {
        EvalError {
            error,
            cause: cause.into(),
        }
    }

    /// `States.Runtime`.
    pub fn runtime(cause: impl Into<String>) -> Self {
        Self::new(names::RUNTIME, cause)
    }

    /// `States.QueryEvaluationError`.
    pub fn query(cause: impl Into<String>) -> Self {
        Self::new(names::QUERY_EVALUATION_ERROR, cause)
    }

    /// `States.IntrinsicFailure`.
    pub fn intrinsic(cause: impl Into<String>) -> Self {
        Self::new(names::INTRINSIC_FAILURE, cause)
    }
}
