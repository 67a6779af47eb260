//! GetMetricData of one week at a 1-minute period for 100 series (the target: under 50 ms), with and
//! without a metric math expression over them, on a real redb file with sealed chunks.

use criterion::{Criterion, criterion_group, criterion_main};
use skywatch_metrics::tsdb::{Config, Sample, SeriesKey, Tsdb, WritePoint};
use skywatch_metrics::{DataQuery, DataRequest, QueryKind, get_metric_data};

const MINUTE: i64 = 60_000;

fn key(i: usize) -> SeriesKey {
    SeriesKey::new(
        "000000000000",
        "us-east-1",
        "Bench",
        "CPUUtilization",
        vec![("InstanceId".into(), format!("i-{i:04}"))],
    )
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tsdb = Tsdb::open(skywatch_store::Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 / MINUTE
        * MINUTE;
    let week = 7 * 24 * 60;
    let start = now - week * MINUTE;
    runtime.block_on(async {
        for from in (0..week).step_by(10) {
            let points: Vec<WritePoint> = (from..(from + 10).min(week))
                .flat_map(|m| {
                    (0..100).map(move |i| WritePoint {
                        series: key(i),
                        unit: Some("Percent".into()),
                        timestamp_ms: start + m * MINUTE,
                        sample: Sample::Value(((m * 31 + i as i64 * 7) % 1000) as f64 / 10.0),
                    })
                })
                .collect();
            let mut prepared = tsdb.prepare(&points);
            tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
            tsdb.apply(prepared, now);
            if from % 600 == 0 {
                tsdb.checkpoint(start + from * MINUTE).await.unwrap();
            }
        }
        tsdb.checkpoint(now).await.unwrap();
    });
    let stat_queries: Vec<DataQuery> = (0..100)
        .map(|i| DataQuery {
            id: format!("m{i}"),
            kind: QueryKind::MetricStat { series: key(i), period_seconds: 60, stat: "Average".into(), unit: None },
            label: None,
            return_data: true,
        })
        .collect();
    let request = |queries: Vec<DataQuery>| DataRequest {
        account: "000000000000".into(),
        region: "us-east-1".into(),
        queries,
        start_ms: start,
        end_ms: now,
        ascending: false,
        // The whole week in one answer (1,008,000 datapoints; the API's pages would split it in ten).
        max_datapoints: Some(100 * 7 * 24 * 60),
        next_token: None,
    };
    let plain = request(stat_queries.clone());
    let response = runtime.block_on(get_metric_data(&tsdb, &plain, now)).unwrap();
    let total: usize = response.results.iter().map(|r| r.values.len()).sum();
    assert_eq!(total, 100 * week as usize, "every datapoint of the week comes back");
    let mut group = c.benchmark_group("get_metric_data");
    group.sample_size(20);
    group.bench_function("100_series_one_week_1_minute", |b| {
        b.iter(|| runtime.block_on(get_metric_data(&tsdb, &plain, now)).unwrap())
    });
    let mut with_math = stat_queries;
    for q in &mut with_math {
        q.return_data = false;
    }
    with_math.push(DataQuery {
        id: "total".into(),
        kind: QueryKind::Expression { expression: "SUM(METRICS())".into(), period_seconds: None },
        label: Some("Fleet CPU".into()),
        return_data: true,
    });
    let math = request(with_math);
    group.bench_function("100_series_one_week_1_minute_sum_metrics", |b| {
        b.iter(|| runtime.block_on(get_metric_data(&tsdb, &math, now)).unwrap())
    });
    group.bench_function("100_series_one_week_p99", |b| {
        let mut p99 = plain.clone();
        for q in &mut p99.queries {
            if let QueryKind::MetricStat { stat, .. } = &mut q.kind {
                *stat = "p99".into();
            }
        }
        b.iter(|| runtime.block_on(get_metric_data(&tsdb, &p99, now)).unwrap())
    });
    group.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
