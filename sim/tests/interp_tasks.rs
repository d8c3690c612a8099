//! Task states: waiting for task tokens, timeouts and heartbeats on the simulated clock, Retry
//! back-off, Catch, error-name matching, Parallel and Map scoping.
//! Error handling: https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html

use std::cell::Cell;
use std::rc::Rc;

use serde_json::{json, Value};
use switchboard::wire::{ATTR_WAIT_TOKEN, ERROR_HANGUP, RESOURCE_SEND_AND_WAIT};
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{error_matches, Env, EventKind, Status, TokenError};

mod support;
use support::{call_queue as queue, start};

const T0: i64 = 1_714_564_800_000;

fn env() -> Env {
    support::env_with_call_queue(T0)
}

/// A waiting Task whose message body carries the token where `TransactionAttributes` says.
fn speak(next: &str, timeout: u64) -> Value {
    json!({"Type": "Task", "Resource": RESOURCE_SEND_AND_WAIT,
        "Parameters": {"QueueUrl.$": "$$.Execution.Input.QueueUrl", "MessageBody": {
            "Actions": [{"Type": "Speak"}],
            "TransactionAttributes": {"WaitToken.$": "$$.Task.Token"}}},
        "TimeoutSeconds": timeout, "Next": next})
}

fn token_in_queue(env: &mut Env) -> String {
    let msgs = env.services.queues.receive(&queue(), 10).unwrap();
    assert_eq!(msgs.len(), 1, "one message per waiting Task");
    msgs[0].body["TransactionAttributes"][ATTR_WAIT_TOKEN]
        .as_str()
        .expect("token in the body")
        .to_string()
}

#[test]
fn waiting_task_puts_its_token_in_the_message_and_resumes_on_success() {
    let def = json!({"StartAt": "Say", "States": {"Say": speak("Done", 60), "Done": {"Type": "Succeed"}}});
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    let status = exec.run_until_blocked(&mut env);
    let token = token_in_queue(&mut env);
    assert_eq!(
        status,
        Status::Waiting {
            token: token.clone(),
            state: "Say".into(),
            deadline_ms: Some(T0 + 60_000)
        }
    );
    assert_eq!(exec.waiting_token(), Some(token.as_str()));
    exec.send_task_success(&env.clock, &token, json!({"ok": 1}))
        .unwrap();
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(json!({"ok": 1}))
    );
    assert_eq!(exec.cost().task_tokens, 1);
    assert_eq!(
        exec.send_task_success(&env.clock, &token, json!({})),
        Err(TokenError::TaskDoesNotExist(token))
    );
}

#[test]
fn jsonata_waiting_task_reads_the_token_from_states_context_and_assigns_from_result() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Ask", "States": {
        "Ask": {"Type": "Task", "Resource": RESOURCE_SEND_AND_WAIT,
            "Arguments": {"QueueUrl": "{% $states.input.QueueUrl %}", "MessageBody": {
                "TransactionAttributes": {"WaitToken": "{% $states.context.Task.Token %}"}}},
            "Assign": {"digits": "{% $states.result.ActionData.ReceivedDigits %}"},
            "Output": {"got": "{% $states.result.ActionData.ReceivedDigits %}"},
            "TimeoutSeconds": 30, "Next": "Done"},
        "Done": {"Type": "Pass", "Output": "{% $digits & '!' %}", "End": true}}});
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    exec.run_until_blocked(&mut env);
    let token = token_in_queue(&mut env);
    exec.send_task_success(
        &env.clock,
        &token,
        json!({"ActionData": {"ReceivedDigits": "7"}}),
    )
    .unwrap();
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(json!("7!"))
    );
    assert_eq!(exec.variables()["digits"], json!("7"));
}

#[test]
fn hangup_failure_goes_to_the_first_matching_catcher_with_error_output_at_result_path() {
    let mut def = json!({"StartAt": "Say", "States": {
        "Say": speak("Done", 60),
        "Hung": {"Type": "Pass", "End": true},
        "Other": {"Type": "Fail", "Error": "Other"},
        "Done": {"Type": "Succeed"}}});
    def["States"]["Say"]["Catch"] = json!([
        {"ErrorEquals": [ERROR_HANGUP], "ResultPath": "$.Error", "Next": "Hung"},
        {"ErrorEquals": ["States.ALL"], "Next": "Other"}]);
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    let Status::Waiting { token, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    exec.send_task_failure(&env.clock, &token, ERROR_HANGUP, "caller hung up")
        .unwrap();
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(
            json!({"QueueUrl": queue(), "Error": {"Error": "HANGUP", "Cause": "caller hung up"}})
        )
    );
    assert!(exec.history().iter().any(|e| matches!(&e.kind,
        EventKind::Caught { error, next, .. } if error == "HANGUP" && next == "Hung")));
}

#[test]
fn jsonata_catch_assigns_error_output_and_output_defaults_to_it() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": {"FunctionName": "boom"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"err": "{% $states.errorOutput.Error %}"}, "Next": "H"}],
              "End": true},
        "H": {"Type": "Pass", "Output": "{% [$err, $states.input.Cause] %}", "End": true}}});
    let mut env = env();
    env.services
        .lambdas
        .register("boom", |_| Err(("Oops".into(), "bad".into())));
    let mut exec = start(def, json!({}), &env);
    let out = exec.run_until_blocked(&mut env);
    assert_eq!(
        out,
        Status::Succeeded(json!([
            "Oops",
            "{\"errorType\":\"Oops\",\"errorMessage\":\"bad\"}"
        ]))
    );
}

#[test]
fn timeout_fires_states_timeout_on_the_simulated_clock_and_late_tokens_are_refused() {
    let mut def = json!({"StartAt": "Say", "States": {"Say": speak("Done", 10),
        "Late": {"Type": "Pass", "End": true}, "Done": {"Type": "Succeed"}}});
    def["States"]["Say"]["Catch"] = json!([{"ErrorEquals": ["States.Timeout"], "Next": "Late"}]);
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    let Status::Waiting { token, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    assert!(matches!(
        exec.advance_by(&mut env, 9_999),
        Status::Waiting { .. }
    ));
    env.clock.advance_millis(1);
    assert_eq!(
        exec.send_task_success(&env.clock, &token, json!({})),
        Err(TokenError::TaskTimedOut(token))
    );
    let s = exec.run_until_blocked(&mut env);
    assert_eq!(
        s,
        Status::Succeeded(json!({"Error": "States.Timeout",
        "Cause": "state 'Say' timed out waiting for its task token (TimeoutSeconds)"}))
    );
}

#[test]
fn heartbeat_timeout_and_heartbeats_that_keep_the_task_alive() {
    let mut def = json!({"StartAt": "Say", "States": {"Say": speak("Done", 100), "Done": {"Type": "Succeed"}}});
    def["States"]["Say"]["HeartbeatSeconds"] = json!(10);
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    let Status::Waiting {
        token, deadline_ms, ..
    } = exec.run_until_blocked(&mut env)
    else {
        panic!()
    };
    assert_eq!(deadline_ms, Some(T0 + 10_000));
    exec.advance_by(&mut env, 8_000);
    exec.send_task_heartbeat(&env.clock, &token).unwrap();
    assert!(matches!(
        exec.advance_by(&mut env, 8_000),
        Status::Waiting { .. }
    ));
    let s = exec.advance_by(&mut env, 3_000);
    assert!(
        matches!(s, Status::Failed { ref error, .. } if error == "States.HeartbeatTimeout"),
        "{s:?}"
    );
}

#[test]
fn retry_backs_off_exponentially_on_the_simulated_clock_and_each_retry_is_a_transition() {
    let calls = Rc::new(Cell::new(0));
    let mut env = env();
    let c = calls.clone();
    env.services.lambdas.register("flaky", move |v| {
        c.set(c.get() + 1);
        if c.get() < 3 {
            Err(("Transient".into(), "try again".into()))
        } else {
            Ok(v)
        }
    });
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:1:function:flaky",
        "Retry": [{"ErrorEquals": ["Other"], "MaxAttempts": 9},
                  {"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 5}],
        "End": true}}});
    let mut exec = start(def, json!({"n": 1}), &env);
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::TimedWait {
            until_ms: T0 + 2_000,
            state: "T".into()
        }
    );
    assert_eq!(
        exec.advance_by(&mut env, 2_000),
        Status::TimedWait {
            until_ms: T0 + 8_000,
            state: "T".into()
        }
    );
    assert_eq!(
        exec.advance_by(&mut env, 6_000),
        Status::Succeeded(json!({"n": 1}))
    );
    assert_eq!(calls.get(), 3);
    let cost = exec.cost();
    assert_eq!(
        (cost.states_entered, cost.retries, cost.state_transitions),
        (1, 2, 3)
    );
}

#[test]
fn retry_exhausted_falls_to_catch_and_max_delay_caps_backoff() {
    let mut env = env();
    env.services
        .lambdas
        .register("down", |_| Err(("Down".into(), "x".into())));
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "down"},
              "Retry": [{"ErrorEquals": ["Down"], "IntervalSeconds": 10, "BackoffRate": 10, "MaxAttempts": 3, "MaxDelaySeconds": 30}],
              "Catch": [{"ErrorEquals": ["Down"], "ResultPath": "$.err", "Next": "C"}], "End": true},
        "C": {"Type": "Pass", "End": true}}});
    let mut exec = start(def, json!({}), &env);
    exec.run_until_blocked(&mut env);
    let s = exec.advance_by(&mut env, 3_600_000);
    assert!(
        matches!(s, Status::Succeeded(ref v) if v["err"]["Error"] == "Down"),
        "{s:?}"
    );
    let delays: Vec<i64> = exec
        .history()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Retry { delay_ms, .. } => Some(*delay_ms),
            _ => None,
        })
        .collect();
    assert_eq!(delays, vec![10_000, 30_000, 30_000]);
    assert_eq!(exec.cost().state_transitions, 2 + 3);
}

#[test]
fn full_jitter_is_deterministic_per_seed_and_below_the_backoff() {
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:1:function:down",
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 100, "MaxAttempts": 1, "JitterStrategy": "FULL"}],
        "End": true}}});
    let until = |seed| {
        let mut env = env();
        env.clock = Clock::new(T0, seed);
        env.services
            .lambdas
            .register("down", |_| Err(("Down".into(), "x".into())));
        let mut exec = start(def.clone(), json!({}), &env);
        match exec.run_until_blocked(&mut env) {
            Status::TimedWait { until_ms, .. } => until_ms,
            s => panic!("{s:?}"),
        }
    };
    assert_eq!(until(1), until(1));
    assert_ne!(until(1), until(2));
    assert!((T0..T0 + 100_000).contains(&until(3)));
}

#[test]
fn states_runtime_is_never_caught_or_retried_even_by_states_all() {
    let def = json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:runInstances",
              "Retry": [{"ErrorEquals": ["States.ALL"]}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}], "End": true},
        "C": {"Type": "Succeed"}}});
    let mut env = env();
    let mut exec = start(def, json!({}), &env);
    let s = exec.run_until_blocked(&mut env);
    let Status::Failed { error, cause } = s else {
        panic!("{s:?}")
    };
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("aws-sdk:ec2:runInstances"), "{cause}");
    assert_eq!(exec.cost().retries, 0);
}

#[test]
fn error_name_matching_follows_the_wildcards() {
    assert!(error_matches("States.ALL", "HANGUP"));
    assert!(!error_matches("States.ALL", "States.Runtime"));
    assert!(error_matches(
        "States.TaskFailed",
        "DynamoDB.ConditionalCheckFailedException"
    ));
    assert!(!error_matches("States.TaskFailed", "States.Timeout"));
    assert!(error_matches("States.Timeout", "States.HeartbeatTimeout"));
    assert!(!error_matches("HANGUP", "ACTION_FAILED"));
}

#[test]
fn parallel_branches_read_outer_variables_but_their_assigns_stay_inside() {
    // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html (scope)
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"outer": 5}, "Next": "Par"},
        "Par": {"Type": "Parallel", "Branches": [
            {"StartAt": "B1", "States": {
                "B1": {"Type": "Pass", "Assign": {"inner": "{% $outer + 1 %}"}, "Next": "B1b"},
                "B1b": {"Type": "Pass", "Output": "{% $inner %}", "End": true}}},
            {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "Output": "{% $states.input.k * $outer %}", "End": true}}}],
            "Assign": {"results": "{% $states.result %}"}, "Next": "After"},
        "After": {"Type": "Pass", "Output": "{% {'r': $results, 'innerVisible': $exists($inner)} %}", "End": true}}});
    let mut env = env();
    let mut exec = start(def, json!({"k": 2}), &env);
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(json!({"r": [6, 10], "innerVisible": false}))
    );
    assert_eq!(
        exec.states_entered(),
        vec!["Init", "Par", "B1", "B1b", "B2", "After"]
    );
    assert_eq!(exec.cost().state_transitions, 6);
}

#[test]
fn a_failing_branch_fails_the_parallel_state_which_can_catch_it() {
    let def = json!({"StartAt": "Par", "States": {
        "Par": {"Type": "Parallel", "Branches": [
            {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Branch.Boom", "Cause": "c"}}}],
            "Catch": [{"ErrorEquals": ["Branch.Boom"], "ResultPath": "$.e", "Next": "Ok"}], "End": true},
        "Ok": {"Type": "Succeed"}}});
    let mut env = env();
    let mut exec = start(def, json!({}), &env);
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(json!({"e": {"Error": "Branch.Boom", "Cause": "c"}}))
    );
}

#[test]
fn a_waiting_task_inside_a_branch_pauses_the_whole_execution() {
    let def = json!({"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "Branches": [
        {"StartAt": "Say", "States": {"Say": {"Type": "Task", "Resource": RESOURCE_SEND_AND_WAIT,
            "Parameters": {"QueueUrl.$": "$.QueueUrl", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true}}}],
        "End": true}}});
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    let Status::Waiting { token, state, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    assert_eq!(state, "Say");
    exec.send_task_success(&env.clock, &token, json!("heard"))
        .unwrap();
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(json!(["heard"]))
    );
}

#[test]
fn map_runs_each_item_with_item_selector_and_context_index() {
    let def = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.xs",
        "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "tag.$": "$.tag"},
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass",
            "Parameters": {"s.$": "States.Format('{}:{}:{}', $.tag, $.i, $.v)"}, "OutputPath": "$.s", "End": true}}},
        "ResultPath": "$.out", "End": true}}});
    let mut env = env();
    let mut exec = start(def, json!({"xs": ["a", "b"], "tag": "t"}), &env);
    let s = exec.run_until_blocked(&mut env);
    assert_eq!(
        s,
        Status::Succeeded(json!({"xs": ["a", "b"], "tag": "t", "out": ["t:0:a", "t:1:b"]}))
    );
}

#[test]
fn jsonata_map_items_and_non_array_items_error() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
        "Items": "{% $states.input.n %}",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% $states.input * 10 %}", "End": true}}},
        "End": true}}});
    let mut env = env();
    let mut exec = start(def.clone(), json!({"n": [1, 2, 3]}), &env);
    assert_eq!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(json!([10, 20, 30]))
    );
    let mut exec = start(def, json!({"n": 4}), &env);
    let s = exec.run_until_blocked(&mut env);
    assert!(
        matches!(s, Status::Failed { ref cause, .. } if cause.contains("'Items'")),
        "{s:?}"
    );
}

#[test]
fn send_to_a_missing_queue_fails_the_task_naming_the_queue() {
    let def = json!({"StartAt": "Say", "States": {"Say": speak("Done", 60), "Done": {"Type": "Succeed"}}});
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": "https://sqs/none"}), &env);
    let s = exec.run_until_blocked(&mut env);
    assert!(
        matches!(s, Status::Failed { ref error, ref cause } if error == "SQS.AmazonSQSException" && cause.contains("https://sqs/none")),
        "{s:?}"
    );
}
