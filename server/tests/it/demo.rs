//! The demo workload reaches the server only through signed public API calls: its PutMetricData calls show up in
//! CloudTrail under the demo's own access key, in the default account and region. All of them succeed: the
//! three-hour backfill and the live ticks for each simulated system's namespace.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{Server, call};

const NAMESPACES: [&str; 3] = ["Demo/EC2", "Demo/ApplicationELB", "Shop"];

/// Every event the demo's key caused so far, newest first, following NextToken.
async fn demo_events(http: &reqwest::Client, server: &Server) -> Vec<Value> {
    let mut events = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = serde_json::json!({
            "LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": "AKIDSKYWATCHDEMO"}],
            "MaxResults": 50
        });
        if let Some(token) = &token {
            query["NextToken"] = Value::from(token.as_str());
        }
        let target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
        let (status, body) = call(http, server.addr, "cloudtrail", target, &query).await.unwrap();
        assert_eq!(status, 200, "{body}");
        let reply: Value = serde_json::from_str(&body).unwrap();
        events.extend(reply["Events"].as_array().cloned().unwrap_or_default());
        match reply["NextToken"].as_str() {
            Some(next) => token = Some(next.to_owned()),
            None => return events,
        }
    }
}

#[tokio::test]
async fn the_demo_backfills_and_sends_every_namespace_with_valid_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &["--demo"]);
    let http = reqwest::Client::new();
    // The first tick backfills three hours in about twenty large requests; live ticks follow every 10 s. The wait
    // is generous: on a machine busy compiling, the debug build's first tick has taken over a minute.
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let mut puts = 0;
        let mut members: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for event in demo_events(&http, &server).await.iter().filter(|e| e["EventName"] == "PutMetricData") {
            let record: Value = serde_json::from_str(event["CloudTrailEvent"].as_str().unwrap()).unwrap();
            assert_eq!(record["userIdentity"]["accessKeyId"], "AKIDSKYWATCHDEMO");
            assert_eq!(record["eventSource"], "monitoring.amazonaws.com");
            assert!(record.get("errorCode").is_none(), "the demo's data is valid: {record}");
            assert_eq!(record["userAgent"], "skywatch-demo/0.1");
            puts += 1;
            // Large requests (the backfill's) are recorded without their parameters; live ticks keep them, in
            // CloudTrail's own form (lower-camel member names, issue 9).
            let parameters = &record["requestParameters"];
            if let Some(namespace) = parameters["namespace"].as_str() {
                let data = parameters["metricData"].as_array().cloned().unwrap_or_default();
                members.entry(namespace.to_owned()).or_default().extend(data);
            }
        }
        let seen: BTreeSet<&str> = members.keys().map(String::as_str).collect();
        let has = |namespace: &str, test: &dyn Fn(&Value) -> bool| {
            members.get(namespace).is_some_and(|data| data.iter().any(test))
        };
        // A live tick's requests commit one after another: wait until one has landed whole.
        let complete = NAMESPACES.iter().all(|n| seen.contains(n))
            && has("Demo/EC2", &|m| m["metricName"] == "CPUUtilization" && m["dimensions"][0]["name"] == "InstanceId")
            && has("Demo/EC2", &|m| {
                m["dimensions"][0]["name"] == "AutoScalingGroupName" && m["statisticValues"]["sampleCount"].is_number()
            })
            && has("Demo/ApplicationELB", &|m| {
                m["metricName"] == "TargetResponseTime"
                    && m["values"].as_array().is_some_and(|v| !v.is_empty())
                    && m["counts"].as_array().map(Vec::len) == m["values"].as_array().map(Vec::len)
            })
            && has("Shop", &|m| m["metricName"] == "CheckoutQueueDepth" && m["storageResolution"] == 1);
        if complete {
            assert!(puts >= 15, "the backfill and a live tick, {puts} requests");
            demo_alarms_are_set_up(&http, &server).await;
            demo_logs_are_written(&http, &server).await;
            return;
        }
        assert!(Instant::now() < deadline, "no live demo data for every namespace within 180 s: {seen:?}, {puts} puts");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Issue 14: the demo writes its access and application logs, with the 5xx metric filter on the access logs and a
/// subscription filter forwarding the application's warnings and errors to their own group.
async fn demo_logs_are_written(http: &reqwest::Client, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let query = serde_json::json!({ "logGroupNamePrefix": "/shop/" });
        let (status, body) = call(http, server.addr, "logs", "Logs_20140328.DescribeLogGroups", &query).await.unwrap();
        assert_eq!(status, 200, "{body}");
        let reply: Value = serde_json::from_str(&body).unwrap();
        let groups = reply["logGroups"].as_array().cloned().unwrap_or_default();
        // The errors group gets events only when the backfill holds an incident; the other two always do.
        let written = groups.len() == 3
            && groups
                .iter()
                .filter(|g| g["logGroupName"] != "/shop/errors")
                .all(|g| g["storedBytes"].as_u64().is_some_and(|b| b > 0));
        if written {
            let access = groups.iter().find(|g| g["logGroupName"] == "/shop/gateway/access").unwrap();
            assert_eq!(access["metricFilterCount"], 1);
            assert_eq!(access["retentionInDays"], 14);
            let query = serde_json::json!({ "logGroupName": "/shop/payments/app" });
            let target = "Logs_20140328.DescribeSubscriptionFilters";
            let (_, body) = call(http, server.addr, "logs", target, &query).await.unwrap();
            let reply: Value = serde_json::from_str(&body).unwrap();
            let filter = &reply["subscriptionFilters"][0];
            assert_eq!(
                filter["destinationArn"],
                groups.iter().find(|g| g["logGroupName"] == "/shop/errors").unwrap()["logGroupArn"]
            );
            return;
        }
        assert!(Instant::now() < deadline, "the demo's logs within 60 s: {body}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Issue 11: the demo makes its alarms (a CPU alarm per instance, latency, error rate, a composite; issue 14's
/// access-log 5xx alarm) after the
/// backfill, and they are evaluated: none is left unchecked.
async fn demo_alarms_are_set_up(http: &reqwest::Client, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let query = serde_json::json!({ "AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "MaxRecords": 100 });
        let target = "GraniteServiceVersion20100801.DescribeAlarms";
        let (status, body) = call(http, server.addr, "monitoring", target, &query).await.unwrap();
        assert_eq!(status, 200, "{body}");
        let reply: Value = serde_json::from_str(&body).unwrap();
        let alarms: Vec<&Value> = ["MetricAlarms", "CompositeAlarms"]
            .iter()
            .flat_map(|kind| reply[*kind].as_array().into_iter().flatten())
            .collect();
        let checked = alarms.iter().all(|a| a["StateReason"] != "Unchecked: Initial alarm creation");
        if alarms.len() == 10 && checked {
            assert_eq!(reply["CompositeAlarms"][0]["AlarmName"], "shop-degraded");
            return;
        }
        assert!(Instant::now() < deadline, "the demo's alarms within 60 s: {body}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
