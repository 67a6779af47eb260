//! Validation messages as CloudWatch writes them (`DataPath` as a JSON pointer, JSON-schema style `Message`), and
//! typed reads of JSON fields that fail with one.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One problem in a dashboard body: where (`DataPath`, a JSON pointer such as `/widgets/0/properties`; empty for
/// the body itself) and what (`Message`, such as `Should be integer`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ValidationMessage {
    /// The JSON pointer of the offending value.
    pub data_path: String,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationMessage {
    /// A message at `data_path`.
    pub fn new(data_path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { data_path: data_path.into(), message: message.into() }
    }
}

pub(crate) type Checked<T> = Result<T, ValidationMessage>;

/// A JSON object and the JSON pointer it was found at.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Fields<'a> {
    pub(crate) fn new(value: &'a Value, path: &str) -> Checked<Self> {
        match value {
            Value::Object(map) => Ok(Self { map, path: path.to_string() }),
            _ => Err(ValidationMessage::new(path, "Should be object")),
        }
    }

    pub(crate) fn path_of(&self, key: &str) -> String {
        format!("{}/{key}", self.path)
    }

    /// The value of `key`; `null` counts as absent.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    pub(crate) fn required(&self, key: &str) -> Checked<&'a Value> {
        self.get(key)
            .ok_or_else(|| ValidationMessage::new(self.path.clone(), format!("Should have required property '{key}'")))
    }

    pub(crate) fn str(&self, key: &str) -> Checked<Option<&'a str>> {
        self.get(key).map(|value| as_str(value, &self.path_of(key))).transpose()
    }

    pub(crate) fn string(&self, key: &str) -> Checked<Option<String>> {
        Ok(self.str(key)?.map(str::to_string))
    }

    pub(crate) fn bool(&self, key: &str) -> Checked<Option<bool>> {
        self.get(key)
            .map(|value| value.as_bool().ok_or_else(|| ValidationMessage::new(self.path_of(key), "Should be boolean")))
            .transpose()
    }

    /// An integer in `min..=max`.
    pub(crate) fn int_in(&self, key: &str, min: i64, max: i64) -> Checked<Option<i64>> {
        self.get(key).map(|value| as_int_in(value, &self.path_of(key), min, max)).transpose()
    }

    /// A string that must be one of `allowed`.
    pub(crate) fn one_of(&self, key: &str, allowed: &[&str]) -> Checked<Option<&'a str>> {
        let Some(text) = self.str(key)? else { return Ok(None) };
        if allowed.contains(&text) {
            return Ok(Some(text));
        }
        Err(not_allowed(&self.path_of(key), allowed))
    }
}

pub(crate) fn not_allowed(path: &str, allowed: &[&str]) -> ValidationMessage {
    let names: Vec<String> = allowed.iter().map(|name| format!("\"{name}\"")).collect();
    ValidationMessage::new(path, format!("Should be equal to one of the allowed values: {}", names.join(", ")))
}

pub(crate) fn as_str<'a>(value: &'a Value, path: &str) -> Checked<&'a str> {
    value.as_str().ok_or_else(|| ValidationMessage::new(path, "Should be string"))
}

/// An integer (`3.0` counts, as in JSON schema), in `min..=max`.
pub(crate) fn as_int_in(value: &Value, path: &str, min: i64, max: i64) -> Checked<i64> {
    let number = match (value.as_i64(), value.as_f64()) {
        (Some(number), _) => number,
        (None, Some(number)) if number.fract() == 0.0 && number.abs() < 9.0e15 => number as i64,
        (None, Some(number)) if number.is_finite() && number.fract() == 0.0 => {
            if number < 0.0 {
                i64::MIN
            } else {
                i64::MAX
            }
        }
        _ => return Err(ValidationMessage::new(path, "Should be integer")),
    };
    if number < min {
        return Err(ValidationMessage::new(path, format!("Should be >= {min}")));
    }
    if number > max {
        return Err(ValidationMessage::new(path, format!("Should be <= {max}")));
    }
    Ok(number)
}
