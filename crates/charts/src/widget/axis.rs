//! The `yAxis` object: bounds, label and unit display of the left and right axes.

use serde_json::{Map, Value, json};

use super::error::WidgetError;
use super::json::{Obj, Result};

/// Settings of one y axis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YAxisSettings {
    /// `min`: the lowest value shown; automatic when absent.
    pub min: Option<f64>,
    /// `max`: the highest value shown; automatic when absent.
    pub max: Option<f64>,
    /// `label`: text along the axis.
    pub label: Option<String>,
    /// `showUnits`: whether the metrics' unit is shown along the axis (default true).
    pub show_units: Option<bool>,
}

impl YAxisSettings {
    fn parse(obj: &Obj<'_>) -> Result<Self> {
        let settings = Self {
            min: obj.f64("min")?,
            max: obj.f64("max")?,
            label: obj.string("label")?,
            show_units: obj.bool("showUnits")?,
        };
        if let (Some(min), Some(max)) = (settings.min, settings.max)
            && min >= max
        {
            return Err(WidgetError::invalid(obj.path_of("max"), "Should be greater than min"));
        }
        Ok(settings)
    }

    fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    fn to_json(&self) -> Value {
        let mut map = Map::new();
        if let Some(min) = self.min {
            map.insert("min".into(), json!(min));
        }
        if let Some(max) = self.max {
            map.insert("max".into(), json!(max));
        }
        if let Some(label) = &self.label {
            map.insert("label".into(), json!(label));
        }
        if let Some(show_units) = self.show_units {
            map.insert("showUnits".into(), json!(show_units));
        }
        Value::Object(map)
    }
}

/// The `yAxis` object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YAxes {
    /// `left`.
    pub left: YAxisSettings,
    /// `right`.
    pub right: YAxisSettings,
}

impl YAxes {
    pub(crate) fn parse(obj: &Obj<'_>) -> Result<Self> {
        let side = |key: &str| -> Result<YAxisSettings> {
            obj.obj(key)?.map(|side| YAxisSettings::parse(&side)).transpose().map(Option::unwrap_or_default)
        };
        Ok(Self { left: side("left")?, right: side("right")? })
    }

    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        self.left.is_empty() && self.right.is_empty()
    }

    /// The JSON form.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        if !self.left.is_empty() {
            map.insert("left".into(), self.left.to_json());
        }
        if !self.right.is_empty() {
            map.insert("right".into(), self.right.to_json());
        }
        Value::Object(map)
    }
}
