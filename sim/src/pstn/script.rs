//! What the caller and the network do: a script of [`Step`]s, used in order at the moments
//! that need them.
//!
//! A digit prompt (`SpeakAndGetDigits`, `PlayAudioAndGetDigits`, `ReceiveDigits`) takes one
//! `press` or `silent` per attempt; `RecordAudio` takes a `record` (or `silent`);
//! `CallAndBridge` takes a `bridge`; an outbound call takes an `answer`. `hang_up` lets the
//! audio of the response under way be heard, then hangs up at its first moment that waits for
//! the caller (or before the next response); `hang_up: {after}` hangs up that long into
//! whatever happens next. `wait` lets time pass once the call is over (so schedules fire and
//! place their calls). A step that does not
//! fit the moment is a script problem (the run fails and says which step); when the script runs
//! out, the caller hangs up at the next moment that needs them, and answers outbound calls.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A number of seconds, written `30`, `"30s"`, `"15m"` or `"2h"` in scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Seconds(pub u64);

impl Seconds {
    /// In milliseconds.
    pub fn millis(self) -> i64 {
        (self.0 as i64).saturating_mul(1000)
    }
}

impl Serialize for Seconds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(self.0)
    }
}

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of seconds, or a duration like \"90s\", \"15m\" or \"2h\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                u64::try_from(v).map(Seconds).map_err(|_| {
                    E::custom(format!(
                        "{v} is negative; write a duration like 30 or \"15m\""
                    ))
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
                parse_seconds(v).map(Seconds).ok_or_else(|| {
                    E::custom(format!(
                        "{v:?} is not a duration; write 30, \"90s\", \"15m\" or \"2h\""
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

fn parse_seconds(text: &str) -> Option<u64> {
    let t = text.trim();
    let (num, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let n: u64 = num.parse().ok()?;
    let mult = match unit.trim() {
        "s" | "sec" | "secs" | "seconds" => 1,
        "m" | "min" | "mins" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// How a `CallAndBridge` attempt goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BridgeOutcome {
    /// The called party answers: `ACTION_SUCCESSFUL`, later a hang-up of one leg.
    Answered,
    /// Nobody answers before `CallTimeoutSeconds`: `ACTION_FAILED` with `CallNotAnswered`.
    NoAnswer,
    /// The line is busy: `ACTION_FAILED` with `CallNotAnswered` ("Call not answered", the only
    /// failure the CallAndBridge page documents) at once, instead of after
    /// `CallTimeoutSeconds`.
    Busy,
}

/// Who ends a bridged conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Ender {
    /// The called party (LEG-B) hangs up; the caller stays on the line.
    #[default]
    Callee,
    /// The caller (LEG-A) hangs up, which ends the call.
    Caller,
}

/// A bridged call attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bridge {
    /// `answered`, `no_answer` or `busy`.
    pub outcome: BridgeOutcome,
    /// How long the bridged parties talk (answered calls).
    #[serde(default = "default_talk")]
    pub talk: Seconds,
    /// Who hangs up after talking: `callee` (default) or `caller`.
    #[serde(default)]
    pub ends: Ender,
}

fn default_talk() -> Seconds {
    Seconds(30)
}

/// What the caller says into a `RecordAudio`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RecordDef")]
pub struct Record {
    /// How long the caller talks.
    pub seconds: Seconds,
    /// A key pressed at the end (e.g. `"#"`), reported as `RecordingTerminatorUsed` when it is
    /// one of the action's `RecordingTerminators`.
    #[serde(default)]
    pub terminator: Option<String>,
    /// The caller hangs up after talking, in the middle of the recording (no terminator, no
    /// silence).
    #[serde(default)]
    pub hang_up: bool,
}

/// [`Record`] as written, before its fields are checked together.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordDef {
    seconds: Seconds,
    #[serde(default)]
    terminator: Option<String>,
    #[serde(default)]
    hang_up: bool,
}

impl TryFrom<RecordDef> for Record {
    type Error = String;
    fn try_from(r: RecordDef) -> Result<Record, String> {
        if r.hang_up && r.terminator.is_some() {
            return Err("record: a caller who hangs up presses no terminator; write either `terminator` or `hang_up: true`".into());
        }
        Ok(Record {
            seconds: r.seconds,
            terminator: r.terminator,
            hang_up: r.hang_up,
        })
    }
}

/// The value of `- hang_up: {after: 3s}`; anything but a map is refused with both forms.
struct HangUpAfter {
    after: Seconds,
}

impl<'de> Deserialize<'de> for HangUpAfter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            after: Seconds,
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HangUpAfter;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "`{after: 3s}` (or write `- hang_up` alone to hang up at the next moment)",
                )
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<HangUpAfter, A::Error> {
                let f = Fields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(HangUpAfter { after: f.after })
            }
        }
        d.deserialize_any(V)
    }
}

/// How an outbound call's called party responds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Picks up: `RINGING`, then `CALL_ANSWERED`.
    Answered,
    /// Lets it ring: `RINGING`, then `HANGUP` with `SipResponseCode` 480 (no answer).
    NoAnswer,
    /// Busy: `HANGUP` with `SipResponseCode` 486 (user busy), without ringing.
    Busy,
}

/// One thing the caller or the network does.
///
/// In YAML a step is written `- press: "1"` or, for steps without a value, `- silent` /
/// `- hang_up`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Press these keys at the next digit prompt attempt (`0`–`9`, `*`, `#`).
    Press(String),
    /// Press nothing at the next digit prompt attempt, or say nothing into a recording.
    Silent,
    /// Talk into the next `RecordAudio`.
    Record(Record),
    /// How the next `CallAndBridge` goes.
    Bridge(Bridge),
    /// How the called party of the next outbound call responds.
    Answer(Answer),
    /// Hang up once the audio of the response under way has been heard: at its first moment
    /// that waits for the caller (a digit prompt after its prompt, a recording, a bridge
    /// ringing, a pause) or, if none, before the next response.
    HangUp,
    /// Hang up this long into whatever PSTN audio does next, whatever is happening then
    /// (`- hang_up: {after: 3s}`).
    HangUpAfter(Seconds),
    /// Once the call is over, let this much time pass (schedules fire on the way).
    Wait(Seconds),
}

const STEPS: &[&str] = &[
    "press", "silent", "record", "bridge", "answer", "hang_up", "wait",
];

fn unit_step<E: de::Error>(name: &str) -> Result<Step, E> {
    match name {
        "silent" => Ok(Step::Silent),
        "hang_up" => Ok(Step::HangUp),
        other if STEPS.contains(&other) => Err(E::custom(format!(
            "the step `{other}` needs a value, e.g. `- {other}: ...`"
        ))),
        other => Err(E::unknown_variant(other, STEPS)),
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Step;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a step: `silent`, `hang_up`, or one of `press`, `record`, `bridge`, `answer`, `wait`, `hang_up` with its value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Step, E> {
                unit_step(v)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Step, A::Error> {
                let key: String = map
                    .next_key()?
                    .ok_or_else(|| de::Error::custom("an empty map is not a step"))?;
                let step = match key.as_str() {
                    "press" => Step::Press(map.next_value()?),
                    "record" => Step::Record(map.next_value()?),
                    "bridge" => Step::Bridge(map.next_value()?),
                    "answer" => Step::Answer(map.next_value()?),
                    "wait" => Step::Wait(map.next_value()?),
                    "hang_up" => Step::HangUpAfter(map.next_value::<HangUpAfter>()?.after),
                    other => {
                        let _: de::IgnoredAny = map.next_value()?;
                        unit_step(other)?
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a step has one key; `{extra}` belongs in a step of its own (`- {extra}: ...`)"
                    )));
                }
                Ok(step)
            }
        }
        d.deserialize_any(V)
    }
}

impl Step {
    /// A short description for messages and transcripts.
    pub fn describe(&self) -> String {
        match self {
            Step::Press(d) => format!("press {d:?}"),
            Step::Silent => "silent".into(),
            Step::Record(r) if r.hang_up => format!("record {} s, then hang up", r.seconds.0),
            Step::Record(r) => format!("record {} s", r.seconds.0),
            Step::Bridge(b) => format!("bridge {:?}", b.outcome),
            Step::Answer(a) => format!("answer {a:?}"),
            Step::HangUp => "hang_up".into(),
            Step::HangUpAfter(s) => format!("hang_up after {} s", s.0),
            Step::Wait(s) => format!("wait {} s", s.0),
        }
    }
}

/// The kinds of moment a step can be used at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// An attempt of a digit prompt.
    Digits,
    /// A `RecordAudio`.
    Record,
    /// A `CallAndBridge`.
    Bridge,
    /// An outbound call rings.
    Answer,
    /// Any other action (only `hang_up` is used here).
    Other,
    /// The call is over.
    Between,
}

/// The script and how far it has been used.
#[derive(Debug, Clone, Default)]
pub struct Script {
    steps: Vec<Step>,
    next: usize,
    /// Steps that did not fit the moment they met, with the reason.
    pub problems: Vec<String>,
}

impl Script {
    /// A script of `steps`.
    pub fn new(steps: Vec<Step>) -> Self {
        Script {
            steps,
            next: 0,
            problems: Vec::new(),
        }
    }

    /// The next step, unused.
    pub fn peek(&self) -> Option<&Step> {
        self.steps.get(self.next)
    }

    /// Use the next step as it is (the caller did what it says).
    pub fn advance(&mut self) {
        self.next = (self.next + 1).min(self.steps.len());
    }

    /// Take the next step for `moment` (`what` names the action for messages). `None` when
    /// the script is used up. A step that does not fit is reported and skipped over: the
    /// caller then does what a used-up script does (`HangUp`).
    pub fn take(&mut self, moment: Moment, what: &str) -> Option<Step> {
        let step = self.peek()?.clone();
        if matches!(step, Step::Wait(_)) && moment != Moment::Between {
            // The script moves on to later calls: this one is over for the caller.
            return None;
        }
        let fits = match (&step, moment) {
            (Step::HangUp, _) => true,
            (Step::Press(_) | Step::Silent, Moment::Digits) => true,
            (Step::Record(_) | Step::Silent, Moment::Record) => true,
            (Step::Bridge(_), Moment::Bridge) => true,
            (Step::Answer(_), Moment::Answer) => true,
            (Step::Wait(_), Moment::Between) => true,
            _ => false,
        };
        if !fits {
            self.problems.push(format!(
                "script step {} ({}) does not fit what happened: {what}",
                self.next + 1,
                step.describe()
            ));
            self.next = self.steps.len();
            return Some(Step::HangUp);
        }
        self.next += 1;
        Some(step)
    }

    /// Steps never used, described.
    pub fn unused(&self) -> Vec<String> {
        self.steps[self.next.min(self.steps.len())..]
            .iter()
            .enumerate()
            .map(|(i, s)| {
                format!(
                    "script step {} ({}) was never used",
                    self.next + i + 1,
                    s.describe()
                )
            })
            .collect()
    }
}
