//! GetServiceGraph (the graph over a window, from the per-minute aggregates) and GetTraceGraph (the graph of
//! named traces, from their summaries).

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::{TracesError, spec};
use crate::Traces;
use crate::graph::{GraphNode, add_trace, assemble};
use crate::id::TraceId;
use crate::storage::{graph, summary};

/// The longest window of GetServiceGraph.
pub const MAX_RANGE_MS: i64 = 24 * 3_600_000;
/// Traces one GetTraceGraph may name.
pub const MAX_TRACE_IDS: usize = 100;

/// A service graph, with the window it covers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceGraph {
    pub start_ms: i64,
    pub end_ms: i64,
    pub account: String,
    pub nodes: Vec<GraphNode>,
}

/// GetServiceGraph's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetServiceGraphInput {
    pub start_time_ms: i64,
    pub end_time_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_arn: Option<String>,
}

/// GetServiceGraph.
pub struct GetServiceGraph;

impl Operation for GetServiceGraph {
    const SPEC: Spec = spec("GetServiceGraph", Access::Read)
        .with_limits(&[Limit::own("time range hours", (MAX_RANGE_MS / 3_600_000) as u64)]);
    type Engine = Traces;
    type Input = GetServiceGraphInput;
    type Output = ServiceGraph;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GetServiceGraphInput,
    ) -> Result<Effect<ServiceGraph, TracesError>, TracesError> {
        let (from, to) = (input.start_time_ms, input.end_time_ms);
        if to < from {
            return Err(TracesError::InvalidRequest("EndTime must not be earlier than StartTime".into()));
        }
        if to - from > MAX_RANGE_MS {
            return Err(TracesError::InvalidRequest(
                "The time range between StartTime and EndTime must be 24 hours or less".into(),
            ));
        }
        let named = input.group_name.as_deref().filter(|n| *n != "Default");
        if named.is_some() || input.group_arn.as_deref().is_some_and(|arn| !arn.ends_with("/Default")) {
            return Err(TracesError::InvalidRequest("Group not found".into()));
        }
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let first_minute = from - from.rem_euclid(60_000);
        let aggregates =
            traces.store.read(move |reader| graph(reader, &account, &region, "", (first_minute, to))).await?;
        Ok(Effect::reply(ServiceGraph {
            start_ms: from,
            end_ms: to,
            account: ctx.account.clone(),
            nodes: assemble(aggregates),
        }))
    }
}

/// GetTraceGraph's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetTraceGraphInput {
    pub trace_ids: Vec<String>,
}

/// GetTraceGraph.
pub struct GetTraceGraph;

impl Operation for GetTraceGraph {
    const SPEC: Spec =
        spec("GetTraceGraph", Access::Read).with_limits(&[Limit::own("trace ids a call", MAX_TRACE_IDS as u64)]);
    type Engine = Traces;
    type Input = GetTraceGraphInput;
    type Output = ServiceGraph;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: GetTraceGraphInput,
    ) -> Result<Effect<ServiceGraph, TracesError>, TracesError> {
        if input.trace_ids.len() > MAX_TRACE_IDS {
            return Err(TracesError::InvalidRequest(format!("TraceIds: at most {MAX_TRACE_IDS}")));
        }
        let ids: Vec<TraceId> = input
            .trace_ids
            .iter()
            .map(|id| TraceId::parse(id).ok_or_else(|| TracesError::InvalidRequest(format!("Invalid TraceId: {id}"))))
            .collect::<Result<_, _>>()?;
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let aggregates = traces
            .store
            .read(move |reader| {
                let mut out = BTreeMap::new();
                for id in ids {
                    if let Some(summary) = summary(reader, &account, &region, id)? {
                        add_trace(&summary.graph, &mut out);
                    }
                }
                Ok(out)
            })
            .await?;
        Ok(Effect::reply(ServiceGraph {
            account: ctx.account.clone(),
            nodes: assemble(aggregates),
            ..ServiceGraph::default()
        }))
    }
}
