//! The expression layer of the ASL interpreter: everything that turns a field of a state into a
//! value, independent of the ASL model's types.
//!
//! - [`jsonata`]: `{% … %}` expressions (JSONata query language), with Step Functions' extra
//!   functions and a simulated clock.
//! - [`path`]: paths and reference paths (`$.x`, `$$.x`, `$var`), which both of the next two
//!   evaluate.
//! - [`jsonpath`]: the JSONPath-flavour payload templates (`Parameters`, `ResultSelector`,
//!   `ItemSelector`, `Assign`), `InputPath`, `ResultPath`, `OutputPath`.
//! - [`intrinsics`]: the `States.*` intrinsic functions.
//! - [`choice`]: JSONPath-flavour Choice rules, read from the raw JSON rule.
//!
//! Every failure is an [`EvalError`] carrying the Step Functions error name a `Catch` matches on.

pub mod choice;
mod clock;
mod error;
pub mod intrinsics;
pub mod jsonata;
pub mod jsonpath;
mod lazy;
pub mod path;
mod sfn;

pub use choice::eval_choice_rule;
pub use clock::{seeded_f64, Clock};
pub use error::EvalError;
pub use jsonata::{Bindings, JsonataEngine};
pub use jsonpath::PathField;
pub use lazy::{ContextObject, Lazy};
pub use path::Scope;

/// The execution's variables (`Assign`), by name without the leading `$`.
pub type Vars = serde_json::Map<String, serde_json::Value>;
