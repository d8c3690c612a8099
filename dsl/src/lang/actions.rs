//! Every PSTN audio action as a flow-language function with builder methods for its options.
//!
//! Option values are checked against the option table ([`crate::pstn::option`]) while the flow
//! is built (`#[call_flow]` checks literal values earlier, against the same table); an error
//! names the Rust line of the offending call. What an action sends when the flow says nothing
//! comes from the parameter table ([`crate::pstn::param`]).
//! Parameter names and shapes: <https://docs.aws.amazon.com/chime-sdk/latest/dg/specify-actions.html>

use super::ctx;
use super::results::{CallRecording, Digits, Done, Recording};
use super::step::{const_str, expect_kind, summary_of, ActionKind, Step};
use super::val::{ToVal, Val};
use crate::ir::{Expr, Kind, Loc, ResultShape, Tree};
use crate::origin::{Flag, Opt, Sent};
use crate::pstn::option::{self, BuilderOption};
use crate::pstn::{limits, param, Action};
use serde_json::{json, Value as Json};
use std::ops::RangeInclusive;

mod bridge;
mod call;
mod digits;
pub use bridge::{call_and_bridge, pstn, voice_connector, Endpoint};
pub use call::{
    join_chime_meeting, modify_chime_meeting_attendees, pause_call_recording,
    resume_call_recording, start_bot_conversation, start_call_recording, stop_call_recording,
    voice_focus,
};
pub use digits::{play_audio_and_get_digits, speak_and_get_digits, DEFAULT_FAILURE_TEXT};

macro_rules! kinds {
    ($($(#[$m:meta])* $name:ident => $out:ty, $shape:expr;)*) => {
        /// Marker types naming each action in [`Step`].
        pub mod kinds {
            use super::*;
            $($(#[$m])* pub struct $name;
            impl ActionKind for $name {
                type Out = $out;
                fn shape() -> ResultShape { $shape }
            })*
        }
    };
}

fn digits_shape() -> ResultShape {
    ResultShape::Fields(vec![("digits", vec!["ActionData", "ReceivedDigits"])])
}

kinds! {
    Speak => Done, ResultShape::None;
    SpeakAndGetDigits => Digits, digits_shape();
    PlayAudio => Done, ResultShape::None;
    PlayAudioAndGetDigits => Digits, digits_shape();
    ReceiveDigits => Digits, digits_shape();
    RecordAudio => Recording, ResultShape::Fields(vec![
        ("bucket", vec!["ActionData", "RecordingDestination", "BucketName"]),
        ("key", vec!["ActionData", "RecordingDestination", "Key"]),
    ]);
    CallAndBridge => Done, ResultShape::None;
    Hangup => Done, ResultShape::None;
    Pause => Done, ResultShape::None;
    SendDigits => Done, ResultShape::None;
    JoinChimeMeeting => Done, ResultShape::None;
    ModifyChimeMeetingAttendees => Done, ResultShape::None;
    StartBotConversation => Val, ResultShape::Fields(vec![("intent", vec!["ActionData", "IntentResult"])]);
    StartCallRecording => CallRecording, ResultShape::Fields(vec![
        ("location", vec!["ActionData", "CallRecordingDestination", "Location"]),
    ]);
    StopCallRecording => Done, ResultShape::None;
    PauseCallRecording => Done, ResultShape::None;
    ResumeCallRecording => Done, ResultShape::None;
    VoiceFocus => Done, ResultShape::None;
    WaitForHangup => Done, ResultShape::None;
}

/// The caller's `CallId` (`$call.CallId`).
fn call_id() -> Tree {
    Tree::Leaf(Expr::var(super::results::Call::VAR).field("CallId"))
}

fn with_call_id<K: ActionKind>(s: Step<K>) -> Step<K> {
    s.set(&["CallId"], call_id())
}

fn check_text(v: &Val, what: &str, loc: Loc) {
    expect_kind(v, &[Kind::Str], what, loc);
    if let Some(t) = const_str(v) {
        let n = t.chars().count();
        if n == 0 {
            ctx::error(loc, format!("{what} is empty: give the text to speak"));
        } else if n > limits::SPEAK_TEXT_MAX_CHARS {
            ctx::error(
                loc,
                format!("{what} has {n} characters; PSTN audio speaks at most {} per action: split it into several `speak` calls", limits::SPEAK_TEXT_MAX_CHARS),
            );
        }
    }
}

/// The option `name` of the builder chain that `chain` starts, in the option table.
pub(crate) fn option(chain: &str, name: &str) -> &'static BuilderOption {
    option::method(chain, name)
        .unwrap_or_else(|| panic!("switchboard-pstn's option table has no `{name}` on `{chain}`"))
}

/// The checked argument of the function `name` in the option table.
fn argument(name: &str) -> &'static BuilderOption {
    option::argument(name)
        .unwrap_or_else(|| panic!("switchboard-pstn's option table has no argument of `{name}`"))
}

/// Checks an integer option against its table entry (an error names the caller's line) and
/// returns it brought inside the option's range, for what is derived from it (a timeout).
pub(crate) fn check_int(loc: Loc, o: &BuilderOption, v: i64) -> i64 {
    if let Err(e) = o.check_int(v) {
        ctx::error(loc, e);
    }
    o.clamp(v)
}

/// Seconds, for a waiting Task's timeout, from a table value.
const fn secs(v: i64) -> u32 {
    v as u32
}

fn check_terminators(loc: Loc, what: &str, keys: &str) {
    if let Some(bad) = keys.chars().find(|c| !limits::is_dtmf(*c)) {
        ctx::error(
            loc,
            format!("{what}(\"{keys}\"): `{bad}` is not a DTMF key; use 0-9, * or #"),
        );
    }
}

/// Seconds to speak `text`, for the waiting Task's timeout: ~12 characters a second, plus slack.
fn speech_seconds(v: &Val) -> u32 {
    let chars = const_str(v)
        .map(|t| t.chars().count())
        .unwrap_or(limits::SPEAK_TEXT_MAX_CHARS);
    (chars / 12) as u32 + 5
}

/// The voice options of the speaking actions ([`voice_options!`]), each on its field of the
/// speech parameters.
const VOICE: Opt = Opt::method("voice", &["VoiceId"], Sent::Same);
const LANGUAGE: Opt = Opt::method("language", &["LanguageCode"], Sent::Same);
const STANDARD_ENGINE: Opt = Opt::method(
    "standard_engine",
    &["Engine"],
    Sent::Flag(Flag::Str("standard")),
);
const SSML: Opt = Opt::method("ssml", &["TextType"], Sent::Flag(Flag::Str("ssml")));

/// Speech parameters under `prefix`: the text (set by `text_opt` at `loc`) and the neural
/// engine. `LanguageCode` (en-US), `TextType` (text) and `VoiceId` (Joanna) are left to their
/// documented defaults unless an option sets them
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>), which keeps every prompt of
/// the definition shorter.
fn speech<K: ActionKind>(
    s: Step<K>,
    prefix: &[&str],
    text_opt: Opt,
    text: &Val,
    loc: Loc,
) -> Step<K> {
    s.set_by_val(text_opt, prefix, text, loc)
        .default_by(STANDARD_ENGINE, prefix, Some(Tree::lit("neural")))
        .default_by(VOICE, prefix, None)
        .default_by(LANGUAGE, prefix, None)
        .default_by(SSML, prefix, None)
}

/// An S3 audio source under `at`, its bucket and key the arguments of `opt` (`opt.arg` the
/// bucket's, the key the next); `called: false` records `opt` as the call that would set them.
fn s3_source<K: ActionKind>(
    s: Step<K>,
    at: &[&str],
    opt: Opt,
    (bucket, key): (&Val, &Val),
    loc: Option<Loc>,
) -> Step<K> {
    let s = s.set(at, Tree::Object(vec![("Type".into(), Tree::lit("S3"))]));
    let bucket_opt = Opt {
        field: &["BucketName"],
        ..opt
    };
    let key_opt = Opt {
        field: &["Key"],
        ..opt.arg(opt.arg + 1)
    };
    match loc {
        Some(loc) => s
            .set_by_val(bucket_opt, at, bucket, loc)
            .set_by_val(key_opt, at, key, loc),
        None => s
            .default_by(bucket_opt, at, Some(Tree::Leaf(bucket.expr())))
            .default_by(key_opt, at, Some(Tree::Leaf(key.expr()))),
    }
}

fn short(v: &Val) -> String {
    summary_of(v)
}

/// Speaks text to the caller (Amazon Polly). <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>
#[track_caller]
pub fn speak(text: impl ToVal) -> Step<kinds::Speak> {
    let loc = Loc::caller();
    let text = text.to_val();
    check_text(&text, "speak text", loc);
    let s = Step::new(
        Action::SPEAK,
        format!("Speak {}", short(&text)),
        speech_seconds(&text),
        loc,
    );
    speech(with_call_id(s), &[], SPEAK_TEXT, &text, loc)
}

/// `speak`'s text.
const SPEAK_TEXT: Opt = Opt::argument("speak", 0, &["Text"]);

/// Options shared by the speaking actions.
macro_rules! voice_options {
    ($kind:ty, $prefix:expr) => {
        impl Step<$kind> {
            /// The Amazon Polly voice (`VoiceId`, default `Joanna`).
            #[track_caller]
            pub fn voice(self, voice_id: &str) -> Self {
                self.set_by(VOICE, $prefix, json!(voice_id), Loc::caller())
            }
            /// The language (`LanguageCode`, default `en-US`).
            #[track_caller]
            pub fn language(self, code: &str) -> Self {
                self.set_by(LANGUAGE, $prefix, json!(code), Loc::caller())
            }
            /// Use Polly's `standard` engine instead of `neural`.
            #[track_caller]
            pub fn standard_engine(self) -> Self {
                self.set_by(STANDARD_ENGINE, $prefix, Json::Null, Loc::caller())
            }
            /// The text is SSML (`TextType: ssml`).
            #[track_caller]
            pub fn ssml(self) -> Self {
                self.set_by(SSML, $prefix, Json::Null, Loc::caller())
            }
        }
    };
}
voice_options!(kinds::Speak, &[]);
voice_options!(kinds::SpeakAndGetDigits, &["SpeechParameters"]);

/// Plays an audio file from S3. <https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html>
#[track_caller]
pub fn play_audio(bucket: impl ToVal, key: impl ToVal) -> Step<kinds::PlayAudio> {
    let loc = Loc::caller();
    let (bucket, key) = (bucket.to_val(), key.to_val());
    let s = Step::new(Action::PLAY_AUDIO, format!("Play {}", short(&key)), 40, loc);
    let audio = Opt::argument("play_audio", 0, &[]);
    s3_source(
        with_call_id(s),
        &["AudioSource"],
        audio,
        (&bucket, &key),
        Some(loc),
    )
    .default_by(PLAY_REPEAT, &[], None)
    .default_by(PLAYBACK_TERMINATORS, &[], None)
}

const PLAY_REPEAT: Opt = Opt::method("repeat", &[param::PLAY_AUDIO_REPEAT.field], Sent::Same);
const PLAYBACK_TERMINATORS: Opt = Opt::method("terminators", &["PlaybackTerminators"], Sent::Keys);

impl Step<kinds::PlayAudio> {
    /// Plays the audio `n` times (`Repeat`; the range is in the option table).
    #[track_caller]
    pub fn repeat(mut self, n: i64) -> Self {
        let loc = Loc::caller();
        let times = check_int(loc, option("play_audio", "repeat"), n);
        self.action.max_seconds *= secs(times);
        self.set_by(PLAY_REPEAT, &[], json!(n), loc)
    }
    /// Keys that stop the playback (`PlaybackTerminators`).
    #[track_caller]
    pub fn terminators(self, keys: &str) -> Self {
        let loc = Loc::caller();
        check_terminators(loc, "terminators", keys);
        self.set_by(PLAYBACK_TERMINATORS, &[], json!(keys), loc)
    }
}

/// Reports digits matching `regex` whenever the caller presses them, while other actions run
/// (a `DIGITS_RECEIVED` event). <https://docs.aws.amazon.com/chime-sdk/latest/dg/listen-to-digits.html>
#[track_caller]
pub fn receive_digits(regex: &str) -> Step<kinds::ReceiveDigits> {
    let loc = Loc::caller();
    let s = Step::new(
        Action::RECEIVE_DIGITS,
        format!("Listen for {regex}"),
        30,
        loc,
    );
    let regex_opt = Opt::argument("receive_digits", 0, &["InputDigitsRegex"]);
    with_call_id(s)
        .set_by(regex_opt, &[], json!(regex), loc)
        .set(
            &["InBetweenDigitsDurationInMilliseconds"],
            Tree::lit(param::RECEIVE_IN_BETWEEN_DIGITS_MS.sent()),
        )
        .set(
            &["FlushDigitsDurationInMilliseconds"],
            Tree::lit(param::RECEIVE_FLUSH_DIGITS_MS.sent()),
        )
}

/// Records the caller to S3 under `prefix` (a beep is not played: add `play_audio` before).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>
#[track_caller]
pub fn record_audio(bucket: impl ToVal, prefix: impl ToVal) -> Step<kinds::RecordAudio> {
    let loc = Loc::caller();
    let (bucket, prefix) = (bucket.to_val(), prefix.to_val());
    if let Some(p) = const_str(&prefix) {
        if p.chars().count() > limits::RECORDING_PREFIX_MAX_CHARS {
            ctx::error(
                loc,
                format!(
                    "record_audio prefix is longer than {} characters",
                    limits::RECORDING_PREFIX_MAX_CHARS
                ),
            );
        }
    }
    let duration = param::RECORD_DURATION_SECONDS.sent();
    let s = Step::new(
        Action::RECORD_AUDIO,
        "Record message".into(),
        secs(duration) + 10,
        loc,
    );
    let sends = |p: &param::Param| Some(Tree::lit(p.sent()));
    let default_terminators = RECORDING_TERMINATORS
        .sent
        .send(&json!(limits::DEFAULT_TERMINATORS))
        .map(Tree::lit);
    let destination = Opt::argument("record_audio", 0, &["BucketName"]);
    let at = ["RecordingDestination"];
    with_call_id(s)
        .default_by(
            RECORD_MAX_SECONDS,
            &[],
            sends(&param::RECORD_DURATION_SECONDS),
        )
        .default_by(
            SILENCE_SECONDS,
            &[],
            sends(&param::RECORD_SILENCE_DURATION_SECONDS),
        )
        .default_by(
            SILENCE_THRESHOLD,
            &[],
            sends(&param::RECORD_SILENCE_THRESHOLD),
        )
        .default_by(RECORDING_TERMINATORS, &[], default_terminators)
        .set(&at, Tree::Object(vec![("Type".into(), Tree::lit("S3"))]))
        .set_by_val(destination, &at, &bucket, loc)
        .set_by_val(
            Opt {
                field: &["Prefix"],
                ..destination.arg(1)
            },
            &at,
            &prefix,
            loc,
        )
}

const RECORD_MAX_SECONDS: Opt = Opt::method(
    "max_seconds",
    &[param::RECORD_DURATION_SECONDS.field],
    Sent::Same,
);
const SILENCE_SECONDS: Opt = Opt::method(
    "silence_seconds",
    &[param::RECORD_SILENCE_DURATION_SECONDS.field],
    Sent::Same,
);
const SILENCE_THRESHOLD: Opt = Opt::method(
    "silence_threshold",
    &[param::RECORD_SILENCE_THRESHOLD.field],
    Sent::Same,
);
const RECORDING_TERMINATORS: Opt =
    Opt::method("terminators", &["RecordingTerminators"], Sent::Keys);

impl Step<kinds::RecordAudio> {
    /// Longest recording in seconds (`DurationInSeconds`).
    #[track_caller]
    pub fn max_seconds(mut self, s: i64) -> Self {
        let loc = Loc::caller();
        let o = option("record_audio", "max_seconds");
        self.action.max_seconds = secs(check_int(loc, o, s)) + 10;
        self.set_by(RECORD_MAX_SECONDS, &[], json!(s), loc)
    }
    /// Seconds of silence that end the recording (`SilenceDurationInSeconds`).
    #[track_caller]
    pub fn silence_seconds(self, s: i64) -> Self {
        let loc = Loc::caller();
        check_int(loc, option("record_audio", "silence_seconds"), s);
        self.set_by(SILENCE_SECONDS, &[], json!(s), loc)
    }
    /// Noise level under which audio counts as silence (`SilenceThreshold`).
    #[track_caller]
    pub fn silence_threshold(self, t: i64) -> Self {
        let loc = Loc::caller();
        check_int(loc, option("record_audio", "silence_threshold"), t);
        self.set_by(SILENCE_THRESHOLD, &[], json!(t), loc)
    }
    /// Keys that end the recording (`RecordingTerminators`, default
    /// [`limits::DEFAULT_TERMINATORS`]).
    #[track_caller]
    pub fn terminators(self, keys: &str) -> Self {
        let loc = Loc::caller();
        check_terminators(loc, "terminators", keys);
        self.set_by(RECORDING_TERMINATORS, &[], json!(keys), loc)
    }
}

/// Hangs up the call (`SipResponseCode` normal clearing by default).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>
#[track_caller]
pub fn hangup() -> Step<kinds::Hangup> {
    let s = Step::new(Action::HANGUP, "Hang up".into(), 10, Loc::caller());
    let code = SIP_CODE.sent.send(&json!(limits::SIP_NORMAL_CLEARING));
    with_call_id(s).default_by(SIP_CODE, &[], code.map(Tree::lit))
}

const SIP_CODE: Opt = Opt::method("sip_code", &["SipResponseCode"], Sent::Decimal);

impl Step<kinds::Hangup> {
    /// The SIP response code ([`limits::SIP_RESPONSE_CODES_MEANING`]).
    #[track_caller]
    pub fn sip_code(self, code: i64) -> Self {
        let loc = Loc::caller();
        check_int(loc, option("hangup", "sip_code"), code);
        self.set_by(SIP_CODE, &[], json!(code), loc)
    }
}

/// Pauses for `ms` milliseconds. <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause.html>
#[track_caller]
pub fn pause(ms: i64) -> Step<kinds::Pause> {
    let loc = Loc::caller();
    check_int(loc, argument("pause"), ms);
    let s = Step::new(
        Action::PAUSE,
        format!("Pause {ms} ms"),
        (ms / 1000) as u32 + 5,
        loc,
    );
    let duration = Opt {
        sent: Sent::Decimal,
        ..Opt::argument("pause", 0, &["DurationInMilliseconds"])
    };
    with_call_id(s).set_by(duration, &[], json!(ms), loc)
}

/// Sends DTMF digits on the call. <https://docs.aws.amazon.com/chime-sdk/latest/dg/send-digits.html>
#[track_caller]
pub fn send_digits(digits: impl ToVal) -> Step<kinds::SendDigits> {
    let loc = Loc::caller();
    let v = digits.to_val();
    if let Some(d) = const_str(&v) {
        if d.is_empty()
            || d.chars().count() > limits::SEND_DIGITS_MAX
            || !d.chars().all(limits::is_send_digit)
        {
            ctx::error(
                loc,
                format!(
                    "send_digits(\"{d}\"): send 1 to {} of 0-9 * # A-D and `,` (a pause)",
                    limits::SEND_DIGITS_MAX
                ),
            );
        }
    }
    let s = Step::new(
        Action::SEND_DIGITS,
        format!("Send digits {}", short(&v)),
        30,
        loc,
    );
    let digits = Opt::argument("send_digits", 0, &["Digits"]);
    with_call_id(s).set_by_val(digits, &[], &v, loc).set(
        &["ToneDurationInMilliseconds"],
        Tree::lit(param::TONE_DURATION_MS.sent()),
    )
}

/// How long [`wait_for_hangup`] waits when the flow does not say (`max_minutes`).
pub const DEFAULT_WAIT_MINUTES: u32 = 60;

/// Sends no action and waits for the next event (a bridged call ending, a hang-up), at most
/// `max_minutes` (default [`DEFAULT_WAIT_MINUTES`]). Not a PSTN audio action: an empty action
/// list.
#[track_caller]
pub fn wait_for_hangup() -> Step<kinds::WaitForHangup> {
    Step::new(
        crate::lang::WAIT_KIND,
        "Wait for hang-up".into(),
        DEFAULT_WAIT_MINUTES * 60,
        Loc::caller(),
    )
}

impl Step<kinds::WaitForHangup> {
    /// Longest wait in minutes (the range is in the option table).
    #[track_caller]
    pub fn max_minutes(mut self, m: i64) -> Self {
        let o = option("wait_for_hangup", "max_minutes");
        self.action.max_seconds = secs(check_int(Loc::caller(), o, m)) * 60;
        self
    }
}
