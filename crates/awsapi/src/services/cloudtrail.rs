//! CloudTrail: `LookupEvents` in its wire shape.

use serde_json::{Value, json};
use skywatch_core::audit::{LookupAttribute, LookupEvents, LookupPage, LookupQuery};
use skywatch_core::ops::Context;

use crate::errors::ApiError;
use crate::params::{i64_opt, list_opt, str_opt, timestamp_ms_opt};
use crate::registry::Wire;

impl Wire for LookupEvents {
    fn decode(_ctx: &Context, params: &Value) -> Result<LookupQuery, ApiError> {
        query(params)
    }

    fn encode(page: LookupPage) -> Value {
        reply(page)
    }
}

fn query(params: &Value) -> Result<LookupQuery, ApiError> {
    let attributes = list_opt(params, "LookupAttributes")?
        .iter()
        .map(|a| {
            Ok(LookupAttribute {
                attribute_key: str_opt(a, "AttributeKey")?.unwrap_or("").to_owned(),
                attribute_value: str_opt(a, "AttributeValue")?.unwrap_or("").to_owned(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let time = |name| -> Result<_, ApiError> {
        Ok(timestamp_ms_opt(params, name)?.and_then(chrono::DateTime::from_timestamp_millis))
    };
    Ok(LookupQuery {
        attributes,
        start_time: time("StartTime")?,
        end_time: time("EndTime")?,
        max_results: i64_opt(params, "MaxResults")?,
        next_token: str_opt(params, "NextToken")?.map(str::to_owned),
    })
}

fn reply(page: LookupPage) -> Value {
    let events: Vec<Value> = page
        .events
        .iter()
        .map(|event| {
            let time = chrono::DateTime::parse_from_rfc3339(&event.event_time).map(|t| t.timestamp()).unwrap_or(0);
            let mut item = json!({
                "EventId": event.event_id,
                "EventName": event.event_name,
                "ReadOnly": if event.read_only { "true" } else { "false" },
                "EventTime": time,
                "EventSource": event.event_source,
                "Resources": event.resources.iter().map(|r| json!({"ResourceType": r.resource_type, "ResourceName": r.arn})).collect::<Vec<_>>(),
                "CloudTrailEvent": serde_json::to_string(event).unwrap_or_default(),
            });
            if let Some(key) = &event.user_identity.access_key_id {
                item["AccessKeyId"] = json!(key);
            }
            if let Some(user) = event.username() {
                item["Username"] = json!(user);
            }
            item
        })
        .collect();
    let mut result = json!({ "Events": events });
    if let Some(token) = page.next_token {
        result["NextToken"] = json!(token);
    }
    result
}
