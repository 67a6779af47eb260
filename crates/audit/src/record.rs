//! Building CloudTrail event records from what the front door or the console knows about a call.

use chrono::{DateTime, SecondsFormat, Utc};
use skywatch_model::{Caller, CloudTrailEvent, EventResource, UserIdentity};
use skywatch_store::Mutation;

/// What kind of event a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// An API call (from an SDK, the CLI, the console or the demo).
    ApiCall,
    /// A console sign-in.
    ConsoleSignIn,
}

/// Everything known about one call, from which its CloudTrail record is built.
#[derive(Debug, Clone)]
pub struct CallRecord {
    pub kind: EventKind,
    pub caller: Caller,
    /// The account the call acted in (`recipientAccountId`).
    pub account: String,
    pub region: String,
    pub time: DateTime<Utc>,
    /// e.g. `monitoring.amazonaws.com`.
    pub event_source: String,
    /// The operation, e.g. `PutMetricData`.
    pub event_name: String,
    /// Whether the operation only reads (from its spec, never guessed from its name).
    pub read_only: bool,
    pub source_ip: String,
    pub user_agent: String,
    pub request_id: String,
    pub request_parameters: Option<serde_json::Value>,
    pub response_elements: Option<serde_json::Value>,
    pub error: Option<(String, String)>,
    pub resources: Vec<EventResource>,
}

/// Builds the record in AWS's format; the caller's ARN is in the partition of the call's region.
pub fn build_event(call: CallRecord) -> CloudTrailEvent {
    let partition = skywatch_model::partition(&call.region);
    let user_identity = match &call.caller {
        Caller::AccessKey { access_key_id, account, .. } => UserIdentity {
            identity_type: "IAMUser".into(),
            principal_id: access_key_id.clone(),
            arn: format!("arn:{partition}:iam::{account}:user/{access_key_id}"),
            account_id: account.clone(),
            access_key_id: Some(access_key_id.clone()),
            user_name: Some(access_key_id.clone()),
        },
        Caller::ConsoleUser { name, account, .. } => UserIdentity {
            identity_type: "IAMUser".into(),
            principal_id: name.clone(),
            arn: format!("arn:{partition}:iam::{account}:user/{name}"),
            account_id: account.clone(),
            access_key_id: None,
            user_name: Some(name.clone()),
        },
        Caller::Service { service, account } => UserIdentity {
            identity_type: "AWSService".into(),
            principal_id: service.clone(),
            arn: String::new(),
            account_id: account.clone(),
            access_key_id: None,
            user_name: None,
        },
        Caller::Anonymous { account } => UserIdentity {
            identity_type: "Root".into(),
            principal_id: account.clone(),
            arn: format!("arn:{partition}:iam::{account}:root"),
            account_id: account.clone(),
            access_key_id: None,
            user_name: Some("root".into()),
        },
    };
    let (error_code, error_message) = match call.error {
        Some((code, message)) => (Some(cut(code, MAX_TEXT_BYTES)), Some(cut(message, MAX_TEXT_BYTES))),
        None => (None, None),
    };
    CloudTrailEvent {
        event_version: "1.09".into(),
        user_identity,
        event_time: call.time.to_rfc3339_opts(SecondsFormat::Secs, true),
        read_only: call.read_only,
        event_source: call.event_source,
        event_name: call.event_name,
        aws_region: call.region,
        source_ip_address: call.source_ip,
        user_agent: cut(call.user_agent, MAX_TEXT_BYTES),
        request_parameters: call.request_parameters,
        response_elements: call.response_elements,
        error_code,
        error_message,
        request_id: call.request_id,
        event_id: uuid::Uuid::now_v7().to_string(),
        event_type: match call.kind {
            EventKind::ApiCall => "AwsApiCall".into(),
            EventKind::ConsoleSignIn => "AwsConsoleSignIn".into(),
        },
        management_event: true,
        recipient_account_id: call.account,
        event_category: "Management".into(),
        resources: call.resources,
    }
}

/// The most bytes of a record's free texts (user agent, error message), which the caller controls (an error may
/// echo a parameter; a user agent is any header): longer ones are cut, marked with an ellipsis (issue 10).
pub const MAX_TEXT_BYTES: usize = 1024;

/// `text` cut to at most `max` bytes at a character boundary, with `…` when cut.
fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let end = (0..=max.saturating_sub(3)).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        text.truncate(end);
        text.push('…');
    }
    text
}

/// The store mutation that persists a record, to be committed in the same batch as the data it describes.
/// `time` is the call's own time, kept to the millisecond so records order within a second.
pub fn to_mutation(event: &CloudTrailEvent, time: DateTime<Utc>) -> Mutation {
    let time_ms = time.timestamp_millis();
    Mutation::from(crate::storage::PutAuditEvent {
        account: event.recipient_account_id.clone(),
        region: event.aws_region.clone(),
        time_ms,
        event_id: event.event_id.clone(),
        // Serialising a struct of strings, bools and JSON values cannot fail.
        record_json: serde_json::to_vec(event).unwrap_or_default(),
    })
}
