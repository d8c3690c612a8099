//! The pieces the PSTN simulator tests build their hand-written flows from: the waiting Task of
//! the wire contract (DESIGN.md, "The runtime picture"), a chain of them, and the caller's leg.
//! Each test file says only what its own flow does.
#![allow(dead_code)]

use std::sync::Arc;

use serde_json::{json, Map, Value};
use switchboard::wire;
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{Env, Execution};
use switchboard_sim::services::Services;

/// The caller's `CallId`, read from the execution input.
pub const LEG_A: &str =
    "{% $states.context.Execution.Input.Event.CallDetails.Participants[0].CallId %}";

/// A Task that sends `actions` to the caller and waits for the next event, then goes to
/// `next`; `catch` is its `Catch`.
pub fn send(actions: Value, next: &str, catch: Value) -> Value {
    let queue = format!(
        "{{% $states.context.Execution.Input.{} %}}",
        wire::INPUT_QUEUE_URL
    );
    json!({"Type": "Task", "Resource": wire::RESOURCE_SEND_AND_WAIT,
        "Arguments": {"QueueUrl": queue,
            "MessageBody": {"SchemaVersion": wire::SCHEMA_VERSION, "Actions": actions,
                "TransactionAttributes": {
                    wire::ATTR_WAIT_TOKEN: "{% $states.context.Task.Token %}",
                    wire::ATTR_QUEUE_URL: queue}}},
        "TimeoutSeconds": 600, "Next": next, "Catch": catch})
}

/// `responses` sent one after the other (`R0`, `R1`, …), each on the previous one's success,
/// ending at the `Succeed` state `Done`; every Task has `catch`.
pub fn chain(responses: Vec<Value>, catch: Value) -> Map<String, Value> {
    let n = responses.len();
    let mut states = Map::new();
    for (i, actions) in responses.into_iter().enumerate() {
        let next = if i + 1 == n {
            "Done".to_string()
        } else {
            format!("R{}", i + 1)
        };
        states.insert(format!("R{i}"), send(actions, &next, catch.clone()));
    }
    states.insert("Done".into(), json!({"Type": "Succeed"}));
    states
}

/// A JSONata state machine starting at `start`.
pub fn machine(start: &str, states: Value) -> Arc<StateMachine> {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states});
    Arc::new(serde_json::from_value(def).expect("test flow parses"))
}

/// `Speak` on the caller's leg.
pub fn speak(text: &str) -> Value {
    json!({"Type": "Speak", "Parameters": {"CallId": LEG_A, "Text": text}})
}

/// An environment whose clock starts at `t0` (epoch ms), with the call's queue `call-1` for
/// flows that wait on the caller.
pub fn env_with_call_queue(t0: i64) -> Env {
    let mut services = Services::new();
    services.queues.create("call-1");
    Env::new(Clock::new(t0, 7), services)
}

/// The execution `exec-1` of `def` on `input`.
pub fn start(def: Value, input: Value, env: &Env) -> Execution {
    let m = Arc::new(StateMachine::from_json(&def.to_string()).expect("definition parses"));
    Execution::start(m, "exec-1", input, env)
}

/// The URL of the call's queue `call-1`.
pub fn call_queue() -> String {
    switchboard_sim::services::sqs::Queues::url_for("call-1")
}
