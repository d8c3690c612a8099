//! Ordering the vertices of each layer to reduce edge crossings: barycenter sweeps down and up
//! (Sugiyama, Tagawa and Toda 1981; the heuristic dagre and Graphviz's dot start from), with
//! the vertices of one Rust file kept together as a block in every layer, each sweep followed
//! by swaps of neighbours that remove crossings, and the best order seen kept. Crossings between two layers are counted by sorting the edges and counting
//! inversions with a Fenwick tree (Barth, Mutzel and Jünger, "Simple and Efficient Bilayer
//! Cross Counting", 2004).

use std::cmp::Ordering;

use super::Vert;

/// Sweeps down and up; the order with the fewest crossings seen is kept.
const SWEEPS: usize = 24;
/// Rounds of swapping neighbours after each sweep.
const TRANSPOSE_ROUNDS: usize = 4;

/// Orders `layers` in place. `down[v]`/`up[v]`: the neighbours of `v` in the next and the
/// previous layer.
pub fn order(layers: &mut [Vec<usize>], verts: &[Vert], down: &[Vec<usize>], up: &[Vec<usize>]) {
    let mut pos = vec![0usize; verts.len()];
    let reindex = |layers: &[Vec<usize>], pos: &mut [usize]| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    reindex(layers, &mut pos);
    // Each file's vertices together from the start: the order kept may be this one.
    let none: Vec<Vec<usize>> = vec![Vec::new(); verts.len()];
    for layer in layers.iter_mut() {
        sort_layer(layer, verts, &none, &pos);
    }
    reindex(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_crossings = crossings(layers, down, &pos);
    for sweep in 0..SWEEPS {
        if best_crossings == 0 {
            break;
        }
        let downward = sweep % 2 == 0;
        let ranks: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            let fixed = if downward { up } else { down };
            sort_layer(&mut layers[r], verts, fixed, &pos);
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
        transpose(layers, verts, down, up, &mut pos);
        let c = crossings(layers, down, &pos);
        if c < best_crossings {
            best_crossings = c;
            best = layers.to_vec();
        }
    }
    layers.clone_from_slice(&best);
}

/// Swaps neighbours of one group (or of none) in a layer while that removes crossings with the
/// layers above and below (the "transpose" step of Gansner et al., 1993).
fn transpose(
    layers: &mut [Vec<usize>],
    verts: &[Vert],
    down: &[Vec<usize>],
    up: &[Vec<usize>],
    pos: &mut [usize],
) {
    for _ in 0..TRANSPOSE_ROUNDS {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (u, v) = (layer[i], layer[i + 1]);
                if verts[u].group != verts[v].group {
                    continue;
                }
                let now = pair_crossings(u, v, up, pos) + pair_crossings(u, v, down, pos);
                let swapped = pair_crossings(v, u, up, pos) + pair_crossings(v, u, down, pos);
                if swapped < now {
                    layer.swap(i, i + 1);
                    pos[u] = i + 1;
                    pos[v] = i;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between the edges of `u` and of `v` to one neighbouring layer when `u` is left
/// of `v`.
fn pair_crossings(u: usize, v: usize, adj: &[Vec<usize>], pos: &[usize]) -> usize {
    adj[u]
        .iter()
        .map(|&a| adj[v].iter().filter(|&&b| pos[a] > pos[b]).count())
        .sum()
}

/// Sorts one layer by the barycenter of each vertex's neighbours in the fixed layer, the
/// vertices of a group as one block (its barycenter the mean of its members').
fn sort_layer(layer: &mut [usize], verts: &[Vert], fixed: &[Vec<usize>], pos: &[usize]) {
    let key = |v: usize| -> f64 {
        let ns = &fixed[v];
        if ns.is_empty() {
            pos[v] as f64
        } else {
            ns.iter().map(|&n| pos[n] as f64).sum::<f64>() / ns.len() as f64
        }
    };
    // Items: a group's block (members in layer order) or a vertex of no group.
    let mut items: Vec<(f64, usize, Vec<usize>)> = Vec::new(); // (key, first position, members)
    let mut block_of: Vec<(usize, usize)> = Vec::new(); // (group, item index)
    for (i, &v) in layer.iter().enumerate() {
        match verts[v].group {
            Some(g) => match block_of.iter().find(|(bg, _)| *bg == g) {
                Some(&(_, item)) => items[item].2.push(v),
                None => {
                    block_of.push((g, items.len()));
                    items.push((0.0, i, vec![v]));
                }
            },
            None => items.push((0.0, i, vec![v])),
        }
    }
    for item in &mut items {
        item.2
            .sort_by(|&a, &b| cmp(key(a), key(b)).then(pos[a].cmp(&pos[b])));
        item.0 = item.2.iter().map(|&v| key(v)).sum::<f64>() / item.2.len() as f64;
    }
    items.sort_by(|a, b| cmp(a.0, b.0).then(a.1.cmp(&b.1)));
    let sorted: Vec<usize> = items.into_iter().flat_map(|i| i.2).collect();
    layer.copy_from_slice(&sorted);
}

fn cmp(a: f64, b: f64) -> Ordering {
    a.partial_cmp(&b).unwrap_or(Ordering::Equal)
}

/// Edge crossings of the whole drawing: between each layer and the next.
pub fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> usize {
    layers
        .windows(2)
        .map(|pair| bilayer_crossings(&pair[0], pair[1].len(), down, pos))
        .sum()
}

fn bilayer_crossings(
    upper: &[usize],
    lower_len: usize,
    down: &[Vec<usize>],
    pos: &[usize],
) -> usize {
    let mut ends: Vec<(usize, usize)> = upper
        .iter()
        .flat_map(|&u| down[u].iter().map(move |&v| (pos[u], pos[v])))
        .collect();
    ends.sort_unstable();
    // Count pairs (i < j) with ends[i].1 > ends[j].1.
    let mut tree = vec![0usize; lower_len + 1];
    let mut count = 0;
    for (seen, &(_, p)) in ends.iter().enumerate() {
        // Seen so far at positions <= p.
        let mut i = p + 1;
        let mut le = 0;
        while i > 0 {
            le += tree[i];
            i &= i - 1;
        }
        count += seen - le;
        let mut i = p + 1;
        while i <= lower_len {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_crossings_between_two_layers() {
        // 0→3, 1→2: one crossing; 0→2, 1→3: none.
        let pos = vec![0, 1, 0, 1];
        let crossed = vec![vec![3], vec![2], vec![], vec![]];
        assert_eq!(bilayer_crossings(&[0, 1], 2, &crossed, &pos), 1);
        let straight = vec![vec![2], vec![3], vec![], vec![]];
        assert_eq!(bilayer_crossings(&[0, 1], 2, &straight, &pos), 0);
        // Shared endpoints do not cross.
        let fan = vec![vec![2, 3], vec![3], vec![], vec![]];
        assert_eq!(bilayer_crossings(&[0, 1], 2, &fan, &pos), 0);
    }
}
