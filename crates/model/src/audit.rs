//! The CloudTrail event record, in the exact shape AWS stores and returns it.

use serde::{Deserialize, Serialize};

/// Who made a call, as CloudTrail's `userIdentity` block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentity {
    /// `IAMUser` for access keys, `Root`/`IAMUser` for console users, `AWSService` for internal work.
    #[serde(rename = "type")]
    pub identity_type: String,
    pub principal_id: String,
    pub arn: String,
    pub account_id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub access_key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_name: Option<String>,
}

/// One CloudTrail event record (`eventVersion` 1.09).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailEvent {
    pub event_version: String,
    pub user_identity: UserIdentity,
    /// RFC 3339 UTC with second precision, e.g. `2026-11-22T02:05:32Z`.
    pub event_time: String,
    pub event_source: String,
    pub event_name: String,
    pub aws_region: String,
    #[serde(rename = "sourceIPAddress")]
    pub source_ip_address: String,
    pub user_agent: String,
    pub request_parameters: Option<serde_json::Value>,
    pub response_elements: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error_message: Option<String>,
    #[serde(rename = "requestID")]
    pub request_id: String,
    #[serde(rename = "eventID")]
    pub event_id: String,
    pub read_only: bool,
    /// `AwsApiCall`, `AwsConsoleSignIn` or `AwsServiceEvent`.
    pub event_type: String,
    pub management_event: bool,
    pub recipient_account_id: String,
    pub event_category: String,
    /// Resources named by the request, for the ResourceType/ResourceName lookup attributes.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub resources: Vec<EventResource>,
}

/// A resource touched by an event (`resources[]` in the record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventResource {
    #[serde(rename = "type")]
    pub resource_type: String,
    #[serde(rename = "ARN")]
    pub arn: String,
}

/// The lookup attributes `LookupEvents` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LookupAttributeKey {
    EventId,
    EventName,
    ReadOnly,
    Username,
    ResourceType,
    ResourceName,
    EventSource,
    AccessKeyId,
}

impl LookupAttributeKey {
    pub const ALL: [Self; 8] = [
        Self::EventId,
        Self::EventName,
        Self::ReadOnly,
        Self::Username,
        Self::ResourceType,
        Self::ResourceName,
        Self::EventSource,
        Self::AccessKeyId,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|key| key.as_str() == text)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EventId => "EventId",
            Self::EventName => "EventName",
            Self::ReadOnly => "ReadOnly",
            Self::Username => "Username",
            Self::ResourceType => "ResourceType",
            Self::ResourceName => "ResourceName",
            Self::EventSource => "EventSource",
            Self::AccessKeyId => "AccessKeyId",
        }
    }
}

impl CloudTrailEvent {
    /// The user name CloudTrail shows in event history: the IAM user, else the access key.
    pub fn username(&self) -> Option<&str> {
        self.user_identity.user_name.as_deref().or(self.user_identity.access_key_id.as_deref())
    }

    /// Whether this record matches one lookup attribute, compared the way CloudTrail does (exact value).
    pub fn matches(&self, key: LookupAttributeKey, value: &str) -> bool {
        match key {
            LookupAttributeKey::EventId => self.event_id == value,
            LookupAttributeKey::EventName => self.event_name == value,
            LookupAttributeKey::ReadOnly => value.eq_ignore_ascii_case(if self.read_only { "true" } else { "false" }),
            LookupAttributeKey::Username => self.username() == Some(value),
            LookupAttributeKey::ResourceType => self.resources.iter().any(|r| r.resource_type == value),
            LookupAttributeKey::ResourceName => {
                self.resources.iter().any(|r| r.arn == value || r.arn.rsplit([':', '/']).next() == Some(value))
            }
            LookupAttributeKey::EventSource => self.event_source == value,
            LookupAttributeKey::AccessKeyId => self.user_identity.access_key_id.as_deref() == Some(value),
        }
    }
}
