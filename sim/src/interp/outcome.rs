//! What happens after a state ran: transitions, retries, catchers, and the end of a scope
//! (the machine, a Parallel branch, a Map iteration).

use std::sync::Arc;

use serde_json::Value;
use switchboard_asl::State;

use super::data::apply_assign;
use super::errors::{max_attempts, retry_delay_ms, StateError};
use super::machine::{visible_vars, Execution};
use super::run::{handlers, scope_states, AfterSleep, Frame, Phase, ScopeStep, Step};
use super::states::StateCx;
use super::{Env, EventKind, HistoryEvent, Integrations, Status};
use crate::expr::Vars;
use switchboard_asl::errors::{any_matches, TIMEOUT};

impl Execution {
    pub(super) fn apply<S: Integrations>(
        &mut self,
        env: &mut Env<S>,
        mut frame: Frame,
        state: &State,
        step: Step,
    ) {
        let now = env.clock.now_millis();
        match step {
            Step::Next {
                next,
                output,
                assign,
            } => {
                let output = Arc::new(output);
                self.exited(&frame, state, now, &output, assign.as_ref());
                apply_assign(&mut frame.vars, assign);
                frame.transition(next, output, now);
                self.stack.push(frame);
            }
            Step::End { output, assign } => {
                let shared = Arc::new(output);
                self.exited(&frame, state, now, &shared, assign.as_ref());
                apply_assign(&mut frame.vars, assign);
                let output = Arc::try_unwrap(shared).unwrap_or_else(|s| (*s).clone());
                self.scope_done(env, frame, Ok(output));
            }
            // A `Fail` state has no exit: the execution (or its branch) fails there.
            Step::Fail(e) => self.scope_done(env, frame, Err(e)),
            Step::Block(Phase::Children(ch)) if ch.next > 0 => {
                // Start child number `ch.next - 1` above its parent.
                let index = ch.next - 1;
                let input = ch.inputs[index].clone();
                self.history.push(HistoryEvent {
                    at_ms: now,
                    kind: EventKind::ChildStarted {
                        state: frame.state.clone(),
                        kind: state.type_name(),
                        index,
                    },
                });
                let child = child_frame(state, &frame, index, input, now);
                frame.phase = Phase::Children(ch);
                self.stack.push(frame);
                match child {
                    Ok(child) => self.stack.push(child),
                    Err(e) => {
                        let parent = self
                            .stack
                            .pop()
                            .unwrap_or_else(|| unreachable!("pushed above"));
                        self.fail_state(env, parent, state, e);
                    }
                }
            }
            Step::Block(phase) => {
                if let Phase::Children(ch) = &phase {
                    self.history.push(HistoryEvent {
                        at_ms: now,
                        kind: EventKind::ChildrenStarted {
                            state: frame.state.clone(),
                            kind: state.type_name(),
                            count: ch.inputs.len(),
                        },
                    });
                }
                frame.phase = phase;
                self.stack.push(frame);
            }
            Step::Error(e) => self.fail_state(env, frame, state, e),
        }
    }

    fn exited(
        &mut self,
        frame: &Frame,
        state: &State,
        now: i64,
        output: &Arc<Value>,
        assigned: Option<&Vars>,
    ) {
        self.history.push(HistoryEvent {
            at_ms: now,
            kind: EventKind::StateExited {
                state: frame.state.clone(),
                kind: state.type_name(),
                depth: frame.path.len(),
                output: output.clone(),
                assigned: assigned.cloned(),
            },
        });
    }

    /// A state failed: retry it, catch the error, or fail its scope.
    fn fail_state<S: Integrations>(
        &mut self,
        env: &mut Env<S>,
        mut frame: Frame,
        state: &State,
        e: StateError,
    ) {
        let now = env.clock.now_millis();
        self.history.push(HistoryEvent {
            at_ms: now,
            kind: EventKind::Failed {
                state: frame.state.clone(),
                kind: state.type_name(),
                error: e.error.clone(),
                cause: e.cause.clone(),
            },
        });
        if e.is_terminal() {
            if let Some(root) = self.stack.first() {
                self.final_vars = root.vars.clone();
            } else {
                self.final_vars = std::mem::take(&mut frame.vars);
            }
            self.stack.clear();
            self.end_execution(now, Err(e));
            return;
        }
        let (retriers, catchers) = handlers(state);
        if let Some(i) = retriers
            .iter()
            .position(|r| any_matches(&r.error_equals, &e.error))
        {
            frame.retries.resize(retriers.len(), 0);
            let used = frame.retries[i];
            if u64::from(used) < max_attempts(&retriers[i]) {
                let delay = retry_delay_ms(&retriers[i], used, &mut env.clock);
                frame.retries[i] += 1;
                frame.retry_count += 1;
                self.cost.retries += 1;
                self.cost.state_transitions += 1;
                self.history.push(HistoryEvent {
                    at_ms: now,
                    kind: EventKind::Retry {
                        state: frame.state.clone(),
                        error: e.error.clone(),
                        attempt: used + 1,
                        delay_ms: delay,
                    },
                });
                frame.phase = Phase::Sleeping {
                    until: now + delay,
                    after: AfterSleep::Retry,
                };
                self.stack.push(frame);
                return;
            }
        }
        if let Some(c) = catchers
            .iter()
            .find(|c| any_matches(&c.error_equals, &e.error))
        {
            let lang = state.query_language().unwrap_or(frame.lang);
            let vars = visible_vars(&self.stack, &frame);
            let mut cx = StateCx {
                env,
                info: &self.info,
                vars: &vars,
                frame: &frame,
                lang,
                cost: &mut self.cost,
                history: &mut self.history,
                token_seq: &mut self.token_seq,
            };
            let caught = cx.catch(c, &e);
            drop(vars);
            match caught {
                Ok((output, assign)) => {
                    let output = Arc::new(output);
                    self.history.push(HistoryEvent {
                        at_ms: now,
                        kind: EventKind::Caught {
                            state: frame.state.clone(),
                            error: e.error.clone(),
                            next: c.next.clone(),
                        },
                    });
                    self.exited(&frame, state, now, &output, assign.as_ref());
                    apply_assign(&mut frame.vars, assign);
                    frame.transition(c.next.clone(), output, now);
                    self.stack.push(frame);
                }
                Err(e2) => self.scope_done(env, frame, Err(e2)),
            }
            return;
        }
        self.scope_done(env, frame, Err(e));
    }

    /// A scope (the machine, a branch, an iteration) ended.
    fn scope_done<S: Integrations>(
        &mut self,
        env: &mut Env<S>,
        frame: Frame,
        result: Result<Value, StateError>,
    ) {
        let now = env.clock.now_millis();
        if self.stack.is_empty() {
            self.final_vars = frame.vars;
        }
        let Some(mut parent) = self.stack.pop() else {
            self.end_execution(now, result);
            return;
        };
        let machine = self.machine.clone();
        let parent_state = scope_states(&machine, &parent.path).and_then(|s| s.get(&parent.state));
        if let (Some(st), Phase::Children(ch)) = (parent_state, &parent.phase) {
            self.history.push(HistoryEvent {
                at_ms: now,
                kind: EventKind::ChildEnded {
                    state: parent.state.clone(),
                    kind: st.type_name(),
                    index: ch.next.saturating_sub(1),
                    ok: result.is_ok(),
                },
            });
        }
        match result {
            Ok(output) => {
                if let Phase::Children(ch) = &mut parent.phase {
                    ch.results.push(output);
                }
                self.stack.push(parent);
            }
            Err(e) => match parent_state {
                Some(state) => self.fail_state(env, parent, state, e),
                None => self.end_execution(now, Err(e)),
            },
        }
    }

    pub(super) fn end_execution(&mut self, now: i64, result: Result<Value, StateError>) {
        if let Some(root) = self.stack.first() {
            self.final_vars = root.vars.clone();
        }
        self.stack.clear();
        let (status, kind) = match result {
            Ok(output) => (
                Status::Succeeded(output.clone()),
                EventKind::ExecutionSucceeded { output },
            ),
            Err(e) => (
                Status::Failed {
                    error: e.error.clone(),
                    cause: e.cause.clone(),
                },
                EventKind::ExecutionFailed {
                    error: e.error,
                    cause: e.cause,
                },
            ),
        };
        self.history.push(HistoryEvent { at_ms: now, kind });
        self.finished = Some(status);
    }

    /// The execution ran past the state machine's `TimeoutSeconds`: it fails with
    /// `States.Timeout`, recorded as `ExecutionTimedOut`.
    pub(super) fn time_out(&mut self, now: i64, cause: String) {
        if let Some(root) = self.stack.first() {
            self.final_vars = root.vars.clone();
        }
        self.stack.clear();
        self.history.push(HistoryEvent {
            at_ms: now,
            kind: EventKind::ExecutionTimedOut {
                cause: cause.clone(),
            },
        });
        self.finished = Some(Status::Failed {
            error: TIMEOUT.to_owned(),
            cause,
        });
    }
}

/// The frame running child `index` of the Parallel or Map `state` in `parent`.
fn child_frame(
    state: &State,
    parent: &Frame,
    index: usize,
    input: Value,
    now: i64,
) -> Result<Frame, StateError> {
    // Every Map iteration runs the Map's one item processor: its first scope.
    let scope_index = match state {
        State::Map(_) => 0,
        _ => index,
    };
    let scope = state.scopes().nth(scope_index).ok_or_else(|| {
        StateError::runtime(match state {
            State::Parallel(_) => format!("state '{}': no branch {index}", parent.state),
            State::Map(_) => format!(
                "state '{}': a Map state needs an ItemProcessor",
                parent.state
            ),
            other => format!(
                "state '{}' ({}) has no branches",
                parent.state,
                other.type_name()
            ),
        })
    })?;
    let mut path = parent.path.clone();
    path.push(ScopeStep {
        state: parent.state.clone(),
        index: scope_index,
    });
    Ok(Frame::new(
        path,
        scope.query_language.unwrap_or(parent.lang),
        scope.start_at.to_owned(),
        input,
        now,
    ))
}
