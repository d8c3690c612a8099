//! The JSONata the passes read and write.
//!
//! The passes see the finished definition, where expressions are `"{% … %}"` strings. They
//! need four facts about them and two ways to combine them:
//! - [`expression`]: the text of a `{% … %}` template (the rule the simulator and Step Functions
//!   use: the whole string, `{%` first and `%}` last);
//! - [`reads`]: the variables an expression may read — every `$name` in its text, an
//!   over-approximation (a name in a string literal counts too), which only ever stops a pass;
//! - [`is_volatile`]: whether it reads the clock or a random source, so evaluating it at
//!   another moment, or twice, could give another value;
//! - [`is_boolean`]: whether it yields a boolean whatever its operands (a comparison, `and`,
//!   `or`, `in`, `$not`, `$exists`, `$contains`, a boolean literal), parsed with `jsonata-core`,
//!   the parser the simulator evaluates with;
//! - [`and`] and [`bind`] combine expressions with every operand parenthesised, so JSONata's
//!   precedence cannot regroup them.
//!
//! Operators and functions: <https://docs.jsonata.org/expressions>,
//! <https://docs.jsonata.org/boolean-operators>, <https://docs.jsonata.org/programming>
//! (`:=` bindings are local to their block).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jsonata_core::ast::{AstNode, BinaryOp, UnaryOp};
use serde_json::{Map, Value};
use switchboard_asl::{State, States};

/// The expression of a `"{% … %}"` template, trimmed; `None` for a literal string.
pub fn expression(s: &str) -> Option<&str> {
    Some(s.strip_prefix("{%")?.strip_suffix("%}")?.trim())
}

/// `"{% expr %}"`.
pub fn template(expr: &str) -> Value {
    Value::String(format!("{{% {expr} %}}"))
}

/// Every `$name` in the strings of `v` (object keys excluded: in `Assign` they name what is
/// assigned), without the `$`. Function names (`$not`) and `$states` are included: the set is
/// what the value *may* read.
pub fn reads(v: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    each_string(v, &mut |s| {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'$' {
                let start = i + 1;
                let mut end = start;
                while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                    end += 1;
                }
                if end > start {
                    out.insert(s[start..end].to_owned());
                }
                i = end.max(i + 1);
            } else {
                i += 1;
            }
        }
    });
    out
}

/// Functions whose value depends on when (or whether again) they are called: Step Functions'
/// `$now`, `$millis`, `$random` and `$uuid`
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>).
const VOLATILE: [&str; 4] = ["now", "millis", "random", "uuid"];

/// Whether any expression in `v` may read the clock or a random source.
pub fn is_volatile(v: &Value) -> bool {
    let names = reads(v);
    VOLATILE.iter().any(|f| names.contains(*f))
}

/// Calls `f` on every string value inside `v`.
pub fn each_string(v: &Value, f: &mut dyn FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Array(items) => items.iter().for_each(|x| each_string(x, f)),
        Value::Object(m) => m.values().for_each(|x| each_string(x, f)),
        _ => {}
    }
}

/// Whether the expression always yields `true` or `false` (or fails): its outermost operation
/// is `=`, `!=`, `in`, `and`, `or`, `$exists`, `$not` of such an expression, or a boolean
/// literal. JSONata's `and`/`or` turn any operand into a boolean, so `(c) and (s)` means the
/// same as `c` then `s` only when both already are booleans; a `Condition` that is not one is
/// an error in Step Functions, and an `and` around it would hide that. In jsonata 2.0.6 (the
/// version Step Functions runs) `=`, `!=` and `in` give `false` when a side is undefined, but
/// `<`, `<=`, `>`, `>=` give undefined, as do `$not` and `$contains` of undefined, so those
/// are not booleans for sure (`evaluateComparisonExpression`, `fn.not` in jsonata.js;
/// <https://docs.jsonata.org/comparison-operators>).
/// `booleans` are variables known to hold a boolean ([`boolean_vars`]): `$v` counts as one.
pub fn is_boolean(expr: &str, booleans: &BTreeSet<String>) -> bool {
    match jsonata_core::parser::parse(expr) {
        Ok(ast) => boolean_node(&ast, booleans),
        Err(_) => false,
    }
}

fn boolean_node(n: &AstNode, booleans: &BTreeSet<String>) -> bool {
    match n {
        AstNode::Boolean(_) => true,
        AstNode::Variable(v) => booleans.contains(v),
        AstNode::Binary { op, .. } => matches!(
            op,
            BinaryOp::Equal | BinaryOp::NotEqual | BinaryOp::And | BinaryOp::Or | BinaryOp::In
        ),
        AstNode::Function {
            name,
            args,
            is_builtin: true,
        } => match name.as_str() {
            "exists" => true,
            "not" => args.len() == 1 && boolean_node(&args[0], booleans),
            _ => false,
        },
        AstNode::Block(items) => items.len() == 1 && boolean_node(&items[0], booleans),
        _ => false,
    }
}

/// The variables that only ever hold a boolean: every value assigned to them anywhere in
/// `states` (and the branches nested in them) is `true`, `false` or an expression
/// [`is_boolean`] given the others. This relies on what the compiler checks before the passes
/// run: a flow reads no variable before assigning it (`check::variables`), so the first value
/// a variable gets is one of those.
pub fn boolean_vars(states: &States) -> BTreeSet<String> {
    // Each variable's values, parsed once: `None` for a value that is no boolean whatever the
    // variables (a number, an object, an expression that does not parse).
    let mut values: BTreeMap<String, Vec<Option<AstNode>>> = BTreeMap::new();
    each_assign(states, &mut |m| {
        for (k, v) in m {
            let parsed = match v {
                Value::Bool(b) => Some(AstNode::Boolean(*b)),
                Value::String(s) => expression(s)
                    .filter(|e| may_be_boolean(e))
                    .and_then(|e| jsonata_core::parser::parse(e).ok()),
                _ => None,
            };
            values.entry(k.clone()).or_default().push(parsed);
        }
    });
    let mut booleans: BTreeSet<String> = values.keys().cloned().collect();
    loop {
        let keep: BTreeSet<String> = booleans
            .iter()
            .filter(|var| {
                values[*var]
                    .iter()
                    .all(|v| v.as_ref().is_some_and(|ast| boolean_node(ast, &booleans)))
            })
            .cloned()
            .collect();
        if keep.len() == booleans.len() {
            return booleans;
        }
        booleans = keep;
    }
}

/// A quick look at the text: an expression [`is_boolean`] accepts has `=` (in `=`, `!=`),
/// `and`, `or`, `in`, `$exists`, `true`/`false`, or is a variable (`$v`, `$not($v)`). The
/// rest (arithmetic, objects, paths, strings) need not be parsed.
fn may_be_boolean(e: &str) -> bool {
    let simple_var = e.strip_prefix('$').is_some_and(|v| {
        !v.is_empty() && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    simple_var
        || e.contains('=')
        || e.contains("and")
        || e.contains("or")
        || e.contains("in")
        || e.contains("$exists")
        || e.contains("$not")
        || e.contains("true")
        || e.contains("false")
}

/// Facts about the conditions of one machine, each text parsed once: whether it is a boolean
/// ([`is_boolean`], given the machine's [`boolean_vars`]) and whether it [`cannot_fail`].
pub struct Conditions {
    booleans: BTreeSet<String>,
    boolean: HashMap<String, bool>,
    safe: HashMap<String, bool>,
}

impl Conditions {
    pub fn new(states: &States) -> Conditions {
        Conditions {
            booleans: boolean_vars(states),
            boolean: HashMap::new(),
            safe: HashMap::new(),
        }
    }

    pub fn is_boolean(&mut self, expr: &str) -> bool {
        if let Some(b) = self.boolean.get(expr) {
            return *b;
        }
        let b = is_boolean(expr, &self.booleans);
        self.boolean.insert(expr.to_owned(), b);
        b
    }

    pub fn cannot_fail(&mut self, expr: &str) -> bool {
        if let Some(b) = self.safe.get(expr) {
            return *b;
        }
        let b = cannot_fail(expr);
        self.safe.insert(expr.to_owned(), b);
        b
    }
}

/// Calls `f` on every `Assign` object in `states`: states', Choice rules', catchers', and those
/// of nested branches.
fn each_assign(states: &States, f: &mut dyn FnMut(&Map<String, Value>)) {
    for state in states.values() {
        let mut blocks: Vec<Option<&Value>> = vec![state.io().and_then(|io| io.assign.as_ref())];
        if let State::Choice(c) = state {
            blocks.extend(c.choices.iter().map(|r| r.assign.as_ref()));
        }
        if let Some(h) = state.handlers() {
            blocks.extend(h.catch.iter().map(|c| c.assign.as_ref()));
        }
        for b in blocks.into_iter().flatten() {
            if let Value::Object(m) = b {
                f(m);
            }
        }
        for scope in state.scopes() {
            each_assign(scope.states, f);
        }
    }
}

/// Whether evaluating the expression can never fail: it only reads variables and fields
/// (`$a.b.c`, no predicates or calls) and compares or combines them with `=`, `!=`, `in`,
/// `and`, `or`, `$not`, `$exists` and literals, none of which raises an error in jsonata 2.0.6
/// whatever the values (`<` does on a string and a number, `+` on a string).
pub fn cannot_fail(expr: &str) -> bool {
    fn node(n: &AstNode) -> bool {
        match n {
            AstNode::Boolean(_)
            | AstNode::Number(_)
            | AstNode::String(_)
            | AstNode::Null
            | AstNode::Variable(_) => true,
            AstNode::Path { steps } => steps.iter().all(|s| {
                s.stages.is_empty()
                    && s.focus.is_none()
                    && s.index_var.is_none()
                    && matches!(s.node, AstNode::Variable(_) | AstNode::Name(_))
            }),
            AstNode::Binary { op, lhs, rhs } => {
                matches!(
                    op,
                    BinaryOp::Equal
                        | BinaryOp::NotEqual
                        | BinaryOp::And
                        | BinaryOp::Or
                        | BinaryOp::In
                ) && node(lhs)
                    && node(rhs)
            }
            AstNode::Array(items) => items.iter().all(node),
            AstNode::Function {
                name,
                args,
                is_builtin: true,
            } => matches!(name.as_str(), "not" | "exists") && args.len() == 1 && node(&args[0]),
            AstNode::Block(items) => items.len() == 1 && node(&items[0]),
            _ => false,
        }
    }
    jsonata_core::parser::parse(expr).is_ok_and(|ast| node(&ast))
}

/// `(a) and (b)`. JSONata evaluates `b` only when `a` is true (2.0's `and` short-circuits, as
/// Step Functions' JSONata 2.0.6 does).
pub fn and(a: &str, b: &str) -> String {
    format!("({a}) and ({b})")
}

/// `body` seeing each variable of `bindings` bound to its expression: `($v := (e); …; (body))`.
/// The caller makes sure no expression reads another binding's variable (a `:=` in a block is
/// seen by the statements after it), so each is evaluated as it would have been on its own.
pub fn bind(bindings: &[(String, String)], body: &str) -> String {
    let mut s = String::from("(");
    for (var, e) in bindings {
        s.push_str(&format!("${var} := ({e}); "));
    }
    s.push_str(&format!("({body}))"));
    s
}

/// The bindings of `bindings` that `v` may read, in their order.
pub fn needed(bindings: &[(String, String)], v: &Value) -> Vec<(String, String)> {
    let names = reads(v);
    bindings
        .iter()
        .filter(|(var, _)| names.contains(var))
        .cloned()
        .collect()
}

/// `v` with every template that may read a variable of `bindings` evaluated under them (see
/// [`bind`]); literal strings and other values stay as they are. `None` when a string looks
/// like a template without being exactly one (`" {% … %}"`), which the passes do not guess at.
pub fn bind_value(bindings: &[(String, String)], v: &Value) -> Option<Value> {
    Some(match v {
        Value::String(s) => match expression(s) {
            Some(e) => {
                let need = needed(bindings, v);
                if need.is_empty() {
                    v.clone()
                } else {
                    template(&bind(&need, e))
                }
            }
            None if s.contains("{%") => return None,
            None => v.clone(),
        },
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|x| bind_value(bindings, x))
                .collect::<Option<_>>()?,
        ),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| Some((k.clone(), bind_value(bindings, x)?)))
                .collect::<Option<_>>()?,
        ),
        other => other.clone(),
    })
}

/// A JSON value of an `Assign` as one JSONata expression: a template is its expression, a
/// literal is written as JSON (which JSONata reads as the same value), an object or array with
/// templates inside becomes a JSONata constructor whose members are parenthesised. `None` for a
/// string that looks like a template without being exactly one.
pub fn value_expression(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => match expression(s) {
            Some(e) => Some(e.to_owned()),
            None if s.contains("{%") => None,
            None => serde_json::to_string(s).ok(),
        },
        Value::Array(items) => Some(format!(
            "[{}]",
            items
                .iter()
                .map(member)
                .collect::<Option<Vec<_>>>()?
                .join(", ")
        )),
        Value::Object(m) => Some(format!(
            "{{{}}}",
            m.iter()
                .map(|(k, x)| Some(format!(
                    "{}: {}",
                    serde_json::to_string(k).ok()?,
                    member(x)?
                )))
                .collect::<Option<Vec<_>>>()?
                .join(", ")
        )),
        other => Some(other.to_string()),
    }
}

/// [`value_expression`] as a member of an object or array constructor.
fn member(v: &Value) -> Option<String> {
    let e = value_expression(v)?;
    Some(match v {
        Value::String(s) if expression(s).is_some() => format!("({e})"),
        _ => e,
    })
}

/// Expressions parsed once each, however many times they are evaluated.
#[derive(Default)]
pub struct Parsed(HashMap<String, Option<AstNode>>);

impl Parsed {
    /// The value of `expr` when every variable it reads is one of `consts` (JSON literals), for
    /// the few operations whose JSONata meaning is plain: literals, variables, parentheses, `=`
    /// and `!=` on numbers, strings, booleans and null, `<` `<=` `>` `>=` on two numbers or two
    /// strings, `and`/`or`/`$not` on booleans, `+ - * / %` and unary `-` on numbers, `&` on
    /// strings. `None` for anything else (including what would be an error at run time): the
    /// caller then decides nothing.
    pub fn eval_const(&mut self, expr: &str, consts: &Map<String, Value>) -> Option<Value> {
        let ast = self
            .0
            .entry(expr.to_owned())
            .or_insert_with(|| jsonata_core::parser::parse(expr).ok());
        eval_node(ast.as_ref()?, consts)
    }
}

fn eval_node(n: &AstNode, consts: &Map<String, Value>) -> Option<Value> {
    use serde_json::json;
    let num = |v: &Value| v.as_f64();
    Some(match n {
        AstNode::Number(x) => json!(x),
        AstNode::String(s) => Value::String(s.clone()),
        AstNode::Boolean(b) => Value::Bool(*b),
        AstNode::Null => Value::Null,
        AstNode::Variable(v) => match consts.get(v)? {
            c @ (Value::Number(_) | Value::String(_) | Value::Bool(_) | Value::Null) => c.clone(),
            _ => return None,
        },
        AstNode::Path { steps } if steps.len() == 1 && steps[0].stages.is_empty() => {
            eval_node(&steps[0].node, consts)?
        }
        AstNode::Block(items) if items.len() == 1 => eval_node(&items[0], consts)?,
        AstNode::Unary {
            op: UnaryOp::Negate,
            operand,
        } => json!(-num(&eval_node(operand, consts)?)?),
        AstNode::Function {
            name,
            args,
            is_builtin: true,
        } if name == "not" && args.len() == 1 => {
            Value::Bool(!eval_node(&args[0], consts)?.as_bool()?)
        }
        AstNode::Binary { op, lhs, rhs } => {
            let (a, b) = (eval_node(lhs, consts)?, eval_node(rhs, consts)?);
            let same_number = |a: &Value, b: &Value| Some((num(a)?, num(b)?));
            match op {
                BinaryOp::Equal | BinaryOp::NotEqual => {
                    let eq = match (&a, &b) {
                        (Value::Number(_), Value::Number(_)) => num(&a)? == num(&b)?,
                        (Value::Object(_) | Value::Array(_), _)
                        | (_, Value::Object(_) | Value::Array(_)) => return None,
                        _ => a == b,
                    };
                    Value::Bool(eq == (*op == BinaryOp::Equal))
                }
                BinaryOp::LessThan
                | BinaryOp::LessThanOrEqual
                | BinaryOp::GreaterThan
                | BinaryOp::GreaterThanOrEqual => {
                    let ord = match (&a, &b) {
                        (Value::String(x), Value::String(y)) => x.cmp(y),
                        _ => {
                            let (x, y) = same_number(&a, &b)?;
                            x.partial_cmp(&y)?
                        }
                    };
                    Value::Bool(match op {
                        BinaryOp::LessThan => ord.is_lt(),
                        BinaryOp::LessThanOrEqual => ord.is_le(),
                        BinaryOp::GreaterThan => ord.is_gt(),
                        _ => ord.is_ge(),
                    })
                }
                BinaryOp::And => Value::Bool(a.as_bool()? && b.as_bool()?),
                BinaryOp::Or => Value::Bool(a.as_bool()? || b.as_bool()?),
                BinaryOp::Concatenate => Value::String(format!("{}{}", a.as_str()?, b.as_str()?)),
                BinaryOp::Add
                | BinaryOp::Subtract
                | BinaryOp::Multiply
                | BinaryOp::Divide
                | BinaryOp::Modulo => {
                    let (x, y) = same_number(&a, &b)?;
                    let r = match op {
                        BinaryOp::Add => x + y,
                        BinaryOp::Subtract => x - y,
                        BinaryOp::Multiply => x * y,
                        BinaryOp::Divide => x / y,
                        _ => x % y,
                    };
                    if !r.is_finite() {
                        return None;
                    }
                    json!(r)
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_and_literals() {
        assert_eq!(expression("{% $x = 1 %}"), Some("$x = 1"));
        assert_eq!(expression("$x = 1"), None);
        assert_eq!(template("$x"), json!("{% $x %}"));
    }

    #[test]
    fn reads_every_dollar_name_in_values_not_keys() {
        let v = json!({"n": "{% $i + $count.n %}", "m": ["{% $not($done) %}", 3], "$k": "x"});
        let r: Vec<String> = reads(&v).into_iter().collect();
        assert_eq!(r, ["count", "done", "i", "not"]);
    }

    #[test]
    fn clock_and_random_are_volatile() {
        assert!(is_volatile(&json!("{% $millis() + 1 %}")));
        assert!(is_volatile(&json!({"a": "{% $now('[H01]') %}"})));
        assert!(!is_volatile(&json!("{% $nowhere + 1 %}")));
    }

    #[test]
    fn boolean_shapes() {
        for yes in [
            "$a = 1",
            "$a.b != \"x\" and $c",
            "$a in [1, 2]",
            "$not($a = 1)",
            "$exists($a.b)",
            "true",
            "($a = 3)",
            "$a or $b",
            "($a < 3) and $b",
        ] {
            assert!(is_boolean(yes, &BTreeSet::new()), "{yes}");
        }
        // `$not` and `$contains` of undefined give undefined.
        for no in [
            "$a",
            "$a ? true : false",
            "$a + 1",
            "$string($a = 1)",
            "(",
            "$f($a)",
            "$not($a)",
            "$contains($a, \"x\")",
            "$a < 3",
            "$a >= $b",
            "$not($a > 1)",
        ] {
            assert!(!is_boolean(no, &BTreeSet::new()), "{no}");
        }
    }

    #[test]
    fn variables_that_only_ever_hold_booleans() {
        let states: States = serde_json::from_value(json!({
            "P": {"Type": "Pass", "Assign": {"last": "{% $i + 1 = $n %}", "i": 0, "ok": true,
                "s": "{% $i < 3 %}", "both": "{% $last and $ok %}"}, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% $last %}", "Next": "P",
                "Assign": {"ok": "{% $not($last) %}", "i": "{% $i + 1 %}"}}], "Default": "P"}
        }))
        .unwrap();
        let b = boolean_vars(&states);
        assert_eq!(b.into_iter().collect::<Vec<_>>(), ["both", "last", "ok"]);
        assert!(is_boolean("$not($last)", &boolean_vars(&states)));
        assert!(!is_boolean("$i", &boolean_vars(&states)));
    }

    #[test]
    fn what_cannot_fail() {
        for yes in [
            "$a",
            "$a.b.c = \"x\"",
            "$not($a) and $exists($b.c)",
            "$k in [\"1\", \"2\"]",
        ] {
            assert!(cannot_fail(yes), "{yes}");
        }
        for no in [
            "$a < 3",
            "$a + 1 = 2",
            "$a[0] = 1",
            "$f($a)",
            "$string($a) = \"1\"",
        ] {
            assert!(!cannot_fail(no), "{no}");
        }
    }

    #[test]
    fn combinations_are_parenthesised() {
        assert_eq!(and("$a or $b", "$c"), "($a or $b) and ($c)");
        let b = vec![("i".to_owned(), "$i + 1".to_owned())];
        assert_eq!(bind(&b, "$i < 3"), "($i := ($i + 1); ($i < 3))");
        assert_eq!(
            bind_value(&b, &json!({"t": "{% $i %}", "u": "{% $j %}", "w": "hi"})),
            Some(json!({"t": "{% ($i := ($i + 1); ($i)) %}", "u": "{% $j %}", "w": "hi"}))
        );
        assert_eq!(bind_value(&b, &json!(" {% $i %}")), None);
    }

    #[test]
    fn constant_conditions_are_decided_and_the_rest_is_not() {
        let consts: Map<String, Value> =
            serde_json::from_value(json!({"tries": 0, "who": "x", "on": true, "o": {"a": 1}}))
                .unwrap();
        let mut parsed = Parsed::default();
        let mut ev = |e: &str| parsed.eval_const(e, &consts);
        assert_eq!(ev("$not($tries < 3)"), Some(json!(false)));
        assert_eq!(ev("$tries + 1 >= 1 and $on"), Some(json!(true)));
        assert_eq!(ev("$who = \"x\" or $tries = 1"), Some(json!(true)));
        assert_eq!(ev("($tries = 0)"), Some(json!(true)));
        // Unknown variables, objects, mixed types (an error at run time), functions: undecided.
        for e in [
            "$other = 1",
            "$o.a = 1",
            "$who < 3",
            "$string($tries) = \"0\"",
            "$who and $on",
        ] {
            assert_eq!(ev(e), None, "{e}");
        }
    }

    #[test]
    fn assign_values_as_expressions() {
        assert_eq!(
            value_expression(&json!({"a": "{% $x %}", "b": [1, "s"], "c": null})),
            Some(r#"{"a": ($x), "b": [1, "s"], "c": null}"#.to_owned())
        );
        assert_eq!(value_expression(&json!("x {% y %}")), None);
    }
}
