//! A layered (Sugiyama-style) layout of a directed graph, read left to right: cycles broken by a depth-first
//! search (its back edges laid out reversed), layers by longest path from the sources, edges spanning several
//! layers split by dummy points, crossings reduced by barycenter sweeps (the best ordering seen is kept), and
//! vertical positions that follow each node's neighbours while keeping every layer's order and spacing (an
//! isotonic regression), so no two boxes overlap. Pure and deterministic: the same graph always lays out alike.

/// A point in layout coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Sizes and gaps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spacing {
    pub node_width: f64,
    pub node_height: f64,
    /// Between layers, box edge to box edge.
    pub layer_gap: f64,
    /// Between boxes of a layer.
    pub node_gap: f64,
    /// The room a long edge's dummy point takes in a layer.
    pub dummy_height: f64,
    pub margin: f64,
}

impl Default for Spacing {
    fn default() -> Self {
        Self {
            node_width: 170.0,
            node_height: 120.0,
            layer_gap: 90.0,
            node_gap: 26.0,
            dummy_height: 14.0,
            margin: 24.0,
        }
    }
}

/// Where everything goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Each node's box center.
    pub nodes: Vec<Point>,
    /// Each node's layer (0 leftmost).
    pub layers: Vec<usize>,
    /// Each input edge's route, from its source's center to its target's, through its dummy points; empty for
    /// an edge from a node to itself or with an end out of range.
    pub routes: Vec<Vec<Point>>,
    pub width: f64,
    pub height: f64,
}

/// Sweeps of the barycenter heuristic.
const SWEEPS: usize = 16;
/// Rounds of vertical placement.
const ROUNDS: usize = 6;

/// Lays out `count` nodes joined by `edges` (source, target).
pub fn layout(count: usize, edges: &[(usize, usize)], spacing: Spacing) -> Layout {
    let valid = |&(a, b): &(usize, usize)| a < count && b < count && a != b;
    let reversed = back_edges(count, edges);
    // Directed acyclic edges, deduplicated, each oriented the way it is laid out.
    let mut dag: Vec<(usize, usize)> = edges
        .iter()
        .zip(&reversed)
        .filter(|(e, _)| valid(e))
        .map(|(&(a, b), &back)| if back { (b, a) } else { (a, b) })
        .collect();
    dag.sort_unstable();
    dag.dedup();
    let layers = longest_path_layers(count, &dag);
    let graph = Layered::new(&layers, &dag);
    let order = graph.order();
    let ys = graph.vertical(&order, spacing);
    let column = spacing.node_width + spacing.layer_gap;
    let x_of = |layer: usize| spacing.margin + spacing.node_width / 2.0 + layer as f64 * column;
    let point = |v: usize| Point { x: x_of(graph.layer[v]), y: ys[v] };
    let nodes: Vec<Point> = (0..count).map(point).collect();
    let routes = edges
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &back)| {
            if !valid(&(a, b)) {
                return Vec::new();
            }
            let (from, to) = if back { (b, a) } else { (a, b) };
            let mut route: Vec<Point> = graph.chain(from, to).into_iter().map(point).collect();
            if back {
                route.reverse();
            }
            route
        })
        .collect();
    let depth = layers.iter().copied().max().map_or(0, |l| l + 1);
    let width = 2.0 * spacing.margin + depth as f64 * column - if depth > 0 { spacing.layer_gap } else { 0.0 };
    let bottom = (0..graph.layer.len()).map(|v| ys[v] + graph.height(v, spacing) / 2.0).fold(spacing.margin, f64::max);
    Layout { nodes, layers, routes, width: width.max(2.0 * spacing.margin), height: bottom + spacing.margin }
}

/// Which edges a depth-first search from each node in index order finds going back to a node on its path.
fn back_edges(count: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); count];
    for (index, &(a, b)) in edges.iter().enumerate() {
        if a < count && b < count && a != b {
            out[a].push((b, index));
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; count];
    let mut back = vec![false; edges.len()];
    for root in 0..count {
        if mark[root] != Mark::New {
            continue;
        }
        // (node, next outgoing edge to look at)
        let mut stack = vec![(root, 0usize)];
        mark[root] = Mark::OnPath;
        while let Some(top) = stack.last_mut() {
            let (node, next) = *top;
            if let Some(&(target, index)) = out[node].get(next) {
                top.1 += 1;
                match mark[target] {
                    Mark::New => {
                        mark[target] = Mark::OnPath;
                        stack.push((target, 0));
                    }
                    Mark::OnPath => back[index] = true,
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    back
}

/// Each node's layer: 0 for sources, else one past its furthest predecessor.
fn longest_path_layers(count: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut incoming = vec![0usize; count];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(a, b) in dag {
        incoming[b] += 1;
        out[a].push(b);
    }
    let mut layer = vec![0usize; count];
    let mut ready: std::collections::BTreeSet<usize> = (0..count).filter(|&v| incoming[v] == 0).collect();
    while let Some(v) = ready.pop_first() {
        for &w in &out[v] {
            layer[w] = layer[w].max(layer[v] + 1);
            incoming[w] -= 1;
            if incoming[w] == 0 {
                ready.insert(w);
            }
        }
    }
    layer
}

/// The graph with dummy vertices on long edges: vertices `0..count` are the nodes, the rest dummies.
struct Layered {
    count: usize,
    layer: Vec<usize>,
    /// Edges between adjacent layers.
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// (source, target) -> the vertices from source to target.
    chains: std::collections::BTreeMap<(usize, usize), Vec<usize>>,
}

impl Layered {
    fn new(layers: &[usize], dag: &[(usize, usize)]) -> Self {
        let count = layers.len();
        let mut graph = Layered {
            count,
            layer: layers.to_vec(),
            up: vec![Vec::new(); count],
            down: vec![Vec::new(); count],
            chains: std::collections::BTreeMap::new(),
        };
        for &(a, b) in dag {
            let mut chain = vec![a];
            let mut previous = a;
            for step in layers[a] + 1..layers[b] {
                let dummy = graph.layer.len();
                graph.layer.push(step);
                graph.up.push(Vec::new());
                graph.down.push(Vec::new());
                graph.link(previous, dummy);
                chain.push(dummy);
                previous = dummy;
            }
            graph.link(previous, b);
            chain.push(b);
            graph.chains.insert((a, b), chain);
        }
        graph
    }

    fn link(&mut self, from: usize, to: usize) {
        self.down[from].push(to);
        self.up[to].push(from);
    }

    fn chain(&self, from: usize, to: usize) -> Vec<usize> {
        self.chains.get(&(from, to)).cloned().unwrap_or_default()
    }

    fn height(&self, vertex: usize, spacing: Spacing) -> f64 {
        if vertex < self.count { spacing.node_height } else { spacing.dummy_height }
    }

    /// Each layer's vertices top to bottom, with few crossings.
    fn order(&self) -> Vec<Vec<usize>> {
        let depth = self.layer.iter().copied().max().map_or(0, |l| l + 1);
        let mut order: Vec<Vec<usize>> = vec![Vec::new(); depth];
        // Start from a depth-first order from the sources, so that related vertices begin near each other.
        let mut seen = vec![false; self.layer.len()];
        let mut sources: Vec<usize> = (0..self.layer.len()).filter(|&v| self.up[v].is_empty()).collect();
        sources.sort_by_key(|&v| (self.layer[v], v));
        for source in sources {
            let mut stack = vec![source];
            while let Some(v) = stack.pop() {
                if std::mem::replace(&mut seen[v], true) {
                    continue;
                }
                order[self.layer[v]].push(v);
                stack.extend(self.down[v].iter().rev().copied());
            }
        }
        let mut best = order.clone();
        let mut best_crossings = self.crossings(&order);
        for sweep in 0..SWEEPS {
            if best_crossings == 0 {
                break;
            }
            if sweep.is_multiple_of(2) {
                for l in 1..depth {
                    self.sort_layer(&mut order, l, l - 1, true);
                }
            } else {
                for l in (0..depth.saturating_sub(1)).rev() {
                    self.sort_layer(&mut order, l, l + 1, false);
                }
            }
            let crossings = self.crossings(&order);
            if crossings < best_crossings {
                best_crossings = crossings;
                best = order.clone();
            }
        }
        best
    }

    /// Sorts layer `l` by the mean position of each vertex's neighbours in layer `by`.
    fn sort_layer(&self, order: &mut [Vec<usize>], l: usize, by: usize, from_above: bool) {
        let position = positions(&order[by], self.layer.len());
        let mut keyed: Vec<(f64, usize, usize)> = order[l]
            .iter()
            .enumerate()
            .map(|(at, &v)| {
                let neighbours = if from_above { &self.up[v] } else { &self.down[v] };
                let placed: Vec<f64> = neighbours.iter().filter_map(|&n| position[n]).map(|p| p as f64).collect();
                let key = if placed.is_empty() { at as f64 } else { placed.iter().sum::<f64>() / placed.len() as f64 };
                (key, at, v)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        order[l] = keyed.into_iter().map(|(_, _, v)| v).collect();
    }

    /// Pairs of edges that cross between adjacent layers.
    fn crossings(&self, order: &[Vec<usize>]) -> usize {
        let mut total = 0;
        for l in 1..order.len() {
            let above = positions(&order[l - 1], self.layer.len());
            let below = positions(&order[l], self.layer.len());
            let (above, below) = (&above, &below);
            let mut pairs: Vec<(usize, usize)> = order[l]
                .iter()
                .flat_map(|&v| self.up[v].iter().filter_map(move |&u| Some((above[u]?, below[v]?))))
                .collect();
            pairs.sort_unstable();
            for i in 0..pairs.len() {
                for j in i + 1..pairs.len() {
                    if pairs[i].0 < pairs[j].0 && pairs[i].1 > pairs[j].1 {
                        total += 1;
                    }
                }
            }
        }
        total
    }

    /// Each vertex's center height: near its neighbours', in its layer's order, boxes kept apart.
    fn vertical(&self, order: &[Vec<usize>], spacing: Spacing) -> Vec<f64> {
        let mut y = vec![0.0; self.layer.len()];
        // Stacked from the top to begin with.
        for layer in order {
            let mut top = spacing.margin;
            for &v in layer {
                let h = self.height(v, spacing);
                y[v] = top + h / 2.0;
                top += h + self.gap(v, spacing);
            }
        }
        for round in 0..ROUNDS {
            let downwards = round.is_multiple_of(2);
            let layers: Vec<usize> =
                if downwards { (1..order.len()).collect() } else { (0..order.len().saturating_sub(1)).rev().collect() };
            for l in layers {
                let wanted: Vec<f64> = order[l]
                    .iter()
                    .map(|&v| {
                        let neighbours = if downwards { &self.up[v] } else { &self.down[v] };
                        if neighbours.is_empty() {
                            y[v]
                        } else {
                            neighbours.iter().map(|&n| y[n]).sum::<f64>() / neighbours.len() as f64
                        }
                    })
                    .collect();
                let placed = self.place(&order[l], &wanted, spacing);
                for (&v, value) in order[l].iter().zip(placed) {
                    y[v] = value;
                }
            }
        }
        // Everything below the top margin.
        let top = (0..y.len()).map(|v| y[v] - self.height(v, spacing) / 2.0).fold(f64::INFINITY, f64::min);
        if top.is_finite() {
            for value in &mut y {
                *value += spacing.margin - top;
            }
        }
        y
    }

    fn gap(&self, vertex: usize, spacing: Spacing) -> f64 {
        if vertex < self.count { spacing.node_gap } else { spacing.node_gap / 2.0 }
    }

    /// Heights as near `wanted` as the layer's order and separations allow (least squares, by pooling adjacent
    /// violators), then separated exactly.
    fn place(&self, layer: &[usize], wanted: &[f64], spacing: Spacing) -> Vec<f64> {
        // Offsets: where each vertex sits relative to the first when packed tight.
        let mut offset = Vec::with_capacity(layer.len());
        let mut at = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                let previous = layer[i - 1];
                at += (self.height(previous, spacing) + self.height(v, spacing)) / 2.0 + self.gap(previous, spacing);
            }
            offset.push(at);
        }
        // Non-decreasing fit of wanted - offset: blocks of (sum, size).
        let mut blocks: Vec<(f64, usize)> = Vec::new();
        for (i, w) in wanted.iter().enumerate() {
            blocks.push((w - offset[i], 1));
            while blocks.len() > 1 {
                let (s2, n2) = blocks[blocks.len() - 1];
                let (s1, n1) = blocks[blocks.len() - 2];
                if s1 / n1 as f64 <= s2 / n2 as f64 {
                    break;
                }
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, n1 + n2);
            }
        }
        let mut out = Vec::with_capacity(layer.len());
        for (sum, size) in blocks {
            for _ in 0..size {
                let i = out.len();
                out.push(sum / size as f64 + offset[i]);
            }
        }
        for i in 1..out.len() {
            let least = out[i - 1] + offset[i] - offset[i - 1];
            if out[i] < least {
                out[i] = least;
            }
        }
        out
    }
}

/// Position of each vertex within `layer` (None for vertices elsewhere).
fn positions(layer: &[usize], size: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; size];
    for (at, &v) in layer.iter().enumerate() {
        out[v] = Some(at);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed pseudo-random sequence.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % below as u64) as usize
        }
    }

    fn random_dag(count: usize, seed: u64) -> Vec<(usize, usize)> {
        let mut rng = Lcg(seed);
        let mut edges = Vec::new();
        for to in 1..count {
            // Every node has a caller, some have two.
            for _ in 0..1 + rng.next(2) {
                edges.push((rng.next(to), to));
            }
        }
        edges
    }

    fn assert_apart(layout: &Layout, spacing: Spacing) {
        for (i, a) in layout.nodes.iter().enumerate() {
            assert!(a.x - spacing.node_width / 2.0 >= 0.0 && a.y - spacing.node_height / 2.0 >= 0.0);
            assert!(a.x + spacing.node_width / 2.0 <= layout.width + 1e-6, "node {i} inside the width");
            assert!(a.y + spacing.node_height / 2.0 <= layout.height + 1e-6, "node {i} inside the height");
            for (j, b) in layout.nodes.iter().enumerate().skip(i + 1) {
                let apart_x = (a.x - b.x).abs() >= spacing.node_width;
                let apart_y = (a.y - b.y).abs() >= spacing.node_height + spacing.node_gap - 1e-6;
                assert!(apart_x || apart_y, "nodes {i} and {j} overlap: {a:?} {b:?}");
            }
        }
    }

    #[test]
    fn fifty_nodes_lay_out_without_overlaps_left_to_right() {
        let spacing = Spacing::default();
        for seed in 1..20 {
            let edges = random_dag(50, seed);
            let laid = layout(50, &edges, spacing);
            assert_apart(&laid, spacing);
            for (index, &(a, b)) in edges.iter().enumerate() {
                assert!(laid.layers[a] < laid.layers[b], "edge {a}->{b} goes right");
                let route = &laid.routes[index];
                assert_eq!(route.len(), laid.layers[b] - laid.layers[a] + 1, "one point a layer");
                assert!(route.windows(2).all(|w| w[0].x < w[1].x), "routes go right");
                assert_eq!((route[0], route[route.len() - 1]), (laid.nodes[a], laid.nodes[b]));
            }
        }
    }

    #[test]
    fn layouts_are_deterministic() {
        let edges = random_dag(40, 7);
        assert_eq!(layout(40, &edges, Spacing::default()), layout(40, &edges, Spacing::default()));
    }

    #[test]
    fn cycles_are_broken_and_still_drawn() {
        let edges = [(0, 1), (1, 2), (2, 1), (2, 0), (1, 1), (3, 9)];
        let laid = layout(4, &edges, Spacing::default());
        assert_apart(&laid, Spacing::default());
        assert!(laid.routes[4].is_empty() && laid.routes[5].is_empty(), "self and dangling edges are not drawn");
        assert_eq!(laid.routes[2].first(), Some(&laid.nodes[2]), "a reversed edge still starts at its source");
        assert_eq!(laid.routes[2].last(), Some(&laid.nodes[1]));
        assert_eq!(laid.layers[0], 0);
    }

    #[test]
    fn barycenter_sweeps_untangle_a_crossed_pair() {
        // 0 -> 3 and 1 -> 2 cross when the second layer keeps index order.
        let laid = layout(4, &[(0, 3), (1, 2)], Spacing::default());
        assert!(laid.nodes[3].y < laid.nodes[2].y);
        let chain = layout(3, &[(0, 1), (1, 2)], Spacing::default());
        assert!((chain.nodes[0].y - chain.nodes[2].y).abs() < 1e-6, "a chain is drawn straight");
    }

    #[test]
    fn an_empty_graph_has_a_size() {
        let laid = layout(0, &[], Spacing::default());
        assert!(laid.nodes.is_empty() && laid.width > 0.0 && laid.height > 0.0);
    }
}
