//! Parity: the simulator always talks to flows through the router's logic. The same scenario
//! run with the simulator's queue (whose long poll moves the simulated clock) and with the
//! router crate's own `MemoryQueue` (what the router's tests use) gives the same transcript.

use std::path::Path;

use switchboard_router::memory::MemoryQueue;
use switchboard_sim::pstn::SimQueue;
use switchboard_sim::scenario::Scenario;

fn both(file: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("workflows/scenarios").join(file);
    let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let sim = scenario
        .run_with(None, SimQueue::new())
        .unwrap_or_else(|e| panic!("{e}"));
    let mem = scenario
        .run_with(None, MemoryQueue::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(sim.passed(), "{}: {:?}", file, sim.failures);
    assert!(!sim.transcript.entries.is_empty());
    assert_eq!(sim.transcript.lines(), mem.transcript.lines(), "{file}");
    assert_eq!(
        sim.transcript.executions, mem.transcript.executions,
        "{file}"
    );
    assert_eq!(
        sim.transcript.invocations, mem.transcript.invocations,
        "{file}"
    );
}

#[test]
fn front_desk_busy_then_message_is_the_same_through_both_queues() {
    both("front-desk/sales-busy-then-message.yaml");
}

#[test]
fn transfer_backup_is_the_same_through_both_queues() {
    both("transfer/backup-answers.yaml");
}

#[test]
fn voicemail_is_the_same_through_both_queues() {
    both("voicemail/leaves-a-message.yaml");
}
