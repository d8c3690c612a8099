//! Choice rules (JSONPath flavour): https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
//! and the States Language spec, https://states-language.net/#choice-state

use serde_json::{json, Value};
use switchboard_asl::errors;
use switchboard_sim::expr::{eval_choice_rule, Scope, Vars};

fn check(rule: Value, input: &Value) -> Result<bool, switchboard_sim::expr::EvalError> {
    let context = json!({});
    let mut vars = Vars::new();
    vars.insert("Limit".into(), json!(10));
    eval_choice_rule(&rule, &Scope::new(input, &context, &vars))
}

/// Every comparison operator: (operator, operand, a value that matches, one that does not,
/// one of another type).
fn cases() -> Vec<(&'static str, Value, Value, Value, Value)> {
    let ts = |s: &str| json!(s);
    vec![
        ("StringEquals", json!("b"), json!("b"), json!("a"), json!(1)),
        (
            "StringLessThan",
            json!("b"),
            json!("a"),
            json!("b"),
            json!(0),
        ),
        (
            "StringGreaterThan",
            json!("b"),
            json!("c"),
            json!("b"),
            json!(true),
        ),
        (
            "StringLessThanEquals",
            json!("b"),
            json!("b"),
            json!("c"),
            json!(null),
        ),
        (
            "StringGreaterThanEquals",
            json!("b"),
            json!("b"),
            json!("a"),
            json!(["b"]),
        ),
        (
            "StringMatches",
            json!("log-*.txt"),
            json!("log-1.txt"),
            json!("log-1.csv"),
            json!(7),
        ),
        ("NumericEquals", json!(5), json!(5.0), json!(6), json!("5")),
        (
            "NumericLessThan",
            json!(5),
            json!(4.5),
            json!(5),
            json!("4"),
        ),
        (
            "NumericGreaterThan",
            json!(5),
            json!(6),
            json!(5),
            json!(false),
        ),
        (
            "NumericLessThanEquals",
            json!(5),
            json!(5),
            json!(6),
            json!(null),
        ),
        (
            "NumericGreaterThanEquals",
            json!(5),
            json!(5),
            json!(4),
            json!({"n": 5}),
        ),
        (
            "BooleanEquals",
            json!(true),
            json!(true),
            json!(false),
            json!("true"),
        ),
        (
            "TimestampEquals",
            ts("2024-05-01T12:00:00Z"),
            ts("2024-05-01T08:00:00-04:00"),
            ts("2024-05-01T12:00:01Z"),
            ts("yesterday"),
        ),
        (
            "TimestampLessThan",
            ts("2024-05-01T12:00:00Z"),
            ts("2024-05-01T11:59:59Z"),
            ts("2024-05-01T12:00:00Z"),
            json!(1),
        ),
        (
            "TimestampGreaterThan",
            ts("2024-05-01T12:00:00Z"),
            ts("2024-05-01T12:00:00.001Z"),
            ts("2024-05-01T12:00:00Z"),
            ts("2024-05-01t13:00:00z"),
        ),
        (
            "TimestampLessThanEquals",
            ts("2024-05-01T12:00:00Z"),
            ts("2024-05-01T12:00:00Z"),
            ts("2024-05-02T00:00:00Z"),
            json!(null),
        ),
        (
            "TimestampGreaterThanEquals",
            ts("2024-05-01T12:00:00Z"),
            ts("2024-05-01T12:00:00Z"),
            ts("2024-04-30T00:00:00Z"),
            ts("2024-05-01 13:00:00Z"),
        ),
    ]
}

#[test]
fn every_comparison_true_false_and_type_mismatch() {
    for (op, operand, yes, no, other) in cases() {
        let rule = json!({"Variable": "$.v", op: operand.clone(), "Next": "X"});
        assert!(
            check(rule.clone(), &json!({"v": yes})).unwrap(),
            "{op} {yes}"
        );
        assert!(
            !check(rule.clone(), &json!({"v": no})).unwrap(),
            "{op} {no}"
        );
        assert!(
            !check(rule.clone(), &json!({"v": other})).unwrap(),
            "{op} on another type {other} is false"
        );
        let e = check(rule, &json!({})).unwrap_err();
        assert_eq!(e.error, errors::RUNTIME, "{op} with a missing variable");
        assert!(e.cause.contains("$.v"));
    }
}

#[test]
fn every_path_variant_reads_its_operand_from_a_path() {
    for (op, operand, yes, no, other) in cases() {
        if op == "StringMatches" {
            continue; // has no Path variant
        }
        let path_op = format!("{op}Path");
        let rule = json!({"Variable": "$.v", path_op.clone(): "$.w"});
        assert!(
            check(rule.clone(), &json!({"v": yes, "w": operand})).unwrap(),
            "{path_op}"
        );
        assert!(
            !check(rule.clone(), &json!({"v": no, "w": operand})).unwrap(),
            "{path_op}"
        );
        assert!(
            !check(rule.clone(), &json!({"v": other, "w": operand})).unwrap(),
            "{path_op}"
        );
        assert_eq!(
            check(rule.clone(), &json!({"w": operand}))
                .unwrap_err()
                .error,
            errors::RUNTIME
        );
        assert_eq!(
            check(rule, &json!({"v": yes})).unwrap_err().error,
            errors::RUNTIME,
            "{path_op} missing operand"
        );
    }
    // Variables work as operands, as in the reference workflow's StringEqualsPath.
    let rule = json!({"Variable": "$.n", "NumericLessThanPath": "$Limit"});
    assert!(check(rule, &json!({"n": 3})).unwrap());
}

#[test]
fn string_matches_escapes() {
    let rule = |p: &str| json!({"Variable": "$.v", "StringMatches": p});
    // JSON "a\\*b" is the pattern a\*b: a literal star.
    assert!(check(rule(r"a\*b"), &json!({"v": "a*b"})).unwrap());
    assert!(!check(rule(r"a\*b"), &json!({"v": "axb"})).unwrap());
    assert!(check(rule("*"), &json!({"v": ""})).unwrap());
    assert!(check(rule(r"C:\\*"), &json!({"v": r"C:\temp"})).unwrap());
}

#[test]
fn type_tests() {
    let values = [
        json!(null),
        json!(1.5),
        json!("s"),
        json!(true),
        json!("2024-05-01T12:00:00Z"),
        json!([]),
    ];
    let expect = [
        ("IsNull", [true, false, false, false, false, false]),
        ("IsNumeric", [false, true, false, false, false, false]),
        ("IsString", [false, false, true, false, true, false]),
        ("IsBoolean", [false, false, false, true, false, false]),
        ("IsTimestamp", [false, false, false, false, true, false]),
    ];
    for (op, row) in expect {
        for (v, want) in values.iter().zip(row) {
            assert_eq!(
                check(json!({"Variable": "$.v", op: true}), &json!({"v": v})).unwrap(),
                want,
                "{op} {v}"
            );
            assert_eq!(
                check(json!({"Variable": "$.v", op: false}), &json!({"v": v})).unwrap(),
                !want,
                "{op}: false {v}"
            );
        }
        assert_eq!(
            check(json!({"Variable": "$.v", op: true}), &json!({}))
                .unwrap_err()
                .error,
            errors::RUNTIME,
            "{op}"
        );
    }
}

#[test]
fn is_present_never_fails_on_a_missing_variable() {
    let rule = json!({"Variable": "$.Error", "IsPresent": true, "Next": "Failed"});
    assert!(check(rule.clone(), &json!({"Error": {"Cause": "busy"}})).unwrap());
    assert!(!check(rule, &json!({})).unwrap());
    let rule = json!({"Variable": "$.Error", "IsPresent": false});
    assert!(check(rule.clone(), &json!({})).unwrap());
    assert!(check(
        json!({"Variable": "$.v", "IsPresent": true}),
        &json!({"v": null})
    )
    .unwrap());
}

#[test]
fn and_or_not_like_the_reference_workflow() {
    let input = json!({"Direction": "Inbound", "From": "+1555", "Owner": "+1999"});
    let rule = json!({"And": [
        {"Variable": "$.Direction", "StringEquals": "Inbound"},
        {"Not": {"Variable": "$.From", "StringEqualsPath": "$.Owner"}}
    ], "Next": "Compute In Business"});
    assert!(check(rule.clone(), &input).unwrap());
    let owner = json!({"Direction": "Inbound", "From": "+1999", "Owner": "+1999"});
    assert!(!check(rule, &owner).unwrap());
    let or = json!({"Or": [
        {"Variable": "$.Direction", "StringEquals": "Outbound"},
        {"Variable": "$.From", "StringMatches": "+1*"}
    ]});
    assert!(check(or.clone(), &input).unwrap());
    assert!(!check(or, &json!({"Direction": "Inbound", "From": "+44"})).unwrap());
    // Short-circuit: the second rule's missing variable is never read.
    let short = json!({"Or": [{"Variable": "$.Direction", "IsString": true}, {"Variable": "$.nope", "IsNull": true}]});
    assert!(check(short, &input).unwrap());
}

#[test]
fn malformed_rules_are_runtime_errors() {
    let input = json!({"v": 1});
    for rule in [
        json!({"Variable": "$.v"}),
        json!({"Variable": "$.v", "NumericEquals": 1, "NumericLessThan": 2}),
        json!({"Variable": "$.v", "NumericEquals": "1"}),
        json!({"Variable": "$.v", "BooleanLessThan": true}),
        json!({"Variable": "$.v", "Frobnicate": 1}),
        json!({"NumericEquals": 1}),
        json!({"And": {"Variable": "$.v", "IsNull": true}}),
        json!("not a rule"),
    ] {
        assert_eq!(
            check(rule.clone(), &input).unwrap_err().error,
            errors::RUNTIME,
            "{rule}"
        );
    }
}
