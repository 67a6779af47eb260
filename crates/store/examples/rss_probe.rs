//! Writes raw datapoints in 1,000-point commits and prints resident memory as the volume grows, to check that
//! memory follows the working set rather than the volume stored. `cargo run --release --example rss_probe`.

use skywatch_store::{Mutation, StatisticSet, Store};

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(20);
    for round in 0..rounds {
        for batch in 0..100 {
            let points = (0..1000)
                .map(|i| Mutation::PutMetricPoint {
                    account: "000000000000".into(),
                    region: "us-east-1".into(),
                    series: format!("Load\u{1f}Latency\u{1f}Series={}", i % 100),
                    timestamp_ms: (round * 100 + batch) as i64 * 1000 + i as i64,
                    stats: StatisticSet { sample_count: 1.0, sum: 1.0, minimum: 1.0, maximum: 1.0 },
                })
                .collect();
            store.apply(points).await.unwrap();
        }
        println!(
            "points={} rss_kib={} anon_kib={} file_kib={}",
            (round + 1) * 100_000,
            status_kib("VmRSS:"),
            status_kib("RssAnon:"),
            status_kib("RssFile:")
        );
    }
}
