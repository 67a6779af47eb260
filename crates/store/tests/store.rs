//! Store behaviour at its public boundary: schema check, batching, durability across reopen.

use redb::{Database, TableDefinition};
use skywatch_store::{Mutation, OpenError, SCHEMA_VERSION, StatisticSet, Store};

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
                    .apply(vec![Mutation::PutMetricPoint {
                        account: "000000000000".into(),
                        region: "us-east-1".into(),
                        series: format!("App/Latency/{task}"),
                        timestamp_ms: i,
                        stats: StatisticSet { sample_count: 1.0, sum: 1.0, minimum: 1.0, maximum: 1.0 },
                    }])
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.read(|r| r.metric_point_count()).await.unwrap(), 1000);
}

#[tokio::test]
async fn same_timestamp_points_are_all_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let point = |v: f64| Mutation::PutMetricPoint {
        account: "000000000000".into(),
        region: "us-east-1".into(),
        series: "s".into(),
        timestamp_ms: 1000,
        stats: StatisticSet { sample_count: 1.0, sum: v, minimum: v, maximum: v },
    };
    store.apply(vec![point(1.0), point(2.0)]).await.unwrap();
    let rows = store.read(|r| r.metric_points("000000000000", "us-east-1", "s", (0, 2000))).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.stats.sum).collect::<Vec<_>>(), [1.0, 2.0]);
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
