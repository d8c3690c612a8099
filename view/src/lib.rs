//! This crate owns Switchboard's pictures: a flow's graph read from its ASL definition (any
//! definition, compiled or hand-built, JSONata or JSONPath), laid out at build time, and one
//! self-contained HTML page per flow, optionally with a call traced on it from a Step Functions
//! execution history.
//!
//! - [`graph`]: the definition as graph data (nodes in words, labelled edges, badges, groups);
//! - [`words`] and [`describe`]: values and states in plain English;
//! - [`layout`]: where every box, edge and file area goes;
//! - [`page`]: the HTML page, [`trace`]: a call on it;
//! - [`coverage`]: what a set of calls went through, and its page.

pub mod cli;
pub mod coverage;
pub mod describe;
pub mod graph;
pub mod history;
pub mod layout;
pub mod page;
mod svg;
pub mod trace;
pub mod words;

pub use graph::Graph;
pub use page::render;
pub use trace::{Step, Trace};
