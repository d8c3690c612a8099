//! Invocation events PSTN audio sends to the Lambda function.
//! <https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>

use super::{Action, CallRecordingDestination, Int, S3Type};
use crate::wire::event as names;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// One invocation of the Lambda function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InvocationEvent {
    pub schema_version: String,
    pub sequence: u64,
    pub invocation_event_type: EventType,
    pub call_details: CallDetails,
    /// The action the event is about (absent on `NEW_INBOUND_CALL`, `RINGING`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_data: Option<ActionData>,
    /// Top-level on `INVALID_LAMBDA_RESPONSE`.
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/attribute-trans-invalid.html>
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Fields this model does not know, kept for the round trip.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InvocationEvent {
    /// The participant with this tag (`LEG-A`, `LEG-B`); compared ASCII case-insensitively
    /// because the documentation also shows `Leg-A`.
    pub fn leg(&self, tag: &str) -> Option<&Participant> {
        self.call_details
            .participants
            .iter()
            .find(|p| p.participant_tag.eq_ignore_ascii_case(tag))
    }

    /// A string value of `CallDetails.TransactionAttributes`.
    pub fn transaction_attribute(&self, key: &str) -> Option<&str> {
        self.call_details
            .transaction_attributes
            .as_ref()?
            .get(key)?
            .as_str()
    }

    /// `ErrorType`, wherever the event carries it (top level or in `ActionData`).
    pub fn error_type(&self) -> Option<&str> {
        self.error_type
            .as_deref()
            .or_else(|| self.action_data.as_ref()?.error_type.as_deref())
    }

    /// `ErrorMessage`, wherever the event carries it (top level or in `ActionData`).
    pub fn error_message(&self) -> Option<&str> {
        self.error_message
            .as_deref()
            .or_else(|| self.action_data.as_ref()?.error_message.as_deref())
    }
}

/// `InvocationEventType`; a type this model does not know parses as [`EventType::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventType {
    NewInboundCall,
    NewOutboundCall,
    ActionSuccessful,
    ActionFailed,
    ActionInterrupted,
    Hangup,
    CallAnswered,
    InvalidLambdaResponse,
    DigitsReceived,
    CallUpdateRequested,
    Ringing,
    Unknown(String),
}

impl EventType {
    /// The name on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            EventType::NewInboundCall => names::NEW_INBOUND_CALL,
            EventType::NewOutboundCall => names::NEW_OUTBOUND_CALL,
            EventType::ActionSuccessful => names::ACTION_SUCCESSFUL,
            EventType::ActionFailed => names::ACTION_FAILED,
            EventType::ActionInterrupted => names::ACTION_INTERRUPTED,
            EventType::Hangup => names::HANGUP,
            EventType::CallAnswered => names::CALL_ANSWERED,
            EventType::InvalidLambdaResponse => names::INVALID_LAMBDA_RESPONSE,
            EventType::DigitsReceived => names::DIGITS_RECEIVED,
            EventType::CallUpdateRequested => names::CALL_UPDATE_REQUESTED,
            EventType::Ringing => names::RINGING,
            EventType::Unknown(s) => s,
        }
    }
}

impl FromStr for EventType {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(match s {
            names::NEW_INBOUND_CALL => EventType::NewInboundCall,
            names::NEW_OUTBOUND_CALL => EventType::NewOutboundCall,
            names::ACTION_SUCCESSFUL => EventType::ActionSuccessful,
            names::ACTION_FAILED => EventType::ActionFailed,
            names::ACTION_INTERRUPTED => EventType::ActionInterrupted,
            names::HANGUP => EventType::Hangup,
            names::CALL_ANSWERED => EventType::CallAnswered,
            names::INVALID_LAMBDA_RESPONSE => EventType::InvalidLambdaResponse,
            names::DIGITS_RECEIVED => EventType::DigitsReceived,
            names::CALL_UPDATE_REQUESTED => EventType::CallUpdateRequested,
            names::RINGING => EventType::Ringing,
            other => EventType::Unknown(other.to_owned()),
        })
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EventType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EventType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        let Ok(t) = s.parse();
        Ok(t)
    }
}

/// `CallDetails`: the call and its legs, in the documentation's order (`TransactionAttributes`
/// last, as in the `RecordAudio` `ACTION_SUCCESSFUL` example,
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallDetails {
    pub transaction_id: String,
    pub aws_account_id: String,
    pub aws_region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_rule_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_media_application_id: Option<String>,
    pub participants: Vec<Participant>,
    /// Echo of the attributes the last response set.
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/transaction-attributes.html>
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_attributes: Option<Map<String, Value>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CallDetails {
    /// `SipMediaApplicationId`, or `SipApplicationId` as some documentation examples spell it.
    pub fn sip_media_application(&self) -> Option<&str> {
        self.sip_media_application_id
            .as_deref()
            .or_else(|| self.extra.get("SipApplicationId")?.as_str())
    }
}

/// One leg of the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Participant {
    pub call_id: String,
    /// `LEG-A` or `LEG-B`.
    pub participant_tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `Inbound` or `Outbound`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Epoch milliseconds; the service sends a numeric string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time_in_milliseconds: Option<Int>,
    /// `Connected` or `Disconnected`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Participant {
    /// `Direction` is `Inbound`.
    pub fn is_inbound(&self) -> bool {
        self.direction.as_deref() == Some("Inbound")
    }

    /// `Status` is `Connected`.
    pub fn is_connected(&self) -> bool {
        self.status.as_deref() == Some("Connected")
    }
}

/// `ActionData`: the action an event is about, with its results.
///
/// `Type` is an action type, or `CallCreateRequest` (`NEW_OUTBOUND_CALL`) /
/// `CallUpdateRequest` (`CALL_UPDATE_REQUESTED`) whose `Parameters.Arguments` carry the API
/// caller's arguments. <https://docs.aws.amazon.com/chime-sdk/latest/dg/update-sip-call.html>
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ActionData {
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Map<String, Value>>,
    /// Digits collected by the get-digits actions and `ReceiveDigits`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_digits: Option<String>,
    /// Where `RecordAudio` stored the recording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_destination: Option<RecordingLocation>,
    /// The terminator that stopped `RecordAudio`, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_terminator_used: Option<String>,
    /// Where `StartCallRecording` stores the recording.
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_recording_destination: Option<CallRecordingDestination>,
    /// `StartBotConversation`'s result (Amazon Lex V2 shapes, kept as JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent_result: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `ActionData.RecordingDestination` of a successful `RecordAudio`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecordingLocation {
    #[serde(rename = "Type")]
    pub kind: S3Type,
    pub bucket_name: String,
    pub key: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl ActionData {
    /// `Type` of `NEW_OUTBOUND_CALL`'s `ActionData`.
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/use-create-call-api.html>
    pub const CALL_CREATE_REQUEST: &'static str = "CallCreateRequest";
    /// `Type` of `CALL_UPDATE_REQUESTED`'s `ActionData`.
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/update-sip-call.html>
    pub const CALL_UPDATE_REQUEST: &'static str = "CallUpdateRequest";

    /// The action an event reports on, with its `Parameters` as sent; results are added to it.
    pub fn of(kind: &str, parameters: Map<String, Value>) -> ActionData {
        ActionData {
            kind: Some(kind.to_owned()),
            parameters: Some(parameters),
            ..ActionData::default()
        }
    }

    /// `ActionData` of a `HANGUP`: the leg that hung up and its `SipResponseCode`, in the
    /// order and form of the documented example (the code as a JSON number),
    /// <https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>.
    pub fn hangup(sip_response_code: i64, call_id: &str, participant_tag: &str) -> ActionData {
        let mut p = Map::new();
        p.insert("SipResponseCode".into(), sip_response_code.into());
        p.insert("CallId".into(), call_id.into());
        p.insert("ParticipantTag".into(), participant_tag.into());
        ActionData::of(Action::HANGUP, p)
    }

    /// `ActionData` of a `NEW_OUTBOUND_CALL`: `CallCreateRequest` with the API caller's
    /// `Arguments`.
    pub fn call_create_request(arguments: Map<String, Value>) -> ActionData {
        let mut p = Map::new();
        p.insert("Arguments".into(), Value::Object(arguments));
        ActionData::of(Self::CALL_CREATE_REQUEST, p)
    }

    /// The typed action, when `Type` names one; `Err` says why its `Parameters` do not parse.
    pub fn action(&self) -> Option<Result<Action, serde_json::Error>> {
        let kind = self.kind.as_deref()?;
        if !Action::TYPES.contains(&kind) {
            return None;
        }
        let mut obj = Map::new();
        obj.insert("Type".into(), Value::String(kind.to_owned()));
        let params = self.parameters.clone().unwrap_or_default();
        obj.insert("Parameters".into(), Value::Object(params));
        Some(serde_json::from_value(Value::Object(obj)))
    }

    /// `Parameters.Arguments` of `CallCreateRequest` / `CallUpdateRequest`.
    pub fn arguments(&self) -> Option<&Map<String, Value>> {
        self.parameters.as_ref()?.get("Arguments")?.as_object()
    }

    /// One string argument of `Parameters.Arguments`.
    pub fn argument(&self, key: &str) -> Option<&str> {
        self.arguments()?.get(key)?.as_str()
    }
}
