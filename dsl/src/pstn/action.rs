//! Every PSTN audio action, as serde types (PascalCase on the wire).
//!
//! Each parameter struct keeps parameters it does not know in `extra`, so a round trip is exact;
//! [`Action::validate`] reports them as undocumented. Absent optional parameters are not written.
//! Index of actions: <https://docs.aws.amazon.com/chime-sdk/latest/dg/specify-actions.html>

use super::Int;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One action of a PSTN audio response: `{"Type": ..., "Parameters": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "Type", content = "Parameters")]
pub enum Action {
    CallAndBridge(CallAndBridge),
    Hangup(Hangup),
    JoinChimeMeeting(JoinChimeMeeting),
    ModifyChimeMeetingAttendees(ModifyChimeMeetingAttendees),
    Pause(Pause),
    PlayAudio(PlayAudio),
    PlayAudioAndGetDigits(PlayAudioAndGetDigits),
    ReceiveDigits(ReceiveDigits),
    RecordAudio(RecordAudio),
    SendDigits(SendDigits),
    Speak(Speak),
    SpeakAndGetDigits(SpeakAndGetDigits),
    StartBotConversation(StartBotConversation),
    StartCallRecording(StartCallRecording),
    StopCallRecording(CallRecordingControl),
    PauseCallRecording(CallRecordingControl),
    ResumeCallRecording(CallRecordingControl),
    VoiceFocus(VoiceFocus),
}

impl Action {
    /// `CallAndBridge`.
    pub const CALL_AND_BRIDGE: &'static str = "CallAndBridge";
    /// `Hangup`.
    pub const HANGUP: &'static str = "Hangup";
    /// `JoinChimeMeeting`.
    pub const JOIN_CHIME_MEETING: &'static str = "JoinChimeMeeting";
    /// `ModifyChimeMeetingAttendees`.
    pub const MODIFY_CHIME_MEETING_ATTENDEES: &'static str = "ModifyChimeMeetingAttendees";
    /// `Pause`.
    pub const PAUSE: &'static str = "Pause";
    /// `PlayAudio`.
    pub const PLAY_AUDIO: &'static str = "PlayAudio";
    /// `PlayAudioAndGetDigits`.
    pub const PLAY_AUDIO_AND_GET_DIGITS: &'static str = "PlayAudioAndGetDigits";
    /// `ReceiveDigits`.
    pub const RECEIVE_DIGITS: &'static str = "ReceiveDigits";
    /// `RecordAudio`.
    pub const RECORD_AUDIO: &'static str = "RecordAudio";
    /// `SendDigits`.
    pub const SEND_DIGITS: &'static str = "SendDigits";
    /// `Speak`.
    pub const SPEAK: &'static str = "Speak";
    /// `SpeakAndGetDigits`.
    pub const SPEAK_AND_GET_DIGITS: &'static str = "SpeakAndGetDigits";
    /// `StartBotConversation`.
    pub const START_BOT_CONVERSATION: &'static str = "StartBotConversation";
    /// `StartCallRecording`.
    pub const START_CALL_RECORDING: &'static str = "StartCallRecording";
    /// `StopCallRecording`.
    pub const STOP_CALL_RECORDING: &'static str = "StopCallRecording";
    /// `PauseCallRecording`.
    pub const PAUSE_CALL_RECORDING: &'static str = "PauseCallRecording";
    /// `ResumeCallRecording`.
    pub const RESUME_CALL_RECORDING: &'static str = "ResumeCallRecording";
    /// `VoiceFocus`.
    pub const VOICE_FOCUS: &'static str = "VoiceFocus";

    /// Every action `Type`, in the order of the enum.
    pub const TYPES: [&'static str; 18] = [
        Self::CALL_AND_BRIDGE,
        Self::HANGUP,
        Self::JOIN_CHIME_MEETING,
        Self::MODIFY_CHIME_MEETING_ATTENDEES,
        Self::PAUSE,
        Self::PLAY_AUDIO,
        Self::PLAY_AUDIO_AND_GET_DIGITS,
        Self::RECEIVE_DIGITS,
        Self::RECORD_AUDIO,
        Self::SEND_DIGITS,
        Self::SPEAK,
        Self::SPEAK_AND_GET_DIGITS,
        Self::START_BOT_CONVERSATION,
        Self::START_CALL_RECORDING,
        Self::STOP_CALL_RECORDING,
        Self::PAUSE_CALL_RECORDING,
        Self::RESUME_CALL_RECORDING,
        Self::VOICE_FOCUS,
    ];

    /// The action's `Type` on the wire.
    pub fn type_name(&self) -> &'static str {
        match self {
            Action::CallAndBridge(_) => Self::CALL_AND_BRIDGE,
            Action::Hangup(_) => Self::HANGUP,
            Action::JoinChimeMeeting(_) => Self::JOIN_CHIME_MEETING,
            Action::ModifyChimeMeetingAttendees(_) => Self::MODIFY_CHIME_MEETING_ATTENDEES,
            Action::Pause(_) => Self::PAUSE,
            Action::PlayAudio(_) => Self::PLAY_AUDIO,
            Action::PlayAudioAndGetDigits(_) => Self::PLAY_AUDIO_AND_GET_DIGITS,
            Action::ReceiveDigits(_) => Self::RECEIVE_DIGITS,
            Action::RecordAudio(_) => Self::RECORD_AUDIO,
            Action::SendDigits(_) => Self::SEND_DIGITS,
            Action::Speak(_) => Self::SPEAK,
            Action::SpeakAndGetDigits(_) => Self::SPEAK_AND_GET_DIGITS,
            Action::StartBotConversation(_) => Self::START_BOT_CONVERSATION,
            Action::StartCallRecording(_) => Self::START_CALL_RECORDING,
            Action::StopCallRecording(_) => Self::STOP_CALL_RECORDING,
            Action::PauseCallRecording(_) => Self::PAUSE_CALL_RECORDING,
            Action::ResumeCallRecording(_) => Self::RESUME_CALL_RECORDING,
            Action::VoiceFocus(_) => Self::VOICE_FOCUS,
        }
    }
}

/// `"Type": "S3"`, the only documented media location type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum S3Type {
    #[default]
    S3,
}

/// An audio file in S3 (`AudioSource`, `FailureAudioSource`, `RingbackTone`).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AudioSource {
    #[serde(rename = "Type")]
    pub kind: S3Type,
    pub bucket_name: String,
    pub key: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Amazon Polly engine: `standard` (the default) or `neural`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Standard,
    Neural,
}

/// How `Text` is read: `text` (the default) or `ssml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextType {
    Text,
    Ssml,
}

/// `CallAndBridge`: call a PSTN number or a Voice Connector and bridge it to this call.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallAndBridge {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_timeout_seconds: Option<Int>,
    pub caller_id_number: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ringback_tone: Option<AudioSource>,
    pub endpoints: Vec<BridgeEndpoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_headers: Option<Map<String, Value>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `BridgeEndpointType`: `PSTN` for phone numbers, `AWS` for Voice Connectors (groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BridgeEndpointType {
    #[default]
    #[serde(rename = "PSTN")]
    Pstn,
    #[serde(rename = "AWS")]
    Aws,
}

/// One entry of `CallAndBridge.Endpoints`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BridgeEndpoint {
    pub bridge_endpoint_type: BridgeEndpointType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    pub uri: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `Hangup`: end a leg with a SIP response code.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Hangup {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_response_code: Option<Int>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `JoinChimeMeeting`: join an Amazon Chime SDK meeting with an attendee join token.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/join-chime-meeting.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct JoinChimeMeeting {
    pub join_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `ModifyChimeMeetingAttendees.Operation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttendeeOperation {
    Mute,
    Unmute,
}

/// `ModifyChimeMeetingAttendees`: mute or unmute meeting attendees.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/mute-unmute.html>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ModifyChimeMeetingAttendees {
    pub operation: AttendeeOperation,
    pub meeting_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    pub attendee_list: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `Pause`: silence for a while.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause.html>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Pause {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    pub duration_in_milliseconds: Int,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `PlayAudio`: play a WAV file from S3.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlayAudio {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playback_terminators: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Int>,
    pub audio_source: AudioSource,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `PlayAudioAndGetDigits`: play audio and collect DTMF digits.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio-get-digits.html>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlayAudioAndGetDigits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_digits_regex: Option<String>,
    pub audio_source: AudioSource,
    pub failure_audio_source: AudioSource,
    #[serde(flatten)]
    pub digits: DigitCollection,
}

/// The digit-collection parameters shared by `PlayAudioAndGetDigits` and `SpeakAndGetDigits`
/// (also holds their undocumented extras).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DigitCollection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_number_of_digits: Option<Int>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_number_of_digits: Option<Int>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminator_digits: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_between_digits_duration_in_milliseconds: Option<Int>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Int>,
    pub repeat_duration_in_milliseconds: Int,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `ReceiveDigits`: report digits matching a regular expression as `DIGITS_RECEIVED`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/listen-to-digits.html>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReceiveDigits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    pub input_digits_regex: String,
    pub in_between_digits_duration_in_milliseconds: Int,
    pub flush_digits_duration_in_milliseconds: Int,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `RecordAudio`: record the caller into S3.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecordAudio {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_in_seconds: Option<Int>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence_duration_in_seconds: Option<Int>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub silence_threshold: Option<Int>,
    pub recording_terminators: Vec<String>,
    pub recording_destination: RecordingDestination,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `RecordAudio.RecordingDestination`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecordingDestination {
    #[serde(rename = "Type")]
    pub kind: S3Type,
    pub bucket_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `SendDigits`: send DTMF tones on a leg.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/send-digits.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendDigits {
    pub call_id: String,
    pub digits: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone_duration_in_milliseconds: Option<Int>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `Speak`: speak text (or SSML) with Amazon Polly.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Speak {
    pub call_id: String,
    #[serde(flatten)]
    pub speech: SpeechParameters,
}

/// Text and voice of a spoken prompt (`Speak`'s own parameters, and `SpeakAndGetDigits`'s
/// `SpeechParameters` / `FailureSpeechParameters`).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SpeechParameters {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<Engine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_type: Option<TextType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_id: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `SpeakAndGetDigits`: speak a prompt and collect DTMF digits.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SpeakAndGetDigits {
    pub call_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_digits_regex: Option<String>,
    pub speech_parameters: SpeechParameters,
    pub failure_speech_parameters: SpeechParameters,
    #[serde(flatten)]
    pub digits: DigitCollection,
}

/// `StartBotConversation`: hand the caller to an Amazon Lex V2 bot.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-bot-conversation.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartBotConversation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_tag: Option<String>,
    pub bot_alias_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<BotConfiguration>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `StartBotConversation.Configuration`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BotConfiguration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_state: Option<BotSessionState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome_messages: Option<Vec<WelcomeMessage>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `Configuration.SessionState`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BotSessionState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_attributes: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialog_action: Option<DialogAction>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `SessionState.DialogAction`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DialogAction {
    #[serde(rename = "Type")]
    pub kind: DialogActionType,
}

/// `DialogAction.Type`: `Delegate` or `ElicitIntent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DialogActionType {
    Delegate,
    ElicitIntent,
}

/// One of `Configuration.WelcomeMessages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WelcomeMessage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    pub content_type: WelcomeContentType,
}

/// `WelcomeMessages.ContentType`: `PlainText` or `SSML`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WelcomeContentType {
    PlainText,
    #[serde(rename = "SSML")]
    Ssml,
}

/// `StartCallRecording.Track`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordingTrack {
    Both,
    Incoming,
    Outgoing,
}

/// `StartCallRecording`: record a call leg into S3.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartCallRecording {
    pub call_id: String,
    pub track: RecordingTrack,
    pub destination: CallRecordingDestination,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `StartCallRecording.Destination` (also `CallRecordingDestination` in its `ActionData`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallRecordingDestination {
    #[serde(rename = "Type")]
    pub kind: S3Type,
    /// Bucket, optionally followed by `/` and a key prefix.
    pub location: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Parameters of `StopCallRecording`, `PauseCallRecording` and `ResumeCallRecording`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/stop-call-recording.html>,
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause-call-recording.html>,
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/resume-call-recording.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallRecordingControl {
    pub call_id: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `VoiceFocus`: switch Amazon Voice Focus noise suppression on or off for a leg.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/voice-focus.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceFocus {
    pub enable: bool,
    pub call_id: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
