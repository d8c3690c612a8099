//! Running the actions of one response, as PSTN audio does.
//!
//! Action reference: <https://docs.aws.amazon.com/chime-sdk/latest/dg/specify-actions.html>.

use serde_json::{json, Map, Value};
use switchboard::pstn::{self, Action, DigitCollection, Int};
use switchboard::wire::{LEG_A, LEG_B};

use super::call::{sip, Call, Leg, Talk};
use super::script::{BridgeOutcome, Ender, Moment, Step};
use super::{Entry, Outbox, Simulator};

/// `ErrorType` of a digit prompt whose attempts all failed. The developer guide documents the
/// retries ("plays the failure speech and then replays the main speech until the SIP media
/// application exhausts the number of attempts defined in the Repeat parameter",
/// <https://docs.aws.amazon.com/chime-sdk/latest/dg/speak-and-get-digits.html>) but not this
/// name; flows should match `ACTION_FAILED`, not the type.
pub const DIGITS_NOT_RECEIVED: &str = switchboard::wire::ERROR_TYPES_NO_INPUT[0];
/// `ErrorType` and `ErrorMessage` of a `CallAndBridge` that was not answered: the only failure
/// the page documents (<https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>).
/// It names no other error and puts no SIP code in `ACTION_FAILED`, so a busy line fails the
/// same way (conservative reading: a flow cannot tell busy from no answer here, only the time
/// differs).
pub const CALL_NOT_ANSWERED: (&str, &str) = ("CallNotAnswered", "Call not answered");
/// `ErrorType` of a `PlayAudio` whose object is missing
/// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/play-audio.html>).
pub const INVALID_AUDIO_SOURCE: &str = "InvalidAudioSource";
/// `ErrorType` of an action with a parameter the service cannot use.
pub const INVALID_ACTION_PARAMETER: &str = "InvalidActionParameter";

/// How one action ended.
pub(super) enum Done {
    /// Succeeded; these fields go into `ActionData` next to `Type` and `Parameters`.
    Ok(Map<String, Value>),
    /// Failed: `ErrorType`, `ErrorMessage`.
    Failed(&'static str, String),
    /// A leg hung up (LEG-A: the caller or the flow; LEG-B: the bridged party or the flow).
    HungUp(&'static str),
    /// `ReceiveDigits` heard its digits: report `DIGITS_RECEIVED` after the list.
    Digits(String),
}

/// Speech at about 150 words a minute.
pub(super) fn speech_ms(text: &str) -> i64 {
    (text.split_whitespace().count() as i64 * 400).max(800)
}

pub(super) fn int(v: &Option<Int>, default: i64) -> i64 {
    v.as_ref().and_then(Int::value).unwrap_or(default)
}

pub(super) fn ok() -> Done {
    Done::Ok(Map::new())
}

/// What a digit prompt says: speech text or an audio object.
enum Prompt<'a> {
    Speech(&'a str),
    Audio(&'a pstn::AudioSource),
}

impl<Q: Outbox> Simulator<Q> {
    /// Let `ms` of call time pass. `false` when the caller's `hang_up_after` comes first (the
    /// clock then stands at that moment).
    pub(super) fn spend(&mut self, call: &Call, ms: i64) -> bool {
        let now = self.world.env.clock.now_millis();
        let end = now.saturating_add(ms.max(0));
        match call.deadline_ms {
            Some(d) if d < end => {
                self.world.advance_to(d.max(now));
                false
            }
            _ => {
                self.world.advance_to(end);
                true
            }
        }
    }

    /// A `hang_up: {after}` that comes up starts counting now: the caller hangs up that long
    /// from now, whatever is happening then (the earlier of it and `hang_up_after`).
    pub(super) fn arm(&mut self, call: &mut Call) {
        if let Some(Step::HangUpAfter(s)) = self.script.peek() {
            let at = self.world.env.clock.now_millis() + s.millis();
            let text = format!("the caller will hang up in {} s", s.0);
            self.script.advance();
            call.deadline_ms = Some(call.deadline_ms.map_or(at, |d| d.min(at)));
            self.note(call.number, text);
        }
    }

    /// Whether the caller hangs up before `action` starts: its `hang_up_after` or
    /// `hang_up: {after}` has come, or a plain `hang_up` is due. A plain `hang_up` lets the
    /// audio of the response under way be heard (`Speak`, `PlayAudio`, a digit prompt's
    /// prompt, which then takes the step itself, like `RecordAudio` and `CallAndBridge`) and
    /// hangs up at an action that just waits (`Pause`, a bot or a meeting), or before any
    /// action of a later response.
    pub(super) fn leaves_before(&mut self, call: &mut Call, action: &Action) -> bool {
        self.arm(call);
        let now = self.world.env.clock.now_millis();
        let name = action.type_name();
        if call.deadline_ms.is_some_and(|d| d <= now) {
            self.note(call.number, format!("the caller hangs up before {name}"));
            return true;
        }
        if self.script.peek() != Some(&Step::HangUp) {
            return false;
        }
        let seen = *call.hang_up_seen.get_or_insert(call.responses);
        let waits = matches!(
            action,
            Action::Pause(_) | Action::StartBotConversation(_) | Action::JoinChimeMeeting(_)
        );
        if seen < call.responses || waits {
            self.script.advance();
            self.note(call.number, format!("the caller hangs up before {name}"));
            return true;
        }
        false
    }

    pub(super) fn entry(
        &mut self,
        call: &Call,
        action: &str,
        leg: &str,
        text: Option<String>,
        target: Option<String>,
        result: &str,
    ) {
        let at_ms = self.world.env.clock.now_millis() - call.start_ms;
        self.transcript.entries.push(Entry::Action {
            call: call.number,
            at_ms,
            action: action.into(),
            leg: leg.into(),
            text,
            target,
            result: result.into(),
        });
    }

    pub(super) fn hung_up(&mut self, call: &mut Call, leg: &'static str, by: &str) -> Done {
        self.hung_up_with(call, leg, by, sip::NORMAL_CLEARING)
    }

    /// A leg hangs up with this `SipResponseCode` on its `HANGUP` event.
    pub(super) fn hung_up_with(
        &mut self,
        call: &mut Call,
        leg: &'static str,
        by: &str,
        code: i64,
    ) -> Done {
        call.hangup_code = code;
        let at_ms = self.world.env.clock.now_millis() - call.start_ms;
        self.transcript.entries.push(Entry::HungUp {
            call: call.number,
            at_ms,
            leg: leg.into(),
            by: by.into(),
        });
        // The flow hanging up LEG-A ends the call; a caller who hangs up leaves a bridged
        // LEG-B for the flow to hang up (the router fails the waiting task with HANGUP).
        call.disconnect(leg, by == "flow");
        // The recording of a leg that hangs up stops with it and is delivered.
        let gone = |tag: &str| call.leg(tag).is_none_or(|l| !l.connected);
        let stopped: Vec<&'static str> = call
            .recordings
            .iter()
            .map(|r| r.leg)
            .filter(|t| gone(t))
            .collect();
        self.deliver_recordings(call, |r| stopped.contains(&r.leg));
        Done::HungUp(leg)
    }

    /// Run one action; `raw` is its `Parameters` as sent.
    pub(super) fn perform_one(&mut self, call: &mut Call, action: &Action, raw: &Value) -> Done {
        let name = action.type_name();
        let leg = call.leg_of(raw);
        let live = if leg == LEG_B {
            call.leg_b.as_ref().is_some_and(|b| b.connected)
        } else {
            call.leg_a.connected
        };
        if !live {
            self.entry(call, name, leg, None, None, "leg disconnected");
            return Done::Failed(INVALID_ACTION_PARAMETER, format!("{leg} is not connected"));
        }
        match action {
            Action::Speak(a) => self.say(call, name, leg, &a.speech.text),
            Action::PlayAudio(a) => {
                let times =
                    int(&a.repeat, const { pstn::param::PLAY_AUDIO_REPEAT.absent() }).max(1);
                self.play(call, name, leg, &a.audio_source, times)
            }
            Action::SpeakAndGetDigits(a) => self.get_digits(
                call,
                (name, leg),
                (
                    Prompt::Speech(&a.speech_parameters.text),
                    Prompt::Speech(&a.failure_speech_parameters.text),
                ),
                &a.digits,
                a.input_digits_regex.as_deref(),
            ),
            Action::PlayAudioAndGetDigits(a) => self.get_digits(
                call,
                (name, leg),
                (
                    Prompt::Audio(&a.audio_source),
                    Prompt::Audio(&a.failure_audio_source),
                ),
                &a.digits,
                a.input_digits_regex.as_deref(),
            ),
            Action::ReceiveDigits(a) => {
                self.entry(
                    call,
                    name,
                    leg,
                    None,
                    Some(a.input_digits_regex.clone()),
                    "listening",
                );
                match self.script.peek() {
                    Some(Step::Press(d)) if regex_ok(Some(&a.input_digits_regex), d) => {
                        let d = d.clone();
                        self.script.take(Moment::Digits, name);
                        self.pressed(call, &d);
                        Done::Digits(d)
                    }
                    _ => ok(),
                }
            }
            Action::RecordAudio(a) => self.record(call, name, leg, a),
            Action::CallAndBridge(a) => self.bridge(call, name, a),
            Action::Hangup(a) => {
                self.entry(call, name, leg, None, None, "ok");
                let code = int(&a.sip_response_code, sip::NORMAL_CLEARING);
                self.hung_up_with(call, leg, "flow", code)
            }
            Action::Pause(a) => {
                let ms = int(&Some(a.duration_in_milliseconds.clone()), 0);
                self.entry(call, name, leg, None, Some(format!("{ms} ms")), "ok");
                self.timed(call, ms)
            }
            Action::SendDigits(a) => {
                let each = int(&a.tone_duration_in_milliseconds, 250);
                self.entry(call, name, leg, None, Some(a.digits.clone()), "ok");
                self.timed(call, each * a.digits.len() as i64)
            }
            Action::JoinChimeMeeting(a) => {
                let target = a.meeting_id.clone().unwrap_or_else(|| "meeting".into());
                self.entry(call, name, leg, None, Some(target), "joined");
                ok()
            }
            Action::ModifyChimeMeetingAttendees(a) => {
                let target = format!("{:?} {}", a.operation, a.attendee_list.join(","));
                self.entry(call, name, leg, None, Some(target), "ok");
                ok()
            }
            Action::StartBotConversation(a) => {
                self.entry(call, name, leg, None, Some(a.bot_alias_arn.clone()), "ok");
                let mut data = Map::new();
                // The shape of an Amazon Lex V2 result, as the action's ACTION_SUCCESSFUL
                // carries it (https://docs.aws.amazon.com/chime-sdk/latest/dg/start-bot-conversation.html).
                data.insert(
                    "IntentResult".into(),
                    json!({"SessionId": call.leg_a.call_id, "SessionState": {
                        "Intent": {"Name": "FallbackIntent", "State": "Fulfilled", "Slots": {}},
                        "SessionAttributes": {}}}),
                );
                self.timed_with(call, 5000, data)
            }
            Action::StartCallRecording(a) => self.start_call_recording(call, name, leg, a),
            Action::StopCallRecording(_) => self.stop_call_recording(call, name, leg),
            Action::PauseCallRecording(_) | Action::ResumeCallRecording(_) => {
                // Recorded in the transcript; the simulated recording's length does not change.
                let active = call.recordings.iter().any(|r| r.leg == leg);
                let result = if active { "ok" } else { "not recording" };
                self.entry(call, name, leg, None, None, result);
                ok()
            }
            Action::VoiceFocus(_) => {
                self.entry(call, name, leg, None, None, "ok");
                ok()
            }
        }
    }

    pub(super) fn timed(&mut self, call: &mut Call, ms: i64) -> Done {
        self.timed_with(call, ms, Map::new())
    }

    fn timed_with(&mut self, call: &mut Call, ms: i64, data: Map<String, Value>) -> Done {
        if self.spend(call, ms) {
            Done::Ok(data)
        } else {
            self.hung_up(call, LEG_A, "caller")
        }
    }

    fn say(&mut self, call: &mut Call, name: &str, leg: &str, text: &str) -> Done {
        self.entry(call, name, leg, Some(text.to_owned()), None, "ok");
        let done = self.timed(call, speech_ms(text));
        self.cut_off(&done);
        done
    }

    /// Audio a hang-up stopped half way: its transcript entry says so (it still counts as
    /// heard: it started).
    fn cut_off(&mut self, done: &Done) {
        if !matches!(done, Done::HungUp(_)) {
            return;
        }
        if let Some(Entry::Action { result, .. }) = self
            .transcript
            .entries
            .iter_mut()
            .rev()
            .find(|e| matches!(e, Entry::Action { .. }))
        {
            *result = "cut off".into();
        }
    }

    pub(super) fn audio_len(&self, bucket: &str, key: &str) -> Option<i64> {
        let bytes = self.world.services().s3.get(bucket, key).ok()?;
        Some(
            self.audio_ms
                .get(&format!("{bucket}/{key}"))
                .copied()
                // 8 kHz, 16-bit mono WAV: 16,000 bytes a second.
                .unwrap_or((bytes.len() as i64 * 1000 / 16_000).max(500)),
        )
    }

    fn play(
        &mut self,
        call: &mut Call,
        name: &str,
        leg: &str,
        src: &pstn::AudioSource,
        times: i64,
    ) -> Done {
        let uri = format!("s3://{}/{}", src.bucket_name, src.key);
        match self.audio_len(&src.bucket_name, &src.key) {
            Some(ms) => {
                self.entry(call, name, leg, Some(uri), None, "ok");
                let done = self.timed(call, ms * times);
                self.cut_off(&done);
                done
            }
            None => {
                self.entry(call, name, leg, None, Some(uri.clone()), "no such object");
                Done::Failed(
                    INVALID_AUDIO_SOURCE,
                    format!("Audio Source parameter value is invalid: {uri} does not exist."),
                )
            }
        }
    }

    fn prompt(
        &mut self,
        call: &mut Call,
        (name, leg): (&str, &str),
        prompt: &Prompt<'_>,
    ) -> Option<Done> {
        let done = match prompt {
            Prompt::Speech(text) => self.say(call, name, leg, text),
            Prompt::Audio(src) => self.play(call, name, leg, src, 1),
        };
        match done {
            Done::Ok(_) => None,
            other => Some(other),
        }
    }

    fn pressed(&mut self, call: &Call, digits: &str) {
        let at_ms = self.world.env.clock.now_millis() - call.start_ms;
        self.transcript.entries.push(Entry::Pressed {
            call: call.number,
            at_ms,
            digits: digits.into(),
        });
    }

    /// `SpeakAndGetDigits` / `PlayAudioAndGetDigits`: `Repeat` attempts in all ("until the SIP
    /// media application exhausts the number of attempts defined in the Repeat parameter";
    /// the sample's `Repeat: 0` counts as one), each the prompt and then the caller's keys; a failed attempt
    /// plays the failure prompt. Collection stops at a terminator (default `#`) or at
    /// `MaxNumberOfDigits`; it is valid with at least `MinNumberOfDigits` digits that match
    /// `InputDigitsRegex`.
    fn get_digits(
        &mut self,
        call: &mut Call,
        (name, leg): (&str, &str),
        (main, failure): (Prompt<'_>, Prompt<'_>),
        d: &DigitCollection,
        regex: Option<&str>,
    ) -> Done {
        let attempts =
            int(&d.repeat, const { pstn::param::GET_DIGITS_REPEAT.absent() }).clamp(1, 20);
        let min = int(
            &d.min_number_of_digits,
            const { pstn::param::MIN_NUMBER_OF_DIGITS.absent() },
        );
        let max = int(&d.max_number_of_digits, pstn::limits::MAX_DIGITS);
        let between = int(&d.in_between_digits_duration_in_milliseconds, 3000);
        let wait = int(&Some(d.repeat_duration_in_milliseconds.clone()), 5000);
        let terminators = d
            .terminator_digits
            .clone()
            .unwrap_or_else(|| vec!["#".into()]);
        for attempt in 1..=attempts {
            if let Some(stop) = self.prompt(call, (name, leg), &main) {
                return stop;
            }
            let what = format!("{name} (attempt {attempt} of {attempts})");
            self.arm(call);
            let keys = match self.script.take(Moment::Digits, &what) {
                // Waiting to hang up at a set time: silent until then.
                None if call.deadline_ms.is_some() => String::new(),
                None => {
                    self.note(
                        call.number,
                        "the script has no more steps: the caller hangs up",
                    );
                    return self.hung_up(call, LEG_A, "caller");
                }
                Some(Step::Press(keys)) => keys,
                Some(Step::Silent) => String::new(),
                Some(_) => return self.hung_up(call, LEG_A, "caller"),
            };
            self.pressed(call, &keys);
            let (collected, terminated) = collect(&keys, &terminators, max);
            let ms = if keys.is_empty() {
                wait
            } else {
                keys.len() as i64 * 300 + if terminated { 0 } else { between }
            };
            if !self.spend(call, ms) {
                return self.hung_up(call, LEG_A, "caller");
            }
            let long_enough = collected.len() as i64 >= min;
            let with_terminator = terminated.then(|| {
                format!(
                    "{collected}{}",
                    keys.chars().nth(collected.len()).unwrap_or('#')
                )
            });
            let matches = regex_ok(regex, &collected)
                || with_terminator
                    .as_deref()
                    .is_some_and(|t| regex_ok(regex, t));
            if long_enough && matches {
                let mut data = Map::new();
                data.insert("ReceivedDigits".into(), Value::String(collected));
                return Done::Ok(data);
            }
            if let Some(stop) = self.prompt(call, (name, leg), &failure) {
                return stop;
            }
        }
        Done::Failed(
            DIGITS_NOT_RECEIVED,
            format!("no valid digits after {attempts} attempts"),
        )
    }

    fn bridge(&mut self, call: &mut Call, name: &str, a: &pstn::CallAndBridge) -> Done {
        let target = a
            .endpoints
            .first()
            .map(|e| e.uri.clone())
            .unwrap_or_default();
        let timeout_s = int(
            &a.call_timeout_seconds,
            const { pstn::param::CALL_TIMEOUT_SECONDS.absent() },
        );
        self.arm(call);
        let step = self
            .script
            .take(Moment::Bridge, &format!("{name} to {target}"));
        let b = match step {
            Some(Step::Bridge(b)) => b,
            None => {
                self.entry(call, name, LEG_A, None, Some(target), "ringing");
                self.note(
                    call.number,
                    "the script has no more steps: the caller hangs up",
                );
                return self.hung_up(call, LEG_A, "caller");
            }
            Some(_) => {
                self.entry(call, name, LEG_A, None, Some(target), "ringing");
                return self.hung_up(call, LEG_A, "caller");
            }
        };
        let (ring_s, result) = match b.outcome {
            BridgeOutcome::Answered => (4.min(timeout_s), "answered"),
            BridgeOutcome::NoAnswer => (timeout_s, "not answered"),
            BridgeOutcome::Busy => (2, "busy"),
        };
        self.entry(call, name, LEG_A, None, Some(target.clone()), result);
        if !self.spend(call, ring_s * 1000) {
            return self.hung_up(call, LEG_A, "caller");
        }
        match b.outcome {
            BridgeOutcome::Answered => {
                let now = self.world.env.clock.now_millis();
                call.leg_b = Some(Leg {
                    call_id: format!("{}-leg-b", call.transaction_id),
                    tag: LEG_B,
                    from: a.caller_id_number.clone(),
                    to: target,
                    direction: "Outbound",
                    start_ms: now,
                    connected: true,
                });
                call.talk = Some(Talk {
                    until_ms: now + b.talk.millis(),
                    caller_ends: b.ends == Ender::Caller,
                });
                ok()
            }
            BridgeOutcome::NoAnswer | BridgeOutcome::Busy => {
                Done::Failed(CALL_NOT_ANSWERED.0, CALL_NOT_ANSWERED.1.into())
            }
        }
    }

    /// Nothing to do: the call waits for the network. A bridged conversation ends when the
    /// script says; otherwise the caller waits `patience` and hangs up.
    pub(super) fn idle(&mut self, call: &mut Call, patience_ms: i64) -> Done {
        self.arm(call);
        if call.talk.is_none() && call.leg_a.connected && self.script.peek() == Some(&Step::HangUp)
        {
            self.script.advance();
            self.note(call.number, "the caller hangs up");
            return self.hung_up(call, LEG_A, "caller");
        }
        match call.talk {
            Some(t) => {
                let left = t.until_ms - self.world.env.clock.now_millis();
                if !self.spend(call, left) {
                    return self.hung_up(call, LEG_A, "caller");
                }
                if t.caller_ends {
                    self.hung_up(call, LEG_A, "caller")
                } else {
                    self.hung_up(call, LEG_B, "callee")
                }
            }
            None if !call.leg_a.connected => self.hung_up(call, LEG_B, "callee"),
            None => {
                self.spend(call, patience_ms);
                self.note(
                    call.number,
                    format!(
                        "nothing happens for {} s: the caller hangs up",
                        patience_ms / 1000
                    ),
                );
                self.hung_up(call, LEG_A, "caller")
            }
        }
    }
}

/// The digits collected from `keys`: up to a terminator or `max` digits. Also says whether a
/// terminator ended the collection.
fn collect(keys: &str, terminators: &[String], max: i64) -> (String, bool) {
    let mut out = String::new();
    for c in keys.chars() {
        if terminators.iter().any(|t| t.starts_with(c)) {
            return (out, true);
        }
        if out.len() as i64 >= max {
            break;
        }
        out.push(c);
    }
    (out, false)
}

fn regex_ok(regex: Option<&str>, digits: &str) -> bool {
    match regex {
        None => true,
        Some(r) => regex::Regex::new(r).is_ok_and(|re| re.is_match(digits)),
    }
}
