//! Where remediation lives: each rule's configuration (`config_remediations_v1`), each resource's execution
//! (`config_remediation_executions_v1`) and the queue of attempts due (`config_remediation_queue_v1`). Queueing
//! reads the execution inside the commit, so a resource is never queued twice.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use super::model::{Execution, Remediation, STEPS_KEPT, State, Step};

/// (account, region, rule name) -> [`Remediation`].
pub const REMEDIATIONS: Table = Table::new("config_remediations_v1");
/// (account, region, rule name, resource type, resource id) -> [`Execution`].
pub const EXECUTIONS: Table = Table::new("config_remediation_executions_v1");
/// (due ms, account, region, rule name, resource type, resource id) -> nothing.
pub const QUEUE: Table = Table::new("config_remediation_queue_v1");

/// The remediation tables.
pub const REMEDIATION_TABLES: &[Table] = &[REMEDIATIONS, EXECUTIONS, QUEUE];

fn scoped(account: &str, region: &str) -> Key {
    Key::new().str(account).str(region)
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8], what: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|error| ReadError::Corrupt(format!("{what}: {error}")))
}

/// One queued attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub key: Vec<u8>,
    pub account: String,
    pub region: String,
    pub rule: String,
    pub resource_type: String,
    pub resource_id: String,
}

fn execution_key(account: &str, region: &str, rule: &str, resource_type: &str, resource_id: &str) -> Key {
    scoped(account, region).str(rule).str(resource_type).str(resource_id)
}

fn queue_key(due_ms: i64, account: &str, region: &str, rule: &str, resource_type: &str, resource_id: &str) -> Key {
    Key::new().i64(due_ms).str(account).str(region).str(rule).str(resource_type).str(resource_id)
}

/// Queues an execution inside a commit unless one is queued or running; `automatic` executions only start
/// when the rule's remediation is automatic.
pub fn queue_in(
    tx: &mut Tx<'_>,
    (account, region): (&str, &str),
    (rule, resource_type, resource_id): (&str, &str, &str),
    now_ms: i64,
    automatic: bool,
) -> Result<bool, WriteError> {
    let Some(bytes) = tx.get(REMEDIATIONS, scoped(account, region).str(rule).as_bytes())? else { return Ok(false) };
    let remediation: Remediation =
        serde_json::from_slice(&bytes).map_err(|error| WriteError::Storage(error.to_string()))?;
    if automatic && !remediation.automatic {
        return Ok(false);
    }
    if remediation.resource_type.as_ref().is_some_and(|t| t != resource_type) {
        return Ok(false);
    }
    let key = execution_key(account, region, rule, resource_type, resource_id);
    let previous: Option<Execution> = tx
        .get(EXECUTIONS, key.as_bytes())?
        .map(|b| serde_json::from_slice(&b))
        .transpose()
        .map_err(|error| WriteError::Storage(error.to_string()))?;
    if previous.as_ref().is_some_and(|e| matches!(e.state, State::Queued | State::InProgress)) {
        return Ok(false);
    }
    let execution = Execution {
        rule: rule.to_owned(),
        resource_type: resource_type.to_owned(),
        resource_id: resource_id.to_owned(),
        state: State::Queued,
        attempts: 0,
        invoked_ms: now_ms,
        updated_ms: now_ms,
        automatic,
        steps: previous.map(|e| e.steps).unwrap_or_default(),
    };
    tx.put(EXECUTIONS, key.as_bytes(), &json(&execution)?)?;
    tx.put(QUEUE, queue_key(now_ms, account, region, rule, resource_type, resource_id).as_bytes(), &[])?;
    Ok(true)
}

/// A change to the remediation tables.
#[derive(Debug, Clone)]
pub enum RemediationChange {
    Put {
        account: String,
        region: String,
        remediation: Box<Remediation>,
    },
    Delete {
        account: String,
        region: String,
        rule: String,
    },
    /// Queues executions (StartRemediationExecution).
    Queue {
        account: String,
        region: String,
        rule: String,
        resources: Vec<(String, String)>,
        now_ms: i64,
    },
    /// An attempt finished: its step is added; `retry_at` queues the next one, else the execution ends.
    Attempted {
        due: Box<Due>,
        step: Step,
        succeeded: bool,
        retry_at: Option<i64>,
    },
}

impl RemediationChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for RemediationChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            RemediationChange::Put { account, region, remediation } => {
                tx.put(REMEDIATIONS, scoped(account, region).str(&remediation.rule).as_bytes(), &json(remediation)?)
            }
            RemediationChange::Delete { account, region, rule } => {
                tx.remove(REMEDIATIONS, scoped(account, region).str(rule).as_bytes())
            }
            RemediationChange::Queue { account, region, rule, resources, now_ms } => {
                for (resource_type, resource_id) in resources {
                    queue_in(tx, (account, region), (rule, resource_type, resource_id), *now_ms, false)?;
                }
                Ok(())
            }
            RemediationChange::Attempted { due, step, succeeded, retry_at } => {
                tx.remove(QUEUE, &due.key)?;
                let key = execution_key(&due.account, &due.region, &due.rule, &due.resource_type, &due.resource_id);
                let Some(bytes) = tx.get(EXECUTIONS, key.as_bytes())? else { return Ok(()) };
                let mut execution: Execution =
                    serde_json::from_slice(&bytes).map_err(|error| WriteError::Storage(error.to_string()))?;
                execution.attempts += 1;
                execution.updated_ms = step.stop_ms;
                execution.steps.push(step.clone());
                if execution.steps.len() > STEPS_KEPT {
                    let extra = execution.steps.len() - STEPS_KEPT;
                    execution.steps.drain(..extra);
                }
                execution.state = match (succeeded, retry_at) {
                    (true, _) => State::Succeeded,
                    (false, Some(at)) => {
                        let next =
                            queue_key(*at, &due.account, &due.region, &due.rule, &due.resource_type, &due.resource_id);
                        tx.put(QUEUE, next.as_bytes(), &[])?;
                        State::InProgress
                    }
                    (false, None) => State::Failed,
                };
                tx.put(EXECUTIONS, key.as_bytes(), &json(&execution)?)
            }
        }
    }
}

/// The remediation configurations of the named rules.
pub fn remediation(
    reader: &Reader,
    (account, region): (&str, &str),
    rule: &str,
) -> Result<Option<Remediation>, ReadError> {
    reader
        .get(REMEDIATIONS, scoped(account, region).str(rule).as_bytes())?
        .map(|b| parse(&b, "remediation"))
        .transpose()
}

/// One resource's execution.
pub fn execution(
    reader: &Reader,
    (account, region): (&str, &str),
    rule: &str,
    (resource_type, resource_id): (&str, &str),
) -> Result<Option<Execution>, ReadError> {
    let key = execution_key(account, region, rule, resource_type, resource_id);
    reader.get(EXECUTIONS, key.as_bytes())?.map(|b| parse(&b, "remediation execution")).transpose()
}

/// A rule's executions, at most `limit`.
pub fn executions(
    reader: &Reader,
    (account, region): (&str, &str),
    rule: &str,
    limit: usize,
) -> Result<Vec<Execution>, ReadError> {
    let prefix = scoped(account, region).str(rule);
    let high = prefix.prefix_end();
    let mut found = Vec::new();
    reader.scan(EXECUTIONS, (Some(prefix.as_bytes()), high.as_deref()), Direction::Forward, |_, value| {
        found.push(value.to_vec());
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.iter().map(|b| parse(b, "remediation execution")).collect()
}

/// Attempts due by `now_ms`, at most `limit`.
pub fn due(reader: &Reader, now_ms: i64, limit: usize) -> Result<Vec<Due>, ReadError> {
    let high = Key::new().i64(now_ms).prefix_end();
    let mut found = Vec::new();
    let mut corrupt = false;
    reader.scan(QUEUE, (None, high.as_deref()), Direction::Forward, |key, _| {
        let mut parts = KeyReader::new(key);
        match (parts.i64(), parts.str(), parts.str(), parts.str(), parts.str(), parts.str()) {
            (Some(_), Some(account), Some(region), Some(rule), Some(resource_type), Some(resource_id)) => {
                found.push(Due { key: key.to_vec(), account, region, rule, resource_type, resource_id });
            }
            _ => corrupt = true,
        }
        if found.len() >= limit || corrupt { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    if corrupt {
        return Err(ReadError::Corrupt("remediation queue key".into()));
    }
    Ok(found)
}
