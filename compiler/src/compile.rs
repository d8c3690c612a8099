//! The `compile` command's logic: configuration, building every flow, validation, `dist/`,
//! `--check`, and the one-line-per-flow summary.

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::sources::{self, Marks, Sources};
use crate::{check, emit, lower, opt};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use switchboard::ir::Flow;
use switchboard::FlowDef;
use switchboard_asl::graph;
use switchboard_asl::{State, StateMachine};

/// A compiled flow.
pub struct Compiled {
    pub name: String,
    pub machine: StateMachine,
    pub json: String,
    /// Where its values come from in the Rust source, by JSON pointer.
    pub sources: Sources,
    pub stats: Stats,
    /// Findings that do not stop the build (a definition near Step Functions' size limit).
    pub warnings: Vec<String>,
}

/// Figures of a compiled definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub states: usize,
    /// Waiting Tasks (round trips to the caller) on the longest path from start to end, loops
    /// taken once.
    pub round_trips: usize,
    pub bytes: usize,
}

/// Compiles one flow's IR: lowering, the optimisation passes, emission, IR checks, graph
/// checks. All errors, or the definition.
pub fn compile_flow(flow: &Flow) -> Result<Compiled, Vec<Diagnostic>> {
    let (mut arena, mut errors) = lower::lower(flow);
    opt::run(&mut arena);
    let marks = Marks::default();
    let mut machine = emit::machine_tagged(&arena, lower::machine_comment(flow), &marks);
    errors.extend(check::variables(flow));
    // Only a sound definition is optimised further: the errors of one that is not name the
    // states as lowering made them.
    if errors.is_empty() && graph::check(&machine).is_empty() {
        opt::finish(&mut machine);
    }
    let sources = sources::collect(&mut machine, marks);
    for g in graph::check(&machine) {
        errors.push(Diagnostic {
            flow: flow.name.clone(),
            location: g.location.clone(),
            message: match g.kind {
                graph::GraphErrorKind::SpinCycle => format!(
                    "state `{}`: {} (in the flow: make each pass of the loop wait for the caller with an action, or call `wait(seconds)` in it)",
                    g.state, g.message
                ),
                _ => format!("state `{}`: {}", g.state, g.message),
            },
        });
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.location.cmp(&b.location));
        errors.dedup();
        return Err(errors);
    }
    let mut json = machine.to_canonical_json();
    if sources::tagged(&json) {
        sources::strip(&mut machine);
        json = machine.to_canonical_json();
    }
    let stats = Stats {
        states: count_states(&machine),
        round_trips: round_trips(&machine),
        bytes: json.len(),
    };
    let warnings = graph::size_warning(json.len()).into_iter().collect();
    Ok(Compiled {
        name: flow.name.clone(),
        machine,
        json,
        sources,
        stats,
        warnings,
    })
}

fn count_states(m: &StateMachine) -> usize {
    m.states
        .values()
        .map(|s| 1 + s.scopes().map(|scope| scope.states.len()).sum::<usize>())
        .sum()
}

/// Longest path in waiting Tasks over the graph with back edges removed (depth-first order),
/// following `Next`, Choice rules and `Default`: the call as the flow means it, not its error
/// handling (`Catch` edges).
pub fn round_trips(m: &StateMachine) -> usize {
    let idx: HashMap<&str, usize> = m
        .states
        .keys()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let states: Vec<&State> = m.states.values().collect();
    let weight = |s: &State| usize::from(matches!(s, State::Task(t) if t.waits_for_task_token()));
    // Iterative DFS computing the longest path from each node, ignoring edges to nodes on the
    // current stack (back edges).
    let n = states.len();
    let mut best = vec![0usize; n];
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let Some(&start) = idx.get(m.start_at.as_str()) else {
        return 0;
    };
    let mut stack = vec![(start, 0usize)];
    state[start] = 1;
    while let Some(&mut (v, ref mut i)) = stack.last_mut() {
        let succ: Vec<usize> = states[v]
            .successors()
            .filter(|e| !e.kind.is_catch())
            .filter_map(|e| idx.get(e.target).copied())
            .collect();
        if *i < succ.len() {
            let w = succ[*i];
            *i += 1;
            if state[w] == 0 {
                state[w] = 1;
                stack.push((w, 0));
            }
        } else {
            let longest = succ
                .iter()
                .filter(|&&w| state[w] == 2)
                .map(|&w| best[w])
                .max()
                .unwrap_or(0);
            best[v] = weight(states[v]) + longest;
            state[v] = 2;
            stack.pop();
        }
    }
    best[start]
}

/// Options of the `compile` command.
#[derive(Debug, Default)]
pub struct Options {
    pub out: PathBuf,
    pub config: Option<PathBuf>,
    pub sets: Vec<String>,
    pub only: Option<String>,
    pub check: bool,
    /// `--drift FILE`: compare an edited definition with what its flow compiles to.
    pub drift: Option<PathBuf>,
    /// `--apply` (with `--drift`): rewrite the literals the edits changed.
    pub apply: bool,
}

/// Parses `compile`'s arguments.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut o = Options {
        out: PathBuf::from("dist"),
        ..Default::default()
    };
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--out" => o.out = value("--out")?.into(),
            "--config" => o.config = Some(value("--config")?.into()),
            "--set" => o.sets.push(value("--set")?),
            "--flow" => o.only = Some(value("--flow")?),
            "--check" => o.check = true,
            "--drift" => o.drift = Some(value("--drift")?.into()),
            "--apply" => o.apply = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if o.apply && o.drift.is_none() {
        return Err(format!("--apply goes with --drift FILE\n{USAGE}"));
    }
    if o.check && o.drift.is_some() {
        return Err(format!(
            "--check and --drift are two commands: give one\n{USAGE}"
        ));
    }
    Ok(o)
}

pub const USAGE: &str = "usage: compile [--flow NAME] [--out DIR] [--config FILE] [--set section.key=value]... [--check]
       compile --drift FILE [--apply] [--flow NAME] [--config FILE] [--set section.key=value]...
  compiles every registered call flow to DIR/<name>.asl.json (default dist/)
  --check         verify DIR is up to date instead of writing (for CI)
  --drift FILE    compare FILE (a definition from Workflow Studio, or describe-state-machine
                  output) with what its flow compiles to; exit 1 when they differ, 2 on bad input
  --apply         with --drift: rewrite the string and number literals the edits changed";

/// Files generated from the compiled flows and the configuration, written (or checked) beside
/// the definitions: the deploy step's templates. `sections` are the top-level configuration
/// sections it reads, which are no flow's.
pub struct Extras<'a> {
    pub sections: &'a [&'a str],
    #[allow(clippy::type_complexity)]
    pub files: &'a dyn Fn(&Config, &[Compiled]) -> Result<Vec<(String, String)>, Vec<String>>,
    /// Files of one flow alone, written (or checked) beside its definition whenever it is
    /// compiled, also with `--flow`: its page. `(file name, contents)`.
    pub per_flow: &'a dyn Fn(&Compiled) -> Vec<(String, String)>,
}

impl Extras<'_> {
    /// No extra files.
    pub const NONE: Extras<'static> = Extras {
        sections: &[],
        files: &|_, _| Ok(Vec::new()),
        per_flow: &|_| Vec::new(),
    };
}

/// Runs the command; returns the report to print and whether it succeeded.
pub fn run(flows: &[FlowDef], opts: &Options, default_config: Option<&Path>) -> (String, bool) {
    run_with(flows, opts, default_config, &Extras::NONE)
}

/// [`run`], also writing (or checking) `extras`.
pub fn run_with(
    flows: &[FlowDef],
    opts: &Options,
    default_config: Option<&Path>,
    extras: &Extras,
) -> (String, bool) {
    let mut out = String::new();
    let mut ok = true;
    let config = match load_config(opts, default_config) {
        Ok(c) => c,
        Err(e) => return (format!("error: {e}\n"), false),
    };
    let unknown = config.unknown_sections(flows, extras.sections);
    if !unknown.is_empty() {
        for e in unknown {
            out.push_str(&format!("error: {e}\n"));
        }
        out.push_str("error: nothing written: fix the errors above\n");
        return (out, false);
    }
    let selected: Vec<&FlowDef> = flows
        .iter()
        .filter(|f| opts.only.as_deref().is_none_or(|n| n == f.name))
        .collect();
    if selected.is_empty() {
        let names: Vec<&str> = flows.iter().map(|f| f.name).collect();
        return (
            format!(
                "error: no flow named `{}`; the flows are: {}\n",
                opts.only.clone().unwrap_or_default(),
                names.join(", ")
            ),
            false,
        );
    }
    let mut compiled = Vec::new();
    for def in selected {
        let flow = match def.build(&config.section(def.section)) {
            Ok(f) => f,
            Err(e) => {
                ok = false;
                for line in config.explain(&e) {
                    out.push_str(&format!("error: {line}\n"));
                }
                continue;
            }
        };
        match compile_flow(&flow) {
            Ok(c) => compiled.push(c),
            Err(errors) => {
                ok = false;
                for e in errors {
                    out.push_str(&format!("{e}\n"));
                }
            }
        }
    }
    // The extra files only when every flow compiled (they read them all), and only for a whole
    // build: with --flow, a template would see one flow of its stack.
    let extra_files = if ok && opts.only.is_none() {
        match (extras.files)(&config, &compiled) {
            Ok(files) => files,
            Err(errors) => {
                for e in errors {
                    out.push_str(&format!("error: {e}\n"));
                }
                ok = false;
                Vec::new()
            }
        }
    } else {
        Vec::new()
    };
    if !ok {
        out.push_str("error: nothing written: fix the errors above\n");
        return (out, false);
    }
    let flow_files: Vec<(String, String)> = compiled.iter().flat_map(extras.per_flow).collect();
    for c in &compiled {
        for w in &c.warnings {
            out.push_str(&format!("warning: flow `{}`: {w}\n", c.name));
        }
        let path = opts.out.join(format!("{}.asl.json", c.name));
        let status = if opts.check {
            match std::fs::read_to_string(&path) {
                Ok(existing) if existing == c.json => "up to date",
                Ok(_) => {
                    ok = false;
                    "STALE: run `cargo run --bin compile`"
                }
                Err(_) => {
                    ok = false;
                    "MISSING: run `cargo run --bin compile`"
                }
            }
        } else {
            if let Err(e) =
                std::fs::create_dir_all(&opts.out).and_then(|()| std::fs::write(&path, &c.json))
            {
                return (
                    format!("{out}error: cannot write {}: {e}\n", path.display()),
                    false,
                );
            }
            "written"
        };
        out.push_str(&format!(
            "{:<24} {:>4} states  {:>3} round trips  {:>8} bytes ({:.2}% of 1 MB)  {}  {}\n",
            c.name,
            c.stats.states,
            c.stats.round_trips,
            c.stats.bytes,
            c.stats.bytes as f64 * 100.0 / graph::MAX_DEFINITION_BYTES as f64,
            path.display(),
            status
        ));
    }
    for (file, contents) in flow_files.iter().chain(&extra_files) {
        let path = opts.out.join(file);
        let status = match write_or_check(&path, contents, opts.check) {
            Ok(s) => s,
            Err(e) => return (format!("{out}error: {e}\n"), false),
        };
        ok &= !status.starts_with("STALE") && !status.starts_with("MISSING");
        out.push_str(&format!(
            "{:<24} {:>8} bytes  {}  {}\n",
            file.trim_end_matches(".json"),
            contents.len(),
            path.display(),
            status
        ));
    }
    (out, ok)
}

/// The configuration `--config` (or `default_config`) and the `--set`s give.
pub fn load_config(opts: &Options, default_config: Option<&Path>) -> Result<Config, String> {
    let mut config = match opts.config.as_deref().or(default_config) {
        Some(p) => Config::load(p)?,
        None => Config::empty(),
    };
    for s in &opts.sets {
        config.set(s)?;
    }
    Ok(config)
}

/// Writes `contents` to `path`, or with `check` compares them: the status to print.
fn write_or_check(path: &Path, contents: &str, check: bool) -> Result<&'static str, String> {
    if check {
        return Ok(match std::fs::read_to_string(path) {
            Ok(existing) if existing == contents => "up to date",
            Ok(_) => "STALE: run `cargo run --bin compile`",
            Err(_) => "MISSING: run `cargo run --bin compile`",
        });
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok("written")
}
