//! CloudWatch All metrics for the console: browsing the metric catalogue (recorded as `ListMetrics`) and the data
//! of the graphed selection (recorded as `GetMetricData`). Both are reads, so viewers may use them.

#[cfg(feature = "ssr")]
pub(crate) mod browse;
#[cfg(feature = "ssr")]
mod graph;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The statistics the graph offers, in the order of CloudWatch's menu.
pub const STATISTICS: [&str; 8] = ["Average", "Sum", "Minimum", "Maximum", "SampleCount", "p50", "p90", "p99"];

/// The periods the graph offers (seconds, label). "Automatic" is the absence of a choice.
pub const PERIODS: [(i64, &str); 10] = [
    (1, "1 second"),
    (5, "5 seconds"),
    (10, "10 seconds"),
    (30, "30 seconds"),
    (60, "1 minute"),
    (300, "5 minutes"),
    (900, "15 minutes"),
    (3_600, "1 hour"),
    (21_600, "6 hours"),
    (86_400, "1 day"),
];

/// At most this many metrics on one graph.
pub const MAX_GRAPHED: usize = 25;

/// The label of a period in seconds: the menu's wording, or a count of seconds.
pub fn period_label(seconds: i64) -> String {
    PERIODS
        .iter()
        .find(|(s, _)| *s == seconds)
        .map(|(_, label)| (*label).to_owned())
        .unwrap_or_else(|| format!("{seconds} seconds"))
}

/// One metric (dimensions sorted by name): the metric identity the engine and the widget model share.
pub use skywatch_model::MetricId;

/// What the browser asks for: a namespace, one of its dimension sets (names, sorted), a search, a row limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowseQuery {
    pub namespace: Option<String>,
    pub dimension_set: Option<Vec<String>>,
    pub search: String,
    pub limit: usize,
}

/// A namespace with how many metrics it has (that match the search).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamespaceRow {
    pub namespace: String,
    pub metrics: usize,
}

/// A set of dimension names within a namespace, with how many metrics have exactly that set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRow {
    pub namespace: String,
    pub dimension_set: Vec<String>,
    pub metrics: usize,
}

/// One metric of the table, with its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricRow {
    pub metric: MetricId,
    pub unit: Option<String>,
}

/// What the browser shows at its level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BrowseLevel {
    /// Every namespace (no search, nothing chosen).
    Namespaces(Vec<NamespaceRow>),
    /// Dimension sets: of the chosen namespace, or of every namespace when searching from the top.
    Groups(Vec<GroupRow>),
    /// The metrics of one dimension set; `rows` holds at most the limit asked for, of `total`.
    Metrics { columns: Vec<String>, rows: Vec<MetricRow>, total: usize },
}

/// The browser's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowseView {
    pub level: BrowseLevel,
    /// Metrics in the account and region before any filter: zero means nothing was ever sent.
    pub total_metrics: usize,
    /// The console's address, for the "how to send metrics" example.
    pub endpoint: String,
    pub region: String,
}

/// The graph's data, one series per metric in the order asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphData {
    pub start_ms: i64,
    pub end_ms: i64,
    pub period_seconds: i64,
    /// The period was chosen automatically for the range.
    pub automatic_period: bool,
    pub statistic: String,
    pub series: Vec<GraphSeries>,
    /// Why data may be missing (a period too fine for the range's age), if so.
    pub note: Option<String>,
    /// The chart as the server drew it for the page's first render (never filled by the server function).
    #[serde(default)]
    pub drawn: Option<crate::components::chart_svg::Prerendered>,
}

/// One metric's points, `(epoch ms, value)`, ascending, and its unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphSeries {
    pub metric: MetricId,
    pub points: Vec<(i64, f64)>,
    pub unit: Option<String>,
}

/// The metric catalogue of one region and account at the browser's level: the `ListMetrics` operation.
#[server(endpoint = "list_metric_view", input = leptos::server_fn::codec::Json)]
pub async fn list_metric_view(
    region: String,
    account: Option<String>,
    query: BrowseQuery,
) -> Result<BrowseView, ServerFnError> {
    use self::super::ssr;
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let words = browse::search_words(&query.search);
    let groups = browse::groups(&services, &ctx, None).await?;
    let total_metrics = groups.iter().map(|group| group.metrics).sum();
    let level = if words.is_empty() && query.dimension_set.is_none() {
        browse::counted(groups, &query)
    } else {
        let listed = browse::catalogue(&services, &ctx, query.namespace.clone(), words).await?;
        // Grouping and sorting up to 100,000 rows is CPU work: off the async runtime.
        tokio::task::spawn_blocking(move || browse::browse(listed, &query))
            .await
            .map_err(|e| ServerFnError::new(e.to_string()))?
    };
    let host = ssr::headers()
        .await
        .ok()
        .and_then(|h| h.get(axum::http::header::HOST).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_else(|| "127.0.0.1:4566".to_owned());
    Ok(BrowseView { level, total_metrics, endpoint: format!("http://{host}"), region })
}

/// The graphed metrics' data over the console's time range: the `GetMetricData` operation.
#[server(endpoint = "metric_graph", input = leptos::server_fn::codec::Json)]
pub async fn metric_graph(
    region: String,
    account: Option<String>,
    range: String,
    statistic: String,
    period: Option<i64>,
    metrics: Vec<MetricId>,
) -> Result<GraphData, ServerFnError> {
    use self::super::ssr;
    use skywatch_core::metrics::GetMetricData;
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let plan = graph::plan(&services.tsdb.config().retention, &range, &statistic, period, metrics, ctx.now_ms);
    if plan.metrics.is_empty() {
        return Ok(graph::to_graph_data(&plan, None));
    }
    let request = graph::data_request(&ctx.account, &region, &plan);
    let response = services.invoke::<GetMetricData>(&ctx, request).await.map_err(ssr::failed)?;
    Ok(graph::to_graph_data(&plan, Some(response)))
}

/// Metrics whose namespace, name or dimensions contain every word of `search`, sorted, at most `limit` (≤ 500):
/// the dashboard editor's metric picker, over the `ListMetrics` operation.
#[server(endpoint = "metric_search", input = leptos::server_fn::codec::Json)]
pub async fn metric_search(
    region: String,
    account: Option<String>,
    search: String,
    limit: usize,
) -> Result<Vec<MetricRow>, ServerFnError> {
    use self::super::ssr;
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let words = browse::search_words(&search);
    let catalogue = browse::catalogue(&services, &ctx, None, words.clone()).await?;
    tokio::task::spawn_blocking(move || {
        let mut rows: Vec<MetricRow> =
            catalogue.into_iter().filter(|row| browse::matches(&row.metric, &words)).collect();
        rows.sort_by(|a, b| a.metric.cmp(&b.metric));
        rows.truncate(limit.clamp(1, 500));
        rows
    })
    .await
    .map_err(|e| ServerFnError::new(e.to_string()))
}
