//! This crate owns Switchboard's pictures: a flow's graph read from its ASL definition (any
//! definition, compiled or hand-built, JSONata or JSONPath), laid out at build time, and one
//! self-contained HTML page per flow, optionally with a call traced on it from a Step Functions
//! execution history.
//!
//! - [`graph`]: the definition as graph data (nodes in words, labelled edges, badges, groups);
//! - [`words`] and [`describe`]: values and states in plain English;
//! - [`layout`]: where every box, edge and file area goes;
//! - [`page`]: the HTML page, [`trace`]: a call on it, [`history`]: a call read from a
//!   Step Functions execution history;
//! - [`coverage`]: what a set of calls went through, and its page.
//!
//! A call on a flow's page, as a simulator that records its executions in the shape of
//! `GetExecutionHistory` would draw it:
//!
//! ```
//! use switchboard_asl::StateMachine;
//! use switchboard_view::history::{self, History, HistoryEvent, StateEntered};
//! use switchboard_view::{page, Graph};
//!
//! let machine = StateMachine::from_json(
//!     r#"{"StartAt": "Hi", "States": {"Hi": {"Type": "Succeed", "Comment": "flows/hi.rs:3 — the call ended"}}}"#,
//! )?;
//! let graph = Graph::from_machine("hi", &machine)?;
//! let entered = HistoryEvent {
//!     id: 1,
//!     kind: "SucceedStateEntered".into(),
//!     timestamp: 1749564000.0.into(),
//!     state_entered_event_details: Some(StateEntered { name: "Hi".into(), ..StateEntered::default() }),
//!     ..HistoryEvent::default()
//! };
//! let mut trace = history::trace(&History { events: vec![entered] }, &graph, "says hello")?;
//! // An expectation that failed at this step: drawn in red.
//! trace.steps[0].failed.push("expected to hear “Hello”".into());
//! let html = page::render(&graph, Some(&trace));
//! assert!(html.contains(r#"data-state="Hi""#) && html.contains("expected to hear “Hello”"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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
