//! The owner's call: a PIN first (the caller ID alone can be spoofed), then the menu.

use super::config::BusinessPhone;
use super::destination::SILENT;
use super::dial::call_customer;
use super::messages::play_messages;
use super::schedule::schedule_call;
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

/// The partition of the owner's records in the messages table: the PIN item (`at` 0:
/// `pin_hash`, SHA-256 of `"<number>:<PIN>"`, created at deploy time) and the wrong-PIN record
/// (`at` 1: `failures`, `locked_until` in epoch milliseconds, `expires_at` in epoch seconds for
/// DynamoDB TTL). Message queries read the business number's partition, never this one.
pub fn owner_partition(cfg: &BusinessPhone) -> String {
    format!("{}#owner", cfg.number)
}

/// The stored PIN hash, lowercase (`""` when the PIN item is missing); `owner` is the owner
/// partition, sorted by `at`.
#[value]
fn stored_hash(owner: Items) -> Val {
    let hash = owner.at(0).s("pin_hash");
    if hash.exists() {
        hash.to_lowercase()
    } else {
        ""
    }
}

/// Whether too many wrong PINs lately locked the owner menu: the wrong-PIN record exists and
/// its `locked_until` is still to come.
#[value]
fn locked_out(owner: Items) -> Val {
    let until = owner.at(1).n("locked_until");
    until.exists() && until > millis()
}

/// Wrong PINs remembered: those of the record, unless it expired.
#[value]
fn recent_failures(owner: Items) -> Val {
    let record = owner.at(1);
    if record.n("expires_at") * 1000 > millis() {
        record.n("failures")
    } else {
        0
    }
}

/// Whether SHA-256 of `"<business number>:<digits>"` is the stored hash.
#[value]
fn pin_matches(cfg: &BusinessPhone, digits: Val, hash: Val) -> Val {
    format!("{}:{}", cfg.number, digits).sha256() == hash
}

/// Whether this wrong PIN ends the call: it was the call's last attempt, or it locks the menu.
#[value]
fn last_wrong_pin(cfg: &BusinessPhone, tries: Val, failures: Val) -> Val {
    tries >= cfg.pin_attempts.0 || failures + 1 >= cfg.pin_lockout_after
}

/// Remembers one more wrong PIN (`failures` counts it), locking the owner menu for
/// `pin_lockout_minutes` when it reaches `pin_lockout_after`.
#[call_flow]
fn note_wrong_pin(cfg: &BusinessPhone, failures: Val) {
    let window_ms = cfg.pin_lockout_minutes * 60_000;
    update_item(&cfg.table)
        .key("mailbox", S(owner_partition(cfg)))
        .key("at", N(1))
        .update("SET failures = :f, locked_until = :u, expires_at = :e")
        .value(":f", N(failures))
        .value(
            ":u",
            N(if failures >= cfg.pin_lockout_after {
                millis() + window_ms
            } else {
                0
            }),
        )
        .value(":e", N(((millis() + window_ms) / 1000).floor()))
        .label("Remember the wrong PIN");
}

/// The goodbye after the last wrong PIN of a call.
#[call_flow]
fn wrong_pin_goodbye(cfg: &BusinessPhone, failures: Val) {
    speak(if failures >= cfg.pin_lockout_after {
        "Sorry, that PIN is not correct. The owner menu is now locked for a while. Goodbye."
    } else {
        "Sorry, that PIN is not correct. Goodbye."
    });
}

/// The owner calling in: the PIN item and the lockout are read first; `pin_attempts` tries at
/// the PIN, every wrong one remembered across calls; then the menu.
#[call_flow]
pub fn owner_call(call: &Call, cfg: &BusinessPhone) {
    let owner = query(&cfg.table)
        .key_condition("mailbox = :o")
        .value(":o", S(owner_partition(cfg)))
        .label("Read the owner's PIN and lockout");
    // These ride on the query's state: no extra transition.
    let mut failures = recent_failures(owner);
    let hash = stored_hash(owner);
    // DynamoDB deletes expired items late (TTL is best effort), so the lockout's time is
    // compared here, never left to TTL.
    if hash == "" {
        speak("This line is not set up for the owner yet. Goodbye.");
        hangup();
        fail(
            "OwnerPinMissing",
            format!(
                "no PIN item (mailbox {}, at 0) in table {}: see docs/business-phone.md, The owner's PIN",
                owner_partition(cfg),
                cfg.table.0
            ),
        );
    } else if locked_out(owner) {
        speak(
            "The owner menu is locked after too many wrong PINs. Please try again later. Goodbye.",
        );
        return;
    }
    match ask_pin("Welcome back. Please enter your PIN, then press pound.") {
        Ok(first) => {
            // These ride on the PIN prompt's state: no extra transition.
            let mut tries = 1;
            let mut notice = SILENT;
            let mut misses = 0;
            if pin_matches(cfg, first.digits, hash) {
                // On to the menu.
            } else if last_wrong_pin(cfg, tries, failures) {
                failures += 1;
                note_wrong_pin(cfg, failures);
                wrong_pin_goodbye(cfg, failures);
                return;
            } else {
                failures += 1;
                note_wrong_pin(cfg, failures);
                loop {
                    match ask_pin("That PIN is not correct. Please try again, then press pound.") {
                        Ok(again) => {
                            tries += 1;
                            if pin_matches(cfg, again.digits, hash) {
                                break;
                            } else if last_wrong_pin(cfg, tries, failures) {
                                failures += 1;
                                note_wrong_pin(cfg, failures);
                                wrong_pin_goodbye(cfg, failures);
                                return;
                            }
                            failures += 1;
                            note_wrong_pin(cfg, failures);
                        }
                        Err(_) => {
                            speak("I did not get your PIN. Goodbye.");
                            return;
                        }
                    }
                }
            }
            owner_menu(call, cfg, &mut tries, &mut notice, &mut misses);
        }
        Err(_) => speak("I did not get your PIN. Goodbye."),
    }
}

/// The owner menu, until the owner hangs up or stops answering. `notice` (a confirmation, a
/// failure) is said before the next prompt, in the same response; `tries` counts attempts
/// within one menu choice, `misses` wrong menu keys in the call.
#[call_flow]
fn owner_menu(
    call: &Call,
    cfg: &BusinessPhone,
    tries: &mut Val,
    notice: &mut Val,
    misses: &mut Val,
) {
    loop {
        match speak_and_get_digits(format!(
            "{}Press 1 to hear your messages, 2 to call a customer, or 3 to schedule a call.",
            *notice
        ))
        .pattern("^[123]$")
        .failure_text("Sorry, that is not one of the choices.")
        .retries(2)
        {
            Ok(choice) => {
                *notice = SILENT;
                *tries = 0;
                match choice.digits.as_str() {
                    "1" => play_messages(cfg, notice),
                    "2" => call_customer(cfg, tries, notice),
                    "3" => schedule_call(call, cfg, tries, notice),
                    // PSTN audio already re-prompts on a wrong key (`InputDigitsRegex`); this
                    // bounds it if one gets through: three wrong keys a call.
                    _ => {
                        if choice.digits != "" && *misses < 2 {
                            *misses += 1;
                            *notice = "Sorry, that is not one of the choices. ";
                        } else {
                            speak("I did not get a choice. Goodbye.");
                            return;
                        }
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
