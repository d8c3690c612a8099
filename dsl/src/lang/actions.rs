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
use crate::pstn::option::{self, BuilderOption};
use crate::pstn::{limits, param, Action};
use std::ops::RangeInclusive;

mod bridge;
mod call;
pub use bridge::{call_and_bridge, pstn, voice_connector, Endpoint};
pub use call::{
    join_chime_meeting, modify_chime_meeting_attendees, pause_call_recording,
    resume_call_recording, start_bot_conversation, start_call_recording, stop_call_recording,
    voice_focus,
};

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

fn keys_tree(keys: &str) -> Tree {
    Tree::Array(keys.chars().map(|c| Tree::lit(c.to_string())).collect())
}

/// Seconds to speak `text`, for the waiting Task's timeout: ~12 characters a second, plus slack.
fn speech_seconds(v: &Val) -> u32 {
    let chars = const_str(v)
        .map(|t| t.chars().count())
        .unwrap_or(limits::SPEAK_TEXT_MAX_CHARS);
    (chars / 12) as u32 + 5
}

/// Speech parameters: the text and the neural engine. `LanguageCode` (en-US), `TextType` (text)
/// and `VoiceId` (Joanna) are left to their documented defaults unless an option sets them
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>), which keeps every prompt of
/// the definition shorter.
fn speech(text: Val) -> Tree {
    Tree::Object(vec![
        ("Text".into(), Tree::Leaf(text.expr())),
        ("Engine".into(), Tree::lit("neural")),
    ])
}

/// Failure speech: the text only; the rest "defaults to the value in SpeechParameters"
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>).
fn failure_speech(text: Val) -> Tree {
    Tree::Object(vec![("Text".into(), Tree::Leaf(text.expr()))])
}

fn s3_source(bucket: Val, key: Val) -> Tree {
    Tree::Object(vec![
        ("Type".into(), Tree::lit("S3")),
        ("BucketName".into(), Tree::Leaf(bucket.expr())),
        ("Key".into(), Tree::Leaf(key.expr())),
    ])
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
    with_call_id(s)
        .set(&["Text"], Tree::Leaf(text.expr()))
        .set(&["Engine"], Tree::lit("neural"))
}

/// Options shared by the speaking actions.
macro_rules! voice_options {
    ($kind:ty, $prefix:expr) => {
        impl Step<$kind> {
            /// The Amazon Polly voice (`VoiceId`, default `Joanna`).
            pub fn voice(self, voice_id: &str) -> Self {
                let p: &[&str] = $prefix;
                self.set(&[p, &["VoiceId"]].concat(), Tree::lit(voice_id))
            }
            /// The language (`LanguageCode`, default `en-US`).
            pub fn language(self, code: &str) -> Self {
                let p: &[&str] = $prefix;
                self.set(&[p, &["LanguageCode"]].concat(), Tree::lit(code))
            }
            /// Use Polly's `standard` engine instead of `neural`.
            pub fn standard_engine(self) -> Self {
                let p: &[&str] = $prefix;
                self.set(&[p, &["Engine"]].concat(), Tree::lit("standard"))
            }
            /// The text is SSML (`TextType: ssml`).
            pub fn ssml(self) -> Self {
                let p: &[&str] = $prefix;
                self.set(&[p, &["TextType"]].concat(), Tree::lit("ssml"))
            }
        }
    };
}
voice_options!(kinds::Speak, &[]);
voice_options!(kinds::SpeakAndGetDigits, &["SpeechParameters"]);

/// Options shared by the digit-collecting actions.
macro_rules! digit_options {
    ($kind:ty, $chain:literal) => {
        impl Step<$kind> {
            /// How many digits to collect (`MinNumberOfDigits..=MaxNumberOfDigits`).
            #[track_caller]
            pub fn digits(self, range: RangeInclusive<i64>) -> Self {
                let (min, max) = (*range.start(), *range.end());
                if let Err(e) = option($chain, "digits").check_range(min, max) {
                    ctx::error(Loc::caller(), e);
                }
                self.set(&["MinNumberOfDigits"], Tree::lit(min))
                    .set(&["MaxNumberOfDigits"], Tree::lit(max))
            }
            /// How many more times to prompt when the caller enters nothing valid: `Repeat`, the
            /// number of attempts in all, is `n + 1`
            /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>).
            #[track_caller]
            pub fn retries(mut self, n: i64) -> Self {
                let asked = check_int(Loc::caller(), option($chain, "retries"), n) + 1;
                let per_attempt = self.action.max_seconds / secs(param::GET_DIGITS_REPEAT.sent());
                self.action.max_seconds = per_attempt * secs(asked);
                self.set(&["Repeat"], Tree::lit(n + 1))
            }
            /// A regular expression the digits must match (`InputDigitsRegex`).
            pub fn pattern(self, regex: &str) -> Self {
                self.set(&["InputDigitsRegex"], Tree::lit(regex))
            }
            /// Keys that end the input early (`TerminatorDigits`, e.g. `"#"`).
            #[track_caller]
            pub fn terminators(self, keys: &str) -> Self {
                check_terminators(Loc::caller(), "terminators", keys);
                self.set(&["TerminatorDigits"], keys_tree(keys))
            }
            /// Milliseconds to wait between digits (`InBetweenDigitsDurationInMilliseconds`).
            #[track_caller]
            pub fn digit_timeout_ms(self, ms: i64) -> Self {
                check_int(Loc::caller(), option($chain, "digit_timeout_ms"), ms);
                self.set(&["InBetweenDigitsDurationInMilliseconds"], Tree::lit(ms))
            }
            /// Milliseconds to wait for the first digit before repeating (`RepeatDurationInMilliseconds`).
            #[track_caller]
            pub fn wait_ms(self, ms: i64) -> Self {
                check_int(Loc::caller(), option($chain, "wait_ms"), ms);
                self.set(&["RepeatDurationInMilliseconds"], Tree::lit(ms))
            }
        }
    };
}
digit_options!(kinds::SpeakAndGetDigits, "speak_and_get_digits");
digit_options!(kinds::PlayAudioAndGetDigits, "play_audio_and_get_digits");

/// What the digit prompts send when the flow says nothing ([`param`]'s `sends`).
fn get_digits_defaults<K: ActionKind>(mut s: Step<K>) -> Step<K> {
    let p = |p: &param::Param| Tree::lit(p.sent());
    // The prompt is heard up to `Repeat` times.
    s.action.max_seconds *= secs(param::GET_DIGITS_REPEAT.sent());
    s.set(&["MinNumberOfDigits"], p(&param::MIN_NUMBER_OF_DIGITS))
        .set(&["MaxNumberOfDigits"], p(&param::MAX_NUMBER_OF_DIGITS))
        .set(
            &["InBetweenDigitsDurationInMilliseconds"],
            p(&param::IN_BETWEEN_DIGITS_MS),
        )
        .set(&["Repeat"], p(&param::GET_DIGITS_REPEAT))
        .set(
            &["RepeatDurationInMilliseconds"],
            p(&param::REPEAT_DURATION_MS),
        )
}

/// Speaks a prompt and collects digits; on no valid input, speaks the failure text and asks
/// again (`retries`, default 2). <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>
#[track_caller]
pub fn speak_and_get_digits(prompt: impl ToVal) -> Step<kinds::SpeakAndGetDigits> {
    let loc = Loc::caller();
    let text = prompt.to_val();
    check_text(&text, "speak_and_get_digits prompt", loc);
    let secs = speech_seconds(&text) + 10;
    let s = Step::new(
        Action::SPEAK_AND_GET_DIGITS,
        format!("Ask {}", short(&text)),
        secs,
        loc,
    );
    let s = with_call_id(s).set(&["SpeechParameters"], speech(text));
    let failure = "Sorry, I did not get that.".to_val();
    get_digits_defaults(s.set(&["FailureSpeechParameters"], failure_speech(failure)))
}

impl Step<kinds::SpeakAndGetDigits> {
    /// What to say when the input is missing or invalid (`FailureSpeechParameters.Text`).
    #[track_caller]
    pub fn failure_text(self, text: impl ToVal) -> Self {
        let text = text.to_val();
        check_text(&text, "failure_text", Loc::caller());
        self.set(
            &["FailureSpeechParameters", "Text"],
            Tree::Leaf(text.expr()),
        )
    }
}

/// Plays an audio file from S3 and collects digits. <https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio-get-digits.html>
#[track_caller]
pub fn play_audio_and_get_digits(
    bucket: impl ToVal,
    key: impl ToVal,
) -> Step<kinds::PlayAudioAndGetDigits> {
    let loc = Loc::caller();
    let (bucket, key) = (bucket.to_val(), key.to_val());
    let s = Step::new(
        Action::PLAY_AUDIO_AND_GET_DIGITS,
        format!("Play {} and get digits", short(&key)),
        40,
        loc,
    );
    let s = with_call_id(s).set(&["AudioSource"], s3_source(bucket, key));
    get_digits_defaults(s.set(&["FailureAudioSource"], s3_source(bucket, key)))
}

impl Step<kinds::PlayAudioAndGetDigits> {
    /// The audio played when the input is missing or invalid (`FailureAudioSource`).
    pub fn failure_audio(self, bucket: impl ToVal, key: impl ToVal) -> Self {
        self.set(
            &["FailureAudioSource"],
            s3_source(bucket.to_val(), key.to_val()),
        )
    }
}

/// Plays an audio file from S3. <https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html>
#[track_caller]
pub fn play_audio(bucket: impl ToVal, key: impl ToVal) -> Step<kinds::PlayAudio> {
    let loc = Loc::caller();
    let (bucket, key) = (bucket.to_val(), key.to_val());
    let s = Step::new(Action::PLAY_AUDIO, format!("Play {}", short(&key)), 40, loc);
    with_call_id(s).set(&["AudioSource"], s3_source(bucket, key))
}

impl Step<kinds::PlayAudio> {
    /// Plays the audio `n` times (`Repeat`; the range is in the option table).
    #[track_caller]
    pub fn repeat(mut self, n: i64) -> Self {
        let times = check_int(Loc::caller(), option("play_audio", "repeat"), n);
        self.action.max_seconds *= secs(times);
        self.set(&["Repeat"], Tree::lit(n))
    }
    /// Keys that stop the playback (`PlaybackTerminators`).
    #[track_caller]
    pub fn terminators(self, keys: &str) -> Self {
        check_terminators(Loc::caller(), "terminators", keys);
        self.set(&["PlaybackTerminators"], keys_tree(keys))
    }
}

/// Reports digits matching `regex` whenever the caller presses them, while other actions run
/// (a `DIGITS_RECEIVED` event). <https://docs.aws.amazon.com/chime-sdk/latest/dg/listen-to-digits.html>
#[track_caller]
pub fn receive_digits(regex: &str) -> Step<kinds::ReceiveDigits> {
    let s = Step::new(
        Action::RECEIVE_DIGITS,
        format!("Listen for {regex}"),
        30,
        Loc::caller(),
    );
    with_call_id(s)
        .set(&["InputDigitsRegex"], Tree::lit(regex))
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
    with_call_id(s)
        .set(&["DurationInSeconds"], Tree::lit(duration))
        .set(
            &["SilenceDurationInSeconds"],
            Tree::lit(param::RECORD_SILENCE_DURATION_SECONDS.sent()),
        )
        .set(
            &["SilenceThreshold"],
            Tree::lit(param::RECORD_SILENCE_THRESHOLD.sent()),
        )
        .set(
            &["RecordingTerminators"],
            keys_tree(limits::DEFAULT_TERMINATORS),
        )
        .set(
            &["RecordingDestination"],
            Tree::Object(vec![
                ("Type".into(), Tree::lit("S3")),
                ("BucketName".into(), Tree::Leaf(bucket.expr())),
                ("Prefix".into(), Tree::Leaf(prefix.expr())),
            ]),
        )
}

impl Step<kinds::RecordAudio> {
    /// Longest recording in seconds (`DurationInSeconds`).
    #[track_caller]
    pub fn max_seconds(mut self, s: i64) -> Self {
        let o = option("record_audio", "max_seconds");
        self.action.max_seconds = secs(check_int(Loc::caller(), o, s)) + 10;
        self.set(&["DurationInSeconds"], Tree::lit(s))
    }
    /// Seconds of silence that end the recording (`SilenceDurationInSeconds`).
    #[track_caller]
    pub fn silence_seconds(self, s: i64) -> Self {
        check_int(Loc::caller(), option("record_audio", "silence_seconds"), s);
        self.set(&["SilenceDurationInSeconds"], Tree::lit(s))
    }
    /// Noise level under which audio counts as silence (`SilenceThreshold`).
    #[track_caller]
    pub fn silence_threshold(self, t: i64) -> Self {
        check_int(
            Loc::caller(),
            option("record_audio", "silence_threshold"),
            t,
        );
        self.set(&["SilenceThreshold"], Tree::lit(t))
    }
    /// Keys that end the recording (`RecordingTerminators`, default
    /// [`limits::DEFAULT_TERMINATORS`]).
    #[track_caller]
    pub fn terminators(self, keys: &str) -> Self {
        check_terminators(Loc::caller(), "terminators", keys);
        self.set(&["RecordingTerminators"], keys_tree(keys))
    }
}

/// Hangs up the call (`SipResponseCode` normal clearing by default).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>
#[track_caller]
pub fn hangup() -> Step<kinds::Hangup> {
    let s = Step::new(Action::HANGUP, "Hang up".into(), 10, Loc::caller());
    let code = limits::SIP_NORMAL_CLEARING.to_string();
    with_call_id(s).set(&["SipResponseCode"], Tree::lit(code))
}

impl Step<kinds::Hangup> {
    /// The SIP response code ([`limits::SIP_RESPONSE_CODES_MEANING`]).
    #[track_caller]
    pub fn sip_code(self, code: i64) -> Self {
        check_int(Loc::caller(), option("hangup", "sip_code"), code);
        self.set(&["SipResponseCode"], Tree::lit(code.to_string()))
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
    with_call_id(s).set(&["DurationInMilliseconds"], Tree::lit(ms.to_string()))
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
    with_call_id(s).set(&["Digits"], Tree::Leaf(v.expr())).set(
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
