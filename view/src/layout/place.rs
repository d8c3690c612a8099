//! Positions. Horizontal: each layer as close as its spacing allows to where its neighbours
//! pull it, by weighted least squares under spacing constraints (isotonic regression by pool
//! adjacent violators), alternating passes down and up; long edges are pulled straight hardest.
//! Vertical: each layer as tall as its tallest box or label. Then each Rust file's area.

use super::{
    Kind, Rect, Vert, BEND_GAP, GROUP_GAP, GROUP_PAD, MARGIN, NODE_GAP, PLACE_ROUNDS, ROW_GAP,
};

/// Horizontal centers: each layer placed as close as its spacing allows to the mean of its
/// neighbours in the layer above (going down) or below (going up), long edges pulled straight
/// hardest.
pub fn place(
    layers: &[Vec<usize>],
    verts: &[Vert],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
) -> Vec<f64> {
    let mut xs = vec![0.0; verts.len()];
    for layer in layers {
        let mut x = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                x += sep(&verts[layer[i - 1]], &verts[v]);
            }
            xs[v] = x;
        }
    }
    let weight = |a: usize, b: usize| match (verts[a].kind, verts[b].kind) {
        (Kind::Box(_), Kind::Box(_)) => 1.0,
        (Kind::Box(_), _) | (_, Kind::Box(_)) => 2.0,
        _ => 8.0,
    };
    for round in 0..PLACE_ROUNDS * 2 + 1 {
        let last = round == PLACE_ROUNDS * 2;
        let downward = round % 2 == 0;
        let order: Vec<usize> = if downward {
            (0..layers.len()).collect()
        } else {
            (0..layers.len()).rev().collect()
        };
        for r in order {
            let layer = &layers[r];
            let mut target = Vec::with_capacity(layer.len());
            let mut weights = Vec::with_capacity(layer.len());
            for &v in layer {
                let ns: Vec<usize> = if last {
                    up[v].iter().chain(&down[v]).copied().collect()
                } else if downward {
                    up[v].clone()
                } else {
                    down[v].clone()
                };
                let total: f64 = ns.iter().map(|&w| weight(v, w)).sum();
                if total > 0.0 {
                    target.push(ns.iter().map(|&w| weight(v, w) * xs[w]).sum::<f64>() / total);
                    weights.push(total);
                } else {
                    target.push(xs[v]);
                    weights.push(0.05);
                }
            }
            let seps: Vec<f64> = layer
                .windows(2)
                .map(|p| sep(&verts[p[0]], &verts[p[1]]))
                .collect();
            let placed = fit(&target, &weights, &seps);
            for (i, &v) in layer.iter().enumerate() {
                xs[v] = placed[i];
            }
        }
    }
    let min = layers
        .iter()
        .flatten()
        .map(|&v| xs[v] - verts[v].w / 2.0)
        .fold(f64::INFINITY, f64::min);
    let shift = MARGIN + GROUP_PAD - if min.is_finite() { min } else { 0.0 };
    xs.iter_mut().for_each(|x| *x += shift);
    xs
}

/// The least center-to-center distance of two neighbours in a layer.
fn sep(a: &Vert, b: &Vert) -> f64 {
    let gap = match (a.kind, b.kind) {
        (Kind::Bend, Kind::Bend) => BEND_GAP,
        (Kind::Box(_), Kind::Box(_)) => NODE_GAP,
        _ => BEND_GAP + 4.0,
    };
    let group = if a.group != b.group { GROUP_GAP } else { 0.0 };
    (a.w + b.w) / 2.0 + gap + group
}

/// The positions closest to `target` (weighted least squares) such that position `i + 1` is at
/// least `seps[i]` after position `i`: isotonic regression of the targets shifted by the
/// running spacing, by pool adjacent violators.
fn fit(target: &[f64], weights: &[f64], seps: &[f64]) -> Vec<f64> {
    let mut offset = Vec::with_capacity(target.len());
    let mut acc = 0.0;
    for i in 0..target.len() {
        if i > 0 {
            acc += seps[i - 1];
        }
        offset.push(acc);
    }
    // Blocks of (weight, weighted sum, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::new();
    for i in 0..target.len() {
        blocks.push((weights[i], weights[i] * (target[i] - offset[i]), 1));
        while blocks.len() > 1 {
            let (w2, s2, c2) = blocks[blocks.len() - 1];
            let (w1, s1, c1) = blocks[blocks.len() - 2];
            if s1 / w1 <= s2 / w2 {
                break;
            }
            blocks.pop();
            let last = blocks.len() - 1;
            blocks[last] = (w1 + w2, s1 + s2, c1 + c2);
        }
    }
    let mut out = Vec::with_capacity(target.len());
    for (w, s, c) in blocks {
        for _ in 0..c {
            out.push(s / w + offset[out.len()]);
        }
    }
    out
}

/// Each layer's top and height, and the drawing's height.
pub fn rows(layers: &[Vec<usize>], verts: &[Vert]) -> (Vec<f64>, Vec<f64>, f64) {
    let mut top = Vec::with_capacity(layers.len());
    let mut heights = Vec::with_capacity(layers.len());
    let mut y = MARGIN + GROUP_PAD;
    for layer in layers {
        let h = layer.iter().map(|&v| verts[v].h).fold(0.0, f64::max);
        top.push(y);
        heights.push(h);
        y += h + ROW_GAP;
    }
    (top, heights, y - ROW_GAP + MARGIN + GROUP_PAD)
}

/// Each Rust file's area: per layer, the span of its vertices, reaching half way to the layers
/// around it.
pub fn group_areas(
    count: usize,
    layers: &[Vec<usize>],
    verts: &[Vert],
    xs: &[f64],
    top: &[f64],
    heights: &[f64],
) -> Vec<Vec<Rect>> {
    let mut areas = vec![Vec::new(); count];
    for (r, layer) in layers.iter().enumerate() {
        let mut spans: Vec<(usize, f64, f64)> = Vec::new();
        for &v in layer {
            let Some(g) = verts[v].group else { continue };
            let (l, rt) = (xs[v] - verts[v].w / 2.0, xs[v] + verts[v].w / 2.0);
            match spans.iter_mut().find(|s| s.0 == g) {
                Some(s) => {
                    s.1 = s.1.min(l);
                    s.2 = s.2.max(rt);
                }
                None => spans.push((g, l, rt)),
            }
        }
        for (g, l, rt) in spans {
            areas[g].push(Rect {
                x: l - GROUP_PAD,
                y: top[r] - ROW_GAP / 2.0,
                w: rt - l + 2.0 * GROUP_PAD,
                h: heights[r] + ROW_GAP,
            });
        }
    }
    areas
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_targets_when_they_are_far_enough_apart() {
        let out = fit(&[0.0, 100.0], &[1.0, 1.0], &[50.0]);
        assert_eq!(out, vec![0.0, 100.0]);
    }

    #[test]
    fn fit_pushes_apart_around_the_weighted_mean() {
        // Both want 0; they must be 10 apart: -5 and 5.
        let out = fit(&[0.0, 0.0], &[1.0, 1.0], &[10.0]);
        assert_eq!(out, vec![-5.0, 5.0]);
        // A heavier one moves less.
        let out = fit(&[0.0, 0.0], &[3.0, 1.0], &[8.0]);
        assert_eq!(out, vec![-2.0, 6.0]);
    }
}
