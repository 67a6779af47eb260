//! The shop's traces: sampled requests through gateway -> orders -> inventory -> DynamoDB and, at checkout,
//! orders -> payments -> database, as the services would report them. The gateway and orders use the X-Ray SDK
//! (documents through the daemon's UDP port when it is open, else PutTraceSegments); inventory and payments use
//! OpenTelemetry (OTLP/HTTP, signed). Like the metrics, every trace is a pure function of the seed and the clock,
//! and the shared incidents show: payments and the database slow down in a latency spike, a payment provider
//! fails (faults up the chain, with the exception's stack) in an error burst.

use serde_json::{Value, json};
use skywatch_core::traces::otlp::proto::common::v1::any_value::Value as Any;
use skywatch_core::traces::otlp::proto::common::v1::{AnyValue, ArrayValue, KeyValue};
use skywatch_core::traces::otlp::proto::resource::v1::Resource;
use skywatch_core::traces::otlp::proto::trace::v1::span::{Event, SpanKind};
use skywatch_core::traces::otlp::proto::trace::v1::status::StatusCode;
use skywatch_core::traces::otlp::proto::trace::v1::{ResourceSpans, ScopeSpans, Span, Status};

use super::schedule::{Incident, failing_provider, incident_at};
use super::signal::{day_curve, jitter, key, mix, uniform};

/// Traces a second: X-Ray's default sampling (one a second, then 5 %) of the gateway's traffic.
fn sampled_per_second(t: i64) -> f64 {
    1.0 + 0.05 * 120.0 * day_curve(t)
}

/// Payment providers and their share of payments (as in the shop's metrics).
const PROVIDERS: [(&str, f64); 3] = [("stripe", 0.55), ("adyen", 0.3), ("paypal", 0.15)];
const TIERS: [&str; 3] = ["standard", "gold", "platinum"];
const SKUS: [&str; 6] = ["sku-1001", "sku-1002", "sku-2040", "sku-3300", "sku-4100", "sku-7777"];

/// The traces of the seconds `[from, until)`.
#[derive(Debug, Default)]
pub struct Batch {
    /// The X-Ray SDK's documents (gateway and orders segments with their subsegments).
    pub documents: Vec<String>,
    /// The OpenTelemetry services' spans, one entry per resource.
    pub inventory: Vec<Span>,
    pub payments: Vec<Span>,
}

impl Batch {
    pub fn traces(&self) -> usize {
        self.documents.len() / 2
    }

    /// The OTLP export of the OpenTelemetry services' spans.
    pub fn export(
        self,
    ) -> (Vec<String>, skywatch_core::traces::otlp::proto::collector::trace::v1::ExportTraceServiceRequest) {
        let resource = |name: &str, spans: Vec<Span>| ResourceSpans {
            resource: Some(Resource {
                attributes: vec![
                    kv("service.name", text(name)),
                    kv("service.version", text("2.3.1")),
                    kv("cloud.provider", text("aws")),
                    kv("cloud.platform", text("aws_ecs")),
                    kv("aws.ecs.launchtype", text("fargate")),
                    kv("telemetry.sdk.name", text("opentelemetry")),
                    kv("telemetry.sdk.language", text("python")),
                    kv("telemetry.sdk.version", text("1.45.2")),
                ],
                ..Default::default()
            }),
            scope_spans: vec![ScopeSpans { spans, ..Default::default() }],
            ..Default::default()
        };
        let request = skywatch_core::traces::otlp::proto::collector::trace::v1::ExportTraceServiceRequest {
            resource_spans: vec![resource("inventory", self.inventory), resource("payments", self.payments)],
        };
        (self.documents, request)
    }
}

/// Every sampled trace of `[from, until)`.
pub fn batch(seed: u64, from: i64, until: i64) -> Batch {
    let mut out = Batch::default();
    for t in from..until {
        let rate = sampled_per_second(t);
        let count = rate.floor() as u64 + u64::from(uniform(seed, key("trace-count"), t) < rate.fract());
        for i in 0..count {
            request(seed, t, i, &mut out);
        }
    }
    out
}

/// One request's timings and outcomes, drawn from the seed.
struct Draw {
    seed: u64,
    t: i64,
    salt: u64,
}

impl Draw {
    fn u(&self, what: &str) -> f64 {
        uniform(self.seed, key(what) ^ self.salt, self.t)
    }

    fn ms(&self, what: &str, typical: f64, spread: f64) -> f64 {
        jitter(typical, spread, self.seed, key(what) ^ self.salt, self.t).max(0.2)
    }

    fn id(&self, what: &str) -> u64 {
        mix(self.seed ^ self.salt ^ key(what) ^ mix(self.t as u64)) | 1
    }
}

fn request(seed: u64, t: i64, i: u64, out: &mut Batch) {
    let d = Draw { seed, t, salt: mix(i.wrapping_add(0x51ce)) };
    let incident = incident_at(t);
    let slow = if incident == Some(Incident::LatencySpike) { 4.0 } else { 1.0 };
    let checkout = d.u("checkout") < 0.35;
    let sku = SKUS[(d.u("sku") * SKUS.len() as f64) as usize % SKUS.len()];
    let tier = TIERS[(d.u("tier") * 10.0) as usize % 10 / 4];
    let items = 1 + (d.u("items") * 6.0) as i64;
    let channel = if d.u("channel") < 0.62 { "web" } else { "mobile" };
    let provider_index = pick(d.u("provider"));
    let provider = PROVIDERS[provider_index].0;
    let provider_down = checkout && failing_provider(seed, t, PROVIDERS.len()) == Some(provider_index);
    let db_timeout = checkout && incident == Some(Incident::LatencySpike) && d.u("db-timeout") < 0.08;
    let not_found = d.u("not-found") < 0.015;
    let throttled = d.u("throttle") < 0.01;

    // Times in milliseconds from the request's start.
    let start = t as f64 + d.u("start");
    let dynamo = d.ms("dynamo", 6.0, 0.5) + if throttled { 40.0 } else { 0.0 };
    let inventory = dynamo + d.ms("inventory", 12.0, 0.4);
    let database = d.ms("database", 4.0, 0.6) * slow * if slow > 1.0 { 3.0 } else { 1.0 };
    let database = if db_timeout { 3_000.0 } else { database };
    let payments = if checkout { database + d.ms("payments", 110.0, 0.35) * slow } else { 0.0 };
    let orders = 5.0 + inventory + 3.0 + if checkout { payments + 3.0 } else { 0.0 } + d.ms("orders", 8.0, 0.5);
    let gateway = orders + 4.0 + d.ms("gateway", 4.0, 0.5);
    let at = |ms: f64| start + ms / 1000.0;

    let payments_status = if provider_down {
        502
    } else if db_timeout {
        504
    } else {
        200
    };
    let inventory_status = if not_found { 404 } else { 200 };
    let orders_status = if payments_status != 200 {
        payments_status
    } else if not_found {
        404
    } else {
        200
    };

    let hi = mix(seed ^ d.salt ^ mix(t as u64 ^ 0x7472_6163));
    let lo = mix(hi ^ 0x65);
    let trace_bytes: Vec<u8> =
        (t as u32).to_be_bytes().into_iter().chain(((hi >> 32) as u32).to_be_bytes()).chain(lo.to_be_bytes()).collect();
    let trace_id = format!("1-{:08x}-{:08x}{lo:016x}", t as u32, (hi >> 32) as u32);
    let [gw, gw_orders, ord, ord_inventory, ord_payments, inv, inv_dynamo, pay, pay_db] =
        ["gw", "gw-orders", "ord", "ord-inv", "ord-pay", "inv", "inv-dynamo", "pay", "pay-db"].map(|what| d.id(what));
    let hexid = |id: u64| format!("{id:016x}");
    let flags = |status: u16| match status {
        500..=599 => json!({"fault": true}),
        429 => json!({"error": true, "throttle": true}),
        400..=499 => json!({"error": true}),
        _ => json!({}),
    };
    let merge = |mut base: Value, extra: Value| {
        if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
            base.extend(extra);
        }
        base
    };
    let (method, route) = if checkout { ("POST", "/checkout".to_owned()) } else { ("GET", format!("/products/{sku}")) };

    // The gateway (X-Ray SDK): its segment, with the call to orders as a remote subsegment.
    let orders_call = merge(
        json!({"name": "orders", "id": hexid(gw_orders), "start_time": at(2.0), "end_time": at(2.0 + orders + 1.0),
               "namespace": "remote",
               "http": {"request": {"method": method, "url": format!("http://orders.internal{}", if checkout { "/orders" } else { "/products" })},
                        "response": {"status": orders_status}}}),
        flags(orders_status),
    );
    let gateway_doc = merge(
        json!({"name": "gateway", "id": hexid(gw), "trace_id": trace_id, "start_time": start, "end_time": at(gateway),
               "origin": "AWS::EC2::Instance",
               "http": {"request": {"method": method, "url": format!("https://shop.example.com{route}"),
                                    "client_ip": format!("203.0.113.{}", 1 + (d.u("ip") * 250.0) as u8),
                                    "user_agent": if channel == "web" { "Mozilla/5.0" } else { "ShopApp/4.2 (iOS)" }},
                        "response": {"status": orders_status}},
               "aws": {"ec2": {"instance_id": format!("i-0{:016x}", d.id("instance") % 6), "availability_zone": "us-east-1a"},
                       "xray": {"sdk": "X-Ray for Python", "sdk_version": "2.15.0"}},
               "annotations": {"route": route.split('/').take(2).collect::<Vec<_>>().join("/"), "channel": channel},
               "subsegments": [orders_call]}),
        flags(orders_status),
    );

    // Orders (X-Ray SDK): calls inventory, and payments at checkout.
    let inventory_call = merge(
        json!({"name": "inventory", "id": hexid(ord_inventory), "start_time": at(5.0), "end_time": at(5.0 + inventory + 1.0),
               "namespace": "remote",
               "http": {"request": {"method": "GET", "url": format!("http://inventory.internal/stock/{sku}")},
                        "response": {"status": inventory_status}}}),
        flags(inventory_status),
    );
    let mut calls = vec![inventory_call];
    let pay_start = 5.0 + inventory + 3.0;
    if checkout {
        let mut call = merge(
            json!({"name": "payments", "id": hexid(ord_payments), "start_time": at(pay_start), "end_time": at(pay_start + payments + 1.0),
                   "namespace": "remote",
                   "http": {"request": {"method": "POST", "url": "http://payments.internal/charge"},
                            "response": {"status": payments_status}}}),
            flags(payments_status),
        );
        if payments_status != 200 {
            call["cause"] = json!({"exceptions": [{"id": hexid(d.id("exc-orders")), "type": "HTTPError",
                "message": format!("{payments_status} Server Error for url: http://payments.internal/charge"), "remote": true}]});
        }
        calls.push(call);
    }
    let orders_doc = merge(
        json!({"name": "orders", "id": hexid(ord), "trace_id": trace_id, "parent_id": hexid(gw_orders),
               "start_time": at(3.0), "end_time": at(3.0 + orders), "origin": "AWS::EC2::Instance",
               "http": {"request": {"method": method, "url": format!("http://orders.internal{}", if checkout { "/orders" } else { "/products" })},
                        "response": {"status": orders_status}},
               "annotations": {"customer_tier": tier, "cart_items": items, "checkout": checkout},
               "metadata": {"shop": {"cart": {"items": items, "currency": "USD", "sku": sku}}},
               "aws": {"xray": {"sdk": "X-Ray for Python", "sdk_version": "2.15.0"}},
               "subsegments": calls}),
        flags(orders_status),
    );
    out.documents.push(gateway_doc.to_string());
    out.documents.push(orders_doc.to_string());

    // Inventory (OpenTelemetry): its server span and the DynamoDB call.
    let nanos = |ms: f64| (at(ms) * 1e9) as u64;
    let span = |id: u64, parent: u64, kind: SpanKind, name: &str, from: f64, to: f64, attributes: Vec<KeyValue>| Span {
        trace_id: trace_bytes.clone(),
        span_id: id.to_be_bytes().to_vec(),
        parent_span_id: parent.to_be_bytes().to_vec(),
        name: name.to_owned(),
        kind: kind as i32,
        start_time_unix_nano: nanos(from),
        end_time_unix_nano: nanos(to),
        attributes,
        ..Default::default()
    };
    out.inventory.push(span(
        inv,
        ord_inventory,
        SpanKind::Server,
        "GET /stock/{sku}",
        6.0,
        6.0 + inventory,
        vec![
            kv("http.request.method", text("GET")),
            kv("url.path", text(&format!("/stock/{sku}"))),
            kv("server.address", text("inventory.internal")),
            kv("http.response.status_code", Any::IntValue(inventory_status.into())),
            kv("aws.xray.annotations", list(&["sku"])),
            kv("sku", text(sku)),
        ],
    ));
    let mut dynamo_span = span(
        inv_dynamo,
        inv,
        SpanKind::Client,
        "DynamoDB.GetItem",
        8.0,
        8.0 + dynamo,
        vec![
            kv("rpc.system", text("aws-api")),
            kv("rpc.service", text("DynamoDB")),
            kv("rpc.method", text("GetItem")),
            kv("aws.region", text("us-east-1")),
            kv("aws.dynamodb.table_names", list(&["stock"])),
            kv("http.response.status_code", Any::IntValue(if throttled { 429 } else { 200 })),
        ],
    );
    if throttled {
        dynamo_span.status = Some(Status { code: StatusCode::Error as i32, message: "Rate exceeded".into() });
    }
    out.inventory.push(dynamo_span);
    if !checkout {
        return;
    }

    // Payments (OpenTelemetry): the charge, the database write, and the provider's failure in an error burst.
    let mut charge = span(
        pay,
        ord_payments,
        SpanKind::Server,
        "POST /charge",
        pay_start + 1.0,
        pay_start + 1.0 + payments,
        vec![
            kv("http.request.method", text("POST")),
            kv("url.path", text("/charge")),
            kv("server.address", text("payments.internal")),
            kv("http.response.status_code", Any::IntValue(payments_status.into())),
            kv("aws.xray.annotations", list(&["payment_provider"])),
            kv("payment_provider", text(provider)),
            kv("amount_cents", Any::IntValue(items * 1_999)),
        ],
    );
    if payments_status != 200 {
        let (kind, message, trace) = if provider_down {
            ("shop.payments.ProviderUnavailable", format!("{provider} is not answering"), provider_stack(provider))
        } else {
            ("psycopg.errors.QueryCanceled", "canceling statement due to statement timeout".to_owned(), timeout_stack())
        };
        charge.status = Some(Status { code: StatusCode::Error as i32, message: message.clone() });
        charge.events.push(Event {
            name: "exception".into(),
            time_unix_nano: nanos(pay_start + payments),
            attributes: vec![
                kv("exception.type", text(kind)),
                kv("exception.message", text(&message)),
                kv("exception.stacktrace", text(&trace.replace("{message}", &message))),
            ],
            ..Default::default()
        });
    }
    out.payments.push(charge);
    let db_from = pay_start + 2.0 + (payments - database) * 0.3;
    let mut write = span(
        pay_db,
        pay,
        SpanKind::Client,
        "INSERT shop.payments",
        db_from,
        db_from + database,
        vec![
            kv("peer.service", text("database")),
            kv("db.system", text("postgresql")),
            kv("db.name", text("shop")),
            kv("db.connection_string", text("postgresql://database.internal:5432")),
            kv("db.user", text("payments")),
            kv("db.statement", text("INSERT INTO payments (order_id, provider, amount) VALUES ($1, $2, $3)")),
        ],
    );
    if db_timeout {
        write.status = Some(Status { code: StatusCode::Error as i32, message: "statement timeout".into() });
    }
    out.payments.push(write);
}

/// A provider index by share.
fn pick(u: f64) -> usize {
    let mut acc = 0.0;
    for (i, (_, share)) in PROVIDERS.iter().enumerate() {
        acc += share;
        if u < acc {
            return i;
        }
    }
    PROVIDERS.len() - 1
}

fn provider_stack(provider: &str) -> String {
    format!(
        "Traceback (most recent call last):\n  File \"/srv/payments/app.py\", line 88, in charge\n    receipt = gateway.capture(order)\n  File \"/srv/payments/providers/{provider}.py\", line 41, in capture\n    raise ProviderUnavailable(f\"{{self.name}} is not answering\")\nshop.payments.ProviderUnavailable: {{message}}\n"
    )
}

fn timeout_stack() -> String {
    "Traceback (most recent call last):\n  File \"/srv/payments/app.py\", line 92, in charge\n    ledger.record(order, receipt)\n  File \"/srv/payments/ledger.py\", line 17, in record\n    cursor.execute(INSERT_PAYMENT, values)\n  File \"/usr/lib/python3/site-packages/psycopg/cursor.py\", line 732, in execute\n    raise ex.with_traceback(None)\npsycopg.errors.QueryCanceled: {message}\n".to_owned()
}

fn kv(key: &str, value: Any) -> KeyValue {
    KeyValue { key: key.to_owned(), value: Some(AnyValue { value: Some(value) }), ..Default::default() }
}

fn text(value: &str) -> Any {
    Any::StringValue(value.to_owned())
}

fn list(values: &[&str]) -> Any {
    Any::ArrayValue(ArrayValue { values: values.iter().map(|v| AnyValue { value: Some(text(v)) }).collect() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::SEED;

    /// A second in an error burst and one in a latency spike (incidents start every 300 s, alternating, for 60 s).
    fn incident_second(kind: Incident) -> i64 {
        (1_765_000_000..1_765_003_600).find(|t| incident_at(*t) == Some(kind)).expect("an incident within the hour")
    }

    #[test]
    fn the_same_window_gives_the_same_traces_and_every_document_is_valid() {
        let a = batch(SEED, 1_765_000_000, 1_765_000_060);
        let b = batch(SEED, 1_765_000_000, 1_765_000_060);
        assert_eq!(a.documents, b.documents);
        assert!(a.traces() >= 60, "at least one trace a second");
        for doc in &a.documents {
            skywatch_core::traces::document::parse(doc).unwrap_or_else(|e| panic!("{e}: {doc}"));
        }
        let (_, export) = a.export();
        let translation = skywatch_core::traces::otlp::translate(&export);
        assert_eq!(translation.rejected, 0);
        for doc in &translation.documents {
            skywatch_core::traces::document::parse(doc).unwrap_or_else(|e| panic!("{e}: {doc}"));
        }
    }

    #[test]
    fn an_error_burst_shows_as_payment_faults_with_a_stack() {
        let t = incident_second(Incident::ErrorBurst);
        let burst = batch(SEED, t, t + 30);
        let faults: Vec<&Span> = burst
            .payments
            .iter()
            .filter(|s| s.status.as_ref().is_some_and(|st| st.code == StatusCode::Error as i32))
            .collect();
        assert!(!faults.is_empty(), "a failing provider faults its payments");
        assert!(faults.iter().any(|s| s.events.iter().any(|e| e.name == "exception")));
        let calm = batch(SEED, t - 120, t - 90);
        assert!(calm.payments.iter().all(|s| s.status.is_none()), "no faults outside incidents");
    }

    #[test]
    fn a_latency_spike_slows_payments() {
        let t = incident_second(Incident::LatencySpike);
        let duration = |b: &Batch| {
            let charges: Vec<u64> = b
                .payments
                .iter()
                .filter(|s| s.kind == SpanKind::Server as i32)
                .map(|s| s.end_time_unix_nano - s.start_time_unix_nano)
                .collect();
            charges.iter().sum::<u64>() / charges.len().max(1) as u64
        };
        let spike = duration(&batch(SEED, t, t + 30));
        let calm = duration(&batch(SEED, t - 120, t - 90));
        assert!(spike > 3 * calm, "spike {spike} ns vs calm {calm} ns");
    }
}
