//! Store behaviour at its public boundary: generic tables with order-preserving keys, scans, batching, durability
//! across reopen, the schema check and the migration of older files.

use std::ops::ControlFlow;

use redb::{Database, TableDefinition};
use skywatch_store::{
    Change, Direction, Key, KeyReader, Mutation, OpenError, SCHEMA_VERSION, Store, Table, Tx, WriteError,
};

/// A table of this test's own, as an engine would declare one.
const EVENTS: Table = Table::new("test_events_v1");

/// This test's change type: one row under (account, time, id).
#[derive(Debug)]
struct PutEvent {
    account: &'static str,
    time_ms: i64,
    id: String,
}

impl Change for PutEvent {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let key = Key::new().str(self.account).i64(self.time_ms).str(&self.id);
        tx.put(EVENTS, key.as_bytes(), self.id.as_bytes())
    }
}

fn event(time_ms: i64, id: &str) -> Mutation {
    Mutation::new(PutEvent { account: "000000000000", time_ms, id: id.into() })
}

/// Ids of the account's events with from <= time < to, newest first, at most `limit`.
fn newest(store: &Store, account: &str, (from, to): (i64, i64), limit: usize) -> Vec<String> {
    let low = Key::new().str(account).i64(from);
    let high = Key::new().str(account).i64(to);
    store
        .read_blocking(|r| {
            let mut out = Vec::new();
            r.scan(EVENTS, (Some(low.as_bytes()), Some(high.as_bytes())), Direction::Backward, |key, value| {
                let mut parts = KeyReader::new(key);
                assert_eq!(parts.str().as_deref(), Some(account));
                assert!(parts.i64().is_some_and(|t| (from..to).contains(&t)));
                out.push(String::from_utf8(value.to_vec()).unwrap());
                if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
            })?;
            Ok(out)
        })
        .unwrap()
}

#[tokio::test]
async fn committed_writes_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = Store::open(dir.path()).unwrap();
        store.apply(vec![event(10, "a"), event(20, "b"), event(30, "c")]).await.unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(newest(&store, "000000000000", (0, 100), 10), ["c", "b", "a"]);
}

#[tokio::test]
async fn scans_honour_range_direction_limit_and_scope() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut batch: Vec<_> = (0..10).map(|i| event(i * 10 - 50, &format!("e{i}"))).collect();
    batch.push(Mutation::new(PutEvent { account: "111111111111", time_ms: 0, id: "other".into() }));
    store.apply(batch).await.unwrap();
    assert_eq!(newest(&store, "000000000000", (-30, 30), 2), ["e7", "e6"], "negative times order before positive");
    assert_eq!(newest(&store, "000000000000", (-30, 30), 10), ["e7", "e6", "e5", "e4", "e3", "e2"]);
    assert_eq!(newest(&store, "111111111111", (i64::MIN, i64::MAX), 10), ["other"]);
    let prefixed = store.read_blocking(|r| r.prefixed(EVENTS, &Key::new().str("000000000000"))).unwrap();
    assert_eq!(prefixed.len(), 10);
    assert_eq!(store.read_blocking(|r| r.len(EVENTS)).unwrap(), 11);
    let missing = Table::new("never_written_v1");
    assert_eq!(store.read_blocking(|r| r.len(missing)).unwrap(), 0, "a table never written reads as empty");
    assert_eq!(store.read_blocking(|r| r.get(missing, b"x")).unwrap(), None);
}

#[tokio::test]
async fn concurrent_callers_share_commits_and_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|task| {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..100 {
                    store.apply(vec![event(task * 1000 + i, &format!("{task}-{i}"))]).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(store.read(|r| r.len(EVENTS)).await.unwrap(), 1000);
}

/// Schemas 1 and 2 kept typed redb tables; opening moves their rows into schema 3's byte-keyed tables, in key
/// order, and records the new version. Issue 9: a data dir written by the previous build migrates without loss.
#[test]
fn typed_tables_of_older_schemas_move_to_byte_keyed_tables() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = Database::create(dir.path().join(skywatch_store::DATABASE_FILE)).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut meta = txn.open_table(TableDefinition::<&str, &[u8]>::new("meta_v1")).unwrap();
            meta.insert("schema_version", 2u32.to_le_bytes().as_slice()).unwrap();
            meta.insert("ts.rolled_up_through", 7u64.to_le_bytes().as_slice()).unwrap();
            let mut dashboards = txn.open_table(TableDefinition::<(&str, &str), &[u8]>::new("dashboards_v1")).unwrap();
            dashboards.insert(("111111111111", "b"), b"B".as_slice()).unwrap();
            dashboards.insert(("111111111111", "a"), b"A".as_slice()).unwrap();
            let mut chunks = txn.open_table(TableDefinition::<(u64, i64, u64), &[u8]>::new("ts_chunks_v1")).unwrap();
            chunks.insert((7, -5, 1), b"older".as_slice()).unwrap();
            chunks.insert((7, 9, 2), b"newer".as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let store = Store::open(dir.path()).unwrap();
    let dashboards = store.read_blocking(|r| r.all(Table::new("dashboards_v2"))).unwrap();
    let names: Vec<(String, String, Vec<u8>)> = dashboards
        .into_iter()
        .map(|(key, value)| {
            let mut parts = KeyReader::new(&key);
            (parts.str().unwrap(), parts.str().unwrap(), value)
        })
        .collect();
    assert_eq!(
        names,
        [("111111111111".into(), "a".into(), b"A".to_vec()), ("111111111111".into(), "b".into(), b"B".to_vec())]
    );
    let chunks = store.read_blocking(|r| r.all(Table::new("ts_chunks_v2"))).unwrap();
    assert_eq!(chunks.iter().map(|(_, v)| v.as_slice()).collect::<Vec<_>>(), [b"older".as_slice(), b"newer"]);
    assert_eq!(store.read_blocking(|r| r.meta("ts.rolled_up_through")).unwrap(), Some(7u64.to_le_bytes().to_vec()));
    drop(store);
    // The old tables are gone and the version is 3: a second open migrates nothing.
    let db = Database::open(dir.path().join(skywatch_store::DATABASE_FILE)).unwrap();
    let txn = redb::ReadableDatabase::begin_read(&db).unwrap();
    let names: Vec<String> = txn.list_tables().unwrap().map(|t| redb::TableHandle::name(&t).to_owned()).collect();
    assert!(!names.iter().any(|n| n.ends_with("_v1") && n != "meta_v1"), "{names:?}");
    assert!(skywatch_store::MIGRATED_TABLES.iter().all(|(old, _)| !names.iter().any(|n| n == old)));
}

/// A schema-1 file's raw metric rows move to `metric_points_v2`, where the metrics engine imports them.
#[test]
fn schema_1_files_migrate_and_keep_their_metric_points() {
    let dir = tempfile::tempdir().unwrap();
    let row = skywatch_store::fixtures::LegacyMetricPoint {
        account: "000000000000".into(),
        region: "us-east-1".into(),
        series: "App\u{1f}Latency".into(),
        timestamp_ms: 60_000,
        stats: [1.0, 5.0, 5.0, 5.0],
    };
    skywatch_store::fixtures::write_schema_1(dir.path(), &[row]).unwrap();
    let store = Store::open(dir.path()).unwrap();
    let rows = store.read_blocking(|r| r.all(Table::new("metric_points_v2"))).unwrap();
    assert_eq!(rows.len(), 1);
    let mut parts = KeyReader::new(&rows[0].0);
    assert_eq!(parts.str().as_deref(), Some("000000000000"));
    assert_eq!(parts.str().as_deref(), Some("us-east-1"));
    assert_eq!(parts.str().as_deref(), Some("App\u{1f}Latency"));
    assert_eq!(parts.i64(), Some(60_000));
    assert_eq!(&rows[0].1[8..16], 5.0f64.to_le_bytes());
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
        tokio::spawn(async move { store.apply(vec![event(1, "queued")]).await })
    };
    queued.await.unwrap().unwrap();
    store.close().await.unwrap();
    assert!(store.apply(vec![event(2, "late")]).await.is_err(), "writes after close must fail");
    drop(store);
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.read(|r| r.len(EVENTS)).await.unwrap(), 1);
}

/// The space statistics add up: a table's stored bytes are exactly its keys and values, its pages are exactly its
/// stored, metadata and fragmented bytes, and the file holds every allocated page. Measuring changes nothing.
#[tokio::test]
async fn space_accounts_for_every_table_byte_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let ids: Vec<String> = (0..3000).map(|i| format!("event-{i:05}")).collect();
    store.apply(ids.iter().enumerate().map(|(i, id)| event(i as i64, id)).collect()).await.unwrap();
    let expected_stored: u64 = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (Key::new().str("000000000000").i64(i as i64).str(id).as_bytes().len() + id.len()) as u64)
        .sum();

    let space = store.space_blocking().unwrap();
    let events = space.table(EVENTS.name()).expect("the events table is listed");
    assert_eq!(events.entries, 3000);
    assert_eq!(events.stored_bytes, expected_stored, "stored bytes are the keys and values, nothing else");
    assert!(events.branch_pages >= 1 && events.leaf_pages >= 2, "{events:?} spans several pages");
    assert_eq!(
        (events.leaf_pages + events.branch_pages) * space.page_size,
        events.stored_bytes + events.metadata_bytes + events.fragmented_bytes,
        "every byte of the table's (one-page) pages is data, metadata or fragmentation: {events:?}"
    );
    assert!(space.table("meta_v1").is_some(), "the store's own tables are listed: {:?}", space.tables);
    let names: Vec<&str> = space.tables.iter().map(|t| t.name.as_str()).collect();
    assert!(names.is_sorted(), "{names:?}");
    let table_pages: u64 = space.tables.iter().map(|t| t.leaf_pages + t.branch_pages).sum();
    assert!(space.allocated_bytes >= table_pages * space.page_size, "{space:?}");
    assert!(space.file_bytes >= space.allocated_bytes, "{space:?}");
    assert_eq!(space.free_bytes(), space.file_bytes - space.allocated_bytes);

    // The measurement's write transaction was aborted: the writer still commits, and nothing else changed.
    store.apply(vec![event(5000, "after")]).await.unwrap();
    let after = store.space_blocking().unwrap();
    assert_eq!(after.table(EVENTS.name()).unwrap().entries, 3001);
    assert_eq!(after.table("meta_v1"), space.table("meta_v1"));
}
