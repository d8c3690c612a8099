//! The PSTN audio simulator: plays the Amazon Chime SDK PSTN audio service and the people on
//! the phone, and talks to call flows only through the router's logic
//! ([`switchboard_router::Router::handle`]), with the in-process backends of [`backend`].
//!
//! For each call it sends the invocation events PSTN audio sends
//! (<https://docs.aws.amazon.com/chime-sdk/latest/dg/pstn-invocations.html>), validates each
//! response with the typed model ([`switchboard::pstn::Response::validate`]; an invalid one is
//! answered with `INVALID_LAMBDA_RESPONSE`), runs its actions in order and reports once, after
//! the whole list (<https://docs.aws.amazon.com/chime-sdk/latest/dg/invoke-on-call-leg.html>):
//! `ACTION_SUCCESSFUL` with the last action's data, `ACTION_FAILED` for the first failing
//! action (the rest of the list is dropped), `HANGUP` when a leg hangs up. What the caller does
//! comes from a [`Script`]; everything that happens is written to a [`Transcript`].
//!
//! Time is simulated: actions take plausible durations (speech at about 150 words a minute,
//! audio by its length, digit timeouts, ringing), and while they run the interpreter's timers
//! and EventBridge Scheduler schedules fire on the same clock.

mod actions;
pub mod backend;
pub mod call;
pub mod recording;
mod run;
pub mod script;
pub mod transcript;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Map, Value};
use switchboard::Zone;
use switchboard_asl::StateMachine;
use switchboard_router::{Config, Reply, Router};
use tokio::sync::mpsc;

use crate::cost::{sqs_chunks, Usage};
use crate::expr::Clock;
use crate::interp::{EventKind, Execution};
use crate::services::{parse_resource, Services};

pub use backend::{Outbox, SimEngine, SimQueue, World};
pub use script::{Answer, Bridge, BridgeOutcome, Ender, Record, Script, Seconds, Step};
pub use transcript::{CallUsage, Entry, ExecutionReport, Transcript};

/// The ARN prefix of simulated state machines.
pub const MACHINE_ARN_PREFIX: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:";
/// EventBridge Scheduler's universal target that places a call
/// (<https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-universal.html>).
pub const PLACE_CALL_TARGET: &str =
    "arn:aws:scheduler:::aws-sdk:chimesdkvoice:createSipMediaApplicationCall";

/// Which way a call goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Someone calls the flow's number: `NEW_INBOUND_CALL`.
    Inbound,
    /// The SIP media application calls someone (`CreateSipMediaApplicationCall`):
    /// `NEW_OUTBOUND_CALL` → `RINGING` → `CALL_ANSWERED`.
    Outbound,
}

/// A call to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSpec {
    pub direction: Direction,
    /// Caller's number (the flow's number for outbound calls).
    pub from: String,
    /// Called number (the flow's number for inbound calls).
    pub to: String,
    /// `ArgumentsMap` of an outbound call (`ActionData.Parameters.Arguments`).
    pub arguments: Map<String, Value>,
    /// The caller hangs up this long after the call starts, whatever is happening.
    pub hang_up_after: Option<Seconds>,
    /// How long the caller waits in silence (nothing to hear, no bridged party) before giving
    /// up and hanging up.
    pub patience: Seconds,
}

impl CallSpec {
    /// An inbound call from `from` to `to`.
    pub fn inbound(from: &str, to: &str) -> Self {
        CallSpec {
            direction: Direction::Inbound,
            from: from.into(),
            to: to.into(),
            arguments: Map::new(),
            hang_up_after: None,
            patience: Seconds(30),
        }
    }

    /// An outbound call from the flow's number `from` to `to`.
    pub fn outbound(from: &str, to: &str, arguments: Map<String, Value>) -> Self {
        CallSpec {
            direction: Direction::Outbound,
            arguments,
            ..CallSpec::inbound(from, to)
        }
    }
}

/// Calls placed by Lambda stubs (`CreateSipMediaApplicationCall` from a function), waiting for
/// the simulator to run them. Cloning shares the list.
#[derive(Debug, Clone, Default)]
pub struct CallPlacer(Rc<RefCell<Vec<CallSpec>>>);

impl CallPlacer {
    /// Ask for an outbound call.
    pub fn place(&self, call: CallSpec) {
        self.0.borrow_mut().push(call);
    }

    fn take(&self) -> Vec<CallSpec> {
        std::mem::take(&mut self.0.borrow_mut())
    }

    /// Whether no call waits to be placed.
    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

/// The simulator: a router in front of one flow, the interpreter and services behind it, and
/// the PSTN audio service with its callers in front.
pub struct Simulator<Q: Outbox = SimQueue> {
    world: World<Q>,
    router: Router<SimEngine, Q>,
    rx: mpsc::UnboundedReceiver<Command>,
    rt: tokio::runtime::Runtime,
    tz: Zone,
    script: Script,
    transcript: Transcript,
    placer: CallPlacer,
    /// Lengths of audio objects, by `bucket/key`, in ms.
    audio_ms: BTreeMap<String, i64>,
    calls: usize,
    /// When the current (or last) call started.
    call_start: i64,
    /// Total simulated call time.
    call_ms: i64,
    /// Each call's `TransactionId` (its execution's name) and what the router used for it.
    calls_usage: Vec<(usize, String, Usage)>,
}

use backend::Command;

/// A point in a run ([`Simulator::mark`]): how many transcript entries, executions, recordings
/// and problems there were, so what came after can be told apart (one call of several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    pub entries: usize,
    pub runs: usize,
    pub recordings: usize,
    pub problems: usize,
}

/// What the simulator needs to start: the flow and where it runs.
pub struct Setup {
    /// The flow's name (the state machine's name in ARNs).
    pub name: String,
    /// The definition.
    pub machine: Arc<StateMachine>,
    /// The numbers routed to the flow (inbound `To`, outbound `From`).
    pub numbers: Vec<String>,
    /// Tables, buckets, functions, schedules.
    pub services: Services,
    /// Simulated start time and seed.
    pub clock: Clock,
    /// The time zone local times are shown in.
    pub tz: Zone,
}

impl<Q: Outbox> Simulator<Q> {
    /// A simulator for `setup` whose call queues are `queue` ([`SimQueue`], or the router
    /// crate's `MemoryQueue`).
    pub fn new(setup: Setup, queue: Q) -> Result<Self, String> {
        Self::with_placer(setup, queue, CallPlacer::default())
    }

    /// Like [`new`](Self::new), with the [`CallPlacer`] that Lambda stubs of `setup` were
    /// given.
    pub fn with_placer(setup: Setup, queue: Q, placer: CallPlacer) -> Result<Self, String> {
        let (tx, rx) = mpsc::unbounded_channel();
        let arn = format!("{MACHINE_ARN_PREFIX}{}", setup.name);
        let flows = setup
            .numbers
            .iter()
            .map(|n| (n.clone(), arn.clone()))
            .collect();
        let router = Router::new(
            SimEngine::new(tx.clone()),
            queue.for_router(tx),
            Config::with_flows(flows),
        );
        let mut world = World::new(setup.clock, setup.services, queue);
        world.budget_ms = router.config().response_budget.as_millis() as i64;
        world.register(&arn, setup.machine);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        Ok(Simulator {
            world,
            router,
            rx,
            rt,
            tz: setup.tz,
            script: Script::default(),
            transcript: Transcript::default(),
            placer,
            audio_ms: BTreeMap::new(),
            calls: 0,
            call_start: 0,
            call_ms: 0,
            calls_usage: Vec::new(),
        })
    }

    /// The list Lambda stubs put their calls on.
    pub fn placer(&self) -> CallPlacer {
        self.placer.clone()
    }

    /// Declare how long an audio object plays (recordings made in a run are known already).
    pub fn set_audio_length(&mut self, bucket: &str, key: &str, ms: i64) {
        self.audio_ms.insert(format!("{bucket}/{key}"), ms);
    }

    /// How long an S3 object plays, in ms: its declared length, a recording's, or one second
    /// per 16,000 bytes (8 kHz 16-bit WAV). `None` when there is no such object.
    pub fn object_ms(&self, bucket: &str, key: &str) -> Option<i64> {
        self.audio_len(bucket, key)
    }

    /// The interpreter side: executions, services, clock.
    pub fn world(&self) -> &World<Q> {
        &self.world
    }

    /// Hand one event to the router and serve its backend calls until it answers.
    fn dispatch(&mut self, event: &Value) -> Reply {
        self.transcript.invocations += 1;
        let Simulator {
            world,
            router,
            rx,
            rt,
            ..
        } = self;
        rt.block_on(async {
            // The router's response budget is simulated (the queue moves the clock); in real
            // time it only has to outlast one in-process poll (an empty poll of the simulated
            // queue lets the budget pass and ends the wait).
            let answer_by = Instant::now() + Duration::from_millis(450);
            let handle = router.handle(event, answer_by);
            tokio::pin!(handle);
            loop {
                tokio::select! {
                    biased;
                    reply = &mut handle => return reply,
                    Some(command) = rx.recv() => world.apply(command),
                }
            }
        })
    }

    /// Run `call` with `steps`, then every call that schedules and Lambda stubs place while
    /// the script's `wait`s let time pass. Returns the transcript of everything so far.
    pub fn run(&mut self, call: CallSpec, steps: Vec<Step>) -> &Transcript {
        self.run_at(None, call, steps)
    }

    /// Like [`run`](Self::run), the call starting at `at_ms` (epoch ms) rather than now: time
    /// runs there first, and the calls schedules place on the way ring then, taking their
    /// steps from `steps` before the call does.
    pub fn run_at(&mut self, at_ms: Option<i64>, call: CallSpec, steps: Vec<Step>) -> &Transcript {
        self.script = Script::new(steps);
        if let Some(at) = at_ms {
            self.wait_until(at);
        }
        self.run_call(call);
        loop {
            let placed = self.placed_calls();
            if !placed.is_empty() {
                for c in placed {
                    self.run_call(c);
                }
                continue;
            }
            let Some(Step::Wait(_)) = self.script.peek() else {
                break;
            };
            if let Some(Step::Wait(s)) = self
                .script
                .take(script::Moment::Between, "the call is over")
            {
                let target = self.world.env.clock.now_millis() + s.millis();
                self.wait_until(target);
            }
        }
        self.finish();
        &self.transcript
    }

    /// Let simulated time run to `target_ms` (epoch milliseconds). Timers and schedules fire
    /// at their own time on the way, and a call a schedule or a Lambda stub places rings
    /// then: the clock stops at that moment, the call runs, and time goes on to `target_ms`
    /// (if the call has not gone past it).
    pub fn wait_until(&mut self, target_ms: i64) {
        loop {
            let placer = self.placer.clone();
            self.world.advance_until(target_ms, move |w| {
                !w.firings.is_empty() || !placer.is_empty()
            });
            let placed = self.placed_calls();
            if placed.is_empty() {
                return;
            }
            for c in placed {
                self.run_call(c);
            }
            if self.world.env.clock.now_millis() >= target_ms {
                return;
            }
        }
    }

    /// Forget every call so far and start again with `services` at `now_ms` (simulated epoch
    /// milliseconds), keeping the router, the flow and the JSONata parse cache: many calls in a
    /// row without building a simulator each time.
    pub fn reset(&mut self, services: Services, now_ms: i64) {
        self.world.reset(services, now_ms);
        self.transcript = Transcript::default();
        self.script = Script::default();
        self.audio_ms.clear();
        self.call_ms = 0;
        self.calls_usage.clear();
    }

    /// The transcript so far.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// Where the record stands now, to look at what happens from here on.
    pub fn mark(&self) -> Mark {
        Mark {
            entries: self.transcript.entries.len(),
            runs: self.world.runs.len(),
            recordings: self.transcript.recordings.len(),
            problems: self.transcript.problems.len(),
        }
    }

    fn local_time(&self, ms: i64) -> String {
        match self.tz.at(ms) {
            Some(t) => t.strftime("%Y-%m-%d %H:%M:%S %Z (%A)").to_string(),
            None => format!("{ms} ms"),
        }
    }

    fn note(&mut self, call: usize, text: impl Into<String>) {
        let at_ms = self.world.env.clock.now_millis() - self.call_start;
        self.transcript.entries.push(Entry::Note {
            call,
            at_ms,
            text: text.into(),
        });
    }

    fn finish(&mut self) {
        let mut problems = std::mem::take(&mut self.script.problems);
        problems.extend(self.script.unused());
        let t = &mut self.transcript;
        t.problems.extend(problems);
        t.executions.clear();
        t.state_transitions = 0;
        t.round_trips = 0;
        t.usage = self
            .calls_usage
            .iter()
            .map(|(call, transaction, router)| {
                let mut usage = *router;
                let run = self
                    .world
                    .runs
                    .iter()
                    .find(|r| r.execution.name() == transaction);
                if let Some(run) = run {
                    usage.state_transitions = run.execution.cost().state_transitions;
                    usage.sqs.send_message = send_message_requests(&run.execution);
                }
                CallUsage {
                    call: *call,
                    execution: run.map(|r| r.execution.name().to_owned()),
                    usage,
                }
            })
            .collect();
        for run in &self.world.runs {
            let cost = run.execution.cost();
            let (status, error, cause) = match &run.status {
                crate::interp::Status::Succeeded(_) => ("succeeded", None, None),
                crate::interp::Status::Failed { error, cause } => {
                    ("failed", Some(error.clone()), Some(cause.clone()))
                }
                _ => ("running", None, None),
            };
            let variables = run.execution.variables().clone();
            t.state_transitions += cost.state_transitions;
            t.round_trips += cost.task_tokens;
            t.executions.push(ExecutionReport {
                name: run.execution.name().to_owned(),
                status: status.into(),
                error,
                cause,
                states: run
                    .execution
                    .states_entered()
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                state_transitions: cost.state_transitions,
                round_trips: cost.task_tokens,
                variables: Value::Object(variables),
            });
        }
        t.call_duration_ms = self.call_ms;
    }
}

/// The `SendMessage` requests of an execution's Tasks, each 64 KB chunk of the message body
/// one request.
fn send_message_requests(execution: &Execution) -> u64 {
    execution
        .history()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::TaskScheduled {
                resource,
                parameters,
                ..
            } if matches!(
                parse_resource(resource),
                Some(("sqs", "sendMessage", false))
            ) =>
            {
                let bytes = match parameters.get("MessageBody") {
                    Some(Value::String(s)) => s.len(),
                    Some(other) => json_len(other),
                    None => 0,
                };
                Some(sqs_chunks(bytes))
            }
            _ => None,
        })
        .sum()
}

/// The length of `v` written as compact JSON (Step Functions sends a `MessageBody` object so),
/// without writing it out.
fn json_len(v: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    match serde_json::to_writer(&mut c, v) {
        Ok(()) => c.0,
        Err(_) => v.to_string().len(),
    }
}
