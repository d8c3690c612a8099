//! Compile-time checks of literal option values.
//!
//! `#[call_flow]` turns `.ring_for(500)` into a `const` evaluation of [`ring_for`]`(500)`, so a
//! literal out of range is a rustc error at the user's tokens. Each check reads its range from
//! the option table ([`crate::pstn::option::OPTIONS`]), the table the builder checks
//! configuration values with when the flow is built; only the messages are written here (a
//! `const` panic cannot format a number), and a test checks they state the table's values.
//!
//! Goes away once `#[call_flow]` checks literals against the option table at expansion.

use crate::pstn::limits;
use crate::pstn::option::{Rule, OPTIONS};

/// `a == b`, in a `const fn`.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The rule of the option `method` on the chain `action` (`""`: the function's own argument).
const fn rule(action: &str, method: &str) -> Rule {
    let mut i = 0;
    while i < OPTIONS.len() {
        let o = &OPTIONS[i];
        let named = match o.method {
            Some(m) => same(m, method),
            None => method.is_empty(),
        };
        let mut j = 0;
        while named && j < o.actions.len() {
            if same(o.actions[j], action) {
                return o.rule;
            }
            j += 1;
        }
        i += 1;
    }
    panic!("switchboard-pstn's option table has no such option")
}

/// `min..=max` of an integer option.
const fn int(action: &str, method: &str) -> (i64, i64) {
    match rule(action, method) {
        Rule::Int { min, max, .. } => (min, max),
        _ => panic!("not an integer option"),
    }
}

const RING_FOR: (i64, i64) = int("call_and_bridge", "ring_for");
const RETRIES: (i64, i64) = int("speak_and_get_digits", "retries");
const PAUSE: (i64, i64) = int("pause", "");
const REPEAT: (i64, i64) = int("play_audio", "repeat");
const SILENCE_SECONDS: (i64, i64) = int("record_audio", "silence_seconds");
const SILENCE_THRESHOLD: (i64, i64) = int("record_audio", "silence_threshold");
const SIP_CODES: &[i64] = match rule("hangup", "sip_code") {
    Rule::OneOf { values, .. } => values,
    _ => panic!("sip_code is not a list of codes"),
};
/// The ranges of `digits(lo..=hi)`'s two ends.
const DIGITS: ((i64, i64), (i64, i64)) = match rule("speak_and_get_digits", "digits") {
    Rule::Range { lo, hi } => ((lo.min, lo.max), (hi.min, hi.max)),
    _ => panic!("digits is not a range option"),
};

const fn within(v: i64, (min, max): (i64, i64)) -> bool {
    v >= min && v <= max
}

pub const fn ring_for(v: i64) {
    if !within(v, RING_FOR) {
        panic!("ring_for: CallAndBridge rings for 1 to 120 seconds (CallTimeoutSeconds)");
    }
}
pub const fn sip_code(v: i64) {
    let mut i = 0;
    while i < SIP_CODES.len() && SIP_CODES[i] != v {
        i += 1;
    }
    if i == SIP_CODES.len() {
        panic!("sip_code: Hangup accepts only SIP response codes 0, 480 or 486");
    }
}
pub const fn retries(v: i64) {
    if !within(v, RETRIES) {
        panic!("retries: ask again 0 to 9 times (Repeat)");
    }
}
pub const fn pause(v: i64) {
    if !within(v, PAUSE) {
        panic!("pause: PSTN audio pauses 100 to 30000 milliseconds");
    }
}
pub const fn digits(min: i64, max: i64) {
    if !within(min, DIGITS.0) || !within(max, DIGITS.1) {
        panic!("digits: collect 0 to 128 digits");
    }
    if min > max {
        panic!("digits: the minimum is above the maximum; write the range low..=high");
    }
}
pub const fn repeat(v: i64) {
    if !within(v, REPEAT) {
        panic!("repeat: PlayAudio repeats 1 to 5 times");
    }
}
pub const fn silence_seconds(v: i64) {
    if !within(v, SILENCE_SECONDS) {
        panic!("silence_seconds: 1 to 1000 seconds of silence end a recording");
    }
}
pub const fn silence_threshold(v: i64) {
    if !within(v, SILENCE_THRESHOLD) {
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
    use crate::pstn::option::{self, BuilderOption, Rule};
    use std::panic::catch_unwind;

    /// The message a check panics with, if it panics.
    fn refusal(check: impl FnOnce() + std::panic::UnwindSafe) -> Option<String> {
        let payload = catch_unwind(check).err()?;
        payload.downcast_ref::<&str>().map(|s| s.to_string())
    }

    /// Each integer check accepts exactly what the option table accepts, and its message states
    /// the table's range.
    #[test]
    fn integer_checks_are_the_option_tables() {
        let checks: [(&str, &str, fn(i64)); 6] = [
            ("call_and_bridge", "ring_for", super::ring_for),
            ("speak_and_get_digits", "retries", super::retries),
            ("pause", "", super::pause),
            ("play_audio", "repeat", super::repeat),
            ("record_audio", "silence_seconds", super::silence_seconds),
            (
                "record_audio",
                "silence_threshold",
                super::silence_threshold,
            ),
        ];
        for (action, method, check) in checks {
            let o: &BuilderOption = if method.is_empty() {
                option::argument(action).unwrap()
            } else {
                option::method(action, method).unwrap()
            };
            let Rule::Int { min, max, .. } = o.rule else {
                panic!("{method}")
            };
            for v in [min - 1, min, max, max + 1] {
                let refused = refusal(move || check(v));
                assert_eq!(
                    refused.is_some(),
                    o.check_int(v).is_err(),
                    "{action}.{method}({v})"
                );
                if let Some(m) = refused {
                    assert!(m.contains(&format!("{min} to {max}")), "{m}");
                }
            }
        }
    }

    #[test]
    fn sip_code_and_digits_are_the_option_tables() {
        let sip = option::method("hangup", "sip_code").unwrap();
        for v in [-1, 0, 404, 480, 486, 487] {
            let refused = refusal(move || super::sip_code(v));
            assert_eq!(refused.is_some(), sip.check_int(v).is_err(), "{v}");
        }
        let Rule::OneOf { values, .. } = sip.rule else {
            panic!()
        };
        let m = refusal(|| super::sip_code(1)).unwrap();
        let listed = values.iter().map(i64::to_string).collect::<Vec<_>>();
        assert!(
            m.ends_with(&format!("{} or {}", listed[..2].join(", "), listed[2])),
            "{m}"
        );
        let digits = option::method("speak_and_get_digits", "digits").unwrap();
        for (lo, hi) in [(0, 128), (-1, 3), (1, 129), (3, 2), (1, 1)] {
            let refused = refusal(move || super::digits(lo, hi));
            assert_eq!(
                refused.is_some(),
                digits.check_range(lo, hi).is_err(),
                "{lo}..={hi}"
            );
        }
        let m = refusal(|| super::digits(0, 129)).unwrap();
        let allowed = digits.check_range(0, 129).unwrap_err();
        assert!(
            allowed.contains(m.trim_start_matches("digits: collect ")),
            "{m} / {allowed}"
        );
    }

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
