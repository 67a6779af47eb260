//! Dashboards in their table (issue 4, moved to the dashboard service's own table in issue 9): bodies kept byte
//! for byte, pages by account, prefix and cursor, deletes, persistence across reopen, and a file that never had
//! a dashboard.

use skywatch_dashboards::service::storage::{DashboardChange, DashboardRecord, dashboard, dashboard_count, dashboards};
use skywatch_store::{Mutation, Store};

fn put(account: &str, name: &str, time_ms: i64, body: &str) -> Mutation {
    DashboardChange::Put { account: account.into(), name: name.into(), last_modified_ms: time_ms, body: body.into() }
        .mutation()
}

fn names(records: &[DashboardRecord]) -> Vec<&str> {
    records.iter().map(|record| record.name.as_str()).collect()
}

#[tokio::test]
async fn dashboards_round_trip_page_and_delete() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    let body = "{ \"widgets\" : [ ] ,\n\t\"z\":1, \"a\": \"héllo ✓\" }";
    store
        .apply(vec![
            put("111111111111", "b-2", 20, body),
            put("111111111111", "a", 10, "{}"),
            put("111111111111", "b-1", 30, "{\"widgets\":[]}"),
            put("111111111111", "c", 40, "{}"),
            put("222222222222", "b-0", 50, "{}"),
        ])
        .await
        .expect("commit");
    let got = store.read(|r| dashboard(r, "111111111111", "b-2")).await.expect("read");
    assert_eq!(got, Some(DashboardRecord { name: "b-2".into(), body: body.into(), last_modified_ms: 20 }));
    assert_eq!(store.read(|r| dashboard(r, "222222222222", "b-2")).await.expect("read"), None);

    let all = store.read(|r| dashboards(r, "111111111111", "", None, 100)).await.expect("read");
    assert_eq!(names(&all), ["a", "b-1", "b-2", "c"]);
    let prefixed = store.read(|r| dashboards(r, "111111111111", "b-", None, 100)).await.expect("read");
    assert_eq!(names(&prefixed), ["b-1", "b-2"]);
    let page = store.read(|r| dashboards(r, "111111111111", "", Some("a"), 2)).await.expect("read");
    assert_eq!(names(&page), ["b-1", "b-2"]);
    let after = store.read(|r| dashboards(r, "111111111111", "b-", Some("b-1"), 10)).await.expect("read");
    assert_eq!(names(&after), ["b-2"]);
    let before_prefix = store.read(|r| dashboards(r, "111111111111", "c", Some("a"), 10)).await.expect("read");
    assert_eq!(names(&before_prefix), ["c"]);
    assert_eq!(store.read(|r| dashboard_count(r, "111111111111")).await.expect("read"), 4);
    assert_eq!(store.read(|r| dashboard_count(r, "333333333333")).await.expect("read"), 0);

    store
        .apply(vec![
            DashboardChange::Delete { account: "111111111111".into(), name: "b-1".into() }.mutation(),
            DashboardChange::Delete { account: "111111111111".into(), name: "missing".into() }.mutation(),
            put("111111111111", "a", 60, "{\"widgets\":[1]}"),
        ])
        .await
        .expect("commit");
    drop(store);

    let store = Store::open(dir.path()).expect("reopen");
    let all = store.read(|r| dashboards(r, "111111111111", "", None, 100)).await.expect("read");
    assert_eq!(names(&all), ["a", "b-2", "c"]);
    assert_eq!((all[0].body.as_str(), all[0].last_modified_ms), ("{\"widgets\":[1]}", 60));
    assert_eq!(all[1].body, body);
}

#[test]
fn a_file_without_dashboards_lists_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open");
    assert_eq!(store.read_blocking(|r| dashboards(r, "000000000000", "", None, 10)).expect("read"), []);
    assert_eq!(store.read_blocking(|r| dashboard(r, "000000000000", "x")).expect("read"), None);
}
