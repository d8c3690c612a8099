//! The transition walker: typed edges out of each state type, renaming them, `Next`/`End`, and
//! nested scopes.

use serde_json::json;
use switchboard_asl::{Edge, ScopeKind, State, Transition};

fn state(v: serde_json::Value) -> State {
    serde_json::from_value(v).expect("test state parses")
}

fn edges(s: &State) -> Vec<(Transition, &str)> {
    s.successors()
        .map(|Edge { kind, target }| (kind, target))
        .collect()
}

#[test]
fn choice_rules_then_default() {
    let s = state(json!({ "Type": "Choice", "Default": "D",
        "Choices": [
            { "Variable": "$.a", "IsPresent": true, "Next": "A" },
            { "Condition": "{% true %}", "Next": "B" },
        ] }));
    assert_eq!(
        edges(&s),
        [
            (Transition::Rule(0), "A"),
            (Transition::Rule(1), "B"),
            (Transition::Default, "D")
        ]
    );
}

#[test]
fn next_then_catchers_and_only_catchers_are_catch_edges() {
    let s = state(json!({ "Type": "Task", "Resource": "r", "Next": "N",
        "Catch": [
            { "ErrorEquals": ["HANGUP"], "Next": "Bye" },
            { "ErrorEquals": ["States.ALL"], "Next": "Oops" },
        ] }));
    assert_eq!(
        edges(&s),
        [
            (Transition::Next, "N"),
            (Transition::Catch(0), "Bye"),
            (Transition::Catch(1), "Oops")
        ]
    );
    let normal: Vec<&str> = s
        .successors()
        .filter(|e| !e.kind.is_catch())
        .map(|e| e.target)
        .collect();
    assert_eq!(normal, ["N"]);
    assert_eq!(Transition::Catch(1).to_string(), "Catch[1].Next");
    assert_eq!(Transition::Rule(0).to_string(), "Choices[0].Next");
}

#[test]
fn terminal_states_and_end_have_no_edges() {
    for s in [
        json!({ "Type": "Succeed" }),
        json!({ "Type": "Fail", "Error": "E" }),
        json!({ "Type": "Pass", "End": true }),
        json!({ "Type": "Wait", "Seconds": 1, "End": true }),
    ] {
        let s = state(s);
        assert_eq!(edges(&s), [], "{s:?}");
        assert!(s.is_terminal());
    }
    assert!(!state(json!({ "Type": "Pass", "Next": "B" })).is_terminal());
}

#[test]
fn nested_scopes_are_not_entered_but_listed() {
    let p = state(json!({ "Type": "Parallel", "Next": "After", "Branches": [
        { "StartAt": "L", "States": { "L": { "Type": "Pass", "Next": "L2" }, "L2": { "Type": "Succeed" } } },
        { "StartAt": "R", "QueryLanguage": "JSONata", "States": { "R": { "Type": "Succeed" } } },
    ] }));
    assert_eq!(edges(&p), [(Transition::Next, "After")]);
    let scopes: Vec<_> = p
        .scopes()
        .map(|s| {
            (
                s.kind,
                s.start_at,
                s.states.len(),
                s.query_language.is_some(),
            )
        })
        .collect();
    assert_eq!(
        scopes,
        [
            (ScopeKind::Branch(0), "L", 2, false),
            (ScopeKind::Branch(1), "R", 1, true)
        ]
    );
    assert_eq!(ScopeKind::Branch(1).to_string(), "branch 2");

    let m = state(json!({ "Type": "Map", "End": true,
        "ItemProcessor": { "StartAt": "I", "States": { "I": { "Type": "Succeed" } } } }));
    let kinds: Vec<_> = m.scopes().map(|s| s.kind).collect();
    assert_eq!(kinds, [ScopeKind::ItemProcessor]);
    let legacy = state(json!({ "Type": "Map", "End": true,
        "Iterator": { "StartAt": "I", "States": { "I": { "Type": "Succeed" } } } }));
    let kinds: Vec<_> = legacy.scopes().map(|s| s.kind).collect();
    assert_eq!(kinds, [ScopeKind::Iterator]);
    assert_eq!(state(json!({ "Type": "Succeed" })).scopes().count(), 0);
}

#[test]
fn successors_mut_renames_every_edge_in_the_same_order() {
    for v in [
        json!({ "Type": "Choice", "Default": "x",
                "Choices": [{ "Variable": "$.a", "IsPresent": true, "Next": "x" }] }),
        json!({ "Type": "Task", "Resource": "r", "Next": "x",
                "Catch": [{ "ErrorEquals": ["E"], "Next": "x" }] }),
        json!({ "Type": "Parallel", "Next": "x", "Branches": [],
                "Catch": [{ "ErrorEquals": ["E"], "Next": "x" }] }),
        json!({ "Type": "Map", "Next": "x", "Catch": [{ "ErrorEquals": ["E"], "Next": "x" }] }),
        json!({ "Type": "Pass", "Next": "x" }),
        json!({ "Type": "Wait", "Seconds": 1, "Next": "x" }),
    ] {
        let mut s = state(v);
        let before: Vec<Transition> = s.successors().map(|e| e.kind).collect();
        for (i, (_, t)) in s.successors_mut().enumerate() {
            *t = format!("y{i}");
        }
        let after = edges(&s);
        assert_eq!(after.len(), before.len());
        for (i, (kind, target)) in after.into_iter().enumerate() {
            assert_eq!((kind, target), (before[i], format!("y{i}").as_str()));
        }
    }
}

#[test]
fn next_end_mut_turns_a_next_into_an_end() {
    let mut s = state(json!({ "Type": "Task", "Resource": "r", "Next": "x" }));
    if let Some((next, end)) = s.next_end_mut() {
        *next = None;
        *end = Some(true);
    }
    assert_eq!(s.next_end(), Some((None, Some(true))));
    assert!(state(json!({ "Type": "Succeed" })).next_end().is_none());
}
