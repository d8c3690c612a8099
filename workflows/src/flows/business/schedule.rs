//! The owner schedules a call for later today: EventBridge Scheduler places it at the local
//! time, in the business's time zone, and deletes the schedule once it has run.

use super::config::BusinessPhone;
use super::destination::SILENT;
use super::destination::{ask_number, dialable, problem, spelled};
use switchboard::prelude::*;

/// EventBridge Scheduler's universal target for the Chime SDK Voice API: the schedule places
/// the call itself, no Lambda function in between.
pub const PLACE_CALL: &str =
    "arn:aws:scheduler:::aws-sdk:chimesdkvoice:createSipMediaApplicationCall";

/// `"1430"` → `"14:30"`.
#[value]
fn clock(t: Val) -> Val {
    format!("{}:{}", t.substring(0, 2), t.substring(2, 2))
}

/// Why the time cannot be booked ("" when it can): not a 24-hour time, or not later today.
#[value]
fn time_problem(cfg: &BusinessPhone, t: Val) -> Val {
    if !t.matches("^([01][0-9]|2[0-3])[0-5][0-9]$") {
        "That is not a time on the 24-hour clock. "
    } else if clock(t) <= local_time(&cfg.timezone).hhmm {
        "That time has already passed today. "
    } else {
        ""
    }
}

/// Whether the number is dialable and the time later today.
#[value]
fn bookable(cfg: &BusinessPhone, digits: Val, t: Val) -> Val {
    dialable(digits) && time_problem(cfg, t) == ""
}

/// Asks for the time of the call.
#[call_flow]
fn ask_time() -> Step<kinds::SpeakAndGetDigits> {
    speak_and_get_digits("Now enter the time for the call as 4 digits on the 24-hour clock, for example 1 4 3 0 for 2:30 in the afternoon.")
        .digits(4..=4)
        .failure_text("Sorry, I need 4 digits, such as 0 9 1 5 for 9:15 in the morning.")
        .retries(2)
}

/// Reads back the number, digit by digit, and the time; or says what is wrong with them.
#[call_flow]
fn confirm_booking(cfg: &BusinessPhone, digits: Val, t: Val) -> Step<kinds::SpeakAndGetDigits> {
    speak_and_get_digits(if bookable(cfg, digits, t) {
        format!(
            "<speak>I will call you today at {}, then connect you to {}. Press 1 to confirm, or 2 to start over.</speak>",
            clock(t),
            spelled(digits)
        )
    } else {
        format!(
            "<speak>You entered {} at {}. {}{}Press 2 to start over.</speak>",
            spelled(digits),
            spelled(t),
            problem(digits),
            time_problem(cfg, t)
        )
    })
        .ssml()
        .pattern("^[12]$")
        .failure_text("Please press 1 or 2.")
        .retries(2)
}

/// The SIP media application that places the call: configured, or the one handling this call.
fn sip_media_application(call: &Call, cfg: &BusinessPhone) -> Val {
    match &cfg.sip_media_application_id {
        Some(id) => id.to_val(),
        None => call.sip_media_application_id,
    }
}

/// Asks for the customer's number and a time later today, reads both back, and creates a
/// one-time schedule that deletes itself after placing the call.
#[call_flow]
pub fn schedule_call(call: &Call, cfg: &BusinessPhone, tries: &mut Val, notice: &mut Val) {
    loop {
        match ask_number(*notice, "of the customer to call later") {
            Ok(number) => {
                *tries += 1;
                *notice = SILENT;
                match ask_time() {
                    Ok(time) => match confirm_booking(cfg, number.digits, time.digits) {
                        Ok(answer) => {
                            // 2, or 1 when something cannot be booked, starts over: three times
                            // at most; anything else goes back to the menu.
                            let again =
                                (answer.digits == "1" || answer.digits == "2") && *tries < 3;
                            if answer.digits == "1" && bookable(cfg, number.digits, time.digits) {
                                match create_schedule(format!(
                                    "business-phone-{}-{}",
                                    number.digits,
                                    millis()
                                ))
                                .at(format!(
                                    "{}T{}:00",
                                    local_time(&cfg.timezone).date,
                                    clock(time.digits)
                                ))
                                .timezone(&cfg.timezone)
                                .group(&cfg.schedule_group)
                                .target(PLACE_CALL, &cfg.scheduler_role_arn)
                                .input(json!({
                                    "FromPhoneNumber": cfg.number,
                                    "ToPhoneNumber": cfg.owner,
                                    "SipMediaApplicationId": sip_media_application(call, cfg),
                                    "ArgumentsMap": { "CustomerPhoneNumber": format!("+1{}", number.digits) }
                                }))
                                .delete_after_completion()
                                {
                                    Ok(_) => *notice = "Your call is scheduled. ",
                                    Err(_) => *notice = "Sorry, the call could not be scheduled. ",
                                }
                                break;
                            }
                            if !again {
                                break;
                            }
                        }
                        Err(_) => break,
                    },
                    Err(_) => {
                        *notice = "I did not get a time. ";
                        break;
                    }
                }
            }
            Err(_) => {
                *notice = "I did not get a number. ";
                break;
            }
        }
    }
}
