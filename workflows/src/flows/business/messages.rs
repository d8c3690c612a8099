//! Listening to messages: all of them, newest first; replay, next, delete; marked heard.

use super::config::BusinessPhone;
use super::destination::SILENT;
use switchboard::prelude::*;

/// "New message 1 of 3, from 2 0 6 …, received Monday 2025-03-10 at 14:30." as SSML, after
/// `notice` ("Message deleted. ").
#[value]
fn announcement(inbox: Items, i: Val, notice: Val) -> Val {
    let m = inbox.at(i);
    let status = if m.bool("heard") {
        "Message "
    } else {
        "New message "
    };
    format!(
        "<speak>{}{}{} of {}, from <say-as interpret-as=\"telephone\">{}</say-as>, received {}.</speak>",
        notice,
        status,
        i + 1,
        inbox.count,
        m.s("from"),
        m.s("received")
    )
}

/// Whether message `i` is new: not marked heard (an item without `heard` counts as new).
#[value]
fn is_new(inbox: Items, i: Val) -> Val {
    !(inbox.at(i).bool("heard") == true)
}

/// Message `i`: who left it and when, the recording (pound skips it), and the choices, in one
/// response.
#[call_flow]
fn present(inbox: Items, i: Val, notice: Val) -> Step<kinds::SpeakAndGetDigits> {
    speak(announcement(inbox, i, notice)).ssml();
    play_audio(inbox.at(i).s("bucket"), inbox.at(i).s("key")).terminators("#");
    speak_and_get_digits(
        "Press 1 to replay, 2 for the next message, 3 to delete it, or 9 for the main menu.",
    )
    .pattern("^[1239]$")
    .failure_text("Sorry, that is not one of the choices.")
    .retries(2)
}

/// Marks message `i` heard.
#[call_flow]
fn mark_heard(cfg: &BusinessPhone, inbox: Items, i: Val) {
    update_item(&cfg.table)
        .key("mailbox", S(&cfg.number))
        .key("at", N(inbox.at(i).item.get("at").get("N").as_text()))
        .update("SET heard = :t")
        .value(":t", BOOL(true));
}

/// Deletes message `i` (its recording stays in S3 under the voicemail prefix, for a lifecycle
/// rule to expire).
#[call_flow]
fn delete_message(cfg: &BusinessPhone, inbox: Items, i: Val) {
    delete_item(&cfg.table)
        .key("mailbox", S(&cfg.number))
        .key("at", N(inbox.at(i).item.get("at").get("N").as_text()));
}

/// Plays the messages newest first until the owner goes back to the menu or none is left.
#[call_flow]
pub fn play_messages(cfg: &BusinessPhone, notice: &mut Val) {
    let inbox = query(&cfg.table)
        .key_condition("mailbox = :m")
        .value(":m", S(&cfg.number))
        .descending();
    let mut i = 0;
    if inbox.count == 0 {
        *notice = "You have no messages. ";
    } else {
        loop {
            match present(inbox, i, *notice) {
                Ok(r) => {
                    *notice = SILENT;
                    let new = is_new(inbox, i);
                    let last = i + 1 == inbox.count;
                    match r.digits.as_str() {
                        // Replay: the same message again.
                        "1" => {
                            if new {
                                mark_heard(cfg, inbox, i);
                            }
                        }
                        // Next.
                        "2" => {
                            if new {
                                mark_heard(cfg, inbox, i);
                            }
                            if last {
                                *notice = "That was your last message. ";
                                break;
                            }
                            i += 1;
                        }
                        "3" => {
                            delete_message(cfg, inbox, i);
                            if last {
                                *notice = "Message deleted. That was your last message. ";
                                break;
                            }
                            *notice = "Message deleted. ";
                            i += 1;
                        }
                        // Back to the menu.
                        "9" => {
                            if new {
                                mark_heard(cfg, inbox, i);
                            }
                            break;
                        }
                        _ => break,
                    }
                }
                Err(_) => {
                    *notice = "Sorry, I could not play that message. ";
                    break;
                }
            }
        }
    }
}
