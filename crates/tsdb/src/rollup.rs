//! Roll-ups: a series' 5-minute and 1-hour summaries, one row per UTC day, written once a day can no longer
//! receive points and read by queries whose data is older than the raw retention.

use skywatch_store::Reader;

use crate::accumulate::{Accumulator, Bucket};
use crate::error::QueryError;
use crate::query::BucketQuery;
use crate::query::NewBucket;
use crate::summary::Summary;
use crate::varint::{Cursor, put_u64};

pub const DAY_MS: i64 = 86_400_000;
/// The roll-up periods kept, in seconds.
pub const PERIODS: [u32; 2] = [300, 3600];

/// Encodes a day's summaries: (slot index, summary) for every non-empty slot.
pub fn encode_day(slots: &[Option<Summary>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, summary) in slots.iter().enumerate() {
        if let Some(summary) = summary {
            put_u64(&mut out, index as u64);
            summary.encode(&mut out);
        }
    }
    out
}

pub fn decode_day(bytes: &[u8]) -> Result<Vec<(usize, Summary)>, String> {
    let mut cursor = Cursor::new(bytes);
    let mut out = Vec::new();
    while !cursor.is_empty() {
        let index = cursor.u64().and_then(|i| usize::try_from(i).ok()).ok_or("bad slot index")?;
        let start = cursor.position();
        let rest = bytes.get(start..).ok_or("truncated")?;
        let (summary, used) = Summary::decode(rest).map_err(|e| e.to_string())?;
        cursor.take(used).ok_or("truncated summary")?;
        out.push((index, summary));
    }
    Ok(out)
}

/// Merges consecutive 5-minute slots of a day into 1-hour slots.
pub fn hourly(five_minute: &[Option<Summary>]) -> Vec<Option<Summary>> {
    five_minute
        .chunks(12)
        .map(|hour| {
            let mut accumulator = Accumulator::new(true);
            for summary in hour.iter().flatten() {
                accumulator.add_summary(summary);
            }
            accumulator.finish()
        })
        .collect()
}

/// Buckets of one series from its roll-ups of `period_seconds`.
pub fn fold<B: Bucket + NewBucket>(
    reader: &Reader,
    series: u64,
    period_seconds: u32,
    query: &BucketQuery,
) -> Result<Vec<B>, QueryError> {
    let count = query.bucket_count();
    let mut buckets: Vec<B> = (0..count).map(|_| B::new_for(query)).collect();
    let slot_ms = i64::from(period_seconds) * 1000;
    let first_day = query.start_ms.div_euclid(DAY_MS) * DAY_MS;
    let days = crate::storage::rollups(reader, series, period_seconds, (first_day, query.end_ms))?;
    for (day_start, bytes) in days {
        let slots = decode_day(&bytes).map_err(|detail| QueryError::Corrupt { series, detail })?;
        for (index, summary) in slots {
            let slot_start = day_start + index as i64 * slot_ms;
            if slot_start < query.start_ms || slot_start >= query.end_ms {
                continue;
            }
            let bucket = usize::try_from((slot_start - query.start_ms) / query.period_ms).ok();
            if let Some(bucket) = bucket.and_then(|b| buckets.get_mut(b)) {
                bucket.add_summary(&summary);
            }
        }
    }
    Ok(buckets)
}
