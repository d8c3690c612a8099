//! DynamoDB expressions: condition, key-condition, filter and update expressions, over items in
//! the attribute-value format (`{"S": "…"}`, `{"N": "12"}`, `{"M": {…}}`, …).
//!
//! Grammar: <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html>
//! and <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html>.
//! Supported: comparisons `= <> < <= > >=`, `BETWEEN … AND …`, `IN (…)`, `AND`/`OR`/`NOT`,
//! parentheses, `attribute_exists`, `attribute_not_exists`, `begins_with`, `contains`, `size`;
//! `SET` (with `+`/`-`, `if_not_exists`, `list_append`), `REMOVE`, `ADD`, `DELETE`.
//! Names may be `#placeholders`, values must be `:placeholders`.

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// An item: attribute name → attribute value.
pub type Item = Map<String, Value>;

/// One step of a document path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Vec<Step>),
    Value(Value),
    IfNotExists(Vec<Step>, Box<Operand>),
    ListAppend(Box<Operand>, Box<Operand>),
    Size(Vec<Step>),
    Plus(Box<Operand>, Box<Operand>),
    Minus(Box<Operand>, Box<Operand>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Or(Box<Cond>, Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
    Cmp(String, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    Exists(Vec<Step>, bool),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
}

/// One update action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Set(Vec<Step>, Operand),
    Remove(Vec<Step>),
    Add(Vec<Step>, Operand),
    Delete(Vec<Step>, Operand),
}

pub use super::parse::Parser;

/// The value at `path` in `item`.
pub fn get<'v>(item: &'v Item, path: &[Step]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let Step::Key(k) = first else { return None };
    let mut v = item.get(k)?;
    for s in rest {
        v = match s {
            Step::Key(k) => v.get("M")?.get(k)?,
            Step::Index(i) => v.get("L")?.get(*i)?,
        };
    }
    Some(v)
}

/// Set the value at `path`, creating nothing but the last step.
pub fn set(item: &mut Item, path: &[Step], value: Value) -> Result<(), String> {
    let Some((last, parents)) = path.split_last() else {
        return Err("empty document path".into());
    };
    if parents.is_empty() {
        let Step::Key(k) = last else {
            return Err("a document path must start with an attribute name".into());
        };
        item.insert(k.clone(), value);
        return Ok(());
    }
    let Some(Step::Key(first)) = parents.first() else {
        return Err("a document path must start with an attribute name".into());
    };
    let bad =
        || "The document path provided in the update expression is invalid for update".to_string();
    let mut v = item.get_mut(first).ok_or_else(bad)?;
    for s in &parents[1..] {
        v = match s {
            Step::Key(k) => v.get_mut("M").and_then(|m| m.get_mut(k)).ok_or_else(bad)?,
            Step::Index(i) => v.get_mut("L").and_then(|l| l.get_mut(*i)).ok_or_else(bad)?,
        };
    }
    match (last, v) {
        (Step::Key(k), Value::Object(o)) if o.contains_key("M") => {
            if let Some(Value::Object(m)) = o.get_mut("M") {
                m.insert(k.clone(), value);
            }
            Ok(())
        }
        (Step::Index(i), Value::Object(o)) if o.contains_key("L") => {
            if let Some(Value::Array(l)) = o.get_mut("L") {
                if *i < l.len() {
                    l[*i] = value;
                } else {
                    l.push(value);
                }
            }
            Ok(())
        }
        _ => Err(bad()),
    }
}

/// Remove the value at `path` (nothing if absent).
pub fn remove(item: &mut Item, path: &[Step]) {
    match path {
        [Step::Key(k)] => {
            item.shift_remove(k);
        }
        [.., last] => {
            let parent = &path[..path.len() - 1];
            let Some(Step::Key(first)) = parent.first() else {
                return;
            };
            let Some(mut v) = item.get_mut(first) else {
                return;
            };
            for s in &parent[1..] {
                let next = match s {
                    Step::Key(k) => v.get_mut("M").and_then(|m| m.get_mut(k)),
                    Step::Index(i) => v.get_mut("L").and_then(|l| l.get_mut(*i)),
                };
                let Some(n) = next else { return };
                v = n;
            }
            match last {
                Step::Key(k) => {
                    if let Some(Value::Object(m)) = v.get_mut("M") {
                        m.shift_remove(k);
                    }
                }
                Step::Index(i) => {
                    if let Some(Value::Array(l)) = v.get_mut("L") {
                        if *i < l.len() {
                            l.remove(*i);
                        }
                    }
                }
            }
        }
        [] => {}
    }
}

/// The number in an `{"N": "…"}` value.
pub fn number(v: &Value) -> Option<f64> {
    v.get("N")?.as_str()?.trim().parse().ok()
}

/// Format a number as DynamoDB does (no trailing `.0`).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Compare two attribute values of the same scalar type (`S`, `N`, `B`); `None` otherwise.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x.partial_cmp(&y);
    }
    for t in ["S", "B"] {
        if let (Some(x), Some(y)) = (
            a.get(t).and_then(Value::as_str),
            b.get(t).and_then(Value::as_str),
        ) {
            return Some(x.cmp(y));
        }
    }
    None
}

fn equal(a: &Value, b: &Value) -> bool {
    match compare(a, b) {
        Some(o) => o == Ordering::Equal,
        None => a == b,
    }
}

/// The value of an operand for `item` (`None` when a path names nothing).
pub fn operand(item: &Item, op: &Operand) -> Result<Option<Value>, String> {
    Ok(match op {
        Operand::Value(v) => Some(v.clone()),
        Operand::Path(p) => get(item, p).cloned(),
        Operand::IfNotExists(p, d) => match get(item, p) {
            Some(v) => Some(v.clone()),
            None => operand(item, d)?,
        },
        Operand::Size(p) => get(item, p)
            .and_then(size)
            .map(|n| serde_json::json!({"N": n.to_string()})),
        Operand::ListAppend(a, b) => {
            let (a, b) = (operand(item, a)?, operand(item, b)?);
            let list = |v: Option<Value>| match v.as_ref().and_then(|v| v.get("L")) {
                Some(Value::Array(l)) => Ok(l.clone()),
                _ => Err("list_append needs two lists".to_string()),
            };
            let mut l = list(a)?;
            l.extend(list(b)?);
            Some(serde_json::json!({ "L": l }))
        }
        Operand::Plus(a, b) | Operand::Minus(a, b) => {
            let (x, y) = (operand(item, a)?, operand(item, b)?);
            let (Some(x), Some(y)) = (x.as_ref().and_then(number), y.as_ref().and_then(number))
            else {
                return Err(
                    "An operand in the update expression has an incorrect data type".into(),
                );
            };
            let n = if matches!(op, Operand::Plus(..)) {
                x + y
            } else {
                x - y
            };
            Some(serde_json::json!({ "N": format_number(n) }))
        }
    })
}

fn size(v: &Value) -> Option<usize> {
    let (t, inner) = v.as_object()?.iter().next()?;
    Some(match (t.as_str(), inner) {
        ("S" | "B", Value::String(s)) => s.chars().count(),
        (_, Value::Array(a)) => a.len(),
        (_, Value::Object(m)) => m.len(),
        _ => return None,
    })
}

/// Whether `item` (possibly absent: an empty item) satisfies `cond`.
pub fn eval(item: &Item, cond: &Cond) -> Result<bool, String> {
    Ok(match cond {
        Cond::Or(a, b) => eval(item, a)? || eval(item, b)?,
        Cond::And(a, b) => eval(item, a)? && eval(item, b)?,
        Cond::Not(c) => !eval(item, c)?,
        Cond::Exists(p, want) => get(item, p).is_some() == *want,
        Cond::Cmp(op, a, b) => {
            let (Some(a), Some(b)) = (operand(item, a)?, operand(item, b)?) else {
                return Ok(op == "<>");
            };
            match op.as_str() {
                "=" => equal(&a, &b),
                "<>" => !equal(&a, &b),
                _ => match compare(&a, &b) {
                    Some(o) => match op.as_str() {
                        "<" => o == Ordering::Less,
                        "<=" => o != Ordering::Greater,
                        ">" => o == Ordering::Greater,
                        _ => o != Ordering::Less,
                    },
                    None => false,
                },
            }
        }
        Cond::Between(v, lo, hi) => {
            match (operand(item, v)?, operand(item, lo)?, operand(item, hi)?) {
                (Some(v), Some(lo), Some(hi)) => {
                    compare(&v, &lo).is_some_and(|o| o != Ordering::Less)
                        && compare(&v, &hi).is_some_and(|o| o != Ordering::Greater)
                }
                _ => false,
            }
        }
        Cond::In(v, list) => match operand(item, v)? {
            Some(v) => {
                let mut hit = false;
                for o in list {
                    hit |= operand(item, o)?.is_some_and(|x| equal(&v, &x));
                }
                hit
            }
            None => false,
        },
        Cond::BeginsWith(a, b) => match (operand(item, a)?, operand(item, b)?) {
            (Some(a), Some(b)) => match (
                a.get("S").and_then(Value::as_str),
                b.get("S").and_then(Value::as_str),
            ) {
                (Some(x), Some(y)) => x.starts_with(y),
                _ => false,
            },
            _ => false,
        },
        Cond::Contains(a, b) => match (operand(item, a)?, operand(item, b)?) {
            (Some(a), Some(b)) => {
                if let (Some(x), Some(y)) = (
                    a.get("S").and_then(Value::as_str),
                    b.get("S").and_then(Value::as_str),
                ) {
                    x.contains(y)
                } else if let Some((_, Value::Array(items))) =
                    a.as_object().and_then(|o| o.iter().next())
                {
                    let scalar = b.as_object().and_then(|o| o.values().next()).cloned();
                    items
                        .iter()
                        .any(|i| equal(i, &b) || Some(i) == scalar.as_ref())
                } else {
                    false
                }
            }
            _ => false,
        },
    })
}
