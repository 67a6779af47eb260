//! The log store's speed targets on the engine, on a real redb file (issue 14): PutLogEvents of 1 MiB batches of
//! typical access-log lines (acceptance, compression, the commit; target: the engine well above 100 MB/s so that
//! the end-to-end figure is set by HTTP and signing), FilterLogEvents with a term pattern over a group of
//! `STORE_MB` megabytes (target: at least 500 MB/s of log lines scanned), and the compression ratio of those lines.
//! Run: `cargo bench -p skywatch-logs --bench store` (`STORE_MB=64` by default).

use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skywatch_logs::ingest::InputEvent;
use skywatch_logs::ops::{
    CreateLogGroup, CreateLogGroupInput, CreateLogStream, FilterLogEvents, FilterLogEventsInput, PutLogEvents,
    PutLogEventsInput, StreamInput,
};
use skywatch_logs::{Keyring, Logs, LogsError};
use skywatch_ops::{Context, Operation};
use skywatch_store::Store;

const NOW: i64 = 1_800_000_000_000;
/// Events a batch: about 1 MiB of ~220-byte lines with their 26-byte overhead.
const BATCH_EVENTS: usize = 4000;

fn ctx() -> Context {
    Context::new(skywatch_model::Caller::Anonymous { account: "000000000000".into() }, "us-east-1", "bench", NOW)
}

async fn call<Op: Operation<Engine = Logs, Error = LogsError>>(logs: &Logs, input: Op::Input) -> Op::Output {
    let effect = Op::run(logs, &ctx(), input).await.map_err(|e| e.to_string()).unwrap();
    logs.store().apply(effect.changes).await.unwrap();
    effect.reply
}

/// A typical JSON access-log line, varied like real traffic (paths, statuses, sizes, ids).
fn line(n: u64) -> String {
    let paths = ["/", "/products/1842", "/cart", "/checkout", "/api/payments", "/products/77/reviews"];
    let status = if n.is_multiple_of(97) {
        503
    } else if n.is_multiple_of(31) {
        404
    } else {
        200
    };
    format!(
        r#"{{"time":"2027-01-15T08:00:{:02}.{:03}Z","requestId":"{:016x}","ip":"10.0.{}.{}","method":"GET","path":"{}","status":{status},"latencyMs":{}.{},"bytes":{},"userAgent":"Mozilla/5.0 (X11; Linux x86_64)"}}"#,
        n % 60,
        n % 1000,
        n.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        n % 4,
        n % 250,
        paths[(n % 6) as usize],
        n % 400,
        n % 10,
        800 + n % 24_000
    )
}

fn batch(group: &str, stream: &str, first: u64) -> PutLogEventsInput {
    let events = (0..BATCH_EVENTS as u64)
        .map(|i| InputEvent { timestamp_ms: NOW - 3_600_000 + ((first + i) / 100) as i64, message: line(first + i) })
        .collect();
    PutLogEventsInput {
        log_group_name: group.into(),
        log_stream_name: stream.into(),
        log_events: events,
        sequence_token: None,
    }
}

fn message_bytes(input: &PutLogEventsInput) -> u64 {
    input.log_events.iter().map(|e| e.message.len() as u64).sum()
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let logs = Logs::new(Store::open(dir.path()).unwrap(), Keyring::in_dir(dir.path()));
    let store_mb: u64 = std::env::var("STORE_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    runtime.block_on(async {
        for group in ["/scan", "/ingest"] {
            call::<CreateLogGroup>(&logs, CreateLogGroupInput { log_group_name: group.into(), ..Default::default() })
                .await;
            for stream in ["a", "b"] {
                call::<CreateLogStream>(
                    &logs,
                    StreamInput { log_group_name: group.into(), log_stream_name: stream.into() },
                )
                .await;
            }
        }
    });

    // The group FilterLogEvents scans, filled first; its size and what it takes on disk.
    let started = Instant::now();
    let (mut plain, mut n) = (0u64, 0u64);
    runtime.block_on(async {
        while plain < store_mb * 1024 * 1024 {
            let input = batch("/scan", if n.is_multiple_of(2) { "a" } else { "b" }, n * BATCH_EVENTS as u64);
            plain += message_bytes(&input);
            call::<PutLogEvents>(&logs, input).await;
            n += 1;
        }
    });
    let seconds = started.elapsed().as_secs_f64();
    let file = std::fs::metadata(dir.path().join("skywatch.redb")).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "filled {} MB of lines in {n} batches in {seconds:.1} s ({:.0} MB/s, one batch at a time); redb file {} MB: \
         {:.1}x smaller than the lines",
        plain / 1_000_000,
        plain as f64 / 1e6 / seconds,
        file / 1_000_000,
        plain as f64 / file.max(1) as f64
    );

    let mut ingest = c.benchmark_group("put_log_events");
    let sample = batch("/ingest", "a", 0);
    ingest.throughput(Throughput::Bytes(message_bytes(&sample)));
    ingest.sample_size(20);
    let mut next = 0u64;
    ingest.bench_function("1 MiB batch of access-log lines", |b| {
        b.iter_batched(
            || {
                next += 1;
                batch("/ingest", if next.is_multiple_of(2) { "a" } else { "b" }, next * BATCH_EVENTS as u64)
            },
            |input| runtime.block_on(call::<PutLogEvents>(&logs, input)),
            criterion::BatchSize::PerIteration,
        );
    });
    ingest.finish();

    let mut scan = c.benchmark_group("filter_log_events");
    scan.throughput(Throughput::Bytes(plain));
    scan.sample_size(10);
    for (name, pattern) in [("a term no line has", "ZZTOP"), ("a term one line in 97 has", "503")] {
        scan.bench_function(format!("{name}, {} MB group", plain / 1_000_000), |b| {
            b.iter(|| {
                let mut token = None;
                let mut found = 0;
                loop {
                    let input = FilterLogEventsInput {
                        log_group_name: Some("/scan".into()),
                        filter_pattern: Some(pattern.into()),
                        next_token: token.clone(),
                        ..Default::default()
                    };
                    let page = runtime.block_on(call::<FilterLogEvents>(&logs, input));
                    found += page.events.len();
                    token = page.next_token;
                    if token.is_none() {
                        break found;
                    }
                }
            });
        });
    }
    scan.finish();
}

criterion_group!(store, benches);
criterion_main!(store);
