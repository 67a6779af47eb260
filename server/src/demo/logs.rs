//! The shop's logs, sent through PutLogEvents like any application's: the gateway's JSON access logs (two
//! instances, a stream each) and the payments service's application log, whose incidents leave slow-query warnings
//! and errors with stack traces. A metric filter turns the access logs' 5xx answers into the `Shop/Logs` metric
//! `Http5xx`, which an alarm watches (`alarms.rs`). Like every other signal, each line is a pure function of the
//! seed and the clock, so a backfill and the live ticks write one continuous log.

use serde_json::{Value, json};

use super::client::SignedClient;
use super::schedule::{Incident, failing_provider, incident_at};
use super::signal::{count, day_curve, key, mix, uniform};

pub const ACCESS_GROUP: &str = "/shop/gateway/access";
pub const APP_GROUP: &str = "/shop/payments/app";
pub const ACCESS_STREAMS: [&str; 2] = ["gateway-i-0a1f3c9e", "gateway-i-0b7d2e41"];
pub const APP_STREAM: &str = "payments-i-0c5e8a17";
/// Where the application's warnings and errors are forwarded by a subscription filter.
pub const ERRORS_GROUP: &str = "/shop/errors";
pub const ERRORS_FILTER: &str = "payments-warnings-and-errors";
/// The metric filter's namespace and metric, and the alarm's threshold (5xx answers a minute).
pub const FILTER_NAMESPACE: &str = "Shop/Logs";
pub const FILTER_METRIC: &str = "Http5xx";
pub const ALARM_THRESHOLD: f64 = 3.0;
/// Access log lines a second per gateway at the day's peak.
const ACCESS_PER_SECOND: f64 = 4.0;
/// Application log lines a second at the peak.
const APP_PER_SECOND: f64 = 1.0;
/// Events a PutLogEvents call carries at most (well under AWS's 10,000 and 1 MiB).
const BATCH_EVENTS: usize = 2000;
const PROVIDERS: [&str; 3] = ["stripe", "adyen", "paypal"];
const PATHS: [(&str, &str, f64); 6] = [
    ("GET", "/", 0.25),
    ("GET", "/products/{id}", 0.35),
    ("GET", "/cart", 0.15),
    ("POST", "/cart/items", 0.1),
    ("POST", "/checkout", 0.1),
    ("POST", "/api/payments", 0.05),
];

/// One log event: milliseconds and message.
pub type Event = (i64, String);

fn pick_path(u: f64) -> (&'static str, &'static str) {
    let mut acc = 0.0;
    for (method, path, share) in PATHS {
        acc += share;
        if u < acc {
            return (method, path);
        }
    }
    ("GET", "/")
}

fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_default()
}

/// One gateway's access log lines for the seconds `[from, until)`.
pub fn access_events(seed: u64, stream: &str, from: i64, until: i64) -> Vec<Event> {
    let stream_key = key(stream);
    let mut out = Vec::new();
    for t in from..until {
        let n = count(ACCESS_PER_SECOND * day_curve(t) * (0.6 + 0.8 * uniform(seed, stream_key, t))) as i64;
        let burst = incident_at(t) == Some(Incident::ErrorBurst);
        let slow = incident_at(t) == Some(Incident::LatencySpike);
        for i in 0..n {
            let k = stream_key ^ mix(i as u64 + 1);
            let u = |salt: u64| uniform(seed, k ^ salt, t);
            let (method, template) = pick_path(u(1));
            let path = template.replace("{id}", &format!("{}", 1000 + (u(2) * 9000.0) as u64));
            let paying = matches!(template, "/checkout" | "/api/payments");
            let status = if burst && paying && u(3) < 0.6 {
                if u(4) < 0.5 { 502 } else { 503 }
            } else if u(3) < 0.002 {
                500
            } else if template == "/products/{id}" && u(5) < 0.03 {
                404
            } else if method == "POST" {
                201
            } else {
                200
            };
            let typical = if paying { 120.0 } else { 35.0 };
            let latency = typical * (0.5 + 1.5 * u(6)) * if slow && paying { 8.0 } else { 1.0 };
            let at = t * 1000 + i * 1000 / n.max(1);
            let message = json!({
                "time": iso(at),
                "requestId": format!("{:016x}", mix(k ^ t as u64)),
                "ip": format!("10.0.{}.{}", (u(7) * 4.0) as u8, 2 + (u(8) * 250.0) as u8),
                "method": method,
                "path": path,
                "status": status,
                "latencyMs": (latency * 10.0).round() / 10.0,
                "bytes": if status >= 400 { 180 } else { 800 + (u(9) * 24_000.0) as u64 },
                "userAgent": if u(10) < 0.4 { "ShopMobile/3.2 (iOS 18)" } else { "Mozilla/5.0 (X11; Linux x86_64)" },
            });
            out.push((at, message.to_string()));
        }
    }
    out
}

/// The payments service's application log for the seconds `[from, until)`.
pub fn app_events(seed: u64, from: i64, until: i64) -> Vec<Event> {
    let app_key = key(APP_STREAM);
    let mut out = Vec::new();
    for t in from..until {
        let n = count(APP_PER_SECOND * day_curve(t) * (0.5 + uniform(seed, app_key, t))) as i64;
        for i in 0..n {
            let k = app_key ^ mix(i as u64 + 7);
            let u = |salt: u64| uniform(seed, k ^ salt, t);
            let at = t * 1000 + i * 1000 / n.max(1);
            let order = 100_000 + (mix(k ^ t as u64) % 900_000);
            let provider = PROVIDERS[(u(1) * PROVIDERS.len() as f64) as usize % PROVIDERS.len()];
            let message = match (incident_at(t), failing_provider(seed, t, PROVIDERS.len())) {
                (Some(Incident::ErrorBurst), Some(failing)) if u(2) < 0.5 => {
                    let provider = PROVIDERS[failing];
                    format!(
                        "{} ERROR [payments] charge failed for order {order}: {provider} returned 503\n\
                         Traceback (most recent call last):\n  \
                         File \"/srv/payments/charge.py\", line 88, in charge\n    \
                         response = client.authorize(order, amount)\n  \
                         File \"/srv/payments/providers/{provider}.py\", line 41, in authorize\n    \
                         raise ProviderUnavailable(f\"{{self.name}} returned {{status}}\")\n\
                         payments.errors.ProviderUnavailable: {provider} returned 503",
                        iso(at)
                    )
                }
                (Some(Incident::LatencySpike), _) if u(2) < 0.4 => format!(
                    "{} WARN [payments] slow query on orders_db: SELECT * FROM ledger WHERE order_id = {order} took {} ms",
                    iso(at),
                    1500 + (u(3) * 2500.0) as u64
                ),
                _ => format!(
                    "{} INFO [payments] payment authorized order={order} provider={provider} amount={:.2} currency=EUR",
                    iso(at),
                    5.0 + u(4) * 240.0
                ),
            };
            out.push((at, message));
        }
    }
    out
}

fn target(op: &str) -> String {
    format!("Logs_20140328.{op}")
}

/// Whether a call failed only because what it makes exists already.
fn exists(error: &anyhow::Error) -> bool {
    error.to_string().contains("ResourceAlreadyExistsException")
}

/// The groups, streams, retention and the 5xx metric filter; what exists is left alone.
pub async fn ensure(client: &SignedClient) {
    if let Err(error) = try_ensure(client).await {
        tracing::warn!(%error, "demo logs could not be set up");
    }
}

async fn try_ensure(client: &SignedClient) -> anyhow::Result<()> {
    for (group, retention, streams) in [
        (ACCESS_GROUP, 14, &ACCESS_STREAMS[..]),
        (APP_GROUP, 30, std::slice::from_ref(&APP_STREAM)),
        (ERRORS_GROUP, 90, &[]),
    ] {
        match client
            .call("logs", &target("CreateLogGroup"), &json!({"logGroupName": group, "tags": {"app": "shop"}}))
            .await
        {
            Ok(_) => {
                client
                    .call(
                        "logs",
                        &target("PutRetentionPolicy"),
                        &json!({"logGroupName": group, "retentionInDays": retention}),
                    )
                    .await?;
            }
            Err(error) if exists(&error) => {}
            Err(error) => return Err(error),
        }
        for stream in streams {
            match client
                .call("logs", &target("CreateLogStream"), &json!({"logGroupName": group, "logStreamName": stream}))
                .await
            {
                Ok(_) => {}
                Err(error) if exists(&error) => {}
                Err(error) => return Err(error),
            }
        }
    }
    let filters = client.call("logs", &target("DescribeMetricFilters"), &json!({"logGroupName": ACCESS_GROUP})).await?;
    let known = filters["metricFilters"].as_array().is_some_and(|f| !f.is_empty());
    if !known {
        client
            .call(
                "logs",
                &target("PutMetricFilter"),
                &json!({
                    "logGroupName": ACCESS_GROUP,
                    "filterName": "gateway-5xx",
                    "filterPattern": "{ $.status >= 500 }",
                    "metricTransformations": [{
                        "metricName": FILTER_METRIC,
                        "metricNamespace": FILTER_NAMESPACE,
                        "metricValue": "1",
                        "defaultValue": 0,
                        "unit": "Count",
                    }],
                }),
            )
            .await?;
    }
    ensure_subscription(client).await
}

/// The application's warnings and errors, forwarded to their own group by a subscription filter.
async fn ensure_subscription(client: &SignedClient) -> anyhow::Result<()> {
    let existing =
        client.call("logs", &target("DescribeSubscriptionFilters"), &json!({"logGroupName": APP_GROUP})).await?;
    if existing["subscriptionFilters"].as_array().is_some_and(|f| !f.is_empty()) {
        return Ok(());
    }
    let groups =
        client.call("logs", &target("DescribeLogGroups"), &json!({"logGroupNamePrefix": ERRORS_GROUP})).await?;
    let arn = groups["logGroups"][0]["logGroupArn"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("DescribeLogGroups did not find {ERRORS_GROUP}"))?;
    let filter = json!({
        "logGroupName": APP_GROUP,
        "filterName": ERRORS_FILTER,
        "filterPattern": "?ERROR ?WARN",
        "destinationArn": arn,
    });
    client.call("logs", &target("PutSubscriptionFilter"), &filter).await?;
    Ok(())
}

/// The PutLogEvents requests for the seconds `[from, until)`: each stream's events in time order, in batches.
pub fn requests(seed: u64, from: i64, until: i64) -> Vec<Value> {
    let mut streams: Vec<(&str, &str, Vec<Event>)> =
        ACCESS_STREAMS.iter().map(|stream| (ACCESS_GROUP, *stream, access_events(seed, stream, from, until))).collect();
    streams.push((APP_GROUP, APP_STREAM, app_events(seed, from, until)));
    let mut out = Vec::new();
    for (group, stream, events) in streams {
        for chunk in events.chunks(BATCH_EVENTS) {
            let events: Vec<Value> =
                chunk.iter().map(|(at, message)| json!({"timestamp": at, "message": message})).collect();
            out.push(json!({"logGroupName": group, "logStreamName": stream, "logEvents": events}));
        }
    }
    out
}

/// Sends the logs of `[from, until)`.
pub async fn send(client: &SignedClient, seed: u64, from: i64, until: i64) {
    for body in requests(seed, from, until) {
        if let Err(error) = client.call("logs", &target("PutLogEvents"), &body).await {
            tracing::warn!(%error, "demo PutLogEvents failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use skywatch_core::logs::ingest::{InputEvent, accept};
    use skywatch_logpattern::parse;

    use super::*;

    const SEED: u64 = 11;

    /// Issue 14: the demo's logs are valid batches, and an error burst makes the 5xx metric filter cross the alarm's
    /// threshold while calm minutes stay under it.
    #[test]
    fn error_bursts_cross_the_5xx_alarm_and_calm_minutes_do_not() {
        let fivexx = parse("{ $.status >= 500 }").unwrap();
        let per_minute = |start: i64| -> usize {
            ACCESS_STREAMS
                .iter()
                .flat_map(|s| access_events(SEED, s, start, start + 60))
                .filter(|(_, m)| fivexx.matches(m))
                .count()
        };
        // Incidents start every 300 s and alternate: the burst of this cycle starts at 1_699_999_800 + 300.
        let cycle = 1_699_999_800;
        assert!(per_minute(cycle + 300) as f64 > ALARM_THRESHOLD, "burst: {}", per_minute(cycle + 300));
        assert!((per_minute(cycle + 150) as f64) <= ALARM_THRESHOLD, "calm: {}", per_minute(cycle + 150));
    }

    #[test]
    fn every_request_is_a_batch_cloudwatch_logs_accepts() {
        let now_s = 1_800_000_000;
        for body in requests(SEED, now_s - 1800, now_s) {
            let events: Vec<InputEvent> = body["logEvents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| InputEvent {
                    timestamp_ms: e["timestamp"].as_i64().unwrap(),
                    message: e["message"].as_str().unwrap().to_owned(),
                })
                .collect();
            let (stored, rejected) = accept(&events, now_s * 1000, Some(14)).unwrap();
            assert_eq!(stored.len(), events.len());
            assert!(rejected.is_empty());
        }
        let app = app_events(SEED, 1_699_999_800 + 300, 1_699_999_800 + 360);
        assert!(app.iter().any(|(_, m)| m.contains("Traceback") && m.lines().count() > 3), "stack traces in a burst");
        assert_eq!(access_events(SEED, ACCESS_STREAMS[0], 100, 160), access_events(SEED, ACCESS_STREAMS[0], 100, 160));
    }
}
