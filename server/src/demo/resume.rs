//! Where the demo picks up on start: right after its own last successful PutMetricData (found in CloudTrail), so
//! a restart neither counts minutes twice nor leaves a gap; otherwise it backfills the last few hours.

use serde_json::Value;

use super::client::SignedClient;

/// How far back a fresh demo fills in data, so charts are not empty on first open.
pub const BACKFILL_SECONDS: i64 = 3 * 3600;

/// The time (Unix seconds) of the newest successful PutMetricData in a LookupEvents reply, newest first.
pub fn last_put(reply: &Value) -> Option<i64> {
    reply["Events"]
        .as_array()?
        .iter()
        .filter(|event| event["EventName"] == "PutMetricData")
        .find(|event| {
            let record = event["CloudTrailEvent"].as_str().and_then(|s| serde_json::from_str::<Value>(s).ok());
            record.is_some_and(|r| r.get("errorCode").is_none_or(Value::is_null))
        })
        .and_then(|event| event["EventTime"].as_f64())
        .map(|seconds| seconds as i64)
}

/// Where to start at `now`, given the demo's last successful send: from then, or a whole minute at most
/// [`BACKFILL_SECONDS`] ago.
pub fn start_from(last: Option<i64>, now: i64) -> i64 {
    let earliest = (now - BACKFILL_SECONDS).div_euclid(60) * 60 + 60;
    last.map_or(earliest, |t| t.clamp(earliest, now))
}

/// Asks CloudTrail for the demo's latest calls (its access key is the username) and works out where to start.
pub async fn start(client: &SignedClient, access_key_id: &str, now: i64) -> i64 {
    let query = serde_json::json!({
        "LookupAttributes": [{"AttributeKey": "Username", "AttributeValue": access_key_id}],
        "StartTime": now - BACKFILL_SECONDS,
        "MaxResults": 50
    });
    let target = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";
    let last = match client.call("cloudtrail", target, &query).await {
        Ok(reply) => last_put(&reply),
        Err(error) => {
            tracing::warn!(%error, "demo could not look up its last send; backfilling in full");
            None
        }
    };
    start_from(last, now)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(name: &str, time: i64, error: Option<&str>) -> Value {
        let record = match error {
            Some(code) => json!({"eventName": name, "errorCode": code}),
            None => json!({"eventName": name}),
        };
        json!({"EventName": name, "EventTime": time, "CloudTrailEvent": record.to_string()})
    }

    #[test]
    fn the_last_successful_put_counts() {
        let reply = json!({"Events": [
            event("LookupEvents", 500, None),
            event("PutMetricData", 490, Some("InvalidParameterValue")),
            event("PutMetricData", 480, None),
            event("PutMetricData", 470, None),
        ]});
        assert_eq!(last_put(&reply), Some(480));
        assert_eq!(last_put(&json!({"Events": [event("LookupEvents", 500, None)]})), None);
        assert_eq!(last_put(&json!({})), None);
    }

    #[test]
    fn a_fresh_start_backfills_whole_minutes_and_a_restart_resumes() {
        let now = 1_700_000_000;
        let fresh = start_from(None, now);
        assert_eq!(fresh % 60, 0);
        assert!(now - fresh <= BACKFILL_SECONDS && now - fresh > BACKFILL_SECONDS - 60);
        assert_eq!(start_from(Some(now - 30), now), now - 30);
        assert_eq!(start_from(Some(now - 86_400), now), fresh);
        assert_eq!(start_from(Some(now + 30), now), now);
    }
}
