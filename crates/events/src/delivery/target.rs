//! What a target's ARN names, and the sinks outside EventBridge that deliveries go to (the server's HTTP client,
//! SNS-compatible topics and log groups, which the core provides: this crate opens no sockets).

use std::future::Future;
use std::pin::Pin;

use skywatch_store::{Mutation, ReadError, Reader};

pub use crate::connection::http::{HttpRequest, HttpResponse};

/// The kinds of target Skywatch delivers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetKind {
    /// An SNS-compatible topic.
    Topic { arn: String },
    /// A CloudWatch Logs log group (`arn:…:logs:<region>:<account>:log-group:<name>[:*]`).
    LogGroup { region: String, account: String, name: String },
    /// An event bus, in this account or another, in this region or another.
    Bus { region: String, account: String, name: String },
    /// An API destination (`arn:…:events:<region>:<account>:api-destination/<name>/<id>`).
    ApiDestination { region: String, account: String, name: String },
    /// A webhook URL: Skywatch's stand-in for a Lambda function, posted the event as Lambda would get it.
    Webhook { url: String },
    /// A Lambda function ARN (Skywatch runs no functions: point the target at a webhook URL instead).
    Function { arn: String },
    /// Anything else.
    Unsupported { arn: String },
}

impl TargetKind {
    pub fn of(arn: &str) -> TargetKind {
        if arn.starts_with("http://") || arn.starts_with("https://") {
            return TargetKind::Webhook { url: arn.to_owned() };
        }
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let unsupported = || TargetKind::Unsupported { arn: arn.to_owned() };
        let [scheme, _partition, service, region, account, resource] = parts[..] else { return unsupported() };
        if scheme != "arn" {
            return unsupported();
        }
        let (region, account) = (region.to_owned(), account.to_owned());
        match service {
            "sns" => TargetKind::Topic { arn: arn.to_owned() },
            "logs" => match resource.strip_prefix("log-group:") {
                Some(name) if !name.is_empty() => {
                    TargetKind::LogGroup { region, account, name: name.trim_end_matches(":*").to_owned() }
                }
                _ => unsupported(),
            },
            "events" => {
                if let Some(name) = resource.strip_prefix("event-bus/").filter(|n| !n.is_empty()) {
                    TargetKind::Bus { region, account, name: name.to_owned() }
                } else if let Some(rest) = resource.strip_prefix("api-destination/") {
                    let name = rest.split('/').next().unwrap_or_default().to_owned();
                    TargetKind::ApiDestination { region, account, name }
                } else {
                    unsupported()
                }
            }
            "lambda" => TargetKind::Function { arn: arn.to_owned() },
            _ => unsupported(),
        }
    }
}

/// Why a sink did not take a delivery: EventBridge's error code for it (as a dead letter's `ERROR_CODE`), what
/// happened, and whether trying again may help; or that the delivery must wait (an API destination's rate) until
/// `throttled_until`, which is no attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkError {
    pub code: &'static str,
    pub message: String,
    pub retry: bool,
    pub throttled_until: Option<i64>,
}

impl SinkError {
    pub fn retry(code: &'static str, message: impl Into<String>) -> Self {
        SinkError { code, message: message.into(), retry: true, throttled_until: None }
    }

    pub fn permanent(code: &'static str, message: impl Into<String>) -> Self {
        SinkError { code, message: message.into(), retry: false, throttled_until: None }
    }

    pub fn throttled(until_ms: i64) -> Self {
        SinkError { code: "THROTTLING", message: "rate limited".into(), retry: true, throttled_until: Some(until_ms) }
    }
}

impl From<ReadError> for SinkError {
    fn from(error: ReadError) -> Self {
        SinkError::retry("SDK_CLIENT_ERROR", error.to_string())
    }
}

/// A boxed future a sink answers with.
pub type SinkFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// How an HTTP request went: the endpoint's answer, or why there was none.
pub type SendOutcome = Result<HttpResponse, String>;

/// An HTTP client (the server's).
pub trait HttpClient: Send + Sync + 'static {
    /// Sends `request`, reading at most [`crate::connection::http::MAX_RESPONSE_BYTES`] of the answer.
    fn send(&self, request: HttpRequest) -> SinkFuture<SendOutcome>;
}

/// The sinks outside EventBridge.
pub trait Sinks: Send + Sync + 'static {
    /// Sends `request` (webhooks, API destinations, OAuth token endpoints).
    fn send(&self, request: HttpRequest) -> SinkFuture<SendOutcome>;

    /// The mutations that publish `message` to topic `arn` (committed with the delivery's outcome).
    fn publish(&self, reader: &Reader, arn: &str, message: &str, now_ms: i64) -> Result<Vec<Mutation>, SinkError>;

    /// The mutations that store `message` at `timestamp_ms` in stream `stream` (made if missing) of log group
    /// `name` in (`account`, `region`).
    fn put_log_event(
        &self,
        group: (&str, &str, &str),
        stream: &str,
        event: (i64, String),
        now_ms: i64,
    ) -> SinkFuture<Result<Vec<Mutation>, SinkError>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_name_their_kind() {
        let cases = [
            ("arn:aws:sns:us-east-1:1:alerts", TargetKind::Topic { arn: "arn:aws:sns:us-east-1:1:alerts".into() }),
            (
                "arn:aws:logs:us-east-1:1:log-group:/aws/events/orders:*",
                TargetKind::LogGroup {
                    region: "us-east-1".into(),
                    account: "1".into(),
                    name: "/aws/events/orders".into(),
                },
            ),
            (
                "arn:aws:events:eu-west-1:2:event-bus/central",
                TargetKind::Bus { region: "eu-west-1".into(), account: "2".into(), name: "central".into() },
            ),
            (
                "arn:aws:events:us-east-1:1:api-destination/hook/0a1b",
                TargetKind::ApiDestination { region: "us-east-1".into(), account: "1".into(), name: "hook".into() },
            ),
            ("http://127.0.0.1:9/fn", TargetKind::Webhook { url: "http://127.0.0.1:9/fn".into() }),
            (
                "arn:aws:lambda:us-east-1:1:function:f",
                TargetKind::Function { arn: "arn:aws:lambda:us-east-1:1:function:f".into() },
            ),
            ("arn:aws:sqs:us-east-1:1:q", TargetKind::Unsupported { arn: "arn:aws:sqs:us-east-1:1:q".into() }),
            ("nonsense", TargetKind::Unsupported { arn: "nonsense".into() }),
        ];
        for (arn, kind) in cases {
            assert_eq!(TargetKind::of(arn), kind, "{arn}");
        }
    }
}
