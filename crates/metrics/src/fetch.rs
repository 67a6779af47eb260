//! Reading MetricStat queries onto a GetMetricData grid: each query's unit series (see `units`), read together
//! where they share a period plan, evaluated per period and placed in the grid slot holding each period's start.

use std::collections::HashMap;

use skywatch_tsdb::statistic::Statistic;
use skywatch_tsdb::{BucketQuery, MAX_QUERY_BUCKETS, SeriesKey, Source, Tsdb};

use crate::data::DataRequest;
use crate::error::MetricsQueryError;
use crate::periods::plan;
use crate::units::{UnitChoice, candidates};

/// The request's grid: every slot of the finest period asked for, from StartTime rounded as CloudWatch does.
pub struct Grid {
    pub timestamps: Vec<i64>,
    pub period_seconds: i64,
}

/// What to fetch for one series: its key, period, statistic and required unit.
pub struct FetchSpec<'a> {
    pub series: &'a SeriesKey,
    pub period_seconds: i64,
    pub statistic: &'a Statistic,
    /// Only this unit's datapoints (`None` names those sent without a unit); without it, the datapoints of the
    /// first unit (by name) that has any in the range.
    pub unit: Option<&'a str>,
}

/// One spec's values on the grid and the units that had data.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub values: Vec<Option<f64>>,
    pub units: UnitChoice,
}

/// One unit series of a spec in an engine query.
struct Member {
    spec: usize,
    id: u64,
    unit: String,
}

/// Every spec's values on the grid. Specs that share a period plan and source are read in one engine query
/// (one store snapshot, one trip to the blocking pool) unless that would fold more than the engine's bound.
pub async fn fetch_all(
    tsdb: &Tsdb,
    specs: &[FetchSpec<'_>],
    request: &DataRequest,
    (start_ms, end_ms): (i64, i64),
    grid: &Grid,
    now_ms: i64,
) -> Result<Vec<Fetched>, MetricsQueryError> {
    let empty = Fetched { values: vec![None; grid.timestamps.len()], units: UnitChoice::default() };
    let mut out = vec![empty; specs.len()];
    // Grouped by what one engine query folds: the buckets, the source and the statistic.
    let mut groups: HashMap<(BucketQuery, Source, String), Vec<Member>> = HashMap::new();
    for (index, spec) in specs.iter().enumerate() {
        // The account is always the caller's; a query may name another region (a dashboard row's `region`).
        let region = if spec.series.region.is_empty() { request.region.clone() } else { spec.series.region.clone() };
        let key = SeriesKey { account: request.account.clone(), region, metric: spec.series.metric.clone() };
        let series = candidates(tsdb, &key, spec.unit);
        if series.is_empty() {
            continue;
        }
        let plan = plan(start_ms, end_ms, spec.period_seconds, now_ms, &tsdb.config().retention);
        let Some(source) = plan.source else { continue };
        let query = BucketQuery {
            start_ms: plan.start_ms,
            end_ms: plan.end_ms,
            period_ms: plan.period_ms,
            with_distribution: spec.statistic.is_extended(),
        };
        let members = groups.entry((query, source, spec.statistic.to_string())).or_default();
        members.extend(series.into_iter().map(|s| Member { spec: index, id: s.id, unit: s.unit }));
    }
    for ((query, source, _), members) in groups {
        let per_call = (MAX_QUERY_BUCKETS / query.bucket_count().max(1)).max(1);
        for members in members.chunks(per_call) {
            let Some(first) = members.first() else { continue };
            let statistic = specs[first.spec].statistic;
            let ids: Vec<u64> = members.iter().map(|m| m.id).collect();
            for (member, (has_data, values)) in members.iter().zip(read(tsdb, ids, query, source, statistic).await?) {
                let fetched = &mut out[member.spec];
                if !has_data || !fetched.units.offer(&member.unit) {
                    continue;
                }
                fetched.values.fill(None);
                place(&values, query.start_ms, query.period_ms, grid, &mut fetched.values);
            }
        }
    }
    Ok(out)
}

/// Each series' values of `statistic` a bucket, and whether any point fell in its range. The exact statistics fold
/// four numbers a bucket (`Tsdb::query_statistic`; a bucket has a value exactly when a point fell in it); the others
/// fold whole summaries, since a bucket with points may still have no value of them.
async fn read(
    tsdb: &Tsdb,
    ids: Vec<u64>,
    query: BucketQuery,
    source: Source,
    statistic: &Statistic,
) -> Result<Vec<(bool, Vec<Option<f64>>)>, MetricsQueryError> {
    if statistic.is_extended() {
        let folded = tsdb.query(ids, query, source).await?;
        return Ok(folded
            .into_iter()
            .map(|buckets| {
                let values = buckets.iter().map(|b| b.as_ref().and_then(|s| statistic.evaluate(s))).collect();
                (buckets.iter().any(Option::is_some), values)
            })
            .collect());
    }
    let values = tsdb.query_statistic(ids, query, source, *statistic).await?;
    Ok(values.into_iter().map(|values| (values.iter().any(Option::is_some), values)).collect())
}

/// Puts a query's buckets into the grid slot holding each bucket's start.
fn place(buckets: &[Option<f64>], start_ms: i64, period_ms: i64, grid: &Grid, values: &mut [Option<f64>]) {
    let (Some(&first), Some(slot_ms)) = (grid.timestamps.first(), grid.period_seconds.checked_mul(1000)) else {
        return;
    };
    for (i, value) in buckets.iter().enumerate() {
        let Some(value) = value else { continue };
        let timestamp = start_ms + i as i64 * period_ms;
        if timestamp < first || slot_ms <= 0 {
            continue;
        }
        if let Some(slot) = usize::try_from((timestamp - first) / slot_ms).ok().and_then(|s| values.get_mut(s)) {
            *slot = Some(*value);
        }
    }
}
