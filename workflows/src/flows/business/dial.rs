//! The owner calls a customer through the business number (the customer sees the business,
//! never the owner's personal phone).

use super::config::BusinessPhone;
use super::destination::SILENT;
use super::destination::{ask_number, dialable, problem, spelled};
use switchboard::prelude::*;

/// Reads the number back digit by digit; if it cannot be dialled, says why.
#[call_flow]
fn confirm_number(digits: Val) -> Step<kinds::SpeakAndGetDigits> {
    let ok = "Press 1 to call this number, or 2 to enter another.</speak>";
    let not_ok = "Press 2 to enter another number.</speak>";
    speak_and_get_digits(format!(
        "<speak>You entered {}. {}{}",
        spelled(digits),
        problem(digits),
        if dialable(digits) { ok } else { not_ok }
    ))
    .ssml()
    .pattern("^[12]$")
    .failure_text("Please press 1 or 2.")
    .retries(2)
}

/// "Connecting you now." and the bridge, in one response.
#[call_flow]
fn connect(cfg: &BusinessPhone, digits: Val) -> Step<kinds::CallAndBridge> {
    speak("Connecting you now.");
    call_and_bridge(pstn(format!("+1{}", digits)))
        .caller_id(&cfg.number)
        .ring_for(30)
}

/// Asks for the number, reads it back, dials it with the business number as caller ID, and
/// returns to the menu when the customer hangs up (or does not answer).
#[call_flow]
pub fn call_customer(cfg: &BusinessPhone, tries: &mut Val, notice: &mut Val) {
    loop {
        match ask_number(*notice, "you want to call") {
            Ok(number) => {
                *tries += 1;
                *notice = SILENT;
                match confirm_number(number.digits) {
                    Ok(answer) => {
                        // 2, or 1 on a number that cannot be dialled, enters another: three
                        // numbers at most; anything else goes back to the menu.
                        let again = (answer.digits == "1" || answer.digits == "2") && *tries < 3;
                        if answer.digits == "1" && dialable(number.digits) {
                            match connect(cfg, number.digits) {
                                Ok(_) => {
                                    wait_for_hangup();
                                    *notice = "The call has ended. ";
                                }
                                Err(_) => *notice = "Sorry, the call could not be connected. ",
                            }
                            break;
                        }
                        if !again {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
            Err(_) => {
                *notice = "I did not get a number. ";
                break;
            }
        }
    }
}
