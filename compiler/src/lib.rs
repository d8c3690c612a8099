//! This crate owns the ASL model, lowering from flow IR to ASL, validation and canonical JSON emission.

pub mod asl;
pub mod emit;
pub mod graph;
