//! The call's lifecycle: what each event does to the execution and the queue, and what the router
//! answers. The event table in the README ("The router Lambda") describes exactly this file.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::{json, Value};
use switchboard::wire;

use crate::backend::{ActionQueue, BackendError, Engine, ErrorKind};
use crate::config::Config;
use crate::event::{CallEvent, EventKind};
use crate::names::call_names;
use crate::response::{self, ATTR_KEEP_ALIVE};

/// A long-poll that returns empty with less than this left ends the wait (SQS waits whole
/// seconds, rounded to the nearest).
const MIN_POLL: Duration = Duration::from_millis(500);
/// Step Functions limits `cause` to 32768 characters.
const MAX_CAUSE: usize = 32_768;
/// Calls remembered for retry detection before the memory is cleared.
const MAX_REMEMBERED: usize = 50_000;

/// The router: configuration plus the two backends.
pub struct Router<E, Q> {
    engine: E,
    queue: Q,
    config: Config,
    /// TransactionId → highest `Sequence` whose token this instance completed.
    completed: Mutex<HashMap<String, u64>>,
}

/// How bad an incident is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The call was ended or an event was dropped.
    Error,
    /// Handled, but worth knowing (a retried invocation, a stale message).
    Warn,
}

/// Something that went wrong while handling one event; logged as one JSON line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    pub severity: Severity,
    /// Stable name: `bad_event`, `unknown_number`, `missing_token`, `token_gone`,
    /// `execution_ended`, `queue_gone`, `bad_message`, `backend`, `silent_workflow`, `retry`.
    pub kind: &'static str,
    pub transaction_id: Option<String>,
    pub event_type: Option<String>,
    pub sequence: Option<u64>,
    pub detail: String,
}

/// The router's answer to one event.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// A valid PSTN audio response, always.
    pub response: Value,
    pub incidents: Vec<Incident>,
}

/// Per-event scratch: the event and the incidents found so far.
struct Cx<'a> {
    ev: CallEvent<'a>,
    answer_by: Instant,
    incidents: Vec<Incident>,
}

impl Cx<'_> {
    fn note(&mut self, severity: Severity, kind: &'static str, detail: impl Into<String>) {
        self.incidents.push(Incident {
            severity,
            kind,
            transaction_id: Some(self.ev.transaction_id.to_owned()),
            event_type: Some(self.ev.kind.as_str().to_owned()),
            sequence: self.ev.sequence,
            detail: detail.into(),
        });
    }
}

enum Completion {
    Success,
    Failure(&'static str),
}

impl<E: Engine, Q: ActionQueue> Router<E, Q> {
    pub fn new(engine: E, queue: Q, config: Config) -> Self {
        Router {
            engine,
            queue,
            config,
            completed: Mutex::new(HashMap::new()),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn engine(&self) -> &E {
        &self.engine
    }
    pub fn queue(&self) -> &Q {
        &self.queue
    }

    /// When to answer an invocation that started at `started`: within the response budget, and
    /// a margin before the Lambda deadline when there is one.
    pub fn answer_by(&self, started: Instant, lambda_deadline: Option<Instant>) -> Instant {
        let by = started + self.config.response_budget;
        match lambda_deadline {
            Some(d) => by.min(d.checked_sub(self.config.lambda_margin).unwrap_or(started)),
            None => by,
        }
    }

    /// Handles one invocation event. Never fails and never panics on bad input: the response is
    /// always a valid PSTN audio response, and everything that went wrong is in the incidents.
    pub async fn handle(&self, raw: &Value, answer_by: Instant) -> Reply {
        let ev = match CallEvent::parse(raw) {
            Ok(ev) => ev,
            Err(bad) => {
                let incident = Incident {
                    severity: Severity::Error,
                    kind: "bad_event",
                    transaction_id: bad.transaction_id,
                    event_type: bad.event_type,
                    sequence: bad.sequence,
                    detail: format!("{}: {}; answered with no actions", bad.field, bad.problem),
                };
                return Reply {
                    response: response::empty(),
                    incidents: vec![incident],
                };
            }
        };
        let mut cx = Cx {
            ev,
            answer_by,
            incidents: Vec::new(),
        };
        let response = self.dispatch(&mut cx).await;
        debug_assert!(response::is_valid(&response));
        Reply {
            response,
            incidents: cx.incidents,
        }
    }

    async fn dispatch(&self, cx: &mut Cx<'_>) -> Value {
        use EventKind::*;
        match &cx.ev.kind {
            NewInboundCall | NewOutboundCall => self.start_call(cx).await,
            ActionSuccessful | DigitsReceived | CallAnswered | CallUpdateRequested => {
                self.progress(cx, Completion::Success).await
            }
            // The caller left while the action ran: the HANGUP that comes with it fails the
            // token (the seed router's rule).
            ActionFailed if !cx.ev.leg_a().connected() => response::empty(),
            ActionFailed => {
                self.progress(cx, Completion::Failure(wire::ERROR_ACTION_FAILED))
                    .await
            }
            InvalidLambdaResponse => {
                self.progress(cx, Completion::Failure(wire::ERROR_INVALID_LAMBDA_RESPONSE))
                    .await
            }
            // `CallEvent::parse` refuses unknown types; informational if one ever got here.
            ActionInterrupted | Ringing | Unknown(_) => response::empty(),
            Hangup => self.hangup(cx).await,
        }
    }

    fn flow_arn(&self, cx: &Cx<'_>) -> Option<&str> {
        cx.ev.flow_number().and_then(|n| self.config.flow_for(n))
    }

    async fn start_call(&self, cx: &mut Cx<'_>) -> Value {
        let leg = Some(cx.ev.leg_a());
        let number = cx.ev.flow_number().unwrap_or("");
        let Some(arn) = self.config.flow_for(number).map(str::to_owned) else {
            cx.note(
                Severity::Error,
                "unknown_number",
                format!(
                    "no call flow for {number:?}; call rejected with SIP {}",
                    self.config.sip_code
                ),
            );
            return response::reject(leg, &self.config.sip_code);
        };
        let (name, queue_name) = call_names(cx.ev.transaction_id, &self.config.queue_prefix);
        let url = match self.queue.create(&queue_name).await {
            Ok(url) => url,
            Err(e) => {
                cx.note(
                    Severity::Error,
                    "backend",
                    format!("creating queue {queue_name}: {e}; call rejected"),
                );
                return response::reject(leg, &self.config.sip_code);
            }
        };
        let input = json!({ wire::INPUT_QUEUE_URL: url, wire::INPUT_EVENT: cx.ev.raw }).to_string();
        match self.engine.start_execution(&arn, &name, &input).await {
            Ok(()) => {}
            Err(e) if e.kind == ErrorKind::ExecutionExists => cx.note(
                Severity::Warn,
                "retry",
                format!("execution {name} already exists (a retried invocation); waiting for its actions"),
            ),
            Err(e) => {
                cx.note(Severity::Error, "backend", format!("starting {arn} as {name}: {e}; call rejected"));
                if let Err(e) = self.queue.delete(&url).await {
                    cx.note(Severity::Warn, "backend", format!("deleting queue {url}: {e}"));
                }
                return response::reject(leg, &self.config.sip_code);
            }
        }
        self.await_actions(cx, &url, None, 0).await
    }

    /// Completes the waiting token (unless this is a retried invocation) and waits for the next
    /// actions. After a keep-alive there is no token: just wait again.
    async fn progress(&self, cx: &mut Cx<'_>, completion: Completion) -> Value {
        let Some(url) = cx.ev.attribute(wire::ATTR_QUEUE_URL) else {
            cx.note(
                Severity::Error,
                "missing_token",
                "no QueueUrl in TransactionAttributes; call ended",
            );
            return self.apology(cx, None);
        };
        let Some(token) = cx.ev.wait_token() else {
            if let Some(n) = cx.ev.attribute(ATTR_KEEP_ALIVE) {
                let n = n.parse().unwrap_or(self.config.max_keep_alives);
                if cx.ev.action_type() != Some("Pause") {
                    cx.note(
                        Severity::Warn,
                        "missing_token",
                        "event arrived during a keep-alive and no task waits for it; dropped",
                    );
                }
                return self.await_actions(cx, url, None, n).await;
            }
            cx.note(
                Severity::Error,
                "missing_token",
                "no WaitToken in TransactionAttributes; call ended",
            );
            return self.apology(cx, Some(url));
        };
        match self.complete(cx, token, completion).await {
            Ok(()) => self.await_actions(cx, url, Some(token), 0).await,
            Err(answer) => answer,
        }
    }

    /// Completes `token` once. `Err` carries the answer to give instead of waiting.
    async fn complete(
        &self,
        cx: &mut Cx<'_>,
        token: &str,
        completion: Completion,
    ) -> Result<(), Value> {
        if self.seen_before(&cx.ev) {
            cx.note(
                Severity::Warn,
                "retry",
                "sequence already handled here; token not completed again",
            );
            return Ok(());
        }
        let result = match completion {
            Completion::Success => {
                let output = cx.ev.raw.to_string();
                self.engine.send_task_success(token, &output).await
            }
            Completion::Failure(error) => {
                let cause = truncate(cx.ev.failure_cause(), MAX_CAUSE);
                self.engine.send_task_failure(token, error, &cause).await
            }
        };
        match result {
            Ok(()) => {
                self.remember(&cx.ev);
                Ok(())
            }
            Err(e) if e.kind == ErrorKind::TokenGone => self.token_gone(cx, e).await,
            Err(e) => {
                cx.note(
                    Severity::Error,
                    "backend",
                    format!("completing the task: {e}; call ended"),
                );
                Err(self.apology(cx, cx.ev.attribute(wire::ATTR_QUEUE_URL)))
            }
        }
    }

    /// The token was already completed or timed out. If the execution still runs, this is a
    /// retried invocation (another instance completed it) or a late event: wait for the next
    /// actions. If it ended, the call has nothing left to follow.
    async fn token_gone(&self, cx: &mut Cx<'_>, e: BackendError) -> Result<(), Value> {
        match self.running(cx).await {
            Some(false) => {
                cx.note(
                    Severity::Error,
                    "execution_ended",
                    format!("{e}; the execution has ended; call ended"),
                );
                Err(self.apology(cx, cx.ev.attribute(wire::ATTR_QUEUE_URL)))
            }
            _ => {
                cx.note(
                    Severity::Warn,
                    "token_gone",
                    format!("{e}; the execution still runs, waiting for its next actions"),
                );
                Ok(())
            }
        }
    }

    /// Whether the call's execution runs; `None` when that cannot be told.
    async fn running(&self, cx: &mut Cx<'_>) -> Option<bool> {
        let Some(arn) = self.flow_arn(cx).map(str::to_owned) else {
            cx.note(
                Severity::Warn,
                "unknown_number",
                "no call flow for this call's number any more",
            );
            return Some(false);
        };
        let (name, _) = call_names(cx.ev.transaction_id, &self.config.queue_prefix);
        match self.engine.execution_running(&arn, &name).await {
            Ok(r) => Some(r),
            Err(e) if e.kind == ErrorKind::NotFound => Some(false),
            Err(e) => {
                cx.note(
                    Severity::Warn,
                    "backend",
                    format!("describing execution {name}: {e}"),
                );
                None
            }
        }
    }

    async fn hangup(&self, cx: &mut Cx<'_>) -> Value {
        let over = cx.ev.call_over();
        // The bridged party left and the caller is still there: progress for the flow.
        let leg_b = cx
            .ev
            .hung_up_tag()
            .is_some_and(|t| t.eq_ignore_ascii_case(wire::LEG_B));
        if leg_b && !over {
            return self.progress(cx, Completion::Success).await;
        }
        let url = cx.ev.attribute(wire::ATTR_QUEUE_URL);
        let token = cx.ev.wait_token();
        if let Some(token) = token {
            if let Err(answer) = self.complete_hangup(cx, token).await {
                if !over {
                    return answer;
                }
            }
        } else if let (true, Some(url)) = (over, url) {
            // The workflow was busy (keep-alive) when the caller left: fail whatever it queued.
            self.fail_pending(cx, url).await;
        }
        match (over, url) {
            (true, Some(url)) => {
                match self.queue.delete(url).await {
                    Ok(()) => {}
                    Err(e) if e.kind == ErrorKind::QueueGone => {}
                    Err(e) => cx.note(
                        Severity::Warn,
                        "backend",
                        format!("deleting queue {url}: {e}"),
                    ),
                }
                self.forget(&cx.ev);
                response::empty()
            }
            (true, None) => response::empty(),
            (false, Some(url)) => self.await_actions(cx, url, token, 0).await,
            (false, None) => {
                cx.note(
                    Severity::Error,
                    "missing_token",
                    "no QueueUrl in TransactionAttributes; call ended",
                );
                self.apology(cx, None)
            }
        }
    }

    async fn complete_hangup(&self, cx: &mut Cx<'_>, token: &str) -> Result<(), Value> {
        if cx.ev.call_over() {
            // Nothing to say to anyone: a token that is gone only means the flow already ended.
            if self.seen_before(&cx.ev) {
                return Ok(());
            }
            let cause = truncate(cx.ev.failure_cause(), MAX_CAUSE);
            return match self
                .engine
                .send_task_failure(token, wire::ERROR_HANGUP, &cause)
                .await
            {
                Ok(()) => Ok(()),
                Err(e) if e.kind == ErrorKind::TokenGone => {
                    cx.note(
                        Severity::Warn,
                        "token_gone",
                        format!("{e}; the flow had already moved on"),
                    );
                    Ok(())
                }
                Err(e) => {
                    cx.note(
                        Severity::Error,
                        "backend",
                        format!("failing the task with HANGUP: {e}"),
                    );
                    Err(response::empty())
                }
            };
        }
        self.complete(cx, token, Completion::Failure(wire::ERROR_HANGUP))
            .await
    }

    async fn fail_pending(&self, cx: &mut Cx<'_>, url: &str) {
        let Ok(Some(msg)) = self.queue.receive(url, Duration::ZERO).await else {
            return;
        };
        let token = response::from_message(&msg.body)
            .ok()
            .and_then(|r| response::message_token(&r).map(str::to_owned));
        if let Some(token) = token {
            let cause = truncate(cx.ev.failure_cause(), MAX_CAUSE);
            if let Err(e) = self
                .engine
                .send_task_failure(&token, wire::ERROR_HANGUP, &cause)
                .await
            {
                cx.note(
                    Severity::Warn,
                    "backend",
                    format!("failing the pending task with HANGUP: {e}"),
                );
            }
        }
    }

    /// Long-polls the call's queue until `answer_by` for actions newer than `completed`
    /// (messages carrying that token were already delivered and are acknowledged here). When the
    /// workflow stays silent, answers with a keep-alive, up to the configured number in a row.
    async fn await_actions(
        &self,
        cx: &mut Cx<'_>,
        url: &str,
        completed: Option<&str>,
        keep_alives: u32,
    ) -> Value {
        loop {
            let left = cx.answer_by.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.queue.receive(url, left).await {
                Ok(Some(msg)) => {
                    let parsed = response::from_message(&msg.body);
                    let stale = match &parsed {
                        Ok(r) => completed.is_some() && response::message_token(r) == completed,
                        Err(_) => true,
                    };
                    if stale {
                        if let Err(e) = self.queue.ack(url, &msg.receipt).await {
                            cx.note(
                                Severity::Warn,
                                "backend",
                                format!("acknowledging a delivered message: {e}"),
                            );
                        }
                    }
                    match parsed {
                        Ok(_) if stale => continue,
                        Ok(r) => return r,
                        Err(why) => {
                            cx.note(Severity::Error, "bad_message", format!("{why}; call ended"));
                            return self.apology(cx, Some(url));
                        }
                    }
                }
                Ok(None) if left < MIN_POLL => break,
                Ok(None) => {
                    if cx.answer_by.saturating_duration_since(Instant::now()) < MIN_POLL {
                        break;
                    }
                }
                Err(e) if e.kind == ErrorKind::QueueGone => {
                    cx.note(Severity::Error, "queue_gone", format!("{e}; call ended"));
                    return self.apology(cx, None);
                }
                Err(e) => {
                    cx.note(
                        Severity::Error,
                        "backend",
                        format!("receiving from {url}: {e}; call ended"),
                    );
                    return self.apology(cx, Some(url));
                }
            }
        }
        if keep_alives >= self.config.max_keep_alives {
            cx.note(
                Severity::Error,
                "silent_workflow",
                format!("no actions after {keep_alives} keep-alives; call ended"),
            );
            return self.apology(cx, Some(url));
        }
        if keep_alives > 0 && self.running(cx).await == Some(false) {
            cx.note(
                Severity::Error,
                "execution_ended",
                "the execution ended without queueing actions; call ended",
            );
            return self.apology(cx, Some(url));
        }
        let millis = self.config.keep_alive.as_millis();
        response::keep_alive(cx.ev.live_leg(), millis, url, keep_alives + 1)
    }

    fn apology(&self, cx: &Cx<'_>, url: Option<&str>) -> Value {
        response::apology(
            cx.ev.live_leg(),
            &self.config.apology,
            &self.config.sip_code,
            url,
        )
    }

    fn seen_before(&self, ev: &CallEvent<'_>) -> bool {
        let Some(seq) = ev.sequence else { return false };
        let map = self.completed.lock().unwrap_or_else(|p| p.into_inner());
        map.get(ev.transaction_id).is_some_and(|&done| done >= seq)
    }

    fn remember(&self, ev: &CallEvent<'_>) {
        let Some(seq) = ev.sequence else { return };
        let mut map = self.completed.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_REMEMBERED {
            map.clear();
        }
        let done = map.entry(ev.transaction_id.to_owned()).or_insert(seq);
        *done = (*done).max(seq);
    }

    fn forget(&self, ev: &CallEvent<'_>) {
        let mut map = self.completed.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(ev.transaction_id);
    }
}

fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}
