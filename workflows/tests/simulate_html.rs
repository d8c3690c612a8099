//! `simulate --html DIR`: each call as a page with its history beside it (which `view` reads
//! back to the same call), failed expectations at the step they concern, a coverage page per
//! flow, what each call costs on AWS in the console, and the same output for the same
//! scenario, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use switchboard_compiler::asl::StateMachine;
use switchboard_view::history;
use switchboard_view::Graph;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn out(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("simulate-html")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Runs `simulate` from the repository's root: (exit status, stdout, stderr).
fn simulate(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_simulate"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("the simulate binary runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn business() -> Graph {
    let text = std::fs::read_to_string(root().join("dist/business-phone.asl.json")).unwrap();
    Graph::from_machine("business-phone", &StateMachine::from_json(&text).unwrap()).unwrap()
}

/// The call a page carries: the JSON of its `<script id="trace">`.
fn trace_of(page: &str) -> Value {
    let start = page
        .find("<script type=\"application/json\" id=\"trace\">")
        .expect("the page carries a call");
    let json = &page[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    serde_json::from_str(&json.replace("\\u003c", "<")).unwrap()
}

fn str_dir(p: &Path) -> &str {
    p.to_str().unwrap()
}

const NO_ANSWER: &str = "workflows/scenarios/business-phone/open-owner-no-answer.yaml";

#[test]
fn a_call_s_page_and_history_and_view_reads_the_history_back_to_the_same_call() {
    let dir = out("one");
    let (code, stdout, stderr) = simulate(&["--scenario", NO_ANSWER, "--html", str_dir(&dir)]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let page = std::fs::read_to_string(dir.join("open-owner-no-answer.html")).unwrap();
    let shown = trace_of(&page);
    let states: Vec<&str> = shown["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    let read = history::read(&dir.join("open-owner-no-answer.history.json"), &business())
        .unwrap_or_else(|e| panic!("{e}"));
    let replayed: Vec<&str> = read.steps.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(states, replayed);
    assert_eq!(states.first(), Some(&"If call.Direction = 'Outbound'"));
    assert_eq!(states.last(), Some(&"Call ended"));
    assert_eq!(shown["status"], "SUCCEEDED");
    // What it cost, on the page and in the console.
    assert!(page.contains("On AWS: $0.000"), "no cost on the page");
    assert!(
        stdout.contains("  on AWS: $0.000")
            && stdout.contains("at us-east-1 prices, router at 256 MB"),
        "{stdout}"
    );
    assert!(stdout.contains("on AWS: 1 call(s) cost $0.000"), "{stdout}");
    assert!(
        stdout.contains(
            "coverage of business-phone (dist/business-phone.asl.json) by 1 call(s): 7 of "
        ),
        "{stdout}"
    );
    assert!(dir.join("coverage-business-phone.html").is_file());

    // The same scenario again: the same bytes.
    let again = out("again");
    let (code, ..) = simulate(&["--scenario", NO_ANSWER, "--html", str_dir(&again)]);
    assert_eq!(code, 0);
    for f in [
        "open-owner-no-answer.html",
        "open-owner-no-answer.history.json",
        "coverage-business-phone.html",
    ] {
        assert!(
            std::fs::read(dir.join(f)).unwrap() == std::fs::read(again.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
}

#[test]
fn failed_expectations_are_red_at_the_step_they_concern() {
    let dir = out("failing");
    let scenario = dir.join("scenario/no-answer-expected-otherwise.yaml");
    std::fs::create_dir_all(scenario.parent().unwrap()).unwrap();
    let text = std::fs::read_to_string(root().join(NO_ANSWER))
        .unwrap()
        .replace(
            "flow: business-phone",
            &format!(
                "flow: {}",
                root().join("dist/business-phone.asl.json").display()
            ),
        )
        .replace(
            "  status: succeeded",
            "  status: failed\n  not_heard: [\"Sorry, nobody can take\"]\n  max_round_trips: 1",
        );
    std::fs::write(&scenario, text).unwrap();
    let pages = dir.join("pages");
    let (code, stdout, _) = simulate(&[
        "--scenario",
        str_dir(scenario.parent().unwrap()),
        "--html",
        str_dir(&pages),
    ]);
    assert_eq!(code, 1, "{stdout}");
    let page = std::fs::read_to_string(pages.join("no-answer-expected-otherwise.html")).unwrap();
    let t = trace_of(&page);
    let steps = t["steps"].as_array().unwrap();
    let failed: Vec<(&str, &str)> = steps
        .iter()
        .flat_map(|s| {
            s["failed"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |f| (s["state"].as_str().unwrap(), f.as_str().unwrap()))
        })
        .collect();
    // The apology was said in the response of the voicemail prompt's state.
    assert!(
        failed.iter().any(
            |(state, f)| state.starts_with("Speak Sorry, nobody can take")
                && f.starts_with("expected never to hear \"Sorry, nobody can take\"")
        ),
        "{failed:?}"
    );
    // How the execution ended, at its last step.
    let last = steps.last().unwrap();
    assert!(
        last["failed"][0]
            .as_str()
            .unwrap()
            .starts_with("expected the execution to be failed; it is succeeded"),
        "{last}"
    );
    // The rest is about the call as a whole.
    assert_eq!(
        t["failed"],
        serde_json::json!(["expected at most 1 round trips; the run made 4"])
    );
    // In red: the steps' list items and the call's own line.
    assert!(page.contains("<p class=\"failed\">✗ expected at most 1 round trips"));
    assert_eq!(
        page.matches("<li data-step=").filter(|_| true).count(),
        steps.len()
    );
    assert_eq!(page.matches("class=\"failed\">").count(), 1 + 2);
}

#[test]
fn a_folder_gets_a_coverage_page_per_flow_and_its_figures_in_the_console() {
    let dir = out("folder");
    let (code, stdout, stderr) = simulate(&[
        "--scenario",
        "workflows/scenarios/hello",
        "--html",
        str_dir(&dir),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("coverage of hello (dist/hello.asl.json) by 6 call(s): "))
        .unwrap_or_else(|| panic!("{stdout}"));
    let page = std::fs::read_to_string(dir.join("coverage-hello.html")).unwrap();
    let states = page
        .split("data-states=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap();
    let (reached, all) = states.split_once('/').unwrap();
    assert!(
        line.contains(&format!(": {reached} of {all} states (")),
        "{line} vs {states}"
    );
    assert!(reached.parse::<usize>().unwrap() < all.parse::<usize>().unwrap());
    for s in ["silence", "press-1-sales", "wrong-key"] {
        assert!(dir.join(format!("{s}.html")).is_file(), "{s}");
        assert!(dir.join(format!("{s}.history.json")).is_file(), "{s}");
    }
}

#[test]
fn prices_come_from_a_file_and_a_bad_one_is_refused_with_its_line() {
    let dir = out("prices");
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("sao-paulo.toml");
    std::fs::write(
        &good,
        "region = \"sa-east-1\"\n[step_functions]\nper_1000_state_transitions = 0.0375\n",
    )
    .unwrap();
    let (code, stdout, _) = simulate(&["--scenario", NO_ANSWER, "--prices", str_dir(&good)]);
    assert_eq!(code, 0);
    // 7 transitions at $0.0375 a thousand.
    assert!(stdout.contains("Step Functions $0.00026250"), "{stdout}");
    assert!(stdout.contains("at sa-east-1 prices"), "{stdout}");

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[lambda]\nper_gb_secnd = 1\n").unwrap();
    let (code, _, stderr) = simulate(&["--scenario", NO_ANSWER, "--prices", str_dir(&bad)]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "{}:2:1: unknown field `per_gb_secnd`",
            bad.display()
        )),
        "{stderr}"
    );
}

#[test]
fn the_router_s_memory_is_its_stack_s() {
    let dir = out("memory");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("switchboard.toml");
    std::fs::write(
        &config,
        "[stack.acme]\nflows = [\"business-phone\"]\nrouter_memory_mb = 1024\n",
    )
    .unwrap();
    let (code, stdout, stderr) = simulate(&["--scenario", NO_ANSWER, "--config", str_dir(&config)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("router at 1024 MB"), "{stdout}");
    // The repository's own configuration: the business stack's default, 256 MB.
    let (_, stdout, _) = simulate(&["--scenario", NO_ANSWER]);
    assert!(stdout.contains("router at 256 MB"), "{stdout}");

    std::fs::write(
        &config,
        "[stack.acme]\nflows = [\"business-phone\"]\nrouter_memory_mb = 64\n",
    )
    .unwrap();
    let (code, _, stderr) = simulate(&["--scenario", NO_ANSWER, "--config", str_dir(&config)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("router_memory_mb"), "{stderr}");
    assert!(stderr.contains("128 to 10240 MB"), "{stderr}");
}

#[test]
fn a_scenario_of_several_calls_gets_a_page_per_call() {
    let dir = out("several");
    let (code, stdout, stderr) = simulate(&[
        "--scenario",
        "workflows/scenarios/business-phone/messages-two-left-then-retrieved.yaml",
        "--html",
        str_dir(&dir),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let name = "messages-two-left-then-retrieved";
    let mut titles = Vec::new();
    for file in [
        format!("{name}.html"),
        format!("{name}.call-2.html"),
        format!("{name}.call-3.html"),
    ] {
        let page =
            std::fs::read_to_string(dir.join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        titles.push(trace_of(&page)["title"].as_str().unwrap().to_owned());
        let history = dir.join(file.replace(".html", ".history.json"));
        let read = history::read(&history, &business()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.status, "SUCCEEDED", "{file}");
    }
    assert!(titles[1].ends_with(" — call 2"), "{titles:?}");
    assert!(titles[2].ends_with(" — call 3"), "{titles:?}");
    assert!(!dir.join(format!("{name}.call-4.html")).exists());
}
