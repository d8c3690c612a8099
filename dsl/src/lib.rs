//! This crate owns what flow authors import: the flow IR and builder, the PSTN audio model, the prelude.
pub mod pstn;
pub mod wire;
