//! What a simulated call uses, in the units AWS bills (`switchboard_sim::cost`): state
//! transitions, router invocations and their billed time, and the SQS requests of the call's
//! queue — counted event by event as the router's wire protocol makes them.

use std::path::Path;

use switchboard_sim::cost::{Prices, SqsRequests, Usage};
use switchboard_sim::scenario::{Outcome, Scenario};

fn run(text: &str) -> Outcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inline.yaml");
    let s = Scenario::parse(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let o = s.run(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(o.passed(), "{}\n{:?}", o.transcript, o.failures);
    o
}

/// Says hello, waits 10 s in a `Wait` state, says goodbye and hangs up.
const SLOW: &str = r#"
flow: fixtures/flows/slow.asl.json
call: {from: "+15105550101", to: "+12065550100"}
expect: {heard: ["Hello.", "Goodbye."]}
"#;

#[test]
fn a_slow_flow_is_billed_for_the_router_s_waits_and_its_polls() {
    let o = run(SLOW);
    assert_eq!(o.transcript.usage.len(), 1);
    let u = o.transcript.usage[0].usage;
    assert_eq!(
        u,
        Usage {
            // Hello, Think, Bye, Done.
            state_transitions: 4,
            // NEW_INBOUND_CALL; the hello's ACTION_SUCCESSFUL (answered with a keep-alive after
            // 4 s: the flow waits); the keep-alive's (another after 4 s); the second keep-alive's
            // (the goodbye is queued by then); the final HANGUP.
            lambda_invocations: 5,
            // Two full response budgets, and 1 ms (the least billed) for each of the others.
            lambda_billed_ms: 4_000 + 4_000 + 3,
            sqs: SqsRequests {
                create_queue: 1,
                // The hello and the goodbye.
                send_message: 2,
                // 1 at the start, 7 in each empty 4 s wait (a 3 s long poll, then short polls at
                // 3.0, 3.2, 3.4, 3.6, 3.8 and 3.96 s), 1 for the goodbye, 1 on the final HANGUP
                // (nothing left queued).
                receive_message: 1 + 7 + 7 + 1 + 1,
                // The hello, when the event it caused arrives; the goodbye goes with the queue.
                delete_message: 1,
                delete_queue: 1,
            },
        }
    );
    assert_eq!(o.transcript.total_usage(), u);
}

#[test]
fn a_bridged_call_answered_at_once_is_one_millisecond_an_event() {
    let o = run(r#"
flow: fixtures/flows/bridge.asl.json
call: {from: "+15105550101", to: "+12065550100"}
script:
  - bridge: {outcome: answered, talk: 30, ends: callee}
"#);
    let u = o.transcript.total_usage();
    assert_eq!(u.lambda_invocations, o.transcript.invocations);
    assert_eq!(u.lambda_billed_ms, u.lambda_invocations);
    assert_eq!(u.state_transitions, o.transcript.state_transitions);
    // One SendMessage per round trip to the caller, each receive finds its message at once.
    assert_eq!(u.sqs.send_message, o.transcript.round_trips);
    assert_eq!((u.sqs.create_queue, u.sqs.delete_queue), (1, 1));
}

#[test]
fn the_bill_of_a_call_at_the_default_prices() {
    let o = run(SLOW);
    let b = Prices::default().bill(&o.transcript.total_usage(), 256);
    // 4 × $0.025/1,000 + 5 × $0.20/1M + 8.003 s × 0.25 GB × $0.0000166667 + 22 × $0.40/1M.
    let expected =
        4.0 * 0.000_025 + 5.0 * 0.000_000_2 + 8.003 * 0.25 * 0.000_016_666_7 + 22.0 * 0.000_000_4;
    assert!((b.total() - expected).abs() < 1e-12, "{b:?}");
}

#[test]
fn several_calls_are_billed_each_on_its_own() {
    let o = run(r#"
flow: fixtures/flows/slow.asl.json
calls:
  - call: {from: "+15105550101", to: "+12065550100"}
  - call: {from: "+15105550102", to: "+12065550100"}
  - call: {from: "+15105550103", to: "+12065550100"}
    script: [{hang_up: {after: 2s}}]
"#);
    let calls: Vec<usize> = o.transcript.usage.iter().map(|c| c.call).collect();
    assert_eq!(calls, [1, 2, 3]);
    let names: Vec<&str> = o
        .transcript
        .executions
        .iter()
        .map(|x| x.name.as_str())
        .collect();
    for (c, name) in o.transcript.usage.iter().zip(names) {
        assert_eq!(c.execution.as_deref(), Some(name));
    }
    let [a, b, c] = [0, 1, 2].map(|i| o.transcript.usage[i].usage);
    assert_eq!(a, b);
    // The third caller hangs up during the wait: the flow's goodbye is never sent.
    assert_eq!(c.sqs.send_message, 1);
    assert!(c.lambda_billed_ms < a.lambda_billed_ms, "{c:?}");
    let mut sum = a;
    sum += b;
    sum += c;
    assert_eq!(o.transcript.total_usage(), sum);
}
