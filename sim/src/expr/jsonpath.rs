//! JSONPath states' data fields: payload templates and the input/output processing fields.
//!
//! - Templates with `.$` keys (`Parameters`, `ResultSelector`, `ItemSelector`, JSONPath
//!   `Assign`): [`apply_template`]; a `.$` value is a path ([`super::path`]) or an intrinsic
//!   function ([`super::intrinsics`]).
//! - `InputPath`, `ResultPath`, `OutputPath`:
//!   <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html>.

use serde_json::{Map, Value};

use super::path::{not_found, place};
use super::sfn::preview;
use super::{intrinsics, Clock, EvalError};

pub use super::path::{eval_path, is_definite, lookup, Scope};

/// An `InputPath`, `OutputPath` or `ResultPath` field: absent, `null`, or a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathField<'a> {
    /// The field is not in the state: `$` for all three.
    Absent,
    /// The field is `null`: `{}` for `InputPath`/`OutputPath`; discard the result for
    /// `ResultPath`.
    Null,
    /// The field holds a path.
    Path(&'a str),
}

impl<'a> PathField<'a> {
    /// Read the field from the raw state (`state.get("ResultPath")`).
    pub fn from_json(field: Option<&'a Value>) -> Result<Self, EvalError> {
        match field {
            None => Ok(PathField::Absent),
            Some(Value::Null) => Ok(PathField::Null),
            Some(Value::String(s)) => Ok(PathField::Path(s)),
            Some(other) => Err(EvalError::runtime(format!(
                "a path field must be a string or null, got {}",
                preview(other)
            ))),
        }
    }
}

impl<'a> From<Option<Option<&'a str>>> for PathField<'a> {
    fn from(v: Option<Option<&'a str>>) -> Self {
        match v {
            None => PathField::Absent,
            Some(None) => PathField::Null,
            Some(Some(p)) => PathField::Path(p),
        }
    }
}

/// Evaluate a `.$` value: an intrinsic call (`States.…`) or a path.
pub fn eval_dollar_value(
    field: &str,
    text: &str,
    scope: &Scope<'_>,
    clock: &mut Clock,
) -> Result<Value, EvalError> {
    if text.trim_start().starts_with("States.") {
        return intrinsics::eval_str(text, scope, clock);
    }
    lookup(text, scope)?.ok_or_else(|| not_found(text, Some(field), scope))
}

/// Apply a JSONPath-flavour payload template (`Parameters`, `ResultSelector`,
/// `ItemSelector`, `Assign`): every key ending in `.$` takes the value of its path or
/// intrinsic call and loses the suffix; other values are copied, objects and arrays walked.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html>
pub fn apply_template(
    template: &Value,
    scope: &Scope<'_>,
    clock: &mut Clock,
) -> Result<Value, EvalError> {
    match template {
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                match k.strip_suffix(".$").filter(|name| !name.is_empty()) {
                    Some(name) => {
                        let Value::String(text) = v else {
                            return Err(EvalError::runtime(format!(
                                "the field '{k}' must hold a path or an intrinsic function, got {}",
                                preview(v)
                            )));
                        };
                        out.insert(name.to_string(), eval_dollar_value(k, text, scope, clock)?);
                    }
                    None => {
                        out.insert(k.clone(), apply_template(v, scope, clock)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|v| apply_template(v, scope, clock))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// Apply `InputPath` or `OutputPath` to `scope.input`.
pub fn select_path(field: PathField<'_>, scope: &Scope<'_>) -> Result<Value, EvalError> {
    match field {
        PathField::Absent => Ok(scope.input.clone()),
        PathField::Null => Ok(Value::Object(Map::new())),
        PathField::Path(p) => eval_path(p, scope),
    }
}

/// Apply `ResultPath`: place `result` into `input` at a reference path, creating objects on
/// the way; absent means the result replaces the input, `null` discards the result.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html>
pub fn merge_result(
    field: PathField<'_>,
    input: &Value,
    result: Value,
) -> Result<Value, EvalError> {
    match field {
        PathField::Absent => Ok(result),
        PathField::Null => Ok(input.clone()),
        PathField::Path(p) => place(p, input, result),
    }
}
