//! GetMetricWidgetImage: a metric widget's JSON is parsed (errors name the JSON path), its metric and expression
//! rows run as one GetMetricData request, and the result is drawn as a PNG with plotters.

use skywatch_charts::widget::{MetricEntry, MetricWidget};
use skywatch_charts::{Chart, ChartSeries, Theme};
use skywatch_tsdb::{SeriesKey, Tsdb};

use crate::data::{DataQuery, DataRequest, QueryKind, get_metric_data};
use crate::error::MetricsQueryError;

/// Most metric rows a widget may graph.
pub const MAX_WIDGET_METRICS: usize = 100;
/// Largest widget JSON accepted.
pub const MAX_WIDGET_BYTES: usize = 100 * 1024;

/// Why an image could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum WidgetImageError {
    /// The widget JSON is malformed or invalid (CloudWatch answers `ValidationError`).
    #[error("{0}")]
    InvalidWidget(String),
    #[error(transparent)]
    Query(#[from] MetricsQueryError),
    #[error("The image could not be drawn: {0}")]
    Draw(String),
}

/// Draws the widget for `account` (rows default to `region`) as of `now_ms`.
pub async fn get_metric_widget_image(
    tsdb: &Tsdb,
    account: &str,
    region: &str,
    widget_json: &str,
    now_ms: i64,
) -> Result<Vec<u8>, WidgetImageError> {
    if widget_json.len() > MAX_WIDGET_BYTES {
        return Err(WidgetImageError::InvalidWidget(format!(
            "The MetricWidget is larger than {MAX_WIDGET_BYTES} bytes."
        )));
    }
    let widget = MetricWidget::parse(widget_json).map_err(|e| WidgetImageError::InvalidWidget(e.to_string()))?;
    if widget.metrics.len() > MAX_WIDGET_METRICS {
        return Err(WidgetImageError::InvalidWidget(format!(
            "The widget graphs {} metrics; at most {MAX_WIDGET_METRICS} are allowed.",
            widget.metrics.len()
        )));
    }
    let (start_ms, end_ms) =
        widget.time_range_ms(now_ms).map_err(|e| WidgetImageError::InvalidWidget(e.to_string()))?;
    let region = widget.region.clone().unwrap_or_else(|| region.to_owned());
    let ids = row_ids(&widget.metrics);
    let queries: Vec<DataQuery> = widget
        .metrics
        .iter()
        .zip(ids)
        .map(|(entry, id)| {
            let options = entry.options();
            let kind = match entry {
                MetricEntry::Metric(row) => QueryKind::MetricStat {
                    series: SeriesKey::new(
                        account,
                        options.region.clone().unwrap_or_else(|| region.clone()),
                        row.namespace.as_str(),
                        row.metric_name.as_str(),
                        row.dimensions.clone(),
                    ),
                    period_seconds: i64::from(widget.period_for(options)),
                    stat: widget.stat_for(options).to_owned(),
                    unit: None,
                },
                MetricEntry::Expression(row) => QueryKind::Expression {
                    expression: row.expression.clone(),
                    period_seconds: Some(i64::from(widget.period_for(options))),
                },
            };
            DataQuery { id, kind, label: options.label.clone(), return_data: options.is_visible() }
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
    let response = get_metric_data(tsdb, &request, now_ms).await?;
    let series: Vec<ChartSeries> = response
        .results
        .into_iter()
        .map(|result| {
            let row = request.queries.iter().position(|q| q.id == result.id).and_then(|i| widget.metrics.get(i));
            let options = row.map(MetricEntry::options);
            let unit = match row {
                Some(MetricEntry::Metric(metric)) => tsdb
                    .series_id(&SeriesKey::new(
                        account,
                        region.as_str(),
                        metric.namespace.as_str(),
                        metric.metric_name.as_str(),
                        metric.dimensions.clone(),
                    ))
                    .and_then(|id| tsdb.series_info(id))
                    .and_then(|info| info.unit),
                _ => None,
            };
            ChartSeries {
                label: result.label,
                color: options.and_then(|o| o.color.clone()),
                unit,
                right_axis: options.is_some_and(|o| o.on_right_axis()),
                points: result.timestamps_ms.into_iter().zip(result.values).collect(),
            }
        })
        .collect();
    let chart = Chart::from_widget(&widget, series, (start_ms, end_ms), Theme::Light);
    skywatch_charts::png(&chart).map_err(|e| WidgetImageError::Draw(e.to_string()))
}

/// Each row's id: its own, else `m1`, `m2`, ... for metrics and `e1`, `e2`, ... for expressions in row order, as
/// the CloudWatch console numbers them (skipping numbers another row took explicitly).
fn row_ids(rows: &[MetricEntry]) -> Vec<String> {
    let taken: std::collections::HashSet<&str> = rows.iter().filter_map(|r| r.options().id.as_deref()).collect();
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
