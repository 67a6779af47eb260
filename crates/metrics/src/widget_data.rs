//! A metric widget's data over a time range: its metric and expression rows run as one GetMetricData request at
//! the period the widget and the range call for, answered as chart series with labels, colors, axes and units.
//! Shared by GetMetricWidgetImage and dashboards.

use std::collections::HashSet;

use skywatch_charts::ChartSeries;
use skywatch_charts::View;
use skywatch_charts::widget::{MetricEntry, MetricWidget};
use skywatch_tsdb::{SeriesKey, Tsdb};

use crate::data::{DataQuery, DataRequest, DataResponse, QueryKind, get_metric_data};
use crate::error::MetricsQueryError;
use crate::periods::{automatic_period, is_kept, single_period_range};

/// Where a widget's GetMetricData request runs, and the engine it reads retention from. The engine
/// itself runs it directly (inside an operation that is recorded on its own, such as GetMetricWidgetImage); the
/// console's dashboards run it as the GetMetricData operation, so each widget is authorised and recorded as the
/// call it makes, with the same parameters as over the API.
pub trait MetricDataSource: Sync {
    fn tsdb(&self) -> &Tsdb;

    fn fetch(
        &self,
        request: DataRequest,
        now_ms: i64,
    ) -> impl std::future::Future<Output = Result<DataResponse, MetricsQueryError>> + Send;
}

impl MetricDataSource for Tsdb {
    fn tsdb(&self) -> &Tsdb {
        self
    }

    async fn fetch(&self, request: DataRequest, now_ms: i64) -> Result<DataResponse, MetricsQueryError> {
        get_metric_data(self, &request, now_ms).await
    }
}

/// How the rows' periods are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// Each row's period as written (the widget's, else 300 s): GetMetricWidgetImage, and dashboards with
    /// `"periodOverride": "inherit"`.
    AsWritten,
    /// As written, but coarser when the range would give more than `max_points` points per series or the data
    /// is too old for the written period: dashboards' default `"periodOverride": "auto"`.
    Auto {
        /// The most points a series may have.
        max_points: i64,
    },
}

/// The widget's series and the period they were fetched at.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetData {
    /// One series per visible row (SEARCH rows give several), in row order.
    pub series: Vec<ChartSeries>,
    /// The period of the widget's default row, in seconds, after the choice.
    pub period_seconds: i64,
    /// The range fetched, epoch milliseconds.
    pub start_ms: i64,
    /// The range fetched, epoch milliseconds.
    pub end_ms: i64,
}

/// Fetches `widget`'s rows for `account` over `[start_ms, end_ms)` as of `now_ms`; rows without a region use the
/// widget's, else `region`.
pub async fn widget_data(
    source: &impl MetricDataSource,
    account: &str,
    region: &str,
    widget: &MetricWidget,
    range: (i64, i64),
    now_ms: i64,
    choice: PeriodChoice,
) -> Result<WidgetData, MetricsQueryError> {
    let tsdb = source.tsdb();
    // One value over the whole range: fetch a range one period can cover exactly (GetMetricData rounds the start).
    let (start_ms, end_ms) =
        if one_value(widget) { single_period_range(range, now_ms, &tsdb.config().retention) } else { range };
    let region = widget.region.clone().unwrap_or_else(|| region.to_owned());
    let period_of =
        |written: u32| effective_period(widget, i64::from(written), (start_ms, end_ms), now_ms, choice, tsdb);
    let ids = row_ids(&widget.metrics);
    let queries: Vec<DataQuery> = widget
        .metrics
        .iter()
        .zip(ids)
        .map(|(entry, id)| {
            let options = entry.options();
            let period_seconds = period_of(widget.period_for(options));
            let kind = match entry {
                MetricEntry::Metric(row) => QueryKind::MetricStat {
                    series: SeriesKey::new(
                        account,
                        options.region.clone().unwrap_or_else(|| region.clone()),
                        row.namespace.as_str(),
                        row.metric_name.as_str(),
                        row.dimensions.clone(),
                    ),
                    period_seconds,
                    stat: widget.stat_for(options).to_owned(),
                    unit: None,
                },
                MetricEntry::Expression(row) => {
                    QueryKind::Expression { expression: row.expression.clone(), period_seconds: Some(period_seconds) }
                }
            };
            // Without a label of its own a metric row is called by its dimension values and name, as the
            // console's graphs and SEARCH results are, so rows of one metric stay apart in the legend.
            let label = options.label.clone().or_else(|| match entry {
                MetricEntry::Metric(row) => Some(row.metric.label()),
                MetricEntry::Expression(_) => None,
            });
            DataQuery { id, kind, label, return_data: options.is_visible() }
        })
        .collect();
    let request = DataRequest {
        account: account.to_owned(),
        region: region.clone(),
        queries,
        start_ms,
        end_ms,
        ascending: true,
        max_datapoints: None,
        next_token: None,
    };
    let queries = request.queries.clone();
    let response = source.fetch(request, now_ms).await?;
    let series = response
        .results
        .into_iter()
        .map(|result| {
            let row = queries.iter().position(|q| q.id == result.id).and_then(|i| widget.metrics.get(i));
            let options = row.map(MetricEntry::options);
            ChartSeries {
                label: result.label,
                color: options.and_then(|o| o.color.clone()),
                unit: result.unit,
                right_axis: options.is_some_and(|o| o.on_right_axis()),
                points: result
                    .timestamps_ms
                    .into_iter()
                    .zip(result.values)
                    .filter(|(_, value)| value.is_finite())
                    .collect(),
            }
        })
        .collect();
    let period_seconds = period_of(widget.period.unwrap_or(skywatch_charts::widget::DEFAULT_PERIOD));
    Ok(WidgetData { series, period_seconds, start_ms, end_ms })
}

/// Whether the widget shows one value per row over the whole range (`setPeriodToTimeRange` on a single value,
/// gauge, bar, pie or table without a sparkline).
fn one_value(widget: &MetricWidget) -> bool {
    widget.set_period_to_time_range && widget.view != View::TimeSeries && !widget.sparkline
}

/// The period a row written with `written` seconds is fetched at.
fn effective_period(
    widget: &MetricWidget,
    written: i64,
    (start_ms, end_ms): (i64, i64),
    now_ms: i64,
    choice: PeriodChoice,
    tsdb: &Tsdb,
) -> i64 {
    let span_s = (end_ms.saturating_sub(start_ms) / 1000).max(1);
    if one_value(widget) {
        // The range is already whole units of the period its age requires (see `single_period_range`).
        return span_s.max(60);
    }
    match choice {
        PeriodChoice::AsWritten => written,
        PeriodChoice::Auto { max_points } => {
            let retention = &tsdb.config().retention;
            let age_ms = now_ms.saturating_sub(start_ms);
            let fits =
                span_s.unsigned_abs().div_ceil(written.max(1).unsigned_abs()) <= max_points.max(1).unsigned_abs();
            if fits && is_kept(written, age_ms, retention) {
                written
            } else {
                automatic_period(span_s, age_ms, max_points, retention).max(written)
            }
        }
    }
}

/// Each row's id: its own, else `m1`, `m2`, ... for metrics and `e1`, `e2`, ... for expressions in row order, as
/// the CloudWatch console numbers them (skipping numbers another row took explicitly).
pub fn row_ids(rows: &[MetricEntry]) -> Vec<String> {
    let taken: HashSet<&str> = rows.iter().filter_map(|r| r.options().id.as_deref()).collect();
    let (mut metrics, mut expressions) = (0, 0);
    rows.iter()
        .map(|row| {
            if let Some(id) = &row.options().id {
                return id.clone();
            }
            let (prefix, counter) = match row {
                MetricEntry::Metric(_) => ("m", &mut metrics),
                MetricEntry::Expression(_) => ("e", &mut expressions),
            };
            loop {
                *counter += 1;
                let id = format!("{prefix}{counter}");
                if !taken.contains(id.as_str()) {
                    return id;
                }
            }
        })
        .collect()
}
