//! One self-contained HTML page: the flow's drawing, and optionally a call traced on it with a
//! step-through (← and → keys). Scripts, styles and data are inline, fonts are the reader's
//! system fonts: the page needs no network. The same graph and trace give the same bytes.

use std::fmt::Write;

use serde::Serialize;
use switchboard_asl::StateMachine;

use crate::graph::{BadgeKind, Graph};
use crate::layout::{self, Layout};
use crate::svg::{self, esc, Cards, Marks};
use crate::trace::{Passage, Trace};

const STYLE: &str = include_str!("../assets/page.css");
const SCRIPT: &str = include_str!("../assets/page.js");

/// How a page is written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The directory the states' `file:line` paths are relative to, as a path from the page's
    /// own directory (`..` for `dist/x.html` in a repository whose comments name
    /// `workflows/src/…`). Opened from a file, the page turns its links into absolute
    /// `vscode://file/…` links with it; without it they keep the path as written.
    pub source_root: Option<String>,
}

/// The page of a compiled definition, as `compile` writes it beside `<name>.asl.json`:
/// `(file name, page)`. A definition the graph cannot draw (a transition to a state it does
/// not have, which the compiler's checks refuse first) gets a page saying so.
pub fn for_definition(
    name: &str,
    machine: &StateMachine,
    source_root: Option<String>,
) -> (String, String) {
    let html = match Graph::from_machine(name, machine) {
        Ok(graph) => render_with(&graph, None, &Options { source_root }),
        Err(e) => format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title></head><body><p>{0} cannot be drawn: {1}</p></body></html>\n",
            esc(name),
            esc(&e.to_string())
        ),
    };
    (format!("{name}.html"), html)
}

/// The page of `graph`, with `trace` on it if given.
pub fn render(graph: &Graph, trace: Option<&Trace>) -> String {
    render_with(graph, trace, &Options::default())
}

/// Where the page draws everything: its size and edge crossings are the page's readability
/// figures.
pub fn layout_of(graph: &Graph) -> Layout {
    layout::layout(graph, &Cards { graph })
}

/// [`render`] with [`Options`].
pub fn render_with(graph: &Graph, trace: Option<&Trace>, options: &Options) -> String {
    let layout = layout_of(graph);
    let steps = trace.map(|t| steps(graph, &layout, t));
    let marks = steps
        .as_ref()
        .map(|s| marks(graph, &layout, s))
        .unwrap_or_default();
    let mut page = String::with_capacity(128 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(page, "<title>{} · Switchboard</title>", esc(&graph.name));
    let _ = writeln!(page, "<style>\n{STYLE}</style>\n</head>");
    let root = options
        .source_root
        .as_ref()
        .map(|r| format!(" data-source-root=\"{}\"", esc(r)))
        .unwrap_or_default();
    let traced = if trace.is_some() {
        " class=\"traced\""
    } else {
        ""
    };
    let _ = writeln!(page, "<body{traced}{root}>");
    header(&mut page, graph, &layout);
    if let (Some(t), Some(s)) = (trace, &steps) {
        panel(&mut page, t, s);
    }
    page.push_str("<main id=\"canvas\">\n");
    page.push_str(&svg::drawing(graph, &layout, &marks));
    page.push_str("\n</main>\n");
    if let (Some(t), Some(s)) = (trace, &steps) {
        let data = TraceData {
            title: &t.title,
            status: &t.status,
            error: t.error.as_deref(),
            failed: &t.failed,
            steps: s,
        };
        // `<` escaped so no text in the data can close the script element.
        let json = serde_json::to_string(&data)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        let _ = writeln!(
            page,
            "<script type=\"application/json\" id=\"trace\">{json}</script>"
        );
    }
    let _ = writeln!(page, "<script>\n{SCRIPT}</script>\n</body>\n</html>");
    page
}

/// A step as the page's script reads it.
#[derive(Debug, Serialize)]
struct StepData<'a> {
    state: &'a str,
    label: &'a str,
    kind: &'a str,
    /// The box to light up (`b<n>`).
    #[serde(rename = "box")]
    box_: Option<usize>,
    /// The edge it came along (`e<n>`), or the badge (`n<node>-<kind>`).
    edge: Option<usize>,
    badge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    at_ms: Option<i64>,
    sent: &'a [String],
    heard: &'a [String],
    pressed: Option<&'a str>,
    reported: Option<&'a str>,
    error: Option<&'a str>,
    failed: &'a [String],
}

#[derive(Debug, Serialize)]
struct TraceData<'a> {
    title: &'a str,
    status: &'a str,
    error: Option<&'a str>,
    failed: &'a [String],
    steps: &'a [StepData<'a>],
}

/// Where each step of `trace` is on the drawing.
fn steps<'a>(graph: &'a Graph, layout: &Layout, trace: &'a Trace) -> Vec<StepData<'a>> {
    let passages = trace.passages(graph);
    let primary = |node: usize| {
        layout
            .boxes
            .iter()
            .position(|b| b.node == node && b.primary)
    };
    trace
        .steps
        .iter()
        .zip(passages)
        .enumerate()
        .map(|(i, (step, passage))| {
            let node = graph.node_index(&step.state);
            let (edge, badge, box_) = match passage {
                Passage::Edge(j) => {
                    let to = layout.routes.iter().find(|r| r.edge == j).map(|r| r.to_box);
                    (Some(j), None, to.or_else(|| node.and_then(primary)))
                }
                Passage::Badge(k) => {
                    let prev_name = &trace.steps[i - 1].state;
                    let prev = graph.node_index(prev_name);
                    let badge = prev.map(|p| {
                        let kind = format!("{:?}", graph.nodes[p].badges[k].kind).to_lowercase();
                        format!("n{p}-{kind}")
                    });
                    // An end state drawn beside the state the badge is on, if it is drawn there.
                    let beside = layout.boxes.iter().position(|b| {
                        Some(b.node) == node
                            && b.copy_for
                                .is_some_and(|e| graph.edges[e].from == *prev_name)
                    });
                    (None, badge, beside.or_else(|| node.and_then(primary)))
                }
                Passage::None => (None, None, node.and_then(primary)),
            };
            let n = node.map(|n| &graph.nodes[n]);
            StepData {
                state: &step.state,
                label: n.map_or("", |n| n.label.as_str()),
                kind: n.map_or("", |n| n.kind.as_str()),
                box_,
                edge,
                badge,
                at_ms: step.at_ms,
                sent: &step.sent,
                heard: &step.heard,
                pressed: step.pressed.as_deref(),
                reported: step.reported.as_deref(),
                error: step.error.as_deref(),
                failed: &step.failed,
            }
        })
        .collect()
}

/// Visits per box, passages per edge, failures per box.
fn marks(graph: &Graph, layout: &Layout, steps: &[StepData]) -> Marks {
    let mut m = Marks {
        visits: vec![0; layout.boxes.len()],
        taken: vec![0; graph.edges.len()],
        failed: vec![false; layout.boxes.len()],
    };
    for s in steps {
        if let Some(b) = s.box_ {
            m.visits[b] += 1;
            m.failed[b] |= !s.failed.is_empty();
        }
        if let Some(e) = s.edge {
            m.taken[e] += 1;
        }
    }
    m
}

fn header(page: &mut String, graph: &Graph, layout: &Layout) {
    page.push_str("<header>\n");
    let _ = writeln!(page, "<h1>{}</h1>", esc(&graph.name));
    if let Some(c) = &graph.comment {
        let _ = writeln!(page, "<p class=\"comment\">{}</p>", esc(c));
    }
    let files = match graph.groups.len() {
        0 => String::new(),
        1 => " · 1 Rust file".to_owned(),
        n => format!(" · {n} Rust files"),
    };
    let _ = writeln!(
        page,
        "<p class=\"facts\">{} states · {} transitions{files} · {} · {:.0} × {:.0} px, {} edge crossings</p>",
        graph.nodes.len(),
        graph.edges.len() + graph.nodes.iter().map(|n| n.badges.len()).sum::<usize>(),
        esc(&graph.query_language),
        layout.width,
        layout.height,
        layout.crossings
    );
    page.push_str("<ul class=\"legend\"><li class=\"talk\">talks with the caller</li><li class=\"decide\">decides</li><li class=\"service\">calls a service</li><li class=\"step\">other step</li><li class=\"succeed\">ends</li><li class=\"fail\">fails</li>");
    let has = |kind: BadgeKind| {
        graph
            .nodes
            .iter()
            .flat_map(|n| &n.badges)
            .any(|b| b.kind == kind)
    };
    if has(BadgeKind::Hangup) {
        page.push_str("<li class=\"b-hangup\"><span>hang-up → end</span> the call ends if the caller hangs up</li>");
    }
    if let (Some(h), true) = (&graph.error_handler, has(BadgeKind::Error)) {
        let _ = write!(
            page,
            "<li class=\"b-error\"><span>error → ⚠</span> any other error goes to “{}”</li>",
            esc(h)
        );
    }
    page.push_str("</ul>\n<p class=\"tools\"><button id=\"fit\" type=\"button\" aria-pressed=\"false\">Fit to window</button> <small>hover a state for its name and type; its Rust line opens in VS Code</small></p>\n</header>\n");
}

fn panel(page: &mut String, trace: &Trace, steps: &[StepData]) {
    page.push_str("<aside id=\"call\">\n");
    let _ = writeln!(page, "<h2>{}</h2>", esc(&trace.title));
    let status_class = if trace.status == "SUCCEEDED" {
        "ok"
    } else {
        "bad"
    };
    let _ = write!(
        page,
        "<p class=\"status {status_class}\">{}",
        esc(&trace.status)
    );
    if let Some(e) = &trace.error {
        let _ = write!(page, " — {}", esc(e));
    }
    page.push_str("</p>\n");
    for f in &trace.failed {
        let _ = writeln!(page, "<p class=\"failed\">✗ {}</p>", esc(f));
    }
    page.push_str("<p class=\"keys\"><button id=\"prev\" type=\"button\">←</button> <span id=\"where\"></span> <button id=\"next\" type=\"button\">→</button> <small>← → keys step through the call</small></p>\n");
    page.push_str("<div id=\"step\"></div>\n<ol id=\"steps\">\n");
    for (i, s) in steps.iter().enumerate() {
        let class = if s.failed.is_empty() {
            ""
        } else {
            " class=\"failed\""
        };
        let _ = writeln!(page, "<li data-step=\"{i}\"{class}>{}</li>", esc(s.state));
    }
    page.push_str("</ol>\n</aside>\n");
}
