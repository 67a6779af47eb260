//! Issue 14: embedded metric format events sent with PutLogEvents become CloudWatch metrics in the batch's own
//! commit (namespaces, dimension sets, units, high resolution, the time of `_aws.Timestamp`), alongside metric
//! filters; invalid EMF is stored and publishes nothing; the points survive a restart (their write-ahead records
//! were committed with the events).

use skywatch_logs::filters::MetricTransformation;
use skywatch_logs::ingest::InputEvent;
use skywatch_logs::ops::{
    CreateLogGroup, CreateLogGroupInput, CreateLogStream, GetLogEvents, GetLogEventsInput, PutLogEvents,
    PutLogEventsInput, PutMetricFilter, PutMetricFilterInput, StreamInput,
};
use skywatch_logs::{Keyring, Logs, LogsError};
use skywatch_metrics::tsdb::{BucketQuery, Config, SeriesKey, Source, Tsdb};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";
const MINUTE: i64 = 60_000;
/// A fixed "now" on a minute boundary.
const NOW: i64 = 1_800_000_000_000 / MINUTE * MINUTE;

struct Fixture {
    logs: Logs,
    tsdb: Tsdb,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        Self::open(tempfile::tempdir().unwrap())
    }

    fn open(dir: tempfile::TempDir) -> Self {
        let store = Store::open(dir.path()).unwrap();
        let tsdb = Tsdb::open(store.clone(), Config::default()).unwrap();
        let logs = Logs::new(store, Keyring::in_dir(dir.path())).publishing_to(tsdb.clone());
        Self { logs, tsdb, dir }
    }

    fn restart(self) -> Self {
        let Fixture { logs, tsdb, dir } = self;
        drop((logs, tsdb));
        Self::open(dir)
    }

    /// Runs an operation as the server does: its changes in one commit, then its after-commit work.
    async fn call<Op: Operation<Engine = Logs, Error = LogsError>>(&self, input: Op::Input) -> Op::Output {
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "r", NOW);
        let effect = Op::run(&self.logs, &ctx, input).await.unwrap();
        self.logs.store().apply(effect.changes).await.unwrap();
        if let Some(after) = effect.after_commit {
            after();
        }
        effect.reply
    }

    async fn put(&self, group: &str, stream: &str, events: &[(i64, String)]) {
        let input = PutLogEventsInput {
            log_group_name: group.into(),
            log_stream_name: stream.into(),
            log_events: events.iter().map(|(t, m)| InputEvent { timestamp_ms: *t, message: m.clone() }).collect(),
            sequence_token: None,
        };
        let out = self.call::<PutLogEvents>(input).await;
        assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    }

    /// (sample count, sum, minimum, maximum) of each period from `start`, or None where there is no data.
    async fn buckets(
        &self,
        (namespace, metric, dimensions): (&str, &str, &[(&str, &str)]),
        start: i64,
        periods: i64,
        period_ms: i64,
    ) -> Option<Vec<Option<(f64, f64, f64, f64)>>> {
        let dimensions = dimensions.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let id = self.tsdb.series_of(&SeriesKey::new(ACCOUNT, REGION, namespace, metric, dimensions)).first()?.id;
        let query =
            BucketQuery { start_ms: start, end_ms: start + periods * period_ms, period_ms, with_distribution: false };
        let result = self.tsdb.query(vec![id], query, Source::Raw).await.unwrap();
        Some(result[0].iter().map(|b| b.as_ref().map(|s| (s.sample_count, s.sum, s.minimum, s.maximum))).collect())
    }

    fn unit(&self, namespace: &str, metric: &str, dimensions: &[(&str, &str)]) -> Option<String> {
        let dimensions = dimensions.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        self.tsdb.series_of(&SeriesKey::new(ACCOUNT, REGION, namespace, metric, dimensions)).into_iter().next()?.unit
    }
}

/// An EMF document of the Shop namespace at `timestamp`, as the client libraries write it.
fn shop(timestamp: i64, latency: &str, orders: f64, fast: f64) -> String {
    format!(
        r#"{{"_aws":{{"Timestamp":{timestamp},"CloudWatchMetrics":[{{"Namespace":"Shop","Dimensions":[["Service"],["Service","Operation"]],"Metrics":[{{"Name":"Latency","Unit":"Milliseconds"}},{{"Name":"Orders","Unit":"Count"}},{{"Name":"Fast","Unit":"Count","StorageResolution":1}}]}}]}},"Service":"api","Operation":"checkout","Latency":{latency},"Orders":{orders},"Fast":{fast},"requestId":"r-1"}}"#
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn emf_events_publish_metrics_in_the_batch_commit_and_invalid_ones_are_only_stored() {
    let f = Fixture::start();
    f.call::<CreateLogGroup>(CreateLogGroupInput { log_group_name: "/emf/app".into(), ..Default::default() }).await;
    let stream = StreamInput { log_group_name: "/emf/app".into(), log_stream_name: "s".into() };
    f.call::<CreateLogStream>(stream).await;
    // A metric filter on the same group publishes alongside.
    let filter = PutMetricFilterInput {
        log_group_name: "/emf/app".into(),
        filter_name: "errors".into(),
        filter_pattern: "ERROR".into(),
        metric_transformations: vec![MetricTransformation {
            metric_name: "Errors".into(),
            metric_namespace: "Filters".into(),
            metric_value: "1".into(),
            default_value: None,
            dimensions: Default::default(),
            unit: None,
        }],
    };
    f.call::<PutMetricFilter>(filter).await;

    let (first, second) = (NOW - 3 * MINUTE, NOW - 2 * MINUTE);
    let invalid =
        r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"Bad","Metrics":[{"Name":"X","Unit":"Parsecs"}]}]},"X":1}"#;
    let events = vec![
        // The event's own time differs from _aws.Timestamp: the metrics take the latter.
        (NOW - 10_000, shop(first + 1_500, "[10,20]", 3.0, 5.0)),
        (NOW - 9_000, shop(second + 2_500, "30", 1.0, 6.0)),
        (NOW - 8_000, shop(second + 4_000, "40", 1.0, 7.0)),
        (NOW - 7_000, invalid.to_owned()),
        (NOW - 6_000, "ERROR plain text".to_owned()),
    ];
    f.put("/emf/app", "s", &events).await;

    // Every event is stored, the invalid one included.
    let input = GetLogEventsInput {
        log_group_name: Some("/emf/app".into()),
        log_stream_name: "s".into(),
        start_from_head: Some(true),
        ..Default::default()
    };
    let stored: Vec<String> = f.call::<GetLogEvents>(input).await.events.into_iter().map(|e| e.message).collect();
    assert_eq!(stored, events.iter().map(|e| e.1.clone()).collect::<Vec<_>>());

    // Each dimension set is a metric; standard resolution per minute of _aws.Timestamp.
    let start = first;
    for dimensions in [&[("Service", "api")][..], &[("Service", "api"), ("Operation", "checkout")]] {
        assert_eq!(
            f.buckets(("Shop", "Latency", dimensions), start, 3, MINUTE).await.unwrap(),
            [Some((2.0, 30.0, 10.0, 20.0)), Some((2.0, 70.0, 30.0, 40.0)), None],
            "{dimensions:?}"
        );
        assert_eq!(
            f.buckets(("Shop", "Orders", dimensions), start, 3, MINUTE).await.unwrap(),
            [Some((1.0, 3.0, 3.0, 3.0)), Some((2.0, 2.0, 1.0, 1.0)), None]
        );
        assert_eq!(f.unit("Shop", "Latency", dimensions).as_deref(), Some("Milliseconds"));
        assert_eq!(f.unit("Shop", "Orders", dimensions).as_deref(), Some("Count"));
    }
    // High resolution keeps the second.
    let fast = f.buckets(("Shop", "Fast", &[("Service", "api")]), second, 5, 1_000).await.unwrap();
    assert_eq!(fast, [None, None, Some((1.0, 6.0, 6.0, 6.0)), None, Some((1.0, 7.0, 7.0, 7.0))]);
    // No metric without the sets' dimensions, nothing from the invalid event; the metric filter published.
    assert!(f.buckets(("Shop", "Latency", &[]), start, 1, MINUTE).await.is_none());
    assert!(f.buckets(("Bad", "X", &[]), start, 1, MINUTE).await.is_none());
    let errors = f.buckets(("Filters", "Errors", &[]), NOW - MINUTE, 1, MINUTE).await.unwrap();
    assert_eq!(errors, [Some((1.0, 1.0, 1.0, 1.0))]);

    // The points' write-ahead records were committed with the batch: they are there after a restart.
    let f = f.restart();
    let latency = f.buckets(("Shop", "Latency", &[("Service", "api")]), start, 2, MINUTE).await.unwrap();
    assert_eq!(latency, [Some((2.0, 30.0, 10.0, 20.0)), Some((2.0, 70.0, 30.0, 40.0))]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_of_many_emf_events_is_a_few_points() {
    let f = Fixture::start();
    f.call::<CreateLogGroup>(CreateLogGroupInput { log_group_name: "busy".into(), ..Default::default() }).await;
    f.call::<CreateLogStream>(StreamInput { log_group_name: "busy".into(), log_stream_name: "s".into() }).await;
    let minute = NOW - 5 * MINUTE;
    let events: Vec<(i64, String)> = (0..5_000)
        .map(|i| {
            let message = format!(
                r#"{{"_aws":{{"Timestamp":{},"CloudWatchMetrics":[{{"Namespace":"Busy","Dimensions":[["Host"]],"Metrics":[{{"Name":"Work","Unit":"Milliseconds"}}]}}]}},"Host":"h{}","Work":{}}}"#,
                minute + i,
                i % 2,
                i % 300
            );
            (NOW - 60_000 + i, message)
        })
        .collect();
    f.put("busy", "s", &events).await;
    for host in ["h0", "h1"] {
        let buckets = f.buckets(("Busy", "Work", &[("Host", host)]), minute, 1, MINUTE).await.unwrap();
        let (count, _, min, max) = buckets[0].unwrap();
        assert_eq!(count, 2_500.0, "{host}");
        assert!(min <= 1.0 && max >= 298.0, "{host}: {min}..{max}");
    }
}
