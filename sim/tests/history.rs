//! Executions written as Step Functions' `GetExecutionHistory` reports them
//! (<https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html>,
//! `HistoryEvent` and its `*EventDetails`): the events of each kind of state, in order, with
//! the details a reader of a real history finds there.

use serde_json::{json, Value};
use switchboard::wire::{ERROR_HANGUP, RESOURCE_SEND_AND_WAIT};
use switchboard_sim::interp::{Env, Execution, Status};

mod support;
use support::{call_queue as queue, start};

const T0: i64 = 1_749_564_000_000;

fn env() -> Env {
    support::env_with_call_queue(T0)
}

/// The history as the JSON `aws stepfunctions get-execution-history --output json` prints.
fn history(exec: &Execution) -> Vec<Value> {
    let h = serde_json::to_value(exec.aws_history()).unwrap();
    let events = h["events"].as_array().unwrap().clone();
    for (i, e) in events.iter().enumerate() {
        assert_eq!(e["id"], json!(i + 1), "ids count from 1: {e}");
        assert_eq!(
            e["previousEventId"],
            json!(i),
            "each follows the one before: {e}"
        );
        assert!(e["timestamp"].as_str().unwrap().ends_with("+00:00"), "{e}");
    }
    events
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

fn find<'a>(events: &'a [Value], kind: &str) -> &'a Value {
    events
        .iter()
        .find(|e| e["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {:?}", types(events)))
}

/// A JSON string field, parsed.
fn parsed(v: &Value) -> Value {
    serde_json::from_str(v.as_str().expect("a JSON string")).expect("valid JSON")
}

/// A JSONata waiting Task, as the compiler emits them: the message body carries the token.
fn ask(next: &str) -> Value {
    json!({"Type": "Task", "Resource": RESOURCE_SEND_AND_WAIT,
        "Arguments": {"QueueUrl": "{% $states.input.QueueUrl %}", "MessageBody": {
            "Actions": [{"Type": "Speak", "Parameters": {"Text": "Press 1."}}],
            "TransactionAttributes": {"WaitToken": "{% $states.context.Task.Token %}"}}},
        "Assign": {"digits": "{% $states.result.ActionData.ReceivedDigits %}"},
        "TimeoutSeconds": 30,
        "Catch": [{"ErrorEquals": [ERROR_HANGUP], "Next": "Hung up"}],
        "Next": next})
}

#[test]
fn a_waiting_task_answered_then_a_choice_and_the_end() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Ask", "States": {
        "Ask": ask("Pressed 1?"),
        "Pressed 1?": {"Type": "Choice", "Choices": [{"Condition": "{% $digits = '1' %}", "Next": "Done"}],
                       "Default": "Hung up"},
        "Hung up": {"Type": "Succeed"},
        "Done": {"Type": "Succeed"}}});
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    let Status::Waiting { token, .. } = exec.run_until_blocked(&mut env) else {
        panic!()
    };
    env.clock.advance_millis(4_500);
    let event =
        json!({"InvocationEventType": "ACTION_SUCCESSFUL", "ActionData": {"ReceivedDigits": "1"}});
    exec.send_task_success(&env.clock, &token, event.clone())
        .unwrap();
    assert!(matches!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(_)
    ));
    let h = history(&exec);
    assert_eq!(
        types(&h),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "ChoiceStateEntered",
            "ChoiceStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded",
        ]
    );
    let started = &h[0]["executionStartedEventDetails"];
    assert_eq!(parsed(&started["input"]), json!({"QueueUrl": queue()}));
    assert_eq!(started["inputDetails"], json!({"truncated": false}));
    assert!(started["roleArn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:iam::"));
    assert_eq!(h[1]["stateEnteredEventDetails"]["name"], "Ask");
    let scheduled = &find(&h, "TaskScheduled")["taskScheduledEventDetails"];
    assert_eq!(scheduled["resourceType"], "sqs");
    assert_eq!(scheduled["resource"], "sendMessage.waitForTaskToken");
    assert_eq!(scheduled["region"], "us-east-1");
    assert_eq!(scheduled["timeoutInSeconds"], 30);
    let params = parsed(&scheduled["parameters"]);
    assert_eq!(params["QueueUrl"], json!(queue()));
    assert_eq!(
        params["MessageBody"]["TransactionAttributes"]["WaitToken"],
        json!(token)
    );
    let succeeded = &find(&h, "TaskSucceeded");
    assert_eq!(
        parsed(&succeeded["taskSucceededEventDetails"]["output"]),
        event
    );
    assert_eq!(
        succeeded["timestamp"], "2025-06-10T14:00:04.500000+00:00",
        "the token came back 4.5 s into the call"
    );
    let exited = &find(&h, "TaskStateExited")["stateExitedEventDetails"];
    assert_eq!(exited["name"], "Ask");
    // A state's input is what the state before it output.
    assert_eq!(parsed(&exited["output"]), event);
    assert_eq!(
        find(&h, "ChoiceStateEntered")["stateEnteredEventDetails"]["input"],
        exited["output"]
    );
    assert_eq!(
        parsed(&h[1]["stateEnteredEventDetails"]["input"]),
        json!({"QueueUrl": queue()})
    );
    assert_eq!(exited["assignedVariables"], json!({"digits": "\"1\""}));
    assert_eq!(
        find(&h, "SucceedStateEntered")["stateEnteredEventDetails"]["name"],
        "Done"
    );
    assert!(find(&h, "ExecutionSucceeded")["executionSucceededEventDetails"]["output"].is_string());
}

#[test]
fn a_caught_hang_up_fails_the_task_and_exits_the_state_an_uncaught_one_ends_the_execution() {
    let def = |catch: bool| {
        let mut a = ask("Done");
        if !catch {
            a.as_object_mut().unwrap().remove("Catch");
        }
        json!({"QueryLanguage": "JSONata", "StartAt": "Ask", "States": {
            "Ask": a, "Hung up": {"Type": "Succeed"}, "Done": {"Type": "Succeed"}}})
    };
    for catch in [true, false] {
        let mut env = env();
        let mut exec = start(def(catch), json!({"QueueUrl": queue()}), &env);
        let Status::Waiting { token, .. } = exec.run_until_blocked(&mut env) else {
            panic!()
        };
        exec.send_task_failure(&env.clock, &token, ERROR_HANGUP, "the caller hung up")
            .unwrap();
        exec.run_until_blocked(&mut env);
        let h = history(&exec);
        let tail: Vec<&str> = types(&h)[5..].to_vec();
        if catch {
            assert_eq!(
                tail,
                [
                    "TaskFailed",
                    "TaskStateExited",
                    "SucceedStateEntered",
                    "SucceedStateExited",
                    "ExecutionSucceeded"
                ]
            );
        } else {
            assert_eq!(tail, ["TaskFailed", "ExecutionFailed"]);
            assert_eq!(
                find(&h, "ExecutionFailed")["executionFailedEventDetails"],
                json!({"error": "HANGUP", "cause": "the caller hung up"})
            );
        }
        assert_eq!(
            find(&h, "TaskFailed")["taskFailedEventDetails"],
            json!({"resourceType": "sqs", "resource": "sendMessage.waitForTaskToken",
                   "error": "HANGUP", "cause": "the caller hung up"})
        );
    }
}

#[test]
fn a_task_past_its_timeout_times_out() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Ask", "States": {
        "Ask": ask("Done"), "Hung up": {"Type": "Succeed"}, "Done": {"Type": "Succeed"}}});
    let mut env = env();
    let mut exec = start(def, json!({"QueueUrl": queue()}), &env);
    exec.run_until_blocked(&mut env);
    exec.advance_by(&mut env, 31_000);
    let h = history(&exec);
    assert_eq!(
        types(&h)[5..],
        ["TaskTimedOut", "ExecutionFailed"],
        "{:?}",
        types(&h)
    );
    let d = &find(&h, "TaskTimedOut")["taskTimedOutEventDetails"];
    assert_eq!(d["error"], "States.Timeout");
    assert_eq!(
        find(&h, "TaskTimedOut")["timestamp"],
        "2025-06-10T14:00:30.000000+00:00"
    );
}

#[test]
fn a_service_call_succeeds_at_once_and_a_retry_schedules_it_again() {
    let mut env = env();
    let calls = std::rc::Rc::new(std::cell::Cell::new(0));
    let c = calls.clone();
    env.services.lambdas.register("flaky", move |v| {
        c.set(c.get() + 1);
        match c.get() {
            1 => Err(("Transient".into(), "try again".into())),
            _ => Ok(v),
        }
    });
    let def = json!({"StartAt": "Call", "States": {"Call": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "flaky", "Payload": {"n": 1}},
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 2}],
        "End": true}}});
    let mut exec = start(def, json!({}), &env);
    exec.run_until_blocked(&mut env);
    exec.advance_by(&mut env, 2_000);
    let h = history(&exec);
    assert_eq!(
        types(&h),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskFailed",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let scheduled = &h[2]["taskScheduledEventDetails"];
    assert_eq!(
        (&scheduled["resourceType"], &scheduled["resource"]),
        (&json!("lambda"), &json!("invoke"))
    );
    assert!(
        scheduled.get("timeoutInSeconds").is_none(),
        "no TimeoutSeconds, none written"
    );
    assert_eq!(h[5]["timestamp"], "2025-06-10T14:00:02.000000+00:00");
}

#[test]
fn parallel_branches_and_map_iterations_are_announced() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Both", "States": {
        "Both": {"Type": "Parallel", "Next": "Each", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]},
        "Each": {"Type": "Map", "Items": "{% [1, 2] %}", "End": true,
                 "ItemProcessor": {"StartAt": "One", "States": {"One": {"Type": "Pass", "End": true}}}}}});
    let mut env = env();
    let mut exec = start(def, json!({}), &env);
    assert!(matches!(
        exec.run_until_blocked(&mut env),
        Status::Succeeded(_)
    ));
    let h = history(&exec);
    assert_eq!(
        types(&h),
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "MapStateEntered",
            "MapStateStarted",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        find(&h, "MapStateStarted")["mapStateStartedEventDetails"],
        json!({"length": 2})
    );
    assert_eq!(
        h[15]["mapIterationStartedEventDetails"],
        json!({"name": "Each", "index": 1})
    );
    // Each iteration's first state gets its item.
    assert_eq!(h[12]["stateEnteredEventDetails"]["input"], "1");
    assert_eq!(h[16]["stateEnteredEventDetails"]["input"], "2");
}

#[test]
fn a_failed_branch_fails_its_parallel_which_a_catcher_leaves() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Both", "States": {
        "Both": {"Type": "Parallel", "Next": "Done",
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
            "Branches": [{"StartAt": "Stop", "States": {"Stop": {"Type": "Fail", "Error": "Nope"}}}]},
        "Done": {"Type": "Succeed"}}});
    let mut env = env();
    let mut exec = start(def, json!({}), &env);
    exec.run_until_blocked(&mut env);
    let h = history(&exec);
    assert_eq!(
        types(&h),
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "FailStateEntered",
            "ParallelStateFailed",
            "ParallelStateExited",
            "SucceedStateEntered",
            "SucceedStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn an_expression_that_fails_is_an_evaluation_failure() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": "{% $number('x') + $undefinedFunction() %}", "End": true}}});
    let mut env = env();
    let mut exec = start(def, json!({}), &env);
    let s = exec.run_until_blocked(&mut env);
    assert!(
        matches!(&s, Status::Failed { error, .. } if error == "States.QueryEvaluationError"),
        "{s:?}"
    );
    let h = history(&exec);
    assert_eq!(
        types(&h),
        [
            "ExecutionStarted",
            "PassStateEntered",
            "EvaluationFailed",
            "ExecutionFailed"
        ]
    );
    let d = &h[2]["evaluationFailedEventDetails"];
    assert_eq!(d["state"], "P");
    assert_eq!(d["error"], "States.QueryEvaluationError");
}

#[test]
fn a_fail_state_has_no_exit_and_a_machine_timeout_is_its_own_event() {
    let def =
        json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "c"}}});
    let mut env = env();
    let mut exec = start(def, json!({}), &env);
    exec.run_until_blocked(&mut env);
    assert_eq!(
        types(&history(&exec)),
        ["ExecutionStarted", "FailStateEntered", "ExecutionFailed"]
    );

    let def = json!({"TimeoutSeconds": 5, "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let mut exec = start(def, json!({}), &env);
    exec.run_until_blocked(&mut env);
    exec.advance_by(&mut env, 10_000);
    let h = history(&exec);
    assert_eq!(
        types(&h),
        ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    );
    assert_eq!(
        h[2]["executionTimedOutEventDetails"]["error"],
        "States.Timeout"
    );
}
