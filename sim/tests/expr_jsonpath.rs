//! Paths, templates and input/output processing of JSONPath states:
//! https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html

use serde_json::{json, Value};
use switchboard_asl::errors;
use switchboard_sim::expr::jsonpath::{
    apply_template, eval_path, is_definite, lookup, merge_result, select_path,
};
use switchboard_sim::expr::{Clock, PathField, Scope, Vars};

fn vars() -> Vars {
    let mut v = Vars::new();
    v.insert("Call".into(), json!({"CallId": "c-1", "From": "+15550100"}));
    v.insert("QueueUrl".into(), json!("https://q"));
    v
}

fn context() -> Value {
    json!({"Execution": {"Id": "arn:exec:1"}, "Task": {"Token": "tok-9"}})
}

#[test]
fn definite_paths_yield_the_node_not_a_list() {
    let input = json!({"a": {"b": [10, {"c": "deep"}]}, "odd-key": 1, "s p": 2});
    let (ctx, v) = (context(), vars());
    let s = Scope::new(&input, &ctx, &v);
    assert_eq!(eval_path("$.a.b[0]", &s).unwrap(), json!(10));
    assert_eq!(eval_path("$.a.b[1].c", &s).unwrap(), json!("deep"));
    assert_eq!(eval_path("$['a']['b'][1]['c']", &s).unwrap(), json!("deep"));
    assert_eq!(eval_path("$.odd-key", &s).unwrap(), json!(1));
    assert_eq!(eval_path("$['s p']", &s).unwrap(), json!(2));
    assert_eq!(eval_path("$", &s).unwrap(), input);
    assert!(is_definite("$.a.b[0]").unwrap());
}

#[test]
fn indefinite_paths_yield_the_list_of_matches() {
    let input =
        json!({"items": [{"id": 1, "price": 5}, {"id": 2, "price": 20}, {"id": 3, "price": 30}]});
    let (ctx, v) = (context(), vars());
    let s = Scope::new(&input, &ctx, &v);
    assert_eq!(eval_path("$.items[*].id", &s).unwrap(), json!([1, 2, 3]));
    assert_eq!(eval_path("$..id", &s).unwrap(), json!([1, 2, 3]));
    assert_eq!(
        eval_path("$.items[?(@.price > 10)].id", &s).unwrap(),
        json!([2, 3])
    );
    assert_eq!(eval_path("$.items[0:2].id", &s).unwrap(), json!([1, 2]));
    assert_eq!(
        eval_path("$.items[?(@.price > 100)].id", &s).unwrap(),
        json!([])
    );
    assert!(!is_definite("$..id").unwrap());
}

#[test]
fn context_object_and_variables() {
    let input = json!({});
    let (ctx, v) = (context(), vars());
    let s = Scope::new(&input, &ctx, &v);
    assert_eq!(
        eval_path("$$.Execution.Id", &s).unwrap(),
        json!("arn:exec:1")
    );
    assert_eq!(eval_path("$$.Task.Token", &s).unwrap(), json!("tok-9"));
    assert_eq!(eval_path("$Call.CallId", &s).unwrap(), json!("c-1"));
    assert_eq!(eval_path("$QueueUrl", &s).unwrap(), json!("https://q"));
    assert_eq!(eval_path("$Call", &s).unwrap(), v["Call"]);
    assert_eq!(lookup("$Nope", &s).unwrap(), None);
}

#[test]
fn a_missing_path_is_a_runtime_error_naming_it() {
    let input = json!({"a": 1});
    let (ctx, v) = (context(), vars());
    let s = Scope::new(&input, &ctx, &v);
    for path in ["$.b", "$.a.b", "$$.Map.Item", "$Unassigned.x"] {
        let e = eval_path(path, &s).unwrap_err();
        assert_eq!(e.error, errors::RUNTIME, "{path}");
        assert!(e.cause.contains(path), "{}", e.cause);
    }
    let e = eval_path("no-dollar", &s).unwrap_err();
    assert_eq!(e.error, errors::RUNTIME);
}

/// The example of https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
#[test]
fn parameters_template_from_the_guide() {
    let input = json!({
        "comment": "Example for Parameters.",
        "product": {"details": {"color": "blue", "size": "small", "material": "cotton"},
                    "availability": "in stock", "sku": "2317", "cost": "$23"}
    });
    let params = json!({
        "comment": "Selecting what I care about.",
        "MyDetails": {"size.$": "$.product.details.size", "exists.$": "$.product.availability", "StaticValue": "foo"}
    });
    let (ctx, v) = (context(), vars());
    let out = apply_template(
        &params,
        &Scope::new(&input, &ctx, &v),
        &mut Clock::new(0, 0),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"comment": "Selecting what I care about.",
               "MyDetails": {"size": "small", "exists": "in stock", "StaticValue": "foo"}})
    );
}

/// The shape of the reference workflow's waiting Tasks: variables, the context object, an
/// intrinsic, and `.$` keys inside an array of actions.
#[test]
fn parameters_template_like_the_reference_workflow() {
    let input = json!({"EventArguments": {"CustomerPhoneNumber": "5550123"}});
    let (ctx, v) = (context(), vars());
    let params = json!({
        "QueueUrl.$": "$QueueUrl",
        "MessageBody": {
            "SchemaVersion": "1.0",
            "Actions": [{"Type": "CallAndBridge", "Parameters": {
                "CallId.$": "$Call.CallId",
                "Endpoints": [{"Uri.$": "States.Format('+1{}', $.EventArguments.CustomerPhoneNumber)"}]}}],
            "TransactionAttributes": {"WaitToken.$": "$$.Task.Token", "QueueUrl.$": "$QueueUrl"}
        }
    });
    let out = apply_template(
        &params,
        &Scope::new(&input, &ctx, &v),
        &mut Clock::new(0, 0),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"QueueUrl": "https://q", "MessageBody": {
            "SchemaVersion": "1.0",
            "Actions": [{"Type": "CallAndBridge", "Parameters": {
                "CallId": "c-1", "Endpoints": [{"Uri": "+15550123"}]}}],
            "TransactionAttributes": {"WaitToken": "tok-9", "QueueUrl": "https://q"}}})
    );
    let e = apply_template(
        &json!({"x.$": "$.nope"}),
        &Scope::new(&input, &ctx, &v),
        &mut Clock::new(0, 0),
    )
    .unwrap_err();
    assert_eq!(e.error, errors::RUNTIME);
    assert!(
        e.cause.contains("'x.$'") && e.cause.contains("$.nope"),
        "{}",
        e.cause
    );
    let e = apply_template(
        &json!({"x.$": 3}),
        &Scope::new(&input, &ctx, &v),
        &mut Clock::new(0, 0),
    )
    .unwrap_err();
    assert_eq!(e.error, errors::RUNTIME);
}

/// The examples of https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
#[test]
fn result_path_cases_from_the_guide() {
    let input = json!({
        "comment": "This is a test of the input and output of a Task state.",
        "details": "Default example",
        "who": "AWS Step Functions"
    });
    let result = json!("Hello, AWS Step Functions!");
    // Use ResultPath to replace the input with the result (ResultPath "$" or absent).
    assert_eq!(
        merge_result(PathField::Path("$"), &input, result.clone()).unwrap(),
        result
    );
    assert_eq!(
        merge_result(PathField::Absent, &input, result.clone()).unwrap(),
        result
    );
    // Discard the result and keep the original input.
    assert_eq!(
        merge_result(PathField::Null, &input, result.clone()).unwrap(),
        input
    );
    // Include the result with the input.
    let mut with = input.clone();
    with["taskresult"] = result.clone();
    assert_eq!(
        merge_result(PathField::Path("$.taskresult"), &input, result.clone()).unwrap(),
        with
    );
    // Update a node in the input with the result.
    let mut replaced = input.clone();
    replaced["who"] = result.clone();
    assert_eq!(
        merge_result(PathField::Path("$.who"), &input, result.clone()).unwrap(),
        replaced
    );
    // Objects are created on the way.
    let deep = merge_result(
        PathField::Path("$.strings.lambdaresult"),
        &input,
        result.clone(),
    )
    .unwrap();
    assert_eq!(
        deep["strings"],
        json!({"lambdaresult": "Hello, AWS Step Functions!"})
    );
    assert_eq!(deep["who"], input["who"]);
    // The reference workflow's Catch: ResultPath "$.Error".
    let caught = merge_result(
        PathField::Path("$.Error"),
        &json!({"a": 1}),
        json!({"Error": "HANGUP"}),
    )
    .unwrap();
    assert_eq!(caught, json!({"a": 1, "Error": {"Error": "HANGUP"}}));
}

#[test]
fn result_path_that_cannot_apply_fails() {
    let input = json!({"who": "AWS", "list": [1]});
    for path in ["$.who.inner", "$.list[3]"] {
        let e = merge_result(PathField::Path(path), &input, json!(1)).unwrap_err();
        assert_eq!(e.error, errors::RESULT_PATH_MATCH_FAILURE, "{path}");
    }
    assert_eq!(
        merge_result(PathField::Path("$.list[0]"), &input, json!(9)).unwrap()["list"],
        json!([9])
    );
    let e = merge_result(PathField::Path("$$.Execution"), &input, json!(1)).unwrap_err();
    assert_eq!(e.error, errors::RUNTIME);
    let e = merge_result(PathField::Path("$.a[*]"), &input, json!(1)).unwrap_err();
    assert_eq!(e.error, errors::RUNTIME);
}

#[test]
fn input_and_output_paths() {
    let input = json!({"a": {"b": 1}});
    let (ctx, v) = (context(), vars());
    let s = Scope::new(&input, &ctx, &v);
    assert_eq!(select_path(PathField::Absent, &s).unwrap(), input);
    assert_eq!(select_path(PathField::Null, &s).unwrap(), json!({}));
    assert_eq!(
        select_path(PathField::Path("$.a"), &s).unwrap(),
        json!({"b": 1})
    );
    assert_eq!(
        select_path(PathField::Path("$.x"), &s).unwrap_err().error,
        errors::RUNTIME
    );
    let raw = json!({"InputPath": null, "OutputPath": "$.a"});
    assert_eq!(
        PathField::from_json(raw.get("InputPath")).unwrap(),
        PathField::Null
    );
    assert_eq!(
        PathField::from_json(raw.get("OutputPath")).unwrap(),
        PathField::Path("$.a")
    );
    assert_eq!(
        PathField::from_json(raw.get("ResultPath")).unwrap(),
        PathField::Absent
    );
    assert!(PathField::from_json(Some(&json!(3))).is_err());
    assert_eq!(PathField::from(Some(None::<&str>)), PathField::Null);
}
