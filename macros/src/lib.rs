//! This crate owns the `#[call_flow]` attribute: it parses a restricted Rust function body, checks it, and expands it into calls to `::switchboard::__private`.
