//! [`Execution`]: one run of a state machine, driven step by step.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;
use switchboard_asl::errors::{HEARTBEAT_TIMEOUT, TIMEOUT};
use switchboard_asl::{QueryLanguage, State, StateMachine};

use super::context::ExecutionInfo;
use super::errors::StateError;
use super::run::{scope_states, AfterSleep, Frame, Phase, Step};
use super::states::{map_fields, parallel_fields, task_fields, StateCx};
use super::{Cost, Env, EventKind, History, HistoryEvent, Integrations, Status, TokenError};
use crate::expr::{Clock, Vars};

/// The most state transitions one execution may make. Step Functions caps an execution's
/// history at 25,000 events
/// (<https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html>); counting
/// transitions instead keeps a runaway loop from spinning forever.
pub const MAX_TRANSITIONS: u64 = 25_000;

/// One execution of a state machine. See the [module docs](super).
#[derive(Debug, Clone)]
pub struct Execution {
    pub(super) machine: Arc<StateMachine>,
    pub(super) info: ExecutionInfo,
    pub(super) deadline: Option<i64>,
    pub(super) stack: Vec<Frame>,
    pub(super) finished: Option<Status>,
    pub(super) history: History,
    pub(super) cost: Cost,
    pub(super) token_seq: u64,
    /// The top-level variables once the top-level frame is gone.
    pub(super) final_vars: Vars,
}

impl Execution {
    /// Start an execution named `name` with `input`; nothing runs until
    /// [`run_until_blocked`](Self::run_until_blocked). The state machine is named
    /// `state-machine` in ARNs unless [`with_machine_name`](Self::with_machine_name) says
    /// otherwise.
    pub fn start<S>(
        machine: Arc<StateMachine>,
        name: impl Into<String>,
        input: Value,
        env: &Env<S>,
    ) -> Execution {
        let name = name.into();
        let now = env.clock.now_millis();
        let machine_name = "state-machine".to_string();
        let info = ExecutionInfo {
            id: execution_arn(env, &machine_name, &name),
            machine_id: machine_arn(env, &machine_name),
            machine_name,
            role_arn: format!("arn:aws:iam::{}:role/switchboard-sim", env.account),
            name,
            input: input.clone(),
            start_ms: now,
        };
        let lang = machine.query_language.unwrap_or(QueryLanguage::JsonPath);
        let frame = Frame::new(Vec::new(), lang, machine.start_at.clone(), input, now);
        Execution {
            deadline: machine.timeout_seconds.map(|t| now + 1000 * t as i64),
            machine,
            info,
            stack: vec![frame],
            finished: None,
            history: Vec::new(),
            cost: Cost::default(),
            token_seq: 0,
            final_vars: Vars::new(),
        }
    }

    /// Name the state machine (used in `$$.StateMachine` and the ARNs).
    pub fn with_machine_name<S>(mut self, machine_name: &str, env: &Env<S>) -> Self {
        self.info.machine_name = machine_name.to_string();
        self.info.machine_id = machine_arn(env, machine_name);
        self.info.id = execution_arn(env, machine_name, &self.info.name);
        self
    }

    /// The execution's name.
    pub fn name(&self) -> &str {
        &self.info.name
    }

    /// The execution's ARN (`$$.Execution.Id`).
    pub fn arn(&self) -> &str {
        &self.info.id
    }

    /// When it started, in simulated epoch milliseconds.
    pub fn start_ms(&self) -> i64 {
        self.info.start_ms
    }

    /// Its input.
    pub fn input(&self) -> &Value {
        &self.info.input
    }

    /// The role it runs as (`$$.Execution.RoleArn`).
    pub fn role_arn(&self) -> &str {
        &self.info.role_arn
    }

    /// What the execution has cost so far.
    pub fn cost(&self) -> Cost {
        self.cost
    }

    /// The events so far.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// The names of the states entered, in order (including nested ones).
    pub fn states_entered(&self) -> Vec<&str> {
        self.history
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::StateEntered { state, .. } => Some(state.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The top-level variables (`Assign` at the machine's top level).
    pub fn variables(&self) -> &Vars {
        self.stack.first().map_or(&self.final_vars, |f| &f.vars)
    }

    /// The final status, once finished.
    pub fn outcome(&self) -> Option<&Status> {
        self.finished.as_ref()
    }

    /// The token a Task currently waits for, if any.
    pub fn waiting_token(&self) -> Option<&str> {
        match self.stack.last().map(|f| &f.phase) {
            Some(Phase::Waiting { token, .. }) => Some(token),
            _ => None,
        }
    }

    /// Complete the waiting Task's token with `output` (`SendTaskSuccess`). The Task finishes
    /// when the execution next runs.
    pub fn send_task_success(
        &mut self,
        clock: &Clock,
        token: &str,
        output: Value,
    ) -> Result<(), TokenError> {
        self.complete(clock, token, Ok(output))
    }

    /// Fail the waiting Task's token (`SendTaskFailure`) with `error` and `cause`.
    pub fn send_task_failure(
        &mut self,
        clock: &Clock,
        token: &str,
        error: &str,
        cause: &str,
    ) -> Result<(), TokenError> {
        self.complete(clock, token, Err(StateError::new(error, cause)))
    }

    /// Restart the waiting Task's `HeartbeatSeconds` countdown (`SendTaskHeartbeat`).
    pub fn send_task_heartbeat(&mut self, clock: &Clock, token: &str) -> Result<(), TokenError> {
        let now = clock.now_millis();
        let frame = self.waiting_frame(token, now)?;
        if let Phase::Waiting {
            heartbeat: Some((every, deadline)),
            ..
        } = &mut frame.phase
        {
            *deadline = now + *every;
        }
        Ok(())
    }

    fn waiting_frame(&mut self, token: &str, now: i64) -> Result<&mut Frame, TokenError> {
        let exec_deadline = self.deadline;
        let Some(frame) = self.stack.last_mut() else {
            return Err(TokenError::TaskDoesNotExist(token.to_string()));
        };
        match &frame.phase {
            Phase::Waiting {
                token: t,
                deadline,
                heartbeat,
            } if t == token => {
                let due = [*deadline, heartbeat.map(|h| h.1), exec_deadline]
                    .into_iter()
                    .flatten()
                    .min();
                if due.is_some_and(|d| now >= d) {
                    return Err(TokenError::TaskTimedOut(token.to_string()));
                }
                Ok(frame)
            }
            _ => Err(TokenError::TaskDoesNotExist(token.to_string())),
        }
    }

    fn complete(
        &mut self,
        clock: &Clock,
        token: &str,
        result: Result<Value, StateError>,
    ) -> Result<(), TokenError> {
        let frame = self.waiting_frame(token, clock.now_millis())?;
        frame.phase = Phase::Completed {
            token: token.to_string(),
            result,
        };
        Ok(())
    }

    /// Move the clock forward by `delta_ms`, firing every timer due on the way at its own time
    /// (retry back-offs, Wait states, Task timeouts), and run until blocked.
    pub fn advance_by<S: Integrations>(&mut self, env: &mut Env<S>, delta_ms: i64) -> Status {
        let target = env.clock.now_millis().saturating_add(delta_ms.max(0));
        loop {
            let status = self.run_until_blocked(env);
            let now = env.clock.now_millis();
            let timer = match &status {
                Status::Waiting { deadline_ms, .. } => *deadline_ms,
                Status::TimedWait { until_ms, .. } => Some(*until_ms),
                _ => None,
            };
            match timer {
                Some(t) if t > now && t <= target => env.clock.set_millis(t),
                _ => break,
            }
        }
        if env.clock.now_millis() < target {
            env.clock.set_millis(target);
        }
        self.run_until_blocked(env)
    }

    /// Run states until the execution finishes or must wait for a token or for time.
    pub fn run_until_blocked<S: Integrations>(&mut self, env: &mut Env<S>) -> Status {
        let machine = self.machine.clone();
        loop {
            if let Some(status) = &self.finished {
                return status.clone();
            }
            let now = env.clock.now_millis();
            if self.deadline.is_some_and(|d| now >= d) {
                let cause = format!(
                    "the execution ran longer than the state machine's TimeoutSeconds ({} s)",
                    machine.timeout_seconds.unwrap_or(0)
                );
                self.time_out(now, cause);
                continue;
            }
            if self.cost.state_transitions > MAX_TRANSITIONS {
                let cause = format!("the execution made more than {MAX_TRANSITIONS} state transitions; does a loop never end?");
                self.end_execution(now, Err(StateError::runtime(cause)));
                continue;
            }
            let Some(mut frame) = self.stack.pop() else {
                self.end_execution(
                    now,
                    Err(StateError::runtime("the execution has no running state")),
                );
                continue;
            };
            let Some(state) = scope_states(&machine, &frame.path).and_then(|s| s.get(&frame.state))
            else {
                let err = StateError::runtime(format!(
                    "there is no state named '{}' to run",
                    frame.state
                ));
                self.end_execution(now, Err(err));
                continue;
            };
            if let Some(status) = self.blocked(&frame, now) {
                self.stack.push(frame);
                return status;
            }
            let step = self.step(env, &mut frame, state, now);
            self.apply(env, frame, state, step);
        }
    }

    /// The status to report if `frame` cannot move at `now`.
    fn blocked(&self, frame: &Frame, now: i64) -> Option<Status> {
        match &frame.phase {
            Phase::Waiting {
                token,
                deadline,
                heartbeat,
            } => {
                let due = [*deadline, heartbeat.map(|h| h.1), self.deadline]
                    .into_iter()
                    .flatten()
                    .min();
                due.is_none_or(|d| now < d).then(|| Status::Waiting {
                    token: token.clone(),
                    state: frame.state.clone(),
                    deadline_ms: due,
                })
            }
            Phase::Sleeping { until, .. } if now < *until => Some(Status::TimedWait {
                until_ms: self.deadline.map_or(*until, |d| d.min(*until)),
                state: frame.state.clone(),
            }),
            _ => None,
        }
    }

    fn step<S: Integrations>(
        &mut self,
        env: &mut Env<S>,
        frame: &mut Frame,
        state: &State,
        now: i64,
    ) -> Step {
        if frame.fresh && matches!(frame.phase, Phase::Enter) {
            frame.fresh = false;
            self.cost.states_entered += 1;
            self.cost.state_transitions += 1;
            self.history.push(HistoryEvent {
                at_ms: now,
                kind: EventKind::StateEntered {
                    state: frame.state.clone(),
                    kind: state.type_name(),
                    depth: frame.path.len(),
                    input: frame.input.clone(),
                },
            });
        }
        let phase = match std::mem::replace(&mut frame.phase, Phase::Enter) {
            // The back-off is over: run the state again.
            Phase::Sleeping {
                after: AfterSleep::Retry,
                ..
            } => Phase::Enter,
            p => p,
        };
        let lang = state.query_language().unwrap_or(frame.lang);
        let vars = visible_vars(&self.stack, frame);
        let mut cx = StateCx {
            env,
            info: &self.info,
            vars: &vars,
            frame: &*frame,
            lang,
            cost: &mut self.cost,
            history: &mut self.history,
            token_seq: &mut self.token_seq,
        };
        match (phase, state) {
            (Phase::Enter, State::Pass(s)) => cx.pass(s),
            (Phase::Enter, State::Task(s)) => cx.task(s),
            (Phase::Enter, State::Choice(s)) => cx.choice(s),
            (Phase::Enter, State::Wait(s)) => cx.wait(s),
            (Phase::Enter, State::Succeed(s)) => cx.succeed(s),
            (Phase::Enter, State::Fail(s)) => cx.fail(s),
            (Phase::Enter, State::Parallel(s)) => cx.parallel(s),
            (Phase::Enter, State::Map(s)) => cx.map(s),
            (
                Phase::Waiting {
                    deadline,
                    heartbeat,
                    ..
                },
                State::Task(_),
            ) => {
                let (error, why) = match deadline {
                    Some(d) if now >= d => (TIMEOUT, "TimeoutSeconds"),
                    _ if heartbeat.is_some_and(|h| now >= h.1) => {
                        (HEARTBEAT_TIMEOUT, "HeartbeatSeconds")
                    }
                    _ => (TIMEOUT, "the state machine's TimeoutSeconds"),
                };
                Step::Error(StateError::new(
                    error,
                    format!(
                        "state '{}' timed out waiting for its task token ({why})",
                        cx.frame.state
                    ),
                ))
            }
            (Phase::Completed { token, result }, State::Task(s)) => match result {
                Ok(v) => {
                    cx.history.push(HistoryEvent {
                        at_ms: now,
                        kind: EventKind::TaskSucceeded {
                            state: cx.frame.state.clone(),
                            resource: s.resource.clone(),
                            output: Arc::new(v.clone()),
                        },
                    });
                    cx.finish_result(task_fields(s), v, Some(&token))
                }
                Err(e) => Step::Error(e),
            },
            (
                Phase::Sleeping {
                    after: AfterSleep::WaitState,
                    ..
                },
                State::Wait(s),
            ) => cx.finish_wait(s),
            (Phase::Children(mut ch), _) if ch.next < ch.inputs.len() => {
                ch.next += 1;
                Step::Block(Phase::Children(ch))
            }
            (Phase::Children(ch), State::Parallel(s)) => {
                cx.finish_result(parallel_fields(s), Value::Array(ch.results), None)
            }
            (Phase::Children(ch), State::Map(s)) => {
                cx.finish_result(map_fields(s), Value::Array(ch.results), None)
            }
            (_, s) => Step::Error(StateError::runtime(format!(
                "state '{}' ({}) cannot resume here",
                cx.frame.state,
                s.type_name()
            ))),
        }
    }
}

/// The variables a state in `frame` sees: its own scope's over every outer scope's.
pub(super) fn visible_vars<'a>(stack: &'a [Frame], frame: &'a Frame) -> Cow<'a, Vars> {
    if stack.is_empty() {
        return Cow::Borrowed(&frame.vars);
    }
    let mut all = Vars::new();
    for f in stack.iter().chain(std::iter::once(frame)) {
        for (k, v) in &f.vars {
            all.insert(k.clone(), v.clone());
        }
    }
    Cow::Owned(all)
}

fn machine_arn<S>(env: &Env<S>, machine: &str) -> String {
    format!(
        "arn:aws:states:{}:{}:stateMachine:{machine}",
        env.region, env.account
    )
}

fn execution_arn<S>(env: &Env<S>, machine: &str, name: &str) -> String {
    format!(
        "arn:aws:states:{}:{}:execution:{machine}:{name}",
        env.region, env.account
    )
}
