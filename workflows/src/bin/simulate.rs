//! `cargo run --bin simulate -- [--flow <name|path.asl.json>] --scenario <file|dir>... [--json]`
//!
//! Runs scenario files through the PSTN audio simulator (the router's logic in front of the
//! ASL interpreter) and prints each transcript. Exit status 0 when every expectation of every
//! scenario held, 1 when one failed (the failures are listed), 2 on a usage or file error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use switchboard_sim::scenario::{Outcome, Scenario};

const USAGE: &str = "usage: simulate [--flow <name|path.asl.json>] --scenario <file.yaml|dir>... [--json]
  --flow      the flow to run: a name (dist/<name>.asl.json) or a path; default: the scenario's `flow`
  --scenario  a scenario file, or a folder of them (*.yaml, *.yml); repeat or list several
  --json      print one JSON document instead of text";

struct Args {
    flow: Option<String>,
    scenarios: Vec<PathBuf>,
    json: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args {
        flow: None,
        scenarios: Vec::new(),
        json: false,
    };
    let mut in_scenarios = false;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--flow" => {
                out.flow = Some(args.next().ok_or("--flow needs a flow name or path")?);
                in_scenarios = false;
            }
            "--scenario" | "--scenarios" => {
                out.scenarios.push(
                    args.next()
                        .ok_or("--scenario needs a file or folder")?
                        .into(),
                );
                in_scenarios = true;
            }
            "--json" => out.json = true,
            "-h" | "--help" => return Err(String::new()),
            other if in_scenarios && !other.starts_with("--") => out.scenarios.push(other.into()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if out.scenarios.is_empty() {
        return Err("give at least one --scenario".into());
    }
    Ok(out)
}

/// Scenario files named by `paths`: files as given, folders searched (recursively) for
/// `*.yaml`/`*.yml`, in name order.
fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: {e}", p.display()))?;
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    if out.is_empty() {
        return Err("no scenario files (*.yaml) found".into());
    }
    Ok(out)
}

fn print_text(o: &Outcome) {
    let mark = if o.passed() { "PASS" } else { "FAIL" };
    println!(
        "{mark} {} — {} ({})",
        o.scenario.display(),
        o.name,
        o.flow.display()
    );
    print!("{}", o.transcript);
    for f in &o.failures {
        println!("  FAILED: {f}");
    }
    println!();
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("simulate: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let files = match scenario_files(&args.scenarios) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("simulate: {e}");
            return ExitCode::from(2);
        }
    };
    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    for file in &files {
        match Scenario::load(file).and_then(|s| s.run(args.flow.as_deref())) {
            Ok(o) => outcomes.push(o),
            Err(e) => errors.push(e.to_string()),
        }
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    if args.json {
        let doc = serde_json::json!({
            "passed": failed == 0 && errors.is_empty(),
            "scenarios": outcomes,
            "errors": errors,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc)
                .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        );
    } else {
        for o in &outcomes {
            print_text(o);
        }
        for e in &errors {
            eprintln!("error: {e}");
        }
        println!(
            "{} scenario(s): {} passed, {} failed, {} could not run",
            files.len(),
            outcomes.len() - failed,
            failed,
            errors.len()
        );
    }
    if failed > 0 || !errors.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
