//! Documented limits of the PSTN audio service, as constants and small pure checks.
//!
//! The flow-language builder calls these to check constant option values at compile time, and
//! [`Action::validate`](super::Action::validate) uses them to check whole actions. Every number
//! names the page it comes from.

use std::ops::RangeInclusive;

/// At most 10 actions per Lambda response.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/invoke-on-call-leg.html>
pub const MAX_ACTIONS_PER_RESPONSE: usize = 10;
/// A call may invoke the Lambda function at most 1,000 times.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/invoke-on-call-leg.html>
pub const MAX_INVOCATIONS_PER_CALL: u32 = 1_000;
/// `TransactionAttributes` hold at most 100 key/value pairs.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/transaction-attributes.html>
pub const MAX_TRANSACTION_ATTRIBUTES: usize = 100;
/// `TransactionAttributes` payload is at most 20 KB (counted here as 20 × 1024 bytes of JSON).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/transaction-attributes.html>
pub const MAX_TRANSACTION_ATTRIBUTES_BYTES: usize = 20 * 1024;

/// `CallAndBridge.CallTimeoutSeconds`: "Between 1 and 120, inclusive", default 30.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
pub const CALL_AND_BRIDGE_TIMEOUT_SECONDS: RangeInclusive<i64> = 1..=120;
/// Default of `CallAndBridge.CallTimeoutSeconds`.
pub const CALL_AND_BRIDGE_DEFAULT_TIMEOUT_SECONDS: i64 = 30;
/// `CallAndBridge.Endpoints`: "not null or zero and not greater than one".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/unexpected-action-fail.html>
pub const CALL_AND_BRIDGE_ENDPOINTS: RangeInclusive<usize> = 1..=1;
/// Length of the `Uri` of an `AWS` (Voice Connector) endpoint: "between 1 and 36, inclusive".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
pub const AWS_ENDPOINT_URI_CHARS: RangeInclusive<usize> = 1..=36;

/// SIP 0: normal clearing (someone hung up); `Hangup`'s default.
pub const SIP_NORMAL_CLEARING: i64 = 0;
/// SIP 480: unavailable, no answer.
pub const SIP_NO_ANSWER: i64 = 480;
/// SIP 486: busy.
pub const SIP_BUSY: i64 = 486;
/// `Hangup.SipResponseCode`: "480–Unavailable; 486–Busy; 0–Normal Termination", default 0
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>); the same three are the
/// `SipResponseCode` of a `HANGUP` event: "0 – Normal clearing, 480 – No answer, 486 – User
/// busy" (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>).
pub const SIP_RESPONSE_CODES: [i64; 3] = [SIP_NORMAL_CLEARING, SIP_NO_ANSWER, SIP_BUSY];

/// `ModifyChimeMeetingAttendees.AttendeeList`: "Provide between 1 and 100 attendees".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/unexpected-action-fail.html>
pub const ATTENDEE_LIST_LEN: RangeInclusive<usize> = 1..=100;

/// `Pause.DurationInMilliseconds`. The action page says "an integer >0"; the service's own
/// resolution for the error is "Set the pause duration to between 100 and 30000", which is the
/// range enforced here.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause.html>,
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/unexpected-action-fail.html>
pub const PAUSE_DURATION_MS: RangeInclusive<i64> = 100..=30_000;

/// Most digits `PlayAudioAndGetDigits` / `SpeakAndGetDigits` collect (`MaxNumberOfDigits`
/// "between 0 and 128"; also its default).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/unexpected-action-fail.html>
pub const MAX_DIGITS: i64 = 128;
/// Allowed `MinNumberOfDigits` / `MaxNumberOfDigits` values.
pub const NUMBER_OF_DIGITS: RangeInclusive<i64> = 0..=MAX_DIGITS;
/// Default of `MinNumberOfDigits`.
pub const DEFAULT_MIN_DIGITS: i64 = 0;
/// Default of `Repeat` for the get-digits actions and `PlayAudio`.
pub const DEFAULT_REPEAT: i64 = 1;

/// `SendDigits.Digits`: "Send up to 50 ... digits".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/send-digits.html>
pub const SEND_DIGITS_MAX: usize = 50;
/// `SendDigits.ToneDurationInMilliseconds`: "Any integer between 50 and 24000", default 250.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/send-digits.html>
pub const TONE_DURATION_MS: RangeInclusive<i64> = 50..=24_000;

/// `Speak.Text` / `SpeechParameters.Text`: "Text is limited to 1,000 characters".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>
pub const SPEAK_TEXT_MAX_CHARS: usize = 1_000;

/// `RecordAudio.SilenceDurationInSeconds`: "[1;1000]".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>
pub const RECORD_SILENCE_DURATION_SECONDS: RangeInclusive<i64> = 1..=1_000;
/// `RecordAudio.SilenceThreshold`: "[1;1000]", default 200.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>
pub const RECORD_SILENCE_THRESHOLD: RangeInclusive<i64> = 1..=1_000;
/// `RecordAudio.RecordingDestination.Prefix`: "up to 979 safe characters".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>
pub const RECORDING_PREFIX_MAX_CHARS: usize = 979;

/// `StartBotConversation.Configuration`: its JSON is "limited to 10 KB" (10 × 1024 bytes here).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-bot-conversation.html>
pub const BOT_CONFIGURATION_MAX_BYTES: usize = 10 * 1024;

/// E.164: `+`, then 1 to 15 digits, the first not zero.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html> ("A valid phone number
/// in the E.164 format").
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (1..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// A DTMF key a caller can press: `0`–`9`, `*`, `#` (terminators, `PlaybackTerminators`,
/// `RecordingTerminators`, `TerminatorDigits`).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>
pub fn is_dtmf(c: char) -> bool {
    c.is_ascii_digit() || c == '*' || c == '#'
}

/// A signal `SendDigits` can send: `0`–`9`, `*`, `#`, `A`–`D`, and `,` (a 0.5 s pause).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/send-digits.html>
pub fn is_send_digit(c: char) -> bool {
    is_dtmf(c) || matches!(c, 'A'..='D' | ',')
}

/// `true` when `s` is one DTMF key (the form of each terminator entry).
pub fn is_dtmf_key(s: &str) -> bool {
    let mut chars = s.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_dtmf(c))
}

/// A participant tag an action may target: `LEG-A` or `LEG-B`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/hangup.html>
pub fn is_participant_tag(s: &str) -> bool {
    s == crate::wire::LEG_A || s == crate::wire::LEG_B
}

/// A character allowed in the `Uri` of an `AWS` endpoint:
/// `a-z, A-Z, 0-9, &, =, +, $, /, %, -, _, !, ~, *, (, ), .`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
pub fn is_aws_endpoint_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "&=+$/%-_!~*().".contains(c)
}

/// `true` for a JSONata template string (`{% ... %}`), whose value is only known when the state
/// machine runs: value checks skip it.
/// <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html>
pub fn is_jsonata_template(s: &str) -> bool {
    let t = s.trim();
    t.len() >= 4 && t.starts_with("{%") && t.ends_with("%}")
}

/// Shape of a Lex V2 bot alias ARN: `arn:aws:lex:region:account:bot-alias/botId/botAliasId`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-bot-conversation.html>
pub fn is_lex_bot_alias_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "lex" {
        return false;
    }
    let resource: Vec<&str> = parts[5].split('/').collect();
    !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && resource.len() == 3
        && resource[0] == "bot-alias"
        && resource[1..].iter().all(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_boundaries() {
        assert!(is_e164("+1"));
        assert!(is_e164("+123456789012345"));
        assert!(!is_e164("+1234567890123456"), "16 digits");
        assert!(!is_e164("+"));
        assert!(!is_e164("+0123"));
        assert!(!is_e164("15551234567"));
        assert!(!is_e164("+1NPAXXXXXXX"));
    }

    #[test]
    fn dtmf_sets() {
        assert!("0123456789*#".chars().all(is_dtmf));
        assert!(!is_dtmf('A'));
        assert!(is_send_digit('A') && is_send_digit(',') && !is_send_digit('E'));
        assert!(is_dtmf_key("#") && !is_dtmf_key("##") && !is_dtmf_key(""));
    }

    #[test]
    fn templates_and_arns() {
        assert!(is_jsonata_template("{% $call.id %}"));
        assert!(!is_jsonata_template("{%"));
        assert!(is_lex_bot_alias_arn(
            "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV"
        ));
        assert!(!is_lex_bot_alias_arn("arn:aws:lex:us-east-1:123:bot/ABC"));
    }
}
