//! Typed reads of JSON values that fail with the path of the offending value and a message in CloudWatch's
//! JSON-schema style ("Should be integer"): the one JSON reader of the widget model and of dashboard bodies.

use serde_json::{Map, Value};

use super::error::{JsonPath, WidgetError};

pub type Result<T> = std::result::Result<T, WidgetError>;

/// The JSON type name used in "Should be …" messages.
pub fn should_be(path: &JsonPath, type_name: &str) -> WidgetError {
    WidgetError::invalid(path.clone(), format!("Should be {type_name}"))
}

pub fn as_str<'a>(value: &'a Value, path: &JsonPath) -> Result<&'a str> {
    value.as_str().ok_or_else(|| should_be(path, "string"))
}

pub fn as_f64(value: &Value, path: &JsonPath) -> Result<f64> {
    value.as_f64().filter(|number| number.is_finite()).ok_or_else(|| should_be(path, "number"))
}

pub fn as_bool(value: &Value, path: &JsonPath) -> Result<bool> {
    value.as_bool().ok_or_else(|| should_be(path, "boolean"))
}

pub fn as_array<'a>(value: &'a Value, path: &JsonPath) -> Result<&'a Vec<Value>> {
    value.as_array().ok_or_else(|| should_be(path, "array"))
}

/// An integer, also accepting `300.0` (as JSON schema does); integral numbers beyond i64 saturate, so a bound
/// check names the bound.
pub fn as_i64(value: &Value, path: &JsonPath) -> Result<i64> {
    if let Some(number) = value.as_i64() {
        return Ok(number);
    }
    match value.as_f64() {
        Some(number) if number.fract() == 0.0 && number.abs() < 9.0e15 => Ok(number as i64),
        Some(number) if number.is_finite() && number.fract() == 0.0 => {
            Ok(if number < 0.0 { i64::MIN } else { i64::MAX })
        }
        _ => Err(should_be(path, "integer")),
    }
}

/// An integer in `min..=max`.
pub fn as_int_in(value: &Value, path: &JsonPath, min: i64, max: i64) -> Result<i64> {
    let number = as_i64(value, path)?;
    if number < min {
        return Err(WidgetError::invalid(path.clone(), format!("Should be >= {min}")));
    }
    if number > max {
        return Err(WidgetError::invalid(path.clone(), format!("Should be <= {max}")));
    }
    Ok(number)
}

/// A JSON object with the path it was found at.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: JsonPath,
}

impl<'a> Obj<'a> {
    pub fn new(value: &'a Value, path: JsonPath) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Self { map, path }),
            _ => Err(should_be(&path, "object")),
        }
    }

    pub fn from_map(map: &'a Map<String, Value>, path: JsonPath) -> Self {
        Self { map, path }
    }

    pub fn path_of(&self, key: &str) -> JsonPath {
        self.path.key(key)
    }

    /// The value of `key`; `null` counts as absent.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn required(&self, key: &str) -> Result<&'a Value> {
        self.get(key)
            .ok_or_else(|| WidgetError::invalid(self.path.clone(), format!("Should have required property '{key}'")))
    }

    pub fn str(&self, key: &str) -> Result<Option<&'a str>> {
        self.get(key).map(|value| as_str(value, &self.path_of(key))).transpose()
    }

    pub fn string(&self, key: &str) -> Result<Option<String>> {
        Ok(self.str(key)?.map(str::to_string))
    }

    /// A string that must not be empty.
    pub fn non_empty_string(&self, key: &str) -> Result<Option<String>> {
        match self.str(key)? {
            Some("") => Err(WidgetError::invalid(self.path_of(key), "Should NOT be shorter than 1 characters")),
            other => Ok(other.map(str::to_string)),
        }
    }

    pub fn f64(&self, key: &str) -> Result<Option<f64>> {
        self.get(key).map(|value| as_f64(value, &self.path_of(key))).transpose()
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>> {
        self.get(key).map(|value| as_bool(value, &self.path_of(key))).transpose()
    }

    pub fn int_in(&self, key: &str, min: i64, max: i64) -> Result<Option<i64>> {
        self.get(key).map(|value| as_int_in(value, &self.path_of(key), min, max)).transpose()
    }

    pub fn obj(&self, key: &str) -> Result<Option<Obj<'a>>> {
        self.get(key).map(|value| Obj::new(value, self.path_of(key))).transpose()
    }

    pub fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>> {
        self.get(key).map(|value| as_array(value, &self.path_of(key))).transpose()
    }

    /// The object's own path.
    pub fn path(&self) -> &JsonPath {
        &self.path
    }

    /// A string that must be one of `allowed`.
    pub fn one_of_str(&self, key: &str, allowed: &[&'a str]) -> Result<Option<&'a str>> {
        let pairs: Vec<(&str, &'a str)> = allowed.iter().map(|name| (*name, *name)).collect();
        self.one_of(key, &pairs)
    }

    /// A string that must be one of `allowed`.
    pub fn one_of<T: Copy>(&self, key: &str, allowed: &[(&str, T)]) -> Result<Option<T>> {
        let Some(text) = self.str(key)? else { return Ok(None) };
        allowed.iter().find(|(name, _)| *name == text).map(|(_, value)| Some(*value)).ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|(name, _)| *name).collect();
            not_allowed(&self.path_of(key), &names)
        })
    }
}

/// A value outside an enumeration, worded as CloudWatch words it.
pub fn not_allowed(path: &JsonPath, allowed: &[&str]) -> WidgetError {
    let names: Vec<String> = allowed.iter().map(|name| format!("\"{name}\"")).collect();
    WidgetError::invalid(path.clone(), format!("Should be equal to one of the allowed values: {}", names.join(", ")))
}

/// `#rgb` or `#rrggbb`.
pub fn is_hex_color(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|hex| (hex.len() == 3 || hex.len() == 6) && hex.chars().all(|c| c.is_ascii_hexdigit()))
}

pub fn color(obj: &Obj<'_>, key: &str) -> Result<Option<String>> {
    match obj.str(key)? {
        Some(text) if !is_hex_color(text) => {
            Err(WidgetError::invalid(obj.path_of(key), "Should match pattern \"^#([0-9a-fA-F]{3}){1,2}$\""))
        }
        other => Ok(other.map(str::to_string)),
    }
}

/// A period in seconds: 1, 5, 10, 20, 30 or a multiple of 60.
pub fn period(obj: &Obj<'_>, key: &str) -> Result<Option<u32>> {
    let Some(seconds) = obj.int_in(key, 1, i64::from(u32::MAX))? else { return Ok(None) };
    if matches!(seconds, 1 | 5 | 10 | 20 | 30) || seconds % 60 == 0 {
        Ok(u32::try_from(seconds).ok())
    } else {
        Err(WidgetError::invalid(obj.path_of(key), "Should be 1, 5, 10, 20, 30 or a multiple of 60"))
    }
}
