//! Issue 15: the sharded head under concurrent writers, checkpoints and queries. Every acknowledged point is
//! counted exactly once: by queries while the writes go on (never more than was written), and after a restart
//! with or without a final checkpoint (the write-ahead log and the folded chunks never both hold a point).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use skywatch_store::Store;
use skywatch_tsdb::{BucketQuery, Config, Sample, SeriesKey, Source, Tsdb, WritePoint};

const MINUTE: i64 = 60_000;
const T0: i64 = 1_800_000_000_000 / 86_400_000 * 86_400_000;
const WRITERS: usize = 4;
const WRITES: usize = 150;
const OWN_SERIES: usize = 12;
const POINTS_A_SERIES: usize = 3;

fn key(metric: &str) -> SeriesKey {
    SeriesKey::new("000000000000", "us-east-1", "Load", metric, vec![("Host".into(), "a".into())])
}

fn own(writer: usize, series: usize) -> String {
    format!("W{writer}S{series}")
}

/// One write: a few points in each of the writer's series (spread over the key shards) and one in the shared one.
fn batch(writer: usize, write: usize) -> Vec<WritePoint> {
    let timestamp = |i: usize| T0 + ((write * POINTS_A_SERIES + i) as i64) * MINUTE;
    let mut points: Vec<WritePoint> = (0..OWN_SERIES)
        .flat_map(|s| {
            (0..POINTS_A_SERIES).map(move |i| WritePoint {
                series: key(&own(writer, s)),
                unit: None,
                timestamp_ms: timestamp(i),
                sample: Sample::Value(1.0),
            })
        })
        .collect();
    points.push(WritePoint {
        series: key("Shared"),
        unit: None,
        timestamp_ms: timestamp(0),
        sample: Sample::Value(1.0),
    });
    points
}

/// Small chunks, so that the checkpoints seal often while writes go on.
fn config() -> Config {
    Config { chunk_max_points: 16, ..Config::default() }
}

fn whole_range() -> BucketQuery {
    let end = T0 + ((WRITES * POINTS_A_SERIES) as i64 + 1) * MINUTE;
    BucketQuery { start_ms: T0, end_ms: end, period_ms: end - T0, with_distribution: false }
}

async fn count(tsdb: &Tsdb, metric: &str) -> f64 {
    let Some(series) = tsdb.series_of(&key(metric)).first().map(|s| s.id) else { return 0.0 };
    let buckets = tsdb.query(vec![series], whole_range(), Source::Raw).await.unwrap();
    buckets[0][0].as_ref().map_or(0.0, |s| s.sample_count)
}

async fn assert_exact(tsdb: &Tsdb, when: &str) {
    assert_eq!(count(tsdb, "Shared").await, (WRITERS * WRITES) as f64, "shared series {when}");
    for writer in 0..WRITERS {
        for s in 0..OWN_SERIES {
            let expected = (WRITES * POINTS_A_SERIES) as f64;
            assert_eq!(count(tsdb, &own(writer, s)).await, expected, "series {} {when}", own(writer, s));
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_checkpoints_and_queries_count_every_point_once() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), config()).unwrap();
    let started = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));

    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (tsdb, started) = (tsdb.clone(), Arc::clone(&started));
            tokio::spawn(async move {
                for write in 0..WRITES {
                    let mut prepared = tsdb.prepare(&batch(writer, write));
                    started.fetch_add(1, Ordering::SeqCst);
                    tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
                    tsdb.apply(prepared, T0);
                }
            })
        })
        .collect();
    let checkpoints = {
        let (tsdb, done) = (tsdb.clone(), Arc::clone(&done));
        tokio::spawn(async move {
            let mut folds = 0;
            while !done.load(Ordering::SeqCst) {
                tsdb.checkpoint(T0).await.unwrap();
                folds += 1;
                tokio::task::yield_now().await;
            }
            folds
        })
    };
    let queries = {
        let (tsdb, done, started) = (tsdb.clone(), Arc::clone(&done), Arc::clone(&started));
        tokio::spawn(async move {
            let mut last = 0.0;
            while !done.load(Ordering::SeqCst) {
                let seen = count(&tsdb, "Shared").await;
                let bound = started.load(Ordering::SeqCst) as f64;
                assert!(seen <= bound, "a query counted {seen} points of the shared series; at most {bound} written");
                assert!(seen >= last, "a query counted {seen} points after an earlier one counted {last}");
                last = seen;
                tokio::task::yield_now().await;
            }
        })
    };
    for writer in writers {
        writer.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    queries.await.unwrap();
    assert!(checkpoints.await.unwrap() > 1, "checkpoints ran while the writes went on");
    assert_exact(&tsdb, "after the writes").await;

    // A restart replays whatever the last fold left in the log: nothing twice, nothing lost.
    drop(tsdb);
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), config()).unwrap();
    assert_exact(&tsdb, "after a restart").await;
    tsdb.checkpoint(T0 + 2 * 3_600_000).await.unwrap();
    drop(tsdb);
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), config()).unwrap();
    assert_exact(&tsdb, "after a final checkpoint and a restart").await;
}
