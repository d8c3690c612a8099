//! The flow language's runtime side: what `#[call_flow]` bodies call to build IR.

pub mod actions;
#[cfg(test)]
mod builder_tests;
pub mod control;
pub(crate) mod ctx;
pub mod helper;
pub mod message;
#[cfg(test)]
mod origin_tests;
pub mod results;
pub mod services;
pub mod step;
pub mod time;
pub mod val;

/// The action `Type` of [`actions::wait_for_hangup`]: not a PSTN audio action; the compiler sends
/// an empty action list for it.
pub const WAIT_KIND: &str = "WaitForHangup";
