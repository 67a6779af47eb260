//! The graph's query: statistic and period (chosen, or automatic for the time range) over the range, the
//! GetMetricData request it makes, and the answer as one series per graphed metric.

use skywatch_core::metrics::tsdb::{Retention, SeriesKey};
use skywatch_core::metrics::{DataQuery, DataRequest, DataResponse, QueryKind};
use skywatch_core::model::TimeRange;

use super::{GraphData, GraphSeries, MAX_GRAPHED, MetricId, PERIODS, STATISTICS, period_label};

/// Points per series the automatic period stays within.
const TARGET_POINTS: i64 = 1_440;
/// A chosen period giving more points per series than this is replaced by the automatic one.
const MAX_POINTS: i64 = 10_080;

/// A validated graph query.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub start_ms: i64,
    pub end_ms: i64,
    pub period_seconds: i64,
    pub automatic: bool,
    pub statistic: String,
    pub metrics: Vec<MetricId>,
    pub note: Option<String>,
}

/// Validates what the page asked for: an unknown statistic is Average, an unknown period automatic, at most
/// [`MAX_GRAPHED`] distinct metrics.
pub fn plan(
    retention: &Retention,
    range: &str,
    statistic: &str,
    period: Option<i64>,
    metrics: Vec<MetricId>,
    now_ms: i64,
) -> Plan {
    let (start_ms, end_ms) = TimeRange::parse(range).unwrap_or_default().bounds_ms(now_ms);
    let statistic = STATISTICS.iter().find(|s| **s == statistic).copied().unwrap_or("Average").to_owned();
    let mut unique: Vec<MetricId> = Vec::new();
    for metric in metrics {
        if unique.len() < MAX_GRAPHED && !unique.contains(&metric) {
            unique.push(metric);
        }
    }
    let span_s = (end_ms.saturating_sub(start_ms) / 1000).max(1);
    let age_ms = now_ms.saturating_sub(start_ms);
    let automatic = automatic_period(span_s, age_ms, retention);
    let chosen = period.filter(|p| PERIODS.iter().any(|(s, _)| s == p));
    let (period_seconds, is_automatic, mut note) = match chosen {
        Some(p) if span_s / p > MAX_POINTS => {
            let note = format!(
                "A period of {} gives too many points for this time range; the graph uses {}.",
                period_label(p),
                period_label(automatic)
            );
            (automatic, true, Some(note))
        }
        Some(p) => (p, false, None),
        None => (automatic, true, None),
    };
    if note.is_none() && !kept(period_seconds, age_ms, retention) {
        note = Some(format!(
            "Data at a period of {} is not kept this long; choose a longer period or a more recent time range.",
            period_label(period_seconds)
        ));
    }
    Plan { start_ms, end_ms, period_seconds, automatic: is_automatic, statistic, metrics: unique, note }
}

/// The smallest offered period that keeps a range of `span_s` seconds within [`TARGET_POINTS`] and is kept for
/// data `age_ms` old.
pub fn automatic_period(span_s: i64, age_ms: i64, retention: &Retention) -> i64 {
    skywatch_core::metrics::automatic_period(span_s, age_ms, TARGET_POINTS, retention)
}

/// Whether data `age_ms` old is kept at `period_seconds`: the metrics service's own period rule.
fn kept(period_seconds: i64, age_ms: i64, retention: &Retention) -> bool {
    skywatch_core::metrics::is_kept(period_seconds, age_ms, retention)
}

fn series_key(account: &str, region: &str, metric: &MetricId) -> SeriesKey {
    SeriesKey::new(account, region, &metric.namespace, &metric.metric_name, metric.dimensions.clone())
}

/// The GetMetricData request: one MetricStat per metric, ids `m0`, `m1`, …
pub fn data_request(account: &str, region: &str, plan: &Plan) -> DataRequest {
    let queries = plan
        .metrics
        .iter()
        .enumerate()
        .map(|(i, metric)| DataQuery {
            id: format!("m{i}"),
            kind: QueryKind::MetricStat {
                series: series_key(account, region, metric),
                period_seconds: plan.period_seconds,
                stat: plan.statistic.clone(),
                unit: None,
            },
            label: Some(metric.label()),
            return_data: true,
        })
        .collect();
    DataRequest {
        account: account.to_owned(),
        region: region.to_owned(),
        queries,
        start_ms: plan.start_ms,
        end_ms: plan.end_ms,
        ascending: true,
        max_datapoints: Some(MAX_GRAPHED * MAX_POINTS as usize + 1),
        next_token: None,
    }
}

/// The engine's answer as the page's series, in the order of the plan's metrics, with the unit of each metric's
/// datapoints.
pub fn to_graph_data(plan: &Plan, response: Option<DataResponse>) -> GraphData {
    let results = response.map(|r| r.results).unwrap_or_default();
    let series = plan
        .metrics
        .iter()
        .enumerate()
        .map(|(i, metric)| {
            let id = format!("m{i}");
            let points = results
                .iter()
                .filter(|r| r.id == id)
                .flat_map(|r| r.timestamps_ms.iter().copied().zip(r.values.iter().copied()))
                .filter(|(_, value)| value.is_finite())
                .collect();
            let unit = results.iter().find(|r| r.id == id).and_then(|r| r.unit.clone());
            GraphSeries { metric: metric.clone(), points, unit }
        })
        .collect();
    GraphData {
        start_ms: plan.start_ms,
        end_ms: plan.end_ms,
        period_seconds: plan.period_seconds,
        automatic_period: plan.automatic,
        statistic: plan.statistic.clone(),
        series,
        note: plan.note.clone(),
        drawn: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR_MS: i64 = 3_600_000;

    #[test]
    fn the_automatic_period_keeps_a_day_of_minutes_and_respects_the_age_of_the_data() {
        let retention = Retention::default();
        let cases =
            [(300, 1), (3_600, 5), (10_800, 10), (43_200, 60), (86_400, 60), (604_800, 900), (2_592_000, 3_600)];
        for (span_s, expected) in cases {
            assert_eq!(automatic_period(span_s, span_s * 1000, &retention), expected, "span {span_s}");
        }
        // A short range long ago may not use sub-minute periods.
        assert_eq!(automatic_period(300, 5 * HOUR_MS, &retention), 60);
        assert_eq!(automatic_period(3_600, 20 * 24 * HOUR_MS, &retention), 300);
    }

    fn metric(name: &str) -> MetricId {
        MetricId { namespace: "App".into(), metric_name: name.into(), dimensions: vec![] }
    }

    #[test]
    fn hostile_choices_fall_back_to_defaults() {
        let retention = Retention::default();
        let now = 1_800_000_000_000;
        let many: Vec<MetricId> = (0..40).map(|i| metric(&format!("M{i}"))).chain([metric("M0")]).collect();
        let plan = plan(&retention, "not-a-range", "Bogus", Some(7), many, now);
        assert_eq!(plan.statistic, "Average");
        assert_eq!((plan.period_seconds, plan.automatic), (10, true));
        assert_eq!(plan.end_ms - plan.start_ms, 3 * HOUR_MS);
        assert_eq!(plan.metrics.len(), MAX_GRAPHED);
        assert_eq!(plan.note, None);
    }

    #[test]
    fn periods_too_fine_are_replaced_or_explained() {
        let retention = Retention::default();
        let now = 1_800_000_000_000;
        let too_many = plan(&retention, "30d", "p99", Some(1), vec![metric("A")], now);
        assert_eq!((too_many.period_seconds, too_many.automatic), (3_600, true));
        assert!(too_many.note.is_some());
        let too_old = plan(&retention, "12h", "Sum", Some(10), vec![metric("A")], now);
        assert_eq!((too_old.period_seconds, too_old.automatic, too_old.statistic.as_str()), (10, false, "Sum"));
        assert!(too_old.note.is_some_and(|n| n.contains("10 seconds")));
        let fine = plan(&retention, "1h", "Maximum", Some(60), vec![metric("A")], now);
        assert_eq!((fine.period_seconds, fine.automatic, fine.note), (60, false, None));
    }
}
