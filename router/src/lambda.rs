//! Where `LambdaEvent` is handled: the invocation deadline, the payload guard and the one log
//! line per event.

use std::convert::Infallible;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant, SystemTime};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{LambdaEvent, LambdaInvocation};
use serde::Deserialize;
use serde_json::Value;

use crate::backend::{ActionQueue, Engine};
use crate::event::UNPARSED_PAYLOAD;
use crate::incident::{clip, Incident, Reply, Severity};
use crate::router::Router;

/// Handles one invocation: computes when to answer from the invocation's start and its deadline,
/// runs the router, writes the event's one log line, and returns the response (never an error).
pub async fn handle_invocation<E: Engine, Q: ActionQueue>(
    router: &Router<E, Q>,
    event: LambdaEvent<Value>,
) -> Result<Value, Infallible> {
    let started = Instant::now();
    let deadline = lambda_deadline(event.context.deadline, started);
    let answer_by = router.answer_by(started, deadline);
    let reply = router.handle(&event.payload, answer_by).await;
    log_reply(&reply, &event.context.request_id, started.elapsed());
    Ok(reply.response)
}

/// The invocation deadline (milliseconds since the epoch) as an `Instant`; `None` when absent.
fn lambda_deadline(deadline_ms: u64, now: Instant) -> Option<Instant> {
    if deadline_ms == 0 {
        return None;
    }
    let deadline = SystemTime::UNIX_EPOCH + Duration::from_millis(deadline_ms);
    let left = deadline
        .duration_since(SystemTime::now())
        .unwrap_or_default();
    Some(now + left)
}

/// Longest log message (incident details joined), in bytes of JSON text. With the other fields
/// clipped too, a line stays under 8 KiB (CloudWatch takes 256 KiB an event).
pub const MAX_MESSAGE: usize = 4096;
/// Longest of the other free-text fields of a line (`also`, `answer`, `request_id`).
const MAX_FIELD: usize = 256;

/// The one log line of an event, before formatting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// `None`: nothing went wrong (logged at info level).
    pub severity: Option<Severity>,
    /// The kind of the main incident ([`Reply::main_incident`]), or empty.
    pub incident: &'static str,
    /// The kinds of the other incidents, comma-separated.
    pub also: String,
    pub transaction_id: String,
    pub event_type: String,
    /// -1 when the event had no usable `Sequence`.
    pub sequence: i64,
    /// The action types answered, comma-separated.
    pub answer: String,
    pub message: String,
}

/// Merges everything about one event into one line: the main incident leads, the others follow.
pub fn log_line(reply: &Reply) -> LogLine {
    let main = reply.main_incident();
    let others: Vec<&Incident> = reply
        .incidents
        .iter()
        .filter(|i| !main.is_some_and(|m| std::ptr::eq(*i, m)))
        .collect();
    let message = match main {
        None => "answered".to_owned(),
        Some(m) => {
            let mut text = m.detail.clone();
            for i in &others {
                text.push_str(&format!(" | {}: {}", i.kind, i.detail));
            }
            clip(&text, MAX_MESSAGE)
        }
    };
    let also: Vec<&str> = others.iter().map(|i| i.kind).collect();
    let answer: Vec<&str> = reply.response["Actions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["Type"].as_str().unwrap_or("?"))
        .collect();
    LogLine {
        severity: main.map(|m| m.severity),
        incident: main.map_or("", |m| m.kind),
        also: clip(&also.join(","), MAX_FIELD),
        transaction_id: reply.event.transaction_id.clone().unwrap_or_default(),
        event_type: reply.event.event_type.clone().unwrap_or_default(),
        sequence: reply
            .event
            .sequence
            .map_or(-1, |s| s.min(i64::MAX as u64) as i64),
        answer: clip(&answer.join(","), MAX_FIELD),
        message,
    }
}

/// Writes the event's one JSON line through `tracing`: error or warn when something went wrong,
/// info otherwise.
pub fn log_reply(reply: &Reply, request_id: &str, elapsed: Duration) {
    let l = log_line(reply);
    let request_id = clip(request_id, MAX_FIELD);
    let elapsed_ms = elapsed.as_millis() as u64;
    macro_rules! emit {
        ($level:ident) => {
            tracing::$level!(
                TransactionId = l.transaction_id,
                InvocationEventType = l.event_type,
                Sequence = l.sequence,
                incident = l.incident,
                also = l.also,
                answer = l.answer,
                elapsed_ms,
                request_id,
                "{}",
                l.message
            )
        };
    }
    match l.severity {
        Some(Severity::Error) => emit!(error),
        Some(Severity::Warn) => emit!(warn),
        None => emit!(info),
    }
}

/// The JSON log format: one line per event, fields flattened, no ANSI colours, no time (Lambda
/// stamps each line), written to `writer`.
pub fn subscriber<W>(level: tracing::Level, writer: W) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(level)
        .without_time()
        .with_writer(writer)
        .finish()
}

/// Installs [`subscriber`] on stdout. The level comes from `SWITCHBOARD_LOG` (`error`, `warn`,
/// `info`, `debug`; default `info`, which logs every event; `warn` keeps only the events where
/// something went wrong).
pub fn init_logging() {
    let level = match std::env::var("SWITCHBOARD_LOG").as_deref() {
        Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        Ok("trace") => tracing::Level::TRACE,
        _ => tracing::Level::INFO,
    };
    let _ = tracing::subscriber::set_global_default(subscriber(level, std::io::stdout));
}

/// Lets every payload reach the handler: the runtime would otherwise fail the invocation before
/// the router sees it, and PSTN audio would get no response at all. A payload the runtime cannot
/// read into a `Value` is replaced with `{"SwitchboardUnparsedPayload": "<why>; it starts with
/// <its first 256 bytes>"}`, which the router reports as a bad event and answers with a valid,
/// empty response.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonGuardLayer;

impl<S> Layer<S> for JsonGuardLayer {
    type Service = JsonGuard<S>;
    fn layer(&self, inner: S) -> JsonGuard<S> {
        JsonGuard { inner }
    }
}

/// See [`JsonGuardLayer`].
#[derive(Debug, Clone)]
pub struct JsonGuard<S> {
    inner: S,
}

impl<S: Service<LambdaInvocation>> Service<LambdaInvocation> for JsonGuard<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut TaskContext<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: LambdaInvocation) -> S::Future {
        req.body = guard_payload(req.body);
        self.inner.call(req)
    }
}

/// The payload unchanged when the runtime can read it, else the stand-in document.
///
/// The test is what `lambda_runtime` 1.5 does (`src/deserializer.rs`): `serde_json`'s
/// `Deserializer::from_slice` into the handler's payload type, `Value` here. That is stricter
/// than JSON's grammar: nesting deeper than serde_json's recursion limit (128), numbers outside
/// `f64` such as `1e400`, and lone UTF-16 surrogates such as `"\ud800"` fail, while merely
/// skipping over the text (`IgnoredAny`) accepts them. Trailing characters, which the runtime
/// would ignore, are refused here too: such a payload is not one PSTN audio sends.
pub fn guard_payload(body: bytes::Bytes) -> bytes::Bytes {
    let mut de = serde_json::Deserializer::from_slice(&body);
    let read = Value::deserialize(&mut de).and_then(|_| de.end());
    let Err(why) = read else {
        return body;
    };
    let head = String::from_utf8_lossy(&body[..body.len().min(256)]).into_owned();
    let text = format!("{why}; it starts with {head:?}");
    let doc = serde_json::json!({ UNPARSED_PAYLOAD: text });
    bytes::Bytes::from(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_passes_json_and_wraps_the_rest() {
        let json = bytes::Bytes::from_static(br#"{"a": 1}"#);
        assert_eq!(guard_payload(json.clone()), json);
        let wrapped = guard_payload(bytes::Bytes::from_static(b"\xffnot json"));
        let v: Value = serde_json::from_slice(&wrapped).unwrap();
        assert!(v[UNPARSED_PAYLOAD].as_str().unwrap().contains("not json"));
    }

    /// What `lambda_runtime` does with the payload (`deserializer::deserialize` in 1.5.0).
    fn as_the_runtime_reads(body: &[u8]) -> Result<Value, String> {
        let mut de = serde_json::Deserializer::from_slice(body);
        Value::deserialize(&mut de).map_err(|e| e.to_string())
    }

    #[test]
    fn payloads_beyond_serde_jsons_limits_reach_the_handler_as_a_stand_in() {
        let cases: [(&str, Vec<u8>, &str); 5] = [
            (
                "array nested 100,000 deep",
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
                "recursion limit exceeded",
            ),
            (
                "objects nested 200 deep",
                format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200)).into_bytes(),
                "recursion limit exceeded",
            ),
            (
                "1e400",
                br#"{"Sequence": 1e400}"#.to_vec(),
                "number out of range",
            ),
            (
                "lone surrogate",
                br#"{"a": "\ud800"}"#.to_vec(),
                "hex escape",
            ),
            (
                "trailing characters",
                b"{} x".to_vec(),
                "trailing characters",
            ),
        ];
        for (name, body, why) in cases {
            assert!(
                serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok()
                    || name == "trailing characters",
                "{name}: valid JSON text"
            );
            let guarded = guard_payload(bytes::Bytes::from(body));
            let v = as_the_runtime_reads(&guarded)
                .unwrap_or_else(|e| panic!("{name}: the runtime still fails: {e}"));
            let text = v[UNPARSED_PAYLOAD].as_str().unwrap_or_default();
            assert!(text.contains(why), "{name}: {text}");
            assert!(text.len() < 600, "{name}: {} bytes", text.len());
        }
    }

    #[derive(Clone, Default)]
    struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logged(reply: &Reply) -> Vec<String> {
        let buf = Buffer::default();
        let b = buf.clone();
        tracing::subscriber::with_default(
            subscriber(tracing::Level::INFO, move || b.clone()),
            || log_reply(reply, "request-1", Duration::from_millis(12)),
        );
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        text.lines().map(str::to_owned).collect()
    }

    fn incident(severity: Severity, kind: &'static str, detail: String) -> Incident {
        Incident {
            severity,
            kind,
            transaction_id: None,
            event_type: None,
            sequence: None,
            detail,
        }
    }

    #[test]
    fn one_line_per_event_led_by_its_main_incident() {
        use crate::incident::EventId;
        let reply = Reply {
            response: serde_json::json!({"SchemaVersion": "1.0", "Actions": [
                {"Type": "Speak"}, {"Type": "Hangup"}]}),
            incidents: vec![
                incident(Severity::Warn, "unknown_number", "no flow any more".into()),
                incident(
                    Severity::Error,
                    "execution_ended",
                    "ended; call ended".into(),
                ),
            ],
            event: EventId::new(Some("tx-1"), Some("DIGITS_RECEIVED"), Some(7)),
        };
        let lines = logged(&reply);
        assert_eq!(lines.len(), 1, "{lines:?}");
        let v: Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(v["level"], "ERROR");
        assert_eq!(v["incident"], "execution_ended");
        assert_eq!(v["also"], "unknown_number");
        assert_eq!(v["answer"], "Speak,Hangup");
        assert_eq!(v["TransactionId"], "tx-1");
        assert_eq!(v["Sequence"], 7);
        assert_eq!(v["request_id"], "request-1");
        assert_eq!(
            v["message"],
            "ended; call ended | unknown_number: no flow any more"
        );

        let quiet = Reply {
            incidents: vec![],
            ..reply
        };
        let lines = logged(&quiet);
        assert_eq!(lines.len(), 1, "{lines:?}");
        let v: Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(
            (v["level"].as_str(), v["incident"].as_str()),
            (Some("INFO"), Some(""))
        );
    }

    #[test]
    fn a_line_stays_under_8_kib_whatever_the_event_carried() {
        use crate::incident::{EventId, MAX_DETAIL};
        let huge = "\u{1}\"".repeat(1 << 18);
        let reply = Reply {
            response: serde_json::json!({"SchemaVersion": "1.0", "Actions": [{"Type": huge.clone()}]}),
            incidents: (0..20)
                .map(|_| incident(Severity::Error, "backend", clip(&huge, MAX_DETAIL)))
                .collect(),
            event: EventId::new(Some(&huge), Some(&huge), None),
        };
        let lines = logged(&reply);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].len() <= 8 * 1024, "{} bytes", lines[0].len());
        let v: Value = serde_json::from_str(&lines[0]).unwrap();
        assert!(v["TransactionId"].as_str().unwrap().contains("more bytes]"));
    }

    #[test]
    fn deadline_is_relative_to_now() {
        let now = Instant::now();
        assert_eq!(lambda_deadline(0, now), None);
        let in_3s = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64
            + 3000;
        let d = lambda_deadline(in_3s, now).unwrap();
        let left = d - now;
        assert!(
            left > std::time::Duration::from_millis(2900)
                && left <= std::time::Duration::from_millis(3000),
            "{left:?}"
        );
    }
}
