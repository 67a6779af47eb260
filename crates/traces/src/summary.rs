//! A trace's summary, computed once its documents stop arriving (and again if more come): what GetTraceSummaries
//! returns and what filter expressions test. Times span every document; the response time, the HTTP facts and
//! the fault and error flags are the root segment's, the throttle flag any entity's; annotations and users are
//! listed with the services that recorded them; the trace's graph is kept for `service()` and `edge()` filters.

use serde::{Deserialize, Serialize};

use crate::document::{Annotation, Entity, Exception, Http, Kind};
use crate::id::TraceId;
use crate::storage::Stored;
use crate::trace_graph::{Class, Role, ServiceKey, TraceGraph, build_with_owners};

/// An annotation value and the services that recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationValue {
    pub key: String,
    pub value: Annotation,
    pub services: Vec<ServiceKey>,
}

/// A service a fault or error started in, and the path to the entity that failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RootCause {
    pub service: ServiceKey,
    pub inferred: bool,
    /// Names from the service's segment down to the failing subsegment, each with its exceptions.
    pub path: Vec<(String, Vec<Exception>, bool)>,
    pub client_impacting: bool,
}

/// One trace's summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub id: TraceId,
    /// The earliest start, epoch seconds.
    pub start: f64,
    /// The latest end (the start while nothing has ended).
    pub end: f64,
    pub response_time: Option<f64>,
    pub has_fault: bool,
    pub has_error: bool,
    pub has_throttle: bool,
    pub is_partial: bool,
    pub http: Option<Http>,
    pub annotations: Vec<AnnotationValue>,
    pub users: Vec<(String, Vec<ServiceKey>)>,
    pub entry_point: Option<ServiceKey>,
    pub resource_arns: Vec<String>,
    pub instance_ids: Vec<String>,
    pub availability_zones: Vec<String>,
    pub fault_root_causes: Vec<RootCause>,
    pub error_root_causes: Vec<RootCause>,
    pub graph: TraceGraph,
    /// Bumped each time the summary is made again.
    pub revision: u32,
    /// The groups whose filter expression the trace matched when the summary was made (their service graphs
    /// count it).
    pub groups: Vec<String>,
}

impl Summary {
    pub fn duration(&self) -> f64 {
        (self.end - self.start).max(0.0)
    }

    /// Every service of the trace but the clients.
    pub fn services(&self) -> impl Iterator<Item = &ServiceKey> {
        self.graph.nodes.iter().filter(|n| n.role != Role::Client).map(|n| &n.key)
    }
}

fn add_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The entity of `entities` that failed deepest in the same way (`fails`), and the names down to it.
fn failing_path(entities: &[Entity], fails: &dyn Fn(&Entity) -> bool) -> Vec<(String, Vec<Exception>, bool)> {
    let Some(deepest) = entities.iter().filter(|e| fails(e)).max_by_key(|e| e.depth) else { return Vec::new() };
    let mut path =
        vec![(deepest.name.clone(), deepest.exceptions.clone(), deepest.exceptions.iter().any(|e| e.remote))];
    let mut parent = deepest.parent;
    while let Some(id) = parent {
        let Some(up) = entities.iter().find(|e| e.id == id) else { break };
        path.push((up.name.clone(), up.exceptions.clone(), up.exceptions.iter().any(|e| e.remote)));
        parent = up.parent;
    }
    path.reverse();
    path
}

/// The services where failures of `class` started: those failing whose own calls did not fail so.
fn root_causes(graph: &TraceGraph, documents: &[Stored], class: Class, client_impacting: bool) -> Vec<RootCause> {
    let failed = |observations: &[crate::trace_graph::Observation]| observations.iter().any(|o| o.class == class);
    let mut out = Vec::new();
    for (index, node) in graph.nodes.iter().enumerate() {
        if node.role == Role::Client || !failed(&node.observations) {
            continue;
        }
        let downstream_failed = graph.edges.iter().any(|e| e.from == index && failed(&e.observations));
        if downstream_failed {
            continue;
        }
        let fails = |e: &Entity| Class::of(e.flags) == class;
        let path = if node.role == Role::Inferred {
            vec![(node.key.name.clone(), Vec::new(), false)]
        } else {
            documents
                .iter()
                .filter(|d| {
                    d.kind == Kind::Segment
                        && d.entities[0].name == node.key.name
                        && d.entities[0].origin == node.key.kind
                })
                .map(|d| failing_path(&d.entities, &fails))
                .find(|p| !p.is_empty())
                .unwrap_or_else(|| vec![(node.key.name.clone(), Vec::new(), false)])
        };
        out.push(RootCause {
            service: node.key.clone(),
            inferred: node.role == Role::Inferred,
            path,
            client_impacting,
        });
    }
    out
}

/// The summary of `trace` from its stored documents (`revision` counts how often it was made).
pub fn summarize(trace: TraceId, documents: &[Stored], revision: u32) -> Summary {
    let (graph, owners) = build_with_owners(documents);
    let mut start = f64::INFINITY;
    let mut end = f64::NEG_INFINITY;
    let mut summary = Summary {
        id: trace,
        start: 0.0,
        end: 0.0,
        response_time: None,
        has_fault: false,
        has_error: false,
        has_throttle: false,
        is_partial: false,
        http: None,
        annotations: Vec::new(),
        users: Vec::new(),
        entry_point: None,
        resource_arns: Vec::new(),
        instance_ids: Vec::new(),
        availability_zones: Vec::new(),
        fault_root_causes: Vec::new(),
        error_root_causes: Vec::new(),
        graph: TraceGraph::default(),
        revision,
        groups: Vec::new(),
    };
    for document in documents {
        for entity in &document.entities {
            start = start.min(entity.start);
            end = end.max(entity.end.unwrap_or(entity.start));
            summary.is_partial |= entity.end.is_none();
            summary.has_throttle |= entity.flags.throttle;
            let service = owners.get(&entity.id).map(|&n| graph.nodes[n].key.clone());
            for (key, value) in &entity.annotations {
                match summary.annotations.iter_mut().find(|a| &a.key == key && &a.value == value) {
                    Some(found) => {
                        if let Some(service) = &service {
                            add_unique(&mut found.services, service.clone());
                        }
                    }
                    None => summary.annotations.push(AnnotationValue {
                        key: key.clone(),
                        value: value.clone(),
                        services: service.iter().cloned().collect(),
                    }),
                }
            }
            if let Some(user) = &entity.user {
                match summary.users.iter_mut().find(|(name, _)| name == user) {
                    Some((_, services)) => {
                        if let Some(service) = &service {
                            add_unique(services, service.clone());
                        }
                    }
                    None => summary.users.push((user.clone(), service.iter().cloned().collect())),
                }
            }
            if let Some(arn) = &entity.resource_arn {
                add_unique(&mut summary.resource_arns, arn.clone());
            }
            if let Some(id) = &entity.instance_id {
                add_unique(&mut summary.instance_ids, id.clone());
            }
            if let Some(zone) = &entity.availability_zone {
                add_unique(&mut summary.availability_zones, zone.clone());
            }
        }
    }
    if start.is_finite() {
        summary.start = start;
        summary.end = end.max(start);
    }
    // The root: the earliest segment that no call in the trace made.
    let root = graph
        .nodes
        .iter()
        .position(|n| n.root)
        .and_then(|node| {
            documents
                .iter()
                .filter(|d| d.kind == Kind::Segment)
                .filter(|d| d.entities[0].name == graph.nodes[node].key.name)
                .filter(|d| d.entities[0].origin == graph.nodes[node].key.kind)
                .min_by(|a, b| a.entities[0].start.total_cmp(&b.entities[0].start))
        })
        .map(|d| &d.entities[0]);
    if let Some(root) = root {
        summary.response_time = root.end.map(|e| (e - root.start).max(0.0));
        summary.has_fault = root.flags.fault;
        summary.has_error = root.flags.error;
        summary.http = root.http.clone();
        summary.entry_point = Some(ServiceKey { name: root.name.clone(), kind: root.origin.clone() });
    }
    summary.fault_root_causes = root_causes(&graph, documents, Class::Fault, summary.has_fault);
    summary.error_root_causes = root_causes(&graph, documents, Class::Error, summary.has_error);
    summary.graph = graph;
    summary
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

    /// The shop's failing checkout: payments faults with an exception, orders and the gateway answer 500.
    fn checkout() -> Vec<Stored> {
        let mut docs = stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000001","name":"gateway","start_time":10,"end_time":10.5,
               "http":{{"request":{{"method":"POST","url":"http://shop/checkout"}},"response":{{"status":500}}}},
               "annotations":{{"customer":"alice"}},"user":"alice",
               "subsegments":[{{"id":"0000000000000011","name":"orders","namespace":"remote","start_time":10.1,"end_time":10.4,"fault":true}}]}}"#
        ));
        docs.extend(stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000002","parent_id":"0000000000000011","name":"orders","start_time":10.15,"end_time":10.35,
               "fault":true,"annotations":{{"customer":"alice","items":3}},
               "subsegments":[{{"id":"0000000000000021","name":"payments","namespace":"remote","start_time":10.2,"end_time":10.3,"fault":true}}]}}"#
        )));
        docs.extend(stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000003","parent_id":"0000000000000021","name":"payments","start_time":10.21,"end_time":10.29,"fault":true,
               "subsegments":[{{"id":"0000000000000031","name":"charge","start_time":10.22,"end_time":10.28,"fault":true,
                 "cause":{{"exceptions":[{{"type":"CardError","message":"declined"}}]}}}}]}}"#
        )));
        docs.extend(stored(&format!(
            r#"{{"trace_id":"{TRACE}","id":"0000000000000004","parent_id":"0000000000000002","name":"audit","start_time":10.6,"in_progress":true}}"#
        )));
        docs
    }

    #[test]
    fn the_summary_reads_times_and_flags_from_the_root_and_the_whole_trace() {
        let summary = summarize(TraceId::parse(TRACE).unwrap(), &checkout(), 1);
        assert_eq!(summary.start, 10.0);
        assert!((summary.duration() - 0.6).abs() < 1e-9, "to the latest time any document shows");
        assert!((summary.response_time.unwrap() - 0.5).abs() < 1e-9, "the root segment's");
        assert!(summary.has_fault && !summary.has_error && !summary.has_throttle);
        assert!(summary.is_partial, "the audit segment is still in progress");
        assert_eq!(summary.http.as_ref().unwrap().status, Some(500));
        assert_eq!(summary.entry_point.as_ref().unwrap().name, "gateway");
        let alice = summary.annotations.iter().find(|a| a.key == "customer").unwrap();
        let names: Vec<&str> = alice.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["gateway", "orders"]);
        assert_eq!(summary.users[0].0, "alice");
        let services: Vec<&str> = summary.services().map(|s| s.name.as_str()).collect();
        assert_eq!(services, ["gateway", "orders", "payments", "audit"]);
    }

    #[test]
    fn the_fault_started_in_payments_at_its_charge_call() {
        let summary = summarize(TraceId::parse(TRACE).unwrap(), &checkout(), 1);
        assert_eq!(summary.fault_root_causes.len(), 1);
        let cause = &summary.fault_root_causes[0];
        assert_eq!(cause.service.name, "payments");
        let path: Vec<&str> = cause.path.iter().map(|(name, _, _)| name.as_str()).collect();
        assert_eq!(path, ["payments", "charge"]);
        assert_eq!(cause.path[1].1[0].kind, "CardError");
        assert!(cause.client_impacting);
        assert!(summary.error_root_causes.is_empty());
    }
}
