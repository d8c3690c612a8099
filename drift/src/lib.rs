//! This crate owns `compile --drift`.

pub mod compare;
pub mod input;
mod pair;
pub mod pattern;
pub mod source;
