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

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};
use switchboard_asl::{Choice, QueryLanguage, State, StateMachine, Task, Test};

use super::jsonata::{self, Conditions};
use super::reach;

/// Hoists every Choice that can be hoisted above the Task before it. Returns how many.
pub fn run(machine: &mut StateMachine, conditions: &mut Conditions) -> usize {
    let lang = machine.query_language.unwrap_or(QueryLanguage::JsonPath);
    let unreached_before = reach::unreached(machine);
    // What each Choice reads, if it may be decided earlier: Choices are never changed here
    // (a hoisted one is a new state), so this holds for the whole pass.
    let mut choices: HashMap<String, Option<BTreeSet<String>>> = HashMap::new();
    let mut names = reach::Names::default();
    // The Choice each Task is reached from, when every way into it comes from that one
    // Choice (its rules or Default, no catcher): worked out once, then kept up to date: a
    // hoist's copies are reached from the hoisted Choice only, and what the Choice's outcomes
    // lead to is then reached from the copies too.
    let mut only_from: HashMap<String, String> = HashMap::new();
    for (task, ways) in reach::predecessors(&machine.states) {
        let from = &ways[0].0;
        if ways.iter().all(|(f, k)| f == from && !k.is_catch())
            && matches!(machine.states.get(from), Some(State::Choice(_)))
            && matches!(machine.states.get(&task), Some(State::Task(_)))
            && task != machine.start_at
        {
            only_from.insert(task, from.clone());
        }
    }
    let mut work: Vec<String> = machine
        .states
        .keys()
        .rev()
        .filter(|n| only_from.contains_key(*n))
        .cloned()
        .collect();
    let mut hoisted = 0;
    // A hoist's copies are worked on next (a chain of decisions and Tasks is hoisted all the
    // way up); the bound keeps copies of copies in check.
    let mut budget = machine.states.len();
    while let Some(task) = work.pop() {
        if budget == 0 {
            break;
        }
        let Some(from) = only_from.get(&task).cloned() else {
            continue;
        };
        let Some(plan) = plan(machine, from, &task, lang, conditions, &mut choices) else {
            continue;
        };
        let (hoisted_choice, copies) = apply(machine, plan, &mut names);
        // The names may be ones removed before: forget what was known of those.
        choices.remove(&hoisted_choice);
        // Where the Choice's outcomes go is now also reached from the copies (Tasks).
        for copy in &copies {
            if let Some(State::Task(t)) = machine.states.get(copy) {
                if let Some(next) = &t.next {
                    only_from.remove(next);
                }
            }
        }
        for copy in copies.iter().rev() {
            choices.remove(copy);
            only_from.insert(copy.clone(), hoisted_choice.clone());
            work.push(copy.clone());
        }
        hoisted += 1;
        budget -= 1;
    }
    reach::remove_unreached(machine, &unreached_before);
    hoisted
}

struct Plan {
    /// The Choice whose transitions lead to the Task, and only they.
    from: String,
    task: String,
    choice: String,
}

fn plan(
    machine: &StateMachine,
    from: String,
    task_name: &str,
    lang: QueryLanguage,
    conditions: &mut Conditions,
    choices: &mut HashMap<String, Option<BTreeSet<String>>>,
) -> Option<Plan> {
    let State::Task(t) = machine.states.get(task_name)? else {
        return None;
    };
    let choice_name = t.next.as_deref()?;
    let State::Choice(c) = machine.states.get(choice_name)? else {
        return None;
    };
    if from == task_name
        || from == choice_name
        || !matches!(machine.states.get(&from), Some(State::Choice(_)))
        || !hoistable(t, choice_name, c, lang, conditions, choices)
    {
        return None;
    }
    Some(Plan {
        from,
        task: task_name.to_owned(),
        choice: choice_name.to_owned(),
    })
}

fn hoistable(
    t: &Task,
    choice_name: &str,
    c: &Choice,
    lang: QueryLanguage,
    conditions: &mut Conditions,
    choices: &mut HashMap<String, Option<BTreeSet<String>>>,
) -> bool {
    if t.end.is_some()
        || t.io.output.is_some()
        || t.io.output_path.is_some()
        || t.result_path.is_some()
    {
        return false;
    }
    let reads = choices
        .entry(choice_name.to_owned())
        .or_insert_with(|| choice_reads(c, lang, conditions));
    let Some(reads) = reads else {
        return false;
    };
    match &t.io.assign {
        None => true,
        Some(Value::Object(m)) => m.keys().all(|k| !reads.contains(k)),
        Some(_) => false,
    }
}

/// What a Choice that may be decided earlier reads (its conditions and rule `Assign`s); `None`
/// when it may not: a condition that can fail, is not a boolean, reads the clock or `$states`,
/// a rule with `Output` or an `Assign` that is no object, no `Default`, state-level fields.
fn choice_reads(
    c: &Choice,
    lang: QueryLanguage,
    conditions: &mut Conditions,
) -> Option<BTreeSet<String>> {
    if c.query_language.unwrap_or(lang) != QueryLanguage::Jsonata
        || c.io != Default::default()
        || c.default.is_none()
    {
        return None;
    }
    let mut reads = BTreeSet::new();
    for r in &c.choices {
        let Test::Condition(Value::String(text)) = &r.test else {
            return None;
        };
        let cond = jsonata::expression(text)?;
        let text = Value::String(text.clone());
        if r.output.is_some()
            || r.assign.as_ref().is_some_and(|a| !a.is_object())
            || jsonata::is_volatile(&text)
            || !conditions.cannot_fail(cond)
            || !conditions.is_boolean(cond)
        {
            return None;
        }
        reads.extend(jsonata::reads(&text));
        if let Some(a) = &r.assign {
            reads.extend(jsonata::reads(a));
        }
    }
    (!reads.contains("states")).then_some(reads)
}

/// Makes the hoist; returns the hoisted Choice's name and its copies of the Task.
fn apply(
    machine: &mut StateMachine,
    plan: Plan,
    namer: &mut reach::Names,
) -> (String, Vec<String>) {
    let (Some(State::Task(task)), Some(State::Choice(choice))) = (
        machine.states.get(&plan.task).cloned(),
        machine.states.get(&plan.choice).cloned(),
    ) else {
        return (String::new(), Vec::new());
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
    // the Choice's name, numbered, and takes the Task's place; the copies go after.
    let mut names = vec![plan.task.clone()];
    for _ in 1..copies.len() {
        names.push(namer.fresh(&machine.states, &plan.task));
    }
    for (rule, i) in hoisted.choices.iter_mut().zip(&targets) {
        rule.next = names[*i].clone();
    }
    hoisted.default = Some(names[default_copy].clone());
    let choice_name = namer.fresh(&machine.states, &plan.choice);
    reach::replace(
        &mut machine.states,
        &plan.task,
        choice_name.clone(),
        State::Choice(hoisted),
    );
    for (name, t) in names.iter().zip(copies) {
        machine.states.insert(name.clone(), State::Task(t));
    }
    if let Some(from) = machine.states.get_mut(&plan.from) {
        for (_, t) in from.successors_mut() {
            if *t == plan.task {
                *t = choice_name.clone();
            }
        }
    }
    (choice_name, names)
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
        let mut conditions = Conditions::new(&after.states);
        let n = run(&mut after, &mut conditions);
        fuse_choices::run(&mut after, &mut conditions);
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
    fn a_task_reached_from_elsewhere_too_stays_where_it_is() {
        // Another state goes to `Send`: it would go to a copy that takes one outcome only.
        let mut d = def(last("$last"), json!(null));
        d["States"]["First"]["Choices"]
            .as_array_mut()
            .unwrap()
            .push(json!({"Condition": "{% $k = \"1\" %}", "Next": "Also"}));
        d["States"]["Also"] = json!({"Type": "Pass", "Next": "Send"});
        assert_eq!(hoisted(d.clone()).1, 0);
        // Two rules of the one Choice before it are one way in: both take the hoisted Choice.
        d["States"]["First"]["Choices"][1]["Next"] = json!("Send");
        d["States"].as_object_mut().unwrap().remove("Also");
        assert_eq!(hoisted(d).1, 1);
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

#[cfg(test)]
mod chain_tests {
    use super::*;
    use crate::opt::testing::{machine, same_behaviour};
    use serde_json::json;

    fn send(body: &str, next: &str) -> Value {
        json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
            "Arguments": {"QueueUrl": "{% $q %}", "MessageBody": body}, "Next": next})
    }

    #[test]
    fn a_task_after_a_hoisted_decision_is_reached_from_the_copies_too() {
        // First → Send → Last ($last) → SendTwo → Final ($other). Hoisting Last above Send
        // makes the copies of Send go to SendTwo: SendTwo is then reached from a Task, and
        // Final must not be hoisted above it as if Last were its only way in.
        let d = json!({"QueryLanguage": "JSONata", "StartAt": "Read", "States": {
            "Read": {"Type": "Pass", "Assign": {"k": "{% $states.input.k %}",
                "q": "{% $states.input.q %}",
                "last": "{% $states.input.i = 2 %}", "other": "{% $states.input.j = 1 %}"},
                "Next": "First"},
            "First": {"Type": "Choice", "Choices": [
                {"Condition": "{% $k = \"3\" %}", "Next": "Send"}], "Default": "B"},
            "Send": send("one", "Last"),
            "Last": {"Type": "Choice", "Choices": [{"Condition": "{% $last %}", "Next": "SendTwo"}],
                "Default": "A"},
            "SendTwo": send("two", "Final"),
            "Final": {"Type": "Choice", "Choices": [{"Condition": "{% $other %}", "Next": "A"}],
                "Default": "B"},
            "A": {"Type": "Pass", "Output": "A", "End": true},
            "B": {"Type": "Pass", "Output": "B", "End": true}}});
        let before = machine(d);
        let mut after = before.clone();
        let mut conditions = Conditions::new(&after.states);
        run(&mut after, &mut conditions);
        crate::opt::fuse_choices::run(&mut after, &mut conditions);
        let mut inputs = Vec::new();
        for k in ["3", "1"] {
            for i in [1, 2] {
                for j in [0, 1] {
                    inputs.push(json!({"k": k, "i": i, "j": j}));
                }
            }
        }
        same_behaviour(&before, &after, &inputs);
    }
}
