//! Puts what is said before a loop or a join into the same response as the prompt that follows.
//!
//! Lowering batches consecutive actions into one waiting Task (one round trip) only within a
//! straight line of statements. A `speak` before a `loop`, or at the end of a `match` arm that
//! joins the others before the next prompt, stays a Task of its own: the caller hears the
//! speech, the flow waits for PSTN audio to report it, and only then sends the prompt. Here a
//! waiting Task `A` that only talks (`Speak`, `PlayAudio`) and goes on to a waiting Task `B`
//! gets `B`'s actions after its own in a copy of `B` (`B` stays for the other ways into it): one
//! response, one round trip and one state transition fewer on that path, the caller hearing the
//! same things in the same order. PSTN audio runs a response's actions in order and reports
//! once, after the last (<https://docs.aws.amazon.com/chime-sdk/latest/dg/invoke-on-call-leg.html>),
//! at most 10 of them (`switchboard::pstn::limits::MAX_ACTIONS_PER_RESPONSE`).
//!
//! Between `A` and `B` there may be Choices whose outcome `A`'s own assignments decide (a
//! `while tries < 3` after `tries = 0`): they are evaluated here, with the few JSONata
//! operations [`jsonata::Parsed::eval_const`] knows, and skipped on that path.
//!
//! What must hold, so that the copy does what `A` then `B` did:
//! - `A` and `B` send to the same queue with the same attributes, and handle failures the same
//!   way (equal `Catch`, no `Retry`): a hang-up or failure during either part goes where it
//!   went; `B`'s `Catch` reads none of `A`'s variables, and nothing after a catcher reads them
//!   (on a failure, `A`'s assignments now never happen, where before they happened when the
//!   failure came after `A`'s part);
//! - `A`'s `Assign` does not read `$states` (its result is gone) nor the clock or a random
//!   source (it is now evaluated before the speech), and `B` does not read `$states.input`
//!   (`A`'s result was its input);
//! - `B`'s expressions that read a variable `A` assigns see `A`'s value through a local binding
//!   (`($i := ($i + 1); …)`, [`jsonata::bind`]); the copy's `Assign` is `A`'s then `B`'s.
//! - `TimeoutSeconds` is the sum of both.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde_json::{Map, Value};
use switchboard::pstn::{limits, Action};
use switchboard::wire;
use switchboard_asl::{Choice, IntOrExpr, State, StateMachine, States, Task};

use super::{jsonata, reach};

/// The most Choices followed from `A` to the prompt.
const MAX_CHOICE_HOPS: usize = 8;

/// Batches every speech-only Task into the waiting Task after it, where that means the same.
/// Returns how many were batched.
pub fn run(machine: &mut StateMachine) -> usize {
    let unreached_before = reach::unreached(machine);
    let mut batched = 0;
    // Rounds over the Tasks; each batch removes a Task. What the states after a catcher read
    // is kept for the round: a batch only ever takes reads away from what follows a state.
    for _ in 0..machine.states.len() {
        let mut reads = Reads::default();
        // Last first: a speech before a speech before a prompt is batched into the second's
        // batch, in one round.
        let tasks: Vec<String> = machine
            .states
            .iter()
            .rev()
            .filter(|(_, s)| matches!(s, State::Task(_)))
            .map(|(n, _)| n.clone())
            .collect();
        let mut round = 0;
        for a_name in tasks {
            let Some(State::Task(a)) = machine.states.get(&a_name) else {
                continue;
            };
            let Some(mut plan) = plan(&machine.states, &a_name, a, &mut reads) else {
                continue;
            };
            plan.name = fresh_name(&machine.states, &a_name, &plan.b);
            apply(machine, plan);
            round += 1;
        }
        // What only a batched Task went to is gone: the prompt it was batched into when
        // nothing else goes there, the Choices it skipped, and what only those went to.
        reach::remove_unreached(machine, &unreached_before);
        if round == 0 {
            break;
        }
        batched += round;
    }
    batched
}

/// One batch to make: `a` goes, `b` gets a copy `name` with `a`'s actions in front.
struct Plan {
    a: String,
    b: String,
    name: String,
    copy: Task,
}

/// The variables states may read, each state's worked out once; the Choices' conditions,
/// parsed once.
#[derive(Default)]
struct Reads {
    of_state: HashMap<String, BTreeSet<String>>,
    after: HashMap<String, BTreeSet<String>>,
    parsed: jsonata::Parsed,
}

impl Reads {
    /// Every variable the states reachable from `from` (it included) may read.
    fn after(&mut self, states: &States, from: &str) -> &BTreeSet<String> {
        if !self.after.contains_key(from) {
            let mut out = BTreeSet::new();
            let mut seen = HashSet::new();
            let mut todo = VecDeque::from([from.to_owned()]);
            while let Some(name) = todo.pop_front() {
                if !seen.insert(name.clone()) {
                    continue;
                }
                let Some(state) = states.get(&name) else {
                    continue;
                };
                let own = self.of_state.entry(name).or_insert_with(|| {
                    serde_json::to_value(state)
                        .map(|v| jsonata::reads(&v))
                        .unwrap_or_default()
                });
                out.extend(own.iter().cloned());
                todo.extend(state.successors().map(|e| e.target.to_owned()));
            }
            self.after.insert(from.to_owned(), out);
        }
        &self.after[from]
    }
}

fn plan(states: &States, a_name: &str, a: &Task, reads: &mut Reads) -> Option<Plan> {
    let a_actions = actions(a)?;
    if a_actions.is_empty()
        || !a_actions
            .iter()
            .all(|x| matches!(kind(x), Some(Action::SPEAK | Action::PLAY_AUDIO)))
        || !plain_task(a)
    {
        return None;
    }
    let a_assign = match &a.io.assign {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return None,
    };
    let a_assign_value = Value::Object(a_assign.clone());
    if jsonata::reads(&a_assign_value).contains("states") || jsonata::is_volatile(&a_assign_value) {
        return None;
    }
    // Follow the Choices `A`'s constants decide.
    let consts: Map<String, Value> = a_assign
        .iter()
        .filter(|(_, v)| match v {
            Value::String(s) => !s.contains("{%"),
            Value::Object(_) | Value::Array(_) => false,
            _ => true,
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut target = a.next.clone()?;
    let mut hops = 0;
    while let Some(State::Choice(c)) = states.get(&target) {
        if hops == MAX_CHOICE_HOPS {
            return None;
        }
        target = decide(c, &consts, &mut reads.parsed)?;
        hops += 1;
    }
    let State::Task(b) = states.get(&target)? else {
        return None;
    };
    let b_actions = actions(b)?;
    if target == a_name
        || !plain_task(b)
        || a.handlers != b.handlers
        || !a.handlers.retry.is_empty()
        || a.resource != b.resource
        || !same_queue_and_attributes(a, b)
        || a_actions.len() + b_actions.len() > limits::MAX_ACTIONS_PER_RESPONSE
    {
        return None;
    }
    if reads_input(b) {
        return None;
    }
    // `A`'s assignments as bindings `B` can read; none may read another (see `jsonata::bind`).
    let assigned: BTreeSet<String> = a_assign.keys().cloned().collect();
    let mut bindings = Vec::new();
    for (var, v) in &a_assign {
        let reads = jsonata::reads(v);
        if assigned.iter().any(|o| o != var && reads.contains(o)) {
            return None;
        }
        bindings.push((var.clone(), jsonata::value_expression(v)?));
    }
    // A failure now skips `A`'s assignments: nothing that handles one may read them.
    for c in &b.handlers.catch {
        let mut catcher = serde_json::to_value(c).ok()?;
        if let Value::Object(m) = &mut catcher {
            m.remove("Next");
        }
        if !jsonata::reads(&catcher).is_disjoint(&assigned)
            || !reads.after(states, &c.next).is_disjoint(&assigned)
        {
            return None;
        }
    }
    let mut copy = b.clone();
    let mut arguments = jsonata::bind_value(&bindings, b.arguments.as_ref()?)?;
    let list = arguments
        .pointer_mut("/MessageBody/Actions")?
        .as_array_mut()?;
    list.splice(0..0, a_actions.iter().cloned());
    copy.arguments = Some(arguments);
    let b_assign = match &b.io.assign {
        Some(v) => Some(jsonata::bind_value(&bindings, v)?),
        None => None,
    };
    let mut assign = a_assign;
    match b_assign {
        Some(Value::Object(m)) => assign.extend(m),
        None => {}
        Some(_) => return None,
    }
    copy.io.assign = (!assign.is_empty()).then_some(Value::Object(assign));
    copy.timeout_seconds = match (&a.timeout_seconds, &b.timeout_seconds) {
        (Some(IntOrExpr::Int(x)), Some(IntOrExpr::Int(y))) => Some(IntOrExpr::Int(x + y)),
        _ => return None,
    };
    copy.comment = match (&a.comment, &b.comment) {
        (Some(x), Some(y)) => Some(format!("{x} · {y}")),
        (x, y) => x.clone().or(y.clone()),
    };
    Some(Plan {
        a: a_name.to_owned(),
        b: target,
        name: String::new(),
        copy,
    })
}

/// A waiting Task that sends a PSTN audio response and keeps its data plain: the fields a
/// batch cannot carry over (`Output`, paths, `ResultSelector`, heartbeats, …) are absent.
fn plain_task(t: &Task) -> bool {
    t.resource == wire::RESOURCE_SEND_AND_WAIT
        && t.io.input_path.is_none()
        && t.io.output_path.is_none()
        && t.io.output.is_none()
        && t.parameters.is_none()
        && t.result_selector.is_none()
        && t.result_path.is_none()
        && t.credentials.is_none()
        && t.heartbeat_seconds.is_none()
        && t.heartbeat_seconds_path.is_none()
        && t.timeout_seconds_path.is_none()
        && t.end.is_none()
        && t.query_language.is_none()
}

/// The actions of a Task's PSTN audio response.
fn actions(t: &Task) -> Option<&Vec<Value>> {
    t.arguments
        .as_ref()?
        .pointer("/MessageBody/Actions")?
        .as_array()
}

fn kind(action: &Value) -> Option<&str> {
    action.get("Type")?.as_str()
}

/// Whether both Tasks send to the same queue with the same `SchemaVersion` and attributes: their
/// `Arguments` differ in the actions only.
fn same_queue_and_attributes(a: &Task, b: &Task) -> bool {
    let (Some(Value::Object(x)), Some(Value::Object(y))) = (&a.arguments, &b.arguments) else {
        return false;
    };
    let (Some(Value::Object(mx)), Some(Value::Object(my))) =
        (x.get("MessageBody"), y.get("MessageBody"))
    else {
        return false;
    };
    x.len() == y.len()
        && x.iter()
            .all(|(k, v)| k == "MessageBody" || y.get(k) == Some(v))
        && mx.len() == my.len()
        && mx
            .iter()
            .all(|(k, v)| k == "Actions" || my.get(k) == Some(v))
}

/// Whether any expression of the Task may read `$states.input`.
fn reads_input(t: &Task) -> bool {
    let mut found = false;
    let mut look =
        |v: &Value| jsonata::each_string(v, &mut |s| found |= s.contains("$states.input"));
    for v in [&t.arguments, &t.parameters, &t.io.assign, &t.io.output]
        .into_iter()
        .flatten()
    {
        look(v);
    }
    for c in &t.handlers.catch {
        for v in [&c.assign, &c.output].into_iter().flatten() {
            look(v);
        }
    }
    if let Some(IntOrExpr::Expr(e)) = &t.timeout_seconds {
        look(&Value::String(e.clone()));
    }
    found
}

/// Where a Choice goes when its rules read only `consts`; `None` when that is not known, or
/// when the rule taken assigns (the skipped Choice must do nothing but choose).
fn decide(c: &Choice, consts: &Map<String, Value>, parsed: &mut jsonata::Parsed) -> Option<String> {
    if c.io != Default::default() {
        return None;
    }
    for rule in &c.choices {
        let switchboard_asl::Test::Condition(Value::String(s)) = &rule.test else {
            return None;
        };
        match parsed.eval_const(jsonata::expression(s)?, consts)? {
            Value::Bool(true) => {
                return (rule.assign.is_none() && rule.output.is_none()).then(|| rule.next.clone())
            }
            Value::Bool(false) => {}
            _ => return None,
        }
    }
    c.default.clone()
}

/// `"<A> - <B>"`, cut to Step Functions' 80 characters and numbered if taken
/// ([`switchboard_asl::names`]).
fn fresh_name(states: &States, a: &str, b: &str) -> String {
    use switchboard_asl::names;
    let base = names::readable(&format!("{a}{}{b}", names::JOIN));
    (1..)
        .map(|n| names::numbered(&base, n))
        .find(|name| !states.contains_key(name))
        .unwrap_or(base)
}

fn apply(machine: &mut StateMachine, plan: Plan) {
    let Plan { a, name, copy, .. } = plan;
    // The copy takes `A`'s place.
    reach::replace(&mut machine.states, &a, name.clone(), State::Task(copy));
    if machine.start_at == a {
        machine.start_at = name.clone();
    }
    for state in machine.states.values_mut() {
        if state.successors().any(|e| e.target == a) {
            for (_, t) in state.successors_mut() {
                if *t == a {
                    *t = name.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::testing::{machine, same_calls};
    use serde_json::json;

    fn speak(text: &str) -> Value {
        json!({"Type": "Speak", "Parameters": {"CallId": "{% $call.CallId %}", "Text": text}})
    }

    fn ask(text: &str) -> Value {
        json!({"Type": "SpeakAndGetDigits", "Parameters": {"CallId": "{% $call.CallId %}",
            "SpeechParameters": {"Text": text}}})
    }

    /// A waiting Task sending `actions`, caught as the compiler catches a caller's Task.
    fn task(actions: Vec<Value>, next: &str) -> Value {
        json!({"Type": "Task", "Comment": "f.rs:1 — Speak", "Resource": wire::RESOURCE_SEND_AND_WAIT,
            "Arguments": {"QueueUrl": "{% $queue_url %}", "MessageBody": {"SchemaVersion": "1.0",
                "Actions": actions, "TransactionAttributes": {
                    "WaitToken": "{% $states.context.Task.Token %}", "QueueUrl": "{% $queue_url %}"}}},
            "TimeoutSeconds": 30,
            "Catch": [{"ErrorEquals": ["HANGUP"], "Next": "Ended"},
                      {"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            "Next": next})
    }

    /// `task` with `Assign`.
    fn assigning(actions: Vec<Value>, assign: Value, next: &str) -> Value {
        let mut t = task(actions, next);
        t["Assign"] = assign;
        t
    }

    /// A machine starting as compiled flows do (the queue and the call from the input), then
    /// `First`; `Ended` and `Failed` end it.
    fn def(states: Value) -> StateMachine {
        let mut s = json!({
            "Start": {"Type": "Pass", "Assign": {"queue_url": "{% $states.input.QueueUrl %}",
                "call": "{% {\"CallId\": $states.input.Event.CallId} %}"}, "Next": "First"},
            "Ended": {"Type": "Succeed"},
            "Failed": {"Type": "Fail", "Error": "X"}});
        s.as_object_mut()
            .unwrap()
            .extend(states.as_object().unwrap().clone());
        machine(json!({"QueryLanguage": "JSONata", "StartAt": "Start", "States": s}))
    }

    /// Runs the pass, checks the graph and every script, returns the machine, the batches
    /// made and the round trips saved.
    fn batched(
        before: StateMachine,
        scripts: &[(&[&str], Option<&str>)],
    ) -> (StateMachine, usize, u64) {
        let mut after = before.clone();
        let n = run(&mut after);
        assert_eq!(switchboard_asl::graph::check(&after), vec![], "{after:#?}");
        let saved = same_calls(&before, &after, scripts);
        (after, n, saved)
    }

    fn task_of<'a>(m: &'a StateMachine, name: &str) -> &'a Task {
        match &m.states[name] {
            State::Task(t) => t,
            other => panic!("{name}: {other:?}"),
        }
    }

    /// A menu loop: a greeting, then the menu; 1 says "Again." and loops, 2 ends.
    fn menu_loop(greeting: Value) -> Value {
        json!({
            "First": greeting,
            "Menu": assigning(vec![ask("Press 1 or 2.")],
                json!({"key": "{% $states.result.ActionData.ReceivedDigits %}"}), "Pick"),
            "Pick": {"Type": "Choice", "Choices": [
                {"Condition": "{% $key = \"1\" %}", "Next": "Again"}], "Default": "Ended"},
            "Again": assigning(vec![speak("Again.")], json!({"n": "{% $n + 1 %}"}), "Menu"),
        })
    }

    const SCRIPTS: &[(&[&str], Option<&str>)] = &[
        (&["2"], None),
        (&["1", "1", "2"], None),
        (&["1"], Some("Again.")),
        (&["1", "1"], Some("Press 1 or 2.")),
        (&[], Some("Hello.")),
    ];

    #[test]
    fn a_speech_before_a_loop_and_at_its_end_goes_out_with_the_prompt() {
        let greeting = assigning(vec![speak("Hello.")], json!({"n": 0}), "Menu");
        let (m, n, saved) = batched(def(menu_loop(greeting)), SCRIPTS);
        assert_eq!(n, 2);
        assert!(saved > 0);
        // The greeting and the menu: one response, both timeouts, both assignments.
        let first = task_of(&m, "First - Menu");
        assert_eq!(actions(first).unwrap().len(), 2);
        assert_eq!(first.timeout_seconds, Some(IntOrExpr::Int(60)));
        assert_eq!(
            first.io.assign,
            Some(json!({"n": 0, "key": "{% $states.result.ActionData.ReceivedDigits %}"}))
        );
        assert_eq!(
            first.comment.as_deref(),
            Some("f.rs:1 — Speak · f.rs:1 — Speak")
        );
        // The loop's own "Again." is batched too; the menu itself is reached by nothing else.
        assert!(m.states.contains_key("Again - Menu"));
        assert!(!m.states.contains_key("Menu"));
    }

    #[test]
    fn the_prompt_reads_the_speechs_assignment_through_a_binding() {
        let mut d = menu_loop(assigning(vec![speak("Hello.")], json!({"n": 0}), "Menu"));
        d["Menu"] = assigning(
            vec![ask("{% \"Try \" & $string($n) %}")],
            json!({"key": "{% $states.result.ActionData.ReceivedDigits %}"}),
            "Pick",
        );
        let (m, n, _) = batched(def(d), &SCRIPTS[..2]);
        assert_eq!(n, 2);
        let again = task_of(&m, "Again - Menu");
        assert_eq!(
            actions(again).unwrap()[1]["Parameters"]["SpeechParameters"]["Text"],
            json!("{% ($n := ($n + 1); (\"Try \" & $string($n))) %}")
        );
    }

    #[test]
    fn without_the_binding_the_check_sees_the_difference() {
        // The same batch made by hand, the binding left out: the prompt would say "Try 0"
        // where it said "Try 1". The comparison must catch that, or the tests above prove
        // nothing.
        let mut d = menu_loop(assigning(vec![speak("Hello.")], json!({"n": 0}), "Menu"));
        d["Menu"] = assigning(
            vec![ask("{% \"Try \" & $string($n) %}")],
            json!({"key": "{% $states.result.ActionData.ReceivedDigits %}"}),
            "Pick",
        );
        let before = def(d.clone());
        let mut wrong = d.clone();
        wrong["Again"] = assigning(
            vec![speak("Again."), ask("{% \"Try \" & $string($n) %}")],
            json!({"n": "{% $n + 1 %}", "key": "{% $states.result.ActionData.ReceivedDigits %}"}),
            "Pick",
        );
        let after = def(wrong);
        let r = std::panic::catch_unwind(|| same_calls(&before, &after, &[(&["1", "2"], None)]));
        assert!(r.is_err());
    }

    #[test]
    fn a_while_head_decided_by_the_speechs_constant_is_skipped() {
        // speak(greeting); tries = 0; while tries < 3 { menu }
        let (m, n, _) = batched(
            def(json!({
                "First": assigning(vec![speak("Hello.")], json!({"tries": 0}), "While"),
                "While": {"Type": "Choice", "Choices": [
                    {"Condition": "{% $not($tries < 3) %}", "Next": "Ended"}], "Default": "Menu"},
                "Menu": assigning(vec![ask("Press 1 or 2.")],
                    json!({"tries": "{% $tries + 1 %}"}), "While"),
            })),
            &[(&["1", "1", "1"], None), (&["1"], Some("Press 1 or 2."))],
        );
        assert_eq!(n, 1);
        assert_eq!(task_of(&m, "First - Menu").next.as_deref(), Some("While"));
    }

    /// The menu loop with `greeting` changed by `f`, and whether the pass batched the greeting.
    fn greeting_batched(f: impl FnOnce(&mut Value)) -> bool {
        let mut greeting = assigning(vec![speak("Hello.")], json!({"n": 0}), "Menu");
        f(&mut greeting);
        let (m, _, _) = batched(def(menu_loop(greeting)), &SCRIPTS[..2]);
        !m.states.contains_key("First")
    }

    #[test]
    fn what_must_not_be_batched() {
        assert!(greeting_batched(|_| {}));
        // It reads its own result, or the clock, which would be read before the speech.
        assert!(!greeting_batched(
            |g| g["Assign"] = json!({"n": "{% $count($states.result) %}"})
        ));
        assert!(!greeting_batched(
            |g| g["Assign"] = json!({"n": "{% $millis() %}"})
        ));
        // It handles failures otherwise, or retries.
        assert!(!greeting_batched(
            |g| g["Catch"][0]["Next"] = json!("Failed")
        ));
        assert!(!greeting_batched(
            |g| g["Retry"] = json!([{"ErrorEquals": ["States.ALL"]}])
        ));
        // It does more than talk.
        assert!(!greeting_batched(|g| {
            g["Arguments"]["MessageBody"]["Actions"] = json!([speak("Hello."), {"Type": "Pause",
                "Parameters": {"CallId": "{% $call.CallId %}", "DurationInMilliseconds": 500}}])
        }));
        // Ten actions already.
        assert!(!greeting_batched(|g| {
            g["Arguments"]["MessageBody"]["Actions"] = json!(vec![speak("Hello."); 10])
        }));
        // Another queue.
        assert!(!greeting_batched(
            |g| g["Arguments"]["QueueUrl"] = json!("{% $other %}")
        ));
    }

    #[test]
    fn a_prompt_that_reads_its_input_or_a_handler_that_reads_the_assignment_stays_apart() {
        let greeting = assigning(vec![speak("Hello.")], json!({"n": 0}), "Menu");
        let mut d = menu_loop(greeting.clone());
        d["Menu"]["Arguments"]["MessageBody"]["Actions"][0]["Parameters"]["SpeechParameters"]
            ["Text"] = json!("{% $string($states.input) %}");
        let (m, _, _) = batched(def(d), &[]);
        assert!(m.states.contains_key("First"));
        // A failure now skips `n = 0`; a handler that reads `n` would see the difference.
        let mut d = menu_loop(greeting);
        d["Ended"] = json!({"Type": "Pass", "Output": "{% $n %}", "End": true});
        let (m, _, _) = batched(
            machine(
                json!({"QueryLanguage": "JSONata", "StartAt": "Start", "States": {
                "Start": {"Type": "Pass", "Assign": {"queue_url": "{% $states.input.QueueUrl %}",
                    "call": "{% {\"CallId\": $states.input.Event.CallId} %}"}, "Next": "First"},
                "Failed": {"Type": "Fail", "Error": "X"},
                "First": d["First"], "Menu": d["Menu"], "Pick": d["Pick"], "Again": d["Again"],
                "Ended": d["Ended"]}}),
            ),
            &[],
        );
        assert!(m.states.contains_key("First"));
    }

    #[test]
    fn a_loop_of_speeches_stays_reachable() {
        let (m, _, _) = batched(
            def(json!({
                "First": {"Type": "Choice", "Choices": [
                    {"Condition": "{% $x = 1 %}", "Next": "L"}], "Default": "D"},
                "D": task(vec![speak("d")], "L"),
                "L": task(vec![speak("l")], "L"),
            })),
            &[],
        );
        assert!(m.states.contains_key("L"));
    }

    #[test]
    fn a_choice_skipped_for_good_takes_what_only_it_reached_along() {
        // `"1" = "1"` always holds: the speech goes straight on to `L`, and neither the Choice
        // nor its other arm `D` is reached any more.
        let (m, n, _) = batched(
            def(json!({
                "First": task(vec![speak("hi")], "Match"),
                "Match": {"Type": "Choice", "Choices": [
                    {"Condition": "{% \"1\" = \"1\" %}", "Next": "L"}], "Default": "D"},
                "D": task(vec![speak("d")], "L"),
                "L": task(vec![ask("l")], "Ended"),
            })),
            &[(&["1"], None), (&[], Some("l"))],
        );
        assert!(n >= 1);
        let names: Vec<&str> = m.states.keys().map(String::as_str).collect();
        assert_eq!(names, ["Start", "Ended", "Failed", "First - L"]);
    }
}
