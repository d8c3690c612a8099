//! Scheduler, S3, Lambda and SQS integrations.

use std::sync::Arc;

use serde_json::json;
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{Env, Execution, Integrations, Status, TaskRequest};
use switchboard_sim::services::scheduler::{parse_expression, Scheduler};
use switchboard_sim::services::{parse_resource, Services};

const T0: i64 = 1_714_564_800_000; // 2024-05-01T12:00:00Z

#[test]
fn at_expressions_are_read_in_their_time_zone() {
    let (utc, _) = parse_expression("at(2024-05-01T12:30:00)", "UTC", T0).unwrap();
    assert_eq!(utc, T0 + 30 * 60_000);
    // New York is UTC-4 in May: 08:30 local is 12:30Z.
    let (ny, _) = parse_expression("at(2024-05-01T08:30:00)", "America/New_York", T0).unwrap();
    assert_eq!(ny, utc);
    let (_, period) = parse_expression("rate(5 minutes)", "UTC", T0).unwrap();
    assert_eq!(period, Some(300_000));
    assert!(parse_expression("cron(0 12 * * ? *)", "UTC", T0).is_err());
    assert!(parse_expression("at(2024-05-01T08:30:00)", "Mars/Olympus", T0).is_err());
}

#[test]
fn at_expressions_across_a_clock_change_and_bad_zones() {
    let ny = "America/New_York";
    // 2024-03-10 02:30 never shows in New York (02:00 EST became 03:00 EDT): refused.
    let gap = parse_expression("at(2024-03-10T02:30:00)", ny, T0).unwrap_err();
    assert_eq!(gap.error, "Scheduler.ValidationException");
    assert!(
        gap.cause.contains("does not exist in America/New_York"),
        "{}",
        gap.cause
    );
    // 2024-11-03 01:30 shows twice; the first (EDT, 05:30Z) is meant.
    let (fold, _) = parse_expression("at(2024-11-03T01:30:00)", ny, T0).unwrap();
    assert_eq!(fold, 1_730_611_800_000);
    // The zone named, and what to write.
    let bad = parse_expression("at(2024-05-01T08:30:00)", "EST5", T0).unwrap_err();
    assert_eq!(bad.error, "Scheduler.ValidationException");
    assert!(
        bad.cause.contains("unknown time zone \"EST5\""),
        "{}",
        bad.cause
    );
    // at() takes seconds: yyyy-mm-ddThh:mm:ss.
    assert!(parse_expression("at(2024-05-01T08:30)", ny, T0).is_err());
}

#[test]
fn one_time_schedule_fires_once_on_the_clock_and_delete_after_completion_removes_it() {
    let mut s = Scheduler::new();
    let args = |name: &str, action: &str| {
        json!({"Name": name, "ScheduleExpression": "at(2024-05-01T12:10:00)",
        "FlexibleTimeWindow": {"Mode": "OFF"}, "ActionAfterCompletion": action,
        "Target": {"Arn": "arn:aws:lambda:us-east-1:1:function:place_call", "RoleArn": "r", "Input": "{\"n\":1}"}})
    };
    let out = s.create(&args("cb-1", "DELETE"), T0).unwrap();
    assert_eq!(
        out["ScheduleArn"],
        json!("arn:aws:scheduler:us-east-1:123456789012:schedule/default/cb-1")
    );
    s.create(&args("cb-2", "NONE"), T0).unwrap();
    let dup = s.create(&args("cb-1", "DELETE"), T0).unwrap_err();
    assert_eq!(dup.error, "Scheduler.ConflictException");
    assert_eq!(s.next_due(), Some(T0 + 600_000));
    assert!(s.fire_due(T0 + 599_999).is_empty());
    let fired = s.fire_due(T0 + 600_000);
    assert_eq!(
        fired.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        vec!["cb-1", "cb-2"]
    );
    assert_eq!(fired[0].target["Input"], json!("{\"n\":1}"));
    assert!(
        s.get("default", "cb-1").is_none(),
        "DELETE removes it after firing"
    );
    assert!(s
        .get("default", "cb-2")
        .is_some_and(|x| x.next_fire_ms.is_none()));
    assert!(s.fire_due(T0 + 10_000_000).is_empty());
}

#[test]
fn the_reference_create_schedule_task_in_jsonata() {
    // The reference's "Create One Time Schedule Callback" state, trimmed to its Arguments.
    let def = json!({"StartAt": "Vars", "States": {
        "Vars": {"Type": "Pass", "Assign": {"CallbackNumber": "+15550199", "CallbackMinutes": "15"}, "Next": "Create"},
        "Create": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:scheduler:createSchedule", "QueryLanguage": "JSONata",
            "Arguments": {"FlexibleTimeWindow": {"Mode": "OFF"},
                "Name": "{% $CallbackNumber & '_' & $string($millis()) %}",
                "ScheduleExpression": "{% 'at(' & $fromMillis($millis() + ($number($CallbackMinutes) * 60 * 1000), '[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01]') & ')' %}",
                "Target": {"Arn": "arn:aws:lambda:us-east-1:1:function:place", "RoleArn": "r", "Input": "{% $string({'n': $CallbackNumber}) %}"}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Output": {"Error": {"Error": "Failed creating callback schedule"}}, "Next": "Failed"}],
            "End": true},
        "Failed": {"Type": "Succeed"}}});
    let machine = Arc::new(StateMachine::from_json(&def.to_string()).unwrap());
    let mut env = Env::new(Clock::new(T0, 1), Services::new());
    let mut exec = Execution::start(machine.clone(), "e", json!({}), &env);
    let s = exec.run_until_blocked(&mut env);
    assert!(
        matches!(s, Status::Succeeded(ref v) if v["ScheduleArn"].as_str().unwrap().ends_with(&format!("+15550199_{T0}"))),
        "{s:?}"
    );
    let sched = env
        .services
        .scheduler
        .get("default", &format!("+15550199_{T0}"))
        .unwrap();
    assert_eq!(sched.next_fire_ms, Some(T0 + 15 * 60_000));
    // Same millisecond, same name: the second execution's Catch handles the conflict.
    let mut again = Execution::start(machine, "e2", json!({}), &env);
    assert_eq!(
        again.run_until_blocked(&mut env),
        Status::Succeeded(json!({"Error": {"Error": "Failed creating callback schedule"}}))
    );
}

#[test]
fn s3_objects_and_their_errors() {
    let mut services = Services::new();
    services.s3.create_bucket("media");
    services
        .s3
        .put("media", "vm/1.wav", b"RIFF".to_vec())
        .unwrap();
    assert_eq!(services.s3.get("media", "vm/1.wav").unwrap(), b"RIFF");
    assert_eq!(services.s3.list("media", "vm/"), vec!["vm/1.wav"]);
    assert_eq!(
        services.s3.get("media", "none").unwrap_err().error,
        "S3.NoSuchKey"
    );
    assert_eq!(
        services.s3.put("nobucket", "k", vec![]).unwrap_err().error,
        "S3.NoSuchBucket"
    );
    let mut clock = Clock::new(0, 0);
    fn req<'a>(resource: &'a str, arguments: &'a serde_json::Value) -> TaskRequest<'a> {
        TaskRequest {
            resource,
            state: "S",
            execution: "e",
            arguments,
            task_token: None,
        }
    }
    let out = services.invoke(
        req(
            "arn:aws:states:::aws-sdk:s3:getObject",
            &json!({"Bucket": "media", "Key": "vm/1.wav"}),
        ),
        &mut clock,
    );
    assert_eq!(out.unwrap()["Body"], json!("RIFF"));
}

#[test]
fn lambda_closures_by_name_or_arn_and_unknown_functions() {
    let mut services = Services::new();
    services
        .lambdas
        .register("double", |v| Ok(json!(v["n"].as_i64().unwrap_or(0) * 2)));
    let mut clock = Clock::new(0, 0);
    fn req<'a>(resource: &'a str, arguments: &'a serde_json::Value) -> TaskRequest<'a> {
        TaskRequest {
            resource,
            state: "L",
            execution: "e",
            arguments,
            task_token: None,
        }
    }
    let out = services.invoke(req("arn:aws:states:::lambda:invoke",
        &json!({"FunctionName": "arn:aws:lambda:us-east-1:1:function:double:$LATEST", "Payload": {"n": 4}})), &mut clock).unwrap();
    assert_eq!(
        out,
        json!({"ExecutedVersion": "$LATEST", "Payload": 8, "StatusCode": 200})
    );
    let direct = services
        .invoke(
            req(
                "arn:aws:lambda:us-east-1:1:function:double",
                &json!({"n": 5}),
            ),
            &mut clock,
        )
        .unwrap();
    assert_eq!(direct, json!(10));
    let e = services
        .invoke(
            req(
                "arn:aws:states:::lambda:invoke",
                &json!({"FunctionName": "ghost"}),
            ),
            &mut clock,
        )
        .unwrap_err();
    assert_eq!(e.error, "Lambda.ResourceNotFoundException");
    assert!(e.cause.contains("ghost"));
    assert_eq!(services.lambdas.invocations(), 2);
}

#[test]
fn sqs_queues_send_receive_delete_and_resource_parsing() {
    let mut services = Services::new();
    let url = services.queues.create("call-7");
    assert_eq!(
        services.queues.create("call-7"),
        url,
        "CreateQueue is idempotent"
    );
    services.queues.send(&url, json!({"a": 1})).unwrap();
    services.queues.send(&url, json!("text")).unwrap();
    let got = services.queues.receive(&url, 1).unwrap();
    assert_eq!(got[0].body_text(), "{\"a\":1}");
    assert_eq!(services.queues.visible(&url), 1);
    assert!(services.queues.delete_message(&url, &got[0].receipt_handle));
    assert!(!services.queues.delete_message(&url, &got[0].receipt_handle));
    assert!(services.queues.delete_queue(&url));
    assert!(services.queues.send(&url, json!(1)).is_err());
    assert_eq!(
        parse_resource("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
        Some(("sqs", "sendMessage", false))
    );
    assert_eq!(
        parse_resource("arn:aws:states:::aws-sdk:dynamodb:query"),
        Some(("dynamodb", "query", true))
    );
    assert_eq!(
        parse_resource("arn:aws:lambda:us-east-1:1:function:f"),
        None
    );
}
