//! The operation layer over a real store (issue 9): the role check, one commit of an operation's changes with its
//! CloudTrail record, the clock and the account from the context, refusals recorded with their AWS code, and
//! sign-in committing its session with its record.

use skywatch_core::audit::{LookupEvents, LookupQuery};
use skywatch_core::auth::{AccessKeys, CreateUser, CreateUserInput};
use skywatch_core::metrics::{ListMetrics, ListRequest, MetricDatum, PutMetricData, PutMetricDataInput};
use skywatch_core::model::{Caller, CloudTrailEvent, Role};
use skywatch_core::ops::Context;
use skywatch_core::{AuthMode, Failure, Services, SignInOutcome};

/// The clock of every call here, far from the machine's.
const NOW_MS: i64 = 1_700_000_000_000;

fn services(dir: &tempfile::TempDir) -> Services {
    Services::open(dir.path(), AccessKeys::new([]), AuthMode::None).expect("open services")
}

fn ctx(role: Role) -> Context {
    let caller = Caller::ConsoleUser { name: format!("{}-user", role.as_str()), account: "000000000000".into(), role };
    Context::new(caller, "eu-west-1", format!("req-{}", role.as_str()), NOW_MS)
}

fn put(namespace: &str) -> PutMetricDataInput {
    let datum = MetricDatum { metric_name: "Latency".into(), value: Some(12.5), ..MetricDatum::default() };
    PutMetricDataInput { namespace: namespace.into(), metric_data: vec![datum].into() }
}

async fn events(services: &Services, account: &str, region: &str) -> Vec<CloudTrailEvent> {
    let ctx = Context { account: account.into(), region: region.into(), ..ctx(Role::Admin) };
    let page = services.invoke::<LookupEvents>(&ctx, LookupQuery::default()).await.expect("lookup");
    page.events.into_iter().filter(|e| e.event_name != "LookupEvents").collect()
}

#[tokio::test]
async fn a_viewer_is_refused_writes_and_the_refusal_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let services = services(&dir);
    let refused = services.invoke::<PutMetricData>(&ctx(Role::Viewer), put("App")).await;
    assert!(matches!(refused, Err(Failure::Denied(_))), "{refused:?}");
    assert_eq!(services.tsdb.series_count(), 0, "nothing is stored");
    let recorded = events(&services, "000000000000", "eu-west-1").await;
    let [event] = recorded.as_slice() else { panic!("one record: {recorded:?}") };
    assert_eq!((event.event_name.as_str(), event.error_code.as_deref()), ("PutMetricData", Some("AccessDenied")));
    assert!(!event.read_only);
    // Reads are open to viewers.
    assert!(services.invoke::<ListMetrics>(&ctx(Role::Viewer), ListRequest::default()).await.is_ok());
}

#[tokio::test]
async fn changes_commit_with_their_record_at_the_context_time_in_the_context_account() {
    let dir = tempfile::tempdir().unwrap();
    let services = services(&dir);
    let other = ctx(Role::Admin).in_account("111111111111");
    services.invoke::<PutMetricData>(&other, put("App")).await.expect("put");
    let listed = services.invoke::<ListMetrics>(&other, ListRequest::default()).await.expect("list");
    assert_eq!(listed.metrics.len(), 1);
    assert_eq!(listed.metrics[0].key.account, "111111111111");
    let own = services.invoke::<ListMetrics>(&ctx(Role::Admin), ListRequest::default()).await.expect("list");
    assert!(own.metrics.is_empty(), "the caller's own account has nothing");

    let recorded = events(&services, "111111111111", "eu-west-1").await;
    let put = recorded.iter().find(|e| e.event_name == "PutMetricData").expect("recorded in the acted-on account");
    assert_eq!(put.event_time, "2023-11-14T22:13:20Z", "the context's clock");
    assert_eq!(put.recipient_account_id, "111111111111");
    assert_eq!(put.user_identity.account_id, "000000000000", "the caller's own account");
    assert_eq!(put.request_id, "req-admin");
    let parameters = put.request_parameters.as_ref().expect("parameters");
    assert_eq!(parameters["namespace"], "App");
    assert_eq!(parameters["metricData"][0]["metricName"], "Latency");
    let list = recorded.iter().find(|e| e.event_name == "ListMetrics").expect("reads are recorded");
    assert!(list.read_only);
}

#[tokio::test]
async fn refusals_carry_their_code_and_users_commit_with_their_record_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let services = Services::open(dir.path(), AccessKeys::new([]), AuthMode::SigV4).expect("open services");
    let bad = CreateUserInput { user_name: "carol".into(), role: "owner".into(), password: "long enough".into() };
    let refused = services.invoke::<CreateUser>(&ctx(Role::Admin), bad).await;
    let Err(failure) = refused else { panic!("a bad role is refused") };
    assert_eq!(failure.code().audit_code(), "ValidationError");

    let good = CreateUserInput { user_name: "dave".into(), role: "viewer".into(), password: "s3cret pass".into() };
    services.invoke::<CreateUser>(&ctx(Role::Admin), good).await.expect("created");
    let recorded = events(&services, "000000000000", "eu-west-1").await;
    let created = recorded.iter().find(|e| e.event_name == "CreateUser" && e.error_code.is_none()).expect("record");
    let json = serde_json::to_string(created).unwrap();
    assert!(!json.contains("s3cret"), "the password is never recorded: {json}");
    assert_eq!(created.resources[0].arn, "arn:aws:iam::000000000000:user/dave");
    assert!(
        recorded.iter().any(|e| e.event_name == "CreateUser" && e.error_code.as_deref() == Some("ValidationError"))
    );

    let outcome = services.sign_in(ctx(Role::Viewer), "dave", "s3cret pass").await.expect("sign in");
    let SignInOutcome::SignedIn(signed_in) = outcome else { panic!("the password is right: {outcome:?}") };
    assert_eq!(signed_in.role, Role::Viewer);
    let session = services.sessions.get(&signed_in.token, NOW_MS + 1).await.expect("read").expect("a session");
    assert_eq!(session.user, "dave");
    let wrong = services.sign_in(ctx(Role::Viewer), "dave", "wrong").await.expect("checked");
    assert_eq!(wrong, SignInOutcome::Refused);
    let logins = events(&services, "000000000000", "eu-west-1").await;
    assert!(logins.iter().any(|e| e.event_name == "ConsoleLogin" && e.error_code.is_none()));
    assert!(logins.iter().any(|e| e.event_name == "ConsoleLogin" && e.error_code.is_some()));
}

/// Issue 10: without authentication anyone who reaches the server is an administrator, so no user can be
/// created then (a user so created would survive into `--auth sigv4`); the refusal is recorded.
#[tokio::test]
async fn users_cannot_be_created_without_authentication() {
    let dir = tempfile::tempdir().unwrap();
    let services = services(&dir);
    let input = CreateUserInput { user_name: "mallory".into(), role: "admin".into(), password: "long enough".into() };
    let Err(failure) = services.invoke::<CreateUser>(&ctx(Role::Admin), input).await else {
        panic!("CreateUser must be refused under --auth none")
    };
    assert_eq!(failure.code().audit_code(), "AccessDenied");
    assert!(services.users.list().await.expect("listed").is_empty());
    let recorded = events(&services, "000000000000", "eu-west-1").await;
    assert!(recorded.iter().any(|e| e.event_name == "CreateUser" && e.error_code.as_deref() == Some("AccessDenied")));
}

/// Issue 10: failed sign-ins are throttled per address and per name; each attempt leaves exactly one record,
/// with the submitted name cut to 64 characters.
#[tokio::test]
async fn sign_ins_are_throttled_and_recorded_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let services = Services::open(dir.path(), AccessKeys::new([]), AuthMode::SigV4).expect("open services");
    services.users.provision("erin", "right password", Role::Admin).await.unwrap();
    let from = |ip: &str| {
        ctx(Role::Viewer).from_origin(skywatch_core::ops::Origin { source_ip: ip.into(), user_agent: "t".into() })
    };
    let long_name = "n".repeat(2 * 1024 * 1024);
    for _ in 0..skywatch_core::auth::throttle::FREE_FAILURES {
        let outcome = services.sign_in(from("10.0.0.1"), &long_name, "wrong").await.unwrap();
        assert_eq!(outcome, SignInOutcome::Refused);
    }
    let outcome = services.sign_in(from("10.0.0.1"), &long_name, "wrong").await.unwrap();
    assert_eq!(outcome, SignInOutcome::Refused, "the sixth failure is counted, then attempts wait");
    let outcome = services.sign_in(from("10.0.0.1"), "erin", "right password").await.unwrap();
    assert!(matches!(outcome, SignInOutcome::Throttled { retry_after_s } if retry_after_s >= 1), "{outcome:?}");
    // Another address is not held back by this one's failures.
    let outcome = services.sign_in(from("10.0.0.2"), "erin", "right password").await.unwrap();
    assert!(matches!(outcome, SignInOutcome::SignedIn(_)), "{outcome:?}");
    let logins: Vec<_> = events(&services, "000000000000", "eu-west-1")
        .await
        .into_iter()
        .filter(|e| e.event_name == "ConsoleLogin")
        .collect();
    assert_eq!(logins.len(), 8, "one record per attempt");
    let longest = logins.iter().map(|e| serde_json::to_string(e).unwrap().len()).max().unwrap();
    assert!(longest < 4096, "the submitted name is cut: a record is {longest} bytes");
    assert!(logins.iter().any(|e| e.error_code.as_deref() == Some("Throttled")));
}

/// Issue 10: a client that disconnects while its batch commits (its request future dropped) still gets the
/// batch applied: whenever the call's record is durable, its datapoint is visible, without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_committed_for_a_client_that_left_is_applied() {
    use skywatch_core::metrics::tsdb::SeriesKey;
    use skywatch_core::metrics::{GetMetricStatistics, StatisticsRequest};
    let mut recorded_and_dropped = 0;
    for attempt in 0..40u64 {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        let admin = ctx(Role::Admin);
        let call = services.invoke::<PutMetricData>(&admin, put("Left"));
        let dropped = tokio::time::timeout(std::time::Duration::from_micros(attempt * 40), call).await.is_err();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let durable =
            events(&services, "000000000000", "eu-west-1").await.iter().any(|e| e.event_name == "PutMetricData");
        let query = StatisticsRequest {
            series: SeriesKey::new("000000000000", "eu-west-1", "Left", "Latency", vec![]),
            start_ms: NOW_MS - 3_600_000,
            end_ms: NOW_MS + 60_000,
            period_seconds: 60,
            statistics: vec!["Sum".into()],
            extended_statistics: vec![],
            unit: None,
        };
        let reply = services.invoke::<GetMetricStatistics>(&ctx(Role::Admin), query).await.expect("query");
        let visible = !reply.datapoints.is_empty();
        assert_eq!(durable, visible, "attempt {attempt}: durable {durable}, visible {visible}");
        recorded_and_dropped += usize::from(durable && dropped);
    }
    assert!(recorded_and_dropped > 0, "some attempts must drop the call while it commits");
}

/// Issue 16: the events Skywatch's own services put on the default bus reach the rules that match them, with
/// the read-only and data-event rules AWS applies ("AWS API Call via CloudTrail", "CloudWatch Alarm State
/// Change").
mod aws_events_on_the_default_bus {
    use std::sync::{Arc, Mutex};

    use skywatch_core::alarms::service::validate::{Common, MetricInput};
    use skywatch_core::alarms::service::{PutMetricAlarm, PutMetricAlarmInput, SetAlarmState, SetAlarmStateInput};
    use skywatch_core::events::delivery::{HttpRequest, HttpResponse, SendOutcome, SinkError, SinkFuture, Sinks};
    use skywatch_core::events::model::Target;
    use skywatch_core::events::{PutRule, PutRuleInput, PutTargets, PutTargetsInput};
    use skywatch_core::model::Role;
    use skywatch_core::sns::{CreateTopic, CreateTopicInput, ListTopics, ListTopicsInput};
    use skywatch_core::store::{Mutation, Reader};

    use super::{NOW_MS, ctx, put, services};
    use skywatch_core::metrics::PutMetricData;

    #[derive(Default)]
    struct Posts(Mutex<Vec<serde_json::Value>>);

    impl Sinks for Posts {
        fn send(&self, request: HttpRequest) -> SinkFuture<SendOutcome> {
            self.0.lock().unwrap().push(serde_json::from_str(&request.body.unwrap_or_default()).unwrap());
            Box::pin(async { Ok(HttpResponse { status: 200, body: Vec::new() }) })
        }
        fn publish(&self, _: &Reader, _: &str, _: &str, _: i64) -> Result<Vec<Mutation>, SinkError> {
            Ok(Vec::new())
        }
        fn put_log_event(
            &self,
            _: (&str, &str, &str),
            _: &str,
            _: (i64, String),
            _: i64,
        ) -> SinkFuture<Result<Vec<Mutation>, SinkError>> {
            Box::pin(async { Ok(Vec::new()) })
        }
    }

    async fn rule(services: &skywatch_core::Services, name: &str, pattern: serde_json::Value, state: Option<&str>) {
        let admin = ctx(Role::Admin);
        let input = PutRuleInput {
            name: name.into(),
            event_pattern: Some(pattern.to_string()),
            state: state.map(str::to_owned),
            ..PutRuleInput::default()
        };
        services.invoke::<PutRule>(&admin, input).await.expect("rule");
        let target = Target { id: "hook".into(), arn: format!("http://127.0.0.1:9/{name}"), ..Target::default() };
        let targets = PutTargetsInput { rule: name.into(), event_bus_name: None, targets: vec![target] };
        services.invoke::<PutTargets>(&admin, targets).await.expect("targets");
    }

    #[tokio::test]
    async fn calls_and_alarm_changes_become_events_that_rules_match() {
        let dir = tempfile::tempdir().unwrap();
        let services = services(&dir);
        let admin = ctx(Role::Admin);
        let api_calls = serde_json::json!({"detail-type": ["AWS API Call via CloudTrail"], "source": ["aws.sns", "aws.cloudwatch"]});
        rule(&services, "writes", api_calls.clone(), None).await;
        rule(&services, "everything", api_calls, Some("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")).await;
        rule(&services, "alarms", serde_json::json!({"detail-type": ["CloudWatch Alarm State Change"], "detail": {"state": {"value": ["ALARM"]}}}), None).await;

        services
            .invoke::<CreateTopic>(&admin, CreateTopicInput { name: "alerts".into(), ..Default::default() })
            .await
            .unwrap();
        services.invoke::<ListTopics>(&admin, ListTopicsInput::default()).await.unwrap();
        services.invoke::<PutMetricData>(&admin, put("App")).await.unwrap();
        let alarm = PutMetricAlarmInput {
            common: Common { alarm_name: "high".into(), ..Common::default() },
            metric: MetricInput {
                metric_name: Some("Latency".into()),
                namespace: Some("App".into()),
                statistic: Some("Average".into()),
                period: Some(60),
                evaluation_periods: Some(1),
                threshold: Some(1.0),
                comparison_operator: Some("GreaterThanThreshold".into()),
                ..MetricInput::default()
            },
        };
        services.invoke::<PutMetricAlarm>(&admin, alarm).await.unwrap();
        let set = SetAlarmStateInput {
            alarm_name: "high".into(),
            state_value: "ALARM".into(),
            state_reason: "test".into(),
            state_reason_data: None,
        };
        services.invoke::<SetAlarmState>(&admin, set).await.unwrap();

        let posts = Arc::new(Posts::default());
        let sinks: Arc<dyn Sinks> = posts.clone();
        services.events.deliver_due(&sinks, NOW_MS + 1).await.unwrap();
        let got = posts.0.lock().unwrap().clone();
        let names = |rule_url_part: &str| -> Vec<String> {
            got.iter()
                .filter(|e| e["detail-type"] == rule_url_part)
                .filter_map(|e| e["detail"]["eventName"].as_str().map(str::to_owned))
                .collect()
        };
        let mut calls = names("AWS API Call via CloudTrail");
        calls.sort();
        // The write calls reach both rules, ListTopics only the one asking for every management event, and
        // PutMetricData (a data event) neither.
        assert_eq!(
            calls,
            [
                "CreateTopic",
                "CreateTopic",
                "ListTopics",
                "PutMetricAlarm",
                "PutMetricAlarm",
                "SetAlarmState",
                "SetAlarmState"
            ]
        );
        let create = got.iter().find(|e| e["detail"]["eventName"] == "CreateTopic").unwrap();
        assert_eq!(create["source"], "aws.sns");
        assert_eq!(create["account"], "000000000000");
        assert_eq!(create["region"], "eu-west-1");
        assert_eq!(create["detail"]["eventSource"], "sns.amazonaws.com");
        assert_eq!(create["detail"]["requestParameters"]["name"], "alerts");
        let changes: Vec<&serde_json::Value> =
            got.iter().filter(|e| e["detail-type"] == "CloudWatch Alarm State Change").collect();
        let [change] = changes.as_slice() else { panic!("one alarm change: {got:?}") };
        assert_eq!(change["source"], "aws.cloudwatch");
        assert_eq!(change["resources"][0], "arn:aws:cloudwatch:eu-west-1:000000000000:alarm:high");
        assert_eq!(change["detail"]["alarmName"], "high");
        assert_eq!(change["detail"]["state"]["value"], "ALARM");
        assert_eq!(change["detail"]["previousState"]["value"], "INSUFFICIENT_DATA");
        assert_eq!(change["detail"]["configuration"]["metrics"][0]["metricStat"]["metric"]["name"], "Latency");
    }
}
