//! One failing machine per graph check, the passing variants next to it, and parse errors
//! that name the offending field.

use proptest::prelude::*;
use serde_json::{json, Value};
use switchboard_asl::graph::{self, GraphError, GraphErrorKind as K};
use switchboard_asl::{Pass, State, StateMachine, Task, Wait};

/// A waiting Task resource: what the compiler emits for every caller round trip.
const WAIT_RESOURCE: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

fn machine(v: Value) -> StateMachine {
    serde_json::from_value(v).expect("test machine parses")
}

fn kinds(m: &StateMachine) -> Vec<(K, String)> {
    graph::check(m)
        .into_iter()
        .map(|e| (e.kind, e.state))
        .collect()
}

fn only(m: &StateMachine, kind: K, state: &str) -> GraphError {
    let errors = graph::check(m);
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.kind, e.state.as_str()))
            .collect::<Vec<_>>(),
        vec![(kind, state)],
        "findings: {errors:#?}"
    );
    errors.into_iter().next().unwrap()
}

fn wait_task(next: Value) -> Value {
    let mut t = json!({ "Type": "Task", "Resource": WAIT_RESOURCE, "TimeoutSeconds": 60 });
    t.as_object_mut()
        .unwrap()
        .extend(next.as_object().unwrap().clone());
    t
}

#[test]
fn minimal_machine_passes() {
    let m = machine(json!({ "StartAt": "Done", "States": { "Done": { "Type": "Succeed" } } }));
    assert!(graph::check(&m).is_empty());
}

#[test]
fn start_at_must_exist() {
    let m = machine(json!({ "StartAt": "Nope", "States": { "Done": { "Type": "Succeed" } } }));
    let errors = kinds(&m);
    assert!(
        errors.contains(&(K::MissingStartAt, "Nope".into())),
        "{errors:?}"
    );
    let empty = machine(json!({ "StartAt": "A", "States": {} }));
    let e = only(&empty, K::MissingStartAt, "A");
    assert!(e.message.contains("empty"), "{}", e.message);
}

#[test]
fn dangling_next_default_rule_and_catch() {
    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Next": "Ghost" },
    }}));
    let e = only(&m, K::DanglingTransition, "A");
    assert!(
        e.message.contains("`Ghost`") && e.message.contains("Next"),
        "{}",
        e.message
    );

    let m = machine(json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice",
               "Choices": [{ "Variable": "$.x", "IsPresent": true, "Next": "Rule ghost" }],
               "Default": "Default ghost" },
        "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
               "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Catch ghost" }] },
    }}));
    let errors = graph::check(&m);
    let dangling: Vec<&str> = errors
        .iter()
        .filter(|e| e.kind == K::DanglingTransition)
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(dangling.len(), 3, "{errors:#?}");
    assert!(dangling[0].starts_with("Choices[0].Next") && dangling[0].contains("Rule ghost"));
    assert!(dangling[1].starts_with("Default") && dangling[1].contains("Default ghost"));
    assert!(dangling[2].starts_with("Catch[0].Next") && dangling[2].contains("Catch ghost"));
}

#[test]
fn unreachable_state_is_reported_with_advice() {
    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Succeed" },
        "Orphan": { "Type": "Pass", "End": true },
    }}));
    let e = only(&m, K::Unreachable, "Orphan");
    assert!(
        e.message.contains("remove it or point a Next at it"),
        "{}",
        e.message
    );
}

#[test]
fn state_needs_exactly_one_of_next_and_end() {
    let m = machine(json!({ "StartAt": "A", "States": { "A": { "Type": "Pass" } } }));
    only(&m, K::MissingTransition, "A");
    let m = machine(json!({ "StartAt": "A", "States": { "A": { "Type": "Pass", "End": false } } }));
    only(&m, K::MissingTransition, "A");
    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Next": "B", "End": true },
        "B": { "Type": "Succeed" },
    }}));
    only(&m, K::ConflictingTransition, "A");
}

#[test]
fn loop_without_exit_has_no_path_to_end() {
    // Ask → Check → Ask forever: it waits, but nothing ever leads to an end.
    let m = machine(json!({ "StartAt": "Ask", "States": {
        "Ask": wait_task(json!({ "Next": "Check" })),
        "Check": { "Type": "Choice",
                   "Choices": [{ "Variable": "$.d", "StringEquals": "1", "Next": "Ask" }] },
    }}));
    let e = only(&m, K::NoPathToEnd, "Ask");
    assert!(e.message.contains("`Ask`, `Check`"), "{}", e.message);

    // The same loop with a Default out of it is fine.
    let mut ok = m.clone();
    if let Some(State::Choice(c)) = ok.states.get_mut("Check") {
        c.default = Some("Bye".into());
    }
    ok.states
        .insert("Bye".into(), State::Succeed(Default::default()));
    assert!(graph::check(&ok).is_empty(), "{:#?}", graph::check(&ok));

    // A catch that leads out also counts as a way out.
    let caught = machine(json!({ "StartAt": "Ask", "States": {
        "Ask": wait_task(json!({ "Next": "Ask",
            "Catch": [{ "ErrorEquals": ["HANGUP"], "Next": "Bye" }] })),
        "Bye": { "Type": "Succeed" },
    }}));
    assert!(graph::check(&caught).is_empty());
}

#[test]
fn a_missing_transition_is_not_reported_again_as_no_path_to_end() {
    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Next": "B" },
        "B": { "Type": "Pass" },
    }}));
    only(&m, K::MissingTransition, "B");
}

#[test]
fn cycle_without_waiting_state_spins() {
    let m = machine(json!({ "StartAt": "Count", "States": {
        "Count": { "Type": "Pass", "Next": "More?" },
        "More?": { "Type": "Choice",
                   "Choices": [{ "Variable": "$.n", "NumericLessThan": 3, "Next": "Count" }],
                   "Default": "Done" },
        "Done": { "Type": "Succeed" },
    }}));
    let e = only(&m, K::SpinCycle, "Count");
    assert!(
        e.message.contains("`Count`, `More?`") && e.message.contains("Wait"),
        "{}",
        e.message
    );

    // A self-loop through a Catch spins too.
    let m = machine(json!({ "StartAt": "Call", "States": {
        "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Catch": [{ "ErrorEquals": ["States.ALL"], "Next": "Call" }] },
    }}));
    only(&m, K::SpinCycle, "Call");
}

#[test]
fn cycles_through_a_wait_or_a_waiting_task_pass() {
    for waiting in [
        json!({ "Type": "Wait", "Seconds": 5, "Next": "More?" }),
        wait_task(json!({ "Next": "More?" })),
        json!({ "Type": "Parallel", "Next": "More?", "Branches": [
            { "StartAt": "W", "States": { "W": { "Type": "Wait", "Seconds": 1, "End": true } } },
        ]}),
    ] {
        let m = machine(json!({ "StartAt": "Step", "States": {
            "Step": waiting,
            "More?": { "Type": "Choice",
                       "Choices": [{ "Variable": "$.n", "NumericLessThan": 3, "Next": "Step" }],
                       "Default": "Done" },
            "Done": { "Type": "Succeed" },
        }}));
        assert!(graph::check(&m).is_empty(), "{:#?}", graph::check(&m));
    }
}

#[test]
fn parallel_that_may_skip_waiting_does_not_count_as_waiting() {
    let m = machine(json!({ "StartAt": "Fan", "States": {
        "Fan": { "Type": "Parallel", "Next": "More?", "Branches": [
            { "StartAt": "P", "States": { "P": { "Type": "Pass", "End": true } } },
        ]},
        "More?": { "Type": "Choice",
                   "Choices": [{ "Variable": "$.n", "NumericLessThan": 3, "Next": "Fan" }],
                   "Default": "Done" },
        "Done": { "Type": "Succeed" },
    }}));
    only(&m, K::SpinCycle, "Fan");
}

#[test]
fn waiting_task_needs_a_timeout() {
    let m = machine(json!({ "StartAt": "Ask", "States": {
        "Ask": { "Type": "Task", "Resource": WAIT_RESOURCE, "End": true },
    }}));
    let e = only(&m, K::MissingTimeout, "Ask");
    assert!(e.message.contains("add TimeoutSeconds"), "{}", e.message);
    for timeout in [
        json!({ "TimeoutSeconds": 30 }),
        json!({ "TimeoutSecondsPath": "$.timeout" }),
        json!({ "TimeoutSeconds": "{% $timeout %}", "QueryLanguage": "JSONata" }),
    ] {
        let mut state = json!({ "Type": "Task", "Resource": WAIT_RESOURCE, "End": true });
        state
            .as_object_mut()
            .unwrap()
            .extend(timeout.as_object().unwrap().clone());
        let m = machine(json!({ "StartAt": "Ask", "States": { "Ask": state } }));
        assert!(
            graph::check(&m).is_empty(),
            "{timeout}: {:#?}",
            graph::check(&m)
        );
    }
    // Any `.waitForTaskToken` integration waits, not only SQS.
    let m = machine(json!({ "StartAt": "Ask", "States": {
        "Ask": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "End": true },
    }}));
    only(&m, K::MissingTimeout, "Ask");
}

#[test]
fn state_names_are_checked() {
    let long: String = "x".repeat(81);
    for bad in ["", long.as_str(), "tab\there", "bell\u{7}"] {
        let m = machine(json!({ "StartAt": bad, "States": { bad: { "Type": "Succeed" } } }));
        let e = only(&m, K::InvalidName, bad);
        assert!(!e.message.is_empty());
    }
    let fine = "é".repeat(80);
    for good in [
        fine.as_str(),
        "Play & Capture Owner Options Menu",
        "Check Call Flow: A, B",
    ] {
        let m = machine(json!({ "StartAt": good, "States": { good: { "Type": "Succeed" } } }));
        assert!(
            graph::check(&m).is_empty(),
            "{good:?}: {:#?}",
            graph::check(&m)
        );
    }
}

#[test]
fn names_are_unique_across_branches_and_branches_are_scopes() {
    let m = machine(json!({ "StartAt": "Fan", "States": {
        "Fan": { "Type": "Parallel", "Next": "Done", "Branches": [
            { "StartAt": "Done", "States": { "Done": { "Type": "Succeed" } } },
        ]},
        "Done": { "Type": "Succeed" },
    }}));
    let e = only(&m, K::DuplicateName, "Done");
    assert!(e.message.contains("branch 1 of `Fan`"), "{}", e.message);

    let m = machine(json!({ "StartAt": "Each", "States": {
        "Each": { "Type": "Map", "End": true, "ItemProcessor": {
            "StartAt": "Inner", "States": { "Inner": { "Type": "Pass", "Next": "Each" } } } },
    }}));
    let e = only(&m, K::DanglingTransition, "Inner");
    assert!(e.message.contains("same scope"), "{}", e.message);
}

#[test]
fn empty_choice_and_parallel() {
    let m = machine(json!({ "StartAt": "C", "States": {
        "C": { "Type": "Choice", "Choices": [], "Default": "D" },
        "D": { "Type": "Succeed" },
    }}));
    only(&m, K::EmptyChoice, "C");
    let m = machine(json!({ "StartAt": "P", "States": {
        "P": { "Type": "Parallel", "Branches": [], "End": true },
    }}));
    only(&m, K::EmptyParallel, "P");
}

#[test]
fn definition_over_one_megabyte_is_too_large() {
    let mut m = StateMachine::new("Big");
    let pass = |n: usize| Pass {
        result: Some(json!("x".repeat(n))),
        end: Some(true),
        ..Pass::default()
    };
    m.states.insert("Big".into(), State::Pass(pass(1_048_576)));
    only(&m, K::TooLarge, "");
    m.states.insert("Big".into(), State::Pass(pass(1_000_000)));
    assert!(graph::check(&m).is_empty());
}

#[test]
fn definition_from_eighty_percent_of_the_limit_gets_a_warning() {
    let limit = graph::MAX_DEFINITION_BYTES;
    let from = limit * 80 / 100;
    assert_eq!(from, 838_860);
    assert!(graph::size_warning(from - 1).is_none());
    let w = graph::size_warning(from).expect("80% warns");
    assert!(w.contains("838860 bytes, 80.0% of"), "{w}");
    assert!(
        graph::size_warning(limit).is_some(),
        "at the limit: still a warning"
    );
    assert!(
        graph::size_warning(limit + 1).is_none(),
        "over the limit is check()'s error"
    );
    // What is measured is the definition as uploaded: the canonical (pretty) JSON, whitespace
    // included, which is what `compile` writes to dist/.
    let mut m = StateMachine::new("Big");
    m.states.insert(
        "Big".into(),
        State::Pass(Pass {
            result: Some(json!("x")),
            end: Some(true),
            ..Pass::default()
        }),
    );
    assert_eq!(m.canonical_size(), m.to_canonical_json().len());
    assert!(m.canonical_size() > serde_json::to_string(&m).unwrap().len());
}

#[test]
fn findings_carry_the_rust_source_location() {
    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "Comment": "front_desk.rs:12 — speak(\"Hi\")", "Next": "Ghost" },
    }}));
    let e = only(&m, K::DanglingTransition, "A");
    assert_eq!(e.location.as_deref(), Some("front_desk.rs:12"));
    assert!(e.to_string().starts_with("front_desk.rs:12: "), "{e}");

    assert_eq!(
        graph::parse_location("flows/a.rs:7:3 — x").as_deref(),
        Some("flows/a.rs:7:3")
    );
    assert_eq!(
        graph::parse_location("a.rs:9, speak").as_deref(),
        Some("a.rs:9")
    );
    assert_eq!(
        graph::parse_location("A description of my state machine"),
        None
    );
    assert_eq!(graph::parse_location("a.rs:x"), None);
    assert_eq!(graph::parse_location(".rs:3"), None);
    assert_eq!(graph::parse_location(""), None);
}

#[test]
fn unknown_fields_are_rejected_by_name() {
    let cases = [
        (json!({ "Type": "Pass", "Nxt": "B" }), "Nxt"),
        (
            json!({ "Type": "Task", "Resource": "r", "End": true, "TimeoutSecond": 3 }),
            "TimeoutSecond",
        ),
        (
            json!({ "Type": "Task", "Resource": "r", "End": true,
                 "Catch": [{ "ErrorEquals": ["X"], "Next": "B", "ResultPth": "$.e" }] }),
            "ResultPth",
        ),
        (
            json!({ "Type": "Choice",
                 "Choices": [{ "Variable": "$.x", "StringEquals": "a", "Next": "B", "Nxt": "C" }] }),
            "Nxt",
        ),
        (
            json!({ "Type": "Choice",
                 "Choices": [{ "Variable": "$.x", "StringEqual": "a", "Next": "B" }] }),
            "StringEquals",
        ),
        (json!({ "Type": "Tsk", "End": true }), "Tsk"),
    ];
    for (state, needle) in cases {
        let text = json!({ "StartAt": "A", "States": { "A": state } }).to_string();
        let err = StateMachine::from_json(&text).unwrap_err().to_string();
        assert!(
            err.contains("state `A`") && err.contains(needle),
            "{needle}: {err}"
        );
    }
}

#[test]
fn choice_rules_are_validated_when_parsed() {
    let cases = [
        (
            json!({ "Variable": "$.n", "NumericEquals": "3", "Next": "B" }),
            "needs a number",
        ),
        (
            json!({ "Variable": "$.n", "Next": "B" }),
            "no comparison operator",
        ),
        (
            json!({ "Variable": "$.n", "IsNull": true, "IsPresent": true, "Next": "B" }),
            "two operators",
        ),
        (
            json!({ "Condition": "{% true %}", "Variable": "$.n", "Next": "B" }),
            "mixes",
        ),
        (
            json!({ "And": [{ "Variable": "$.n", "IsNull": true, "Next": "B" }], "Next": "B" }),
            "must not have `Next`",
        ),
        (json!({ "Or": [], "Next": "B" }), "non-empty array"),
        (json!({ "Variable": "$.n", "IsNull": true }), "no `Next`"),
    ];
    for (rule, needle) in cases {
        let text =
            json!({ "StartAt": "A", "States": { "A": { "Type": "Choice", "Choices": [rule] } } });
        let err = StateMachine::from_json(&text.to_string())
            .unwrap_err()
            .to_string();
        assert!(err.contains(needle), "{needle}: {err}");
    }
}

#[test]
fn duplicate_state_names_in_json_are_rejected() {
    let text =
        r#"{ "StartAt": "A", "States": { "A": { "Type": "Succeed" }, "A": { "Type": "Fail" } } }"#;
    let err = StateMachine::from_json(text).unwrap_err().to_string();
    assert!(err.contains("duplicate state name `A`"), "{err}");
}

#[test]
fn null_result_path_survives_a_round_trip() {
    let v = json!({ "StartAt": "A", "States": { "A": { "Type": "Pass", "ResultPath": null, "End": true } } });
    let m = machine(v.clone());
    let back: Value = serde_json::to_value(&m).unwrap();
    assert_eq!(back, v);
}

/// A 5,000-state loop: one waiting Task asks, a chain of Pass states processes, a Choice
/// either loops back or ends. Checks a deep chain without stack overflow.
#[test]
fn five_thousand_states_check_without_overflow() {
    const N: usize = 5_000;
    let mut m = StateMachine::new("s0");
    for i in 0..N - 1 {
        let next = Some(format!("s{}", i + 1));
        let state = if i == 0 {
            State::Task(Task {
                resource: WAIT_RESOURCE.into(),
                timeout_seconds: Some(60.into()),
                next,
                ..Task::default()
            })
        } else {
            State::Pass(Pass {
                next,
                ..Pass::default()
            })
        };
        m.states.insert(format!("s{i}"), state);
    }
    let last = json!({ "Type": "Choice", "Default": "end",
        "Choices": [{ "Variable": "$.again", "BooleanEquals": true, "Next": "s0" }] });
    m.states
        .insert(format!("s{}", N - 1), serde_json::from_value(last).unwrap());
    m.states
        .insert("end".into(), State::Succeed(Default::default()));

    // Speed is the compiler benchmark's to measure (`compiler/benches/compile.rs`); this checks
    // that a deep chain is walked without overflowing the stack.
    let errors = graph::check(&m);
    assert!(errors.is_empty(), "{:#?}", &errors[..errors.len().min(3)]);

    // Replace the waiting Task with a Pass: now the whole loop spins, reported once.
    m.states.insert(
        "s0".into(),
        State::Pass(Pass {
            next: Some("s1".into()),
            ..Pass::default()
        }),
    );
    let errors = graph::check(&m);
    assert_eq!(errors.len(), 1, "{:#?}", &errors[..errors.len().min(3)]);
    assert_eq!(
        (errors[0].kind, errors[0].state.as_str()),
        (K::SpinCycle, "s0")
    );
    assert!(
        errors[0].message.contains("and 4996 more"),
        "{}",
        errors[0].message
    );
}

// ---- properties against a naive oracle ------------------------------------------------------

/// Node i: waiting?, terminal?, successors.
type Spec = Vec<(bool, bool, Vec<usize>)>;

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..9).prop_flat_map(|n| {
        proptest::collection::vec(
            (
                any::<bool>(),
                prop::bool::weighted(0.3),
                proptest::collection::vec(0..n, 0..3),
            ),
            n,
        )
    })
}

/// Node `ni` is a Wait (waiting) or a Pass, followed by Choice `ci` whose rules and Default go
/// to the successors, or to `end` for terminal nodes and nodes without successors.
fn build(spec: &Spec) -> StateMachine {
    let mut m = StateMachine::new("n0");
    for (i, (waiting, terminal, succ)) in spec.iter().enumerate() {
        let name = format!("n{i}");
        let hop = format!("c{i}");
        let own = if *waiting {
            State::Wait(Wait {
                seconds: Some(1.into()),
                next: Some(hop.clone()),
                ..Wait::default()
            })
        } else {
            State::Pass(Pass {
                next: Some(hop.clone()),
                ..Pass::default()
            })
        };
        m.states.insert(name, own);
        let mut targets: Vec<String> = succ.iter().map(|j| format!("n{j}")).collect();
        if *terminal || targets.is_empty() {
            targets.push("end".into());
        }
        let default = targets.pop().unwrap();
        let rules: Vec<Value> = targets
            .iter()
            .map(|t| json!({ "Variable": "$.x", "IsPresent": true, "Next": t }))
            .collect();
        let rules = if rules.is_empty() {
            vec![json!({ "Variable": "$.x", "IsPresent": true, "Next": default })]
        } else {
            rules
        };
        let choice = json!({ "Type": "Choice", "Choices": rules, "Default": default });
        m.states
            .insert(hop, serde_json::from_value(choice).unwrap());
    }
    m.states
        .insert("end".into(), State::Succeed(Default::default()));
    m
}

/// Is there a cycle among non-waiting nodes? Naive: from each non-waiting node, search the
/// non-waiting subgraph for a way back to it.
fn naive_spins(spec: &Spec) -> bool {
    let n = spec.len();
    (0..n).filter(|&s| !spec[s].0).any(|s| {
        let mut seen = vec![false; n];
        let mut stack = spec[s].2.clone();
        while let Some(v) = stack.pop() {
            if spec[v].0 || seen[v] {
                continue;
            }
            if v == s {
                return true;
            }
            seen[v] = true;
            stack.extend(spec[v].2.iter().copied());
        }
        false
    })
}

/// Does some node have no way to a node that ends (terminal, or without successors)?
fn naive_stuck(spec: &Spec) -> bool {
    let ends = |v: usize| spec[v].1 || spec[v].2.is_empty();
    (0..spec.len()).any(|s| {
        let mut seen = vec![false; spec.len()];
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            if ends(v) {
                return false;
            }
            if !std::mem::replace(&mut seen[v], true) {
                stack.extend(spec[v].2.iter().copied());
            }
        }
        true
    })
}

proptest! {
    #[test]
    fn no_path_to_end_matches_a_naive_search(spec in spec()) {
        let m = build(&spec);
        let stuck = graph::check(&m).iter().any(|e| e.kind == K::NoPathToEnd);
        prop_assert_eq!(stuck, naive_stuck(&spec));
    }

    #[test]
    fn spin_cycles_match_a_naive_search(spec in spec()) {
        let m = build(&spec);
        let spins = graph::check(&m).iter().any(|e| e.kind == K::SpinCycle);
        prop_assert_eq!(spins, naive_spins(&spec));
    }

    #[test]
    fn emitted_json_parses_back_to_the_same_machine(spec in spec()) {
        let m = build(&spec);
        let text = m.to_canonical_json();
        prop_assert_eq!(StateMachine::from_json(&text).unwrap(), m);
    }
}

#[test]
fn query_languages_are_not_mixed_up() {
    // JSONPath machine: a JSONata state is fine, but its fields must be JSONata ones.
    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}", "Next": "B" },
        "B": { "Type": "Pass", "Parameters": { "x.$": "$.x" }, "End": true },
    }}));
    assert!(graph::check(&m).is_empty(), "{:#?}", graph::check(&m));

    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Task", "QueryLanguage": "JSONata", "Resource": "r", "End": true,
               "Parameters": {}, "Catch": [{ "ErrorEquals": ["X"], "ResultPath": "$.e", "Next": "B" }] },
        "B": { "Type": "Succeed" },
    }}));
    let e = only(&m, K::QueryLanguageMismatch, "A");
    assert!(
        e.message.contains("Parameters, ResultPath (in Catch)"),
        "{}",
        e.message
    );

    let m = machine(json!({ "StartAt": "A", "States": {
        "A": { "Type": "Choice", "Choices": [{ "Condition": "{% true %}", "Next": "B" }] },
        "B": { "Type": "Succeed" },
    }}));
    let e = only(&m, K::QueryLanguageMismatch, "A");
    assert!(
        e.message.contains("Condition (in Choices)"),
        "{}",
        e.message
    );

    // JSONata machine: no JSONPath state, and states (branches too) inherit JSONata.
    let m = machine(
        json!({ "QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": { "Type": "Pass", "QueryLanguage": "JSONPath", "Next": "P" },
            "P": { "Type": "Parallel", "End": true, "Branches": [
                { "StartAt": "In", "States": { "In": { "Type": "Wait", "SecondsPath": "$.s", "End": true } } },
            ]},
        }}),
    );
    assert_eq!(
        kinds(&m),
        vec![
            (K::QueryLanguageMismatch, "A".into()),
            (K::QueryLanguageMismatch, "In".into())
        ]
    );
}
