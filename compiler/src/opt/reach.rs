//! Which states a path from `StartAt` reaches, and which go where: a pass that retargets
//! transitions removes what it left unreached, and only that (what was unreached before is the
//! graph check's to report).

use std::collections::{HashMap, HashSet};

use switchboard_asl::{State, StateMachine, States, Transition};

/// The states of `states` that no path from `start` reaches.
pub fn unreached_in(states: &States, start: &str) -> Vec<String> {
    let mut seen = vec![false; states.len()];
    let mut todo: Vec<usize> = states.get_index_of(start).into_iter().collect();
    while let Some(i) = todo.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        if let Some((_, state)) = states.get_index(i) {
            todo.extend(
                state
                    .successors()
                    .filter_map(|e| states.get_index_of(e.target))
                    .filter(|j| !seen[*j]),
            );
        }
    }
    states
        .keys()
        .zip(seen)
        .filter(|(_, s)| !s)
        .map(|(n, _)| n.clone())
        .collect()
}

/// The states of the machine's top level that no path from `StartAt` reaches.
pub fn unreached(machine: &StateMachine) -> Vec<String> {
    unreached_in(&machine.states, &machine.start_at)
}

/// Removes the states of `states` no path from `start` reaches now, except those already
/// unreached `before`.
pub fn remove_unreached_in(states: &mut States, start: &str, before: &[String]) {
    let gone: HashSet<String> = unreached_in(states, start)
        .into_iter()
        .filter(|n| !before.contains(n))
        .collect();
    if !gone.is_empty() {
        // One pass over the map: a state is large, moving every later one per removal is not.
        states.retain(|name, _| !gone.contains(name));
    }
}

/// Puts `state`, named `name`, where `old` is (which goes), without moving the others.
pub fn replace(states: &mut States, old: &str, name: String, state: State) {
    match states.get_index_of(old) {
        Some(i) if old == name => states[i] = state,
        Some(i) => {
            if states.replace_index(i, name).is_ok() {
                states[i] = state;
            }
        }
        None => {
            states.insert(name, state);
        }
    }
}

/// Puts the states in the order lowering gives them (depth-first from `StartAt`, a state's
/// `Next` and rules before its catchers), the passes having added and removed some: the
/// definition reads in call order in Workflow Studio and in `dist/`.
pub fn reorder(machine: &mut StateMachine) {
    let mut states = std::mem::take(&mut machine.states);
    let mut out = States::with_capacity(states.len());
    let mut stack = vec![machine.start_at.clone()];
    while let Some(name) = stack.pop() {
        if out.contains_key(&name) {
            continue;
        }
        let Some(state) = states.swap_remove(&name) else {
            continue;
        };
        let targets: Vec<String> = state.successors().map(|e| e.target.to_owned()).collect();
        for t in targets.into_iter().rev() {
            if !out.contains_key(&t) {
                stack.push(t);
            }
        }
        out.insert(name, state);
    }
    // What no path reaches stays, at the end, for the graph check to name.
    out.extend(states);
    machine.states = out;
}

/// Fresh state names: `base`, or `base (k)` with the first `k` from 2 that no state and no
/// name given out before has (a `base` that is itself numbered is numbered anew, not twice);
/// at most 80 characters. It remembers the last `k` of each stem, so naming many copies of
/// one state does not try every number again each time.
#[derive(Default)]
pub struct Names {
    given: HashSet<String>,
    next: HashMap<String, u32>,
}

impl Names {
    pub fn fresh(&mut self, states: &States, base: &str) -> String {
        let name = self.find(states, base);
        self.given.insert(name.clone());
        name
    }

    fn find(&mut self, states: &States, base: &str) -> String {
        let free = |n: &str, given: &HashSet<String>| !states.contains_key(n) && !given.contains(n);
        if free(base, &self.given) {
            return base.to_owned();
        }
        let stem = match base.rsplit_once(" (") {
            Some((stem, k)) if k.ends_with(')') && k[..k.len() - 1].parse::<u32>().is_ok() => stem,
            _ => base,
        };
        let k = self.next.entry(stem.to_owned()).or_insert(2);
        loop {
            let name = switchboard_asl::names::numbered(stem, *k as usize);
            *k += 1;
            if free(&name, &self.given) {
                return name;
            }
        }
    }
}

/// [`remove_unreached_in`] for the machine's top level.
pub fn remove_unreached(machine: &mut StateMachine, before: &[String]) {
    let start = machine.start_at.clone();
    remove_unreached_in(&mut machine.states, &start, before);
}

/// Every transition into each state: the state it comes from and which of its fields.
pub fn predecessors(states: &States) -> HashMap<String, Vec<(String, Transition)>> {
    let mut out: HashMap<String, Vec<(String, Transition)>> = HashMap::new();
    for (name, state) in states {
        for e in state.successors() {
            out.entry(e.target.to_owned())
                .or_default()
                .push((name.clone(), e.kind));
        }
    }
    out
}
