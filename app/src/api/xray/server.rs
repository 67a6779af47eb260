//! The server side of the X-Ray functions: thin adapters over the operations the X-Ray API runs (GetGroups,
//! GetServiceGraph, GetTraceSummaries, BatchGetTraces, GetTraceGraph).

use leptos::prelude::*;
use skywatch_core::model::TimeRange;
use skywatch_core::ops::Context;
use skywatch_core::traces::graph::{GraphNode, Stats};
use skywatch_core::traces::groups::DEFAULT_GROUP;
use skywatch_core::traces::summary::Summary;
use skywatch_core::traces::trace_graph::Role;
use skywatch_core::traces::{
    BatchGetTraces, BatchGetTracesInput, GetGroups, GetServiceGraph, GetServiceGraphInput, GetTraceGraph,
    GetTraceGraphInput, GetTraceSummaries, GetTraceSummariesInput, PageInput, ServiceGraph,
};
use skywatch_core::{Failure, Services};

use super::spans::timeline;
use super::{MapEdge, MapNode, MapStats, NodeRole, ServiceMap, TraceDetail, TraceGroup, TraceList, TraceRow};
use crate::api::ssr;

/// The longest window X-Ray's graph and summaries take.
const MAX_WINDOW_MS: i64 = 24 * 3_600_000;

/// The range's bounds, cut to its last 24 hours; and whether it was cut.
fn window(range: &str, now_ms: i64) -> (i64, i64, bool) {
    let (start, end) = TimeRange::parse(range).unwrap_or_default().bounds_ms(now_ms);
    if end - start > MAX_WINDOW_MS { (end - MAX_WINDOW_MS, end, true) } else { (start, end, false) }
}

fn stats(stats: &Stats) -> MapStats {
    MapStats {
        ok: stats.ok,
        error: stats.error,
        throttle: stats.throttle,
        fault: stats.fault,
        total_response_time: stats.total_response_time,
        histogram: stats.histogram.iter().map(|(ms, count)| (*ms, *count)).collect(),
        first_start: stats.first_start,
        last_end: stats.last_end,
    }
}

/// A graph's nodes and edges as the map draws them (edges index nodes by position, as references do).
fn map(graph: ServiceGraph, clamped: bool) -> ServiceMap {
    let mut edges = Vec::new();
    let nodes = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(index, node): (usize, &GraphNode)| {
            for (to, edge) in &node.edges {
                if *to < graph.nodes.len() {
                    edges.push(MapEdge { from: index, to: *to, stats: stats(edge) });
                }
            }
            let role = match node.role {
                Role::Client => NodeRole::Client,
                Role::Service => NodeRole::Service,
                Role::Inferred => NodeRole::Remote,
            };
            // A client counts nothing itself: its requests are its calls'.
            let own = if role == NodeRole::Client {
                node.edges.first().map(|(_, s)| stats(s)).unwrap_or_default()
            } else {
                stats(&node.stats)
            };
            MapNode { name: node.key.name.clone(), kind: node.key.kind.clone(), role, root: node.root, stats: own }
        })
        .collect();
    ServiceMap { start_ms: graph.start_ms, end_ms: graph.end_ms, nodes, edges, clamped }
}

pub async fn groups(region: String, account: Option<String>) -> Result<Vec<TraceGroup>, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let list = services.invoke::<GetGroups>(&ctx, PageInput { next_token: None }).await.map_err(ssr::failed)?;
    Ok(list.groups.into_iter().map(|g| TraceGroup { name: g.name, filter_expression: g.filter_expression }).collect())
}

/// The group a page names: `None` for Default.
fn group_name(group: &str) -> Option<String> {
    let group = group.trim();
    (!group.is_empty() && group != DEFAULT_GROUP).then(|| group.to_owned())
}

pub async fn service_map(
    region: String,
    account: Option<String>,
    range: String,
    group: String,
) -> Result<ServiceMap, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let (start_time_ms, end_time_ms, clamped) = window(&range, ctx.now_ms);
    let input = GetServiceGraphInput { start_time_ms, end_time_ms, group_name: group_name(&group), group_arn: None };
    let graph = services.invoke::<GetServiceGraph>(&ctx, input).await.map_err(ssr::failed)?;
    Ok(map(graph, clamped))
}

fn row(summary: &Summary) -> TraceRow {
    let http = summary.http.as_ref();
    TraceRow {
        id: summary.id.to_string(),
        start_ms: (summary.start * 1000.0) as i64,
        response_time: summary.response_time,
        duration: summary.duration(),
        method: http.and_then(|h| h.method.clone()),
        url: http.and_then(|h| h.url.clone()),
        status: http.and_then(|h| h.status),
        fault: summary.has_fault,
        error: summary.has_error,
        throttle: summary.has_throttle,
        partial: summary.is_partial,
        entry: summary.entry_point.as_ref().map(|k| k.name.clone()),
        annotations: summary.annotations.len(),
    }
}

/// The expression sent: the page's, within the group's traces when a group other than Default is chosen.
fn expression(group: Option<&str>, filter: &str) -> Option<String> {
    let filter = filter.trim();
    match (group, filter.is_empty()) {
        (None, true) => None,
        (None, false) => Some(filter.to_owned()),
        (Some(group), true) => Some(format!("group.name = {}", quoted(group))),
        (Some(group), false) => Some(format!("group.name = {} AND ({filter})", quoted(group))),
    }
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

async fn summaries(
    services: &Services,
    ctx: &Context,
    window: (i64, i64),
    expression: Option<String>,
    next_token: Option<String>,
) -> Result<skywatch_core::traces::SummaryPage, Failure<skywatch_core::traces::TracesError>> {
    let input = GetTraceSummariesInput {
        start_time_ms: window.0,
        end_time_ms: window.1,
        time_range_type: None,
        filter_expression: expression,
        next_token,
    };
    services.invoke::<GetTraceSummaries>(ctx, input).await
}

pub async fn traces(
    region: String,
    account: Option<String>,
    range: String,
    group: String,
    filter: String,
    token: Option<String>,
) -> Result<TraceList, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let (start_ms, end_ms, clamped) = window(&range, ctx.now_ms);
    let group = group_name(&group);
    let token = token.filter(|t| !t.is_empty());
    let page = match summaries(&services, &ctx, (start_ms, end_ms), expression(group.as_deref(), &filter), token).await
    {
        Ok(page) => page,
        Err(failure) => {
            // A refusal of the page's own expression names positions in it, not in the group's wrapping: ask
            // again with the page's expression alone (over an empty window, so nothing is scanned) for its words.
            if group.is_some() && !filter.trim().is_empty() {
                let alone = summaries(&services, &ctx, (end_ms, end_ms), expression(None, &filter), None).await;
                if let Err(own) = alone {
                    return Err(ssr::failed(own));
                }
            }
            return Err(ssr::failed(failure));
        }
    };
    let mut rows: Vec<TraceRow> = page.summaries.iter().map(row).collect();
    rows.sort_by(|a, b| b.start_ms.cmp(&a.start_ms).then_with(|| a.id.cmp(&b.id)));
    Ok(TraceList { rows, start_ms, end_ms, processed: page.processed, next_token: page.next_token, clamped })
}

pub async fn trace(region: String, account: Option<String>, id: String) -> Result<TraceDetail, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = BatchGetTracesInput { trace_ids: vec![id.clone()], next_token: None };
    let page = services.invoke::<BatchGetTraces>(&ctx, input).await.map_err(ssr::failed)?;
    let Some(found) = page.traces.into_iter().next() else {
        ssr::set_status(axum::http::StatusCode::NOT_FOUND);
        return Err(ServerFnError::new(format!("No trace {id} in this account and region.")));
    };
    let graph = services
        .invoke::<GetTraceGraph>(&ctx, GetTraceGraphInput { trace_ids: vec![id.clone()] })
        .await
        .map_err(ssr::failed)?;
    let documents: Vec<String> = found.segments.into_iter().map(|(_, json)| json).collect();
    let spans = timeline(&documents);
    let start = spans.iter().map(|s| s.start).fold(f64::INFINITY, f64::min);
    Ok(TraceDetail {
        id: found.id.to_string(),
        duration: found.duration,
        start: if start.is_finite() { start } else { 0.0 },
        spans,
        map: map(graph, false),
        limit_exceeded: found.limit_exceeded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_wraps_the_page_expression() {
        assert_eq!(expression(None, "  "), None);
        assert_eq!(expression(None, "fault"), Some("fault".into()));
        assert_eq!(expression(Some("shop"), ""), Some("group.name = \"shop\"".into()));
        assert_eq!(expression(Some("a\"b"), "ok"), Some("group.name = \"a\\\"b\" AND (ok)".into()));
    }

    #[test]
    fn long_ranges_are_cut_to_a_day() {
        let now = 10 * 86_400_000;
        assert_eq!(window("1w", now), (now - MAX_WINDOW_MS, now, true));
        assert_eq!(window("1h", now), (now - 3_600_000, now, false));
    }
}
