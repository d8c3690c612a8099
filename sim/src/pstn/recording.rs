//! Recordings: `RecordAudio` (the caller talks into it) and call recording
//! (`StartCallRecording` … `StopCallRecording` or the end of the call).
//!
//! What the PSTN audio guide documents, and so what the simulator does:
//! - `RecordAudio` puts the file in S3 and reports its key in `ACTION_SUCCESSFUL` when the
//!   duration, a terminator or silence ends it
//!   (<https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html>). On a hang-up the
//!   page says nothing of a file; the conservative reading is that there is none.
//! - `StartCallRecording` returns the object's full location (`CallRecordingDestination`) in
//!   its `ACTION_SUCCESSFUL`, the key made of the `Location`'s prefix (default
//!   `Amazon-Chime-SMA-Call-Recordings`), the call leg's date and time, the transaction ID and
//!   the call ID (<https://docs.aws.amazon.com/chime-sdk/latest/dg/start-call-recording.html>).
//! - The recording "stops automatically when a call ends", "once recording for a call leg
//!   stops, it can't start again, and the recording is delivered to the destination"
//!   (<https://docs.aws.amazon.com/chime-sdk/latest/dg/stop-call-recording.html>): the object
//!   is written when `StopCallRecording` runs or the leg hangs up, its length the time from
//!   start to stop on the simulated clock. `PauseCallRecording` / `ResumeCallRecording` are
//!   shown in the transcript and change nothing else.

use chrono::{DateTime, Utc};
use serde_json::Map;
use switchboard::pstn::{
    self, param, ActionData, CallRecordingDestination, RecordingLocation, S3Type,
};
use switchboard::wire::LEG_A;

use super::actions::{ok, value, Done, INVALID_ACTION_PARAMETER};
use super::call::Call;
use super::script::{Moment, Step};
use super::{Entry, Outbox, Simulator};

/// The prefix `StartCallRecording` uses when `Location` is a bucket alone.
pub const DEFAULT_CALL_RECORDING_PREFIX: &str = "Amazon-Chime-SMA-Call-Recordings";

/// `ErrorType` and `ErrorMessage` of a `StartCallRecording` whose destination cannot be
/// written: the page's example failure ("NoAccessToDestination: Error while accessing
/// destination"), in the `ErrorType`/`ErrorMessage` fields every `ACTION_FAILED` carries.
pub const NO_ACCESS_TO_DESTINATION: (&str, &str) =
    ("NoAccessToDestination", "Error while accessing destination");

/// A call recording in progress.
#[derive(Debug, Clone)]
pub struct CallRecording {
    /// The recorded leg (`LEG-A` / `LEG-B`).
    pub leg: &'static str,
    pub bucket: String,
    pub key: String,
    /// When it started, epoch ms.
    pub start_ms: i64,
}

/// The object key of a call recording of a leg that started at `leg_start_ms`:
/// `prefix/year/month/date/year-month-date-hour-minute-second-millisecond_transactionId_callId.wav`.
pub fn call_recording_key(
    prefix: &str,
    leg_start_ms: i64,
    transaction: &str,
    call_id: &str,
) -> String {
    let t = DateTime::<Utc>::from_timestamp_millis(leg_start_ms).unwrap_or_default();
    format!(
        "{prefix}/{}/{}_{transaction}_{call_id}.wav",
        t.format("%Y/%m/%d"),
        t.format("%Y-%m-%d-%H-%M-%S-%3f")
    )
}

impl<Q: Outbox> Simulator<Q> {
    pub(super) fn record(
        &mut self,
        call: &mut Call,
        name: &str,
        leg: &str,
        a: &pstn::RecordAudio,
    ) -> Done {
        let max_s = value(&a.duration_in_seconds, &param::RECORD_DURATION_SECONDS);
        let silence_s = value(
            &a.silence_duration_in_seconds,
            &param::RECORD_SILENCE_DURATION_SECONDS,
        );
        let dest = &a.recording_destination;
        let target = format!(
            "s3://{}/{}",
            dest.bucket_name,
            dest.prefix.clone().unwrap_or_default()
        );
        self.entry(call, name, leg, None, Some(target), "recording");
        self.arm(call);
        let (talk_s, terminator, hangs_up) = match self.script.take(Moment::Record, name) {
            None if call.deadline_ms.is_some() => (0, None, false),
            None => {
                self.note(
                    call.number,
                    "the script has no more steps: the caller hangs up",
                );
                return self.hung_up(call, LEG_A, "caller");
            }
            Some(Step::Record(r)) => (
                r.seconds.0 as i64,
                r.terminator.filter(|t| a.recording_terminators.contains(t)),
                r.hang_up,
            ),
            Some(Step::Silent) => (0, None, false),
            Some(_) => return self.hung_up(call, LEG_A, "caller"),
        };
        if hangs_up && talk_s < max_s {
            // The caller talks, then hangs up mid-recording. The RecordAudio page reports the
            // recording (its key) only in ACTION_SUCCESSFUL, when the duration, a terminator
            // or silence ends it (https://docs.aws.amazon.com/chime-sdk/latest/dg/record-audio.html),
            // and says nothing of a file when the caller hangs up: the conservative reading is
            // that there is none, so nothing is written.
            self.spend(call, talk_s * 1000);
            self.note(
                call.number,
                "the caller hangs up mid-recording: RecordAudio saves nothing",
            );
            return self.hung_up(call, LEG_A, "caller");
        }
        let talk_s = talk_s.min(max_s);
        let ends_with_silence = terminator.is_none() && talk_s < max_s;
        let total_s = talk_s + if ends_with_silence { silence_s } else { 0 };
        if !self.spend(call, total_s * 1000) {
            // Hung up mid-recording (hang_up_after, hang_up: {after}): nothing is saved, as above.
            return self.hung_up(call, LEG_A, "caller");
        }
        if hangs_up {
            // The recording reached DurationInSeconds first; the caller hangs up right after.
            call.deadline_ms = Some(self.world.env.clock.now_millis());
        }
        let prefix = dest.prefix.clone().unwrap_or_default();
        let sep = if prefix.is_empty() || prefix.ends_with('/') {
            ""
        } else {
            "/"
        };
        let key = format!(
            "{prefix}{sep}{}_{}.wav",
            call.leg_a.call_id,
            self.world.env.clock.now_millis()
        );
        let body = format!("simulated recording: {talk_s} s of the caller").into_bytes();
        if let Err(e) = self
            .world
            .env
            .services
            .services
            .s3
            .put(&dest.bucket_name, &key, body)
        {
            return Done::Failed(INVALID_ACTION_PARAMETER, e.cause);
        }
        self.audio_ms
            .insert(format!("{}/{key}", dest.bucket_name), total_s * 1000);
        self.transcript
            .recordings
            .push(format!("s3://{}/{key}", dest.bucket_name));
        let at_ms = self.world.env.clock.now_millis() - call.start_ms;
        self.transcript.entries.push(Entry::Note {
            call: call.number,
            at_ms,
            text: format!(
                "recording saved: s3://{}/{key} ({talk_s} s)",
                dest.bucket_name
            ),
        });
        Done::Ok(ActionData {
            recording_destination: Some(RecordingLocation {
                kind: S3Type::S3,
                bucket_name: dest.bucket_name.clone(),
                key,
                extra: Map::new(),
            }),
            recording_terminator_used: terminator,
            ..ActionData::default()
        })
    }

    /// `StartCallRecording` on `leg`.
    pub(super) fn start_call_recording(
        &mut self,
        call: &mut Call,
        name: &str,
        leg: &'static str,
        a: &pstn::StartCallRecording,
    ) -> Done {
        let location = a.destination.location.trim_matches('/');
        let (bucket, prefix) = match location.split_once('/') {
            Some((b, p)) => (b.to_string(), p.trim_end_matches('/').to_string()),
            None => (
                location.to_string(),
                DEFAULT_CALL_RECORDING_PREFIX.to_string(),
            ),
        };
        if call.recordings.iter().any(|r| r.leg == leg) || call.recording_stopped.contains(&leg) {
            // "Once recording for a call leg stops, it can't start again"; a second start while
            // it records is not documented: refused the same way (conservative reading).
            self.entry(
                call,
                name,
                leg,
                None,
                Some(format!("s3://{location}")),
                "refused",
            );
            let why = if call.recording_stopped.contains(&leg) {
                "the recording of this call leg has stopped and cannot start again"
            } else {
                "this call leg is already being recorded"
            };
            return Done::Failed(INVALID_ACTION_PARAMETER, why.into());
        }
        if !self.world.services().s3.bucket_exists(&bucket) {
            self.entry(
                call,
                name,
                leg,
                None,
                Some(format!("s3://{location}")),
                "no such bucket",
            );
            return Done::Failed(
                NO_ACCESS_TO_DESTINATION.0,
                NO_ACCESS_TO_DESTINATION.1.into(),
            );
        }
        let (leg_start, call_id) = match call.leg(leg) {
            Some(l) => (l.start_ms, l.call_id.clone()),
            None => (call.start_ms, call.leg_a.call_id.clone()),
        };
        let key = call_recording_key(&prefix, leg_start, &call.transaction_id, &call_id);
        self.entry(
            call,
            name,
            leg,
            None,
            Some(format!("s3://{bucket}/{key}")),
            "recording",
        );
        call.recordings.push(CallRecording {
            leg,
            bucket: bucket.clone(),
            key: key.clone(),
            start_ms: self.world.env.clock.now_millis(),
        });
        Done::Ok(ActionData {
            call_recording_destination: Some(CallRecordingDestination {
                kind: S3Type::S3,
                location: format!("{bucket}/{key}"),
                extra: Map::new(),
            }),
            ..ActionData::default()
        })
    }

    /// `StopCallRecording` on `leg`: the recording is delivered now.
    pub(super) fn stop_call_recording(
        &mut self,
        call: &mut Call,
        name: &str,
        leg: &'static str,
    ) -> Done {
        let active = call.recordings.iter().any(|r| r.leg == leg);
        // Nothing to stop is not documented; the page says a flow need not stop a recording at
        // all, so it is not an error here.
        self.entry(
            call,
            name,
            leg,
            None,
            None,
            if active { "ok" } else { "not recording" },
        );
        self.deliver_recordings(call, |r| r.leg == leg);
        ok()
    }

    /// Deliver the call recordings `which` selects: write each object, as long as it recorded.
    pub(super) fn deliver_recordings(
        &mut self,
        call: &mut Call,
        which: impl Fn(&CallRecording) -> bool,
    ) {
        let (done, keep): (Vec<CallRecording>, Vec<CallRecording>) =
            std::mem::take(&mut call.recordings)
                .into_iter()
                .partition(|r| which(r));
        call.recordings = keep;
        let now = self.world.env.clock.now_millis();
        for r in done {
            call.recording_stopped.push(r.leg);
            let ms = (now - r.start_ms).max(0);
            let body = format!("simulated call recording of {}: {} ms", r.leg, ms).into_bytes();
            let uri = format!("s3://{}/{}", r.bucket, r.key);
            let saved = self
                .world
                .env
                .services
                .services
                .s3
                .put(&r.bucket, &r.key, body);
            let text = match saved {
                Ok(()) => {
                    self.audio_ms.insert(format!("{}/{}", r.bucket, r.key), ms);
                    self.transcript.recordings.push(uri.clone());
                    format!("call recording saved: {uri} ({:.1} s)", ms as f64 / 1000.0)
                }
                Err(e) => format!("call recording lost: {uri}: {}", e.cause),
            };
            self.note(call.number, text);
        }
    }
}
