//! This crate owns the offline runtime: an ASL interpreter and a PSTN audio simulator.
//!
//! [`expr`] is the interpreter's expression layer: JSONata, JSONPath, intrinsic functions and
//! Choice rules, with time and randomness from a simulated [`expr::Clock`].

pub mod expr;
