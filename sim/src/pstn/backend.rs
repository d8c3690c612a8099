//! The router's backends in process: an [`Engine`] over the ASL interpreter and an
//! [`ActionQueue`] whose long poll moves the simulated clock instead of sleeping.
//!
//! The router's traits ask for `Send + Sync` backends, while the interpreter (its JSONata
//! engine, the Lambda closures) lives on one thread. So the backends are mailboxes: each call
//! becomes a [`Command`] on a channel, the [`World`] that owns the interpreter serves it, and
//! the answer comes back on a oneshot. [`World::serve`] runs beside `Router::handle` in one
//! `block_on` (see [`super::Simulator`]), so a started or completed execution runs until it
//! blocks before the router polls the call's queue: the message a waiting Task sent is already
//! there, as it would be a few milliseconds later on AWS.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use switchboard_asl::StateMachine;
use switchboard_router::memory::MemoryQueue;
use switchboard_router::{
    polls, ActionQueue, BackendError, BackendResult, Engine, ErrorKind, QueueMessage,
};
use tokio::sync::{mpsc, oneshot};

use crate::cost::{sqs_chunks, SqsRequests};
use crate::expr::Clock;
use crate::interp::{Env, Execution, Integrations, Status, TaskFailure, TaskRequest, TokenError};
use crate::services::scheduler::Firing;
use crate::services::{parse_resource, Services};

/// A request from the router's backends to the [`World`].
#[derive(Debug)]
pub enum Command {
    /// `StartExecution`.
    Start {
        arn: String,
        name: String,
        input: String,
        reply: oneshot::Sender<BackendResult<()>>,
    },
    /// `SendTaskSuccess`.
    Success {
        token: String,
        output: String,
        reply: oneshot::Sender<BackendResult<()>>,
    },
    /// `SendTaskFailure`.
    Failure {
        token: String,
        error: String,
        cause: String,
        reply: oneshot::Sender<BackendResult<()>>,
    },
    /// `DescribeExecution` (is it running?).
    Running {
        arn: String,
        name: String,
        reply: oneshot::Sender<BackendResult<bool>>,
    },
    /// The router long-polls an empty queue: let simulated time pass until a message arrives
    /// there or the response budget is spent.
    Idle {
        url: String,
        reply: oneshot::Sender<Idled>,
    },
}

/// How long an idle poll let simulated time pass, and the most it could have.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Idled {
    /// Simulated milliseconds that passed.
    pub elapsed_ms: i64,
    /// The wait the router had: its response budget.
    pub budget_ms: i64,
}

fn gone_world() -> BackendError {
    BackendError::new(
        ErrorKind::Service,
        "the simulator stopped serving the backends",
    )
}

async fn ask<T>(
    tx: &mpsc::UnboundedSender<Command>,
    make: impl FnOnce(oneshot::Sender<T>) -> Command,
) -> Option<T> {
    let (reply, rx) = oneshot::channel();
    tx.send(make(reply)).ok()?;
    rx.await.ok()
}

/// [`Engine`] for the router: forwards every call to the [`World`].
#[derive(Debug, Clone)]
pub struct SimEngine {
    tx: mpsc::UnboundedSender<Command>,
}

impl SimEngine {
    /// An engine whose calls go to the world serving `tx`'s channel.
    pub fn new(tx: mpsc::UnboundedSender<Command>) -> Self {
        SimEngine { tx }
    }
}

impl Engine for SimEngine {
    async fn start_execution(&self, arn: &str, name: &str, input: &str) -> BackendResult<()> {
        let (arn, name, input) = (arn.to_owned(), name.to_owned(), input.to_owned());
        ask(&self.tx, |reply| Command::Start {
            arn,
            name,
            input,
            reply,
        })
        .await
        .unwrap_or_else(|| Err(gone_world()))
    }

    async fn send_task_success(&self, token: &str, output: &str) -> BackendResult<()> {
        let (token, output) = (token.to_owned(), output.to_owned());
        ask(&self.tx, |reply| Command::Success {
            token,
            output,
            reply,
        })
        .await
        .unwrap_or_else(|| Err(gone_world()))
    }

    async fn send_task_failure(&self, token: &str, error: &str, cause: &str) -> BackendResult<()> {
        let (token, error, cause) = (token.to_owned(), error.to_owned(), cause.to_owned());
        ask(&self.tx, |reply| Command::Failure {
            token,
            error,
            cause,
            reply,
        })
        .await
        .unwrap_or_else(|| Err(gone_world()))
    }

    async fn execution_running(&self, arn: &str, name: &str) -> BackendResult<bool> {
        let (arn, name) = (arn.to_owned(), name.to_owned());
        ask(&self.tx, |reply| Command::Running { arn, name, reply })
            .await
            .unwrap_or_else(|| Err(gone_world()))
    }
}

/// Where waiting Tasks put their messages: the router's queue implementation.
pub trait Outbox: ActionQueue + Clone + 'static {
    /// Whether `url` is one of this queue's URLs.
    fn owns(&self, url: &str) -> bool;
    /// Send `body` to `url` (what `sqs:sendMessage` does).
    fn push(&self, url: &str, body: String) -> BackendResult<()>;
    /// How many messages wait in the queue at `url`.
    fn pending_len(&self, url: &str) -> usize;
    /// Build the queue the router polls, given the channel to the world.
    fn for_router(&self, tx: mpsc::UnboundedSender<Command>) -> Self;
    /// The SQS requests the router's side has made so far (`CreateQueue`, `ReceiveMessage`,
    /// `DeleteMessage`, `DeleteQueue`), as SQS bills them.
    fn requests(&self) -> SqsRequests;
}

impl Outbox for MemoryQueue {
    fn owns(&self, url: &str) -> bool {
        self.exists(url)
    }
    fn push(&self, url: &str, body: String) -> BackendResult<()> {
        self.send(url, body)
    }
    fn pending_len(&self, url: &str) -> usize {
        self.pending(url).len()
    }
    fn for_router(&self, _tx: mpsc::UnboundedSender<Command>) -> Self {
        self.clone()
    }
    /// The router crate's queue waits in real time and counts nothing: runs on it (the parity
    /// test compares transcripts only) show no SQS requests.
    fn requests(&self) -> SqsRequests {
        SqsRequests::default()
    }
}

/// The router crate's [`MemoryQueue`], except that a long poll of an empty queue asks the
/// [`World`] to let simulated time pass (firing `Wait` states, retries, timeouts and schedules)
/// instead of sleeping in real time.
///
/// It counts the SQS requests the production queue (`switchboard_router::aws`) would make: each
/// receive that finds a message at once, or a zero-length one, is one `ReceiveMessage`; a wait
/// is the long poll and short polls of [`polls::requests`] up to the moment the message arrived
/// (or the end of the response budget); a message over 64 KB counts a request per chunk.
#[derive(Debug, Clone, Default)]
pub struct SimQueue {
    inner: MemoryQueue,
    tx: Option<mpsc::UnboundedSender<Command>>,
    /// Shared by every clone: the router's and the world's.
    meter: Arc<Mutex<SqsRequests>>,
}

impl SimQueue {
    /// An empty set of queues, not yet connected to a world.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a receive answers without waiting: a message is there, or the queue is gone.
    fn ready(&self, url: &str) -> bool {
        !self.inner.exists(url) || !self.inner.pending(url).is_empty()
    }

    fn count(&self, f: impl FnOnce(&mut SqsRequests)) {
        if let Ok(mut m) = self.meter.lock() {
            f(&mut m);
        }
    }

    /// Receives at once, counting `polls` requests, plus a request per further 64 KB chunk of
    /// the message received.
    async fn take(&self, url: &str, polls: u64) -> BackendResult<Option<QueueMessage>> {
        let exists = self.inner.exists(url);
        let got = self.inner.receive(url, Duration::ZERO).await;
        if exists {
            let extra = match &got {
                Ok(Some(m)) => sqs_chunks(m.body.len()) - 1,
                _ => 0,
            };
            self.count(|m| m.receive_message += polls + extra);
        }
        got
    }
}

impl ActionQueue for SimQueue {
    async fn create(&self, name: &str) -> BackendResult<String> {
        self.count(|m| m.create_queue += 1);
        self.inner.create(name).await
    }

    async fn receive(&self, url: &str, wait: Duration) -> BackendResult<Option<QueueMessage>> {
        if self.ready(url) {
            return self.take(url, 1).await;
        }
        // A zero-length receive (the router failing what a call that is over left queued) waits
        // for nothing: no simulated time passes.
        let idled = match &self.tx {
            Some(tx) if !wait.is_zero() => {
                let url = url.to_owned();
                ask(tx, |reply| Command::Idle { url, reply }).await
            }
            _ => None,
        };
        let polls = |arrival: Option<i64>| match idled {
            Some(i) => polls::requests(
                Duration::from_millis(i.budget_ms.max(0) as u64),
                arrival.map(|a| Duration::from_millis(a.max(0) as u64)),
            ),
            None => 1,
        };
        // An empty queue answers at once: the inner queue's zero-length wait would arm a tokio
        // timer, which parks the thread until the next millisecond tick (~1 ms of real time per
        // empty poll) while nothing else can send.
        if self.ready(url) {
            let arrival = idled.map(|i| i.elapsed_ms);
            return self.take(url, polls(arrival.or(Some(0)))).await;
        }
        self.count(|m| m.receive_message += polls(None));
        Ok(None)
    }

    async fn ack(&self, url: &str, receipt: &str) -> BackendResult<()> {
        self.count(|m| m.delete_message += 1);
        self.inner.ack(url, receipt).await
    }

    async fn delete(&self, url: &str) -> BackendResult<()> {
        self.count(|m| m.delete_queue += 1);
        self.inner.delete(url).await
    }
}

impl Outbox for SimQueue {
    fn owns(&self, url: &str) -> bool {
        self.inner.exists(url)
    }
    fn push(&self, url: &str, body: String) -> BackendResult<()> {
        self.inner.send(url, body)
    }
    fn pending_len(&self, url: &str) -> usize {
        self.inner.pending(url).len()
    }
    fn for_router(&self, tx: mpsc::UnboundedSender<Command>) -> Self {
        SimQueue {
            inner: self.inner.clone(),
            tx: Some(tx),
            meter: self.meter.clone(),
        }
    }
    fn requests(&self) -> SqsRequests {
        self.meter.lock().map(|m| *m).unwrap_or_default()
    }
}

/// The in-memory services, with `sqs:sendMessage` to a call's queue going to the router's
/// queue (every other resource goes to [`Services`]).
#[derive(Debug)]
pub struct CallServices<Q> {
    /// Tables, buckets, schedules, functions and other queues.
    pub services: Services,
    pub(crate) outbox: Q,
}

impl<Q: Outbox> Integrations for CallServices<Q> {
    fn invoke(
        &mut self,
        request: TaskRequest<'_>,
        clock: &mut Clock,
    ) -> Result<Value, TaskFailure> {
        let url = request.arguments.get("QueueUrl").and_then(Value::as_str);
        let to_call = matches!(
            parse_resource(request.resource),
            Some(("sqs", "sendMessage", false))
        );
        match url {
            Some(url) if to_call && self.outbox.owns(url) => {
                let body = match request.arguments.get("MessageBody") {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => {
                        return Err(TaskFailure::new(
                            "SQS.AmazonSQSException",
                            format!("sendMessage to '{url}' has no 'MessageBody'"),
                        ))
                    }
                };
                self.outbox
                    .push(url, body)
                    .map_err(|e| TaskFailure::new("SQS.AmazonSQSException", e.to_string()))?;
                Ok(json!({"MessageId": format!("{}-msg", request.state)}))
            }
            _ => self.services.invoke(request, clock),
        }
    }
}

/// One execution and where it stands.
#[derive(Debug)]
pub struct Run {
    /// The execution.
    pub execution: Execution,
    /// Its status after it last ran.
    pub status: Status,
    /// The state machine's ARN.
    pub arn: String,
}

/// The interpreter side of the simulation: state machines by ARN, their executions by name,
/// the services and the simulated clock.
pub struct World<Q> {
    /// Clock, services, JSONata engine.
    pub env: Env<CallServices<Q>>,
    machines: BTreeMap<String, Arc<StateMachine>>,
    /// Executions by name, in the order they started.
    pub runs: Vec<Run>,
    /// How long the router may wait for actions, in simulated milliseconds.
    pub budget_ms: i64,
    /// Schedules that fired and wait to be acted on.
    pub firings: Vec<Firing>,
}

impl<Q: Outbox> World<Q> {
    /// A world with these services, on `clock`, whose call queues are `outbox`.
    pub fn new(clock: Clock, services: Services, outbox: Q) -> Self {
        World {
            env: Env::new(clock, CallServices { services, outbox }),
            machines: BTreeMap::new(),
            runs: Vec::new(),
            budget_ms: 4000,
            firings: Vec::new(),
        }
    }

    /// Make `machine` startable as `arn`.
    pub fn register(&mut self, arn: &str, machine: Arc<StateMachine>) {
        self.machines.insert(arn.to_owned(), machine);
    }

    /// Start afresh with `services` at `now_ms`: executions, firings and services go; state
    /// machines, the JSONata parse cache and the call queues stay.
    pub fn reset(&mut self, services: Services, now_ms: i64) {
        self.env.services.services = services;
        self.env.clock.set_millis(now_ms);
        self.runs.clear();
        self.firings.clear();
    }

    /// The in-memory services.
    pub fn services(&self) -> &Services {
        &self.env.services.services
    }

    /// Serve commands until the channel closes (it never does while the router lives; the
    /// caller drops this future when the router's answer is ready).
    pub async fn serve(&mut self, rx: &mut mpsc::UnboundedReceiver<Command>) {
        while let Some(command) = rx.recv().await {
            self.apply(command);
        }
    }

    /// Serve one command.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Start {
                arn,
                name,
                input,
                reply,
            } => {
                let _ = reply.send(self.start(&arn, &name, &input));
            }
            Command::Success {
                token,
                output,
                reply,
            } => {
                let output = serde_json::from_str(&output).unwrap_or(Value::String(output));
                let _ = reply.send(self.complete(&token, Ok(output)));
            }
            Command::Failure {
                token,
                error,
                cause,
                reply,
            } => {
                let _ = reply.send(self.complete(&token, Err((error, cause))));
            }
            Command::Running { arn, name, reply } => {
                let run = self
                    .runs
                    .iter()
                    .find(|r| r.arn == arn && r.execution.name() == name);
                let _ = reply.send(match run {
                    Some(r) => Ok(!r.status.is_finished()),
                    None => Err(BackendError::new(
                        ErrorKind::NotFound,
                        format!("ExecutionDoesNotExist: {name} of {arn}"),
                    )),
                });
            }
            Command::Idle { url, reply } => {
                let before = self.env.clock.now_millis();
                self.idle(&url);
                let _ = reply.send(Idled {
                    elapsed_ms: self.env.clock.now_millis() - before,
                    budget_ms: self.budget_ms,
                });
            }
        }
    }

    fn start(&mut self, arn: &str, name: &str, input: &str) -> BackendResult<()> {
        if self.runs.iter().any(|r| r.execution.name() == name) {
            return Err(BackendError::new(
                ErrorKind::ExecutionExists,
                format!("ExecutionAlreadyExists: {name}"),
            ));
        }
        let machine = self.machines.get(arn).cloned().ok_or_else(|| {
            BackendError::new(
                ErrorKind::NotFound,
                format!("StateMachineDoesNotExist: {arn}"),
            )
        })?;
        let input: Value = serde_json::from_str(input).map_err(|e| {
            BackendError::new(ErrorKind::Service, format!("InvalidExecutionInput: {e}"))
        })?;
        let machine_name = arn.rsplit(':').next().unwrap_or(arn);
        let mut execution = Execution::start(machine, name, input, &self.env)
            .with_machine_name(machine_name, &self.env);
        let status = execution.run_until_blocked(&mut self.env);
        self.runs.push(Run {
            execution,
            status,
            arn: arn.to_owned(),
        });
        Ok(())
    }

    fn complete(
        &mut self,
        token: &str,
        result: Result<Value, (String, String)>,
    ) -> BackendResult<()> {
        // Tokens are `<execution name>#<n>`.
        let name = token.rsplit_once('#').map_or(token, |(n, _)| n);
        let gone = |why: String| BackendError::new(ErrorKind::TokenGone, why);
        let Some(run) = self.runs.iter_mut().find(|r| r.execution.name() == name) else {
            return Err(gone(format!("InvalidToken: {token}")));
        };
        let clock = &self.env.clock;
        let sent = match result {
            Ok(output) => run.execution.send_task_success(clock, token, output),
            Err((error, cause)) => run
                .execution
                .send_task_failure(clock, token, &error, &cause),
        };
        sent.map_err(|e: TokenError| gone(e.to_string()))?;
        run.status = run.execution.run_until_blocked(&mut self.env);
        Ok(())
    }

    /// The earliest timer of any running execution or schedule.
    fn next_timer(&self) -> Option<i64> {
        let runs = self.runs.iter().filter_map(|r| match &r.status {
            Status::Waiting { deadline_ms, .. } => *deadline_ms,
            Status::TimedWait { until_ms, .. } => Some(*until_ms),
            _ => None,
        });
        runs.chain(self.services().scheduler.next_due()).min()
    }

    /// Let simulated time run to `target_ms`: every timer due on the way fires at its own time
    /// (Wait states, retry back-offs, Task timeouts, schedules).
    pub fn advance_to(&mut self, target_ms: i64) {
        self.advance_until(target_ms, |_| false);
    }

    /// Like [`advance_to`](Self::advance_to), stopping early once `done` holds after a timer.
    pub(crate) fn advance_until(&mut self, target_ms: i64, done: impl Fn(&Self) -> bool) {
        loop {
            let now = self.env.clock.now_millis();
            match self.next_timer() {
                Some(t) if t <= target_ms => {
                    self.env.clock.set_millis(t.max(now));
                    let fired = self.env.services.services.scheduler.fire_due(t.max(now));
                    self.firings.extend(fired);
                    for run in &mut self.runs {
                        if !run.status.is_finished() {
                            run.status = run.execution.run_until_blocked(&mut self.env);
                        }
                    }
                    if done(self) {
                        return;
                    }
                }
                _ => break,
            }
        }
        if self.env.clock.now_millis() < target_ms {
            self.env.clock.set_millis(target_ms);
        }
    }

    fn idle(&mut self, url: &str) {
        let target = self.env.clock.now_millis() + self.budget_ms;
        let outbox = self.env.services.outbox.clone();
        let has_message = move |_: &Self| outbox.owns(url) && outbox.pending_len(url) > 0;
        self.advance_until(target, has_message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty poll answers without arming a timer: the runtime here has no time driver, so a
    /// timer (which would park the thread for a millisecond tick per poll) panics.
    #[test]
    fn an_empty_poll_answers_without_a_timer() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let q = SimQueue::new();
        let got = rt.block_on(async {
            let url = q.create("call-1").await.unwrap();
            let empty = q.receive(&url, Duration::from_secs(1)).await.unwrap();
            q.push(&url, "hello".into()).unwrap();
            let full = q.receive(&url, Duration::from_secs(1)).await.unwrap();
            q.delete(&url).await.unwrap();
            let gone = q.receive(&url, Duration::from_secs(1)).await;
            (empty, full.map(|m| m.body), gone.is_err())
        });
        assert_eq!(got, (None, Some("hello".to_string()), true));
    }
}
