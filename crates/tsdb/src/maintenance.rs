//! Background work: checkpoints on a timer or when the log is large, daily roll-ups once a day is final, and
//! retention (raw chunks after 15 days, 5-minute roll-ups after 63, 1-hour roll-ups after 455 by default).
//! Progress is kept in the store, so work resumes where it stopped after a restart.

use std::time::Duration;

use skywatch_store::Mutation;

use crate::storage::{self, TsChange};

use crate::config::{LATEST_ARRIVAL, millis};
use crate::engine::Tsdb;
use crate::error::MaintenanceError;
use crate::query::{BucketQuery, Source};
use crate::rollup::{DAY_MS, PERIODS, encode_parts, hourly};

const ROLLED_UP_KEY: &str = "tsdb.rolled_up_before_ms";
/// Series whose roll-ups of one day go in one commit.
const ROLL_UP_BATCH: usize = 1000;

/// What one maintenance pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct MaintenanceReport {
    pub days_rolled_up: usize,
    pub chunks_deleted: usize,
    pub rollups_deleted: usize,
    /// Metrics no longer listed (not written for `Config::listed_for`).
    pub metrics_unlisted: usize,
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

impl Tsdb {
    /// Checkpoints every `checkpoint_every` (or sooner when the log is large) and rolls up and applies
    /// retention every `maintain_every`, until `stop` resolves; then checkpoints once more.
    pub async fn run_background(
        self,
        checkpoint_every: Duration,
        maintain_every: Duration,
        stop: impl std::future::Future<Output = ()>,
    ) {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut since_checkpoint = Duration::ZERO;
        let mut since_maintenance = maintain_every;
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => break,
                _ = tick.tick() => {}
            }
            since_checkpoint += Duration::from_secs(1);
            since_maintenance += Duration::from_secs(1);
            if since_checkpoint >= checkpoint_every || self.checkpoint_due() {
                since_checkpoint = Duration::ZERO;
                if let Err(error) = self.checkpoint(now_ms()).await {
                    tracing::error!(%error, "metric checkpoint failed");
                }
            }
            if since_maintenance >= maintain_every {
                since_maintenance = Duration::ZERO;
                match self.maintain(now_ms()).await {
                    Ok(report) if report != MaintenanceReport::default() => {
                        tracing::info!(?report, "metric maintenance")
                    }
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "metric maintenance failed"),
                }
            }
        }
        if let Err(error) = self.checkpoint(now_ms()).await {
            tracing::error!(%error, "final metric checkpoint failed");
        }
    }

    /// Rolls up every day that became final and deletes what retention no longer keeps.
    pub async fn maintain(&self, now_ms: i64) -> Result<MaintenanceReport, MaintenanceError> {
        let mut report = MaintenanceReport { days_rolled_up: self.roll_up(now_ms).await?, ..Default::default() };
        let retention = self.inner.config.retention;
        let rolled_before = self.rolled_up_before().await?.unwrap_or(i64::MIN);
        let raw_cutoff = (now_ms - millis(retention.raw)).min(rolled_before);
        let (expired_chunks, expired) = self
            .inner
            .store
            .read(move |r| Ok((storage::chunks_older_than(r, raw_cutoff)?, storage::blocks_older_than(r, raw_cutoff)?)))
            .await?;
        report.chunks_deleted = expired_chunks.len() + expired.chunks;
        let mut mutations: Vec<Mutation> = expired_chunks
            .into_iter()
            .map(|(series, max_timestamp_ms, number)| TsChange::DeleteChunk { series, max_timestamp_ms, number }.into())
            .chain(expired.blocks.into_iter().map(|(series, max_timestamp_ms, first_number)| {
                TsChange::DeleteBlock { series, max_timestamp_ms, first_number }.into()
            }))
            .chain(
                expired.tails.into_iter().map(|series| TsChange::ExpireTail { series, before_ms: raw_cutoff }.into()),
            )
            .collect();
        for (period_seconds, keep) in PERIODS.into_iter().zip([retention.five_minute, retention.one_hour]) {
            // A day row goes once its whole day is past the retention.
            let before_day = now_ms - millis(keep) - DAY_MS;
            let expired =
                self.inner.store.read(move |r| storage::rollups_older_than(r, period_seconds, before_day)).await?;
            report.rollups_deleted += expired.len();
            mutations.extend(expired.into_iter().map(|(series, period_seconds, day_start_ms)| {
                TsChange::DeleteRollup { series, period_seconds, day_start_ms }.into()
            }));
        }
        for batch in mutations.chunks(50_000) {
            self.inner.store.apply(batch.to_vec()).await?;
        }
        let tsdb = self.clone();
        report.metrics_unlisted = tokio::task::spawn_blocking(move || tsdb.catalog_expire(now_ms))
            .await
            .map_err(|_| MaintenanceError::Read(skywatch_store::ReadError::Cancelled))?;
        Ok(report)
    }

    async fn rolled_up_before(&self) -> Result<Option<i64>, MaintenanceError> {
        let value = self.inner.store.read(|r| r.meta(ROLLED_UP_KEY)).await?;
        Ok(value.and_then(|bytes| bytes.try_into().ok()).map(i64::from_le_bytes))
    }

    /// Writes 5-minute and 1-hour roll-ups for every day no point can arrive for any more, oldest first. A day's
    /// rows are committed a thousand series at a time, so the pass holds one batch in memory however many series
    /// there are (issue 15, point 5); the progress marker goes with the day's last commit, and a day cut short by
    /// a restart is rolled up again, its rows replaced.
    async fn roll_up(&self, now_ms: i64) -> Result<usize, MaintenanceError> {
        let final_before = now_ms - millis(LATEST_ARRIVAL);
        let first_day = match self.rolled_up_before().await? {
            Some(marker) => marker,
            None => (now_ms - millis(self.inner.config.retention.raw)).div_euclid(DAY_MS) * DAY_MS - DAY_MS,
        };
        let mut day = first_day;
        let mut days = 0;
        while day + DAY_MS <= final_before {
            let series: Vec<u64> = self.head().ids();
            let query =
                BucketQuery { start_ms: day, end_ms: day + DAY_MS, period_ms: 300_000, with_distribution: true };
            for ids in series.chunks(ROLL_UP_BATCH) {
                let mut mutations = Vec::new();
                let buckets = self.query(ids.to_vec(), query, Source::Raw).await?;
                for (id, five_minute) in ids.iter().zip(buckets) {
                    if five_minute.iter().all(Option::is_none) {
                        continue;
                    }
                    let hours = hourly(&five_minute);
                    for (period_seconds, slots) in PERIODS.into_iter().zip([five_minute, hours]) {
                        let slot_ms = i64::from(period_seconds) * 1000;
                        for (start, summaries) in encode_parts(&slots, day, slot_ms) {
                            let row =
                                TsChange::PutRollup { series: *id, period_seconds, day_start_ms: start, summaries };
                            mutations.push(row.into());
                        }
                    }
                }
                if !mutations.is_empty() {
                    self.inner.store.apply(mutations).await?;
                }
            }
            day += DAY_MS;
            let marker = TsChange::PutMeta { key: ROLLED_UP_KEY.into(), value: day.to_le_bytes().to_vec() };
            self.inner.store.apply(vec![marker.into()]).await?;
            days += 1;
        }
        Ok(days)
    }
}
