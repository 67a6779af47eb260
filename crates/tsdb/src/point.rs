//! What a write carries per point ([`Sample`]: one value or a pre-aggregated summary) and the engine's internal
//! form of it ([`HeadPoint`]: the chunk value plus the encoded summary, as chunks and the write-ahead log store
//! it).

use crate::summary::Summary;

/// One datapoint as written: a single value, or a summary (CloudWatch's `Values`+`Counts` and
/// `StatisticValues` forms).
#[derive(Debug, Clone, PartialEq)]
pub enum Sample {
    Value(f64),
    Summary(Summary),
}

/// A point as the head, the chunks and the write-ahead log hold it: `value` is the value itself or the
/// summary's sum; `extra` the encoded summary, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadPoint {
    pub series: u64,
    pub timestamp_ms: i64,
    pub value: f64,
    pub extra: Option<Box<[u8]>>,
}

impl HeadPoint {
    pub fn new(series: u64, timestamp_ms: i64, sample: &Sample) -> Self {
        match sample {
            Sample::Value(value) => Self { series, timestamp_ms, value: *value, extra: None },
            Sample::Summary(summary) => {
                let mut extra = Vec::with_capacity(40);
                summary.encode(&mut extra);
                Self { series, timestamp_ms, value: summary.sum, extra: Some(extra.into_boxed_slice()) }
            }
        }
    }
}
