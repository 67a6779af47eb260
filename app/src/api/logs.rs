//! CloudWatch Logs for the console: the log groups (`DescribeLogGroups`; `CreateLogGroup` with
//! `PutRetentionPolicy`, `DeleteLogGroup`), a group's settings (`PutRetentionPolicy`/`DeleteRetentionPolicy`,
//! `AssociateKmsKey`/`DisassociateKmsKey`, `TagResource`/`UntagResource`), its streams (`DescribeLogStreams`,
//! `CreateLogStream`, `DeleteLogStream`), the event viewer (`GetLogEvents` for one stream, `FilterLogEvents`
//! for a whole group or with a filter pattern), and the group's metric and subscription filters (`filters`). The
//! same operations the Logs API runs; the page data here is their output in shapes the browser can draw (the wasm
//! build does not know the engine's types).

#[cfg(feature = "ssr")]
mod events;
mod exports;
mod filters;
#[cfg(feature = "ssr")]
mod groups;
mod live_tail;
#[cfg(feature = "ssr")]
mod streams;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use exports::*;
pub use filters::*;
pub use live_tail::*;

/// The retention periods CloudWatch Logs allows, in days (PutRetentionPolicy's enum; a test keeps it equal to
/// the engine's).
pub const RETENTION_DAYS: [u32; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// The log group classes a console user can choose when creating a group: (value, label).
pub const GROUP_CLASSES: [(&str, &str); 2] = [("STANDARD", "Standard"), ("INFREQUENT_ACCESS", "Infrequent Access")];

/// Events one page of the viewer reads.
pub const EVENTS_PAGE: i64 = 100;

/// One log group, as the list and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogGroupView {
    pub name: String,
    /// `logGroupArn` (without the `:*` of `arn`).
    pub arn: String,
    pub created_ms: i64,
    /// None: events never expire.
    pub retention_days: Option<u32>,
    /// Bytes of events stored, uncompressed.
    pub stored_bytes: u64,
    pub metric_filters: usize,
    pub subscription_filters: usize,
    /// `STANDARD`, `INFREQUENT_ACCESS`, `DELIVERY` or `ESSENTIALS`.
    pub class: String,
    /// The KMS key ARN the group's new events are encrypted with.
    pub kms_key: Option<String>,
    pub deletion_protection: bool,
    pub tags: Vec<(String, String)>,
}

/// A page of log groups.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogGroupList {
    pub groups: Vec<LogGroupView>,
    /// DescribeLogGroups' `nextToken`: more groups match.
    pub next_token: Option<String>,
}

/// What "Create log group" asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewLogGroup {
    pub name: String,
    /// None: never expire.
    pub retention_days: Option<u32>,
    pub class: String,
    /// A KMS key ARN, or empty.
    pub kms_key: String,
    pub tags: Vec<(String, String)>,
}

/// One log stream.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogStreamView {
    pub name: String,
    pub arn: String,
    pub created_ms: i64,
    pub first_event_ms: Option<i64>,
    pub last_event_ms: Option<i64>,
    pub last_ingestion_ms: Option<i64>,
}

/// A page of a group's streams.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogStreamList {
    pub streams: Vec<LogStreamView>,
    pub next_token: Option<String>,
}

/// How the streams table is ordered and filtered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StreamQuery {
    pub group: String,
    /// By last event time (`LastEventTime`) rather than by name.
    pub by_time: bool,
    pub descending: bool,
    /// A stream name prefix (ordering by name only, as DescribeLogStreams requires).
    pub prefix: String,
    pub token: Option<String>,
}

/// What the event viewer shows: a group (all its streams) or one stream, a filter pattern, a time range.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventQuery {
    pub group: String,
    pub stream: Option<String>,
    /// A filter pattern; empty: every event.
    pub filter: String,
    /// The console's time range (`3h`, `<start>..<end>`).
    pub range: String,
    /// A page token from an earlier answer (GetLogEvents' forward or backward token, FilterLogEvents'
    /// nextToken).
    pub token: Option<String>,
}

/// One log event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogEventView {
    /// Its stream, when the viewer reads a whole group.
    pub stream: Option<String>,
    pub timestamp_ms: i64,
    pub ingestion_ms: i64,
    pub message: String,
}

/// A page of events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LogEventPage {
    pub events: Vec<LogEventView>,
    /// Read by FilterLogEvents (a whole group, or a filter pattern), not GetLogEvents.
    pub filtered: bool,
    /// GetLogEvents' `nextBackwardToken`: the events before these.
    pub older_token: Option<String>,
    /// GetLogEvents' `nextForwardToken` or FilterLogEvents' `nextToken`: the events after these.
    pub newer_token: Option<String>,
    /// The time range read, in epoch milliseconds (start inclusive, end exclusive).
    pub start_ms: i64,
    pub end_ms: i64,
    /// Streams FilterLogEvents looked at.
    pub searched_streams: usize,
    /// When the range has no events at all: the newest event of the stream (or of the group's streams).
    pub latest_event_ms: Option<i64>,
}

/// Log groups of the page's account and region whose names start with `search` (`prefix`) or contain it, case
/// insensitively (DescribeLogGroups' `logGroupNamePattern`), of `class` when not empty, one page from `token`.
#[server(endpoint = "logs_groups", input = leptos::server_fn::codec::Json)]
pub async fn logs_groups(
    region: String,
    account: Option<String>,
    search: String,
    prefix: bool,
    class: String,
    token: Option<String>,
) -> Result<LogGroupList, ServerFnError> {
    groups::list(region, account, groups::ListQuery { search, prefix, class, token }).await
}

/// One log group.
#[server(endpoint = "logs_group", input = leptos::server_fn::codec::Json)]
pub async fn logs_group(region: String, account: Option<String>, name: String) -> Result<LogGroupView, ServerFnError> {
    groups::one(region, account, name).await
}

/// CreateLogGroup, then PutRetentionPolicy when a retention is chosen.
#[server(endpoint = "logs_group_create", input = leptos::server_fn::codec::Json)]
pub async fn logs_group_create(
    region: String,
    account: Option<String>,
    group: NewLogGroup,
) -> Result<(), ServerFnError> {
    groups::create(region, account, group).await
}

/// DeleteLogGroup.
#[server(endpoint = "logs_group_delete", input = leptos::server_fn::codec::Json)]
pub async fn logs_group_delete(region: String, account: Option<String>, name: String) -> Result<(), ServerFnError> {
    groups::delete(region, account, name).await
}

/// PutRetentionPolicy (`days`), or DeleteRetentionPolicy (None: never expire).
#[server(endpoint = "logs_retention", input = leptos::server_fn::codec::Json)]
pub async fn logs_retention(
    region: String,
    account: Option<String>,
    name: String,
    days: Option<u32>,
) -> Result<(), ServerFnError> {
    groups::retention(region, account, name, days).await
}

/// AssociateKmsKey (`key`), or DisassociateKmsKey (None).
#[server(endpoint = "logs_kms_key", input = leptos::server_fn::codec::Json)]
pub async fn logs_kms_key(
    region: String,
    account: Option<String>,
    name: String,
    key: Option<String>,
) -> Result<(), ServerFnError> {
    groups::kms_key(region, account, name, key).await
}

/// TagResource of the group (its ARN).
#[server(endpoint = "logs_tag", input = leptos::server_fn::codec::Json)]
pub async fn logs_tag(
    region: String,
    account: Option<String>,
    arn: String,
    tags: Vec<(String, String)>,
) -> Result<(), ServerFnError> {
    groups::tag(region, account, arn, tags).await
}

/// UntagResource of the group (its ARN).
#[server(endpoint = "logs_untag", input = leptos::server_fn::codec::Json)]
pub async fn logs_untag(
    region: String,
    account: Option<String>,
    arn: String,
    keys: Vec<String>,
) -> Result<(), ServerFnError> {
    groups::untag(region, account, arn, keys).await
}

/// One page of a group's streams.
#[server(endpoint = "logs_streams", input = leptos::server_fn::codec::Json)]
pub async fn logs_streams(
    region: String,
    account: Option<String>,
    query: StreamQuery,
) -> Result<LogStreamList, ServerFnError> {
    streams::list(region, account, query).await
}

/// CreateLogStream.
#[server(endpoint = "logs_stream_create", input = leptos::server_fn::codec::Json)]
pub async fn logs_stream_create(
    region: String,
    account: Option<String>,
    group: String,
    name: String,
) -> Result<(), ServerFnError> {
    streams::create(region, account, group, name).await
}

/// DeleteLogStream.
#[server(endpoint = "logs_stream_delete", input = leptos::server_fn::codec::Json)]
pub async fn logs_stream_delete(
    region: String,
    account: Option<String>,
    group: String,
    name: String,
) -> Result<(), ServerFnError> {
    streams::delete(region, account, group, name).await
}

/// One page of events: GetLogEvents of one stream without a filter pattern (the newest page of the range, or
/// the page a token names), else FilterLogEvents (from the start of the range, or the token).
#[server(endpoint = "logs_events", input = leptos::server_fn::codec::Json)]
pub async fn logs_events(
    region: String,
    account: Option<String>,
    query: EventQuery,
) -> Result<LogEventPage, ServerFnError> {
    events::page(region, account, query).await
}
