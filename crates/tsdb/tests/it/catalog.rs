//! Issue 15: the catalogue index. Scans follow the catalogue's order from a token and within a prefix; lookups by
//! term, word, substring, AND and OR return every metric a brute-force walk accepts (a table of cases); a metric
//! written under several units is one entry; listed counts by namespace and dimension set leave metrics not written
//! for two weeks and take them back when written again; a restart rebuilds the same index.

use skywatch_store::Store;
use skywatch_tsdb::{
    CatalogFilter, CatalogTerm, Config, Sample, SeriesKey, Tsdb, WritePoint, catalog_words, sort_text,
};

const DAY: i64 = 86_400_000;
const T0: i64 = 1_800_000_000_000 / DAY * DAY;
const ACCOUNT: &str = "111111111111";
const REGION: &str = "eu-west-1";

fn key(account: &str, namespace: &str, metric: &str, dims: &[(&str, &str)]) -> SeriesKey {
    let dims = dims.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
    SeriesKey::new(account, REGION, namespace, metric, dims)
}

fn keys() -> Vec<SeriesKey> {
    let mut keys = Vec::new();
    for host in ["web-1", "web-2", "db-1"] {
        keys.push(key(ACCOUNT, "Shop/API", "Latency", &[("Host", host), ("Service", "checkout")]));
        keys.push(key(ACCOUNT, "Shop/API", "Errors", &[("Host", host)]));
    }
    keys.push(key(ACCOUNT, "Shop", "Orders", &[]));
    keys.push(key(ACCOUNT, "Shop/APIs", "Latency", &[("Host", "web-1")]));
    keys.push(key(ACCOUNT, "AWS/EC2", "CPUUtilization", &[("InstanceId", "i-0abc")]));
    keys.push(key("222222222222", "Shop/API", "Latency", &[("Host", "web-1")]));
    keys
}

async fn write(tsdb: &Tsdb, points: &[WritePoint], now_ms: i64) {
    let mut prepared = tsdb.prepare(points);
    tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
    tsdb.apply(prepared, now_ms);
}

fn point(key: &SeriesKey, unit: Option<&str>, at: i64) -> WritePoint {
    WritePoint { series: key.clone(), unit: unit.map(str::to_owned), timestamp_ms: at, sample: Sample::Value(1.0) }
}

async fn filled(dir: &std::path::Path) -> Tsdb {
    let tsdb = Tsdb::open(Store::open(dir).unwrap(), Config::default()).unwrap();
    // Written in reverse, so that the order below is the index's, not the writes'.
    let points: Vec<WritePoint> = keys().iter().rev().map(|k| point(k, Some("Milliseconds"), T0)).collect();
    write(&tsdb, &points, T0).await;
    tsdb
}

fn scan(tsdb: &Tsdb, after: Option<&str>, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    tsdb.catalog_scan(ACCOUNT, REGION, after, prefix, |text, _| {
        out.push(text.to_owned());
        true
    });
    out
}

fn lower_fields(k: &SeriesKey) -> Vec<String> {
    [k.namespace.as_str(), k.metric_name.as_str()]
        .into_iter()
        .chain(k.dimensions.iter().flat_map(|(n, v)| [n.as_str(), v.as_str()]))
        .map(str::to_lowercase)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn scans_follow_the_catalogue_order_from_a_token_within_a_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = filled(dir.path()).await;
    let mut expected: Vec<String> = keys().iter().filter(|k| k.account == ACCOUNT).map(sort_text).collect();
    expected.sort();
    assert_eq!(scan(&tsdb, None, ""), expected);
    assert_eq!(scan(&tsdb, Some(&expected[3]), ""), expected[4..]);
    let api: Vec<String> = expected.iter().filter(|t| t.starts_with("Shop/API\u{1f}")).cloned().collect();
    assert_eq!(api.len(), 6, "Shop/APIs and Shop are other namespaces");
    assert_eq!(scan(&tsdb, None, "Shop/API\u{1f}"), api);
    assert_eq!(scan(&tsdb, Some(&api[1]), "Shop/API\u{1f}"), api[2..]);
    assert_eq!(scan(&tsdb, Some("A"), "Shop/API\u{1f}"), api, "a token before the prefix starts at the prefix");
    let mut stopped = 0;
    tsdb.catalog_scan(ACCOUNT, REGION, None, "", |_, _| {
        stopped += 1;
        stopped < 2
    });
    assert_eq!(stopped, 2, "a scan stops when told");
    let mut other = 0;
    tsdb.catalog_scan("222222222222", REGION, None, "", |_, _| {
        other += 1;
        true
    });
    assert_eq!(other, 1, "each account and region has its own catalogue");
}

/// Every lookup returns at least what a walk over every metric accepts (and, for exact terms, exactly that).
#[tokio::test(flavor = "multi_thread")]
async fn lookups_find_every_metric_a_walk_finds() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = filled(dir.path()).await;
    let term = |t: CatalogTerm| CatalogFilter::Term(t);
    type Walk = Box<dyn Fn(&SeriesKey) -> bool>;
    let has_word = |w: &'static str| -> Walk {
        Box::new(move |k| lower_fields(k).iter().any(|f| catalog_words(f).any(|x| x == w)))
    };
    let cases: Vec<(&str, CatalogFilter, Walk)> = vec![
        ("namespace", term(CatalogTerm::Namespace("Shop/API".into())), Box::new(|k| k.namespace == "Shop/API")),
        ("metric name", term(CatalogTerm::MetricName("Latency".into())), Box::new(|k| k.metric_name == "Latency")),
        (
            "dimension name",
            term(CatalogTerm::DimensionName("Service".into())),
            Box::new(|k| k.dimensions.iter().any(|(n, _)| n == "Service")),
        ),
        (
            "dimension",
            term(CatalogTerm::Dimension("Host".into(), "web-1".into())),
            Box::new(|k| k.dimensions.iter().any(|(n, v)| n == "Host" && v == "web-1")),
        ),
        ("a whole field as a word", term(CatalogTerm::Word("web-1".into())), has_word("web-1")),
        ("a word of a field", term(CatalogTerm::Word("web".into())), has_word("web")),
        ("a word of a namespace", term(CatalogTerm::Word("api".into())), has_word("api")),
        (
            "a substring",
            CatalogFilter::Substring("atenc".into()),
            Box::new(|k| lower_fields(k).iter().any(|f| f.contains("atenc"))),
        ),
        (
            "AND",
            CatalogFilter::And(vec![
                term(CatalogTerm::MetricName("Latency".into())),
                term(CatalogTerm::Word("db".into())),
            ]),
            Box::new(move |k| k.metric_name == "Latency" && has_word("db")(k)),
        ),
        (
            "OR",
            CatalogFilter::Or(vec![
                term(CatalogTerm::Namespace("AWS/EC2".into())),
                term(CatalogTerm::MetricName("Orders".into())),
            ]),
            Box::new(|k| k.namespace == "AWS/EC2" || k.metric_name == "Orders"),
        ),
        ("nothing", term(CatalogTerm::Word("nothing-like-it".into())), Box::new(|_| false)),
        ("everything", CatalogFilter::All, Box::new(|_| true)),
    ];
    for (name, filter, walk) in cases {
        let mut found: Vec<String> =
            tsdb.catalog_matching(ACCOUNT, REGION, &filter, &walk).iter().map(|m| sort_text(&m.key)).collect();
        found.sort();
        let mut expected: Vec<String> =
            keys().iter().filter(|k| k.account == ACCOUNT && walk(k)).map(sort_text).collect();
        expected.sort();
        assert_eq!(found, expected, "{name}");
        if name != "everything" && name != "nothing" {
            let unverified = tsdb.catalog_matching(ACCOUNT, REGION, &filter, |_| true).len();
            assert!(unverified < keys().len() - 1, "{name}: the index narrowed the lookup ({unverified} candidates)");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn counts_leave_metrics_not_written_for_two_weeks_and_take_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = filled(dir.path()).await;
    let orders = key(ACCOUNT, "Shop", "Orders", &[]);
    write(&tsdb, &[point(&orders, Some("Count"), T0)], T0).await;
    let units: Vec<usize> = tsdb
        .catalog_matching(ACCOUNT, REGION, &CatalogFilter::Term(CatalogTerm::MetricName("Orders".into())), |_| true)
        .iter()
        .map(|m| m.series.len())
        .collect();
    assert_eq!(units, [2], "a metric under two units is one entry with two series");
    let counts = |tsdb: &Tsdb| -> Vec<(String, Vec<String>, usize)> {
        tsdb.catalog_groups(ACCOUNT, REGION).into_iter().map(|g| (g.namespace, g.dimension_names, g.metrics)).collect()
    };
    let all = vec![
        ("AWS/EC2".to_owned(), vec!["InstanceId".to_owned()], 1),
        ("Shop".to_owned(), vec![], 1),
        ("Shop/API".to_owned(), vec!["Host".to_owned()], 3),
        ("Shop/API".to_owned(), vec!["Host".to_owned(), "Service".to_owned()], 3),
        ("Shop/APIs".to_owned(), vec!["Host".to_owned()], 1),
    ];
    assert_eq!(counts(&tsdb), all);

    // Fifteen days on, one metric is written again; the maintenance pass unlists the rest.
    let later = T0 + 15 * DAY;
    write(&tsdb, &[point(&orders, Some("Count"), later)], later).await;
    let report = tsdb.maintain(later).await.unwrap();
    assert_eq!(report.metrics_unlisted, keys().len() - 1, "every metric but Orders, in each account");
    assert_eq!(counts(&tsdb), [("Shop".to_owned(), vec![], 1)]);

    // Written again, a metric is counted again at once. A restart rebuilds the counts from each series' last write
    // against the machine's clock (these writes are in its future, so every metric counts).
    let ec2 = key(ACCOUNT, "AWS/EC2", "CPUUtilization", &[("InstanceId", "i-0abc")]);
    write(&tsdb, &[point(&ec2, Some("Percent"), later)], later).await;
    let expected = vec![("AWS/EC2".to_owned(), vec!["InstanceId".to_owned()], 1), ("Shop".to_owned(), vec![], 1)];
    assert_eq!(counts(&tsdb), expected);
    tsdb.checkpoint(later).await.unwrap();
    drop(tsdb);
    let tsdb = Tsdb::open(Store::open(dir.path()).unwrap(), Config::default()).unwrap();
    assert_eq!(scan(&tsdb, None, "").len(), keys().len() - 1, "every metric is still in the catalogue");
    assert_eq!(counts(&tsdb), all);
}
