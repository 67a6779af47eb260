//! PutEvents' answers, routing to targets, input forms, retries, dead letters, durability across a restart, and
//! buses in other accounts behind their resource policies.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use skywatch_events::delivery::storage::{dead_letters, target_status};
use skywatch_events::delivery::{HttpRequest, HttpResponse, SendOutcome, SinkError, SinkFuture, Sinks};
use skywatch_events::model::{InputTransformer, RetryPolicy, Target};
use skywatch_events::{
    DescribeEventBus, DescribeEventBusInput, EntryResult, PutEvents, PutEventsEntry, PutEventsInput, PutPermission,
    PutPermissionInput, PutTargets, PutTargetsInput, RemovePermission, RemovePermissionInput,
};
use skywatch_ops::AwsError;
use skywatch_store::{Mutation, Reader};

use crate::fixture::{ACCOUNT, Fixture, NOW, REGION};

const OTHER: &str = "444455556666";
const HOOK: &str = "http://127.0.0.1:9/hook";
const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:alerts";

/// A post a webhook got: its URL, headers and body.
pub type Post = (String, Vec<(String, String)>, String);

/// What the sinks were given; webhooks answer `status`.
#[derive(Default)]
pub struct Recorder {
    pub posts: Mutex<Vec<Post>>,
    published: Mutex<Vec<(String, String)>>,
    logged: Mutex<Vec<(String, String, i64, String)>>,
    status: Mutex<Option<u16>>,
}

impl Sinks for Recorder {
    fn send(&self, request: HttpRequest) -> SinkFuture<SendOutcome> {
        let HttpRequest { method, url, mut headers, body } = request;
        headers.push((":method".into(), method));
        // A token endpoint answers a token.
        let token = url.ends_with("/token");
        self.posts.lock().unwrap().push((url, headers, body.unwrap_or_default()));
        let status = if token { 200 } else { self.status.lock().unwrap().unwrap_or(200) };
        let body = if token { br#"{"access_token":"tok-1","expires_in":3600}"#.to_vec() } else { Vec::new() };
        Box::pin(async move { Ok(HttpResponse { status, body }) })
    }

    fn publish(&self, _reader: &Reader, arn: &str, message: &str, _now: i64) -> Result<Vec<Mutation>, SinkError> {
        self.published.lock().unwrap().push((arn.to_owned(), message.to_owned()));
        Ok(Vec::new())
    }

    fn put_log_event(
        &self,
        (_, _, name): (&str, &str, &str),
        stream: &str,
        (at, message): (i64, String),
        _now: i64,
    ) -> SinkFuture<Result<Vec<Mutation>, SinkError>> {
        self.logged.lock().unwrap().push((name.to_owned(), stream.to_owned(), at, message));
        Box::pin(async { Ok(Vec::new()) })
    }
}

fn entry(bus: Option<&str>, detail: &str) -> PutEventsEntry {
    PutEventsEntry {
        source: Some("shop.orders".into()),
        detail_type: Some("Order Failed".into()),
        detail: Some(detail.into()),
        event_bus_name: bus.map(str::to_owned),
        ..PutEventsEntry::default()
    }
}

fn target(id: &str, arn: &str) -> Target {
    Target { id: id.into(), arn: arn.into(), ..Target::default() }
}

async fn put(f: &Fixture, entries: Vec<PutEventsEntry>) -> Vec<EntryResult> {
    f.call::<PutEvents>(PutEventsInput { entries, endpoint_id: None }).await.unwrap().entries
}

fn event_id(result: &EntryResult) -> String {
    match result {
        EntryResult::Accepted { event_id } => event_id.clone(),
        EntryResult::Failed { code, message } => panic!("refused: {code} {message}"),
    }
}

async fn targets(f: &Fixture, rule: &str, bus: Option<&str>, targets: Vec<Target>) {
    let input = PutTargetsInput { rule: rule.into(), event_bus_name: bus.map(str::to_owned), targets };
    f.call::<PutTargets>(input).await.unwrap();
}

const FAILED: &str = r#"{"source": ["shop.orders"], "detail": {"status": ["failed"]}}"#;

#[tokio::test]
async fn put_events_answers_each_entry_as_eventbridge_does() {
    let f = Fixture::start();
    let mut no_source = entry(None, "{}");
    no_source.source = None;
    let mut no_type = entry(None, "{}");
    no_type.detail_type = Some(String::new());
    let mut no_detail = entry(None, "{}");
    no_detail.detail = None;
    let mut reserved = entry(None, "{}");
    reserved.source = Some("aws.ec2".into());
    let answers = put(
        &f,
        vec![
            entry(None, r#"{"status": "failed"}"#),
            no_source,
            no_type,
            no_detail,
            entry(None, "[]"),
            entry(None, "\"NotJSON\""),
            reserved,
            entry(Some("no-such-bus"), "{}"),
            entry(Some("bad name!"), "{}"),
        ],
    )
    .await;
    let shown: Vec<(String, String)> = answers
        .iter()
        .map(|a| match a {
            EntryResult::Accepted { event_id } => ("ok".to_owned(), event_id.len().to_string()),
            EntryResult::Failed { code, message } => (code.clone(), message.clone()),
        })
        .collect();
    let expected = [
        ("ok", "36"),
        ("InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."),
        ("InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."),
        ("InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."),
        ("MalformedDetail", "Detail is malformed."),
        ("MalformedDetail", "Detail is malformed."),
        ("NotAuthorizedForSourceException", "Not authorized for the source."),
        // AWS answers an entry for a bus that does not exist with an id, and drops the event.
        ("ok", "36"),
        ("InvalidArgument", "Parameter EventBusName is not valid. Reason: the name is not a valid event bus name."),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
    assert_eq!(shown, expected);

    let eleven = PutEventsInput { entries: vec![entry(None, "{}"); 11], endpoint_id: None };
    let error = f.call::<PutEvents>(eleven).await.unwrap_err();
    assert_eq!(error.code().code, "ValidationException");
    assert!(
        error
            .to_string()
            .ends_with("at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
    );
    // The snapshot's oversized entry: a detail of 262,144 bytes with its source and detail type.
    let big = format!(r#"{{"payload": ["{}"]}}"#, "p".repeat(256 * 1024 - 17));
    let mut oversized = entry(None, &big);
    oversized.source = Some("core.update-account-command".into());
    let error = f.call::<PutEvents>(PutEventsInput { entries: vec![oversized], endpoint_id: None }).await.unwrap_err();
    assert_eq!(error.to_string(), "Total size of the entries in the request is over the limit.");
}

#[tokio::test]
async fn matching_events_reach_each_target_in_its_input_form() {
    let f = Fixture::start();
    f.bus("orders").await;
    f.rule("failed", Some("orders"), FAILED).await.unwrap();
    let transformer = InputTransformer {
        paths: vec![("id".into(), "$.detail.id".into()), ("status".into(), "$.detail.status".into())],
        template: r#""Order <id> is <status>""#.into(),
    };
    targets(
        &f,
        "failed",
        Some("orders"),
        vec![
            target("hook", HOOK),
            Target { input_path: Some("$.detail".into()), ..target("topic", TOPIC) },
            Target {
                input_transformer: Some(transformer),
                ..target("logs", "arn:aws:logs:us-east-1:111122223333:log-group:/shop/failed:*")
            },
            Target { input: Some(r#"{"constant": true}"#.into()), ..target("constant", &format!("{HOOK}/constant")) },
        ],
    )
    .await;
    let answers = put(
        &f,
        vec![
            entry(Some("orders"), r#"{"id": "o-1", "status": "failed"}"#),
            entry(Some("orders"), r#"{"id": "o-2", "status": "paid"}"#),
            entry(None, r#"{"id": "o-3", "status": "failed"}"#),
        ],
    )
    .await;
    let id = event_id(&answers[0]);
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    let round = f.events.deliver_due(&sinks, NOW + 10).await.unwrap();
    assert_eq!((round.delivered, round.retrying, round.failed), (4, 0, 0));

    let posts = recorder.posts.lock().unwrap().clone();
    let hook = posts.iter().find(|(url, _, _)| url == HOOK).expect("the webhook got the event");
    let event: Value = serde_json::from_str(&hook.2).unwrap();
    assert_eq!(event["id"], id.as_str());
    assert_eq!(event["detail-type"], "Order Failed");
    assert_eq!(event["account"], ACCOUNT);
    assert_eq!(event["region"], REGION);
    assert_eq!(event["time"], "2025-12-06T05:46:40Z");
    assert_eq!(event["detail"]["id"], "o-1");
    assert!(hook.2.starts_with(r#"{"version":"0","id":""#), "{}", hook.2);
    assert!(
        hook.1
            .contains(&("x-amz-source-arn".into(), "arn:aws:events:us-east-1:111122223333:rule/orders/failed".into()))
    );
    let constant = posts.iter().find(|(url, _, _)| url.ends_with("/constant")).unwrap();
    assert_eq!(constant.2, r#"{"constant": true}"#);
    assert_eq!(
        *recorder.published.lock().unwrap(),
        vec![(TOPIC.to_owned(), r#"{"id":"o-1","status":"failed"}"#.to_owned())]
    );
    let logged = recorder.logged.lock().unwrap().clone();
    assert_eq!(logged, vec![("/shop/failed".into(), id.clone(), 1_765_000_000_000, "\"Order o-1 is failed\"".into())]);

    // Everything was delivered once: nothing is due later, and the targets' records say so.
    let again = f.events.deliver_due(&sinks, NOW + 600_000_000).await.unwrap();
    assert_eq!(again.attempted(), 0);
    let status =
        f.events.store().read(|r| target_status(r, (ACCOUNT, REGION, "orders", "failed"), "hook")).await.unwrap();
    assert_eq!((status.delivered, status.failed), (1, 0));
}

#[tokio::test]
async fn rules_changed_after_events_were_put_route_the_next_events() {
    let f = Fixture::start();
    f.rule("r", None, FAILED).await.unwrap();
    put(&f, vec![entry(None, r#"{"status": "failed"}"#)]).await;
    targets(&f, "r", None, vec![target("hook", HOOK)]).await;
    put(&f, vec![entry(None, r#"{"status": "failed"}"#)]).await;
    f.rule("r", None, r#"{"detail": {"status": ["paid"]}}"#).await.unwrap();
    put(&f, vec![entry(None, r#"{"status": "failed"}"#), entry(None, r#"{"status": "paid"}"#)]).await;
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    f.events.deliver_due(&sinks, NOW).await.unwrap();
    let bodies: Vec<String> = recorder.posts.lock().unwrap().iter().map(|p| p.2.clone()).collect();
    assert_eq!(bodies.len(), 2, "before the target, nothing; then the failed order; then only the paid one");
    assert!(bodies.iter().any(|b| b.contains(r#""status":"paid""#)));
}

#[tokio::test]
async fn failed_deliveries_are_retried_by_the_policy_then_dead_lettered() {
    let f = Fixture::start();
    f.rule("r", None, FAILED).await.unwrap();
    let dlq = "arn:aws:sqs:us-east-1:111122223333:dead";
    targets(
        &f,
        "r",
        None,
        vec![Target {
            retry_policy: Some(RetryPolicy { maximum_retry_attempts: Some(2), maximum_event_age_seconds: None }),
            dead_letter_arn: Some(dlq.into()),
            ..target("hook", HOOK)
        }],
    )
    .await;
    put(&f, vec![entry(None, r#"{"status": "failed"}"#)]).await;
    let recorder = Arc::new(Recorder::default());
    *recorder.status.lock().unwrap() = Some(503);
    let sinks: Arc<dyn Sinks> = recorder.clone();
    let first = f.events.deliver_due(&sinks, NOW).await.unwrap();
    assert_eq!(first.retrying, 1);
    // Not due again until the backoff has passed.
    assert_eq!(f.events.deliver_due(&sinks, NOW + 999).await.unwrap().attempted(), 0);
    assert_eq!(f.events.deliver_due(&sinks, NOW + 1_000).await.unwrap().retrying, 1);
    let last = f.events.deliver_due(&sinks, NOW + 3_000).await.unwrap();
    assert_eq!((last.retrying, last.failed), (0, 1));
    assert_eq!(recorder.posts.lock().unwrap().len(), 3, "the first attempt and two retries");
    let letters = f.events.store().read(move |r| dead_letters(r, dlq, 10)).await.unwrap();
    assert_eq!(letters.len(), 1);
    let attribute = |name: &str| letters[0].attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    assert_eq!(attribute("RULE_ARN").as_deref(), Some("arn:aws:events:us-east-1:111122223333:rule/r"));
    assert_eq!(attribute("TARGET_ARN").as_deref(), Some(HOOK));
    assert_eq!(attribute("EXHAUSTED_RETRY_CONDITION").as_deref(), Some("MaximumRetryAttemptsExceeded"));
    assert_eq!(attribute("RETRY_ATTEMPTS").as_deref(), Some("2"));
    assert!(letters[0].body.contains(r#""detail":{"status":"failed"}"#));
    let status = f.events.store().read(|r| target_status(r, (ACCOUNT, REGION, "default", "r"), "hook")).await.unwrap();
    assert_eq!((status.delivered, status.retried, status.failed, status.dead_lettered), (0, 2, 1, 1));
    assert_eq!(status.last_error.as_deref(), Some("the endpoint answered HTTP 503"));
}

#[tokio::test]
async fn a_client_error_or_a_missing_target_is_not_retried() {
    let f = Fixture::start();
    f.rule("r", None, FAILED).await.unwrap();
    targets(&f, "r", None, vec![target("hook", HOOK), target("fn", "arn:aws:lambda:us-east-1:1:function:f")]).await;
    put(&f, vec![entry(None, r#"{"status": "failed"}"#)]).await;
    let recorder = Arc::new(Recorder::default());
    *recorder.status.lock().unwrap() = Some(400);
    let sinks: Arc<dyn Sinks> = recorder.clone();
    let round = f.events.deliver_due(&sinks, NOW).await.unwrap();
    assert_eq!((round.retrying, round.failed), (0, 2));
}

#[tokio::test]
async fn queued_deliveries_survive_a_restart() {
    let f = Fixture::start();
    f.rule("r", None, FAILED).await.unwrap();
    targets(&f, "r", None, vec![target("hook", HOOK)]).await;
    let id = event_id(&put(&f, vec![entry(None, r#"{"status": "failed"}"#)]).await[0]);
    let f = f.restart();
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    assert_eq!(f.events.deliver_due(&sinks, NOW).await.unwrap().delivered, 1);
    assert!(recorder.posts.lock().unwrap()[0].2.contains(&id));
    // The event left the store with its last delivery.
    let left = f
        .events
        .store()
        .read(|r| {
            Ok((
                r.len(skywatch_events::delivery::storage::PENDING)?,
                r.len(skywatch_events::delivery::storage::PENDING_REFS)?,
                r.len(skywatch_events::delivery::storage::OUTBOX)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(left, (0, 0, 0));
}

fn permission(principal: &str, sid: &str, bus: &str) -> PutPermissionInput {
    PutPermissionInput {
        event_bus_name: Some(bus.into()),
        action: Some("events:PutEvents".into()),
        principal: Some(principal.into()),
        statement_id: Some(sid.into()),
        ..PutPermissionInput::default()
    }
}

#[tokio::test]
async fn another_accounts_events_need_the_buses_policy() {
    let f = Fixture::start();
    let central = f.bus("central").await;
    f.rule("all", Some("central"), r#"{"source": ["shop.orders"]}"#).await.unwrap();
    targets(&f, "all", Some("central"), vec![target("hook", HOOK)]).await;
    let send = || PutEventsInput { entries: vec![entry(Some(&central), r#"{"status": "failed"}"#)], endpoint_id: None };
    let refused = f.call_as::<PutEvents>(OTHER, REGION, send()).await.unwrap();
    let EntryResult::Failed { code, message } = &refused.entries[0] else { panic!("{refused:?}") };
    assert_eq!(code, "AccessDeniedException");
    assert!(message.contains("is not authorized to perform: events:PutEvents"), "{message}");

    f.call::<PutPermission>(permission(OTHER, "other", "central")).await.unwrap();
    let described = f.call::<DescribeEventBus>(DescribeEventBusInput { name: Some("central".into()) }).await.unwrap();
    let policy: Value = serde_json::from_str(described.policy.as_deref().unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Principal"]["AWS"], format!("arn:aws:iam::{OTHER}:root"));
    assert_eq!(policy["Statement"][0]["Resource"], central.as_str());
    let allowed = f.call_as::<PutEvents>(OTHER, REGION, send()).await.unwrap();
    let id = event_id(&allowed.entries[0]);
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    f.events.deliver_due(&sinks, NOW).await.unwrap();
    let event: Value = serde_json::from_str(&recorder.posts.lock().unwrap()[0].2).unwrap();
    assert_eq!((event["id"].as_str(), event["account"].as_str()), (Some(id.as_str()), Some(OTHER)));

    let remove = |sid: &str| RemovePermissionInput {
        statement_id: Some(sid.into()),
        event_bus_name: Some("central".into()),
        ..RemovePermissionInput::default()
    };
    let error = f.call::<RemovePermission>(remove("nope")).await.unwrap_err();
    assert_eq!(
        (error.code().code, error.to_string().as_str()),
        ("ResourceNotFoundException", "Statement with the provided id does not exist.")
    );
    f.call::<RemovePermission>(remove("other")).await.unwrap();
    let refused_again = f.call_as::<PutEvents>(OTHER, REGION, send()).await.unwrap();
    assert!(matches!(refused_again.entries[0], EntryResult::Failed { .. }));
}

#[tokio::test]
async fn a_rule_forwards_to_another_accounts_bus_once_its_policy_allows() {
    let f = Fixture::start();
    // The central account's bus has a rule that posts everything it gets.
    let central = f.bus("central").await;
    f.rule("all", Some("central"), r#"{"source": ["shop.orders"]}"#).await.unwrap();
    targets(&f, "all", Some("central"), vec![target("hook", HOOK)]).await;
    // The other account forwards its failed orders to it.
    let rule = skywatch_events::PutRuleInput {
        name: "forward".into(),
        event_pattern: Some(FAILED.into()),
        ..skywatch_events::PutRuleInput::default()
    };
    f.call_as::<skywatch_events::PutRule>(OTHER, REGION, rule).await.unwrap();
    let forward =
        PutTargetsInput { rule: "forward".into(), event_bus_name: None, targets: vec![target("central", &central)] };
    f.call_as::<PutTargets>(OTHER, REGION, forward).await.unwrap();
    let send = || PutEventsInput { entries: vec![entry(None, r#"{"status": "failed"}"#)], endpoint_id: None };

    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    f.call_as::<PutEvents>(OTHER, REGION, send()).await.unwrap();
    let refused = f.events.deliver_due(&sinks, NOW).await.unwrap();
    assert_eq!((refused.delivered, refused.failed), (0, 1), "no policy: NO_PERMISSIONS, not retried");

    f.call::<PutPermission>(permission(OTHER, "other", "central")).await.unwrap();
    let id = event_id(&f.call_as::<PutEvents>(OTHER, REGION, send()).await.unwrap().entries[0]);
    let forwarded = f.events.deliver_due(&sinks, NOW).await.unwrap();
    assert_eq!(forwarded.delivered, 1);
    let posted = f.events.deliver_due(&sinks, NOW).await.unwrap();
    assert_eq!(posted.delivered, 1);
    let event: Value = serde_json::from_str(&recorder.posts.lock().unwrap()[0].2).unwrap();
    // Across accounts the event keeps its id, account and source.
    assert_eq!((event["id"].as_str(), event["account"].as_str()), (Some(id.as_str()), Some(OTHER)));
}

#[tokio::test]
async fn a_dead_letter_queue_keeps_its_newest_letters() {
    use skywatch_events::delivery::storage::MAX_DEAD_LETTERS;
    let f = Fixture::start();
    f.rule("r", None, FAILED).await.unwrap();
    let dlq = "arn:aws:sqs:us-east-1:111122223333:bounded";
    let no_retry = RetryPolicy { maximum_retry_attempts: Some(0), maximum_event_age_seconds: None };
    let target = Target { retry_policy: Some(no_retry), dead_letter_arn: Some(dlq.into()), ..target("hook", HOOK) };
    targets(&f, "r", None, vec![target]).await;
    let total = MAX_DEAD_LETTERS + 5;
    for chunk in 0..total.div_ceil(10) {
        let n = (total - chunk * 10).min(10);
        put(&f, (0..n).map(|i| entry(None, &format!(r#"{{"status": "failed", "n": {}}}"#, chunk * 10 + i))).collect())
            .await;
    }
    let recorder = Arc::new(Recorder::default());
    *recorder.status.lock().unwrap() = Some(400);
    let sinks: Arc<dyn Sinks> = recorder.clone();
    while f.events.deliver_due(&sinks, NOW).await.unwrap().attempted() > 0 {}
    let letters = f.events.store().read(move |r| dead_letters(r, dlq, usize::MAX)).await.unwrap();
    assert_eq!(letters.len(), MAX_DEAD_LETTERS, "the five oldest went");
}
