//! One widget of the grid: its `type`, position (`x`, `y`), size (`width`, `height`) and `properties`.

use serde_json::{Map, Value, json};
use skywatch_charts::widget::json::Obj;
use skywatch_charts::widget::{JsonPath, MetricWidget, WidgetError};

use super::kinds::{AlarmWidget, LogWidget, TextWidget, keep};
use super::message::{ValidationMessage, checked};

/// The columns of the dashboard grid.
pub const GRID_COLUMNS: u32 = 24;
/// The tallest widget, in grid rows.
pub const MAX_HEIGHT: u32 = 1000;
/// A widget's width and height when the body gives none.
pub const DEFAULT_SIZE: u32 = 6;
/// The widget types a dashboard accepts.
pub const WIDGET_TYPES: [&str; 4] = ["metric", "text", "alarm", "log"];

/// A widget with its place on the 24-column grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Widget {
    /// What the widget shows.
    pub kind: WidgetKind,
    /// `x`: the column of its left edge, 0–23 (next free place when absent).
    pub x: Option<u32>,
    /// `y`: the row of its top edge (next free place when absent).
    pub y: Option<u32>,
    /// `width` in columns, 1–24 (default 6).
    pub width: u32,
    /// `height` in rows, 1–1000 (default 6).
    pub height: u32,
}

/// The widget `type` with its `properties`.
#[derive(Debug, Clone, PartialEq)]
pub enum WidgetKind {
    /// `metric`: a graph of metrics.
    Metric(Box<MetricWidget>),
    /// `text`: markdown.
    Text(TextWidget),
    /// `alarm`: the status of a list of alarms.
    Alarm(AlarmWidget),
    /// `log`: a Logs Insights query.
    Log(LogWidget),
}

impl WidgetKind {
    /// The `type` spelling.
    pub fn type_name(&self) -> &'static str {
        match self {
            WidgetKind::Metric(_) => "metric",
            WidgetKind::Text(_) => "text",
            WidgetKind::Alarm(_) => "alarm",
            WidgetKind::Log(_) => "log",
        }
    }

    /// The `properties` object.
    pub fn properties_json(&self) -> Value {
        match self {
            WidgetKind::Metric(metric) => metric.to_json(),
            WidgetKind::Text(text) => text.to_json(),
            WidgetKind::Alarm(alarm) => alarm.to_json(),
            WidgetKind::Log(log) => log.to_json(),
        }
    }
}

impl Widget {
    /// A widget of `kind` with default size and automatic placement.
    pub fn new(kind: WidgetKind) -> Self {
        Self { kind, x: None, y: None, width: DEFAULT_SIZE, height: DEFAULT_SIZE }
    }

    /// The widget as dashboard body JSON (properties in their expanded form).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("type".into(), json!(self.kind.type_name()));
        if let Some(x) = self.x {
            map.insert("x".into(), json!(x));
        }
        if let Some(y) = self.y {
            map.insert("y".into(), json!(y));
        }
        map.insert("width".into(), json!(self.width));
        map.insert("height".into(), json!(self.height));
        map.insert("properties".into(), self.kind.properties_json());
        Value::Object(map)
    }

    /// Parses the widget at `path` (`/widgets/{i}`), collecting every problem.
    pub(crate) fn parse(value: &Value, path: JsonPath) -> Result<Self, Vec<ValidationMessage>> {
        let fields = checked(Obj::new(value, path)).map_err(|message| vec![message])?;
        let mut errors = Vec::new();
        let type_name =
            keep(&mut errors, checked(fields.required("type").and_then(|_| fields.one_of_str("type", &WIDGET_TYPES))))
                .flatten();
        let to_u32 = |number: i64| u32::try_from(number).unwrap_or(u32::MAX);
        let int_in = |key: &str, min: u32, max: u32| checked(fields.int_in(key, i64::from(min), i64::from(max)));
        let x = keep(&mut errors, int_in("x", 0, GRID_COLUMNS - 1)).flatten().map(to_u32);
        let y = keep(&mut errors, int_in("y", 0, u32::MAX)).flatten().map(to_u32);
        let width = keep(&mut errors, int_in("width", 1, GRID_COLUMNS)).flatten().map(to_u32);
        let height = keep(&mut errors, int_in("height", 1, MAX_HEIGHT)).flatten().map(to_u32);
        let (width, height) = (width.unwrap_or(DEFAULT_SIZE), height.unwrap_or(DEFAULT_SIZE));
        if let Some(x) = x
            && x + width > GRID_COLUMNS
        {
            errors.push(ValidationMessage::at(&fields.path_of("x"), format!("Should be <= {}", GRID_COLUMNS - width)));
        }
        let kind = type_name.and_then(|type_name| {
            let properties = keep(&mut errors, checked(fields.required("properties")))?;
            let properties_path = fields.path_of("properties");
            let parsed = parse_kind(type_name, properties, properties_path);
            parsed.map_err(|messages| errors.extend(messages)).ok()
        });
        match kind {
            Some(kind) if errors.is_empty() => Ok(Self { kind, x, y, width, height }),
            _ => Err(errors),
        }
    }
}

fn parse_kind(type_name: &str, properties: &Value, path: JsonPath) -> Result<WidgetKind, Vec<ValidationMessage>> {
    if type_name == "metric" {
        return MetricWidget::from_value(properties)
            .map(|metric| WidgetKind::Metric(Box::new(metric)))
            .map_err(|error| vec![metric_message(&error, &path)]);
    }
    let fields = checked(Obj::new(properties, path)).map_err(|message| vec![message])?;
    match type_name {
        "text" => TextWidget::parse(&fields).map(WidgetKind::Text),
        "alarm" => AlarmWidget::parse(&fields).map(WidgetKind::Alarm),
        _ => LogWidget::parse(&fields).map(WidgetKind::Log),
    }
}

/// The metric widget parser's error with its path under the widget's `properties`.
fn metric_message(error: &WidgetError, properties_path: &JsonPath) -> ValidationMessage {
    let pointer = error.path().map(|path| path.json_pointer()).unwrap_or_default();
    ValidationMessage::new(format!("{}{pointer}", properties_path.json_pointer()), error.message())
}
