//! The EventBridge operations (JSON 1.1 at the edge, `AWSEvents.<Op>`): buses (Create/Describe/List/
//! DeleteEventBus), rules (PutRule, DescribeRule, ListRules, Enable/DisableRule, DeleteRule), their targets
//! (PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget), tags (TagResource, UntagResource,
//! ListTagsForResource), TestEventPattern, PutEvents, the bus policy (PutPermission, RemovePermission),
//! UpdateEventBus, archives (Create/Describe/List/Update/DeleteArchive) and replays (Start/Describe/List/
//! CancelReplay), connections and API destinations (Create/Describe/List/Update/Delete, DeauthorizeConnection).

mod api_destinations;
mod archives;
mod bus_settings;
mod buses;
mod connections;
mod partner_sources;
mod put_events;
mod replays;
mod rules;
mod tags;
mod targets;
mod test_pattern;

pub use api_destinations::{
    ApiDestinationDescription, ApiDestinationInput, ApiDestinationNameInput, ApiDestinationPage,
    ApiDestinationStateReply, CreateApiDestination, DeleteApiDestination, DescribeApiDestination, ListApiDestinations,
    ListApiDestinationsInput, UpdateApiDestination,
};
pub use archives::{
    ArchiveDescription, ArchiveNameInput, ArchivePage, ArchiveState, CreateArchive, CreateArchiveInput, DeleteArchive,
    DescribeArchive, ListArchives, ListArchivesInput, MAX_ARCHIVES, UpdateArchive, UpdateArchiveInput,
};
pub use bus_settings::{
    PermissionCondition, PutPermission, PutPermissionInput, RemovePermission, RemovePermissionInput, UpdateEventBus,
    UpdateEventBusInput, UpdatedBus,
};
pub use buses::{
    BusDescription, BusNameInput, BusPage, CreateEventBus, CreateEventBusInput, CreatedBus, DeadLetterConfig,
    DeleteEventBus, DescribeEventBus, DescribeEventBusInput, ListEventBuses, ListEventBusesInput,
};
pub use connections::{
    ConnectionDescription, ConnectionInput, ConnectionNameInput, ConnectionPage, ConnectionStateReply,
    CreateConnection, DeauthorizeConnection, DeleteConnection, DescribeConnection, ListConnections,
    ListConnectionsInput, UpdateConnection,
};
pub use partner_sources::{
    ActivateEventSource, CreatePartnerEventSource, DeactivateEventSource, DeletePartnerEventSource,
    DescribeEventSource, DescribePartnerEventSource, ListEventSources, ListPartnerEventSourceAccounts,
    ListPartnerEventSources, ListSourcesInput, PartnerSourceInput, PutPartnerEvents, PutPartnerEventsInput,
    SourceAccountsInput, SourceDescription, SourceNameInput,
};
pub use put_events::{
    EntryResult, MAX_ENTRIES, MAX_REQUEST_BYTES, PutEvents, PutEventsEntry, PutEventsInput, PutEventsOutput,
};
pub use replays::{
    CancelReplay, DescribeReplay, ListReplays, ListReplaysInput, MAX_ACTIVE_REPLAYS, ReplayDescription,
    ReplayNameInput, ReplayPage, ReplayStarted, StartReplay, StartReplayInput,
};
pub use rules::{
    DeleteRule, DeleteRuleInput, DescribeRule, DisableRule, EnableRule, ListRules, ListRulesInput, MAX_RULES, PutRule,
    PutRuleInput, RuleDescription, RuleNameInput, RulePage,
};
pub use tags::{
    ListTagsForResource, ListTagsForResourceInput, TagResource, TagResourceInput, UntagResource, UntagResourceInput,
};
pub use targets::{
    FailedEntries, ListRuleNamesByTarget, ListRuleNamesByTargetInput, ListTargetsByRule, ListTargetsByRuleInput,
    MAX_TARGETS, PutTargets, PutTargetsInput, RemoveTargets, RemoveTargetsInput, RuleNamePage, TargetPage,
};
pub use test_pattern::{TestEventPattern, TestEventPatternInput};

use serde::Serialize;
use skywatch_ops::{Access, AwsError, ErrorCode, EventResource, Spec, codes};
use skywatch_store::ReadError;

/// Tags on one bus or rule (EventBridge's quota).
pub const MAX_TAGS: usize = 50;
/// The longest description of a bus or a rule (the model's bound).
pub const MAX_DESCRIPTION: usize = 512;
/// Items a page of a list, at most (the model's `LimitMax100`).
pub const MAX_PAGE: usize = 100;

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "events", event_source: "events.amazonaws.com", name, access, limits: &[] }
}

/// Why an EventBridge operation refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventsError {
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    AlreadyExists(String),
    #[error("{0}")]
    InvalidPattern(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("{0}")]
    PolicyLengthExceeded(String),
    #[error("{0}")]
    IllegalStatus(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl From<ReadError> for EventsError {
    fn from(error: ReadError) -> Self {
        EventsError::Storage(error.to_string())
    }
}

impl AwsError for EventsError {
    fn code(&self) -> ErrorCode {
        match self {
            EventsError::Validation(_) => codes::events::VALIDATION,
            EventsError::NotFound(_) => codes::events::RESOURCE_NOT_FOUND,
            EventsError::AlreadyExists(_) => codes::events::RESOURCE_ALREADY_EXISTS,
            EventsError::InvalidPattern(_) => codes::events::INVALID_EVENT_PATTERN,
            EventsError::LimitExceeded(_) => codes::events::LIMIT_EXCEEDED,
            EventsError::PolicyLengthExceeded(_) => codes::events::POLICY_LENGTH_EXCEEDED,
            EventsError::IllegalStatus(_) => codes::events::ILLEGAL_STATUS,
            EventsError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// A member's constraint, refused in AWS's wording.
fn constraint(value: &str, member: &str, rule: &str) -> EventsError {
    EventsError::Validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must {rule}"
    ))
}

/// The rule a name refused by the model's `[\.\-_A-Za-z0-9]+`-style pattern breaks.
const NAME_PATTERN: &str = r"satisfy regular expression pattern: [\.\-_A-Za-z0-9]+";

fn bus_missing(name: &str) -> EventsError {
    EventsError::NotFound(format!("Event bus {name} does not exist."))
}

/// AWS's answer to a quota exceeded.
fn over_quota() -> EventsError {
    EventsError::LimitExceeded("The requested resource exceeds the maximum number allowed.".into())
}

/// A tag of a bus or a rule.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// Checks tags against the model's bounds and the quota.
fn check_tags(tags: &[Tag]) -> Result<(), EventsError> {
    if tags.len() > MAX_TAGS {
        return Err(over_quota());
    }
    for tag in tags {
        if !(1..=128).contains(&tag.key.chars().count()) {
            return Err(constraint(&tag.key, "tags.member.key", "have length between 1 and 128"));
        }
        if tag.value.chars().count() > 256 {
            return Err(constraint(&tag.value, "tags.member.value", "have length less than or equal to 256"));
        }
    }
    Ok(())
}

fn check_description(description: Option<&str>) -> Result<(), EventsError> {
    match description {
        Some(d) if d.chars().count() > MAX_DESCRIPTION => {
            Err(constraint(d, "description", "have length less than or equal to 512"))
        }
        _ => Ok(()),
    }
}

/// A page size: 1 to 100, 100 when not given.
fn page_size(limit: Option<i64>) -> Result<usize, EventsError> {
    match limit {
        None => Ok(MAX_PAGE),
        Some(n) if (1..=MAX_PAGE as i64).contains(&n) => Ok(n as usize),
        Some(n) => Err(constraint(&n.to_string(), "limit", "have value between 1 and 100")),
    }
}

fn bus_resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::Events::EventBus".into(), arn: arn.to_owned() }
}

fn rule_resource(arn: &str) -> EventResource {
    EventResource { resource_type: "AWS::Events::Rule".into(), arn: arn.to_owned() }
}
