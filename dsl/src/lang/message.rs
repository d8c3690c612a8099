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
use super::step::{Bind, Step};
use super::val::{ToVal, Val};
use crate::ir::{BinOp, Expr, Kind, Loc, StmtKind};
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
    TakeMessage {
        loc,
        prompt: None,
        beep: None,
        start: start_call_recording(location).track("INCOMING"),
        detect: record_audio(bucket, DEFAULT_SCRATCH_PREFIX),
        min_seconds: DEFAULT_MIN_SECONDS,
    }
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
        self.prompt = Some(speak(text));
        self
    }
    /// The tone to play just before the recording starts (an S3 object).
    #[track_caller]
    pub fn beep(mut self, bucket: impl ToVal, key: impl ToVal) -> Self {
        self.beep = Some(play_audio(bucket, key));
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
        let destination = self.detect.action.params.get("RecordingDestination");
        let bucket = match destination.and_then(|d| d.get("BucketName")) {
            Some(crate::ir::Tree::Leaf(e)) => Val::new(e.clone(), Kind::Str),
            _ => return self,
        };
        // `record_audio` checks the prefix; only its destination is taken, so the options
        // already given stay.
        let checked = record_audio(bucket, prefix).into_action();
        if let Some(d) = checked.params.get("RecordingDestination") {
            self.detect = self.detect.set(&["RecordingDestination"], d.clone());
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
