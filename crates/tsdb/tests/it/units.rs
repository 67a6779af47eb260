//! Series identity with units: a metric written under several units is one series a unit, a point without a
//! unit and a point with unit `None` share the unitless series, and each unit's points stay apart across a
//! restart (log replay) and a checkpoint.

use skywatch_store::Store;
use skywatch_tsdb::{BucketQuery, Config, Sample, SeriesKey, Source, Tsdb, WritePoint};

const DAY: i64 = 86_400_000;
const T0: i64 = 1_800_000_000_000 / DAY * DAY;

fn key(metric: &str) -> SeriesKey {
    SeriesKey::new("000000000000", "us-east-1", "App", metric, vec![("Service".into(), "api".into())])
}

fn open(dir: &std::path::Path) -> Tsdb {
    Tsdb::open(Store::open(dir).unwrap(), Config::default()).unwrap()
}

async fn write(tsdb: &Tsdb, points: &[WritePoint]) {
    let mut prepared = tsdb.prepare(points);
    tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
    tsdb.apply(prepared, T0);
}

/// Each series of `metric` as (unit, sample count, sum) over the first minute, sorted by unit.
async fn by_unit(tsdb: &Tsdb, metric: &str) -> Vec<(Option<String>, f64, f64)> {
    let series = tsdb.series_of(&key(metric));
    let ids: Vec<u64> = series.iter().map(|s| s.id).collect();
    let query = BucketQuery { start_ms: T0, end_ms: T0 + 60_000, period_ms: 60_000, with_distribution: false };
    let buckets = tsdb.query(ids, query, Source::Raw).await.unwrap();
    let mut out: Vec<_> = series
        .iter()
        .zip(buckets)
        .map(|(info, buckets)| {
            let summary = buckets[0].as_ref().expect("each series has its point");
            (info.unit.clone(), summary.sample_count, summary.sum)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every case's metrics (`{prefix}{case index}`) hold exactly the case's series.
async fn check(tsdb: &Tsdb, stage: &str, prefixes: &[&str]) {
    for (i, case) in CASES.iter().enumerate() {
        let expected: Vec<(Option<String>, f64, f64)> =
            case.expected.iter().map(|(unit, count, sum)| (unit.map(str::to_owned), *count, *sum)).collect();
        for prefix in prefixes {
            let metric = format!("{prefix}{i}");
            assert_eq!(by_unit(tsdb, &metric).await, expected, "{} ({metric}, {stage})", case.name);
        }
    }
}

struct Case {
    name: &'static str,
    /// (unit, value) written to one metric, in this order.
    writes: &'static [(Option<&'static str>, f64)],
    /// Each series afterwards: (unit, sample count, sum), sorted by unit (`None` first).
    expected: &'static [(Option<&'static str>, f64, f64)],
}

const CASES: &[Case] = &[
    Case {
        name: "two units are two series",
        writes: &[(Some("Seconds"), 1.0), (Some("Count"), 5.0)],
        expected: &[(Some("Count"), 1.0, 5.0), (Some("Seconds"), 1.0, 1.0)],
    },
    Case {
        name: "no unit and None are one unitless series",
        writes: &[(None, 10.0), (Some("None"), 20.0)],
        expected: &[(None, 2.0, 30.0)],
    },
    Case {
        name: "three units, the unitless one included (AWS's test_handle_different_units)",
        writes: &[(Some("Seconds"), 1.0), (Some("Count"), 5.0), (None, 10.0)],
        expected: &[(None, 1.0, 10.0), (Some("Count"), 1.0, 5.0), (Some("Seconds"), 1.0, 1.0)],
    },
    Case {
        name: "a unit written again goes back to its series",
        writes: &[(Some("Milliseconds"), 60000.0), (Some("Seconds"), 60.0), (Some("Milliseconds"), 60000.0)],
        expected: &[(Some("Milliseconds"), 2.0, 120000.0), (Some("Seconds"), 1.0, 60.0)],
    },
    Case {
        name: "one unit is one series",
        writes: &[(Some("Bytes"), 3.0), (Some("Bytes"), 4.0)],
        expected: &[(Some("Bytes"), 2.0, 7.0)],
    },
];

#[tokio::test(flavor = "multi_thread")]
async fn each_unit_of_a_metric_is_its_own_series_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    // Each case its own metric; every point of a case in one write, and again point by point in another metric,
    // so the lookup of consecutive points and of separate writes are both covered.
    for (i, case) in CASES.iter().enumerate() {
        let point = |metric: String, (unit, value): &(Option<&str>, f64)| WritePoint {
            series: key(&metric),
            unit: unit.map(str::to_owned),
            timestamp_ms: T0,
            sample: Sample::Value(*value),
        };
        let batch: Vec<WritePoint> = case.writes.iter().map(|w| point(format!("Batch{i}"), w)).collect();
        write(&tsdb, &batch).await;
        for w in case.writes {
            write(&tsdb, &[point(format!("Single{i}"), w)]).await;
        }
    }
    check(&tsdb, "written", &["Batch", "Single"]).await;
    let series = tsdb.series_count();
    assert_eq!(series, 2 * CASES.iter().map(|c| c.expected.len()).sum::<usize>());

    drop(tsdb);
    let tsdb = open(dir.path());
    assert_eq!(tsdb.series_count(), series, "the catalogue keeps one entry a unit");
    check(&tsdb, "log replayed", &["Batch", "Single"]).await;
    tsdb.checkpoint(T0 + DAY).await.unwrap();
    drop(tsdb);
    let tsdb = open(dir.path());
    check(&tsdb, "checkpointed", &["Batch", "Single"]).await;
    // A write after the restart finds the restored series of its unit instead of making another.
    let before = tsdb.series_count();
    let again =
        WritePoint { series: key("Batch0"), unit: Some("Count".into()), timestamp_ms: T0, sample: Sample::Value(1.0) };
    write(&tsdb, &[again]).await;
    assert_eq!(tsdb.series_count(), before);
    assert_eq!(
        by_unit(&tsdb, "Batch0").await,
        vec![(Some("Count".to_owned()), 2.0, 6.0), (Some("Seconds".to_owned()), 1.0, 1.0)]
    );
}
