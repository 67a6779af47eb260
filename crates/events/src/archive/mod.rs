//! Archives and replays. An archive keeps the events of its bus that match its pattern (every event without one),
//! for its retention or forever: the router matches archives with the bus's rules and the commit that accepts an
//! event appends it (`events_archived_v1`, under the archive's incarnation id and the time it was taken), keeping
//! the archive's count and size. Replayed events are not archived again. A replay ([`replay`]) sends an archive's
//! events of a time range back to the bus's rules (or those it names), each with `replay-name` and a new id, a
//! chunk a commit, its progress kept with the chunk, until done or cancelled. [`retention`] drops events past
//! their archive's retention and sweeps deleted archives.

pub mod replay;
pub mod retention;
pub mod storage;

use serde::{Deserialize, Serialize};

/// An archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archive {
    pub name: String,
    /// This incarnation of the name (its events are kept under it, so a deleted archive's are never seen again).
    pub id: u64,
    /// The bus whose events it keeps (in the archive's account and region).
    pub bus: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_pattern: Option<String>,
    /// Days events are kept; 0 is forever.
    pub retention_days: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kms_key_identifier: Option<String>,
    pub created_ms: i64,
    pub event_count: u64,
    pub size_bytes: u64,
}

/// A replay's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReplayState {
    Starting,
    Running,
    Cancelling,
    Completed,
    Cancelled,
    Failed,
}

impl ReplayState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplayState::Starting => "STARTING",
            ReplayState::Running => "RUNNING",
            ReplayState::Cancelling => "CANCELLING",
            ReplayState::Completed => "COMPLETED",
            ReplayState::Cancelled => "CANCELLED",
            ReplayState::Failed => "FAILED",
        }
    }

    pub fn parse(text: &str) -> Option<ReplayState> {
        [
            ReplayState::Starting,
            ReplayState::Running,
            ReplayState::Cancelling,
            ReplayState::Completed,
            ReplayState::Cancelled,
            ReplayState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether the replay still has work (it counts against the ten active replays).
    pub fn is_active(self) -> bool {
        matches!(self, ReplayState::Starting | ReplayState::Running | ReplayState::Cancelling)
    }
}

/// A replay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replay {
    pub name: String,
    pub archive: String,
    /// The archive's incarnation when the replay started.
    pub archive_id: u64,
    pub archive_arn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The destination bus (the archive's own).
    pub bus: String,
    pub bus_arn: String,
    /// The rules replayed to (their ARNs); empty: every rule of the bus.
    #[serde(default)]
    pub filter_arns: Vec<String>,
    pub event_start_ms: i64,
    pub event_end_ms: i64,
    pub state: ReplayState,
    pub started_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_ms: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_replayed_ms: Option<i64>,
    /// The archived event replayed last: (time ms, id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<(i64, u64)>,
    /// Events replayed so far.
    #[serde(default)]
    pub replayed: u64,
}

/// The ARN of an archive.
pub fn archive_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:events:{region}:{account}:archive/{name}", skywatch_model::partition(region))
}

/// The ARN of a replay.
pub fn replay_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:events:{region}:{account}:replay/{name}", skywatch_model::partition(region))
}

/// The name an archive ARN of (`region`, `account`) names.
pub fn archive_name<'a>(arn: &'a str, region: &str, account: &str) -> Option<&'a str> {
    let mut parts = arn.splitn(6, ':');
    let (scheme, _, service, arn_region, arn_account, resource) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let name = resource.strip_prefix("archive/")?;
    (scheme == "arn" && service == "events" && arn_region == region && arn_account == account && !name.is_empty())
        .then_some(name)
}
