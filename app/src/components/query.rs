//! The URL's query string is the console's shared state: region, account, time range and page filters.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use skywatch_model::{DEFAULT_REGION, TimeRange};

/// Query keys that follow the user from page to page.
const CARRIED: [&str; 3] = ["region", "account", "range"];

/// Regions offered by the region selector.
pub const REGIONS: [&str; 8] = [
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-2",
];

/// The region in the URL, or the default.
pub fn use_region() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| {
        query
            .read()
            .get("region")
            .filter(|r| REGIONS.contains(&r.as_str()))
            .unwrap_or_else(|| DEFAULT_REGION.to_owned())
    })
}

/// The time range in the URL, or the default (3 hours).
pub fn use_time_range() -> Memo<TimeRange> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get("range").and_then(|r| TimeRange::parse(&r)).unwrap_or_default())
}

/// A link to `path` that keeps the carried keys of the current URL and applies `changes` (empty value removes).
pub fn href(path: &str, current: &leptos_router::params::ParamsMap, changes: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> =
        CARRIED.iter().filter_map(|key| current.get(key).map(|value| ((*key).to_owned(), value))).collect();
    for (key, value) in changes {
        pairs.retain(|(k, _)| k != key);
        if !value.is_empty() {
            pairs.push(((*key).to_owned(), (*value).to_owned()));
        }
    }
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
    format!("{path}?{}", query.join("&"))
}

/// A link to `path` that keeps every key of the current URL but `dropped` (page state too, e.g. the metrics
/// graphed) and applies `changes` (empty value removes). Keys keep their order; repeated keys stay repeated.
pub fn href_keeping(
    path: &str,
    current: &leptos_router::params::ParamsMap,
    changes: &[(&str, &str)],
    dropped: &[&str],
) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in current.clone() {
        if !dropped.contains(&key.as_ref()) && !changes.iter().any(|(k, _)| *k == key.as_ref()) {
            pairs.push((key.into_owned(), value));
        }
    }
    pairs.extend(changes.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    format!("{path}?{}", query.join("&"))
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
