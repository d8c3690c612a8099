//! An IVR menu with retries: sales, support, or a message — open hours only.

use super::voicemail::{leave_voicemail, Mailbox};
use serde::Deserialize;
use switchboard::prelude::*;

/// Configuration of the front desk.
#[derive(Debug, Deserialize)]
pub struct FrontDesk {
    /// The business name spoken in the greeting.
    pub name: String,
    /// Sales line, E.164.
    pub sales: String,
    /// Support line, E.164.
    pub support: String,
    /// IANA time zone of the opening hours.
    pub time_zone: Zone,
    /// Opening and closing time, `"HH:MM"`, Monday to Friday.
    pub open: String,
    pub close: String,
    /// Where messages go.
    pub mailbox: Mailbox,
}

/// Greets the caller and routes them by menu choice; after hours, takes a message.
#[call_flow(name = "front-desk")]
pub fn front_desk(call: &Call, cfg: &FrontDesk) {
    let now = local_time(&cfg.time_zone);
    let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
    if !now.within(&cfg.open, &cfg.close, &weekdays) {
        leave_voicemail(call, &cfg.mailbox, &closed(cfg));
        return;
    }
    speak(format!("Thanks for calling {}.", cfg.name));
    let mut tries = 0;
    while tries < 3 {
        let choice =
            speak_and_get_digits("Press 1 for sales, 2 for support, or 9 to leave a message.")
                .digits(1..=1)
                .retries(2);
        match choice.digits.as_str() {
            "1" | "2" => {
                let team = if choice.digits == 1 {
                    "sales"
                } else {
                    "support"
                };
                let number = if choice.digits == 1 {
                    &cfg.sales
                } else {
                    &cfg.support
                };
                match call_and_bridge(pstn(number))
                    .caller_id(call.to)
                    .ring_for(30)
                {
                    Ok(_) => {
                        wait_for_hangup();
                        return;
                    }
                    Err(_) => {
                        speak(format!("Sorry, nobody in {} can take your call.", team));
                        tries += 1;
                        continue;
                    }
                }
            }
            "9" => {
                leave_voicemail(call, &cfg.mailbox, "");
                return;
            }
            _ => speak("That is not one of the options."),
        }
        tries += 1;
    }
    speak("Please call again later. Goodbye.");
}

/// The after-hours greeting, said with the message prompt.
fn closed(cfg: &FrontDesk) -> String {
    format!("Thanks for calling {}. We are closed right now. ", cfg.name)
}
