//! End to end: a business-phone scenario runs in the simulator, which records each execution as
//! Step Functions' `GetExecutionHistory` reports it; the JSON it writes is read back by the
//! page's reader (`switchboard_view::history`, which reads real `aws stepfunctions
//! get-execution-history --output json`), against the graph drawn from the compiled
//! definition in `dist/`. The call the page shows must be the one the simulator ran: the
//! states the transcript lists, in order, with what the caller heard and pressed.

use std::path::{Path, PathBuf};

use switchboard_compiler::asl::StateMachine;
use switchboard_sim::pstn::Entry;
use switchboard_sim::scenario::{Outcome, Scenario};
use switchboard_view::history::{self, History};
use switchboard_view::words::strip_ssml;
use switchboard_view::{Graph, Trace};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn run(name: &str) -> Outcome {
    let path = root().join("scenarios/business-phone").join(name);
    let o = Scenario::load(&path)
        .and_then(|s| s.run(None))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.passed(), "{name}: {:?}", o.failures);
    o
}

fn business() -> Graph {
    let path = root().join("../dist/business-phone.asl.json");
    let m = StateMachine::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    Graph::from_machine("business-phone", &m).unwrap()
}

/// The simulator's history of execution `i`, as JSON text, read back as the page reads a real
/// one.
fn replay(o: &Outcome, i: usize, graph: &Graph) -> Trace {
    let text = serde_json::to_string_pretty(&o.histories[i]).unwrap();
    let read: History = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!("the page's reader refuses the simulator's history: {e}\n{text}")
    });
    history::trace(&read, graph, &o.name).unwrap_or_else(|e| panic!("{e}"))
}

/// `DynamoDB putItem ${Table}` (the graph, from `dist/`) names the state the simulator ran as
/// `DynamoDB putItem Table` (the deploy-time value as its name offline).
fn offline(name: &str) -> String {
    switchboard_sim::scenario::deploy_time_offline(name)
}

/// What the caller heard on their leg, as the page words it: speech as said (SSML tags read as
/// the words they hold), audio as `♪ key`.
fn heard_on_leg_a(o: &Outcome) -> Vec<String> {
    o.transcript
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Action {
                text: Some(t), leg, ..
            } if leg == "LEG-A" => Some(match t.strip_prefix("s3://") {
                Some(uri) => format!("♪ {}", uri.split_once('/').map_or(uri, |(_, k)| k)),
                None => strip_ssml(t),
            }),
            _ => None,
        })
        .collect()
}

fn pressed(o: &Outcome) -> Vec<String> {
    o.transcript
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Pressed { digits, .. } if !digits.is_empty() => {
                Some(digits.trim_end_matches('#').to_owned())
            }
            _ => None,
        })
        .collect()
}

fn check(name: &str) -> (Outcome, Trace) {
    let o = run(name);
    assert_eq!(o.histories.len(), o.transcript.executions.len());
    let graph = business();
    let t = replay(&o, 0, &graph);
    let steps: Vec<String> = t.steps.iter().map(|s| offline(&s.state)).collect();
    assert_eq!(
        steps, o.transcript.executions[0].states,
        "{name}: the page's steps are the states the simulator ran"
    );
    assert_eq!(t.status, o.transcript.executions[0].status.to_uppercase());
    let heard: Vec<String> = t.steps.iter().flat_map(|s| s.heard.clone()).collect();
    assert_eq!(heard, heard_on_leg_a(&o), "{name}: what the caller heard");
    let keys: Vec<String> = t.steps.iter().filter_map(|s| s.pressed.clone()).collect();
    assert_eq!(keys, pressed(&o), "{name}: the keys pressed");
    (o, t)
}

#[test]
fn the_owner_hears_a_message_and_goes_back_to_the_menu() {
    let (_, t) = check("messages-back-to-menu.yaml");
    assert_eq!(t.status, "SUCCEEDED");
    // The PIN, the menu choice and the 9 back to the menu, each from the event that
    // completed its prompt.
    let keys: Vec<&str> = t
        .steps
        .iter()
        .filter_map(|s| s.pressed.as_deref())
        .collect();
    assert_eq!(keys, ["2468", "1", "9"]);
    assert!(t
        .steps
        .iter()
        .any(|s| s.heard.iter().any(|h| h.contains("New message 1 of 1"))));
    // The hang-up at the menu ends the call through its catcher.
    let last_wait = t.steps.iter().rev().find(|s| s.error.is_some()).unwrap();
    assert!(
        last_wait.error.as_deref().unwrap().starts_with("HANGUP"),
        "{last_wait:?}"
    );
}

#[test]
fn a_customer_leaves_a_message_when_the_owner_does_not_answer() {
    let (o, t) = check("open-owner-no-answer.yaml");
    let failed: Vec<&str> = t.steps.iter().filter_map(|s| s.error.as_deref()).collect();
    assert!(
        failed[0].starts_with("ACTION_FAILED: CallNotAnswered"),
        "{failed:?}"
    );
    // The message is filed: a service call the page words as storing a record.
    assert!(
        t.steps.iter().any(|s| s.state.contains("putItem")
            && s.sent.iter().any(|x| x.contains("BusinessPhoneMessages"))),
        "{:#?}",
        t.steps
    );
    // Timestamps come from the simulated clock: the bridge rang the owner for 25 s.
    let times: Vec<i64> = t.steps.iter().map(|s| s.at_ms.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!(
        *times.last().unwrap() >= 25_000,
        "{times:?} ({})",
        o.transcript
    );
}

#[test]
fn each_call_of_a_scenario_is_an_execution_with_its_own_history() {
    let o = run("messages-two-left-then-retrieved.yaml");
    assert!(o.histories.len() >= 2, "{}", o.transcript);
    let graph = business();
    for (i, x) in o.transcript.executions.iter().enumerate() {
        let t = replay(&o, i, &graph);
        let steps: Vec<String> = t.steps.iter().map(|s| offline(&s.state)).collect();
        assert_eq!(steps, x.states, "execution {}", x.name);
    }
}
