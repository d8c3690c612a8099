//! This crate owns Switchboard's pictures: a flow's graph read from its ASL definition (any
//! definition, compiled or hand-built, JSONata or JSONPath), laid out at build time, and one
//! self-contained HTML page per flow, optionally with a call traced on it from a Step Functions
//! execution history.
//!
//! - [`graph`]: the definition as graph data (nodes in words, labelled edges, badges, groups);
//! - [`words`] and [`describe`]: values and states in plain English.

pub mod describe;
pub mod graph;
pub mod words;

pub use graph::Graph;
