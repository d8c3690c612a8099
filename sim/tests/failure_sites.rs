//! What each failed expectation concerns (`scenario::Site`), so a picture of the call can
//! show it at the step where it happened: a text heard or an action run at the transcript
//! entry that ran it, how the execution ended at its end, anything else on the call.

use std::path::Path;

use switchboard_sim::pstn::Entry;
use switchboard_sim::scenario::{Outcome, Scenario, Site};

fn run(text: &str) -> Outcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inline.yaml");
    let s = Scenario::parse(&path, text).unwrap_or_else(|e| panic!("{e}"));
    s.run(None).unwrap_or_else(|e| panic!("{e}"))
}

const BRIDGE: &str = r#"
flow: fixtures/flows/bridge.asl.json
call: {from: "+15105550101", to: "+12065550100"}
script:
  - bridge: {outcome: answered, talk: 30, ends: callee}
"#;

/// The one failure of `text`, and its outcome.
fn one(text: &str) -> (Outcome, Site) {
    let o = run(text);
    assert_eq!(o.failures.len(), 1, "{:?}", o.failures);
    let site = o.failures[0].site.clone();
    (o, site)
}

fn entry(o: &Outcome, site: &Site) -> Entry {
    let Site::Entry(i) = site else {
        panic!("not an entry: {site:?}")
    };
    o.transcript.entries[*i].clone()
}

#[test]
fn a_text_that_should_not_be_heard_is_where_it_was_said() {
    let (o, site) = one(&format!(
        "{BRIDGE}expect:\n  legs: {{LEG-B: {{not_heard: [Call from Acme]}}}}\n"
    ));
    let Entry::Action { text, leg, .. } = entry(&o, &site) else {
        panic!()
    };
    assert_eq!(leg, "LEG-B");
    assert!(text.unwrap().contains("Call from Acme"));
}

#[test]
fn an_action_that_should_not_run_is_where_it_first_ran() {
    let (o, site) = one(&format!(
        "{BRIDGE}expect:\n  actions_not_run: [CallAndBridge]\n"
    ));
    let Entry::Action { action, .. } = entry(&o, &site) else {
        panic!()
    };
    assert_eq!(action, "CallAndBridge");
}

#[test]
fn how_the_execution_ended_is_at_its_end_and_the_rest_is_about_the_call() {
    let (o, site) = one(&format!("{BRIDGE}expect:\n  status: failed\n"));
    assert_eq!(site, Site::End(o.transcript.executions[0].name.clone()));
    let (_, site) = one(&format!("{BRIDGE}expect:\n  heard: [Welcome]\n"));
    assert_eq!(site, Site::Call(Some(1)));
    let (_, site) = one(&format!("{BRIDGE}expect:\n  max_transitions: 1\n"));
    assert_eq!(site, Site::Call(Some(1)));
}

#[test]
fn each_call_s_expectations_are_about_that_call_the_file_s_about_all() {
    let o = run(r#"
flow: fixtures/flows/bridge.asl.json
calls:
  - call: {from: "+15105550101", to: "+12065550100"}
    script: [{bridge: {outcome: answered, talk: 30, ends: callee}}]
  - call: {from: "+15105550102", to: "+12065550100"}
    script: [{bridge: {outcome: answered, talk: 30, ends: callee}}]
    expect: {heard: [Welcome]}
expect:
  calls: 3
"#);
    let sites: Vec<&Site> = o.failures.iter().map(|f| &f.site).collect();
    assert_eq!(
        sites,
        [&Site::Call(Some(2)), &Site::Call(None)],
        "{:?}",
        o.failures
    );
    assert!(o.failures[0].starts_with("call 2: expected to hear \"Welcome\""));
}
