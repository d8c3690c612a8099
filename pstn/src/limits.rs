//! Documented limits of the PSTN audio service that are not a single numeric parameter (see
//! [`crate::param`] for those), and small pure checks. Every number names the page it comes from.
//!
//! The ranges of numeric parameters are re-stated here from [`crate::param`], never typed again.

use crate::param;
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

/// `CallAndBridge.CallTimeoutSeconds` ([`param::CALL_TIMEOUT_SECONDS`]).
pub const CALL_AND_BRIDGE_TIMEOUT_SECONDS: RangeInclusive<i64> =
    param::CALL_TIMEOUT_SECONDS.range();
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

/// `Pause.DurationInMilliseconds` ([`param::PAUSE_DURATION_MS`]).
pub const PAUSE_DURATION_MS: RangeInclusive<i64> = param::PAUSE_DURATION_MS.range();
/// Most digits the get-digits actions collect ([`param::MAX_NUMBER_OF_DIGITS`], also its default).
pub const MAX_DIGITS: i64 = param::MAX_NUMBER_OF_DIGITS.max;
/// Allowed `MinNumberOfDigits` / `MaxNumberOfDigits` values.
pub const NUMBER_OF_DIGITS: RangeInclusive<i64> = param::MAX_NUMBER_OF_DIGITS.range();

/// `SendDigits.Digits`: "Send up to 50 ... digits".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/send-digits.html>
pub const SEND_DIGITS_MAX: usize = 50;
/// `SendDigits.ToneDurationInMilliseconds` ([`param::TONE_DURATION_MS`]).
pub const TONE_DURATION_MS: RangeInclusive<i64> = param::TONE_DURATION_MS.range();

/// `Speak.Text` / `SpeechParameters.Text`: "Text is limited to 1,000 characters".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak.html>
pub const SPEAK_TEXT_MAX_CHARS: usize = 1_000;

/// `RecordAudio.SilenceDurationInSeconds` ([`param::RECORD_SILENCE_DURATION_SECONDS`]).
pub const RECORD_SILENCE_DURATION_SECONDS: RangeInclusive<i64> =
    param::RECORD_SILENCE_DURATION_SECONDS.range();
/// `RecordAudio.SilenceThreshold` ([`param::RECORD_SILENCE_THRESHOLD`]).
pub const RECORD_SILENCE_THRESHOLD: RangeInclusive<i64> = param::RECORD_SILENCE_THRESHOLD.range();
/// `RecordAudio.RecordingDestination.Prefix`: "up to 979 safe characters".
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>
pub const RECORDING_PREFIX_MAX_CHARS: usize = 979;

/// `StartBotConversation.Configuration`: its JSON is "limited to 10 KB" (10 × 1024 bytes here).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-bot-conversation.html>
pub const BOT_CONFIGURATION_MAX_BYTES: usize = 10 * 1024;

/// Digits in an E.164 number (after the `+`). ITU-T E.164 allows at most 15. No assigned
/// international number is shorter than 7 (a country code and a 4-digit number, e.g. Niue's
/// `+683 4002`), so anything shorter is a typing mistake, not a number.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html> ("A valid phone number
/// in the E.164 format").
pub const E164_DIGITS: RangeInclusive<usize> = 7..=15;

/// E.164: `+`, then [`E164_DIGITS`] digits, the first not zero. The one rule for every phone
/// number Switchboard reads: flow literals, configuration, the router's number map, events.
pub const fn is_e164(s: &str) -> bool {
    let b = s.as_bytes();
    let n = b.len();
    if n < 1 + *E164_DIGITS.start() || n > 1 + *E164_DIGITS.end() || b[0] != b'+' || b[1] == b'0' {
        return false;
    }
    let mut i = 1;
    while i < n {
        if !b[i].is_ascii_digit() {
            return false;
        }
        i += 1;
    }
    true
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

/// A character allowed in the `Uri` of an `AWS` endpoint:
/// `a-z, A-Z, 0-9, &, =, +, $, /, %, -, _, !, ~, *, (, ), .`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>
pub fn is_aws_endpoint_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "&=+$/%-_!~*().".contains(c)
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
        assert!(is_e164("+6834002"), "7 digits");
        assert!(!is_e164("+683400"), "6 digits");
        assert!(is_e164("+123456789012345"));
        assert!(!is_e164("+1234567890123456"), "16 digits");
        assert!(!is_e164("+") && !is_e164("+1"));
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
    fn arns() {
        assert!(is_lex_bot_alias_arn(
            "arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIH/MNOPQRSTUV"
        ));
        assert!(!is_lex_bot_alias_arn("arn:aws:lex:us-east-1:123:bot/ABC"));
    }
}
