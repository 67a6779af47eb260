//! GetMetricStatistics: one metric (exact dimensions), basic and extended statistics per period and unit.

use skywatch_tsdb::statistic::Statistic;
use skywatch_tsdb::{BucketQuery, SeriesKey, Tsdb};

use crate::error::MetricsQueryError;
use crate::periods::{is_valid_period, plan};
use crate::units::candidates;

/// Most datapoints one call may return.
pub const MAX_DATAPOINTS: i64 = 1440;
const BASIC: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

#[derive(Debug, Clone, PartialEq)]
pub struct StatisticsRequest {
    pub series: SeriesKey,
    pub start_ms: i64,
    pub end_ms: i64,
    pub period_seconds: i64,
    pub statistics: Vec<String>,
    pub extended_statistics: Vec<String>,
    pub unit: Option<String>,
}

/// One period's answer for one unit: statistics in request order, keyed as the caller spelled them. A period whose
/// datapoints were sent in several units has one answer a unit (AWS's `test_handle_different_units`).
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticsDatapoint {
    pub timestamp_ms: i64,
    pub unit: String,
    pub statistics: Vec<(String, f64)>,
    pub extended_statistics: Vec<(String, f64)>,
}

fn validate(request: &StatisticsRequest) -> Result<(Vec<Statistic>, Vec<Statistic>), MetricsQueryError> {
    use MetricsQueryError::*;
    if request.statistics.is_empty() && request.extended_statistics.is_empty() {
        return Err(InvalidParameterCombination("Must specify either Statistics or ExtendedStatistics.".into()));
    }
    if request.statistics.len() > 5 {
        return Err(InvalidParameterValue("The collection Statistics must not have a size greater than 5.".into()));
    }
    if request.extended_statistics.len() > 10 {
        return Err(InvalidParameterValue(
            "The collection ExtendedStatistics must not have a size greater than 10.".into(),
        ));
    }
    if !is_valid_period(request.period_seconds) {
        return Err(InvalidParameterValue(format!(
            "The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60; it was {}.",
            request.period_seconds
        )));
    }
    if request.start_ms >= request.end_ms {
        return Err(InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.".into()));
    }
    if let Some(unit) = &request.unit
        && !crate::ingest::STANDARD_UNITS.contains(&unit.as_str())
    {
        return Err(InvalidParameterValue(format!("The value {unit} for parameter Unit is invalid.")));
    }
    let basic = request
        .statistics
        .iter()
        .enumerate()
        .map(|(i, name)| match BASIC.contains(&name.as_str()) {
            true => name.parse::<Statistic>().map_err(|e| InvalidParameterValue(e.to_string())),
            false => Err(InvalidParameterValue(format!(
                "The parameter Statistics.member.{} must be a value in the set [ Maximum, Minimum, Sum, SampleCount, Average ].",
                i + 1
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let extended = request
        .extended_statistics
        .iter()
        .enumerate()
        .map(|(i, name)| match name.parse::<Statistic>() {
            Ok(statistic) if statistic.is_extended() => Ok(statistic),
            _ => Err(InvalidParameterValue(format!(
                "The value {name} for parameter ExtendedStatistics.member.{} is invalid.",
                i + 1
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((basic, extended))
}

pub async fn get_metric_statistics(
    tsdb: &Tsdb,
    request: &StatisticsRequest,
    now_ms: i64,
) -> Result<Vec<StatisticsDatapoint>, MetricsQueryError> {
    let (basic, extended) = validate(request)?;
    let plan = plan(request.start_ms, request.end_ms, request.period_seconds, now_ms, &tsdb.config().retention);
    let query = BucketQuery {
        start_ms: plan.start_ms,
        end_ms: plan.end_ms,
        period_ms: plan.period_ms,
        with_distribution: !extended.is_empty(),
    };
    let requested = i64::try_from(query.bucket_count()).unwrap_or(i64::MAX);
    if requested > MAX_DATAPOINTS {
        return Err(MetricsQueryError::InvalidParameterCombination(format!(
            "You have requested up to {requested} datapoints, which exceeds the limit of {MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range."
        )));
    }
    let Some(source) = plan.source else {
        return Ok(Vec::new());
    };
    // Units belong to datapoints: each unit's series gives its own datapoints, a Unit selects one of them.
    let series = candidates(tsdb, &request.series, request.unit.as_deref());
    if series.is_empty() {
        return Ok(Vec::new());
    }
    let ids = series.iter().map(|s| s.id).collect();
    let buckets = tsdb.query(ids, query, source).await?;
    let mut out = Vec::new();
    for (i, start_ms) in (0..query.bucket_count()).map(|i| (i, plan.start_ms + i as i64 * plan.period_ms)) {
        for (unit, buckets) in series.iter().map(|s| &s.unit).zip(&buckets) {
            let Some(summary) = buckets.get(i).and_then(Option::as_ref) else { continue };
            let pick = |names: &[String], statistics: &[Statistic]| -> Vec<(String, f64)> {
                names
                    .iter()
                    .zip(statistics)
                    .filter_map(|(name, statistic)| Some((name.clone(), statistic.evaluate(summary)?)))
                    .collect()
            };
            out.push(StatisticsDatapoint {
                timestamp_ms: start_ms,
                unit: unit.clone(),
                statistics: pick(&request.statistics, &basic),
                extended_statistics: pick(&request.extended_statistics, &extended),
            });
        }
    }
    Ok(out)
}
