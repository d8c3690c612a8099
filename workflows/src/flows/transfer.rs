//! A transfer with fallback: ring the first number, then the second, then take a message.

use super::voicemail::{leave_voicemail, Mailbox};
use serde::Deserialize;
use switchboard::prelude::*;

/// Who to ring, in order.
#[derive(Debug, Deserialize)]
pub struct Transfer {
    /// First number to ring (E.164).
    pub primary: String,
    /// Second number to ring (E.164).
    pub backup: String,
    /// Seconds each number rings.
    pub ring_seconds: i64,
    /// Where callers who reach nobody leave a message.
    pub mailbox: Mailbox,
}

/// Bridges the caller to `number`; true when someone answered and the call has ended.
#[call_flow]
fn ring(call: &Call, number: &str, seconds: i64) -> Val {
    let mut answered = false;
    match call_and_bridge(pstn(number))
        .caller_id(call.to)
        .ring_for(seconds)
    {
        Ok(_) => {
            answered = true;
            wait_for_hangup();
        }
        Err(_) => {}
    }
    answered
}

/// Rings the primary, then the backup; voicemail when neither answers.
#[call_flow(name = "transfer")]
pub fn transfer(call: &Call, cfg: &Transfer) {
    speak("Please hold while we connect you.");
    if ring(call, &cfg.primary, cfg.ring_seconds) {
        return;
    }
    speak("Still trying. Please hold.");
    if !ring(call, &cfg.backup, cfg.ring_seconds) {
        leave_voicemail(call, &cfg.mailbox, "");
    }
}
