//! The `annotations` object: horizontal lines or bands (thresholds), vertical lines or bands (events), and the
//! alarms a widget shows.

use serde_json::{Map, Value, json};

use super::error::{JsonPath, WidgetError};
use super::json::{Obj, Result, as_array, color};
use super::metrics::AxisSide;
use super::time::{TimeSpec, parse_iso_time};
use crate::view::{HFill, VFill};

/// A horizontal line, or a band when `band_end` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct HorizontalAnnotation {
    /// Where the line is on its axis.
    pub value: f64,
    /// Text drawn by the line.
    pub label: Option<String>,
    /// `#rrggbb`.
    pub color: Option<String>,
    /// Which side is shaded.
    pub fill: Option<HFill>,
    /// Whether it is drawn (default true).
    pub visible: bool,
    /// The axis `value` is on.
    pub y_axis: AxisSide,
    /// The other edge of a band: `[{"value": 10, ...}, {"value": 20, "label": ...}]`.
    pub band_end: Option<BandEnd<f64>>,
}

/// A vertical line at a time, or a band when `band_end` is set.
#[derive(Debug, Clone, PartialEq)]
pub struct VerticalAnnotation {
    /// The time of the line, epoch milliseconds.
    pub time_ms: i64,
    /// Text drawn by the line.
    pub label: Option<String>,
    /// `#rrggbb`.
    pub color: Option<String>,
    /// Which side is shaded.
    pub fill: Option<VFill>,
    /// Whether it is drawn (default true).
    pub visible: bool,
    /// The other edge of a band.
    pub band_end: Option<BandEnd<i64>>,
}

/// The second item of a band annotation.
#[derive(Debug, Clone, PartialEq)]
pub struct BandEnd<T> {
    /// Where the band ends.
    pub value: T,
    /// Its own label.
    pub label: Option<String>,
}

/// Everything under `annotations`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Annotations {
    /// `horizontal`.
    pub horizontal: Vec<HorizontalAnnotation>,
    /// `vertical`.
    pub vertical: Vec<VerticalAnnotation>,
    /// `alarms`: alarm ARNs whose thresholds (and, alone, whose metric) the widget shows.
    pub alarms: Vec<String>,
}

const H_FILLS: [(&str, HFill); 2] = [("above", HFill::Above), ("below", HFill::Below)];
const V_FILLS: [(&str, VFill); 2] = [("before", VFill::Before), ("after", VFill::After)];

impl Annotations {
    /// Whether there is nothing at all.
    pub fn is_empty(&self) -> bool {
        self.horizontal.is_empty() && self.vertical.is_empty() && self.alarms.is_empty()
    }

    pub(crate) fn parse(obj: &Obj<'_>) -> Result<Self> {
        let mut out = Annotations::default();
        for (index, item) in obj.array("horizontal")?.into_iter().flatten().enumerate() {
            out.horizontal.push(parse_horizontal(item, &obj.path_of("horizontal").index(index))?);
        }
        for (index, item) in obj.array("vertical")?.into_iter().flatten().enumerate() {
            out.vertical.push(parse_vertical(item, &obj.path_of("vertical").index(index))?);
        }
        for (index, item) in obj.array("alarms")?.into_iter().flatten().enumerate() {
            let path = obj.path_of("alarms").index(index);
            match item.as_str() {
                Some(arn) if !arn.is_empty() => out.alarms.push(arn.to_string()),
                Some(_) => return Err(WidgetError::invalid(path, "Should NOT be shorter than 1 characters")),
                None => return Err(WidgetError::invalid(path, "Should be string")),
            }
        }
        Ok(out)
    }

    /// The JSON form.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        if !self.horizontal.is_empty() {
            map.insert("horizontal".into(), self.horizontal.iter().map(horizontal_json).collect());
        }
        if !self.vertical.is_empty() {
            map.insert("vertical".into(), self.vertical.iter().map(vertical_json).collect());
        }
        if !self.alarms.is_empty() {
            map.insert("alarms".into(), json!(self.alarms));
        }
        Value::Object(map)
    }
}

/// One annotation item or the two objects of a band.
fn band_items<'a>(item: &'a Value, path: &JsonPath) -> Result<(Obj<'a>, Option<Obj<'a>>)> {
    if item.is_array() {
        let items = as_array(item, path)?;
        if items.len() != 2 {
            return Err(WidgetError::invalid(path.clone(), "Should have 2 items: the two edges of the band"));
        }
        return Ok((Obj::new(&items[0], path.index(0))?, Some(Obj::new(&items[1], path.index(1))?)));
    }
    Ok((Obj::new(item, path.clone())?, None))
}

fn parse_horizontal(item: &Value, path: &JsonPath) -> Result<HorizontalAnnotation> {
    let (first, second) = band_items(item, path)?;
    let value = required_number(&first)?;
    let band_end = match second {
        Some(end) => Some(BandEnd { value: required_number(&end)?, label: end.string("label")? }),
        None => None,
    };
    Ok(HorizontalAnnotation {
        value,
        label: first.string("label")?,
        color: color(&first, "color")?,
        fill: if band_end.is_some() { None } else { first.one_of("fill", &H_FILLS)? },
        visible: first.bool("visible")?.unwrap_or(true),
        y_axis: first.one_of("yAxis", &AxisSide::CHOICES)?.unwrap_or_default(),
        band_end,
    })
}

fn parse_vertical(item: &Value, path: &JsonPath) -> Result<VerticalAnnotation> {
    let (first, second) = band_items(item, path)?;
    let time_ms = required_time(&first)?;
    let band_end = match second {
        Some(end) => Some(BandEnd { value: required_time(&end)?, label: end.string("label")? }),
        None => None,
    };
    Ok(VerticalAnnotation {
        time_ms,
        label: first.string("label")?,
        color: color(&first, "color")?,
        fill: if band_end.is_some() { None } else { first.one_of("fill", &V_FILLS)? },
        visible: first.bool("visible")?.unwrap_or(true),
        band_end,
    })
}

fn required_number(obj: &Obj<'_>) -> Result<f64> {
    obj.required("value")?;
    obj.f64("value")?.ok_or_else(|| WidgetError::invalid(obj.path_of("value"), "Should be number"))
}

fn required_time(obj: &Obj<'_>) -> Result<i64> {
    obj.required("value")?;
    let text = obj.str("value")?.unwrap_or_default();
    parse_iso_time(text).map_err(|_| {
        WidgetError::invalid(obj.path_of("value"), "Should be an ISO 8601 time such as 2018-04-25T12:00:00.000Z")
    })
}

fn horizontal_json(annotation: &HorizontalAnnotation) -> Value {
    let mut map = Map::new();
    map.insert("value".into(), json!(annotation.value));
    insert_common(&mut map, &annotation.label, &annotation.color, annotation.visible);
    if let Some(fill) = annotation.fill {
        map.insert("fill".into(), json!(fill.as_str()));
    }
    if annotation.y_axis == AxisSide::Right {
        map.insert("yAxis".into(), json!("right"));
    }
    match &annotation.band_end {
        Some(end) => json!([map, band_end_json(json!(end.value), &end.label)]),
        None => Value::Object(map),
    }
}

fn vertical_json(annotation: &VerticalAnnotation) -> Value {
    let time = |ms: i64| json!(TimeSpec::Absolute { epoch_ms: ms }.to_json_string());
    let mut map = Map::new();
    map.insert("value".into(), time(annotation.time_ms));
    insert_common(&mut map, &annotation.label, &annotation.color, annotation.visible);
    if let Some(fill) = annotation.fill {
        map.insert("fill".into(), json!(fill.as_str()));
    }
    match &annotation.band_end {
        Some(end) => json!([map, band_end_json(time(end.value), &end.label)]),
        None => Value::Object(map),
    }
}

fn insert_common(map: &mut Map<String, Value>, label: &Option<String>, color: &Option<String>, visible: bool) {
    if let Some(label) = label {
        map.insert("label".into(), json!(label));
    }
    if let Some(color) = color {
        map.insert("color".into(), json!(color));
    }
    if !visible {
        map.insert("visible".into(), json!(false));
    }
}

fn band_end_json(value: Value, label: &Option<String>) -> Value {
    let mut map = Map::new();
    map.insert("value".into(), value);
    if let Some(label) = label {
        map.insert("label".into(), json!(label));
    }
    Value::Object(map)
}
