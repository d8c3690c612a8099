//! The typed PSTN audio model: every action with its documented constraints, the Lambda
//! response, and every invocation event.
//!
//! Developer guide: <https://docs.aws.amazon.com/chime-sdk/latest/dg/writing-lambdas.html>.
//! Numbers are read from JSON numbers or numeric strings and written back in the form they came
//! in ([`Int`]); values built in Rust are written as JSON numbers.

mod action;
mod e164;
mod event;
mod int;
pub mod limits;
mod response;
mod validate;

pub use action::*;
pub use e164::{NotE164, E164};
pub use event::{
    ActionData, CallDetails, EventType, InvocationEvent, Participant, RecordingLocation,
};
pub use int::Int;
pub use response::Response;
pub use switchboard_pstn::{option, param, regions};
pub use validate::{ConstraintError, ConstraintKind};
