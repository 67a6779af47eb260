//! GetServiceGraph (the graph over a window, from the per-minute aggregates) and GetTraceGraph (the graph of
//! named traces, from their summaries).

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::{TracesError, spec};
use crate::Traces;
use crate::graph::{GraphNode, add_trace, assemble};
use crate::groups::{DEFAULT_GROUP, Group};
use crate::id::TraceId;
use crate::storage::{graph, groups, summary};

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

/// The key of the group a call names by name or ARN: "" for Default (every trace), `None` for no such group.
pub(super) fn group_key(
    reader: &skywatch_store::Reader,
    account: &str,
    region: &str,
    name: Option<&str>,
    arn: Option<&str>,
) -> Result<Option<String>, skywatch_store::ReadError> {
    let default = Group::default_group();
    Ok(match (name, arn) {
        (None, None) => Some(String::new()),
        (Some(n), _) if n == DEFAULT_GROUP => Some(String::new()),
        (None, Some(a)) if a == default.arn(region, account) => Some(String::new()),
        _ => groups(reader, account, region)?
            .into_iter()
            .find(|g| match (name, arn) {
                (Some(n), _) => g.name == n,
                (None, Some(a)) => g.arn(region, account) == a,
                (None, None) => false,
            })
            .map(|g| g.name),
    })
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
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let first_minute = from - from.rem_euclid(60_000);
        let (name, arn) = (input.group_name.clone(), input.group_arn.clone());
        let aggregates = traces
            .store
            .read(move |reader| match group_key(reader, &account, &region, name.as_deref(), arn.as_deref())? {
                Some(group) => graph(reader, &account, &region, &group, (first_minute, to)).map(Some),
                None => Ok(None),
            })
            .await?
            .ok_or_else(|| TracesError::InvalidRequest("Group not found".into()))?;
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
