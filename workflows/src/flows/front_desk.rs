//! An IVR menu with retries: sales, a voicemail box, or the operator.

use serde::Deserialize;
use switchboard::prelude::*;

/// Configuration of the front desk.
#[derive(Debug, Deserialize)]
pub struct FrontDesk {
    /// The business name spoken in the greeting.
    pub name: String,
    /// Sales line, E.164.
    pub sales: String,
    pub bucket: String,
}

/// Greets the caller and routes them by menu choice.
#[call_flow(name = "front-desk")]
pub fn front_desk(call: &Call, cfg: &FrontDesk) {
    speak(format!("Thanks for calling {}.", cfg.name));
    let mut tries = 0;
    loop {
        let choice = speak_and_get_digits("Press 1 for sales, 2 to leave a message.")
            .digits(1..=1)
            .retries(2);
        match choice.digits.as_str() {
            "1" => {
                match call_and_bridge(pstn(&cfg.sales))
                    .caller_id(call.to)
                    .ring_for(30)
                {
                    Ok(_) => wait_for_hangup(),
                    Err(e) => speak(format!("Sorry, we could not connect you: {}.", e.cause)),
                }
                break;
            }
            "2" => {
                let rec = record_audio(&cfg.bucket, "voicemail/").max_seconds(60);
                speak(format!("Saved {}.", rec.key));
                break;
            }
            _ => {
                tries += 1;
                if tries >= 3 {
                    speak("Goodbye.");
                    return;
                }
            }
        }
    }
    hangup();
}
