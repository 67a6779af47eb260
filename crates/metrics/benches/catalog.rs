//! Issue 15: the catalogue with 1,000,000 metrics (10 namespaces × 100 metric names × 1,000 instances, one
//! account and region): ListMetrics pages (the first, the hundredth by token, by namespace, by metric name, by a
//! dimension value, RecentlyActive), the console's counts, and SEARCH's lookups (a schema with a metric name, a
//! word, a phrase). Prints the resident memory the catalogue took.

use criterion::{Criterion, criterion_group, criterion_main};
use skywatch_metrics::{ListRequest, ListView, list_metrics, search};
use skywatch_store::Store;
use skywatch_tsdb::{Config, PointRef, Sample, SeriesRef, Tsdb};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const NAMESPACES: usize = 10;
const METRICS: usize = 100;
const INSTANCES: usize = 1000;
const NOW: i64 = 1_800_000_000_000;

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One million metrics through the engine's write path (prepared and applied; the log is not committed, as in
/// the engine's own ingest bench, so only the catalogue and the head are built).
fn filled(dir: &std::path::Path) -> Tsdb {
    let tsdb = Tsdb::open(Store::open(dir).unwrap(), Config::default()).unwrap();
    let namespaces: Vec<String> = (0..NAMESPACES).map(|n| format!("Bench/Service{n:02}")).collect();
    let metrics: Vec<String> = (0..METRICS).map(|m| format!("Metric{m:03}")).collect();
    let instances: Vec<String> = (0..INSTANCES).map(|i| format!("i-{i:08x}")).collect();
    let before = rss_kib();
    let started = std::time::Instant::now();
    for namespace in &namespaces {
        for metric in &metrics {
            let dimensions: Vec<[(&str, &str); 2]> =
                instances.iter().map(|i| [("InstanceId", i.as_str()), ("Tier", "web")]).collect();
            let points: Vec<PointRef<'_>> = dimensions
                .iter()
                .map(|dims| PointRef {
                    series: SeriesRef {
                        account: ACCOUNT,
                        region: REGION,
                        namespace,
                        metric_name: metric,
                        dimensions: dims,
                    },
                    unit: Some("Count"),
                    timestamp_ms: NOW,
                    sample: Sample::Value(1.0),
                })
                .collect();
            let prepared = tsdb.prepare_refs(&points);
            tsdb.apply(prepared, NOW);
        }
    }
    eprintln!(
        "catalogue: {} series in {:.1} s; resident memory {} MiB more (head, open chunks and catalogue index)",
        tsdb.series_count(),
        started.elapsed().as_secs_f64(),
        (rss_kib().saturating_sub(before)) / 1024
    );
    tsdb
}

fn catalog(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let tsdb = filled(dir.path());
    let base = ListRequest { account: ACCOUNT.into(), region: REGION.into(), ..ListRequest::default() };
    let list = |request: &ListRequest| list_metrics(&tsdb, request, NOW).unwrap();
    let mut token = None;
    for _ in 0..99 {
        token = list(&ListRequest { next_token: token, ..base.clone() }).next_token;
    }
    let cases: Vec<(&str, ListRequest)> = vec![
        ("list_first_page", base.clone()),
        ("list_page_100_by_token", ListRequest { next_token: token, ..base.clone() }),
        ("list_namespace", ListRequest { namespace: Some("Bench/Service07".into()), ..base.clone() }),
        (
            "list_namespace_and_metric",
            ListRequest {
                namespace: Some("Bench/Service07".into()),
                metric_name: Some("Metric042".into()),
                ..base.clone()
            },
        ),
        (
            "list_dimension_value",
            ListRequest { dimensions: vec![("InstanceId".into(), Some("i-000001f4".into()))], ..base.clone() },
        ),
        ("list_recently_active", ListRequest { recently_active: true, ..base.clone() }),
        ("console_counts", ListRequest { view: ListView::Groups, ..base.clone() }),
        (
            "console_search_words",
            ListRequest { view: ListView::Containing(vec!["metric042".into(), "i-000001f".into()]), ..base.clone() },
        ),
    ];
    let mut group = c.benchmark_group("catalog_1m_metrics");
    group.sample_size(20);
    for (name, request) in &cases {
        let page = list(request);
        eprintln!("{name}: {} metrics, {} groups", page.metrics.len(), page.groups.len());
        group.bench_function(*name, |b| b.iter(|| list(request)));
    }
    let searches = [
        ("search_schema_and_metric", "{Bench/Service03,InstanceId,Tier} MetricName=\"Metric007\""),
        ("search_word", "i-000003e7"),
        ("search_phrase", "\"00003e\""),
    ];
    for (name, text) in searches {
        let search = search::parse(text).unwrap();
        let run = || tsdb.catalog_matching(ACCOUNT, REGION, &search.catalog_filter(), |key| search.matches(key));
        eprintln!("{name}: {} metrics", run().len());
        group.bench_function(name, |b| b.iter(run));
    }
    group.finish();
}

criterion_group!(benches, catalog);
criterion_main!(benches);
