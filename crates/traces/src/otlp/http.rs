//! A span's HTTP attributes as the document's `http` block, from the old (`http.method`, `http.status_code`, ...)
//! and the stable (`http.request.method`, `http.response.status_code`, `url.full`, ...) semantic conventions, as
//! the OpenTelemetry Collector's X-Ray exporter reads them.

use serde_json::{Map, Value, json};

use super::attributes::Attributes;

const METHOD: &[&str] = &["http.request.method", "http.method"];
const STATUS: &[&str] = &["http.response.status_code", "http.status_code"];
const FULL_URL: &[&str] = &["url.full", "http.url"];
const USER_AGENT: &[&str] = &["user_agent.original", "http.user_agent"];
const CLIENT_IP: &[&str] = &["client.address", "http.client_ip"];
const PEER_IP: &[&str] = &["network.peer.address", "net.peer.ip", "net.sock.peer.addr"];
/// Any of these makes the span an HTTP span.
const MARKERS: &[&str] = &[
    "http.request.method",
    "http.method",
    "http.response.status_code",
    "http.status_code",
    "url.full",
    "http.url",
    "url.scheme",
    "http.scheme",
    "http.target",
    "url.path",
    "url.query",
    "user_agent.original",
    "http.user_agent",
];
/// Every key this module reads, removed from the metadata once read.
const CONSUMED: &[&str] = &[
    "http.request.method",
    "http.method",
    "http.response.status_code",
    "http.status_code",
    "url.full",
    "http.url",
    "url.scheme",
    "http.scheme",
    "url.path",
    "url.query",
    "http.target",
    "http.host",
    "http.server_name",
    "server.address",
    "server.port",
    "net.host.name",
    "net.host.port",
    "host.name",
    "net.peer.name",
    "net.peer.port",
    "user_agent.original",
    "http.user_agent",
    "client.address",
    "http.client_ip",
    "network.peer.address",
    "net.peer.ip",
    "net.sock.peer.addr",
    "http.response.body.size",
    "http.response_content_length",
];

/// The HTTP status code a span reports, if any.
pub fn status(attrs: &Attributes) -> Option<i64> {
    STATUS.iter().find_map(|k| attrs.int(k))
}

/// The `http` block, or `None` when the span has no HTTP attributes. `server` says which host keys come first.
pub fn block(attrs: &mut Attributes, server: bool) -> Option<Value> {
    if !MARKERS.iter().any(|k| attrs.has(k)) {
        return None;
    }
    let mut request = Map::new();
    if let Some(method) = attrs.first_str(METHOD) {
        request.insert("method".into(), json!(method));
    }
    if let Some(url) = url(attrs, server) {
        request.insert("url".into(), json!(url));
    }
    if let Some(agent) = attrs.first_str(USER_AGENT) {
        request.insert("user_agent".into(), json!(agent));
    }
    let peer = attrs.first_str(PEER_IP).filter(|ip| ip.parse::<std::net::IpAddr>().is_ok());
    let client = attrs.first_str(CLIENT_IP).filter(|ip| ip.parse::<std::net::IpAddr>().is_ok());
    match (client, peer) {
        (Some(client), None) => {
            request.insert("client_ip".into(), json!(client));
            request.insert("x_forwarded_for".into(), json!(true));
        }
        (Some(ip), Some(_)) | (None, Some(ip)) => {
            request.insert("client_ip".into(), json!(ip));
        }
        (None, None) => {}
    }
    let mut response = Map::new();
    if let Some(code) = status(attrs) {
        response.insert("status".into(), json!(code));
    }
    if let Some(length) = attrs.int("http.response.body.size").or_else(|| attrs.int("http.response_content_length")) {
        response.insert("content_length".into(), json!(length));
    }
    attrs.consume(CONSUMED);
    let mut http = Map::new();
    if !request.is_empty() {
        http.insert("request".into(), Value::Object(request));
    }
    if !response.is_empty() {
        http.insert("response".into(), Value::Object(response));
    }
    Some(Value::Object(http))
}

/// The full URL, or one put together from its parts.
fn url(attrs: &Attributes, server: bool) -> Option<String> {
    if let Some(full) = attrs.first_str(FULL_URL) {
        return Some(full.to_owned());
    }
    let scheme = attrs.first_str(&["url.scheme", "http.scheme"]).unwrap_or("http");
    let host_keys: &[&str] = if server {
        &["http.host", "http.server_name", "net.host.name", "host.name", "server.address"]
    } else {
        &["http.host", "net.peer.name", "net.peer.ip", "server.address"]
    };
    let target = match attrs.first_str(&["http.target"]) {
        Some(target) => target.to_owned(),
        None => {
            let path = attrs.first_str(&["url.path"]).unwrap_or("/");
            match attrs.first_str(&["url.query"]) {
                Some(query) => format!("{path}?{query}"),
                None => path.to_owned(),
            }
        }
    };
    let Some(host) = attrs.first_str(host_keys) else {
        return attrs.has("http.target").then_some(target).or_else(|| attrs.str("url.path").map(str::to_owned));
    };
    let port_keys: &[&str] = if server { &["server.port", "net.host.port"] } else { &["server.port", "net.peer.port"] };
    let port = port_keys.iter().find_map(|k| attrs.int(k));
    let authority = match port {
        Some(80) if scheme == "http" => host.to_owned(),
        Some(443) if scheme == "https" => host.to_owned(),
        Some(port) if !host.contains(':') => format!("{host}:{port}"),
        _ => host.to_owned(),
    };
    Some(format!("{scheme}://{authority}{target}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
    use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue};

    fn attrs(pairs: &[(&str, Any)]) -> Vec<KeyValue> {
        pairs
            .iter()
            .map(|(k, v)| KeyValue {
                key: (*k).into(),
                value: Some(AnyValue { value: Some(v.clone()) }),
                ..Default::default()
            })
            .collect()
    }

    fn s(text: &str) -> Any {
        Any::StringValue(text.into())
    }

    #[test]
    fn stable_conventions_on_a_server_span() {
        let list = attrs(&[
            ("http.request.method", s("POST")),
            ("url.scheme", s("http")),
            ("server.address", s("orders")),
            ("server.port", Any::IntValue(8080)),
            ("url.path", s("/orders")),
            ("url.query", s("id=7")),
            ("http.response.status_code", Any::IntValue(502)),
            ("client.address", s("10.0.0.9")),
            ("user_agent.original", s("curl/8")),
            ("team", s("shop")),
        ]);
        let mut a = Attributes::new(&list);
        let http = block(&mut a, true).unwrap();
        assert_eq!(
            http,
            json!({"request": {"method": "POST", "url": "http://orders:8080/orders?id=7", "user_agent": "curl/8",
                               "client_ip": "10.0.0.9", "x_forwarded_for": true},
                   "response": {"status": 502}})
        );
        assert_eq!(Value::Object(a.to_json("")), json!({"team": "shop"}));
    }

    #[test]
    fn old_conventions_on_a_client_span() {
        let list = attrs(&[
            ("http.method", s("GET")),
            ("http.url", s("https://payments.example/charge")),
            ("http.status_code", s("429")),
            ("net.peer.ip", s("10.1.1.1")),
        ]);
        let mut a = Attributes::new(&list);
        assert_eq!(status(&a), Some(429));
        let http = block(&mut a, false).unwrap();
        assert_eq!(http["request"]["url"], "https://payments.example/charge");
        assert_eq!(http["request"]["client_ip"], "10.1.1.1");
        assert!(http["request"].get("x_forwarded_for").is_none());
        assert_eq!(http["response"]["status"], 429);
    }

    #[test]
    fn default_ports_are_dropped_and_no_http_means_none() {
        let list = attrs(&[
            ("http.method", s("GET")),
            ("http.scheme", s("https")),
            ("http.host", s("shop")),
            ("net.host.port", Any::IntValue(443)),
            ("http.target", s("/cart")),
        ]);
        let mut a = Attributes::new(&list);
        assert_eq!(block(&mut a, true).unwrap()["request"]["url"], "https://shop/cart");
        let list = attrs(&[("db.system", s("postgresql"))]);
        assert!(block(&mut Attributes::new(&list), true).is_none());
    }
}
