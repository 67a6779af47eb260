//! GetTimeSeriesServiceStatistics: a node's or an edge's statistics per period (60 seconds unless asked
//! otherwise), chosen by an entity selector (`service(...)`, `edge(...)` or `id(...)` within them; none sums every
//! edge), from the same per-minute aggregates as the service graph. With `ForecastStatistics`, each point carries
//! the band of fault counts the series so far makes likely (mean ± two standard deviations).

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec};

use super::graph::group_key;
use super::{TracesError, spec};
use crate::Traces;
use crate::filter::{self, Expr, node_matches};
use crate::graph::{Element, Stats};
use crate::storage::graph_minutes;

/// The longest selector.
pub const MAX_SELECTOR: usize = 500;
/// Points one call returns at most.
pub const MAX_POINTS: i64 = 1440;

fn invalid(message: impl Into<String>) -> TracesError {
    TracesError::InvalidRequest(message.into())
}

/// GetTimeSeriesServiceStatistics's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeSeriesInput {
    pub start_time_ms: i64,
    pub end_time_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity_selector_expression: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    pub forecast_statistics: bool,
}

/// One point of the series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimePoint {
    pub timestamp_ms: i64,
    /// Set for a service selector, else the edge statistics are.
    pub service: bool,
    pub stats: Stats,
    /// (high, low) fault counts.
    pub forecast: Option<(i64, i64)>,
}

/// GetTimeSeriesServiceStatistics.
pub struct GetTimeSeriesServiceStatistics;

impl Operation for GetTimeSeriesServiceStatistics {
    const SPEC: Spec = spec("GetTimeSeriesServiceStatistics", Access::Read).with_limits(&[
        Limit::aws("EntitySelectorExpression characters", MAX_SELECTOR as u64),
        Limit::own("points a call", MAX_POINTS as u64),
    ]);
    type Engine = Traces;
    type Input = TimeSeriesInput;
    type Output = Vec<TimePoint>;
    type Error = TracesError;

    async fn run(
        traces: &Traces,
        ctx: &Context,
        input: TimeSeriesInput,
    ) -> Result<Effect<Vec<TimePoint>, TracesError>, TracesError> {
        let (from, to) = (input.start_time_ms, input.end_time_ms);
        if to < from {
            return Err(invalid("EndTime must not be earlier than StartTime"));
        }
        let period_ms = input.period.unwrap_or(60).checked_mul(1000).ok_or_else(|| invalid("Period is too large"))?;
        if period_ms < 60_000 || period_ms % 60_000 != 0 {
            return Err(invalid("Period must be a multiple of 60 seconds"));
        }
        if (to - from) / period_ms > MAX_POINTS {
            return Err(invalid(format!("The time range holds more than {MAX_POINTS} periods")));
        }
        let selector = match input.entity_selector_expression.as_deref() {
            None => None,
            Some(text) if text.len() > MAX_SELECTOR => {
                return Err(invalid(format!("EntitySelectorExpression: at most {MAX_SELECTOR} characters")));
            }
            Some(text) => match filter::parse(text).map_err(|e| invalid(e.to_string()))? {
                Some(expr @ (Expr::Service(_, None) | Expr::Edge(_, _, None))) => Some(expr),
                _ => return Err(invalid("EntitySelectorExpression supports only service(), edge() and id()")),
            },
        };
        let service = matches!(selector, Some(Expr::Service(..)));
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (name, arn) = (input.group_name.clone(), input.group_arn.clone());
        let first = from - from.rem_euclid(period_ms);
        let buckets = traces
            .store
            .read(move |reader| {
                let Some(group) = group_key(reader, &account, &region, name.as_deref(), arn.as_deref())? else {
                    return Ok(None);
                };
                let mut buckets: BTreeMap<i64, Stats> = BTreeMap::new();
                graph_minutes(reader, (&account, &region, &group), (first, to), |minute, element, aggregate| {
                    let wanted = match (&selector, &element) {
                        (None, Element::Edge(..)) => true,
                        (Some(Expr::Service(node, _)), Element::Node(key)) => node_matches(key, node, &account),
                        (Some(Expr::Edge(a, b, _)), Element::Edge(f, t)) => {
                            node_matches(f, a, &account) && node_matches(t, b, &account)
                        }
                        _ => false,
                    };
                    if wanted {
                        let bucket = minute - (minute - first).rem_euclid(period_ms);
                        buckets.entry(bucket).or_default().merge(&aggregate.stats);
                    }
                })?;
                Ok(Some(buckets))
            })
            .await?
            .ok_or_else(|| invalid("Group not found"))?;
        let mut points: Vec<TimePoint> = buckets
            .into_iter()
            .filter(|(_, stats)| stats.total() > 0)
            .map(|(timestamp_ms, stats)| TimePoint { timestamp_ms, service, stats, forecast: None })
            .collect();
        if input.forecast_statistics {
            let faults: Vec<f64> = points.iter().map(|p| p.stats.fault as f64).collect();
            for (index, point) in points.iter_mut().enumerate() {
                let history = &faults[..=index];
                let mean = history.iter().sum::<f64>() / history.len() as f64;
                let spread = (history.iter().map(|f| (f - mean).powi(2)).sum::<f64>() / history.len() as f64).sqrt();
                point.forecast =
                    Some(((mean + 2.0 * spread).ceil() as i64, (mean - 2.0 * spread).floor().max(0.0) as i64));
            }
        }
        Ok(Effect::reply(points))
    }
}
