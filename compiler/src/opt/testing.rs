//! What the passes' tests share: small definitions run in the simulator's interpreter before
//! and after a pass, to show the pass changed the cost and nothing else.

use std::sync::Arc;

use serde_json::Value;
use switchboard_asl::StateMachine;
use switchboard_sim::expr::{Clock, Vars};
use switchboard_sim::interp::{Env, Execution, Status};
use switchboard_sim::services::Services;

/// 2024-05-01T12:00:00Z.
const T0: i64 = 1_714_564_800_000;

/// A definition from JSON.
pub fn machine(def: Value) -> StateMachine {
    StateMachine::from_json(&def.to_string()).expect("the test's definition parses")
}

/// What a run of a machine without waiting states ends with: its status, its top-level
/// variables, and the state transitions it cost.
#[derive(Debug)]
pub struct Run {
    pub status: Status,
    pub vars: Vars,
    pub transitions: u64,
    /// What the run sent to the SQS queue whose URL is the input's `q` (its effects).
    pub sent: Vec<Value>,
}

/// Runs `m` on `input`, with `q` added to the input: the URL of an empty SQS queue.
pub fn run(m: &StateMachine, input: Value) -> Run {
    let mut env = Env::new(Clock::new(T0, 7), Services::new());
    let queue = env.services.queues.create("effects");
    let mut input = input;
    if let Value::Object(o) = &mut input {
        o.insert("q".into(), Value::String(queue.clone()));
    }
    let mut exec = Execution::start(Arc::new(m.clone()), "test", input, &env);
    let status = exec.run_until_blocked(&mut env);
    let sent = env
        .services
        .queues
        .receive(&queue, usize::MAX)
        .map(|ms| ms.into_iter().map(|m| m.body).collect())
        .unwrap_or_default();
    Run {
        status,
        vars: exec.variables().clone(),
        transitions: exec.cost().state_transitions,
        sent,
    }
}

/// Runs `before` and `after` on every input: the same outcome (output, or error name), the same
/// variables and effects, never more transitions. Returns the transitions saved over all
/// inputs.
pub fn same_behaviour(before: &StateMachine, after: &StateMachine, inputs: &[Value]) -> u64 {
    let mut saved = 0;
    for input in inputs {
        let (b, a) = (run(before, input.clone()), run(after, input.clone()));
        let outcome = |s: &Status| match s {
            Status::Succeeded(v) => format!("succeeded {v}"),
            Status::Failed { error, .. } => format!("failed {error}"),
            other => format!("{other:?}"),
        };
        assert_eq!(
            outcome(&b.status),
            outcome(&a.status),
            "input {input}: before {b:?}\nafter {a:?}"
        );
        assert_eq!(b.vars, a.vars, "input {input}: the variables differ");
        assert_eq!(b.sent, a.sent, "input {input}: the effects differ");
        assert!(
            a.transitions <= b.transitions,
            "input {input}: {} transitions after, {} before",
            a.transitions,
            b.transitions
        );
        saved += b.transitions - a.transitions;
    }
    saved
}

/// A call through a machine whose waiting Tasks send PSTN audio responses to an SQS queue (the
/// compiler's wire contract): each response is answered at once, a digit prompt with the next
/// of `keys`; the response holding an action whose `Text` is `hang_up_at` is answered with the
/// caller's `HANGUP` instead, the caller having heard the actions up to that one.
#[derive(Debug)]
pub struct Call {
    /// Every action the caller heard (up to the hang-up), in order, as evaluated.
    pub actions: Vec<Value>,
    pub status: Status,
    pub vars: Vars,
    pub transitions: u64,
    pub round_trips: u64,
}

pub fn call(m: &StateMachine, keys: &[&str], hang_up_at: Option<&str>) -> Call {
    let mut env = Env::new(Clock::new(T0, 7), Services::new());
    let queue = env.services.queues.create("call");
    let input = serde_json::json!({"QueueUrl": queue, "Event": {"CallId": "leg-a"}});
    let mut exec = Execution::start(Arc::new(m.clone()), "test", input, &env);
    let (mut actions, mut round_trips, mut keys) = (Vec::new(), 0, keys.iter());
    let status = loop {
        let status = exec.run_until_blocked(&mut env);
        let Status::Waiting { token, .. } = &status else {
            break status;
        };
        round_trips += 1;
        let sent = env
            .services
            .queues
            .receive(&queue, 10)
            .expect("the queue exists");
        let body = &sent.first().expect("a waiting Task sent its response").body;
        let list = body["Actions"].as_array().cloned().unwrap_or_default();
        // The caller hangs up while the action is under way: what comes after it in the
        // response is never heard.
        let hang_up = list.iter().position(|a| {
            hang_up_at.is_some_and(|t| {
                a.pointer("/Parameters/Text").and_then(Value::as_str) == Some(t)
                    || a.pointer("/Parameters/SpeechParameters/Text")
                        .and_then(Value::as_str)
                        == Some(t)
            })
        });
        let asks = list
            .last()
            .and_then(|a| a["Type"].as_str())
            .is_some_and(|t| t.ends_with("GetDigits"));
        let hangs_up = hang_up.is_some();
        actions.extend(list.into_iter().take(hang_up.map_or(usize::MAX, |i| i + 1)));
        let (clock, token) = (env.clock.clone(), token.clone());
        if hangs_up {
            exec.send_task_failure(&clock, &token, "HANGUP", "the caller hung up")
                .expect("the token is live");
        } else {
            let digits = if asks {
                keys.next().copied().unwrap_or("")
            } else {
                ""
            };
            let event = serde_json::json!({"ActionData": {"ReceivedDigits": digits}});
            exec.send_task_success(&clock, &token, event)
                .expect("the token is live");
        }
    };
    Call {
        actions,
        status,
        vars: exec.variables().clone(),
        transitions: exec.cost().state_transitions,
        round_trips,
    }
}

/// [`call`] on `before` and `after` with each script: the same actions in the same order, the
/// same outcome, never more transitions or round trips, and the same variables when the caller
/// does not hang up (a batched response that fails skips the speech's assignments, which the
/// pass allows only when nothing reads them afterwards). Returns the round trips saved over all
/// scripts.
pub fn same_calls(
    before: &StateMachine,
    after: &StateMachine,
    scripts: &[(&[&str], Option<&str>)],
) -> u64 {
    let mut saved = 0;
    for (keys, hang_up_at) in scripts {
        let (b, a) = (
            call(before, keys, *hang_up_at),
            call(after, keys, *hang_up_at),
        );
        let what = format!("keys {keys:?}, hang-up at {hang_up_at:?}");
        assert_eq!(
            b.actions, a.actions,
            "{what}: the caller hears something else"
        );
        assert_eq!(
            format!("{:?}", b.status),
            format!("{:?}", a.status),
            "{what}"
        );
        if hang_up_at.is_none() {
            assert_eq!(b.vars, a.vars, "{what}: the variables differ");
        }
        assert!(a.transitions <= b.transitions, "{what}: {a:?}\n{b:?}");
        assert!(a.round_trips <= b.round_trips, "{what}: {a:?}\n{b:?}");
        saved += b.round_trips - a.round_trips;
    }
    saved
}
