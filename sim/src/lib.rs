//! This crate owns the offline runtime: an ASL interpreter and a PSTN audio simulator.
//!
//! [`expr`] is the interpreter's expression layer: JSONata, JSONPath, intrinsic functions and
//! Choice rules, with time and randomness from a simulated [`expr::Clock`]. [`interp`] runs
//! state machines as resumable executions; [`services`] holds the in-memory integrations
//! (SQS, DynamoDB, Scheduler, S3, Lambda) their Tasks call; [`history`] writes an execution as
//! Step Functions' `GetExecutionHistory` reports it.

pub mod cost;
pub mod expr;
pub mod history;
pub mod integration;
pub mod interp;
pub mod pstn;
pub mod scenario;
pub mod services;
