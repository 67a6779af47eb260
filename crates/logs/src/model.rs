//! Log groups and streams as stored, the ARNs CloudWatch Logs gives them, and the retention periods it allows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The retention periods PutRetentionPolicy accepts, in days.
pub const RETENTION_DAYS: [u32; 22] =
    [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/// A log group's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LogGroupClass {
    #[default]
    Standard,
    InfrequentAccess,
    Delivery,
    Essentials,
}

impl LogGroupClass {
    pub const ALL: [LogGroupClass; 4] =
        [LogGroupClass::Standard, LogGroupClass::InfrequentAccess, LogGroupClass::Delivery, LogGroupClass::Essentials];

    pub fn as_str(self) -> &'static str {
        match self {
            LogGroupClass::Standard => "STANDARD",
            LogGroupClass::InfrequentAccess => "INFREQUENT_ACCESS",
            LogGroupClass::Delivery => "DELIVERY",
            LogGroupClass::Essentials => "ESSENTIALS",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// A log group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    /// This incarnation of the name: blocks are keyed by it, so a group deleted and made again starts empty.
    pub id: u64,
    pub created_ms: i64,
    pub retention_days: Option<u32>,
    pub kms_key_id: Option<String>,
    pub class: LogGroupClass,
    pub tags: BTreeMap<String, String>,
    #[serde(default)]
    pub deletion_protection: bool,
    /// Bytes of events stored (uncompressed, as CloudWatch Logs reports them), less what retention removed.
    #[serde(default)]
    pub stored_bytes: u64,
    /// The widest block ever stored (last timestamp minus first), so reads know how far back a block that reaches
    /// into a time range can start.
    #[serde(default)]
    pub max_span_ms: i64,
}

/// A log stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogStream {
    pub name: String,
    pub id: u64,
    pub created_ms: i64,
    pub first_event_ms: Option<i64>,
    pub last_event_ms: Option<i64>,
    pub last_ingestion_ms: Option<i64>,
    /// Batches accepted, for `uploadSequenceToken` (no longer required, still returned).
    pub sequence: u64,
}

impl LogStream {
    /// The upload sequence token CloudWatch Logs returns: a long run of digits.
    pub fn sequence_token(&self) -> String {
        sequence_token(self.sequence)
    }
}

/// The upload sequence token of a stream's `sequence`-th batch.
pub fn sequence_token(sequence: u64) -> String {
    format!("495{sequence:053}")
}

/// `arn:<partition>:logs:<region>:<account>:log-group:<name>` (LogGroup's `logGroupArn`), in the region's partition.
pub fn group_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:logs:{region}:{account}:log-group:{name}", skywatch_model::partition(region))
}

/// The same with the `:*` CloudWatch Logs appends in LogGroup's `arn`.
pub fn group_arn_star(region: &str, account: &str, name: &str) -> String {
    format!("{}:*", group_arn(region, account, name))
}

/// `arn:<partition>:logs:<region>:<account>:log-group:<group>:log-stream:<stream>`.
pub fn stream_arn(region: &str, account: &str, group: &str, stream: &str) -> String {
    format!("{}:log-stream:{stream}", group_arn(region, account, group))
}

/// Whether `name` is a valid log group name (1 to 512 of `[.-_/#A-Za-z0-9]`).
pub fn valid_group_name(name: &str) -> bool {
    (1..=512).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b'#'))
}

/// Whether `name` is a valid log stream name (1 to 512 characters, no `:` or `*`).
pub fn valid_stream_name(name: &str) -> bool {
    (1..=512).contains(&name.chars().count()) && !name.contains([':', '*'])
}

/// A log group named by a `logGroupIdentifier`: its name, or its ARN (with or without `:*`) in the caller's
/// account, region and that region's partition; None for another account's, region's or partition's ARN.
pub fn group_from_identifier<'a>(identifier: &'a str, region: &str, account: &str) -> Option<&'a str> {
    let Some(arn) = skywatch_model::Arn::parse(identifier).filter(|arn| arn.service == "logs") else {
        return Some(identifier);
    };
    if arn.partition != skywatch_model::partition(region) || arn.region != region || arn.account != account {
        return None;
    }
    let rest = arn.resource.strip_prefix("log-group:")?;
    Some(rest.strip_suffix(":*").unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_model_patterns() {
        assert!(valid_group_name("/aws/lambda/shop-api_1.#x"));
        assert!(!valid_group_name(""));
        assert!(!valid_group_name("a b"));
        assert!(!valid_group_name(&"a".repeat(513)));
        assert!(valid_stream_name("2026/12/06/[$LATEST]abc"));
        assert!(!valid_stream_name("a:b"));
        assert!(!valid_stream_name("a*"));
    }

    #[test]
    fn identifiers_are_names_or_own_arns() {
        let (r, a) = ("us-east-1", "123456789012");
        assert_eq!(group_from_identifier("/app", r, a), Some("/app"));
        assert_eq!(group_from_identifier("arn:aws:logs:us-east-1:123456789012:log-group:/app:*", r, a), Some("/app"));
        assert_eq!(group_from_identifier("arn:aws:logs:us-east-1:123456789012:log-group:/app", r, a), Some("/app"));
        assert_eq!(group_from_identifier("arn:aws:logs:us-west-2:123456789012:log-group:/app", r, a), None);
        let cn = group_arn_star("cn-north-1", a, "/app");
        assert_eq!(cn, "arn:aws-cn:logs:cn-north-1:123456789012:log-group:/app:*");
        assert_eq!(group_from_identifier(&cn, "cn-north-1", a), Some("/app"));
        assert_eq!(group_from_identifier(&cn, r, a), None);
        assert_eq!(group_from_identifier("arn:aws:logs:cn-north-1:123456789012:log-group:/app", "cn-north-1", a), None);
    }
}
