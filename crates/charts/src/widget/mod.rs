//! The CloudWatch metric widget JSON: the `MetricWidget` parameter of GetMetricWidgetImage and the `properties` of a
//! dashboard `metric` widget. [`MetricWidget::parse`] validates it with errors that name the JSON path.

mod annotations;
mod axis;
mod error;
pub mod json;
mod metrics;
mod table;
pub mod time;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

pub use annotations::{Annotations, BandEnd, HorizontalAnnotation, VerticalAnnotation};
pub use axis::{YAxes, YAxisSettings};
pub use error::{JsonPath, PathSegment, WidgetError};
pub use metrics::{AxisSide, ExpressionRow, MAX_DIMENSIONS, MAX_METRICS, MetricEntry, MetricRow, RenderOptions};
pub use table::TableSettings;
pub use time::{TimeError, TimeSpec, parse_iso_duration};

use crate::view::{LegendPosition, View};
use json::{Obj, Result};

/// The statistic when neither the widget nor the row names one.
pub const DEFAULT_STAT: &str = "Average";
/// The period in seconds when neither the widget nor the row gives one.
pub const DEFAULT_PERIOD: u32 = 300;
/// GetMetricWidgetImage's image width when the widget gives none.
pub const DEFAULT_WIDTH: u32 = 600;
/// GetMetricWidgetImage's image height when the widget gives none.
pub const DEFAULT_HEIGHT: u32 = 400;
/// The largest image side GetMetricWidgetImage draws.
pub const MAX_SIDE: u32 = 2000;
/// The time range start when the widget gives none: three hours ago.
pub const DEFAULT_START: TimeSpec = TimeSpec::Relative { offset_ms: -3 * 3_600_000 };

/// A parsed, validated metric widget with every metric row expanded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricWidget {
    /// `metrics`: the rows in order.
    pub metrics: Vec<MetricEntry>,
    /// `annotations`.
    pub annotations: Annotations,
    /// `view` (default `timeSeries`).
    pub view: View,
    /// `stacked`: stacked areas instead of lines.
    pub stacked: bool,
    /// `stat`: the default statistic of the rows.
    pub stat: Option<String>,
    /// `period`: the default period of the rows, in seconds.
    pub period: Option<u32>,
    /// `region`.
    pub region: Option<String>,
    /// `accountId`.
    pub account_id: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `width`: image width in pixels (GetMetricWidgetImage), 1–2000.
    pub width: Option<u32>,
    /// `height`: image height in pixels (GetMetricWidgetImage), 1–2000.
    pub height: Option<u32>,
    /// `start` (default `-PT3H`).
    pub start: Option<TimeSpec>,
    /// `end` (default now).
    pub end: Option<TimeSpec>,
    /// `timezone`, in minutes east of UTC (default UTC).
    pub timezone_minutes: Option<i32>,
    /// `yAxis`.
    pub y_axis: YAxes,
    /// `legend.position` (default bottom).
    pub legend: LegendPosition,
    /// `liveData`.
    pub live_data: bool,
    /// `setPeriodToTimeRange`: one value over the whole range (single value, bar, pie).
    pub set_period_to_time_range: bool,
    /// `sparkline`: a small graph under single values.
    pub sparkline: bool,
    /// `singleValueFullPrecision`.
    pub single_value_full_precision: bool,
    /// `table`: settings of the table view.
    pub table: Option<TableSettings>,
}

const VIEWS: [(&str, View); 6] = [
    ("timeSeries", View::TimeSeries),
    ("singleValue", View::SingleValue),
    ("gauge", View::Gauge),
    ("bar", View::Bar),
    ("pie", View::Pie),
    ("table", View::Table),
];
const LEGENDS: [(&str, LegendPosition); 3] =
    [("bottom", LegendPosition::Bottom), ("right", LegendPosition::Right), ("hidden", LegendPosition::Hidden)];

impl MetricWidget {
    /// Parses and validates the JSON text of a metric widget.
    pub fn parse(text: &str) -> std::result::Result<Self, WidgetError> {
        let value: Value = serde_json::from_str(text).map_err(|error| WidgetError::Json(error.to_string()))?;
        Self::from_value(&value)
    }

    /// Validates an already parsed JSON value.
    pub fn from_value(value: &Value) -> std::result::Result<Self, WidgetError> {
        let obj = Obj::new(value, JsonPath::root())?;
        let annotations = obj.obj("annotations")?.map(|a| Annotations::parse(&a)).transpose()?.unwrap_or_default();
        let metrics = match obj.get("metrics") {
            Some(value) => metrics::parse_metrics(value, &obj.path_of("metrics"))?,
            None if !annotations.alarms.is_empty() => Vec::new(),
            None => return Err(WidgetError::invalid(JsonPath::root(), "Should have required property 'metrics'")),
        };
        if metrics.is_empty() && annotations.alarms.is_empty() {
            return Err(WidgetError::invalid(obj.path_of("metrics"), "Should NOT have fewer than 1 items"));
        }
        let side = |key: &str| -> Result<Option<u32>> {
            Ok(obj.int_in(key, 1, i64::from(MAX_SIDE))?.and_then(|side| u32::try_from(side).ok()))
        };
        let widget = MetricWidget {
            metrics,
            annotations,
            view: obj.one_of("view", &VIEWS)?.unwrap_or_default(),
            stacked: obj.bool("stacked")?.unwrap_or(false),
            stat: obj.non_empty_string("stat")?,
            period: json::period(&obj, "period")?,
            region: obj.non_empty_string("region")?,
            account_id: obj.non_empty_string("accountId")?,
            title: obj.string("title")?,
            width: side("width")?,
            height: side("height")?,
            start: time_spec(&obj, "start")?,
            end: time_spec(&obj, "end")?,
            timezone_minutes: obj
                .str("timezone")?
                .map(|text| {
                    time::parse_timezone(text).map_err(|_| {
                        WidgetError::invalid(obj.path_of("timezone"), "Should match pattern \"^[+-][0-9]{4}$\"")
                    })
                })
                .transpose()?,
            y_axis: obj.obj("yAxis")?.map(|axes| YAxes::parse(&axes)).transpose()?.unwrap_or_default(),
            legend: match obj.obj("legend")? {
                Some(legend) => legend.one_of("position", &LEGENDS)?.unwrap_or_default(),
                None => LegendPosition::default(),
            },
            live_data: obj.bool("liveData")?.unwrap_or(false),
            set_period_to_time_range: obj.bool("setPeriodToTimeRange")?.unwrap_or(false),
            sparkline: obj.bool("sparkline")?.unwrap_or(false),
            single_value_full_precision: obj.bool("singleValueFullPrecision")?.unwrap_or(false),
            table: obj.obj("table")?.map(|table| TableSettings::parse(&table)).transpose()?,
        };
        Ok(widget)
    }

    /// The statistic of a row: its own, else the widget's, else `Average`.
    pub fn stat_for<'a>(&'a self, options: &'a RenderOptions) -> &'a str {
        options.stat.as_deref().or(self.stat.as_deref()).unwrap_or(DEFAULT_STAT)
    }

    /// The period of a row in seconds: its own, else the widget's, else 300.
    pub fn period_for(&self, options: &RenderOptions) -> u32 {
        options.period.or(self.period).unwrap_or(DEFAULT_PERIOD)
    }

    /// The image size, defaulting to 600×400.
    pub fn image_size(&self) -> (u32, u32) {
        (self.width.unwrap_or(DEFAULT_WIDTH), self.height.unwrap_or(DEFAULT_HEIGHT))
    }

    /// The `[start, end)` range in epoch milliseconds at `now_ms`; `start` defaults to three hours ago and `end` to
    /// now. Fails when the start is not before the end.
    pub fn time_range_ms(&self, now_ms: i64) -> std::result::Result<(i64, i64), WidgetError> {
        let start = self.start.unwrap_or(DEFAULT_START).resolve(now_ms);
        let end = self.end.map_or(now_ms, |end| end.resolve(now_ms));
        if start >= end {
            return Err(WidgetError::invalid(JsonPath::root().key("start"), "Should be before end"));
        }
        Ok((start, end))
    }

    /// The expanded JSON form (no `"."` shorthand; defaults left out).
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("metrics".into(), self.metrics.iter().map(MetricEntry::to_json).collect());
        if !self.annotations.is_empty() {
            map.insert("annotations".into(), self.annotations.to_json());
        }
        map.insert("view".into(), json!(self.view.as_str()));
        map.insert("stacked".into(), json!(self.stacked));
        let strings =
            [("stat", &self.stat), ("region", &self.region), ("accountId", &self.account_id), ("title", &self.title)];
        for (key, value) in strings {
            if let Some(value) = value {
                map.insert(key.into(), json!(value));
            }
        }
        let numbers = [("period", self.period), ("width", self.width), ("height", self.height)];
        for (key, value) in numbers {
            if let Some(value) = value {
                map.insert(key.into(), json!(value));
            }
        }
        if let Some(start) = self.start {
            map.insert("start".into(), json!(start.to_json_string()));
        }
        if let Some(end) = self.end {
            map.insert("end".into(), json!(end.to_json_string()));
        }
        if let Some(minutes) = self.timezone_minutes {
            map.insert("timezone".into(), json!(time::format_timezone(minutes)));
        }
        if !self.y_axis.is_empty() {
            map.insert("yAxis".into(), self.y_axis.to_json());
        }
        if let Some(table) = &self.table {
            map.insert("table".into(), table.to_json());
        }
        if self.legend != LegendPosition::Bottom {
            map.insert("legend".into(), json!({ "position": self.legend.as_str() }));
        }
        let flags = [
            ("liveData", self.live_data),
            ("setPeriodToTimeRange", self.set_period_to_time_range),
            ("sparkline", self.sparkline),
            ("singleValueFullPrecision", self.single_value_full_precision),
        ];
        for (key, value) in flags {
            if value {
                map.insert(key.into(), json!(true));
            }
        }
        Value::Object(map)
    }
}

fn time_spec(obj: &Obj<'_>, key: &str) -> Result<Option<TimeSpec>> {
    obj.str(key)?
        .map(|text| {
            TimeSpec::parse(text).map_err(|_| {
                WidgetError::invalid(
                    obj.path_of(key),
                    "Should be an ISO 8601 time such as 2018-04-25T12:00:00.000Z or a relative time such as -PT3H",
                )
            })
        })
        .transpose()
}

impl Serialize for MetricWidget {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for MetricWidget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        MetricWidget::from_value(&value).map_err(D::Error::custom)
    }
}
