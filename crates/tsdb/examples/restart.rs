//! Restart cost on a real redb file (issue 15, point 5):
//!
//! * `restart fill DIR [SERIES] [POINTS]`: SERIES 1-minute series (default 100,000) with POINTS points each
//!   (default 1,000: 100 M datapoints) written through the engine's durable path in 1,000-point commits, one minute
//!   of every series a round, checkpointed every 60 minutes of data and once at the end; the directory is then
//!   closed cleanly.
//! * `restart open DIR`: times `Store::open` and `Tsdb::open`, then a one-series query, then the first maintenance
//!   pass, printing the resident memory after each step and 20 s later.
//!
//! Run in release: `cargo run --release -p skywatch-tsdb --example restart -- fill /tmp/restart 100000 1000`.

use std::time::{Duration, Instant};

use skywatch_store::Store;
use skywatch_tsdb::{BucketQuery, Config, Sample, SeriesKey, Source, Tsdb, WritePoint};

/// The server's allocator, with transparent huge pages off as the server has them (`server/src/main.rs`), so
/// that time and resident memory here are what the server would show.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn as_the_server() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag on this process's memory map.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

const MINUTE: i64 = 60_000;

fn rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0)
        / 1024
}

fn key(i: usize) -> SeriesKey {
    let shape = ["CPUUtilization", "RequestCount", "Latency"][i % 3];
    SeriesKey::new("000000000000", "us-east-1", "Restart", shape, vec![("InstanceId".into(), format!("i-{i:017x}"))])
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn fill(dir: &str, series: usize, points: i64, runtime: &tokio::runtime::Runtime) {
    let tsdb = Tsdb::open(Store::open(std::path::Path::new(dir)).expect("store"), Config::default()).expect("tsdb");
    let keys: Vec<SeriesKey> = (0..series).map(key).collect();
    let start = (now_ms() - points * MINUTE) / MINUTE * MINUTE;
    let started = Instant::now();
    runtime.block_on(async {
        for minute in 0..points {
            let at = start + minute * MINUTE;
            for batch in keys.chunks(1000) {
                let points: Vec<WritePoint> = batch
                    .iter()
                    .enumerate()
                    .map(|(i, k)| WritePoint {
                        series: k.clone(),
                        unit: None,
                        timestamp_ms: at,
                        sample: Sample::Value(((minute * 7 + i as i64) % 500) as f64 / 4.0),
                    })
                    .collect();
                let mut prepared = tsdb.prepare(&points);
                tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.expect("commit");
                tsdb.apply(prepared, at);
            }
            if minute % 60 == 59 {
                tsdb.checkpoint(at).await.expect("checkpoint");
                eprintln!("minute {} of {points}: {:.0} s", minute + 1, started.elapsed().as_secs_f64());
            }
        }
        tsdb.checkpoint(start + points * MINUTE).await.expect("checkpoint");
    });
    println!("filled {dir}: {series} series x {points} points in {:.0} s", started.elapsed().as_secs_f64());
}

fn open(dir: &str, runtime: &tokio::runtime::Runtime) {
    let before = rss_mib();
    let started = Instant::now();
    let store = Store::open(std::path::Path::new(dir)).expect("store");
    let store_ms = started.elapsed().as_secs_f64() * 1000.0;
    let tsdb = Tsdb::open(store, Config::default()).expect("tsdb");
    let open_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "Store::open {store_ms:.0} ms; Tsdb::open done at {open_ms:.0} ms; {} series; rss {} MiB (from {before})",
        tsdb.series_count(),
        rss_mib()
    );
    let id = tsdb.series_of(&key(12_345 % tsdb.series_count().max(1)))[0].id;
    let now = now_ms();
    let query =
        BucketQuery { start_ms: now - 2 * 86_400_000, end_ms: now, period_ms: 3_600_000, with_distribution: false };
    let buckets = runtime.block_on(tsdb.query(vec![id], query, Source::Raw)).expect("query");
    let points: f64 = buckets[0].iter().flatten().map(|s| s.sample_count).sum();
    println!(
        "first query answered at {:.0} ms ({points} points); rss {} MiB",
        started.elapsed().as_secs_f64() * 1000.0,
        rss_mib()
    );
    let maintained = Instant::now();
    let report = runtime.block_on(tsdb.maintain(now)).expect("maintain");
    println!(
        "first maintenance {:.0} ms ({report:?}); rss {} MiB",
        maintained.elapsed().as_secs_f64() * 1000.0,
        rss_mib()
    );
    std::thread::sleep(Duration::from_secs(20));
    println!("20 s later: rss {} MiB", rss_mib());
}

fn main() {
    as_the_server();
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("fill"), Some(dir)) => {
            let series = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(100_000);
            let points = args.get(4).and_then(|a| a.parse().ok()).unwrap_or(1000);
            fill(dir, series, points, &runtime);
        }
        (Some("open"), Some(dir)) => open(dir, &runtime),
        _ => eprintln!("usage: restart fill DIR [SERIES] [POINTS] | restart open DIR"),
    }
}
