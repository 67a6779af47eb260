//! The front door in process (no sockets): SigV4 verification alone, a whole signed 1,000-datapoint
//! PutMetricData request through routing, auth, decoding, validation and the batched durable commit, and a signed
//! GetMetricData of 100 series over a week at one minute (its first page of 100,800 datapoints, encoded as JSON).

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, parse_authorization, sign, verify};
use skywatch_awsapi::{ApiRequest, handle};
use skywatch_core::auth::{AccessKey, AccessKeys};
use skywatch_core::model::Role;
use skywatch_core::{AuthMode, Services};

const TARGET: &str = "GraniteServiceVersion20100801.PutMetricData";
const GET_DATA_TARGET: &str = "GraniteServiceVersion20100801.GetMetricData";
const MINUTE: i64 = 60_000;

fn body(points: usize) -> Vec<u8> {
    let data: Vec<serde_json::Value> = (0..points)
        .map(|i| {
            serde_json::json!({
                "MetricName": "Latency",
                "Dimensions": [{"Name": "Series", "Value": (i % 100).to_string()}],
                "Value": i as f64 / 10.0,
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({"Namespace": "Bench", "MetricData": data})).unwrap()
}

fn signed(body: &[u8], target: &str) -> http::HeaderMap {
    let now = chrono::Utc::now();
    let headers = [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", target)];
    let authorization = sign(
        &SignableRequest { method: "POST", host: "127.0.0.1:4566", path: "/", query: "", headers: &headers, body },
        &SigningCredentials {
            access_key_id: "AKIDEXAMPLE",
            secret: "secret",
            region: "us-east-1",
            service: "monitoring",
        },
        now,
    );
    let mut map = http::HeaderMap::new();
    map.insert("host", "127.0.0.1:4566".parse().unwrap());
    map.insert("content-type", "application/x-amz-json-1.0".parse().unwrap());
    map.insert("x-amz-target", target.parse().unwrap());
    map.insert("x-amz-date", format_amz_date(now).parse().unwrap());
    map.insert("authorization", authorization.parse().unwrap());
    map
}

fn benches(c: &mut Criterion) {
    let payload = body(1000);
    let headers = signed(&payload, TARGET);
    let auth = parse_authorization(headers["authorization"].to_str().unwrap()).unwrap();
    let mut group = c.benchmark_group("front_door");
    group.throughput(Throughput::Bytes(payload.len() as u64));
    group.bench_function("sigv4_verify_1000_point_body", |b| {
        b.iter(|| verify("POST", "/", "", &headers, &payload, &auth, "secret", chrono::Utc::now()).unwrap())
    });

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = AccessKey {
        id: "AKIDEXAMPLE".into(),
        secret: "secret".into(),
        account: "000000000000".into(),
        role: Role::Admin,
    };
    let services = Services::open(dir.path(), AccessKeys::new([key]), AuthMode::SigV4).unwrap();
    let body = Bytes::from(payload);
    group.throughput(Throughput::Elements(1000));
    group.sample_size(20);
    group.bench_function("put_metric_data_1000_points", |b| {
        b.iter(|| {
            let request = ApiRequest {
                method: "POST".into(),
                path: "/".into(),
                query: String::new(),
                headers: headers.clone(),
                body: body.clone(),
                source_ip: "127.0.0.1".into(),
            };
            let response = runtime.block_on(handle(&services, request));
            assert_eq!(response.status, 200);
        })
    });
    group.finish();
    get_metric_data(c, &runtime, &services);
}

/// A week of one point a minute for 100 series (`Series` 0..99 of `Bench/Latency`), written through the engine.
fn seed_week(runtime: &tokio::runtime::Runtime, services: &Services, now: i64) {
    use skywatch_core::metrics::tsdb::{Sample, SeriesKey, WritePoint};
    let week = 7 * 24 * 60;
    let start = now - week * MINUTE;
    let key = |i: usize| {
        SeriesKey::new("000000000000", "us-east-1", "Bench", "Latency", vec![("Series".into(), i.to_string())])
    };
    runtime.block_on(async {
        for from in (0..week).step_by(10) {
            let points: Vec<WritePoint> = (from..(from + 10).min(week))
                .flat_map(|m| {
                    (0..100).map(move |i| WritePoint {
                        series: key(i),
                        unit: Some("Milliseconds".into()),
                        timestamp_ms: start + m * MINUTE,
                        sample: Sample::Value(((m * 31 + i as i64 * 7) % 1000) as f64 / 10.0),
                    })
                })
                .collect();
            let mut prepared = services.tsdb.prepare(&points);
            services.tsdb.store().apply(std::mem::take(&mut prepared.mutations)).await.unwrap();
            services.tsdb.apply(prepared, now);
        }
        services.tsdb.checkpoint(now).await.unwrap();
    });
}

fn get_metric_data(c: &mut Criterion, runtime: &tokio::runtime::Runtime, services: &Services) {
    let now = chrono::Utc::now().timestamp_millis() / MINUTE * MINUTE;
    seed_week(runtime, services, now);
    let queries: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            serde_json::json!({"Id": format!("m{i}"), "MetricStat": {"Metric": {"Namespace": "Bench",
                "MetricName": "Latency", "Dimensions": [{"Name": "Series", "Value": i.to_string()}]},
                "Period": 60, "Stat": "Average"}})
        })
        .collect();
    let week_ago = (now - 7 * 24 * 60 * MINUTE) as f64 / 1000.0;
    let payload = serde_json::to_vec(&serde_json::json!({
        "MetricDataQueries": queries, "StartTime": week_ago, "EndTime": now as f64 / 1000.0
    }))
    .unwrap();
    let call = |body: &Bytes| {
        let request = ApiRequest {
            method: "POST".into(),
            path: "/".into(),
            query: String::new(),
            // Signed afresh: a signature is good for minutes, and the bench may run longer.
            headers: signed(body, GET_DATA_TARGET),
            body: body.clone(),
            source_ip: "127.0.0.1".into(),
        };
        let response = runtime.block_on(handle(services, request));
        assert_eq!(response.status, 200, "{}", String::from_utf8_lossy(&response.body[..200.min(response.body.len())]));
        response
    };
    // The fifth page (of ten): its NextToken from walking the first four.
    let mut fifth: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    for _ in 0..4 {
        let page: serde_json::Value =
            serde_json::from_slice(&call(&Bytes::from(serde_json::to_vec(&fifth).unwrap())).body).unwrap();
        fifth["NextToken"] = page["NextToken"].clone();
    }
    let fifth = Bytes::from(serde_json::to_vec(&fifth).unwrap());
    let body = Bytes::from(payload);
    let mut group = c.benchmark_group("front_door");
    group.sample_size(20);
    group.bench_function("get_metric_data_100_series_week_fifth_page", |b| b.iter(|| call(&fifth)));
    group.bench_function("get_metric_data_100_series_week_first_page", |b| {
        b.iter(|| {
            // Signed afresh: a signature is good for minutes, and the bench may run longer.
            let request = ApiRequest {
                method: "POST".into(),
                path: "/".into(),
                query: String::new(),
                headers: signed(&body, GET_DATA_TARGET),
                body: body.clone(),
                source_ip: "127.0.0.1".into(),
            };
            let response = runtime.block_on(handle(services, request));
            assert_eq!(
                response.status,
                200,
                "{}",
                String::from_utf8_lossy(&response.body[..200.min(response.body.len())])
            );
        })
    });
    group.finish();
}

criterion_group!(front_door, benches);
criterion_main!(front_door);
