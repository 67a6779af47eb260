//! CloudWatch Logs (`logs`, JSON 1.1, `Logs_20140328.<Op>`): groups, streams and events in their wire shapes.
//! Members are lower camel case; timestamps are epoch milliseconds. Logs refuses a malformed member with
//! `InvalidParameterException` in AWS's "1 validation error detected" wording, so these helpers do too.

mod events;
mod export;
mod groups;
mod live_tail;
mod metric_filters;
mod streams;
mod subscription_filters;

use std::collections::BTreeMap;

use serde_json::Value;
use skywatch_core::logs::LogsError;

use crate::errors::ApiError;

/// A Logs refusal at the edge.
fn refused(error: LogsError) -> ApiError {
    ApiError::domain(&error)
}

/// A member of the wrong JSON type: CloudWatch Logs' deserializer refuses it before any validation, with
/// SerializationException (hostile corpus, issue 14).
fn wrong_type(member: &str, expected: &str) -> ApiError {
    ApiError::Serialization(format!("Value at '{member}' cannot be read: it must be {expected}."))
}

fn missing(member: &str) -> ApiError {
    refused(LogsError::InvalidParameter(format!(
        "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
    )))
}

fn str_opt<'a>(params: &'a Value, name: &str) -> Result<Option<&'a str>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

fn string_opt(params: &Value, name: &str) -> Result<Option<String>, ApiError> {
    Ok(str_opt(params, name)?.map(str::to_owned))
}

fn string_required(params: &Value, name: &str) -> Result<String, ApiError> {
    str_opt(params, name)?.map(str::to_owned).ok_or_else(|| missing(name))
}

fn bool_opt(params: &Value, name: &str) -> Result<Option<bool>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(wrong_type(name, "a boolean")),
    }
}

fn i64_opt(params: &Value, name: &str) -> Result<Option<i64>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| wrong_type(name, "an integer")),
        Some(_) => Err(wrong_type(name, "an integer")),
    }
}

fn list_opt<'a>(params: &'a Value, name: &str) -> Result<&'a [Value], ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(wrong_type(name, "a list")),
    }
}

fn strings(params: &Value, name: &str) -> Result<Vec<String>, ApiError> {
    list_opt(params, name)?
        .iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| wrong_type(name, "a list of strings")))
        .collect()
}

/// A `{key: value}` map of strings (tags).
fn string_map(params: &Value, name: &str) -> Result<BTreeMap<String, String>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| {
                v.as_str().map(|v| (k.clone(), v.to_owned())).ok_or_else(|| wrong_type(name, "a map of strings"))
            })
            .collect(),
        Some(_) => Err(wrong_type(name, "a map")),
    }
}
