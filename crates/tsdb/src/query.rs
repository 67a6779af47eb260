//! Period queries: every point of a series in `[start, end)` folded into fixed-length period buckets, read from
//! the head (open and sealing chunks) and the sealed chunks in the store, or from roll-ups.

use std::collections::HashSet;
use std::sync::Arc;

use skywatch_store::Reader;

use crate::accumulate::{Accumulator, Basic, Bucket};
use crate::codec;
use crate::engine::Tsdb;
use crate::error::QueryError;
use crate::rollup;
use crate::statistic::Statistic;
use crate::summary::Summary;

/// Where a query reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Raw points (any period).
    Raw,
    /// Roll-ups of this period (300 or 3600 seconds); the query period must be a multiple of it.
    Rollup { period_seconds: u32 },
}

/// Buckets `[start_ms + i * period_ms, start_ms + (i + 1) * period_ms)` up to `end_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BucketQuery {
    pub start_ms: i64,
    pub end_ms: i64,
    pub period_ms: i64,
    /// Build the distribution sketch (for percentile-family statistics).
    pub with_distribution: bool,
}

impl BucketQuery {
    pub fn bucket_count(&self) -> usize {
        if self.period_ms <= 0 || self.end_ms <= self.start_ms {
            return 0;
        }
        // Client-sized numbers: a period near i64::MAX must not overflow the rounding up.
        let span = self.end_ms.abs_diff(self.start_ms);
        usize::try_from(span.div_ceil(self.period_ms.unsigned_abs())).unwrap_or(usize::MAX)
    }

    #[inline]
    fn bucket_of(&self, timestamp_ms: i64) -> Option<usize> {
        if timestamp_ms < self.start_ms || timestamp_ms >= self.end_ms {
            return None;
        }
        usize::try_from((timestamp_ms - self.start_ms) / self.period_ms).ok()
    }
}

/// The most buckets one query may fold (series times buckets): callers bound their requests well below it; this
/// is the engine's own guard against an allocation sized by a request.
pub const MAX_QUERY_BUCKETS: usize = 10_080_000;

/// One series' buckets, `None` where no point fell.
pub type Buckets = Vec<Option<Summary>>;

/// What the head holds of one series at query time.
struct HeadCopy {
    open: Vec<u8>,
    sealing: Vec<(u64, Arc<Vec<u8>>)>,
}

impl Tsdb {
    /// Runs a query on the blocking pool, in parts over the cores when it covers many series (issue 15).
    pub async fn query(
        &self,
        series: Vec<u64>,
        query: BucketQuery,
        source: Source,
    ) -> Result<Vec<Buckets>, QueryError> {
        self.in_parts(series, query, move |tsdb, part| tsdb.query_blocking(part, &query, source)).await
    }

    /// One statistic's value a bucket (`None` where no point fell) for every series of `series`, in order. The
    /// exact statistics (SampleCount, Sum, Average, Minimum, Maximum) are folded keeping four numbers a bucket
    /// instead of whole summaries; the others through [`Tsdb::query`].
    pub async fn query_statistic(
        &self,
        series: Vec<u64>,
        query: BucketQuery,
        source: Source,
        statistic: Statistic,
    ) -> Result<Vec<Vec<Option<f64>>>, QueryError> {
        let read = Basic::reader(&statistic).filter(|_| !query.with_distribution);
        let Some(read) = read else {
            let folded = self.query(series, query, source).await?;
            let evaluate = |buckets: Buckets| -> Vec<Option<f64>> {
                buckets.iter().map(|b| b.as_ref().and_then(|summary| statistic.evaluate(summary))).collect()
            };
            return Ok(folded.into_iter().map(evaluate).collect());
        };
        self.in_parts(series, query, move |tsdb, part| {
            tsdb.fold_blocking(part, move |reader, id, copy| {
                let buckets = match source {
                    Source::Raw => raw_fold::<Basic>(reader, id, copy, &query)?,
                    Source::Rollup { period_seconds } => rollup::fold::<Basic>(reader, id, period_seconds, &query)?,
                };
                Ok(buckets.into_iter().map(|b| b.value(read)).collect())
            })
        })
        .await
    }

    /// Runs `run` over `series` on the blocking pool: in one part, or in as many parts as there are cores when
    /// there are many series. Each part copies its head state and begins its own read snapshot, so each series is
    /// consistent on its own, as in one part.
    async fn in_parts<T: Send + 'static>(
        &self,
        series: Vec<u64>,
        query: BucketQuery,
        run: impl Fn(&Tsdb, &[u64]) -> Result<Vec<T>, QueryError> + Send + Sync + Clone + 'static,
    ) -> Result<Vec<T>, QueryError> {
        let buckets = query.bucket_count().checked_mul(series.len()).filter(|b| *b <= MAX_QUERY_BUCKETS);
        if buckets.is_none() {
            return Err(QueryError::TooLarge { limit: MAX_QUERY_BUCKETS });
        }
        let cancelled = |_| QueryError::Read(skywatch_store::ReadError::Cancelled);
        let parts = fold_parts(series.len());
        if parts <= 1 {
            let tsdb = self.clone();
            return tokio::task::spawn_blocking(move || run(&tsdb, &series)).await.map_err(cancelled)?;
        }
        let per_part = series.len().div_ceil(parts);
        let handles: Vec<_> = series
            .chunks(per_part)
            .map(|part| {
                let (tsdb, part, run) = (self.clone(), part.to_vec(), run.clone());
                tokio::task::spawn_blocking(move || run(&tsdb, &part))
            })
            .collect();
        let mut out = Vec::with_capacity(series.len());
        for handle in handles {
            out.extend(handle.await.map_err(cancelled)??);
        }
        Ok(out)
    }

    /// Buckets of every series in `series`, in order.
    pub fn query_blocking(
        &self,
        series: &[u64],
        query: &BucketQuery,
        source: Source,
    ) -> Result<Vec<Buckets>, QueryError> {
        self.fold_blocking(series, |reader, id, copy| {
            let buckets = match source {
                Source::Raw => raw_fold::<Accumulator>(reader, id, copy, query)?,
                Source::Rollup { period_seconds } => rollup::fold::<Accumulator>(reader, id, period_seconds, query)?,
            };
            Ok(buckets.into_iter().map(Accumulator::finish).collect())
        })
    }

    /// `per_series` over each series of `series`, in order, given the store snapshot and what the head held.
    fn fold_blocking<T>(
        &self,
        series: &[u64],
        per_series: impl Fn(&Reader, u64, Option<HeadCopy>) -> Result<T, QueryError>,
    ) -> Result<Vec<T>, QueryError> {
        // The head is copied before the store's read snapshot begins, and the fold gate is held from the copy
        // until the snapshot has begun: a checkpoint can then neither fold a copied open chunk into a chunk the
        // snapshot also holds, nor take away a sealing chunk the snapshot lacks. Sealing chunks are cleared after
        // their commit without the gate, so copying them after the snapshot began could find them cleared and
        // the snapshot without them (issue 15: a query counted fewer points than an earlier one); copied first,
        // a chunk both copied and committed is told apart by its number.
        let head = self.head();
        let gate = head.gate_shared();
        let copies: Vec<Option<HeadCopy>> = head
            .get_many(series)
            .into_iter()
            .map(|series| {
                series.map(|series| {
                    let state = series.state();
                    HeadCopy {
                        open: if state.open.is_empty() { Vec::new() } else { state.open.snapshot() },
                        sealing: state.sealing.iter().map(|(_, number, chunk)| (*number, Arc::clone(chunk))).collect(),
                    }
                })
            })
            .collect();
        self.inner
            .store
            .read_blocking(move |reader| {
                drop(gate);
                Ok(series.iter().zip(copies).map(|(id, copy)| per_series(reader, *id, copy)).collect::<Vec<_>>())
            })?
            .into_iter()
            .collect()
    }
}

/// Fewest series worth a part of their own: below it, one thread folds them all.
const SERIES_PER_PART: usize = 8;

/// How many parts a query of `series` series is folded in: one a core, and none smaller than [`SERIES_PER_PART`].
fn fold_parts(series: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    cores.min(series / SERIES_PER_PART).max(1)
}

/// A series' buckets from its stored chunks and what the head held, folded into `B`s.
fn raw_fold<B: Bucket + NewBucket>(
    reader: &Reader,
    series: u64,
    copy: Option<HeadCopy>,
    query: &BucketQuery,
) -> Result<Vec<B>, QueryError> {
    let count = query.bucket_count();
    let mut buckets: Vec<B> = (0..count).map(|_| B::new_for(query)).collect();
    let corrupt = |detail: String| QueryError::Corrupt { series, detail };
    let overlaps = |bytes: &[u8]| match codec::header(bytes) {
        Ok(header) => header.min_timestamp_ms < query.end_ms && header.max_timestamp_ms >= query.start_ms,
        Err(_) => true,
    };
    let rows = crate::storage::chunks(reader, series, query.start_ms, overlaps)?;
    let stored: HashSet<u64> = rows.iter().map(|row| row.number).collect();
    for row in &rows {
        fold_chunk(&row.chunk, query, &mut buckets).map_err(|e| corrupt(format!("chunk {}: {e}", row.number)))?;
    }
    if let Some(copy) = copy {
        for (number, chunk) in copy.sealing.iter().filter(|(number, _)| !stored.contains(number)) {
            fold_chunk(chunk, query, &mut buckets).map_err(|e| corrupt(format!("sealing chunk {number}: {e}")))?;
        }
        if !copy.open.is_empty() {
            fold_chunk(&copy.open, query, &mut buckets).map_err(|e| corrupt(format!("open chunk: {e}")))?;
        }
    }
    Ok(buckets)
}

/// How a query makes an empty bucket of its kind.
pub(crate) trait NewBucket {
    fn new_for(query: &BucketQuery) -> Self;
}

impl NewBucket for Accumulator {
    fn new_for(query: &BucketQuery) -> Self {
        Accumulator::new(query.with_distribution)
    }
}

impl NewBucket for Basic {
    fn new_for(_: &BucketQuery) -> Self {
        Basic::default()
    }
}

/// Adds every point of a chunk that falls in the query range to its bucket.
pub(crate) fn fold_chunk<B: Bucket>(bytes: &[u8], query: &BucketQuery, buckets: &mut [B]) -> Result<(), String> {
    let header = codec::header(bytes).map_err(|e| e.to_string())?;
    if header.count == 0 || header.min_timestamp_ms >= query.end_ms || header.max_timestamp_ms < query.start_ms {
        return Ok(());
    }
    // Points mostly arrive in time order: remember the last bucket's bounds to skip the division.
    let (mut low, mut high, mut index) = (i64::MAX, i64::MIN, 0usize);
    for point in codec::decode(bytes).map_err(|e| e.to_string())? {
        let point = point.map_err(|e| e.to_string())?;
        let timestamp = point.timestamp_ms;
        if timestamp < low || timestamp >= high {
            let Some(found) = query.bucket_of(timestamp) else { continue };
            index = found;
            low = query.start_ms + found as i64 * query.period_ms;
            high = low.saturating_add(query.period_ms).min(query.end_ms);
        }
        let Some(bucket) = buckets.get_mut(index) else { continue };
        match point.extra {
            None => bucket.add_value(point.value),
            Some(extra) => {
                let (summary, _) = Summary::decode(extra).map_err(|e| e.to_string())?;
                bucket.add_summary(&summary);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 10: bucket counts come from client-sized numbers; none of them may overflow.
    #[test]
    fn bucket_counts_never_overflow() {
        let query = |start_ms, end_ms, period_ms| BucketQuery { start_ms, end_ms, period_ms, with_distribution: false };
        assert_eq!(query(0, 120_000, 60_000).bucket_count(), 2);
        assert_eq!(query(0, 120_001, 60_000).bucket_count(), 3);
        assert_eq!(query(0, 1, i64::MAX).bucket_count(), 1);
        assert_eq!(query(i64::MIN, i64::MAX, 1).bucket_count(), usize::MAX);
        assert_eq!(query(5, 5, 60_000).bucket_count(), 0);
        assert_eq!(query(0, 10, 0).bucket_count(), 0);
    }
}
