//! A fixed ingest and query workload for instruction-count profiling:
//! `valgrind --tool=callgrind target/release/examples/ingest_profile`.

use skywatch_store::Store;
use skywatch_tsdb::{BucketQuery, Config, Sample, SeriesKey, Source, Tsdb, WritePoint};

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    let keys: Vec<SeriesKey> = (0..1000)
        .map(|i| {
            SeriesKey::new("000000000000", "us-east-1", "Bench", "Latency", vec![("Host".into(), format!("h{i}"))])
        })
        .collect();
    let t0 = 1_800_000_000_000i64;
    for round in 0..200i64 {
        let points: Vec<WritePoint> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| WritePoint {
                series: k.clone(),
                unit: None,
                timestamp_ms: t0 + round * 60_000,
                sample: Sample::Value((i % 100) as f64),
            })
            .collect();
        let prepared = tsdb.prepare(&points);
        tsdb.apply(prepared, t0);
    }
    let ids: Vec<u64> = keys.iter().take(100).map(|k| tsdb.series_of(k)[0].id).collect();
    let query = BucketQuery { start_ms: t0, end_ms: t0 + 200 * 60_000, period_ms: 60_000, with_distribution: false };
    for _ in 0..10 {
        std::hint::black_box(tsdb.query_blocking(&ids, &query, Source::Raw).unwrap());
    }
}
