//! Actions on the call as a whole: meetings, bots, call recording, Voice Focus.

use super::*;

/// Joins the call to an Amazon Chime SDK meeting. <https://docs.aws.amazon.com/chime-sdk/latest/dg/join-chime-meeting.html>
#[track_caller]
pub fn join_chime_meeting(
    join_token: impl ToVal,
    meeting_id: impl ToVal,
) -> Step<kinds::JoinChimeMeeting> {
    let loc = Loc::caller();
    let s = Step::new(Action::JOIN_CHIME_MEETING, "Join meeting".into(), 30, loc);
    let this = Opt::argument("join_chime_meeting", 0, &["JoinToken"]);
    s.set_by_val(this, &[], &join_token.to_val(), loc)
        .set(&["CallId"], call_id())
        .set_by_val(
            Opt {
                field: &["MeetingId"],
                ..this.arg(1)
            },
            &[],
            &meeting_id.to_val(),
            loc,
        )
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
    let meeting = Opt::argument("modify_chime_meeting_attendees", 1, &["MeetingId"]);
    s.set(&["Operation"], Tree::lit(op))
        .set_by_val(meeting, &[], &meeting_id.to_val(), loc)
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
    let bot = Opt::argument("start_bot_conversation", 0, &["BotAliasArn"]);
    with_call_id(s)
        .set_by_val(bot, &[], &arn, loc)
        .default_by(LOCALE, &[], Some(Tree::lit("en_US")))
        .set(
            &["Configuration", "SessionState", "DialogAction", "Type"],
            Tree::lit("ElicitIntent"),
        )
}

const LOCALE: Opt = Opt::method("locale", &["LocaleId"], Sent::Same);

impl Step<kinds::StartBotConversation> {
    /// What the bot says first (`WelcomePrompts`).
    #[track_caller]
    pub fn welcome(self, text: impl ToVal) -> Self {
        let prompt = Tree::Object(vec![
            ("ContentType".into(), Tree::lit("PlainText")),
            ("Content".into(), Tree::Leaf(text.to_val().expr())),
        ]);
        let at = ["Configuration", "WelcomePrompts"];
        let welcome = Opt::method("welcome", &["Content"], Sent::Same);
        self.set(&at, Tree::Array(vec![prompt])).mark(
            welcome,
            &[&at[..], &["0"]].concat(),
            Loc::caller(),
        )
    }
    /// The bot's locale (`LocaleId`, e.g. `en_US`).
    #[track_caller]
    pub fn locale(self, id: &str) -> Self {
        self.set_by(LOCALE, &[], json!(id), Loc::caller())
    }
}

/// Starts recording the call to S3 at `destination` (`bucket/prefix`).
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>
#[track_caller]
pub fn start_call_recording(destination: impl ToVal) -> Step<kinds::StartCallRecording> {
    let loc = Loc::caller();
    let s = Step::new(
        Action::START_CALL_RECORDING,
        "Start recording".into(),
        10,
        loc,
    );
    let location = Opt::argument("start_call_recording", 0, &["Location"]);
    with_call_id(s)
        .default_by(TRACK, &[], Some(Tree::lit("BOTH")))
        .set(&["Destination", "Type"], Tree::lit("S3"))
        .set_by_val(location, &["Destination"], &destination.to_val(), loc)
}

const TRACK: Opt = Opt::method("track", &["Track"], Sent::Same);

impl Step<kinds::StartCallRecording> {
    /// Which audio to record: `"INCOMING"`, `"OUTGOING"` or `"BOTH"`.
    #[track_caller]
    pub fn track(self, track: &str) -> Self {
        let loc = Loc::caller();
        if !["INCOMING", "OUTGOING", "BOTH"].contains(&track) {
            ctx::error(
                loc,
                format!("track(\"{track}\"): use \"INCOMING\", \"OUTGOING\" or \"BOTH\""),
            );
        }
        self.set_by(TRACK, &[], json!(track), loc)
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
    let loc = Loc::caller();
    let s = Step::new(
        Action::VOICE_FOCUS,
        format!("Voice Focus {}", if enable { "on" } else { "off" }),
        10,
        loc,
    );
    let enable_opt = Opt::argument("voice_focus", 0, &["Enable"]);
    s.set_by(enable_opt, &[], json!(enable), loc)
        .set(&["CallId"], call_id())
}
