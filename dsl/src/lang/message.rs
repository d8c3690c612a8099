//! `take_message`: a message that is kept whether the caller presses `#`, goes silent, or hangs
//! up.
//!
//! `RecordAudio` alone cannot do this: it reports the recording's key only in its
//! `ACTION_SUCCESSFUL` (when the duration, a terminator or silence ends it), and a `HANGUP`
//! carries no key (<https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>; the page
//! does not say the partial file is written at all, so we assume it is not). A call recording
//! does: `StartCallRecording` reports its `CallRecordingDestination` as soon as it starts
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>), and the
//! recording is delivered there when `StopCallRecording` stops it or when the call ends
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/stop-call-recording.html>). So:
//!
//! 1. one response: the optional prompt and beep, then `StartCallRecording` of the caller's
//!    track (`INCOMING`) — its `ACTION_SUCCESSFUL` gives the message's bucket and key before the
//!    caller says a word;
//! 2. the next response: `RecordAudio` into a scratch prefix, only to notice the end of the
//!    message (`#`, silence, the length limit), then `StopCallRecording`, which delivers it.
//!
//! A hang-up during 2 ends the call, which delivers the recording: the `Err(Hangup(m))` arm
//! runs with the message (service calls only: file it). A hang-up before the recording started
//! left nothing, and one shorter than `min_seconds` (default 1) is dropped: the arm does not run.
//! Lengths are measured by the flow (`$millis()` when the recording started and when it ended),
//! so they include the router's few tens of milliseconds.

use super::actions::{check_int, option, play_audio, record_audio, speak, start_call_recording};
use super::actions::{kinds, stop_call_recording};
use super::control::{if_, stmt};
use super::ctx;
use super::results::{FromVar, Message};
use super::step::{ActionKind, Bind, Step};
use super::val::{ToVal, Val};
use crate::ir::{BinOp, Expr, Kind, Loc, StmtKind};
use crate::origin::{Call, Opt, Origins, Sent};
#[cfg(doc)]
use crate::pstn::{limits, param};

/// The scratch prefix `RecordAudio` writes its copy to (it only detects the end of the message;
/// give the prefix an S3 lifecycle rule that expires it).
pub const DEFAULT_SCRATCH_PREFIX: &str = "switchboard-scratch/";
/// Messages shorter than this many seconds, left by hanging up, are dropped.
pub const DEFAULT_MIN_SECONDS: i64 = 1;

/// Takes a message: records the caller into `bucket` under `prefix` until they press `#`, go
/// silent, reach the length limit, or hang up — and keeps it in every case. Use it in a `match`
/// with an `Err(Hangup(m))` arm so a message left by hanging up is filed too:
///
/// ```ignore
/// match take_message(&cfg.bucket, "voicemail/")
///     .prompt("Please leave a message after the tone.")
///     .beep(&cfg.bucket, "prompts/beep.wav")
/// {
///     Ok(m) => { file(call, cfg, m); speak("Thank you."); }
///     Err(Hangup(m)) => file(call, cfg, m),
///     Err(_) => speak("Sorry, we could not record your message."),
/// }
/// ```
#[track_caller]
pub fn take_message(bucket: impl ToVal, prefix: impl ToVal) -> TakeMessage {
    let loc = Loc::caller();
    let bucket = bucket.to_val();
    // `Destination.Location` is "a valid Amazon S3 bucket and an optional Amazon S3 key prefix"
    // (start-call-recording page): `bucket/prefix`, without the trailing `/` the service adds
    // itself before its own folders.
    let prefix = prefix.to_val();
    let location = match super::step::const_str(&prefix) {
        Some(p) if p.trim_end_matches('/').is_empty() => bucket,
        Some(p) => super::val::ops::add(bucket, format!("/{}", p.trim_end_matches('/'))),
        None => super::val::ops::add(bucket, super::val::ops::add("/", prefix)),
    };
    // The recording's destination is built from both arguments, and its track is not an
    // option: no one argument sets them.
    let mut start = start_call_recording(location).track("INCOMING");
    start.action.origins = Origins::default();
    let detect = record_audio(bucket, DEFAULT_SCRATCH_PREFIX)
        .called_as(loc, RECORD_AUDIO, TAKE_MESSAGE)
        .default_by(SCRATCH_PREFIX, &["RecordingDestination"], None);
    TakeMessage {
        loc,
        prompt: None,
        beep: None,
        start,
        detect,
        min_seconds: DEFAULT_MIN_SECONDS,
    }
}

const TAKE_MESSAGE: Call = Call::Function("take_message");
const RECORD_AUDIO: Call = Call::Function("record_audio");
/// `scratch_prefix(prefix)`, the scratch recording's `Prefix`.
const SCRATCH_PREFIX: Opt = Opt::method("scratch_prefix", &["Prefix"], Sent::Same);

/// `step` as built by the helper `from` for the method `to` of [`TakeMessage`]: the arguments
/// are the method's, and the action's other options are not options of `take_message`.
fn helper_step<K: ActionKind>(mut step: Step<K>, from: Call, to: Call) -> Step<K> {
    step.action.origins.forget_uncalled();
    let loc = step.loc;
    step.called_as(loc, from, to)
}

/// A message being configured (see [`take_message`]).
#[must_use = "take_message does nothing until it is matched in a flow body"]
pub struct TakeMessage {
    loc: Loc,
    prompt: Option<Step<kinds::Speak>>,
    beep: Option<Step<kinds::PlayAudio>>,
    start: Step<kinds::StartCallRecording>,
    detect: Step<kinds::RecordAudio>,
    min_seconds: i64,
}

impl TakeMessage {
    /// What to say first, in the same response as the recording's start.
    #[track_caller]
    pub fn prompt(mut self, text: impl ToVal) -> Self {
        let prompt = speak(text);
        self.prompt = Some(helper_step(
            prompt,
            Call::Function("speak"),
            Call::Method("prompt"),
        ));
        self
    }
    /// The tone to play just before the recording starts (an S3 object).
    #[track_caller]
    pub fn beep(mut self, bucket: impl ToVal, key: impl ToVal) -> Self {
        let beep = play_audio(bucket, key);
        self.beep = Some(helper_step(
            beep,
            Call::Function("play_audio"),
            Call::Method("beep"),
        ));
        self
    }
    /// Longest message in seconds (default: `record_audio`'s, [`param::RECORD_DURATION_SECONDS`]).
    #[track_caller]
    pub fn max_seconds(mut self, s: i64) -> Self {
        self.detect = self.detect.max_seconds(s);
        self
    }
    /// Seconds of silence that end the message (default: `record_audio`'s,
    /// [`param::RECORD_SILENCE_DURATION_SECONDS`]).
    #[track_caller]
    pub fn silence_seconds(mut self, s: i64) -> Self {
        self.detect = self.detect.silence_seconds(s);
        self
    }
    /// Noise level under which audio counts as silence (default: `record_audio`'s,
    /// [`param::RECORD_SILENCE_THRESHOLD`]).
    #[track_caller]
    pub fn silence_threshold(mut self, t: i64) -> Self {
        self.detect = self.detect.silence_threshold(t);
        self
    }
    /// Keys that end the message (default [`limits::DEFAULT_TERMINATORS`]).
    #[track_caller]
    pub fn terminators(mut self, keys: &str) -> Self {
        self.detect = self.detect.terminators(keys);
        self
    }
    /// A message left by hanging up that is shorter than this is dropped (default 1 second).
    #[track_caller]
    pub fn min_seconds(mut self, s: i64) -> Self {
        let o = option("take_message", "min_seconds");
        self.min_seconds = check_int(Loc::caller(), o, s);
        self
    }
    /// Where `RecordAudio`'s own copy goes (default `switchboard-scratch/`): it only notices the
    /// end of the message, the message itself is the call recording under `prefix`.
    #[track_caller]
    pub fn scratch_prefix(mut self, prefix: impl ToVal) -> Self {
        let loc = Loc::caller();
        let destination = self.detect.action.params.get("RecordingDestination");
        let bucket = match destination.and_then(|d| d.get("BucketName")) {
            Some(crate::ir::Tree::Leaf(e)) => Val::new(e.clone(), Kind::Str),
            _ => return self,
        };
        // `record_audio` checks the prefix; only its destination is taken, so the options
        // already given stay.
        let checked = record_audio(bucket, prefix).into_action();
        if let Some(d) = checked.params.get("RecordingDestination") {
            let at = ["RecordingDestination"];
            let bucket = Opt::argument("take_message", 0, &["BucketName"]);
            let (detect, made_at) = (self.detect, self.loc);
            self.detect = detect.set(&at, d.clone()).mark(bucket, &at, made_at).mark(
                SCRATCH_PREFIX,
                &at,
                loc,
            );
        }
        self
    }
    /// Names the waiting states in Workflow Studio.
    pub fn label(mut self, label: &str) -> Self {
        self.start = self.start.label(&format!("{label}: start"));
        self.detect = self.detect.label(label);
        self
    }
}

fn num(n: i64) -> Expr {
    Expr::Lit(n.into())
}

fn millis() -> Expr {
    Expr::Call("millis", vec![])
}

impl Bind for TakeMessage {
    type Out = Message;
    /// Without an `Err(Hangup(m))` arm a message left by hanging up would be lost: refused.
    fn bind(self, _: Loc, _: Option<&str>) -> Message {
        ctx::error(
            self.loc,
            "a message left by hanging up would be lost here: match this take_message with an `Err(Hangup(m))` arm that files `m` (service calls only), e.g. `Err(Hangup(m)) => save(call, cfg, m)`",
        );
        // Refused as a whole: its parts are not reported again as never sent.
        self.prompt.map(Step::into_action);
        self.beep.map(Step::into_action);
        self.start.into_action();
        self.detect.into_action();
        Message::from_var("_")
    }
}

impl KeepsOnHangup for TakeMessage {
    type Out = Message;

    fn bind_keeping(
        self,
        loc: Loc,
        name: Option<&str>,
        arm: Box<dyn FnOnce(Message) + '_>,
    ) -> Message {
        let var = ctx::fresh_var(name.unwrap_or("message"));
        let m = || Expr::var(&var);
        if let Some(p) = self.prompt {
            stmt(loc, p);
        }
        if let Some(b) = self.beep {
            stmt(loc, b);
        }
        // Unbound: the next assignment rides on this state's `Assign`, where the event is
        // `$states.result`. `Location` is the bucket and key the recording will be delivered to.
        stmt(loc, self.start);
        let location = Expr::StatesResult
            .field("ActionData")
            .field("CallRecordingDestination")
            .field("Location");
        let split = |f: &'static str| Expr::Call(f, vec![location.clone(), Expr::str("/")]);
        ctx::push(
            loc,
            StmtKind::Assign {
                var: var.clone(),
                value: Expr::Object(vec![
                    ("bucket".into(), split("substringBefore")),
                    ("key".into(), split("substringAfter")),
                    ("seconds".into(), num(0)),
                    ("started".into(), millis()),
                ]),
            },
        );
        let out = Message::from_var(&var);
        // Only a hang-up once the recording runs reaches the arm: one before it (during the
        // prompt) left nothing and ends the call like any other hang-up.
        let (listen, ()) = ctx::capture(|| {
            stmt(loc, self.detect);
            stmt(loc, stop_call_recording());
            ctx::push(
                loc,
                StmtKind::Assign {
                    var: var.clone(),
                    value: with_length(m()),
                },
            );
        });
        let min_seconds = self.min_seconds;
        let (hangup, ()) = ctx::capture(|| {
            // The hang-up ended the recording: measure it, and keep it if long enough.
            ctx::push(
                loc,
                StmtKind::Assign {
                    var: var.clone(),
                    value: with_length(m()),
                },
            );
            if min_seconds == 0 {
                arm(out);
                return;
            }
            let long_enough = Val::new(
                Expr::Binary(
                    BinOp::Ge,
                    Box::new(m().field("seconds")),
                    Box::new(num(min_seconds)),
                ),
                Kind::Bool,
            );
            if_(loc, long_enough, || arm(out), || {});
        });
        ctx::push(
            loc,
            StmtKind::Try {
                step: listen,
                ok: Vec::new(),
                err: None,
                hangup: Some(hangup),
            },
        );
        out
    }
}

/// `m` with `seconds` set to the time since `m.started`, to a tenth of a second.
fn with_length(m: Expr) -> Expr {
    let elapsed = Expr::Binary(
        BinOp::Div,
        Box::new(Expr::Binary(
            BinOp::Sub,
            Box::new(millis()),
            Box::new(m.clone().field("started")),
        )),
        Box::new(num(1000)),
    );
    Expr::Call(
        "merge",
        vec![Expr::Array(vec![
            m,
            Expr::Object(vec![(
                "seconds".into(),
                Expr::Call("round", vec![elapsed, num(1)]),
            )]),
        ])],
    )
}

/// A step whose `Err(Hangup(x))` arm receives what the caller left before hanging up.
#[diagnostic::on_unimplemented(
    message = "only `take_message` gives its `Err(Hangup(…))` arm a value",
    note = "write `Err(Hangup)` for other steps: after a hang-up there is nothing to keep"
)]
pub trait KeepsOnHangup: Sized {
    type Out: Copy;
    /// Builds the step, with `arm` as what runs when the caller hangs up after leaving
    /// something worth keeping; returns the value of the `Ok` arm.
    fn bind_keeping(
        self,
        loc: Loc,
        name: Option<&str>,
        arm: Box<dyn FnOnce(Self::Out) + '_>,
    ) -> Self::Out;
}

#[cfg(test)]
mod tests {
    use super::super::origin_tests::{at, text_at};
    use super::*;

    #[test]
    fn take_message_records_its_own_methods() {
        let (_, (), errors) = ctx::build(|| {
            let m = take_message("b", "v/")
                .prompt("Leave a message.")
                .beep("b", "beep.wav");
            let prompt = m.prompt.as_ref().expect("a prompt");
            let text = at(&prompt.action, &["Parameters", "Text"]);
            assert_eq!(text.call, Call::Method("prompt"));
            assert!(text_at(text.loc).starts_with("prompt(\"Leave a message.\")"));
            assert!(
                prompt.action.origins.iter().all(|o| o.called),
                "no voice option on take_message"
            );
            let beep = m.beep.as_ref().expect("a beep");
            let key = at(&beep.action, &["Parameters", "AudioSource", "Key"]);
            assert_eq!((key.call, key.arg), (Call::Method("beep"), 1));
            let scratch = at(
                &m.detect.action,
                &["Parameters", "RecordingDestination", "Prefix"],
            );
            assert_eq!(
                (scratch.call, scratch.called),
                (Call::Method("scratch_prefix"), false)
            );
            let bucket = at(
                &m.detect.action,
                &["Parameters", "RecordingDestination", "BucketName"],
            );
            assert_eq!(bucket.call, Call::Function("take_message"));
            assert!(
                m.start.action.origins.is_empty(),
                "built from both arguments"
            );
            std::mem::forget(m);
        });
        assert!(errors.is_empty(), "{errors:?}");
    }
}
