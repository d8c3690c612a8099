//! Fuses decision chains into one Choice state.
//!
//! Lowering gives every `if` and `match` its own Choice, so `if a { … } else if b { … }` or a
//! `match` inside a `match` arm costs one state transition per decision. When a Choice goes
//! straight to another Choice, the second one's rules can be folded into the first:
//!
//! - through `Default`: the inner rules are appended after the outer ones. Step Functions tries
//!   a Choice's rules in order and takes the first that matches
//!   (<https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>), so the inner
//!   rules are tried exactly when no outer rule matched, as before.
//! - through a rule's `Next`: that rule `c` becomes one rule `(c) and (s)` per inner rule `s`,
//!   then `c` alone to the inner `Default`. JSONata's `and` evaluates `s` only when `c` is true,
//!   so each condition is evaluated when it was before, and the first rule that matches is the
//!   one that would have matched, in the same order. This needs: both conditions always
//!   booleans (`and` would turn a non-boolean into one, hiding an error Step Functions
//!   reports), `c` not reading the clock or a random source (it is now evaluated once per
//!   inner rule), an inner `Default` (else a miss would fall through to the outer rules after
//!   `c`), and the inner Choice not reading a variable the outer rule's `Assign` sets (the
//!   fused rule evaluates both `Assign`s against the values from before the state, the inner
//!   one winning where both set a variable, as it did by running later).
//!
//! Either way the Choices must be JSONata `Condition` rules without `Output` (a rule's `Output`
//! is the next state's input) and without a state-level `Assign`, `Output` or paths. An inner
//! rule keeps its `Comment`, or gets the inner Choice's, so every rule still names its Rust
//! line. The inner Choice stays while anything else goes to it, and goes when nothing does.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};
use switchboard_asl::{Choice, ChoiceRule, QueryLanguage, State, StateMachine, States, Test};

use super::jsonata::{self, Conditions};
use super::reach;

/// The most rules one fused Choice gets: a nest of `match`es multiplies rules, and a Choice is
/// read by people in Workflow Studio.
pub const MAX_RULES: usize = 24;

/// Fuses every Choice-to-Choice transition that can be fused, in the machine and in the
/// branches of its Parallel states. Returns how many were fused.
pub fn run(machine: &mut StateMachine, conditions: &mut Conditions) -> usize {
    let lang = machine.query_language.unwrap_or(QueryLanguage::JsonPath);
    let start = machine.start_at.clone();
    run_scope(&mut machine.states, &start, lang, conditions)
}

fn run_scope(
    states: &mut States,
    start: &str,
    lang: QueryLanguage,
    conditions: &mut Conditions,
) -> usize {
    let mut fused = 0;
    for state in states.values_mut() {
        if let State::Parallel(p) = state {
            let inner = p.query_language.unwrap_or(lang);
            for b in &mut p.branches {
                let l = b.query_language.unwrap_or(inner);
                fused += run_scope(&mut b.states, &b.start_at.clone(), l, conditions);
            }
        }
    }
    let unreached_before = reach::unreached_in(states, start);
    // Rounds: every Choice takes in the Choices it goes to while it can; then what no longer
    // has a way in goes (an inner Choice folded everywhere it was reached, a rule's target
    // that rule was the last way to). Within a round the ways into each state are counted,
    // so a Choice folded everywhere is not worked on again. A fusion removes one
    // Choice-to-Choice transition and adds at most the inner Choice's; the bound only guards
    // against a malformed definition's Choice-only cycle.
    for _ in 0..=states.len() {
        let mut ways_in: HashMap<String, usize> = HashMap::new();
        for s in states.values() {
            for e in s.successors() {
                *ways_in.entry(e.target.to_owned()).or_default() += 1;
            }
        }
        let mut changed = false;
        let choices: Vec<String> = states
            .iter()
            .filter(|(_, s)| matches!(s, State::Choice(_)))
            .map(|(n, _)| n.clone())
            .collect();
        for outer in choices {
            for _ in 0..MAX_RULES * 2 {
                if outer != start && ways_in.get(&outer).copied().unwrap_or(0) == 0 {
                    break;
                }
                let Some((inner, added)) = fuse_next(states, &outer, lang, conditions) else {
                    break;
                };
                if let Some(n) = ways_in.get_mut(&inner) {
                    *n = n.saturating_sub(1);
                }
                for t in added {
                    *ways_in.entry(t).or_default() += 1;
                }
                fused += 1;
                changed = true;
            }
        }
        reach::remove_unreached_in(states, start, &unreached_before);
        if !changed {
            break;
        }
    }
    fused
}

/// Where a transition from one Choice to another comes from.
#[derive(Clone, Copy, Debug)]
enum Via {
    Default,
    Rule(usize),
}

/// Fuses the first of `outer`'s transitions to another Choice that can be fused; returns the
/// inner Choice and the transitions the outer one took over from it.
fn fuse_next(
    states: &mut States,
    outer: &str,
    lang: QueryLanguage,
    conditions: &mut Conditions,
) -> Option<(String, Vec<String>)> {
    let State::Choice(o) = states.get(outer)? else {
        return None;
    };
    let edges: Vec<(Via, &String)> = o
        .choices
        .iter()
        .enumerate()
        .map(|(i, r)| (Via::Rule(i), &r.next))
        .chain(o.default.as_ref().map(|d| (Via::Default, d)))
        .collect();
    for (via, target) in edges {
        if target == outer {
            continue;
        }
        let Some(State::Choice(inner)) = states.get(target) else {
            continue;
        };
        if let Some(fused) = fuse(o, via, inner, lang, conditions) {
            let added = inner
                .choices
                .iter()
                .map(|r| r.next.clone())
                .chain(inner.default.clone())
                .collect();
            let inner = target.clone();
            states.insert(outer.to_owned(), State::Choice(fused));
            return Some((inner, added));
        }
    }
    None
}

/// The outer Choice with `inner` folded in through `via`, or `None` when that would not mean
/// the same.
fn fuse(
    outer: &Choice,
    via: Via,
    inner: &Choice,
    lang: QueryLanguage,
    conditions: &mut Conditions,
) -> Option<Choice> {
    if !plain(outer, lang) || !plain(inner, lang) {
        return None;
    }
    // Through a rule: everything is checked before anything is copied (most attempts fail).
    if let Via::Rule(i) = via {
        let rule = outer.choices.get(i)?;
        inner.default.as_ref()?;
        let c = condition(&rule.test)?;
        if !conditions.is_boolean(&c) || jsonata::is_volatile(&Value::String(c)) {
            return None;
        }
        let assigned = assigned(rule.assign.as_ref())?;
        let reads_assigned = |v: &Value| !jsonata::reads(v).is_disjoint(&assigned);
        for s in &inner.choices {
            let sc = condition(&s.test)?;
            if !conditions.is_boolean(&sc)
                || reads_assigned(&Value::String(sc))
                || s.assign.as_ref().is_some_and(reads_assigned)
                || !matches!(s.assign, None | Some(Value::Object(_)))
            {
                return None;
            }
        }
        if outer.choices.len() + inner.choices.len() > MAX_RULES {
            return None;
        }
    } else if outer.choices.len() + inner.choices.len() > MAX_RULES + 1 {
        return None;
    }
    let inner_rules = inner.choices.iter().map(|r| {
        let mut r = r.clone();
        if r.comment.is_none() {
            r.comment = inner.comment.clone();
        }
        r
    });
    let mut out = outer.clone();
    match via {
        Via::Default => {
            out.choices.extend(inner_rules);
            out.default = inner.default.clone();
        }
        Via::Rule(i) => {
            let rule = outer.choices.get(i)?;
            let c = condition(&rule.test)?;
            let mut rules = Vec::with_capacity(inner.choices.len() + 1);
            for s in inner_rules {
                let sc = condition(&s.test)?;
                let joined = if sc == "true" {
                    c.clone()
                } else {
                    jsonata::and(&c, &sc)
                };
                rules.push(ChoiceRule {
                    comment: s.comment,
                    test: Test::Condition(jsonata::template(&joined)),
                    assign: merge(rule.assign.as_ref(), s.assign.as_ref())?,
                    output: None,
                    next: s.next,
                });
            }
            rules.push(ChoiceRule {
                next: inner.default.clone()?,
                ..rule.clone()
            });
            out.choices.splice(i..=i, rules);
        }
    }
    drop_unreachable_rules(&mut out);
    (out.choices.len() <= MAX_RULES).then_some(out)
}

/// Removes the rules no evaluation can reach: those after a `{% true %}` rule, and a rule whose
/// condition is the same text as an earlier one's and reads no clock (the earlier one matched
/// whenever it would have). A `true` rule also makes `Default` unreachable; it is kept all the same, pointing
/// where it did (the spec recommends one).
fn drop_unreachable_rules(c: &mut Choice) {
    let mut seen = HashSet::new();
    let mut after_true = false;
    c.choices.retain(|r| {
        let text = condition(&r.test);
        // A condition on the clock may give another answer the second time.
        let repeat = text.as_ref().is_some_and(|t| {
            !jsonata::is_volatile(&Value::String(t.clone())) && !seen.insert(t.clone())
        });
        let keep = !after_true && !repeat;
        after_true |= text.as_deref() == Some("true");
        keep
    });
}

/// A JSONata Choice whose rules are `Condition`s without `Output`, with no state-level
/// `Assign`, `Output` or paths.
fn plain(c: &Choice, lang: QueryLanguage) -> bool {
    c.query_language.unwrap_or(lang) == QueryLanguage::Jsonata
        && c.io == Default::default()
        && c.choices
            .iter()
            .all(|r| r.output.is_none() && condition(&r.test).is_some())
}

/// The JSONata text of a `Condition` (a template or a boolean literal).
fn condition(t: &Test) -> Option<String> {
    match t {
        Test::Condition(Value::String(s)) => jsonata::expression(s).map(str::to_owned),
        Test::Condition(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    }
}

/// The variables an `Assign` sets; `None` when it is not an object.
fn assigned(assign: Option<&Value>) -> Option<BTreeSet<String>> {
    match assign {
        None => Some(BTreeSet::new()),
        Some(Value::Object(m)) => Some(m.keys().cloned().collect()),
        Some(_) => None,
    }
}

/// `first`'s assignments, then `then`'s (which win where both set a variable).
fn merge(first: Option<&Value>, then: Option<&Value>) -> Option<Option<Value>> {
    let mut m = Map::new();
    for a in [first, then].into_iter().flatten() {
        match a {
            Value::Object(o) => m.extend(o.clone()),
            _ => return None,
        }
    }
    Some((!m.is_empty()).then_some(Value::Object(m)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::testing::{machine, same_behaviour};
    use serde_json::{json, Value};

    /// A JSONata machine: `Read` assigns `a`, `b`, `k` from the input, then `first`; every
    /// other state named in `choices` is a Choice; `A`…`E` end with their own name as output.
    fn def(choices: Value) -> Value {
        let mut states = json!({
            "Read": {"Type": "Pass", "Assign": {
                "a": "{% $states.input.a %}", "b": "{% $states.input.b %}",
                "k": "{% $states.input.k %}"}, "Next": "First"},
        });
        for end in ["A", "B", "C", "D", "E"] {
            states[end] = json!({"Type": "Pass", "Output": end, "End": true});
        }
        for (name, c) in choices.as_object().unwrap() {
            states[name] = c.clone();
        }
        json!({"QueryLanguage": "JSONata", "StartAt": "Read", "States": states})
    }

    fn rule(cond: &str, next: &str) -> Value {
        json!({"Condition": format!("{{% {cond} %}}"), "Next": next})
    }

    fn inputs() -> Vec<Value> {
        let mut v = Vec::new();
        for a in [0, 1, 2] {
            for b in [true, false] {
                for k in ["1", "2", "9"] {
                    v.push(json!({"a": a, "b": b, "k": k}));
                }
            }
        }
        v
    }

    /// Runs the pass; checks behaviour on every input; returns the result and how many fused.
    fn fused(d: Value) -> (StateMachine, usize, u64) {
        let before = machine(d);
        let mut after = before.clone();
        let n = run(&mut after, &mut Conditions::new(&before.states));
        let saved = same_behaviour(&before, &after, &inputs());
        (after, n, saved)
    }

    fn choice<'a>(m: &'a StateMachine, name: &str) -> &'a Choice {
        match &m.states[name] {
            State::Choice(c) => c,
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn an_else_if_chain_becomes_one_choice() {
        let (m, n, saved) = fused(def(json!({
            "First": {"Type": "Choice", "Comment": "f.rs:1 — if",
                "Choices": [rule("$a = 0", "A")], "Default": "Second"},
            "Second": {"Type": "Choice", "Comment": "f.rs:2 — if",
                "Choices": [rule("$a = 1", "B")], "Default": "Third"},
            "Third": {"Type": "Choice", "Comment": "f.rs:3 — if",
                "Choices": [rule("$b", "C")], "Default": "D"},
        })));
        assert_eq!(n, 2);
        assert!(saved > 0);
        let c = choice(&m, "First");
        assert_eq!(c.choices.len(), 3);
        assert_eq!(c.default.as_deref(), Some("D"));
        // Each rule still names its Rust line; the emptied Choices are gone.
        assert_eq!(c.choices[2].comment.as_deref(), Some("f.rs:3 — if"));
        assert!(!m.states.contains_key("Second") && !m.states.contains_key("Third"));
    }

    #[test]
    fn a_match_inside_a_match_arm_becomes_one_choice_with_and() {
        let (m, n, saved) = fused(def(json!({
            "First": {"Type": "Choice", "Choices": [
                rule("$k = \"1\"", "Inner"), rule("$k = \"2\"", "C")], "Default": "D"},
            "Inner": {"Type": "Choice", "Comment": "f.rs:9 — if", "Choices": [
                {"Condition": "{% $a = 0 or $a = 2 %}", "Next": "A", "Assign": {"x": "{% $a %}"}}],
                "Default": "B"},
        })));
        assert_eq!(n, 1);
        assert!(saved > 0);
        let c = choice(&m, "First");
        let conds: Vec<String> = c
            .choices
            .iter()
            .map(|r| condition(&r.test).unwrap())
            .collect();
        assert_eq!(
            conds,
            [
                "($k = \"1\") and ($a = 0 or $a = 2)",
                "$k = \"1\"",
                "$k = \"2\""
            ]
        );
        assert_eq!(c.choices[1].next, "B");
        assert_eq!(c.choices[0].assign, Some(json!({"x": "{% $a %}"})));
    }

    #[test]
    fn a_variable_that_only_ever_holds_a_boolean_is_a_condition_to_join() {
        // `Read` sets `yes` from `$b = true`: a boolean whatever the input.
        let mut d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$k = \"1\"", "Inner")], "Default": "D"},
            "Inner": {"Type": "Choice", "Choices": [rule("$yes", "A"),
                {"Condition": "{% true %}", "Next": "C", "Assign": {"z": 1}}], "Default": "B"},
        }));
        d["States"]["Read"]["Assign"]["yes"] = json!("{% $b = true %}");
        let (m, n, _) = fused(d.clone());
        assert_eq!(n, 1);
        // `(c) and (true)` is `c`; after it, the rule for the inner Default can never match.
        let conds: Vec<String> = choice(&m, "First")
            .choices
            .iter()
            .map(|r| condition(&r.test).unwrap())
            .collect();
        assert_eq!(conds, ["($k = \"1\") and ($yes)", "$k = \"1\""]);
        // Assigned from something that may not be a boolean, it is not joined.
        d["States"]["Read"]["Assign"]["yes"] = json!("{% $b %}");
        assert_eq!(fused(d).1, 0);
    }

    #[test]
    fn the_outer_rules_assignments_come_along_unless_the_inner_choice_reads_them() {
        // The inner Choice reads `k`, which the outer rule sets: the fused rule would read the
        // value from before the state. Not fused.
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [
                {"Condition": "{% $a = 1 %}", "Next": "Inner", "Assign": {"k": "2"}}],
                "Default": "D"},
            "Inner": {"Type": "Choice", "Choices": [rule("$k = \"2\"", "A")], "Default": "B"},
        }));
        let (_, n, _) = fused(d);
        assert_eq!(n, 0);
        // Reading something else, it is fused and both assignments ride on the fused rule,
        // the inner one winning.
        let (m, n, _) = fused(def(json!({
            "First": {"Type": "Choice", "Choices": [
                {"Condition": "{% $a = 1 %}", "Next": "Inner", "Assign": {"x": 1, "y": 1}}],
                "Default": "D"},
            "Inner": {"Type": "Choice", "Choices": [
                {"Condition": "{% $b = true %}", "Next": "A", "Assign": {"y": 2}}], "Default": "B"},
        })));
        assert_eq!(n, 1);
        assert_eq!(
            choice(&m, "First").choices[0].assign,
            Some(json!({"x": 1, "y": 2}))
        );
    }

    #[test]
    fn a_wrong_fusion_is_seen_by_the_check() {
        // Fusing while the inner Choice reads what the outer rule assigns, by hand: for
        // `a = 1` the inner Choice read `k` = "2" and went to A; the fused rule reads the `k`
        // from before. The comparison must catch that, or the tests here prove nothing.
        let before = machine(def(json!({
            "First": {"Type": "Choice", "Choices": [
                {"Condition": "{% $a = 1 %}", "Next": "Inner", "Assign": {"k": "2"}}],
                "Default": "D"},
            "Inner": {"Type": "Choice", "Choices": [rule("$k = \"2\"", "A")], "Default": "B"},
        })));
        let wrong = machine(def(json!({
            "First": {"Type": "Choice", "Choices": [
                {"Condition": "{% ($a = 1) and ($k = \"2\") %}", "Next": "A", "Assign": {"k": "2"}},
                {"Condition": "{% $a = 1 %}", "Next": "B", "Assign": {"k": "2"}}],
                "Default": "D"},
        })));
        let r = std::panic::catch_unwind(|| same_behaviour(&before, &wrong, &inputs()));
        assert!(r.is_err());
    }

    #[test]
    fn a_condition_that_is_not_always_boolean_is_not_joined_with_and() {
        // `$k` is a string: `$k and …` would be true where the original Condition is an error.
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$a = 1", "Inner")], "Default": "D"},
            "Inner": {"Type": "Choice", "Choices": [rule("$k", "A")], "Default": "B"},
        }));
        assert_eq!(fused(d).1, 0);
        // Through Default nothing is joined: the rule is tried as it was, and fails as it did.
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$a = 1", "A")], "Default": "Inner"},
            "Inner": {"Type": "Choice", "Choices": [rule("$k", "B")], "Default": "C"},
        }));
        assert_eq!(fused(d).1, 1);
    }

    #[test]
    fn an_order_comparison_with_something_undefined_is_no_boolean() {
        // jsonata 2.0.6: `undefined > 3` is undefined (`=` gives false), so the Condition is an
        // error where `(c) and (…)` would be false.
        let inner = json!({"Type": "Choice", "Choices": [rule("$missing > 3", "A")],
            "Default": "B"});
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$a = 1", "Inner")], "Default": "D"},
            "Inner": inner,
        }));
        assert_eq!(fused(d).1, 0);
    }

    #[test]
    fn not_of_something_undefined_is_no_boolean() {
        // `$not(undefined)` is undefined: as a Condition an error, inside `and` a false.
        let inner = json!({"Type": "Choice", "Choices": [rule("$not($missing)", "A")],
            "Default": "B"});
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$a = 1", "Inner")], "Default": "D"},
            "Inner": inner,
        }));
        assert_eq!(fused(d.clone()).1, 0);
        let wrong = machine(def(json!({
            "First": {"Type": "Choice", "Choices": [
                rule("($a = 1) and ($not($missing))", "A"), rule("$a = 1", "B")], "Default": "D"},
        })));
        let r = std::panic::catch_unwind(|| same_behaviour(&machine(d), &wrong, &inputs()));
        assert!(r.is_err(), "the fused form hides the original's error");
    }

    #[test]
    fn a_condition_on_the_clock_is_not_evaluated_twice() {
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$millis() % 2 = 0", "Inner")],
                "Default": "D"},
            "Inner": {"Type": "Choice", "Choices": [rule("$b", "A")], "Default": "B"},
        }));
        assert_eq!(fused(d).1, 0);
    }

    #[test]
    fn an_inner_choice_without_default_is_folded_only_through_default() {
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$a = 1", "Inner"), rule("$b", "C")],
                "Default": "D"},
            "Inner": {"Type": "Choice", "Choices": [rule("$k = \"1\"", "A")]},
        }));
        assert_eq!(fused(d).1, 0);
    }

    #[test]
    fn choices_with_state_level_assign_or_output_stay_apart() {
        for extra in [json!({"Assign": {"z": 1}}), json!({"Output": {"z": 1}})] {
            let mut inner = json!({"Type": "Choice", "Choices": [rule("$b", "A")], "Default": "B"});
            inner
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            let d = def(json!({
                "First": {"Type": "Choice", "Choices": [rule("$a = 1", "C")], "Default": "Inner"},
                "Inner": inner,
            }));
            assert_eq!(fused(d).1, 0, "{extra}");
        }
    }

    #[test]
    fn an_inner_choice_reached_from_elsewhere_is_copied_and_kept() {
        let (m, n, _) = fused(def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$a = 0", "Shared"), rule("$a = 1", "Other")],
                "Default": "D"},
            "Other": {"Type": "Pass", "Next": "Shared"},
            "Shared": {"Type": "Choice", "Choices": [rule("$b = true", "A")], "Default": "B"},
        })));
        assert_eq!(n, 1);
        assert!(m.states.contains_key("Shared"));
        assert_eq!(choice(&m, "First").choices.len(), 3);
    }

    #[test]
    fn jsonpath_choices_are_left_alone() {
        let d = json!({"StartAt": "First", "States": {
            "First": {"Type": "Choice", "Choices": [
                {"Variable": "$.a", "NumericEquals": 0, "Next": "A"}], "Default": "Second"},
            "Second": {"Type": "Choice", "Choices": [
                {"Variable": "$.b", "BooleanEquals": true, "Next": "B"}], "Default": "A"},
            "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}});
        let mut m = machine(d);
        let mut c = Conditions::new(&m.states);
        assert_eq!(run(&mut m, &mut c), 0);
    }

    #[test]
    fn a_nest_that_would_grow_past_the_rule_limit_stays_apart() {
        let many: Vec<Value> = (0..MAX_RULES)
            .map(|i| rule(&format!("$k = \"{i}\""), "A"))
            .collect();
        let d = def(json!({
            "First": {"Type": "Choice", "Choices": [rule("$a = 1", "C")], "Default": "Inner"},
            "Inner": {"Type": "Choice", "Choices": many, "Default": "B"},
        }));
        assert_eq!(fused(d).1, 0);
    }
}
