//! What an alarm's actions do when it changes state: an SNS topic gets CloudWatch's notification message
//! (queued for delivery with the state change, so both or neither are committed), an EC2 action
//! (`arn:aws:automate:{region}:ec2:stop|terminate|reboot|recover`) is recorded against the alarm's `InstanceId`
//! (the demo's instances are simulated), and anything else is recorded as failed. Each is an `Action` entry in
//! the alarm's history. A composite alarm's actions are held back by its `ActionsSuppressor`: while the
//! suppressor is in ALARM, for the extension period after it leaves ALARM, and for the wait period while the
//! composite waits to see whether the suppressor follows it into ALARM.

use serde_json::json;
use skywatch_sns::publish::{Message, plan_publish};
use skywatch_store::{Mutation, Reader};

use crate::AlarmState;
use crate::definition::{Alarm, Kind, Source, alarm_arn, referenced_name};
use crate::notification;
use crate::reason::data_time;
use crate::service::storage::{HistoryItem, status};
use crate::status::Status;

/// Whether a composite alarm's actions run now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    None,
    /// The suppressor is in ALARM.
    Alarm {
        suppressor: String,
    },
    /// The suppressor left ALARM less than the extension period ago.
    Extension {
        suppressor: String,
        seconds: i64,
    },
    /// Waiting until `until_ms` for the suppressor to go into ALARM.
    Waiting {
        suppressor: String,
        until_ms: i64,
    },
}

impl Suppression {
    /// `ActionsSuppressedBy`.
    pub fn by(&self) -> Option<&'static str> {
        match self {
            Suppression::None => None,
            Suppression::Alarm { .. } => Some("Alarm"),
            Suppression::Extension { .. } => Some("ExtensionPeriod"),
            Suppression::Waiting { .. } => Some("WaitPeriod"),
        }
    }

    /// `ActionsSuppressedReason`.
    pub fn reason(&self) -> Option<String> {
        match self {
            Suppression::None => None,
            Suppression::Alarm { suppressor } => Some(format!("Alarm {suppressor} is in ALARM state")),
            Suppression::Extension { suppressor, seconds } => {
                Some(format!("Alarm {suppressor} left ALARM state less than {seconds} seconds ago"))
            }
            Suppression::Waiting { suppressor, .. } => {
                Some(format!("Waiting for alarm {suppressor} to go into ALARM state"))
            }
        }
    }
}

/// Whether `alarm`'s actions are suppressed as it enters `new` (for held actions coming due, the wait is over).
pub fn suppression(
    reader: &Reader,
    account: &str,
    region: &str,
    alarm: &Alarm,
    new: &Status,
    wait_over: bool,
) -> Suppression {
    let Kind::Composite(composite) = &alarm.kind else { return Suppression::None };
    let Some(reference) = &composite.suppressor else { return Suppression::None };
    let suppressor = referenced_name(reference, region, account).unwrap_or(reference).to_owned();
    let state = status(reader, account, region, &suppressor).ok().flatten();
    let Some(state) = state else { return Suppression::None };
    if state.value == AlarmState::Alarm {
        return Suppression::Alarm { suppressor };
    }
    let extension = composite.suppressor_extension_s.unwrap_or(0);
    if state.previous_value == Some(AlarmState::Alarm) && new.updated_ms - state.transitioned_ms < extension * 1000 {
        return Suppression::Extension { suppressor, seconds: extension };
    }
    let wait = composite.suppressor_wait_s.unwrap_or(0);
    if !wait_over && new.value == AlarmState::Alarm && wait > 0 {
        return Suppression::Waiting { suppressor, until_ms: new.updated_ms + wait * 1000 };
    }
    Suppression::None
}

fn instance_id(alarm: &Alarm) -> Option<&str> {
    let Kind::Metric(metric) = &alarm.kind else { return None };
    let Source::Metric { stat, .. } = &metric.source else { return None };
    stat.dimensions.iter().find(|(name, _)| name == "InstanceId").map(|(_, value)| value.as_str())
}

fn item(alarm: &Alarm, now_ms: i64, arn: &str, outcome: Result<serde_json::Value, String>) -> HistoryItem {
    match outcome {
        Ok(mut data) => {
            data["actionState"] = json!("Succeeded");
            data["stateUpdateTimestamp"] = json!(now_ms);
            HistoryItem::new(alarm, now_ms, "Action", format!("Successfully executed action {arn}"), data.to_string())
        }
        Err(error) => HistoryItem::new(
            alarm,
            now_ms,
            "Action",
            format!("Failed to execute action {arn}. Received error: \"{error}\""),
            json!({ "actionState": "Failed", "stateUpdateTimestamp": now_ms, "error": error }).to_string(),
        ),
    }
}

/// Runs one action of `alarm` moving from `old` to `new`: the history entry, and what to commit with it.
pub fn execute(
    reader: &Reader,
    sns_base_url: &str,
    (account, region): (&str, &str),
    alarm: &Alarm,
    old: &Status,
    new: &Status,
    arn: &str,
) -> (HistoryItem, Vec<Mutation>) {
    let now = new.updated_ms;
    let service = arn.split(':').nth(2).unwrap_or_default();
    match service {
        "sns" => {
            let alarm_arn = alarm_arn(region, account, &alarm.name);
            let change = notification::Change {
                account,
                region,
                arn: &alarm_arn,
                old: old.value,
                new: new.value,
                reason: &new.reason,
                changed_ms: now,
            };
            let message = Message {
                subject: Some(notification::subject(alarm, new.value, region)),
                body: notification::body(alarm, &change),
                attributes: Default::default(),
            };
            match plan_publish(reader, sns_base_url, (account, region), arn, &message, now) {
                Ok((message_id, mutations)) => {
                    let data = json!({ "notificationResource": arn, "publishedMessage": { "id": message_id } });
                    (item(alarm, now, arn, Ok(data)), mutations)
                }
                Err(error) => (item(alarm, now, arn, Err(error.to_string())), Vec::new()),
            }
        }
        "automate" => {
            let action = arn.rsplit(':').next().unwrap_or_default();
            let outcome = match instance_id(alarm) {
                Some(instance) => Ok(json!({
                    "ec2Action": action,
                    "instanceId": instance,
                    "simulated": true,
                    "at": data_time(now),
                })),
                None => Err("The alarm's metric has no InstanceId dimension".to_owned()),
            };
            (item(alarm, now, arn, outcome), Vec::new())
        }
        other => (item(alarm, now, arn, Err(format!("Skywatch does not run {other} actions"))), Vec::new()),
    }
}
