//! This crate holds the documented facts of the Amazon Chime SDK PSTN audio service that more
//! than one part of Switchboard needs, each stated once:
//!
//! - [`param`]: one entry per numeric action parameter — the values PSTN audio accepts, its
//!   documented default, what Switchboard sends when a flow says nothing, and the page that
//!   documents it;
//! - [`option`]: the flow language's builder options that set those parameters, which action's
//!   chain each belongs to, and the range it accepts (narrower than the parameter's only with a
//!   stated reason);
//! - [`limits`]: the other limits (actions per response, text lengths, SIP codes) and the
//!   predicates for E.164 numbers, DTMF keys and ARNs.
//!
//! It has no dependencies, so the `#[call_flow]` macro checks literals against it at expansion
//! while the `switchboard` crate (which re-exports it as `switchboard::pstn`) uses it in the
//! builder, in [`Action::validate`](../switchboard/pstn/enum.Action.html) and in the simulator's
//! defaults.

pub mod limits;
pub mod option;
pub mod param;
pub mod regions;

pub use option::{BuilderOption, Rule};
pub use param::{Param, Unit};
