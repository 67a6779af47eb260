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

/// Largest roll-up row written: one page of the store (see `wal::MAX_RECORD_BYTES`).
const MAX_PART_BYTES: usize = 3_500;

/// Encodes a day's summaries (`slots[i]` starting at `day_start_ms + i * slot_ms`) as rows of at most one page:
/// `(row start, row)`, each row holding (slot index from the row's start, summary) for its non-empty slots. The
/// first row starts at the day (so it replaces a whole-day row written before parts); a row is read like a day
/// whose start is the row's (a summary larger than a page is a row of its own).
pub fn encode_parts(slots: &[Option<Summary>], day_start_ms: i64, slot_ms: i64) -> Vec<(i64, Vec<u8>)> {
    let mut parts = Vec::new();
    let (mut part_start, mut first_slot, mut out) = (day_start_ms, 0usize, Vec::new());
    let mut summary_bytes = Vec::new();
    for (index, summary) in slots.iter().enumerate() {
        let Some(summary) = summary else { continue };
        summary_bytes.clear();
        summary.encode(&mut summary_bytes);
        if !out.is_empty() && out.len() + summary_bytes.len() + 10 > MAX_PART_BYTES {
            parts.push((part_start, std::mem::take(&mut out)));
            (part_start, first_slot) = (day_start_ms + index as i64 * slot_ms, index);
        }
        put_u64(&mut out, (index - first_slot) as u64);
        out.extend_from_slice(&summary_bytes);
    }
    if !out.is_empty() || parts.is_empty() {
        parts.push((part_start, out));
    }
    parts
}

/// Decodes a row: (slot index from the row's start, summary).
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 15: a day of summaries with sketches becomes rows of at most one page that read back, slot by slot
    /// at the same times, as the day; an empty day is one empty row at the day's start.
    #[test]
    fn days_become_page_sized_rows_that_read_back_as_the_day() {
        let day = 1_800_000_000_000 / DAY_MS * DAY_MS;
        let slots: Vec<Option<Summary>> = (0..288)
            .map(|i| {
                (i % 5 != 3).then(|| {
                    let values: Vec<f64> = (0..5).map(|k| (i * 5 + k) as f64 * 0.37).collect();
                    Summary::from_values_counts(&values, &[1.0; 5])
                })
            })
            .collect();
        let parts = encode_parts(&slots, day, 300_000);
        assert!(parts.len() > 1, "a day of sketches is more than a page");
        assert_eq!(parts[0].0, day);
        assert!(parts.iter().all(|(_, row)| row.len() <= MAX_PART_BYTES));
        let mut read: Vec<(i64, Summary)> = Vec::new();
        for (start, row) in &parts {
            for (index, summary) in decode_day(row).unwrap() {
                read.push((start + index as i64 * 300_000, summary));
            }
        }
        let expected: Vec<(i64, Summary)> =
            slots.iter().enumerate().filter_map(|(i, s)| s.clone().map(|s| (day + i as i64 * 300_000, s))).collect();
        assert_eq!(read, expected);
        assert_eq!(encode_parts(&[None, None], day, 300_000), vec![(day, Vec::new())]);
    }
}
