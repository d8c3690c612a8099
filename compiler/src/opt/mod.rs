//! Optimisation passes, one file each.
//!
//! Lowering gives every action, service call and assignment a state of its own and records, in
//! the arena's side tables, which states continue a sequence ([`Meta::follows`]) or open a
//! branch ([`Meta::opens`]). [`run`] then rewrites the arena with these passes, in this order
//! (each relies on the ones before it):
//!
//! 1. [`batch_actions`]: consecutive actions go out in one response (one round trip).
//! 2. [`ride_assigns`]: an assignment rides on the `Assign` of the state, Choice rule or
//!    catchers leading to it instead of taking a Pass state of its own.
//! 3. [`merge_into_start`]: the assignments a flow opens with ride on the start state.
//! 4. [`merge_final_hangup`]: the flow's last caller Task hangs up itself instead of going to
//!    the shared "hang up" state (one round trip fewer).
//!
//! Emission ([`crate::emit`]) then lays the states out, leaves out the unused shared ones and
//! names them all; [`finish`] runs the passes over the finished state machine, which keep what
//! the definition does exactly as it was while it costs fewer state transitions or round trips:
//!
//! 5. [`assigns_into_choice::after_choices`]: assignments a Choice rule (or `Default`) leads to
//!    ride on that rule.
//! 6. [`hoist_choices`]: a decision after a Task that does not affect it is taken before it.
//! 7. [`fuse_choices`]: decisions next to each other become one Choice.
//! 8. [`assigns_into_choice::before_choices`]: the start's assignments join the first decision.
//! 9. [`batch_into_prompt`]: what is said before a prompt goes out with it.
//!
//! [`Meta::follows`]: crate::arena::Meta::follows
//! [`Meta::opens`]: crate::arena::Meta::opens

mod assigns_into_choice;
pub mod batch_actions;
mod batch_into_prompt;
mod fuse_choices;
mod hoist_choices;
mod jsonata;
pub mod merge_final_hangup;
pub mod merge_into_start;
mod reach;
pub mod ride_assigns;
#[cfg(test)]
mod testing;

use crate::arena::{Arena, StateId};
use switchboard_asl::StateMachine;

/// Runs the passes over a lowered arena, in the documented order.
pub fn run(arena: &mut Arena) {
    batch_actions::run(arena);
    ride_assigns::run(arena);
    merge_into_start::run(arena);
    merge_final_hangup::run(arena);
}

/// The passes over the finished [`StateMachine`] (every state named, laid out), run after
/// emission, in order. Passes that rewrite ASL rather than the arena are added here.
pub fn finish(machine: &mut StateMachine) {
    // Assignments after a decision join it, a decision after a Task that does not affect it
    // goes before the Task, then decisions next to each other become one; the start's
    // assignments join the first decision; speech joins the prompt after it.
    assigns_into_choice::after_choices(machine);
    // Which conditions are booleans, and which cannot fail, worked out once for both.
    let mut conditions = jsonata::Conditions::new(&machine.states);
    hoist_choices::run(machine, &mut conditions);
    fuse_choices::run(machine, &mut conditions);
    assigns_into_choice::before_choices(machine);
    batch_into_prompt::run(machine);
    reach::reorder(machine);
}

/// The states in flow order: depth-first from the start (each state before the states its
/// transitions lead to, unless a loop leads back), then from every state not reached yet,
/// latest made first (lowering makes a block's states back to front, so that is the block's
/// first). A pass that merges a state into the one before it visits a sequence front to back.
pub(crate) fn flow_order(arena: &Arena) -> Vec<StateId> {
    let mut order = Vec::new();
    let mut seen = vec![false; arena.len()];
    let mut ids: Vec<StateId> = arena.ids().collect();
    ids.reverse();
    for root in std::iter::once(StateId::START).chain(ids) {
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if seen[id.index()] {
                continue;
            }
            let Some(node) = arena.get(id) else {
                continue;
            };
            seen[id.index()] = true;
            order.push(id);
            for (_, t) in node.edges().into_iter().rev() {
                if !seen[t.index()] {
                    stack.push(t);
                }
            }
        }
    }
    order
}

/// Moves `from`'s predecessors onto `to` after `from` was merged into them (`preds[to]` loses
/// `from` and gains each of `into`).
pub(crate) fn repoint(preds: &mut [Vec<StateId>], from: StateId, to: StateId, into: &[StateId]) {
    let p = &mut preds[to.index()];
    p.retain(|&q| q != from);
    for &q in into {
        if !p.contains(&q) {
            p.push(q);
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support;
