//! `skywatch-load`: the end-to-end load generator, for Skywatch or any server that speaks CloudWatch (moto).
//!
//! N workers, each with one kept-alive HTTP/1.1 connection, send requests for a fixed time (or a fixed count)
//! and the run reports requests/s, datapoints/s, latency percentiles and, given the server's pid, the server's
//! CPU time and resident memory over the run. The client is kept cheap so that on a 2-core machine it is not
//! what limits the figure: request bodies are built once into a small pool (never re-serialized per request),
//! and only the signature is computed per request, as a real client must (SigV4 hashes the body each time).
//!
//! * `--mode put`: PutMetricData, `--batch` datapoints a request, to `--series` series a worker (dimensions
//!   `Worker` and `Series`, metric `Latency`, no timestamp: the server's clock).
//! * `--mode get-statistics`: GetMetricStatistics (Average, Sum, SampleCount, Minimum, Maximum; Period 60; the
//!   last hour) over the series that `--writers` put workers wrote; reports calls/s and how many answers held
//!   no datapoint.
//! * `--mode get-metric-data`: GetMetricData (signed JSON 1.0) for `--series` series (at most 500; default 100)
//!   over the week before the current minute at Period 60, Average, following NextToken through every page
//!   (default MaxDatapoints: 100,800 a page, so 10 pages for 100 series); reports p50/p90/p99 separately for first
//!   pages and for follow-up pages, calls/s and walks/s (`metric_data.rs`). `--seed-week` first writes that week
//!   (`--series` × 10,080 one-minute datapoints with explicit Timestamps, `Worker=week`) through PutMetricData in
//!   `--protocol`, `--batch` datums a request, then waits `--settle-secs`; without it the week must already be
//!   there from an earlier `--seed-week` run within the same minute's window (the count is then not checked).
//!   `--requests` caps walks a worker.
//! * `--mode segments`: PutTraceSegments (X-Ray's rest-json `POST /TraceSegments`), `--batch` segment documents a
//!   request (two a trace, every trace id unique); reports segments/s and counts unprocessed documents as errors.
//! * `--mode udp-segments`: the same documents as the X-Ray daemon's datagrams to `--udp` (`--rate` a second at
//!   most, 0 for as fast as the workers can), reporting datagrams/s, what the kernel dropped for a full receive
//!   buffer, and how many of a sample of the sent traces the server then returns from BatchGetTraces.
//! * `--mode log-events`: CloudWatch Logs' PutLogEvents, batches of `--lines` typical log lines (about 1 MiB) to a
//!   stream a worker in a new log group (`logs.rs`); reports MB/s of message bytes acknowledged and batches/s.
//! * `--mode put-events`: EventBridge's PutEvents, `--entries` events a request onto a bus of `--rules` rules, one
//!   event in `--deliver-every` delivered to a webhook in this process (`events.rs`); reports events/s and the
//!   delivery latency from send to webhook.
//! * `--mode log-footprint`: no load; reads a stopped server's `--data-dir` and prints each log group's message
//!   bytes, storedBytes and the compressed bytes stored (`log_footprint.rs`).
//! * `--protocol json` (JSON 1.0 with `X-Amz-Target`, as boto3 ≥ 1.42.7 sends), `query` (the awsQuery form
//!   older botocore and the aws CLI v2 send) or `cbor` (Smithy RPCv2 CBOR as botocore sends it when told to:
//!   `POST /service/GraniteServiceVersion20100801/operation/<Op>`, `smithy-protocol: rpc-v2-cbor`, CBOR bodies
//!   built with ciborium, timestamps as tag 1; `cbor.rs`) for put, get-statistics and the get-metric-data seed;
//!   `--unsigned` leaves out SigV4 (Skywatch's `--auth none`).
//!
//! Usage: skywatch-load --target 127.0.0.1:4566 [--key ID:SECRET] [--mode put|get-statistics|get-metric-data|...]
//!                      [--protocol json|query|cbor] [--unsigned] [--workers 8] [--seconds 10] [--requests N]
//!                      [--batch 1000] [--series 100] [--writers N] [--pool 4] [--namespace Load] [--pid PID]
//!                      [--udp 127.0.0.1:2000] [--rate 0] [--lines 4000] [--log-group NAME] [--data-dir DIR]
//!                      [--seed-week] [--settle-secs 0]

mod cbor;
mod events;
mod json11;
mod log_footprint;
mod log_lines;
mod logs;
mod metric_data;
mod segments;

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use clap::{Parser, ValueEnum};
use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, sign};

/// Linux's USER_HZ, the unit of the CPU times in `/proc/PID/stat` (100 on every mainstream architecture).
const CLOCK_TICKS_PER_SECOND: f64 = 100.0;
const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.0";
const QUERY_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";
const CBOR_CONTENT_TYPE: &str = "application/cbor";
pub(crate) const STATISTICS: [&str; 5] = ["Average", "Sum", "SampleCount", "Minimum", "Maximum"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Protocol {
    /// JSON 1.0: `X-Amz-Target: GraniteServiceVersion20100801.<Op>`, as boto3 sends.
    Json,
    /// awsQuery: `Action=<Op>&Version=2010-08-01&...` form bodies, XML answers.
    Query,
    /// Smithy RPCv2 CBOR: `POST /service/GraniteServiceVersion20100801/operation/<Op>`, CBOR bodies and answers.
    Cbor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// PutMetricData, `--batch` datapoints a request.
    Put,
    /// GetMetricStatistics over the series the put mode writes.
    GetStatistics,
    /// GetMetricData over a week of 1-minute data, every page (`--seed-week` writes the week first).
    GetMetricData,
    /// PutTraceSegments, `--batch` documents a request.
    Segments,
    /// The X-Ray daemon's UDP datagrams, one document each.
    UdpSegments,
    /// CloudWatch Logs' PutLogEvents, `--lines` log lines a batch.
    LogEvents,
    /// No load: the logs stored in a stopped server's `--data-dir`.
    LogFootprint,
    /// EventBridge's PutEvents, `--entries` events a request, onto a bus with `--rules` rules.
    PutEvents,
}

impl Mode {
    fn operation(self) -> &'static str {
        match self {
            Mode::Put => "PutMetricData",
            Mode::GetStatistics => "GetMetricStatistics",
            Mode::GetMetricData => "GetMetricData",
            Mode::Segments | Mode::UdpSegments => "PutTraceSegments",
            Mode::LogEvents => "PutLogEvents",
            Mode::LogFootprint => "none",
            Mode::PutEvents => "PutEvents",
        }
    }
}

#[derive(Debug, Parser)]
#[command(name = "skywatch-load", about = "Load generator for a running skywatch (or any CloudWatch) server")]
struct Args {
    /// The server's address.
    #[arg(long, default_value = "127.0.0.1:4566")]
    target: SocketAddr,
    /// The access key to sign with, ID:SECRET.
    #[arg(long, default_value = "AKIDEXAMPLE:secret")]
    key: String,
    /// Send requests without SigV4 (for `skywatch serve --auth none`).
    #[arg(long)]
    unsigned: bool,
    /// The wire protocol.
    #[arg(long, value_enum, default_value_t = Protocol::Json)]
    protocol: Protocol,
    /// What to send.
    #[arg(long, value_enum, default_value_t = Mode::Put)]
    mode: Mode,
    /// Concurrent workers, each with one kept-alive connection.
    #[arg(long, default_value_t = 8)]
    workers: usize,
    /// How long to send, in seconds.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Stop each worker after this many requests (even before `--seconds`), e.g. to seed a fixed data set;
    /// get-metric-data: after this many walks through every page.
    #[arg(long)]
    requests: Option<u64>,
    /// Datapoints per PutMetricData request (1..=1000).
    #[arg(long, default_value_t = 1000)]
    batch: usize,
    /// Distinct series each put worker writes to; get-metric-data: the series of the week, all in one request.
    #[arg(long, default_value_t = 100)]
    series: usize,
    /// get-statistics: how many put workers' series to query (worker ids 0..N); defaults to `--workers`.
    #[arg(long)]
    writers: Option<usize>,
    /// Distinct pre-built PutMetricData bodies per worker (values differ, series are the same).
    #[arg(long, default_value_t = 4)]
    pool: usize,
    /// The namespace to write and query.
    #[arg(long, default_value = "Load")]
    namespace: String,
    /// The server's pid, to report its CPU time and resident memory over the run.
    #[arg(long)]
    pid: Option<u32>,
    /// udp-segments: the X-Ray daemon's address.
    #[arg(long, default_value = "127.0.0.1:2000")]
    udp: SocketAddr,
    /// udp-segments: datagrams a second at most, over all workers (0: as fast as they can).
    #[arg(long, default_value_t = 0)]
    rate: u64,
    /// log-events: log lines a PutLogEvents batch (1..=10000; fewer when the batch would pass 1 MiB).
    #[arg(long, default_value_t = 4000)]
    lines: usize,
    /// log-events: the log group to write (made if missing); default a new `/skywatch-load/<ms>`.
    #[arg(long)]
    log_group: Option<String>,
    /// log-footprint: the stopped server's data dir.
    #[arg(long)]
    data_dir: Option<std::path::PathBuf>,
    /// get-metric-data: first write `--series` series × 7 days × 1-minute datapoints with explicit Timestamps
    /// through PutMetricData (`--protocol`, `--batch` datums a request), then measure.
    #[arg(long)]
    seed_week: bool,
    /// get-metric-data: seconds to wait between seeding and measuring (e.g. past the server's 60 s checkpoint, so
    /// the week is read from chunks rather than the write-ahead log's head).
    #[arg(long, default_value_t = 0)]
    settle_secs: u64,
    /// put-events: events a PutEvents request (1..=10).
    #[arg(long, default_value_t = 10)]
    entries: usize,
    /// put-events: rules on the bus (each event matches one).
    #[arg(long, default_value_t = 100)]
    rules: usize,
    /// put-events: one event in this many matches the rule with the webhook target.
    #[arg(long, default_value_t = 100)]
    deliver_every: u64,
}

/// What every worker sends: fixed headers, and a pool of bodies it cycles through.
struct Plan {
    url: String,
    path: String,
    service: &'static str,
    /// segments: each worker's template, rendered with a fresh counter per request.
    templates: Vec<std::sync::Arc<segments::Template>>,
    host: String,
    content_type: &'static str,
    /// `X-Amz-Target`, for JSON.
    amz_target: Option<String>,
    /// RPCv2 CBOR's `accept`, `smithy-protocol` and `x-amzn-query-mode`.
    cbor: bool,
    credentials: Option<(String, String)>,
    /// Bodies for each worker (put), or one pool shared by all (get-statistics: `shared`).
    bodies: Vec<Vec<Bytes>>,
    shared: bool,
    workers: usize,
    requests_cap: Option<u64>,
    deadline: Instant,
    get_statistics: bool,
}

#[derive(Default)]
struct WorkerResult {
    requests: u64,
    ok: u64,
    errors: u64,
    /// get-statistics answers without a single datapoint.
    empty: u64,
    latencies_us: Vec<u64>,
    sign_ns: u128,
    first_error: Option<String>,
}

/// `application/x-www-form-urlencoded` escaping of a value (space as `%20`, like botocore).
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// A JSON string literal (the names used here need no escaping beyond quotes and backslashes).
fn json_string(value: &str) -> String {
    serde_json::Value::String(value.to_owned()).to_string()
}

fn datum_value(pool_index: usize, i: usize) -> f64 {
    ((pool_index * 7 + i) % 1000) as f64 / 10.0
}

/// One datum of a PutMetricData body: metric `Latency`, dimensions `Worker` and `Series`.
pub(crate) struct Datum<'a> {
    pub worker: &'a str,
    pub series: usize,
    /// Written with one decimal in JSON and awsQuery.
    pub value: f64,
    /// Epoch seconds; none for the server's clock.
    pub timestamp_s: Option<i64>,
}

/// An ISO 8601 UTC timestamp, as awsQuery clients write them.
fn iso(epoch_seconds: i64) -> String {
    chrono::DateTime::from_timestamp(epoch_seconds, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// One PutMetricData body holding `data`, in `protocol`.
pub(crate) fn put_metric_data_body(protocol: Protocol, namespace: &str, data: &[Datum<'_>]) -> Bytes {
    let mut out = String::with_capacity(data.len() * 300);
    match protocol {
        Protocol::Json => {
            let _ = write!(out, "{{\"Namespace\":{},\"MetricData\":[", json_string(namespace));
            for (i, d) in data.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(
                    out,
                    "{{\"MetricName\":\"Latency\",\"Dimensions\":[{{\"Name\":\"Worker\",\"Value\":\"{}\"}},\
                     {{\"Name\":\"Series\",\"Value\":\"{}\"}}],\"Value\":{:.1}",
                    d.worker, d.series, d.value
                );
                if let Some(at) = d.timestamp_s {
                    let _ = write!(out, ",\"Timestamp\":{at}");
                }
                out.push('}');
            }
            out.push_str("]}");
        }
        Protocol::Query => {
            let _ = write!(out, "Action=PutMetricData&Version=2010-08-01&Namespace={}", form_encode(namespace));
            for (i, d) in data.iter().enumerate() {
                let m = i + 1;
                let _ = write!(
                    out,
                    "&MetricData.member.{m}.MetricName=Latency\
                     &MetricData.member.{m}.Dimensions.member.1.Name=Worker\
                     &MetricData.member.{m}.Dimensions.member.1.Value={}\
                     &MetricData.member.{m}.Dimensions.member.2.Name=Series\
                     &MetricData.member.{m}.Dimensions.member.2.Value={}\
                     &MetricData.member.{m}.Value={:.1}",
                    form_encode(d.worker),
                    d.series,
                    d.value
                );
                if let Some(at) = d.timestamp_s {
                    let _ = write!(out, "&MetricData.member.{m}.Timestamp={}", form_encode(&iso(at)));
                }
            }
        }
        Protocol::Cbor => return cbor::put_body(namespace, data),
    }
    Bytes::from(out)
}

/// One PutMetricData body: `batch` datapoints spread over `series` series of one worker.
fn put_body(
    protocol: Protocol,
    namespace: &str,
    worker: usize,
    pool_index: usize,
    batch: usize,
    series: usize,
) -> Bytes {
    let worker = worker.to_string();
    let data: Vec<Datum<'_>> = (0..batch)
        .map(|i| Datum { worker: &worker, series: i % series, value: datum_value(pool_index, i), timestamp_s: None })
        .collect();
    put_metric_data_body(protocol, namespace, &data)
}

/// One GetMetricStatistics body for series (`worker`, `series`) over [`start`, `end`) epoch seconds.
fn get_statistics_body(
    protocol: Protocol,
    namespace: &str,
    worker: usize,
    series: usize,
    start: i64,
    end: i64,
) -> Bytes {
    let mut out = String::with_capacity(512);
    match protocol {
        Protocol::Json => {
            let stats: Vec<String> = STATISTICS.iter().map(|s| format!("\"{s}\"")).collect();
            let _ = write!(
                out,
                "{{\"Namespace\":{},\"MetricName\":\"Latency\",\"Dimensions\":[{{\"Name\":\"Worker\",\"Value\":\"{worker}\"}},\
                 {{\"Name\":\"Series\",\"Value\":\"{series}\"}}],\"StartTime\":{start},\"EndTime\":{end},\"Period\":60,\
                 \"Statistics\":[{}]}}",
                json_string(namespace),
                stats.join(",")
            );
        }
        Protocol::Query => {
            let _ = write!(
                out,
                "Action=GetMetricStatistics&Version=2010-08-01&Namespace={}&MetricName=Latency\
                 &Dimensions.member.1.Name=Worker&Dimensions.member.1.Value={worker}\
                 &Dimensions.member.2.Name=Series&Dimensions.member.2.Value={series}\
                 &StartTime={}&EndTime={}&Period=60",
                form_encode(namespace),
                form_encode(&iso(start)),
                form_encode(&iso(end))
            );
            for (i, s) in STATISTICS.iter().enumerate() {
                let _ = write!(out, "&Statistics.member.{}={s}", i + 1);
            }
        }
        Protocol::Cbor => return cbor::get_statistics_body(namespace, worker, series, start, end),
    }
    Bytes::from(out)
}

/// CPU time (user + system) of a process so far, in seconds, from `/proc/PID/stat`.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14 and 15 of the whole line (utime, stime) are the 12th and 13th after the name.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / CLOCK_TICKS_PER_SECOND)
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Whether an answer to GetMetricStatistics holds at least one datapoint (JSON or XML alike).
fn has_datapoint(body: &[u8]) -> bool {
    body.windows(b"SampleCount".len()).any(|w| w == b"SampleCount")
}

/// Whether a PutTraceSegments answer left no document unprocessed.
fn all_processed(body: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(body)
        .is_ok_and(|v| v["UnprocessedTraceSegments"].as_array().is_some_and(Vec::is_empty))
}

async fn run_worker(plan: std::sync::Arc<Plan>, worker: usize) -> WorkerResult {
    let mut result = WorkerResult::default();
    let http = match reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1)
        .pool_idle_timeout(None)
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            result.first_error = Some(format!("building the HTTP client: {e}"));
            result.errors += 1;
            return result;
        }
    };
    let pool = if plan.shared { plan.bodies.first() } else { plan.bodies.get(worker) };
    let template = plan.templates.get(worker);
    let pool = pool.map_or(&[][..], Vec::as_slice);
    if pool.is_empty() && template.is_none() {
        return result;
    }
    // Spread the workers over a shared pool so they do not all ask for the same series at once.
    let mut next = if plan.shared { worker * pool.len() / plan.workers.max(1) } else { 0 };
    let mut headers: Vec<(&str, &str)> = vec![("content-type", plan.content_type)];
    if let Some(target) = &plan.amz_target {
        headers.push(("x-amz-target", target));
        headers.push(("x-amzn-query-mode", "true"));
    }
    if plan.cbor {
        headers.extend(cbor::HEADERS);
    }
    while Instant::now() < plan.deadline && plan.requests_cap.is_none_or(|cap| result.requests < cap) {
        let body = match template {
            Some(template) => Bytes::from(template.render(next as u64)),
            None => pool[next % pool.len()].clone(),
        };
        next = next.wrapping_add(1);
        let mut request = http.post(&plan.url);
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        if let Some((key_id, secret)) = &plan.credentials {
            let signing = Instant::now();
            let now = chrono::Utc::now();
            let authorization = sign(
                &SignableRequest {
                    method: "POST",
                    host: &plan.host,
                    path: &plan.path,
                    query: "",
                    headers: &headers,
                    body: &body,
                },
                &SigningCredentials { access_key_id: key_id, secret, region: "us-east-1", service: plan.service },
                now,
            );
            request = request.header("x-amz-date", format_amz_date(now)).header("authorization", authorization);
            result.sign_ns += signing.elapsed().as_nanos();
        }
        let sent = Instant::now();
        let outcome = match request.body(body).send().await {
            Ok(response) => {
                let status = response.status();
                match response.bytes().await {
                    Ok(answer) if status.is_success() && !plan.templates.is_empty() && !all_processed(&answer) => {
                        Err(format!("unprocessed: {}", String::from_utf8_lossy(&answer[..answer.len().min(300)])))
                    }
                    Ok(answer) if status.is_success() => Ok(answer),
                    Ok(answer) => {
                        Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&answer[..answer.len().min(300)])))
                    }
                    Err(e) => Err(format!("reading the answer: {e}")),
                }
            }
            Err(e) => Err(format!("sending: {e}")),
        };
        result.latencies_us.push(sent.elapsed().as_micros() as u64);
        result.requests += 1;
        match outcome {
            Ok(answer) => {
                result.ok += 1;
                if plan.get_statistics && !has_datapoint(&answer) {
                    result.empty += 1;
                }
            }
            Err(message) => {
                result.errors += 1;
                let transport = message.starts_with("sending") || message.starts_with("reading");
                result.first_error.get_or_insert(message);
                if transport {
                    // A dead or overloaded server: do not spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    }
    result
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if !(1..=1000).contains(&args.batch) {
        bail!("--batch must be 1..=1000");
    }
    if args.workers == 0 || args.series == 0 || args.pool == 0 {
        bail!("--workers, --series and --pool must be at least 1");
    }
    let credentials = if args.unsigned {
        None
    } else {
        let (key_id, secret) = args.key.split_once(':').context("--key must be ID:SECRET")?;
        Some((key_id.to_owned(), secret.to_owned()))
    };
    let host = args.target.to_string();
    match args.mode {
        Mode::UdpSegments => return udp_run(&args, &host, credentials).await,
        Mode::LogEvents => return logs::run(&args, &host, credentials).await,
        Mode::PutEvents => return events::run(&args, &host, credentials).await,
        Mode::GetMetricData => return metric_data::run(&args, &host, credentials).await,
        Mode::LogFootprint => {
            let dir = args.data_dir.as_deref().context("--mode log-footprint needs --data-dir")?;
            return log_footprint::run(dir);
        }
        _ => {}
    }
    let built = Instant::now();
    let templates: Vec<std::sync::Arc<segments::Template>> = if args.mode == Mode::Segments {
        (0..args.workers).map(|w| std::sync::Arc::new(segments::Template::new(w, args.batch, true))).collect()
    } else {
        Vec::new()
    };
    let (bodies, shared) = match args.mode {
        Mode::Put => {
            let bodies = (0..args.workers)
                .map(|w| {
                    (0..args.pool)
                        .map(|p| put_body(args.protocol, &args.namespace, w, p, args.batch, args.series))
                        .collect()
                })
                .collect();
            (bodies, false)
        }
        Mode::GetStatistics => {
            let end = chrono::Utc::now().timestamp() + 60;
            let start = end - 3600 - 60;
            let writers = args.writers.unwrap_or(args.workers).max(1);
            let pool = (0..writers)
                .flat_map(|w| (0..args.series).map(move |s| (w, s)))
                .map(|(w, s)| get_statistics_body(args.protocol, &args.namespace, w, s, start, end))
                .collect();
            (vec![pool], true)
        }
        Mode::Segments
        | Mode::UdpSegments
        | Mode::LogEvents
        | Mode::LogFootprint
        | Mode::GetMetricData
        | Mode::PutEvents => (Vec::new(), false),
    };
    let body_bytes: usize = bodies.iter().flatten().map(Bytes::len).sum();
    let body_count: usize = bodies.iter().map(Vec::len).sum();
    let build_ms = built.elapsed().as_secs_f64() * 1000.0;
    let datapoints_per_request = if matches!(args.mode, Mode::Put | Mode::Segments) { args.batch as u64 } else { 0 };
    let segments_mode = args.mode == Mode::Segments;
    let cbor = args.protocol == Protocol::Cbor && !segments_mode;
    let path = match () {
        _ if segments_mode => "/TraceSegments".to_owned(),
        _ if cbor => cbor::path(args.mode.operation()),
        _ => "/".to_owned(),
    };
    let plan = std::sync::Arc::new(Plan {
        url: format!("http://{host}{path}"),
        path,
        service: if segments_mode { "xray" } else { "monitoring" },
        templates,
        host,
        content_type: match args.protocol {
            _ if segments_mode => "application/json",
            Protocol::Json => JSON_CONTENT_TYPE,
            Protocol::Query => QUERY_CONTENT_TYPE,
            Protocol::Cbor => CBOR_CONTENT_TYPE,
        },
        amz_target: (args.protocol == Protocol::Json && !segments_mode)
            .then(|| format!("GraniteServiceVersion20100801.{}", args.mode.operation())),
        cbor,
        credentials,
        bodies,
        shared,
        workers: args.workers,
        requests_cap: args.requests,
        deadline: Instant::now() + Duration::from_secs(args.seconds),
        get_statistics: args.mode == Mode::GetStatistics,
    });

    let pid_text = args.pid.map(|p| p.to_string());
    let rss_before = args.pid.and_then(rss_kib);
    let server_cpu_before = pid_text.as_deref().and_then(cpu_seconds);
    let client_cpu_before = cpu_seconds("self");
    let started = Instant::now();
    let tasks: Vec<_> = (0..args.workers).map(|w| tokio::spawn(run_worker(plan.clone(), w))).collect();
    let mut total = WorkerResult::default();
    for task in tasks {
        let r = task.await.context("a worker panicked")?;
        total.requests += r.requests;
        total.ok += r.ok;
        total.errors += r.errors;
        total.empty += r.empty;
        total.sign_ns += r.sign_ns;
        total.latencies_us.extend(r.latencies_us);
        if total.first_error.is_none() {
            total.first_error = r.first_error;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu = match (server_cpu_before, pid_text.as_deref().and_then(cpu_seconds)) {
        (Some(before), Some(after)) => Some(after - before),
        _ => None,
    };
    let client_cpu = match (client_cpu_before, cpu_seconds("self")) {
        (Some(before), Some(after)) => Some(after - before),
        _ => None,
    };
    let rss_after = args.pid.and_then(rss_kib);

    let mut latencies = std::mem::take(&mut total.latencies_us);
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0) as f64 / 1000.0
    };
    let datapoints = total.ok * datapoints_per_request;
    let per_s = |n: u64| n as f64 / elapsed.max(f64::EPSILON);
    let signed = !args.unsigned;
    println!(
        "mode={} protocol={} signed={signed} workers={} batch={} seconds={elapsed:.1}",
        args.mode.operation(),
        format!("{:?}", args.protocol).to_lowercase(),
        args.workers,
        if datapoints_per_request > 0 { args.batch } else { 0 },
    );
    println!("bodies={body_count} body_bytes={body_bytes} built_in_ms={build_ms:.1}");
    println!("requests={} errors={} requests_per_s={:.0}", total.requests, total.errors, per_s(total.requests));
    if segments_mode {
        println!("segments={datapoints} segments_per_s={:.0}", per_s(datapoints));
    } else if args.mode == Mode::Put {
        println!("datapoints={datapoints} datapoints_per_s={:.0}", per_s(datapoints));
    } else {
        println!("calls_ok={} calls_per_s={:.0} empty_answers={}", total.ok, per_s(total.ok), total.empty);
    }
    println!("latency_ms p50={:.2} p90={:.2} p99={:.2} max={:.2}", pct(0.5), pct(0.9), pct(0.99), pct(1.0));
    let sign_us =
        if signed && total.requests > 0 { total.sign_ns as f64 / 1000.0 / total.requests as f64 } else { 0.0 };
    let client_cpu_s = client_cpu.unwrap_or(0.0);
    println!(
        "client_cpu_s={client_cpu_s:.2} client_cpu_us_per_request={:.0} sign_us_per_request={sign_us:.1}",
        client_cpu_s * 1e6 / total.requests.max(1) as f64
    );
    let server_cpu_s = server_cpu.unwrap_or(0.0);
    let per_server_cpu_s = |n: u64| if server_cpu_s > 0.0 { n as f64 / server_cpu_s } else { 0.0 };
    if args.pid.is_some() {
        println!(
            "server_cpu_s={server_cpu_s:.2} server_cores_busy={:.2} per_server_cpu_s={:.0}",
            server_cpu_s / elapsed.max(f64::EPSILON),
            per_server_cpu_s(if datapoints_per_request > 0 { datapoints } else { total.ok })
        );
        println!("server_rss_kib before={} after={}", rss_before.unwrap_or(0), rss_after.unwrap_or(0));
    }
    if let Some(message) = &total.first_error {
        println!("first_error: {}", message.replace('\n', " "));
    }
    // One line for scripts to pick up.
    println!(
        "summary mode={} protocol={} signed={signed} workers={} seconds={elapsed:.2} requests={} errors={} \
         ok_per_s={:.1} datapoints_per_s={:.0} p50_ms={:.2} p99_ms={:.2} server_cpu_s={server_cpu_s:.2} \
         ok_per_server_cpu_s={:.1} datapoints_per_server_cpu_s={:.0} client_cpu_s={client_cpu_s:.2} \
         rss_before_kib={} rss_after_kib={} empty_answers={}",
        args.mode.operation(),
        format!("{:?}", args.protocol).to_lowercase(),
        args.workers,
        total.requests,
        total.errors,
        per_s(total.ok),
        per_s(datapoints),
        pct(0.5),
        pct(0.99),
        per_server_cpu_s(total.ok),
        per_server_cpu_s(datapoints),
        rss_before.unwrap_or(0),
        rss_after.unwrap_or(0),
        total.empty,
    );
    if total.errors > 0 {
        bail!("{} of {} requests failed", total.errors, total.requests);
    }
    Ok(())
}

/// udp-segments: workers send datagrams to the daemon port; then a sample of the sent traces is looked up.
async fn udp_run(args: &Args, host: &str, credentials: Option<(String, String)>) -> anyhow::Result<()> {
    let docs_per_render = args.batch.max(2) & !1;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let per_worker_rate = args.rate / args.workers as u64;
    let drops_before = segments::udp_receive_drops();
    let server_cpu_before = args.pid.map(|p| p.to_string()).as_deref().and_then(cpu_seconds);
    let started = Instant::now();
    let tasks: Vec<_> = (0..args.workers)
        .map(|w| {
            let template = std::sync::Arc::new(segments::Template::new(w, docs_per_render, false));
            tokio::spawn(segments::udp_worker(args.udp, template, deadline, per_worker_rate))
        })
        .collect();
    let mut sent = 0u64;
    let mut send_errors = 0u64;
    let mut samples = Vec::new();
    for task in tasks {
        let r = task.await.context("a worker panicked")?;
        sent += r.datagrams;
        send_errors += r.send_errors;
        samples.extend(r.samples.into_iter().rev().take(25));
    }
    let elapsed = started.elapsed().as_secs_f64();
    // Let the daemon's last batches land before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let dropped = match (drops_before, segments::udp_receive_drops()) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => 0,
    };
    let server_cpu = match (server_cpu_before, args.pid.map(|p| p.to_string()).as_deref().and_then(cpu_seconds)) {
        (Some(before), Some(after)) => after - before,
        _ => 0.0,
    };
    let (found, looked) = lookup(host, credentials, &samples).await?;
    let received = sent.saturating_sub(dropped);
    println!(
        "summary mode=udp-segments workers={} seconds={elapsed:.2} datagrams={sent} send_errors={send_errors} \
         sent_per_s={:.0} kernel_drops={dropped} received_per_s={:.0} server_cpu_s={server_cpu:.2} \
         sampled_traces_found={found}/{looked}",
        args.workers,
        sent as f64 / elapsed,
        received as f64 / elapsed,
    );
    Ok(())
}

/// How many of `trace_ids` BatchGetTraces returns (five ids a call, as X-Ray pages them).
async fn lookup(
    host: &str,
    credentials: Option<(String, String)>,
    trace_ids: &[String],
) -> anyhow::Result<(usize, usize)> {
    let http = reqwest::Client::builder().no_proxy().build()?;
    let mut found = 0;
    for chunk in trace_ids.chunks(5) {
        let body = serde_json::to_vec(&serde_json::json!({ "TraceIds": chunk }))?;
        let headers = [("content-type", "application/json")];
        let mut request = http.post(format!("http://{host}/Traces")).header("content-type", "application/json");
        if let Some((key_id, secret)) = &credentials {
            let now = chrono::Utc::now();
            let authorization = sign(
                &SignableRequest { method: "POST", host, path: "/Traces", query: "", headers: &headers, body: &body },
                &SigningCredentials { access_key_id: key_id, secret, region: "us-east-1", service: "xray" },
                now,
            );
            request = request.header("x-amz-date", format_amz_date(now)).header("authorization", authorization);
        }
        let answer: serde_json::Value = request.body(body).send().await?.json().await?;
        found += answer["Traces"].as_array().map_or(0, |traces| {
            traces.iter().filter(|t| t["Segments"].as_array().is_some_and(|s| s.len() == 2)).count()
        });
    }
    Ok((found, trace_ids.len()))
}
