//! GetMetricData: MetricStat queries and metric math expressions over one grid, labels, ReturnData, ScanBy,
//! MaxDatapoints with NextToken, and `Messages` for partial data and for metrics with data in several units.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use skywatch_metricmath as math;
use skywatch_tsdb::statistic::Statistic;
use skywatch_tsdb::{BucketQuery, SeriesKey, Tsdb};

use crate::answers::{Answer, AnswerKey};
use crate::error::MetricsQueryError;
use crate::fetch::{FetchSpec, Grid, fetch_all};
use crate::handle::Metrics;
use crate::label::{StatQuery, default_labels};
use crate::paging::{PageStart, PageToken, StatStart};
use crate::periods::{is_valid_period, plan};
use crate::search;
use crate::stat_pages;
use crate::units::{NO_UNIT, UnitChoice};

pub const MAX_QUERIES: usize = 500;
pub const DEFAULT_MAX_DATAPOINTS: usize = 100_800;
/// The most grid slots (datapoints a series may have) of one request: AWS's 100,800 datapoints a call.
pub const MAX_GRID_SLOTS: usize = 100_800;
/// The most series slots one request may hold in memory: its metrics, its SEARCH results and what its
/// expressions copy (500 metrics over a week at one-minute periods).
pub const MAX_CELLS: usize = math::DEFAULT_MAX_CELLS;
/// How far ahead of now a datapoint may be timestamped (PutMetricData's two hours); slots past it are never
/// filled, so the grid stops there.
const FUTURE_MS: i64 = 2 * 3_600_000;
/// The most SEARCH calls one request may make (each reads the whole catalogue).
pub const MAX_SEARCHES: usize = 50;
/// SEARCH returns at most this many series.
pub const MAX_SEARCH_RESULTS: usize = 500;

#[derive(Debug, Clone, PartialEq)]
pub enum QueryKind {
    MetricStat { series: SeriesKey, period_seconds: i64, stat: String, unit: Option<String> },
    Expression { expression: String, period_seconds: Option<i64> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataQuery {
    pub id: String,
    pub kind: QueryKind,
    pub label: Option<String>,
    pub return_data: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataRequest {
    pub account: String,
    pub region: String,
    pub queries: Vec<DataQuery>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub ascending: bool,
    pub max_datapoints: Option<usize>,
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusCode {
    Complete,
    PartialData,
}

impl StatusCode {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusCode::Complete => "Complete",
            StatusCode::PartialData => "PartialData",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataResult {
    pub id: String,
    pub label: String,
    pub timestamps_ms: Vec<i64>,
    pub values: Vec<f64>,
    pub status: StatusCode,
    pub messages: Vec<(String, String)>,
    /// The unit of a MetricStat result's datapoints (`None` when they have none, and for expressions); not on
    /// the wire: charts label their axes with it.
    pub unit: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataResponse {
    pub results: Vec<DataResult>,
    pub next_token: Option<String>,
    pub messages: Vec<(String, String)>,
}

fn invalid(message: String) -> MetricsQueryError {
    MetricsQueryError::Validation(message)
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && id.len() <= 255
}

/// A validated query: its statistic or parsed expression.
pub(crate) enum Prepared {
    Stat { series: SeriesKey, period_seconds: i64, statistic: Statistic, unit: Option<String> },
    Expression { expr: math::Expr, period_seconds: Option<i64> },
}

/// Every query's refusal in one error, as AWS reports them: one message a refused query, each on its own line
/// (`The value None for parameter MetricDataQueries.member.223.MetricStat.Stat is not a valid statistic.\nThe
/// value None for parameter MetricDataQueries.member.224...`, YACE#385); a single refusal keeps its text.
fn one_refusal_for_all<T>(
    checked: impl Iterator<Item = Result<T, MetricsQueryError>>,
) -> Result<Vec<T>, MetricsQueryError> {
    let mut accepted = Vec::new();
    let mut refused: Vec<String> = Vec::new();
    for result in checked {
        match result {
            Ok(value) if refused.is_empty() => accepted.push(value),
            Ok(_) => {}
            Err(MetricsQueryError::Validation(message)) => refused.push(message),
            Err(other) => return Err(other),
        }
    }
    match refused.len() {
        0 => Ok(accepted),
        1 => Err(MetricsQueryError::Validation(refused.remove(0))),
        _ => Err(MetricsQueryError::Validation(
            refused.iter().map(|m| if m.ends_with('\n') { m.clone() } else { format!("{m}\n") }).collect(),
        )),
    }
}

pub(crate) fn validate(request: &DataRequest) -> Result<Vec<Prepared>, MetricsQueryError> {
    if request.queries.is_empty() {
        return Err(MetricsQueryError::MissingParameter("The parameter MetricDataQueries is required.".into()));
    }
    if request.queries.len() > MAX_QUERIES {
        return Err(invalid(format!(
            "The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}."
        )));
    }
    // Seen in the wild from AWS (elastic/beats#32687, YACE#729, 2022): GetMetricData words an empty range
    // differently from GetMetricStatistics, with a trailing newline, as `ValidationError`.
    if request.start_ms == request.end_ms {
        return Err(invalid("The parameter StartTime must not equal parameter EndTime.\n".into()));
    }
    if request.start_ms > request.end_ms {
        return Err(invalid("The parameter StartTime must be less than the parameter EndTime.".into()));
    }
    let mut seen = HashSet::new();
    let mut searches = 0usize;
    let checked = request.queries.iter().enumerate().map(|(i, query)| {
            let member = format!("MetricDataQueries.member.{}", i + 1);
            if !valid_id(&query.id) {
                return Err(invalid(format!(
                    "The value {} for parameter {member}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.",
                    query.id
                )));
            }
            if !seen.insert(query.id.as_str()) {
                return Err(invalid("The values for parameter id in MetricDataQueries are not unique.".to_owned()));
            }
            match &query.kind {
                QueryKind::MetricStat { series, period_seconds, stat, unit } => {
                    if !is_valid_period(*period_seconds) {
                        return Err(invalid(format!(
                            "The parameter {member}.MetricStat.Period must be 1, 5, 10, 20, 30, or a multiple of 60."
                        )));
                    }
                    // AWS's text as seen in the wild (YACE#385, 2021; YACE#1435, 2024), with its newline.
                    let statistic = stat.parse::<Statistic>().map_err(|_| {
                        let value = if stat.is_empty() { String::new() } else { format!(" {stat}") };
                        invalid(format!(
                            "The value{value} for parameter {member}.MetricStat.Stat is not a valid statistic.\n"
                        ))
                    })?;
                    Ok(Prepared::Stat { series: series.clone(), period_seconds: *period_seconds, statistic, unit: unit.clone() })
                }
                QueryKind::Expression { expression, period_seconds } => {
                    if expression.len() > math::MAX_LENGTH {
                        return Err(invalid(format!(
                            "1 validation error detected: Value at 'metricDataQueries.{}.member.expression' failed to satisfy constraint: Member must have length less than or equal to {}",
                            i + 1,
                            math::MAX_LENGTH
                        )));
                    }
                    let expr = math::parse(expression)
                        .map_err(|e| invalid(math::expression_error_message(&query.id, &e)))?;
                    searches += search_calls(&expr).len();
                    Ok(Prepared::Expression { expr, period_seconds: *period_seconds })
                }
            }
    });
    let prepared = one_refusal_for_all(checked)?;
    if searches > MAX_SEARCHES {
        return Err(invalid(format!(
            "The request has {searches} SEARCH expressions; at most {MAX_SEARCHES} are allowed."
        )));
    }
    Ok(prepared)
}

/// Evaluation order: MetricStat queries first, then expressions after what they reference; a cycle is an error.
fn order(request: &DataRequest, prepared: &[Prepared]) -> Result<Vec<usize>, MetricsQueryError> {
    let index: HashMap<&str, usize> = request.queries.iter().enumerate().map(|(i, q)| (q.id.as_str(), i)).collect();
    let stats: Vec<usize> = (0..prepared.len()).filter(|i| matches!(prepared[*i], Prepared::Stat { .. })).collect();
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); prepared.len()];
    for (i, p) in prepared.iter().enumerate() {
        if let Prepared::Expression { expr, .. } = p {
            let refs = math::references(expr);
            for id in &refs.ids {
                let target = *index.get(id.as_str()).ok_or_else(|| {
                    invalid(math::expression_error_message(
                        &request.queries[i].id,
                        &format!("Unrecognized metric id {id}"),
                    ))
                })?;
                deps[i].push(target);
            }
            if refs.metrics {
                deps[i].extend(&stats);
            }
        }
    }
    let mut state = vec![0u8; prepared.len()]; // 0 new, 1 visiting, 2 done
    let mut out = Vec::with_capacity(prepared.len());
    fn visit(
        i: usize,
        deps: &[Vec<usize>],
        state: &mut [u8],
        out: &mut Vec<usize>,
        ids: &[DataQuery],
    ) -> Result<(), MetricsQueryError> {
        match state[i] {
            2 => return Ok(()),
            1 => return Err(invalid(format!("Circular dependency found in MetricDataQueries at id {}.", ids[i].id))),
            _ => {}
        }
        state[i] = 1;
        for &d in &deps[i] {
            if d == i {
                return Err(invalid(format!("Circular dependency found in MetricDataQueries at id {}.", ids[i].id)));
            }
            visit(d, deps, state, out, ids)?;
        }
        state[i] = 2;
        out.push(i);
        Ok(())
    }
    for i in 0..prepared.len() {
        visit(i, &deps, &mut state, &mut out, &request.queries)?;
    }
    Ok(out)
}

/// What expressions see while they are evaluated.
struct EvalContext<'a> {
    grid: &'a Grid,
    results: &'a HashMap<String, math::Value>,
    metric_ids: Vec<String>,
    searches: &'a HashMap<(String, String, u32), Vec<math::Series>>,
}

impl math::Context for EvalContext<'_> {
    fn grid(&self) -> &[i64] {
        &self.grid.timestamps
    }
    fn period_seconds(&self) -> u32 {
        u32::try_from(self.grid.period_seconds).unwrap_or(u32::MAX)
    }
    fn query(&self, id: &str) -> Option<&math::Value> {
        self.results.get(id)
    }
    fn metric_ids(&self) -> Vec<String> {
        self.metric_ids.clone()
    }
    fn search(&self, query: &str, statistic: &str, period_seconds: u32) -> Result<&[math::Series], String> {
        self.searches
            .get(&(query.to_owned(), statistic.to_owned(), period_seconds))
            .map(Vec::as_slice)
            .ok_or_else(|| "search results are not available".to_owned())
    }
}

pub async fn get_metric_data(
    tsdb: &Tsdb,
    request: &DataRequest,
    now_ms: i64,
) -> Result<DataResponse, MetricsQueryError> {
    let start = PageStart::from_token(request.next_token.as_deref())?;
    let answer = answer(tsdb, request, now_ms).await?;
    let max = request.max_datapoints.unwrap_or(DEFAULT_MAX_DATAPOINTS);
    let (results, next_token) = crate::paging::page(&answer.results, max, start, None);
    Ok(DataResponse { results, next_token, messages: answer.messages })
}

/// GetMetricData as the API serves it, page by page. A request made only of MetricStat queries computes each page
/// on its own, reading only the queries it returns (`stat_pages.rs`). Any other computes its whole answer for the
/// first page and, when there is more than one page, keeps it; a NextToken naming a kept answer of the same
/// request is cut from it.
pub async fn get_metric_data_paged(
    metrics: &Metrics,
    request: &DataRequest,
    now_ms: i64,
) -> Result<DataResponse, MetricsQueryError> {
    let max = request.max_datapoints.unwrap_or(DEFAULT_MAX_DATAPOINTS);
    let start = match PageToken::read(request.next_token.as_deref())? {
        PageToken::First if stat_pages::only_stats(request) => {
            return stat_pages::page(&metrics.tsdb, request, StatStart::first(now_ms), max).await;
        }
        PageToken::Stats(start) if stat_pages::only_stats(request) => {
            return stat_pages::page(&metrics.tsdb, request, start, max).await;
        }
        PageToken::Stats(_) => return Err(MetricsQueryError::InvalidNextToken("The NextToken is invalid.".into())),
        PageToken::First => PageStart::default(),
        // A token of an answer computed whole (one from before stat pages, too) is served the way it was made.
        PageToken::Datapoints(start) => start,
    };
    let key = AnswerKey::of(request);
    let kept = start.answer.and_then(|id| metrics.answers.find(id, &key, now_ms).map(|answer| (id, answer)));
    let (id, answer) = match kept {
        Some((id, answer)) => (Some(id), answer),
        None => {
            let answer = Arc::new(answer(&metrics.tsdb, request, now_ms).await?);
            let more_pages = answer.datapoints() > start.skip.saturating_add(max.max(1));
            let id = if more_pages { metrics.answers.keep(key, Arc::clone(&answer), now_ms) } else { None };
            (id, answer)
        }
    };
    let (results, next_token) = crate::paging::page(&answer.results, max, start, id);
    Ok(DataResponse { results, next_token, messages: answer.messages.clone() })
}

/// What every page of a request reads onto: the range read, the grid of its finest period, and the budget of
/// datapoints it may hold in memory (its MetricStat queries already taken from it).
pub(crate) struct Frame {
    pub range: (i64, i64),
    pub grid: Grid,
    pub budget: math::Budget,
}

/// The frame of a validated request as of `now_ms`; refused when its grid or its MetricStat queries would hold
/// more datapoints than a request may.
pub(crate) fn frame(
    tsdb: &Tsdb,
    request: &DataRequest,
    prepared: &[Prepared],
    now_ms: i64,
) -> Result<Frame, MetricsQueryError> {
    let finest = prepared
        .iter()
        .filter_map(|p| match p {
            Prepared::Stat { period_seconds, .. } => Some(*period_seconds),
            Prepared::Expression { period_seconds, .. } => *period_seconds,
        })
        .min()
        .unwrap_or(60);
    let retention = tsdb.config().retention;
    let range = (request.start_ms, data_end(request, finest, now_ms));
    let grid_plan = plan(range.0, range.1, finest, now_ms, &retention);
    let slots = BucketQuery {
        start_ms: grid_plan.start_ms,
        end_ms: grid_plan.end_ms,
        period_ms: grid_plan.period_ms,
        with_distribution: false,
    }
    .bucket_count();
    if slots > MAX_GRID_SLOTS {
        return Err(MetricsQueryError::InvalidParameterCombination(format!(
            "You have requested up to {slots} datapoints per metric, which exceeds the limit of {MAX_GRID_SLOTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range."
        )));
    }
    let grid = Grid {
        timestamps: (0..slots as i64).map(|i| grid_plan.start_ms + i * grid_plan.period_ms).collect(),
        period_seconds: finest,
    };
    let budget = math::Budget::new(MAX_CELLS);
    let stat_count = prepared.iter().filter(|p| matches!(p, Prepared::Stat { .. })).count();
    budget.take(stat_count, slots).map_err(too_many)?;
    Ok(Frame { range, grid, budget })
}

/// The whole answer of a GetMetricData request: every result with all of its datapoints.
async fn answer(tsdb: &Tsdb, request: &DataRequest, now_ms: i64) -> Result<Answer, MetricsQueryError> {
    let prepared = validate(request)?;
    let order = order(request, &prepared)?;
    let Frame { range, grid, budget } = frame(tsdb, request, &prepared, now_ms)?;
    let messages = Vec::new();
    // Queries whose SEARCH found more series than it may return: their results are partial.
    let mut truncated_searches: HashSet<String> = HashSet::new();
    let mut results: HashMap<String, math::Value> = HashMap::new();
    let mut labels: HashMap<String, String> = HashMap::new();
    // Which units each MetricStat query had data in, and which it answers with.
    let mut units: HashMap<String, UnitChoice> = HashMap::new();
    // MetricStat queries, fetched onto the grid together.
    let stats: Vec<(usize, FetchSpec<'_>)> = prepared
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Prepared::Stat { series, period_seconds, statistic, unit } => {
                Some((i, FetchSpec { series, period_seconds: *period_seconds, statistic, unit: unit.as_deref() }))
            }
            Prepared::Expression { .. } => None,
        })
        .collect();
    let specs: Vec<FetchSpec<'_>> = stats
        .iter()
        .map(|(_, s)| FetchSpec {
            series: s.series,
            period_seconds: s.period_seconds,
            statistic: s.statistic,
            unit: s.unit,
        })
        .collect();
    let fetched = fetch_all(tsdb, &specs, request, range, &grid, now_ms).await?;
    // The labels MetricStat queries without a Label answer with (see `label`). Metric math still sees such a
    // series labelled with its bare metric name, as before: what AWS labels an expression over it is not recorded.
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
    let defaults = default_labels(&stat_queries);
    for (((i, spec), fetched), default) in stats.iter().zip(fetched).zip(defaults) {
        let (query, series) = (&request.queries[*i], spec.series);
        let label = query.label.clone().unwrap_or_else(|| series.metric_name.clone());
        labels.insert(query.id.clone(), query.label.clone().unwrap_or(default));
        units.insert(query.id.clone(), fetched.units);
        let series = math::Series::new(label, Some(query.id.clone()), fetched.values);
        results.insert(query.id.clone(), math::Value::Series(series));
    }
    let metric_ids: Vec<String> = request
        .queries
        .iter()
        .zip(&prepared)
        .filter(|(_, p)| matches!(p, Prepared::Stat { .. }))
        .map(|(q, _)| q.id.clone())
        .collect();
    // Expressions, in dependency order; SEARCHes run before the expression that uses them.
    for i in order {
        let Prepared::Expression { expr, .. } = &prepared[i] else { continue };
        let query = &request.queries[i];
        let run = SearchRun { tsdb, request, range, grid: &grid, budget: &budget, now_ms };
        let (searches, truncated) = run_searches(&run, expr).await?;
        if truncated {
            truncated_searches.insert(query.id.clone());
        }
        let context =
            EvalContext { grid: &grid, results: &results, metric_ids: metric_ids.clone(), searches: &searches };
        let value = math::evaluate_within(expr, &context, &budget)
            .map_err(|e| invalid(math::expression_error_message(&query.id, &e)))?;
        if let Some(label) = &query.label {
            labels.insert(query.id.clone(), label.clone());
        }
        results.insert(query.id.clone(), value);
    }
    let mut out = Vec::new();
    for query in request.queries.iter().filter(|q| q.return_data) {
        // Every expression is evaluated: results can be moved out, not copied.
        let Some(value) = results.remove(&query.id) else { continue };
        let series = value.into_series(grid.timestamps.len());
        let many = series.len() > 1;
        for s in series {
            let label = match (&query.label, many) {
                (Some(label), false) => label.clone(),
                (Some(label), true) => format!("{label} {}", s.label).trim().to_owned(),
                (None, _) if matches!(query.kind, QueryKind::MetricStat { .. }) => {
                    labels.get(&query.id).cloned().unwrap_or_else(|| s.label.clone())
                }
                (None, _) if s.label.is_empty() => labels.get(&query.id).cloned().unwrap_or_else(|| query.id.clone()),
                (None, _) => s.label.clone(),
            };
            let (timestamps_ms, values) = datapoints(&grid, &s.values, request.ascending);
            let choice = units.get(&query.id);
            let unit = choice.and_then(UnitChoice::chosen).filter(|unit| *unit != NO_UNIT).map(str::to_owned);
            out.push(DataResult {
                id: query.id.clone(),
                label,
                timestamps_ms,
                values,
                status: if truncated_searches.contains(&query.id) {
                    StatusCode::PartialData
                } else {
                    StatusCode::Complete
                },
                messages: if truncated_searches.contains(&query.id) {
                    vec![(
                        "MaxMetricsExceeded".to_owned(),
                        format!("The SEARCH matched more than {MAX_SEARCH_RESULTS} metrics; only the first {MAX_SEARCH_RESULTS} are returned."),
                    )]
                } else {
                    choice.and_then(UnitChoice::message).into_iter().collect()
                },
                unit,
            });
        }
    }
    Ok(Answer { results: out, messages })
}

/// The slots of `values` that hold a value, with their timestamps, in the request's order.
pub(crate) fn datapoints(grid: &Grid, values: &[Option<f64>], ascending: bool) -> (Vec<i64>, Vec<f64>) {
    let present = values.iter().filter(|v| v.is_some()).count();
    let (mut timestamps_ms, mut out) = (Vec::with_capacity(present), Vec::with_capacity(present));
    for (t, v) in grid.timestamps.iter().zip(values) {
        if let Some(v) = v {
            timestamps_ms.push(*t);
            out.push(*v);
        }
    }
    if !ascending {
        timestamps_ms.reverse();
        out.reverse();
    }
    (timestamps_ms, out)
}

/// The end of the grid: the request's EndTime, or the last slot that can hold data when EndTime is further
/// ahead than datapoints may be timestamped (a far-future EndTime costs nothing).
fn data_end(request: &DataRequest, finest_period_s: i64, now_ms: i64) -> i64 {
    let last = now_ms.saturating_add(FUTURE_MS).saturating_add(finest_period_s.saturating_mul(1000));
    request.end_ms.min(last).max(request.start_ms.saturating_add(1))
}

fn too_many(e: math::BudgetExceeded) -> MetricsQueryError {
    MetricsQueryError::InvalidParameterCombination(format!(
        "The request needs more than {} datapoints in memory. You may reduce the number of metrics or SEARCH results, increase Period, or decrease the time range.",
        e.limit
    ))
}

/// Runs every SEARCH of an expression (its arguments must be literals) and returns the series by (query,
/// statistic, period), and whether any search matched more than [`MAX_SEARCH_RESULTS`] series.
async fn run_searches(
    run: &SearchRun<'_>,
    expr: &math::Expr,
) -> Result<(HashMap<(String, String, u32), Vec<math::Series>>, bool), MetricsQueryError> {
    let SearchRun { tsdb, request, range, grid, budget, now_ms } = *run;
    let mut out = HashMap::new();
    let mut truncated = false;
    for (text, stat, period) in search_calls(expr) {
        let search = search::parse(&text).map_err(|e| invalid(e.to_string()))?;
        let statistic =
            stat.parse::<Statistic>().map_err(|_| invalid(format!("The statistic {stat} in SEARCH is invalid.")))?;
        if !is_valid_period(i64::from(period)) {
            return Err(invalid(format!("The period {period} in SEARCH is invalid.")));
        }
        // The catalogue index narrows the search to the metrics its terms name; each candidate is then tested
        // with the search itself, off the async runtime. A metric written with several units is one result (its
        // series are read as a query without a Unit).
        let (tsdb_for_search, account, region) = (tsdb.clone(), request.account.clone(), request.region.clone());
        let mut found = tokio::task::spawn_blocking(move || {
            let filter = search.catalog_filter();
            let mut found: Vec<Arc<SeriesKey>> = tsdb_for_search
                .catalog_matching(&account, &region, &filter, |key| search.matches(key))
                .into_iter()
                .map(|metric| metric.key)
                .collect();
            found.sort_by_cached_key(|key| search::label(key));
            found
        })
        .await
        .map_err(|e| MetricsQueryError::Unavailable(e.to_string()))?;
        truncated |= found.len() > MAX_SEARCH_RESULTS;
        found.truncate(MAX_SEARCH_RESULTS);
        budget.take(found.len(), grid.timestamps.len()).map_err(too_many)?;
        let specs: Vec<FetchSpec<'_>> = found
            .iter()
            .map(|key| FetchSpec { series: key, period_seconds: i64::from(period), statistic: &statistic, unit: None })
            .collect();
        let fetched = fetch_all(tsdb, &specs, request, range, grid, now_ms).await?;
        let series: Vec<math::Series> = found
            .iter()
            .zip(fetched)
            .map(|(key, fetched)| math::Series::new(search::label(key), None, fetched.values))
            .collect();
        out.insert((text, stat, period), series);
    }
    Ok((out, truncated))
}

/// What every SEARCH of a request runs against.
#[derive(Clone, Copy)]
struct SearchRun<'a> {
    tsdb: &'a Tsdb,
    request: &'a DataRequest,
    range: (i64, i64),
    grid: &'a Grid,
    budget: &'a math::Budget,
    now_ms: i64,
}

/// The SEARCH calls of an expression with literal arguments: (search text, statistic, period seconds). A
/// SEARCH without a period uses 300 seconds.
fn search_calls(expr: &math::Expr) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![expr];
    while let Some(node) = stack.pop() {
        match &node.kind {
            math::ExprKind::Call { func: math::Func::Search, args } => {
                let text = match args.first().map(|a| &a.kind) {
                    Some(math::ExprKind::Str(text)) => text.clone(),
                    _ => continue,
                };
                let stat = match args.get(1).map(|a| &a.kind) {
                    Some(math::ExprKind::Str(stat)) => stat.clone(),
                    _ => "Average".to_owned(),
                };
                let period = match args.get(2).map(|a| &a.kind) {
                    Some(math::ExprKind::Number(n)) if *n >= 1.0 && *n <= f64::from(u32::MAX) => *n as u32,
                    _ => 300,
                };
                out.push((text, stat, period));
            }
            math::ExprKind::Call { args, .. } | math::ExprKind::Array(args) => stack.extend(args),
            math::ExprKind::Unary { operand, .. } => stack.push(operand),
            math::ExprKind::Binary { lhs, rhs, .. } => {
                stack.push(lhs);
                stack.push(rhs);
            }
            _ => {}
        }
    }
    out
}
