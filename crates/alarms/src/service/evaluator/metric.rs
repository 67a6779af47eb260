//! One metric alarm's evaluation: fetch its evaluation range (N + 2 periods, plus the period now under way when it
//! already has data, so fresh data is judged at once while a period that has not yet received its data does not
//! count as missing) through the same GetMetricData engine the API uses, judge each period against the threshold
//! or the anomaly band, and decide with M of N and `TreatMissingData`.

use std::collections::HashMap;

use skywatch_metrics::tsdb::{SeriesKey, Tsdb};
use skywatch_metrics::{DataQuery, DataRequest, QueryKind, get_metric_data};

use crate::condition::{Bound, Comparison, LowSamples, is_low_sample, slot};
use crate::definition::{AlarmQuery, MetricAlarm, MetricStat, Source};
use crate::evaluate::{Decision, MissingData, Slot, evaluate, evaluation_range};
use crate::reason::Judged;

/// How far back an anomaly band is trained: its model uses the preceding day of datapoints.
const BAND_HISTORY_MS: i64 = 86_400_000;
const WATCHED: &str = "watched";
const SAMPLES: &str = "samples";

/// What one evaluation found.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub decision: Decision,
    /// The evaluated periods, oldest first.
    pub judged: Vec<Judged>,
}

fn series(account: &str, region: &str, stat: &MetricStat) -> SeriesKey {
    SeriesKey::new(account, region, stat.namespace.clone(), stat.metric_name.clone(), stat.dimensions.clone())
}

fn stat_query(
    id: &str,
    account: &str,
    region: &str,
    stat: &MetricStat,
    statistic: &str,
    return_data: bool,
) -> DataQuery {
    DataQuery {
        id: id.to_owned(),
        kind: QueryKind::MetricStat {
            series: series(account, region, stat),
            period_seconds: stat.period,
            stat: statistic.to_owned(),
            unit: stat.unit.clone(),
        },
        label: None,
        return_data,
    }
}

fn math_query(query: &AlarmQuery, account: &str, region: &str, return_data: bool) -> DataQuery {
    match (&query.metric_stat, &query.expression) {
        (Some(stat), _) => stat_query(&query.id, account, region, stat, &stat.stat, return_data),
        (None, expression) => DataQuery {
            id: query.id.clone(),
            kind: QueryKind::Expression {
                expression: expression.clone().unwrap_or_default(),
                period_seconds: query.period,
            },
            label: None,
            return_data,
        },
    }
}

/// The percentile of a `pNN` statistic.
fn percentile(stat: &str) -> Option<f64> {
    stat.strip_prefix('p').and_then(|p| p.parse().ok())
}

/// The queries an alarm fetches, the id it watches and the id of its band, if any.
fn queries(alarm: &MetricAlarm, account: &str, region: &str) -> (Vec<DataQuery>, String, Option<String>) {
    match &alarm.source {
        Source::Metric { stat, .. } => {
            let mut queries = vec![stat_query(WATCHED, account, region, stat, &stat.stat, true)];
            if percentile(&stat.stat).is_some() {
                queries.push(stat_query(SAMPLES, account, region, stat, "SampleCount", true));
            }
            (queries, WATCHED.to_owned(), None)
        }
        Source::Queries { queries, threshold_metric_id } => {
            let watched = queries
                .iter()
                .find(|q| q.returns_data() && Some(&q.id) != threshold_metric_id.as_ref())
                .map(|q| q.id.clone())
                .unwrap_or_default();
            let fetched = queries
                .iter()
                .map(|q| {
                    let wanted = q.id == watched || Some(&q.id) == threshold_metric_id.as_ref();
                    math_query(q, account, region, wanted)
                })
                .collect();
            (fetched, watched, threshold_metric_id.clone())
        }
    }
}

/// Evaluates `alarm` of `account` and `region` as of `now_ms`, given its current state for `ignore`.
pub async fn evaluate_metric_alarm(
    tsdb: &Tsdb,
    account: &str,
    region: &str,
    alarm: &MetricAlarm,
    now_ms: i64,
) -> Result<Outcome, String> {
    let period_ms = alarm.source.period().max(1) * 1000;
    let n = alarm.evaluation_periods.max(1) as usize;
    let m = alarm.datapoints_to_alarm.map_or(n, |m| m as usize);
    let range = evaluation_range(n);
    // The period under way ends at `end`; one period more than the range is fetched.
    let end = (now_ms.div_euclid(period_ms) + 1) * period_ms;
    let start = end - (range as i64 + 1) * period_ms;
    let (queries, watched, band) = queries(alarm, account, region);
    let fetch_start = if band.is_some() { start - BAND_HISTORY_MS } else { start };
    let request = DataRequest {
        account: account.to_owned(),
        region: region.to_owned(),
        queries,
        start_ms: fetch_start,
        end_ms: end,
        ascending: true,
        max_datapoints: None,
        next_token: None,
    };
    let response = get_metric_data(tsdb, &request, now_ms).await.map_err(|error| error.to_string())?;
    let mut values: HashMap<i64, f64> = HashMap::new();
    let mut samples: HashMap<i64, f64> = HashMap::new();
    let (mut upper, mut lower): (HashMap<i64, f64>, HashMap<i64, f64>) = (HashMap::new(), HashMap::new());
    let mut band_results = 0;
    for result in &response.results {
        let points = result.timestamps_ms.iter().copied().zip(result.values.iter().copied());
        if result.id == watched && values.is_empty() {
            values.extend(points);
        } else if result.id == SAMPLES && band.is_none() {
            samples.extend(points);
        } else if band.as_ref() == Some(&result.id) {
            // The band comes as two series: the upper edge first, the lower edge last.
            if band_results == 0 {
                upper.extend(points)
            } else {
                lower.extend(points)
            }
            band_results += 1;
        }
    }
    let comparison = Comparison::parse(&alarm.comparison).ok_or("unknown comparison operator")?;
    let bound_at = |t: i64| match (band.is_some(), alarm.threshold) {
        (true, _) => match (lower.get(&t), upper.get(&t)) {
            (Some(&lower), Some(&upper)) => Some(Bound::Band { lower, upper }),
            _ => None,
        },
        (false, Some(threshold)) => Some(Bound::Threshold(threshold)),
        (false, None) => None,
    };
    let times: Vec<i64> = (0..=range as i64).map(|i| start + i * period_ms).collect();
    let newest_has_data = times.last().is_some_and(|t| values.contains_key(t));
    let times = if newest_has_data { &times[1..] } else { &times[..range] };
    let slots: Vec<Slot> = times.iter().map(|t| slot(comparison, values.get(t).copied(), bound_at(*t))).collect();
    let missing = alarm.treat_missing_data.as_deref().and_then(MissingData::parse).unwrap_or_default();
    let evaluation = evaluate(&slots, n, m, missing);
    let judged: Vec<Judged> = evaluation
        .evaluated
        .iter()
        .map(|&(index, slot, real)| {
            let t = times.get(index).copied().unwrap_or(start);
            Judged {
                timestamp_ms: t,
                value: if real { values.get(&t).copied() } else { None },
                slot,
                bound: bound_at(t),
                sample_count: samples.get(&t).copied(),
            }
        })
        .collect();
    let mut decision = evaluation.decision;
    // EvaluateLowSampleCountPercentile=ignore: a newest judged percentile with too few samples changes nothing.
    if let Source::Metric { stat, .. } = &alarm.source
        && let Some(p) = percentile(&stat.stat)
        && alarm.low_sample_percentile.as_deref().and_then(LowSamples::parse) == Some(LowSamples::Ignore)
        && let Some(newest) = judged.iter().rev().find(|j| j.value.is_some())
        && is_low_sample(p, newest.sample_count.unwrap_or(0.0))
    {
        decision = Decision::Keep;
    }
    Ok(Outcome { decision, judged })
}
