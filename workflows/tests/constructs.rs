//! Snapshots of the ASL each language construct compiles to (one small flow per construct in
//! `fixtures/`), checks that compiling twice gives byte-identical JSON, and the compiler's
//! validation errors for flows that are wrong in ways only the IR or the graph shows.
//!
//! Snapshots are reviewed output: regenerate with `INSTA_UPDATE=always cargo test -p
//! switchboard-workflows --test constructs`, read the diff, commit. CI never accepts them.

#[path = "fixtures/mod.rs"]
mod fixtures;

use serde_json::{json, Value as Json};
use switchboard::ir::Flow;
use switchboard::{CallFlow, FlowDef};
use switchboard_compiler::asl::graph;
use switchboard_compiler::asl::StateMachine;
use switchboard_compiler::{compile_flow, Compiled};

fn build<F: CallFlow>(config: Json) -> Flow {
    let flow = FlowDef::of::<F>()
        .build(&config)
        .expect("config fits the flow");
    assert!(flow.errors.is_empty(), "{}: {:?}", flow.name, flow.errors);
    flow
}

fn compile(flow: &Flow) -> Compiled {
    match compile_flow(flow) {
        Ok(c) => c,
        Err(errors) => panic!(
            "{} does not compile:\n{}",
            flow.name,
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

/// Compiles, checks determinism and the graph, and snapshots the JSON under the flow's name.
fn snapshot<F: CallFlow>(config: Json) -> Compiled {
    let first = compile(&build::<F>(config.clone()));
    let second = compile(&build::<F>(config));
    assert_eq!(
        first.json, second.json,
        "{}: two compilations differ",
        first.name
    );
    assert!(graph::check(&first.machine).is_empty());
    let reparsed: StateMachine = serde_json::from_str(&first.json).expect("output re-parses");
    assert_eq!(reparsed, first.machine, "{}: JSON round trip", first.name);
    insta::assert_snapshot!(first.name.clone(), first.json);
    first
}

fn unit() -> Json {
    Json::Null
}

/// Names of the states, and how many actions each waiting Task sends.
fn task_actions(c: &Compiled) -> Vec<(String, usize)> {
    let v: Json = serde_json::from_str(&c.json).unwrap();
    v["States"]
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(name, s)| {
            s.pointer("/Arguments/MessageBody/Actions")
                .and_then(Json::as_array)
                .map(|a| (name.clone(), a.len()))
        })
        .collect()
}

/// The action types of a waiting Task, in order.
fn c_actions(state: &Json) -> Vec<String> {
    state["Arguments"]["MessageBody"]["Actions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["Type"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

mod constructs {
    use super::fixtures::{basics, control, services, steps};
    use super::*;

    #[test]
    fn batching_sends_speak_speak_ask_in_one_task() {
        let c = snapshot::<basics::batching>(unit());
        let tasks = task_actions(&c);
        // The three actions in one Task; the last Speak carries the final Hangup; the
        // no-input goodbye and the error handler's apology are the third and fourth Tasks.
        let counts: Vec<usize> = tasks.iter().map(|t| t.1).collect();
        assert_eq!(counts, [3, 2, 2, 2], "{tasks:?}");
    }

    #[test]
    fn value_if() {
        let c = snapshot::<basics::value_if>(unit());
        assert!(
            c.json.contains("? \\\"Hello\\\" : \\\"Hi there\\\""),
            "{}",
            c.json
        );
    }

    #[test]
    fn json_values() {
        snapshot::<basics::json_values>(unit());
    }

    #[test]
    fn config_folding_keeps_one_branch() {
        let day = snapshot::<basics::config_folding>(
            json!({"night_mode": false, "company": "Acme", "ring": 20}),
        );
        assert!(!day.json.contains("closed"), "{}", day.json);
        assert!(!day.json.contains("\"Choice\""), "{}", day.json);
        assert!(
            day.json.contains("\"CallTimeoutSeconds\": 20"),
            "{}",
            day.json
        );
        let night = compile(&build::<basics::config_folding>(
            json!({"night_mode": true, "company": "Acme", "ring": 20}),
        ));
        assert!(night.json.contains("Acme is closed."), "{}", night.json);
        assert!(!night.json.contains("CallAndBridge"), "{}", night.json);
    }

    #[test]
    fn custom_on_error() {
        let c = snapshot::<basics::custom_on_error>(unit());
        assert!(c.json.contains("We hit a problem"), "{}", c.json);
        assert!(
            !c.json.contains("Sorry, something went wrong"),
            "{}",
            c.json
        );
    }

    #[test]
    fn take_message_keeps_a_message_left_by_hanging_up() {
        let c = snapshot::<steps::message>(unit());
        let m: Json = serde_json::from_str(&c.json).unwrap();
        let states = m["States"].as_object().unwrap();
        // The recording's key is known when it starts, before the caller speaks.
        let start = states
            .values()
            .find(|s| c_actions(s).contains(&"StartCallRecording".to_owned()))
            .expect("a Task starts the call recording");
        assert_eq!(
            c_actions(start),
            ["Speak", "PlayAudio", "StartCallRecording"],
            "prompt, beep and start in one response"
        );
        assert!(
            start["Assign"]["m"]
                .as_str()
                .unwrap()
                .contains("CallRecordingDestination.Location"),
            "{start:#}"
        );
        let detect = states
            .values()
            .find(|s| c_actions(s).contains(&"RecordAudio".to_owned()))
            .unwrap();
        assert_eq!(c_actions(detect), ["RecordAudio", "StopCallRecording"]);
        // Options given before the scratch prefix stay; the recording goes to `bucket/prefix`.
        let record = &detect["Arguments"]["MessageBody"]["Actions"][0]["Parameters"];
        assert_eq!(record["DurationInSeconds"], 60, "{record:#}");
        assert_eq!(
            record["RecordingDestination"]["Prefix"], "tmp/",
            "{record:#}"
        );
        let start_params = &start["Arguments"]["MessageBody"]["Actions"][2]["Parameters"];
        assert_eq!(
            start_params["Destination"]["Location"],
            "acme-recordings/voicemail"
        );
        assert_eq!(start_params["Track"], "INCOMING");
        // A hang-up during the prompt left nothing: the call just ends.
        let ended = start["Catch"][0]["Next"].as_str().unwrap();
        assert_eq!(start["Catch"][0]["ErrorEquals"][0], "HANGUP");
        assert_eq!(states[ended]["Type"], "Succeed", "{start:#}");
        // A hang-up while the caller talks goes to the arm that files the message, measured in
        // the catcher; it is kept only if it lasted `min_seconds`.
        let hangup = &detect["Catch"][0];
        assert_eq!(hangup["ErrorEquals"][0], "HANGUP");
        assert!(hangup["Assign"]["m"]
            .as_str()
            .unwrap()
            .contains("$millis()"));
        let guard = &states[hangup["Next"].as_str().unwrap()];
        let cond = guard["Choices"][0]["Condition"].as_str().unwrap();
        assert!(cond.contains("$m.seconds >= 2"), "{cond}");
        assert!(
            c.json
                .matches("\"Resource\": \"arn:aws:states:::dynamodb:putItem\"")
                .count()
                == 2,
            "filed on both paths"
        );
    }

    /// PSTN audio answers a `Hangup` of the caller with their `HANGUP`: for a response that ends
    /// by hanging up, that is success, and the flow goes on to the `fail` after it (it used to
    /// go to `Call ended`, so the execution SUCCEEDED).
    #[test]
    fn hangup_then_fail_fails() {
        let c = compile(&build::<basics::hangup_then_fail>(unit()));
        let m: Json = serde_json::from_str(&c.json).unwrap();
        let states = m["States"].as_object().unwrap();
        let task = states
            .values()
            .find(|s| c_actions(s) == ["Speak", "Hangup"])
            .expect("one response says goodbye and hangs up");
        let on_hangup = task["Catch"][0]["Next"].as_str().unwrap();
        assert_eq!(task["Catch"][0]["ErrorEquals"][0], "HANGUP");
        assert_eq!(states[on_hangup]["Type"], "Fail", "{task:#}");
        assert_eq!(states[on_hangup]["Error"], "NotConfigured");
    }

    #[test]
    fn custom_on_no_input() {
        let c = snapshot::<basics::custom_on_no_input>(unit());
        assert!(c.json.contains("Let me put you through"), "{}", c.json);
        assert!(c.json.contains("Did the caller answer?"), "{}", c.json);
        assert!(!c.json.contains("I did not get an answer"), "{}", c.json);
        // Real faults still go to the default apology.
        assert!(c.json.contains("Sorry, something went wrong"), "{}", c.json);
    }

    #[test]
    fn no_prompt_no_no_input_dispatch() {
        let c = compile(&build::<basics::custom_on_error>(unit()));
        assert!(!c.json.contains("Did the caller answer?"), "{}", c.json);
    }

    #[test]
    fn if_else_if_else() {
        let c = snapshot::<control::if_else>(unit());
        // The `if` chain, fused into one Choice (`opt::fuse_choices`), and the no-input
        // dispatch.
        assert_eq!(c.json.matches("\"Type\": \"Choice\"").count(), 2);
    }

    #[test]
    fn match_with_alternatives_and_default() {
        let c = snapshot::<control::match_arms>(unit());
        assert!(c.json.contains(" in [\\\"1\\\", \\\"2\\\"]"), "{}", c.json);
    }

    #[test]
    fn loop_with_counter_break_continue() {
        snapshot::<control::loop_counter>(unit());
    }

    #[test]
    fn while_loop() {
        snapshot::<control::while_loop>(unit());
    }

    #[test]
    fn early_return_from_sub_flow() {
        snapshot::<control::early_return>(unit());
    }

    #[test]
    fn sub_flows_across_modules_with_parameters() {
        let c = snapshot::<control::composition>(unit());
        assert!(c.json.contains("Thanks for calling Acme, goodbye."));
        assert!(c.json.contains("Thanks for calling Acmé France, goodbye."));
    }

    #[test]
    fn match_on_step_ok_err_hangup() {
        let c = snapshot::<steps::step_match>(unit());
        assert!(c.json.contains("\"HANGUP\""), "{}", c.json);
    }

    #[test]
    fn if_let_ok() {
        snapshot::<steps::if_let>(unit());
    }

    #[test]
    fn wait_timer() {
        let c = snapshot::<steps::wait_timer>(unit());
        assert!(c.json.contains("\"Type\": \"Wait\""), "{}", c.json);
    }

    #[test]
    fn parallel_service_calls() {
        let c = snapshot::<steps::parallel_calls>(unit());
        assert!(c.json.contains("\"Type\": \"Parallel\""), "{}", c.json);
    }

    #[test]
    fn dynamodb_put_get_query_update_delete() {
        let c = snapshot::<services::dynamodb>(unit());
        for api in [
            "dynamodb:putItem",
            "dynamodb:getItem",
            "aws-sdk:dynamodb:query",
            "dynamodb:updateItem",
            "dynamodb:deleteItem",
        ] {
            assert!(c.json.contains(api), "{api} missing");
        }
    }

    #[test]
    fn create_schedule() {
        snapshot::<services::schedule>(unit());
    }

    #[test]
    fn invoke_lambda_and_aws_sdk() {
        snapshot::<services::lambda_and_sdk>(unit());
    }
}

/// Where a fixture's line is, found by searching its source (so moving code does not break it).
fn line_of(source: &str, needle: &str) -> u32 {
    let i = source
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in fixture"));
    i as u32 + 1
}

mod validation {
    use super::fixtures::invalid;
    use super::*;

    const SRC: &str = include_str!("fixtures/invalid.rs");
    const FILE: &str = "workflows/tests/fixtures/invalid.rs";

    fn errors(config: Json) -> Vec<String> {
        let flow = FlowDef::of::<invalid::bad_config>()
            .build(&config)
            .expect("config fits");
        match compile_flow(&flow) {
            Ok(c) => panic!("expected errors, got:\n{}", c.json),
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn valid_config_compiles() {
        compile(&build::<invalid::bad_config>(
            json!({"secs": 30, "text": "Connecting you."}),
        ));
    }

    #[test]
    fn ring_for_from_config_out_of_range() {
        let errs = errors(json!({"secs": 500, "text": "Connecting you."}));
        let line = line_of(SRC, ".ring_for(cfg.secs)");
        let prefix = format!("error: flow `bad-config`: {FILE}:{line}: ");
        let hit = errs
            .iter()
            .find(|e| e.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no error at {prefix}: {errs:#?}"));
        assert!(hit.contains("500") && hit.contains("120"), "{hit}");
    }

    #[test]
    fn ring_for_from_config_is_reported_once() {
        let errs = errors(json!({"secs": 500, "text": "Connecting you."}));
        assert_eq!(errs.len(), 1, "one mistake, one error: {errs:#?}");
    }

    /// The error a flow without configuration gets at the first line of the fixture containing
    /// `needle`.
    fn error_at<F: CallFlow>(needle: &str) -> String {
        let flow = FlowDef::of::<F>()
            .build(&Json::Null)
            .expect("no configuration");
        let errs: Vec<String> = match compile_flow(&flow) {
            Ok(c) => panic!("expected errors, got:\n{}", c.json),
            Err(e) => e.iter().map(ToString::to_string).collect(),
        };
        let at = format!("{FILE}:{}: ", line_of(SRC, needle));
        errs.iter()
            .find(|e| e.starts_with(&format!("error: flow `{}`: {at}", F::NAME)))
            .unwrap_or_else(|| panic!("no error at {at}: {errs:#?}"))
            .clone()
    }

    #[test]
    fn take_message_without_a_hangup_arm_would_lose_the_message() {
        let hit = error_at::<invalid::message_lost_on_hangup>("match take_message(");
        assert!(hit.contains("Err(Hangup(m))"), "says what to do: {hit}");
    }

    #[test]
    fn talking_after_hangup_is_an_error_at_the_hangup() {
        let hit = error_at::<invalid::talks_after_hangup>("    hangup();");
        assert!(
            hit.contains("One more thing."),
            "names what would not be heard: {hit}"
        );
        let hit = error_at::<invalid::talks_after_hangup_and_a_service>(
            "hangup().label(\"Hang up first\");",
        );
        assert!(hit.contains("Still there?"), "{hit}");
    }

    #[test]
    fn an_action_built_in_a_plain_fn_is_an_error_not_silence() {
        let hit =
            error_at::<invalid::action_in_a_plain_fn>("speak(\"We are open from nine to five.\");");
        assert!(hit.contains("#[call_flow]"), "says what to do: {hit}");
    }

    #[test]
    fn speak_text_from_config_over_1000_characters() {
        let errs = errors(json!({"secs": 30, "text": "x".repeat(1001)}));
        let line = line_of(SRC, "speak(&cfg.text)");
        let prefix = format!("error: flow `bad-config`: {FILE}:{line}: ");
        let hit = errs
            .iter()
            .find(|e| e.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no error at {prefix}: {errs:#?}"));
        assert!(hit.contains("1001") && hit.contains("1000"), "{hit}");
        assert!(hit.contains("split"), "says what to do: {hit}");
    }
}

/// Every path into a `Fail` state that reads `$error` must have assigned `error` first (a Catch
/// with `Assign`), or Step Functions evaluates `$error.Error` on an unassigned variable.
fn fail_reads_unassigned_error(c: &Compiled) -> Vec<String> {
    let v: Json = serde_json::from_str(&c.json).unwrap();
    let states = v["States"].as_object().unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![(v["StartAt"].as_str().unwrap().to_owned(), false)];
    let mut bad = Vec::new();
    while let Some((name, assigned)) = stack.pop() {
        if !seen.insert((name.clone(), assigned)) {
            continue;
        }
        let s = &states[&name];
        if s["Type"] == "Fail" && !assigned && s.to_string().contains("$error") {
            bad.push(name.clone());
        }
        let assigns_error = |x: &Json| x.get("Assign").is_some_and(|a| a.get("error").is_some());
        let here = assigned || assigns_error(s);
        for key in ["Next", "Default"] {
            if let Some(n) = s[key].as_str() {
                stack.push((n.to_owned(), here));
            }
        }
        for rule in s["Choices"].as_array().into_iter().flatten() {
            stack.push((rule["Next"].as_str().unwrap().to_owned(), here));
        }
        for c in s["Catch"].as_array().into_iter().flatten() {
            stack.push((
                c["Next"].as_str().unwrap().to_owned(),
                assigned || assigns_error(c),
            ));
        }
    }
    bad
}

#[test]
fn every_fail_state_has_its_error_assigned() {
    let c = compile(&build::<fixtures::control::while_loop>(unit()));
    assert!(
        fail_reads_unassigned_error(&c).is_empty(),
        "reached without `error`: {:?}",
        fail_reads_unassigned_error(&c)
    );
}

#[test]
fn error_assignment_check_finds_the_handler_path_fine() {
    // The check itself: through the default handler, `error` is assigned before `Call failed`.
    let c = compile(&build::<fixtures::basics::batching>(unit()));
    let v: Json = serde_json::from_str(&c.json).unwrap();
    assert!(v["States"]["Call failed"]["Error"]
        .as_str()
        .unwrap()
        .contains("$error"));
    assert!(fail_reads_unassigned_error(&c).is_empty());
}
