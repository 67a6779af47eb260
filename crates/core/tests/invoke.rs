//! The operation layer over a real store (issue 9): the role check, one commit of an operation's changes with its
//! CloudTrail record, the clock and the account from the context, refusals recorded with their AWS code, and
//! sign-in committing its session with its record.

use skywatch_core::audit::{LookupEvents, LookupQuery};
use skywatch_core::auth::{AccessKeys, CreateUser, CreateUserInput};
use skywatch_core::metrics::{ListMetrics, ListRequest, MetricDatum, PutMetricData, PutMetricDataInput};
use skywatch_core::model::{Caller, CloudTrailEvent, Role};
use skywatch_core::ops::Context;
use skywatch_core::{AuthMode, Failure, Services};

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
    PutMetricDataInput { namespace: namespace.into(), metric_data: vec![datum] }
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
    let services = services(&dir);
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

    let signed_in = services.sign_in(ctx(Role::Viewer), "dave", "s3cret pass").await.expect("sign in");
    let signed_in = signed_in.expect("the password is right");
    assert_eq!(signed_in.role, Role::Viewer);
    let session = services.sessions.get(&signed_in.token, NOW_MS + 1).await.expect("read").expect("a session");
    assert_eq!(session.user, "dave");
    assert!(services.sign_in(ctx(Role::Viewer), "dave", "wrong").await.expect("checked").is_none());
    let logins = events(&services, "000000000000", "eu-west-1").await;
    assert!(logins.iter().any(|e| e.event_name == "ConsoleLogin" && e.error_code.is_none()));
    assert!(logins.iter().any(|e| e.event_name == "ConsoleLogin" && e.error_code.is_some()));
}
