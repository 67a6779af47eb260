//! The demo's alarms, made once through the public APIs like the dashboard: a CPU alarm per instance (above 80 %
//! for 5 of 5 minutes, which the quarter-hourly CPU spike fires; it notifies the shop's topic and reboots the
//! instance, a simulated EC2 action), the API target group's p99 latency (fired by latency spikes), its error
//! rate by metric math (fired by error bursts), a composite alarm over those two, and the 5xx answers a metric filter
//! counts in the gateway's access logs. The `shop-alerts` topic
//! has one subscription, the built-in endpoint `/_skywatch/inbox/shop-alerts`, which the topic's console page
//! shows. Alarms that exist are left alone, so edits survive restarts.

use serde_json::{Value, json};

use super::client::SignedClient;
use super::ec2::{self, FLEET};
use super::elb::{self, LOAD_BALANCER};
use super::logs;

pub const TOPIC: &str = "shop-alerts";
pub const LATENCY_ALARM: &str = "shop-api-latency-p99";
pub const ERROR_ALARM: &str = "shop-api-error-rate";
pub const COMPOSITE_ALARM: &str = "shop-degraded";
pub const LOGS_5XX_ALARM: &str = "shop-gateway-5xx";
const API_TARGET_GROUP: &str = "targetgroup/shop-api/943f017f100becff";

fn cpu_alarm_name(instance: &str) -> String {
    format!("cpu-high-{instance}")
}

fn target_group_dims() -> Value {
    json!([{ "Name": "LoadBalancer", "Value": LOAD_BALANCER }, { "Name": "TargetGroup", "Value": API_TARGET_GROUP }])
}

/// The metric alarms, as PutMetricAlarm requests.
pub fn metric_alarms(topic: &str, region: &str) -> Vec<Value> {
    let mut alarms: Vec<Value> = FLEET
        .iter()
        .map(|instance| {
            json!({
                "AlarmName": cpu_alarm_name(instance.id),
                "AlarmDescription": format!("CPU of {} above 80% for 5 minutes", instance.id),
                "Namespace": ec2::NAMESPACE,
                "MetricName": "CPUUtilization",
                "Dimensions": [{ "Name": "InstanceId", "Value": instance.id }],
                "Statistic": "Average",
                "Period": 60,
                "EvaluationPeriods": 5,
                "DatapointsToAlarm": 5,
                "Threshold": 80.0,
                "ComparisonOperator": "GreaterThanThreshold",
                "TreatMissingData": "missing",
                "AlarmActions": [topic, format!("arn:{}:automate:{region}:ec2:reboot", skywatch_core::model::partition(region))],
                "OKActions": [topic],
                "Unit": "Percent",
            })
        })
        .collect();
    alarms.push(json!({
        "AlarmName": LOGS_5XX_ALARM,
        "AlarmDescription": "5xx answers in the gateway's access logs (a metric filter counts them)",
        "Namespace": logs::FILTER_NAMESPACE,
        "MetricName": logs::FILTER_METRIC,
        "Statistic": "Sum",
        "Period": 60,
        "EvaluationPeriods": 1,
        "Threshold": logs::ALARM_THRESHOLD,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
        "AlarmActions": [topic],
        "OKActions": [topic],
        "Unit": "Count",
    }));
    alarms.push(json!({
        "AlarmName": LATENCY_ALARM,
        "AlarmDescription": "p99 response time of the API target group above 2 seconds",
        "Namespace": elb::NAMESPACE,
        "MetricName": "TargetResponseTime",
        "Dimensions": target_group_dims(),
        "ExtendedStatistic": "p99",
        "Period": 60,
        "EvaluationPeriods": 1,
        "Threshold": 2.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
        "EvaluateLowSampleCountPercentile": "evaluate",
    }));
    let stat = |id: &str, metric: &str| {
        json!({
            "Id": id,
            "MetricStat": {
                "Metric": { "Namespace": elb::NAMESPACE, "MetricName": metric, "Dimensions": target_group_dims() },
                "Period": 60,
                "Stat": "Sum",
            },
            "ReturnData": false,
        })
    };
    alarms.push(json!({
        "AlarmName": ERROR_ALARM,
        "AlarmDescription": "5xx answers above 5% of the API target group's requests",
        "Metrics": [
            stat("errors", "HTTPCode_Target_5XX_Count"),
            stat("requests", "RequestCount"),
            { "Id": "rate", "Expression": "100 * errors / requests", "Label": "5xx rate (%)", "ReturnData": true },
        ],
        "EvaluationPeriods": 1,
        "Threshold": 5.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }));
    alarms
}

/// The composite alarm over latency and errors.
pub fn composite_alarm(topic: &str) -> Value {
    json!({
        "AlarmName": COMPOSITE_ALARM,
        "AlarmDescription": "The shop's API is slow or failing",
        "AlarmRule": format!("ALARM(\"{LATENCY_ALARM}\") OR ALARM(\"{ERROR_ALARM}\")"),
        "AlarmActions": [topic],
        "OKActions": [topic],
    })
}

/// The text of the first `<tag>...</tag>` of an XML reply.
fn xml_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

/// Makes the topic, the built-in subscription and any missing alarm.
pub async fn ensure(client: &SignedClient) {
    if let Err(error) = try_ensure(client).await {
        tracing::warn!(%error, "demo alarms could not be set up");
    }
}

async fn try_ensure(client: &SignedClient) -> anyhow::Result<()> {
    let created =
        client.call_query("sns", &[("Action", "CreateTopic"), ("Version", "2010-03-31"), ("Name", TOPIC)]).await?;
    let topic =
        xml_text(&created, "TopicArn").ok_or_else(|| anyhow::anyhow!("CreateTopic answered no TopicArn"))?.to_owned();
    let endpoint = format!("http://{}/_skywatch/inbox/{TOPIC}", client.host());
    client
        .call_query(
            "sns",
            &[
                ("Action", "Subscribe"),
                ("Version", "2010-03-31"),
                ("TopicArn", &topic),
                ("Protocol", "http"),
                ("Endpoint", &endpoint),
            ],
        )
        .await?;
    let target = |op: &str| format!("GraniteServiceVersion20100801.{op}");
    let region = topic.split(':').nth(3).unwrap_or("us-east-1").to_owned();
    let mut alarms = metric_alarms(&topic, &region);
    let names: Vec<Value> = alarms.iter().map(|a| a["AlarmName"].clone()).chain([json!(COMPOSITE_ALARM)]).collect();
    let existing = client
        .call(
            "monitoring",
            &target("DescribeAlarms"),
            &json!({ "AlarmNames": names, "AlarmTypes": ["MetricAlarm", "CompositeAlarm"] }),
        )
        .await?;
    let known: Vec<&str> = ["MetricAlarms", "CompositeAlarms"]
        .iter()
        .filter_map(|kind| existing[*kind].as_array())
        .flatten()
        .filter_map(|a| a["AlarmName"].as_str())
        .collect();
    alarms.retain(|a| !known.contains(&a["AlarmName"].as_str().unwrap_or_default()));
    let mut made = 0;
    for alarm in &alarms {
        client.call("monitoring", &target("PutMetricAlarm"), alarm).await?;
        made += 1;
    }
    if !known.contains(&COMPOSITE_ALARM) {
        client.call("monitoring", &target("PutCompositeAlarm"), &composite_alarm(&topic)).await?;
        made += 1;
    }
    if made > 0 {
        tracing::info!(alarms = made, topic = %topic, "demo alarms created");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::schedule::cpu_spike_at;
    use crate::demo::signal::Window;

    /// The value of `metric` for the API target group (or the instance) in one minute's window at `start`.
    fn minute_value(data: &[skywatch_core::metrics::MetricDatum], metric: &str, dimension: &str) -> f64 {
        data.iter()
            .filter(|d| d.metric_name == metric && d.dimensions.iter().any(|(_, v)| v == dimension))
            .filter_map(|d| d.value)
            .sum()
    }

    /// Issue 11: the demo's incidents fire its alarms and calm minutes clear them: a CPU spike keeps one instance
    /// above 80 % for five whole minutes; an error burst puts the API's 5xx rate above 5 %, calm minutes below.
    #[test]
    fn incidents_cross_the_alarm_thresholds() {
        const SEED: u64 = 7;
        // A whole quarter-hour: find the spike's minutes (the spike starts 420 s in and lasts 390 s).
        let quarter = 1_700_000_100 / 900 * 900;
        let spiking: Vec<i64> = (0..15)
            .map(|m| quarter + m * 60)
            .filter(|t| (0..60).all(|s| cpu_spike_at(SEED, t + s, FLEET.len()).is_some()))
            .collect();
        assert!(spiking.len() >= 5, "five whole minutes of spike: {spiking:?}");
        let victim = cpu_spike_at(SEED, spiking[0], FLEET.len()).unwrap();
        for t in &spiking {
            let data = ec2::sample(SEED, Window { start: *t, seconds: 60 });
            assert!(minute_value(&data, "CPUUtilization", FLEET[victim].id) > 80.0);
        }
        let rate = |t: i64| {
            let data = elb::sample(SEED, Window { start: t, seconds: 60 });
            100.0 * minute_value(&data, "HTTPCode_Target_5XX_Count", API_TARGET_GROUP)
                / minute_value(&data, "RequestCount", API_TARGET_GROUP).max(1.0)
        };
        let cycle = 1_699_999_800; // a latency spike starts here, an error burst 300 s later
        assert!(rate(cycle + 300) > 5.0, "burst: {}", rate(cycle + 300));
        assert!(rate(cycle + 150) < 5.0, "calm: {}", rate(cycle + 150));
    }

    #[test]
    fn the_demo_alarms_name_the_shops_metrics() {
        let alarms = metric_alarms("arn:aws:sns:us-east-1:000000000000:shop-alerts", "us-east-1");
        assert_eq!(alarms.len(), FLEET.len() + 3);
        assert!(alarms.iter().all(|a| a["AlarmName"].as_str().is_some_and(|n| !n.is_empty())));
        let composite = composite_alarm("t");
        assert!(composite["AlarmRule"].as_str().unwrap().contains(LATENCY_ALARM));
        assert_eq!(xml_text("<a><TopicArn>x</TopicArn></a>", "TopicArn"), Some("x"));
    }
}
