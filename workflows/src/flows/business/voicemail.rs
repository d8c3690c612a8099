//! Taking a message: every message is its own DynamoDB item, so none is overwritten, and a
//! message left by hanging up instead of pressing pound is filed too.

use super::config::BusinessPhone;
use super::hours::local_stamp;
use switchboard::prelude::*;

/// `intro`, the instructions, the beep and the message; filed whether the caller presses pound,
/// goes silent or hangs up.
#[call_flow]
pub fn leave_message(call: &Call, cfg: &BusinessPhone, intro: &str) {
    match take_message(&cfg.bucket, &cfg.voicemail_prefix)
        .prompt(format!(
            "{} Please leave a message after the tone. Press pound or hang up when you are done.",
            intro
        ))
        .beep(&cfg.bucket, &cfg.beep_key)
        .max_seconds(cfg.max_message_seconds)
        .silence_seconds(3)
    {
        Ok(m) => {
            file_message(call, cfg, m);
            speak("Thank you, your message has been saved. Goodbye.");
        }
        Err(Hangup(m)) => file_message(call, cfg, m),
        Err(_) => {
            speak("Sorry, your message could not be recorded. Please call again later. Goodbye.")
        }
    }
}

/// Files a message under the business number, newest sorting first (sort key `at` = epoch
/// milliseconds), unheard.
#[call_flow]
fn file_message(call: &Call, cfg: &BusinessPhone, m: Message) {
    put_item(&cfg.table)
        .item("mailbox", S(&cfg.number))
        .item("at", N(millis()))
        .item("from", S(call.from))
        .item("received", S(local_stamp(cfg)))
        .item("bucket", S(m.bucket))
        .item("key", S(m.key))
        .item("seconds", N(m.seconds))
        .item("heard", BOOL(false));
}
