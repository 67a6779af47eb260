//! Issue 14: subscription filters queue their deliveries in the PutLogEvents commit, the deliverer posts the gzip
//! payload (only matching events), retries with backoff what failed, gives up on a refusal, keeps the queue across
//! a restart, and stores events forwarded to another log group; PutSubscriptionFilter checks as AWS checks.

use std::io::Read;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use skywatch_logs::ingest::InputEvent;
use skywatch_logs::ops::{
    CreateLogGroup, CreateLogGroupInput, CreateLogStream, DeleteLogGroup, DeleteSubscriptionFilter,
    DeleteSubscriptionFilterInput, DescribeSubscriptionFilters, DescribeSubscriptionFiltersInput, FilterLogEvents,
    FilterLogEventsInput, GroupNameInput, PutLogEvents, PutLogEventsInput, PutSubscriptionFilter,
    PutSubscriptionFilterInput, StreamInput,
};
use skywatch_logs::subscription::deliver::{PostOutcome, Poster, Round};
use skywatch_logs::subscription::storage::queued;
use skywatch_logs::{Keyring, Logs, LogsError};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const ACCOUNT: &str = "000000000000";
const REGION: &str = "us-east-1";
const NOW: i64 = 1_800_000_000_000;
const ENDPOINT: &str = "http://127.0.0.1:9/hook";

/// An endpoint that answers with the next status of its script (200 once the script is spent) and keeps what
/// it was sent.
#[derive(Default)]
struct Endpoint {
    statuses: Mutex<Vec<u16>>,
    received: Mutex<Vec<serde_json::Value>>,
}

impl Poster for Endpoint {
    fn post(&self, url: &str, body: Vec<u8>) -> Pin<Box<dyn Future<Output = PostOutcome> + Send>> {
        assert_eq!(url, ENDPOINT);
        let mut text = String::new();
        flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut text).expect("a gzip body");
        self.received.lock().unwrap().push(serde_json::from_str(&text).expect("a JSON payload"));
        let mut statuses = self.statuses.lock().unwrap();
        let status = if statuses.is_empty() { 200 } else { statuses.remove(0) };
        Box::pin(async move { Ok(status) })
    }
}

struct Fixture {
    logs: Logs,
    dir: tempfile::TempDir,
    endpoint: Arc<Endpoint>,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let logs = Logs::new(Store::open(dir.path()).unwrap(), Keyring::in_dir(dir.path()));
        Self { logs, dir, endpoint: Arc::default() }
    }

    async fn restart(self) -> Self {
        let Fixture { logs, dir, endpoint } = self;
        logs.store().close().await.unwrap();
        drop(logs);
        let logs = Logs::new(Store::open(dir.path()).unwrap(), Keyring::in_dir(dir.path()));
        Self { logs, dir, endpoint }
    }

    async fn try_call<Op: Operation<Engine = Logs, Error = LogsError>>(
        &self,
        input: Op::Input,
        now: i64,
    ) -> Result<Op::Output, LogsError> {
        let ctx = Context::new(skywatch_model::Caller::Anonymous { account: ACCOUNT.into() }, REGION, "r", now);
        let effect = Op::run(&self.logs, &ctx, input).await?;
        self.logs.store().apply(effect.changes).await.unwrap();
        if let Some(after) = effect.after_commit {
            after();
        }
        Ok(effect.reply)
    }

    async fn call<Op: Operation<Engine = Logs, Error = LogsError>>(&self, input: Op::Input) -> Op::Output {
        self.try_call::<Op>(input, NOW).await.unwrap()
    }

    async fn group(&self, name: &str) {
        self.call::<CreateLogGroup>(CreateLogGroupInput { log_group_name: name.into(), ..Default::default() }).await;
        let stream = StreamInput { log_group_name: name.into(), log_stream_name: "web-1".into() };
        self.call::<CreateLogStream>(stream).await;
    }

    async fn subscribe(&self, group: &str, name: &str, pattern: &str, destination: &str) -> Result<(), LogsError> {
        let input = PutSubscriptionFilterInput {
            log_group_name: group.into(),
            filter_name: name.into(),
            filter_pattern: pattern.into(),
            destination_arn: destination.into(),
            ..Default::default()
        };
        self.try_call::<PutSubscriptionFilter>(input, NOW).await
    }

    async fn put(&self, group: &str, messages: &[&str]) {
        let input = PutLogEventsInput {
            log_group_name: group.into(),
            log_stream_name: "web-1".into(),
            log_events: messages
                .iter()
                .enumerate()
                .map(|(i, m)| InputEvent { timestamp_ms: NOW - 1_000 + i as i64, message: (*m).into() })
                .collect(),
            sequence_token: None,
        };
        self.call::<PutLogEvents>(input).await;
    }

    async fn deliver(&self, now: i64) -> Round {
        let poster: Arc<dyn Poster> = self.endpoint.clone();
        self.logs.deliver_subscriptions(&poster, now).await.unwrap()
    }

    async fn queued(&self) -> usize {
        self.logs.store().read(|r| queued(r, 1_000)).await.unwrap()
    }

    fn received(&self) -> Vec<serde_json::Value> {
        std::mem::take(&mut *self.endpoint.received.lock().unwrap())
    }
}

fn messages(payload: &serde_json::Value) -> Vec<&str> {
    payload["logEvents"].as_array().unwrap().iter().map(|e| e["message"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn matching_events_are_posted_as_the_gzip_payload() {
    let f = Fixture::start();
    f.group("/shop/api").await;
    f.subscribe("/shop/api", "errors", "ERROR", ENDPOINT).await.unwrap();
    // The control message checks the destination first.
    assert_eq!(f.deliver(NOW).await, Round { delivered: 1, ..Round::default() });
    let control = f.received();
    assert_eq!(control[0]["messageType"], "CONTROL_MESSAGE");

    f.put("/shop/api", &["INFO fine", "ERROR broken", "INFO fine", "ERROR again"]).await;
    f.put("/shop/api", &["INFO nothing to see"]).await;
    assert_eq!(f.queued().await, 1, "queued in the batch's commit; a batch matching nothing queues nothing");
    assert_eq!(f.deliver(NOW).await.delivered, 1);
    let payload = &f.received()[0];
    assert_eq!(payload["messageType"], "DATA_MESSAGE");
    assert_eq!(payload["owner"], ACCOUNT);
    assert_eq!(payload["logGroup"], "/shop/api");
    assert_eq!(payload["logStream"], "web-1");
    assert_eq!(payload["subscriptionFilters"], serde_json::json!(["errors"]));
    assert_eq!(messages(payload), vec!["ERROR broken", "ERROR again"]);
    assert_eq!(payload["logEvents"][0]["timestamp"], NOW - 1_000 + 1);
    assert_eq!(f.queued().await, 0);

    let described = f
        .call::<DescribeSubscriptionFilters>(DescribeSubscriptionFiltersInput {
            log_group_name: "/shop/api".into(),
            ..Default::default()
        })
        .await;
    let row = &described.filters[0];
    assert_eq!((row.filter.filter_name.as_str(), row.filter.distribution.as_str()), ("errors", "ByLogStream"));
    assert_eq!((row.status.delivered, row.status.events_delivered, row.status.failed), (2, 3, 0));
}

#[tokio::test]
async fn failures_are_retried_with_backoff_and_survive_a_restart() {
    let f = Fixture::start();
    f.group("/shop/api").await;
    f.subscribe("/shop/api", "all", "", ENDPOINT).await.unwrap();
    f.deliver(NOW).await;
    f.received();
    *f.endpoint.statuses.lock().unwrap() = vec![503, 500];
    f.put("/shop/api", &["one", "two"]).await;
    assert_eq!(f.deliver(NOW).await.retrying, 1);
    // Not due again until its backoff (one second) has passed.
    assert_eq!(f.deliver(NOW + 500).await.attempted(), 0);
    let f = f.restart().await;
    assert_eq!(f.queued().await, 1, "the queue survives a restart");
    assert_eq!(f.deliver(NOW + 1_000).await.retrying, 1);
    assert_eq!(f.deliver(NOW + 2_000).await.attempted(), 0, "the second wait is two seconds");
    assert_eq!(f.deliver(NOW + 3_000).await.delivered, 1);
    let received = f.received();
    assert_eq!(received.len(), 3, "two failed attempts and the delivery");
    assert!(received.iter().all(|p| messages(p) == vec!["one", "two"]));
    assert_eq!(f.queued().await, 0);
}

#[tokio::test]
async fn a_refusal_or_a_day_of_failures_gives_up() {
    let f = Fixture::start();
    f.group("/shop/api").await;
    f.subscribe("/shop/api", "all", "", ENDPOINT).await.unwrap();
    f.deliver(NOW).await;
    *f.endpoint.statuses.lock().unwrap() = vec![400];
    f.put("/shop/api", &["refused"]).await;
    assert_eq!(f.deliver(NOW).await.dropped, 1, "a 4xx is not retried");
    *f.endpoint.statuses.lock().unwrap() = vec![500; 100];
    f.put("/shop/api", &["unlucky"]).await;
    assert_eq!(f.deliver(NOW).await.retrying, 1);
    assert_eq!(f.deliver(NOW + 24 * 3_600_000).await.dropped, 1, "given up after a day");
    assert_eq!(f.queued().await, 0);
    let described = f
        .call::<DescribeSubscriptionFilters>(DescribeSubscriptionFiltersInput {
            log_group_name: "/shop/api".into(),
            ..Default::default()
        })
        .await;
    let status = &described.filters[0].status;
    assert_eq!(status.failed, 2);
    assert_eq!(status.last_error.as_deref(), Some("the endpoint answered HTTP 500"));
}

#[tokio::test]
async fn events_forwarded_to_a_log_group_are_stored_there() {
    let f = Fixture::start();
    f.group("/shop/api").await;
    f.group("/central").await;
    let central = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/central:*");
    f.subscribe("/shop/api", "errors", "ERROR", &central).await.unwrap();
    assert_eq!(f.queued().await, 0, "a log group needs no control message");
    f.put("/shop/api", &["INFO fine", "ERROR broken"]).await;
    f.put("/shop/api", &["ERROR twice"]).await;
    assert_eq!(f.deliver(NOW).await.delivered, 2);
    let found = f
        .call::<FilterLogEvents>(FilterLogEventsInput {
            log_group_name: Some("/central".into()),
            start_time: Some(0),
            ..Default::default()
        })
        .await;
    let got: Vec<(&str, &str)> = found.events.iter().map(|e| (e.stream.as_str(), e.message.as_str())).collect();
    // In time order: the second batch's event is a millisecond older.
    assert_eq!(got, vec![("/shop/api/web-1", "ERROR twice"), ("/shop/api/web-1", "ERROR broken")]);
}

#[tokio::test]
async fn put_subscription_filter_checks_as_aws_does() {
    let f = Fixture::start();
    f.group("/shop/api").await;
    f.group("/central").await;
    let code = |r: Result<(), LogsError>| match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => skywatch_ops::AwsError::code(&e).code.to_string(),
    };
    let own = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/shop/api");
    let central = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/central");
    let missing = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/nowhere");
    let cases: Vec<(&str, &str, &str, &str, &str)> = vec![
        ("/shop/api", "a", "", ENDPOINT, "ok"),
        ("/shop/api", "b", "ERROR", &central, "ok"),
        ("/shop/api", "c", "", ENDPOINT, "LimitExceededException"),
        ("/shop/api", "a", "WARN", ENDPOINT, "ok"),
        ("/central", "self", "", &central, "InvalidParameterException"),
        ("/central", "gone", "", &missing, "InvalidParameterException"),
        ("/central", "lambda", "", "arn:aws:lambda:us-east-1:000000000000:function:f", "InvalidParameterException"),
        ("/central", "topic", "", "arn:aws:sns:us-east-1:000000000000:t", "InvalidParameterException"),
        ("/central", "bad", "{ $.x = ", ENDPOINT, "InvalidParameterException"),
        ("/central", "a:b", "", ENDPOINT, "InvalidParameterException"),
        ("/nowhere", "x", "", ENDPOINT, "ResourceNotFoundException"),
        ("/central", "own-ok", "", &own, "ok"),
    ];
    for (group, name, pattern, destination, expected) in cases {
        assert_eq!(code(f.subscribe(group, name, pattern, destination).await), expected, "{group} {name}");
    }
    let delete =
        |name: &str| DeleteSubscriptionFilterInput { log_group_name: "/shop/api".into(), filter_name: name.into() };
    f.call::<DeleteSubscriptionFilter>(delete("b")).await;
    let again = f.try_call::<DeleteSubscriptionFilter>(delete("b"), NOW).await;
    assert!(matches!(again, Err(LogsError::NotFound(m)) if m == "The specified subscription filter does not exist."));
    f.call::<DeleteLogGroup>(GroupNameInput { log_group_name: "/shop/api".into() }).await;
    f.group("/shop/api").await;
    let described = f
        .call::<DescribeSubscriptionFilters>(DescribeSubscriptionFiltersInput {
            log_group_name: "/shop/api".into(),
            ..Default::default()
        })
        .await;
    assert!(described.filters.is_empty(), "a group's filters go with it");
}
