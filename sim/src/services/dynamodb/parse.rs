//! The parser of DynamoDB expressions (see [`super::expr`] for the grammar), resolving
//! `#name` and `:value` placeholders as it reads.

use serde_json::{Map, Value};

use super::expr::{Action, Cond, Operand, Step};

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
