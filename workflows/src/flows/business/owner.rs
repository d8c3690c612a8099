//! The owner's call: a PIN first (the caller ID alone can be spoofed), then the menu.

use super::config::BusinessPhone;
use super::destination::SILENT;
use super::dial::call_customer;
use super::messages::play_messages;
use super::schedule::schedule_call;
use switchboard::lang::actions::kinds;
use switchboard::lang::step::Step;
use switchboard::lang::val::ops;
use switchboard::prelude::*;

/// Asks for the PIN (4 to 8 digits, then pound).
#[call_flow]
fn ask_pin(prompt: &str) -> Step<kinds::SpeakAndGetDigits> {
    speak_and_get_digits(prompt)
        .digits(4..=8)
        .terminators("#")
        .failure_text("I did not get your PIN.")
        .retries(1)
}

/// `"ok"` when SHA-256 of `"<business number>:<digits>"` is the configured hash, `"out"` when
/// this was the last attempt, else `"retry"`: one expression, so one Choice state decides.
pub fn pin_verdict(cfg: &BusinessPhone, digits: Val, tries: Val) -> Val {
    let hash = ops::concat(format!("{}:", cfg.number.0), digits).sha256();
    ops::cond(
        ops::eq(hash, cfg.pin_hash.to_lowercase()),
        "ok",
        ops::cond(ops::ge(tries, cfg.pin_attempts.0), "out", "retry"),
    )
}

/// The owner calling in: `pin_attempts` tries at the PIN, then the menu.
#[call_flow]
pub fn owner_call(call: &Call, cfg: &BusinessPhone) {
    match ask_pin("Welcome back. Please enter your PIN, then press pound.") {
        Ok(first) => {
            // These ride on the PIN prompt's state: no extra transition.
            let mut tries = 1;
            let mut notice = SILENT;
            let mut misses = 0;
            match pin_verdict(cfg, first.digits, tries).as_str() {
                "ok" => {}
                "retry" => loop {
                    match ask_pin("That PIN is not correct. Please try again, then press pound.") {
                        Ok(again) => {
                            tries += 1;
                            match pin_verdict(cfg, again.digits, tries).as_str() {
                                "ok" => break,
                                "retry" => {}
                                _ => {
                                    speak("Sorry, that PIN is not correct. Goodbye.");
                                    return;
                                }
                            }
                        }
                        Err(_) => {
                            speak("I did not get your PIN. Goodbye.");
                            return;
                        }
                    }
                },
                _ => {
                    speak("Sorry, that PIN is not correct. Goodbye.");
                    return;
                }
            }
            owner_menu(call, cfg, tries, notice, misses);
        }
        Err(_) => speak("I did not get your PIN. Goodbye."),
    }
}

/// The menu choice: `"1"`, `"2"`, `"3"`; `"again"` for another key while fewer than three wrong
/// keys were pressed in this call; else `"bye"` (silence, or too many wrong keys). PSTN audio
/// already re-prompts on a wrong key (`InputDigitsRegex`); this bounds it if a key gets through.
pub fn menu_key(digits: Val, misses: Val) -> Val {
    let valid = ops::or(
        ops::or(ops::eq(digits, "1"), ops::eq(digits, "2")),
        ops::eq(digits, "3"),
    );
    ops::cond(
        valid,
        digits,
        ops::cond(
            ops::and(ops::ne(digits, ""), ops::lt(misses, 2)),
            "again",
            "bye",
        ),
    )
}

/// The owner menu, until the owner hangs up or stops answering. `notice` (a confirmation, a
/// failure) is said before the next prompt, in the same response; `tries` counts attempts
/// within one menu choice, `misses` wrong menu keys in the call.
#[call_flow]
fn owner_menu(call: &Call, cfg: &BusinessPhone, tries: Val, notice: Val, misses: Val) {
    loop {
        match speak_and_get_digits(format!(
            "{}Press 1 to hear your messages, 2 to call a customer, or 3 to schedule a call.",
            notice
        ))
        .pattern("^[123]$")
        .failure_text("Sorry, that is not one of the choices.")
        .retries(2)
        {
            Ok(choice) => {
                notice = SILENT;
                tries = 0;
                match menu_key(choice.digits, misses).as_str() {
                    "1" => play_messages(cfg, notice),
                    "2" => call_customer(cfg, tries, notice),
                    "3" => schedule_call(call, cfg, tries, notice),
                    "again" => {
                        misses += 1;
                        notice = "Sorry, that is not one of the choices. ";
                    }
                    _ => {
                        speak("I did not get a choice. Goodbye.");
                        return;
                    }
                }
            }
            Err(_) => {
                speak("I did not get a choice. Goodbye.");
                return;
            }
        }
    }
}
