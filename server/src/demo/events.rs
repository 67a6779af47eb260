//! The demo's EventBridge: the shop emits order events on its own bus (`shop-orders`); a rule routes failed orders
//! to the `shop-alerts` topic and to a log group; an archive keeps every order event for 30 days, so the console can
//! replay the last incident; an hourly schedule on the default bus writes a report marker into a log group. Made
//! once through the public API (what exists is left alone); the orders are a pure function of the seed and the
//! clock, sent only for live ticks (a backfill would replay hours of notifications).

use serde_json::{Value, json};

use super::alarms::TOPIC;
use super::client::SignedClient;

pub const BUS: &str = "shop-orders";
pub const FAILED_RULE: &str = "shop-failed-orders";
pub const REPORT_RULE: &str = "shop-hourly-report";
pub const ARCHIVE: &str = "shop-orders-all";
pub const FAILED_GROUP: &str = "/aws/events/shop-failed-orders";
pub const REPORT_GROUP: &str = "/aws/events/shop-reports";
/// Orders are sent for at most this many seconds of a tick (older windows are a backfill).
const LIVE_SECONDS: i64 = 60;

fn call_target(op: &str) -> String {
    format!("AWSEvents.{op}")
}

/// Whether a call failed only because what it makes exists already.
fn exists(error: &anyhow::Error) -> bool {
    error.to_string().contains("ResourceAlreadyExistsException")
}

async fn ignore_existing(result: anyhow::Result<Value>) -> anyhow::Result<()> {
    match result {
        Ok(_) => Ok(()),
        Err(error) if exists(&error) => Ok(()),
        Err(error) => Err(error),
    }
}

/// The bus, rules, targets, archive and log groups; what exists is left alone.
pub async fn ensure(client: &SignedClient) {
    if let Err(error) = try_ensure(client).await {
        tracing::warn!(%error, "demo EventBridge could not be set up");
    }
}

async fn try_ensure(client: &SignedClient) -> anyhow::Result<()> {
    let region = client.region().to_owned();
    let account = skywatch_core::model::DEFAULT_ACCOUNT;
    let partition = skywatch_core::model::partition(&region);
    for group in [FAILED_GROUP, REPORT_GROUP] {
        ignore_existing(client.call("logs", "Logs_20140328.CreateLogGroup", &json!({"logGroupName": group})).await)
            .await?;
    }
    let created = client
        .call("events", &call_target("CreateEventBus"), &json!({"Name": BUS, "Description": "The shop's order events"}))
        .await;
    ignore_existing(created).await?;
    let bus_arn = format!("arn:{partition}:events:{region}:{account}:event-bus/{BUS}");
    let pattern = json!({"source": ["shop.orders"], "detail-type": ["Order Failed"]}).to_string();
    let rule = json!({"Name": FAILED_RULE, "EventBusName": BUS, "EventPattern": pattern,
                      "Description": "Failed orders go to the on-call topic and a log group"});
    client.call("events", &call_target("PutRule"), &rule).await?;
    let transformer = json!({
        "InputPathsMap": {"order": "$.detail.orderId", "reason": "$.detail.reason", "amount": "$.detail.amount"},
        "InputTemplate": "\"Order <order> failed (<reason>), <amount> USD\""
    });
    let targets = json!({"Rule": FAILED_RULE, "EventBusName": BUS, "Targets": [
        {"Id": "on-call", "Arn": format!("arn:{partition}:sns:{region}:{account}:{TOPIC}"), "InputTransformer": transformer},
        {"Id": "log", "Arn": format!("arn:{partition}:logs:{region}:{account}:log-group:{FAILED_GROUP}:*")},
    ]});
    client.call("events", &call_target("PutTargets"), &targets).await?;
    let report = json!({"Name": REPORT_RULE, "ScheduleExpression": "rate(1 hour)",
                        "Description": "The hourly order report"});
    client.call("events", &call_target("PutRule"), &report).await?;
    let report_targets = json!({"Rule": REPORT_RULE, "Targets": [{
        "Id": "report", "Arn": format!("arn:{partition}:logs:{region}:{account}:log-group:{REPORT_GROUP}:*"),
        "Input": json!({"report": "hourly-orders", "bus": BUS}).to_string(),
    }]});
    client.call("events", &call_target("PutTargets"), &report_targets).await?;
    let archive = json!({"ArchiveName": ARCHIVE, "EventSourceArn": bus_arn, "RetentionDays": 30,
                         "Description": "Every order event, for replays after a fix"});
    ignore_existing(client.call("events", &call_target("CreateArchive"), &archive).await).await?;
    Ok(())
}

/// A stable pseudo-random number of `(seed, second, salt)`.
fn mix(seed: u64, second: i64, salt: u64) -> u64 {
    let mut x = seed ^ (second as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ salt.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 31;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 29)
}

/// The order events of the seconds `[from, until)`: an order about every five seconds, one in twelve failing.
pub fn orders(seed: u64, from: i64, until: i64) -> Vec<Value> {
    (from.max(until - LIVE_SECONDS)..until)
        .filter(|second| mix(seed, *second, 1).is_multiple_of(5))
        .map(|second| {
            let failed = mix(seed, second, 2).is_multiple_of(12);
            let amount = 5 + mix(seed, second, 3) % 200;
            let order = format!("o-{:08x}", mix(seed, second, 4) as u32);
            let mut detail = json!({"orderId": order, "amount": amount, "currency": "USD",
                                    "items": 1 + mix(seed, second, 5) % 4});
            if failed {
                detail["reason"] =
                    json!(["card declined", "out of stock", "payment timeout"][(mix(seed, second, 6) % 3) as usize]);
            }
            json!({
                "Time": second,
                "Source": "shop.orders",
                "DetailType": if failed { "Order Failed" } else { "Order Placed" },
                "Detail": detail.to_string(),
                "EventBusName": BUS,
            })
        })
        .collect()
}

/// Sends the orders of `[from, until)`, ten a request.
pub async fn send(client: &SignedClient, seed: u64, from: i64, until: i64) {
    for chunk in orders(seed, from, until).chunks(10) {
        if let Err(error) = client.call("events", &call_target("PutEvents"), &json!({"Entries": chunk})).await {
            tracing::warn!(%error, "demo PutEvents failed");
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_are_a_function_of_the_seed_and_the_clock_and_some_fail() {
        let a = orders(7, 1_700_000_000, 1_700_003_600);
        assert_eq!(a, orders(7, 1_700_000_000, 1_700_003_600));
        assert!(a.len() >= 5 && a.len() <= LIVE_SECONDS as usize, "only the live minute: {}", a.len());
        let many: Vec<Value> =
            (0..60).flat_map(|m| orders(7, 1_700_000_000 + m * 60, 1_700_000_060 + m * 60)).collect();
        let failed = many.iter().filter(|o| o["DetailType"] == "Order Failed").count();
        assert!(failed > 0 && failed < many.len() / 4, "{failed} of {}", many.len());
        let detail: Value = serde_json::from_str(many[0]["Detail"].as_str().unwrap()).unwrap();
        assert!(detail["orderId"].as_str().unwrap().starts_with("o-"));
    }
}
