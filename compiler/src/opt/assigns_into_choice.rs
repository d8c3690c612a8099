//! Folds a Pass state that only assigns variables into the Choice next to it: before it, or
//! after one of its rules.
//!
//! Every flow starts with a Pass that keeps the call's details (`call`, `queue_url`), and a
//! flow that opens with a decision (the business phone's "who is calling, and is it open?")
//! then enters its Choice: two state transitions where one would do. A Pass `P` whose only
//! effect is its `Assign`, followed by a Choice `C` that nothing else goes to, becomes `C`
//! alone:
//!
//! - each rule of `C` assigns `P`'s variables too (a rule's `Assign` applies when the rule
//!   matches: <https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html>), and
//!   `Default` becomes a last rule `{% true %}` that does the same (a Choice-level `Assign` is
//!   documented to apply "regardless of which choice rule matches", but the emulator the
//!   end-to-end tests run on, moto 5.2.5, applies it only when `Default` is taken: the
//!   conservative reading is to stay with rule-level `Assign`, which both do alike; `Default`
//!   is kept, pointing where the last rule goes);
//! - `C`'s conditions and rule `Assign`s read `P`'s variables as `P` would have set them,
//!   through local bindings (`($call := {…}; $call.From = "…")`, [`jsonata::bind`]): Step
//!   Functions evaluates a state's `Assign` against the values from before the state
//!   (<https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>).
//!
//! It needs: `P` a JSONata Pass with nothing but `Assign` and `Next` (its output is then its
//! input, so `C`'s `$states.input` is unchanged), its values neither reading the clock or a
//! random source (they are now evaluated once per condition) nor each other's variables; `C`
//! a JSONata Choice without state-level `Assign`/`Output`/paths and without rule `Output`, none
//! of whose rules assigns one of `P`'s variables.
//!
//! The other way round, a rule (or `Default`) that leads to such a Pass takes the Pass's
//! assignments itself and goes on to where the Pass went (`Default` becoming a `{% true %}`
//! rule, since `Default` has no `Assign`): an `else { i += 1; }` costs no state of its own.
//! The Pass's values are then evaluated with the Choice, against the values from before it,
//! as they were before (a Choice without state-level `Assign` changes nothing but what its
//! rule assigns, which the Pass's values must not read); its input is the Choice's input, as
//! it was. The Pass stays while anything else goes to it.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use switchboard_asl::{Choice, ChoiceRule, Pass, QueryLanguage, State, StateMachine, States, Test};

use super::{jsonata, reach};

/// A rule (or `Default`) leading to a Pass of assignments takes them and goes on. Returns how
/// many were folded.
pub fn after_choices(machine: &mut StateMachine) -> usize {
    let lang = machine.query_language.unwrap_or(QueryLanguage::JsonPath);
    let unreached_before = reach::unreached(machine);
    let mut folded = 0;
    let choices: Vec<String> = machine
        .states
        .iter()
        .filter(|(_, s)| matches!(s, State::Choice(_)))
        .map(|(n, _)| n.clone())
        .collect();
    // Each fold moves one edge past a Pass (Choices are not made or removed here); a chain of
    // Passes takes one fold each. The bound only guards against a cycle of Passes.
    for name in choices {
        for _ in 0..machine.states.len() {
            let Some(State::Choice(c)) = machine.states.get(&name) else {
                break;
            };
            let Some(choice) = fold_after(&machine.states, c, lang) else {
                break;
            };
            machine.states.insert(name.clone(), State::Choice(choice));
            folded += 1;
        }
    }
    reach::remove_unreached(machine, &unreached_before);
    folded
}

/// `c` with its first edge to a Pass of assignments folded, if one can be.
fn fold_after(states: &States, c: &Choice, lang: QueryLanguage) -> Option<Choice> {
    if c.query_language.unwrap_or(lang) != QueryLanguage::Jsonata
        || c.io != Default::default()
        || c.choices.iter().any(|r| r.output.is_some())
    {
        return None;
    }
    let ends_with_true = c.choices.last().is_some_and(|r| {
        matches!(&r.test, Test::Condition(Value::String(t)) if jsonata::expression(t) == Some("true"))
    });
    let edges = (0..c.choices.len())
        .map(Some)
        .chain((!ends_with_true).then_some(None));
    for edge in edges {
        let target = match edge {
            Some(i) => &c.choices[i].next,
            None => c.default.as_ref()?,
        };
        let Some(State::Pass(p)) = states.get(target) else {
            continue;
        };
        let Some(assign) = plain_assigns(p, lang) else {
            continue;
        };
        let Some(next) = p.next.clone() else { continue };
        if jsonata::is_volatile(&Value::Object(assign.clone())) {
            continue;
        }
        let mut out = c.clone();
        match edge {
            Some(i) => {
                let rule = &mut out.choices[i];
                let mut merged = match &rule.assign {
                    None => Map::new(),
                    Some(Value::Object(m)) => m.clone(),
                    Some(_) => continue,
                };
                let set: BTreeSet<String> = merged.keys().cloned().collect();
                if !jsonata::reads(&Value::Object(assign.clone())).is_disjoint(&set) {
                    continue;
                }
                merged.extend(assign);
                rule.assign = (!merged.is_empty()).then_some(Value::Object(merged));
                rule.next = next;
            }
            None => {
                out.choices.push(ChoiceRule {
                    comment: p.comment.clone(),
                    test: Test::Condition(jsonata::template("true")),
                    assign: (!assign.is_empty()).then_some(Value::Object(assign)),
                    output: None,
                    next: next.clone(),
                });
                out.default = Some(next);
            }
        }
        return Some(out);
    }
    None
}

/// The `Assign` of a JSONata Pass that does nothing else (its output is its input).
fn plain_assigns(p: &Pass, lang: QueryLanguage) -> Option<Map<String, Value>> {
    let plain = Pass {
        comment: p.comment.clone(),
        io: switchboard_asl::Io {
            assign: p.io.assign.clone(),
            ..Default::default()
        },
        next: p.next.clone(),
        query_language: p.query_language,
        ..Default::default()
    };
    if *p != plain || p.query_language.unwrap_or(lang) != QueryLanguage::Jsonata {
        return None;
    }
    match &p.io.assign {
        Some(Value::Object(m)) => Some(m.clone()),
        None => Some(Map::new()),
        Some(_) => None,
    }
}

/// A Pass of assignments before a Choice nothing else reaches becomes that Choice. Returns how
/// many were folded.
pub fn before_choices(machine: &mut StateMachine) -> usize {
    let lang = machine.query_language.unwrap_or(QueryLanguage::JsonPath);
    let mut folded = 0;
    for _ in 0..machine.states.len() {
        let Some((pass, choice, fused)) = find(machine, lang) else {
            break;
        };
        // The folded Choice takes the Pass's place.
        machine.states.swap_remove(&choice);
        reach::replace(
            &mut machine.states,
            &pass,
            choice.clone(),
            State::Choice(fused),
        );
        if machine.start_at == pass {
            machine.start_at = choice.clone();
        }
        for state in machine.states.values_mut() {
            for (_, t) in state.successors_mut() {
                if *t == pass {
                    *t = choice.clone();
                }
            }
        }
        folded += 1;
    }
    folded
}

/// The first Pass that can be folded: its name, its Choice's, and the folded Choice.
fn find(machine: &StateMachine, lang: QueryLanguage) -> Option<(String, String, Choice)> {
    for (name, state) in &machine.states {
        let State::Pass(p) = state else { continue };
        let Some(next) = p.next.as_deref() else {
            continue;
        };
        let Some(State::Choice(c)) = machine.states.get(next) else {
            continue;
        };
        let others = machine
            .states
            .iter()
            .filter(|(n, _)| *n != name)
            .any(|(_, s)| s.successors().any(|e| e.target == next));
        if others || machine.start_at == next || next == name {
            continue;
        }
        if let Some(fused) = fold(p, c, lang) {
            return Some((name.clone(), next.to_owned(), fused));
        }
    }
    None
}

fn fold(p: &Pass, c: &Choice, lang: QueryLanguage) -> Option<Choice> {
    if c.query_language.unwrap_or(lang) != QueryLanguage::Jsonata || c.io != Default::default() {
        return None;
    }
    let assign = plain_assigns(p, lang)?;
    let whole = Value::Object(assign.clone());
    if jsonata::is_volatile(&whole) {
        return None;
    }
    let vars: BTreeSet<String> = assign.keys().cloned().collect();
    let mut bindings = Vec::new();
    for (var, v) in &assign {
        let reads = jsonata::reads(v);
        if vars.iter().any(|o| o != var && reads.contains(o)) {
            return None;
        }
        bindings.push((var.clone(), jsonata::value_expression(v)?));
    }
    let mut out = c.clone();
    for rule in &mut out.choices {
        let Test::Condition(Value::String(text)) = &rule.test else {
            return None;
        };
        let cond = jsonata::expression(text)?;
        if rule.output.is_some() {
            return None;
        }
        let need = jsonata::needed(&bindings, &Value::String(text.clone()));
        if !need.is_empty() {
            rule.test = Test::Condition(jsonata::template(&jsonata::bind(&need, cond)));
        }
        let own = match &rule.assign {
            None => Map::new(),
            Some(v @ Value::Object(_)) => match jsonata::bind_value(&bindings, v)? {
                Value::Object(m) => m,
                _ => return None,
            },
            Some(_) => return None,
        };
        if own.keys().any(|k| vars.contains(k)) {
            return None;
        }
        rule.assign = with(&assign, own);
    }
    if let Some(default) = c.default.as_ref().filter(|_| !assign.is_empty()) {
        out.choices.push(ChoiceRule {
            comment: Some("otherwise".into()),
            test: Test::Condition(jsonata::template("true")),
            assign: with(&assign, Map::new()),
            output: None,
            next: default.clone(),
        });
    }
    out.comment = match (&c.comment, &p.comment) {
        (Some(x), Some(y)) => Some(format!("{x} · {y}")),
        (x, y) => x.clone().or(y.clone()),
    };
    Some(out)
}

/// `first`'s assignments, then `then`'s; `None` when there are none.
fn with(first: &Map<String, Value>, then: Map<String, Value>) -> Option<Value> {
    let mut m = first.clone();
    m.extend(then);
    (!m.is_empty()).then_some(Value::Object(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::testing::{machine, same_behaviour};
    use serde_json::json;

    /// Both folds.
    fn run(m: &mut StateMachine) -> usize {
        after_choices(m) + before_choices(m)
    }

    /// `Start` keeps `x` and `y` from the input (as a flow's start keeps the call), then
    /// `Decide`; `A`, `B`, `C` end with their name and the variables.
    fn def(start_assign: Value, decide: Value) -> Value {
        let mut states = json!({
            "Start": {"Type": "Pass", "Comment": "f.rs:1 — the call starts",
                "Assign": start_assign, "Next": "Decide"},
            "Decide": decide,
        });
        for end in ["A", "B", "C"] {
            states[end] = json!({"Type": "Pass",
                "Output": format!("{{% \"{end}\" & $string($x) & $string($y) %}}"), "End": true});
        }
        json!({"QueryLanguage": "JSONata", "StartAt": "Start", "States": states})
    }

    fn inputs() -> Vec<Value> {
        [(0, "a"), (1, "a"), (1, "b"), (2, "b")]
            .iter()
            .map(|(x, y)| json!({"x": x, "y": y}))
            .collect()
    }

    fn folded(d: Value) -> (StateMachine, usize) {
        let before = machine(d);
        let mut after = before.clone();
        let n = run(&mut after);
        assert_eq!(switchboard_asl::graph::check(&after), vec![], "{after:#?}");
        same_behaviour(&before, &after, &inputs());
        (after, n)
    }

    fn keep() -> Value {
        json!({"x": "{% $states.input.x %}", "y": "{% {\"v\": $states.input.y}.v %}"})
    }

    #[test]
    fn the_start_folds_into_the_first_decision() {
        let (m, n) = folded(def(
            keep(),
            json!({"Type": "Choice", "Comment": "f.rs:2 — if", "Choices": [
                {"Condition": "{% $x = 1 and $y = \"a\" %}", "Next": "A",
                    "Assign": {"z": "{% $x + 1 %}"}},
                {"Condition": "{% $x = 2 %}", "Next": "B"}],
                "Default": "C"}),
        ));
        assert_eq!(n, 1);
        assert_eq!(m.start_at, "Decide");
        assert!(!m.states.contains_key("Start"));
        let State::Choice(c) = &m.states["Decide"] else {
            panic!()
        };
        assert_eq!(c.choices.len(), 3);
        assert_eq!(
            c.choices[0].test,
            Test::Condition(json!(
                "{% ($x := ($states.input.x); $y := ({\"v\": $states.input.y}.v); ($x = 1 and $y = \"a\")) %}"
            ))
        );
        assert_eq!(
            c.choices[0].assign.as_ref().unwrap()["z"],
            json!("{% ($x := ($states.input.x); ($x + 1)) %}")
        );
        assert_eq!(c.choices[2].next, "C");
        assert_eq!(c.default.as_deref(), Some("C"));
        assert_eq!(
            c.comment.as_deref(),
            Some("f.rs:2 — if · f.rs:1 — the call starts")
        );
    }

    #[test]
    fn without_the_bindings_the_check_sees_the_difference() {
        let d = def(
            keep(),
            json!({"Type": "Choice", "Choices": [
                {"Condition": "{% $x = 1 %}", "Next": "A"}, {"Condition": "{% $x = 2 %}", "Next": "B"}],
                "Default": "C"}),
        );
        let before = machine(d.clone());
        let mut wrong = before.clone();
        run(&mut wrong);
        if let State::Choice(c) = &mut wrong.states["Decide"] {
            c.choices[0].test = Test::Condition(json!("{% $x = 1 %}"));
        }
        let r = std::panic::catch_unwind(|| same_behaviour(&before, &wrong, &inputs()));
        assert!(r.is_err());
    }

    #[test]
    fn a_pass_listed_last_after_its_choice() {
        // The Choice comes first in `States`, the Pass last: the fold must not index past the
        // end. `Go` assigns nothing: folding it only removes it.
        let d = json!({"QueryLanguage": "JSONata", "StartAt": "Go", "States": {
            "Go": {"Type": "Pass", "Next": "Start"},
            "Decide": {"Type": "Choice", "Choices": [
                {"Condition": "{% $x = 1 %}", "Next": "A"}], "Default": "B"},
            "A": {"Type": "Succeed"}, "B": {"Type": "Succeed"},
            "Start": {"Type": "Pass", "Assign": {"x": "{% $states.input.x %}"}, "Next": "Decide"}}});
        let (m, n) = folded(d);
        assert_eq!(n, 2);
        let mut names: Vec<&str> = m.states.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["A", "B", "Decide"]);
        let State::Choice(c) = &m.states["Decide"] else {
            panic!()
        };
        assert_eq!(
            c.choices.len(),
            2,
            "one `true` rule, for Start's assignment"
        );
    }

    /// `Start` (kept apart: it goes to `Go` first), then `Decide`, whose rules or Default lead to
    /// `SetZ` (a Pass of assignments) on the way to `A`.
    fn after(decide: Value, set_z: Value) -> Value {
        let mut d = def(keep(), decide);
        d["States"]["Start"]["Next"] = json!("Go");
        d["States"]["Go"] = json!({"Type": "Wait", "Seconds": 1, "Next": "Decide"});
        d["States"]["SetZ"] = json!({"Type": "Pass", "Comment": "f.rs:7 — assign variables",
            "Assign": set_z, "Next": "A"});
        d["States"]["A"] = json!({"Type": "Pass",
            "Output": "{% \"A\" & $string($z) & $string($w) %}", "End": true});
        d
    }

    #[test]
    fn a_rule_or_default_takes_the_assignments_of_the_pass_it_leads_to() {
        let (m, n) = folded(after(
            json!({"Type": "Choice", "Choices": [
                {"Condition": "{% $x = 1 %}", "Next": "SetZ", "Assign": {"w": 1}},
                {"Condition": "{% $x = 2 %}", "Next": "B"},
                {"Condition": "{% $x = 3 %}", "Next": "C"}], "Default": "SetZ"}),
            json!({"z": "{% $x + 1 %}", "w": 2}),
        ));
        assert_eq!(n, 2);
        assert!(!m.states.contains_key("SetZ"));
        let State::Choice(c) = &m.states["Decide"] else {
            panic!()
        };
        assert_eq!(
            c.choices[0].assign,
            Some(json!({"w": 2, "z": "{% $x + 1 %}"}))
        );
        assert_eq!(c.choices[3].test, Test::Condition(json!("{% true %}")));
        assert_eq!(c.choices[3].next, "A");
        assert_eq!(c.default.as_deref(), Some("A"));
    }

    #[test]
    fn a_pass_reading_what_the_rule_assigns_or_the_clock_stays() {
        let decide = json!({"Type": "Choice", "Choices": [
            {"Condition": "{% $x = 1 %}", "Next": "SetZ", "Assign": {"w": 1}},
            {"Condition": "{% $x = 2 %}", "Next": "B"}], "Default": "C"});
        assert_eq!(
            folded(after(decide.clone(), json!({"z": "{% $w + 1 %}"}))).1,
            0
        );
        assert_eq!(folded(after(decide, json!({"z": "{% $millis() %}"}))).1, 0);
    }

    #[test]
    fn what_must_not_be_folded() {
        let choice = json!({"Type": "Choice", "Choices": [
            {"Condition": "{% $x = 1 %}", "Next": "A"}, {"Condition": "{% $x = 2 %}", "Next": "C"}],
            "Default": "B"});
        // The clock, or a value reading another assigned variable.
        for assign in [
            json!({"x": "{% $millis() %}", "y": 1}),
            json!({"x": "{% $states.input.x %}", "y": "{% $x %}"}),
        ] {
            assert_eq!(folded(def(assign, choice.clone())).1, 0);
        }
        // A rule assigning one of the Pass's variables, a Choice-level Assign, a rule Output.
        for bad in [
            json!({"Type": "Choice", "Choices": [
                {"Condition": "{% $x = 1 %}", "Next": "A", "Assign": {"y": 3}},
                {"Condition": "{% $x = 2 %}", "Next": "C"}], "Default": "B"}),
            json!({"Type": "Choice", "Assign": {"z": 1}, "Choices": [
                {"Condition": "{% $x = 1 %}", "Next": "A"},
                {"Condition": "{% $x = 2 %}", "Next": "C"}], "Default": "B"}),
            json!({"Type": "Choice", "Choices": [
                {"Condition": "{% $x = 1 %}", "Next": "A", "Output": 1},
                {"Condition": "{% $x = 2 %}", "Next": "C"}], "Default": "B"}),
        ] {
            assert_eq!(folded(def(keep(), bad)).1, 0);
        }
        // A Pass that does more than assign.
        let mut d = def(keep(), choice.clone());
        d["States"]["Start"]["Output"] = json!({"o": 1});
        assert_eq!(folded(d).1, 0);
        // A Choice something else goes to.
        let mut d = def(keep(), choice);
        d["States"]["A"] = json!({"Type": "Pass", "Next": "Decide"});
        d["States"]["Decide"]["Choices"][0]["Next"] = json!("B");
        d["States"]["Decide"]["Choices"][0]["Condition"] = json!("{% $x = 3 %}");
        assert_eq!(run(&mut machine(d)), 0);
    }
}
