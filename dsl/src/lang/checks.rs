//! Limits of the flow builder's own options. Literal option values are checked by
//! `#[call_flow]` against `switchboard-pstn`'s table while the macro runs; the builder checks
//! values that are not literals (configuration) when the flow is built.

use std::ops::RangeInclusive;

/// `retries(n)` of the digit-collecting actions (`Repeat`): at most 10 prompts in all.
pub const RETRIES: RangeInclusive<i64> = 0..=9;
