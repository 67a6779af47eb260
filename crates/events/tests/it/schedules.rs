//! Schedule rules firing (issue 16, point 4): once a time, their "Scheduled Event" to their own targets, not twice
//! after a restart, late once for times missed, and not while disabled.

use std::sync::Arc;

use serde_json::Value;
use skywatch_events::delivery::Sinks;
use skywatch_events::model::Target;
use skywatch_events::scheduler::schedules;
use skywatch_events::{DisableRule, EnableRule, PutRule, PutRuleInput, PutTargets, PutTargetsInput, RuleNameInput};

use crate::delivery::Recorder;
use crate::fixture::{ACCOUNT, Fixture, NOW};

const HOOK: &str = "http://127.0.0.1:9/scheduled";

async fn scheduled(f: &Fixture, name: &str, expression: &str) {
    let input = PutRuleInput { name: name.into(), schedule_expression: Some(expression.into()), ..Default::default() };
    f.call::<PutRule>(input).await.unwrap();
    let target = Target { id: "hook".into(), arn: HOOK.into(), ..Target::default() };
    f.call::<PutTargets>(PutTargetsInput { rule: name.into(), event_bus_name: None, targets: vec![target] })
        .await
        .unwrap();
}

async fn next_fires(f: &Fixture) -> Vec<(String, i64)> {
    let rows = f.events.store().read(|r| schedules(r, 100)).await.unwrap();
    rows.into_iter().map(|d| (d.rule, d.row.next_ms)).collect()
}

#[tokio::test]
async fn a_rate_rule_fires_once_a_period_and_not_twice_after_a_restart() {
    let f = Fixture::start();
    scheduled(&f, "every-minute", "rate(1 minute)").await;
    assert_eq!(next_fires(&f).await, vec![("every-minute".to_owned(), NOW + 60_000)]);
    assert_eq!(f.events.fire_due(NOW + 59_999).await.unwrap(), 0);
    assert_eq!(f.events.fire_due(NOW + 60_000).await.unwrap(), 1);
    assert_eq!(f.events.fire_due(NOW + 60_500).await.unwrap(), 0, "fired once");
    let f = f.restart();
    assert_eq!(f.events.fire_due(NOW + 60_900).await.unwrap(), 0, "not again after a restart");
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    assert_eq!(f.events.deliver_due(&sinks, NOW + 61_000).await.unwrap().delivered, 1);
    let event: Value = serde_json::from_str(&recorder.posts.lock().unwrap()[0].2).unwrap();
    assert_eq!(event["detail-type"], "Scheduled Event");
    assert_eq!(event["source"], "aws.events");
    assert_eq!(event["resources"][0], format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/every-minute"));
    assert_eq!(event["time"], "2025-12-06T05:47:40Z");
    assert_eq!(event["detail"], serde_json::json!({}));
    // Ten minutes down: the missed times fire once, and the next is the next to come.
    assert_eq!(f.events.fire_due(NOW + 11 * 60_000 + 5).await.unwrap(), 1);
    assert_eq!(next_fires(&f).await, vec![("every-minute".to_owned(), NOW + 12 * 60_000)]);
}

#[tokio::test]
async fn a_disabled_schedule_does_not_fire_until_enabled() {
    let f = Fixture::start();
    scheduled(&f, "monday", "cron(0 8 ? * MON *)").await;
    // NOW is Saturday 2025-12-06: the next Monday at 8 is the 8th.
    assert_eq!(next_fires(&f).await, vec![("monday".to_owned(), 1_765_180_800_000)]);
    f.call::<DisableRule>(RuleNameInput { name: "monday".into(), event_bus_name: None }).await.unwrap();
    assert!(next_fires(&f).await.is_empty());
    assert_eq!(f.events.fire_due(1_765_180_800_000).await.unwrap(), 0);
    f.call::<EnableRule>(RuleNameInput { name: "monday".into(), event_bus_name: None }).await.unwrap();
    assert_eq!(f.events.fire_due(1_765_180_800_000).await.unwrap(), 1);
}

#[tokio::test]
async fn a_schedule_rule_is_not_triggered_by_put_events() {
    let f = Fixture::start();
    scheduled(&f, "hourly", "rate(1 hour)").await;
    let entry = skywatch_events::PutEventsEntry {
        source: Some("aws.events".replace("aws.", "my.")),
        detail_type: Some("Scheduled Event".into()),
        detail: Some("{}".into()),
        ..Default::default()
    };
    f.call::<skywatch_events::PutEvents>(skywatch_events::PutEventsInput { entries: vec![entry], endpoint_id: None })
        .await
        .unwrap();
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    assert_eq!(f.events.deliver_due(&sinks, NOW).await.unwrap().attempted(), 0);
}
