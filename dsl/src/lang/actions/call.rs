//! Actions on the call as a whole: meetings, bots, call recording, Voice Focus.

use super::*;

/// Joins the call to an Amazon Chime SDK meeting. <https://docs.aws.amazon.com/chime-sdk/latest/dg/join-chime-meeting.html>
#[track_caller]
pub fn join_chime_meeting(
    join_token: impl ToVal,
    meeting_id: impl ToVal,
) -> Step<kinds::JoinChimeMeeting> {
    let s = Step::new(
        Action::JOIN_CHIME_MEETING,
        "Join meeting".into(),
        30,
        Loc::caller(),
    );
    s.set_val(&["JoinToken"], join_token)
        .set(&["CallId"], call_id())
        .set_val(&["MeetingId"], meeting_id)
}

/// Mutes or unmutes meeting attendees. <https://docs.aws.amazon.com/chime-sdk/latest/dg/modify-chime-meeting-attendees.html>
#[track_caller]
pub fn modify_chime_meeting_attendees(
    mute: bool,
    meeting_id: impl ToVal,
    attendee_ids: &[&str],
) -> Step<kinds::ModifyChimeMeetingAttendees> {
    let loc = Loc::caller();
    let allowed = limits::ATTENDEE_LIST_LEN;
    if !allowed.contains(&attendee_ids.len()) {
        let (lo, hi) = (allowed.start(), allowed.end());
        ctx::error(
            loc,
            format!("modify_chime_meeting_attendees: give {lo} to {hi} attendee ids"),
        );
    }
    let op = if mute { "Mute" } else { "Unmute" };
    let s = Step::new(
        Action::MODIFY_CHIME_MEETING_ATTENDEES,
        format!("{op} attendees"),
        10,
        loc,
    );
    s.set(&["Operation"], Tree::lit(op))
        .set_val(&["MeetingId"], meeting_id)
        .set(&["CallId"], call_id())
        .set(
            &["AttendeeList"],
            Tree::Array(attendee_ids.iter().map(|a| Tree::lit(*a)).collect()),
        )
}

/// Hands the caller to an Amazon Lex V2 bot; the result's `intent` holds the bot's `IntentResult`.
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-bot-conversation.html>
#[track_caller]
pub fn start_bot_conversation(bot_alias_arn: impl ToVal) -> Step<kinds::StartBotConversation> {
    let loc = Loc::caller();
    let arn = bot_alias_arn.to_val();
    if let Some(a) = const_str(&arn) {
        if !limits::is_lex_bot_alias_arn(&a) {
            ctx::error(loc, format!("start_bot_conversation(\"{a}\") is not a Lex V2 bot alias ARN (arn:aws:lex:REGION:ACCOUNT:bot-alias/BOT/ALIAS)"));
        }
    }
    let s = Step::new(
        Action::START_BOT_CONVERSATION,
        "Bot conversation".into(),
        600,
        loc,
    );
    with_call_id(s)
        .set(&["BotAliasArn"], Tree::Leaf(arn.expr()))
        .set(&["LocaleId"], Tree::lit("en_US"))
        .set(
            &["Configuration", "SessionState", "DialogAction", "Type"],
            Tree::lit("ElicitIntent"),
        )
}

impl Step<kinds::StartBotConversation> {
    /// What the bot says first (`WelcomePrompts`).
    pub fn welcome(self, text: impl ToVal) -> Self {
        let prompt = Tree::Object(vec![
            ("ContentType".into(), Tree::lit("PlainText")),
            ("Content".into(), Tree::Leaf(text.to_val().expr())),
        ]);
        self.set(
            &["Configuration", "WelcomePrompts"],
            Tree::Array(vec![prompt]),
        )
    }
    /// The bot's locale (`LocaleId`, e.g. `en_US`).
    pub fn locale(self, id: &str) -> Self {
        self.set(&["LocaleId"], Tree::lit(id))
    }
}

/// Starts recording the call to S3 at `destination` (`bucket/prefix`).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>
#[track_caller]
pub fn start_call_recording(destination: impl ToVal) -> Step<kinds::StartCallRecording> {
    let s = Step::new(
        Action::START_CALL_RECORDING,
        "Start recording".into(),
        10,
        Loc::caller(),
    );
    with_call_id(s)
        .set(&["Track"], Tree::lit("BOTH"))
        .set(&["Destination", "Type"], Tree::lit("S3"))
        .set_val(&["Destination", "Location"], destination)
}

impl Step<kinds::StartCallRecording> {
    /// Which audio to record: `"INCOMING"`, `"OUTGOING"` or `"BOTH"`.
    #[track_caller]
    pub fn track(self, track: &str) -> Self {
        if !["INCOMING", "OUTGOING", "BOTH"].contains(&track) {
            ctx::error(
                Loc::caller(),
                format!("track(\"{track}\"): use \"INCOMING\", \"OUTGOING\" or \"BOTH\""),
            );
        }
        self.set(&["Track"], Tree::lit(track))
    }
}

/// Stops the call recording. <https://docs.aws.amazon.com/chime-sdk/latest/dg/stop-call-recording.html>
#[track_caller]
pub fn stop_call_recording() -> Step<kinds::StopCallRecording> {
    with_call_id(Step::new(
        Action::STOP_CALL_RECORDING,
        "Stop recording".into(),
        10,
        Loc::caller(),
    ))
}

/// Pauses the call recording. <https://docs.aws.amazon.com/chime-sdk/latest/dg/pause-call-recording.html>
#[track_caller]
pub fn pause_call_recording() -> Step<kinds::PauseCallRecording> {
    with_call_id(Step::new(
        Action::PAUSE_CALL_RECORDING,
        "Pause recording".into(),
        10,
        Loc::caller(),
    ))
}

/// Resumes the call recording. <https://docs.aws.amazon.com/chime-sdk/latest/dg/resume-call-recording.html>
#[track_caller]
pub fn resume_call_recording() -> Step<kinds::ResumeCallRecording> {
    with_call_id(Step::new(
        Action::RESUME_CALL_RECORDING,
        "Resume recording".into(),
        10,
        Loc::caller(),
    ))
}

/// Turns Amazon Voice Focus noise reduction on or off. <https://docs.aws.amazon.com/chime-sdk/latest/dg/voicefocus.html>
#[track_caller]
pub fn voice_focus(enable: bool) -> Step<kinds::VoiceFocus> {
    let s = Step::new(
        Action::VOICE_FOCUS,
        format!("Voice Focus {}", if enable { "on" } else { "off" }),
        10,
        Loc::caller(),
    );
    s.set(&["Enable"], Tree::lit(enable))
        .set(&["CallId"], call_id())
}
