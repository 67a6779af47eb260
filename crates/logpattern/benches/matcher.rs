//! Matching throughput over about 10 MB of realistic events, as FilterLogEvents and Live Tail scan them: Apache
//! access-log lines and JSON application events, one `matches` call per event (and, for JSON, one `evaluate` call,
//! which parses the whole event). Reported as bytes per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skywatch_logpattern::parse;

const TARGET_BYTES: usize = 10 * 1024 * 1024;

/// A deterministic pseudo-random sequence (xorshift), so every run scans the same events.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

const PATHS: [&str; 6] = ["/index.html", "/api/orders", "/api/orders/42", "/static/app.js", "/login", "/health"];
const METHODS: [&str; 4] = ["GET", "GET", "POST", "PUT"];
const USERS: [&str; 4] = ["-", "frank", "alice", "svc-batch"];
const STATUSES: [u64; 8] = [200, 200, 200, 200, 304, 404, 500, 503];

fn access_log() -> Vec<String> {
    let mut random = Sequence(0x5EED);
    let mut lines = Vec::new();
    let mut bytes = 0;
    while bytes < TARGET_BYTES {
        let line = format!(
            "10.0.{}.{} - {} [10/Oct/2026:13:{:02}:{:02} -0700] \"{} {} HTTP/1.1\" {} {} \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
            random.next(256),
            random.next(256),
            USERS[random.next(4) as usize],
            random.next(60),
            random.next(60),
            METHODS[random.next(4) as usize],
            PATHS[random.next(6) as usize],
            STATUSES[random.next(8) as usize],
            random.next(20_000),
        );
        bytes += line.len();
        lines.push(line);
    }
    lines
}

fn json_events() -> Vec<String> {
    let mut random = Sequence(0xC0FFEE);
    let levels = ["INFO", "INFO", "INFO", "WARN", "ERROR"];
    let mut lines = Vec::new();
    let mut bytes = 0;
    while bytes < TARGET_BYTES {
        let line = format!(
            r#"{{"timestamp":"2026-10-10T13:{:02}:{:02}.{:03}Z","level":"{}","service":"orders","requestId":"{:016x}","http":{{"method":"{}","path":"{}","status":{}}},"latency":{}.{:03},"user":{{"id":{},"roles":["reader","writer"]}},"message":"request handled"}}"#,
            random.next(60),
            random.next(60),
            random.next(1000),
            levels[random.next(5) as usize],
            random.next(u64::MAX),
            METHODS[random.next(4) as usize],
            PATHS[random.next(6) as usize],
            STATUSES[random.next(8) as usize],
            random.next(3),
            random.next(1000),
            random.next(100_000),
        );
        bytes += line.len();
        lines.push(line);
    }
    lines
}

fn scan(c: &mut Criterion, name: &str, pattern: &str, events: &[String]) {
    let pattern = match parse(pattern) {
        Ok(pattern) => pattern,
        Err(error) => panic!("{pattern}: {error}"),
    };
    let bytes: usize = events.iter().map(String::len).sum();
    let mut group = c.benchmark_group("matches");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function(name, |b| b.iter(|| events.iter().filter(|event| pattern.matches(black_box(event))).count()));
    group.finish();
}

/// The same scan through `evaluate`, which parses each JSON event whole (what TestMetricFilter and metric filters
/// need), for comparison with `matches`, which parses only what the pattern reads.
fn scan_evaluate(c: &mut Criterion, name: &str, pattern: &str, events: &[String]) {
    let pattern = match parse(pattern) {
        Ok(pattern) => pattern,
        Err(error) => panic!("{pattern}: {error}"),
    };
    let bytes: usize = events.iter().map(String::len).sum();
    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function(name, |b| {
        b.iter(|| events.iter().filter_map(|event| pattern.evaluate(black_box(event))).count())
    });
    group.finish();
}

fn matcher(c: &mut Criterion) {
    let access = access_log();
    let json = json_events();
    scan(c, "term, access log", "ERROR", &access);
    scan(c, "two terms and an exclusion, access log", "POST orders -frank", &access);
    scan(c, "optional terms, JSON", "?ERROR ?WARN", &json);
    scan(c, "regex, access log", r"%\x22 5\d\d \d+ %", &access);
    scan(c, "JSON, status or latency", "{ $.http.status >= 500 || $.latency > 1.5 }", &json);
    scan_evaluate(c, "JSON, status or latency", "{ $.http.status >= 500 || $.latency > 1.5 }", &json);
    scan(
        c,
        "space-delimited, 5xx over 1000 bytes",
        "[ip, identity, user, timestamp, request, status = 5*, bytes > 1000, ...]",
        &access,
    );
}

criterion_group!(benches, matcher);
criterion_main!(benches);
