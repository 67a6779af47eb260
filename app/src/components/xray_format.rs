//! How the X-Ray pages write numbers, shares and filter expressions, and name a map's nodes in the URL.

use crate::api::{MapNode, NodeRole, ServiceMap};

/// A duration in seconds as X-Ray's console shows it: `840 μs`, `12 ms`, `1.25 s`.
pub fn seconds(value: f64) -> String {
    milliseconds(value * 1000.0)
}

/// A duration in milliseconds: `840 μs`, `12 ms`, `1.25 s`, `2.1 min`.
pub fn milliseconds(ms: f64) -> String {
    if !ms.is_finite() || ms < 0.0 {
        "-".to_owned()
    } else if ms == 0.0 {
        "0 ms".to_owned()
    } else if ms < 1.0 {
        format!("{:.0} μs", ms * 1000.0)
    } else if ms < 100.0 {
        format!("{ms:.1} ms").replace(".0 ms", " ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else if ms < 60_000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        format!("{:.1} min", ms / 60_000.0)
    }
}

/// Requests a minute: `0.25`, `3.5`, `120`.
pub fn rate(per_minute: f64) -> String {
    if per_minute < 10.0 {
        format!("{per_minute:.2}").trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        format!("{per_minute:.0}")
    }
}

/// `part` of `total` as a percentage: `0%`, `2.5%`, `100%`.
pub fn percent(part: i64, total: i64) -> String {
    if total <= 0 {
        return "0%".to_owned();
    }
    let value = part as f64 * 100.0 / total as f64;
    if value == 0.0 || value >= 10.0 { format!("{value:.0}%") } else { format!("{value:.1}%") }
}

/// A quoted string of the filter language.
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The name a node is shown with: a root's callers are `Clients`.
pub fn label(node: &MapNode) -> String {
    if node.role == NodeRole::Client { "Clients".to_owned() } else { node.name.clone() }
}

/// The type line under a node.
pub fn kind(node: &MapNode) -> String {
    match (&node.kind, node.role) {
        (Some(kind), _) => kind.clone(),
        (None, NodeRole::Client) => "client".to_owned(),
        (None, NodeRole::Remote) => "remote".to_owned(),
        (None, NodeRole::Service) => "service".to_owned(),
    }
}

/// A node's key in the URL (`sel=`, `to=`): its type and name.
pub fn key(node: &MapNode) -> String {
    format!("{}|{}", node.kind.as_deref().unwrap_or(""), node.name)
}

/// The node a URL key names.
pub fn find(map: &ServiceMap, key: &str) -> Option<usize> {
    map.nodes.iter().position(|node| self::key(node) == key)
}

/// The filter expression of a node's traces: the service's, or for a root's clients the root's.
pub fn node_filter(node: &MapNode) -> String {
    format!("service({})", quoted(&node.name))
}

/// The filter expression of an edge's traces (a client's calls are its root's requests).
pub fn edge_filter(from: &MapNode, to: &MapNode) -> String {
    if from.role == NodeRole::Client {
        node_filter(to)
    } else {
        format!("edge({}, {})", quoted(&from.name), quoted(&to.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_rates_read_like_the_console() {
        assert_eq!(milliseconds(0.5), "500 μs");
        assert_eq!(milliseconds(12.0), "12 ms");
        assert_eq!(milliseconds(12.34), "12.3 ms");
        assert_eq!(milliseconds(1250.0), "1.25 s");
        assert_eq!(milliseconds(f64::NAN), "-");
        assert_eq!(rate(0.25), "0.25");
        assert_eq!(rate(3.0), "3");
        assert_eq!(rate(120.4), "120");
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(1, 40), "2.5%");
        assert_eq!(percent(0, 0), "0%");
        assert_eq!(quoted("a\"b\\"), "\"a\\\"b\\\\\"");
    }
}
