//! The demo workload: a small simulated shop (gateway, orders, payments, inventory, database) that reaches
//! Skywatch only through the public AWS APIs, signed like any client. Traffic follows a day-like curve
//! compressed into a 30-minute "day", and an incident (a latency spike or an error burst) strikes every few
//! minutes.

mod client;
mod shop;

use std::net::SocketAddr;
use std::time::Duration;

use skywatch_core::auth::AccessKey;
use skywatch_core::model::{DEFAULT_ACCOUNT, Role};

pub use client::SignedClient;

/// How often the shop reports.
const TICK: Duration = Duration::from_secs(10);

/// A fresh admin key for the demo, registered with the server before it starts.
pub fn generate_key() -> AccessKey {
    use rand::Rng;
    let secret: String =
        rand::thread_rng().sample_iter(&rand::distributions::Alphanumeric).take(40).map(char::from).collect();
    AccessKey { id: "AKIDSKYWATCHDEMO".into(), secret, account: DEFAULT_ACCOUNT.into(), role: Role::Admin }
}

/// Runs until the process ends.
pub async fn run(server: SocketAddr, key: AccessKey) {
    let client = SignedClient::new(server, key, "us-east-1");
    let mut shop = shop::Shop::new();
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    tracing::info!("demo workload started");
    loop {
        interval.tick().await;
        let now = chrono::Utc::now();
        let report = shop.tick(now);
        if let Err(error) =
            client.call("monitoring", "GraniteServiceVersion20100801.PutMetricData", &report.metrics).await
        {
            tracing::warn!(%error, "demo PutMetricData failed");
        }
        if report.operator_looks {
            let body = serde_json::json!({
                "LookupAttributes": [{"AttributeKey": "EventName", "AttributeValue": "PutMetricData"}],
                "MaxResults": 5
            });
            if let Err(error) = client
                .call("cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", &body)
                .await
            {
                tracing::warn!(%error, "demo LookupEvents failed");
            }
        }
    }
}
