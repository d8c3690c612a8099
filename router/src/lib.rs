//! This crate owns the shared router Lambda between the Amazon Chime SDK PSTN audio service and
//! AWS Step Functions: event classification, the call's lifecycle, and the backends behind traits
//! (the AWS SDK for production, an in-process queue for the simulator).
//!
//! PSTN audio invokes the router for every call event. `NEW_INBOUND_CALL`/`NEW_OUTBOUND_CALL`
//! create the call's queue and start the execution named after the call's `TransactionId`; later
//! events complete the waiting task token, each at most once per instance; the router answers
//! with the actions the execution queued, a keep-alive `Pause` when the workflow is slow, a silent
//! hang-up of the bridged leg when the caller has left, or a deliberate apology and hang-up when
//! something is broken. See the README ("The router Lambda") for the event table.
//!
//! ```no_run
//! # async fn run(event: serde_json::Value) {
//! use std::time::{Duration, Instant};
//! use switchboard_router::{memory::MemoryQueue, Config, Router};
//! # struct MyEngine;
//! # impl switchboard_router::Engine for MyEngine {
//! #   async fn start_execution(&self, _: &str, _: &str, _: &str) -> switchboard_router::BackendResult<()> { Ok(()) }
//! #   async fn send_task_success(&self, _: &str, _: &str) -> switchboard_router::BackendResult<()> { Ok(()) }
//! #   async fn send_task_failure(&self, _: &str, _: &str, _: &str) -> switchboard_router::BackendResult<()> { Ok(()) }
//! #   async fn execution_running(&self, _: &str, _: &str) -> switchboard_router::BackendResult<bool> { Ok(true) }
//! # }
//! let config = Config::with_flows([("+12065550100".to_owned(),
//!     "arn:aws:states:us-east-1:123456789012:stateMachine:front-desk".to_owned())].into());
//! let router = Router::new(MyEngine, MemoryQueue::new(), config);
//! let reply = router.handle(&event, Instant::now() + Duration::from_secs(4)).await;
//! assert_eq!(reply.response["SchemaVersion"], "1.0");
//! # }
//! ```

#[cfg(feature = "aws")]
pub mod aws;
pub mod backend;
pub mod config;
pub mod event;
pub mod incident;
#[cfg(feature = "aws")]
pub mod lambda;
pub mod memory;
pub mod names;
pub mod polls;
pub mod response;
pub mod router;
pub mod tokens;

pub use backend::{ActionQueue, BackendError, BackendResult, Engine, ErrorKind, QueueMessage};
pub use config::{Config, ConfigError};
pub use incident::{Incident, Reply, Severity};
#[cfg(feature = "aws")]
pub use lambda::handle_invocation;
pub use router::Router;
