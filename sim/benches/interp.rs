//! Interpreter throughput: `cargo bench -p switchboard-sim --bench interp`.
//! A plain `Instant` loop (no harness): executions per second of a small JSONata flow with
//! three waiting Tasks, each completed by `send_task_success`, on one core.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{Env, Execution, Status};
use switchboard_sim::services::Services;

fn main() {
    let text = include_str!("../tests/fixtures/menu.asl.json");
    let machine = Arc::new(StateMachine::from_json(text).expect("fixture parses"));
    let mut services = Services::new();
    let url = services.queues.create("bench");
    let mut env = Env::new(Clock::new(0, 1), services);
    let input = json!({"QueueUrl": url, "Event": {"CallDetails": {"Participants": [
        {"CallId": "c-1", "From": "+15551234"}]}}});
    let digits = json!({"ActionData": {"ReceivedDigits": "1"}});

    let mut run_one = |i: u64| {
        let mut exec = Execution::start(machine.clone(), format!("e{i}"), input.clone(), &env);
        let mut tasks = 0;
        loop {
            match exec.run_until_blocked(&mut env) {
                Status::Waiting { token, .. } => {
                    env.services.queues.receive(&url, 1).expect("queue exists");
                    exec.send_task_success(&env.clock, &token, digits.clone())
                        .expect("token is live");
                    tasks += 1;
                }
                Status::Succeeded(_) => break,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(tasks, 3);
        black_box(exec.cost());
    };

    for i in 0..1_000 {
        run_one(i); // warm up
    }
    let n = 20_000u64;
    let start = Instant::now();
    for i in 0..n {
        run_one(i);
    }
    let elapsed = start.elapsed();
    println!(
        "menu flow, 3 waiting Tasks: {n} executions in {elapsed:.2?} = {:.0} executions/s ({:.1} µs each)",
        n as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / n as f64
    );
}
