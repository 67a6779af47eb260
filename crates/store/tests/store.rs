//! Store behaviour at its public boundary: schema check, batching, durability across reopen.

use redb::{Database, TableDefinition};
use skywatch_store::{ChunkRow, LegacyMetricPoint, Mutation, OpenError, SCHEMA_VERSION, StatisticSet, Store};

fn audit(time_ms: i64, id: &str) -> Mutation {
    Mutation::PutAuditEvent {
        account: "000000000000".into(),
        region: "us-east-1".into(),
        time_ms,
        event_id: id.into(),
        record_json: format!("{{\"eventID\":\"{id}\"}}").into_bytes(),
    }
}

#[tokio::test]
async fn committed_writes_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.apply(vec![audit(10, "a"), audit(20, "b"), audit(30, "c")]).await.unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let rows =
        store.read(|r| r.audit_newest_first("000000000000", "us-east-1", (0, 100), None, 10, |_| true)).await.unwrap();
    let ids: Vec<_> = rows.iter().map(|r| r.event_id.as_str()).collect();
    assert_eq!(ids, ["c", "b", "a"]);
}

#[tokio::test]
async fn audit_scan_honours_range_cursor_limit_and_scope() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut batch: Vec<_> = (0..10).map(|i| audit(i * 10, &format!("e{i}"))).collect();
    batch.push(Mutation::PutAuditEvent {
        account: "000000000000".into(),
        region: "eu-west-1".into(),
        time_ms: 50,
        event_id: "other-region".into(),
        record_json: b"{}".to_vec(),
    });
    store.apply(batch).await.unwrap();
    let page = |before: Option<(i64, String)>| {
        store.read_blocking(|r| {
            r.audit_newest_first(
                "000000000000",
                "us-east-1",
                (20, 80),
                before.as_ref().map(|(t, id)| (*t, id.as_str())),
                2,
                |_| true,
            )
        })
    };
    let first = page(None).unwrap();
    assert_eq!(first.iter().map(|r| r.time_ms).collect::<Vec<_>>(), [70, 60]);
    let last = first.last().unwrap();
    let second = page(Some((last.time_ms, last.event_id.clone()))).unwrap();
    assert_eq!(second.iter().map(|r| r.time_ms).collect::<Vec<_>>(), [50, 40]);
}

#[tokio::test]
async fn concurrent_callers_share_commits_and_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut tasks = Vec::new();
    for task in 0..50 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..20 {
                store
                    .apply(vec![Mutation::AppendWal { sequence: task * 1000 + i, record: vec![task as u8; 8] }])
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.read(|r| r.ts_wal()).await.unwrap().len(), 1000);
}

#[tokio::test]
async fn time_series_rows_round_trip_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let chunk = |series: u64, max: i64, number: u64| Mutation::PutChunk {
        series,
        max_timestamp_ms: max,
        number,
        chunk: vec![series as u8, number as u8],
    };
    store
        .apply(vec![
            Mutation::PutSeries { id: 7, record: b"series".to_vec() },
            Mutation::PutOpenChunk { series: 7, chunk: b"open".to_vec() },
            chunk(7, 1_000, 1),
            chunk(7, 5_000, 2),
            chunk(8, 2_000, 3),
            Mutation::PutRollup { series: 7, period_seconds: 300, day_start_ms: 0, summaries: b"day0".to_vec() },
            Mutation::PutRollup {
                series: 7,
                period_seconds: 300,
                day_start_ms: 86_400_000,
                summaries: b"day1".to_vec(),
            },
            Mutation::PutMeta { key: "marker".into(), value: b"42".to_vec() },
        ])
        .await
        .unwrap();
    let rows = store.read(|r| r.ts_chunks(7, 2_000, |_| true)).await.unwrap();
    assert_eq!(rows, vec![ChunkRow { series: 7, max_timestamp_ms: 5_000, number: 2, chunk: vec![7, 2] }]);
    let skipped = store.read(|r| r.ts_chunks(7, 0, |bytes| bytes[1] != 1)).await.unwrap();
    assert_eq!(skipped.len(), 1, "the keep filter skips chunk 1");
    assert_eq!(store.read(|r| r.ts_chunks_older_than(2_500)).await.unwrap(), vec![(7, 1_000, 1), (8, 2_000, 3)]);
    let days = store.read(|r| r.ts_rollups(7, 300, (86_400_000, i64::MAX))).await.unwrap();
    assert_eq!(days, vec![(86_400_000, b"day1".to_vec())]);
    assert_eq!(store.read(|r| r.meta("marker")).await.unwrap(), Some(b"42".to_vec()));
    store
        .apply(vec![
            Mutation::DeleteChunk { series: 7, max_timestamp_ms: 1_000, number: 1 },
            Mutation::DeleteOpenChunk { series: 7 },
            Mutation::DeleteRollup { series: 7, period_seconds: 300, day_start_ms: 0 },
        ])
        .await
        .unwrap();
    assert_eq!(store.read(|r| r.ts_counts()).await.unwrap(), [1, 0, 0, 2, 1]);
}

/// A schema-1 file (with the old raw metric table) opens as schema 2 and keeps its points readable until the
/// engine imports and drops them.
#[test]
fn schema_1_files_migrate_and_keep_their_metric_points() {
    let dir = tempfile::tempdir().unwrap();
    let stats = StatisticSet { sample_count: 1.0, sum: 5.0, minimum: 5.0, maximum: 5.0 };
    let row = LegacyMetricPoint {
        account: "000000000000".into(),
        region: "us-east-1".into(),
        series: "App\u{1f}Latency".into(),
        timestamp_ms: 60_000,
        stats,
    };
    skywatch_store::fixtures::write_schema_1(dir.path(), &[row]).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let legacy = store.read_blocking(|r| r.legacy_metric_points()).unwrap();
    assert_eq!(legacy.len(), 1);
    assert_eq!(legacy[0].stats, StatisticSet { sample_count: 1.0, sum: 5.0, minimum: 5.0, maximum: 5.0 });
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(store.apply(vec![Mutation::DropLegacyMetricPoints])).unwrap();
    assert!(store.read_blocking(|r| r.legacy_metric_points()).unwrap().is_empty());
}

#[test]
fn a_different_schema_version_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    {
        let db = Database::create(dir.path().join(skywatch_store::DATABASE_FILE)).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut meta = txn.open_table(TableDefinition::<&str, &[u8]>::new("meta_v1")).unwrap();
            meta.insert("schema_version", (SCHEMA_VERSION + 1).to_le_bytes().as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    match Store::open(dir.path()) {
        Err(OpenError::SchemaMismatch { found, expected }) => {
            assert_eq!((found, expected), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        Err(other) => panic!("expected a schema mismatch, got {other}"),
        Ok(_) => panic!("expected a schema mismatch, the store opened"),
    }
}

#[test]
fn an_unusable_data_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let error = Store::open(&file.join("data")).err().expect("opening under a file must fail");
    assert!(matches!(error, OpenError::DataDir { .. }), "{error}");
}

#[tokio::test]
async fn close_commits_what_was_queued_and_refuses_later_writes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let queued = {
        let store = store.clone();
        tokio::spawn(async move { store.apply(vec![audit(1, "queued")]).await })
    };
    queued.await.unwrap().unwrap();
    store.close().await.unwrap();
    assert!(store.apply(vec![audit(2, "late")]).await.is_err(), "writes after close must fail");
    drop(store);
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.read(|r| r.audit_event_count()).await.unwrap(), 1);
}
