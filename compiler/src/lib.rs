//! This crate owns lowering from flow IR to ASL — through a state arena ([`arena`]) that the
//! optimisation passes ([`opt`]) rewrite before emission ([`emit`]) names the states — validation
//! with source locations, and the `compile` command's logic. The ASL model it builds, and its canonical JSON, are
//! [`switchboard_asl`]'s, re-exported as [`asl`] because [`Compiled`] hands them out.

pub use switchboard_asl as asl;

pub mod arena;
pub mod check;
pub mod compile;
pub mod config;
pub mod diag;
pub mod emit;
pub mod lower;
pub mod opt;
pub mod sources;
pub mod uses;

pub use compile::{compile_flow, Compiled, Stats};
pub use diag::Diagnostic;
