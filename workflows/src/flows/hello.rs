//! The README's first example: a greeting, a one-key menu, a transfer.

use serde::Deserialize;
use switchboard::prelude::*;

#[derive(Deserialize)]
pub struct Hello {
    pub name: String,
    pub sales: String,
}

/// Greets the caller and puts them through to sales on 1.
#[call_flow(name = "hello")]
pub fn hello(call: &Call, cfg: &Hello) {
    speak(format!("Thanks for calling {}.", cfg.name));
    let choice = speak_and_get_digits("Press 1 for sales.").digits(1..=1);
    if choice.digits == "1" {
        call_and_bridge(pstn(&cfg.sales))
            .caller_id(call.to)
            .ring_for(30);
        wait_for_hangup();
    } else {
        speak("Goodbye.");
    }
}
