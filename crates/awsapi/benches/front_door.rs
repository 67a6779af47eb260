//! The front door in process (no sockets): SigV4 verification alone, a whole signed 1,000-datapoint
//! PutMetricData request (JSON 1.0, awsQuery and RPCv2 CBOR) through routing, auth, decoding, validation and the
//! batched durable commit, its body decoded alone (the generic path against the fast path), and a signed
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
const CBOR_PATH: &str = "/service/GraniteServiceVersion20100801/operation/PutMetricData";

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

/// The 1,000 datums of [`body`] as an awsQuery form, as botocore writes it.
fn query_body(points: usize) -> Vec<u8> {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("Action", "PutMetricData").append_pair("Version", "2010-08-01").append_pair("Namespace", "Bench");
    for i in 0..points {
        let p = format!("MetricData.member.{}.", i + 1);
        form.append_pair(&format!("{p}MetricName"), "Latency");
        form.append_pair(&format!("{p}Dimensions.member.1.Name"), "Series");
        form.append_pair(&format!("{p}Dimensions.member.1.Value"), &(i % 100).to_string());
        form.append_pair(&format!("{p}Value"), &(i as f64 / 10.0).to_string());
    }
    form.finish().into_bytes()
}

/// The 1,000 datums of [`body`] in RPCv2 CBOR.
fn cbor_body(points: usize) -> Vec<u8> {
    use ciborium::Value as C;
    let text = |s: &str| C::Text(s.into());
    let data = (0..points)
        .map(|i| {
            let dimension = C::Map(vec![(text("Name"), text("Series")), (text("Value"), text(&(i % 100).to_string()))]);
            C::Map(vec![
                (text("MetricName"), text("Latency")),
                (text("Dimensions"), C::Array(vec![dimension])),
                (text("Value"), C::Float(i as f64 / 10.0)),
            ])
        })
        .collect();
    let mut out = Vec::new();
    let request = C::Map(vec![(text("Namespace"), text("Bench")), (text("MetricData"), C::Array(data))]);
    ciborium::ser::into_writer(&request, &mut out).unwrap();
    out
}

fn signed(body: &[u8], target: &str) -> http::HeaderMap {
    signed_as(body, "/", &[("content-type", "application/x-amz-json-1.0"), ("x-amz-target", target)])
}

/// `headers` and a signature over them and `body`, POSTed to `path`.
fn signed_as(body: &[u8], path: &str, headers: &[(&str, &str)]) -> http::HeaderMap {
    let now = chrono::Utc::now();
    let authorization = sign(
        &SignableRequest { method: "POST", host: "127.0.0.1:4566", path, query: "", headers, body },
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
    for (name, value) in headers {
        map.insert(http::HeaderName::from_bytes(name.as_bytes()).unwrap(), value.parse().unwrap());
    }
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
    for (name, path, headers, body) in [
        (
            "put_metric_data_1000_points_query",
            "/",
            vec![("content-type", "application/x-www-form-urlencoded; charset=utf-8")],
            query_body(1000),
        ),
        (
            "put_metric_data_1000_points_cbor",
            CBOR_PATH,
            vec![("content-type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")],
            cbor_body(1000),
        ),
    ] {
        let headers = signed_as(&body, path, &headers);
        let body = Bytes::from(body);
        group.bench_function(name, |b| {
            b.iter(|| {
                let request = ApiRequest {
                    method: "POST".into(),
                    path: path.into(),
                    query: String::new(),
                    headers: headers.clone(),
                    body: body.clone(),
                    source_ip: "127.0.0.1".into(),
                };
                let response = runtime.block_on(handle(&services, request));
                assert_eq!(response.status, 200, "{}", String::from_utf8_lossy(&response.body));
            })
        });
    }
    group.finish();
    decode_alone(c);
    get_metric_data(c, &runtime, &services);
}

/// A 1,000-datum PutMetricData body decoded to its typed input alone: the generic path (`decode_params` and
/// `Wire::decode`) against the fast path (`FastWire::decode_fast`).
fn decode_alone(c: &mut Criterion) {
    use skywatch_awsapi::registry::{FastWire, Wire};
    use skywatch_awsapi::wire::{Protocol, decode_params};
    use skywatch_core::metrics::PutMetricData;
    use skywatch_core::model::Caller;
    use skywatch_core::ops::Context;
    let ctx = Context::new(Caller::Anonymous { account: "000000000000".into() }, "us-east-1", "bench", 0);
    let mut group = c.benchmark_group("put_decode");
    group.throughput(Throughput::Elements(1000));
    for (name, protocol, body) in [
        ("json", Protocol::AwsJson1_0, body(1000)),
        ("query", Protocol::AwsQuery, query_body(1000)),
        ("cbor", Protocol::RpcV2Cbor, cbor_body(1000)),
    ] {
        group.bench_function(format!("generic_{name}_1000_points"), |b| {
            b.iter(|| <PutMetricData as Wire>::decode(&ctx, &decode_params(protocol, &body).unwrap()).unwrap())
        });
        group.bench_function(format!("fast_{name}_1000_points"), |b| {
            b.iter_batched(
                || Some(body.clone()),
                |mut slot| PutMetricData::decode_fast(&ctx, protocol, &mut slot).expect("taken"),
                criterion::BatchSize::SmallInput,
            )
        });
    }
    group.finish();
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
