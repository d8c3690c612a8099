//! Choice rule tests: JSONata `Condition`s in JSONata states, JSONPath comparisons (read by
//! [`crate::expr::eval_choice_rule`]) in JSONPath states, `And`/`Or`/`Not` in both.

use serde_json::Value;
use switchboard_asl::{QueryLanguage, Test};

use super::data::Eval;
use super::errors::StateError;
use crate::expr::{eval_choice_rule, Bindings, Scope};
use switchboard_asl::errors;

/// Evaluate one Choice rule's test in the state's query language.
pub(crate) fn test(
    ev: &mut Eval<'_>,
    lang: QueryLanguage,
    t: &Test,
    eff: &Value,
    b: &Bindings<'_>,
    rule: usize,
) -> Result<bool, StateError> {
    match t {
        Test::And(ts) => {
            for t in ts {
                if !test(ev, lang, t, eff, b, rule)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Test::Or(ts) => {
            for t in ts {
                if test(ev, lang, t, eff, b, rule)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Test::Not(t) => test(ev, lang, t, eff, b, rule).map(|v| !v),
        Test::Condition(c) if lang == QueryLanguage::Jsonata => ev.condition(c, b),
        Test::Compare(c) if lang == QueryLanguage::JsonPath => {
            let mut raw = serde_json::Map::with_capacity(2);
            raw.insert("Variable".into(), Value::String(c.variable.clone()));
            raw.insert(c.op.as_str().into(), c.operand.clone());
            let scope = Scope::new(eff, ev.context, ev.vars);
            eval_choice_rule(&Value::Object(raw), &scope)
                .map_err(|e| StateError::eval(ev.state, &format!("Choices[{rule}].Variable"), e))
        }
        _ => Err(StateError::new(
            errors::RUNTIME,
            format!(
                "state '{}', Choices[{rule}]: a {} rule in a {} state",
                ev.state,
                if matches!(t, Test::Condition(_)) {
                    "JSONata 'Condition'"
                } else {
                    "JSONPath 'Variable'"
                },
                if lang == QueryLanguage::Jsonata {
                    "JSONata"
                } else {
                    "JSONPath"
                }
            ),
        )),
    }
}
