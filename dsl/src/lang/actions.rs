//! Every PSTN audio action as a flow-language function with builder methods for its options.
//!
//! Constant option values are checked against the documented limits in [`crate::pstn::limits`]
//! while the flow is built; an error names the Rust line of the offending call.
//! Parameter names and shapes: <https://docs.aws.amazon.com/chime-sdk/latest/dg/specify-actions.html>

use super::ctx;
use super::results::{CallRecording, Digits, Done, Recording};
use super::step::{const_str, expect_kind, summary_of, ActionKind, Step};
use super::val::{ToVal, Val};
use crate::ir::{Expr, Kind, Loc, ResultShape, Tree};
use crate::pstn::limits;
use std::ops::RangeInclusive;

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

pub(crate) fn check_range(loc: Loc, what: &str, v: i64, range: RangeInclusive<i64>, hint: &str) {
    if !range.contains(&v) {
        ctx::error(
            loc,
            format!(
                "{what} = {v} is out of range: PSTN audio accepts {}..={}{hint}",
                range.start(),
                range.end()
            ),
        );
    }
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
        "Speak",
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
    ($kind:ty) => {
        impl Step<$kind> {
            /// How many digits to collect (`MinNumberOfDigits..=MaxNumberOfDigits`).
            #[track_caller]
            pub fn digits(self, range: RangeInclusive<i64>) -> Self {
                let loc = Loc::caller();
                let (min, max) = (*range.start(), *range.end());
                check_range(loc, "digits: the minimum", min, limits::NUMBER_OF_DIGITS, "");
                check_range(loc, "digits: the maximum", max, limits::NUMBER_OF_DIGITS, "");
                if min > max {
                    ctx::error(loc, format!("digits({min}..={max}): the minimum is above the maximum; write digits({max}..={min})"));
                }
                self.set(&["MinNumberOfDigits"], Tree::lit(min)).set(&["MaxNumberOfDigits"], Tree::lit(max))
            }
            /// How many more times to prompt when the caller enters nothing valid: `Repeat`, the
            /// number of attempts in all, is `n + 1`
            /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>).
            #[track_caller]
            pub fn retries(mut self, n: i64) -> Self {
                check_range(Loc::caller(), "retries", n, crate::lang::checks::RETRIES, ": ask at most 10 times in all");
                self.action.max_seconds = self.action.max_seconds / 3 * (n.clamp(0, 9) as u32 + 1);
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
                check_range(Loc::caller(), "digit_timeout_ms", ms, 1000..=30_000, "");
                self.set(&["InBetweenDigitsDurationInMilliseconds"], Tree::lit(ms))
            }
            /// Milliseconds to wait for the first digit before repeating (`RepeatDurationInMilliseconds`).
            #[track_caller]
            pub fn wait_ms(self, ms: i64) -> Self {
                check_range(Loc::caller(), "wait_ms", ms, 1000..=30_000, "");
                self.set(&["RepeatDurationInMilliseconds"], Tree::lit(ms))
            }
        }
    };
}
digit_options!(kinds::SpeakAndGetDigits);
digit_options!(kinds::PlayAudioAndGetDigits);

fn get_digits_defaults<K: ActionKind>(mut s: Step<K>) -> Step<K> {
    // Repeat 3: the prompt is heard up to three times (two retries).
    s.action.max_seconds *= 3;
    s.set(&["MinNumberOfDigits"], Tree::lit(1))
        .set(&["MaxNumberOfDigits"], Tree::lit(1))
        .set(&["InBetweenDigitsDurationInMilliseconds"], Tree::lit(3000))
        .set(&["Repeat"], Tree::lit(3))
        .set(&["RepeatDurationInMilliseconds"], Tree::lit(5000))
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
        "SpeakAndGetDigits",
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
        "PlayAudioAndGetDigits",
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
    let s = Step::new("PlayAudio", format!("Play {}", short(&key)), 40, loc);
    with_call_id(s).set(&["AudioSource"], s3_source(bucket, key))
}

impl Step<kinds::PlayAudio> {
    /// Plays the audio `n` times (`Repeat`, 1–5).
    #[track_caller]
    pub fn repeat(mut self, n: i64) -> Self {
        check_range(Loc::caller(), "repeat", n, 1..=5, "");
        self.action.max_seconds *= n.clamp(1, 5) as u32;
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
        "ReceiveDigits",
        format!("Listen for {regex}"),
        30,
        Loc::caller(),
    );
    with_call_id(s)
        .set(&["InputDigitsRegex"], Tree::lit(regex))
        .set(&["InBetweenDigitsDurationInMilliseconds"], Tree::lit(1000))
        .set(&["FlushDigitsDurationInMilliseconds"], Tree::lit(10000))
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
    let s = Step::new("RecordAudio", "Record message".into(), 30 + 10, loc);
    with_call_id(s)
        .set(&["DurationInSeconds"], Tree::lit(30))
        .set(&["SilenceDurationInSeconds"], Tree::lit(3))
        .set(&["SilenceThreshold"], Tree::lit(200))
        .set(&["RecordingTerminators"], keys_tree("#"))
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
        check_range(Loc::caller(), "max_seconds", s, 1..=3600, "");
        self.action.max_seconds = s.clamp(1, 3600) as u32 + 10;
        self.set(&["DurationInSeconds"], Tree::lit(s))
    }
    /// Seconds of silence that end the recording (`SilenceDurationInSeconds`).
    #[track_caller]
    pub fn silence_seconds(self, s: i64) -> Self {
        check_range(
            Loc::caller(),
            "silence_seconds",
            s,
            limits::RECORD_SILENCE_DURATION_SECONDS,
            "",
        );
        self.set(&["SilenceDurationInSeconds"], Tree::lit(s))
    }
    /// Noise level under which audio counts as silence (`SilenceThreshold`).
    #[track_caller]
    pub fn silence_threshold(self, t: i64) -> Self {
        check_range(
            Loc::caller(),
            "silence_threshold",
            t,
            limits::RECORD_SILENCE_THRESHOLD,
            "",
        );
        self.set(&["SilenceThreshold"], Tree::lit(t))
    }
    /// Keys that end the recording (`RecordingTerminators`, default `#`).
    #[track_caller]
    pub fn terminators(self, keys: &str) -> Self {
        check_terminators(Loc::caller(), "terminators", keys);
        self.set(&["RecordingTerminators"], keys_tree(keys))
    }
}

/// A `CallAndBridge` endpoint.
pub struct Endpoint(Tree, String);

/// A phone number to bridge to (E.164). <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
#[track_caller]
pub fn pstn(number: impl ToVal) -> Endpoint {
    let v = number.to_val();
    if let Some(n) = const_str(&v) {
        if !limits::is_e164(&n) {
            ctx::error(Loc::caller(), format!("pstn(\"{n}\") is not an E.164 number: write it as +<country code><number>, e.g. +12065550100"));
        }
    }
    Endpoint(
        Tree::Object(vec![
            ("BridgeEndpointType".into(), Tree::lit("PSTN")),
            ("Uri".into(), Tree::Leaf(v.expr())),
        ]),
        short(&v),
    )
}

/// An Amazon Chime Voice Connector endpoint (`BridgeEndpointType: AWS`).
pub fn voice_connector(arn: impl ToVal, uri: impl ToVal) -> Endpoint {
    let (arn, uri) = (arn.to_val(), uri.to_val());
    Endpoint(
        Tree::Object(vec![
            ("BridgeEndpointType".into(), Tree::lit("AWS")),
            ("Arn".into(), Tree::Leaf(arn.expr())),
            ("Uri".into(), Tree::Leaf(uri.expr())),
        ]),
        short(&uri),
    )
}

/// Calls `endpoint` and bridges it to the caller; fails (`Err`) when it is not answered, busy,
/// or rings longer than `ring_for`. <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
#[track_caller]
pub fn call_and_bridge(endpoint: Endpoint) -> Step<kinds::CallAndBridge> {
    let Endpoint(tree, label) = endpoint;
    let s = Step::new(
        "CallAndBridge",
        format!("Bridge {label}"),
        30 + 10,
        Loc::caller(),
    );
    s.set(
        &["CallTimeoutSeconds"],
        Tree::lit(const { crate::pstn::param::CALL_TIMEOUT_SECONDS.absent() }),
    )
    .set(&["Endpoints"], Tree::Array(vec![tree]))
}

impl Step<kinds::CallAndBridge> {
    /// The number the callee sees (`CallerIdNumber`, E.164).
    #[track_caller]
    pub fn caller_id(self, number: impl ToVal) -> Self {
        let v = number.to_val();
        if let Some(n) = const_str(&v) {
            if !limits::is_e164(&n) {
                ctx::error(
                    Loc::caller(),
                    format!("caller_id(\"{n}\") is not an E.164 number"),
                );
            }
        }
        // Keep the documented order: CallTimeoutSeconds, CallerIdNumber, Endpoints.
        let mut s = self;
        if let Tree::Object(kv) = &mut s.action.params {
            kv.retain(|(k, _)| k != "CallerIdNumber");
            kv.insert(
                1.min(kv.len()),
                ("CallerIdNumber".into(), Tree::Leaf(v.expr())),
            );
        }
        s
    }
    /// Seconds to let it ring before giving up (`CallTimeoutSeconds`, 1–120).
    #[track_caller]
    pub fn ring_for(mut self, seconds: i64) -> Self {
        check_range(
            Loc::caller(),
            "ring_for",
            seconds,
            limits::CALL_AND_BRIDGE_TIMEOUT_SECONDS,
            " seconds",
        );
        self.action.max_seconds = seconds.clamp(1, 120) as u32 + 10;
        self.set(&["CallTimeoutSeconds"], Tree::lit(seconds))
    }
    /// Plays an S3 audio file to the caller while the callee rings (`RingbackTone`).
    pub fn ringback(self, bucket: impl ToVal, key: impl ToVal) -> Self {
        self.set(&["RingbackTone"], s3_source(bucket.to_val(), key.to_val()))
    }
    /// Sends a SIP header to the callee (`SipHeaders`, `X-` headers and `User-to-User`).
    #[track_caller]
    pub fn sip_header(self, name: &str, value: impl ToVal) -> Self {
        if !(name.starts_with("X-") || name == "User-to-User") {
            ctx::error(
                Loc::caller(),
                format!(
                    "sip_header(\"{name}\"): only `X-…` headers and `User-to-User` can be sent"
                ),
            );
        }
        self.set(&["SipHeaders", name], Tree::Leaf(value.to_val().expr()))
    }
}

/// Hangs up the call (`SipResponseCode` 0 by default).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>
#[track_caller]
pub fn hangup() -> Step<kinds::Hangup> {
    let s = Step::new("Hangup", "Hang up".into(), 10, Loc::caller());
    with_call_id(s).set(&["SipResponseCode"], Tree::lit("0"))
}

impl Step<kinds::Hangup> {
    /// The SIP response code: 0 (normal), 480 (unavailable) or 486 (busy).
    #[track_caller]
    pub fn sip_code(self, code: i64) -> Self {
        if !limits::SIP_RESPONSE_CODES.contains(&code) {
            ctx::error(
                Loc::caller(),
                format!("sip_code({code}): PSTN audio accepts only 0, 480 or 486"),
            );
        }
        self.set(&["SipResponseCode"], Tree::lit(code.to_string()))
    }
}

/// Pauses for `ms` milliseconds. <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause.html>
#[track_caller]
pub fn pause(ms: i64) -> Step<kinds::Pause> {
    let loc = Loc::caller();
    check_range(loc, "pause", ms, limits::PAUSE_DURATION_MS, " milliseconds");
    let s = Step::new(
        "Pause",
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
    let s = Step::new("SendDigits", format!("Send digits {}", short(&v)), 30, loc);
    with_call_id(s)
        .set(&["Digits"], Tree::Leaf(v.expr()))
        .set(&["ToneDurationInMilliseconds"], Tree::lit(250))
}

/// Joins the call to an Amazon Chime SDK meeting. <https://docs.aws.amazon.com/chime-sdk/latest/dg/join-chime-meeting.html>
#[track_caller]
pub fn join_chime_meeting(
    join_token: impl ToVal,
    meeting_id: impl ToVal,
) -> Step<kinds::JoinChimeMeeting> {
    let s = Step::new("JoinChimeMeeting", "Join meeting".into(), 30, Loc::caller());
    s.set_val(&["JoinToken"], join_token)
        .set(&["CallId"], call_id())
        .set_val(&["MeetingId"], meeting_id)
}

/// Mutes or unmutes meeting attendees. <https://docs.aws.amazon.com/chime-sdk/latest/dg/modify-chime-meeting-attendees.html>
#[track_caller]
pub fn modify_chime_meeting_attendees(
    mute: bool,
    meeting_id: impl ToVal,
    attendee_ids: &[&str],
) -> Step<kinds::ModifyChimeMeetingAttendees> {
    let loc = Loc::caller();
    if !limits::ATTENDEE_LIST_LEN.contains(&attendee_ids.len()) {
        ctx::error(
            loc,
            "modify_chime_meeting_attendees: give 1 to 100 attendee ids",
        );
    }
    let op = if mute { "Mute" } else { "Unmute" };
    let s = Step::new(
        "ModifyChimeMeetingAttendees",
        format!("{op} attendees"),
        10,
        loc,
    );
    s.set(&["Operation"], Tree::lit(op))
        .set_val(&["MeetingId"], meeting_id)
        .set(&["CallId"], call_id())
        .set(
            &["AttendeeList"],
            Tree::Array(attendee_ids.iter().map(|a| Tree::lit(*a)).collect()),
        )
}

/// Hands the caller to an Amazon Lex V2 bot; the result's `intent` holds the bot's `IntentResult`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-bot-conversation.html>
#[track_caller]
pub fn start_bot_conversation(bot_alias_arn: impl ToVal) -> Step<kinds::StartBotConversation> {
    let loc = Loc::caller();
    let arn = bot_alias_arn.to_val();
    if let Some(a) = const_str(&arn) {
        if !limits::is_lex_bot_alias_arn(&a) {
            ctx::error(loc, format!("start_bot_conversation(\"{a}\") is not a Lex V2 bot alias ARN (arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT/ALIAS)"));
        }
    }
    let s = Step::new("StartBotConversation", "Bot conversation".into(), 600, loc);
    with_call_id(s)
        .set(&["BotAliasArn"], Tree::Leaf(arn.expr()))
        .set(&["LocaleId"], Tree::lit("en_US"))
        .set(
            &["Configuration", "SessionState", "DialogAction", "Type"],
            Tree::lit("ElicitIntent"),
        )
}

impl Step<kinds::StartBotConversation> {
    /// What the bot says first (`WelcomePrompts`).
    pub fn welcome(self, text: impl ToVal) -> Self {
        let prompt = Tree::Object(vec![
            ("ContentType".into(), Tree::lit("PlainText")),
            ("Content".into(), Tree::Leaf(text.to_val().expr())),
        ]);
        self.set(
            &["Configuration", "WelcomePrompts"],
            Tree::Array(vec![prompt]),
        )
    }
    /// The bot's locale (`LocaleId`, e.g. `en_US`).
    pub fn locale(self, id: &str) -> Self {
        self.set(&["LocaleId"], Tree::lit(id))
    }
}

/// Starts recording the call to S3 at `destination` (`bucket/prefix`).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>
#[track_caller]
pub fn start_call_recording(destination: impl ToVal) -> Step<kinds::StartCallRecording> {
    let s = Step::new(
        "StartCallRecording",
        "Start recording".into(),
        10,
        Loc::caller(),
    );
    with_call_id(s)
        .set(&["Track"], Tree::lit("BOTH"))
        .set(&["Destination", "Type"], Tree::lit("S3"))
        .set_val(&["Destination", "Location"], destination)
}

impl Step<kinds::StartCallRecording> {
    /// Which audio to record: `"INCOMING"`, `"OUTGOING"` or `"BOTH"`.
    #[track_caller]
    pub fn track(self, track: &str) -> Self {
        if !["INCOMING", "OUTGOING", "BOTH"].contains(&track) {
            ctx::error(
                Loc::caller(),
                format!("track(\"{track}\"): use \"INCOMING\", \"OUTGOING\" or \"BOTH\""),
            );
        }
        self.set(&["Track"], Tree::lit(track))
    }
}

/// Stops the call recording. <https://docs.aws.amazon.com/chime-sdk/latest/dg/stop-call-recording.html>
#[track_caller]
pub fn stop_call_recording() -> Step<kinds::StopCallRecording> {
    with_call_id(Step::new(
        "StopCallRecording",
        "Stop recording".into(),
        10,
        Loc::caller(),
    ))
}

/// Pauses the call recording. <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause-call-recording.html>
#[track_caller]
pub fn pause_call_recording() -> Step<kinds::PauseCallRecording> {
    with_call_id(Step::new(
        "PauseCallRecording",
        "Pause recording".into(),
        10,
        Loc::caller(),
    ))
}

/// Resumes the call recording. <https://docs.aws.amazon.com/chime-sdk/latest/dg/resume-call-recording.html>
#[track_caller]
pub fn resume_call_recording() -> Step<kinds::ResumeCallRecording> {
    with_call_id(Step::new(
        "ResumeCallRecording",
        "Resume recording".into(),
        10,
        Loc::caller(),
    ))
}

/// Turns Amazon Voice Focus noise reduction on or off. <https://docs.aws.amazon.com/chime-sdk/latest/dg/voicefocus.html>
#[track_caller]
pub fn voice_focus(enable: bool) -> Step<kinds::VoiceFocus> {
    let s = Step::new(
        "VoiceFocus",
        format!("Voice Focus {}", if enable { "on" } else { "off" }),
        10,
        Loc::caller(),
    );
    s.set(&["Enable"], Tree::lit(enable))
        .set(&["CallId"], call_id())
}

/// Sends no action and waits for the next event (a bridged call ending, a hang-up), at most
/// `max_minutes` (default 60). Not a PSTN audio action: an empty action list.
#[track_caller]
pub fn wait_for_hangup() -> Step<kinds::WaitForHangup> {
    Step::new(
        crate::lang::WAIT_KIND,
        "Wait for hang-up".into(),
        3600,
        Loc::caller(),
    )
}

impl Step<kinds::WaitForHangup> {
    /// Longest wait in minutes (1–1440).
    #[track_caller]
    pub fn max_minutes(mut self, m: i64) -> Self {
        check_range(Loc::caller(), "max_minutes", m, 1..=1440, "");
        self.action.max_seconds = m.clamp(1, 1440) as u32 * 60;
        self
    }
}
