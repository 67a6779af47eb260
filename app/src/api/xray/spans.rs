//! A trace's documents (as BatchGetTraces returns them) flattened into the timeline's rows: each segment with its
//! subsegments nested under it, and a segment that a subsegment of another service called placed under that call,
//! so the waterfall reads from the first service to the last. Depth-first, children in start order.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{ExceptionView, SpanRow};

/// Nesting deeper than this is shown flat (documents may nest without bound).
const MAX_DEPTH: usize = 64;

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn start_of(value: &Value) -> f64 {
    value.get("start_time").and_then(Value::as_f64).unwrap_or(0.0)
}

fn pretty(value: Option<&Value>) -> Option<String> {
    value.filter(|v| !v.is_null()).and_then(|v| serde_json::to_string_pretty(v).ok())
}

fn annotation(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn exceptions(value: &Value) -> Vec<ExceptionView> {
    let list = value.get("cause").and_then(|c| c.get("exceptions")).and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .map(|e| ExceptionView {
            kind: text(e, "type").unwrap_or_default(),
            message: text(e, "message").unwrap_or_default(),
            remote: flag(e, "remote"),
            stack: e
                .get("stack")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|frame| {
                    let label = text(frame, "label").unwrap_or_default();
                    let path = text(frame, "path").unwrap_or_default();
                    match frame.get("line").and_then(Value::as_i64) {
                        Some(line) => format!("{label} ({path}:{line})"),
                        None => format!("{label} ({path})"),
                    }
                })
                .collect(),
            truncated: e.get("truncated").and_then(Value::as_u64).unwrap_or(0),
        })
        .collect()
}

/// One row for `value`, a segment (`segment`) or a subsegment.
fn row(value: &Value, depth: usize, segment: bool) -> SpanRow {
    let http = value.get("http");
    let request = http.and_then(|h| h.get("request"));
    let response = http.and_then(|h| h.get("response"));
    let mut annotations: Vec<(String, String)> = value
        .get("annotations")
        .and_then(Value::as_object)
        .map(|map| map.iter().map(|(k, v)| (k.clone(), annotation(v))).collect())
        .unwrap_or_default();
    annotations.sort();
    let raw = if segment {
        let mut own = value.clone();
        if let Some(map) = own.as_object_mut() {
            map.remove("subsegments");
        }
        pretty(Some(&own))
    } else {
        None
    };
    SpanRow {
        id: text(value, "id").unwrap_or_default(),
        depth,
        segment,
        name: text(value, "name").unwrap_or_default(),
        kind: if segment { text(value, "origin") } else { text(value, "namespace") },
        start: start_of(value),
        end: value.get("end_time").and_then(Value::as_f64),
        in_progress: flag(value, "in_progress"),
        method: request.and_then(|r| text(r, "method")),
        url: request.and_then(|r| text(r, "url")),
        status: response.and_then(|r| r.get("status")).and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()),
        error: flag(value, "error"),
        fault: flag(value, "fault"),
        throttle: flag(value, "throttle"),
        annotations,
        metadata: pretty(value.get("metadata")),
        http: pretty(http),
        aws: pretty(value.get("aws")),
        sql: pretty(value.get("sql")),
        user: text(value, "user"),
        exceptions: exceptions(value),
        raw,
    }
}

struct Walk<'a> {
    /// Segment documents called by the subsegment with this id (lower-case).
    called: HashMap<String, Vec<&'a Value>>,
    seen: HashSet<*const Value>,
    out: Vec<SpanRow>,
}

impl<'a> Walk<'a> {
    fn segment(&mut self, document: &'a Value, depth: usize) {
        if !self.seen.insert(document as *const Value) {
            return;
        }
        self.out.push(row(document, depth, true));
        self.children(document, depth + 1);
    }

    fn children(&mut self, parent: &'a Value, depth: usize) {
        let mut subsegments: Vec<&Value> =
            parent.get("subsegments").and_then(Value::as_array).map(|l| l.iter().collect()).unwrap_or_default();
        subsegments.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
        for sub in subsegments {
            self.out.push(row(sub, depth.min(MAX_DEPTH), false));
            self.children(sub, depth + 1);
            let id = text(sub, "id").unwrap_or_default().to_ascii_lowercase();
            let mut called = self.called.remove(&id).unwrap_or_default();
            called.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
            for document in called {
                self.segment(document, (depth + 1).min(MAX_DEPTH));
            }
        }
    }
}

fn subsegment_ids(value: &Value, into: &mut HashSet<String>) {
    for sub in value.get("subsegments").and_then(Value::as_array).into_iter().flatten() {
        if let Some(id) = sub.get("id").and_then(Value::as_str) {
            into.insert(id.to_ascii_lowercase());
        }
        subsegment_ids(sub, into);
    }
}

/// The timeline's rows for a trace's documents (JSON texts; unreadable ones are left out).
pub fn timeline(documents: &[String]) -> Vec<SpanRow> {
    let parsed: Vec<Value> = documents.iter().filter_map(|d| serde_json::from_str::<Value>(d).ok()).collect();
    let mut ids = HashSet::new();
    for document in &parsed {
        subsegment_ids(document, &mut ids);
    }
    let mut walk = Walk { called: HashMap::new(), seen: HashSet::new(), out: Vec::new() };
    let mut roots = Vec::new();
    for document in &parsed {
        match text(document, "parent_id").map(|p| p.to_ascii_lowercase()) {
            Some(parent) if ids.contains(&parent) => walk.called.entry(parent).or_default().push(document),
            _ => roots.push(document),
        }
    }
    roots.sort_by(|a, b| start_of(a).total_cmp(&start_of(b)));
    for document in roots {
        walk.segment(document, 0);
    }
    // Whatever a cycle of parents kept out is shown at the top level.
    let left: Vec<&Value> = walk.called.values().flatten().copied().collect();
    for document in left {
        walk.segment(document, 0);
    }
    walk.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn called_segments_nest_under_their_calls() {
        let gateway = r#"{"id":"a1","name":"gateway","start_time":1.0,"end_time":2.0,
            "subsegments":[{"id":"b1","name":"orders","start_time":1.1,"end_time":1.9,"namespace":"remote"}]}"#;
        let orders = r#"{"id":"c1","name":"orders","parent_id":"B1","start_time":1.2,"end_time":1.8,"fault":true,
            "http":{"response":{"status":500}},"annotations":{"order":"42"},
            "cause":{"exceptions":[{"type":"ValueError","message":"bad","stack":[{"path":"app.py","line":3,"label":"pay"}]}]}}"#;
        let rows = timeline(&[orders.to_owned(), gateway.to_owned()]);
        let names: Vec<(usize, &str)> = rows.iter().map(|r| (r.depth, r.name.as_str())).collect();
        assert_eq!(names, [(0, "gateway"), (1, "orders"), (2, "orders")]);
        let called = &rows[2];
        assert!(called.segment && called.fault);
        assert_eq!(called.status, Some(500));
        assert_eq!(called.annotations, [("order".to_owned(), "42".to_owned())]);
        assert_eq!(called.exceptions[0].stack, ["pay (app.py:3)"]);
    }

    #[test]
    fn documents_that_name_each_other_are_shown_once() {
        let a = r#"{"id":"a","name":"a","parent_id":"y","start_time":1,"subsegments":[{"id":"x","name":"x","start_time":1}]}"#;
        let b = r#"{"id":"b","name":"b","parent_id":"x","start_time":1,"subsegments":[{"id":"y","name":"y","start_time":1}]}"#;
        let rows = timeline(&[a.to_owned(), b.to_owned(), "not json".to_owned()]);
        assert_eq!(rows.iter().filter(|r| r.segment).count(), 2);
    }
}
