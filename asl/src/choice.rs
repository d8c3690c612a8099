//! `"Type": "Choice"` — <https://states-language.net/spec.html#choice-state>,
//! <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>.
//!
//! A Choice rule is a boolean [`Test`] plus, at the top level, `Next` (and optionally
//! `Comment`, `Assign`, and in JSONata `Output`). Tests are JSONata `Condition`s, JSONPath
//! comparisons (`Variable` + exactly one operator such as `StringEquals` or
//! `NumericLessThanPath`), or `And`/`Or`/`Not` of nested tests, which must not carry `Next`.
//! Rules are parsed by hand so an unknown key or a wrong operand type is reported by name.

use std::fmt;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map as JsonMap, Value};

use crate::common::{Io, QueryLanguage};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Choice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(flatten)]
    pub io: Io,
    pub choices: Vec<ChoiceRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// A top-level element of `Choices`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    pub comment: Option<String>,
    pub test: Test,
    pub assign: Option<Value>,
    pub output: Option<Value>,
    pub next: String,
}

impl ChoiceRule {
    pub fn new(test: Test, next: impl Into<String>) -> Self {
        ChoiceRule {
            comment: None,
            test,
            assign: None,
            output: None,
            next: next.into(),
        }
    }
}

/// The boolean part of a Choice rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// JSONata: `"Condition": "{% … %}"` (or a boolean literal).
    Condition(Value),
    And(Vec<Test>),
    Or(Vec<Test>),
    Not(Box<Test>),
    /// JSONPath: `"Variable": "$.x", "<Op>": operand`.
    Compare(Comparison),
}

/// `Variable` compared with one operator.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub variable: String,
    pub op: ComparisonOp,
    /// A string, number or boolean according to [`ComparisonOp::operand`].
    pub operand: Value,
}

/// The JSON type an operator's operand must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    String,
    Number,
    Boolean,
    /// A reference path (`…Path` operators).
    Path,
}

macro_rules! comparison_ops {
    ($($op:ident => $kind:ident,)*) => {
        /// Every comparison operator of the ASL spec
        /// (<https://states-language.net/spec.html#choice-state>, "Data-test expression").
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ComparisonOp { $($op,)* }

        impl ComparisonOp {
            pub const ALL: &'static [ComparisonOp] = &[$(ComparisonOp::$op,)*];

            /// The operator's key on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $(ComparisonOp::$op => stringify!($op),)* }
            }

            pub fn operand(self) -> Operand {
                match self { $(ComparisonOp::$op => Operand::$kind,)* }
            }

            pub fn from_name(name: &str) -> Option<ComparisonOp> {
                match name { $(stringify!($op) => Some(ComparisonOp::$op),)* _ => None }
            }
        }
    };
}

comparison_ops! {
    StringEquals => String, StringEqualsPath => Path,
    StringLessThan => String, StringLessThanPath => Path,
    StringGreaterThan => String, StringGreaterThanPath => Path,
    StringLessThanEquals => String, StringLessThanEqualsPath => Path,
    StringGreaterThanEquals => String, StringGreaterThanEqualsPath => Path,
    StringMatches => String,
    NumericEquals => Number, NumericEqualsPath => Path,
    NumericLessThan => Number, NumericLessThanPath => Path,
    NumericGreaterThan => Number, NumericGreaterThanPath => Path,
    NumericLessThanEquals => Number, NumericLessThanEqualsPath => Path,
    NumericGreaterThanEquals => Number, NumericGreaterThanEqualsPath => Path,
    BooleanEquals => Boolean, BooleanEqualsPath => Path,
    TimestampEquals => String, TimestampEqualsPath => Path,
    TimestampLessThan => String, TimestampLessThanPath => Path,
    TimestampGreaterThan => String, TimestampGreaterThanPath => Path,
    TimestampLessThanEquals => String, TimestampLessThanEqualsPath => Path,
    TimestampGreaterThanEquals => String, TimestampGreaterThanEqualsPath => Path,
    IsNull => Boolean, IsPresent => Boolean, IsNumeric => Boolean,
    IsString => Boolean, IsBoolean => Boolean, IsTimestamp => Boolean,
}

impl fmt::Display for ComparisonOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Comparison {
    pub fn new(variable: impl Into<String>, op: ComparisonOp, operand: impl Into<Value>) -> Self {
        Comparison {
            variable: variable.into(),
            op,
            operand: operand.into(),
        }
    }
}

// ---- serialisation ---------------------------------------------------------------------------

impl Test {
    fn write<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        match self {
            Test::Condition(c) => m.serialize_entry("Condition", c),
            Test::And(ts) => m.serialize_entry("And", ts),
            Test::Or(ts) => m.serialize_entry("Or", ts),
            Test::Not(t) => m.serialize_entry("Not", t),
            Test::Compare(c) => {
                m.serialize_entry("Variable", &c.variable)?;
                m.serialize_entry(c.op.as_str(), &c.operand)
            }
        }
    }
}

impl Serialize for Test {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.write(&mut m)?;
        m.end()
    }
}

impl Serialize for ChoiceRule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(c) = &self.comment {
            m.serialize_entry("Comment", c)?;
        }
        self.test.write(&mut m)?;
        if let Some(a) = &self.assign {
            m.serialize_entry("Assign", a)?;
        }
        if let Some(o) = &self.output {
            m.serialize_entry("Output", o)?;
        }
        m.serialize_entry("Next", &self.next)?;
        m.end()
    }
}

// ---- deserialisation -------------------------------------------------------------------------

impl<'de> Deserialize<'de> for ChoiceRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = JsonMap::deserialize(d)?;
        parse_rule(&mut map).map_err(D::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Test {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut map = JsonMap::deserialize(d)?;
        parse_nested(&mut map).map_err(D::Error::custom)
    }
}

const TOP_KEYS: &str = "`Comment`, `Condition`, `Variable` + an operator, `And`, `Or`, `Not`, \
                        `Assign`, `Output`, `Next`";
const NESTED_KEYS: &str = "`Condition`, `Variable` + an operator, `And`, `Or`, `Not`";

fn parse_rule(map: &mut JsonMap<String, Value>) -> Result<ChoiceRule, String> {
    let comment = match map.remove("Comment") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            return Err(format!(
                "Choice rule `Comment` must be a string, found {other}"
            ))
        }
    };
    let next = match map.remove("Next") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(format!(
                "Choice rule `Next` must be a state name, found {other}"
            ))
        }
        None => return Err("Choice rule has no `Next`: name the state to go to".to_owned()),
    };
    let assign = map.remove("Assign");
    let output = map.remove("Output");
    let test = parse_test(map)?;
    reject_leftovers(map, TOP_KEYS)?;
    Ok(ChoiceRule {
        comment,
        test,
        assign,
        output,
        next,
    })
}

fn parse_nested(map: &mut JsonMap<String, Value>) -> Result<Test, String> {
    if map.contains_key("Next") {
        return Err("a rule nested in `And`/`Or`/`Not` must not have `Next`: \
                    move `Next` to the top-level rule"
            .to_owned());
    }
    let test = parse_test(map)?;
    reject_leftovers(map, NESTED_KEYS)?;
    Ok(test)
}

fn reject_leftovers(map: &JsonMap<String, Value>, expected: &str) -> Result<(), String> {
    match map.keys().next() {
        None => Ok(()),
        Some(k) => Err(format!(
            "unknown field `{k}` in Choice rule, expected one of {expected}"
        )),
    }
}

/// Removes the test's keys from `map`; the caller rejects whatever is left.
fn parse_test(map: &mut JsonMap<String, Value>) -> Result<Test, String> {
    let ops: Vec<(String, ComparisonOp)> = map
        .keys()
        .filter_map(|k| ComparisonOp::from_name(k).map(|op| (k.clone(), op)))
        .collect();
    let forms: Vec<&str> = ["Condition", "And", "Or", "Not", "Variable"]
        .into_iter()
        .filter(|k| map.contains_key(*k))
        .collect();
    match forms.as_slice() {
        [] if !ops.is_empty() => Err(format!(
            "Choice rule uses `{}` without `Variable`: add the path to compare",
            ops[0].0
        )),
        [] => Err(format!("Choice rule has no test: use one of {NESTED_KEYS}")),
        [_, _, ..] => Err(format!(
            "Choice rule mixes `{}` and `{}`: a rule has exactly one test; combine with `And`/`Or`",
            forms[0], forms[1]
        )),
        ["Variable"] => {
            let variable = match map.remove("Variable") {
                Some(Value::String(s)) => s,
                other => {
                    return Err(format!(
                        "Choice rule `Variable` must be a path string, found {}",
                        show(other)
                    ))
                }
            };
            let (key, op) = match ops.as_slice() {
                [one] => one.clone(),
                [] => {
                    return Err(format!(
                        "Choice rule on `{variable}` has no comparison operator: add one such as `StringEquals` or `IsPresent`"
                    ))
                }
                [a, b, ..] => {
                    return Err(format!(
                        "Choice rule on `{variable}` has two operators `{}` and `{}`: split them with `And`",
                        a.0, b.0
                    ))
                }
            };
            let operand = map.remove(&key).unwrap_or(Value::Null);
            check_operand(op, &operand)?;
            Ok(Test::Compare(Comparison {
                variable,
                op,
                operand,
            }))
        }
        [form] => {
            if let Some((k, _)) = ops.first() {
                return Err(format!(
                    "Choice rule uses `{k}` next to `{form}`: an operator needs `Variable`"
                ));
            }
            let form = *form;
            let value = map.remove(form).unwrap_or(Value::Null);
            match (form, value) {
                ("Condition", v) => Ok(Test::Condition(v)),
                ("Not", Value::Object(mut inner)) => {
                    Ok(Test::Not(Box::new(parse_nested(&mut inner)?)))
                }
                ("And" | "Or", Value::Array(items)) if !items.is_empty() => {
                    let tests = items
                        .into_iter()
                        .map(|item| match item {
                            Value::Object(mut inner) => parse_nested(&mut inner),
                            other => Err(format!(
                                "`{form}` items must be Choice rules (objects), found {other}"
                            )),
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(if form == "And" {
                        Test::And(tests)
                    } else {
                        Test::Or(tests)
                    })
                }
                ("And" | "Or", _) => Err(format!(
                    "`{form}` must be a non-empty array of Choice rules"
                )),
                (_, other) => Err(format!(
                    "`{form}` must be one Choice rule (an object), found {other}"
                )),
            }
        }
    }
}

fn check_operand(op: ComparisonOp, v: &Value) -> Result<(), String> {
    let ok = match op.operand() {
        Operand::String | Operand::Path => v.is_string(),
        Operand::Number => v.is_number(),
        Operand::Boolean => v.is_boolean(),
    };
    if ok {
        return Ok(());
    }
    let want = match op.operand() {
        Operand::String => "a string",
        Operand::Path => "a reference path string",
        Operand::Number => "a number",
        Operand::Boolean => "true or false",
    };
    Err(format!(
        "Choice rule operator `{op}` needs {want}, found {v}"
    ))
}

fn show(v: Option<Value>) -> String {
    v.map_or_else(|| "nothing".to_owned(), |v| v.to_string())
}
