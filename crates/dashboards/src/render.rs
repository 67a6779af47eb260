//! Rendering a dashboard body over a time range: each metric widget's rows fetched as one GetMetricData request
//! (all widgets at once, through a [`MetricDataSource`]: the console runs them as the GetMetricData operation),
//! text widgets' markdown turned into safe HTML, log widgets described, and alarms looked up once through an
//! [`AlarmSource`]: an alarm status widget shows each alarm's state, a metric widget with `annotations.alarms`
//! draws each alarm's threshold and, when it has no metrics of its own (CloudWatch's single-alarm widget), the
//! alarm's metric with its ALARM stretches shaded.

use futures::future::join_all;
use skywatch_charts::widget::{DEFAULT_START, MetricWidget};
use skywatch_charts::{Chart, Theme};
use skywatch_metrics::{MetricDataSource, PeriodChoice, widget_data};

use crate::body::{DashboardBody, PeriodOverride, WidgetKind};
use crate::markdown::to_safe_html;
use crate::view::{AlarmRow, RenderedDashboard, RenderedWidget, WidgetContent};

/// The most points per series an automatic period allows: a dashboard tile is 300–600 pixels wide, so more
/// points than this would only be drawn on top of each other (Grafana bounds a panel's points by its width too).
pub const AUTO_MAX_POINTS: i64 = 720;

/// Whose data and which range to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderRequest<'a> {
    /// The account whose metrics are read.
    pub account: &'a str,
    /// The region of rows that name none.
    pub region: &'a str,
    /// The range chosen in the console, epoch milliseconds; else the dashboard's `start`/`end`, else each
    /// widget's own, else the last three hours.
    pub range: Option<(i64, i64)>,
    /// The time relative ranges count back from.
    pub now_ms: i64,
}

/// What a dashboard needs to know of one alarm.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmFacts {
    pub arn: String,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state: String,
    pub threshold: Option<f64>,
    /// `>`, `>=`, `<`, `<=`.
    pub symbol: Option<String>,
    /// The one metric of a single-metric alarm, with its statistic and period.
    pub metric: Option<(skywatch_charts::widget::MetricRow, u32)>,
    /// When it was in ALARM over the range, epoch milliseconds.
    pub alarm_spans: Vec<(i64, i64)>,
}

/// Where a dashboard's alarms come from (the console reads them through the alarm operations).
pub trait AlarmSource: Sync {
    fn alarms(&self, arns: Vec<String>, range: (i64, i64))
    -> impl std::future::Future<Output = Vec<AlarmFacts>> + Send;
}

/// No alarms (rendering without an alarm service).
pub struct NoAlarms;

impl AlarmSource for NoAlarms {
    async fn alarms(&self, _arns: Vec<String>, _range: (i64, i64)) -> Vec<AlarmFacts> {
        Vec::new()
    }
}

/// Every alarm ARN the body names, once each.
fn alarm_arns(body: &DashboardBody) -> Vec<String> {
    let mut arns: Vec<String> = Vec::new();
    for widget in &body.widgets {
        let named: &[String] = match &widget.kind {
            WidgetKind::Alarm(alarm) => &alarm.alarms,
            WidgetKind::Metric(metric) => &metric.annotations.alarms,
            _ => &[],
        };
        for arn in named {
            if !arns.contains(arn) {
                arns.push(arn.clone());
            }
        }
    }
    arns
}

/// A metric widget with its alarms applied: a single-alarm widget gets the alarm's metric.
fn with_alarm_metric(widget: &MetricWidget, facts: &[AlarmFacts]) -> MetricWidget {
    let mut widget = widget.clone();
    if widget.metrics.is_empty()
        && let Some((row, period)) = widget
            .annotations
            .alarms
            .iter()
            .find_map(|arn| facts.iter().find(|f| &f.arn == arn).and_then(|f| f.metric.clone()))
    {
        widget.metrics.push(skywatch_charts::widget::MetricEntry::Metric(row));
        widget.period.get_or_insert(period);
    }
    widget
}

/// Draws each of the widget's alarms: its threshold line and its ALARM stretches.
fn annotate(chart: &mut Chart, widget: &MetricWidget, facts: &[AlarmFacts]) {
    for arn in &widget.annotations.alarms {
        let Some(fact) = facts.iter().find(|f| &f.arn == arn) else { continue };
        if let Some(threshold) = fact.threshold {
            chart.horizontal_annotations.push(skywatch_charts::HAnnotation {
                value: threshold,
                band_to: None,
                label: Some(format!("{} {} {threshold}", alarm_name(arn), fact.symbol.clone().unwrap_or_default())),
                color: Some("#d91515".into()),
                fill: None,
                right_axis: false,
            });
        }
        for (from, to) in &fact.alarm_spans {
            chart.vertical_annotations.push(skywatch_charts::VAnnotation {
                time_ms: *from,
                band_to_ms: Some(*to),
                label: None,
                color: Some("#d91515".into()),
                fill: None,
            });
        }
    }
}

/// The range every widget shows unless it has its own: the chosen one, else the dashboard's.
pub fn dashboard_range(body: &DashboardBody, request: &RenderRequest<'_>) -> Option<(i64, i64)> {
    request.range.or_else(|| {
        let start = body.start?.resolve(request.now_ms);
        let end = body.end.map_or(request.now_ms, |end| end.resolve(request.now_ms));
        (start < end).then_some((start, end))
    })
}

/// Renders every widget of `body`; a widget whose data cannot be fetched shows why instead of failing the page.
pub async fn render(
    source: &impl MetricDataSource,
    alarms: &impl AlarmSource,
    body: &DashboardBody,
    request: &RenderRequest<'_>,
) -> RenderedDashboard {
    let shared = dashboard_range(body, request);
    let (start_ms, end_ms) = shared.unwrap_or((DEFAULT_START.resolve(request.now_ms), request.now_ms));
    let arns = alarm_arns(body);
    let facts = if arns.is_empty() { Vec::new() } else { alarms.alarms(arns, (start_ms, end_ms)).await };
    let facts = &facts;
    let choice = match body.period_override {
        Some(PeriodOverride::Inherit) => PeriodChoice::AsWritten,
        Some(PeriodOverride::Auto) | None => PeriodChoice::Auto { max_points: AUTO_MAX_POINTS },
    };
    // Placing up to 500 widgets is CPU work: off the async runtime.
    let placements = {
        let body = body.clone();
        tokio::task::spawn_blocking(move || body.layout()).await.unwrap_or_default()
    };
    let widgets = body.widgets.iter().zip(placements).map(|(widget, place)| async move {
        let (title, content) = match &widget.kind {
            WidgetKind::Metric(metric) => {
                let metric = with_alarm_metric(metric, facts);
                let range = shared.unwrap_or_else(|| own_range(&metric, request.now_ms));
                let mut content = metric_content(source, &metric, range, choice, request).await;
                if let WidgetContent::Chart { chart, .. } = &mut content {
                    annotate(chart, &metric, facts);
                }
                (metric.title.clone(), content)
            }
            WidgetKind::Text(text) => {
                (None, WidgetContent::Text { html: to_safe_html(&text.markdown), transparent: text.transparent })
            }
            WidgetKind::Alarm(alarm) => (
                Some(alarm.title.clone().unwrap_or_else(|| "Alarm status".to_owned())),
                WidgetContent::Alarms {
                    alarms: alarm
                        .alarms
                        .iter()
                        .map(|arn| AlarmRow {
                            name: alarm_name(arn).to_owned(),
                            arn: arn.clone(),
                            state: facts.iter().find(|f| &f.arn == arn).map(|f| f.state.clone()),
                        })
                        .collect(),
                },
            ),
            WidgetKind::Log(log) => (
                Some(log.title.clone().unwrap_or_else(|| "Logs Insights".to_owned())),
                WidgetContent::Log { query: log.query.clone(), region: log.region.clone() },
            ),
        };
        RenderedWidget { x: place.x, y: place.y, width: place.width, height: place.height, title, content }
    });
    RenderedDashboard { start_ms, end_ms, widgets: join_all(widgets).await }
}

/// The name in an alarm ARN (`arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`): everything after the
/// sixth colon, since names may contain colons; the whole text when it is not an ARN.
fn alarm_name(arn: &str) -> &str {
    arn.splitn(7, ':').nth(6).filter(|name| !name.is_empty()).unwrap_or(arn)
}

/// A widget's own `start`/`end`, else the last three hours.
fn own_range(widget: &MetricWidget, now_ms: i64) -> (i64, i64) {
    widget.time_range_ms(now_ms).unwrap_or((DEFAULT_START.resolve(now_ms), now_ms))
}

async fn metric_content(
    source: &impl MetricDataSource,
    widget: &MetricWidget,
    range: (i64, i64),
    choice: PeriodChoice,
    request: &RenderRequest<'_>,
) -> WidgetContent {
    match widget_data(source, request.account, request.region, widget, range, request.now_ms, choice).await {
        Ok(data) => {
            let mut chart = Chart::from_widget(widget, data.series, range, Theme::Light);
            // The dashboard, not the widget JSON, decides the size; only a title inside the chart would repeat
            // the widget header.
            chart.title = None;
            WidgetContent::Chart { chart: Box::new(chart), period_seconds: data.period_seconds }
        }
        Err(error) => WidgetContent::Error { message: error.to_string() },
    }
}
