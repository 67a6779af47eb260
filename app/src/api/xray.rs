//! X-Ray for the console: the service map over a time range (`GetServiceGraph`, with the groups of `GetGroups`),
//! the trace list (`GetTraceSummaries` with a filter expression), and one trace's timeline (`BatchGetTraces`,
//! with its own map from `GetTraceGraph`). The same operations the X-Ray API runs; the page data here is their
//! output in shapes the browser can draw.

#[cfg(feature = "ssr")]
mod server;
#[cfg(feature = "ssr")]
mod spans;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Requests of a node or an edge, as X-Ray counts them, with their durations.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MapStats {
    pub ok: i64,
    /// 4xx other than 429.
    pub error: i64,
    /// 429.
    pub throttle: i64,
    /// 5xx.
    pub fault: i64,
    /// Seconds, summed over the requests.
    pub total_response_time: f64,
    /// (duration in milliseconds, requests), by duration.
    pub histogram: Vec<(u32, i64)>,
    /// Epoch seconds of the first request's start and the last one's end (0 without requests).
    pub first_start: f64,
    pub last_end: f64,
}

impl MapStats {
    pub fn total(&self) -> i64 {
        self.ok + self.error + self.throttle + self.fault
    }

    /// The average response time in milliseconds, when there were requests.
    pub fn average_ms(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| self.total_response_time * 1000.0 / total as f64)
    }

    /// Requests a minute over `window_ms`.
    pub fn per_minute(&self, window_ms: i64) -> f64 {
        let minutes = (window_ms as f64 / 60_000.0).max(1.0);
        self.total() as f64 / minutes
    }
}

/// What a map node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeRole {
    /// The callers in front of a root service.
    Client,
    /// A service that sent segments.
    Service,
    /// Known only from its callers' subsegments (an AWS service, a database, a remote API).
    Remote,
}

/// One node of a service map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapNode {
    pub name: String,
    /// The service type (`AWS::EC2::Instance`, `AWS::DynamoDB::Table`, `client`, `remote`...).
    pub kind: Option<String>,
    pub role: NodeRole,
    pub root: bool,
    pub stats: MapStats,
}

/// One edge of a service map: calls from `from` to `to` (node indexes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapEdge {
    pub from: usize,
    pub to: usize,
    pub stats: MapStats,
}

/// A service graph ready to draw.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ServiceMap {
    pub start_ms: i64,
    pub end_ms: i64,
    pub nodes: Vec<MapNode>,
    pub edges: Vec<MapEdge>,
    /// The range asked for was longer than X-Ray's 24 hours: the map covers its last 24 hours.
    pub clamped: bool,
}

/// A trace group: its name and filter expression (`Default`, every trace, has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceGroup {
    pub name: String,
    pub filter_expression: Option<String>,
}

/// One trace of the trace list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceRow {
    pub id: String,
    /// Epoch milliseconds of the trace's start.
    pub start_ms: i64,
    /// Seconds: the root segment's response time.
    pub response_time: Option<f64>,
    /// Seconds from the first start to the last end.
    pub duration: f64,
    pub method: Option<String>,
    pub url: Option<String>,
    pub status: Option<u16>,
    pub fault: bool,
    pub error: bool,
    pub throttle: bool,
    pub partial: bool,
    /// The service the trace entered by.
    pub entry: Option<String>,
    pub annotations: usize,
}

/// A page of the trace list.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TraceList {
    pub rows: Vec<TraceRow>,
    pub start_ms: i64,
    pub end_ms: i64,
    /// Traces the search looked at.
    pub processed: u64,
    pub next_token: Option<String>,
    pub clamped: bool,
}

/// An exception recorded in a segment's `cause`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionView {
    pub kind: String,
    pub message: String,
    pub remote: bool,
    /// `label (path:line)` for each stack frame, innermost first.
    pub stack: Vec<String>,
    /// Frames the SDK left out (`truncated`).
    pub truncated: u64,
}

/// One segment or subsegment of a trace's timeline, in depth-first order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanRow {
    pub id: String,
    /// 0 for a segment that starts the trace; nested subsegments and the segments they called go deeper.
    pub depth: usize,
    pub segment: bool,
    pub name: String,
    /// A segment's `origin`, a subsegment's `namespace`.
    pub kind: Option<String>,
    /// Epoch seconds.
    pub start: f64,
    pub end: Option<f64>,
    pub in_progress: bool,
    pub method: Option<String>,
    pub url: Option<String>,
    pub status: Option<u16>,
    pub error: bool,
    pub fault: bool,
    pub throttle: bool,
    /// (key, value as written).
    pub annotations: Vec<(String, String)>,
    /// Pretty JSON of `metadata`, `http`, `aws`, `sql` when present.
    pub metadata: Option<String>,
    pub http: Option<String>,
    pub aws: Option<String>,
    pub sql: Option<String>,
    pub user: Option<String>,
    pub exceptions: Vec<ExceptionView>,
    /// The document as received, pretty (segments only).
    pub raw: Option<String>,
}

/// One trace: its timeline and its map.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TraceDetail {
    pub id: String,
    pub duration: Option<f64>,
    pub start: f64,
    pub spans: Vec<SpanRow>,
    pub map: ServiceMap,
    pub limit_exceeded: bool,
}

/// The groups of the page's account and region, Default first.
#[server(endpoint = "xray_groups", input = leptos::server_fn::codec::Json)]
pub async fn xray_groups(region: String, account: Option<String>) -> Result<Vec<TraceGroup>, ServerFnError> {
    server::groups(region, account).await
}

/// The service map of `group` (empty: Default) over `range` (the console's URL form).
#[server(endpoint = "xray_service_map", input = leptos::server_fn::codec::Json)]
pub async fn xray_service_map(
    region: String,
    account: Option<String>,
    range: String,
    group: String,
) -> Result<ServiceMap, ServerFnError> {
    server::service_map(region, account, range, group).await
}

/// The traces over `range` matching `filter` within `group`, newest first.
#[server(endpoint = "xray_traces", input = leptos::server_fn::codec::Json)]
pub async fn xray_traces(
    region: String,
    account: Option<String>,
    range: String,
    group: String,
    filter: String,
    token: Option<String>,
) -> Result<TraceList, ServerFnError> {
    server::traces(region, account, range, group, filter, token).await
}

/// One trace's timeline and map.
#[server(endpoint = "xray_trace", input = leptos::server_fn::codec::Json)]
pub async fn xray_trace(region: String, account: Option<String>, id: String) -> Result<TraceDetail, ServerFnError> {
    server::trace(region, account, id).await
}
