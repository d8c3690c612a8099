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

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Punct(&'static str),
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let b: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() || matches!(c, '_' | '#' | ':') {
            let start = i;
            i += 1;
            while i < b.len() && (b[i].is_alphanumeric() || matches!(b[i], '_' | '-')) {
                i += 1;
            }
            out.push(Tok::Name(b[start..i].iter().collect()));
            continue;
        }
        let two: String = b[i..(i + 2).min(b.len())].iter().collect();
        let p = match two.as_str() {
            "<>" => "<>",
            "<=" => "<=",
            ">=" => ">=",
            _ => match c {
                '=' => "=",
                '<' => "<",
                '>' => ">",
                '(' => "(",
                ')' => ")",
                ',' => ",",
                '.' => ".",
                '[' => "[",
                ']' => "]",
                '+' => "+",
                '-' => "-",
                other => return Err(format!("unexpected character '{other}'")),
            },
        };
        i += p.len();
        out.push(Tok::Punct(p));
    }
    Ok(out)
}

/// A parser over one expression with its placeholder maps.
pub struct Parser<'a> {
    toks: Vec<Tok>,
    pos: usize,
    names: Option<&'a Map<String, Value>>,
    values: Option<&'a Map<String, Value>>,
}

impl<'a> Parser<'a> {
    /// Lex `text`; `names`/`values` are `ExpressionAttributeNames`/`…Values`.
    pub fn new(
        text: &str,
        names: Option<&'a Map<String, Value>>,
        values: Option<&'a Map<String, Value>>,
    ) -> Result<Self, String> {
        Ok(Parser {
            toks: lex(text)?,
            pos: 0,
            names,
            values,
        })
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn keyword(&mut self, kw: &str) -> bool {
        match self.peek() {
            Some(Tok::Name(n)) if n.eq_ignore_ascii_case(kw) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    fn punct(&mut self, p: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Punct(q)) if *q == p) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, p: &str) -> Result<(), String> {
        if self.punct(p) {
            Ok(())
        } else {
            Err(format!("expected '{p}' at {}", self.here()))
        }
    }

    fn here(&self) -> String {
        match self.peek() {
            Some(Tok::Name(n)) => format!("'{n}'"),
            Some(Tok::Punct(p)) => format!("'{p}'"),
            None => "the end".into(),
        }
    }

    /// Whether every token was consumed.
    pub fn finish(&self) -> Result<(), String> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(format!("unexpected {}", self.here())),
        }
    }

    fn name(&mut self) -> Result<String, String> {
        match self.toks.get(self.pos).cloned() {
            Some(Tok::Name(n)) if n.starts_with('#') => {
                self.pos += 1;
                self.names
                    .and_then(|m| m.get(&n))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| {
                        format!("An expression attribute name used in the document path is not defined; attribute name: {n}")
                    })
            }
            Some(Tok::Name(n)) if !n.starts_with(':') => {
                self.pos += 1;
                Ok(n)
            }
            _ => Err(format!("expected an attribute name at {}", self.here())),
        }
    }

    pub fn path(&mut self) -> Result<Vec<Step>, String> {
        let mut steps = vec![Step::Key(self.name()?)];
        loop {
            if self.punct(".") {
                steps.push(Step::Key(self.name()?));
            } else if self.punct("[") {
                let n = match self.toks.get(self.pos).cloned() {
                    Some(Tok::Name(n)) => n
                        .parse::<usize>()
                        .map_err(|_| format!("bad list index '{n}'"))?,
                    _ => return Err(format!("expected a list index at {}", self.here())),
                };
                self.pos += 1;
                self.expect("]")?;
                steps.push(Step::Index(n));
            } else {
                return Ok(steps);
            }
        }
    }

    fn value(&mut self, n: &str) -> Result<Value, String> {
        self.values.and_then(|m| m.get(n)).cloned().ok_or_else(|| {
            format!("An expression attribute value used in expression is not defined; attribute value: {n}")
        })
    }

    fn function(&mut self, f: &str) -> bool {
        let is = matches!(self.peek(), Some(Tok::Name(n)) if n == f)
            && self.toks.get(self.pos + 1) == Some(&Tok::Punct("("));
        if is {
            self.pos += 2;
        }
        is
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let left = self.atom()?;
        if self.punct("+") {
            return Ok(Operand::Plus(Box::new(left), Box::new(self.atom()?)));
        }
        if self.punct("-") {
            return Ok(Operand::Minus(Box::new(left), Box::new(self.atom()?)));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<Operand, String> {
        if self.function("if_not_exists") {
            let p = self.path()?;
            self.expect(",")?;
            let v = self.operand()?;
            self.expect(")")?;
            return Ok(Operand::IfNotExists(p, Box::new(v)));
        }
        if self.function("list_append") {
            let a = self.operand()?;
            self.expect(",")?;
            let b = self.operand()?;
            self.expect(")")?;
            return Ok(Operand::ListAppend(Box::new(a), Box::new(b)));
        }
        if self.function("size") {
            let p = self.path()?;
            self.expect(")")?;
            return Ok(Operand::Size(p));
        }
        if let Some(Tok::Name(n)) = self.peek().cloned() {
            if n.starts_with(':') {
                self.pos += 1;
                return self.value(&n).map(Operand::Value);
            }
        }
        self.path().map(Operand::Path)
    }

    /// A condition (`ConditionExpression`, `KeyConditionExpression`, `FilterExpression`).
    pub fn condition(&mut self) -> Result<Cond, String> {
        let mut left = self.and()?;
        while self.keyword("OR") {
            left = Cond::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Cond, String> {
        let mut left = self.not()?;
        while self.keyword("AND") {
            left = Cond::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Cond, String> {
        if self.keyword("NOT") {
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        if self.punct("(") {
            let c = self.condition()?;
            self.expect(")")?;
            return Ok(c);
        }
        for (f, exists) in [("attribute_exists", true), ("attribute_not_exists", false)] {
            if self.function(f) {
                let p = self.path()?;
                self.expect(")")?;
                return Ok(Cond::Exists(p, exists));
            }
        }
        for f in ["begins_with", "contains"] {
            if self.function(f) {
                let a = self.operand()?;
                self.expect(",")?;
                let b = self.operand()?;
                self.expect(")")?;
                return Ok(if f == "contains" {
                    Cond::Contains(a, b)
                } else {
                    Cond::BeginsWith(a, b)
                });
            }
        }
        let left = self.operand()?;
        if self.keyword("BETWEEN") {
            let lo = self.operand()?;
            if !self.keyword("AND") {
                return Err(format!("expected AND in BETWEEN at {}", self.here()));
            }
            return Ok(Cond::Between(left, lo, self.operand()?));
        }
        if self.keyword("IN") {
            self.expect("(")?;
            let mut list = vec![self.operand()?];
            while self.punct(",") {
                list.push(self.operand()?);
            }
            self.expect(")")?;
            return Ok(Cond::In(left, list));
        }
        for op in ["=", "<>", "<=", ">=", "<", ">"] {
            if self.punct(op) {
                return Ok(Cond::Cmp(op.to_string(), left, self.operand()?));
            }
        }
        Err(format!("expected a comparison at {}", self.here()))
    }

    /// An `UpdateExpression`.
    pub fn update(&mut self) -> Result<Vec<Action>, String> {
        let mut actions = Vec::new();
        while self.peek().is_some() {
            if self.keyword("SET") {
                loop {
                    let p = self.path()?;
                    self.expect("=")?;
                    actions.push(Action::Set(p, self.operand()?));
                    if !self.punct(",") {
                        break;
                    }
                }
            } else if self.keyword("REMOVE") {
                loop {
                    actions.push(Action::Remove(self.path()?));
                    if !self.punct(",") {
                        break;
                    }
                }
            } else if self.keyword("ADD") || self.keyword("DELETE") {
                let add = matches!(&self.toks[self.pos - 1], Tok::Name(n) if n.eq_ignore_ascii_case("ADD"));
                loop {
                    let p = self.path()?;
                    let v = self.operand()?;
                    actions.push(if add {
                        Action::Add(p, v)
                    } else {
                        Action::Delete(p, v)
                    });
                    if !self.punct(",") {
                        break;
                    }
                }
            } else {
                return Err(format!(
                    "expected SET, REMOVE, ADD or DELETE at {}",
                    self.here()
                ));
            }
        }
        if actions.is_empty() {
            return Err("the update expression is empty".into());
        }
        Ok(actions)
    }
}

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
