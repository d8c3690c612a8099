//! Compile-time checks of literal option values.
//!
//! `#[call_flow]` turns `.ring_for(500)` into a `const` evaluation of [`ring_for`]`(500)`, so a
//! literal out of range is a rustc error at the user's tokens. The limits are those of
//! [`crate::pstn::limits`]; the builder checks non-literal constants (configuration values) with
//! the same limits when the flow is built.

use crate::pstn::limits;
use std::ops::RangeInclusive;

/// `retries(n)` of the digit-collecting actions (`Repeat`): at most 10 prompts in all.
pub const RETRIES: RangeInclusive<i64> = 0..=9;

const fn within(v: i64, r: &RangeInclusive<i64>) -> bool {
    v >= *r.start() && v <= *r.end()
}

pub const fn ring_for(v: i64) {
    if !within(v, &limits::CALL_AND_BRIDGE_TIMEOUT_SECONDS) {
        panic!("ring_for: CallAndBridge rings for 1 to 120 seconds (CallTimeoutSeconds)");
    }
}
pub const fn sip_code(v: i64) {
    if !(v == limits::SIP_RESPONSE_CODES[0]
        || v == limits::SIP_RESPONSE_CODES[1]
        || v == limits::SIP_RESPONSE_CODES[2])
    {
        panic!("sip_code: Hangup accepts only SIP response codes 0, 480 or 486");
    }
}
pub const fn retries(v: i64) {
    if !within(v, &RETRIES) {
        panic!("retries: ask again 0 to 9 times (Repeat)");
    }
}
pub const fn pause(v: i64) {
    if !within(v, &limits::PAUSE_DURATION_MS) {
        panic!("pause: PSTN audio pauses 100 to 30000 milliseconds");
    }
}
pub const fn digits(min: i64, max: i64) {
    if !within(min, &limits::NUMBER_OF_DIGITS) || !within(max, &limits::NUMBER_OF_DIGITS) {
        panic!("digits: collect 0 to 128 digits");
    }
    if min > max {
        panic!("digits: the minimum is above the maximum; write the range low..=high");
    }
}
pub const fn repeat(v: i64) {
    if !(v >= 1 && v <= 5) {
        panic!("repeat: PlayAudio repeats 1 to 5 times");
    }
}
pub const fn silence_seconds(v: i64) {
    if !within(v, &limits::RECORD_SILENCE_DURATION_SECONDS) {
        panic!("silence_seconds: 1 to 1000 seconds of silence end a recording");
    }
}
pub const fn silence_threshold(v: i64) {
    if !within(v, &limits::RECORD_SILENCE_THRESHOLD) {
        panic!("silence_threshold: the silence threshold is 1 to 1000");
    }
}
/// The one E.164 rule ([`limits::is_e164`], what `switchboard::pstn::E164` parses through).
pub const fn e164(s: &str) {
    if !limits::is_e164(s) {
        panic!("not an E.164 phone number: write +<country code><number>, e.g. \"+12065550100\"");
    }
}

/// The option methods and functions whose literal arguments `#[call_flow]` checks with the
/// `const fn` of the same name here. The macro crate keeps the same list; a test in
/// `switchboard-workflows` (`tests/checked_options.rs`) checks both agree.
pub const CHECKED: &[&str] = &[
    "ring_for",
    "sip_code",
    "retries",
    "pause",
    "digits",
    "repeat",
    "silence_seconds",
    "silence_threshold",
    "pstn",
    "caller_id",
];

/// `pstn("…")` and `caller_id("…")` check the same thing.
pub const fn pstn(s: &str) {
    e164(s)
}
pub const fn caller_id(s: &str) {
    e164(s)
}

#[cfg(test)]
mod tests {
    /// `#[call_flow]`'s literal check of `pstn("…")` / `caller_id("…")` follows the one E.164
    /// rule (`+`, 7 to 15 digits, the first not 0); it used to take a single digit.
    #[test]
    fn e164_literals_follow_the_one_rule() {
        let panics = |s: &'static str| std::panic::catch_unwind(|| super::pstn(s)).is_err();
        for ok in ["+6834002", "+123456789012345"] {
            assert!(!panics(ok), "{ok}");
        }
        for bad in [
            "+12",
            "+683400",
            "+1234567890123456",
            "+0123456789",
            "2065550100",
        ] {
            assert!(panics(bad), "{bad}");
        }
    }
}
