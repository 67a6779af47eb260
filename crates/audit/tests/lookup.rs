//! LookupEvents behaviour over a real store: attributes, paging, time ranges and the errors AWS gives.

use chrono::{DateTime, Duration, Utc};
use skywatch_audit::{
    CallRecord, EventKind, LookupAttribute, LookupError, LookupQuery, build_event, lookup, to_mutation,
};
use skywatch_model::{Caller, Role};
use skywatch_store::Store;

/// The clock of every lookup here: the operation reads time from its context, never from the system.
const NOW_MS: i64 = 1_795_000_000_123;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(NOW_MS).unwrap()
}

fn attr(key: &str, value: &str) -> LookupAttribute {
    LookupAttribute { attribute_key: key.into(), attribute_value: value.into() }
}

fn call(name: &str, key: &str, seconds_ago: i64) -> CallRecord {
    CallRecord {
        kind: EventKind::ApiCall,
        caller: Caller::AccessKey { access_key_id: key.into(), account: "000000000000".into(), role: Role::Admin },
        account: "000000000000".into(),
        region: "us-east-1".into(),
        time: now() - Duration::seconds(seconds_ago),
        event_source: "monitoring.amazonaws.com".into(),
        event_name: name.into(),
        read_only: name.starts_with("List"),
        source_ip: "127.0.0.1".into(),
        user_agent: "test".into(),
        request_id: uuid::Uuid::new_v4().to_string(),
        request_parameters: None,
        response_elements: None,
        error: None,
        resources: vec![],
    }
}

async fn store_with(calls: Vec<CallRecord>) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mutations = calls
        .into_iter()
        .map(|c| {
            let time = c.time;
            to_mutation(&build_event(c), time)
        })
        .collect();
    store.apply(mutations).await.unwrap();
    (dir, store)
}

#[tokio::test]
async fn pages_newest_first_until_exhausted() {
    let calls = (0..7).map(|i| call("PutMetricData", "AKID1", i)).collect();
    let (_dir, store) = store_with(calls).await;
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let query = LookupQuery { max_results: Some(3), next_token: token.clone(), ..Default::default() };
        let page = lookup(&store, "000000000000", "us-east-1", query, NOW_MS).await.unwrap();
        seen.extend(page.events.into_iter().map(|e| e.event_time));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 7);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first");
}

#[tokio::test]
async fn one_attribute_filters() {
    let calls =
        vec![call("PutMetricData", "AKID1", 3), call("ListMetrics", "AKID2", 2), call("PutMetricData", "AKID2", 1)];
    let (_dir, store) = store_with(calls).await;
    let by = |key: &str, value: &str| LookupQuery { attributes: vec![attr(key, value)], ..Default::default() };
    let count = |q| {
        let store = store.clone();
        async move { lookup(&store, "000000000000", "us-east-1", q, NOW_MS).await.unwrap().events.len() }
    };
    assert_eq!(count(by("EventName", "PutMetricData")).await, 2);
    assert_eq!(count(by("AccessKeyId", "AKID2")).await, 2);
    assert_eq!(count(by("ReadOnly", "true")).await, 1);
    assert_eq!(count(by("Username", "AKID1")).await, 1);
    assert_eq!(count(by("EventSource", "monitoring.amazonaws.com")).await, 3);
    // Other account or region sees nothing.
    assert!(
        lookup(&store, "111111111111", "us-east-1", LookupQuery::default(), NOW_MS).await.unwrap().events.is_empty()
    );
    assert!(
        lookup(&store, "000000000000", "eu-west-1", LookupQuery::default(), NOW_MS).await.unwrap().events.is_empty()
    );
}

#[tokio::test]
async fn time_range_bounds_results() {
    let calls = vec![call("A", "K", 3600), call("B", "K", 60)];
    let (_dir, store) = store_with(calls).await;
    let query = LookupQuery { start_time: Some(now() - Duration::seconds(600)), ..Default::default() };
    let page = lookup(&store, "000000000000", "us-east-1", query, NOW_MS).await.unwrap();
    assert_eq!(page.events.iter().map(|e| e.event_name.as_str()).collect::<Vec<_>>(), ["B"]);
}

#[tokio::test]
async fn invalid_requests_get_cloudtrail_errors() {
    let (_dir, store) = store_with(vec![]).await;
    let run = |q| {
        let store = store.clone();
        async move { lookup(&store, "000000000000", "us-east-1", q, NOW_MS).await.err() }
    };
    let two = LookupQuery { attributes: vec![attr("EventName", "a"), attr("Username", "b")], ..Default::default() };
    assert!(matches!(run(two).await, Some(LookupError::InvalidLookupAttributes(_))));
    let unknown = LookupQuery { attributes: vec![attr("Color", "red")], ..Default::default() };
    assert!(matches!(run(unknown).await, Some(LookupError::InvalidLookupAttributes(_))));
    for n in [0, 51, -1] {
        let q = LookupQuery { max_results: Some(n), ..Default::default() };
        assert!(matches!(run(q).await, Some(LookupError::InvalidMaxResults(_))), "{n}");
    }
    let backwards =
        LookupQuery { start_time: Some(now()), end_time: Some(now() - Duration::hours(1)), ..Default::default() };
    assert!(matches!(run(backwards).await, Some(LookupError::InvalidTimeRange)));
    let bad_token = LookupQuery { next_token: Some("garbage!".into()), ..Default::default() };
    assert!(matches!(run(bad_token).await, Some(LookupError::InvalidNextToken)));
}

/// Regression (issue 2): an event reported at second T must match EndTime = T even if it happened at T.9.
#[tokio::test]
async fn end_time_includes_the_whole_reported_second() {
    let mut late_in_second = call("PutMetricData", "K", 0);
    late_in_second.time = chrono::DateTime::from_timestamp_millis(1_795_317_675_900).unwrap();
    let reported = chrono::DateTime::from_timestamp(1_795_317_675, 0).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let time = late_in_second.time;
    store.apply(vec![to_mutation(&build_event(late_in_second), time)]).await.unwrap();
    let query = LookupQuery { start_time: Some(reported), end_time: Some(reported), ..Default::default() };
    let page = lookup(&store, "000000000000", "us-east-1", query, NOW_MS).await.unwrap();
    assert_eq!(page.events.len(), 1);
}

/// Issue 10: event history is kept 90 days; older records are removed in every account and region, newer kept.
#[tokio::test]
async fn retention_removes_records_past_the_history_in_every_scope() {
    let day = 86_400;
    let mut calls = Vec::new();
    for (i, region) in ["us-east-1", "eu-west-1"].into_iter().enumerate() {
        for age_days in [1, 89, 91, 200] {
            let mut record = call("PutMetricData", "AKID1", age_days * day + i as i64);
            record.region = region.into();
            calls.push(record);
        }
    }
    let mut other_account = call("ListMetrics", "AKID2", 120 * day);
    other_account.account = "111111111111".into();
    calls.push(other_account);
    let (_dir, store) = store_with(calls).await;
    let cutoff = NOW_MS - i64::from(skywatch_audit::DEFAULT_RETENTION_DAYS) * day * 1000;
    assert_eq!(skywatch_audit::expire(&store, cutoff).await.unwrap(), 5);
    assert_eq!(store.read(skywatch_audit::event_count).await.unwrap(), 4);
    for region in ["us-east-1", "eu-west-1"] {
        let page = lookup(&store, "000000000000", region, LookupQuery::default(), NOW_MS).await.unwrap();
        assert_eq!(page.events.len(), 2, "{region}");
    }
    assert_eq!(skywatch_audit::expire(&store, cutoff).await.unwrap(), 0);
}

/// Issue 10: a record that cannot be read back is skipped, not allowed to fail every page.
#[tokio::test]
async fn an_unreadable_record_is_skipped() {
    let (_dir, store) = store_with(vec![call("PutMetricData", "AKID1", 5), call("ListMetrics", "AKID1", 3)]).await;
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let bad = skywatch_audit::PutAuditEvent {
        account: "000000000000".into(),
        region: "us-east-1".into(),
        time_ms: NOW_MS - 4000,
        event_id: "bad".into(),
        record_json: format!("{{\"eventVersion\":{deep}}}").into_bytes(),
    };
    store.apply(vec![skywatch_store::Mutation::new(bad)]).await.unwrap();
    let page = lookup(&store, "000000000000", "us-east-1", LookupQuery::default(), NOW_MS).await.unwrap();
    let names: Vec<&str> = page.events.iter().map(|e| e.event_name.as_str()).collect();
    assert_eq!(names, ["ListMetrics", "PutMetricData"]);
}

/// Issue 10: the texts a caller controls are cut, so no record is larger than its parameters' bound allows.
#[test]
fn user_agents_and_error_messages_are_cut() {
    let mut record = call("PutMetricData", "AKID1", 1);
    record.user_agent = "ü".repeat(100_000);
    record.error = Some(("ValidationError".into(), "x".repeat(8 << 20)));
    let event = build_event(record);
    assert!(event.user_agent.len() <= skywatch_audit::MAX_TEXT_BYTES + 3 && event.user_agent.ends_with('…'));
    assert!(event.error_message.as_ref().is_some_and(|m| m.len() <= skywatch_audit::MAX_TEXT_BYTES + 3));
}
