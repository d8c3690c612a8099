//! Choice rules of JSONPath states, read from the raw JSON rule.
//!
//! Reference: <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html> and the
//! Amazon States Language specification (<https://states-language.net/#choice-state>):
//! a comparison whose values are not of the operator's type is false, not an error; a
//! `Variable` (or `…Path` operand) that names nothing is a `States.Runtime` error, except for
//! `IsPresent`, which is there to ask exactly that.

use std::cmp::Ordering;

use chrono::DateTime;
use serde_json::{Map, Value};

use super::path::{eval_path, lookup, Scope};
use super::sfn::preview;
use super::EvalError;

/// Fields of a Choice rule that are not part of its condition.
const NON_CONDITION_FIELDS: [&str; 5] = ["Variable", "Next", "Comment", "Assign", "Output"];

/// Evaluate one Choice rule (a `Choices` element, or a nested `And`/`Or`/`Not` operand).
pub fn eval_choice_rule(rule: &Value, scope: &Scope<'_>) -> Result<bool, EvalError> {
    let Value::Object(rule) = rule else {
        return Err(EvalError::runtime(format!(
            "a Choice rule must be an object, got {}",
            preview(rule)
        )));
    };
    if let Some(operands) = rule.get("And") {
        return all_or_any(operands, scope, true);
    }
    if let Some(operands) = rule.get("Or") {
        return all_or_any(operands, scope, false);
    }
    if let Some(operand) = rule.get("Not") {
        return eval_choice_rule(operand, scope).map(|b| !b);
    }
    let (op, operand) = operator(rule)?;
    let Some(Value::String(variable)) = rule.get("Variable") else {
        return Err(EvalError::runtime(format!(
            "the Choice rule with {op} has no string 'Variable'"
        )));
    };
    let value = lookup(variable, scope)?;
    if op == "IsPresent" {
        return Ok(value.is_some() == expect_bool(op, operand)?);
    }
    let Some(value) = value else {
        return Err(EvalError::runtime(format!(
            "Invalid path '{variable}': The choice state's condition path references an undefined value."
        )));
    };
    if let Some(test) = type_test(op) {
        return Ok(test(&value) == expect_bool(op, operand)?);
    }
    if op == "StringMatches" {
        let Value::String(pattern) = operand else {
            return Err(EvalError::runtime(format!(
                "StringMatches needs a string pattern, got {}",
                preview(operand)
            )));
        };
        return Ok(value.as_str().is_some_and(|s| wildcard_match(pattern, s)));
    }
    let (base, operand) = match op.strip_suffix("Path") {
        Some(base) => {
            let Value::String(path) = operand else {
                return Err(EvalError::runtime(format!(
                    "{op} needs a path, got {}",
                    preview(operand)
                )));
            };
            (base, eval_path(path, scope)?)
        }
        None => (op, operand.clone()),
    };
    compare(base, &value, &operand)
}

fn all_or_any(operands: &Value, scope: &Scope<'_>, all: bool) -> Result<bool, EvalError> {
    let Value::Array(rules) = operands else {
        return Err(EvalError::runtime("'And' and 'Or' take an array of rules"));
    };
    for r in rules {
        if eval_choice_rule(r, scope)? != all {
            return Ok(!all);
        }
    }
    Ok(all)
}

fn operator(rule: &Map<String, Value>) -> Result<(&str, &Value), EvalError> {
    let mut ops = rule
        .iter()
        .filter(|(k, _)| !NON_CONDITION_FIELDS.contains(&k.as_str()));
    match (ops.next(), ops.next()) {
        (Some((k, v)), None) => Ok((k.as_str(), v)),
        (None, _) => Err(EvalError::runtime(
            "the Choice rule has no comparison operator",
        )),
        (Some((a, _)), Some((b, _))) => Err(EvalError::runtime(format!(
            "the Choice rule has more than one comparison operator ('{a}', '{b}')"
        ))),
    }
}

fn expect_bool(op: &str, operand: &Value) -> Result<bool, EvalError> {
    operand.as_bool().ok_or_else(|| {
        EvalError::runtime(format!(
            "{op} takes true or false, got {}",
            preview(operand)
        ))
    })
}

fn type_test(op: &str) -> Option<fn(&Value) -> bool> {
    Some(match op {
        "IsNull" => Value::is_null,
        "IsNumeric" => Value::is_number,
        "IsString" => Value::is_string,
        "IsBoolean" => Value::is_boolean,
        "IsTimestamp" => |v: &Value| v.as_str().and_then(timestamp).is_some(),
        _ => return None,
    })
}

/// An ASL timestamp: RFC 3339 with an uppercase `T` and, for UTC, an uppercase `Z`.
fn timestamp(s: &str) -> Option<i64> {
    if s.as_bytes().get(10) != Some(&b'T') || s.contains('z') {
        return None;
    }
    let t = DateTime::parse_from_rfc3339(s).ok()?;
    Some(
        t.timestamp_nanos_opt()
            .unwrap_or_else(|| t.timestamp_millis().saturating_mul(1_000_000)),
    )
}

fn numeric_order(a: &Value, b: &Value) -> Option<Ordering> {
    let (a, b) = (a.as_number()?, b.as_number()?);
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
    }
}

fn compare(op: &str, value: &Value, operand: &Value) -> Result<bool, EvalError> {
    let (family, relation) = split_operator(op)
        .ok_or_else(|| EvalError::runtime(format!("unknown Choice comparison operator '{op}'")))?;
    let invalid = |kind: &str| {
        EvalError::runtime(format!(
            "{op} must be compared with {kind}, got {}",
            preview(operand)
        ))
    };
    let order = match family {
        "String" => {
            let b = operand.as_str().ok_or_else(|| invalid("a string"))?;
            value.as_str().map(|a| a.cmp(b))
        }
        "Numeric" => {
            if !operand.is_number() {
                return Err(invalid("a number"));
            }
            numeric_order(value, operand)
        }
        "Boolean" => {
            let b = operand.as_bool().ok_or_else(|| invalid("a boolean"))?;
            value.as_bool().map(|a| a.cmp(&b))
        }
        _ => {
            let b = operand
                .as_str()
                .and_then(timestamp)
                .ok_or_else(|| invalid("a timestamp"))?;
            value.as_str().and_then(timestamp).map(|a| a.cmp(&b))
        }
    };
    // A value of another type, or a string that is not a timestamp, never matches.
    Ok(order.is_some_and(|o| relation.contains(&o)))
}

fn split_operator(op: &str) -> Option<(&'static str, &'static [Ordering])> {
    use Ordering::*;
    let family = ["String", "Numeric", "Boolean", "Timestamp"]
        .into_iter()
        .find(|f| op.starts_with(f))?;
    let relation: &'static [Ordering] = match &op[family.len()..] {
        "Equals" => &[Equal],
        "LessThan" if family != "Boolean" => &[Less],
        "GreaterThan" if family != "Boolean" => &[Greater],
        "LessThanEquals" if family != "Boolean" => &[Less, Equal],
        "GreaterThanEquals" if family != "Boolean" => &[Greater, Equal],
        _ => return None,
    };
    Some((family, relation))
}

/// `StringMatches`: `*` matches any run of characters, `\*` a literal `*`, `\\` a backslash.
fn wildcard_match(pattern: &str, s: &str) -> bool {
    enum Tok {
        Lit(char),
        Any,
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => toks.push(Tok::Lit(chars.next().unwrap_or('\\'))),
            '*' => toks.push(Tok::Any),
            c => toks.push(Tok::Lit(c)),
        }
    }
    let text: Vec<char> = s.chars().collect();
    // Greedy matching with backtracking to the last `*`: linear in practice.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Lit(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            Some(Tok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| matches!(t, Tok::Any))
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("log-*.txt", "log-2024.txt"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXbYbZc"));
        assert!(!wildcard_match("a*b", "aXc"));
        assert!(wildcard_match("a\\*b", "a*b"));
        assert!(!wildcard_match("a\\*b", "aXb"));
        assert!(wildcard_match("a\\\\b", "a\\b"));
    }
}
