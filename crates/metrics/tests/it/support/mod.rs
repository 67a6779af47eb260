//! Shared by the metrics tests: an engine on a real redb file and PutMetricData through `plan_put`.

#![allow(dead_code)]

use skywatch_metrics::tsdb::{Config, Tsdb};
use skywatch_metrics::{MetricDatum, plan_put};

pub const ACCOUNT: &str = "000000000000";
pub const REGION: &str = "us-east-1";
pub const MINUTE: i64 = 60_000;

/// "Now" for the tests: the real clock (CloudWatch's rules are relative to it), rounded to the hour so that
/// period buckets are predictable.
pub fn now_hour() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    now / 3_600_000 * 3_600_000
}

pub struct Engine {
    pub tsdb: Tsdb,
    _dir: tempfile::TempDir,
}

impl Engine {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = skywatch_store::Store::open(dir.path()).unwrap();
        Self { tsdb: Tsdb::open(store, Config::default()).unwrap(), _dir: dir }
    }

    /// PutMetricData as the API runs it: validate, prepare, commit, apply.
    pub async fn put(&self, namespace: &str, data: &[MetricDatum], now_ms: i64) {
        let points = plan_put(ACCOUNT, REGION, namespace, data, now_ms).expect("valid request");
        let mut prepared = self.tsdb.prepare(&points);
        self.tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
        self.tsdb.apply(prepared, now_ms);
    }
}

pub fn value(metric: &str, dims: &[(&str, &str)], timestamp_ms: i64, value: f64) -> MetricDatum {
    MetricDatum {
        metric_name: metric.into(),
        dimensions: dims.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
        timestamp_ms: Some(timestamp_ms),
        value: Some(value),
        unit: Some("Count".into()),
        ..Default::default()
    }
}
