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

/// Says `intro` (empty, or ending with a space) and takes a message after the beep, in one
/// response, and files it, also when the caller hangs up instead of pressing pound; a sub-flow
/// other flows call.
#[call_flow]
pub fn leave_voicemail(call: &Call, mailbox: &Mailbox, intro: &str) {
    match take_message(&mailbox.bucket, &mailbox.prefix)
        .prompt(format!(
            "{}Please leave your message after the tone, then press pound or hang up.",
            intro
        ))
        .beep(&mailbox.bucket, "prompts/beep.wav")
        .max_seconds(mailbox.max_seconds)
        .silence_seconds(3)
    {
        Ok(m) => {
            file_voicemail(call, mailbox, m);
            speak("Thank you, your message has been saved. Goodbye.");
        }
        Err(Hangup(m)) => file_voicemail(call, mailbox, m),
        Err(_) => speak("Sorry, we could not record your message. Please try again later."),
    }
}

/// Files a message and tells the owner (the two don't depend on each other).
#[call_flow]
fn file_voicemail(call: &Call, mailbox: &Mailbox, m: Message) {
    parallel!(
        {
            put_item(&mailbox.table)
                .item("mailbox", S(&mailbox.name))
                .item("at", N(millis()))
                .item("from", S(call.from))
                .item("bucket", S(m.bucket))
                .item("key", S(m.key))
                .item("seconds", N(m.seconds))
                .item("heard", BOOL(false));
        },
        {
            invoke_lambda(
                &mailbox.notify_function,
                json!({ "mailbox": &mailbox.name, "from": call.from, "key": m.key }),
            );
        }
    );
}

/// Answers after hours: a greeting, then voicemail.
#[call_flow(name = "voicemail")]
pub fn voicemail(call: &Call, mailbox: &Mailbox) {
    leave_voicemail(call, mailbox, &unavailable(mailbox));
}

/// The after-hours greeting, said with the message prompt.
fn unavailable(mailbox: &Mailbox) -> String {
    format!(
        "You have reached {}. We cannot take your call right now. ",
        mailbox.name
    )
}
