//! `skywatch-load`: the end-to-end load generator. Sends signed PutMetricData requests over real HTTP from N
//! concurrent workers for a fixed time, then reports requests/s, datapoints/s, latency percentiles and, given
//! the server's pid, its resident memory before and after.
//!
//! Usage: skywatch-load --target 127.0.0.1:4566 --key ID:SECRET [--workers 8] [--seconds 10] [--batch 1000]
//!                      [--series 100] [--pid PID]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, sign};

#[derive(Debug, Parser)]
#[command(name = "skywatch-load", about = "Load generator for a running skywatch server")]
struct Args {
    /// The server's address.
    #[arg(long, default_value = "127.0.0.1:4566")]
    target: SocketAddr,
    /// The access key to sign with, ID:SECRET.
    #[arg(long, default_value = "AKIDEXAMPLE:secret")]
    key: String,
    /// Concurrent workers, each with one connection.
    #[arg(long, default_value_t = 8)]
    workers: usize,
    /// How long to send, in seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Datapoints per PutMetricData request (1..=1000).
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Distinct series each worker writes to.
    #[arg(long, default_value_t = 100)]
    series: usize,
    /// The server's pid, to report its resident memory.
    #[arg(long)]
    pid: Option<u32>,
}

struct WorkerResult {
    requests: u64,
    datapoints: u64,
    errors: u64,
    latencies_us: Vec<u64>,
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !(1..=1000).contains(&args.batch) {
        bail!("--batch must be 1..=1000");
    }
    let (key_id, secret) = args.key.split_once(':').context("--key must be ID:SECRET")?;
    let rss_before = args.pid.and_then(rss_kib);
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..args.workers {
        let (key_id, secret) = (key_id.to_owned(), secret.to_owned());
        let (target, batch, series) = (args.target, args.batch, args.series.max(1));
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let host = target.to_string();
            let mut result = WorkerResult { requests: 0, datapoints: 0, errors: 0, latencies_us: Vec::new() };
            let mut tick = 0u64;
            while Instant::now() < deadline {
                tick += 1;
                let data: Vec<serde_json::Value> = (0..batch)
                    .map(|i| {
                        serde_json::json!({
                            "MetricName": "Latency",
                            "Dimensions": [{"Name": "Worker", "Value": worker.to_string()}, {"Name": "Series", "Value": (i % series).to_string()}],
                            "Value": ((tick * 7 + i as u64) % 1000) as f64 / 10.0,
                        })
                    })
                    .collect();
                let body = serde_json::to_vec(&serde_json::json!({"Namespace": "Load", "MetricData": data}))?;
                let now = chrono::Utc::now();
                let headers = [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", "GraniteServiceVersion20100801.PutMetricData")];
                let authorization = sign(
                    &SignableRequest { method: "POST", host: &host, path: "/", query: "", headers: &headers, body: &body },
                    &SigningCredentials { access_key_id: &key_id, secret: &secret, region: "us-east-1", service: "monitoring" },
                    now,
                );
                let sent = Instant::now();
                let response = http
                    .post(format!("http://{host}/"))
                    .header("content-type", "application/x-amz-json-1.0")
                    .header("x-amz-target", "GraniteServiceVersion20100801.PutMetricData")
                    .header("x-amz-date", format_amz_date(now))
                    .header("authorization", authorization)
                    .body(body)
                    .send()
                    .await;
                let ok = matches!(&response, Ok(r) if r.status().is_success());
                if let Ok(r) = response {
                    let _ = r.bytes().await;
                }
                result.latencies_us.push(sent.elapsed().as_micros() as u64);
                result.requests += 1;
                if ok {
                    result.datapoints += batch as u64;
                } else {
                    result.errors += 1;
                }
            }
            anyhow::Ok(result)
        }));
    }
    let mut requests = 0;
    let mut datapoints = 0;
    let mut errors = 0;
    let mut latencies = Vec::new();
    for task in tasks {
        let r = task.await??;
        requests += r.requests;
        datapoints += r.datapoints;
        errors += r.errors;
        latencies.extend(r.latencies_us);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0) as f64 / 1000.0
    };
    println!("workers={} batch={} seconds={elapsed:.1}", args.workers, args.batch);
    println!("requests={requests} errors={errors} requests_per_s={:.0}", requests as f64 / elapsed);
    println!("datapoints={datapoints} datapoints_per_s={:.0}", datapoints as f64 / elapsed);
    println!("latency_ms p50={:.2} p90={:.2} p99={:.2} max={:.2}", pct(0.5), pct(0.9), pct(0.99), pct(1.0));
    if let Some(pid) = args.pid {
        println!("server_rss_kib before={} after={}", rss_before.unwrap_or(0), rss_kib(pid).unwrap_or(0));
    }
    if errors > 0 {
        bail!("{errors} requests failed");
    }
    Ok(())
}
