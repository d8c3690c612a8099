//! Each simulated call as a picture: the flow's page with the call on it (the path taken, a
//! step-through, failed expectations in red at the step they concern) and its history in
//! `GetExecutionHistory` form beside it, so `view --flow … --history …` replays it; and per
//! flow, what all the calls covered.
//!
//! The page is drawn from the definition as it is on disk (`dist/<flow>.asl.json`), like
//! `compile`'s; the simulator ran it with the deploy-time values as names
//! ([`switchboard_sim::scenario::deploy_time_offline`]), which the page's reader matches. A
//! history the file's states cannot hold (a scenario's `substitute` renamed states) is drawn on
//! the definition as the simulator ran it, and left out of the coverage.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use switchboard_compiler::asl::StateMachine;
use switchboard_sim::cost::Prices;
use switchboard_sim::pstn::Entry;
use switchboard_sim::scenario::{Outcome, Scenario, Site};
use switchboard_view::coverage::Coverage;
use switchboard_view::history;
use switchboard_view::page::{self, Options};
use switchboard_view::{cli, Graph, Trace};

use super::Ran;

/// One call's page.
pub struct CallPage {
    /// Where it goes under the output folder, without the extension: `business-phone/dst-fall`,
    /// `…/messages-two-left-then-retrieved.call-2`.
    pub file: String,
    /// The call, failed expectations and cost included.
    pub trace: Trace,
    /// Its history, as `get-execution-history --output json` prints it.
    pub history: String,
    /// Drawn on the definition as the simulator ran it, not as it is on disk.
    pub as_run: Option<Graph>,
}

/// One flow: its graph, its calls' pages, what they covered.
pub struct FlowPages {
    /// The definition file.
    pub path: PathBuf,
    /// The graph drawn from it, or why it cannot be drawn.
    pub graph: Result<Graph, String>,
    pub coverage: Option<Coverage>,
    pub calls: Vec<CallPage>,
}

/// Every flow the scenarios ran, in the order they first ran.
pub struct Flows(pub Vec<FlowPages>);

impl Flows {
    /// The pages of every scenario that ran (with `--flow` as given, if any).
    pub fn of(ran: &[(Scenario, Ran)], flow_override: Option<&str>, prices: &Prices) -> Flows {
        let mut flows: Vec<FlowPages> = Vec::new();
        for (scenario, r) in ran {
            let o = &r.outcome;
            let i = match flows.iter().position(|f| f.path == o.flow) {
                Some(i) => i,
                None => {
                    let graph = graph_of(&o.flow);
                    let coverage = graph.as_ref().ok().map(Coverage::new);
                    flows.push(FlowPages {
                        path: o.flow.clone(),
                        graph,
                        coverage,
                        calls: Vec::new(),
                    });
                    flows.len() - 1
                }
            };
            let f = &mut flows[i];
            let Ok(graph) = &f.graph else { continue };
            let as_run = || {
                let (_, m) = scenario.machine(flow_override).ok()?;
                Graph::from_machine(&cli::flow_name(&o.flow), &m).ok()
            };
            for page in calls(r, graph, as_run, prices) {
                if let (None, Some(c)) = (&page.as_run, &mut f.coverage) {
                    c.add(graph, &page.trace);
                }
                f.calls.push(page);
            }
        }
        Flows(flows)
    }

    /// `coverage of <flow> by <n> calls: …`, one line per flow.
    pub fn coverage_lines(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|f| match (&f.graph, &f.coverage) {
                (Ok(g), Some(c)) => format!(
                    "coverage of {} ({}) by {} call(s): {}",
                    g.name,
                    f.path.display(),
                    c.calls,
                    c.summary()
                ),
                (Err(e), _) => format!("coverage of {}: cannot draw it: {e}", f.path.display()),
                (Ok(g), None) => format!("coverage of {}: none", g.name),
            })
            .collect()
    }

    /// The coverage of each flow, for `--json`.
    pub fn coverage_json(&self) -> Value {
        let flows: Vec<Value> = self
            .0
            .iter()
            .filter_map(|f| {
                let (g, c) = (f.graph.as_ref().ok()?, f.coverage.as_ref()?);
                let (s, st) = c.states_reached();
                let (t, tt) = c.transitions_taken();
                Some(json!({
                    "flow": g.name, "path": f.path, "calls": c.calls,
                    "states": {"reached": s, "of": st},
                    "transitions": {"taken": t, "of": tt},
                    "unreached_states": c.unreached_states(g),
                    "untaken_transitions": c.untaken_transitions(g),
                }))
            })
            .collect();
        Value::Array(flows)
    }

    /// Writes every call's page and history, and each flow's coverage page, under `dir`; says
    /// what it wrote.
    pub fn write(&self, dir: &Path) -> Result<String, String> {
        let mut pages = 0;
        let mut coverage = Vec::new();
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for f in &self.0 {
            let Ok(graph) = &f.graph else { continue };
            for call in &f.calls {
                let html = dir.join(format!("{}.html", call.file));
                let json = dir.join(format!("{}.history.json", call.file));
                let g = call.as_run.as_ref().unwrap_or(graph);
                let options = Options {
                    source_root: cli::source_root(g, &f.path, &html),
                };
                write(&html, &page::render_with(g, Some(&call.trace), &options))?;
                write(&json, &call.history)?;
                pages += 1;
            }
            if let Some(c) = &f.coverage {
                // Two definitions of one name (dist/ and a test's copy): the second is numbered.
                let n = names.entry(graph.name.clone()).or_default();
                *n += 1;
                let file = match *n {
                    1 => format!("coverage-{}.html", graph.name),
                    n => format!("coverage-{}-{n}.html", graph.name),
                };
                let out = dir.join(&file);
                let options = Options {
                    source_root: cli::source_root(graph, &f.path, &out),
                };
                write(
                    &out,
                    &switchboard_view::coverage::render(graph, c, &options),
                )?;
                coverage.push(out.display().to_string());
            }
        }
        let mut note = format!(
            "pages: {pages} call page(s) with their histories under {}",
            dir.display()
        );
        if !coverage.is_empty() {
            let _ = write!(note, "; coverage: {}", coverage.join(", "));
        }
        note.push('\n');
        Ok(note)
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The graph of the definition at `path`.
pub fn graph_of(path: &Path) -> Result<Graph, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let machine = StateMachine::from_json(&text)
        .map_err(|e| format!("{}:{}:{}: {e}", path.display(), e.line(), e.column()))?;
    Graph::from_machine(&cli::flow_name(path), &machine).map_err(|e| e.to_string())
}

/// The pages of one scenario's calls: one per execution, in order (or one without a call
/// when no execution started, to show what failed).
fn calls(
    r: &Ran,
    graph: &Graph,
    as_run: impl Fn() -> Option<Graph>,
    prices: &Prices,
) -> Vec<CallPage> {
    let o = &r.outcome;
    let t = &o.transcript;
    let several = o.histories.len() > 1;
    let mut pages: Vec<(Option<usize>, CallPage)> = Vec::new();
    for (i, h) in o.histories.iter().enumerate() {
        let name = &t.executions[i].name;
        let call = t
            .usage
            .iter()
            .find(|u| u.execution.as_deref() == Some(name.as_str()));
        let number = call.map(|c| c.call);
        let title = match (several, number) {
            (true, Some(n)) => format!("{} — call {n}", o.name),
            _ => o.name.clone(),
        };
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(h).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        );
        // The simulator writes the model the page reads (`switchboard_asl::history`): drawn on
        // the flow's graph, or else on the definition the scenario ran.
        let (mut trace, drawn_as_run) = match history::trace(h, graph, &title) {
            Ok(trace) => (trace, None),
            Err(_) => {
                let Some(g) = as_run() else { continue };
                match history::trace(h, &g, &title) {
                    Ok(trace) => (trace, Some(g)),
                    Err(_) => continue,
                }
            }
        };
        trace
            .facts
            .push(format!("{} ({})", o.scenario.display(), pass(o)));
        if let Some(c) = call {
            let bill = prices.bill(&c.usage, r.memory_mb);
            trace.facts.push(format!(
                "On AWS: {bill} at {} prices, router at {} MB",
                prices.region, r.memory_mb
            ));
            trace.facts.push(format!("Used: {}", c.usage));
        }
        let file = match (i, number) {
            (0, _) | (_, None) => r.file.name.clone(),
            (_, Some(n)) => format!("{}.call-{n}", r.file.name),
        };
        pages.push((
            number,
            CallPage {
                file,
                trace,
                history: text,
                as_run: drawn_as_run,
            },
        ));
    }
    if pages.is_empty() {
        let trace = Trace {
            title: o.name.clone(),
            status: "NOT STARTED".into(),
            facts: vec![format!(
                "{} ({}): no execution started",
                o.scenario.display(),
                pass(o)
            )],
            ..Trace::default()
        };
        pages.push((
            None,
            CallPage {
                file: r.file.name.clone(),
                trace,
                history: "{\n  \"events\": []\n}\n".into(),
                as_run: None,
            },
        ));
    }
    for f in &o.failures {
        place(&mut pages, graph, o, &f.site, f.to_string());
    }
    pages.into_iter().map(|(_, p)| p).collect()
}

fn pass(o: &Outcome) -> &'static str {
    if o.passed() {
        "passed"
    } else {
        "FAILED"
    }
}

/// Puts a failed expectation on the page and step it concerns: a transcript entry on the step
/// whose response ran it (the last waiting state entered by then), an execution's end on its
/// last step, anything else on the call as a whole.
fn place(
    pages: &mut [(Option<usize>, CallPage)],
    graph: &Graph,
    o: &Outcome,
    site: &Site,
    message: String,
) {
    let page_of = |call: Option<usize>| {
        call.and_then(|c| pages.iter().position(|(n, _)| *n == Some(c)))
            .unwrap_or(0)
    };
    let (page, step) = match site {
        Site::Entry(k) => match o.transcript.entries.get(*k).and_then(entry_time) {
            Some((call, at)) => {
                let p = page_of(Some(call));
                let g = pages[p].1.as_run.as_ref().unwrap_or(graph);
                let waits = |s: &switchboard_view::Step| {
                    g.node_index(&s.state).is_some_and(|n| g.nodes[n].waits)
                };
                let step = pages[p]
                    .1
                    .trace
                    .steps
                    .iter()
                    .rposition(|s| waits(s) && s.at_ms.is_some_and(|t| t <= at));
                (p, step)
            }
            None => (0, None),
        },
        Site::End(name) => {
            let number = o
                .transcript
                .usage
                .iter()
                .find(|u| u.execution.as_deref() == Some(name.as_str()))
                .map(|u| u.call);
            let p = page_of(number);
            (p, pages[p].1.trace.steps.len().checked_sub(1))
        }
        Site::Call(call) => (page_of(*call), None),
    };
    let trace = &mut pages[page].1.trace;
    match step {
        Some(s) => trace.steps[s].failed.push(message),
        None => trace.failed.push(message),
    }
}

/// The call and time (since the call started) of a transcript entry.
fn entry_time(e: &Entry) -> Option<(usize, i64)> {
    match e {
        Entry::Event { call, at_ms, .. }
        | Entry::Action { call, at_ms, .. }
        | Entry::Pressed { call, at_ms, .. }
        | Entry::HungUp { call, at_ms, .. }
        | Entry::Note { call, at_ms, .. } => Some((*call, *at_ms)),
        Entry::Call { .. } => None,
    }
}
