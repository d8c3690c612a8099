//! Optimisation passes over the finished state machine, each in its own file, each keeping
//! what the definition does exactly as it was while it costs fewer state transitions or round
//! trips to the caller.

mod assigns_into_choice;
mod batch_into_prompt;
mod fuse_choices;
mod jsonata;
#[cfg(test)]
mod testing;

use switchboard_asl::StateMachine;

/// The passes that run after lowering, in order.
pub fn after_lowering(machine: &mut StateMachine) {
    fuse_choices::run(machine);
    assigns_into_choice::run(machine);
    batch_into_prompt::run(machine);
}
