//! JSONata expressions (`"{% … %}"`), as Step Functions evaluates them.
//!
//! Reference: <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>.
//! Step Functions binds `$states` (`input`, `result`, `errorOutput`, `context`) and the
//! execution's variables, adds its own functions (see [`functions`]) and takes `$now`,
//! `$millis` and `$random` from the simulated [`Clock`].

mod convert;
mod datetime;
mod functions;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use jsonata_core::ast::AstNode;
use jsonata_core::evaluator::{Context, Evaluator};
use jsonata_core::value::JValue;
use jsonata_core::Expression;
use serde_json::{Map, Value};

use self::convert::{from_json, to_json};
use self::functions::FnState;
use super::{Clock, ContextObject, EvalError, Vars};

/// What an expression can see: `$states` and the execution's variables.
#[derive(Debug, Clone, Copy)]
pub struct Bindings<'a> {
    /// `$states.input`: the state's input.
    pub input: &'a Value,
    /// `$states.result`: a Task's, Parallel's or Map's result (in `Output`, `Assign`).
    pub result: Option<&'a Value>,
    /// `$states.errorOutput`: the error output (in a `Catch`).
    pub error_output: Option<&'a Value>,
    /// `$states.context`: the context object.
    pub context: ContextObject<'a>,
    /// The execution's variables, each visible as `$name`.
    pub vars: &'a Vars,
}

impl<'a> Bindings<'a> {
    /// Bindings with no result and no error output.
    pub fn new(input: &'a Value, context: impl Into<ContextObject<'a>>, vars: &'a Vars) -> Self {
        Bindings {
            input,
            result: None,
            error_output: None,
            context: context.into(),
            vars,
        }
    }

    /// The same bindings with `$states.result`.
    pub fn with_result(mut self, result: &'a Value) -> Self {
        self.result = Some(result);
        self
    }

    /// The same bindings with `$states.errorOutput`.
    pub fn with_error_output(mut self, error_output: &'a Value) -> Self {
        self.error_output = Some(error_output);
        self
    }

    fn states(&self) -> JValue {
        let mut m = Map::new();
        m.insert("input".into(), self.input.clone());
        m.insert("context".into(), self.context.get().clone());
        if let Some(r) = self.result {
            m.insert("result".into(), r.clone());
        }
        if let Some(e) = self.error_output {
            m.insert("errorOutput".into(), e.clone());
        }
        from_json(&Value::Object(m))
    }
}

/// The text inside `{% … %}` when `s` is a JSONata expression string, else `None`.
///
/// The string must start with `{%` and end with `%}` exactly; anything else is a literal
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>). The inner
/// text is trimmed.
pub fn expression_text(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("{%")?.strip_suffix("%}")?;
    Some(inner.trim())
}

/// A parsed expression and the `$names` its text mentions, so only those are bound.
struct Compiled {
    ast: AstNode,
    names: Vec<String>,
}

/// The most expressions kept parsed; a state machine has far fewer, so this only bounds a
/// process that evaluates generated expressions without end.
const CACHE_LIMIT: usize = 4096;

/// Evaluates JSONata expressions, keeping each one's parse keyed by its text.
pub struct JsonataEngine {
    cache: RefCell<HashMap<String, Rc<Compiled>>>,
    from_millis: Rc<Expression>,
}

impl Default for JsonataEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonataEngine {
    /// An engine with an empty cache.
    pub fn new() -> Self {
        // A constant expression that parses: the built-in `$fromMillis`, which the overrides of
        // `$now` and `$fromMillis` call for numeric timezones.
        let from_millis = Expression::compile("$fromMillis(millis, picture, timezone)")
            .map(Rc::new)
            .unwrap_or_else(|e| unreachable!("constant expression parses: {e}"));
        JsonataEngine {
            cache: RefCell::new(HashMap::new()),
            from_millis,
        }
    }

    /// How many distinct expressions are parsed and cached.
    pub fn cached(&self) -> usize {
        self.cache.borrow().len()
    }

    fn compile(&self, text: &str) -> Result<Rc<Compiled>, EvalError> {
        if let Some(c) = self.cache.borrow().get(text) {
            return Ok(c.clone());
        }
        let ast = jsonata_core::parser::parse(text).map_err(|e| {
            EvalError::query(format!("The JSONata expression '{text}' is invalid: {e}"))
        })?;
        let compiled = Rc::new(Compiled {
            ast,
            names: referenced_names(text),
        });
        let mut cache = self.cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(text.to_string(), compiled.clone());
        Ok(compiled)
    }

    /// Evaluate `text` (what is inside `{% … %}`); `Ok(None)` when it yields nothing.
    pub fn eval_optional(
        &self,
        text: &str,
        bindings: &Bindings<'_>,
        clock: &mut Clock,
    ) -> Result<Option<Value>, EvalError> {
        let text = text.trim();
        let compiled = self.compile(text)?;
        let mut ctx = Context::new();
        for name in &compiled.names {
            if name == "states" {
                ctx.bind(name.clone(), bindings.states());
            } else if let Some(v) = bindings.vars.get(name) {
                ctx.bind(name.clone(), from_json(v));
            }
        }
        let state = Rc::new(Cell::new(FnState {
            now_ms: clock.now_millis(),
            rng: clock.rng_state(),
        }));
        let mut ev = Evaluator::with_context(ctx);
        functions::register(&mut ev, &state, &self.from_millis).map_err(|e| {
            EvalError::query(format!("cannot register Step Functions' functions: {e}"))
        })?;
        let result = ev.evaluate(&compiled.ast, &JValue::Null);
        clock.set_rng_state(state.get().rng);
        let value = result.map_err(|e| {
            EvalError::query(format!(
                "The JSONata expression '{text}' failed: {}",
                e.message()
            ))
        })?;
        to_json(&value)
            .map_err(|m| EvalError::query(format!("The JSONata expression '{text}' returned {m}")))
    }

    /// Evaluate `text` (what is inside `{% … %}`); nothing (undefined) is an error.
    pub fn eval(
        &self,
        text: &str,
        bindings: &Bindings<'_>,
        clock: &mut Clock,
    ) -> Result<Value, EvalError> {
        self.eval_field(text, "", bindings, clock)
    }

    fn eval_field(
        &self,
        text: &str,
        field: &str,
        bindings: &Bindings<'_>,
        clock: &mut Clock,
    ) -> Result<Value, EvalError> {
        self.eval_optional(text, bindings, clock)?.ok_or_else(|| {
            // Real Step Functions fails the state, naming the field, rather than dropping
            // it; see the reproduction in https://github.com/floci-io/floci/issues/2665:
            // "The JSONata expression '$states.input.missing' specified for the field
            // 'Output/v' returned nothing (undefined)."
            let field = if field.is_empty() { "(top level)" } else { field };
            EvalError::query(format!(
                "The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
                text.trim()
            ))
        })
    }

    /// Evaluate a `Condition` (or any field that must be a boolean), given either the whole
    /// `"{% … %}"` string or the text inside it.
    pub fn eval_condition(
        &self,
        condition: &str,
        bindings: &Bindings<'_>,
        clock: &mut Clock,
    ) -> Result<bool, EvalError> {
        let text = expression_text(condition).unwrap_or(condition);
        match self.eval_field(text, "Condition", bindings, clock)? {
            Value::Bool(b) => Ok(b),
            other => Err(EvalError::query(format!(
                "The JSONata expression '{text}' specified for the field 'Condition' returned {other}, not a boolean."
            ))),
        }
    }

    /// Replace every string of `template` that is exactly `"{% expr %}"` by the expression's
    /// value, walking objects and arrays; every other value stays as it is.
    pub fn eval_template(
        &self,
        template: &Value,
        bindings: &Bindings<'_>,
        clock: &mut Clock,
    ) -> Result<Value, EvalError> {
        self.eval_template_in("", template, bindings, clock)
    }

    /// [`eval_template`](Self::eval_template) for the field named `field` (e.g. `Output`,
    /// `Arguments`), which error messages name as Step Functions does (`Output/v`, `Items[2]`).
    pub fn eval_template_in(
        &self,
        field: &str,
        template: &Value,
        bindings: &Bindings<'_>,
        clock: &mut Clock,
    ) -> Result<Value, EvalError> {
        match template {
            Value::String(s) => match expression_text(s) {
                Some(text) => self.eval_field(text, field, bindings, clock),
                None => Ok(template.clone()),
            },
            Value::Object(m) => {
                let mut out = Map::with_capacity(m.len());
                for (k, v) in m {
                    let at = if field.is_empty() {
                        k.clone()
                    } else {
                        format!("{field}/{k}")
                    };
                    out.insert(k.clone(), self.eval_template_in(&at, v, bindings, clock)?);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    out.push(self.eval_template_in(
                        &format!("{field}[{i}]"),
                        v,
                        bindings,
                        clock,
                    )?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }
}

/// Every `$name` the text mentions (a superset of the variables it reads: JSONata has no way
/// to reach a variable by a computed name, and Step Functions has no `$eval`).
fn referenced_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while let Some(&(j, d)) = chars.peek() {
            if d.is_alphanumeric() || d == '_' {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let name = &text[start..end];
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_collected_once() {
        assert_eq!(
            referenced_names("$a & $states.input.x & $a & $b_2 & $$ & $"),
            vec!["a", "states", "b_2"]
        );
    }

    #[test]
    fn only_exact_delimiters_make_an_expression() {
        assert_eq!(expression_text("{% 1 + 1 %}"), Some("1 + 1"));
        assert_eq!(expression_text(" {% 1 %}"), None);
        assert_eq!(expression_text("{% 1 %} "), None);
        assert_eq!(expression_text("plain"), None);
    }
}
