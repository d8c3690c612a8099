//! This crate owns the ASL model, lowering from flow IR to ASL, validation with source
//! locations, canonical JSON emission, and the `compile` command's logic.

pub mod asl;
pub mod check;
pub mod compile;
pub mod config;
pub mod diag;
pub mod emit;
pub mod graph;
pub mod lower;

pub use compile::{compile_flow, Compiled, Stats};
pub use diag::Diagnostic;
