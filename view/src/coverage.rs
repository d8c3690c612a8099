//! How much of a flow a set of calls went through: the states they entered and the
//! transitions they took (edges and badges alike), and a page that marks what none of them
//! reached.
//!
//! A transition is taken when a call goes along it from one step to the next
//! ([`Trace::passages`]). A Parallel's branches start along their branch edges, and a step that
//! follows a branch's last state leaves the Parallel (or Map) that holds it: that is its
//! `Next`, counted for the enclosing state.

use std::fmt::Write;

use crate::graph::Graph;
use crate::layout;
use crate::page::Options;
use crate::svg::{self, esc, Cards, Marks};
use crate::trace::{Passage, Trace};

const STYLE: &str = include_str!("../assets/page.css");
const SCRIPT: &str = include_str!("../assets/page.js");
/// What never ran is drawn dashed, in the colour of failure.
const COVERAGE_STYLE: &str = "\
.coverage .node:not(.visited) .card { stroke: var(--fail); stroke-width: 2.2; stroke-dasharray: 5 3; }
.coverage .node.end:not(.visited) .card { fill: #fff; }
.coverage .node.end:not(.visited) .words, .coverage .node.end:not(.visited) .src text { fill: var(--fail); }
.coverage .edge:not(.taken) path { stroke: var(--fail); stroke-opacity: .75; stroke-dasharray: 5 3; }
.coverage .edge.taken path { stroke-width: 1.8; }
.legend .unreached::before { border: 2px dashed var(--fail); background: #fff; }
.legend .reached::before { border-color: var(--taken); background: #fff; }
#unreached { padding: 6px 24px 18px; color: var(--muted); }
#unreached h2 { font-size: 14px; margin: 10px 0 4px; color: var(--ink); }
#unreached li { margin: 1px 0; }
";

/// What a set of calls went through, per state and transition of one graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// The calls counted.
    pub calls: usize,
    /// Per node of the graph: how many times a call entered it.
    pub states: Vec<usize>,
    /// Per edge: how many times a call took it.
    pub edges: Vec<usize>,
    /// Per node, per badge: how many times a call left through it.
    pub badges: Vec<Vec<usize>>,
}

impl Coverage {
    /// Nothing covered yet.
    pub fn new(graph: &Graph) -> Coverage {
        Coverage {
            calls: 0,
            states: vec![0; graph.nodes.len()],
            edges: vec![0; graph.edges.len()],
            badges: graph
                .nodes
                .iter()
                .map(|n| vec![0; n.badges.len()])
                .collect(),
        }
    }

    /// Counts the call `trace` on `graph`. Steps naming a state the graph does not have are
    /// left out.
    pub fn add(&mut self, graph: &Graph, trace: &Trace) {
        self.calls += 1;
        let passages = trace.passages(graph);
        for (i, (step, passage)) in trace.steps.iter().zip(passages).enumerate() {
            let Some(node) = graph.node_index(&step.state) else {
                continue;
            };
            self.states[node] += 1;
            match passage {
                Passage::Edge(j) => self.edges[j] += 1,
                Passage::Badge(k) => {
                    let prev = graph.node_index(&trace.steps[i - 1].state);
                    if let Some(p) = prev {
                        self.badges[p][k] += 1;
                    }
                }
                Passage::None if i > 0 => {
                    if let Some(j) = enclosing_edge(graph, &trace.steps[i - 1].state, &step.state) {
                        self.edges[j] += 1;
                    }
                }
                Passage::None => {}
            }
        }
    }

    /// `(reached, all)` states.
    pub fn states_reached(&self) -> (usize, usize) {
        let reached = self.states.iter().filter(|n| **n > 0).count();
        (reached, self.states.len())
    }

    /// `(taken, all)` transitions: edges and badges.
    pub fn transitions_taken(&self) -> (usize, usize) {
        let all = self.edges.len() + self.badges.iter().map(Vec::len).sum::<usize>();
        let taken = self.edges.iter().filter(|n| **n > 0).count()
            + self.badges.iter().flatten().filter(|n| **n > 0).count();
        (taken, all)
    }

    /// The states no call entered, in the definition's order.
    pub fn unreached_states<'g>(&self, graph: &'g Graph) -> Vec<&'g str> {
        graph
            .nodes
            .iter()
            .zip(&self.states)
            .filter(|(_, n)| **n == 0)
            .map(|(node, _)| node.name.as_str())
            .collect()
    }

    /// The transitions no call took, in words: `from → to (label)`.
    pub fn untaken_transitions(&self, graph: &Graph) -> Vec<String> {
        let mut out = Vec::new();
        for (e, n) in graph.edges.iter().zip(&self.edges) {
            if *n == 0 {
                let label = e
                    .label
                    .as_ref()
                    .map(|l| format!(" ({l})"))
                    .unwrap_or_default();
                out.push(format!("{} → {}{label}", e.from, e.to));
            }
        }
        for (node, counts) in graph.nodes.iter().zip(&self.badges) {
            for (b, n) in node.badges.iter().zip(counts) {
                if *n == 0 {
                    out.push(format!(
                        "{} → {} (on {})",
                        node.name,
                        b.to,
                        b.errors.join(", ")
                    ));
                }
            }
        }
        out
    }

    /// `12 of 14 states (85.7%), 20 of 25 transitions (80.0%)`.
    pub fn summary(&self) -> String {
        let (s, st) = self.states_reached();
        let (t, tt) = self.transitions_taken();
        format!(
            "{s} of {st} states ({}), {t} of {tt} transitions ({})",
            percent(s, st),
            percent(t, tt)
        )
    }
}

/// `part` of `all` as a percentage to a tenth, rounded down (so 99.96% is not shown as 100%).
pub fn percent(part: usize, all: usize) -> String {
    if all == 0 {
        return "100.0%".to_owned();
    }
    let tenths = part * 1000 / all;
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// The edge a call took from `prev` (the last state of a branch or iteration) to `next`: from
/// the Parallel or Map that holds `prev`, or one holding that, to `next`.
fn enclosing_edge(graph: &Graph, prev: &str, next: &str) -> Option<usize> {
    let mut at = graph.node_index(prev)?;
    while let Some(parent) = graph.nodes[at].parent.as_deref() {
        if let Some(j) = graph
            .edges
            .iter()
            .position(|e| e.from == parent && e.to == next)
        {
            return Some(j);
        }
        at = graph.node_index(parent)?;
    }
    None
}

/// The coverage page of `graph`: the drawing with what no call reached dashed in red, the
/// percentages, and the lists of what was not reached.
pub fn render(graph: &Graph, coverage: &Coverage, options: &Options) -> String {
    let layout = layout::layout(graph, &Cards { graph });
    // An end state drawn near each use: a copy counts the calls that came along its edges, the
    // state's own box the rest (those that came through a badge, or started there).
    let mut visits = vec![0; layout.boxes.len()];
    for r in &layout.routes {
        if !layout.boxes[r.to_box].primary {
            visits[r.to_box] += coverage.edges.get(r.edge).copied().unwrap_or(0);
        }
    }
    for (b, nb) in layout.boxes.iter().enumerate().filter(|(_, nb)| nb.primary) {
        let copies: usize = layout
            .boxes
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.primary && c.node == nb.node)
            .map(|(c, _)| visits[c])
            .sum();
        visits[b] = coverage.states[nb.node].saturating_sub(copies);
    }
    let marks = Marks {
        visits,
        taken: coverage.edges.clone(),
        failed: vec![false; layout.boxes.len()],
    };
    let (s, st) = coverage.states_reached();
    let (t, tt) = coverage.transitions_taken();
    let mut page = String::with_capacity(128 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        page,
        "<title>Coverage of {} · Switchboard</title>",
        esc(&graph.name)
    );
    let _ = writeln!(page, "<style>\n{STYLE}{COVERAGE_STYLE}");
    // The badges no call left through, by their ids.
    for (n, counts) in coverage.badges.iter().enumerate() {
        for (k, c) in counts.iter().enumerate() {
            if *c == 0 {
                let kind = format!("{:?}", graph.nodes[n].badges[k].kind).to_lowercase();
                let _ = writeln!(
                    page,
                    ".coverage #n{n}-{kind} rect {{ fill: #fff; stroke: var(--fail); stroke-dasharray: 3 2; }} .coverage #n{n}-{kind} text {{ fill: var(--fail); }}"
                );
            }
        }
    }
    page.push_str("</style>\n</head>\n");
    let root = options
        .source_root
        .as_ref()
        .map(|r| format!(" data-source-root=\"{}\"", esc(r)))
        .unwrap_or_default();
    let _ = writeln!(page, "<body class=\"coverage\"{root}>");
    page.push_str("<header>\n");
    let _ = writeln!(page, "<h1>Coverage of {}</h1>", esc(&graph.name));
    let calls = match coverage.calls {
        1 => "1 call".to_owned(),
        n => format!("{n} calls"),
    };
    let _ = writeln!(
        page,
        "<p class=\"facts\" id=\"summary\" data-states=\"{s}/{st}\" data-transitions=\"{t}/{tt}\">{calls} · states: {s} of {st} ({}) · transitions: {t} of {tt} ({})</p>",
        percent(s, st),
        percent(t, tt)
    );
    page.push_str("<ul class=\"legend\"><li class=\"reached\">reached (×n: how many times, over all the calls)</li><li class=\"unreached\">no call reached it</li></ul>\n</header>\n");
    page.push_str("<main id=\"canvas\">\n");
    page.push_str(&svg::drawing(graph, &layout, &marks));
    page.push_str("\n</main>\n<section id=\"unreached\">\n");
    let list = |page: &mut String, title: &str, items: &[String]| {
        let _ = writeln!(page, "<h2>{title} ({})</h2>", items.len());
        if items.is_empty() {
            page.push_str("<p>none</p>\n");
            return;
        }
        page.push_str("<ul>\n");
        for i in items {
            let _ = writeln!(page, "<li>{}</li>", esc(i));
        }
        page.push_str("</ul>\n");
    };
    let states: Vec<String> = coverage
        .unreached_states(graph)
        .into_iter()
        .map(str::to_owned)
        .collect();
    list(&mut page, "States no call reached", &states);
    list(
        &mut page,
        "Transitions no call took",
        &coverage.untaken_transitions(graph),
    );
    page.push_str("</section>\n");
    let _ = writeln!(page, "<script>\n{SCRIPT}</script>\n</body>\n</html>");
    page
}
