//! The service graph over a time window: each node's and edge's statistics summed from per-minute aggregates
//! that the summarizer keeps up to date as traces are summarized (and corrected when a trace is summarized
//! again), so a graph over an hour reads a few hundred small rows, not the segments. Statistics follow X-Ray's:
//! ok, error (4xx, of which throttles are 429), fault (5xx), total, total response time, and a histogram of
//! durations at millisecond resolution.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::trace_graph::{Class, Observation, Role, ServiceKey, TraceGraph};

/// The most distinct durations a histogram keeps; past it, durations are rounded to coarser steps.
pub const MAX_BUCKETS: usize = 4096;

/// Counts and durations of requests.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Stats {
    pub ok: i64,
    pub error: i64,
    pub throttle: i64,
    pub fault: i64,
    pub total_response_time: f64,
    /// Duration in milliseconds -> requests.
    pub histogram: BTreeMap<u32, i64>,
    pub first_start: f64,
    pub last_end: f64,
}

impl Stats {
    pub fn total(&self) -> i64 {
        self.ok + self.error + self.throttle + self.fault
    }

    fn observe(&mut self, observation: &Observation, sign: i64) {
        match observation.class {
            Class::Ok => self.ok += sign,
            Class::Error => self.error += sign,
            Class::Throttle => self.throttle += sign,
            Class::Fault => self.fault += sign,
        }
        let duration = observation.duration();
        self.total_response_time += duration * sign as f64;
        let ms = (duration * 1000.0).round().clamp(0.0, f64::from(u32::MAX)) as u32;
        let count = self.histogram.entry(ms).or_insert(0);
        *count += sign;
        if *count <= 0 {
            self.histogram.remove(&ms);
        }
        if sign > 0 {
            self.first_start =
                if self.first_start == 0.0 { observation.start } else { self.first_start.min(observation.start) };
            self.last_end = self.last_end.max(observation.end);
        }
    }

    /// Adds `other` (counts may be negative: a correction).
    pub fn merge(&mut self, other: &Stats) {
        self.ok += other.ok;
        self.error += other.error;
        self.throttle += other.throttle;
        self.fault += other.fault;
        self.total_response_time += other.total_response_time;
        for (ms, count) in &other.histogram {
            let entry = self.histogram.entry(*ms).or_insert(0);
            *entry += count;
            if *entry <= 0 {
                self.histogram.remove(ms);
            }
        }
        if other.first_start > 0.0 {
            self.first_start =
                if self.first_start == 0.0 { other.first_start } else { self.first_start.min(other.first_start) };
        }
        self.last_end = self.last_end.max(other.last_end);
        self.coarsen();
    }

    /// Keeps the histogram within [`MAX_BUCKETS`] by rounding durations to ever coarser steps.
    fn coarsen(&mut self) {
        let mut step = 2;
        while self.histogram.len() > MAX_BUCKETS {
            let mut coarse = BTreeMap::new();
            for (ms, count) in std::mem::take(&mut self.histogram) {
                *coarse.entry(ms / step * step).or_insert(0) += count;
            }
            self.histogram = coarse;
            step *= 2;
        }
    }
}

/// What an aggregate row is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Element {
    Node(ServiceKey),
    Edge(ServiceKey, ServiceKey),
}

/// A node's aggregate: its role, whether it was ever a root, and its statistics (a client's are empty).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Aggregate {
    pub role: Option<Role>,
    pub root: bool,
    pub stats: Stats,
}

impl Aggregate {
    pub fn merge(&mut self, other: &Aggregate) {
        self.role = self.role.or(other.role);
        self.root |= other.root;
        self.stats.merge(&other.stats);
    }
}

/// The minute (epoch ms) an observation falls in: its end's.
pub fn minute_of(observation: &Observation) -> i64 {
    let ms = (observation.end * 1000.0).floor() as i64;
    ms - ms.rem_euclid(60_000)
}

/// A trace graph's contribution to the per-minute aggregates, counted `sign` times (1 to add, -1 to take back).
pub fn contributions(graph: &TraceGraph, sign: i64, out: &mut BTreeMap<(i64, Element), Aggregate>) {
    for (index, node) in graph.nodes.iter().enumerate() {
        // Every node appears in the minutes its requests ended in; a client, in its calls' minutes.
        let mut minutes: Vec<i64> = node.observations.iter().map(minute_of).collect();
        if minutes.is_empty() {
            let calls = graph.edges.iter().filter(|e| e.from == index);
            minutes.extend(calls.flat_map(|e| e.observations.iter().map(minute_of)));
        }
        minutes.sort_unstable();
        minutes.dedup();
        for minute in minutes {
            let entry = out.entry((minute, Element::Node(node.key.clone()))).or_default();
            entry.role = entry.role.or(Some(node.role));
            entry.root |= node.root;
        }
        for observation in &node.observations {
            let entry = out.entry((minute_of(observation), Element::Node(node.key.clone()))).or_default();
            entry.stats.observe(observation, sign);
        }
    }
    for edge in &graph.edges {
        let entity = Element::Edge(graph.nodes[edge.from].key.clone(), graph.nodes[edge.to].key.clone());
        for observation in &edge.observations {
            out.entry((minute_of(observation), entity.clone())).or_default().stats.observe(observation, sign);
        }
    }
}

/// A node of the service graph over a window.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub reference: usize,
    pub key: ServiceKey,
    pub role: Role,
    pub root: bool,
    pub stats: Stats,
    /// (callee reference, statistics of the calls)
    pub edges: Vec<(usize, Stats)>,
}

/// Builds the graph from aggregates summed over a window: clients first, then the other nodes by name and type;
/// edges to their callee's reference.
pub fn assemble(aggregates: BTreeMap<Element, Aggregate>) -> Vec<GraphNode> {
    let mut nodes: Vec<(ServiceKey, Aggregate)> = Vec::new();
    let mut edges: Vec<(ServiceKey, ServiceKey, Stats)> = Vec::new();
    for (entity, aggregate) in aggregates {
        match entity {
            Element::Node(key) => nodes.push((key, aggregate)),
            Element::Edge(from, to) if aggregate.stats.total() > 0 => edges.push((from, to, aggregate.stats)),
            Element::Edge(..) => {}
        }
    }
    nodes.sort_by(|a, b| {
        let client = |n: &(ServiceKey, Aggregate)| n.1.role != Some(Role::Client);
        client(a).cmp(&client(b)).then_with(|| a.0.cmp(&b.0))
    });
    let index: BTreeMap<ServiceKey, usize> = nodes.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect();
    let mut out: Vec<GraphNode> = nodes
        .into_iter()
        .enumerate()
        .map(|(reference, (key, aggregate))| GraphNode {
            reference,
            key,
            role: aggregate.role.unwrap_or(Role::Service),
            root: aggregate.root,
            stats: aggregate.stats,
            edges: Vec::new(),
        })
        .collect();
    for (from, to, stats) in edges {
        if let (Some(&from), Some(&to)) = (index.get(&from), index.get(&to)) {
            out[from].edges.push((to, stats));
        }
    }
    out
}

/// Sums one trace graph (GetTraceGraph's traces, or a window's) into window aggregates.
pub fn add_trace(graph: &TraceGraph, into: &mut BTreeMap<Element, Aggregate>) {
    let mut minutes = BTreeMap::new();
    contributions(graph, 1, &mut minutes);
    for ((_, entity), aggregate) in minutes {
        into.entry(entity).or_default().merge(&aggregate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observation(start: f64, seconds: f64, class: Class) -> Observation {
        Observation { start, end: start + seconds, class, status: None }
    }

    #[test]
    fn statistics_count_each_request_once_and_take_corrections_back() {
        let mut stats = Stats::default();
        stats.observe(&observation(60.0, 0.005, Class::Ok), 1);
        stats.observe(&observation(61.0, 0.005, Class::Throttle), 1);
        stats.observe(&observation(62.0, 0.157, Class::Fault), 1);
        assert_eq!((stats.ok, stats.throttle, stats.fault, stats.total()), (1, 1, 1, 3));
        assert_eq!(stats.histogram, BTreeMap::from([(5, 2), (157, 1)]));
        assert!((stats.total_response_time - 0.167).abs() < 1e-9);
        stats.observe(&observation(62.0, 0.157, Class::Fault), -1);
        assert_eq!((stats.fault, stats.total()), (0, 2));
        assert_eq!(stats.histogram, BTreeMap::from([(5, 2)]));
    }

    #[test]
    fn histograms_stay_bounded() {
        let mut stats = Stats::default();
        let mut other = Stats::default();
        for ms in 0..(MAX_BUCKETS as u32 * 3) {
            other.histogram.insert(ms, 1);
        }
        stats.merge(&other);
        assert!(stats.histogram.len() <= MAX_BUCKETS);
        assert_eq!(stats.histogram.values().sum::<i64>(), MAX_BUCKETS as i64 * 3, "no request lost");
    }

    #[test]
    fn an_observation_counts_in_the_minute_it_ended() {
        assert_eq!(minute_of(&observation(59.9, 0.2, Class::Ok)), 60_000);
        assert_eq!(minute_of(&observation(10.0, 0.2, Class::Ok)), 0);
    }
}
