//! The hand-built reference workflow round-trips losslessly through the ASL model and passes
//! the graph checks.

use std::path::PathBuf;

use switchboard_compiler::asl::{State, StateMachine};
use switchboard_compiler::graph;

fn reference() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/business-phone-number-proxy.asl.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!(
                "SKIPPED: reference workflow not found at {}: {e}",
                path.display()
            );
            None
        }
    }
}

#[test]
fn reference_round_trips_losslessly() {
    let Some(text) = reference() else { return };
    let machine = StateMachine::from_json(&text).expect("reference parses into the model");
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    let emitted: serde_json::Value = serde_json::from_str(&machine.to_canonical_json()).unwrap();
    assert_eq!(
        emitted, original,
        "re-serialised reference differs from the input"
    );
}

#[test]
fn reference_model_matches_the_file() {
    let Some(text) = reference() else { return };
    let machine = StateMachine::from_json(&text).unwrap();
    let original: serde_json::Value = serde_json::from_str(&text).unwrap();
    let states = original["States"].as_object().unwrap();
    assert_eq!(machine.start_at, original["StartAt"].as_str().unwrap());
    // Same states, same order, same types.
    let model: Vec<(&str, &str)> = machine
        .states
        .iter()
        .map(|(n, s)| (n.as_str(), s.type_name()))
        .collect();
    let file: Vec<(&str, &str)> = states
        .iter()
        .map(|(n, s)| (n.as_str(), s["Type"].as_str().unwrap()))
        .collect();
    assert_eq!(model, file);
    let waiting = machine
        .states
        .values()
        .filter(|s| matches!(s, State::Task(t) if t.waits_for_task_token()))
        .count();
    assert!(
        waiting > 0,
        "the reference talks to the caller through waiting Tasks"
    );
}

#[test]
fn reference_passes_graph_checks() {
    let Some(text) = reference() else { return };
    let machine = StateMachine::from_json(&text).unwrap();
    let errors = graph::check(&machine);
    assert!(errors.is_empty(), "unexpected findings: {errors:#?}");
}

#[test]
fn reference_emission_is_stable() {
    let Some(text) = reference() else { return };
    let first = StateMachine::from_json(&text).unwrap().to_canonical_json();
    let second = StateMachine::from_json(&first).unwrap().to_canonical_json();
    assert_eq!(first, second);
    assert_eq!(
        StateMachine::from_json(&text).unwrap().canonical_size(),
        first.len()
    );
}
