//! Optimisation passes over the finished state machine, each in its own file, each keeping
//! what the definition does exactly as it was while it costs fewer state transitions or round
//! trips to the caller.

mod assigns_into_choice;
mod batch_into_prompt;
mod fuse_choices;
mod hoist_choices;
mod jsonata;
mod reach;
#[cfg(test)]
mod testing;

use switchboard_asl::StateMachine;

/// The passes that run after lowering, in order.
pub fn after_lowering(machine: &mut StateMachine) {
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
