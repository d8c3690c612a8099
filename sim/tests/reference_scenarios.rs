//! The reference workflow (`../shared/reference/business-phone-number-proxy.asl.json`, read in
//! place, never copied) runs unmodified through the router logic and the simulator: one
//! scenario per call flow under `tests/fixtures/reference/`, each filling the values the
//! sample's deploy step fills (`set:` in the scenario). Skipped loudly when the file is absent.

use std::path::{Path, PathBuf};

use switchboard_sim::scenario::Scenario;

fn reference() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/reference/business-phone-number-proxy.asl.json");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!(
            "\n*** SKIPPED: the reference workflow is absent at {}; put shared/ beside the repo to run the reference scenarios ***\n",
            path.display()
        );
        None
    }
}

fn run(file: &str) {
    let Some(flow) = reference() else { return };
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reference")
        .join(file);
    let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let outcome = scenario
        .run(flow.to_str())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        outcome.passed(),
        "{}\n{}\nfailed:\n  {}",
        outcome.name,
        outcome.transcript,
        outcome.failures.join("\n  ")
    );
}

#[test]
fn reference_business_hours_bridges_the_customer_to_the_owner() {
    run("1-business-hours-bridge-owner.yaml");
}

#[test]
fn reference_after_hours_takes_a_voicemail() {
    run("2-after-hours-voicemail.yaml");
}

#[test]
fn reference_owner_retrieves_the_last_message() {
    run("3-owner-message-retrieval.yaml");
}

#[test]
fn reference_owner_calls_a_customer() {
    run("4-owner-calls-customer.yaml");
}

#[test]
fn reference_owner_schedules_a_callback() {
    run("5-owner-schedules-callback.yaml");
}

#[test]
fn reference_scheduled_call_bridges_the_customer() {
    run("6-scheduled-call-bridges-customer.yaml");
}
