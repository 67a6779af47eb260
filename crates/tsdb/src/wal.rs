//! The write-ahead log record: one acknowledged write batch, as it is committed with the write's audit record
//! and replayed into the head after a restart.

use crate::point::HeadPoint;
use crate::varint::{Cursor, put_bytes, put_i64, put_u64};

const VERSION: u8 = 1;

/// Largest log record the engine writes: a record fits one 4 KiB page of the store, so the pages a checkpoint
/// frees are always reusable by the next records (a larger value takes a run of pages, and mixed runs fragment
/// the file; issue 15).
pub const MAX_RECORD_BYTES: usize = 3_500;

/// Encodes a write's points as records of at most [`MAX_RECORD_BYTES`] (a point is never split, so a record of
/// one point with a very large summary may be larger). The records of one write are committed together.
pub fn encode_parts(points: &[HeadPoint]) -> Vec<Vec<u8>> {
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, point) in points.iter().enumerate() {
        // A generous bound on a point's encoded size: two 10-byte varints, the flag, the value and its summary.
        let size = 30 + point.extra.as_ref().map_or(0, |e| e.len() + 10);
        if i > start && bytes + size > MAX_RECORD_BYTES - 11 {
            parts.push(encode(&points[start..i]));
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < points.len() || parts.is_empty() {
        parts.push(encode(&points[start..]));
    }
    parts
}

/// Encodes a batch: series ids and timestamps as deltas from the previous point, values as raw f64, summaries
/// length-prefixed.
pub fn encode(points: &[HeadPoint]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + points.len() * 13);
    out.push(VERSION);
    put_u64(&mut out, points.len() as u64);
    let (mut series, mut timestamp) = (0u64, 0i64);
    for point in points {
        put_i64(&mut out, point.series.wrapping_sub(series) as i64);
        put_i64(&mut out, point.timestamp_ms.wrapping_sub(timestamp));
        (series, timestamp) = (point.series, point.timestamp_ms);
        match &point.extra {
            None => out.push(0),
            Some(extra) => {
                out.push(1);
                put_bytes(&mut out, extra);
            }
        }
        out.extend_from_slice(&point.value.to_le_bytes());
    }
    out
}

/// Decodes a record; `None` if it is malformed (a record the engine did not write).
pub fn decode(bytes: &[u8]) -> Option<Vec<HeadPoint>> {
    let mut cursor = Cursor::new(bytes);
    if cursor.byte()? != VERSION {
        return None;
    }
    let count = usize::try_from(cursor.u64()?).ok()?;
    let mut points = Vec::with_capacity(count.min(bytes.len()));
    let (mut series, mut timestamp) = (0u64, 0i64);
    for _ in 0..count {
        series = series.wrapping_add(cursor.i64()? as u64);
        timestamp = timestamp.wrapping_add(cursor.i64()?);
        let extra = match cursor.byte()? {
            0 => None,
            1 => Some(cursor.bytes()?.to_vec().into_boxed_slice()),
            _ => return None,
        };
        let value = cursor.f64()?;
        points.push(HeadPoint { series, timestamp_ms: timestamp, value, extra });
    }
    cursor.is_empty().then_some(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15: a large write becomes records of at most one page each, in order, together holding every point.
    #[test]
    fn large_writes_become_page_sized_records() {
        let points: Vec<HeadPoint> = (0..1000u64)
            .map(|i| HeadPoint {
                series: i * 7919 % 1000,
                timestamp_ms: 1_800_000_000_000 + (i as i64) * 60_000,
                value: i as f64 * 1.5,
                extra: (i % 10 == 0).then(|| vec![7u8; 40].into_boxed_slice()),
            })
            .collect();
        let parts = encode_parts(&points);
        assert!(parts.len() > 1);
        assert!(
            parts.iter().all(|p| p.len() <= MAX_RECORD_BYTES),
            "{:?}",
            parts.iter().map(Vec::len).collect::<Vec<_>>()
        );
        let decoded: Vec<HeadPoint> = parts.iter().flat_map(|p| decode(p).unwrap()).collect();
        assert_eq!(decoded, points);
        assert_eq!(encode_parts(&[]).len(), 1, "an empty write is one empty record");
    }

    #[test]
    fn records_round_trip_and_truncation_is_refused() {
        let points = vec![
            HeadPoint { series: 5, timestamp_ms: 60_000, value: 1.5, extra: None },
            HeadPoint { series: 2, timestamp_ms: 0, value: -3.0, extra: Some(vec![1, 2, 3].into_boxed_slice()) },
            HeadPoint { series: 9, timestamp_ms: i64::MAX, value: f64::MIN_POSITIVE, extra: None },
        ];
        let bytes = encode(&points);
        assert_eq!(decode(&bytes), Some(points));
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None);
        }
    }
}
