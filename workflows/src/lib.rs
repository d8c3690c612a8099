//! This crate owns Switchboard's call flows and the `compile` / `simulate` binaries.
