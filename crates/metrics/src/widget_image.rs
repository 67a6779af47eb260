//! GetMetricWidgetImage: a metric widget's JSON is parsed (errors name the JSON path), its metric and expression
//! rows run as one GetMetricData request, and the result is drawn as a PNG with plotters.

use skywatch_charts::widget::MetricWidget;
use skywatch_charts::{Chart, Theme};
use skywatch_tsdb::Tsdb;

use crate::error::MetricsQueryError;
use crate::widget_data::{PeriodChoice, widget_data};

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
    let data = widget_data(tsdb, account, region, &widget, (start_ms, end_ms), now_ms, PeriodChoice::AsWritten).await?;
    let chart = Chart::from_widget(&widget, data.series, (start_ms, end_ms), Theme::Light);
    // Rasterising is CPU work: off the async runtime (issue 10).
    tokio::task::spawn_blocking(move || skywatch_charts::png(&chart).map_err(|e| WidgetImageError::Draw(e.to_string())))
        .await
        .map_err(|e| WidgetImageError::Draw(e.to_string()))?
}
