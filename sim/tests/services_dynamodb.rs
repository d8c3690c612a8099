//! DynamoDB semantics and errors, directly and through Task states.
//! Error prefixes: https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
//! ("DynamoDb" for aws-sdk integrations, "DynamoDB" for optimized ones).

use std::sync::Arc;

use serde_json::{json, Value};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{Env, Execution, Status};
use switchboard_sim::services::dynamodb::{DynamoDb, Flavor};
use switchboard_sim::services::Services;

fn db() -> DynamoDb {
    let mut db = DynamoDb::new();
    db.create_table("Voicemails", "Tag", None);
    db.create_table("Calls", "Number", Some("At"));
    db
}

fn put(db: &mut DynamoDb, table: &str, item: Value) {
    db.call(
        "putItem",
        &json!({"TableName": table, "Item": item}),
        Flavor::Optimized,
    )
    .unwrap();
}

#[test]
fn put_then_get_round_trips_attribute_values_and_missing_items_give_an_empty_object() {
    let mut db = db();
    let item = json!({"Tag": {"S": "+1555"}, "Key": {"S": "k.wav"}, "Len": {"N": "12"}});
    put(&mut db, "Voicemails", item.clone());
    let got = db.call(
        "getItem",
        &json!({"TableName": "Voicemails", "Key": {"Tag": {"S": "+1555"}}}),
        Flavor::Optimized,
    );
    assert_eq!(got.unwrap(), json!({"Item": item}));
    let none = db.call(
        "getItem",
        &json!({"TableName": "Voicemails", "Key": {"Tag": {"S": "+1666"}}}),
        Flavor::Optimized,
    );
    assert_eq!(none.unwrap(), json!({}));
}

#[test]
fn condition_expressions_and_their_error_names_per_integration_flavor() {
    let mut db = db();
    let req = json!({"TableName": "Voicemails", "Item": {"Tag": {"S": "a"}, "V": {"N": "1"}},
        "ConditionExpression": "attribute_not_exists(Tag)"});
    db.call("putItem", &req, Flavor::Optimized).unwrap();
    let e = db.call("putItem", &req, Flavor::Optimized).unwrap_err();
    assert_eq!(e.error, "DynamoDB.ConditionalCheckFailedException");
    let e = db.call("putItem", &req, Flavor::Sdk).unwrap_err();
    assert_eq!(e.error, "DynamoDb.ConditionalCheckFailedException");
    let update = |cond: &str| {
        json!({"TableName": "Voicemails", "Key": {"Tag": {"S": "a"}},
            "UpdateExpression": "SET V = :two", "ConditionExpression": cond,
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":two": {"N": "2"}}})
    };
    let mut db2 = db.clone();
    assert!(db2
        .call("updateItem", &update("V = :one"), Flavor::Optimized)
        .is_ok());
    assert!(db
        .call("updateItem", &update("V <> :one"), Flavor::Optimized)
        .is_err());
    assert!(db
        .call(
            "updateItem",
            &update("attribute_exists(V) AND NOT (V = :two)"),
            Flavor::Optimized
        )
        .is_ok());
}

#[test]
fn unknown_tables_bad_keys_and_bad_expressions_are_named_errors() {
    let mut db = db();
    let e = db
        .call(
            "getItem",
            &json!({"TableName": "Nope", "Key": {"Tag": {"S": "a"}}}),
            Flavor::Optimized,
        )
        .unwrap_err();
    assert_eq!(e.error, "DynamoDB.ResourceNotFoundException");
    assert!(e.cause.contains("Nope"));
    let e = db
        .call(
            "getItem",
            &json!({"TableName": "Voicemails", "Key": {"Other": {"S": "a"}}}),
            Flavor::Optimized,
        )
        .unwrap_err();
    assert_eq!(e.error, "DynamoDB.ValidationException");
    let e = db
        .call(
            "putItem",
            &json!({"TableName": "Calls", "Item": {"Number": {"S": "1"}}}),
            Flavor::Sdk,
        )
        .unwrap_err();
    assert_eq!(e.error, "DynamoDb.ValidationException");
    let e = db
        .call(
            "putItem",
            &json!({"TableName": "Voicemails", "Item": {"Tag": {"S": "a"}},
        "ConditionExpression": "Tag = :missing"}),
            Flavor::Optimized,
        )
        .unwrap_err();
    assert_eq!(e.error, "DynamoDB.ValidationException");
    assert!(e.cause.contains(":missing"), "{}", e.cause);
}

#[test]
fn update_set_remove_add_with_names_and_return_values() {
    let mut db = db();
    put(
        &mut db,
        "Voicemails",
        json!({"Tag": {"S": "a"}, "Old": {"S": "x"}, "Count": {"N": "1"}}),
    );
    let out = db
        .call(
            "updateItem",
            &json!({"TableName": "Voicemails", "Key": {"Tag": {"S": "a"}},
        "UpdateExpression": "SET #k = :k, Count = Count + :one REMOVE Old ADD Seen :one",
        "ExpressionAttributeNames": {"#k": "Key"},
        "ExpressionAttributeValues": {":k": {"S": "v.wav"}, ":one": {"N": "1"}},
        "ReturnValues": "ALL_NEW"}),
            Flavor::Optimized,
        )
        .unwrap();
    assert_eq!(
        out,
        json!({"Attributes": {"Tag": {"S": "a"}, "Count": {"N": "2"}, "Key": {"S": "v.wav"}, "Seen": {"N": "1"}}})
    );
    let e = db
        .call(
            "updateItem",
            &json!({"TableName": "Voicemails", "Key": {"Tag": {"S": "a"}},
        "UpdateExpression": "SET Tag = :k", "ExpressionAttributeValues": {":k": {"S": "b"}}}),
            Flavor::Optimized,
        )
        .unwrap_err();
    assert!(e.cause.contains("part of the key"), "{}", e.cause);
}

#[test]
fn delete_item_with_condition_and_all_old() {
    let mut db = db();
    put(
        &mut db,
        "Voicemails",
        json!({"Tag": {"S": "a"}, "V": {"N": "3"}}),
    );
    let req = |cond: &str| {
        json!({"TableName": "Voicemails", "Key": {"Tag": {"S": "a"}}, "ConditionExpression": cond,
        "ExpressionAttributeValues": {":v": {"N": "3.0"}}, "ReturnValues": "ALL_OLD"})
    };
    assert!(db
        .call("deleteItem", &req("V > :v"), Flavor::Optimized)
        .is_err());
    let out = db
        .call("deleteItem", &req("V = :v"), Flavor::Optimized)
        .unwrap();
    assert_eq!(out["Attributes"]["V"], json!({"N": "3"}));
    assert_eq!(db.table("Voicemails").unwrap().len(), 0);
}

#[test]
fn query_by_partition_and_sort_key_with_order_limit_and_paging() {
    let mut db = db();
    for (n, at) in [
        ("+1", "2024-01-03"),
        ("+1", "2024-01-01"),
        ("+1", "2024-02-01"),
        ("+2", "2024-01-02"),
    ] {
        put(
            &mut db,
            "Calls",
            json!({"Number": {"S": n}, "At": {"S": at}}),
        );
    }
    let q = |extra: Value| {
        let mut req = json!({"TableName": "Calls", "KeyConditionExpression": "#n = :n AND begins_with(At, :m)",
            "ExpressionAttributeNames": {"#n": "Number"},
            "ExpressionAttributeValues": {":n": {"S": "+1"}, ":m": {"S": "2024-01"}}});
        for (k, v) in extra.as_object().unwrap() {
            req[k] = v.clone();
        }
        req
    };
    let ats = |out: &Value| {
        out["Items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["At"]["S"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let out = db.call("query", &q(json!({})), Flavor::Sdk).unwrap();
    assert_eq!(ats(&out), vec!["2024-01-01", "2024-01-03"]);
    let out = db
        .call(
            "query",
            &q(json!({"ScanIndexForward": false, "Limit": 1})),
            Flavor::Sdk,
        )
        .unwrap();
    assert_eq!(ats(&out), vec!["2024-01-03"]);
    let last = out["LastEvaluatedKey"].clone();
    assert_eq!(
        last,
        json!({"Number": {"S": "+1"}, "At": {"S": "2024-01-03"}})
    );
    let out = db
        .call(
            "query",
            &q(json!({"ScanIndexForward": false, "Limit": 1, "ExclusiveStartKey": last})),
            Flavor::Sdk,
        )
        .unwrap();
    assert_eq!(ats(&out), vec!["2024-01-01"]);
    let e = db
        .call(
            "query",
            &json!({"TableName": "Calls", "KeyConditionExpression": "At = :a",
        "ExpressionAttributeValues": {":a": {"S": "x"}}}),
            Flavor::Sdk,
        )
        .unwrap_err();
    assert_eq!(e.error, "DynamoDb.ValidationException");
    let e = db
        .call("query", &q(json!({})), Flavor::Optimized)
        .unwrap_err();
    assert_eq!(
        e.error, "States.Runtime",
        "query has no optimized integration"
    );
}

#[test]
fn the_reference_put_item_task_and_a_caught_conditional_failure() {
    let def = json!({"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName.$": "$table", "Item": {"Tag": {"S.$": "$.tag"}},
                "ConditionExpression": "attribute_not_exists(Tag)"},
            "ResultPath": "$.put",
            "Catch": [{"ErrorEquals": ["DynamoDB.ConditionalCheckFailedException"], "ResultPath": "$.dup", "Next": "Dup"}],
            "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
            "Parameters": {"TableName": "Voicemails", "Key": {"Tag": {"S.$": "$.tag"}}},
            "ResultSelector": {"tag.$": "$.Item.Tag.S"}, "End": true},
        "Dup": {"Type": "Pass", "OutputPath": "$.dup.Error", "End": true}}});
    let machine = Arc::new(StateMachine::from_json(&def.to_string()).unwrap());
    let mut services = Services::new();
    services.dynamodb = db();
    let mut env = Env::new(Clock::new(0, 1), services);
    let run = |env: &mut Env| {
        let mut exec = Execution::start(machine.clone(), "e", json!({"tag": "+1555"}), env);
        // `$table` is a variable the flow never assigned: a States.Runtime error naming it.
        exec.run_until_blocked(env)
    };
    let s = run(&mut env);
    assert!(
        matches!(s, Status::Failed { ref cause, .. } if cause.contains("$table")),
        "{s:?}"
    );
    let def2 = def
        .to_string()
        .replace("\"TableName.$\":\"$table\"", "\"TableName\":\"Voicemails\"");
    let machine = Arc::new(StateMachine::from_json(&def2).unwrap());
    let mut first = Execution::start(machine.clone(), "e1", json!({"tag": "+1555"}), &env);
    assert_eq!(
        first.run_until_blocked(&mut env),
        Status::Succeeded(json!({"tag": "+1555"}))
    );
    let mut second = Execution::start(machine, "e2", json!({"tag": "+1555"}), &env);
    assert_eq!(
        second.run_until_blocked(&mut env),
        Status::Succeeded(json!("DynamoDB.ConditionalCheckFailedException"))
    );
}
