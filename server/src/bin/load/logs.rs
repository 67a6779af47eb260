//! `--mode log-events`: CloudWatch Logs ingest end to end. Creates a log group and one stream per worker, then each
//! worker sends signed PutLogEvents (JSON 1.1, `X-Amz-Target: Logs_20140328.PutLogEvents`) batches of typical log
//! lines ([`crate::log_lines`]) to its stream over one kept-alive connection until the deadline. Batches are built
//! once into a small pool per worker, as many lines as `--lines` and AWS's 1,048,576-byte batch limit (messages
//! plus 26 bytes an event) allow; only the signature is computed per request. A batch counts as acknowledged when
//! the answer is 200 with no `rejectedLogEventsInfo`. Reports MB/s of message bytes acknowledged, batches/s,
//! events/s, latency percentiles and, given `--pid`, the server's CPU time and resident memory.

use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use bytes::Bytes;
use serde_json::{Value, json};
use skywatch_core::logs::ingest::{EVENT_OVERHEAD, MAX_BATCH_BYTES, MAX_EVENTS};

use crate::json11::Caller;
use crate::log_lines::Lines;
use crate::{Args, cpu_seconds, rss_kib};

/// How far apart the pool's batches of one worker are in time (each batch's events spread over it).
const BATCH_SPAN_MS: i64 = 60_000;

/// One pre-built PutLogEvents body and what it carries.
struct Body {
    bytes: Bytes,
    events: u64,
    message_bytes: u64,
}

/// A batch of lines from `lines` stamped over `[start_ms, start_ms + BATCH_SPAN_MS)`: at most `max_lines`, and
/// no more than AWS's batch limit in bytes.
fn batch(lines: &mut Lines, group: &str, stream: &str, start_ms: i64, max_lines: usize) -> anyhow::Result<Body> {
    let mut events = Vec::with_capacity(max_lines);
    let mut counted = 0usize;
    let mut message_bytes = 0u64;
    for i in 0..max_lines {
        let at = start_ms + (i as i64 * BATCH_SPAN_MS) / max_lines as i64;
        let message = lines.line(at);
        if counted + message.len() + EVENT_OVERHEAD > MAX_BATCH_BYTES {
            break;
        }
        counted += message.len() + EVENT_OVERHEAD;
        message_bytes += message.len() as u64;
        events.push(json!({"timestamp": at, "message": message}));
    }
    let count = events.len() as u64;
    let body = json!({"logGroupName": group, "logStreamName": stream, "logEvents": events});
    Ok(Body { bytes: Bytes::from(serde_json::to_vec(&body)?), events: count, message_bytes })
}

#[derive(Default)]
struct WorkerResult {
    requests: u64,
    ok: u64,
    errors: u64,
    events: u64,
    message_bytes: u64,
    request_bytes: u64,
    latencies_us: Vec<u64>,
    first_error: Option<String>,
}

async fn worker(caller: Caller, pool: Vec<Body>, deadline: Instant, cap: Option<u64>) -> WorkerResult {
    let mut result = WorkerResult::default();
    let mut next = 0usize;
    while Instant::now() < deadline && cap.is_none_or(|cap| result.requests < cap) {
        let Some(body) = pool.get(next % pool.len().max(1)) else {
            break;
        };
        next += 1;
        let sent = Instant::now();
        let outcome = match caller.send("PutLogEvents", body.bytes.clone()).await {
            Ok((status, answer)) if status.is_success() => match serde_json::from_slice::<Value>(&answer) {
                Ok(reply) if reply.get("rejectedLogEventsInfo").is_none() => Ok(()),
                _ => Err(format!("rejected: {}", String::from_utf8_lossy(&answer[..answer.len().min(300)]))),
            },
            Ok((status, answer)) => {
                Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&answer[..answer.len().min(300)])))
            }
            Err(message) => Err(message),
        };
        result.latencies_us.push(sent.elapsed().as_micros() as u64);
        result.requests += 1;
        match outcome {
            Ok(()) => {
                result.ok += 1;
                result.events += body.events;
                result.message_bytes += body.message_bytes;
                result.request_bytes += body.bytes.len() as u64;
            }
            Err(message) => {
                result.errors += 1;
                let transport = message.starts_with("sending") || message.starts_with("reading");
                result.first_error.get_or_insert(message);
                if transport {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }
    result
}

/// Runs the log-events load and prints its figures.
pub async fn run(args: &Args, host: &str, credentials: Option<(String, String)>) -> anyhow::Result<()> {
    if !(1..=MAX_EVENTS).contains(&args.lines) {
        bail!("--lines must be 1..={MAX_EVENTS}");
    }
    let now_ms = chrono::Utc::now().timestamp_millis();
    let group = args.log_group.clone().unwrap_or_else(|| format!("/skywatch-load/{now_ms}"));
    let setup = Caller::logs(host, credentials.clone())?;
    setup.ensure("CreateLogGroup", &json!({"logGroupName": group})).await?;
    let streams: Vec<String> = (0..args.workers).map(|w| format!("worker-{w}")).collect();
    for stream in &streams {
        setup.ensure("CreateLogStream", &json!({"logGroupName": group, "logStreamName": stream})).await?;
    }

    let built = Instant::now();
    let mut pools = Vec::with_capacity(args.workers);
    for (w, stream) in streams.iter().enumerate() {
        let mut lines = Lines::new(w as u64 + 1);
        let pool = (0..args.pool)
            .map(|p| {
                let start = now_ms - (args.pool - p) as i64 * BATCH_SPAN_MS;
                batch(&mut lines, &group, stream, start, args.lines)
            })
            .collect::<anyhow::Result<Vec<Body>>>()?;
        pools.push(pool);
    }
    let all = || pools.iter().flatten();
    let body_count = all().count() as u64;
    let pool_events: u64 = all().map(|b| b.events).sum();
    let pool_message_bytes: u64 = all().map(|b| b.message_bytes).sum();
    let pool_request_bytes: u64 = all().map(|b| b.bytes.len() as u64).sum();
    let build_ms = built.elapsed().as_secs_f64() * 1000.0;

    let pid_text = args.pid.map(|p| p.to_string());
    let rss_before = args.pid.and_then(rss_kib);
    let server_cpu_before = pid_text.as_deref().and_then(cpu_seconds);
    let client_cpu_before = cpu_seconds("self");
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::with_capacity(args.workers);
    for pool in pools {
        let caller = Caller::logs(host, credentials.clone())?;
        tasks.push(tokio::spawn(worker(caller, pool, deadline, args.requests)));
    }
    let mut total = WorkerResult::default();
    for task in tasks {
        let r = task.await.context("a worker panicked")?;
        total.requests += r.requests;
        total.ok += r.ok;
        total.errors += r.errors;
        total.events += r.events;
        total.message_bytes += r.message_bytes;
        total.request_bytes += r.request_bytes;
        total.latencies_us.extend(r.latencies_us);
        if total.first_error.is_none() {
            total.first_error = r.first_error;
        }
    }
    let elapsed = started.elapsed().as_secs_f64().max(f64::EPSILON);
    let server_cpu_s = match (server_cpu_before, pid_text.as_deref().and_then(cpu_seconds)) {
        (Some(before), Some(after)) => after - before,
        _ => 0.0,
    };
    let client_cpu_s = match (client_cpu_before, cpu_seconds("self")) {
        (Some(before), Some(after)) => after - before,
        _ => 0.0,
    };
    let rss_after = args.pid.and_then(rss_kib);

    let mut latencies = std::mem::take(&mut total.latencies_us);
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0) as f64 / 1000.0
    };
    let per_s = |n: u64| n as f64 / elapsed;
    let mb_per_s = |n: u64| n as f64 / 1e6 / elapsed;
    let signed = credentials.is_some();
    println!("mode=PutLogEvents signed={signed} workers={} seconds={elapsed:.1} group={group}", args.workers);
    println!(
        "bodies={body_count} lines_per_batch={:.0} line_bytes_avg={:.1} message_bytes_per_batch={:.0} \
         request_bytes_per_batch={:.0} built_in_ms={build_ms:.0}",
        pool_events as f64 / body_count.max(1) as f64,
        pool_message_bytes as f64 / pool_events.max(1) as f64,
        pool_message_bytes as f64 / body_count.max(1) as f64,
        pool_request_bytes as f64 / body_count.max(1) as f64,
    );
    println!("batches={} errors={} batches_per_s={:.1}", total.requests, total.errors, per_s(total.ok));
    println!(
        "events={} events_per_s={:.0} message_bytes={} message_mb_per_s={:.1} message_mib_per_s={:.1} \
         request_mb_per_s={:.1}",
        total.events,
        per_s(total.events),
        total.message_bytes,
        mb_per_s(total.message_bytes),
        total.message_bytes as f64 / 1_048_576.0 / elapsed,
        mb_per_s(total.request_bytes),
    );
    println!("latency_ms p50={:.2} p90={:.2} p99={:.2} max={:.2}", pct(0.5), pct(0.9), pct(0.99), pct(1.0));
    println!("client_cpu_s={client_cpu_s:.2}");
    if args.pid.is_some() {
        println!(
            "server_cpu_s={server_cpu_s:.2} server_cores_busy={:.2} message_mb_per_server_cpu_s={:.1}",
            server_cpu_s / elapsed,
            if server_cpu_s > 0.0 { total.message_bytes as f64 / 1e6 / server_cpu_s } else { 0.0 },
        );
        println!("server_rss_kib before={} after={}", rss_before.unwrap_or(0), rss_after.unwrap_or(0));
    }
    if let Some(message) = &total.first_error {
        println!("first_error: {}", message.replace('\n', " "));
    }
    println!(
        "summary mode=PutLogEvents signed={signed} workers={} lines={} seconds={elapsed:.2} batches={} errors={} \
         batches_per_s={:.1} events_per_s={:.0} message_bytes={} message_mb_per_s={:.1} p50_ms={:.2} p99_ms={:.2} \
         server_cpu_s={server_cpu_s:.2} server_cores_busy={:.2} client_cpu_s={client_cpu_s:.2} rss_after_kib={}",
        args.workers,
        args.lines,
        total.requests,
        total.errors,
        per_s(total.ok),
        per_s(total.events),
        total.message_bytes,
        mb_per_s(total.message_bytes),
        pct(0.5),
        pct(0.99),
        server_cpu_s / elapsed,
        rss_after.unwrap_or(0),
    );
    if total.errors > 0 {
        bail!("{} of {} batches failed", total.errors, total.requests);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_as_large_as_aws_allows_and_no_larger() {
        let mut lines = Lines::new(3);
        let body = batch(&mut lines, "/g", "s", 1_767_000_000_000, MAX_EVENTS).unwrap();
        let parsed: Value = serde_json::from_slice(&body.bytes).unwrap();
        let events = parsed["logEvents"].as_array().unwrap();
        assert_eq!(events.len() as u64, body.events);
        let counted: usize =
            events.iter().map(|e| e["message"].as_str().unwrap().len() + EVENT_OVERHEAD).sum::<usize>();
        assert!(counted <= MAX_BATCH_BYTES && counted > MAX_BATCH_BYTES - 1000, "{counted}");
        assert!(body.events < MAX_EVENTS as u64, "the byte limit stopped it");
        let stamps: Vec<i64> = events.iter().map(|e| e["timestamp"].as_i64().unwrap()).collect();
        assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "in time order");

        let typical = batch(&mut lines, "/g", "s", 1_767_000_000_000, 4000).unwrap();
        assert_eq!(typical.events, 4000, "4,000 typical lines fit in a batch");
        assert!((800_000..=1_000_000).contains(&typical.message_bytes), "{}", typical.message_bytes);
    }
}
