//! This crate owns `compile --drift FILE [--apply]`: a state machine definition edited in
//! Workflow Studio (exported, copied from its Code view) or deployed (`aws stepfunctions
//! describe-state-machine` output) compared with what its Rust flow compiles to now, by meaning,
//! each difference reported at the Rust line it comes from — the builder call and the argument
//! to write for a changed text or option, the state for a rewired transition, where a state was
//! added or removed — and, with `--apply`, the changed literals rewritten in the source.
//!
//! The stages, one module each: [`input`] reads the file, [`compare`] pairs the states of the
//! two definitions (`pair`) and lists what differs, [`report`] places each difference in the
//! Rust source (the compiler's [`Sources`](switchboard_compiler::sources::Sources): the
//! builder call behind each value), [`apply`] decides which are exactly one literal and
//! rewrites them ([`source`] finds them with `syn`), [`run`] is the command.

pub mod apply;
pub mod compare;
pub mod input;
mod pair;
pub mod pattern;
pub mod report;
pub mod run;
pub mod source;
