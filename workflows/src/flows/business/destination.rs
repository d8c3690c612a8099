//! Destination numbers the owner may dial: North American Numbering Plan rules, no premium-rate
//! numbers, no service codes; read back digit by digit before anything is dialled.

use switchboard::prelude::*;

/// Ten digits: area code and exchange each `[2-9]XX`.
pub const NANP: &str = "^[2-9][0-9]{2}[2-9][0-9]{6}$";
/// Service codes (N11: 211 … 911) as area code or exchange.
pub const N11: &str = "^([2-9]11|[0-9]{3}[2-9]11)";
/// Premium rate: area codes 900 and 976, and the 976 exchange.
pub const PREMIUM: &str = "^(900|976|[0-9]{3}976)";

/// Whether the owner may dial these 10 digits.
#[value]
pub fn dialable(digits: Val) -> Val {
    digits.matches(NANP) && !(digits.matches(N11) || digits.matches(PREMIUM))
}

/// Why the digits cannot be dialled, to be spoken ("" when they can).
#[value]
pub fn problem(digits: Val) -> Val {
    if !digits.matches("^[0-9]{10}$") {
        "That is not a 10-digit number. "
    } else if !digits.matches(NANP) {
        "Area codes and exchanges start with 2 to 9. "
    } else if digits.matches(N11) {
        "Service codes such as 4 1 1 and 9 1 1 cannot be dialled from here. "
    } else if digits.matches(PREMIUM) {
        "Premium-rate numbers cannot be dialled. "
    } else {
        ""
    }
}

/// The digits as SSML that Polly reads one by one.
#[value]
pub fn spelled(digits: Val) -> Val {
    format!("<say-as interpret-as=\"digits\">{}</say-as>", digits)
}

/// Asks for a 10-digit US number; `notice` (what happened last) is said first.
#[call_flow]
pub fn ask_number(notice: Val, what: &str) -> Step<kinds::SpeakAndGetDigits> {
    speak_and_get_digits(format!(
        "{}Enter the 10-digit number {}, area code first.",
        notice, what
    ))
    .digits(10..=10)
    .failure_text("Sorry, I need all 10 digits, area code first.")
    .digit_timeout_ms(5000)
    .retries(2)
}

/// Nothing to tell the owner before the next prompt.
pub const SILENT: &str = "";
