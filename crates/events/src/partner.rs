//! Partner event sources, simulated: a partner (any account) creates a source for a customer account
//! (`aws.partner/<partner>/<name>`); the customer sees it PENDING until it makes the partner bus of the same name,
//! which turns it ACTIVE (deleting the bus turns it back); the partner's PutPartnerEvents reach that bus only while
//! the source is active. Sources live in `events_partner_sources_v1`, by region, name and customer account.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::storage::json;

/// (region, source name, customer account) -> [`PartnerSource`] (JSON).
pub const PARTNER_SOURCES: Table = Table::new("events_partner_sources_v1");

/// A source's state as its customer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SourceState {
    Pending,
    Active,
    Deleted,
}

impl SourceState {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceState::Pending => "PENDING",
            SourceState::Active => "ACTIVE",
            SourceState::Deleted => "DELETED",
        }
    }
}

/// A partner event source for one customer account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerSource {
    pub name: String,
    /// The customer account.
    pub account: String,
    /// The partner's account.
    pub created_by: String,
    pub created_ms: i64,
    pub state: SourceState,
    /// Whether the customer deactivated it (it stays so until activated).
    #[serde(default)]
    pub deactivated: bool,
}

/// How long a source waits for its customer's bus (AWS: 12 days), after which it shows its expiration time.
pub const PENDING_FOR_MS: i64 = 12 * 86_400_000;

/// Whether `name` is a partner source name: `aws.partner/` then at least two parts of `[.-_A-Za-z0-9]`.
pub fn valid_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("aws.partner/") else { return false };
    let parts: Vec<&str> = rest.split('/').collect();
    name.len() <= 256
        && parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)))
}

/// The ARN of an event source.
pub fn source_arn(region: &str, name: &str) -> String {
    format!("arn:{}:events:{region}::event-source/{name}", skywatch_model::partition(region))
}

fn key(region: &str, name: &str, account: &str) -> Key {
    Key::new().str(region).str(name).str(account)
}

/// A change to partner sources.
#[derive(Debug, Clone)]
pub enum PartnerChange {
    Put {
        region: String,
        source: Box<PartnerSource>,
    },
    Delete {
        region: String,
        name: String,
        account: String,
    },
    /// The customer's partner bus was made (`true`) or deleted: the source follows, if there is one.
    BusExists {
        region: String,
        name: String,
        account: String,
        exists: bool,
    },
}

impl PartnerChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for PartnerChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            PartnerChange::Put { region, source } => {
                tx.put(PARTNER_SOURCES, key(region, &source.name, &source.account).as_bytes(), &json(source)?)
            }
            PartnerChange::Delete { region, name, account } => {
                tx.remove(PARTNER_SOURCES, key(region, name, account).as_bytes())
            }
            PartnerChange::BusExists { region, name, account, exists } => {
                let at = key(region, name, account);
                let Some(bytes) = tx.get(PARTNER_SOURCES, at.as_bytes())? else { return Ok(()) };
                let Ok(mut source) = serde_json::from_slice::<PartnerSource>(&bytes) else { return Ok(()) };
                source.state = if *exists && !source.deactivated { SourceState::Active } else { SourceState::Pending };
                tx.put(PARTNER_SOURCES, at.as_bytes(), &json(&source)?)
            }
        }
    }
}

/// Source `name` for `account` in `region`.
pub fn source(reader: &Reader, region: &str, name: &str, account: &str) -> Result<Option<PartnerSource>, ReadError> {
    reader
        .get(PARTNER_SOURCES, key(region, name, account).as_bytes())?
        .map(|b| serde_json::from_slice(&b).map_err(|_| ReadError::Corrupt("partner event source".into())))
        .transpose()
}

/// Sources in `region` whose names start with `prefix`, up to `limit`, by name then account.
pub fn sources(reader: &Reader, region: &str, prefix: &str, limit: usize) -> Result<Vec<PartnerSource>, ReadError> {
    let start = Key::new().str(region).str_prefix(prefix);
    let end = start.prefix_end();
    let mut out = Vec::new();
    reader.scan(PARTNER_SOURCES, (Some(start.as_bytes()), end.as_deref()), Direction::Forward, |_, value| {
        if let Ok(source) = serde_json::from_slice(value) {
            out.push(source);
        }
        if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_source_names() {
        assert!(valid_name("aws.partner/example.com/123/orders"));
        assert!(valid_name("aws.partner/saas.test/shop"));
        assert!(!valid_name("aws.partner/only-one"));
        assert!(!valid_name("partner/example.com/x"));
        assert!(!valid_name("aws.partner/example.com//x"));
        assert_eq!(
            source_arn("us-east-1", "aws.partner/a/b"),
            "arn:aws:events:us-east-1::event-source/aws.partner/a/b"
        );
    }
}
