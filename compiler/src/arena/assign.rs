//! The `Assign` of a state, a Choice rule or a catcher, kept as IR expressions so that the
//! passes can ask which variables each one reads.

use crate::lower::jsonata::template;
use serde_json::{Map, Value as Json};
use std::collections::BTreeSet;
use switchboard::ir::Expr;

/// The `Assign` of a state, a Choice rule or a catcher, as IR expressions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assign {
    /// The variable the transition binds (a Task's result, a caught error) and what it holds
    /// (`None`: nothing worth keeping, so nothing is assigned).
    pub bind: Option<Bind>,
    pub vars: Vec<(String, Expr)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bind {
    pub var: String,
    pub value: Option<Expr>,
}

/// The variables an expression reads.
pub fn reads(e: &Expr) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    e.for_each_var(&mut |v| {
        out.insert(v.to_owned());
    });
    out
}

impl Assign {
    /// An `Assign` binding `var` (if any) to `value`, and nothing else.
    pub fn binding(var: Option<&str>, value: Option<Expr>) -> Assign {
        Assign {
            bind: var.map(|v| Bind {
                var: v.to_owned(),
                value,
            }),
            vars: Vec::new(),
        }
    }

    /// Whether `var` is assigned here.
    pub fn assigns(&self, var: &str) -> bool {
        self.bind.as_ref().is_some_and(|b| b.var == var) || self.vars.iter().any(|(v, _)| v == var)
    }

    /// The expression that assigns `var := value` together with what this `Assign` already
    /// assigns, or `None` when that would change the meaning. Step Functions evaluates all of a
    /// state's (or a rule's, a catcher's) assignments against the values from before it
    /// (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>), so
    /// `value` may not read a variable assigned here, nor may `var` be assigned twice; a read of
    /// the bound variable becomes a read of what it is bound to (`$states.result…`,
    /// `$states.errorOutput`).
    pub fn absorb(&self, var: &str, value: &Expr) -> Option<Expr> {
        let read = reads(value);
        if self.assigns(var) || self.vars.iter().any(|(v, _)| read.contains(v)) {
            return None;
        }
        match &self.bind {
            Some(b) if read.contains(&b.var) => {
                b.value.as_ref().map(|e| value.replace_var(&b.var, e))
            }
            _ => Some(value.clone()),
        }
    }

    /// The ASL `Assign` object: the bound variable first, then the rest in order.
    pub fn to_json(&self) -> Option<Json> {
        let mut m = Map::new();
        if let Some(Bind {
            var,
            value: Some(e),
        }) = &self.bind
        {
            m.insert(var.clone(), template(e));
        }
        for (var, e) in &self.vars {
            let value = match template(e) {
                // asl-validator's schema rejects an empty string as an `Assign` value, which Step
                // Functions accepts; the expression form means the same and passes both.
                Json::String(t) if t.is_empty() => Json::String("{% \"\" %}".into()),
                v => v,
            };
            m.insert(var.clone(), value);
        }
        (!m.is_empty()).then_some(Json::Object(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard::ir::BinOp;

    #[test]
    fn reads_are_the_variables_not_the_text() {
        // `($x := $a; $x + $y)` reads `a` and `y`; `x` is its own; a string mentioning `$b`
        // reads nothing.
        let e = Expr::Let(
            "x".into(),
            Box::new(Expr::var("a")),
            Box::new(Expr::Binary(
                BinOp::Add,
                Box::new(Expr::var("x")),
                Box::new(Expr::var("y")),
            )),
        );
        assert_eq!(reads(&e).into_iter().collect::<Vec<_>>(), ["a", "y"]);
        assert!(reads(&Expr::str("$b")).is_empty());
    }

    #[test]
    fn the_bound_variable_comes_first_and_empty_strings_are_expressions() {
        let mut a = Assign::binding(Some("d"), Some(Expr::StatesResult));
        a.vars.push(("s".into(), Expr::str("")));
        assert_eq!(
            a.to_json(),
            Some(serde_json::json!({ "d": "{% $states.result %}", "s": "{% \"\" %}" }))
        );
        // A binding that holds nothing assigns nothing.
        assert_eq!(Assign::binding(Some("d"), None).to_json(), None);
    }
}
