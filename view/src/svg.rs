//! The drawing as SVG: cards for states (their words wrapped, their Rust `file:line` as a
//! link), pills for end states, curves for edges with their labels, tinted areas for Rust
//! files. Sizes are estimated from character counts (no font is measured: the page uses the
//! reader's system fonts), generously, so text stays inside its card.

use std::fmt::Write;

use crate::graph::{BadgeKind, Graph, Node};
use crate::layout::{Layout, Sizes};
use crate::words::cut;

/// A state's card.
pub const CARD_W: f64 = 250.0;
const PAD: f64 = 10.0;
/// Words: 12 px, this many characters a line, at most this many lines.
const LINE_H: f64 = 15.0;
const LINE_CHARS: usize = 33;
const MAX_LINES: usize = 4;
/// The `file:line` at the card's foot: 9 px monospace.
const SRC_H: f64 = 14.0;
const SRC_CHARS: usize = 42;
/// An end state's pill.
const PILL_H: f64 = 26.0;
/// An edge label: 10.5 px.
const LABEL_H: f64 = 16.0;
const LABEL_CHAR_W: f64 = 6.0;

/// Card sizes of a graph's states, from their words.
pub struct Cards<'a> {
    pub graph: &'a Graph,
}

impl Sizes for Cards<'_> {
    fn node(&self, node: usize, _copy: bool) -> (f64, f64) {
        // An end state's copies are the same pill as the state.
        let n = &self.graph.nodes[node];
        if n.end {
            return (pill_width(n), PILL_H);
        }
        let lines = wrap(&n.label, LINE_CHARS, MAX_LINES).len() as f64;
        let src = if n.source.is_some() { SRC_H } else { 0.0 };
        (CARD_W, PAD + 4.0 + lines * LINE_H + src + PAD)
    }

    fn label(&self, text: &str) -> (f64, f64) {
        (text.chars().count() as f64 * LABEL_CHAR_W + 10.0, LABEL_H)
    }
}

fn pill_width(n: &Node) -> f64 {
    (cut(&n.name, LINE_CHARS).chars().count() as f64 * 6.6 + 24.0).clamp(80.0, CARD_W)
}

/// `text` in lines of at most `width` characters, words kept whole where they fit; at most
/// `max` lines, the last ending in `…` when the text goes on.
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        loop {
            let len = line.chars().count();
            let wlen = word.chars().count();
            if len == 0 && wlen > width {
                let head: String = word.chars().take(width).collect();
                word = word.chars().skip(width).collect();
                lines.push(head);
                continue;
            }
            if len > 0 && len + 1 + wlen > width {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            if len > 0 {
                line.push(' ');
            }
            line.push_str(&word);
            break;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = lines[max - 1].clone();
        lines[max - 1] = cut(&format!("{last} …"), width);
        if !lines[max - 1].ends_with('…') {
            lines[max - 1].push('…');
        }
    }
    lines
}

/// Text for an SVG or HTML text node or attribute value.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the drawing marks for a traced call.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    /// Per box: visits.
    pub visits: Vec<usize>,
    /// Per edge: times taken.
    pub taken: Vec<usize>,
    /// Per box: a failed expectation at a step there.
    pub failed: Vec<bool>,
}

/// The whole drawing.
pub fn drawing(graph: &Graph, layout: &Layout, marks: &Marks) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"drawing\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\">",
        w = layout.width.ceil(),
        h = layout.height.ceil()
    );
    s.push_str("<defs>");
    // One arrowhead per edge colour, sized in pixels (not in stroke widths).
    for id in ["arrow", "arrow-taken", "arrow-current"] {
        let _ = write!(
            s,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"9\" markerHeight=\"9\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>"
        );
    }
    s.push_str("</defs>\n");
    s.push_str("<g class=\"groups\">\n");
    let mut labels = String::new();
    for (g, rects) in layout.groups.iter().enumerate() {
        let Some(first) = rects.first() else { continue };
        let _ = write!(
            s,
            "<g class=\"group g{}\" data-file=\"{}\">",
            g % 8,
            esc(&graph.groups[g])
        );
        for r in rects {
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
                r.x, r.y, r.w, r.h
            );
        }
        s.push_str("</g>\n");
        // The file's name goes over everything else (written last), haloed.
        let _ = write!(
            labels,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            first.x + 4.0,
            first.y + 9.0,
            esc(&graph.groups[g])
        );
    }
    s.push_str("</g>\n<g class=\"edges\">\n");
    for route in &layout.routes {
        let e = &graph.edges[route.edge];
        let taken = marks.taken.get(route.edge).copied().unwrap_or(0);
        let mut class = format!("edge {:?}", e.kind).to_lowercase();
        if route.back {
            class.push_str(" back");
        }
        if taken > 0 {
            class.push_str(" taken");
        }
        let _ = write!(
            s,
            "<g class=\"{class}\" id=\"e{}\" data-from=\"{}\" data-to=\"{}\"><title>{}</title><path d=\"{}\" marker-end=\"url(#arrow)\"/>",
            route.edge,
            esc(&e.from),
            esc(&e.to),
            esc(&edge_title(graph, route.edge)),
            path(&route.points)
        );
        if let (Some(text), Some((x, y))) = (&e.label, route.label) {
            let w = text.chars().count() as f64 * LABEL_CHAR_W + 10.0;
            let _ = write!(
                s,
                "<rect class=\"label-bg\" x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{LABEL_H:.1}\" rx=\"3\"/><text class=\"label\" x=\"{x:.1}\" y=\"{:.1}\">{}</text>",
                x - w / 2.0,
                y - LABEL_H / 2.0,
                y + 3.8,
                esc(text)
            );
        }
        if taken > 1 {
            let (x, y) = route.label.unwrap_or_else(|| midpoint(&route.points));
            let _ = write!(
                s,
                "<text class=\"count\" x=\"{:.1}\" y=\"{:.1}\">×{taken}</text>",
                x + 6.0,
                y - 9.0
            );
        }
        s.push_str("</g>\n");
    }
    s.push_str("</g>\n<g class=\"nodes\">\n");
    for (b, nb) in layout.boxes.iter().enumerate() {
        let n = &graph.nodes[nb.node];
        let visits = marks.visits.get(b).copied().unwrap_or(0);
        let mut class = String::from(if n.end { "node end" } else { "node" });
        class.push(' ');
        class.push_str(&role(n));
        if !nb.primary {
            class.push_str(" copy");
        }
        if visits > 0 {
            class.push_str(" visited");
        }
        if marks.failed.get(b).copied().unwrap_or(false) {
            class.push_str(" failed");
        }
        let name_attr = if nb.primary {
            "data-state"
        } else {
            "data-copy-of"
        };
        let _ = write!(
            s,
            "<g class=\"{class}\" id=\"b{b}\" {name_attr}=\"{}\" data-type=\"{}\" transform=\"translate({:.1},{:.1})\"><title>{} ({})</title>",
            esc(&n.name),
            esc(&n.kind),
            nb.x,
            nb.y,
            esc(&n.name),
            esc(&n.kind)
        );
        if n.end {
            pill(&mut s, n, nb.w, nb.h);
        } else {
            card(&mut s, graph, nb.node, nb.w, nb.h);
        }
        if visits > 1 {
            let _ = write!(
                s,
                "<text class=\"count\" x=\"{:.1}\" y=\"-4\">×{visits}</text>",
                nb.w - 4.0
            );
        }
        s.push_str("</g>\n");
    }
    let _ = write!(s, "</g>\n<g class=\"group-labels\">{labels}</g>\n</svg>");
    s
}

/// `talk`, `decide`, `service`, `step`, `succeed` or `fail`.
fn role(n: &Node) -> String {
    match n.kind.as_str() {
        "Task" if n.waits => "talk",
        "Task" => "service",
        "Choice" => "decide",
        "Fail" => "fail",
        "Succeed" => "succeed",
        _ => "step",
    }
    .to_owned()
}

fn card(s: &mut String, graph: &Graph, node: usize, w: f64, h: f64) {
    let n = &graph.nodes[node];
    let _ = write!(
        s,
        "<rect class=\"card\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"6\"/>"
    );
    s.push_str("<text class=\"words\">");
    for (i, line) in wrap(&n.label, LINE_CHARS, MAX_LINES).iter().enumerate() {
        let _ = write!(
            s,
            "<tspan x=\"{PAD:.1}\" y=\"{:.1}\">{}</tspan>",
            PAD + 11.0 + i as f64 * LINE_H,
            esc(line)
        );
    }
    s.push_str("</text>");
    if let Some(src) = &n.source {
        let plain = src.to_string();
        let shown = if plain.chars().count() > SRC_CHARS {
            let tail: String = plain
                .chars()
                .rev()
                .take(SRC_CHARS - 1)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("…{tail}")
        } else {
            plain.clone()
        };
        let _ = write!(
            s,
            "<a class=\"src\" href=\"vscode://file/{}\" data-path=\"{}\"><text x=\"{PAD:.1}\" y=\"{:.1}\">{}</text></a>",
            esc(&plain),
            esc(&plain),
            h - PAD - 1.0,
            esc(&shown)
        );
    }
    // Badges on the top border, right-aligned.
    let mut x = w - 6.0;
    for b in n.badges.iter().rev() {
        let (text, class, title) = match b.kind {
            BadgeKind::Hangup => (
                "hang-up → end",
                "hangup",
                format!("If the caller hangs up ({}): {}", b.errors.join(", "), b.to),
            ),
            BadgeKind::Error => (
                "error → ⚠",
                "error",
                format!("Any other error ({}): {}", b.errors.join(", "), b.to),
            ),
        };
        let bw = text.chars().count() as f64 * 5.4 + 10.0;
        x -= bw;
        let _ = write!(
            s,
            "<g class=\"badge {class}\" id=\"n{node}-{class}\" data-to=\"{}\"><title>{}</title><rect x=\"{x:.1}\" y=\"-7\" width=\"{bw:.1}\" height=\"14\" rx=\"7\"/><text x=\"{:.1}\" y=\"3.5\">{}</text></g>",
            esc(&b.to),
            esc(&title),
            x + bw / 2.0,
            esc(text)
        );
        x -= 4.0;
    }
    if graph.error_handler.as_deref() == Some(n.name.as_str()) {
        let _ = write!(
            s,
            "<text class=\"handler\" x=\"{:.1}\" y=\"-4\">⚠ errors land here</text>",
            4.0
        );
    }
}

/// An end state: its name in a pill, the whole pill a link to its source when it has one.
fn pill(s: &mut String, n: &Node, w: f64, h: f64) {
    if let Some(src) = &n.source {
        let plain = esc(&src.to_string());
        let _ = write!(
            s,
            "<a class=\"src\" href=\"vscode://file/{plain}\" data-path=\"{plain}\">"
        );
    }
    let _ = write!(
        s,
        "<rect class=\"card\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"{:.1}\"/><text class=\"words\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
        h / 2.0,
        w / 2.0,
        h / 2.0 + 4.0,
        esc(&cut(&n.name, LINE_CHARS))
    );
    if n.source.is_some() {
        s.push_str("</a>");
    }
}

fn edge_title(graph: &Graph, edge: usize) -> String {
    let e = &graph.edges[edge];
    let how = match (&e.label, e.errors.is_empty()) {
        (Some(l), true) => format!(" ({l})"),
        (_, false) => format!(" (on {})", e.errors.join(", ")),
        (None, true) => String::new(),
    };
    format!("{} → {}{how}", e.from, e.to)
}

/// A smooth curve along `points` (a uniform B-spline, as d3's `curveBasis` that dagre's
/// drawings use): it bends gently past the bends instead of wiggling through them, and leaves
/// and enters the boxes vertically.
fn path(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return d;
    };
    // Short vertical stubs at both ends.
    let dir = |a: f64, b: f64| if b >= a { 1.0 } else { -1.0 };
    let mut p: Vec<(f64, f64)> = Vec::with_capacity(points.len() + 2);
    p.push(first);
    if points.len() > 1 {
        p.push((first.0, first.1 + 8.0 * dir(first.1, points[1].1)));
        p.extend_from_slice(&points[1..points.len() - 1]);
        let before = points[points.len() - 2];
        p.push((last.0, last.1 - 8.0 * dir(before.1, last.1)));
    }
    p.push(last);
    let _ = write!(d, "M{:.1},{:.1}", p[0].0, p[0].1);
    if p.len() == 2 {
        let _ = write!(d, " L{:.1},{:.1}", p[1].0, p[1].1);
        return d;
    }
    let (a, b) = (p[0], p[1]);
    let _ = write!(
        d,
        " L{:.1},{:.1}",
        (5.0 * a.0 + b.0) / 6.0,
        (5.0 * a.1 + b.1) / 6.0
    );
    for w in p.windows(3) {
        let (p0, p1, p2) = (w[0], w[1], w[2]);
        let _ = write!(
            d,
            " C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            (2.0 * p0.0 + p1.0) / 3.0,
            (2.0 * p0.1 + p1.1) / 3.0,
            (p0.0 + 2.0 * p1.0) / 3.0,
            (p0.1 + 2.0 * p1.1) / 3.0,
            (p0.0 + 4.0 * p1.0 + p2.0) / 6.0,
            (p0.1 + 4.0 * p1.1 + p2.1) / 6.0
        );
    }
    // The last stretch, as curveBasis ends it: towards the last point, then onto it.
    let (p0, p1) = (p[p.len() - 2], p[p.len() - 1]);
    let _ = write!(
        d,
        " C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1} L{:.1},{:.1}",
        (2.0 * p0.0 + p1.0) / 3.0,
        (2.0 * p0.1 + p1.1) / 3.0,
        (p0.0 + 2.0 * p1.0) / 3.0,
        (p0.1 + 2.0 * p1.1) / 3.0,
        (p0.0 + 5.0 * p1.0) / 6.0,
        (p0.1 + 5.0 * p1.1) / 6.0,
        p1.0,
        p1.1
    );
    d
}

fn midpoint(points: &[(f64, f64)]) -> (f64, f64) {
    let a = points[(points.len() - 1) / 2];
    let b = points[points.len() / 2];
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_and_stop_at_the_last_line() {
        assert_eq!(wrap("one two three", 7, 4), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4, 4), vec!["abcd", "efgh", "ij"]);
        let lines = wrap("a b c d e f g h", 3, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(wrap("", 5, 2), vec![""]);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
