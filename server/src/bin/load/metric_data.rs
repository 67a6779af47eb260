//! `--mode get-metric-data`: GetMetricData for a week of 1-minute data, end to end. The week is `--series` series
//! (metric `Latency`, dimensions `Worker=week` and `Series=<n>`) over the 7 days before the current minute; with
//! `--seed-week` it is first written through PutMetricData (`--protocol`, `--batch` datums a request, explicit
//! Timestamps, each worker owning whole series and sending them in time order), then the run waits
//! `--settle-secs`. Each worker then asks, signed, in JSON 1.0, for all series in one request (one MetricStat
//! query each, Period 60, Average, the week, default MaxDatapoints so AWS's 100,800 a page) and follows NextToken
//! through every page: one *walk*. Latency is reported separately for first pages (which compute the answer) and
//! follow-up pages, with calls/s and walks/s; a walk that does not return every seeded datapoint is an error.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use bytes::Bytes;
use serde::Deserialize;
use serde::de::{IgnoredAny, SeqAccess, Visitor};
use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, sign};

use crate::{
    Args, CBOR_CONTENT_TYPE, Datum, JSON_CONTENT_TYPE, Protocol, QUERY_CONTENT_TYPE, cbor, cpu_seconds, json_string,
    put_metric_data_body, rss_kib,
};

const MINUTE_S: i64 = 60;
const WEEK_MINUTES: i64 = 7 * 24 * 60;
/// GetMetricData's most queries a request.
const MAX_QUERIES: usize = 500;
/// The `Worker` dimension of the week's series, apart from the put mode's workers.
const WORKER: &str = "week";

/// Signs and sends CloudWatch calls in one protocol over one kept-alive connection.
struct Caller {
    http: reqwest::Client,
    host: String,
    protocol: Protocol,
    credentials: Option<(String, String)>,
}

impl Caller {
    fn new(host: &str, protocol: Protocol, credentials: Option<(String, String)>) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .tcp_nodelay(true)
            .pool_max_idle_per_host(1)
            .pool_idle_timeout(None)
            .build()
            .context("building the HTTP client")?;
        Ok(Self { http, host: host.to_owned(), protocol, credentials })
    }

    /// Sends `body` as operation `op`; the answer of a 2xx, else the status and the answer's start.
    async fn send(&self, op: &str, body: Bytes) -> Result<Bytes, String> {
        let target = format!("GraniteServiceVersion20100801.{op}");
        let (path, content_type) = match self.protocol {
            Protocol::Json => ("/".to_owned(), JSON_CONTENT_TYPE),
            Protocol::Query => ("/".to_owned(), QUERY_CONTENT_TYPE),
            Protocol::Cbor => (cbor::path(op), CBOR_CONTENT_TYPE),
        };
        let mut headers: Vec<(&str, &str)> = vec![("content-type", content_type)];
        match self.protocol {
            Protocol::Json => headers.extend([("x-amz-target", target.as_str()), ("x-amzn-query-mode", "true")]),
            Protocol::Query => {}
            Protocol::Cbor => headers.extend(cbor::HEADERS),
        }
        let mut request = self.http.post(format!("http://{}{path}", self.host));
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        if let Some((key_id, secret)) = &self.credentials {
            let now = chrono::Utc::now();
            let authorization = sign(
                &SignableRequest {
                    method: "POST",
                    host: &self.host,
                    path: &path,
                    query: "",
                    headers: &headers,
                    body: &body,
                },
                &SigningCredentials { access_key_id: key_id, secret, region: "us-east-1", service: "monitoring" },
                now,
            );
            request = request.header("x-amz-date", format_amz_date(now)).header("authorization", authorization);
        }
        let response = request.body(body).send().await.map_err(|e| format!("sending: {e}"))?;
        let status = response.status();
        let answer = response.bytes().await.map_err(|e| format!("reading the answer: {e}"))?;
        if status.is_success() {
            Ok(answer)
        } else {
            Err(format!("HTTP {status}: {}", String::from_utf8_lossy(&answer[..answer.len().min(300)])))
        }
    }
}

/// The week: [start, end) epoch seconds, `end` the current minute.
fn week() -> (i64, i64) {
    let end = chrono::Utc::now().timestamp() / MINUTE_S * MINUTE_S;
    (end - WEEK_MINUTES * MINUTE_S, end)
}

/// The seeded value of `series` at `minute` (one decimal, as the put bodies write it).
fn seed_value(series: usize, minute: i64) -> f64 {
    ((series as i64 * 31 + minute * 7) % 1000) as f64 / 10.0
}

/// Writes the week: worker `w` owns series `w, w + workers, ...` and sends them minute by minute, `batch` datums a
/// request, so that every series arrives in time order. Returns (datapoints, requests).
async fn seed(
    args: &Args,
    host: &str,
    credentials: &Option<(String, String)>,
    start: i64,
) -> anyhow::Result<(u64, u64)> {
    let mut tasks = Vec::new();
    for w in 0..args.workers.min(args.series) {
        let caller = Caller::new(host, args.protocol, credentials.clone())?;
        let owned: Vec<usize> = (w..args.series).step_by(args.workers).collect();
        let (protocol, namespace, batch) = (args.protocol, args.namespace.clone(), args.batch);
        tasks.push(tokio::spawn(async move {
            // Point j is series owned[j % n] at minute j / n: minute by minute, each series in time order.
            let total = WEEK_MINUTES as usize * owned.len();
            let (mut datapoints, mut requests) = (0u64, 0u64);
            for first in (0..total).step_by(batch) {
                let data: Vec<Datum<'static>> = (first..(first + batch).min(total))
                    .map(|j| {
                        let (series, minute) = (owned[j % owned.len()], (j / owned.len()) as i64);
                        Datum {
                            worker: WORKER,
                            series,
                            value: seed_value(series, minute),
                            timestamp_s: Some(start + minute * MINUTE_S),
                        }
                    })
                    .collect();
                let body = put_metric_data_body(protocol, &namespace, &data);
                caller.send("PutMetricData", body).await.map_err(|e| anyhow::anyhow!("seeding: {e}"))?;
                datapoints += data.len() as u64;
                requests += 1;
            }
            anyhow::Ok((datapoints, requests))
        }));
    }
    let (mut datapoints, mut requests) = (0, 0);
    for task in tasks {
        let (d, r) = task.await.context("a seeding worker panicked")??;
        datapoints += d;
        requests += r;
    }
    Ok((datapoints, requests))
}

/// The first page's request: one MetricStat query a series, the week, Period 60, Average. A follow-up page is
/// the same with `NextToken`.
fn first_page_body(namespace: &str, series: usize, (start, end): (i64, i64)) -> String {
    let mut out = String::with_capacity(series * 200);
    out.push_str("{\"MetricDataQueries\":[");
    for s in 0..series {
        if s > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"Id\":\"m{s}\",\"MetricStat\":{{\"Metric\":{{\"Namespace\":{},\"MetricName\":\"Latency\",\
             \"Dimensions\":[{{\"Name\":\"Worker\",\"Value\":\"{WORKER}\"}},{{\"Name\":\"Series\",\"Value\":\"{s}\"}}]}},\
             \"Period\":60,\"Stat\":\"Average\"}},\"ReturnData\":true}}",
            json_string(namespace)
        );
    }
    let _ = write!(out, "],\"StartTime\":{start},\"EndTime\":{end}}}");
    out
}

fn next_page_body(first: &str, token: &str) -> Bytes {
    let mut out = String::with_capacity(first.len() + token.len() + 20);
    out.push_str(first.strip_suffix('}').unwrap_or(first));
    let _ = write!(out, ",\"NextToken\":{}}}", json_string(token));
    Bytes::from(out)
}

/// What the load needs of a GetMetricData answer: how many values it holds and its NextToken. Timestamps and
/// values are skipped, not kept, so the client stays cheap beside the server.
#[derive(Deserialize)]
struct Page {
    #[serde(rename = "MetricDataResults", default)]
    results: Vec<PageResult>,
    #[serde(rename = "NextToken")]
    next_token: Option<String>,
}

#[derive(Deserialize)]
struct PageResult {
    #[serde(rename = "Values", default)]
    values: Count,
}

/// The length of a JSON array, its elements skipped.
#[derive(Default)]
struct Count(u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Count, A::Error> {
                let mut n = 0;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(Count(n))
            }
        }
        deserializer.deserialize_seq(Counter)
    }
}

#[derive(Default)]
struct WorkerResult {
    walks: u64,
    /// Walks that did not return every seeded datapoint.
    incomplete: u64,
    /// Datapoints of the last complete walk.
    walk_datapoints: u64,
    pages: u64,
    errors: u64,
    first_ms: Vec<f64>,
    next_ms: Vec<f64>,
    first_error: Option<String>,
}

struct Measure {
    first: String,
    deadline: Instant,
    walks_cap: Option<u64>,
    /// Datapoints a walk must return (set when this run seeded the week).
    expected: Option<u64>,
    /// Most pages one walk may take: a NextToken loop is an error, not a hang.
    max_pages: u64,
}

async fn walker(caller: Caller, measure: std::sync::Arc<Measure>) -> WorkerResult {
    let mut result = WorkerResult::default();
    let first = Bytes::from(measure.first.clone());
    while Instant::now() < measure.deadline && measure.walks_cap.is_none_or(|cap| result.walks < cap) {
        let mut token: Option<String> = None;
        let mut datapoints = 0u64;
        let mut failed = false;
        for page in 0..measure.max_pages {
            let body = match &token {
                None => first.clone(),
                Some(token) => next_page_body(&measure.first, token),
            };
            let sent = Instant::now();
            let answer = caller.send("GetMetricData", body).await;
            let ms = sent.elapsed().as_secs_f64() * 1000.0;
            if page == 0 { &mut result.first_ms } else { &mut result.next_ms }.push(ms);
            result.pages += 1;
            let parsed = answer.and_then(|a| serde_json::from_slice::<Page>(&a).map_err(|e| format!("answer: {e}")));
            match parsed {
                Ok(parsed) => {
                    datapoints += parsed.results.iter().map(|r| r.values.0).sum::<u64>();
                    token = parsed.next_token;
                    if token.is_none() {
                        break;
                    }
                }
                Err(message) => {
                    result.errors += 1;
                    result.first_error.get_or_insert(message);
                    failed = true;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    break;
                }
            }
        }
        if !failed && token.is_some() {
            result.errors += 1;
            result.first_error.get_or_insert(format!("still a NextToken after {} pages", measure.max_pages));
        }
        result.walks += 1;
        if !failed {
            result.walk_datapoints = datapoints;
            if measure.expected.is_some_and(|expected| expected != datapoints) {
                result.incomplete += 1;
                result.first_error.get_or_insert(format!(
                    "a walk returned {datapoints} datapoints, {} were seeded",
                    measure.expected.unwrap_or(0)
                ));
            }
        }
    }
    result
}

/// p50, p90, p99 and max of `samples` (sorted here), in ms.
fn percentiles(samples: &mut [f64]) -> String {
    samples.sort_unstable_by(f64::total_cmp);
    let pct = |p: f64| samples.get(((samples.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    format!("n={} p50={:.2} p90={:.2} p99={:.2} max={:.2}", samples.len(), pct(0.5), pct(0.9), pct(0.99), pct(1.0))
}

pub async fn run(args: &Args, host: &str, credentials: Option<(String, String)>) -> anyhow::Result<()> {
    if args.series > MAX_QUERIES {
        bail!("--series must be at most {MAX_QUERIES} (GetMetricData's queries a request)");
    }
    let window = week();
    let signed = credentials.is_some();
    let mut expected = None;
    if args.seed_week {
        let seeding = Instant::now();
        let (datapoints, requests) = seed(args, host, &credentials, window.0).await?;
        let seconds = seeding.elapsed().as_secs_f64();
        println!(
            "seed protocol={} datapoints={datapoints} requests={requests} seconds={seconds:.1} datapoints_per_s={:.0}",
            format!("{:?}", args.protocol).to_lowercase(),
            datapoints as f64 / seconds.max(f64::EPSILON)
        );
        expected = Some(datapoints);
        tokio::time::sleep(Duration::from_secs(args.settle_secs)).await;
    }
    let measure = std::sync::Arc::new(Measure {
        first: first_page_body(&args.namespace, args.series, window),
        deadline: Instant::now() + Duration::from_secs(args.seconds),
        walks_cap: args.requests,
        expected,
        // 100,800 datapoints a page at the least; a few more pages than the week can fill.
        max_pages: (args.series as u64 * WEEK_MINUTES as u64).div_ceil(100_800) + 10,
    });
    let pid_text = args.pid.map(|p| p.to_string());
    let rss_before = args.pid.and_then(rss_kib);
    let server_cpu_before = pid_text.as_deref().and_then(cpu_seconds);
    let client_cpu_before = cpu_seconds("self");
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.workers);
    for _ in 0..args.workers {
        let caller = Caller::new(host, Protocol::Json, credentials.clone())?;
        tasks.push(tokio::spawn(walker(caller, measure.clone())));
    }
    let mut total = WorkerResult::default();
    for task in tasks {
        let r = task.await.context("a worker panicked")?;
        total.walks += r.walks;
        total.incomplete += r.incomplete;
        total.pages += r.pages;
        total.errors += r.errors;
        total.walk_datapoints = total.walk_datapoints.max(r.walk_datapoints);
        total.first_ms.extend(r.first_ms);
        total.next_ms.extend(r.next_ms);
        if total.first_error.is_none() {
            total.first_error = r.first_error;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let server_cpu_s = match (server_cpu_before, pid_text.as_deref().and_then(cpu_seconds)) {
        (Some(before), Some(after)) => after - before,
        _ => 0.0,
    };
    let client_cpu_s = match (client_cpu_before, cpu_seconds("self")) {
        (Some(before), Some(after)) => after - before,
        _ => 0.0,
    };
    let per_s = |n: u64| n as f64 / elapsed.max(f64::EPSILON);
    println!(
        "mode=GetMetricData protocol=json signed={signed} workers={} series={} period=60 stat=Average \
         start={} end={} seconds={elapsed:.1}",
        args.workers, args.series, window.0, window.1
    );
    println!(
        "walks={} pages={} pages_per_walk={:.1} datapoints_per_walk={} expected={} incomplete={} errors={}",
        total.walks,
        total.pages,
        total.pages as f64 / total.walks.max(1) as f64,
        total.walk_datapoints,
        expected.map_or("unknown".to_owned(), |e| e.to_string()),
        total.incomplete,
        total.errors
    );
    println!("calls_per_s={:.2} walks_per_s={:.2}", per_s(total.pages), per_s(total.walks));
    // The first walks' first pages in the order they ran (before sorting), so a slow start shows as such.
    let opening: Vec<String> = total.first_ms.iter().take(5).map(|ms| format!("{ms:.1}")).collect();
    println!("first_page_ms_in_order {}", opening.join(" "));
    let (first_count, next_count) = (total.first_ms.len(), total.next_ms.len());
    let first = percentiles(&mut total.first_ms);
    let next = percentiles(&mut total.next_ms);
    println!("first_page_ms {first}");
    println!("next_page_ms {next}");
    println!(
        "client_cpu_s={client_cpu_s:.2} client_cpu_ms_per_call={:.2}",
        client_cpu_s * 1000.0 / total.pages.max(1) as f64
    );
    if args.pid.is_some() {
        println!(
            "server_cpu_s={server_cpu_s:.2} server_cores_busy={:.2} server_cpu_ms_per_call={:.2}",
            server_cpu_s / elapsed.max(f64::EPSILON),
            server_cpu_s * 1000.0 / total.pages.max(1) as f64
        );
        println!("server_rss_kib before={} after={}", rss_before.unwrap_or(0), args.pid.and_then(rss_kib).unwrap_or(0));
    }
    if let Some(message) = &total.first_error {
        println!("first_error: {}", message.replace('\n', " "));
    }
    let p = |samples: &[f64], q: f64| {
        samples.get(((samples.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0)
    };
    println!(
        "summary mode=GetMetricData protocol=json signed={signed} workers={} series={} seconds={elapsed:.2} \
         walks={} pages={} errors={} incomplete={} calls_per_s={:.2} first_pages={first_count} \
         first_p50_ms={:.2} first_p99_ms={:.2} next_pages={next_count} next_p50_ms={:.2} next_p99_ms={:.2} \
         server_cpu_s={server_cpu_s:.2} client_cpu_s={client_cpu_s:.2}",
        args.workers,
        args.series,
        total.walks,
        total.pages,
        total.errors,
        total.incomplete,
        per_s(total.pages),
        p(&total.first_ms, 0.5),
        p(&total.first_ms, 0.99),
        p(&total.next_ms, 0.5),
        p(&total.next_ms, 0.99),
    );
    if total.errors > 0 || total.incomplete > 0 {
        bail!("{} errors and {} incomplete walks in {} walks", total.errors, total.incomplete, total.walks);
    }
    Ok(())
}
