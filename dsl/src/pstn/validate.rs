//! Documented constraints of every action ([`Action::validate`]).
//!
//! Values that are JSONata templates (`{% ... %}`) are only known when the state machine runs, so
//! value checks skip them; the shape of the action is still checked.

use super::action::*;
use super::limits::{self, is_jsonata_template as dynamic};
use super::Int;
use serde_json::{Map, Value};
use std::ops::RangeInclusive;

/// A documented constraint an action breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{action}: {field}: {message}")]
pub struct ConstraintError {
    /// The action `Type` (or `Response` for the response itself).
    pub action: &'static str,
    /// JSON path of the offending value, e.g. `Parameters.CallTimeoutSeconds`.
    pub field: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

struct Checker {
    action: &'static str,
    errors: Vec<ConstraintError>,
}

impl Checker {
    fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(ConstraintError {
            action: self.action,
            field: format!("Parameters.{field}"),
            message: message.into(),
        });
    }

    fn range(&mut self, field: &str, value: &Int, range: RangeInclusive<i64>) {
        if let Some(v) = value.value() {
            if !range.contains(&v) {
                let (lo, hi) = (range.start(), range.end());
                self.fail(
                    field,
                    format!("{v} is out of range; use {lo} to {hi} inclusive"),
                );
            }
        }
    }

    fn opt_range(&mut self, field: &str, value: &Option<Int>, range: RangeInclusive<i64>) {
        if let Some(v) = value {
            self.range(field, v, range);
        }
    }

    fn positive(&mut self, field: &str, value: &Int) {
        if let Some(v) = value.value() {
            if v <= 0 {
                self.fail(
                    field,
                    format!("{v} is not allowed; use an integer greater than 0"),
                );
            }
        }
    }

    fn opt_positive(&mut self, field: &str, value: &Option<Int>) {
        if let Some(v) = value {
            self.positive(field, v);
        }
    }

    fn non_empty(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(field, "is empty; it is required");
        }
    }

    fn e164(&mut self, field: &str, value: &str) {
        if !dynamic(value) && !limits::is_e164(value) {
            self.fail(
                field,
                format!(
                    "{value:?} is not an E.164 number; use + then {} to {} digits, the first not 0",
                    limits::E164_DIGITS.start(),
                    limits::E164_DIGITS.end()
                ),
            );
        }
    }

    fn tag(&mut self, tag: &Option<String>, allowed: &[&str]) {
        if let Some(t) = tag {
            if !dynamic(t) && !allowed.contains(&t.as_str()) {
                let allowed = allowed.join(" or ");
                self.fail(
                    "ParticipantTag",
                    format!("{t:?} is not allowed; use {allowed}"),
                );
            }
        }
    }

    fn legs(&mut self, tag: &Option<String>) {
        self.tag(tag, &[crate::wire::LEG_A, crate::wire::LEG_B]);
    }

    fn dtmf_keys(&mut self, field: &str, keys: &[String]) {
        for (i, k) in keys.iter().enumerate() {
            if !dynamic(k) && !limits::is_dtmf_key(k) {
                self.fail(
                    &format!("{field}[{i}]"),
                    format!("{k:?} is not one DTMF key; use one of 0-9, * or #"),
                );
            }
        }
    }

    fn extra(&mut self, prefix: &str, extra: &Map<String, Value>) {
        for key in extra.keys() {
            self.fail(
                &format!("{prefix}{key}"),
                "is not a documented parameter of this action; remove it or check its spelling",
            );
        }
    }

    fn audio(&mut self, field: &str, source: &AudioSource) {
        self.non_empty(&format!("{field}.BucketName"), &source.bucket_name);
        self.non_empty(&format!("{field}.Key"), &source.key);
        self.extra(&format!("{field}."), &source.extra);
    }

    fn speech(&mut self, prefix: &str, speech: &SpeechParameters) {
        let field = format!("{prefix}Text");
        let text = &speech.text;
        if !dynamic(text) {
            self.non_empty(&field, text);
            let chars = text.chars().count();
            if chars > limits::SPEAK_TEXT_MAX_CHARS {
                let max = limits::SPEAK_TEXT_MAX_CHARS;
                self.fail(
                    &field,
                    format!("is {chars} characters long; the limit is {max}"),
                );
            }
            let t = text.trim();
            let ssml = t.starts_with("<speak>") && t.ends_with("</speak>");
            // SSML documents must be enclosed in <speak>: https://docs.aws.amazon.com/polly/latest/dg/ssml.html
            if speech.text_type == Some(TextType::Ssml) && !ssml {
                self.fail(
                    &field,
                    "TextType is ssml but Text is not enclosed in <speak>...</speak>",
                );
            }
            if speech.text_type != Some(TextType::Ssml) && ssml {
                self.fail(
                    &field,
                    "looks like SSML; set TextType to \"ssml\" or remove the tags",
                );
            }
        }
        self.extra(prefix, &speech.extra);
    }

    fn digits(&mut self, d: &DigitCollection) {
        self.opt_range(
            "MinNumberOfDigits",
            &d.min_number_of_digits,
            limits::NUMBER_OF_DIGITS,
        );
        self.opt_range(
            "MaxNumberOfDigits",
            &d.max_number_of_digits,
            limits::NUMBER_OF_DIGITS,
        );
        let min = d.min_number_of_digits.as_ref().map_or(
            Some(const { switchboard_pstn::param::MIN_NUMBER_OF_DIGITS.absent() }),
            Int::value,
        );
        let max = d
            .max_number_of_digits
            .as_ref()
            .map_or(Some(limits::MAX_DIGITS), Int::value);
        if let (Some(min), Some(max)) = (min, max) {
            if min > max {
                self.fail(
                    "MaxNumberOfDigits",
                    format!("{max} is less than MinNumberOfDigits {min}; use a maximum of at least {min}"),
                );
            }
        }
        if let Some(t) = &d.terminator_digits {
            self.dtmf_keys("TerminatorDigits", t);
        }
        self.opt_positive(
            "InBetweenDigitsDurationInMilliseconds",
            &d.in_between_digits_duration_in_milliseconds,
        );
        self.opt_positive("Repeat", &d.repeat);
        self.positive(
            "RepeatDurationInMilliseconds",
            &d.repeat_duration_in_milliseconds,
        );
        self.extra("", &d.extra);
    }
}

impl Action {
    /// Checks the documented constraints of this action; returns every broken one.
    pub fn validate(&self) -> Result<(), Vec<ConstraintError>> {
        let mut c = Checker {
            action: self.type_name(),
            errors: Vec::new(),
        };
        match self {
            Action::CallAndBridge(p) => call_and_bridge(&mut c, p),
            Action::Hangup(p) => {
                c.legs(&p.participant_tag);
                if let Some(code) = p.sip_response_code.as_ref().and_then(Int::value) {
                    if !limits::SIP_RESPONSE_CODES.contains(&code) {
                        c.fail(
                            "SipResponseCode",
                            format!("{code} is not allowed; use 0 (normal), 480 (unavailable) or 486 (busy)"),
                        );
                    }
                }
                c.extra("", &p.extra);
            }
            Action::JoinChimeMeeting(p) => {
                c.non_empty("JoinToken", &p.join_token);
                c.tag(&p.participant_tag, &[crate::wire::LEG_A]);
                c.extra("", &p.extra);
            }
            Action::ModifyChimeMeetingAttendees(p) => {
                c.non_empty("MeetingId", &p.meeting_id);
                c.legs(&p.participant_tag);
                let n = p.attendee_list.len();
                if !limits::ATTENDEE_LIST_LEN.contains(&n) {
                    c.fail(
                        "AttendeeList",
                        format!("has {n} attendees; provide 1 to 100"),
                    );
                }
                c.extra("", &p.extra);
            }
            Action::Pause(p) => {
                c.legs(&p.participant_tag);
                c.range(
                    "DurationInMilliseconds",
                    &p.duration_in_milliseconds,
                    limits::PAUSE_DURATION_MS,
                );
                c.extra("", &p.extra);
            }
            Action::PlayAudio(p) => {
                c.legs(&p.participant_tag);
                if let Some(t) = &p.playback_terminators {
                    c.dtmf_keys("PlaybackTerminators", t);
                }
                c.opt_positive("Repeat", &p.repeat);
                c.audio("AudioSource", &p.audio_source);
                c.extra("", &p.extra);
            }
            Action::PlayAudioAndGetDigits(p) => {
                c.legs(&p.participant_tag);
                regex(&mut c, &p.input_digits_regex);
                c.audio("AudioSource", &p.audio_source);
                c.audio("FailureAudioSource", &p.failure_audio_source);
                c.digits(&p.digits);
            }
            Action::ReceiveDigits(p) => receive_digits(&mut c, p),
            Action::RecordAudio(p) => record_audio(&mut c, p),
            Action::SendDigits(p) => send_digits(&mut c, p),
            Action::Speak(p) => {
                c.non_empty("CallId", &p.call_id);
                c.speech("", &p.speech);
            }
            Action::SpeakAndGetDigits(p) => {
                c.non_empty("CallId", &p.call_id);
                regex(&mut c, &p.input_digits_regex);
                c.speech("SpeechParameters.", &p.speech_parameters);
                c.speech("FailureSpeechParameters.", &p.failure_speech_parameters);
                c.digits(&p.digits);
            }
            Action::StartBotConversation(p) => start_bot(&mut c, p),
            Action::StartCallRecording(p) => {
                c.non_empty("CallId", &p.call_id);
                c.non_empty("Destination.Location", &p.destination.location);
                c.extra("Destination.", &p.destination.extra);
                c.extra("", &p.extra);
            }
            Action::StopCallRecording(p)
            | Action::PauseCallRecording(p)
            | Action::ResumeCallRecording(p) => {
                c.non_empty("CallId", &p.call_id);
                c.extra("", &p.extra);
            }
            Action::VoiceFocus(p) => {
                c.non_empty("CallId", &p.call_id);
                c.extra("", &p.extra);
            }
        }
        if c.errors.is_empty() {
            Ok(())
        } else {
            Err(c.errors)
        }
    }
}

fn regex(c: &mut Checker, regex: &Option<String>) {
    if let Some(r) = regex {
        c.non_empty("InputDigitsRegex", r);
    }
}

fn call_and_bridge(c: &mut Checker, p: &CallAndBridge) {
    c.opt_range(
        "CallTimeoutSeconds",
        &p.call_timeout_seconds,
        limits::CALL_AND_BRIDGE_TIMEOUT_SECONDS,
    );
    c.e164("CallerIdNumber", &p.caller_id_number);
    if let Some(tone) = &p.ringback_tone {
        c.audio("RingbackTone", tone);
    }
    let n = p.endpoints.len();
    if !limits::CALL_AND_BRIDGE_ENDPOINTS.contains(&n) {
        c.fail(
            "Endpoints",
            format!("has {n} endpoints; provide exactly one"),
        );
    }
    for (i, e) in p.endpoints.iter().enumerate() {
        let f = format!("Endpoints[{i}]");
        match e.bridge_endpoint_type {
            BridgeEndpointType::Pstn => {
                c.e164(&format!("{f}.Uri"), &e.uri);
                if e.arn.is_some() {
                    c.fail(
                        &format!("{f}.Arn"),
                        "is only used with BridgeEndpointType AWS; remove it",
                    );
                }
            }
            BridgeEndpointType::Aws => {
                match &e.arn {
                    Some(arn) if !arn.trim().is_empty() => {}
                    _ => c.fail(&format!("{f}.Arn"), "is required for BridgeEndpointType AWS; give the Voice Connector (group) ARN"),
                }
                let len = e.uri.chars().count();
                let bad = e
                    .uri
                    .chars()
                    .any(|ch| !limits::is_aws_endpoint_uri_char(ch));
                if !dynamic(&e.uri) && (!limits::AWS_ENDPOINT_URI_CHARS.contains(&len) || bad) {
                    c.fail(
                        &format!("{f}.Uri"),
                        "must be 1 to 36 characters from a-z A-Z 0-9 & = + $ / % - _ ! ~ * ( ) .",
                    );
                }
            }
        }
        c.extra(&format!("{f}."), &e.extra);
    }
    let aws = p
        .endpoints
        .iter()
        .any(|e| e.bridge_endpoint_type == BridgeEndpointType::Aws);
    if p.sip_headers.is_some() && !aws {
        c.fail(
            "SipHeaders",
            "is only used with BridgeEndpointType AWS; remove it for PSTN endpoints",
        );
    }
    c.extra("", &p.extra);
}

fn receive_digits(c: &mut Checker, p: &ReceiveDigits) {
    c.legs(&p.participant_tag);
    c.non_empty("InputDigitsRegex", &p.input_digits_regex);
    let between = &p.in_between_digits_duration_in_milliseconds;
    let flush = &p.flush_digits_duration_in_milliseconds;
    c.positive("InBetweenDigitsDurationInMilliseconds", between);
    // https://docs.aws.amazon.com/chime-sdk/latest/dg/unexpected-action-fail.html
    if let (Some(b), Some(f)) = (between.value(), flush.value()) {
        if f <= b {
            c.fail(
                "FlushDigitsDurationInMilliseconds",
                format!("{f} must be greater than InBetweenDigitsDurationInMilliseconds {b}"),
            );
        }
    }
    c.extra("", &p.extra);
}

fn record_audio(c: &mut Checker, p: &RecordAudio) {
    c.legs(&p.participant_tag);
    if p.call_id.is_some() && p.participant_tag.is_some() {
        c.fail(
            "ParticipantTag",
            "cannot be used together with CallId; give one of them",
        );
    }
    c.opt_positive("DurationInSeconds", &p.duration_in_seconds);
    c.opt_range(
        "SilenceDurationInSeconds",
        &p.silence_duration_in_seconds,
        limits::RECORD_SILENCE_DURATION_SECONDS,
    );
    c.opt_range(
        "SilenceThreshold",
        &p.silence_threshold,
        limits::RECORD_SILENCE_THRESHOLD,
    );
    if p.recording_terminators.is_empty() {
        c.fail(
            "RecordingTerminators",
            "is empty; list at least one DTMF key (0-9, * or #)",
        );
    }
    c.dtmf_keys("RecordingTerminators", &p.recording_terminators);
    let d = &p.recording_destination;
    c.non_empty("RecordingDestination.BucketName", &d.bucket_name);
    if let Some(prefix) = &d.prefix {
        let n = prefix.chars().count();
        if n > limits::RECORDING_PREFIX_MAX_CHARS {
            c.fail(
                "RecordingDestination.Prefix",
                format!("is {n} characters long; the limit is 979"),
            );
        }
    }
    c.extra("RecordingDestination.", &d.extra);
    c.extra("", &p.extra);
}

fn send_digits(c: &mut Checker, p: &SendDigits) {
    c.non_empty("CallId", &p.call_id);
    if !dynamic(&p.digits) {
        let n = p.digits.chars().count();
        if n == 0 || n > limits::SEND_DIGITS_MAX {
            c.fail("Digits", format!("has {n} signals; send 1 to 50"));
        }
        if let Some(bad) = p.digits.chars().find(|ch| !limits::is_send_digit(*ch)) {
            c.fail(
                "Digits",
                format!("{bad:?} cannot be sent; use 0-9, *, #, A-D or , (pause)"),
            );
        }
    }
    c.opt_range(
        "ToneDurationInMilliseconds",
        &p.tone_duration_in_milliseconds,
        limits::TONE_DURATION_MS,
    );
    c.extra("", &p.extra);
}

fn start_bot(c: &mut Checker, p: &StartBotConversation) {
    c.tag(&p.participant_tag, &[crate::wire::LEG_A]);
    if !dynamic(&p.bot_alias_arn) && !limits::is_lex_bot_alias_arn(&p.bot_alias_arn) {
        c.fail(
            "BotAliasArn",
            "is not a Lex bot alias ARN; use arn:aws:lex:region:account:bot-alias/botId/botAliasId",
        );
    }
    if let Some(cfg) = &p.configuration {
        let bytes = serde_json::to_string(cfg).map_or(0, |s| s.len());
        if bytes > limits::BOT_CONFIGURATION_MAX_BYTES {
            c.fail(
                "Configuration",
                format!("is {bytes} bytes of JSON; the limit is 10 KB"),
            );
        }
        let elicit = cfg
            .session_state
            .as_ref()
            .and_then(|s| s.dialog_action.as_ref())
            .is_some_and(|d| d.kind == DialogActionType::ElicitIntent);
        if cfg.welcome_messages.is_some() && !elicit {
            c.fail(
                "Configuration.WelcomeMessages",
                "requires Configuration.SessionState.DialogAction.Type ElicitIntent",
            );
        }
        if let Some(s) = &cfg.session_state {
            c.extra("Configuration.SessionState.", &s.extra);
        }
        c.extra("Configuration.", &cfg.extra);
    }
    c.extra("", &p.extra);
}
