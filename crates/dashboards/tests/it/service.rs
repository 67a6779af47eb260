//! The dashboard service over a real store (issue 4): byte-for-byte round trips, refusals, pages of 1000 with
//! NextToken, prefixes, deletes of what exists, rename, ARNs in each region's partition, and persistence across
//! reopen.

#![cfg(feature = "store")]

use skywatch_dashboards::service::{
    DeleteDashboardsError, GetDashboardError, ListDashboardsError, PutDashboardError, RenameDashboardError,
    delete_dashboards, get_dashboard, list_dashboards, put_dashboard, rename_dashboard,
};
use skywatch_dashboards::{NameError, ValidationMessage};
use skywatch_store::Store;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const EMPTY: &str = r#"{"widgets":[]}"#;

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(dir.path()).expect("open store")
}

fn put(store: &Store, name: &str, body: &str, now_ms: i64) {
    let mutations = put_dashboard(ACCOUNT, name, body, now_ms).expect("valid dashboard");
    store.apply_blocking(mutations).expect("commit");
}

fn names(store: &Store, prefix: Option<&str>, token: Option<&str>) -> (Vec<String>, Option<String>) {
    let page =
        store.read_blocking(|r| Ok(list_dashboards(r, REGION, ACCOUNT, prefix, token))).expect("read").expect("listed");
    (page.entries.into_iter().map(|entry| entry.name).collect(), page.next_token)
}

#[test]
fn bodies_round_trip_byte_for_byte_and_survive_reopen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = "{\n  \"widgets\" : [ {\"type\":\"text\",\"properties\":{\"markdown\":\"# Ünïcode ✓ \\u00e9\"},\"width\":3} ],\n\t\"z\": 1,  \"a\" : {\"b\":[1.50, 2e3]}\n}\n";
    {
        let store = open(&dir);
        put(&store, "Prod_Overview-1", body, 1_700_000_000_123);
    }
    let store = open(&dir);
    let got = store
        .read_blocking(|r| Ok(get_dashboard(r, REGION, ACCOUNT, "Prod_Overview-1")))
        .expect("read")
        .expect("found");
    assert_eq!(got.body, body);
    assert_eq!(got.arn, "arn:aws:cloudwatch::123456789012:dashboard/Prod_Overview-1");
    for (region, arn) in [
        ("cn-north-1", "arn:aws-cn:cloudwatch::123456789012:dashboard/Prod_Overview-1"),
        ("us-gov-west-1", "arn:aws-us-gov:cloudwatch::123456789012:dashboard/Prod_Overview-1"),
    ] {
        let got = store.read_blocking(|r| Ok(get_dashboard(r, region, ACCOUNT, "Prod_Overview-1"))).expect("read");
        assert_eq!(got.expect("found").arn, arn, "{region}");
        let page = store.read_blocking(|r| Ok(list_dashboards(r, region, ACCOUNT, None, None))).expect("read");
        assert_eq!(page.expect("listed").entries[0].arn, arn, "{region}");
    }
    assert_eq!(got.last_modified_ms, 1_700_000_000_123);
    let page =
        store.read_blocking(|r| Ok(list_dashboards(r, REGION, ACCOUNT, None, None))).expect("read").expect("listed");
    assert_eq!(page.entries[0].size, body.len() as u64);
    let other = store.read_blocking(|r| Ok(get_dashboard(r, REGION, "999999999999", "Prod_Overview-1"))).expect("read");
    assert_eq!(other, Err(GetDashboardError::NotFound("Prod_Overview-1".into())));
    assert_eq!(other.unwrap_err().to_string(), "Dashboard Prod_Overview-1 does not exist");
}

#[test]
fn put_replaces_and_refuses_bad_names_sizes_and_bodies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir);
    put(&store, "d", EMPTY, 1);
    put(&store, "d", r#"{"widgets":[],"start":"-PT1H"}"#, 2);
    let got = store.read_blocking(|r| Ok(get_dashboard(r, REGION, ACCOUNT, "d"))).expect("read").expect("found");
    assert_eq!((got.body.as_str(), got.last_modified_ms), (r#"{"widgets":[],"start":"-PT1H"}"#, 2));

    assert_eq!(
        put_dashboard(ACCOUNT, "a b", EMPTY, 0).err(),
        Some(PutDashboardError::InvalidName(NameError::InvalidCharacters))
    );
    assert_eq!(
        put_dashboard(ACCOUNT, &"x".repeat(256), EMPTY, 0).err(),
        Some(PutDashboardError::InvalidName(NameError::TooLong))
    );
    let huge = format!(r#"{{"widgets":[],"pad":"{}"}}"#, "x".repeat(1024 * 1024));
    assert_eq!(
        put_dashboard(ACCOUNT, "big", &huge, 0).err(),
        Some(PutDashboardError::BodyTooLarge { size: huge.len() })
    );

    let error = put_dashboard(ACCOUNT, "bad", r#"{"widgets":[{"type":"text","properties":{}},{"type":"log"}]}"#, 0)
        .expect_err("invalid body");
    assert_eq!(
        error,
        PutDashboardError::InvalidBody(vec![
            ValidationMessage::new("/widgets/0/properties", "Should have required property 'markdown'"),
            ValidationMessage::new("/widgets/1", "Should have required property 'properties'"),
        ])
    );
    let text = error.to_string();
    assert!(text.starts_with("The dashboard body is invalid, there are 2 validation errors: ["), "{text}");
    assert!(text.contains("\"dataPath\": \"/widgets/0/properties\""), "{text}");
}

#[test]
fn lists_pages_of_1000_with_a_next_token_and_prefixes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir);
    let mut mutations = Vec::new();
    for index in 0..1_205 {
        mutations.extend(put_dashboard(ACCOUNT, &format!("dash-{index:04}"), EMPTY, index).expect("valid"));
    }
    mutations.extend(put_dashboard(ACCOUNT, "other", EMPTY, 0).expect("valid"));
    mutations.extend(put_dashboard("999999999999", "dash-x", EMPTY, 0).expect("valid"));
    store.apply_blocking(mutations).expect("commit");

    let (first, token) = names(&store, None, None);
    assert_eq!(first.len(), 1000);
    assert_eq!(first[0], "dash-0000");
    let token = token.expect("a second page");
    let (second, last) = names(&store, None, Some(&token));
    assert_eq!(second.len(), 206);
    assert_eq!((second[0].as_str(), second[205].as_str(), last), ("dash-1000", "other", None));

    let (prefixed, token) = names(&store, Some("dash-11"), None);
    assert_eq!((prefixed.len(), token), (100, None));
    let (none, _) = names(&store, Some("zzz"), None);
    assert!(none.is_empty());

    let list = |prefix: Option<&str>, token: Option<&str>| {
        store.read_blocking(|r| Ok(list_dashboards(r, REGION, ACCOUNT, prefix, token))).expect("read").err()
    };
    assert_eq!(list(Some("a/b"), None), Some(ListDashboardsError::InvalidPrefix));
    assert_eq!(list(Some(&"a".repeat(256)), None), Some(ListDashboardsError::InvalidPrefix));
    assert_eq!(list(None, Some("not-a-token")), Some(ListDashboardsError::InvalidNextToken));
    assert_eq!(list(Some("a.b-c_"), None), None);
}

/// The current CloudWatch model: "the operation attempts to delete as many dashboards as possible"; a name with no
/// dashboard is passed over, not an error.
#[test]
fn delete_removes_what_exists_and_passes_over_what_does_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir);
    for name in ["a", "b", "c"] {
        put(&store, name, EMPTY, 0);
    }
    let strings = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    let plan = |names: &[String]| store.read_blocking(|r| Ok(delete_dashboards(r, ACCOUNT, names))).expect("read");

    let mutations = plan(&strings(&["a", "nope", "c", "a", "gone"])).expect("planned");
    assert_eq!(mutations.len(), 2, "each existing dashboard deleted once");
    store.apply_blocking(mutations).expect("commit");
    assert_eq!(names(&store, None, None).0, ["b"]);

    assert_eq!(plan(&strings(&["a", "nope"])).expect("planned").len(), 0, "none left of these: nothing to do");
    assert_eq!(plan(&strings(&["b"])).expect("planned").len(), 1);

    let too_many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
    assert_eq!(plan(&too_many).err(), Some(DeleteDashboardsError::TooManyNames(101)));
    let hundred: Vec<String> = (0..99).map(|i| i.to_string()).chain(["b".to_string()]).collect();
    assert_eq!(plan(&hundred).expect("100 names are allowed").len(), 1);
    let empty = plan(&[]).err();
    assert_eq!(empty, Some(DeleteDashboardsError::NoNames));
    assert_eq!(empty.expect("refused").to_string(), "The parameter DashboardNames is required.");
    assert_eq!(names(&store, None, None).0, ["b"], "refusals delete nothing");
}

#[test]
fn rename_moves_the_body_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(&dir);
    put(&store, "old", r#"{ "widgets": [] }"#, 1);
    put(&store, "taken", EMPTY, 1);
    let rename =
        |from: &str, to: &str| store.read_blocking(|r| Ok(rename_dashboard(r, ACCOUNT, from, to, 5))).expect("read");
    assert_eq!(rename("old", "taken").err(), Some(RenameDashboardError::AlreadyExists("taken".into())));
    assert_eq!(rename("missing", "x").err(), Some(RenameDashboardError::NotFound("missing".into())));
    assert_eq!(rename("old", "bad name").err(), Some(RenameDashboardError::InvalidName(NameError::InvalidCharacters)));
    store.apply_blocking(rename("old", "new").expect("renamed")).expect("commit");
    assert_eq!(names(&store, None, None).0, ["new", "taken"]);
    let got = store.read_blocking(|r| Ok(get_dashboard(r, REGION, ACCOUNT, "new"))).expect("read").expect("found");
    assert_eq!((got.body.as_str(), got.last_modified_ms), (r#"{ "widgets": [] }"#, 5));
}
