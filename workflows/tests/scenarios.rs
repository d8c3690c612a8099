//! Every scenario under `workflows/scenarios/` runs through the simulator (router logic in
//! front of the ASL interpreter) against the compiled flows in `dist/`, and every expectation
//! holds. One test, so a failure lists every failing scenario at once.

use std::path::{Path, PathBuf};

use switchboard_sim::scenario::Scenario;

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
}

#[test]
fn every_scenario_of_every_example_flow_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    // Each example flow has its scenarios.
    for flow in ["front-desk", "transfer", "voicemail", "hello"] {
        assert!(
            files.iter().any(|f| f.starts_with(root.join(flow))),
            "no scenarios for {flow} under {}",
            root.display()
        );
    }
    let mut failures = Vec::new();
    for file in &files {
        match Scenario::load(file).and_then(|s| s.run(None)) {
            Ok(o) if o.passed() => {}
            Ok(o) => failures.push(format!(
                "{}:\n{}    {}",
                file.display(),
                o.transcript,
                o.failures.join("\n    ")
            )),
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_readme_example_runs_and_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    // The scenario format is documented in the project README, example included.
    let readme = std::fs::read_to_string(dir.join("../../README.md")).expect("README.md");
    let start = readme.find("```yaml\n").expect("a yaml example") + "```yaml\n".len();
    let end = start + readme[start..].find("```").expect("the example ends");
    let scenario = Scenario::parse(&dir.join("README-example.yaml"), &readme[start..end])
        .unwrap_or_else(|e| panic!("{e}"));
    let outcome = scenario.run(None).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        outcome.passed(),
        "{}\n{}",
        outcome.transcript,
        outcome.failures.join("\n")
    );
}

/// The router fails what a call left queued with a zero-length receive when the caller hangs
/// up; the simulator must not let the response budget pass for it. The customer talks 45 s
/// into a call bridged about 9 s in, so the call lasts under a minute (it read 57.8 s: 4 s of a
/// budget that never elapsed).
#[test]
fn a_zero_length_receive_lets_no_simulated_time_pass() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/business-phone/open-customer-hangs-up-bridged.yaml");
    let o = Scenario::load(&file).and_then(|s| s.run(None)).unwrap();
    assert!(o.passed(), "{:?}", o.failures);
    let ms = o.transcript.call_duration_ms;
    assert!(ms < 55_000, "the call lasted {ms} ms of simulated time");
}
