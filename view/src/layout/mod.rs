//! Where everything goes: a layered drawing (Sugiyama's framework, as Graphviz's dot and dagre
//! draw) computed in Rust when the page is written, so the page carries positions and draws
//! at once.
//!
//! Why not a library: dagre 3.1 (the usual choice in a page) took 5.7 s for a 1,000-state flow
//! in Node.js on this machine, and 159 s with groups (its compound layout), against a budget of
//! 1 s in the browser; ELK.js is about 1.5 MB against a 300 KB page. Of the Rust crates,
//! `layout-rs` 0.1.3 took 116 s for 1,000 states and has no groups, and `rust-sugiyama` 0.4
//! (0.1 s) returns neither the bends of long edges nor groups. The steps here are the textbook
//! ones, each simple: cycles broken by a depth-first search from `StartAt`, longest-path
//! layers, long edges split into bend points, barycenter ordering with each Rust file kept
//! together ([`order`]), and positions by weighted least squares under spacing constraints
//! (pool adjacent violators), alternating down and up.
//!
//! Every edge spans at least two layers: the layer between holds its label (as dagre does), so
//! labels never sit on a node. End states are drawn again near each state that leads to them.

mod order;
mod place;

use crate::graph::Graph;

/// The space between two nodes of a layer, and between a node and an edge passing by.
const NODE_GAP: f64 = 28.0;
const BEND_GAP: f64 = 10.0;
/// Extra space between the blocks of two Rust files.
const GROUP_GAP: f64 = 26.0;
/// How far a file's area reaches around its nodes.
pub const GROUP_PAD: f64 = 10.0;
/// The space between two layers.
const ROW_GAP: f64 = 22.0;
/// The drawing's margin.
const MARGIN: f64 = 24.0;
/// Rounds of moving vertices between layers to shorten edges.
const RANK_ROUNDS: usize = 8;
/// Rounds of placement (each a pass down and a pass up).
const PLACE_ROUNDS: usize = 8;

/// Sizes of what is drawn, in pixels: the page knows its fonts.
pub trait Sizes {
    /// A state's box (`copy`: an end state drawn again near one of its uses).
    fn node(&self, node: usize, copy: bool) -> (f64, f64);
    /// An edge's label.
    fn label(&self, text: &str) -> (f64, f64);
}

/// The drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// One box per drawn state: every state once, end states once per use.
    pub boxes: Vec<NodeBox>,
    /// One route per graph edge, in the graph's order (an edge from a state to itself is drawn
    /// as a loop beside it).
    pub routes: Vec<Route>,
    /// Each Rust file's area, as rectangles (one per layer band it spans).
    pub groups: Vec<Vec<Rect>>,
    /// Edge crossings (between consecutive layers, bends included).
    pub crossings: usize,
}

/// A state's box; `x`, `y` is its top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    pub node: usize,
    /// The first graph edge this end-state copy stands at the end of (a copy serves every edge
    /// from one state); `None` for a state's own box.
    pub copy_for: Option<usize>,
    /// The box that carries the state's name and link (a state's own box, or the first copy of
    /// an end state).
    pub primary: bool,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub edge: usize,
    /// From the source's box to the target's, bends included.
    pub points: Vec<(f64, f64)>,
    /// The label's center.
    pub label: Option<(f64, f64)>,
    /// The edge goes back up (a loop).
    pub back: bool,
    /// The box it ends at.
    pub to_box: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A state's own box (index into `Graph::nodes`) or an end state's copy.
    Box(usize),
    /// A bend of a long edge.
    Bend,
    /// The label of an edge.
    Label,
}

/// A vertex of the layered graph.
#[derive(Debug, Clone)]
pub(crate) struct Vert {
    kind: Kind,
    w: f64,
    h: f64,
    group: Option<usize>,
    rank: usize,
}

/// One edge of the layered graph before bends: from `a` to `b` as the graph says.
struct Link {
    edge: usize,
    a: usize,
    b: usize,
    label: Option<(f64, f64)>,
}

/// Lays out `graph`.
pub fn layout(graph: &Graph, sizes: &dyn Sizes) -> Layout {
    let mut verts: Vec<Vert> = Vec::new();
    let mut boxes: Vec<NodeBox> = Vec::new();
    let mut own: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    let new_box = |verts: &mut Vec<Vert>,
                   boxes: &mut Vec<NodeBox>,
                   node: usize,
                   copy_for: Option<usize>,
                   primary: bool,
                   group: Option<usize>| {
        let (w, h) = sizes.node(node, copy_for.is_some());
        verts.push(Vert {
            kind: Kind::Box(boxes.len()),
            w,
            h,
            group,
            rank: 0,
        });
        boxes.push(NodeBox {
            node,
            copy_for,
            primary,
            x: 0.0,
            y: 0.0,
            w,
            h,
        });
        verts.len() - 1
    };
    for (i, n) in graph.nodes.iter().enumerate() {
        if !n.end {
            own[i] = Some(new_box(&mut verts, &mut boxes, i, None, true, n.group));
        }
    }
    let index: std::collections::HashMap<&str, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.as_str(), i))
        .collect();
    let mut links = Vec::new();
    let mut self_loops = Vec::new();
    let mut has_primary = vec![false; graph.nodes.len()];
    let mut copies: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for (j, e) in graph.edges.iter().enumerate() {
        // A graph built by hand may name a state it lacks: that edge is not drawn.
        let (Some(&from), Some(&to)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
        else {
            continue;
        };
        if from == to {
            self_loops.push(j);
            continue;
        }
        let a = match own[from] {
            Some(v) => v,
            // An edge out of an end state (a Pass that ends has none; kept for safety).
            None => {
                let v = new_box(
                    &mut verts,
                    &mut boxes,
                    from,
                    None,
                    !has_primary[from],
                    graph.nodes[from].group,
                );
                has_primary[from] = true;
                own[from] = Some(v);
                v
            }
        };
        let b = match (own[to], copies.get(&(from, to))) {
            (Some(v), _) | (None, Some(&v)) => v,
            // An end state, drawn again beside this state (once for all its edges there).
            (None, None) => {
                let v = new_box(
                    &mut verts,
                    &mut boxes,
                    to,
                    Some(j),
                    !has_primary[to],
                    graph.nodes[from].group,
                );
                has_primary[to] = true;
                copies.insert((from, to), v);
                v
            }
        };
        let label = e.label.as_deref().map(|t| sizes.label(t));
        links.push(Link {
            edge: j,
            a,
            b,
            label,
        });
    }
    // End states no edge leads to (reached by badges only) are drawn once.
    for (i, n) in graph.nodes.iter().enumerate() {
        if n.end && !has_primary[i] {
            own[i] = Some(new_box(&mut verts, &mut boxes, i, None, true, n.group));
        }
    }
    if verts.is_empty() {
        let side = 2.0 * (MARGIN + GROUP_PAD);
        return Layout {
            width: side,
            height: side,
            boxes,
            routes: Vec::new(),
            groups: vec![Vec::new(); graph.groups.len()],
            crossings: 0,
        };
    }
    let start = graph
        .node_index(&graph.start)
        .and_then(|i| own[i])
        .unwrap_or(0);

    let back = break_cycles(verts.len(), &links, start);
    rank(&mut verts, &links, &back, start);

    // Bends and labels: every link becomes a chain down the layers.
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(links.len());
    for (k, l) in links.iter().enumerate() {
        let (top, bottom) = if back[k] { (l.b, l.a) } else { (l.a, l.b) };
        let group = match (verts[l.a].group, verts[l.b].group) {
            (Some(x), Some(y)) if x == y => Some(x),
            _ => None,
        };
        let (rt, rb) = (verts[top].rank, verts[bottom].rank);
        // The label sits just after the edge's source: below it, or above it for a loop.
        let label_rank = if back[k] { rb - 1 } else { rt + 1 };
        let mut chain = vec![top];
        for r in rt + 1..rb {
            let (kind, (w, h)) = match l.label {
                Some(size) if r == label_rank => (Kind::Label, size),
                _ => (Kind::Bend, (0.0, 0.0)),
            };
            verts.push(Vert {
                kind,
                w,
                h,
                group,
                rank: r,
            });
            chain.push(verts.len() - 1);
        }
        chain.push(bottom);
        chains.push(chain);
    }
    let n = verts.len();
    let mut down = vec![Vec::new(); n];
    let mut up = vec![Vec::new(); n];
    for chain in &chains {
        for w in chain.windows(2) {
            down[w[0]].push(w[1]);
            up[w[1]].push(w[0]);
        }
    }
    let ranks = verts.iter().map(|v| v.rank).max().unwrap_or(0) + 1;
    // Two starting orders (children first to last, and last to first): the one that ends
    // with fewer crossings is kept.
    let mut best: Option<(usize, Vec<Vec<usize>>, Vec<usize>)> = None;
    for reversed in [false, true] {
        let mut layers = initial_order(&verts, &down, start, ranks, reversed);
        order::order(&mut layers, &verts, &down, &up);
        let mut pos = vec![0usize; n];
        for layer in &layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
        let c = order::crossings(&layers, &down, &pos);
        if best.as_ref().is_none_or(|b| c < b.0) {
            best = Some((c, layers, pos));
        }
    }
    let (crossings, layers, pos) = best.expect("two orders were tried");
    let xs = place::place(&layers, &verts, &down, &up);
    let (row_top, row_h, height) = place::rows(&layers, &verts);

    for (v, vert) in verts.iter().enumerate() {
        if let Kind::Box(b) = vert.kind {
            let r = vert.rank;
            boxes[b].x = xs[v] - vert.w / 2.0;
            boxes[b].y = row_top[r] + (row_h[r] - vert.h) / 2.0;
        }
    }
    let center_y = |v: usize| row_top[verts[v].rank] + row_h[verts[v].rank] / 2.0;
    let mut routes: Vec<Route> = Vec::with_capacity(graph.edges.len());
    for (k, l) in links.iter().enumerate() {
        let chain = &chains[k];
        let mut points = Vec::with_capacity(chain.len());
        for (i, &v) in chain.iter().enumerate() {
            let vert = &verts[v];
            let y = if i == 0 {
                center_y(v) + vert.h / 2.0
            } else if i == chain.len() - 1 {
                center_y(v) - vert.h / 2.0
            } else {
                center_y(v)
            };
            let x = if i == 0 {
                port(xs[v], vert.w, &down[v], chain[1], &pos)
            } else if i == chain.len() - 1 {
                port(xs[v], vert.w, &up[v], chain[i - 1], &pos)
            } else {
                xs[v]
            };
            points.push((x, y));
        }
        let label = chain
            .iter()
            .find(|&&v| verts[v].kind == Kind::Label)
            .map(|&v| (xs[v], center_y(v)));
        if back[k] {
            points.reverse();
        }
        let to_box = match verts[l.b].kind {
            Kind::Box(b) => b,
            _ => unreachable!("links end at boxes"),
        };
        routes.push(Route {
            edge: l.edge,
            points,
            label,
            back: back[k],
            to_box,
        });
    }
    for &j in &self_loops {
        let v = index
            .get(graph.edges[j].from.as_str())
            .and_then(|&i| own[i])
            .unwrap_or(start);
        let (x, y, h) = (xs[v] + verts[v].w / 2.0, center_y(v), verts[v].h);
        let to_box = match verts[v].kind {
            Kind::Box(b) => b,
            _ => 0,
        };
        routes.push(Route {
            edge: j,
            points: vec![
                (x, y - h / 4.0),
                (x + 22.0, y - h / 4.0),
                (x + 22.0, y + h / 4.0),
                (x, y + h / 4.0),
            ],
            label: graph.edges[j].label.as_ref().map(|_| (x + 30.0, y)),
            back: true,
            to_box,
        });
    }
    routes.sort_by_key(|r| r.edge);

    let groups = place::group_areas(graph.groups.len(), &layers, &verts, &xs, &row_top, &row_h);
    let width = verts
        .iter()
        .enumerate()
        .map(|(v, vert)| xs[v] + vert.w / 2.0)
        .fold(0.0, f64::max)
        + GROUP_PAD
        + MARGIN
        + if self_loops.is_empty() { 0.0 } else { 40.0 };
    Layout {
        width,
        height,
        boxes,
        routes,
        groups,
        crossings,
    }
}

/// Which links go back up: those a depth-first search from `start` (then from each vertex not
/// reached, in order) finds closing a cycle.
fn break_cycles(n: usize, links: &[Link], start: usize) -> Vec<bool> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, l) in links.iter().enumerate() {
        out[l.a].push(k);
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut back = vec![false; links.len()];
    let roots = std::iter::once(start).chain(0..n);
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        state[root] = 1;
        let mut stack = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut i)) = stack.last_mut() {
            if let Some(&k) = out[v].get(*i) {
                *i += 1;
                let w = links[k].b;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[k] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// Longest-path layers, two apart (the layer between holds labels and bends), then shortened.
fn rank(verts: &mut [Vert], links: &[Link], back: &[bool], start: usize) {
    let n = verts.len();
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indeg = vec![0usize; n];
    for (k, l) in links.iter().enumerate() {
        let (a, b) = if back[k] { (l.b, l.a) } else { (l.a, l.b) };
        succ[a].push(b);
        indeg[b] += 1;
    }
    let sources: Vec<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut ready = sources.clone();
    ready.reverse();
    let mut topo = Vec::with_capacity(n);
    let mut left = indeg.clone();
    while let Some(v) = ready.pop() {
        topo.push(v);
        for &w in succ[v].iter().rev() {
            left[w] -= 1;
            if left[w] == 0 {
                ready.push(w);
            }
        }
    }
    let mut r = vec![0usize; n];
    for &v in &topo {
        for &w in &succ[v] {
            r[w] = r[w].max(r[v] + 2);
        }
    }
    // Then each vertex moves, within what its neighbours allow, to the end of its range that
    // shortens more edges than it lengthens: down when more edges leave it than enter it (a
    // vertex nothing leads to sits just above what it leads to), up in the opposite case.
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (v, ws) in succ.iter().enumerate() {
        for &w in ws {
            pred[w].push(v);
        }
    }
    for _ in 0..RANK_ROUNDS {
        let mut moved = false;
        for &v in topo.iter().rev() {
            if v == start {
                continue;
            }
            let lo = pred[v].iter().map(|&p| r[p] + 2).max().unwrap_or(0);
            let hi = succ[v].iter().map(|&w| r[w] - 2).min();
            let target = match (pred[v].len().cmp(&succ[v].len()), hi) {
                (std::cmp::Ordering::Less, Some(hi)) => hi,
                (std::cmp::Ordering::Greater, _) => lo,
                _ => r[v],
            };
            if target != r[v] {
                r[v] = target;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let _ = sources;
    for (v, vert) in verts.iter_mut().enumerate() {
        vert.rank = r[v];
    }
}

/// Layers in the order a depth-first search from `start` meets their vertices.
fn initial_order(
    verts: &[Vert],
    down: &[Vec<usize>],
    start: usize,
    ranks: usize,
    reversed: bool,
) -> Vec<Vec<usize>> {
    let n = verts.len();
    let mut seen = vec![false; n];
    let mut layers = vec![Vec::new(); ranks];
    for root in std::iter::once(start).chain(0..n) {
        if seen[root] {
            continue;
        }
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[verts[v].rank].push(v);
            let mut next: Vec<usize> = down[v].iter().copied().filter(|&w| !seen[w]).collect();
            if !reversed {
                next.reverse();
            }
            stack.extend(next);
        }
    }
    layers
}

/// Where an edge leaves (or enters) a box: its ends spread along the side in the order of the
/// vertices they lead to, so edges fanning out do not start on one point.
fn port(center: f64, width: f64, ends: &[usize], other: usize, pos: &[usize]) -> f64 {
    if ends.len() < 2 || width == 0.0 {
        return center;
    }
    let mut sorted: Vec<usize> = ends.to_vec();
    sorted.sort_by_key(|&v| pos[v]);
    let i = sorted.iter().position(|&v| v == other).unwrap_or(0) as f64;
    let step = (width * 0.6 / (sorted.len() - 1) as f64).min(14.0);
    center + (i - (sorted.len() - 1) as f64 / 2.0) * step
}
