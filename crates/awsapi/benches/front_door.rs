//! The front door in process (no sockets): SigV4 verification alone, and a whole signed 1,000-datapoint
//! PutMetricData request through routing, auth, decoding, validation and the batched durable commit.

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use skywatch_awsapi::wire::{SignableRequest, SigningCredentials, format_amz_date, parse_authorization, sign, verify};
use skywatch_awsapi::{ApiRequest, handle};
use skywatch_core::auth::{AccessKey, AccessKeys};
use skywatch_core::model::Role;
use skywatch_core::{AuthMode, Services};

const TARGET: &str = "GraniteServiceVersion20100801.PutMetricData";

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

fn signed(body: &[u8]) -> http::HeaderMap {
    let now = chrono::Utc::now();
    let headers = [("content-type", "application/x-amz-json-1.0"), ("x-amz-target", TARGET)];
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
    map.insert("x-amz-target", TARGET.parse().unwrap());
    map.insert("x-amz-date", format_amz_date(now).parse().unwrap());
    map.insert("authorization", authorization.parse().unwrap());
    map
}

fn benches(c: &mut Criterion) {
    let payload = body(1000);
    let headers = signed(&payload);
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
}

criterion_group!(front_door, benches);
criterion_main!(front_door);
