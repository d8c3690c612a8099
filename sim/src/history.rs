//! An execution as Step Functions' `GetExecutionHistory` reports it
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html>),
//! in the JSON `aws stepfunctions get-execution-history --output json` prints: `{"events":
//! [...]}`, each a `HistoryEvent`
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html>)
//! with `timestamp`, `type`, `id`, `previousEventId` and the details object of its type.
//! A page can replay the simulator's call and a real one alike (`switchboard-view`).
//!
//! What each step of the interpreter becomes, in order:
//! - the start: `ExecutionStarted` (`input`, `roleArn`);
//! - each state: `<Type>StateEntered` (`name`, `input`), and when it leaves normally or through
//!   a catcher, `<Type>StateExited` (`name`, `output`, and `assignedVariables` when it set
//!   variables). A `Fail` state, and a state whose error nothing catches, have no exit: the
//!   execution's (or the branch's) failure follows;
//! - a Task's call: `TaskScheduled` (`resourceType`, `resource`, `region`, `parameters` — the
//!   evaluated `Arguments`/`Parameters` as a JSON string —, `timeoutInSeconds` and
//!   `heartbeatInSeconds` when set), `TaskStarted`, then for a `….waitForTaskToken` Task
//!   `TaskSubmitted` (the service's answer to the request); then `TaskSucceeded` (`output`: the
//!   result, or what `SendTaskSuccess` gave), `TaskFailed` or `TaskTimedOut` (`error`,
//!   `cause`). A retry is another `TaskScheduled` in the same state;
//! - a JSONata expression that fails outside a service call: `EvaluationFailed` (`state`,
//!   `error`, `cause`), as the API reference's `EvaluationFailedEventDetails` describes;
//! - a Parallel: `ParallelStateStarted` after its entry, its branches' states, then
//!   `ParallelStateSucceeded` (or `ParallelStateFailed`); a Map: `MapStateStarted` (`length`),
//!   `MapIterationStarted`/`MapIterationSucceeded`/`MapIterationFailed` (`name`, `index`) around
//!   each iteration, `MapStateSucceeded` (or `MapStateFailed`);
//! - the end: `ExecutionSucceeded` (`output`), `ExecutionFailed` (`error`, `cause`) or
//!   `ExecutionTimedOut`.
//!
//! Where the documentation leaves the order open, the simulator's is the one it runs: branches
//! and iterations one after the other, so every event's `previousEventId` is the event before
//! it. Timestamps come from the simulated clock, written as the AWS CLI prints them (RFC 3339,
//! microseconds), in UTC. Inputs and outputs are never truncated (`truncated: false`): a
//! payload over Step Functions' 256 KiB limit fails the state instead.

use std::collections::BTreeMap;

use serde_json::Value;
use switchboard_asl::errors::{HEARTBEAT_TIMEOUT, QUERY_EVALUATION_ERROR, TIMEOUT};
use switchboard_asl::history::{
    self as api, ErrorCause, ExecutionStarted, History, MapIteration, MapStateStarted, Output,
    StateEntered, StateExited, TaskOutput, TaskScheduled, WHOLE,
};

use crate::interp::{EventKind, Execution, HistoryEvent};

/// `arn:aws:states:::sqs:sendMessage.waitForTaskToken` → (`sqs`, `sendMessage.waitForTaskToken`);
/// `arn:aws:states:::aws-sdk:dynamodb:putItem` → (`aws-sdk:dynamodb`, `putItem`). A resource
/// that is not a Step Functions integration ARN (a Lambda function's own ARN) keeps its service
/// as the type and the whole ARN as the resource.
pub fn resource_parts(resource: &str) -> (String, String) {
    if let Some((kind, name)) = resource
        .strip_prefix("arn:aws:states:::")
        .and_then(|rest| rest.rsplit_once(':'))
    {
        return (kind.to_owned(), name.to_owned());
    }
    let service = resource.split(':').nth(2).unwrap_or_default();
    (service.to_owned(), resource.to_owned())
}

/// Epoch milliseconds as the AWS CLI prints a timestamp (in UTC).
pub fn timestamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map_or_else(
        || ms.to_string(),
        |t| t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string(),
    )
}

fn json(v: &Value) -> String {
    v.to_string()
}

impl Execution {
    /// The execution so far as `GetExecutionHistory` reports it (see the [module docs](self)).
    pub fn aws_history(&self) -> History {
        let mut w = Writer::default();
        w.push(self.start_ms(), "ExecutionStarted", |e| {
            e.execution_started_event_details = Some(ExecutionStarted {
                input: Some(json(self.input())),
                input_details: WHOLE,
                role_arn: Some(self.role_arn().to_owned()),
            })
        });
        let region = self.arn().split(':').nth(3).unwrap_or("us-east-1");
        for ev in self.history() {
            w.event(ev, region);
        }
        History { events: w.events }
    }
}

/// Turns the interpreter's events into the API's, one at a time.
#[derive(Default)]
struct Writer {
    events: Vec<api::HistoryEvent>,
    /// The state whose Task call is under way, and its resource.
    task: Option<(String, String)>,
    /// Parallel and Map states that failed (and were caught): no `…StateSucceeded` on exit.
    failed: Vec<String>,
}

impl Writer {
    /// Adds the event `kind` at `at_ms`; `details` sets its details object, if it has one.
    fn push(&mut self, at_ms: i64, kind: &str, details: impl FnOnce(&mut api::HistoryEvent)) {
        let id = self.events.len() as i64 + 1;
        let mut event = api::HistoryEvent {
            timestamp: Value::String(timestamp(at_ms)),
            kind: kind.to_owned(),
            id,
            previous_event_id: id - 1,
            ..api::HistoryEvent::default()
        };
        details(&mut event);
        self.events.push(event);
    }

    fn event(&mut self, ev: &HistoryEvent, region: &str) {
        let at = ev.at_ms;
        match &ev.kind {
            EventKind::StateEntered {
                state, kind, input, ..
            } => {
                let input = json(input);
                self.push(at, &format!("{kind}StateEntered"), |e| {
                    e.state_entered_event_details = Some(StateEntered {
                        name: state.clone(),
                        input: Some(input),
                        input_details: WHOLE,
                    })
                })
            }
            EventKind::StateExited {
                state,
                kind,
                output,
                assigned,
                ..
            } => {
                let output = json(output);
                if matches!(*kind, "Parallel" | "Map") {
                    match self.failed.iter().position(|f| f == state) {
                        Some(i) => {
                            self.failed.remove(i);
                        }
                        None => self.push(at, &format!("{kind}StateSucceeded"), |_| {}),
                    }
                }
                let assigned_variables = assigned.as_ref().map(|vars| {
                    vars.iter()
                        .map(|(k, v)| (k.clone(), json(v)))
                        .collect::<BTreeMap<_, _>>()
                });
                self.push(at, &format!("{kind}StateExited"), |e| {
                    e.state_exited_event_details = Some(StateExited {
                        name: state.clone(),
                        output: Some(output),
                        output_details: WHOLE,
                        assigned_variables_details: assigned_variables.as_ref().and(WHOLE),
                        assigned_variables,
                    })
                });
            }
            EventKind::TaskScheduled {
                state,
                resource,
                parameters,
                timeout_seconds,
                heartbeat_seconds,
            } => {
                let (resource_type, name) = resource_parts(resource);
                self.push(at, "TaskScheduled", |e| {
                    e.task_scheduled_event_details = Some(TaskScheduled {
                        resource_type: resource_type.clone(),
                        resource: name.clone(),
                        region: region.to_owned(),
                        parameters: json(parameters),
                        timeout_in_seconds: timeout_seconds.map(|t| t as i64),
                        heartbeat_in_seconds: heartbeat_seconds.map(|t| t as i64),
                    })
                });
                self.push(at, "TaskStarted", |e| {
                    e.task_started_event_details = Some(TaskOutput {
                        resource_type,
                        resource: name,
                        ..TaskOutput::default()
                    })
                });
                self.task = Some((state.clone(), resource.clone()));
            }
            EventKind::TaskSubmitted {
                resource, output, ..
            } => {
                let (resource_type, resource) = resource_parts(resource);
                self.push(at, "TaskSubmitted", |e| {
                    e.task_submitted_event_details = Some(TaskOutput {
                        resource_type,
                        resource,
                        output: Some(json(output)),
                        output_details: WHOLE,
                    })
                });
            }
            EventKind::TaskSucceeded {
                resource, output, ..
            } => {
                self.task = None;
                let (resource_type, resource) = resource_parts(resource);
                self.push(at, "TaskSucceeded", |e| {
                    e.task_succeeded_event_details = Some(TaskOutput {
                        resource_type,
                        resource,
                        output: Some(json(output)),
                        output_details: WHOLE,
                    })
                });
            }
            EventKind::Failed {
                state,
                kind,
                error,
                cause,
            } => self.failed(at, state, kind, error, cause),
            EventKind::ChildrenStarted { kind, count, .. } => match *kind {
                "Map" => self.push(at, "MapStateStarted", |e| {
                    e.map_state_started_event_details = Some(MapStateStarted { length: *count })
                }),
                _ => self.push(at, "ParallelStateStarted", |_| {}),
            },
            EventKind::ChildStarted { state, kind, index } if *kind == "Map" => {
                self.push(at, "MapIterationStarted", |e| {
                    e.map_iteration_started_event_details = Some(MapIteration {
                        name: state.clone(),
                        index: *index,
                    })
                })
            }
            EventKind::ChildEnded {
                state,
                kind,
                index,
                ok,
            } if *kind == "Map" => {
                let it = MapIteration {
                    name: state.clone(),
                    index: *index,
                };
                match ok {
                    true => self.push(at, "MapIterationSucceeded", |e| {
                        e.map_iteration_succeeded_event_details = Some(it)
                    }),
                    false => self.push(at, "MapIterationFailed", |e| {
                        e.map_iteration_failed_event_details = Some(it)
                    }),
                }
            }
            EventKind::ExecutionSucceeded { output } => self.push(at, "ExecutionSucceeded", |e| {
                e.execution_succeeded_event_details = Some(Output {
                    output: Some(json(output)),
                    output_details: WHOLE,
                })
            }),
            EventKind::ExecutionFailed { error, cause } => self.push(at, "ExecutionFailed", |e| {
                e.execution_failed_event_details = Some(ErrorCause {
                    error: Some(error.clone()),
                    cause: Some(cause.clone()),
                    ..ErrorCause::default()
                })
            }),
            EventKind::ExecutionTimedOut { cause } => self.push(at, "ExecutionTimedOut", |e| {
                e.execution_timed_out_event_details = Some(ErrorCause {
                    error: Some(TIMEOUT.to_owned()),
                    cause: Some(cause.clone()),
                    ..ErrorCause::default()
                })
            }),
            // A retry shows as the next `TaskScheduled`, a catch as the state's exit; a
            // Parallel's branches start and end unannounced.
            EventKind::Retry { .. }
            | EventKind::Caught { .. }
            | EventKind::ChildStarted { .. }
            | EventKind::ChildEnded { .. } => {}
        }
    }

    /// A state's error: its Task's failure when a call was under way, else the evaluation's,
    /// or the Parallel's or Map's.
    fn failed(&mut self, at: i64, state: &str, kind: &str, error: &str, cause: &str) {
        match self.task.take() {
            Some((task, resource)) if task == state => {
                let (resource_type, resource) = resource_parts(&resource);
                let details = ErrorCause {
                    resource_type: Some(resource_type),
                    resource: Some(resource),
                    error: Some(error.to_owned()),
                    cause: Some(cause.to_owned()),
                    state: None,
                };
                if error == TIMEOUT || error == HEARTBEAT_TIMEOUT {
                    self.push(at, "TaskTimedOut", |e| {
                        e.task_timed_out_event_details = Some(details)
                    });
                } else {
                    self.push(at, "TaskFailed", |e| {
                        e.task_failed_event_details = Some(details)
                    });
                }
                return;
            }
            other => self.task = other,
        }
        if matches!(kind, "Parallel" | "Map") {
            self.failed.push(state.to_owned());
            self.push(at, &format!("{kind}StateFailed"), |_| {});
        } else if error == QUERY_EVALUATION_ERROR {
            self.push(at, "EvaluationFailed", |e| {
                e.evaluation_failed_event_details = Some(ErrorCause {
                    error: Some(error.to_owned()),
                    cause: Some(cause.to_owned()),
                    state: Some(state.to_owned()),
                    ..ErrorCause::default()
                })
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_split_as_the_history_names_them() {
        let p = |r: &str| resource_parts(r);
        assert_eq!(
            p("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            ("sqs".into(), "sendMessage.waitForTaskToken".into())
        );
        assert_eq!(
            p("arn:aws:states:::aws-sdk:dynamodb:putItem"),
            ("aws-sdk:dynamodb".into(), "putItem".into())
        );
        assert_eq!(
            p("arn:aws:states:::lambda:invoke"),
            ("lambda".into(), "invoke".into())
        );
        assert_eq!(
            p("arn:aws:lambda:us-east-1:123456789012:function:f"),
            (
                "lambda".into(),
                "arn:aws:lambda:us-east-1:123456789012:function:f".into()
            )
        );
    }

    #[test]
    fn timestamps_as_the_cli_prints_them() {
        assert_eq!(
            timestamp(1_749_564_001_250),
            "2025-06-10T14:00:01.250000+00:00"
        );
    }
}
