//! Canonical emission: a snapshot of a hand-built machine that uses every state type, and
//! determinism (emit twice; parse → emit → parse → emit).

use indexmap::IndexMap;
use serde_json::json;
use switchboard_asl::errors::{ALL as ERROR_ALL, TIMEOUT as ERROR_TIMEOUT};
use switchboard_asl::graph;
use switchboard_asl::*;

/// A waiting Task resource: what the compiler emits for every caller round trip.
const WAIT_RESOURCE: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";

fn every_state_type() -> StateMachine {
    let mut m = StateMachine::new("Init");
    // A JSONPath machine (the default) with JSONata states: the mix Step Functions allows.
    m.comment = Some("Every state type, in both query languages".into());
    let jsonata = Some(QueryLanguage::Jsonata);
    m.timeout_seconds = Some(3600);
    let s = &mut m.states;
    s.insert(
        "Init".into(),
        State::Pass(Pass {
            comment: Some("front_desk.rs:3 — let greeting = …".into()),
            io: Io {
                assign: Some(json!({ "greeting": "Hello", "tries": 0 })),
                ..Io::default()
            },
            next: Some("Greet".into()),
            ..Pass::default()
        }),
    );
    s.insert(
        "Greet".into(),
        State::Task(Task {
            comment: Some("front_desk.rs:4 — speak(greeting)".into()),
            query_language: jsonata,
            resource: WAIT_RESOURCE.into(),
            arguments: Some(json!({
                "QueueUrl": "{% $states.input.QueueUrl %}",
                "MessageBody": { "SchemaVersion": "1.0", "Actions": [] }
            })),
            io: Io {
                assign: Some(json!({ "event": "{% $states.result %}" })),
                ..Io::default()
            },
            timeout_seconds: Some(60.into()),
            handlers: Handlers {
                retry: vec![Retrier {
                    comment: None,
                    error_equals: vec![ERROR_TIMEOUT.into()],
                    interval_seconds: Some(1),
                    max_attempts: Some(2),
                    backoff_rate: Some(serde_json::Number::from_f64(2.0).unwrap()),
                    max_delay_seconds: None,
                    jitter_strategy: Some("FULL".into()),
                }],
                catch: vec![
                    Catcher::new(["HANGUP"], "Hung up"),
                    Catcher {
                        output: Some(json!("{% $states.errorOutput %}")),
                        ..Catcher::new([ERROR_ALL], "Failed")
                    },
                ],
            },
            next: Some("Route".into()),
            ..Task::default()
        }),
    );
    s.insert(
        "Route".into(),
        State::Choice(Choice {
            query_language: jsonata,
            choices: vec![ChoiceRule::new(
                Test::Condition(json!("{% $event.digits = '1' %}")),
                "Pause",
            )],
            default: Some("Check".into()),
            ..Choice::default()
        }),
    );
    s.insert(
        "Check".into(),
        State::Choice(Choice {
            query_language: Some(QueryLanguage::JsonPath),
            choices: vec![ChoiceRule {
                comment: Some("JSONPath rule".into()),
                assign: Some(json!({ "tries.$": "$.tries" })),
                ..ChoiceRule::new(
                    Test::And(vec![
                        Test::Compare(Comparison::new("$.n", ComparisonOp::NumericLessThan, 3)),
                        Test::Not(Box::new(Test::Compare(Comparison::new(
                            "$.stop",
                            ComparisonOp::IsPresent,
                            true,
                        )))),
                    ]),
                    "Both",
                )
            }],
            default: Some("Each".into()),
            ..Choice::default()
        }),
    );
    s.insert(
        "Pause".into(),
        State::Wait(Wait {
            seconds: Some(5.into()),
            next: Some("Greet".into()),
            ..Wait::default()
        }),
    );
    let branch = |name: &str| {
        let mut states = IndexMap::new();
        states.insert(
            name.to_owned(),
            State::Pass(Pass {
                end: Some(true),
                ..Pass::default()
            }),
        );
        Branch {
            start_at: name.to_owned(),
            states,
            ..Branch::default()
        }
    };
    s.insert(
        "Both".into(),
        State::Parallel(Parallel {
            query_language: jsonata,
            branches: vec![branch("Left"), branch("Right")],
            io: Io {
                output: Some(json!("{% $states.result[0] %}")),
                ..Io::default()
            },
            next: Some("Done".into()),
            ..Parallel::default()
        }),
    );
    let mut item_states = IndexMap::new();
    item_states.insert(
        "Item".into(),
        State::Pass(Pass {
            query_language: Some(QueryLanguage::JsonPath),
            parameters: Some(json!({ "value.$": "$" })),
            result_path: Some(json!("$.item")),
            end: Some(true),
            ..Pass::default()
        }),
    );
    s.insert(
        "Each".into(),
        State::Map(Map {
            query_language: jsonata,
            items: Some(json!("{% [1, 2, 3] %}")),
            item_selector: Some(json!({ "n": "{% $states.context.Map.Item.Value %}" })),
            item_processor: Some(ItemProcessor {
                processor_config: Some(ProcessorConfig {
                    mode: Some("INLINE".into()),
                    execution_type: None,
                }),
                start_at: "Item".into(),
                states: item_states,
                ..ItemProcessor::default()
            }),
            max_concurrency: Some(2.into()),
            end: Some(true),
            ..Map::default()
        }),
    );
    s.insert("Done".into(), State::Succeed(Succeed::default()));
    s.insert("Hung up".into(), State::Succeed(Succeed::default()));
    s.insert(
        "Failed".into(),
        State::Fail(Fail {
            query_language: jsonata,
            error: Some("FlowFailed".into()),
            cause: Some("{% $states.input.Cause %}".into()),
            ..Fail::default()
        }),
    );
    m
}

#[test]
fn every_state_type_snapshot() {
    let m = every_state_type();
    assert_eq!(
        graph::check(&m),
        Vec::new(),
        "the snapshot machine is itself valid"
    );
    insta::assert_snapshot!(m.to_canonical_json());
}

#[test]
fn emission_is_deterministic() {
    let m = every_state_type();
    let first = m.to_canonical_json();
    assert_eq!(first, every_state_type().to_canonical_json());
    assert!(first.ends_with("}\n") && !first.ends_with("\n\n"));
    assert_eq!(m.canonical_size(), first.len());

    let reparsed = StateMachine::from_json(&first).unwrap();
    assert_eq!(reparsed, m, "parse(emit(m)) == m");
    let second = reparsed.to_canonical_json();
    assert_eq!(second, first);
    assert_eq!(
        StateMachine::from_json(&second)
            .unwrap()
            .to_canonical_json(),
        second
    );
}

#[test]
fn field_order_is_canonical_not_input_order() {
    // Next before Type and Comment in the input; the output puts them in canonical order.
    let text = r#"{"States":{"A":{"Next":"B","Comment":"c","Type":"Pass"},"B":{"End":true,"Type":"Pass"}},"StartAt":"A"}"#;
    let out = StateMachine::from_json(text).unwrap().to_canonical_json();
    let expected = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Comment\": \"c\",\n      \"Next\": \"B\"\n    },\n    \"B\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}\n";
    assert_eq!(out, expected);
}

#[test]
fn free_form_keys_keep_their_order() {
    let text =
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"z":1,"a":2,"m":3},"End":true}}}"#;
    let out = StateMachine::from_json(text).unwrap().to_canonical_json();
    let z = out.find("\"z\"").unwrap();
    let a = out.find("\"a\"").unwrap();
    let mm = out.find("\"m\"").unwrap();
    assert!(z < a && a < mm, "{out}");
}
