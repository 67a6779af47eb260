//! Automatic dashboards: read-only overview bodies generated from the metric catalog.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The most metric widgets an overview holds.
pub const MAX_OVERVIEW_WIDGETS: usize = 24;
/// The most series one overview graph draws.
pub const MAX_OVERVIEW_SERIES: usize = 10;
const TILE_WIDTH: u32 = 8;
const TILE_HEIGHT: u32 = 6;
const HEADER_HEIGHT: u32 = 2;
const COLUMNS: usize = 3;

/// One metric of the catalog (one series: a name and its dimensions).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CatalogMetric {
    /// The metric name.
    pub metric_name: String,
    /// The dimensions as (name, value) pairs.
    pub dimensions: Vec<(String, String)>,
    /// The unit last seen for it, if any.
    pub unit: Option<String>,
}

/// The JSON body of a read-only overview of `namespace`: a text header, then one graph per metric name (at most 24,
/// sorted by name), each with up to 10 of that metric's series, in 8×6 tiles on three columns. Count metrics are
/// summed, others averaged.
pub fn namespace_overview(namespace: &str, metrics: &[CatalogMetric]) -> String {
    let mut by_name: BTreeMap<&str, Vec<&CatalogMetric>> = BTreeMap::new();
    for metric in metrics {
        by_name.entry(metric.metric_name.as_str()).or_default().push(metric);
    }
    let shown = by_name.len().min(MAX_OVERVIEW_WIDGETS);
    let more = if by_name.len() > shown { format!(" (the first {shown} of {})", by_name.len()) } else { String::new() };
    let mut widgets = vec![json!({
        "type": "text",
        "x": 0,
        "y": 0,
        "width": 24,
        "height": HEADER_HEIGHT,
        "properties": {
            "markdown": format!("# {namespace}\nAutomatic dashboard: {} metrics{more}, up to {MAX_OVERVIEW_SERIES} series each.", by_name.len()),
        },
    })];
    for (index, (name, series)) in by_name.into_iter().take(MAX_OVERVIEW_WIDGETS).enumerate() {
        let column = u32::try_from(index % COLUMNS).unwrap_or(0);
        let row = u32::try_from(index / COLUMNS).unwrap_or(0);
        let count = series.iter().any(|metric| metric.unit.as_deref() == Some("Count"));
        widgets.push(json!({
            "type": "metric",
            "x": column * TILE_WIDTH,
            "y": HEADER_HEIGHT + row * TILE_HEIGHT,
            "width": TILE_WIDTH,
            "height": TILE_HEIGHT,
            "properties": {
                "metrics": rows(namespace, name, series),
                "view": "timeSeries",
                "stacked": false,
                "stat": if count { "Sum" } else { "Average" },
                "period": 300,
                "title": name,
            },
        }));
    }
    json!({ "widgets": widgets }).to_string()
}

/// Up to ten rows of one metric, sorted by dimensions; rows after the first repeat namespace and name with `"."`.
fn rows(namespace: &str, name: &str, series: Vec<&CatalogMetric>) -> Vec<Value> {
    let mut dimension_sets: Vec<Vec<(String, String)>> = series
        .into_iter()
        .map(|metric| {
            let mut dimensions = metric.dimensions.clone();
            dimensions.sort();
            dimensions
        })
        .collect();
    dimension_sets.sort();
    dimension_sets.dedup();
    dimension_sets
        .into_iter()
        .take(MAX_OVERVIEW_SERIES)
        .enumerate()
        .map(|(index, dimensions)| {
            let (namespace, name) = if index == 0 { (namespace, name) } else { (".", ".") };
            let mut row = vec![json!(namespace), json!(name)];
            for (key, value) in dimensions {
                row.push(json!(key));
                row.push(json!(value));
            }
            Value::Array(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{WidgetKind, parse_body};

    fn metric(name: &str, dims: &[(&str, &str)], unit: Option<&str>) -> CatalogMetric {
        CatalogMetric {
            metric_name: name.into(),
            dimensions: dims.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            unit: unit.map(str::to_string),
        }
    }

    #[test]
    fn overview_parses_and_expands_the_shorthand() {
        let mut metrics = vec![metric("Latency", &[], None), metric("Errors", &[("Service", "b")], Some("Count"))];
        for index in 0..12 {
            metrics.push(metric("Errors", &[("Service", &format!("s{index:02}"))], Some("Count")));
        }
        let body = parse_body(&namespace_overview("App/Shop", &metrics)).expect("the overview is a valid body");
        assert_eq!(body.widgets.len(), 3);
        assert!(matches!(&body.widgets[0].kind, WidgetKind::Text(text) if text.markdown.starts_with("# App/Shop")));
        let WidgetKind::Metric(errors) = &body.widgets[1].kind else { panic!("second widget is a graph") };
        assert_eq!(errors.title.as_deref(), Some("Errors"));
        assert_eq!(errors.stat.as_deref(), Some("Sum"));
        assert_eq!(errors.metrics.len(), MAX_OVERVIEW_SERIES);
        let json = errors.to_json();
        assert_eq!(json["metrics"][3], json!(["App/Shop", "Errors", "Service", "s02"]));
        let WidgetKind::Metric(latency) = &body.widgets[2].kind else { panic!("third widget is a graph") };
        assert_eq!(latency.stat.as_deref(), Some("Average"));
        let places = body.layout();
        assert_eq!((places[1].x, places[1].y, places[2].x, places[2].y), (0, 2, 8, 2));
    }

    #[test]
    fn overview_caps_widgets_at_24_sorted_by_name() {
        let metrics: Vec<CatalogMetric> = (0..30).rev().map(|i| metric(&format!("M{i:02}"), &[], None)).collect();
        let body = parse_body(&namespace_overview("NS", &metrics)).expect("valid body");
        assert_eq!(body.widgets.len(), 1 + MAX_OVERVIEW_WIDGETS);
        let WidgetKind::Metric(first) = &body.widgets[1].kind else { panic!("a graph") };
        assert_eq!(first.title.as_deref(), Some("M00"));
        let last = body.layout()[MAX_OVERVIEW_WIDGETS];
        assert_eq!((last.x, last.y), (16, 2 + 7 * 6));
    }

    #[test]
    fn empty_namespace_is_a_header_only_body() {
        let body = parse_body(&namespace_overview("Empty", &[])).expect("valid body");
        assert_eq!(body.widgets.len(), 1);
    }
}
