//! GetMetricData pages of a request made only of MetricStat queries, each page computed on its own (issue 15): a
//! page reads only the queries whose datapoints it holds, so the first page of a hundred week-long metrics reads
//! the ten it returns, not all hundred. Its NextToken names the result the next page starts in and the last
//! timestamp of it already sent, and pins the time the first page was computed at: every page reads the same grid,
//! and a datapoint arriving between pages shifts nothing, so none is sent twice or passed over. (A value that
//! changes between pages is read as it is when its page is computed.)
//!
//! A result the page does not reach is listed with no datapoints as `PartialData` (its data, if any, is on a later
//! page) and its messages come with its datapoints; one the pages are past is `Complete`.

use skywatch_tsdb::Tsdb;

use crate::data::{
    DataRequest, DataResponse, DataResult, Prepared, QueryKind, StatusCode, datapoints, frame, validate,
};
use crate::error::MetricsQueryError;
use crate::fetch::{FetchSpec, fetch_all};
use crate::label::{StatQuery, default_labels};
use crate::paging::StatStart;
use crate::units::NO_UNIT;

/// Whether every query of `request` is a MetricStat, so that its pages can be computed on their own.
pub fn only_stats(request: &DataRequest) -> bool {
    request.queries.iter().all(|q| matches!(q.kind, QueryKind::MetricStat { .. }))
}

/// The page of `request` (made only of MetricStat queries) that starts at `start` and holds at most `max`
/// datapoints.
pub async fn page(
    tsdb: &Tsdb,
    request: &DataRequest,
    start: StatStart,
    max: usize,
) -> Result<DataResponse, MetricsQueryError> {
    let prepared = validate(request)?;
    let frame = frame(tsdb, request, &prepared, start.now_ms)?;
    let returned: Vec<usize> = (0..request.queries.len()).filter(|&i| request.queries[i].return_data).collect();
    if start.result > 0 && start.result >= returned.len() {
        return Err(MetricsQueryError::InvalidNextToken("The NextToken is invalid.".into()));
    }
    let labels = labels(request);
    let mut results: Vec<DataResult> = returned
        .iter()
        .enumerate()
        .map(|(n, &i)| DataResult {
            id: request.queries[i].id.clone(),
            label: labels[i].clone(),
            timestamps_ms: Vec::new(),
            values: Vec::new(),
            status: if n < start.result { StatusCode::Complete } else { StatusCode::PartialData },
            messages: Vec::new(),
            unit: None,
        })
        .collect();
    let slots = frame.grid.timestamps.len().max(1);
    let mut room = max.max(1);
    let (mut next, mut after) = (start.result, start.after_ms);
    let mut resume = None;
    'reading: while next < returned.len() {
        // Enough queries to fill the room left if each is full, and one more for a partly sent result; with the
        // page full, one, to learn whether anything is left for a next page.
        let want = room.div_ceil(slots) + usize::from(after.is_some());
        let batch = &returned[next..returned.len().min(next + want.max(1))];
        let specs: Vec<FetchSpec<'_>> = batch.iter().filter_map(|&i| spec(&prepared[i])).collect();
        let fetched = fetch_all(tsdb, &specs, request, frame.range, &frame.grid, start.now_ms).await?;
        for fetched in fetched {
            let (timestamps_ms, values) = datapoints(&frame.grid, &fetched.values, request.ascending);
            let from = after.map_or(0, |t| {
                timestamps_ms.iter().position(|&x| if request.ascending { x > t } else { x < t }).unwrap_or(usize::MAX)
            });
            let from = from.min(timestamps_ms.len());
            let left = timestamps_ms.len() - from;
            if left > 0 && room == 0 {
                resume = Some(StatStart { result: next, after_ms: after, now_ms: start.now_ms });
                break 'reading;
            }
            let take = left.min(room);
            room -= take;
            let result = &mut results[next];
            result.timestamps_ms = timestamps_ms[from..from + take].to_vec();
            result.values = values[from..from + take].to_vec();
            result.unit = fetched.units.chosen().filter(|unit| *unit != NO_UNIT).map(str::to_owned);
            result.messages = fetched.units.message().into_iter().collect();
            if take < left {
                let last = result.timestamps_ms.last().copied().or(after);
                resume = Some(StatStart { result: next, after_ms: last, now_ms: start.now_ms });
                break 'reading;
            }
            result.status = StatusCode::Complete;
            next += 1;
            after = None;
        }
    }
    Ok(DataResponse { results, next_token: resume.map(StatStart::token), messages: Vec::new() })
}

/// Each query's label: its own, or the one CloudWatch gives a MetricStat query without one.
fn labels(request: &DataRequest) -> Vec<String> {
    let stat_queries: Vec<StatQuery<'_>> = request
        .queries
        .iter()
        .filter_map(|q| match &q.kind {
            QueryKind::MetricStat { series, period_seconds, stat, .. } => {
                Some(StatQuery { metric_name: &series.metric_name, stat, period_seconds: *period_seconds })
            }
            QueryKind::Expression { .. } => None,
        })
        .collect();
    request
        .queries
        .iter()
        .zip(default_labels(&stat_queries))
        .map(|(q, default)| q.label.clone().unwrap_or(default))
        .collect()
}

fn spec(prepared: &Prepared) -> Option<FetchSpec<'_>> {
    match prepared {
        Prepared::Stat { series, period_seconds, statistic, unit } => {
            Some(FetchSpec { series, period_seconds: *period_seconds, statistic, unit: unit.as_deref() })
        }
        Prepared::Expression { .. } => None,
    }
}
