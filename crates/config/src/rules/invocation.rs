//! Custom rules backed by a function: the evaluation request as AWS Config sends it to a Lambda function
//! (`invokingEvent`, `ruleParameters`, `resultToken`, ...), posted to a webhook that stands in for the function,
//! and the result token that PutEvaluations later presents. The webhook may answer with its evaluations in the
//! body (`{"evaluations": [...]}` or a bare list) or send them with PutEvaluations.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use skywatch_ops::token;

use super::model::Rule;
use super::storage::Invocation;
use crate::delivery::file_item;
use crate::model::{Item, iso};

const TOKEN_KIND: &str = "config-result";
/// Evaluations one webhook answer may carry (PutEvaluations' bound).
pub const MAX_ANSWERED_EVALUATIONS: usize = 100;

/// What a result token stands for: one invocation of one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultToken {
    pub account: String,
    pub region: String,
    pub rule: String,
    pub invoked_ms: i64,
}

impl ResultToken {
    pub fn encode(&self) -> String {
        token::encode(TOKEN_KIND, &serde_json::to_string(self).unwrap_or_default())
    }

    pub fn decode(text: &str) -> Option<Self> {
        serde_json::from_str(&token::decode(TOKEN_KIND, text)?).ok()
    }
}

/// Whether a custom rule's identifier is a webhook Skywatch can post to.
pub fn webhook(rule: &Rule) -> Option<&str> {
    rule.source.identifier.as_deref().filter(|url| url.starts_with("http://") || url.starts_with("https://"))
}

/// The invocation of `rule` about `item` (a configuration change), or a scheduled one when `item` is None.
pub fn invocation(
    (account, region): (&str, &str),
    rule: &Rule,
    item: Option<&Item>,
    event_left_scope: bool,
    now_ms: i64,
    id: String,
) -> Option<Invocation> {
    let url = webhook(rule)?.to_owned();
    let invoking_event = match item {
        Some(item) => json!({
            "configurationItemDiff": null,
            "configurationItem": file_item(item),
            "notificationCreationTime": iso(now_ms),
            "messageType": "ConfigurationItemChangeNotification",
            "recordVersion": "1.3",
        }),
        None => json!({
            "awsAccountId": account,
            "notificationCreationTime": iso(now_ms),
            "messageType": "ScheduledNotification",
            "recordVersion": "1.0",
        }),
    };
    let result_token = ResultToken {
        account: account.to_owned(),
        region: region.to_owned(),
        rule: rule.name.clone(),
        invoked_ms: now_ms,
    }
    .encode();
    let body = json!({
        "version": "1.0",
        "invokingEvent": invoking_event.to_string(),
        "ruleParameters": rule.input_parameters.clone().unwrap_or_else(|| "{}".into()),
        "resultToken": result_token,
        "eventLeftScope": event_left_scope,
        "executionRoleArn": format!(
            "arn:{}:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
            skywatch_model::partition(region)
        ),
        "configRuleArn": rule.arn,
        "configRuleName": rule.name,
        "configRuleId": rule.id,
        "accountId": account,
        "evaluationMode": "DETECTIVE",
    });
    Some(Invocation {
        id,
        account: account.to_owned(),
        region: region.to_owned(),
        rule: rule.name.clone(),
        url,
        body: body.to_string(),
        result_token,
        invoked_ms: now_ms,
        attempts: 0,
        due_ms: now_ms,
    })
}

/// One evaluation a function answered with, as PutEvaluations takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    pub resource_type: String,
    pub resource_id: String,
    pub compliance: String,
    pub annotation: Option<String>,
    pub ordering_ms: Option<i64>,
}

/// The evaluations in a webhook's answer (none when it answered nothing usable).
pub fn answered(body: &str) -> Vec<Answered> {
    let Ok(value) = serde_json::from_str::<Value>(body) else { return Vec::new() };
    let list = match &value {
        Value::Array(list) => list,
        Value::Object(map) => match map.get("evaluations").or_else(|| map.get("Evaluations")) {
            Some(Value::Array(list)) => list,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let text =
        |e: &Value, names: [&str; 2]| names.iter().find_map(|n| e.get(*n)).and_then(Value::as_str).map(str::to_owned);
    list.iter()
        .take(MAX_ANSWERED_EVALUATIONS)
        .filter_map(|e| {
            Some(Answered {
                resource_type: text(e, ["ComplianceResourceType", "complianceResourceType"])?,
                resource_id: text(e, ["ComplianceResourceId", "complianceResourceId"])?,
                compliance: text(e, ["ComplianceType", "complianceType"])?,
                annotation: text(e, ["Annotation", "annotation"]),
                ordering_ms: ["OrderingTimestamp", "orderingTimestamp"].iter().find_map(|n| e.get(*n)).and_then(|t| {
                    match t {
                        Value::Number(n) => n.as_f64().map(|s| (s * 1000.0) as i64),
                        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s).ok().map(|d| d.timestamp_millis()),
                        _ => None,
                    }
                }),
            })
        })
        .collect()
}
