//! Reading decoded parameters. Every protocol decodes to one JSON shape, but the query protocol carries
//! numbers and booleans as strings and JSON may carry "NaN"; these helpers coerce and name the member on error.

use serde_json::Value;

use crate::errors::ApiError;

pub fn str_opt<'a>(params: &'a Value, name: &str) -> Result<Option<&'a str>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

pub fn str_required<'a>(params: &'a Value, name: &str) -> Result<&'a str, ApiError> {
    str_opt(params, name)?.ok_or_else(|| ApiError::MissingParameter(format!("The parameter {name} is required.")))
}

pub fn f64_opt(params: &Value, name: &str) -> Result<Option<f64>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => number(value).map(Some).ok_or_else(|| wrong_type(name, "a number")),
    }
}

pub fn i64_opt(params: &Value, name: &str) -> Result<Option<i64>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| wrong_type(name, "an integer")),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| wrong_type(name, "an integer")),
        Some(_) => Err(wrong_type(name, "an integer")),
    }
}

pub fn list_opt<'a>(params: &'a Value, name: &str) -> Result<&'a [Value], ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(wrong_type(name, "a list")),
    }
}

/// A number as JSON, CBOR or query strings carry it, including "NaN" and "Infinity" (which callers refuse).
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.trim() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            other => other.parse().ok(),
        },
        _ => None,
    }
}

/// A required timestamp in epoch milliseconds (see [`timestamp_ms_opt`]).
pub fn timestamp_ms_required(params: &Value, name: &str) -> Result<i64, ApiError> {
    timestamp_ms_opt(params, name)?
        .ok_or_else(|| ApiError::MissingParameter(format!("The parameter {name} is required.")))
}

/// A timestamp in epoch milliseconds: epoch seconds (int or float, JSON and CBOR) or ISO 8601 (query).
pub fn timestamp_ms_opt(params: &Value, name: &str) -> Result<Option<i64>, ApiError> {
    let bad = || ApiError::InvalidParameterValue(format!("The value for parameter {name} is not a valid timestamp."));
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let seconds = n.as_f64().filter(|s| s.is_finite() && s.abs() < 1e11).ok_or_else(bad)?;
            Ok(Some((seconds * 1000.0).round() as i64))
        }
        Some(Value::String(s)) => {
            if let Ok(seconds) = s.trim().parse::<f64>() {
                return if seconds.is_finite() && seconds.abs() < 1e11 {
                    Ok(Some((seconds * 1000.0).round() as i64))
                } else {
                    Err(bad())
                };
            }
            chrono::DateTime::parse_from_rfc3339(s.trim()).map(|t| Some(t.timestamp_millis())).map_err(|_| bad())
        }
        Some(_) => Err(bad()),
    }
}

fn wrong_type(name: &str, expected: &str) -> ApiError {
    ApiError::Serialization(format!("The parameter {name} must be {expected}."))
}

/// A boolean as JSON and CBOR carry it, or `true`/`false` text (query).
pub fn bool_opt(params: &Value, name: &str) -> Result<Option<bool>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(wrong_type(name, "a boolean")),
    }
}
