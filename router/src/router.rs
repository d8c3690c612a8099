//! The call's lifecycle: what each event does to the execution and the queue, and what the router
//! answers. The event table in the README ("The router Lambda") describes exactly this file.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use switchboard::pstn::Action;
use switchboard::wire;

use crate::backend::{ActionQueue, BackendError, Engine, ErrorKind};
use crate::config::Config;
use crate::event::{CallEvent, EventKind, Leg};
use crate::incident::{clip, EventId, Incident, Reply, Severity, MAX_DETAIL};
use crate::names::call_names;
use crate::response::{self, ATTR_KEEP_ALIVE};
use crate::tokens::Completed;

/// Kept free before `answer_by` when a silent wait is followed by the `DescribeExecution` that
/// checks the execution still runs (from the second keep-alive on), so that check too ends
/// before the answer is due.
const RUNNING_CHECK: Duration = Duration::from_millis(200);
/// Step Functions limits `cause` to 32768 characters.
const MAX_CAUSE: usize = 32_768;
/// Messages a hang-up looks through for the task that waits (stale ones are skipped).
const MAX_PENDING: usize = 10;

/// The router: configuration plus the two backends.
pub struct Router<E, Q> {
    engine: E,
    queue: Q,
    config: Config,
    /// Tokens this instance completed: none is ever completed twice.
    completed: Completed,
}

/// Per-event scratch: the event and the incidents found so far.
struct Cx<'a> {
    ev: CallEvent<'a>,
    id: EventId,
    answer_by: Instant,
    incidents: Vec<Incident>,
}

impl<'a> Cx<'a> {
    fn note(&mut self, severity: Severity, kind: &'static str, detail: impl AsRef<str>) {
        self.incidents.push(Incident {
            severity,
            kind,
            transaction_id: self.id.transaction_id.clone(),
            event_type: self.id.event_type.clone(),
            sequence: self.id.sequence,
            detail: clip(detail.as_ref(), MAX_DETAIL),
        });
    }

    fn url(&self) -> Option<&'a str> {
        self.ev.attribute(wire::ATTR_QUEUE_URL)
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
            completed: Completed::default(),
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
                let id = EventId::new(
                    bad.transaction_id.as_deref(),
                    bad.event_type.as_deref(),
                    bad.sequence,
                );
                let detail = format!("{}: {}; answered with no actions", bad.field, bad.problem);
                let incident = Incident {
                    severity: Severity::Error,
                    kind: "bad_event",
                    transaction_id: id.transaction_id.clone(),
                    event_type: id.event_type.clone(),
                    sequence: id.sequence,
                    detail: clip(&detail, MAX_DETAIL),
                };
                return Reply {
                    response: response::empty(),
                    incidents: vec![incident],
                    event: id,
                };
            }
        };
        let id = EventId::new(Some(ev.transaction_id), Some(ev.kind.as_str()), ev.sequence);
        let mut cx = Cx {
            ev,
            id,
            answer_by,
            incidents: Vec::new(),
        };
        let response = self.dispatch(&mut cx).await;
        debug_assert!(response::is_valid(&response));
        Reply {
            response,
            incidents: cx.incidents,
            event: cx.id,
        }
    }

    async fn dispatch(&self, cx: &mut Cx<'_>) -> Value {
        use EventKind::*;
        match &cx.ev.kind {
            NewInboundCall | NewOutboundCall => self.start_call(cx).await,
            Hangup => self.hangup(cx).await,
            // Once the caller has left, only the HANGUP that says so completes the waiting task
            // (with HANGUP, the seed router's rule): the flow has no one left to talk to, and an
            // answer here could drop the token that HANGUP must fail. Nothing is said either.
            _ if cx.ev.caller_gone() => response::empty(),
            ActionSuccessful | DigitsReceived | CallAnswered | CallUpdateRequested => {
                self.progress(cx, Completion::Success).await
            }
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
        }
    }

    fn names(&self, cx: &Cx<'_>) -> (String, String) {
        call_names(cx.ev.transaction_id, &self.config.queue_prefix)
    }

    async fn start_call(&self, cx: &mut Cx<'_>) -> Value {
        let leg = Some(cx.ev.leg_a());
        let number = cx.ev.flow_number().unwrap_or("");
        let Some(arn) = self.config.flow_for(number).map(str::to_owned) else {
            let detail = format!(
                "no call flow for {:?}; call rejected with SIP {}",
                clip(number, 64),
                self.config.sip_code
            );
            cx.note(Severity::Error, "unknown_number", detail);
            return response::reject(leg, self.config.sip_code);
        };
        let (name, queue_name) = self.names(cx);
        let url = match self.queue.create(&queue_name).await {
            Ok(url) => url,
            Err(e) => {
                cx.note(
                    Severity::Error,
                    "backend",
                    format!("creating queue {queue_name}: {e}; call rejected"),
                );
                return response::reject(leg, self.config.sip_code);
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
                return response::reject(leg, self.config.sip_code);
            }
        }
        self.await_actions(cx, &url, None, 0).await
    }

    /// Completes the waiting token (unless this instance already did) and waits for the next
    /// actions. After a keep-alive there is no token: just wait again.
    async fn progress(&self, cx: &mut Cx<'_>, completion: Completion) -> Value {
        let Some(url) = cx.url() else {
            cx.note(
                Severity::Error,
                "missing_token",
                "no QueueUrl in TransactionAttributes; call ended",
            );
            return self.end_call(cx, None);
        };
        let Some(token) = cx.ev.wait_token() else {
            if let Some(n) = cx.ev.attribute(ATTR_KEEP_ALIVE) {
                let n = n.parse().unwrap_or(self.config.max_keep_alives);
                if cx.ev.action_type() != Some(Action::PAUSE) {
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
            return self.end_call(cx, Some(url));
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
        if self.completed.contains(token) {
            cx.note(
                Severity::Warn,
                "retry",
                "this instance already completed the token; not completed again",
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
                self.completed.insert(token);
                Ok(())
            }
            Err(e) if e.kind == ErrorKind::TokenGone => self.token_gone(cx, e).await,
            Err(e) => {
                cx.note(
                    Severity::Error,
                    "backend",
                    format!("completing the task: {e}; call ended"),
                );
                Err(self.end_call(cx, cx.url()))
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
                Err(self.end_call(cx, cx.url()))
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
        let number = cx.ev.flow_number().unwrap_or("");
        let Some(arn) = self.config.flow_for(number).map(str::to_owned) else {
            cx.note(
                Severity::Warn,
                "unknown_number",
                "no call flow for this call's number any more",
            );
            return Some(false);
        };
        let (name, _) = self.names(cx);
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

    /// A leg hung up.
    ///
    /// When it is the caller (LEG-A) while the bridged party (LEG-B) is still connected, the flow
    /// can no longer talk to anyone: the flow language allows only service calls once the caller
    /// has hung up, and hand-built flows such as the sample's end at `Succeed`. PSTN audio's
    /// CallAndBridge page says the remaining leg must be disconnected independently
    /// (<https://docs.aws.amazon.com/chime-sdk/latest/dg/call-and-bridge.html>), and the router
    /// is the only component that sees this event. So it fails the waiting task with HANGUP as
    /// for any caller hang-up (the flow's `Err(Hangup)` arm still runs its service calls), and
    /// answers at once with a `Hangup` of LEG-B: nothing spoken, no waiting for the flow, no
    /// keep-alive. The answer keeps the `QueueUrl` but no `WaitToken`, so the HANGUP of LEG-B
    /// that follows (the call is over) completes nothing, fails whatever the flow queued since,
    /// and deletes the queue. The same holds when the caller leaves during a keep-alive.
    async fn hangup(&self, cx: &mut Cx<'_>) -> Value {
        let url = cx.url();
        let token = cx.ev.wait_token();
        let over = cx.ev.call_over();
        if !over && !cx.ev.caller_gone() {
            // The bridged party left and the caller is still there: progress for the flow.
            return self.progress(cx, Completion::Success).await;
        }
        match (token, url) {
            (Some(token), _) => self.fail_once(cx, token).await,
            (None, Some(url)) => self.fail_pending(cx, url).await,
            (None, None) => {}
        }
        if over {
            if let Some(url) = url {
                match self.queue.delete(url).await {
                    Ok(()) => {}
                    Err(e) if e.kind == ErrorKind::QueueGone => {}
                    Err(e) => cx.note(
                        Severity::Warn,
                        "backend",
                        format!("deleting queue {url}: {e}"),
                    ),
                }
            }
            // PSTN audio ignores the answer to the last HANGUP.
            return response::empty();
        }
        if url.is_none() {
            cx.note(
                Severity::Warn,
                "missing_token",
                "no QueueUrl in TransactionAttributes; the bridged leg is hung up",
            );
        }
        response::hang_up(cx.ev.other_live_legs(), url)
    }

    /// Fails `token` with HANGUP, unless this instance already completed it. A failure is
    /// noted; the answer does not depend on it (the call is over for the caller).
    async fn fail_once(&self, cx: &mut Cx<'_>, token: &str) {
        if self.completed.contains(token) {
            cx.note(
                Severity::Warn,
                "retry",
                "this instance already completed the token; not completed again",
            );
            return;
        }
        self.fail_hangup(cx, token, "the task").await;
    }

    async fn fail_hangup(&self, cx: &mut Cx<'_>, token: &str, what: &str) {
        let cause = truncate(cx.ev.failure_cause(), MAX_CAUSE);
        match self
            .engine
            .send_task_failure(token, wire::ERROR_HANGUP, &cause)
            .await
        {
            Ok(()) => self.completed.insert(token),
            Err(e) if e.kind == ErrorKind::TokenGone => cx.note(
                Severity::Warn,
                "token_gone",
                format!("{e}; the flow had already moved on"),
            ),
            Err(e) => cx.note(
                Severity::Error,
                "backend",
                format!("failing {what} with HANGUP: {e}"),
            ),
        }
    }

    /// Fails the task that waits on a message the flow queued while no token was out (during a
    /// keep-alive, or after the router hung up the bridged leg). Messages whose task this
    /// instance already completed are skipped; the first other one is failed with HANGUP.
    async fn fail_pending(&self, cx: &mut Cx<'_>, url: &str) {
        for _ in 0..MAX_PENDING {
            let msg = match self.queue.receive(url, Duration::ZERO).await {
                Ok(Some(msg)) => msg,
                Ok(None) => return,
                Err(e) if e.kind == ErrorKind::QueueGone => return,
                Err(e) => {
                    cx.note(
                        Severity::Warn,
                        "backend",
                        format!("receiving from {url}: {e}"),
                    );
                    return;
                }
            };
            let token = response::from_message(&msg.body)
                .ok()
                .and_then(|r| response::message_token(&r).map(str::to_owned));
            let pending = token.filter(|t| !self.completed.contains(t));
            if let Some(token) = &pending {
                self.fail_hangup(cx, token, "the pending task").await;
            }
            if let Err(e) = self.queue.ack(url, &msg.receipt).await {
                if e.kind != ErrorKind::QueueGone {
                    cx.note(
                        Severity::Warn,
                        "backend",
                        format!("acknowledging a message: {e}"),
                    );
                }
                return;
            }
            if pending.is_some() {
                return;
            }
        }
    }

    /// Polls the call's queue until `answer_by` for actions not yet delivered: a message whose
    /// token is `completed` or one this instance completed was delivered already, and is
    /// acknowledged here. When the workflow stays silent, answers with a keep-alive, up to the
    /// configured number in a row.
    ///
    /// [`ActionQueue::receive`] waits no longer than it is given, so an empty receive ends the
    /// wait (SQS's whole-second long polls are the queue's business: see `crate::aws`).
    async fn await_actions(
        &self,
        cx: &mut Cx<'_>,
        url: &str,
        completed: Option<&str>,
        keep_alives: u32,
    ) -> Value {
        let wait_until = match keep_alives {
            0 => cx.answer_by,
            _ => cx
                .answer_by
                .checked_sub(RUNNING_CHECK)
                .unwrap_or(cx.answer_by),
        };
        loop {
            let left = wait_until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.queue.receive(url, left).await {
                Ok(Some(msg)) => {
                    let parsed = response::from_message(&msg.body);
                    let stale = match &parsed {
                        Ok(r) => response::message_token(r)
                            .is_some_and(|t| Some(t) == completed || self.completed.contains(t)),
                        Err(_) => true,
                    };
                    if stale {
                        if let Err(e) = self.queue.ack(url, &msg.receipt).await {
                            cx.note(
                                Severity::Warn,
                                "backend",
                                format!("acknowledging a delivered message: {e}"),
                            );
                            // It would come back at once: stop polling rather than spin.
                            if parsed.is_ok() {
                                break;
                            }
                        }
                    }
                    match parsed {
                        Ok(_) if stale => continue,
                        Ok(r) => return r,
                        Err(why) => {
                            cx.note(Severity::Error, "bad_message", format!("{why}; call ended"));
                            return self.end_call(cx, Some(url));
                        }
                    }
                }
                Ok(None) => break,
                Err(e) if e.kind == ErrorKind::QueueGone => {
                    cx.note(Severity::Error, "queue_gone", format!("{e}; call ended"));
                    return self.end_call(cx, None);
                }
                Err(e) => {
                    cx.note(
                        Severity::Error,
                        "backend",
                        format!("receiving from {url}: {e}; call ended"),
                    );
                    return self.end_call(cx, Some(url));
                }
            }
        }
        if keep_alives >= self.config.max_keep_alives {
            cx.note(
                Severity::Error,
                "silent_workflow",
                format!("no actions after {keep_alives} keep-alives; call ended"),
            );
            return self.end_call(cx, Some(url));
        }
        if keep_alives > 0 && self.running(cx).await == Some(false) {
            cx.note(
                Severity::Error,
                "execution_ended",
                "the execution ended without queueing actions; call ended",
            );
            return self.end_call(cx, Some(url));
        }
        let millis = self.config.keep_alive.as_millis();
        response::keep_alive(cx.ev.live_leg(), millis, url, keep_alives + 1)
    }

    /// The deliberate end of a call on an error: the apology, spoken to the caller. The router
    /// never apologises to a caller who has left (nor, in their place, to the party they were
    /// bridged to): the legs still connected are hung up silently, if any.
    fn end_call(&self, cx: &Cx<'_>, url: Option<&str>) -> Value {
        if cx.ev.caller_gone() || !cx.ev.leg_a().connected() {
            let live = cx.ev.legs.iter().copied().filter(Leg::connected);
            return response::hang_up(live, url);
        }
        response::apology(
            cx.ev.live_leg(),
            &self.config.apology,
            self.config.sip_code,
            url,
        )
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
