//! Voicemail: record a message to S3 and index it in DynamoDB, newest first.

use serde::Deserialize;
use switchboard::prelude::*;

/// Where messages go.
#[derive(Debug, Deserialize)]
pub struct Mailbox {
    /// The business name spoken in the greeting.
    pub name: String,
    /// S3 bucket for recordings.
    pub bucket: String,
    /// Key prefix of recordings, e.g. `voicemail/`.
    pub prefix: String,
    /// DynamoDB table with partition key `mailbox` (S) and sort key `at` (N).
    pub table: String,
    /// Longest message, in seconds.
    pub max_seconds: i64,
    /// Lambda function told about each new message (e.g. to text the owner).
    pub notify_function: String,
}

/// Records a message after the beep and files it; a sub-flow other flows call.
#[call_flow]
pub fn leave_voicemail(call: &Call, mailbox: &Mailbox) {
    speak("Please leave your message after the tone, then press pound or hang up.");
    play_audio(&mailbox.bucket, "prompts/beep.wav");
    match record_audio(&mailbox.bucket, &mailbox.prefix)
        .max_seconds(mailbox.max_seconds)
        .silence_seconds(3)
    {
        Ok(rec) => {
            // Filing the message and telling the owner don't depend on each other.
            parallel!(
                {
                    put_item(&mailbox.table)
                        .item("mailbox", S(&mailbox.name))
                        .item("at", N(millis()))
                        .item("from", S(call.from))
                        .item("bucket", S(rec.bucket))
                        .item("key", S(rec.key))
                        .item("heard", BOOL(false));
                },
                {
                    invoke_lambda(
                        &mailbox.notify_function,
                        json!({ "mailbox": &mailbox.name, "from": call.from, "key": rec.key }),
                    );
                }
            );
            speak("Thank you, your message has been saved. Goodbye.");
        }
        Err(_) => speak("Sorry, we could not record your message. Please try again later."),
        // A caller who hangs up mid-recording still leaves what they said: PSTN audio writes
        // the partial recording, but no event reports its key, so nothing is filed.
        Err(Hangup) => {}
    }
}

/// Answers after hours: a greeting, then voicemail.
#[call_flow(name = "voicemail")]
pub fn voicemail(call: &Call, mailbox: &Mailbox) {
    speak(format!(
        "You have reached {}. We cannot take your call right now.",
        mailbox.name
    ));
    leave_voicemail(call, mailbox);
}
