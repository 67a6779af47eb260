//! The engine at its boundary: writes through prepare/commit/apply, queries from the head and from chunks,
//! checkpoints, restarts (log replay), late and out-of-order points, roll-ups and retention.

use skywatch_store::Store;
use skywatch_tsdb::{BucketQuery, Config, Sample, SeriesKey, Source, Summary, Tsdb, WritePoint};

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// A fixed "now", on a day boundary, so tests are deterministic.
const T0: i64 = 1_800_000_000_000 / DAY * DAY;

fn key(metric: &str) -> SeriesKey {
    SeriesKey::new("000000000000", "us-east-1", "App", metric, vec![("Service".into(), "api".into())])
}

fn point(metric: &str, timestamp_ms: i64, sample: Sample) -> WritePoint {
    WritePoint { series: key(metric), unit: Some("Milliseconds".into()), timestamp_ms, sample }
}

async fn write(tsdb: &Tsdb, points: &[WritePoint]) {
    let mut prepared = tsdb.prepare(points);
    tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
    tsdb.apply(prepared, T0);
}

fn per_minute(start: i64, minutes: i64, with_distribution: bool) -> BucketQuery {
    BucketQuery { start_ms: start, end_ms: start + minutes * MINUTE, period_ms: MINUTE, with_distribution }
}

async fn buckets(tsdb: &Tsdb, metric: &str, query: BucketQuery, source: Source) -> Vec<Option<(f64, f64, f64, f64)>> {
    let id = tsdb.series_of(&key(metric)).first().expect("series exists").id;
    let result = tsdb.query(vec![id], query, source).await.unwrap();
    result[0].iter().map(|b| b.as_ref().map(|s| (s.sample_count, s.sum, s.minimum, s.maximum))).collect()
}

fn open(dir: &std::path::Path) -> Tsdb {
    Tsdb::open(Store::open(dir).unwrap(), Config::default()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn points_are_visible_after_apply_and_survive_checkpoints_and_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    let points: Vec<WritePoint> = (0..10).map(|i| point("Latency", T0 + i * MINUTE, Sample::Value(i as f64))).collect();
    write(&tsdb, &points).await;
    let expected: Vec<_> = (0..10).map(|i| Some((1.0, i as f64, i as f64, i as f64))).collect();
    assert_eq!(buckets(&tsdb, "Latency", per_minute(T0, 10, false), Source::Raw).await, expected);

    // Restart without a checkpoint: the log is replayed.
    drop(tsdb);
    let tsdb = open(dir.path());
    assert_eq!(buckets(&tsdb, "Latency", per_minute(T0, 10, false), Source::Raw).await, expected);

    // A checkpoint folds the log into an open chunk; more points, then a restart.
    tsdb.checkpoint(T0).await.unwrap();
    assert_eq!(tsdb.store().read_blocking(skywatch_tsdb::storage::wal).unwrap().len(), 0, "the log is folded");
    write(&tsdb, &[point("Latency", T0 + 10 * MINUTE, Sample::Value(10.0))]).await;
    drop(tsdb);
    let tsdb = open(dir.path());
    let mut expected_11 = expected.clone();
    expected_11.push(Some((1.0, 10.0, 10.0, 10.0)));
    assert_eq!(buckets(&tsdb, "Latency", per_minute(T0, 11, false), Source::Raw).await, expected_11);

    // An idle series' chunk is sealed (idle for an hour and up to an hour more by its series' phase); sealed chunks answer
    // the same.
    tsdb.checkpoint(T0 + 3 * 3_600_000).await.unwrap();
    let [_, wal, _, chunks, _] = tsdb.store().read_blocking(skywatch_tsdb::storage::counts).unwrap();
    assert_eq!((wal, chunks), (0, 1));
    assert_eq!(buckets(&tsdb, "Latency", per_minute(T0, 11, false), Source::Raw).await, expected_11);
    drop(tsdb);
    let tsdb = open(dir.path());
    assert_eq!(buckets(&tsdb, "Latency", per_minute(T0, 11, false), Source::Raw).await, expected_11);
}

/// A write whose commit landed but whose apply never ran (a crash between the two) is replayed.
#[tokio::test(flavor = "multi_thread")]
async fn committed_but_unapplied_writes_are_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    write(&tsdb, &[point("Errors", T0, Sample::Value(1.0))]).await;
    let mut prepared = tsdb.prepare(&[point("Errors", T0, Sample::Value(2.0))]);
    tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
    // A checkpoint now must not drop the committed-but-unapplied record.
    tsdb.checkpoint(T0).await.unwrap();
    drop(prepared);
    drop(tsdb);
    let tsdb = open(dir.path());
    assert_eq!(buckets(&tsdb, "Errors", per_minute(T0, 1, false), Source::Raw).await, vec![Some((2.0, 3.0, 1.0, 2.0))]);
}

#[tokio::test(flavor = "multi_thread")]
async fn late_and_out_of_order_points_merge_into_their_periods() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    write(&tsdb, &[point("Hits", T0 + 5 * MINUTE, Sample::Value(5.0)), point("Hits", T0 + MINUTE, Sample::Value(1.0))])
        .await;
    tsdb.checkpoint(T0 + 3 * 3_600_000).await.unwrap(); // sealed (idle)
    // Late: into minutes already sealed, and the same timestamp twice.
    write(
        &tsdb,
        &[point("Hits", T0 + MINUTE, Sample::Value(10.0)), point("Hits", T0 + 5 * MINUTE, Sample::Value(-5.0))],
    )
    .await;
    let got = buckets(&tsdb, "Hits", per_minute(T0, 6, false), Source::Raw).await;
    assert_eq!(got, vec![None, Some((2.0, 11.0, 1.0, 10.0)), None, None, None, Some((2.0, 0.0, -5.0, 5.0))]);
}

#[tokio::test(flavor = "multi_thread")]
async fn period_buckets_include_their_start_and_exclude_their_end() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    let at = |offset: i64, v: f64| point("Edge", T0 + offset, Sample::Value(v));
    write(&tsdb, &[at(-1, 100.0), at(0, 1.0), at(299_999, 2.0), at(300_000, 3.0), at(600_000, 4.0)]).await;
    let query = BucketQuery { start_ms: T0, end_ms: T0 + 600_000, period_ms: 300_000, with_distribution: false };
    let got = buckets(&tsdb, "Edge", query, Source::Raw).await;
    assert_eq!(got, vec![Some((2.0, 3.0, 1.0, 2.0)), Some((1.0, 3.0, 3.0, 3.0))]);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_three_datapoint_forms_aggregate_alike() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    let values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
    let singles: Vec<WritePoint> = values.iter().map(|v| point("Single", T0, Sample::Value(*v))).collect();
    write(&tsdb, &singles).await;
    let (distinct, counts): (Vec<f64>, Vec<f64>) =
        [(1.0, 2.0), (2.0, 1.0), (3.0, 1.0), (4.0, 1.0), (5.0, 1.0), (6.0, 1.0), (9.0, 1.0)].into_iter().unzip();
    write(&tsdb, &[point("Counted", T0, Sample::Summary(Summary::from_values_counts(&distinct, &counts)))]).await;
    let sum: f64 = values.iter().sum();
    write(&tsdb, &[point("Set", T0, Sample::Summary(Summary::from_statistic_set(8.0, sum, 1.0, 9.0)))]).await;
    let query = per_minute(T0, 1, true);
    let mut answers = Vec::new();
    for metric in ["Single", "Counted", "Set"] {
        answers.push(buckets(&tsdb, metric, query, Source::Raw).await);
    }
    assert_eq!(answers[0], vec![Some((8.0, sum, 1.0, 9.0))]);
    assert_eq!(answers[1], answers[0]);
    assert_eq!(answers[2], answers[0]);
    // Values+Counts and single values carry the same distribution.
    let ids: Vec<u64> = ["Single", "Counted"].iter().map(|m| tsdb.series_of(&key(m))[0].id).collect();
    let both = tsdb.query(ids, query, Source::Raw).await.unwrap();
    assert_eq!(both[0][0].as_ref().map(|s| &s.distribution), both[1][0].as_ref().map(|s| &s.distribution));
}

/// Days are rolled up once no point can arrive for them; raw chunks then expire and roll-ups answer the same
/// per-5-minute and per-hour summaries. Roll-ups expire after their own retention.
#[tokio::test(flavor = "multi_thread")]
async fn roll_ups_replace_expired_raw_data_and_expire_in_turn() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    let points: Vec<WritePoint> =
        (0..(2 * 24 * 60)).map(|i| point("Cpu", T0 + i * MINUTE, Sample::Value((i % 97) as f64))).collect();
    for batch in points.chunks(500) {
        write(&tsdb, batch).await;
    }
    tsdb.checkpoint(T0 + 3 * DAY).await.unwrap();
    let five = BucketQuery { start_ms: T0, end_ms: T0 + 2 * DAY, period_ms: 300_000, with_distribution: false };
    let hour = BucketQuery { period_ms: 3_600_000, ..five };
    let raw_five = buckets(&tsdb, "Cpu", five, Source::Raw).await;
    let raw_hour = buckets(&tsdb, "Cpu", hour, Source::Raw).await;
    assert_eq!(raw_five.iter().flatten().count(), 2 * 288);

    // 16 days later both days are final and rolled up; a day after, the raw chunk (newest point on day 2) is
    // past the 15-day retention.
    let report = tsdb.maintain(T0 + 16 * DAY + 3 * 3_600_000).await.unwrap();
    assert_eq!((report.days_rolled_up, report.chunks_deleted), (2, 0), "{report:?}");
    assert_eq!(buckets(&tsdb, "Cpu", five, Source::Raw).await, raw_five, "raw data is still kept");
    let report = tsdb.maintain(T0 + 17 * DAY + 3 * 3_600_000).await.unwrap();
    assert_eq!(report.chunks_deleted, 1, "{report:?}");
    assert!(buckets(&tsdb, "Cpu", five, Source::Raw).await.iter().all(Option::is_none), "raw data expired");
    assert_eq!(buckets(&tsdb, "Cpu", five, Source::Rollup { period_seconds: 300 }).await, raw_five);
    assert_eq!(buckets(&tsdb, "Cpu", hour, Source::Rollup { period_seconds: 3600 }).await, raw_hour);
    assert_eq!(buckets(&tsdb, "Cpu", hour, Source::Rollup { period_seconds: 300 }).await, raw_hour);

    // Running again does nothing new; after 66 days the 5-minute roll-ups are gone, the hourly ones stay.
    assert_eq!(tsdb.maintain(T0 + 17 * DAY + 3 * 3_600_000).await.unwrap().days_rolled_up, 0);
    tsdb.maintain(T0 + 66 * DAY).await.unwrap();
    assert!(buckets(&tsdb, "Cpu", five, Source::Rollup { period_seconds: 300 }).await.iter().all(Option::is_none));
    assert_eq!(buckets(&tsdb, "Cpu", hour, Source::Rollup { period_seconds: 3600 }).await, raw_hour);
    tsdb.maintain(T0 + 458 * DAY).await.unwrap();
    assert!(buckets(&tsdb, "Cpu", hour, Source::Rollup { period_seconds: 3600 }).await.iter().all(Option::is_none));
}

/// Issue 15, point 5: a day's roll-ups are committed a batch of series at a time so that the pass's memory does
/// not grow with the series count; every series of a day bigger than one batch is still rolled up, each with its
/// own summaries, and the day is marked done once.
#[tokio::test(flavor = "multi_thread")]
async fn issue_15_roll_ups_of_more_series_than_one_batch_are_all_written() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    let metrics: Vec<String> = (0..2_345).map(|i| format!("M{i}")).collect();
    let points: Vec<WritePoint> =
        metrics.iter().enumerate().map(|(i, m)| point(m, T0 + 7 * MINUTE, Sample::Value(i as f64))).collect();
    for batch in points.chunks(1000) {
        write(&tsdb, batch).await;
    }
    tsdb.checkpoint(T0 + DAY).await.unwrap();
    let report = tsdb.maintain(T0 + 16 * DAY + 3 * 3_600_000).await.unwrap();
    assert_eq!((report.days_rolled_up, report.chunks_deleted), (2, 2_345), "{report:?}");
    let hour = BucketQuery { start_ms: T0, end_ms: T0 + 3_600_000, period_ms: 3_600_000, with_distribution: false };
    for (i, metric) in metrics.iter().enumerate() {
        let rolled = buckets(&tsdb, metric, hour, Source::Rollup { period_seconds: 300 }).await;
        assert_eq!(rolled, vec![Some((1.0, i as f64, i as f64, i as f64))], "{metric}");
    }
    assert_eq!(tsdb.maintain(T0 + 16 * DAY + 3 * 3_600_000).await.unwrap().days_rolled_up, 0);
}

/// Issue 15: a query of many series is folded in parts on several threads; the answer is the one a single fold
/// gives, series in the order asked (the series here differ in every bucket, so a swap or a lost part shows).
#[tokio::test(flavor = "multi_thread")]
async fn many_series_fold_in_parts_to_the_same_answer_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    let metrics: Vec<String> = (0..37).map(|i| format!("m{i}")).collect();
    let points: Vec<WritePoint> = metrics
        .iter()
        .enumerate()
        .flat_map(|(i, m)| {
            (0..30).map(move |t| point(m, T0 + t * MINUTE, Sample::Value((i * 100 + t as usize) as f64)))
        })
        .collect();
    write(&tsdb, &points[..points.len() / 2]).await;
    tsdb.checkpoint(T0).await.unwrap();
    write(&tsdb, &points[points.len() / 2..]).await;
    // Asked in an order of their own, not the order they were created in.
    let ids: Vec<u64> = metrics.iter().rev().map(|m| tsdb.series_of(&key(m))[0].id).collect();
    let query = per_minute(T0, 30, false);
    let parallel = tsdb.query(ids.clone(), query, Source::Raw).await.unwrap();
    let single = tsdb.query_blocking(&ids, &query, Source::Raw).unwrap();
    assert_eq!(parallel, single);
    let sums: Vec<f64> = parallel.iter().map(|b| b[0].as_ref().unwrap().sum).collect();
    let expected: Vec<f64> = (0..37).rev().map(|i| (i * 100) as f64).collect();
    assert_eq!(sums, expected);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_catalogue_lists_series_with_their_unit() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    write(&tsdb, &[point("A", T0, Sample::Value(1.0)), point("B", T0, Sample::Value(1.0))]).await;
    let mut names: Vec<String> = Vec::new();
    tsdb.catalog_scan("000000000000", "us-east-1", None, "", |_, metric| {
        names.push(metric.key.metric_name.clone());
        true
    });
    assert_eq!(names, ["A", "B"]);
    let info = tsdb.series_of(&key("A")).remove(0);
    assert_eq!(info.unit.as_deref(), Some("Milliseconds"));
    drop(tsdb);
    let tsdb = open(dir.path());
    assert_eq!(tsdb.series_count(), 2, "the catalogue survives a restart");
}

/// A schema-1 database's raw metric rows are imported on open (single values and statistic sets alike), the old
/// table is dropped, and the data survives the next restart.
#[tokio::test(flavor = "multi_thread")]
async fn schema_1_metric_points_are_imported_once() {
    use skywatch_store::fixtures::LegacyMetricPoint;
    let dir = tempfile::tempdir().unwrap();
    let row = |timestamp_ms: i64, stats: [f64; 4]| LegacyMetricPoint {
        account: "000000000000".into(),
        region: "us-east-1".into(),
        series: "App\u{1f}Latency\u{1f}Service=api".into(),
        timestamp_ms,
        stats,
    };
    let single = [1.0, 4.0, 4.0, 4.0];
    let set = [3.0, 9.0, 1.0, 5.0];
    skywatch_store::fixtures::write_schema_1(dir.path(), &[row(T0, single), row(T0 + 1000, set)]).unwrap();
    let expected = vec![Some((4.0, 13.0, 1.0, 5.0))];
    // Opening blocks on the import's commit: off the runtime, as the server does.
    let path = dir.path().to_owned();
    let tsdb = tokio::task::spawn_blocking(move || open(&path)).await.unwrap();
    assert_eq!(buckets(&tsdb, "Latency", per_minute(T0, 1, false), Source::Raw).await, expected);
    assert!(
        tsdb.store().read_blocking(skywatch_tsdb::storage::legacy_points).unwrap().is_empty(),
        "the old rows are gone"
    );
    let imported = tsdb.series_of(&key("Latency")).remove(0);
    assert_eq!(imported.last_put_ms, T0 + 1000, "listed as written with its newest point");
    drop(tsdb);
    let tsdb = open(dir.path());
    assert_eq!(buckets(&tsdb, "Latency", per_minute(T0, 1, false), Source::Raw).await, expected, "imported once");
}

/// Issue 15: `query_statistic` folds the exact statistics into four numbers a bucket; every statistic it answers
/// must equal the full fold's, over raw points, summaries and roll-ups, for one series and for many (in parts).
#[tokio::test(flavor = "multi_thread")]
async fn statistic_queries_answer_as_full_folds_do() {
    use skywatch_tsdb::statistic::Statistic;
    let dir = tempfile::tempdir().unwrap();
    let tsdb = open(dir.path());
    let metrics: Vec<String> = (0..20).map(|i| format!("M{i:02}")).collect();
    for (i, metric) in metrics.iter().enumerate() {
        let mut points: Vec<WritePoint> = (0..(2 * 24 * 60))
            .filter(|m| (m + i as i64) % 7 != 0)
            .map(|m| point(metric, T0 + m * MINUTE, Sample::Value(((m * 31 + i as i64) % 101) as f64 - 50.0)))
            .collect();
        points.push(point(
            metric,
            T0 + 5 * MINUTE,
            Sample::Summary(Summary::from_statistic_set(4.0, 10.0, -60.0, 70.0)),
        ));
        for batch in points.chunks(700) {
            write(&tsdb, batch).await;
        }
    }
    tsdb.checkpoint(T0 + 3 * DAY).await.unwrap();
    tsdb.maintain(T0 + 16 * DAY + 3 * 3_600_000).await.unwrap();
    let ids: Vec<u64> = metrics.iter().map(|m| tsdb.series_of(&key(m))[0].id).collect();
    let minute = per_minute(T0, 2 * 24 * 60, false);
    let five = BucketQuery { period_ms: 300_000, ..minute };
    let cases = [(minute, Source::Raw), (five, Source::Raw), (five, Source::Rollup { period_seconds: 300 })];
    for statistic in ["SampleCount", "Sum", "Average", "Minimum", "Maximum", "p90"] {
        let parsed: Statistic = statistic.parse().unwrap();
        for (query, source) in cases {
            let query = BucketQuery { with_distribution: parsed.is_extended(), ..query };
            for series in [ids[..1].to_vec(), ids.clone()] {
                let full = tsdb.query(series.clone(), query, source).await.unwrap();
                let expected: Vec<Vec<Option<f64>>> = full
                    .iter()
                    .map(|b| b.iter().map(|s| s.as_ref().and_then(|s| parsed.evaluate(s))).collect())
                    .collect();
                let got = tsdb.query_statistic(series.clone(), query, source, parsed).await.unwrap();
                assert_eq!(got, expected, "{statistic} over {source:?}, {} series", series.len());
                assert!(got.iter().flatten().any(Option::is_some), "{statistic} over {source:?}: data was read");
            }
        }
    }
}
