//! The scheduled call: EventBridge Scheduler has called the owner from the business number;
//! once the owner answers, the customer is called, also from the business number.

use super::config::BusinessPhone;
use super::destination::spelled;
use switchboard::prelude::*;

/// Tells the owner which call this is, then rings the customer, in one response.
#[call_flow]
fn announce_and_ring(call: &Call, cfg: &BusinessPhone) -> Step<kinds::CallAndBridge> {
    speak(format!(
        "<speak>This is the call you scheduled with {}. Connecting you now.</speak>",
        spelled(call.argument("CustomerPhoneNumber"))
    ))
    .ssml();
    call_and_bridge(pstn(call.argument("CustomerPhoneNumber")))
        .caller_id(&cfg.number)
        .ring_for(30)
}

/// The outbound call to the owner: wait for the answer (`CALL_ANSWERED`), announce, bridge the
/// customer; if the customer does not answer, say so.
#[call_flow]
pub fn scheduled_call(call: &Call, cfg: &BusinessPhone) {
    wait_for_hangup()
        .max_minutes(2)
        .label("Wait for the owner to answer");
    match announce_and_ring(call, cfg) {
        Ok(_) => {
            // The customer hung up first: the owner is still on the line.
            wait_for_hangup();
            speak("The customer has hung up. Goodbye.");
        }
        Err(_) => speak("Sorry, the customer did not answer. Goodbye."),
    }
}
