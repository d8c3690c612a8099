//! Taking a message: every message is its own DynamoDB item, so none is overwritten.

use super::config::BusinessPhone;
use super::hours::local_stamp;
use switchboard::lang::actions::kinds;
use switchboard::lang::step::Step;
use switchboard::prelude::*;

/// `intro`, the instructions, the beep and the recording, in one response.
#[call_flow]
fn record_after_beep(cfg: &BusinessPhone, intro: &str) -> Step<kinds::RecordAudio> {
    speak(format!(
        "{} Please leave a message after the tone. Press pound or hang up when you are done.",
        intro
    ));
    play_audio(&cfg.bucket, &cfg.beep_key);
    record_audio(&cfg.bucket, &cfg.voicemail_prefix)
        .max_seconds(cfg.max_message_seconds)
        .silence_seconds(3)
}

/// Records a message and files it under the business number, newest sorting first (sort key
/// `at` = epoch milliseconds), unheard.
#[call_flow]
pub fn take_message(call: &Call, cfg: &BusinessPhone, intro: &str) {
    match record_after_beep(cfg, intro) {
        Ok(rec) => {
            put_item(&cfg.table)
                .item("mailbox", S(&cfg.number))
                .item("at", N(millis()))
                .item("from", S(call.from))
                .item("received", S(local_stamp(cfg)))
                .item("bucket", S(rec.bucket))
                .item("key", S(rec.key))
                .item("heard", BOOL(false));
            speak("Thank you, your message has been saved. Goodbye.");
        }
        Err(_) => {
            speak("Sorry, your message could not be recorded. Please call again later. Goodbye.")
        }
    }
}
