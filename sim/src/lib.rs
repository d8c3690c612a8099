//! This crate owns the offline runtime: an ASL interpreter and a PSTN audio simulator.
