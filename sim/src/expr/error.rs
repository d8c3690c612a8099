//! The error every evaluation returns, named as Step Functions names it
//! ([`switchboard_asl::errors`]).

use switchboard_asl::errors;

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
        Self::new(errors::RUNTIME, cause)
    }

    /// `States.QueryEvaluationError`.
    pub fn query(cause: impl Into<String>) -> Self {
        Self::new(errors::QUERY_EVALUATION_ERROR, cause)
    }

    /// `States.IntrinsicFailure`.
    pub fn intrinsic(cause: impl Into<String>) -> Self {
        Self::new(errors::INTRINSIC_FAILURE, cause)
    }
}
