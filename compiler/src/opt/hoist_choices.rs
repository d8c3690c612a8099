//! Moves a decision above the Task before it, so it can join the decision before that.
//!
//! Plain code decides, acts, then decides again:
//!
//! ```text
//! match key { "3" => { delete_message(…); if last { …; break; } i += 1; } … }
//! ```
//!
//! Lowered, that is Choice (`key`) → Task (delete) → Choice (`last`): two decisions a Task
//! apart, which [`super::fuse_choices`] cannot join. When the second decision does not depend on
//! the Task (it reads nothing the Task assigns, and not its result), it can be taken before the
//! Task instead: Choice (`last`) → a copy of the Task per outcome, each going where that
//! outcome went and assigning what that rule assigned. The two Choices are then next to each
//! other and fuse: the call takes one decision and one Task where it took two decisions.
//!
//! What must hold, so that deciding earlier changes nothing:
//! - the Task is reached only from one Choice's rule or `Default` (so the hoisted Choice
//!   always fuses, and nothing else sees the copies), and goes on to the Choice;
//! - the Choice's conditions cannot fail and are booleans whatever the values
//!   ([`jsonata::cannot_fail`], [`jsonata::is_boolean`]): evaluated before the Task, an error
//!   would otherwise stop the execution where the Task's effect (a DynamoDB write) used to
//!   happen first; they read no clock, no `$states` (the input is no longer the Task's
//!   result) and nothing the Task assigns;
//! - the Choice has a `Default`, no state-level `Assign`/`Output`/paths and no rule `Output`;
//!   its rules' `Assign`s go onto the copies, after the Task's own (a Task's `Assign` is
//!   evaluated once it succeeds, against the values from before it, as the Choice's rules were
//!   evaluated right after: <https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html>),
//!   and read nothing the Task assigns.
//!
//! A failure of a copy goes where the Task's went, with no rule's assignment made: as before,
//! when the Choice was never reached.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use switchboard_asl::{Choice, QueryLanguage, State, StateMachine, States, Task, Test};

use super::{jsonata, reach};

/// Hoists every Choice that can be hoisted above the Task before it. Returns how many.
pub fn run(machine: &mut StateMachine) -> usize {
    let lang = machine.query_language.unwrap_or(QueryLanguage::JsonPath);
    let booleans = jsonata::boolean_vars(&machine.states);
    let unreached_before = reach::unreached(machine);
    let mut hoisted = 0;
    // Each hoist leaves a Choice next to the Choice before it, for `fuse_choices`; the bound
    // keeps copies of copies in check.
    for _ in 0..machine.states.len() {
        let Some(plan) = find(machine, lang, &booleans) else {
            break;
        };
        apply(machine, plan);
        hoisted += 1;
        reach::remove_unreached(machine, &unreached_before);
    }
    hoisted
}

struct Plan {
    /// The Choice whose transition led to the Task, and which one.
    from: String,
    task: String,
    choice: String,
}

fn find(machine: &StateMachine, lang: QueryLanguage, booleans: &BTreeSet<String>) -> Option<Plan> {
    for (task_name, state) in &machine.states {
        let State::Task(t) = state else { continue };
        let Some(choice_name) = t.next.as_deref() else {
            continue;
        };
        let Some(State::Choice(c)) = machine.states.get(choice_name) else {
            continue;
        };
        // Exactly one way in, from a Choice's rule or Default.
        let mut ways_in = machine.states.iter().flat_map(|(name, s)| {
            s.successors()
                .filter(|e| e.target == task_name)
                .map(move |e| (name, s, e.kind))
        });
        let (Some((from, State::Choice(_), kind)), None) = (ways_in.next(), ways_in.next()) else {
            continue;
        };
        if kind.is_catch() || machine.start_at == *task_name || from == task_name {
            continue;
        }
        if hoistable(t, c, lang, booleans) {
            return Some(Plan {
                from: from.clone(),
                task: task_name.clone(),
                choice: choice_name.to_owned(),
            });
        }
    }
    None
}

fn hoistable(t: &Task, c: &Choice, lang: QueryLanguage, booleans: &BTreeSet<String>) -> bool {
    if c.query_language.unwrap_or(lang) != QueryLanguage::Jsonata
        || c.io != Default::default()
        || c.default.is_none()
        || t.end.is_some()
        || t.io.output.is_some()
        || t.io.output_path.is_some()
        || t.result_path.is_some()
    {
        return false;
    }
    let task_sets: BTreeSet<String> = match &t.io.assign {
        None => BTreeSet::new(),
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        Some(_) => return false,
    };
    c.choices.iter().all(|r| {
        let Test::Condition(Value::String(text)) = &r.test else {
            return false;
        };
        let Some(cond) = jsonata::expression(text) else {
            return false;
        };
        let reads_of = |v: &Value| jsonata::reads(v);
        let mut reads = reads_of(&Value::String(text.clone()));
        if let Some(a) = &r.assign {
            if !a.is_object() {
                return false;
            }
            reads.extend(reads_of(a));
        }
        r.output.is_none()
            && jsonata::cannot_fail(cond)
            && jsonata::is_boolean(cond, booleans)
            && !jsonata::is_volatile(&Value::String(text.clone()))
            && !reads.contains("states")
            && reads.is_disjoint(&task_sets)
    })
}

fn apply(machine: &mut StateMachine, plan: Plan) {
    let (Some(State::Task(task)), Some(State::Choice(choice))) = (
        machine.states.get(&plan.task).cloned(),
        machine.states.get(&plan.choice).cloned(),
    ) else {
        return;
    };
    let mut hoisted = choice.clone();
    let mut copies = Vec::new();
    let mut copy_of = |next: &str, rule_assign: Option<&Value>| {
        let mut t = task.clone();
        t.next = Some(next.to_owned());
        let mut assign = match &task.io.assign {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        if let Some(Value::Object(m)) = rule_assign {
            assign.extend(m.clone());
        }
        t.io.assign = (!assign.is_empty()).then_some(Value::Object(assign));
        copies.push(t);
        copies.len() - 1
    };
    let mut targets = Vec::new();
    for rule in &mut hoisted.choices {
        targets.push(copy_of(&rule.next, rule.assign.as_ref()));
        rule.assign = None;
    }
    // After a `{% true %}` rule `Default` is never taken: it shares that rule's copy.
    let ends_with_true = choice.choices.last().is_some_and(|r| {
        matches!(&r.test, Test::Condition(Value::String(t)) if jsonata::expression(t) == Some("true"))
    });
    let default_copy = match targets.last() {
        Some(last) if ends_with_true => *last,
        _ => copy_of(&choice.default.clone().unwrap_or_default(), None),
    };
    // Names: the Task's own for the first copy, numbered after that; the hoisted Choice keeps
    // the Choice's name, numbered. They take the Task's place in the reading order.
    let at = machine.states.get_index_of(&plan.task).unwrap_or(0);
    machine.states.shift_remove(&plan.task);
    let mut names = Vec::new();
    for (i, t) in copies.into_iter().enumerate() {
        let name = fresh(&machine.states, &plan.task, i);
        let index = (at + 1 + i).min(machine.states.len());
        machine
            .states
            .shift_insert(index, name.clone(), State::Task(t));
        names.push(name);
    }
    for (rule, i) in hoisted.choices.iter_mut().zip(&targets) {
        rule.next = names[*i].clone();
    }
    hoisted.default = Some(names[default_copy].clone());
    let choice_name = fresh(&machine.states, &plan.choice, 1);
    machine.states.shift_insert(
        at.min(machine.states.len()),
        choice_name.clone(),
        State::Choice(hoisted),
    );
    if let Some(from) = machine.states.get_mut(&plan.from) {
        for (_, t) in from.successors_mut() {
            if *t == plan.task {
                *t = choice_name.clone();
            }
        }
    }
}

/// `base` if free and `n` is 0, else `base (k)` with the first free `k` from 2 (a `base` that
/// is itself numbered is numbered anew, not twice).
fn fresh(states: &States, base: &str, n: usize) -> String {
    if n == 0 && !states.contains_key(base) {
        return base.to_owned();
    }
    let base = match base.rsplit_once(" (") {
        Some((stem, k)) if k.ends_with(')') && k[..k.len() - 1].parse::<u32>().is_ok() => stem,
        _ => base,
    };
    let max = switchboard_asl::graph::MAX_STATE_NAME_CHARS;
    (2..)
        .map(|k| {
            let suffix = format!(" ({k})");
            let room = max - suffix.chars().count();
            let stem: String = if base.chars().count() > room {
                let mut s: String = base.chars().take(room - 1).collect();
                s.push('…');
                s
            } else {
                base.to_owned()
            };
            format!("{stem}{suffix}")
        })
        .find(|name| !states.contains_key(name))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::fuse_choices;
    use crate::opt::testing::{machine, same_behaviour};
    use serde_json::json;

    /// `Read` sets `k`, `i` and the boolean `last` from the input; `First` decides on `k`; on "3"
    /// `Send` (an effect: a message to the input's queue) then `Last` decides on `last`.
    fn def(last: Value, send: Value) -> Value {
        let mut d = json!({"QueryLanguage": "JSONata", "StartAt": "Read", "States": {
            "Read": {"Type": "Pass", "Assign": {"k": "{% $states.input.k %}",
                "i": "{% $states.input.i %}", "last": "{% $states.input.i = 2 %}"},
                "Next": "First"},
            "First": {"Type": "Choice", "Choices": [
                {"Condition": "{% $k = \"3\" %}", "Next": "Send"}], "Default": "B"},
            "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                "Arguments": {"QueueUrl": "{% $states.input.q %}", "MessageBody": "{% $i %}"},
                "Next": "Last"},
            "Last": last,
            "A": {"Type": "Pass", "Output": "{% \"A\" & $string($i) %}", "End": true},
            "B": {"Type": "Pass", "Output": "{% \"B\" & $string($i) %}", "End": true}}});
        if let Value::Object(extra) = send {
            d["States"]["Send"].as_object_mut().unwrap().extend(extra);
        }
        d
    }

    fn last(cond: &str) -> Value {
        json!({"Type": "Choice", "Comment": "f.rs:9 — if", "Choices": [
            {"Condition": format!("{{% {cond} %}}"), "Next": "A", "Assign": {"i": "{% $i + 10 %}"}}],
            "Default": "B"})
    }

    fn inputs() -> Vec<Value> {
        let mut v = Vec::new();
        for k in ["3", "1"] {
            for i in [1, 2] {
                v.push(json!({"k": k, "i": i}));
            }
        }
        v
    }

    /// Hoists, fuses, checks behaviour and graph; returns the machine and the hoists made.
    fn hoisted(d: Value) -> (StateMachine, usize) {
        let before = machine(d);
        let mut after = before.clone();
        let n = run(&mut after);
        fuse_choices::run(&mut after);
        assert_eq!(switchboard_asl::graph::check(&after), vec![], "{after:#?}");
        same_behaviour(&before, &after, &inputs());
        (after, n)
    }

    #[test]
    fn a_decision_after_an_effect_joins_the_decision_before_it() {
        let (m, n) = hoisted(def(last("$last"), json!(null)));
        assert_eq!(n, 1);
        let State::Choice(first) = &m.states["First"] else {
            panic!()
        };
        let conds: Vec<&Value> = first
            .choices
            .iter()
            .map(|r| match &r.test {
                Test::Condition(c) => c,
                _ => panic!(),
            })
            .collect();
        assert_eq!(
            conds,
            [
                &json!("{% ($k = \"3\") and ($last) %}"),
                &json!("{% $k = \"3\" %}")
            ]
        );
        // The effect happens on both ways, the rule's assignment rides on its copy.
        let State::Task(send) = &m.states[&first.choices[0].next] else {
            panic!()
        };
        assert_eq!(send.io.assign, Some(json!({"i": "{% $i + 10 %}"})));
        assert_eq!(send.next.as_deref(), Some("A"));
    }

    #[test]
    fn what_must_not_be_hoisted() {
        // A condition that may fail (an order comparison: undefined, or an error on a string),
        // one on the clock, one reading the input (the Task's result), one reading what the
        // Task assigns, and a Choice without Default.
        for cond in ["$i > 1", "$millis() > 0", "$states.input.x = 1"] {
            assert_eq!(hoisted(def(last(cond), json!(null))).1, 0, "{cond}");
        }
        assert_eq!(
            hoisted(def(
                last("$last"),
                json!({"Assign": {"last": "{% $i = 1 %}"}})
            ))
            .1,
            0
        );
        let mut no_default = last("$last");
        no_default.as_object_mut().unwrap().remove("Default");
        no_default["Choices"]
            .as_array_mut()
            .unwrap()
            .push(json!({"Condition": "{% $not($last) %}", "Next": "B"}));
        assert_eq!(hoisted(def(no_default, json!(null))).1, 0);
    }

    #[test]
    fn a_task_reached_two_ways_stays_where_it_is() {
        let mut d = def(last("$last"), json!(null));
        d["States"]["First"]["Choices"]
            .as_array_mut()
            .unwrap()
            .push(json!({"Condition": "{% $k = \"1\" %}", "Next": "Send"}));
        assert_eq!(hoisted(d).1, 0);
    }

    #[test]
    fn hoisting_over_an_assignment_it_reads_is_seen_by_the_check() {
        // By hand: `Last` moved above a `Send` that sets `last`. The comparison must catch it.
        let d = def(last("$last"), json!({"Assign": {"last": "{% $i = 1 %}"}}));
        let before = machine(d.clone());
        let mut wrong = d;
        wrong["States"]["First"]["Choices"][0]["Next"] = json!("Last");
        wrong["States"]["Last"]["Choices"][0]["Next"] = json!("SendA");
        wrong["States"]["Last"]["Choices"][0]
            .as_object_mut()
            .unwrap()
            .remove("Assign");
        wrong["States"]["Last"]["Default"] = json!("Send");
        let mut send_a = wrong["States"]["Send"].clone();
        send_a["Next"] = json!("A");
        send_a["Assign"]["i"] = json!("{% $i + 10 %}");
        wrong["States"]["SendA"] = send_a;
        wrong["States"]["Send"]["Next"] = json!("B");
        let wrong = machine(wrong);
        let r = std::panic::catch_unwind(|| same_behaviour(&before, &wrong, &inputs()));
        assert!(r.is_err());
    }
}
