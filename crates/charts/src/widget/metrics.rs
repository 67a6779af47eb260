//! The `metrics` array: shorthand rows (`["AWS/EC2", "CPUUtilization", "InstanceId", "i-1", {...}]`, with `"."`
//! and `"..."` repeating the previous metric) and expression rows, parsed into fully expanded entries.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use skywatch_model::MetricId;

use super::error::{JsonPath, WidgetError};
use super::json::{Obj, Result, as_array, as_str, color, period};

/// The most rows a widget may have.
pub const MAX_METRICS: usize = 100;
/// The most dimensions a metric may have.
pub const MAX_DIMENSIONS: usize = 30;

/// Which y axis a metric or annotation belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AxisSide {
    /// The left axis (the default).
    #[default]
    Left,
    /// The right axis.
    Right,
}

impl AxisSide {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AxisSide::Left => "left",
            AxisSide::Right => "right",
        }
    }

    pub(crate) const CHOICES: [(&'static str, AxisSide); 2] = [("left", AxisSide::Left), ("right", AxisSide::Right)];
}

/// The rendering properties object at the end of a row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderOptions {
    /// `id`: the name metric math refers to this row by.
    pub id: Option<String>,
    /// `label`: the legend text.
    pub label: Option<String>,
    /// `color`: `#rrggbb` (or `#rgb`).
    pub color: Option<String>,
    /// `stat`: overrides the widget's statistic.
    pub stat: Option<String>,
    /// `period`: overrides the widget's period, in seconds.
    pub period: Option<u32>,
    /// `region`: overrides the widget's region.
    pub region: Option<String>,
    /// `accountId`: the account the metric is read from.
    pub account_id: Option<String>,
    /// `visible`: `false` fetches the row (for expressions) but does not draw it.
    pub visible: Option<bool>,
    /// `yAxis`: which axis the row is drawn against.
    pub y_axis: Option<AxisSide>,
}

impl RenderOptions {
    /// Whether the row is drawn (`visible` defaults to true).
    pub fn is_visible(&self) -> bool {
        self.visible.unwrap_or(true)
    }

    /// Whether the row is drawn against the right axis.
    pub fn on_right_axis(&self) -> bool {
        self.y_axis == Some(AxisSide::Right)
    }

    fn is_empty(&self) -> bool {
        *self == RenderOptions::default()
    }

    fn parse(obj: &Obj<'_>) -> Result<Self> {
        let id = obj.non_empty_string("id")?;
        if let Some(id) = &id {
            let mut chars = id.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                return Err(WidgetError::invalid(obj.path_of("id"), "Should match pattern \"^[a-z][a-zA-Z0-9_]*$\""));
            }
        }
        Ok(Self {
            id,
            label: obj.string("label")?,
            color: color(obj, "color")?,
            stat: obj.non_empty_string("stat")?,
            period: period(obj, "period")?,
            region: obj.non_empty_string("region")?,
            account_id: obj.non_empty_string("accountId")?,
            visible: obj.bool("visible")?,
            y_axis: obj.one_of("yAxis", &AxisSide::CHOICES)?,
        })
    }

    fn write_json(&self, map: &mut Map<String, Value>) {
        let strings = [
            ("id", &self.id),
            ("label", &self.label),
            ("color", &self.color),
            ("stat", &self.stat),
            ("region", &self.region),
            ("accountId", &self.account_id),
        ];
        for (key, value) in strings {
            if let Some(value) = value {
                map.insert(key.to_string(), json!(value));
            }
        }
        if let Some(period) = self.period {
            map.insert("period".to_string(), json!(period));
        }
        if let Some(visible) = self.visible {
            map.insert("visible".to_string(), json!(visible));
        }
        if let Some(side) = self.y_axis {
            map.insert("yAxis".to_string(), json!(side.as_str()));
        }
    }
}

/// A metric row with every `"."` and `"..."` resolved: a metric (dimensions in the order given) with its rendering
/// options. A row reads as its metric (`row.namespace`, `row.metric_name`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricRow {
    pub metric: MetricId,
    /// The rendering properties.
    pub options: RenderOptions,
}

impl std::ops::Deref for MetricRow {
    type Target = MetricId;

    fn deref(&self) -> &MetricId {
        &self.metric
    }
}

/// A metric math row: `[{"expression": "SUM(METRICS())", "label": "Total", "id": "e1"}]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpressionRow {
    /// The metric math expression.
    pub expression: String,
    /// The other rendering properties.
    pub options: RenderOptions,
}

/// One row of the `metrics` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricEntry {
    /// A stored metric.
    Metric(MetricRow),
    /// A metric math expression.
    Expression(ExpressionRow),
}

impl MetricEntry {
    /// The rendering properties of either kind of row.
    pub fn options(&self) -> &RenderOptions {
        match self {
            MetricEntry::Metric(row) => &row.options,
            MetricEntry::Expression(row) => &row.options,
        }
    }

    /// The legend text CloudWatch shows by default: the `label`, else the metric name, else the expression.
    pub fn display_label(&self) -> String {
        match self {
            MetricEntry::Metric(row) => row.options.label.clone().unwrap_or_else(|| row.metric_name.clone()),
            MetricEntry::Expression(row) => row.options.label.clone().unwrap_or_else(|| row.expression.clone()),
        }
    }

    /// The expanded JSON row, without shorthand.
    pub fn to_json(&self) -> Value {
        match self {
            MetricEntry::Metric(row) => {
                let mut items = vec![json!(row.namespace), json!(row.metric_name)];
                for (name, value) in &row.dimensions {
                    items.push(json!(name));
                    items.push(json!(value));
                }
                if !row.options.is_empty() {
                    let mut map = Map::new();
                    row.options.write_json(&mut map);
                    items.push(Value::Object(map));
                }
                Value::Array(items)
            }
            MetricEntry::Expression(row) => {
                let mut map = Map::new();
                map.insert("expression".to_string(), json!(row.expression));
                row.options.write_json(&mut map);
                json!([Value::Object(map)])
            }
        }
    }
}

/// Parses the `metrics` array found at `path`.
pub(crate) fn parse_metrics(value: &Value, path: &JsonPath) -> Result<Vec<MetricEntry>> {
    let rows = as_array(value, path)?;
    if rows.len() > MAX_METRICS {
        return Err(WidgetError::invalid(path.clone(), format!("Should NOT have more than {MAX_METRICS} items")));
    }
    let mut entries = Vec::with_capacity(rows.len());
    let mut previous: Option<Vec<String>> = None;
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        let row_path = path.index(index);
        let entry = parse_row(row, &row_path, &mut previous)?;
        if let Some(id) = &entry.options().id {
            if let Some(first) = ids.get(id) {
                let options_index = row.as_array().map_or(0, |items| items.len().saturating_sub(1));
                return Err(WidgetError::invalid(
                    row_path.index(options_index).key("id"),
                    format!("Should be unique: '{id}' is already the id of {}", path.index(*first)),
                ));
            }
            ids.insert(id.clone(), index);
        }
        entries.push(entry);
    }
    Ok(entries)
}

fn parse_row(row: &Value, path: &JsonPath, previous: &mut Option<Vec<String>>) -> Result<MetricEntry> {
    let items = as_array(row, path)?;
    let Some(first) = items.first() else {
        return Err(WidgetError::invalid(path.clone(), "Should NOT have fewer than 1 items"));
    };
    if first.is_object() {
        return parse_expression_row(items, path);
    }
    let (strings, options) = match items.split_last() {
        Some((Value::Object(map), strings)) => (strings, Some(Obj::from_map(map, path.index(items.len() - 1)))),
        _ => (items.as_slice(), None),
    };
    let options = match options {
        Some(obj) => {
            if obj.contains("expression") {
                return Err(WidgetError::invalid(
                    obj.path_of("expression"),
                    "Should NOT be in a metric row: an expression goes alone in its own row",
                ));
            }
            RenderOptions::parse(&obj)?
        }
        None => RenderOptions::default(),
    };
    let raw: Vec<&str> =
        strings.iter().enumerate().map(|(i, item)| as_str(item, &path.index(i))).collect::<Result<_>>()?;
    let (expanded, sources) = expand(&raw, path, previous.as_deref())?;
    let row = to_metric_row(&expanded, &sources, path, options)?;
    *previous = Some(expanded);
    Ok(MetricEntry::Metric(row))
}

fn parse_expression_row(items: &[Value], path: &JsonPath) -> Result<MetricEntry> {
    if items.len() > 1 {
        return Err(WidgetError::invalid(path.clone(), "Should NOT have more than 1 items"));
    }
    let obj = Obj::new(&items[0], path.index(0))?;
    let expression_value = obj.required("expression")?;
    let expression = as_str(expression_value, &obj.path_of("expression"))?;
    if expression.trim().is_empty() {
        return Err(WidgetError::invalid(obj.path_of("expression"), "Should NOT be shorter than 1 characters"));
    }
    Ok(MetricEntry::Expression(ExpressionRow {
        expression: expression.to_string(),
        options: RenderOptions::parse(&obj)?,
    }))
}

/// Resolves `"..."` (the previous metric's items that fill the row up to its length) and `"."` (the previous
/// metric's item at the same position). Returns the items and, for each, the index it came from in the row.
fn expand(raw: &[&str], path: &JsonPath, previous: Option<&[String]>) -> Result<(Vec<String>, Vec<usize>)> {
    let mut expanded: Vec<String> = Vec::with_capacity(raw.len());
    let mut sources = Vec::with_capacity(raw.len());
    let mut seen_ellipsis = false;
    for (index, item) in raw.iter().enumerate() {
        match *item {
            "..." => {
                if seen_ellipsis {
                    return Err(WidgetError::invalid(path.index(index), "'...' may appear only once in a row"));
                }
                seen_ellipsis = true;
                let Some(previous) = previous else {
                    return Err(WidgetError::invalid(path.index(index), "'...' has no previous metric to repeat"));
                };
                let after = raw.len() - index - 1;
                let from = expanded.len();
                let to = previous.len().saturating_sub(after);
                if to < from {
                    return Err(WidgetError::invalid(
                        path.index(index),
                        format!("'...' has nothing to repeat: the previous metric has only {} items", previous.len()),
                    ));
                }
                expanded.extend(previous[from..to].iter().cloned());
                sources.extend(std::iter::repeat_n(index, to - from));
            }
            "." => {
                let position = expanded.len();
                let Some(value) = previous.and_then(|previous| previous.get(position)) else {
                    return Err(WidgetError::invalid(
                        path.index(index),
                        "'.' has no value at this position in the previous metric to repeat",
                    ));
                };
                expanded.push(value.clone());
                sources.push(index);
            }
            other => {
                expanded.push(other.to_string());
                sources.push(index);
            }
        }
    }
    Ok((expanded, sources))
}

fn to_metric_row(items: &[String], sources: &[usize], path: &JsonPath, options: RenderOptions) -> Result<MetricRow> {
    if items.len() < 2 {
        return Err(WidgetError::invalid(
            path.clone(),
            "Should have a namespace and a metric name, or be an expression row [{\"expression\": ...}]",
        ));
    }
    if !items.len().is_multiple_of(2) {
        let name = &items[items.len() - 1];
        return Err(WidgetError::invalid(path.clone(), format!("Should have a value for the dimension '{name}'")));
    }
    let dimension_count = (items.len() - 2) / 2;
    if dimension_count > MAX_DIMENSIONS {
        return Err(WidgetError::invalid(
            path.clone(),
            format!("Should NOT have more than {MAX_DIMENSIONS} dimensions"),
        ));
    }
    for (position, item) in items.iter().enumerate() {
        if item.is_empty() {
            return Err(WidgetError::invalid(path.index(sources[position]), "Should NOT be shorter than 1 characters"));
        }
    }
    let dimensions = items[2..].chunks_exact(2).map(|pair| (pair[0].clone(), pair[1].clone())).collect();
    Ok(MetricRow { metric: MetricId::new(items[0].clone(), items[1].clone(), dimensions), options })
}
