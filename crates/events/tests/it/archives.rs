//! Archives and replays (issue 16, point 6), with AWS's answers as its snapshots recorded them: archives keep the
//! events of their bus that match their pattern, count them, drop them after their retention; a replay sends a
//! time range back to the bus's rules with `replay-name` and new ids, reports its progress, and can be cancelled.

use std::sync::Arc;

use serde_json::Value;
use skywatch_events::archive::ReplayState;
use skywatch_events::delivery::Sinks;
use skywatch_events::model::Target;
use skywatch_events::{
    ArchiveNameInput, CancelReplay, CreateArchive, CreateArchiveInput, DeleteArchive, DescribeArchive, DescribeReplay,
    EntryResult, ListArchives, ListArchivesInput, ListReplays, ListReplaysInput, PutEvents, PutEventsEntry,
    PutEventsInput, PutTargets, PutTargetsInput, ReplayNameInput, StartReplay, StartReplayInput, UpdateArchive,
    UpdateArchiveInput,
};
use skywatch_ops::AwsError;

use crate::delivery::Recorder;
use crate::fixture::{ACCOUNT, Fixture, NOW};

const BUS_ARN: &str = "arn:aws:events:us-east-1:111122223333:event-bus/orders";
const ARCHIVE_ARN: &str = "arn:aws:events:us-east-1:111122223333:archive/orders-all";

async fn shop(f: &Fixture) {
    f.bus("orders").await;
    f.rule("failed", Some("orders"), r#"{"detail": {"status": ["failed"]}}"#).await.unwrap();
    f.rule("all", Some("orders"), r#"{"source": ["shop.orders"]}"#).await.unwrap();
    for (rule, path) in [("failed", "failed"), ("all", "all")] {
        let target = Target { id: "hook".into(), arn: format!("http://127.0.0.1:9/{path}"), ..Target::default() };
        let input = PutTargetsInput { rule: rule.into(), event_bus_name: Some("orders".into()), targets: vec![target] };
        f.call::<PutTargets>(input).await.unwrap();
    }
}

fn archive(name: &str, pattern: Option<&str>) -> CreateArchiveInput {
    CreateArchiveInput {
        archive_name: name.into(),
        event_source_arn: BUS_ARN.into(),
        event_pattern: pattern.map(str::to_owned),
        ..CreateArchiveInput::default()
    }
}

async fn put(f: &Fixture, statuses: &[&str]) -> Vec<String> {
    let entries = statuses
        .iter()
        .map(|s| PutEventsEntry {
            source: Some("shop.orders".into()),
            detail_type: Some("Order".into()),
            detail: Some(format!(r#"{{"status": "{s}"}}"#)),
            event_bus_name: Some("orders".into()),
            ..PutEventsEntry::default()
        })
        .collect();
    let answer = f.call::<PutEvents>(PutEventsInput { entries, endpoint_id: None }).await.unwrap();
    answer
        .entries
        .into_iter()
        .map(|e| match e {
            EntryResult::Accepted { event_id } => event_id,
            EntryResult::Failed { message, .. } => panic!("{message}"),
        })
        .collect()
}

async fn drain(f: &Fixture) -> Vec<(String, Value)> {
    let recorder = Arc::new(Recorder::default());
    let sinks: Arc<dyn Sinks> = recorder.clone();
    while f.events.deliver_due(&sinks, NOW + 600_000).await.unwrap().attempted() > 0 {}
    let posts = recorder.posts.lock().unwrap().clone();
    posts.into_iter().map(|(url, _, body)| (url, serde_json::from_str(&body).unwrap())).collect()
}

fn replay(name: &str, filter: Vec<String>) -> StartReplayInput {
    StartReplayInput {
        replay_name: name.into(),
        event_source_arn: ARCHIVE_ARN.into(),
        event_start_ms: NOW - 60_000,
        event_end_ms: NOW + 60_000,
        destination_arn: BUS_ARN.into(),
        filter_arns: filter,
        ..StartReplayInput::default()
    }
}

#[tokio::test]
async fn an_archive_keeps_matching_events_and_a_replay_sends_them_back_once() {
    let f = Fixture::start();
    shop(&f).await;
    let created = f.call::<CreateArchive>(archive("orders-all", None)).await.unwrap();
    assert_eq!((created.arn.as_str(), created.state), (ARCHIVE_ARN, "ENABLED"));
    f.call::<CreateArchive>(archive("orders-failed", Some(r#"{"detail": {"status": ["failed"]}}"#))).await.unwrap();
    let ids = put(&f, &["paid", "failed", "paid"]).await;
    assert_eq!(drain(&f).await.len(), 4, "three events to `all`, one to `failed`");

    let describe = |name: &str| ArchiveNameInput { archive_name: name.into() };
    let all = f.call::<DescribeArchive>(describe("orders-all")).await.unwrap();
    assert_eq!((all.archive.event_count, all.event_source_arn.as_str()), (3, BUS_ARN));
    assert!(all.archive.size_bytes > 3 * 150, "{}", all.archive.size_bytes);
    let failed = f.call::<DescribeArchive>(describe("orders-failed")).await.unwrap();
    assert_eq!(failed.archive.event_count, 1);

    let started = f.call::<StartReplay>(replay("fix-1", Vec::new())).await.unwrap();
    assert_eq!(started.state, ReplayState::Starting);
    assert_eq!(f.events.run_replays(NOW + 1_000).await.unwrap(), 1);
    assert_eq!(f.events.run_replays(NOW + 2_000).await.unwrap(), 0, "completed in one chunk");
    let replayed = drain(&f).await;
    assert_eq!(replayed.len(), 4, "the same deliveries again");
    for (_, event) in &replayed {
        assert_eq!(event["replay-name"], "fix-1");
        assert!(!ids.contains(&event["id"].as_str().unwrap().to_owned()), "a new id");
        let text = event.to_string();
        assert!(text.find("\"region\"").unwrap() < text.find("\"replay-name\"").unwrap());
    }
    let done = f.call::<DescribeReplay>(ReplayNameInput { replay_name: "fix-1".into() }).await.unwrap();
    assert_eq!(done.replay.state, ReplayState::Completed);
    assert_eq!(done.replay.last_replayed_ms, Some(NOW));
    assert_eq!(done.replay.ended_ms, Some(NOW + 1_000));
    let again = f.call::<DescribeArchive>(describe("orders-all")).await.unwrap();
    assert_eq!(again.archive.event_count, 3, "replayed events are not archived again");

    // A replay to one rule only.
    f.call::<StartReplay>(replay("fix-2", vec![format!("arn:aws:events:us-east-1:{ACCOUNT}:rule/orders/failed")]))
        .await
        .unwrap();
    f.events.run_replays(NOW + 3_000).await.unwrap();
    let to_failed = drain(&f).await;
    assert_eq!(to_failed.len(), 1);
    assert!(to_failed[0].0.ends_with("/failed"));
    let listed = f.call::<ListReplays>(ListReplaysInput::default()).await.unwrap();
    let names: Vec<&str> = listed.replays.iter().map(|r| r.replay.name.as_str()).collect();
    assert_eq!(names, ["fix-1", "fix-2"]);
}

#[tokio::test]
async fn archives_and_replays_refuse_as_aws_does() {
    let f = Fixture::start();
    shop(&f).await;
    let refused = |e: skywatch_events::EventsError| (e.code().code, e.to_string());
    f.call::<CreateArchive>(archive("orders-all", None)).await.unwrap();
    assert_eq!(
        refused(f.call::<CreateArchive>(archive("orders-all", None)).await.unwrap_err()),
        ("ResourceAlreadyExistsException", "Archive orders-all already exists.".to_owned())
    );
    let unknown_bus = CreateArchiveInput {
        event_source_arn: "arn:aws:events:us-east-1:111122223333:event-bus/nope".into(),
        ..archive("x", None)
    };
    assert_eq!(
        refused(f.call::<CreateArchive>(unknown_bus).await.unwrap_err()),
        ("ResourceNotFoundException", "Event bus nope does not exist.".to_owned())
    );
    let gone = ArchiveNameInput { archive_name: "gone".into() };
    assert_eq!(
        refused(f.call::<DeleteArchive>(gone).await.unwrap_err()),
        ("ResourceNotFoundException", "Archive gone does not exist.".to_owned())
    );
    let nothing = UpdateArchiveInput { archive_name: "gone".into(), ..UpdateArchiveInput::default() };
    assert_eq!(
        refused(f.call::<UpdateArchive>(nothing).await.unwrap_err()),
        (
            "ValidationException",
            "At least one of EventPattern, RetentionDays or Description must be provided.".to_owned()
        )
    );
    let backwards = StartReplayInput { event_end_ms: NOW - 60_000, ..replay("r", Vec::new()) };
    assert_eq!(
        refused(f.call::<StartReplay>(backwards).await.unwrap_err()).1,
        "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime."
    );
    let no_archive = StartReplayInput {
        event_source_arn: "arn:aws:events:us-east-1:111122223333:archive/nope".into(),
        ..replay("r", Vec::new())
    };
    assert_eq!(
        refused(f.call::<StartReplay>(no_archive).await.unwrap_err()),
        (
            "ValidationException",
            "Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.".to_owned()
        )
    );
    let elsewhere = StartReplayInput {
        destination_arn: "arn:aws:events:us-east-1:111122223333:event-bus/default".into(),
        ..replay("r", Vec::new())
    };
    assert_eq!(
        refused(f.call::<StartReplay>(elsewhere).await.unwrap_err()).1,
        "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted."
    );
    for i in 0..10 {
        f.call::<StartReplay>(replay(&format!("r{i}"), Vec::new())).await.unwrap();
    }
    assert_eq!(
        refused(f.call::<StartReplay>(replay("r0", Vec::new())).await.unwrap_err()).1,
        "Replay r0 already exists."
    );
    assert_eq!(
        refused(f.call::<StartReplay>(replay("r10", Vec::new())).await.unwrap_err()).0,
        "LimitExceededException"
    );
}

#[tokio::test]
async fn a_cancelled_replay_sends_nothing_more() {
    let f = Fixture::start();
    shop(&f).await;
    f.call::<CreateArchive>(archive("orders-all", None)).await.unwrap();
    put(&f, &["failed"]).await;
    drain(&f).await;
    f.call::<StartReplay>(replay("oops", Vec::new())).await.unwrap();
    let cancelled = f.call::<CancelReplay>(ReplayNameInput { replay_name: "oops".into() }).await.unwrap();
    assert_eq!(cancelled.state, ReplayState::Cancelling);
    f.events.run_replays(NOW + 1_000).await.unwrap();
    assert!(drain(&f).await.is_empty());
    let described = f.call::<DescribeReplay>(ReplayNameInput { replay_name: "oops".into() }).await.unwrap();
    assert_eq!(described.replay.state, ReplayState::Cancelled);
    assert_eq!(described.replay.last_replayed_ms, None);
}

#[tokio::test]
async fn retention_drops_old_events_and_a_deleted_archive_is_swept() {
    let f = Fixture::start();
    shop(&f).await;
    f.call::<CreateArchive>(CreateArchiveInput { retention_days: Some(1), ..archive("day", None) }).await.unwrap();
    f.call::<CreateArchive>(archive("forever", None)).await.unwrap();
    put(&f, &["paid", "paid"]).await;
    assert_eq!(f.events.sweep_archives(NOW + 86_000_000).await.unwrap(), 0, "not a day old yet");
    assert_eq!(f.events.sweep_archives(NOW + 86_400_001).await.unwrap(), 2);
    assert_eq!(count(&f, "day").await, 0);
    assert_eq!(count(&f, "forever").await, 2);
    f.call::<DeleteArchive>(ArchiveNameInput { archive_name: "forever".into() }).await.unwrap();
    assert_eq!(f.events.sweep_archives(NOW + 86_400_002).await.unwrap(), 2, "the deleted archive's events");
    let left = f.events.store().read(|r| r.len(skywatch_events::archive::storage::ARCHIVED)).await.unwrap();
    assert_eq!(left, 0);
    let listed = f.call::<ListArchives>(ListArchivesInput::default()).await.unwrap();
    assert_eq!(listed.archives.len(), 1);
}

async fn count(f: &Fixture, name: &str) -> u64 {
    let input = ArchiveNameInput { archive_name: name.into() };
    f.call::<DescribeArchive>(input).await.unwrap().archive.event_count
}
