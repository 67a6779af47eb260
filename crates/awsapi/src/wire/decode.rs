//! Request bodies → one `serde_json::Value` object of parameters, whatever the protocol (JSON, awsQuery form,
//! RPCv2 CBOR), plus bomb-safe gzip decompression of request bodies.

use std::io::Read;

use base64::Engine as _;
use serde_json::{Map, Number, Value};

use super::protocol::Protocol;

pub use super::form::decode_query;

/// Why a request body could not be decoded. JSON and CBOR errors map to `SerializationException`, form errors
/// to `MalformedQueryString`/`InvalidParameterValue`, `TooLarge` to 413.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("Invalid JSON body: {0}")]
    InvalidJson(String),
    #[error("The request body must be a JSON object.")]
    NotAnObject,
    #[error("Invalid CBOR body: {0}")]
    InvalidCbor(String),
    #[error("Invalid query parameter '{key}': {reason}")]
    InvalidQueryKey { key: String, reason: String },
    #[error("Query parameter '{key}' has a list index outside 1..={max}.")]
    IndexOutOfRange { key: String, max: usize },
    #[error("Query parameter '{0}' conflicts with another parameter's structure.")]
    ConflictingQueryKey(String),
    #[error("The request body exceeds {limit} bytes once decompressed.")]
    TooLarge { limit: usize },
    #[error("Invalid gzip body: {0}")]
    InvalidGzip(String),
    #[error("Unsupported Content-Encoding: {0}")]
    UnsupportedEncoding(String),
}

/// Decodes a (decompressed) request body into a JSON object of parameters for `protocol`.
pub fn decode_params(protocol: Protocol, body: &[u8]) -> Result<Value, DecodeError> {
    match protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson => decode_json(body),
        Protocol::AwsQuery => decode_query(body),
        Protocol::RpcV2Cbor => decode_cbor(body),
    }
}

/// A JSON body must be an object; an empty (or all-whitespace) body is `{}`.
pub fn decode_json(body: &[u8]) -> Result<Value, DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(DecodeError::NotAnObject),
        Err(e) => Err(DecodeError::InvalidJson(e.to_string())),
    }
}

/// A CBOR body must be one map; an empty body is `{}`. Tag-1 timestamps become epoch-second numbers, byte
/// strings become base64 strings, non-finite floats the strings `NaN`/`Infinity`/`-Infinity`.
pub fn decode_cbor(body: &[u8]) -> Result<Value, DecodeError> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    let mut reader = body;
    let item: ciborium::Value =
        ciborium::de::from_reader(&mut reader).map_err(|e| DecodeError::InvalidCbor(e.to_string()))?;
    if !reader.is_empty() {
        return Err(DecodeError::InvalidCbor(format!("{} trailing bytes after the top-level item", reader.len())));
    }
    match cbor_to_json(item)? {
        value @ Value::Object(_) => Ok(value),
        _ => Err(DecodeError::NotAnObject),
    }
}

fn cbor_to_json(item: ciborium::Value) -> Result<Value, DecodeError> {
    use ciborium::Value as C;
    Ok(match item {
        C::Null => Value::Null,
        C::Bool(b) => Value::Bool(b),
        C::Text(s) => Value::String(s),
        C::Bytes(b) => Value::String(base64::engine::general_purpose::STANDARD.encode(b)),
        C::Integer(i) => Value::Number(integer_to_number(i)?),
        C::Float(f) => float_to_json(f),
        C::Tag(1, inner) => match *inner {
            C::Integer(i) => Value::Number(integer_to_number(i)?),
            C::Float(f) if f.is_finite() => float_to_json(f),
            _ => {
                return Err(DecodeError::InvalidCbor("tag 1 must wrap a finite number".into()));
            }
        },
        C::Tag(_, inner) => cbor_to_json(*inner)?,
        C::Array(items) => Value::Array(items.into_iter().map(cbor_to_json).collect::<Result<_, _>>()?),
        C::Map(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key = match key {
                    C::Text(s) => s,
                    C::Integer(i) => i128::from(i).to_string(),
                    _ => return Err(DecodeError::InvalidCbor("map keys must be text".into())),
                };
                map.insert(key, cbor_to_json(value)?);
            }
            Value::Object(map)
        }
        _ => return Err(DecodeError::InvalidCbor("unsupported CBOR item".into())),
    })
}

fn integer_to_number(i: ciborium::value::Integer) -> Result<Number, DecodeError> {
    let wide = i128::from(i);
    if let Ok(n) = i64::try_from(wide) {
        Ok(Number::from(n))
    } else if let Ok(n) = u64::try_from(wide) {
        Ok(Number::from(n))
    } else {
        Err(DecodeError::InvalidCbor("integer out of range".into()))
    }
}

fn float_to_json(f: f64) -> Value {
    match Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => Value::String("NaN".into()),
        None if f > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    }
}

/// Decompresses a request body per its `Content-Encoding` (`gzip`/`x-gzip`, or none/`identity`), refusing
/// to produce more than `limit` bytes.
pub fn decompress(content_encoding: Option<&str>, body: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    let encoding = content_encoding.map(|e| e.trim().to_ascii_lowercase()).unwrap_or_default();
    match encoding.as_str() {
        "" | "identity" => {
            if body.len() > limit {
                return Err(DecodeError::TooLarge { limit });
            }
            Ok(body.to_vec())
        }
        "gzip" | "x-gzip" => {
            let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
            let mut out = Vec::with_capacity(body.len().saturating_mul(4).min(limit));
            flate2::read::GzDecoder::new(body)
                .take(cap)
                .read_to_end(&mut out)
                .map_err(|e| DecodeError::InvalidGzip(e.to_string()))?;
            if out.len() > limit {
                return Err(DecodeError::TooLarge { limit });
            }
            Ok(out)
        }
        other => Err(DecodeError::UnsupportedEncoding(other.to_string())),
    }
}
