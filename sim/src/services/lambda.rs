//! Lambda functions registered as Rust closures.
//!
//! `arn:aws:states:::lambda:invoke` takes `FunctionName` (a name or an ARN, optionally with a
//! qualifier) and `Payload`, and returns `{"ExecutedVersion", "Payload", "StatusCode"}`; a
//! Lambda ARN used directly as the `Resource` returns the function's output itself
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html>).

use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use serde_json::{json, Value};

use crate::integration::TaskFailure;

/// A function: its event in, its result or `(error type, message)` out.
pub type Function = Rc<dyn Fn(Value) -> Result<Value, (String, String)>>;

/// Registered functions by name.
#[derive(Default, Clone)]
pub struct Lambdas {
    functions: BTreeMap<String, Function>,
    invocations: u64,
}

impl fmt::Debug for Lambdas {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lambdas")
            .field("functions", &self.functions.keys().collect::<Vec<_>>())
            .field("invocations", &self.invocations)
            .finish()
    }
}

/// The function name in a name, a partial ARN or a full ARN (`…:function:name[:qualifier]`).
pub fn function_name(name_or_arn: &str) -> &str {
    match name_or_arn.split_once(":function:") {
        Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
        None => name_or_arn,
    }
}

impl Lambdas {
    /// No functions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Register `f` under `name` (replacing any function of that name).
    pub fn register(
        &mut self,
        name: &str,
        f: impl Fn(Value) -> Result<Value, (String, String)> + 'static,
    ) {
        self.functions.insert(name.to_string(), Rc::new(f));
    }

    /// How many invocations ran.
    pub fn invocations(&self) -> u64 {
        self.invocations
    }

    /// Invoke `name_or_arn` with `payload`; the function's own error type is the error name.
    pub fn invoke(&mut self, name_or_arn: &str, payload: Value) -> Result<Value, TaskFailure> {
        let name = function_name(name_or_arn);
        let f = self.functions.get(name).cloned().ok_or_else(|| {
            TaskFailure::new(
                "Lambda.ResourceNotFoundException",
                format!("Function not found: '{name_or_arn}' (no closure registered as '{name}')"),
            )
        })?;
        self.invocations += 1;
        f(payload).map_err(|(error, message)| {
            let cause = json!({"errorType": error, "errorMessage": message}).to_string();
            TaskFailure::new(error, cause)
        })
    }

    /// `lambda:invoke`: `{"FunctionName", "Payload"}` → `{"ExecutedVersion", "Payload",
    /// "StatusCode"}`.
    pub fn invoke_task(&mut self, args: &Value) -> Result<Value, TaskFailure> {
        let name = args
            .get("FunctionName")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                TaskFailure::new(
                    "Lambda.InvalidParameterValueException",
                    "lambda:invoke needs a string 'FunctionName'",
                )
            })?;
        let payload = args.get("Payload").cloned().unwrap_or(Value::Null);
        let out = self.invoke(name, payload)?;
        Ok(json!({"ExecutedVersion": "$LATEST", "Payload": out, "StatusCode": 200}))
    }
}
