//! Interpreter tests per state type and field, both query languages, including error paths.

use std::sync::Arc;

use serde_json::{json, Value};
use switchboard_asl::StateMachine;
use switchboard_sim::expr::Clock;
use switchboard_sim::interp::{Env, Execution, Status};
use switchboard_sim::services::Services;

const T0: i64 = 1_714_564_800_000; // 2024-05-01T12:00:00Z

fn env() -> Env {
    Env::new(Clock::new(T0, 7), Services::new())
}

fn machine(def: Value) -> Arc<StateMachine> {
    Arc::new(StateMachine::from_json(&def.to_string()).expect("definition parses"))
}

fn run(def: Value, input: Value) -> (Execution, Status, Env) {
    let mut env = env();
    let mut exec = Execution::start(machine(def), "exec-1", input, &env);
    let status = exec.run_until_blocked(&mut env);
    (exec, status, env)
}

fn succeeded(s: &Status) -> &Value {
    match s {
        Status::Succeeded(v) => v,
        other => panic!("expected success, got {other:?}"),
    }
}

fn failed(s: &Status) -> (&str, &str) {
    match s {
        Status::Failed { error, cause } => (error, cause),
        other => panic!("expected failure, got {other:?}"),
    }
}

#[test]
fn pass_applies_inputpath_parameters_resultpath_outputpath_in_order() {
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
    let def = json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "InputPath": "$.in",
        "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)", "fixed": 1},
        "ResultPath": "$.res", "OutputPath": "$.res", "End": true}}});
    let (_, s, _) = run(def, json!({"in": {"n": 4}}));
    assert_eq!(succeeded(&s), &json!({"doubled": 8, "fixed": 1}));
}

#[test]
fn pass_result_path_merges_into_the_raw_input_not_the_input_path_selection() {
    let def = json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "InputPath": "$.a", "Result": {"r": true}, "ResultPath": "$.out", "End": true}}});
    let (_, s, _) = run(def, json!({"a": {"x": 1}, "b": 2}));
    assert_eq!(
        succeeded(&s),
        &json!({"a": {"x": 1}, "b": 2, "out": {"r": true}})
    );
}

#[test]
fn result_path_null_discards_and_result_path_into_a_string_fails() {
    let def = json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Result": 1, "ResultPath": null, "End": true}}});
    assert_eq!(succeeded(&run(def, json!({"k": 1})).1), &json!({"k": 1}));
    let def = json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Result": 1, "ResultPath": "$.s.x", "End": true}}});
    let (_, s, _) = run(def, json!({"s": "text"}));
    let (error, cause) = failed(&s);
    assert_eq!(error, "States.ResultPathMatchFailure");
    assert!(
        cause.contains("state 'P'") && cause.contains("ResultPath"),
        "{cause}"
    );
}

#[test]
fn jsonpath_assign_dollar_is_the_pass_result_and_variables_feed_later_states() {
    // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Result": {"v": 10}, "Assign": {"x.$": "$.v", "lit": "s"}, "ResultPath": null, "Next": "B"},
        "B": {"Type": "Pass", "Parameters": {"x.$": "$x", "lit.$": "$lit", "in.$": "$.orig"}, "End": true}}});
    let (exec, s, _) = run(def, json!({"orig": 1}));
    assert_eq!(succeeded(&s), &json!({"x": 10, "lit": "s", "in": 1}));
    assert_eq!(exec.variables()["x"], json!(10));
}

#[test]
fn jsonata_assign_reads_values_from_before_the_state_and_output_does_not_see_new_ones() {
    // "All expressions in Assign are evaluated using the values of variables as they were on
    // state entry": a swap works in one state.
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"a": 1, "b": 2}, "Next": "Swap"},
        "Swap": {"Type": "Pass", "Assign": {"a": "{% $b %}", "b": "{% $a %}"},
                 "Output": {"seenA": "{% $a %}"}, "Next": "Done"},
        "Done": {"Type": "Pass", "Output": "{% [$a, $b, $states.input.seenA] %}", "End": true}}});
    let (_, s, _) = run(def, json!({}));
    assert_eq!(succeeded(&s), &json!([2, 1, 1]));
}

#[test]
fn jsonata_output_of_a_missing_field_is_a_query_evaluation_error_naming_the_field() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {
        "P": {"Type": "Pass", "Output": {"v": "{% $states.input.missing %}"}, "End": true}}});
    let (_, s, _) = run(def, json!({}));
    let (error, cause) = failed(&s);
    assert_eq!(error, "States.QueryEvaluationError");
    assert!(
        cause.contains("state 'P'") && cause.contains("Output/v"),
        "{cause}"
    );
}

#[test]
fn jsonpath_missing_parameter_path_is_a_runtime_error_naming_state_and_field() {
    let def = json!({"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Parameters": {"a.$": "$.nope"}, "End": true}}});
    let (error, cause) = {
        let (_, s, _) = run(def, json!({"x": 1}));
        let (e, c) = failed(&s);
        (e.to_string(), c.to_string())
    };
    assert_eq!(error, "States.Runtime");
    assert!(
        cause.contains("'P'") && cause.contains("a.$") && cause.contains("$.nope"),
        "{cause}"
    );
}

#[test]
fn per_state_query_language_overrides_the_machine_default() {
    let def = json!({"QueryLanguage": "JSONPath", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Parameters": {"n.$": "$.n"}, "Next": "B"},
        "B": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% $states.input.n * 3 %}", "End": true}}});
    assert_eq!(succeeded(&run(def, json!({"n": 5})).1), &json!(15));
}

#[test]
fn choice_jsonpath_rules_default_and_rule_assign() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 10, "Assign": {"big.$": "$.n"}, "Next": "Big"},
            {"And": [{"Variable": "$.n", "NumericGreaterThan": 0}, {"Not": {"Variable": "$.n", "NumericEquals": 5}}], "Next": "Small"}],
            "Default": "Other", "Assign": {"viaDefault": true}},
        "Big": {"Type": "Pass", "Parameters": {"v.$": "$big"}, "End": true},
        "Small": {"Type": "Pass", "Result": "small", "End": true},
        "Other": {"Type": "Pass", "Parameters": {"d.$": "$viaDefault"}, "End": true}}});
    assert_eq!(
        succeeded(&run(def.clone(), json!({"n": 11})).1),
        &json!({"v": 11})
    );
    assert_eq!(
        succeeded(&run(def.clone(), json!({"n": 3})).1),
        &json!("small")
    );
    assert_eq!(succeeded(&run(def, json!({"n": 5})).1), &json!({"d": true}));
}

#[test]
fn choice_without_match_or_default_fails_with_no_choice_matched() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "E"}]},
        "E": {"Type": "Succeed"}}});
    let (_, s, _) = run(def, json!({"n": 2}));
    assert_eq!(failed(&s).0, "States.NoChoiceMatched");
}

#[test]
fn choice_jsonata_condition_with_rule_output() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Condition": "{% $states.input.d = \"1\" %}", "Output": {"picked": "sales"}, "Next": "E"}],
            "Default": "E"},
        "E": {"Type": "Succeed"}}});
    assert_eq!(
        succeeded(&run(def.clone(), json!({"d": "1"})).1),
        &json!({"picked": "sales"})
    );
    assert_eq!(
        succeeded(&run(def, json!({"d": "2"})).1),
        &json!({"d": "2"})
    );
}

#[test]
fn a_jsonpath_rule_in_a_jsonata_state_is_an_error() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "E"}]},
        "E": {"Type": "Succeed"}}});
    let (_, s, _) = run(def, json!({}));
    let (error, cause) = failed(&s);
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("Choices[0]"), "{cause}");
}

#[test]
fn wait_seconds_blocks_until_the_clock_reaches_it() {
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 30, "Next": "E"}, "E": {"Type": "Succeed"}}});
    let (mut exec, s, mut env) = run(def, json!({"k": 1}));
    assert_eq!(
        s,
        Status::TimedWait {
            until_ms: T0 + 30_000,
            state: "W".into()
        }
    );
    assert!(matches!(
        exec.advance_by(&mut env, 29_999),
        Status::TimedWait { .. }
    ));
    assert_eq!(
        exec.advance_by(&mut env, 1),
        Status::Succeeded(json!({"k": 1}))
    );
}

#[test]
fn wait_timestamp_path_and_jsonata_seconds_expression() {
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "TimestampPath": "$.at", "End": true}}});
    let (_, s, _) = run(def, json!({"at": "2024-05-01T12:01:00Z"}));
    assert_eq!(
        s,
        Status::TimedWait {
            until_ms: T0 + 60_000,
            state: "W".into()
        }
    );
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": "{% $states.input.s * 2 %}", "End": true}}});
    let (_, s, _) = run(def, json!({"s": 5}));
    assert_eq!(
        s,
        Status::TimedWait {
            until_ms: T0 + 10_000,
            state: "W".into()
        }
    );
    let def = json!({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "TimestampPath": "$.at", "End": true}}});
    let (_, s, _) = run(def, json!({"at": "tomorrow"}));
    assert!(failed(&s).1.contains("TimestampPath"));
}

#[test]
fn fail_state_error_and_cause_in_both_languages() {
    let def = json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e", "Cause": "static"}}});
    let (_, s, _) = run(def, json!({"e": "Custom.Error"}));
    assert_eq!(failed(&s), ("Custom.Error", "static"));
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "F", "States": {
        "F": {"Type": "Fail", "Error": "{% 'E.' & $states.input.n %}", "Cause": "{% $string($states.input.n) %}"}}});
    let (_, s, _) = run(def, json!({"n": 3}));
    assert_eq!(failed(&s), ("E.3", "3"));
}

#[test]
fn succeed_applies_output_path() {
    let def = json!({"StartAt": "S", "States": {"S": {"Type": "Succeed", "OutputPath": "$.keep"}}});
    assert_eq!(
        succeeded(&run(def, json!({"keep": [1], "drop": 2})).1),
        &json!([1])
    );
}

#[test]
fn a_state_without_next_or_end_and_a_missing_next_state_are_runtime_errors() {
    let def = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Next": "Nowhere"}}});
    let (_, s, _) = run(def, json!({}));
    let (error, cause) = failed(&s);
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("Nowhere"), "{cause}");
}

#[test]
fn context_object_in_both_languages() {
    // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Parameters": {"name.$": "$$.Execution.Name", "state.$": "$$.State.Name",
              "input.$": "$$.Execution.Input", "start.$": "$$.Execution.StartTime"}, "Next": "B"},
        "B": {"Type": "Pass", "QueryLanguage": "JSONata",
              "Output": "{% $merge([$states.input, {'id': $states.context.Execution.Id, 'b': $states.context.State.Name}]) %}",
              "End": true}}});
    let mut env = env();
    let mut exec = Execution::start(machine(def), "call-42", json!({"q": 1}), &env)
        .with_machine_name("front-desk", &env);
    let out = exec.run_until_blocked(&mut env);
    assert_eq!(
        succeeded(&out),
        &json!({"name": "call-42", "state": "A", "input": {"q": 1}, "start": "2024-05-01T12:00:00.000Z",
                "id": "arn:aws:states:us-east-1:123456789012:execution:front-desk:call-42", "b": "B"})
    );
}

#[test]
fn history_lists_states_entered_and_cost_counts_one_transition_each() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "C"}, "C": {"Type": "Succeed"}}});
    let (exec, _, _) = run(def, json!({}));
    assert_eq!(exec.states_entered(), vec!["A", "B", "C"]);
    assert_eq!(exec.cost().state_transitions, 3);
    assert_eq!(exec.cost().retries, 0);
}

#[test]
fn an_endless_loop_stops_at_the_transition_quota() {
    let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}});
    let (exec, s, _) = run(def, json!({}));
    let (error, cause) = failed(&s);
    assert_eq!(error, "States.Runtime");
    assert!(cause.contains("25000"), "{cause}");
    assert!(exec.cost().state_transitions > 25_000);
}

#[test]
fn machine_timeout_fails_the_execution_with_states_timeout() {
    let def = json!({"TimeoutSeconds": 5, "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let (mut exec, s, mut env) = run(def, json!({}));
    assert_eq!(
        s,
        Status::TimedWait {
            until_ms: T0 + 5_000,
            state: "W".into()
        }
    );
    let s = exec.advance_by(&mut env, 10_000);
    assert_eq!(failed(&s).0, "States.Timeout");
}

/// "You can also specify an Assign block at the state level, which applies regardless of which
/// choice rule matches": https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
#[test]
fn choice_state_level_assign_applies_whichever_rule_matches() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Assign": {"seen": "{% $states.input.n %}", "who": "state"},
            "Choices": [{"Condition": "{% $states.input.n > 10 %}", "Assign": {"who": "rule"}, "Next": "Out"}],
            "Default": "Out"},
        "Out": {"Type": "Pass", "Output": {"seen": "{% $seen %}", "who": "{% $who %}"}, "End": true}}});
    assert_eq!(
        succeeded(&run(def.clone(), json!({"n": 11})).1),
        &json!({"seen": 11, "who": "rule"})
    );
    assert_eq!(
        succeeded(&run(def, json!({"n": 1})).1),
        &json!({"seen": 1, "who": "state"})
    );
}
