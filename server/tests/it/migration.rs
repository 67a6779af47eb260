//! Issue 9: a data dir written by the previous build (schema 2, typed redb tables, made by the skywatch of commit
//! c4cc0be with boto3: metric data in chunks and in the write-ahead log, a dashboard, a console user and session,
//! CloudTrail records) opens with this build and migrates without loss; and every table has one owner.

use std::collections::BTreeSet;
use std::io::Read;

use skywatch_core::audit::{LookupEvents, LookupQuery};
use skywatch_core::auth::AccessKeys;
use skywatch_core::metrics::tsdb::SeriesKey;
use skywatch_core::metrics::{GetMetricStatistics, ListMetrics, ListRequest, StatisticsRequest};
use skywatch_core::model::{Caller, Role};
use skywatch_core::ops::Context;
use skywatch_core::{AuthMode, Services};
use skywatch_dashboards::service::{GetDashboard, GetDashboardInput};

fn facts() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/schema-2.json")).expect("fixture facts")
}

/// The schema-2 file, unpacked into a fresh data dir.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let packed: &[u8] = include_bytes!("fixtures/schema-2.redb.gz");
    let mut file = Vec::new();
    flate2::read::GzDecoder::new(packed).read_to_end(&mut file).expect("gunzip the fixture");
    std::fs::write(dir.path().join(skywatch_store::DATABASE_FILE), file).expect("write the fixture");
    dir
}

#[tokio::test(flavor = "multi_thread")]
async fn a_schema_2_data_dir_opens_and_keeps_everything() {
    let facts = facts();
    let created_ms = facts["created_ms"].as_i64().unwrap();
    let minute_ms = facts["minute_ms"].as_i64().unwrap();
    let dir = data_dir();
    let path = dir.path().to_owned();
    let services = tokio::task::spawn_blocking(move || Services::open(&path, AccessKeys::new([]), AuthMode::None))
        .await
        .unwrap()
        .expect("the old file opens");
    let admin = Caller::ConsoleUser { name: "t".into(), account: "000000000000".into(), role: Role::Admin };
    let ctx = Context::new(admin, "us-east-1", "migration-test", created_ms + 1_000);

    // The dashboard, byte for byte.
    let input = GetDashboardInput { dashboard_name: "fixture-board".into() };
    let board = services.invoke::<GetDashboard>(&ctx, input).await.expect("the dashboard survives");
    assert_eq!(board.body, facts["dashboard_body"].as_str().unwrap());

    // The console user and their session.
    let user = services.users.verify("fixture-admin", "fixture-password").await.unwrap().expect("the user survives");
    assert_eq!(user.role, Role::Admin);
    let token = facts["session_token"].as_str().unwrap();
    let session = services.sessions.get(token, created_ms + 1_000).await.unwrap().expect("the session survives");
    assert_eq!(session.user, "fixture-admin");

    // Every datapoint: 0..=29 a minute apart (in chunks), then 100 at `minute_ms` (written after the checkpoint).
    let listed = services.invoke::<ListMetrics>(&ctx, ListRequest::default()).await.unwrap();
    assert_eq!(listed.metrics.len(), 1);
    let series = SeriesKey::new(
        "000000000000",
        "us-east-1",
        "Fixture/App",
        "Latency",
        vec![("Service".to_owned(), "checkout".to_owned())],
    );
    let request = StatisticsRequest {
        series,
        start_ms: minute_ms - 3_600_000,
        end_ms: minute_ms + 60_000,
        period_seconds: 3_600,
        statistics: vec!["SampleCount".into(), "Sum".into(), "Maximum".into()],
        extended_statistics: vec![],
        unit: None,
    };
    let reply = services.invoke::<GetMetricStatistics>(&ctx, request).await.unwrap();
    let total = |name: &str| -> f64 {
        reply.datapoints.iter().flat_map(|p| &p.statistics).filter(|(n, _)| n == name).map(|(_, v)| v).sum()
    };
    assert_eq!(total("SampleCount"), 31.0);
    assert_eq!(total("Sum"), (0..30).sum::<i32>() as f64 + 100.0);

    // The CloudTrail records, newest first, with their own times.
    let page = services.invoke::<LookupEvents>(&ctx, LookupQuery::default()).await.unwrap();
    let names: BTreeSet<&str> = page.events.iter().map(|e| e.event_name.as_str()).collect();
    for expected in ["PutMetricData", "PutDashboard", "LookupEvents", "ConsoleLogin"] {
        assert!(names.contains(expected), "{expected} is missing from {names:?}");
    }
}

/// Every table belongs to one engine, and every table the migration fills is one an engine reads.
#[test]
fn every_table_has_one_owner() {
    let engines: [&[skywatch_store::Table]; 10] = [
        skywatch_core::audit::TABLES,
        skywatch_core::auth::storage::TABLES,
        skywatch_tsdb::storage::TABLES,
        skywatch_dashboards::service::TABLES,
        skywatch_core::alarms::service::TABLES,
        skywatch_core::sns::TABLES,
        skywatch_core::traces::TABLES,
        skywatch_core::config::TABLES,
        skywatch_core::logs::TABLES,
        skywatch_core::events::TABLES,
    ];
    let names: Vec<&str> = engines.iter().flat_map(|tables| tables.iter().map(|t| t.name())).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "a table name is declared twice: {names:?}");
    for (old, new) in skywatch_store::MIGRATED_TABLES {
        assert!(unique.contains(new), "the migration fills {new} (from {old}), which no engine declares");
    }
}
