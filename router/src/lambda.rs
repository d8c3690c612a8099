//! Where `LambdaEvent` is handled: the invocation deadline, the payload guard and the log lines.

use std::convert::Infallible;
use std::task::{Context as TaskContext, Poll};
use std::time::{Instant, SystemTime};

use lambda_runtime::tower::{Layer, Service};
use lambda_runtime::{LambdaEvent, LambdaInvocation};
use serde::Deserialize;
use serde_json::Value;

use crate::backend::{ActionQueue, Engine};
use crate::event::UNPARSED_PAYLOAD;
use crate::router::{Incident, Reply, Router, Severity};

/// Handles one invocation: computes when to answer from the invocation's start and its deadline,
/// runs the router, logs the incidents, and returns the response (never an error).
pub async fn handle_invocation<E: Engine, Q: ActionQueue>(
    router: &Router<E, Q>,
    event: LambdaEvent<Value>,
) -> Result<Value, Infallible> {
    let started = Instant::now();
    let deadline = lambda_deadline(event.context.deadline, started);
    let answer_by = router.answer_by(started, deadline);
    let reply = router.handle(&event.payload, answer_by).await;
    log_reply(&reply, &event.context.request_id);
    Ok(reply.response)
}

/// The invocation deadline (milliseconds since the epoch) as an `Instant`; `None` when absent.
fn lambda_deadline(deadline_ms: u64, now: Instant) -> Option<Instant> {
    if deadline_ms == 0 {
        return None;
    }
    let deadline = SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(deadline_ms);
    let left = deadline
        .duration_since(SystemTime::now())
        .unwrap_or_default();
    Some(now + left)
}

/// One JSON line per incident (with the call's `TransactionId`), through `tracing`.
pub fn log_reply(reply: &Reply, request_id: &str) {
    for incident in &reply.incidents {
        log_incident(incident, request_id);
    }
}

fn log_incident(i: &Incident, request_id: &str) {
    let tx = i.transaction_id.as_deref().unwrap_or("");
    let ev = i.event_type.as_deref().unwrap_or("");
    let seq = i.sequence.map(|s| s as i64).unwrap_or(-1);
    match i.severity {
        Severity::Error => tracing::error!(
            TransactionId = tx,
            InvocationEventType = ev,
            Sequence = seq,
            incident = i.kind,
            request_id,
            "{}",
            i.detail
        ),
        Severity::Warn => tracing::warn!(
            TransactionId = tx,
            InvocationEventType = ev,
            Sequence = seq,
            incident = i.kind,
            request_id,
            "{}",
            i.detail
        ),
    }
}

/// Installs the JSON log format: one line per event, fields flattened, no ANSI colours.
/// The level comes from `SWITCHBOARD_LOG` (`error`, `warn`, `info`, `debug`; default `info`).
pub fn init_logging() {
    let level = match std::env::var("SWITCHBOARD_LOG").as_deref() {
        Ok("error") => tracing::Level::ERROR,
        Ok("warn") => tracing::Level::WARN,
        Ok("debug") => tracing::Level::DEBUG,
        Ok("trace") => tracing::Level::TRACE,
        _ => tracing::Level::INFO,
    };
    let _ = tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_ansi(false)
        .with_target(false)
        .with_max_level(level)
        .without_time()
        .try_init();
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
