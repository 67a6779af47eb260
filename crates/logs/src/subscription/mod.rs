//! Subscription filters: what a filter is and where it delivers ([`Destination`]), how filters and their queued
//! deliveries are stored ([`storage`]), the CloudWatch Logs subscription payload ([`payload`]), and the deliverer
//! that drains the queue with retries and backoff ([`deliver`]).
//!
//! A PutLogEvents batch queues one delivery per subscription filter that matched any of its events, in the batch's
//! own commit: an acknowledged event is never lost to a crash before delivery, and a restart delivers what was
//! queued. Destinations are an HTTP(S) endpoint (the gzip JSON payload is posted), an SNS-compatible topic of
//! Skywatch (the payload travels as Lambda receives it: `{"awslogs":{"data":"<base64 gzip>"}}`), or another log
//! group (the events are stored there, in a stream named after their source).

pub mod deliver;
mod matching;
pub mod payload;
pub mod storage;

pub use matching::{BatchPlace, plan_deliveries};

use serde::{Deserialize, Serialize};
use skywatch_store::{Mutation, ReadError, Reader};

use crate::LogsError;

/// The most subscription filters a log group has (AWS's quota).
pub const MAX_SUBSCRIPTION_FILTERS: usize = 2;

/// A subscription filter as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionFilter {
    pub filter_name: String,
    pub log_group_name: String,
    pub filter_pattern: String,
    pub destination_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// `ByLogStream` (the default) or `Random`.
    pub distribution: String,
    #[serde(default)]
    pub apply_on_transformed_logs: bool,
    pub creation_time: i64,
}

/// Where a subscription filter delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// An HTTP or HTTPS endpoint: the gzip JSON payload is posted to it.
    Http { url: String },
    /// An SNS-compatible topic of this server.
    Topic { arn: String },
    /// A log group of this server.
    LogGroup { account: String, region: String, name: String },
}

impl Destination {
    /// The destination `arn` names, or why Skywatch cannot deliver there.
    pub fn parse(arn: &str) -> Result<Self, LogsError> {
        if arn.starts_with("http://") || arn.starts_with("https://") {
            let url = url::Url::parse(arn).map_err(|_| unreachable(arn))?;
            if url.host_str().is_none_or(str::is_empty) || !url.username().is_empty() || url.password().is_some() {
                return Err(unreachable(arn));
            }
            return Ok(Destination::Http { url: url.to_string() });
        }
        let parsed = skywatch_model::Arn::parse(arn).ok_or_else(|| unreachable(arn))?;
        let (region, account) = (parsed.region, parsed.account);
        match (parsed.service, parsed.resource) {
            ("sns", name) if !region.is_empty() && account.len() == 12 && !name.is_empty() => {
                Ok(Destination::Topic { arn: arn.to_owned() })
            }
            ("logs", rest) if !region.is_empty() && account.len() == 12 => {
                let name = rest.strip_prefix("log-group:").ok_or_else(|| unreachable(arn))?;
                let name = name.strip_suffix(":*").unwrap_or(name);
                if !crate::model::valid_group_name(name) {
                    return Err(unreachable(arn));
                }
                Ok(Destination::LogGroup {
                    account: account.to_owned(),
                    region: region.to_owned(),
                    name: name.to_owned(),
                })
            }
            _ => Err(unreachable(arn)),
        }
    }
}

fn unreachable(arn: &str) -> LogsError {
    LogsError::InvalidParameter(format!(
        "Could not deliver test message to specified destination {arn}: Skywatch delivers to an http(s):// endpoint, \
         an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<topic>) or a log group ARN \
         (arn:<partition>:logs:<region>:<account>:log-group:<name>)."
    ))
}

/// The SNS-compatible topics of the server, as subscription filters see them (the core wires Skywatch's topics
/// in; the logs engine does not depend on them).
pub trait Topics: Send + Sync + 'static {
    /// Whether topic `arn` exists.
    fn exists(&self, reader: &Reader, arn: &str) -> Result<bool, ReadError>;
    /// The mutations that publish `message` to topic `arn` (committed with the delivery's removal from the
    /// queue), or why it cannot be published.
    fn publish(&self, reader: &Reader, arn: &str, message: &str, now_ms: i64) -> Result<Vec<Mutation>, String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_endpoints_topics_or_log_groups() {
        let cases: &[(&str, Option<Destination>)] = &[
            ("https://example.test/logs", Some(Destination::Http { url: "https://example.test/logs".into() })),
            ("http://127.0.0.1:9000/in?x=1", Some(Destination::Http { url: "http://127.0.0.1:9000/in?x=1".into() })),
            ("http://user:pw@example.test/", None),
            ("https://", None),
            (
                "arn:aws:sns:us-east-1:123456789012:alerts",
                Some(Destination::Topic { arn: "arn:aws:sns:us-east-1:123456789012:alerts".into() }),
            ),
            ("arn:aws:sns:us-east-1:1234:alerts", None),
            (
                "arn:aws-cn:sns:cn-north-1:123456789012:alerts",
                Some(Destination::Topic { arn: "arn:aws-cn:sns:cn-north-1:123456789012:alerts".into() }),
            ),
            (
                "arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:/central",
                Some(Destination::LogGroup {
                    account: "123456789012".into(),
                    region: "us-gov-west-1".into(),
                    name: "/central".into(),
                }),
            ),
            ("arn:awsx:sns:us-east-1:123456789012:alerts", None),
            (
                "arn:aws:logs:us-east-1:123456789012:log-group:/central/all:*",
                Some(Destination::LogGroup {
                    account: "123456789012".into(),
                    region: "us-east-1".into(),
                    name: "/central/all".into(),
                }),
            ),
            ("arn:aws:logs:us-east-1:123456789012:destination:central", None),
            ("arn:aws:logs:us-east-1:123456789012:log-group:bad name", None),
            ("arn:aws:kinesis:us-east-1:123456789012:stream/s", None),
            ("", None),
        ];
        for (arn, expected) in cases {
            assert_eq!(Destination::parse(arn).ok(), *expected, "{arn}");
        }
        let refusal = Destination::parse("arn:aws:lambda:us-east-1:123456789012:function:f").unwrap_err();
        assert!(matches!(refusal, LogsError::InvalidParameter(m) if m.starts_with("Could not deliver test message")));
    }
}
