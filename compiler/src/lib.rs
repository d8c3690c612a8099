//! This crate owns the ASL model, lowering from flow IR to ASL, validation and canonical JSON emission.
