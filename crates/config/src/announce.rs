//! AWS Config's events on EventBridge: "Config Configuration Item Change" for every item recorded and "Config
//! Rules Compliance Change" for every change of a resource's compliance under a rule, in AWS's shapes. The commit
//! that records an item or a change also keeps an announcement (`config_announcements_v1`, by time), however the
//! change came (recorder, rules, PutEvaluations, remediation); the announcing pass hands each to an [`Announce`]
//! (EventBridge, provided by the core) and commits the deliveries it plans with the announcement's removal, so each
//! is announced once.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use skywatch_store::{Change, Direction, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::delivery::file_item;
use crate::model::{Item, ItemStatus, iso};
use crate::rules::model::ComplianceChange;

/// (time ms, account, region, resource type, resource id, rule or "") -> [`Announcement`] (JSON).
pub const ANNOUNCEMENTS: Table = Table::new("config_announcements_v1");
/// Announcements handled a pass, at most.
pub const A_PASS: usize = 256;

/// A change waiting to be announced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Announcement {
    Item(Box<Item>),
    Compliance { account: String, region: String, rule_arn: String, change: ComplianceChange },
}

/// An event of `aws.config`, before routing.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigEvent {
    pub account: String,
    pub region: String,
    pub detail_type: &'static str,
    pub time_ms: i64,
    pub resources: Vec<String>,
    pub detail: Value,
}

/// Where Config's events go (EventBridge's default buses; provided by the core).
pub trait Announce: Send + Sync + 'static {
    /// The mutations that deliver `event` to the rules it matches.
    fn plan(&self, reader: &Reader, event: &ConfigEvent) -> Vec<Mutation>;
    /// After a commit that may have queued deliveries.
    fn committed(&self);
}

fn json_bytes(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

/// Keeps the announcement of a recorded item, inside its commit.
pub(crate) fn item(tx: &mut Tx<'_>, item: &Item) -> Result<(), WriteError> {
    let key = skywatch_store::Key::new()
        .i64(item.capture_ms)
        .str(&item.account_id)
        .str(&item.aws_region)
        .str(&item.resource_type)
        .str(&item.resource_id)
        .str("");
    tx.put(ANNOUNCEMENTS, key.as_bytes(), &json_bytes(&Announcement::Item(Box::new(item.clone())))?)
}

/// Keeps the announcement of a compliance change, inside its commit.
pub(crate) fn compliance(
    tx: &mut Tx<'_>,
    (account, region): (&str, &str),
    rule_arn: &str,
    change: &ComplianceChange,
) -> Result<(), WriteError> {
    let key = skywatch_store::Key::new()
        .i64(change.time_ms)
        .str(account)
        .str(region)
        .str(&change.resource_type)
        .str(&change.resource_id)
        .str(&change.rule);
    let announcement = Announcement::Compliance {
        account: account.to_owned(),
        region: region.to_owned(),
        rule_arn: rule_arn.to_owned(),
        change: change.clone(),
    };
    tx.put(ANNOUNCEMENTS, key.as_bytes(), &json_bytes(&announcement)?)
}

/// The oldest announcements, up to `limit`, with their keys.
pub fn pending(reader: &Reader, limit: usize) -> Result<Vec<(Vec<u8>, Announcement)>, ReadError> {
    let mut out = Vec::new();
    reader.scan(ANNOUNCEMENTS, (None, None), Direction::Forward, |key, value| {
        if let Ok(announcement) = serde_json::from_slice(value) {
            out.push((key.to_vec(), announcement));
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

/// Removes handled announcements.
#[derive(Debug, Clone)]
pub struct Announced(pub Vec<Vec<u8>>);

impl Change for Announced {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        for key in &self.0 {
            tx.remove(ANNOUNCEMENTS, key)?;
        }
        Ok(())
    }
}

/// The event an announcement makes, at `now_ms`.
pub fn event(announcement: &Announcement, now_ms: i64) -> ConfigEvent {
    match announcement {
        Announcement::Item(item) => {
            let change_type = match item.status {
                ItemStatus::ResourceDiscovered => "CREATE",
                status if status.is_deleted() => "DELETE",
                _ => "UPDATE",
            };
            ConfigEvent {
                account: item.account_id.clone(),
                region: item.aws_region.clone(),
                detail_type: "Config Configuration Item Change",
                time_ms: item.capture_ms,
                resources: item.arn.clone().into_iter().collect(),
                detail: json!({
                    "recordVersion": "1.3",
                    "messageType": "ConfigurationItemChangeNotification",
                    "configurationItemDiff": { "changedProperties": {}, "changeType": change_type },
                    "notificationCreationTime": iso(now_ms),
                    "configurationItem": file_item(item),
                }),
            }
        }
        Announcement::Compliance { account, region, rule_arn, change } => {
            let result = |compliance: &str| {
                let mut out = json!({
                    "evaluationResultIdentifier": {
                        "evaluationResultQualifier": {
                            "configRuleName": change.rule,
                            "resourceType": change.resource_type,
                            "resourceId": change.resource_id,
                        },
                        "orderingTimestamp": iso(change.time_ms),
                    },
                    "complianceType": compliance,
                    "resultRecordedTime": iso(change.time_ms),
                    "configRuleInvokedTime": iso(change.time_ms),
                });
                if let Some(annotation) = &change.annotation {
                    out["annotation"] = json!(annotation);
                }
                out
            };
            let mut detail = json!({
                "resourceId": change.resource_id,
                "awsRegion": region,
                "awsAccountId": account,
                "configRuleName": change.rule,
                "recordVersion": "1.0",
                "configRuleARN": rule_arn,
                "messageType": "ComplianceChangeNotification",
                "newEvaluationResult": result(change.compliance.as_str()),
                "notificationCreationTime": iso(now_ms),
                "resourceType": change.resource_type,
            });
            if let Some(previous) = change.previous {
                detail["oldEvaluationResult"] = json!({ "complianceType": previous.as_str() });
            }
            ConfigEvent {
                account: account.clone(),
                region: region.clone(),
                detail_type: "Config Rules Compliance Change",
                time_ms: change.time_ms,
                resources: Vec::new(),
                detail,
            }
        }
    }
}
