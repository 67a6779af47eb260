//! Shared by the rendering tests: a metrics engine on a real redb file in a temporary directory, written to
//! through the engine's batch path (prepare, durable commit, apply), as the metrics crate's tests do.

#![allow(dead_code)]

use skywatch_metrics::tsdb::{Config, Sample, SeriesKey, Tsdb, WritePoint};

pub const ACCOUNT: &str = "000000000000";
pub const REGION: &str = "us-east-1";
pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

/// "Now" for the tests: the real clock (retention is relative to it), rounded down to the hour so that period
/// buckets are predictable.
pub fn now_hour() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock after 1970");
    i64::try_from(now.as_millis()).expect("clock fits i64") / HOUR * HOUR
}

pub struct Engine {
    pub tsdb: Tsdb,
    _dir: tempfile::TempDir,
}

impl Engine {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = skywatch_store::Store::open(dir.path()).expect("open store");
        Self { tsdb: Tsdb::open(store, Config::default()).expect("open tsdb"), _dir: dir }
    }

    /// Writes `points` as one batch: prepare, commit durably, make visible.
    pub async fn write(&self, points: &[WritePoint], now_ms: i64) {
        let mut prepared = self.tsdb.prepare(points);
        self.tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.expect("commit");
        self.tsdb.apply(prepared, now_ms);
    }

    /// Folds the write-ahead log into chunks on disk.
    pub async fn checkpoint(&self, now_ms: i64) {
        self.tsdb.checkpoint(now_ms).await.expect("checkpoint");
    }
}

/// The series `namespace`/`metric` with one `Host` dimension, in the tests' account and region.
pub fn key(namespace: &str, metric: &str, host: &str) -> SeriesKey {
    SeriesKey::new(ACCOUNT, REGION, namespace, metric, vec![("Host".to_owned(), host.to_owned())])
}

/// One raw value of `series`, in `Count`.
pub fn point(series: &SeriesKey, timestamp_ms: i64, value: f64) -> WritePoint {
    WritePoint { series: series.clone(), unit: Some("Count".to_owned()), timestamp_ms, sample: Sample::Value(value) }
}
