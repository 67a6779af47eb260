//! The engine alone: ingest (prepare + apply, and the durable path with the log commit), checkpoints, and
//! period queries over a week of 1-minute data for 100 series.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use skywatch_store::Store;
use skywatch_tsdb::{BucketQuery, Config, PointRef, Sample, SeriesKey, SeriesRef, Source, Tsdb, WritePoint};

const MINUTE: i64 = 60_000;
const T0: i64 = 1_800_000_000_000 / 86_400_000 * 86_400_000;

fn keys(n: usize) -> Vec<SeriesKey> {
    (0..n)
        .map(|i| {
            SeriesKey::new(
                "000000000000",
                "us-east-1",
                "Bench",
                "Latency",
                vec![("Host".into(), format!("host-{i:05}")), ("Service".into(), "api".into())],
            )
        })
        .collect()
}

/// `count` points round-robin over `keys`, one minute apart per series, starting at minute `from`.
fn batch(keys: &[SeriesKey], from: i64, count: usize) -> Vec<WritePoint> {
    (0..count)
        .map(|i| {
            let minute = from + (i / keys.len()) as i64;
            WritePoint {
                series: keys[i % keys.len()].clone(),
                unit: None,
                timestamp_ms: T0 + minute * MINUTE,
                sample: Sample::Value(((i * 7919) % 1000) as f64 / 10.0),
            }
        })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    let keys = keys(1000);
    let mut group = c.benchmark_group("tsdb_ingest");
    group.throughput(Throughput::Elements(1000));
    let mut minute = 0;
    group.bench_function("prepare_and_apply_1000_points", |b| {
        b.iter_batched(
            || {
                minute += 1;
                batch(&keys, minute, 1000)
            },
            |points| {
                let prepared = tsdb.prepare(&points);
                tsdb.apply(prepared, T0);
            },
            BatchSize::SmallInput,
        )
    });
    // PutMetricData's path: series borrowed from the request, each key hashed inside the timed part.
    let dimensions: Vec<Vec<(&str, &str)>> =
        keys.iter().map(|k| k.dimensions.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()).collect();
    let refs: Vec<SeriesRef<'_>> = keys
        .iter()
        .zip(&dimensions)
        .map(|(k, dims)| SeriesRef {
            account: &k.account,
            region: &k.region,
            namespace: &k.namespace,
            metric_name: &k.metric_name,
            dimensions: dims,
        })
        .collect();
    let ref_batch = |from: i64| -> Vec<PointRef<'_>> {
        batch(&keys, from, 1000)
            .into_iter()
            .enumerate()
            .map(|(i, p)| PointRef {
                series: refs[i % refs.len()],
                unit: None,
                timestamp_ms: p.timestamp_ms,
                sample: p.sample,
            })
            .collect()
    };
    group.bench_function("prepare_refs_and_apply_1000_points", |b| {
        b.iter_batched(
            || {
                minute += 1;
                ref_batch(minute)
            },
            |points| {
                let prepared = tsdb.prepare_refs(&points);
                tsdb.apply(prepared, T0);
            },
            BatchSize::SmallInput,
        )
    });
    // Two threads at once, on disjoint series: the head's shards let them proceed side by side.
    let (left, right) = refs.split_at(500);
    group.throughput(Throughput::Elements(2 * 4 * 1000));
    group.bench_function("prepare_refs_and_apply_2_threads_x_4000_points", |b| {
        b.iter_batched(
            || {
                minute += 8;
                [left, right].map(|half| {
                    (0..4)
                        .map(|k| {
                            (0..1000)
                                .map(|i| PointRef {
                                    series: half[i % half.len()],
                                    unit: None,
                                    timestamp_ms: T0 + (minute + 2 * k + (i / half.len()) as i64) * MINUTE,
                                    sample: Sample::Value(i as f64),
                                })
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                })
            },
            |halves| {
                std::thread::scope(|scope| {
                    for batches in &halves {
                        let tsdb = &tsdb;
                        scope.spawn(move || {
                            for points in batches {
                                tsdb.apply(tsdb.prepare_refs(points), T0);
                            }
                        });
                    }
                });
            },
            BatchSize::SmallInput,
        )
    });
    // The durable path: 16 concurrent writers each commit a 1,000-point log record (the store groups them).
    group.throughput(Throughput::Elements(16 * 1000));
    group.sample_size(20);
    group.bench_function("durable_16_writers_x_1000_points", |b| {
        b.iter_batched(
            || {
                minute += 1;
                (0..16).map(|w| batch(&keys, minute * 16 + w, 1000)).collect::<Vec<_>>()
            },
            |batches| {
                runtime.block_on(async {
                    let tasks: Vec<_> = batches
                        .into_iter()
                        .map(|points| {
                            let tsdb = tsdb.clone();
                            tokio::spawn(async move {
                                let mut prepared = tsdb.prepare(&points);
                                tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
                                tsdb.apply(prepared, T0);
                            })
                        })
                        .collect();
                    for task in tasks {
                        task.await.unwrap();
                    }
                })
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
    runtime.block_on(tsdb.checkpoint(T0)).unwrap();
}

fn query(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    let keys = keys(100);
    let week_minutes = 7 * 24 * 60;
    runtime.block_on(async {
        for from in (0..week_minutes).step_by(100) {
            let points = batch(&keys, from as i64, 100 * 100);
            let mut prepared = tsdb.prepare(&points);
            tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
            tsdb.apply(prepared, T0);
            if from % 1000 == 0 {
                tsdb.checkpoint(T0 + from as i64 * MINUTE).await.unwrap();
            }
        }
        tsdb.checkpoint(T0 + 30 * 86_400_000).await.unwrap();
    });
    let ids: Vec<u64> = keys.iter().map(|k| tsdb.series_of(k)[0].id).collect();
    let week = BucketQuery {
        start_ms: T0,
        end_ms: T0 + week_minutes as i64 * MINUTE,
        period_ms: MINUTE,
        with_distribution: false,
    };
    let mut group = c.benchmark_group("tsdb_query");
    group.sample_size(20);
    group.throughput(Throughput::Elements(100 * week_minutes as u64));
    group.bench_function("100_series_one_week_1_minute_periods", |b| {
        b.iter(|| tsdb.query_blocking(&ids, &week, Source::Raw).unwrap())
    });
    group.bench_function("100_series_one_week_1_minute_periods_with_sketch", |b| {
        b.iter(|| tsdb.query_blocking(&ids, &BucketQuery { with_distribution: true, ..week }, Source::Raw).unwrap())
    });
    group.finish();
}

criterion_group!(benches, ingest, query);
criterion_main!(benches);
