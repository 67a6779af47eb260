//! `--mode put-events`: EventBridge end to end. Creates a bus with `--rules` rules (rule `i` matches source
//! `load.r<i>` with `detail.kind` `order`) and gives rule 0 a webhook target: an HTTP receiver in this process.
//! Each worker sends signed PutEvents (JSON 1.1, `AWSEvents.PutEvents`) of `--entries` entries over one kept-alive
//! connection until the deadline; every event matches exactly one rule, and one event in `--deliver-every` matches
//! rule 0 and is delivered. Each event's detail carries the microsecond it was sent, so the receiver measures the
//! delivery latency from the client's send to the webhook's post. Reports events/s acknowledged, request latency,
//! the server's CPU per event and, after waiting for the queue to drain, deliveries received and their latency
//! percentiles.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use bytes::Bytes;
use serde_json::{Value, json};

use crate::json11::Caller;
use crate::{Args, cpu_seconds, rss_kib};

/// What the webhook received.
#[derive(Default)]
struct Receiver {
    delivered: AtomicU64,
    latencies_us: Mutex<Vec<u64>>,
}

fn now_us() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_micros() as u64)
}

async fn receive(
    axum::extract::State(receiver): axum::extract::State<Arc<Receiver>>,
    body: Bytes,
) -> axum::http::StatusCode {
    let at = now_us();
    if let Ok(event) = serde_json::from_slice::<Value>(&body)
        && let Some(sent) = event["detail"]["sent_us"].as_u64()
    {
        receiver.latencies_us.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(at.saturating_sub(sent));
    }
    receiver.delivered.fetch_add(1, Ordering::Relaxed);
    axum::http::StatusCode::OK
}

/// Starts the receiver; its URL.
async fn start_receiver(receiver: Arc<Receiver>) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding the receiver")?;
    let address = listener.local_addr()?;
    let app = axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(receiver);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(format!("http://{address}/hook"))
}

/// The body of one PutEvents request: `entries` events numbered from `first`.
fn body(bus: &str, first: u64, entries: usize, rules: usize, deliver_every: u64) -> (Bytes, u64) {
    let mut out = String::with_capacity(entries * 200);
    out.push_str("{\"Entries\":[");
    let mut delivered = 0;
    let sent = now_us();
    for i in 0..entries as u64 {
        let n = first + i;
        let rule = if n.is_multiple_of(deliver_every) {
            delivered += 1;
            0
        } else {
            1 + n % (rules as u64 - 1).max(1)
        };
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"Source\":\"load.r{rule}\",\"DetailType\":\"Load\",\"EventBusName\":\"{bus}\",\
             \"Detail\":\"{{\\\"kind\\\":\\\"order\\\",\\\"n\\\":{n},\\\"sent_us\\\":{sent}}}\"}}"
        );
    }
    out.push_str("]}");
    (Bytes::from(out), delivered)
}

#[derive(Default)]
struct WorkerResult {
    requests: u64,
    errors: u64,
    events: u64,
    to_deliver: u64,
    latencies_us: Vec<u64>,
    first_error: Option<String>,
}

async fn worker(
    caller: Caller,
    bus: String,
    worker: u64,
    args: (usize, usize, u64),
    deadline: Instant,
) -> WorkerResult {
    let (entries, rules, deliver_every) = args;
    let mut result = WorkerResult::default();
    let mut next = worker * 1_000_000_000;
    while Instant::now() < deadline {
        let (request, delivered) = body(&bus, next, entries, rules, deliver_every);
        next += entries as u64;
        let sent = Instant::now();
        let outcome = match caller.send("PutEvents", request).await {
            Ok((status, answer))
                if status.is_success() && answer.windows(20).any(|w| w == b"\"FailedEntryCount\":0") =>
            {
                Ok(())
            }
            Ok((status, answer)) => {
                Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&answer[..answer.len().min(300)])))
            }
            Err(message) => Err(message),
        };
        result.latencies_us.push(sent.elapsed().as_micros() as u64);
        result.requests += 1;
        match outcome {
            Ok(()) => {
                result.events += entries as u64;
                result.to_deliver += delivered;
            }
            Err(message) => {
                result.errors += 1;
                result.first_error.get_or_insert(message);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    result
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0) as f64 / 1000.0
}

/// Runs the put-events load and prints its figures.
pub async fn run(args: &Args, host: &str, credentials: Option<(String, String)>) -> anyhow::Result<()> {
    if !(1..=10).contains(&args.entries) || args.rules == 0 || args.deliver_every == 0 {
        bail!("--entries must be 1..=10, --rules and --deliver-every at least 1");
    }
    let receiver = Arc::new(Receiver::default());
    let hook = start_receiver(Arc::clone(&receiver)).await?;
    let setup = Caller::events(host, credentials.clone())?;
    let bus = format!("load-{}", chrono::Utc::now().timestamp_millis());
    setup.ensure("CreateEventBus", &json!({"Name": bus})).await?;
    for i in 0..args.rules {
        let pattern = json!({"source": [format!("load.r{i}")], "detail": {"kind": ["order"]}}).to_string();
        setup
            .ensure("PutRule", &json!({"Name": format!("r{i}"), "EventBusName": bus, "EventPattern": pattern}))
            .await?;
    }
    setup
        .ensure("PutTargets", &json!({"Rule": "r0", "EventBusName": bus, "Targets": [{"Id": "hook", "Arn": hook}]}))
        .await?;

    let pid_text = args.pid.map(|p| p.to_string());
    let server_cpu_before = pid_text.as_deref().and_then(cpu_seconds);
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let mut tasks = Vec::with_capacity(args.workers);
    for w in 0..args.workers {
        let caller = Caller::events(host, credentials.clone())?;
        let shape = (args.entries, args.rules, args.deliver_every);
        tasks.push(tokio::spawn(worker(caller, bus.clone(), w as u64, shape, deadline)));
    }
    let mut total = WorkerResult::default();
    for task in tasks {
        let r = task.await.context("a worker panicked")?;
        total.requests += r.requests;
        total.errors += r.errors;
        total.events += r.events;
        total.to_deliver += r.to_deliver;
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
    let delivered_during = receiver.delivered.load(Ordering::Relaxed);
    let during: Vec<u64> = receiver.latencies_us.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    // The queue drains: wait for every delivery acknowledged events made, at most 30 s.
    let drain_started = Instant::now();
    while receiver.delivered.load(Ordering::Relaxed) < total.to_deliver
        && drain_started.elapsed() < Duration::from_secs(30)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let drain_s = drain_started.elapsed().as_secs_f64();
    let delivered = receiver.delivered.load(Ordering::Relaxed);
    let mut all = receiver.latencies_us.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
    all.sort_unstable();
    let mut under_load = during;
    under_load.sort_unstable();
    let mut latencies = std::mem::take(&mut total.latencies_us);
    latencies.sort_unstable();

    println!(
        "mode=PutEvents signed={} workers={} entries={} rules={} deliver_every={} seconds={elapsed:.1} bus={bus}",
        credentials.is_some(),
        args.workers,
        args.entries,
        args.rules,
        args.deliver_every
    );
    println!(
        "requests={} errors={} events={} events_per_s={:.0}",
        total.requests,
        total.errors,
        total.events,
        total.events as f64 / elapsed
    );
    println!(
        "request_latency_ms p50={:.2} p90={:.2} p99={:.2} max={:.2}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.9),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!(
        "deliveries expected={} received_under_load={delivered_during} received={delivered} drained_in_s={drain_s:.1}",
        total.to_deliver
    );
    println!(
        "delivery_latency_ms under_load: p50={:.1} p90={:.1} p99={:.1} max={:.1}; all: p50={:.1} p99={:.1} max={:.1}",
        percentile(&under_load, 0.5),
        percentile(&under_load, 0.9),
        percentile(&under_load, 0.99),
        percentile(&under_load, 1.0),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&all, 1.0)
    );
    if args.pid.is_some() {
        println!(
            "server_cpu_s={server_cpu_s:.2} server_cores_busy={:.2} events_per_server_cpu_s={:.0} server_rss_kib={}",
            server_cpu_s / elapsed,
            if server_cpu_s > 0.0 { total.events as f64 / server_cpu_s } else { 0.0 },
            args.pid.and_then(rss_kib).unwrap_or(0)
        );
    }
    if let Some(message) = &total.first_error {
        println!("first_error: {}", message.replace('\n', " "));
    }
    if total.errors > 0 {
        bail!("{} of {} requests failed", total.errors, total.requests);
    }
    if delivered < total.to_deliver {
        bail!("{} of {} deliveries arrived", delivered, total.to_deliver);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_put_events_requests_whose_events_each_match_one_rule() {
        let (bytes, delivered) = body("b", 0, 10, 100, 5);
        let request: Value = serde_json::from_slice(&bytes).unwrap();
        let entries = request["Entries"].as_array().unwrap();
        assert_eq!((entries.len(), delivered), (10, 2));
        let sources: Vec<&str> = entries.iter().map(|e| e["Source"].as_str().unwrap()).collect();
        assert_eq!(sources[0], "load.r0");
        assert_eq!(sources[5], "load.r0");
        assert!(sources.iter().enumerate().all(|(i, s)| (i % 5 == 0) == (*s == "load.r0")));
        let detail: Value = serde_json::from_str(entries[3]["Detail"].as_str().unwrap()).unwrap();
        assert_eq!((detail["kind"].as_str(), detail["n"].as_u64()), (Some("order"), Some(3)));
        assert!(detail["sent_us"].as_u64().unwrap() > 1_700_000_000_000_000);
    }
}
