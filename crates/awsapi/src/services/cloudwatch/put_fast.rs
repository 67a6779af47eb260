//! PutMetricData's fast path: the body decoded straight into datums that borrow it (JSON 1.0/1.1, awsQuery,
//! RPCv2 CBOR), with no value tree. It never decides an error: anything it does not read exactly as the generic
//! path reads it (`decode_params` then [`crate::registry::Wire::decode`]) gives None, and the generic path
//! answers. The coercions below read as `crate::params` reads the same members.

use skywatch_core::metrics::{PutMetricData, PutMetricDataInput};
use skywatch_core::ops::Context;

use super::{put_cbor, put_json, put_query};
use crate::registry::FastWire;
use crate::wire::Protocol;

impl FastWire for PutMetricData {
    fn decode_fast(_ctx: &Context, protocol: Protocol, body: &mut Option<Vec<u8>>) -> Option<PutMetricDataInput> {
        let decode: fn(Vec<u8>) -> Result<PutMetricDataInput, Vec<u8>> = match protocol {
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => put_json::decode,
            Protocol::AwsQuery => put_query::decode,
            Protocol::RpcV2Cbor => put_cbor::decode,
            Protocol::RestJson => return None,
        };
        match decode(body.take()?) {
            Ok(input) => Some(input),
            Err(bytes) => {
                *body = Some(bytes);
                None
            }
        }
    }
}

/// The most datums, dimensions a datum and Values (or Counts) a datum the fast path reads; a request over any
/// of them goes the generic way, which refuses it.
pub(super) const MAX_DATUMS: usize = skywatch_core::metrics::MAX_METRICS_PER_REQUEST;
pub(super) const MAX_DIMENSIONS: usize = skywatch_core::metrics::MAX_DIMENSIONS;
pub(super) const MAX_VALUES: usize = skywatch_core::metrics::MAX_VALUES;

/// Epoch seconds as milliseconds, as `params::timestamp_ms_opt` reads a number.
pub(super) fn seconds_to_ms(seconds: f64) -> Option<i64> {
    (seconds.is_finite() && seconds.abs() < 1e11).then(|| (seconds * 1000.0).round() as i64)
}

/// A timestamp in text, as `params::timestamp_ms_opt` reads a string: epoch seconds or RFC 3339.
pub(super) fn timestamp_text(text: &str) -> Option<i64> {
    if let Ok(seconds) = text.trim().parse::<f64>() {
        return seconds_to_ms(seconds);
    }
    chrono::DateTime::parse_from_rfc3339(text.trim()).ok().map(|t| t.timestamp_millis())
}

/// A number in text, as `params::number` reads a string.
pub(super) fn number_text(text: &str) -> Option<f64> {
    match text.trim() {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        other => other.parse().ok(),
    }
}

/// An integer in text, as `params::i64_opt` reads a string.
pub(super) fn integer_text(text: &str) -> Option<i64> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests;
