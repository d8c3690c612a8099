//! The wire contract shared by the compiler, the router and the simulator.
//!
//! One place for every string that crosses a boundary: the execution input, the message body a
//! waiting Task puts on the call's queue, the `TransactionAttributes` keys that PSTN audio echoes
//! back, and the error names a task token is failed with. See `shared/DESIGN.md`, "The runtime
//! picture".

/// `SchemaVersion` of every PSTN audio response.
pub const SCHEMA_VERSION: &str = "1.0";

/// Execution input key holding the call's action queue URL.
pub const INPUT_QUEUE_URL: &str = "QueueUrl";
/// Execution input key holding the invocation event that started the call.
pub const INPUT_EVENT: &str = "Event";

/// `TransactionAttributes` key carrying the waiting Task's token.
pub const ATTR_WAIT_TOKEN: &str = "WaitToken";
/// `TransactionAttributes` key carrying the call's action queue URL.
pub const ATTR_QUEUE_URL: &str = "QueueUrl";

/// Resource of a Task that sends actions to the caller and waits for the next event.
pub const RESOURCE_SEND_AND_WAIT: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
/// Resource of a Task that sends a message without waiting.
pub const RESOURCE_SEND: &str = "arn:aws:states:::sqs:sendMessage";

/// Error a task token is failed with when the caller's leg hangs up.
pub const ERROR_HANGUP: &str = "HANGUP";
/// Error a task token is failed with when an action fails.
pub const ERROR_ACTION_FAILED: &str = "ACTION_FAILED";
/// Error a task token is failed with when PSTN audio rejected the response.
pub const ERROR_INVALID_LAMBDA_RESPONSE: &str = "INVALID_LAMBDA_RESPONSE";

/// `ErrorType`s of a `SpeakAndGetDigits`/`PlayAudioAndGetDigits` whose every attempt ended
/// without valid digits (nothing pressed, too few, or not matching `InputDigitsRegex`): the
/// caller gave no answer, which is not a fault. The router fails the task with
/// [`ERROR_ACTION_FAILED`] and cause `"<ErrorType>: <ErrorMessage>"`. The developer guide
/// describes the retries but does not name the type
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>); these two are
/// the names AWS's own PSTN audio samples test for, so both are recognised.
pub const ERROR_TYPES_NO_INPUT: [&str; 2] = ["InvalidDigitsReceived", "InputTimeLimitExceeded"];

/// Participant tag of the caller's leg.
pub const LEG_A: &str = "LEG-A";
/// Participant tag of the leg created by `CallAndBridge`.
pub const LEG_B: &str = "LEG-B";

/// The 11 `InvocationEventType`s PSTN audio sends.
pub mod event {
    pub const NEW_INBOUND_CALL: &str = "NEW_INBOUND_CALL";
    pub const NEW_OUTBOUND_CALL: &str = "NEW_OUTBOUND_CALL";
    pub const ACTION_SUCCESSFUL: &str = "ACTION_SUCCESSFUL";
    pub const ACTION_FAILED: &str = "ACTION_FAILED";
    pub const ACTION_INTERRUPTED: &str = "ACTION_INTERRUPTED";
    pub const HANGUP: &str = "HANGUP";
    pub const CALL_ANSWERED: &str = "CALL_ANSWERED";
    pub const INVALID_LAMBDA_RESPONSE: &str = "INVALID_LAMBDA_RESPONSE";
    pub const DIGITS_RECEIVED: &str = "DIGITS_RECEIVED";
    pub const CALL_UPDATE_REQUESTED: &str = "CALL_UPDATE_REQUESTED";
    pub const RINGING: &str = "RINGING";

    /// All of them, in the documentation's order.
    pub const ALL: [&str; 11] = [
        NEW_INBOUND_CALL,
        NEW_OUTBOUND_CALL,
        ACTION_SUCCESSFUL,
        ACTION_FAILED,
        ACTION_INTERRUPTED,
        HANGUP,
        CALL_ANSWERED,
        INVALID_LAMBDA_RESPONSE,
        DIGITS_RECEIVED,
        CALL_UPDATE_REQUESTED,
        RINGING,
    ];
}
