//! The `simulate` command: runs scenario files through the simulator (the router's logic in
//! front of the ASL interpreter), prints each transcript with what the call costs on AWS and
//! the coverage of each flow, and with `--html` writes each call as a page ([`pages`]).

pub mod pages;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::json;
use switchboard_sim::cost::{dollars, Bill, Prices, Usage};
use switchboard_sim::scenario::{Outcome, Scenario};

/// The memory of the router Lambda when no stack names the flow (`router_memory_mb`'s
/// default: `switchboard_stack::config`).
pub const DEFAULT_ROUTER_MEMORY_MB: u32 = 256;

pub const USAGE: &str = "usage: simulate [--flow <name|path.asl.json>] --scenario <file.yaml|dir>... [--json] [--html DIR] [--prices FILE] [--config FILE]
  --flow      the flow to run: a name (dist/<name>.asl.json) or a path; default: the scenario's `flow`
  --scenario  a scenario file, or a folder of them (*.yaml, *.yml); repeat or list several
  --json      print one JSON document instead of text
  --html      write each call as a page (DIR/<scenario>.html) with its history
              (DIR/<scenario>.history.json), and a coverage page per flow (DIR/coverage-<flow>.html)
  --prices    a TOML file of prices (region, [step_functions], [lambda], [sqs]: README, \"What a call costs\");
              default: us-east-1's
  --config    the switchboard.toml whose [stack.*] sections give the router's memory
              (router_memory_mb); default: workflows/switchboard.toml";

/// Parsed arguments.
#[derive(Debug, Default, PartialEq)]
pub struct Args {
    pub flow: Option<String>,
    pub scenarios: Vec<PathBuf>,
    pub json: bool,
    pub html: Option<PathBuf>,
    pub prices: Option<PathBuf>,
    pub config: Option<PathBuf>,
}

/// Parses `simulate`'s arguments; `Err("")` asks for the usage alone.
pub fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = Args::default();
    let mut in_scenarios = false;
    while let Some(a) = args.next() {
        let mut value = |what: &str| {
            args.next()
                .filter(|v| !v.starts_with("--"))
                .ok_or_else(|| format!("{a} needs {what}"))
        };
        match a.as_str() {
            "--flow" => out.flow = Some(value("a flow name or path")?),
            "--scenario" | "--scenarios" => {
                out.scenarios.push(value("a file or folder")?.into());
                in_scenarios = true;
                continue;
            }
            "--json" => out.json = true,
            "--html" => out.html = Some(value("a folder to write the pages to")?.into()),
            "--prices" => out.prices = Some(value("a prices file (TOML)")?.into()),
            "--config" => out.config = Some(value("a configuration file")?.into()),
            "-h" | "--help" => return Err(String::new()),
            other if in_scenarios && !other.starts_with("--") => {
                out.scenarios.push(other.into());
                continue;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
        in_scenarios = false;
    }
    if out.scenarios.is_empty() {
        return Err("give at least one --scenario".into());
    }
    Ok(out)
}

/// A scenario file and the folder argument it was found in (for its page's path).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioFile {
    pub path: PathBuf,
    /// Its path from the folder given, without the extension (`business-phone/dst-fall`), or
    /// its file name's stem when given as a file.
    pub name: String,
}

/// Scenario files named by `paths`: files as given, folders searched (recursively) for
/// `*.yaml`/`*.yml`, in name order.
pub fn scenario_files(paths: &[PathBuf]) -> Result<Vec<ScenarioFile>, String> {
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
    let stem = |p: &Path| p.with_extension("").to_string_lossy().replace('\\', "/");
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).map_err(|e| format!("{}: {e}", p.display()))?;
            out.extend(found.into_iter().map(|f| ScenarioFile {
                name: stem(f.strip_prefix(p).unwrap_or(&f)),
                path: f,
            }));
        } else if p.is_file() {
            out.push(ScenarioFile {
                name: stem(Path::new(p.file_name().unwrap_or(p.as_os_str()))),
                path: p.clone(),
            });
        } else {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    if out.is_empty() {
        return Err("no scenario files (*.yaml) found".into());
    }
    Ok(out)
}

/// The router's memory for each flow, by flow name: `router_memory_mb` of the first stack (in
/// name order) whose `flows` lists it.
pub fn router_memory(config: Option<&Path>) -> Result<BTreeMap<String, u32>, String> {
    let Some(path) = config else {
        return Ok(BTreeMap::new());
    };
    let config = switchboard_compiler::config::Config::load(path)?;
    let stacks = switchboard_stack::config::stacks(&config).map_err(|e| e.join("\n"))?;
    let mut out = BTreeMap::new();
    for stack in stacks.values() {
        for flow in &stack.flows {
            out.entry(flow.clone()).or_insert(stack.router_memory_mb);
        }
    }
    Ok(out)
}

/// One scenario that ran, with its cost.
pub struct Ran {
    pub file: ScenarioFile,
    pub outcome: Outcome,
    pub memory_mb: u32,
    pub usage: Usage,
    pub bill: Bill,
}

/// What the command prints, and its exit status (0, 1 when an expectation failed, 2 when a
/// file could not be used).
pub struct Report {
    pub text: String,
    pub errors: String,
    pub status: u8,
}

/// Runs the command.
pub fn run(args: &Args, default_config: Option<&Path>) -> Report {
    let fail = |e: String| Report {
        text: String::new(),
        errors: format!("simulate: {e}\n"),
        status: 2,
    };
    let files = match scenario_files(&args.scenarios) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let prices = match &args.prices {
        Some(p) => match Prices::load(p) {
            Ok(p) => p,
            Err(e) => return fail(e),
        },
        None => Prices::default(),
    };
    let memory = match router_memory(args.config.as_deref().or(default_config)) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    let mut ran = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let loaded = Scenario::load(&file.path);
        match loaded.and_then(|s| s.run(args.flow.as_deref()).map(|o| (s, o))) {
            Ok((scenario, outcome)) => {
                let flow = switchboard_view::cli::flow_name(&outcome.flow);
                let memory_mb = memory
                    .get(&flow)
                    .copied()
                    .unwrap_or(DEFAULT_ROUTER_MEMORY_MB);
                let usage = outcome.transcript.total_usage();
                let bill = prices.bill(&usage, memory_mb);
                ran.push((
                    scenario,
                    Ran {
                        file,
                        outcome,
                        memory_mb,
                        usage,
                        bill,
                    },
                ));
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    let flows = pages::Flows::of(&ran, args.flow.as_deref(), &prices);
    let mut pages_note = String::new();
    if let Some(dir) = &args.html {
        match flows.write(dir) {
            Ok(written) => pages_note = written,
            Err(e) => errors.push(e),
        }
    }
    let failed = ran.iter().filter(|(_, r)| !r.outcome.passed()).count();
    let status = u8::from(failed > 0 || !errors.is_empty());
    let runs: Vec<&Ran> = ran.iter().map(|(_, r)| r).collect();
    let text = if args.json {
        json_report(&runs, &errors, &prices, &flows, failed)
    } else {
        text_report(&runs, &prices, &flows, failed, errors.len(), &pages_note)
    };
    Report {
        text,
        errors: errors.iter().map(|e| format!("error: {e}\n")).collect(),
        status,
    }
}

fn total(runs: &[&Ran]) -> (usize, Bill) {
    let calls = runs.iter().map(|r| r.outcome.transcript.usage.len()).sum();
    let mut b = Bill::default();
    for r in runs {
        b.step_functions += r.bill.step_functions;
        b.lambda_requests += r.bill.lambda_requests;
        b.lambda_duration += r.bill.lambda_duration;
        b.sqs += r.bill.sqs;
    }
    (calls, b)
}

fn text_report(
    runs: &[&Ran],
    prices: &Prices,
    flows: &pages::Flows,
    failed: usize,
    errors: usize,
    pages_note: &str,
) -> String {
    let mut s = String::new();
    for r in runs {
        let o = &r.outcome;
        let mark = if o.passed() { "PASS" } else { "FAIL" };
        let _ = writeln!(
            s,
            "{mark} {} — {} ({})",
            o.scenario.display(),
            o.name,
            o.flow.display()
        );
        s.push_str(&o.transcript.to_string());
        let _ = writeln!(
            s,
            "  on AWS: {} at {} prices, router at {} MB",
            r.bill, prices.region, r.memory_mb
        );
        for f in &o.failures {
            let _ = writeln!(s, "  FAILED: {f}");
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "{} scenario(s): {} passed, {} failed, {} could not run",
        runs.len() + errors,
        runs.len() - failed,
        failed,
        errors
    );
    if !runs.is_empty() {
        let (calls, bill) = total(runs);
        let per_call = if calls > 0 {
            format!(
                ", {} a call on average",
                dollars(bill.total() / calls as f64)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "on AWS: {calls} call(s) cost {}{per_call} ({} prices from {})",
            bill, prices.region, prices.from
        );
    }
    for line in flows.coverage_lines() {
        let _ = writeln!(s, "{line}");
    }
    s.push_str(pages_note);
    s
}

fn json_report(
    runs: &[&Ran],
    errors: &[String],
    prices: &Prices,
    flows: &pages::Flows,
    failed: usize,
) -> String {
    let costs: Vec<_> = runs
        .iter()
        .map(|r| {
            json!({
                "scenario": r.outcome.scenario,
                "router_memory_mb": r.memory_mb,
                "usage": r.usage,
                "dollars": r.bill,
                "total_dollars": r.bill.total(),
            })
        })
        .collect();
    let (calls, bill) = total(runs);
    let doc = json!({
        "passed": failed == 0 && errors.is_empty(),
        "scenarios": runs.iter().map(|r| &r.outcome).collect::<Vec<_>>(),
        "errors": errors,
        "costs": costs,
        "total": {"calls": calls, "dollars": bill, "total_dollars": bill.total(), "region": prices.region},
        "coverage": flows.coverage_json(),
    });
    let mut text =
        serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
