//! A customer's call: the owner's phone during opening hours, a message otherwise.

use super::config::BusinessPhone;
use super::voicemail::leave_message;
use switchboard::prelude::*;

/// The greeting and the owner's phone ringing, in one response: the caller hears no gap, and
/// the caller's `match` on the returned bridge covers both.
#[call_flow]
fn greet_and_ring_owner(cfg: &BusinessPhone) -> Step<kinds::CallAndBridge> {
    speak(format!(
        "Thank you for calling {}. Please hold while I connect you.",
        cfg.name
    ));
    call_and_bridge(pstn(&cfg.owner))
        .caller_id(&cfg.number)
        .ring_for(cfg.ring_seconds)
}

/// During opening hours: rings the owner with the business number as caller ID (so the owner
/// knows it is a business call); busy or no answer goes to voicemail instead of hanging up.
#[call_flow]
pub fn customer_open(call: &Call, cfg: &BusinessPhone) {
    match greet_and_ring_owner(cfg) {
        Ok(_) => {
            // The owner hung up first: the customer is still on the line.
            wait_for_hangup();
            speak(format!("Thank you for calling {}. Goodbye.", cfg.name));
        }
        Err(_) => leave_message(call, cfg, "Sorry, nobody can take your call right now."),
    }
}

/// After hours: says so, with the opening hours, and takes a message.
#[call_flow]
pub fn customer_closed(call: &Call, cfg: &BusinessPhone) {
    leave_message(call, cfg, &closed_greeting(cfg));
}

/// "Thank you for calling Acme Plumbing. We are closed right now. Our hours are …", from the
/// configuration when the flow is compiled.
fn closed_greeting(cfg: &BusinessPhone) -> String {
    format!(
        "Thank you for calling {}. We are closed right now. {}",
        cfg.name.0,
        cfg.hours.spoken()
    )
}
