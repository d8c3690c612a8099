//! Fields shared by several state types: the data-flow block [`Io`] (`InputPath`, `OutputPath`,
//! `Output`, `Assign`), the error-handling block [`Handlers`] (`Retry`, `Catch`), the query
//! language and the "integer or JSONata expression" shape of `TimeoutSeconds`, `Seconds`,
//! `MaxConcurrency`….
//!
//! A state struct embeds a block with `#[serde(flatten)]`: its fields sit at the block's place
//! in the canonical output order.
//!
//! Spec: <https://states-language.net/spec.html#errors> (Retry/Catch) and the Step Functions
//! guide <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html>.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// `QueryLanguage` of a machine or of one state.
///
/// <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QueryLanguage {
    #[serde(rename = "JSONPath")]
    JsonPath,
    #[serde(rename = "JSONata")]
    Jsonata,
}

/// A field that is a non-negative integer in JSONPath states and may be a JSONata
/// expression string (`"{% … %}"`) in JSONata states, e.g. `TimeoutSeconds`, `Seconds`,
/// `MaxConcurrency`.
///
/// <https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-timeouts-and-heartbeats>
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IntOrExpr {
    Int(u64),
    Expr(String),
}

impl From<u64> for IntOrExpr {
    fn from(n: u64) -> Self {
        IntOrExpr::Int(n)
    }
}

impl Serialize for IntOrExpr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrExpr::Int(n) => s.serialize_u64(*n),
            IntOrExpr::Expr(e) => s.serialize_str(e),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrExpr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = IntOrExpr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-negative integer or a JSONata expression string \"{% … %}\"")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<IntOrExpr, E> {
                Ok(IntOrExpr::Int(n))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<IntOrExpr, E> {
                u64::try_from(n)
                    .map(IntOrExpr::Int)
                    .map_err(|_| E::custom(format!("{n} is negative: use a non-negative integer")))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<IntOrExpr, E> {
                Err(E::custom(format!(
                    "{n} is not an integer: use a whole number"
                )))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<IntOrExpr, E> {
                Ok(IntOrExpr::Expr(s.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// Deserialises an optional free-form field so that an explicit JSON `null` stays `Some(Null)`.
///
/// `"ResultPath": null` (discard the result) and an absent `ResultPath` mean different things
/// (<https://states-language.net/spec.html#filters>), so plain `Option<Value>`, which folds
/// `null` into `None`, would lose data on a round trip.
pub(crate) fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// The data-flow fields every state but Fail has: where its input comes from, what it outputs,
/// and the variables it assigns.
///
/// `InputPath` and `OutputPath` are JSONPath-only, `Output` is JSONata-only, `Assign` works in
/// both (<https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>). A
/// Succeed state has no `Assign` ("Pass, Task, Map, Parallel, Choice, Wait" support it:
/// <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>); parsing a
/// Succeed with one is an error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Io {
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub input_path: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub output_path: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub assign: Option<Value>,
}

/// `Retry` and `Catch`, which Task, Parallel and Map states have. An empty array is the same as
/// an absent one and is not emitted.
///
/// <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html>
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Handlers {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retry: Vec<Retrier>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catch: Vec<Catcher>,
}

/// One entry of a `Retry` array.
///
/// <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-retrying-after-an-error>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Retrier {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub error_equals: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_seconds: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u64>,
    /// Kept as a JSON number so `2` and `2.0` both round-trip unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff_rate: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_delay_seconds: Option<u64>,
    /// `"FULL"` or `"NONE"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter_strategy: Option<String>,
}

/// One entry of a `Catch` array. `ResultPath` is JSONPath-only; `Output` is JSONata-only;
/// `Assign` works in both.
///
/// <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html#error-handling-fallback-states>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Catcher {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub error_equals: Vec<String>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_path: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Value>,
    #[serde(
        default,
        deserialize_with = "nullable",
        skip_serializing_if = "Option::is_none"
    )]
    pub assign: Option<Value>,
    pub next: String,
}

impl Catcher {
    /// A catcher for `errors` that goes to `next`, with no data handling.
    pub fn new(
        errors: impl IntoIterator<Item = impl Into<String>>,
        next: impl Into<String>,
    ) -> Self {
        Catcher {
            comment: None,
            error_equals: errors.into_iter().map(Into::into).collect(),
            result_path: None,
            output: None,
            assign: None,
            next: next.into(),
        }
    }
}
