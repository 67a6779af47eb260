//! Issue 11's target: 10,000 alarms of mixed kinds evaluated inside one 60-second cycle, while ingestion runs.
//! On a real redb file: 8,000 series with a datapoint every 10 seconds over the last 20 minutes; 7,000 Average
//! alarms, 1,000 p99 alarms (low-sample rule `ignore`), 1,000 metric-math alarms over two series each, and 1,000
//! composite alarms over two metric alarms each. `pass` times one whole evaluator pass (every alarm due);
//! `pass_under_ingest` does the same while another thread writes datapoints as fast as the engine takes them, and
//! prints the ingest rate during the passes beside the rate without them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use skywatch_alarms::definition::{AlarmQuery, MetricStat};
use skywatch_alarms::service::{
    Alarms, Common, CompositeInput, Dimension, MetricInput, PutCompositeAlarm, PutCompositeAlarmInput, PutMetricAlarm,
    PutMetricAlarmInput,
};
use skywatch_metrics::tsdb::{Config, Sample, SeriesKey, Tsdb, WritePoint};
use skywatch_ops::{Context, Operation};
use skywatch_store::{Mutation, Store};

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";
const MINUTE: i64 = 60_000;
const SERIES: usize = 8_000;

fn key(i: usize) -> SeriesKey {
    SeriesKey::new(ACCOUNT, REGION, "Bench", "Latency", vec![("Host".into(), format!("h{i:05}"))])
}

fn points(from_ms: i64, to_ms: i64, step_ms: i64) -> Vec<WritePoint> {
    let mut out = Vec::new();
    let mut t = from_ms;
    while t < to_ms {
        for i in 0..SERIES {
            let value = ((t / 10_000) as usize * 31 + i * 7) % 100;
            out.push(WritePoint { series: key(i), unit: None, timestamp_ms: t, sample: Sample::Value(value as f64) });
        }
        t += step_ms;
    }
    out
}

fn metric_input(name: String, host: usize, stat: &str, extended: bool) -> PutMetricAlarmInput {
    PutMetricAlarmInput {
        common: Common { alarm_name: name, ..Default::default() },
        metric: MetricInput {
            metric_name: Some("Latency".into()),
            namespace: Some("Bench".into()),
            statistic: (!extended).then(|| stat.to_owned()),
            extended_statistic: extended.then(|| stat.to_owned()),
            dimensions: vec![Dimension { name: "Host".into(), value: format!("h{host:05}") }],
            period: Some(60),
            evaluation_periods: Some(5),
            datapoints_to_alarm: Some(3),
            threshold: Some(50.0),
            comparison_operator: Some("GreaterThanThreshold".into()),
            evaluate_low_sample_count_percentile: extended.then(|| "ignore".to_owned()),
            ..Default::default()
        },
    }
}

fn math_input(name: String, a: usize, b: usize) -> PutMetricAlarmInput {
    let stat = |id: &str, host: usize| AlarmQuery {
        id: id.into(),
        metric_stat: Some(MetricStat {
            namespace: "Bench".into(),
            metric_name: "Latency".into(),
            dimensions: vec![("Host".into(), format!("h{host:05}"))],
            period: 60,
            stat: "Average".into(),
            unit: None,
        }),
        expression: None,
        label: None,
        return_data: Some(false),
        period: None,
        account_id: None,
    };
    let sum = AlarmQuery {
        id: "total".into(),
        metric_stat: None,
        expression: Some("m1 + m2".into()),
        label: None,
        return_data: None,
        period: None,
        account_id: None,
    };
    PutMetricAlarmInput {
        common: Common { alarm_name: name, ..Default::default() },
        metric: MetricInput {
            metrics: vec![stat("m1", a), stat("m2", b), sum],
            evaluation_periods: Some(3),
            threshold: Some(120.0),
            comparison_operator: Some("GreaterThanThreshold".into()),
            ..Default::default()
        },
    }
}

async fn apply(store: &Store, changes: &mut Vec<Mutation>) {
    store.apply(std::mem::take(changes)).await.unwrap();
}

/// The engine, with the data and the 10,000 alarms.
async fn setup(dir: &std::path::Path, now: i64) -> (Alarms, Tsdb) {
    let store = Store::open(dir).unwrap();
    let tsdb = Tsdb::open(store.clone(), Config::default()).unwrap();
    let alarms = Alarms::new(store.clone(), tsdb.clone(), skywatch_sns::Sns::new(store.clone()));
    for minute in 0..20 {
        let from = now - (20 - minute) * MINUTE;
        let batch = points(from, from + MINUTE, 10_000);
        let mut prepared = tsdb.prepare(&batch);
        store.apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
        tsdb.apply(prepared, now);
    }
    tsdb.checkpoint(now).await.unwrap();
    let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "bench", now);
    let mut changes = Vec::new();
    for i in 0..7_000 {
        let effect =
            PutMetricAlarm::run(&alarms, &ctx, metric_input(format!("avg-{i:05}"), i, "Average", false)).await.unwrap();
        changes.extend(effect.changes);
        if changes.len() > 1_000 {
            apply(&store, &mut changes).await;
        }
    }
    for i in 0..1_000 {
        let effect = PutMetricAlarm::run(&alarms, &ctx, metric_input(format!("p99-{i:05}"), 7_000 + i, "p99", true))
            .await
            .unwrap();
        changes.extend(effect.changes);
    }
    apply(&store, &mut changes).await;
    for i in 0..1_000 {
        let effect =
            PutMetricAlarm::run(&alarms, &ctx, math_input(format!("math-{i:05}"), 2 * i, 2 * i + 1)).await.unwrap();
        changes.extend(effect.changes);
    }
    apply(&store, &mut changes).await;
    for i in 0..1_000 {
        let input = PutCompositeAlarmInput {
            common: Common { alarm_name: format!("composite-{i:05}"), ..Default::default() },
            composite: CompositeInput {
                alarm_rule: format!("ALARM(avg-{:05}) OR ALARM(\"avg-{:05}\")", 2 * i, 2 * i + 1),
                ..Default::default()
            },
        };
        let effect = PutCompositeAlarm::run(&alarms, &ctx, input).await.unwrap();
        changes.extend(effect.changes);
        if changes.len() > 1_000 {
            apply(&store, &mut changes).await;
        }
    }
    apply(&store, &mut changes).await;
    (alarms, tsdb)
}

/// Writes a minute's worth of points for all series in batches until `stop`; counts points written.
fn ingest(tsdb: Tsdb, runtime: Arc<tokio::runtime::Runtime>, now: i64, stop: Arc<AtomicBool>, written: Arc<AtomicU64>) {
    let mut t = now + 1_000;
    while !stop.load(Ordering::Relaxed) {
        let batch: Vec<WritePoint> = (0..SERIES)
            .step_by(8)
            .map(|i| WritePoint { series: key(i), unit: None, timestamp_ms: t, sample: Sample::Value(42.0) })
            .collect();
        let mut prepared = tsdb.prepare(&batch);
        runtime.block_on(tsdb.store().apply(std::mem::take(&mut prepared.mutations))).unwrap();
        tsdb.apply(prepared, now);
        written.fetch_add(batch.len() as u64, Ordering::Relaxed);
        t += 1;
    }
}

fn benches(c: &mut Criterion) {
    let runtime = Arc::new(tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 / MINUTE
        * MINUTE;
    let (alarms, tsdb) = runtime.block_on(setup(dir.path(), now));
    let first = runtime.block_on(alarms.evaluate(now + 5_000, None, true)).unwrap();
    assert_eq!((first.evaluated, first.composites), (9_000, 1_000), "{first:?}");
    let mut group = c.benchmark_group("alarms");
    group.sample_size(10).measurement_time(Duration::from_secs(60));
    group.bench_function("pass_10000_alarms", |b| {
        b.iter(|| runtime.block_on(alarms.evaluate(now + 5_000, Some(now - MINUTE), true)).unwrap())
    });
    group.finish();

    // Ingest alone, then ingest while passes run back to back: the rates side by side.
    let rate = |with_passes: bool| {
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicU64::new(0));
        let writer = {
            let (tsdb, runtime, stop, written) =
                (tsdb.clone(), Arc::clone(&runtime), Arc::clone(&stop), Arc::clone(&written));
            std::thread::spawn(move || ingest(tsdb, runtime, now, stop, written))
        };
        let started = Instant::now();
        let mut passes = Vec::new();
        while started.elapsed() < Duration::from_secs(20) {
            if with_passes {
                let pass = Instant::now();
                runtime.block_on(alarms.evaluate(now + 5_000, Some(now - MINUTE), true)).unwrap();
                passes.push(pass.elapsed());
            } else {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        let per_second = written.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
        passes.sort();
        (per_second, passes.get(passes.len() / 2).copied())
    };
    let (alone, _) = rate(false);
    let (shared, median_pass) = rate(true);
    println!(
        "ingest alone: {alone:.0} points/s; with back-to-back passes: {shared:.0} points/s ({:.0}%); median pass under ingest: {median_pass:?}",
        100.0 * shared / alone
    );
}

criterion_group!(evaluate, benches);
criterion_main!(evaluate);
