//! Issue 14: the log store on a real redb file through the Logs operations: events read back in time order whatever
//! their arrival, across many blocks and pages; per-group encryption (the file never holds a sealed message in the
//! clear, and without its key the group cannot be read); retention dropping expired blocks and their stored bytes;
//! deleted groups and streams swept; everything still there after a restart.

use std::collections::BTreeMap;

use skywatch_logs::filters::MetricTransformation;
use skywatch_logs::ingest::InputEvent;
use skywatch_logs::ops::{
    AssociateKmsKey, CreateLogGroup, CreateLogGroupInput, CreateLogStream, DeleteLogGroup, DeleteLogStream,
    DescribeLogGroups, DescribeLogGroupsInput, FilterLogEvents, FilterLogEventsInput, GetLogEvents, GetLogEventsInput,
    GroupNameInput, KmsKeyInput, PutLogEvents, PutLogEventsInput, PutMetricFilter, PutMetricFilterInput,
    PutRetentionPolicy, PutRetentionPolicyInput, StreamInput,
};
use skywatch_logs::{Keyring, Logs, LogsError};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const NOW: i64 = 1_800_000_000_000;
const DAY: i64 = 86_400_000;
const KMS: &str = "arn:aws:kms:us-east-1:000000000000:key/11111111-2222-3333-4444-555555555555";

struct Fixture {
    logs: Logs,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let logs = Logs::new(Store::open(dir.path()).unwrap(), Keyring::in_dir(dir.path()));
        Self { logs, dir }
    }

    fn restart(self) -> Self {
        let Fixture { logs, dir } = self;
        drop(logs);
        Self { logs: Logs::new(Store::open(dir.path()).unwrap(), Keyring::in_dir(dir.path())), dir }
    }

    async fn try_call<Op: Operation<Engine = Logs, Error = LogsError>>(
        &self,
        now_ms: i64,
        input: Op::Input,
    ) -> Result<Op::Output, LogsError> {
        let ctx = Context::new(
            skywatch_model::Caller::Anonymous { account: "000000000000".into() },
            "us-east-1",
            "r",
            now_ms,
        );
        let effect = Op::run(&self.logs, &ctx, input).await?;
        self.logs.store().apply(effect.changes).await.unwrap();
        Ok(effect.reply)
    }

    async fn call<Op: Operation<Engine = Logs, Error = LogsError>>(&self, input: Op::Input) -> Op::Output {
        self.try_call::<Op>(NOW, input).await.unwrap()
    }

    async fn group(&self, name: &str) {
        self.call::<CreateLogGroup>(CreateLogGroupInput { log_group_name: name.into(), ..Default::default() }).await;
    }

    async fn stream(&self, group: &str, stream: &str) {
        let input = StreamInput { log_group_name: group.into(), log_stream_name: stream.into() };
        self.call::<CreateLogStream>(input).await;
    }

    async fn put(&self, group: &str, stream: &str, events: &[(i64, &str)]) {
        let input = PutLogEventsInput {
            log_group_name: group.into(),
            log_stream_name: stream.into(),
            log_events: events.iter().map(|(t, m)| InputEvent { timestamp_ms: *t, message: (*m).into() }).collect(),
            sequence_token: None,
        };
        let out = self.call::<PutLogEvents>(input).await;
        assert!(out.rejected.is_empty(), "{:?}", out.rejected);
    }

    async fn messages(&self, group: &str, stream: &str) -> Result<Vec<String>, LogsError> {
        let input = GetLogEventsInput {
            log_group_name: Some(group.into()),
            log_stream_name: stream.into(),
            start_from_head: Some(true),
            ..Default::default()
        };
        Ok(self.try_call::<GetLogEvents>(NOW, input).await?.events.into_iter().map(|e| e.message).collect())
    }

    async fn filter(&self, group: &str, pattern: &str, limit: Option<i64>) -> Vec<Vec<(String, String)>> {
        let mut pages = Vec::new();
        let mut token = None;
        loop {
            let input = FilterLogEventsInput {
                log_group_name: Some(group.into()),
                filter_pattern: Some(pattern.into()),
                next_token: token.clone(),
                limit,
                ..Default::default()
            };
            let out = self.call::<FilterLogEvents>(input).await;
            pages.push(out.events.into_iter().map(|e| (e.stream, e.message)).collect());
            token = out.next_token;
            if token.is_none() {
                return pages;
            }
            assert!(pages.len() < 10_000, "the token never ran out");
        }
    }

    async fn stored_bytes(&self, name: &str) -> u64 {
        let input = DescribeLogGroupsInput { log_group_name_prefix: Some(name.into()), ..Default::default() };
        self.call::<DescribeLogGroups>(input).await.groups[0].group.stored_bytes
    }
}

#[tokio::test]
async fn streams_merge_in_time_order_whatever_the_arrival_and_survive_a_restart() {
    let f = Fixture::start();
    f.group("/app").await;
    for stream in ["a", "b"] {
        f.stream("/app", stream).await;
    }
    // Batches arrive out of order, overlap in time and interleave across streams.
    f.put("/app", "a", &[(NOW - 50, "a-50"), (NOW - 30, "a-30"), (NOW - 10, "a-10")]).await;
    f.put("/app", "b", &[(NOW - 40, "b-40"), (NOW - 20, "b-20")]).await;
    f.put("/app", "a", &[(NOW - 60, "a-60"), (NOW - 35, "a-35")]).await;
    f.put("/app", "a", &[(NOW - 10, "a-10 again")]).await;
    assert_eq!(f.messages("/app", "a").await.unwrap(), ["a-60", "a-50", "a-35", "a-30", "a-10", "a-10 again"]);
    let all: Vec<String> = f.filter("/app", "", None).await.concat().into_iter().map(|(_, m)| m).collect();
    assert_eq!(all, ["a-60", "a-50", "b-40", "a-35", "a-30", "b-20", "a-10", "a-10 again"]);
    let pages = f.filter("/app", "", Some(3)).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 2]);
    assert_eq!(pages.concat().into_iter().map(|(_, m)| m).collect::<Vec<_>>(), all);

    let f = f.restart();
    assert_eq!(f.messages("/app", "b").await.unwrap(), ["b-40", "b-20"]);
    assert_eq!(f.stored_bytes("/app").await, [4, 4, 4, 4, 4, 4, 10, 4].iter().map(|n| n + 26).sum::<u64>());
}

#[tokio::test]
async fn many_blocks_page_forward_and_backward_without_gaps() {
    let f = Fixture::start();
    f.group("/many").await;
    f.stream("/many", "s").await;
    let mut expected = Vec::new();
    // 300 batches, every third one older than the previous ones: more blocks than one metadata page.
    for batch in 0..300i64 {
        let base = if batch % 3 == 2 { NOW - 10 * DAY / 10 + batch } else { NOW - DAY / 2 + batch * 100 };
        let events: Vec<(i64, String)> = (0..4).map(|i| (base + i, format!("{batch:03}-{i}"))).collect();
        let borrowed: Vec<(i64, &str)> = events.iter().map(|(t, m)| (*t, m.as_str())).collect();
        f.put("/many", "s", &borrowed).await;
        expected.extend(events);
    }
    expected.sort_by_key(|(t, m)| (*t, m.clone()));
    let expected: Vec<String> = expected.into_iter().map(|(_, m)| m).collect();
    assert_eq!(f.messages("/many", "s").await.unwrap().len(), 1200);

    let (mut forward, mut token) = (Vec::new(), None);
    loop {
        let input = GetLogEventsInput {
            log_group_name: Some("/many".into()),
            log_stream_name: "s".into(),
            start_from_head: Some(true),
            limit: Some(77),
            next_token: token.clone(),
            ..Default::default()
        };
        let page = f.call::<GetLogEvents>(input).await;
        if Some(&page.next_forward_token) == token.as_ref() {
            break;
        }
        forward.extend(page.events.into_iter().map(|e| e.message));
        token = Some(page.next_forward_token);
    }
    assert_eq!(forward, expected);

    let (mut backward, mut token) = (Vec::new(), None);
    loop {
        let input = GetLogEventsInput {
            log_group_name: Some("/many".into()),
            log_stream_name: "s".into(),
            limit: Some(101),
            next_token: token.clone(),
            ..Default::default()
        };
        let page = f.call::<GetLogEvents>(input).await;
        if page.events.is_empty() {
            break;
        }
        let mut messages: Vec<String> = page.events.into_iter().map(|e| e.message).collect();
        messages.extend(backward);
        backward = messages;
        token = Some(page.next_backward_token);
    }
    assert_eq!(backward, expected);
    let matching: Vec<String> =
        f.filter("/many", "\"-3\"", Some(50)).await.concat().into_iter().map(|(_, m)| m).collect();
    assert_eq!(matching, expected.iter().filter(|m| m.ends_with("-3")).cloned().collect::<Vec<_>>());
}

#[tokio::test]
async fn a_sealed_group_keeps_no_message_in_the_clear_and_needs_its_key() {
    let f = Fixture::start();
    f.group("/sealed").await;
    f.stream("/sealed", "s").await;
    f.put("/sealed", "s", &[(NOW - 2, "before the key")]).await;
    let input =
        KmsKeyInput { log_group_name: Some("/sealed".into()), kms_key_id: Some(KMS.into()), ..Default::default() };
    f.call::<AssociateKmsKey>(input).await;
    let marker = "PLAINTEXT-MARKER-7f3a9c".repeat(20);
    f.put("/sealed", "s", &[(NOW - 1, &marker)]).await;
    assert_eq!(f.messages("/sealed", "s").await.unwrap(), ["before the key".to_owned(), marker.clone()]);
    let f = f.restart();
    let file = std::fs::read(f.dir.path().join("skywatch.redb")).unwrap();
    assert!(!file.windows(23).any(|w| w == b"PLAINTEXT-MARKER-7f3a9c"), "a sealed message is in the file in the clear");
    std::fs::remove_dir_all(f.dir.path().join("kms")).unwrap();
    let f = f.restart();
    match f.messages("/sealed", "s").await {
        Err(LogsError::AccessDenied(message)) => assert!(message.contains(KMS), "{message}"),
        other => panic!("expected AccessDenied without the key, got {other:?}"),
    }
}

#[tokio::test]
async fn retention_drops_expired_blocks_and_their_bytes() {
    let f = Fixture::start();
    f.group("/ret").await;
    f.stream("/ret", "s").await;
    f.put("/ret", "s", &[(NOW - 10 * DAY, "old"), (NOW - 10 * DAY + 1, "old too")]).await;
    f.put("/ret", "s", &[(NOW - DAY, "recent")]).await;
    let before = f.stored_bytes("/ret").await;
    assert_eq!(before, (3 + 26) + (7 + 26) + (6 + 26));
    f.call::<PutRetentionPolicy>(PutRetentionPolicyInput { log_group_name: "/ret".into(), retention_in_days: 7 }).await;
    // Reads hide what retention has not removed yet.
    assert_eq!(f.messages("/ret", "s").await.unwrap(), ["recent"]);
    let done = f.logs.upkeep(NOW).await.unwrap();
    assert_eq!(done.expired_blocks, 1);
    assert_eq!(f.stored_bytes("/ret").await, 6 + 26);
    assert_eq!(f.logs.upkeep(NOW).await.unwrap().expired_blocks, 0);
}

#[tokio::test]
async fn deleted_groups_and_streams_are_gone_at_once_and_swept_later() {
    let f = Fixture::start();
    f.group("/gone").await;
    f.stream("/gone", "s").await;
    f.stream("/gone", "t").await;
    f.put("/gone", "s", &[(NOW, "s1")]).await;
    f.put("/gone", "t", &[(NOW, "t1")]).await;
    f.call::<DeleteLogStream>(StreamInput { log_group_name: "/gone".into(), log_stream_name: "t".into() }).await;
    f.stream("/gone", "t").await;
    assert_eq!(f.messages("/gone", "t").await.unwrap(), Vec::<String>::new(), "a new stream of the same name is empty");
    assert_eq!(f.filter("/gone", "", None).await.concat(), [("s".into(), "s1".into())]);
    f.call::<DeleteLogGroup>(GroupNameInput { log_group_name: "/gone".into() }).await;
    f.group("/gone").await;
    f.stream("/gone", "s").await;
    assert_eq!(f.messages("/gone", "s").await.unwrap(), Vec::<String>::new());
    let swept = f.logs.upkeep(NOW).await.unwrap();
    assert_eq!((swept.swept_blocks, swept.swept_streams), (2, 2));
    let tables = f.logs.store().read(|r| {
        Ok([skywatch_logs::storage::BLOCKS, skywatch_logs::storage::BLOCK_TIMES, skywatch_logs::storage::ORPHANS]
            .map(|t| r.len(t).unwrap_or(0)))
    });
    assert_eq!(tables.await.unwrap(), [0, 0, 0]);
}

#[tokio::test]
async fn refusals_name_logs_codes() {
    let f = Fixture::start();
    let missing = f.try_call::<DeleteLogGroup>(NOW, GroupNameInput { log_group_name: "/none".into() }).await;
    assert!(matches!(missing, Err(LogsError::NotFound(_))));
    f.group("/dup").await;
    let dup = f
        .try_call::<CreateLogGroup>(NOW, CreateLogGroupInput { log_group_name: "/dup".into(), ..Default::default() })
        .await;
    assert!(matches!(dup, Err(LogsError::AlreadyExists(_))));
    let bad_key = CreateLogGroupInput {
        log_group_name: "/k".into(),
        kms_key_id: Some("arn:aws:kms:eu-west-1:000000000000:key/abc".into()),
        tags: BTreeMap::new(),
        ..Default::default()
    };
    assert!(matches!(f.try_call::<CreateLogGroup>(NOW, bad_key).await, Err(LogsError::InvalidParameter(_))));
}

/// Issue 14: a log group has at most five filter patterns with regular expressions (AWS's quota).
#[tokio::test]
async fn a_group_takes_five_regex_filters() {
    let f = Fixture::start();
    f.group("/re").await;
    let put = |name: String, pattern: &str| PutMetricFilterInput {
        log_group_name: "/re".into(),
        filter_name: name,
        filter_pattern: pattern.into(),
        metric_transformations: vec![MetricTransformation {
            metric_name: "M".into(),
            metric_namespace: "N".into(),
            metric_value: "1".into(),
            default_value: None,
            dimensions: BTreeMap::new(),
            unit: None,
        }],
    };
    for i in 0..5 {
        f.call::<PutMetricFilter>(put(format!("r{i}"), &format!("%err{i}[0-9]+%"))).await;
    }
    f.call::<PutMetricFilter>(put("plain".into(), "ERROR")).await;
    let sixth = f.try_call::<PutMetricFilter>(NOW, put("r5".into(), "%warn[0-9]+%")).await;
    assert!(matches!(sixth, Err(LogsError::LimitExceeded(_))), "{sixth:?}");
    // Replacing one of the five keeps the count.
    f.call::<PutMetricFilter>(put("r0".into(), "%fatal[0-9]+%")).await;
}
