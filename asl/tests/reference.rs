//! Real definitions through the model: the hand-built reference workflow round-trips losslessly
//! and passes the graph checks; every compiled `dist/*.asl.json` parses and is written back
//! byte for byte by the canonical writer.

use std::path::PathBuf;

use switchboard_asl::graph;
use switchboard_asl::{State, StateMachine};

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

/// Every compiled definition in `dist/`: parse → canonical JSON gives back the file's bytes, and
/// the graph checks find nothing.
#[test]
fn every_dist_definition_round_trips_byte_for_byte() {
    let dist = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dist)
        .expect("dist/ exists")
        .map(|e| e.expect("readable dist/ entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".asl.json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .asl.json in {}", dist.display());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let machine =
            StateMachine::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let back = machine.to_canonical_json();
        assert!(
            back == text,
            "{} is not written back byte for byte",
            path.display()
        );
        assert_eq!(machine.canonical_size(), text.len(), "{}", path.display());
        assert_eq!(machine.check(), Vec::new(), "{}", path.display());
    }
}
