//! Storage and memory footprint at steady state, on a real redb file:
//!
//! * `footprint bytes [SERIES] [DAYS]`: regular 1-minute series of realistic shapes (a CPU-like random walk with
//!   two decimals, integer request counts, a constant) written minute by minute with hourly checkpoints;
//!   prints chunk bytes per datapoint and database-file bytes per datapoint.
//! * `footprint rss [SERIES] [MINUTES]`: that many active series written every minute; prints the process's
//!   resident memory.
//!
//! Run in release: `cargo run --release -p skywatch-tsdb --example footprint -- bytes 1000 3`.

use skywatch_store::Store;
use skywatch_tsdb::{Config, Sample, SeriesKey, Tsdb, WritePoint};

const MINUTE: i64 = 60_000;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("bytes");
    let series: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let span: i64 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(if mode == "rss" { 30 } else { 3 });
    let minutes = if mode == "rss" { span } else { span * 24 * 60 };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let tsdb = Tsdb::open(store.clone(), Config::default()).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    // Keys are built as needed, so the example's own memory stays out of the resident figure.
    let key = |i: usize| {
        let shape = ["CPUUtilization", "RequestCount", "HealthyHostCount"][i % 3];
        SeriesKey::new(
            "000000000000",
            "us-east-1",
            "Footprint",
            shape,
            vec![("InstanceId".into(), format!("i-{i:017x}"))],
        )
    };
    let mut noise = Noise(0x9e37_79b9_7f4a_7c15);
    let mut cpu: Vec<f64> = (0..series).map(|_| 20.0 + 60.0 * noise.next()).collect();
    let t0 = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 / MINUTE
        * MINUTE
        - minutes * MINUTE;
    let started = std::time::Instant::now();
    let mut points = 0u64;
    runtime.block_on(async {
        for minute in 0..minutes {
            let at = t0 + minute * MINUTE;
            for start in (0..series).step_by(1000) {
                let batch: Vec<WritePoint> = (start..(start + 1000).min(series))
                    .map(|i| {
                        let value = match i % 3 {
                            0 => {
                                cpu[i] = (cpu[i] + (noise.next() - 0.5) * 4.0).clamp(0.0, 100.0);
                                (cpu[i] * 100.0).round() / 100.0
                            }
                            1 => (500.0 + 400.0 * noise.next()).round(),
                            _ => 4.0,
                        };
                        WritePoint { series: key(i), unit: None, timestamp_ms: at, sample: Sample::Value(value) }
                    })
                    .collect();
                let mut prepared = tsdb.prepare(&batch);
                tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
                tsdb.apply(prepared, at);
            }
            points += series as u64;
            if mode == "rss" && minute % 10 == 9 || mode == "bytes" && minute % 60 == 59 {
                tsdb.checkpoint(at).await.unwrap();
            }
        }
        tsdb.checkpoint(t0 + minutes * MINUTE).await.unwrap();
    });
    let elapsed = started.elapsed().as_secs_f64();
    let ingest_rate = points as f64 / elapsed;
    match mode {
        "rss" => {
            println!(
                "series={series} minutes={minutes} points={points} rss_mib={:.1} rss_bytes_per_series={:.0} ingest_points_per_s={ingest_rate:.0}",
                rss_kib() as f64 / 1024.0,
                rss_kib() as f64 * 1024.0 / series as f64
            );
        }
        _ => {
            // Seal everything (as an idle hour would), then count chunk bytes.
            runtime.block_on(tsdb.checkpoint(t0 + minutes * MINUTE + 2 * 3_600_000)).unwrap();
            let ids: Vec<u64> = (0..series).flat_map(|i| tsdb.series_of(&key(i))).map(|s| s.id).collect();
            let chunk_bytes: usize = store
                .read_blocking(|r| {
                    let mut total = 0;
                    for id in &ids {
                        total += skywatch_tsdb::storage::chunks(r, *id, i64::MIN, |_| true)?
                            .iter()
                            .map(|c| c.chunk.len())
                            .sum::<usize>();
                    }
                    Ok(total)
                })
                .unwrap();
            drop(tsdb);
            drop(store);
            let file = std::fs::metadata(dir.path().join(skywatch_store::DATABASE_FILE)).map(|m| m.len()).unwrap_or(0);
            println!(
                "series={series} days={span} points={points} chunk_bytes_per_point={:.3} file_bytes_per_point={:.3} ingest_points_per_s={ingest_rate:.0}",
                chunk_bytes as f64 / points as f64,
                file as f64 / points as f64
            );
        }
    }
}
