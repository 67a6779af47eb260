//! The demo workload reaches the server only through signed public API calls: its PutMetricData calls show up in
//! CloudTrail under the demo's own access key, in the default account and region.

mod support;

use std::time::{Duration, Instant};

use support::{Server, call};

#[tokio::test]
async fn the_demo_sends_signed_put_metric_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &["--demo"]);
    let http = reqwest::Client::new();
    let query = serde_json::json!({
        "LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "AKIDSKYWATCHDEMO"}],
        "MaxResults": 50
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body) = call(
            &http,
            server.addr,
            "cloudtrail",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
            &query,
        )
        .await
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let reply: serde_json::Value = serde_json::from_str(&body).unwrap();
        let events = reply["Events"].as_array().cloned().unwrap_or_default();
        if let Some(put) = events.iter().find(|e| e["EventName"] == "PutMetricData") {
            let record: serde_json::Value = serde_json::from_str(put["CloudTrailEvent"].as_str().unwrap()).unwrap();
            assert_eq!(record["userIdentity"]["accessKeyId"], "AKIDSKYWATCHDEMO");
            assert_eq!(record["eventSource"], "monitoring.amazonaws.com");
            assert!(record.get("errorCode").is_none(), "the demo's data is valid: {record}");
            assert_eq!(record["userAgent"], "skywatch-demo/0.1");
            return;
        }
        assert!(Instant::now() < deadline, "no demo PutMetricData within 20 s: {events:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
