//! An execution's history as Step Functions' `GetExecutionHistory` reports it
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html>,
//! <https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html>): the
//! one model of that shape. The simulator writes its executions in it; the pages read it,
//! whether the simulator or `aws stepfunctions get-execution-history --output json` wrote it.
//! Every field a real history may leave out is optional, so reading is lenient; what is `None`
//! is not written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What `get-execution-history` answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct History {
    pub events: Vec<HistoryEvent>,
}

/// One `HistoryEvent`, with the details objects of the event types a call's execution has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEvent {
    /// An RFC 3339 string in the AWS CLI's output, seconds since the epoch in the API's JSON.
    pub timestamp: Value,
    #[serde(rename = "type")]
    pub kind: String,
    /// From 1, in order.
    pub id: i64,
    /// The event before (0 for the first).
    #[serde(default)]
    pub previous_event_id: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_started_event_details: Option<ExecutionStarted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_succeeded_event_details: Option<Output>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_entered_event_details: Option<StateEntered>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_exited_event_details: Option<StateExited>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_scheduled_event_details: Option<TaskScheduled>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_started_event_details: Option<TaskOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_submitted_event_details: Option<TaskOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_succeeded_event_details: Option<TaskOutput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_failed_event_details: Option<ErrorCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_timed_out_event_details: Option<ErrorCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_start_failed_event_details: Option<ErrorCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_submit_failed_event_details: Option<ErrorCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation_failed_event_details: Option<ErrorCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_state_started_event_details: Option<MapStateStarted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_iteration_started_event_details: Option<MapIteration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_iteration_succeeded_event_details: Option<MapIteration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub map_iteration_failed_event_details: Option<MapIteration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_failed_event_details: Option<ErrorCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_timed_out_event_details: Option<ErrorCause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_aborted_event_details: Option<ErrorCause>,
}

/// `HistoryEventExecutionDataDetails`: whether the data beside it was cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataDetails {
    #[serde(default)]
    pub truncated: bool,
}

/// Data that was not cut.
pub const WHOLE: Option<DataDetails> = Some(DataDetails { truncated: false });

/// `ExecutionStartedEventDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionStarted {
    /// The execution's input, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<DataDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

/// `ExecutionSucceededEventDetails`: the execution's output, as a JSON string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<DataDetails>,
}

/// `StateEnteredEventDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateEntered {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_details: Option<DataDetails>,
}

/// `StateExitedEventDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateExited {
    pub name: String,
    /// The state's output, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<DataDetails>,
    /// Each variable the state set, its value as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_variables: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_variables_details: Option<DataDetails>,
}

/// `TaskScheduledEventDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskScheduled {
    pub resource_type: String,
    pub resource: String,
    #[serde(default)]
    pub region: String,
    /// The JSON the Task sent, as a string.
    pub parameters: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_in_seconds: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_in_seconds: Option<i64>,
}

/// `TaskSucceededEventDetails` (and, without `output`, `TaskStartedEventDetails`; with the
/// queue's answer as `output`, `TaskSubmittedEventDetails`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOutput {
    #[serde(default)]
    pub resource_type: String,
    #[serde(default)]
    pub resource: String,
    /// The result, as a JSON string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_details: Option<DataDetails>,
}

/// The details of a failure: a Task's (with its resource), an evaluation's (with its state), or
/// the execution's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorCause {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// `MapStateStartedEventDetails`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapStateStarted {
    #[serde(default)]
    pub length: usize,
}

/// `MapIterationEventDetails`: the Map state's name and the iteration's index.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MapIteration {
    pub name: String,
    #[serde(default)]
    pub index: usize,
}
