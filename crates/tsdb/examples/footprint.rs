//! Storage and memory footprint at steady state, on a real redb file:
//!
//! * `footprint bytes [SERIES] [DAYS]`: regular 1-minute series of realistic shapes (a CPU-like random walk with
//!   two decimals, integer request counts, a constant) written minute by minute with hourly checkpoints;
//!   prints one line per redb table (its entries, stored key and value bytes, leaf and branch pages, metadata and
//!   fragmented bytes, and its pages' bytes per datapoint) and the file's allocated, free and disk bytes as the
//!   server holds them at the end (open chunks open); then chunk bytes per datapoint (sealed and open) and
//!   database-file bytes per datapoint (after a clean close, which trims the file's free tail).
//!   Each growth of the file during the run goes to stderr with the allocated bytes after it.
//! * `footprint rss [SERIES] [MINUTES]`: that many active series written every minute; prints the process's
//!   resident memory.
//!
//! Options (after the mode or anywhere): `--checkpoint-secs N` checkpoints every N seconds of simulated time,
//! rounded to whole minutes (default 3600 for `bytes`, 600 for `rss`; the server checkpoints every 60 s);
//! `--maintain-secs N` also runs roll-ups and retention (`Tsdb::maintain`) every N simulated seconds (default
//! never; the server runs it hourly).
//!
//! Run in release: `cargo run --release -p skywatch-tsdb --example footprint -- bytes 1000 7 --checkpoint-secs 60`.

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

/// The positional arguments, and the value of each `--name N` option.
struct Args {
    positional: Vec<String>,
    checkpoint_secs: Option<i64>,
    maintain_secs: Option<i64>,
}

fn parse_args() -> Args {
    let mut args = Args { positional: Vec::new(), checkpoint_secs: None, maintain_secs: None };
    let mut raw = std::env::args().skip(1);
    while let Some(arg) = raw.next() {
        let slot = match arg.as_str() {
            "--checkpoint-secs" => &mut args.checkpoint_secs,
            "--maintain-secs" => &mut args.maintain_secs,
            _ => {
                args.positional.push(arg);
                continue;
            }
        };
        let value = raw.next().and_then(|v| v.parse::<i64>().ok()).filter(|v| *v > 0);
        *slot = Some(value.unwrap_or_else(|| panic!("{arg} needs a positive number of seconds")));
    }
    args
}

/// Prints where the file's bytes go, one line per table, then the file's allocated and free bytes.
fn print_space(store: &Store, points: u64, file: &std::path::Path) {
    let space = store.space_blocking().unwrap();
    // Blocks the file system holds for the file: redb grows a file by extending it, and the extension takes disk
    // blocks only where pages are written.
    let disk_bytes = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(file).map_or(0, |m| m.blocks() * 512)
    };
    let per_point = |bytes: u64| bytes as f64 / points.max(1) as f64;
    for t in &space.tables {
        let page_bytes = (t.leaf_pages + t.branch_pages) * space.page_size;
        println!(
            "table={} entries={} stored_bytes={} leaf_pages={} branch_pages={} metadata_bytes={} fragmented_bytes={} \
             page_bytes={page_bytes} page_bytes_per_point={:.3} stored_bytes_per_point={:.3}",
            t.name,
            t.entries,
            t.stored_bytes,
            t.leaf_pages,
            t.branch_pages,
            t.metadata_bytes,
            t.fragmented_bytes,
            per_point(page_bytes),
            per_point(t.stored_bytes),
        );
    }
    let table_bytes: u64 = space.tables.iter().map(|t| (t.leaf_pages + t.branch_pages) * space.page_size).sum();
    println!(
        "file_bytes={} allocated_bytes={} table_page_bytes={table_bytes} other_allocated_bytes={} free_bytes={} \
         page_size={} (open store, before the closing trim) file_bytes_per_point={:.3} allocated_bytes_per_point={:.3} \
         free_bytes_per_point={:.3} disk_bytes={disk_bytes} disk_bytes_per_point={:.3}",
        space.file_bytes,
        space.allocated_bytes,
        space.allocated_bytes.saturating_sub(table_bytes),
        space.free_bytes(),
        space.page_size,
        per_point(space.file_bytes),
        per_point(space.allocated_bytes),
        per_point(space.free_bytes()),
        per_point(disk_bytes),
    );
}

fn main() {
    let args = parse_args();
    let mode = args.positional.first().map(String::as_str).unwrap_or("bytes");
    let series: usize = args.positional.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let span: i64 = args.positional.get(2).and_then(|a| a.parse().ok()).unwrap_or(if mode == "rss" { 30 } else { 3 });
    let minutes = if mode == "rss" { span } else { span * 24 * 60 };
    let checkpoint_minutes = (args.checkpoint_secs.unwrap_or(if mode == "rss" { 600 } else { 3600 }) / 60).max(1);
    let maintain_minutes = args.maintain_secs.map(|s| (s / 60).max(1));
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
    let mut last_file = 0;
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
            if minute % checkpoint_minutes == checkpoint_minutes - 1 {
                tsdb.checkpoint(at).await.unwrap();
                let file = std::fs::metadata(dir.path().join(skywatch_store::DATABASE_FILE)).map_or(0, |m| m.len());
                if file != last_file {
                    let allocated = tsdb.store().space_blocking().map_or(0, |s| s.allocated_bytes);
                    eprintln!("minute {minute}: file {last_file} -> {file} bytes (allocated now {allocated})");
                    last_file = file;
                }
            }
            if maintain_minutes.is_some_and(|every| minute % every == every - 1) {
                tsdb.maintain(at).await.unwrap();
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
            // The file as the server holds it at the end: open chunks still open.
            println!(
                "checkpoint_minutes={checkpoint_minutes} maintain_minutes={}",
                maintain_minutes.map_or("never".to_owned(), |m| m.to_string())
            );
            print_space(&store, points, &dir.path().join(skywatch_store::DATABASE_FILE));
            // Chunk bytes: sealed chunks and the open chunks as the last checkpoint wrote them.
            let ids: Vec<u64> = (0..series).flat_map(|i| tsdb.series_of(&key(i))).map(|s| s.id).collect();
            let chunk_bytes: usize = store
                .read_blocking(|r| {
                    let mut total: usize =
                        skywatch_tsdb::storage::open_chunks(r)?.iter().map(|(_, row)| row.len()).sum();
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
