//! Paths and reference paths:
//! <https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html>.
//!
//! `$` is the state's input (or whatever the field is applied to), `$$` the context object,
//! `$name` a variable
//! (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>). A
//! *definite* path (only `.name`, `['name']`, `[n]` steps) yields the node itself; any other
//! path (`*`, `..`, filters, slices, unions) yields the list of matches, evaluated by
//! `serde_json_path` (RFC 9535). Both [`super::jsonpath`] (payload templates and the I/O fields)
//! and [`super::intrinsics`] (path arguments) evaluate paths through this module.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;
use switchboard_asl::errors;

use super::sfn::preview;
use super::{ContextObject, EvalError, Vars};

/// What a path can reach: the value `$` stands for, the context object, the variables.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// `$`: the state's input, or the value a field is applied to (a task result for
    /// `ResultSelector`, the state output for `OutputPath`).
    pub input: &'a Value,
    /// `$$`: the context object.
    pub context: ContextObject<'a>,
    /// `$name`: the execution's variables.
    pub vars: &'a Vars,
}

impl<'a> Scope<'a> {
    /// A scope over `input`, `context` and `vars`.
    pub fn new(input: &'a Value, context: impl Into<ContextObject<'a>>, vars: &'a Vars) -> Self {
        Scope {
            input,
            context: context.into(),
            vars,
        }
    }

    /// The same context and variables with `$` standing for `input`.
    pub fn with_input(&self, input: &'a Value) -> Self {
        Scope { input, ..*self }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root<'p> {
    Input,
    Context,
    Var(&'p str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug)]
enum Parsed<'p> {
    Definite(Root<'p>, Vec<Step>),
    /// Root and the rest of the path, rewritten to start at `$`.
    Indefinite(Root<'p>, String),
}

fn bad_path(path: &str, why: &str) -> EvalError {
    EvalError::runtime(format!("'{path}' is not a valid JSONPath: {why}"))
}

fn split_root(path: &str) -> Result<(Root<'_>, &str), EvalError> {
    let path_t = path.trim();
    if let Some(rest) = path_t.strip_prefix("$$") {
        return Ok((Root::Context, rest));
    }
    let Some(rest) = path_t.strip_prefix('$') else {
        return Err(bad_path(path, "it must start with '$'"));
    };
    let name_len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(rest.len(), |(i, _)| i);
    if name_len == 0 {
        Ok((Root::Input, rest))
    } else {
        Ok((Root::Var(&rest[..name_len]), &rest[name_len..]))
    }
}

fn parse(path: &str) -> Result<Parsed<'_>, EvalError> {
    let (root, rest) = split_root(path)?;
    let b = rest.as_bytes();
    let mut steps = Vec::new();
    let mut i = 0;
    let indefinite = |root| Ok(Parsed::Indefinite(root, format!("${rest}")));
    while i < b.len() {
        match b[i] {
            b'.' => {
                let start = i + 1;
                let end = rest[start..]
                    .find(['.', '['])
                    .map_or(rest.len(), |j| start + j);
                let name = &rest[start..end];
                if name.is_empty() || name == "*" {
                    return indefinite(root); // `..` descent or `.*` wildcard
                }
                steps.push(Step::Key(name.to_string()));
                i = end;
            }
            b'[' => {
                let close = match rest[i..].find(']') {
                    Some(j) => i + j,
                    None => return Err(bad_path(path, "unclosed '['")),
                };
                let inner = rest[i + 1..close].trim();
                let quoted = inner.len() >= 2
                    && ((inner.starts_with('\'') && inner.ends_with('\''))
                        || (inner.starts_with('"') && inner.ends_with('"')));
                if quoted && !inner[1..inner.len() - 1].contains(['\'', '"', '\\']) {
                    steps.push(Step::Key(inner[1..inner.len() - 1].to_string()));
                } else if !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_digit()) {
                    let n = inner
                        .parse()
                        .map_err(|_| bad_path(path, "index out of range"))?;
                    steps.push(Step::Index(n));
                } else {
                    return indefinite(root); // filter, slice, union, wildcard, negative index
                }
                i = close + 1;
            }
            _ => return Err(bad_path(path, &format!("unexpected '{}'", &rest[i..]))),
        }
    }
    Ok(Parsed::Definite(root, steps))
}

fn root_value<'s>(root: Root<'_>, scope: &Scope<'s>) -> Option<&'s Value> {
    match root {
        Root::Input => Some(scope.input),
        Root::Context => Some(scope.context.get()),
        Root::Var(name) => scope.vars.get(name),
    }
}

fn walk<'v>(mut v: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    for s in steps {
        v = match (s, v) {
            (Step::Key(k), Value::Object(m)) => m.get(k)?,
            (Step::Index(n), Value::Array(a)) => a.get(*n)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Whether `path` is a definite (reference) path: one that can only name a single node.
pub fn is_definite(path: &str) -> Result<bool, EvalError> {
    Ok(matches!(parse(path)?, Parsed::Definite(..)))
}

/// Evaluate `path`: `Ok(None)` when a definite path names nothing (or an unknown variable);
/// an indefinite path yields the array of its matches, possibly empty.
pub fn lookup(path: &str, scope: &Scope<'_>) -> Result<Option<Value>, EvalError> {
    match parse(path)? {
        Parsed::Definite(root, steps) => Ok(root_value(root, scope)
            .and_then(|v| walk(v, &steps))
            .cloned()),
        Parsed::Indefinite(root, query) => {
            let compiled = JsonPath::parse(&query).map_err(|e| bad_path(path, &e.to_string()))?;
            let Some(v) = root_value(root, scope) else {
                return Ok(None);
            };
            let matches = compiled.query(v).all().into_iter().cloned().collect();
            Ok(Some(Value::Array(matches)))
        }
    }
}

/// Evaluate `path`, failing with `States.Runtime` when it names nothing.
pub fn eval_path(path: &str, scope: &Scope<'_>) -> Result<Value, EvalError> {
    lookup(path, scope)?.ok_or_else(|| not_found(path, None, scope))
}

pub(crate) fn not_found(path: &str, field: Option<&str>, scope: &Scope<'_>) -> EvalError {
    let (root, _) = split_root(path).unwrap_or((Root::Input, ""));
    let within = match root {
        Root::Input => format!("the input '{}'", preview(scope.input)),
        Root::Context => format!("the context object '{}'", preview(scope.context.get())),
        Root::Var(name) if !scope.vars.contains_key(name) => {
            format!("the variables: ${name} is not assigned")
        }
        Root::Var(name) => format!("the variable ${name}"),
    };
    let field = field
        .map(|f| format!(" specified for the field '{f}'"))
        .unwrap_or_default();
    EvalError::runtime(format!(
        "The JSONPath '{path}'{field} could not be found in {within}"
    ))
}

/// `input` with `value` placed at the reference path `path` (into `$`), creating objects on the
/// way: what `ResultPath` does.
pub(crate) fn place(path: &str, input: &Value, value: Value) -> Result<Value, EvalError> {
    let steps = match parse(path)? {
        Parsed::Definite(Root::Input, steps) => steps,
        _ => {
            return Err(EvalError::runtime(format!(
                "ResultPath '{path}' must be a reference path into the state's input"
            )))
        }
    };
    let mut out = input.clone();
    set(&mut out, &steps, value).map_err(|()| {
        EvalError::new(
            errors::RESULT_PATH_MATCH_FAILURE,
            format!(
                "Unable to apply ResultPath '{path}' to input '{}'",
                preview(input)
            ),
        )
    })?;
    Ok(out)
}

fn set(target: &mut Value, steps: &[Step], value: Value) -> Result<(), ()> {
    let Some((first, rest)) = steps.split_first() else {
        *target = value;
        return Ok(());
    };
    let slot = match (first, target) {
        (Step::Key(k), Value::Object(m)) => m
            .entry(k.clone())
            .or_insert_with(|| Value::Object(Map::new())),
        (Step::Index(n), Value::Array(a)) => a.get_mut(*n).ok_or(())?,
        _ => return Err(()),
    };
    set(slot, rest, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_steps() {
        assert!(matches!(
            parse("$$.Task.Token").unwrap(),
            Parsed::Definite(Root::Context, ref s) if s.len() == 2
        ));
        assert!(matches!(
            parse("$Call.From").unwrap(),
            Parsed::Definite(Root::Var("Call"), _)
        ));
        assert!(
            matches!(parse("$['a b'][3]").unwrap(), Parsed::Definite(Root::Input, ref s)
            if s == &vec![Step::Key("a b".into()), Step::Index(3)])
        );
        assert!(
            matches!(parse("$..x").unwrap(), Parsed::Indefinite(Root::Input, ref q) if q == "$..x")
        );
        assert!(
            matches!(parse("$v[*].x").unwrap(), Parsed::Indefinite(Root::Var("v"), ref q) if q == "$[*].x")
        );
        assert!(parse("a.b").is_err());
        assert!(parse("$.a[").is_err());
    }
}
