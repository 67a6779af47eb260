//! AWS Config (`config`, JSON 1.1, `StarlingDoveService.<Op>`): the recorder and delivery channel, third-party
//! resources and the queries over configuration items, in their wire shapes. Config refuses a malformed member
//! with `ValidationException` in AWS's "1 validation error detected" wording, so its decoding helpers do too.

mod aggregation;
mod items;
mod recorders;
mod remediation;
mod resources;
mod rules;

use serde_json::Value;
use skywatch_core::config::ConfigError;

use crate::errors::ApiError;

/// A Config refusal at the edge.
fn refused(error: ConfigError) -> ApiError {
    ApiError::domain(&error)
}

fn wrong_type(member: &str, expected: &str) -> ApiError {
    refused(ConfigError::Validation(format!(
        "1 validation error detected: Value at '{}' failed to satisfy constraint: Member must be {expected}",
        lower_first(member)
    )))
}

fn missing(member: &str) -> ApiError {
    refused(skywatch_core::config::error_missing(&lower_first(member)))
}

/// AWS's messages name members in lower camel case.
fn lower_first(member: &str) -> String {
    let mut out = member.to_owned();
    if let Some(first) = out.get_mut(0..1) {
        first.make_ascii_lowercase();
    }
    out
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

fn str_required<'a>(params: &'a Value, name: &str) -> Result<&'a str, ApiError> {
    str_opt(params, name)?.ok_or_else(|| missing(name))
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

fn object_opt<'a>(params: &'a Value, name: &str) -> Result<Option<&'a Value>, ApiError> {
    match params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value @ Value::Object(_)) => Ok(Some(value)),
        Some(_) => Err(wrong_type(name, "a structure")),
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

/// A timestamp member: epoch seconds (JSON number) or ISO 8601, in epoch milliseconds.
fn time_ms_opt(params: &Value, name: &str) -> Result<Option<i64>, ApiError> {
    crate::params::timestamp_ms_opt(params, name).map_err(|_| wrong_type(name, "a timestamp"))
}

/// `[{Key, Value}]` tags.
fn tag_list(params: &Value, name: &str) -> Result<Vec<(String, String)>, ApiError> {
    list_opt(params, name)?
        .iter()
        .map(|tag| {
            let key = str_opt(tag, "Key")?.ok_or_else(|| missing("Key"))?;
            Ok((key.to_owned(), str_opt(tag, "Value")?.unwrap_or("").to_owned()))
        })
        .collect()
}

/// Epoch milliseconds as the JSON protocols' epoch seconds.
fn seconds(ms: i64) -> Value {
    Value::from(ms as f64 / 1000.0)
}
