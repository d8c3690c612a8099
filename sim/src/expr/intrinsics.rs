//! The `States.*` intrinsic functions of JSONPath states: a parser and an evaluator.
//!
//! Reference: <https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html>.
//! Arguments are string literals in single quotes (`\'`, `\{`, `\}` and `\\` escape the
//! reserved characters; any other backslash is an error), numbers, `true`, `false`, `null`,
//! paths (`$.x`, `$$.x`, `$var`) and nested calls, at most 10 deep. Failures are
//! `States.IntrinsicFailure` naming the function and the argument.

use base64::Engine as _;
use serde_json::{Map, Value};

use super::path::{eval_path, Scope};
use super::sfn::{self, as_integer, json_eq, preview, type_name};
use super::{seeded_f64, Clock, EvalError};

/// The deepest nesting of calls a field may hold.
pub const MAX_NESTING: usize = 10;

/// A string literal: its text, and where its unescaped `{}` placeholders start.
#[derive(Debug, Clone, PartialEq)]
pub struct Literal {
    /// The text with escapes resolved; placeholders appear as `{}`.
    pub text: String,
    /// Byte offsets in `text` of the unescaped `{}` pairs.
    pub placeholders: Vec<usize>,
}

/// One argument of an intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A single-quoted string.
    Str(Literal),
    /// A number, `true`, `false` or `null`.
    Json(Value),
    /// A path: `$.x`, `$$.x`, `$var.x`.
    Path(String),
    /// A nested call.
    Call(Call),
}

/// A parsed call: `States.<name>(args…)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function name after `States.`, e.g. `Format`.
    pub name: String,
    /// The arguments, in order.
    pub args: Vec<Arg>,
}

fn parse_error(text: &str, at: usize, why: &str) -> EvalError {
    EvalError::intrinsic(format!(
        "invalid intrinsic function '{text}' at character {at}: {why}"
    ))
}

struct Parser<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Parser<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn err(&self, why: &str) -> EvalError {
        parse_error(self.text, self.pos, why)
    }

    fn call(&mut self, depth: usize) -> Result<Call, EvalError> {
        if depth > MAX_NESTING {
            return Err(self.err(&format!(
                "more than {MAX_NESTING} nested intrinsic functions"
            )));
        }
        if !self.rest().starts_with("States.") {
            return Err(self.err("expected 'States.'"));
        }
        self.pos += "States.".len();
        let len = self
            .rest()
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(self.rest().len());
        let name = self.rest()[..len].to_string();
        self.pos += len;
        self.skip_ws();
        if self.peek() != Some('(') {
            return Err(self.err("expected '('"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() == Some(')') {
            self.pos += 1;
            return Ok(Call { name, args });
        }
        loop {
            self.skip_ws();
            args.push(self.arg(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    return Ok(Call { name, args });
                }
                _ => return Err(self.err("expected ',' or ')'")),
            }
        }
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, EvalError> {
        match self.peek() {
            Some('\'') => self.string().map(Arg::Str),
            Some('$') => self.path().map(Arg::Path),
            Some('S') if self.rest().starts_with("States.") => self.call(depth + 1).map(Arg::Call),
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let len = self
                    .rest()
                    .find(|c: char| {
                        !(c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
                    })
                    .unwrap_or(self.rest().len());
                let v: Value = serde_json::from_str(&self.rest()[..len])
                    .map_err(|_| self.err("invalid number"))?;
                self.pos += len;
                Ok(Arg::Json(v))
            }
            _ => {
                for (word, v) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.rest().starts_with(word) {
                        self.pos += word.len();
                        return Ok(Arg::Json(v));
                    }
                }
                Err(self
                    .err("expected a string, number, boolean, null, path or intrinsic function"))
            }
        }
    }

    fn string(&mut self) -> Result<Literal, EvalError> {
        self.pos += 1; // opening quote
        let mut lit = Literal {
            text: String::new(),
            placeholders: Vec::new(),
        };
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\'' => {
                    self.pos += i + 1;
                    return Ok(lit);
                }
                '\\' => match chars.next() {
                    Some((_, e @ ('\'' | '{' | '}' | '\\'))) => lit.text.push(e),
                    _ => {
                        self.pos += i;
                        return Err(
                            self.err("open escape '\\': only \\', \\{, \\} and \\\\ are escapes")
                        );
                    }
                },
                '{' => match chars.next() {
                    Some((_, '}')) => {
                        lit.placeholders.push(lit.text.len());
                        lit.text.push_str("{}");
                    }
                    _ => {
                        self.pos += i;
                        return Err(self.err("'{' must be escaped as '\\{' unless it opens '{}'"));
                    }
                },
                '}' => {
                    self.pos += i;
                    return Err(self.err("'}' must be escaped as '\\}'"));
                }
                c => lit.text.push(c),
            }
        }
        Err(self.err("unterminated string"))
    }

    fn path(&mut self) -> Result<String, EvalError> {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let mut end = self.rest().len();
        for (i, c) in self.rest().char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') if depth > 0 => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']') => depth = depth.saturating_sub(1),
                (None, ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') if depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let p = self.rest()[..end].trim_end().to_string();
        self.pos += end;
        Ok(p)
    }
}

/// Parse an intrinsic call such as `States.Format('{}', $.x)`.
pub fn parse(text: &str) -> Result<Call, EvalError> {
    let mut p = Parser { text, pos: 0 };
    p.skip_ws();
    let call = p.call(1)?;
    p.skip_ws();
    if !p.rest().is_empty() {
        return Err(p.err("unexpected text after the call"));
    }
    Ok(call)
}

/// Parse and evaluate an intrinsic call.
pub fn eval_str(text: &str, scope: &Scope<'_>, clock: &mut Clock) -> Result<Value, EvalError> {
    eval(&parse(text)?, scope, clock)
}

/// Evaluated arguments, with the function's name for error messages.
struct Args<'c> {
    function: &'c str,
    values: Vec<Value>,
    literals: Vec<Option<&'c Literal>>,
}

impl Args<'_> {
    fn fail(&self, msg: impl std::fmt::Display) -> EvalError {
        EvalError::intrinsic(format!("States.{}: {msg}", self.function))
    }

    fn arity(&self, min: usize, max: usize) -> Result<(), EvalError> {
        let n = self.values.len();
        if n < min || n > max {
            let want = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            return Err(self.fail(format!("takes {want} arguments, got {n}")));
        }
        Ok(())
    }

    fn expect(&self, i: usize, what: &str, ok: bool) -> Result<(), EvalError> {
        if ok {
            return Ok(());
        }
        Err(self.fail(format!(
            "argument {} must be {what}, got {} {}",
            i + 1,
            type_name(&self.values[i]),
            preview(&self.values[i])
        )))
    }

    fn str(&self, i: usize) -> Result<&str, EvalError> {
        self.expect(i, "a string", self.values[i].is_string())?;
        Ok(self.values[i].as_str().unwrap_or_default())
    }

    fn int(&self, i: usize) -> Result<i64, EvalError> {
        let n = as_integer(&self.values[i]);
        self.expect(i, "an integer", n.is_some())?;
        Ok(n.unwrap_or_default())
    }

    fn array(&self, i: usize) -> Result<&Vec<Value>, EvalError> {
        match &self.values[i] {
            Value::Array(a) => Ok(a),
            _ => self
                .expect(i, "an array", false)
                .and(Err(self.fail("unreachable"))),
        }
    }

    fn object(&self, i: usize) -> Result<&Map<String, Value>, EvalError> {
        match &self.values[i] {
            Value::Object(m) => Ok(m),
            _ => self
                .expect(i, "an object", false)
                .and(Err(self.fail("unreachable"))),
        }
    }
}

/// Evaluate a parsed call.
pub fn eval(call: &Call, scope: &Scope<'_>, clock: &mut Clock) -> Result<Value, EvalError> {
    let mut values = Vec::with_capacity(call.args.len());
    let mut literals = Vec::with_capacity(call.args.len());
    for a in &call.args {
        let (v, lit) = match a {
            Arg::Str(l) => (Value::String(l.text.clone()), Some(l)),
            Arg::Json(v) => (v.clone(), None),
            Arg::Path(p) => (eval_path(p, scope)?, None),
            Arg::Call(c) => (eval(c, scope, clock)?, None),
        };
        values.push(v);
        literals.push(lit);
    }
    let a = Args {
        function: &call.name,
        values,
        literals,
    };
    let v = &a.values;
    match call.name.as_str() {
        "Format" => format(&a),
        "StringToJson" => {
            a.arity(1, 1)?;
            serde_json::from_str(a.str(0)?)
                .map_err(|e| a.fail(format!("argument 1 is not JSON: {e}")))
        }
        "JsonToString" => {
            a.arity(1, 1)?;
            Ok(Value::String(v[0].to_string()))
        }
        "Array" => Ok(Value::Array(a.values.clone())),
        "ArrayPartition" => {
            a.arity(2, 2)?;
            sfn::partition(a.array(0)?, a.int(1)?).map_err(|m| a.fail(m))
        }
        "ArrayContains" => {
            a.arity(2, 2)?;
            Ok(Value::Bool(a.array(0)?.iter().any(|x| json_eq(x, &v[1]))))
        }
        "ArrayRange" => {
            a.arity(3, 3)?;
            sfn::range(a.int(0)?, a.int(1)?, a.int(2)?).map_err(|m| a.fail(m))
        }
        "ArrayGetItem" => {
            a.arity(2, 2)?;
            let (items, i) = (a.array(0)?, a.int(1)?);
            usize::try_from(i)
                .ok()
                .and_then(|i| items.get(i))
                .cloned()
                .ok_or_else(|| {
                    a.fail(format!(
                        "index {i} is out of bounds for an array of {}",
                        items.len()
                    ))
                })
        }
        "ArrayLength" => {
            a.arity(1, 1)?;
            Ok(Value::from(a.array(0)?.len()))
        }
        "ArrayUnique" => {
            a.arity(1, 1)?;
            let mut out: Vec<Value> = Vec::new();
            for x in a.array(0)? {
                if !out.iter().any(|y| json_eq(x, y)) {
                    out.push(x.clone());
                }
            }
            Ok(Value::Array(out))
        }
        "Base64Encode" => {
            a.arity(1, 1)?;
            let s = limited(&a, 0)?;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(s),
            ))
        }
        "Base64Decode" => {
            a.arity(1, 1)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(limited(&a, 0)?)
                .map_err(|e| a.fail(format!("argument 1 is not Base64: {e}")))?;
            String::from_utf8(bytes)
                .map(Value::String)
                .map_err(|_| a.fail("the decoded data is not UTF-8 text"))
        }
        "Hash" => {
            a.arity(2, 2)?;
            sfn::hash(a.str(0)?, a.str(1)?)
                .map(Value::String)
                .map_err(|m| a.fail(m))
        }
        "JsonMerge" => {
            a.arity(3, 3)?;
            let (left, right) = (a.object(0)?, a.object(1)?);
            a.expect(2, "a boolean", v[2].is_boolean())?;
            if v[2] == Value::Bool(true) {
                return Err(a.fail("deep merge is not supported; argument 3 must be false"));
            }
            let mut out = left.clone();
            for (k, x) in right {
                out.insert(k.clone(), x.clone());
            }
            Ok(Value::Object(out))
        }
        "MathRandom" => {
            a.arity(2, 3)?;
            let (start, end) = (a.int(0)?, a.int(1)?);
            if end <= start {
                return Err(a.fail(format!(
                    "the end {end} must be greater than the start {start}"
                )));
            }
            let unit = match v.get(2) {
                Some(_) => seeded_f64(a.int(2)? as u64),
                None => clock.next_f64(),
            };
            let span = (end - start) as f64;
            Ok(Value::from(start + (unit * span).floor() as i64))
        }
        "MathAdd" => {
            a.arity(2, 2)?;
            let (x, y) = (a.int(0)?, a.int(1)?);
            for (i, n) in [(0, x), (1, y)] {
                if i32::try_from(n).is_err() {
                    return Err(a.fail(format!(
                        "argument {} ({n}) is outside the 32-bit integer range",
                        i + 1
                    )));
                }
            }
            Ok(Value::from(x + y))
        }
        "StringSplit" => {
            a.arity(2, 2)?;
            let (s, delimiters) = (a.str(0)?, a.str(1)?);
            let parts = s
                .split(|c| delimiters.contains(c))
                .filter(|p| !p.is_empty())
                .map(|p| Value::String(p.to_string()))
                .collect();
            Ok(Value::Array(parts))
        }
        "UUID" => {
            a.arity(0, 0)?;
            Ok(Value::String(clock.uuid_v4()))
        }
        other => Err(EvalError::intrinsic(format!(
            "unknown intrinsic function 'States.{other}'"
        ))),
    }
}

fn limited<'a>(a: &'a Args<'_>, i: usize) -> Result<&'a str, EvalError> {
    let s = a.str(i)?;
    if s.chars().count() > sfn::MAX_STRING_CHARS {
        return Err(a.fail(format!(
            "argument {} is longer than {} characters",
            i + 1,
            sfn::MAX_STRING_CHARS
        )));
    }
    Ok(s)
}

/// `States.Format`: replace each `{}` of the first argument by the next argument.
fn format(a: &Args<'_>) -> Result<Value, EvalError> {
    if a.values.is_empty() {
        return Err(a.fail("takes a format string and one argument per '{}'"));
    }
    let template = a.str(0)?;
    let placeholders = match a.literals[0] {
        Some(lit) => lit.placeholders.clone(),
        None => template.match_indices("{}").map(|(i, _)| i).collect(),
    };
    let given = a.values.len() - 1;
    if placeholders.len() != given {
        return Err(a.fail(format!(
            "the format string has {} '{{}}' but {given} values were given",
            placeholders.len()
        )));
    }
    let mut out = String::with_capacity(template.len());
    let mut last = 0;
    for (n, &at) in placeholders.iter().enumerate() {
        out.push_str(&template[last..at]);
        match &a.values[n + 1] {
            Value::String(s) => out.push_str(s),
            // An assumption: the guide lists strings, numbers, booleans and null as values
            // to interpolate; objects and arrays are refused rather than guessed at.
            v @ (Value::Number(_) | Value::Bool(_) | Value::Null) => out.push_str(&v.to_string()),
            _ => a.expect(n + 1, "a string, number, boolean or null", false)?,
        }
        last = at + 2;
    }
    out.push_str(&template[last..]);
    Ok(Value::String(out))
}
