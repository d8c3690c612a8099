//! One entry per numeric action parameter: the values PSTN audio accepts, its default, and the
//! page that says so.
//!
//! Validation of whole actions (`switchboard::pstn::Action::validate`), the flow builder, the
//! macro's literal checks and the simulator's defaults all read these entries; nothing else
//! states a range or a default.

use std::ops::RangeInclusive;

/// What a number counts, for messages ("1 to 120 seconds").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A plain count or level.
    Count,
    /// Digits collected.
    Digits,
    /// Milliseconds.
    Milliseconds,
    /// Seconds.
    Seconds,
    /// Minutes.
    Minutes,
    /// Times something is played or asked.
    Times,
}

impl Unit {
    /// The unit's name after a number, with a leading space (empty for [`Unit::Count`]).
    pub const fn suffix(self) -> &'static str {
        match self {
            Unit::Count => "",
            Unit::Digits => " digits",
            Unit::Milliseconds => " milliseconds",
            Unit::Seconds => " seconds",
            Unit::Minutes => " minutes",
            Unit::Times => " times",
        }
    }
}

/// A numeric parameter of a PSTN audio action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The action `Type`, e.g. `CallAndBridge`.
    pub action: &'static str,
    /// The field under `Parameters`, e.g. `CallTimeoutSeconds`.
    pub field: &'static str,
    /// Smallest value accepted.
    pub min: i64,
    /// Largest value accepted.
    pub max: i64,
    /// The value PSTN audio uses when the field is absent, when documented.
    pub default: Option<i64>,
    /// The value the flow builder sends when a flow does not set it. The simulator also assumes
    /// it when a hand-built action leaves out a parameter whose default is not documented (the
    /// documentation is silent; the conservative reading is to behave as Switchboard's own
    /// flows do).
    pub sends: Option<i64>,
    /// What the number counts.
    pub unit: Unit,
    /// The page that documents the range and the default.
    pub doc: &'static str,
    /// A value outside `min..=max` that the service is known to accept anyway (see
    /// [`PLAY_AUDIO_REPEAT`]). Validation reports it as
    /// `ConstraintKind::Tolerated`, so a strict caller (the compiler) refuses it and a
    /// faithful one (the simulator) plays it.
    pub tolerated: Option<i64>,
}

impl Param {
    /// `min..=max`.
    pub const fn range(&self) -> RangeInclusive<i64> {
        RangeInclusive::new(self.min, self.max)
    }

    /// The value in force when the field is absent: the documented default, else what
    /// Switchboard sends. Only for parameters that have one of the two (a `const` using it on
    /// any other parameter fails to compile).
    pub const fn absent(&self) -> i64 {
        match (self.default, self.sends) {
            (Some(v), _) | (None, Some(v)) => v,
            (None, None) => {
                panic!("this parameter has neither a default nor a value Switchboard sends")
            }
        }
    }

    /// `true` when `v` is within `min..=max`.
    pub const fn allows(&self, v: i64) -> bool {
        v >= self.min && v <= self.max
    }

    /// `true` when `v` is outside the range but is [`Param::tolerated`].
    pub const fn tolerates(&self, v: i64) -> bool {
        matches!(self.tolerated, Some(t) if t == v)
    }

    /// `Action.Field`, e.g. `CallAndBridge.CallTimeoutSeconds`.
    pub fn path(&self) -> String {
        format!("{}.{}", self.action, self.field)
    }

    /// The allowed values in words, e.g. `1 to 120 seconds`, or `1 or more milliseconds`.
    pub fn allowed(&self) -> String {
        if self.max == i64::MAX {
            format!("{} or more{}", self.min, self.unit.suffix())
        } else {
            format!("{} to {}{}", self.min, self.max, self.unit.suffix())
        }
    }
}

const CALL_AND_BRIDGE: &str =
    "https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html";
const UNEXPECTED_ACTION_FAIL: &str =
    "https://docs.aws.amazon.com/chime-sdk/latest/dg/unexpected-action-fail.html";
const PAUSE: &str = "https://docs.aws.amazon.com/chime-sdk/latest/dg/pause.html";
const PLAY_AUDIO: &str = "https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html";
const SPEAK_AND_GET_DIGITS: &str =
    "https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html";
const RECORD_AUDIO: &str = "https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html";
const SEND_DIGITS: &str = "https://docs.aws.amazon.com/chime-sdk/latest/dg/send-digits.html";
const RECEIVE_DIGITS: &str =
    "https://docs.aws.amazon.com/chime-sdk/latest/dg/listen-to-digits.html";

/// `CallAndBridge.CallTimeoutSeconds`: "Between 1 and 120, inclusive", default 30.
pub const CALL_TIMEOUT_SECONDS: Param = Param {
    action: "CallAndBridge",
    field: "CallTimeoutSeconds",
    min: 1,
    max: 120,
    default: Some(30),
    sends: Some(30),
    unit: Unit::Seconds,
    doc: CALL_AND_BRIDGE,
    tolerated: None,
};

/// `Pause.DurationInMilliseconds`. The action page says "an integer >0"; the service's own
/// resolution for the error is "Set the pause duration to between 100 and 30000", the
/// conservative reading used here.
pub const PAUSE_DURATION_MS: Param = Param {
    action: "Pause",
    field: "DurationInMilliseconds",
    min: 100,
    max: 30_000,
    default: None,
    sends: None,
    unit: Unit::Milliseconds,
    doc: PAUSE,
    tolerated: None,
};

/// `MinNumberOfDigits` of `SpeakAndGetDigits` / `PlayAudioAndGetDigits`: "between 0 and 128",
/// default 0.
pub const MIN_NUMBER_OF_DIGITS: Param = Param {
    action: "SpeakAndGetDigits",
    field: "MinNumberOfDigits",
    min: 0,
    max: 128,
    default: Some(0),
    sends: None,
    unit: Unit::Digits,
    doc: UNEXPECTED_ACTION_FAIL,
    tolerated: None,
};

/// `MaxNumberOfDigits` of `SpeakAndGetDigits` / `PlayAudioAndGetDigits`: "between 0 and 128",
/// default 128.
pub const MAX_NUMBER_OF_DIGITS: Param = Param {
    action: "SpeakAndGetDigits",
    field: "MaxNumberOfDigits",
    min: 0,
    max: 128,
    default: Some(128),
    sends: None,
    unit: Unit::Digits,
    doc: UNEXPECTED_ACTION_FAIL,
    tolerated: None,
};

/// `Repeat` of `SpeakAndGetDigits` / `PlayAudioAndGetDigits`: "an integer greater than zero",
/// default 1. `0` is tolerated: the reference workflow, published by AWS and run on PSTN audio,
/// sends it on every owner call ("Ask to continue or hangup"), so the service accepts it (and
/// asks once).
pub const GET_DIGITS_REPEAT: Param = Param {
    action: "SpeakAndGetDigits",
    field: "Repeat",
    min: 1,
    max: i64::MAX,
    default: Some(1),
    sends: None,
    unit: Unit::Times,
    doc: SPEAK_AND_GET_DIGITS,
    tolerated: Some(0),
};

/// `InBetweenDigitsDurationInMilliseconds` of the get-digits actions: "an integer greater than
/// zero"; no default is documented.
pub const IN_BETWEEN_DIGITS_MS: Param = Param {
    action: "SpeakAndGetDigits",
    field: "InBetweenDigitsDurationInMilliseconds",
    min: 1,
    max: i64::MAX,
    default: None,
    sends: Some(3_000),
    unit: Unit::Milliseconds,
    doc: SPEAK_AND_GET_DIGITS,
    tolerated: None,
};

/// `RepeatDurationInMilliseconds` of the get-digits actions (required): "an integer greater
/// than zero".
pub const REPEAT_DURATION_MS: Param = Param {
    action: "SpeakAndGetDigits",
    field: "RepeatDurationInMilliseconds",
    min: 1,
    max: i64::MAX,
    default: None,
    sends: Some(5_000),
    unit: Unit::Milliseconds,
    doc: SPEAK_AND_GET_DIGITS,
    tolerated: None,
};

/// `PlayAudio.Repeat`: "an integer greater than zero", default 1; `0` tolerated as for
/// [`GET_DIGITS_REPEAT`] (the reference workflow's "Play Voicemail").
pub const PLAY_AUDIO_REPEAT: Param = Param {
    action: "PlayAudio",
    field: "Repeat",
    min: 1,
    max: i64::MAX,
    default: Some(1),
    sends: None,
    unit: Unit::Times,
    doc: PLAY_AUDIO,
    tolerated: Some(0),
};

/// `RecordAudio.DurationInSeconds`: "an integer greater than zero".
pub const RECORD_DURATION_SECONDS: Param = Param {
    action: "RecordAudio",
    field: "DurationInSeconds",
    min: 1,
    max: i64::MAX,
    default: None,
    sends: None,
    unit: Unit::Seconds,
    doc: RECORD_AUDIO,
    tolerated: None,
};

/// `RecordAudio.SilenceDurationInSeconds`: "[1;1000]".
pub const RECORD_SILENCE_DURATION_SECONDS: Param = Param {
    action: "RecordAudio",
    field: "SilenceDurationInSeconds",
    min: 1,
    max: 1_000,
    default: None,
    sends: None,
    unit: Unit::Seconds,
    doc: RECORD_AUDIO,
    tolerated: None,
};

/// `RecordAudio.SilenceThreshold`: "[1;1000]", default 200.
pub const RECORD_SILENCE_THRESHOLD: Param = Param {
    action: "RecordAudio",
    field: "SilenceThreshold",
    min: 1,
    max: 1_000,
    default: Some(200),
    sends: Some(200),
    unit: Unit::Count,
    doc: RECORD_AUDIO,
    tolerated: None,
};

/// `SendDigits.ToneDurationInMilliseconds`: "Any integer between 50 and 24000", default 250.
pub const TONE_DURATION_MS: Param = Param {
    action: "SendDigits",
    field: "ToneDurationInMilliseconds",
    min: 50,
    max: 24_000,
    default: Some(250),
    sends: Some(250),
    unit: Unit::Milliseconds,
    doc: SEND_DIGITS,
    tolerated: None,
};

/// `ReceiveDigits.InBetweenDigitsDurationInMilliseconds` (required): "an integer greater than
/// zero".
pub const RECEIVE_IN_BETWEEN_DIGITS_MS: Param = Param {
    action: "ReceiveDigits",
    field: "InBetweenDigitsDurationInMilliseconds",
    min: 1,
    max: i64::MAX,
    default: None,
    sends: None,
    unit: Unit::Milliseconds,
    doc: RECEIVE_DIGITS,
    tolerated: None,
};

/// Every entry, for tests and documentation.
pub const ALL: &[&Param] = &[
    &CALL_TIMEOUT_SECONDS,
    &PAUSE_DURATION_MS,
    &MIN_NUMBER_OF_DIGITS,
    &MAX_NUMBER_OF_DIGITS,
    &GET_DIGITS_REPEAT,
    &IN_BETWEEN_DIGITS_MS,
    &REPEAT_DURATION_MS,
    &PLAY_AUDIO_REPEAT,
    &RECORD_DURATION_SECONDS,
    &RECORD_SILENCE_DURATION_SECONDS,
    &RECORD_SILENCE_THRESHOLD,
    &TONE_DURATION_MS,
    &RECEIVE_IN_BETWEEN_DIGITS_MS,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_coherent() {
        for p in ALL {
            assert!(p.min <= p.max, "{}", p.path());
            for d in [p.default, p.sends].into_iter().flatten() {
                assert!(p.allows(d), "{}: default {d} outside its range", p.path());
            }
            if let Some(t) = p.tolerated {
                assert!(
                    !p.allows(t),
                    "{}: tolerated {t} is already allowed",
                    p.path()
                );
            }
            assert!(
                p.doc.starts_with("https://docs.aws.amazon.com/"),
                "{}",
                p.path()
            );
        }
    }

    #[test]
    fn words() {
        assert_eq!(CALL_TIMEOUT_SECONDS.allowed(), "1 to 120 seconds");
        assert_eq!(PLAY_AUDIO_REPEAT.allowed(), "1 or more times");
        assert!(PLAY_AUDIO_REPEAT.tolerates(0) && !PLAY_AUDIO_REPEAT.tolerates(-1));
    }
}
