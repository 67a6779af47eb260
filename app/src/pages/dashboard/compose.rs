//! Building a metric widget's JSON from the console's choices (metrics, view, statistic, period, title): shared
//! by the dashboard's Add widget dialog and the Metrics page's "Add to dashboard".

use serde_json::{Map, Value, json};

use crate::api::MetricId;

/// The views a metric widget offers: (key, label, `view`, `stacked`).
pub const VIEW_CHOICES: [(&str, &str, &str, bool); 7] = [
    ("line", "Line", "timeSeries", false),
    ("stacked", "Stacked area", "timeSeries", true),
    ("number", "Number", "singleValue", false),
    ("gauge", "Gauge", "gauge", false),
    ("bar", "Bar", "bar", false),
    ("pie", "Pie", "pie", false),
    ("table", "Table", "table", false),
];

/// The metric row of the shorthand: `[namespace, name, dim, value, …]`.
pub fn metric_row(metric: &MetricId) -> Value {
    let mut row = vec![json!(metric.namespace), json!(metric.metric_name)];
    for (name, value) in &metric.dimensions {
        row.push(json!(name));
        row.push(json!(value));
    }
    Value::Array(row)
}

/// Writes the view choice, statistic, period and title into `properties`.
pub fn apply_choices(properties: &mut Map<String, Value>, view_key: &str, stat: &str, period: i64, title: &str) {
    if let Some((_, _, view, stacked)) = VIEW_CHOICES.iter().find(|(key, ..)| *key == view_key) {
        properties.insert("view".into(), json!(view));
        properties.insert("stacked".into(), json!(stacked));
        if *view == "gauge" {
            let has_range = properties
                .get("yAxis")
                .and_then(|a| a.get("left"))
                .is_some_and(|left| left.get("min").is_some() && left.get("max").is_some());
            if !has_range {
                properties.insert("yAxis".into(), json!({ "left": { "min": 0, "max": 100 } }));
            }
        }
    }
    properties.insert("stat".into(), json!(stat));
    properties.insert("period".into(), json!(period));
    if title.trim().is_empty() {
        properties.remove("title");
    } else {
        properties.insert("title".into(), json!(title.trim()));
    }
}

/// The key of `VIEW_CHOICES` for a widget's `view` and `stacked`.
pub fn view_key(view: &str, stacked: bool) -> &'static str {
    VIEW_CHOICES.iter().find(|(_, _, v, s)| *v == view && (*s == stacked || *v != "timeSeries")).map_or("line", |c| c.0)
}

/// The choices for a new metric widget.
#[derive(Debug, Clone)]
pub struct MetricWidget<'a> {
    pub metrics: &'a [MetricId],
    pub region: &'a str,
    /// A key of `VIEW_CHOICES`.
    pub view_key: &'a str,
    pub stat: &'a str,
    pub period: i64,
    pub title: &'a str,
}

impl MetricWidget<'_> {
    /// The widget object (without a place) and the width and height it starts with: numbers and gauges are
    /// small, charts half the grid wide.
    pub fn build(&self) -> (Value, u32, u32) {
        let mut properties = Map::new();
        properties.insert("metrics".into(), Value::Array(self.metrics.iter().map(metric_row).collect()));
        properties.insert("region".into(), json!(self.region));
        apply_choices(&mut properties, self.view_key, self.stat, self.period, self.title);
        let (width, height) = if matches!(self.view_key, "number" | "gauge") { (6, 5) } else { (12, 6) };
        (json!({ "type": "metric", "properties": Value::Object(properties) }), width, height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(name: &str, dims: &[(&str, &str)]) -> MetricId {
        MetricId {
            namespace: "Shop".into(),
            metric_name: name.into(),
            dimensions: dims.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect(),
        }
    }

    #[test]
    fn a_stacked_widget_of_two_metrics_is_a_valid_body() {
        let metrics = [metric("Latency", &[("Service", "orders")]), metric("Latency", &[("Service", "payments")])];
        let choices = MetricWidget {
            metrics: &metrics,
            region: "eu-west-1",
            view_key: "stacked",
            stat: "p99",
            period: 60,
            title: " Latency ",
        };
        let (widget, width, height) = choices.build();
        assert_eq!((width, height), (12, 6));
        assert_eq!(widget["properties"]["metrics"][1], json!(["Shop", "Latency", "Service", "payments"]));
        assert_eq!(widget["properties"]["view"], "timeSeries");
        assert_eq!(widget["properties"]["stacked"], true);
        assert_eq!(widget["properties"]["title"], "Latency");
        let body =
            skywatch_dashboards::edit::append_widget(skywatch_dashboards::edit::EMPTY_BODY, &[], widget, width, height)
                .expect("appends");
        assert!(skywatch_dashboards::parse_body(&body).is_ok(), "{body}");
    }

    #[test]
    fn a_gauge_gets_a_range_and_a_number_is_small() {
        let metrics = [metric("CPU", &[])];
        let gauge = MetricWidget {
            metrics: &metrics,
            region: "us-east-1",
            view_key: "gauge",
            stat: "Average",
            period: 300,
            title: "",
        };
        let (widget, width, height) = gauge.build();
        assert_eq!((width, height), (6, 5));
        assert_eq!(widget["properties"]["yAxis"], json!({ "left": { "min": 0, "max": 100 } }));
        assert!(widget["properties"].get("title").is_none());
        assert_eq!(view_key("singleValue", false), "number");
        assert_eq!(view_key("timeSeries", true), "stacked");
        assert_eq!(view_key("nonsense", false), "line");
    }
}
