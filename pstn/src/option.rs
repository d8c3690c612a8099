//! The flow language's builder options that take a number or a phone number, which action they
//! belong to, and what they accept.
//!
//! `#[call_flow]` checks a literal argument against this table when the option is called on a
//! builder chain that starts at one of [`BuilderOption::actions`] (so `speak("-".repeat(10))` is
//! not mistaken for `play_audio(…).repeat(10)`); the builder checks the same rule at run time
//! for values that are not literals (configuration).

use crate::param::{self, Param, Unit};

/// What an option accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// One integer in `min..=max`. `param` is the action parameter it sets, when there is one;
    /// the option's range is the parameter's unless [`BuilderOption::why`] says why it is
    /// narrower.
    Int {
        /// The parameter it sets, if any.
        param: Option<&'static Param>,
        /// Smallest value.
        min: i64,
        /// Largest value.
        max: i64,
        /// What it counts.
        unit: Unit,
    },
    /// An inclusive range `lo..=hi` setting two parameters, `lo <= hi`.
    Range {
        /// The parameter `lo` sets.
        lo: &'static Param,
        /// The parameter `hi` sets.
        hi: &'static Param,
    },
    /// One of a fixed list of integers.
    OneOf {
        /// The allowed values.
        values: &'static [i64],
        /// Each value's meaning, for the message.
        meaning: &'static str,
    },
    /// An E.164 phone number ([`crate::limits::is_e164`]).
    E164,
}

/// A builder option (or a function's own argument) with a checked value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuilderOption {
    /// The flow-language functions whose builder chain this option belongs to (for a function
    /// argument, the function itself).
    pub actions: &'static [&'static str],
    /// The method name; `None` for the function's own (first) argument.
    pub method: Option<&'static str>,
    /// What it accepts.
    pub rule: Rule,
    /// What the option does, for messages: "CallAndBridge rings for".
    pub does: &'static str,
    /// Why the option's range is narrower than its parameter's (empty when it is not).
    pub why: &'static str,
}

const fn int(param: &'static Param) -> Rule {
    Rule::Int {
        param: Some(param),
        min: param.min,
        max: param.max,
        unit: param.unit,
    }
}

const fn narrower(param: &'static Param, min: i64, max: i64) -> Rule {
    Rule::Int {
        param: Some(param),
        min,
        max,
        unit: param.unit,
    }
}

const GET_DIGITS: &[&str] = &["speak_and_get_digits", "play_audio_and_get_digits"];
const RECORDS: &[&str] = &["record_audio", "take_message"];

/// Every checked option.
pub const OPTIONS: &[BuilderOption] = &[
    BuilderOption {
        actions: &["call_and_bridge"],
        method: Some("ring_for"),
        rule: int(&param::CALL_TIMEOUT_SECONDS),
        does: "CallAndBridge rings for",
        why: "",
    },
    BuilderOption {
        actions: &["call_and_bridge"],
        method: Some("caller_id"),
        rule: Rule::E164,
        does: "the caller ID shown to the callee is",
        why: "",
    },
    BuilderOption {
        actions: &["pstn"],
        method: None,
        rule: Rule::E164,
        does: "the number to call is",
        why: "",
    },
    BuilderOption {
        actions: &["hangup"],
        method: Some("sip_code"),
        rule: Rule::OneOf {
            values: &crate::limits::SIP_RESPONSE_CODES,
            meaning: "0 (normal clearing), 480 (unavailable) or 486 (busy)",
        },
        does: "Hangup sends the SIP response code",
        why: "",
    },
    BuilderOption {
        actions: &["pause"],
        method: None,
        rule: int(&param::PAUSE_DURATION_MS),
        does: "PSTN audio pauses",
        why: "",
    },
    BuilderOption {
        actions: GET_DIGITS,
        method: Some("digits"),
        rule: Rule::Range {
            lo: &param::MIN_NUMBER_OF_DIGITS,
            hi: &param::MAX_NUMBER_OF_DIGITS,
        },
        does: "the caller presses",
        why: "",
    },
    BuilderOption {
        actions: GET_DIGITS,
        method: Some("retries"),
        // `retries(n)` sends `Repeat: n + 1`.
        rule: Rule::Int {
            param: Some(&param::GET_DIGITS_REPEAT),
            min: 0,
            max: 9,
            unit: Unit::Times,
        },
        does: "the caller is asked again",
        why: "Switchboard asks at most 10 times in all, so a caller who does not answer is not held for minutes",
    },
    BuilderOption {
        actions: GET_DIGITS,
        method: Some("digit_timeout_ms"),
        rule: narrower(&param::IN_BETWEEN_DIGITS_MS, 1_000, 30_000),
        does: "the wait between two key presses is",
        why: "Switchboard keeps it between 1 and 30 seconds so callers can press keys at a human pace and are not kept waiting",
    },
    BuilderOption {
        actions: GET_DIGITS,
        method: Some("wait_ms"),
        rule: narrower(&param::REPEAT_DURATION_MS, 1_000, 30_000),
        does: "the wait for the first key press is",
        why: "Switchboard keeps it between 1 and 30 seconds so callers have time to answer and are not kept waiting",
    },
    BuilderOption {
        actions: &["play_audio"],
        method: Some("repeat"),
        rule: narrower(&param::PLAY_AUDIO_REPEAT, 1, 5),
        does: "PlayAudio plays the file",
        why: "Switchboard plays a file at most 5 times in one response",
    },
    BuilderOption {
        actions: RECORDS,
        method: Some("max_seconds"),
        rule: narrower(&param::RECORD_DURATION_SECONDS, 1, 3_600),
        does: "a recording lasts at most",
        why: "Switchboard records at most an hour in one action",
    },
    BuilderOption {
        actions: RECORDS,
        method: Some("silence_seconds"),
        rule: int(&param::RECORD_SILENCE_DURATION_SECONDS),
        does: "the silence that ends a recording lasts",
        why: "",
    },
    BuilderOption {
        actions: RECORDS,
        method: Some("silence_threshold"),
        rule: int(&param::RECORD_SILENCE_THRESHOLD),
        does: "the silence threshold is",
        why: "",
    },
    BuilderOption {
        actions: &["take_message"],
        method: Some("min_seconds"),
        rule: Rule::Int {
            param: None,
            min: 0,
            max: 60,
            unit: Unit::Seconds,
        },
        does: "a message left by hanging up is kept when it lasts at least",
        why: "",
    },
    BuilderOption {
        actions: &["wait_for_hangup"],
        method: Some("max_minutes"),
        rule: Rule::Int {
            param: None,
            min: 1,
            max: 1_440,
            unit: Unit::Minutes,
        },
        // Not a PSTN audio parameter: the waiting Task's TimeoutSeconds.
        does: "the flow waits for a hang-up for at most",
        why: "",
    },
];

/// The option `method` on a chain started by `action` (`("call_and_bridge", "ring_for")`).
pub fn method(action: &str, method: &str) -> Option<&'static BuilderOption> {
    OPTIONS
        .iter()
        .find(|o| o.method == Some(method) && o.actions.contains(&action))
}

/// The checked argument of the function `name` (`pause`, `pstn`).
pub fn argument(name: &str) -> Option<&'static BuilderOption> {
    OPTIONS
        .iter()
        .find(|o| o.method.is_none() && o.actions.contains(&name))
}

impl BuilderOption {
    /// How the option is written, e.g. `ring_for` or `pause`.
    pub fn name(&self) -> &'static str {
        self.method.unwrap_or(self.actions[0])
    }

    fn reject(&self, got: String, allowed: String) -> String {
        let mut m = format!("{}({got}): {} {allowed}", self.name(), self.does);
        if let Rule::Int { param: Some(p), .. } | Rule::Range { lo: p, .. } = self.rule {
            m.push_str(&format!(" ({}; {})", p.field, p.doc));
        }
        if !self.why.is_empty() {
            m.push_str(&format!(". {}", self.why));
        }
        m
    }

    /// Checks one integer; the error says what is allowed and where that is documented.
    pub fn check_int(&self, v: i64) -> Result<(), String> {
        match self.rule {
            Rule::Int { min, max, unit, .. } if !(min..=max).contains(&v) => {
                Err(self.reject(v.to_string(), format!("{min} to {max}{}", unit.suffix())))
            }
            Rule::OneOf { values, meaning } if !values.contains(&v) => {
                Err(self.reject(v.to_string(), format!("only {meaning}")))
            }
            Rule::Range { .. } | Rule::E164 => {
                Err(format!("{} does not take a single integer", self.name()))
            }
            _ => Ok(()),
        }
    }

    /// Checks an inclusive range `lo..=hi`.
    pub fn check_range(&self, lo: i64, hi: i64) -> Result<(), String> {
        let Rule::Range { lo: pl, hi: ph } = self.rule else {
            return Err(format!("{} does not take a range", self.name()));
        };
        let got = format!("{lo}..={hi}");
        if !pl.allows(lo) || !ph.allows(hi) {
            return Err(self.reject(got, pl.allowed()));
        }
        if lo > hi {
            return Err(format!(
                "{}({got}): the minimum is above the maximum; write the range low..=high",
                self.name()
            ));
        }
        Ok(())
    }

    /// Checks a phone number.
    pub fn check_str(&self, s: &str) -> Result<(), String> {
        match self.rule {
            Rule::E164 if !crate::limits::is_e164(s) => Err(format!(
                "{}({s:?}): {} not an E.164 phone number; write +<country code><number>, e.g. \"+12065550100\"",
                self.name(),
                self.does
            )),
            Rule::E164 => Ok(()),
            _ => Err(format!("{} does not take a string", self.name())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_found_only_on_their_own_chains() {
        assert!(method("play_audio", "repeat").is_some());
        assert!(
            method("speak", "repeat").is_none(),
            "a String's repeat is not an option"
        );
        assert!(method("take_message", "max_seconds").is_some());
        assert!(argument("pause").is_some() && argument("speak").is_none());
    }

    #[test]
    fn narrower_ranges_say_why_and_stay_inside_their_parameter() {
        for o in OPTIONS {
            if let Rule::Int {
                param: Some(p),
                min,
                max,
                ..
            } = o.rule
            {
                let same = (min, max) == (p.min, p.max);
                assert_eq!(same, o.why.is_empty(), "{}", o.name());
                if o.name() != "retries" {
                    assert!(p.allows(min) && p.allows(max), "{}", o.name());
                }
            }
        }
    }

    #[test]
    fn messages_name_the_limit_and_the_page() {
        let ring = method("call_and_bridge", "ring_for").unwrap();
        assert!(ring.check_int(30).is_ok());
        let e = ring.check_int(500).unwrap_err();
        assert_eq!(
            e,
            "ring_for(500): CallAndBridge rings for 1 to 120 seconds (CallTimeoutSeconds; \
             https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html)"
        );
        let digits = method("speak_and_get_digits", "digits").unwrap();
        assert!(digits.check_range(1, 3).is_ok());
        assert!(digits
            .check_range(0, 129)
            .unwrap_err()
            .contains("0 to 128 digits"));
        assert!(digits.check_range(3, 1).unwrap_err().contains("low..=high"));
        let sip = method("hangup", "sip_code").unwrap();
        assert!(sip.check_int(486).is_ok() && sip.check_int(404).is_err());
        let pstn = argument("pstn").unwrap();
        assert!(pstn.check_str("+12065550100").is_ok());
        assert!(pstn.check_str("2065550100").unwrap_err().contains("E.164"));
    }
}
