//! One trace's service graph, as X-Ray draws it: a node per service that sent segments (keyed by name and
//! `origin`), a node inferred from each call to something that sent none (AWS services, databases, other
//! remote calls), a client node in front of each root service, and an edge per caller and callee. A node counts
//! its own segments (an inferred node, the calls that inferred it); an edge counts the caller's subsegments (a
//! client edge, the root's segments). Each counted request is one [`Observation`]: its times and its class.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::document::{Entity, Flags, Kind, Namespace};
use crate::id::SegmentId;
use crate::storage::Stored;

/// A service as the graph names it: its name and type (the segment's `origin`, the inferred type, or `client`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServiceKey {
    pub name: String,
    pub kind: Option<String>,
}

/// How a request ended, each counted once: a fault (5xx), else a throttle (429), else an error (4xx), else ok.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Class {
    Ok,
    Error,
    Throttle,
    Fault,
}

impl Class {
    pub fn of(flags: Flags) -> Self {
        if flags.fault {
            Class::Fault
        } else if flags.throttle {
            Class::Throttle
        } else if flags.error {
            Class::Error
        } else {
            Class::Ok
        }
    }
}

/// One finished request as a node or an edge counts it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub start: f64,
    pub end: f64,
    pub class: Class,
    /// The HTTP status, when the request recorded one.
    pub status: Option<u16>,
}

impl Observation {
    fn of(entity: &Entity) -> Option<Self> {
        entity.end.map(|end| Observation {
            start: entity.start,
            end,
            class: Class::of(entity.flags),
            status: entity.http.as_ref().and_then(|h| h.status),
        })
    }

    pub fn duration(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }
}

/// What kind of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The callers of a root service.
    Client,
    /// A service that sent segments.
    Service,
    /// A callee known only from its callers' subsegments.
    Inferred,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub key: ServiceKey,
    pub role: Role,
    pub root: bool,
    pub observations: Vec<Observation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub observations: Vec<Observation>,
}

/// One trace's graph.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TraceGraph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// The type of the node a call infers, and its name: `AWS::DynamoDB::Table` named by its table, `AWS::<service>`
/// for other AWS calls, `Database::SQL` for a remote call with a `sql` block, else `remote`.
pub fn inferred_key(call: &Entity) -> ServiceKey {
    match call.namespace {
        Namespace::Aws => match call.aws.as_ref().and_then(|a| a.table_name.clone()) {
            Some(table) => ServiceKey { name: table, kind: Some("AWS::DynamoDB::Table".into()) },
            None => ServiceKey { name: call.name.clone(), kind: Some(format!("AWS::{}", call.name)) },
        },
        _ if call.sql => ServiceKey { name: call.name.clone(), kind: Some("Database::SQL".into()) },
        _ => ServiceKey { name: call.name.clone(), kind: Some("remote".into()) },
    }
}

struct Builder {
    graph: TraceGraph,
    nodes: HashMap<ServiceKey, usize>,
    edges: HashMap<(usize, usize), usize>,
}

impl Builder {
    fn node(&mut self, key: ServiceKey, role: Role) -> usize {
        if let Some(&index) = self.nodes.get(&key) {
            return index;
        }
        let index = self.graph.nodes.len();
        self.graph.nodes.push(Node { key: key.clone(), role, root: false, observations: Vec::new() });
        self.nodes.insert(key, index);
        index
    }

    fn edge(&mut self, from: usize, to: usize, observation: Option<Observation>) {
        let index = *self.edges.entry((from, to)).or_insert_with(|| {
            self.graph.edges.push(Edge { from, to, observations: Vec::new() });
            self.graph.edges.len() - 1
        });
        self.graph.edges[index].observations.extend(observation);
    }
}

/// Builds the graph of one trace from its stored documents.
pub fn build(documents: &[Stored]) -> TraceGraph {
    build_with_owners(documents).0
}

/// The graph, and the service node that owns each entity (the segment it is in, or its parent's).
pub fn build_with_owners(documents: &[Stored]) -> (TraceGraph, HashMap<SegmentId, usize>) {
    let mut builder = Builder { graph: TraceGraph::default(), nodes: HashMap::new(), edges: HashMap::new() };
    // Which service node owns each entity: a segment's own, and for loose subsegments their parent's owner.
    let mut owner: HashMap<SegmentId, usize> = HashMap::new();
    let mut segment_node: Vec<Option<usize>> = vec![None; documents.len()];
    for (index, document) in documents.iter().enumerate() {
        let Some(first) = document.entities.first() else { continue };
        if document.kind == Kind::Segment {
            let key = ServiceKey { name: first.name.clone(), kind: first.origin.clone() };
            let node = builder.node(key, Role::Service);
            segment_node[index] = Some(node);
            builder.graph.nodes[node].observations.extend(Observation::of(first));
            for entity in &document.entities {
                owner.insert(entity.id, node);
            }
        }
    }
    let mut unresolved: Vec<usize> = (0..documents.len()).filter(|&i| documents[i].kind == Kind::Subsegment).collect();
    while !unresolved.is_empty() {
        let before = unresolved.len();
        unresolved.retain(|&i| {
            let document = &documents[i];
            let Some(node) = document.entities[0].parent.and_then(|p| owner.get(&p).copied()) else { return true };
            for entity in &document.entities {
                owner.insert(entity.id, node);
            }
            false
        });
        if unresolved.len() == before {
            break;
        }
    }
    // Segments whose parent is a call elsewhere in the trace are that call's callee.
    let mut callee: HashMap<SegmentId, usize> = HashMap::new();
    let mut roots = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        let Some(node) = segment_node[index] else { continue };
        match document.entities[0].parent.filter(|p| owner.contains_key(p)) {
            Some(parent) => {
                callee.insert(parent, node);
            }
            None => roots.push(index),
        }
    }
    for document in documents {
        let ids: HashMap<SegmentId, &Entity> = document.entities.iter().map(|e| (e.id, e)).collect();
        // A call: a remote or AWS subsegment (a segment's own namespace says nothing).
        let is_call =
            |e: &Entity| e.namespace != Namespace::Local && (e.depth > 0 || document.kind == Kind::Subsegment);
        for call in document.entities.iter().filter(|e| is_call(e)) {
            // A call inside another call belongs to the outer one.
            let mut ancestor = call.parent.and_then(|p| ids.get(&p).copied());
            let mut nested = false;
            while let Some(up) = ancestor {
                if is_call(up) {
                    nested = true;
                    break;
                }
                ancestor = up.parent.and_then(|p| ids.get(&p).copied());
            }
            let Some(&from) = owner.get(&call.id) else { continue };
            if nested {
                continue;
            }
            let observation = Observation::of(call);
            match callee.get(&call.id) {
                Some(&to) => builder.edge(from, to, observation),
                None => {
                    let to = builder.node(inferred_key(call), Role::Inferred);
                    builder.graph.nodes[to].observations.extend(observation);
                    builder.edge(from, to, observation);
                }
            }
        }
    }
    for index in roots {
        let Some(node) = segment_node[index] else { continue };
        builder.graph.nodes[node].root = true;
        let key = ServiceKey { name: builder.graph.nodes[node].key.name.clone(), kind: Some("client".into()) };
        let client = builder.node(key, Role::Client);
        builder.edge(client, node, Observation::of(&documents[index].entities[0]));
    }
    (builder.graph, owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::parse;

    const TRACE: &str = "1-58406520-a006649127e371903a2de979";

    fn stored(json: &str) -> Vec<Stored> {
        parse(json)
            .unwrap()
            .into_iter()
            .map(|d| Stored {
                received_ms: 0,
                kind: d.kind,
                in_progress: d.in_progress,
                json: d.json,
                entities: d.entities,
            })
            .collect()
    }

    fn keys(graph: &TraceGraph) -> Vec<(String, Option<String>, Role, usize)> {
        graph.nodes.iter().map(|n| (n.key.name.clone(), n.key.kind.clone(), n.role, n.observations.len())).collect()
    }

    fn edges(graph: &TraceGraph) -> Vec<(String, String, usize)> {
        graph
            .edges
            .iter()
            .map(|e| {
                let name = |i: usize| {
                    let key = &graph.nodes[i].key;
                    format!("{}{}", key.name, key.kind.as_deref().map(|k| format!("/{k}")).unwrap_or_default())
                };
                (name(e.from), name(e.to), e.observations.len())
            })
            .collect()
    }

    #[test]
    fn gateway_orders_payments_and_a_database() {
        let mut docs = stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000001","name":"gateway","origin":"AWS::EC2::Instance","start_time":1,"end_time":1.2,
              "subsegments":[{{"id":"0000000000000011","name":"orders","namespace":"remote","start_time":1.01,"end_time":1.19}}]}}"#
        ));
        docs.extend(stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000002","parent_id":"0000000000000011","name":"orders","start_time":1.02,"end_time":1.18,
              "http":{{"response":{{"status":500}}}},
              "subsegments":[{{"id":"0000000000000021","name":"handler","start_time":1.03,"end_time":1.17,
                 "subsegments":[{{"id":"0000000000000022","name":"orders-db","namespace":"remote","sql":{{"url":"pg"}},"start_time":1.04,"end_time":1.05,
                    "subsegments":[{{"id":"0000000000000023","name":"socket","namespace":"remote","start_time":1.041,"end_time":1.042}}]}},
                   {{"id":"0000000000000024","name":"DynamoDB","namespace":"aws","aws":{{"table_name":"carts"}},"start_time":1.06,"end_time":1.07}},
                   {{"id":"0000000000000025","name":"SNS","namespace":"aws","start_time":1.08,"end_time":1.09,"throttle":true}}]}}]}}"#
        )));
        let graph = build(&docs);
        assert_eq!(
            keys(&graph),
            [
                ("gateway".into(), Some("AWS::EC2::Instance".into()), Role::Service, 1),
                ("orders".into(), None, Role::Service, 1),
                ("orders-db".into(), Some("Database::SQL".into()), Role::Inferred, 1),
                ("carts".into(), Some("AWS::DynamoDB::Table".into()), Role::Inferred, 1),
                ("SNS".into(), Some("AWS::SNS".into()), Role::Inferred, 1),
                ("gateway".into(), Some("client".into()), Role::Client, 0),
            ]
        );
        assert_eq!(
            edges(&graph),
            [
                ("gateway/AWS::EC2::Instance".into(), "orders".into(), 1),
                ("orders".into(), "orders-db/Database::SQL".into(), 1),
                ("orders".into(), "carts/AWS::DynamoDB::Table".into(), 1),
                ("orders".into(), "SNS/AWS::SNS".into(), 1),
                ("gateway/client".into(), "gateway/AWS::EC2::Instance".into(), 1),
            ]
        );
        assert!(graph.nodes[0].root && !graph.nodes[1].root);
        assert_eq!(graph.nodes[1].observations[0].class, Class::Fault);
        assert_eq!(graph.nodes[4].observations[0].class, Class::Throttle);
        let edge = &graph.edges[0].observations[0];
        assert!((edge.duration() - 0.18).abs() < 1e-9, "the edge counts the caller's subsegment");
    }

    #[test]
    fn a_loose_call_belongs_to_the_service_that_made_it() {
        let mut docs = stored(&format!(
            r#"{{"type":"subsegment","trace_id":"{TRACE}","parent_id":"0000000000000001","id":"0000000000000031","name":"inventory","namespace":"remote","start_time":1,"end_time":1.1}}"#
        ));
        docs.extend(stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000001","name":"orders","start_time":1,"end_time":2}}"#
        )));
        let graph = build(&docs);
        assert_eq!(edges(&graph)[0], ("orders".into(), "inventory/remote".into(), 1));
    }

    #[test]
    fn in_progress_requests_are_not_counted() {
        let docs = stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000001","name":"orders","start_time":1,"in_progress":true}}"#
        ));
        let graph = build(&docs);
        assert_eq!(graph.nodes[0].observations.len(), 0);
        assert_eq!(graph.edges[0].observations.len(), 0);
    }
}
