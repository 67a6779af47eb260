//! A trace as BatchGetTraces returns it: its segments, each with the subsegments that were sent on their own put
//! back where they belong (under the segment or subsegment their `parent_id` names, in start order), and its
//! duration from the earliest start to the latest end. A subsegment whose parent never arrived stays a document
//! of its own. Past [`MAX_TRACE_BYTES`] the rest is left out and `LimitExceeded` set, as X-Ray does.

use serde_json::{Map, Value};

use crate::document::Kind;
use crate::id::{SegmentId, TraceId};
use crate::storage::Stored;

/// The most document bytes one trace returns.
pub const MAX_TRACE_BYTES: usize = 1024 * 1024;

/// One assembled trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub id: TraceId,
    /// Seconds from the earliest start to the latest end; `None` while nothing has ended.
    pub duration: Option<f64>,
    pub limit_exceeded: bool,
    /// (document id, document JSON), segments in start order.
    pub segments: Vec<(SegmentId, String)>,
}

/// The object in `value` (a document or a subsegment nested in it) whose `id` is `id`.
fn find_mut<'a>(value: &'a mut Map<String, Value>, id: &str) -> Option<&'a mut Map<String, Value>> {
    if value.get("id").and_then(Value::as_str).is_some_and(|own| own.eq_ignore_ascii_case(id)) {
        return Some(value);
    }
    let children = value.get_mut("subsegments")?.as_array_mut()?;
    children.iter_mut().filter_map(Value::as_object_mut).find_map(|child| find_mut(child, id))
}

/// Puts `child` among `parent`'s subsegments, kept in start order.
fn adopt(parent: &mut Map<String, Value>, mut child: Map<String, Value>) {
    for field in ["type", "trace_id", "parent_id"] {
        child.remove(field);
    }
    let start = |v: &Value| v.get("start_time").and_then(Value::as_f64).unwrap_or(0.0);
    let list = parent.entry("subsegments").or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(items) = list {
        let child = Value::Object(child);
        let at = items.iter().position(|item| start(item) > start(&child)).unwrap_or(items.len());
        items.insert(at, child);
    }
}

/// Assembles `trace` from its stored documents.
pub fn assemble(trace: TraceId, stored: Vec<Stored>) -> Trace {
    let mut start = f64::INFINITY;
    let mut end: Option<f64> = None;
    for document in &stored {
        if let Some(first) = document.entities.first() {
            start = start.min(first.start);
        }
        for entity in &document.entities {
            if let Some(e) = entity.end {
                end = Some(end.map_or(e, |m: f64| m.max(e)));
            }
        }
    }
    let mut roots: Vec<(SegmentId, f64, Map<String, Value>)> = Vec::new();
    let mut loose: Vec<(SegmentId, SegmentId, f64, Map<String, Value>)> = Vec::new();
    for document in stored {
        let Some(first) = document.entities.first() else { continue };
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(&document.json) else { continue };
        match (document.kind, first.parent) {
            (Kind::Subsegment, Some(parent)) => loose.push((first.id, parent, first.start, fields)),
            _ => roots.push((first.id, first.start, fields)),
        }
    }
    loose.sort_by(|a, b| a.2.total_cmp(&b.2));
    // Subsegments may hang under other loose subsegments: attach in rounds until nothing more attaches.
    loop {
        let mut attached = false;
        let mut rest = Vec::new();
        for (id, parent, begun, fields) in loose {
            let parent_hex = parent.to_string();
            match roots.iter_mut().find_map(|(_, _, root)| find_mut(root, &parent_hex)) {
                Some(home) => {
                    adopt(home, fields);
                    attached = true;
                }
                None => rest.push((id, parent, begun, fields)),
            }
        }
        loose = rest;
        if !attached || loose.is_empty() {
            break;
        }
    }
    roots.extend(loose.into_iter().map(|(id, _, begun, fields)| (id, begun, fields)));
    roots.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut bytes = 0;
    let mut limit_exceeded = false;
    let mut segments = Vec::new();
    for (id, _, fields) in roots {
        let json = Value::Object(fields).to_string();
        if bytes + json.len() > MAX_TRACE_BYTES {
            limit_exceeded = true;
            break;
        }
        bytes += json.len();
        segments.push((id, json));
    }
    let duration = end.filter(|_| start.is_finite()).map(|end| (end - start).max(0.0));
    Trace { id: trace, duration, limit_exceeded, segments }
}
