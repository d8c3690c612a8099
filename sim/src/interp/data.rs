//! Evaluating a state's data fields in either query language, with errors that name the state
//! and the field.
//!
//! JSONPath: <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html>
//! (`InputPath` → `Parameters` → result → `ResultSelector` → `ResultPath` → `OutputPath`).
//! JSONata: <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
//! (`Arguments`, `Output`, `$states`).

use std::borrow::Cow;

use serde_json::Value;
use switchboard_asl::IntOrExpr;

use super::errors::StateError;
use crate::expr::jsonata::expression_text;
use crate::expr::jsonpath::{apply_template, eval_dollar_value, merge_result, select_path};
use crate::expr::{Bindings, Clock, ContextObject, JsonataEngine, PathField, Scope, Vars};

/// What one state's expressions can see.
pub(crate) struct Eval<'a> {
    pub engine: &'a JsonataEngine,
    pub clock: &'a mut Clock,
    pub context: ContextObject<'a>,
    pub vars: &'a Vars,
    pub state: &'a str,
}

impl Eval<'_> {
    fn err(&self, field: &str, e: crate::expr::EvalError) -> StateError {
        StateError::eval(self.state, field, e)
    }

    fn scope<'s>(&'s self, input: &'s Value) -> Scope<'s> {
        Scope::new(input, self.context, self.vars)
    }

    /// `InputPath` or `OutputPath` (`field` names which) applied to `input`.
    pub fn select(
        &mut self,
        field: &str,
        path: Option<&Value>,
        input: &Value,
    ) -> Result<Value, StateError> {
        let pf = PathField::from_json(path).map_err(|e| self.err(field, e))?;
        select_path(pf, &self.scope(input)).map_err(|e| self.err(field, e))
    }

    /// `InputPath` applied to `input`, borrowing `input` when the field is absent (`$`).
    pub fn select_input<'i>(
        &mut self,
        path: Option<&Value>,
        input: &'i Value,
    ) -> Result<Cow<'i, Value>, StateError> {
        match PathField::from_json(path).map_err(|e| self.err("InputPath", e))? {
            PathField::Absent => Ok(Cow::Borrowed(input)),
            _ => self.select("InputPath", path, input).map(Cow::Owned),
        }
    }

    /// `OutputPath` applied to `output`, which it returns as it is when the field is absent.
    pub fn select_output(
        &mut self,
        path: Option<&Value>,
        output: Value,
    ) -> Result<Value, StateError> {
        match PathField::from_json(path).map_err(|e| self.err("OutputPath", e))? {
            PathField::Absent => Ok(output),
            _ => self.select("OutputPath", path, &output),
        }
    }

    /// A JSONPath payload template (`Parameters`, `ResultSelector`, `ItemSelector`) over `input`.
    pub fn template(
        &mut self,
        field: &str,
        template: &Value,
        input: &Value,
    ) -> Result<Value, StateError> {
        let scope = Scope::new(input, self.context, self.vars);
        apply_template(template, &scope, self.clock)
            .map_err(|e| StateError::eval(self.state, field, e))
    }

    /// A JSONPath `…Path` field holding a path or an intrinsic function (`ErrorPath`,
    /// `SecondsPath`, `ItemsPath`, …).
    pub fn dollar(&mut self, field: &str, text: &str, input: &Value) -> Result<Value, StateError> {
        let scope = Scope::new(input, self.context, self.vars);
        eval_dollar_value(field, text, &scope, self.clock)
            .map_err(|e| StateError::eval(self.state, field, e))
    }

    /// `ResultPath`: place `result` into the state's raw `input`.
    pub fn result_path(
        &self,
        field: Option<&Value>,
        input: &Value,
        result: Value,
    ) -> Result<Value, StateError> {
        let pf = PathField::from_json(field).map_err(|e| self.err("ResultPath", e))?;
        merge_result(pf, input, result).map_err(|e| self.err("ResultPath", e))
    }

    /// A JSONPath `Assign` with `$` standing for `dollar`.
    pub fn assign_path(
        &mut self,
        assign: Option<&Value>,
        dollar: &Value,
    ) -> Result<Option<Vars>, StateError> {
        let Some(assign) = assign else {
            return Ok(None);
        };
        let value = self.template("Assign", assign, dollar)?;
        into_vars(self.state, value).map(Some)
    }

    /// A JSONata template field (`Arguments`, `Output`, `ItemSelector`, …).
    pub fn jsonata(
        &mut self,
        field: &str,
        template: &Value,
        b: &Bindings<'_>,
    ) -> Result<Value, StateError> {
        self.engine
            .eval_template_in(field, template, b, self.clock)
            .map_err(|e| StateError::eval(self.state, field, e))
    }

    /// A JSONata `Assign`.
    pub fn assign_jsonata(
        &mut self,
        assign: Option<&Value>,
        b: &Bindings<'_>,
    ) -> Result<Option<Vars>, StateError> {
        let Some(assign) = assign else {
            return Ok(None);
        };
        let value = self.jsonata("Assign", assign, b)?;
        into_vars(self.state, value).map(Some)
    }

    /// A JSONata `Condition` (a boolean literal or an expression yielding one).
    pub fn condition(&mut self, condition: &Value, b: &Bindings<'_>) -> Result<bool, StateError> {
        match condition {
            Value::Bool(v) => Ok(*v),
            Value::String(s) => self
                .engine
                .eval_condition(s, b, self.clock)
                .map_err(|e| StateError::eval(self.state, "Condition", e)),
            other => Err(StateError::new(
                switchboard_asl::errors::QUERY_EVALUATION_ERROR,
                format!(
                    "state '{}', field 'Condition': must be a boolean or a JSONata expression, got {other}",
                    self.state
                ),
            )),
        }
    }

    /// A JSONata string field that may be an expression (`Error`, `Cause`, `Timestamp`).
    pub fn jsonata_string(
        &mut self,
        field: &str,
        text: &str,
        b: &Bindings<'_>,
    ) -> Result<Value, StateError> {
        match expression_text(text) {
            Some(_) => self.jsonata(field, &Value::String(text.to_string()), b),
            None => Ok(Value::String(text.to_string())),
        }
    }

    /// An integer field (`TimeoutSeconds`, `Seconds`, …): a number, or in JSONata states an
    /// expression that must yield a non-negative integer.
    pub fn int_field(
        &mut self,
        field: &str,
        value: &IntOrExpr,
        b: &Bindings<'_>,
    ) -> Result<u64, StateError> {
        match value {
            IntOrExpr::Int(n) => Ok(*n),
            IntOrExpr::Expr(text) => {
                let v = self.jsonata(field, &Value::String(text.clone()), b)?;
                as_seconds(self.state, field, &v)
            }
        }
    }
}

/// A value that must be a non-negative whole number of seconds.
pub(crate) fn as_seconds(state: &str, field: &str, v: &Value) -> Result<u64, StateError> {
    let n = v.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0);
    match n {
        Some(n) => Ok(n as u64),
        None => Err(StateError::runtime(format!(
            "state '{state}', field '{field}': expected a non-negative integer, got {v}"
        ))),
    }
}

fn into_vars(state: &str, value: Value) -> Result<Vars, StateError> {
    match value {
        Value::Object(m) => Ok(m),
        other => Err(StateError::runtime(format!(
            "state '{state}', field 'Assign': must be an object of variable names, got {other}"
        ))),
    }
}

/// Merge newly assigned variables into `vars` (they take effect after the state).
pub(crate) fn apply_assign(vars: &mut Vars, assigned: Option<Vars>) {
    if let Some(new) = assigned {
        for (k, v) in new {
            vars.insert(k, v);
        }
    }
}
