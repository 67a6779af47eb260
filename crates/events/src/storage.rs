//! Where buses and rules live: custom buses (`events_buses_v1`, and the default bus once something is set on it)
//! and rules (`events_rules_v1`, under their bus). Values are JSON.

use std::ops::ControlFlow;

use serde::Serialize;
use serde::de::DeserializeOwned;
use skywatch_store::{Change, Direction, Key, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::delivery::storage as delivery;
use crate::model::{EventBus, Rule, RuleState, Target};

/// (account, region, bus name) -> [`EventBus`].
pub const BUSES: Table = Table::new("events_buses_v1");
/// (account, region, bus name, rule name) -> [`Rule`].
pub const RULES: Table = Table::new("events_rules_v1");

/// (account, region, bus name, rule name, target id) -> [`Target`].
pub const TARGETS: Table = Table::new("events_targets_v1");

/// (account, region, bus name) -> how many times its rules or targets have changed (u64, big-endian): PutEvents
/// recompiles a bus's rules when this moves.
pub const RULE_VERSIONS: Table = Table::new("events_rule_versions_v1");

/// Every table of the events service.
pub const TABLES: &[Table] = &[
    BUSES,
    RULES,
    TARGETS,
    RULE_VERSIONS,
    crate::scheduler::SCHEDULES,
    crate::archive::storage::ARCHIVES,
    crate::archive::storage::ARCHIVED,
    crate::archive::storage::ORPHANS,
    crate::archive::storage::REPLAYS,
    crate::connection::storage::CONNECTIONS,
    crate::connection::storage::API_DESTINATIONS,
    crate::partner::PARTNER_SOURCES,
    delivery::PENDING,
    delivery::PENDING_REFS,
    delivery::OUTBOX,
    delivery::TARGET_STATUS,
    delivery::DEAD_LETTERS,
];

pub(crate) fn bus_key(account: &str, region: &str, name: &str) -> Key {
    Key::new().str(account).str(region).str(name)
}

pub(crate) fn rule_key(account: &str, region: &str, bus: &str, name: &str) -> Key {
    bus_key(account, region, bus).str(name)
}

fn target_key(account: &str, region: &str, bus: &str, rule: &str, id: &str) -> Key {
    rule_key(account, region, bus, rule).str(id)
}

pub(crate) fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

/// A change to the events tables.
#[derive(Debug, Clone)]
pub enum EventsChange {
    PutBus {
        account: String,
        region: String,
        bus: Box<EventBus>,
    },
    DeleteBus {
        account: String,
        region: String,
        name: String,
    },
    /// Puts a rule; a schedule rule's next fire time is computed from `now_ms`.
    PutRule {
        account: String,
        region: String,
        rule: Box<Rule>,
        now_ms: i64,
    },
    /// Sets a rule's state, if the rule still exists (an enabled schedule fires next from `now_ms`).
    SetRuleState {
        account: String,
        region: String,
        bus: String,
        name: String,
        state: RuleState,
        now_ms: i64,
    },
    DeleteRule {
        account: String,
        region: String,
        bus: String,
        name: String,
    },
    /// Puts targets on a rule (replacing those with the same id), if the rule still exists.
    PutTargets {
        account: String,
        region: String,
        bus: String,
        rule: String,
        targets: Vec<Target>,
    },
    RemoveTargets {
        account: String,
        region: String,
        bus: String,
        rule: String,
        ids: Vec<String>,
    },
    /// Changes a bus's settings or policy (the default bus is stored if it was not), if it still exists.
    EditBus {
        account: String,
        region: String,
        bus: String,
        edit: BusEdit,
        now_ms: i64,
    },
    /// Replaces the tags of a bus (the default bus is stored if it was not) or of a rule, if it still exists.
    SetTags {
        account: String,
        region: String,
        bus: String,
        rule: Option<String>,
        tags: Vec<(String, String)>,
        now_ms: i64,
    },
}

impl EventsChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl EventsChange {
    /// The bus whose compiled rules this change makes stale, if any.
    fn stales(&self) -> Option<(&str, &str, &str)> {
        match self {
            EventsChange::PutRule { account, region, rule, .. } => Some((account, region, &rule.bus)),
            EventsChange::SetRuleState { account, region, bus, .. }
            | EventsChange::DeleteRule { account, region, bus, .. }
            | EventsChange::PutTargets { account, region, bus, .. }
            | EventsChange::RemoveTargets { account, region, bus, .. } => Some((account, region, bus)),
            EventsChange::DeleteBus { account, region, name } => Some((account, region, name)),
            EventsChange::PutBus { .. } | EventsChange::SetTags { .. } | EventsChange::EditBus { .. } => None,
        }
    }
}

/// Moves the rule version of a bus.
pub(crate) fn bump(tx: &mut Tx<'_>, (account, region, bus): (&str, &str, &str)) -> Result<(), WriteError> {
    let key = bus_key(account, region, bus);
    let version = tx
        .get(RULE_VERSIONS, key.as_bytes())?
        .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
        .map_or(0, u64::from_be_bytes);
    tx.put(RULE_VERSIONS, key.as_bytes(), &version.wrapping_add(1).to_be_bytes())
}

/// The rule version of a bus (0 when its rules never changed).
pub fn rule_version(reader: &Reader, account: &str, region: &str, bus: &str) -> Result<u64, ReadError> {
    Ok(reader
        .get(RULE_VERSIONS, bus_key(account, region, bus).as_bytes())?
        .and_then(|b| <[u8; 8]>::try_from(b.as_slice()).ok())
        .map_or(0, u64::from_be_bytes))
}

impl Change for EventsChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        if let Some(bus) = self.stales() {
            bump(tx, bus)?;
        }
        match self {
            EventsChange::PutBus { account, region, bus } => {
                tx.put(BUSES, bus_key(account, region, &bus.name).as_bytes(), &json(bus)?)
            }
            EventsChange::DeleteBus { account, region, name } => {
                tx.remove(BUSES, bus_key(account, region, name).as_bytes())
            }
            EventsChange::PutRule { account, region, rule, now_ms } => {
                crate::scheduler::plan(tx, (account, region), rule, *now_ms)?;
                tx.put(RULES, rule_key(account, region, &rule.bus, &rule.name).as_bytes(), &json(rule)?)
            }
            EventsChange::SetRuleState { account, region, bus, name, state, now_ms } => {
                let key = rule_key(account, region, bus, name);
                let Some(bytes) = tx.get(RULES, key.as_bytes())? else { return Ok(()) };
                let Ok(mut rule) = serde_json::from_slice::<Rule>(&bytes) else { return Ok(()) };
                rule.state = *state;
                crate::scheduler::plan(tx, (account, region), &rule, *now_ms)?;
                tx.put(RULES, key.as_bytes(), &json(&rule)?)
            }
            EventsChange::DeleteRule { account, region, bus, name } => {
                // A rule goes with its targets (DeleteRule refuses a rule with targets; this covers a PutTargets
                // committed in between).
                let key = rule_key(account, region, bus, name);
                for target in tx.keys_with_prefix(TARGETS, &key, crate::ops::MAX_TARGETS + 1)? {
                    tx.remove(TARGETS, &target)?;
                }
                delivery::forget_targets(tx, (account, region, bus, name), None)?;
                crate::scheduler::forget(tx, (account, region, bus, name))?;
                tx.remove(RULES, key.as_bytes())
            }
            EventsChange::PutTargets { account, region, bus, rule, targets } => {
                if tx.get(RULES, rule_key(account, region, bus, rule).as_bytes())?.is_none() {
                    return Ok(());
                }
                for target in targets {
                    tx.put(TARGETS, target_key(account, region, bus, rule, &target.id).as_bytes(), &json(target)?)?;
                }
                Ok(())
            }
            EventsChange::SetTags { account, region, bus, rule: Some(rule), tags, .. } => {
                let key = rule_key(account, region, bus, rule);
                let Some(bytes) = tx.get(RULES, key.as_bytes())? else { return Ok(()) };
                let Ok(mut stored) = serde_json::from_slice::<Rule>(&bytes) else { return Ok(()) };
                stored.tags.clone_from(tags);
                tx.put(RULES, key.as_bytes(), &json(&stored)?)
            }
            EventsChange::SetTags { account, region, bus, rule: None, tags, now_ms } => {
                edit_bus(tx, (account, region, bus), *now_ms, |stored| {
                    stored.tags.clone_from(tags);
                    true
                })
            }
            EventsChange::EditBus { account, region, bus, edit, now_ms } => {
                edit_bus(tx, (account, region, bus), *now_ms, |stored| edit.apply(stored, *now_ms))
            }
            EventsChange::RemoveTargets { account, region, bus, rule, ids } => {
                for id in ids {
                    tx.remove(TARGETS, target_key(account, region, bus, rule, id).as_bytes())?;
                }
                delivery::forget_targets(tx, (account, region, bus, rule), Some(ids))
            }
        }
    }
}

/// A change to a bus's settings or policy.
#[derive(Debug, Clone)]
pub enum BusEdit {
    /// UpdateEventBus: the settings given (each `None` clears it, as AWS's update replaces them).
    Settings { description: Option<String>, kms_key_identifier: Option<String>, dead_letter_arn: Option<String> },
    /// PutPermission's statement, replacing one with its `Sid`.
    PutStatement(serde_json::Value),
    /// PutPermission's whole policy.
    ReplacePolicy(String),
    /// RemovePermission of one statement.
    RemoveStatement(String),
    /// RemovePermission of every statement.
    ClearPolicy,
}

impl BusEdit {
    /// Applies the edit; false when it no longer applies (the statement went meanwhile).
    fn apply(&self, bus: &mut EventBus, now_ms: i64) -> bool {
        let policy = match self {
            BusEdit::Settings { description, kms_key_identifier, dead_letter_arn } => {
                bus.description.clone_from(description);
                bus.kms_key_identifier.clone_from(kms_key_identifier);
                bus.dead_letter_arn.clone_from(dead_letter_arn);
                bus.modified_ms = now_ms;
                return true;
            }
            BusEdit::PutStatement(statement) => crate::policy::put_statement(bus.policy.as_deref(), statement.clone()),
            BusEdit::ReplacePolicy(policy) => Ok(Some(policy.clone())),
            BusEdit::RemoveStatement(sid) => crate::policy::remove_statement(bus.policy.as_deref(), sid),
            BusEdit::ClearPolicy => Ok(None),
        };
        match policy {
            Ok(policy) => {
                bus.policy = policy;
                bus.modified_ms = now_ms;
                true
            }
            Err(_) => false,
        }
    }
}

/// Reads bus `bus` (the default bus as if stored), lets `edit` change it, and stores it if `edit` says so.
fn edit_bus(
    tx: &mut Tx<'_>,
    (account, region, bus): (&str, &str, &str),
    now_ms: i64,
    edit: impl FnOnce(&mut EventBus) -> bool,
) -> Result<(), WriteError> {
    let key = bus_key(account, region, bus);
    let mut stored = match tx.get(BUSES, key.as_bytes())? {
        Some(bytes) => match serde_json::from_slice::<EventBus>(&bytes) {
            Ok(stored) => stored,
            Err(_) => return Ok(()),
        },
        None if bus == crate::model::DEFAULT_BUS => EventBus::new(bus, now_ms),
        None => return Ok(()),
    };
    if edit(&mut stored) {
        tx.put(BUSES, key.as_bytes(), &json(&stored)?)?;
    }
    Ok(())
}

fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|_| ReadError::Corrupt(what.to_owned()))
}

/// Bus `name`, if it is stored.
pub fn bus(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<EventBus>, ReadError> {
    reader.get(BUSES, bus_key(account, region, name).as_bytes())?.map(|b| decode(&b, "event bus")).transpose()
}

/// Rule `name` on `bus`.
pub fn rule(reader: &Reader, account: &str, region: &str, bus: &str, name: &str) -> Result<Option<Rule>, ReadError> {
    reader.get(RULES, rule_key(account, region, bus, name).as_bytes())?.map(|b| decode(&b, "rule")).transpose()
}

/// Up to `limit` values under `base` whose last key part starts with `prefix` and is after `after`, in key
/// order.
pub(crate) fn page<T: DeserializeOwned>(
    reader: &Reader,
    table: Table,
    base: Key,
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<T>, ReadError> {
    let start = base.clone().str_prefix(prefix);
    let end = start.prefix_end();
    let from = match after {
        Some(after) => {
            let mut past = base.str(after).into_bytes();
            past.push(0);
            past.max(start.as_bytes().to_vec())
        }
        None => start.as_bytes().to_vec(),
    };
    let mut out = Vec::new();
    reader.scan(table, (Some(&from), end.as_deref()), Direction::Forward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(item) = serde_json::from_slice::<T>(value) {
            out.push(item);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Stored buses by name: those starting with `prefix`, after `after`, up to `limit`.
pub fn buses(
    reader: &Reader,
    account: &str,
    region: &str,
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<EventBus>, ReadError> {
    page(reader, BUSES, Key::new().str(account).str(region), prefix, after, limit)
}

/// The rules of `bus` by name: those starting with `prefix`, after `after`, up to `limit`.
pub fn rules(
    reader: &Reader,
    account: &str,
    region: &str,
    bus: &str,
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Rule>, ReadError> {
    page(reader, RULES, bus_key(account, region, bus), prefix, after, limit)
}

/// The targets of rule `rule` by id: those after `after`, up to `limit`.
pub fn targets(
    reader: &Reader,
    account: &str,
    region: &str,
    bus: &str,
    rule: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<Target>, ReadError> {
    page(reader, TARGETS, rule_key(account, region, bus, rule), "", after, limit)
}
