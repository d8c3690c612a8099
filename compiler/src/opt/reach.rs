//! Which states a path from `StartAt` reaches: a pass that retargets transitions removes what
//! it left unreached, and only that (what was unreached before is the graph check's to report).

use std::collections::HashSet;

use switchboard_asl::StateMachine;

/// The states of the machine's top level that no path from `StartAt` reaches.
pub fn unreached(machine: &StateMachine) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut todo = vec![machine.start_at.clone()];
    while let Some(name) = todo.pop() {
        if let Some(state) = machine.states.get(&name) {
            if seen.insert(name) {
                todo.extend(state.successors().map(|e| e.target.to_owned()));
            }
        }
    }
    machine
        .states
        .keys()
        .filter(|n| !seen.contains(*n))
        .cloned()
        .collect()
}

/// Removes the states no path reaches now, except those already unreached `before`.
pub fn remove_unreached(machine: &mut StateMachine, before: &[String]) {
    for name in unreached(machine) {
        if !before.contains(&name) {
            machine.states.shift_remove(&name);
        }
    }
}
