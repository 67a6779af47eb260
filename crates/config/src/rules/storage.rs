//! Where rules and their results live: the rules (`config_rules_v1`), each rule's evaluation of each resource
//! (`config_evaluations_v1`, and the same rows by resource in `config_evaluations_by_resource_v1`), every change of
//! a resource's compliance under a rule (`config_compliance_history_v1`, for the timeline and compliance over
//! time), and the webhook invocations not yet made (`config_invocations_v1`, by due time). An evaluation's write
//! reads the previous one inside the commit, so a change is recorded exactly once whoever evaluates.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_configrules::Compliance;
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use super::model::{ComplianceChange, Evaluation, Rule, RuleStatus, summarize};
use crate::storage::{RESOURCES, Resource};

/// (account, region, rule name) -> [`Rule`].
pub const RULES: Table = Table::new("config_rules_v1");
/// (account, region, rule name, resource type, resource id) -> [`Evaluation`].
pub const EVALUATIONS: Table = Table::new("config_evaluations_v1");
/// (account, region, resource type, resource id, rule name) -> [`Evaluation`].
pub const BY_RESOURCE: Table = Table::new("config_evaluations_by_resource_v1");
/// (account, region, resource type, resource id, time ms, rule name) -> [`ComplianceChange`].
pub const HISTORY: Table = Table::new("config_compliance_history_v1");
/// (due ms, invocation id) -> [`Invocation`].
pub const INVOCATIONS: Table = Table::new("config_invocations_v1");

/// The rules' tables.
pub const RULE_TABLES: &[Table] = &[RULES, EVALUATIONS, BY_RESOURCE, HISTORY, INVOCATIONS];

/// A webhook call waiting to be made: a custom rule's evaluation request (or, later, a remediation action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub id: String,
    pub account: String,
    pub region: String,
    pub rule: String,
    pub url: String,
    /// The JSON body posted.
    pub body: String,
    pub result_token: String,
    pub invoked_ms: i64,
    pub attempts: u32,
    pub due_ms: i64,
}

fn scoped(account: &str, region: &str) -> Key {
    Key::new().str(account).str(region)
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8], what: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|error| ReadError::Corrupt(format!("{what}: {error}")))
}

fn evaluation_key(account: &str, region: &str, e: &Evaluation) -> (Key, Key) {
    (
        scoped(account, region).str(&e.rule).str(&e.resource_type).str(&e.resource_id),
        scoped(account, region).str(&e.resource_type).str(&e.resource_id).str(&e.rule),
    )
}

/// One update of a rule's evaluation status, applied to the status as committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touch {
    /// A run over every resource in scope was asked for at this time.
    RunRequested(i64),
    /// A run finished at `at`; a periodic rule runs next at `next`.
    RunDone { at: i64, next: Option<i64> },
    /// Evaluations were made at `at`; `error` when one could not be.
    Evaluated { at: i64, error: Option<(String, String)> },
    /// The rule's function was invoked at `at`; `error` when it failed for good.
    Invoked { at: i64, error: Option<(String, String)> },
}

impl Touch {
    fn apply(&self, status: &mut RuleStatus) {
        match self {
            Touch::RunRequested(at) => status.run_requested_ms = Some(*at),
            Touch::RunDone { at, next } => {
                if status.run_requested_ms.is_some_and(|requested| requested <= *at) {
                    status.run_requested_ms = None;
                }
                status.next_periodic_ms = *next;
                status.first_evaluation_started = true;
            }
            Touch::Evaluated { at, error: None } => {
                status.last_successful_evaluation_ms = Some(*at);
                status.first_evaluation_started = true;
            }
            Touch::Evaluated { at, error: Some(error) } => {
                status.last_failed_evaluation_ms = Some(*at);
                status.last_error = Some(error.clone());
            }
            Touch::Invoked { at, error: None } => status.last_successful_invocation_ms = Some(*at),
            Touch::Invoked { at, error: Some(error) } => {
                status.last_failed_invocation_ms = Some(*at);
                status.last_error = Some(error.clone());
            }
        }
    }
}

/// A change to the rules' tables.
#[derive(Debug, Clone)]
pub enum RuleChange {
    PutRule {
        account: String,
        region: String,
        rule: Box<Rule>,
    },
    /// Updates the rule's status, if the rule still exists.
    Touch {
        account: String,
        region: String,
        name: String,
        touch: Touch,
    },
    /// Removes a rule and its evaluations (the compliance history stays).
    DeleteRule {
        account: String,
        region: String,
        name: String,
        evaluations: Vec<(String, String)>,
        now_ms: i64,
    },
    /// Records an evaluation; a change of compliance is added to the history at `ordering_ms`.
    Evaluated {
        account: String,
        region: String,
        evaluation: Box<Evaluation>,
    },
    Enqueue(Box<Invocation>),
    /// Removes an invocation from the outbox; `retry` puts it back with a new due time.
    Attempted {
        invocation: Box<Invocation>,
        retry: Option<i64>,
    },
}

impl RuleChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

/// Sets (or clears) one rule's entry in a resource's compliance and recomputes its summary.
/// When it changed anything, the resource's compliance is also recorded as an `AWS::Config::ResourceCompliance`
/// item at `now_ms`.
fn set_resource_compliance(
    tx: &mut Tx<'_>,
    (account, region): (&str, &str),
    (resource_type, resource_id): (&str, &str),
    rule: &str,
    compliance: Option<Compliance>,
    now_ms: i64,
) -> Result<(), WriteError> {
    if resource_type == super::resource_compliance::RESOURCE_COMPLIANCE {
        return Ok(());
    }
    let key = scoped(account, region).str(resource_type).str(resource_id);
    let Some(bytes) = tx.get(RESOURCES, key.as_bytes())? else { return Ok(()) };
    let mut resource: Resource =
        serde_json::from_slice(&bytes).map_err(|error| WriteError::Storage(error.to_string()))?;
    let before = resource.rule_compliance.clone();
    match compliance {
        Some(c) => resource.rule_compliance.insert(rule.to_owned(), c),
        None => resource.rule_compliance.remove(rule),
    };
    if resource.rule_compliance == before {
        return Ok(());
    }
    resource.compliance = (!resource.rule_compliance.is_empty())
        .then(|| summarize(resource.rule_compliance.values()).as_str().to_owned());
    tx.put(RESOURCES, key.as_bytes(), &json(&resource)?)?;
    super::resource_compliance::record_in(
        tx,
        (account, region),
        (resource_type, resource_id),
        &resource.rule_compliance,
        now_ms,
    )
}

impl Change for RuleChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            RuleChange::PutRule { account, region, rule } => {
                tx.put(RULES, scoped(account, region).str(&rule.name).as_bytes(), &json(rule)?)
            }
            RuleChange::Touch { account, region, name, touch } => {
                let key = scoped(account, region).str(name);
                let Some(bytes) = tx.get(RULES, key.as_bytes())? else { return Ok(()) };
                let mut rule: Rule =
                    serde_json::from_slice(&bytes).map_err(|error| WriteError::Storage(error.to_string()))?;
                touch.apply(&mut rule.status);
                tx.put(RULES, key.as_bytes(), &json(&rule)?)
            }
            RuleChange::DeleteRule { account, region, name, evaluations, now_ms } => {
                tx.remove(RULES, scoped(account, region).str(name).as_bytes())?;
                for (resource_type, resource_id) in evaluations {
                    let by_rule = scoped(account, region).str(name).str(resource_type).str(resource_id);
                    let by_resource = scoped(account, region).str(resource_type).str(resource_id).str(name);
                    tx.remove(EVALUATIONS, by_rule.as_bytes())?;
                    tx.remove(BY_RESOURCE, by_resource.as_bytes())?;
                    set_resource_compliance(tx, (account, region), (resource_type, resource_id), name, None, *now_ms)?;
                }
                Ok(())
            }
            RuleChange::Evaluated { account, region, evaluation } => {
                let (by_rule, by_resource) = evaluation_key(account, region, evaluation);
                let previous: Option<Evaluation> = tx
                    .get(EVALUATIONS, by_rule.as_bytes())?
                    .map(|bytes| serde_json::from_slice(&bytes))
                    .transpose()
                    .map_err(|error| WriteError::Storage(error.to_string()))?;
                // An older result (by ordering time) never replaces a newer one.
                if previous.as_ref().is_some_and(|p| p.ordering_ms > evaluation.ordering_ms) {
                    return Ok(());
                }
                let bytes = json(evaluation)?;
                tx.put(EVALUATIONS, by_rule.as_bytes(), &bytes)?;
                tx.put(BY_RESOURCE, by_resource.as_bytes(), &bytes)?;
                let was = previous.map(|p| p.compliance);
                if was != Some(evaluation.compliance) {
                    let change = ComplianceChange {
                        rule: evaluation.rule.clone(),
                        resource_type: evaluation.resource_type.clone(),
                        resource_id: evaluation.resource_id.clone(),
                        time_ms: evaluation.recorded_ms,
                        compliance: evaluation.compliance,
                        previous: was,
                        annotation: evaluation.annotation.clone(),
                    };
                    let key = scoped(account, region)
                        .str(&evaluation.resource_type)
                        .str(&evaluation.resource_id)
                        .i64(evaluation.recorded_ms)
                        .str(&evaluation.rule);
                    tx.put(HISTORY, key.as_bytes(), &json(&change)?)?;
                    let rule_arn = tx
                        .get(RULES, scoped(account, region).str(&evaluation.rule).as_bytes())?
                        .and_then(|bytes| serde_json::from_slice::<Rule>(&bytes).ok())
                        .map(|rule| rule.arn)
                        .unwrap_or_default();
                    crate::announce::compliance(tx, (account, region), &rule_arn, &change)?;
                }
                if evaluation.compliance == Compliance::NonCompliant && was != Some(Compliance::NonCompliant) {
                    // A result turning non-compliant starts the rule's automatic remediation, in this commit.
                    crate::remediation::storage::queue_in(
                        tx,
                        (account, region),
                        (&evaluation.rule, &evaluation.resource_type, &evaluation.resource_id),
                        evaluation.recorded_ms,
                        true,
                    )?;
                }
                set_resource_compliance(
                    tx,
                    (account, region),
                    (&evaluation.resource_type, &evaluation.resource_id),
                    &evaluation.rule,
                    Some(evaluation.compliance),
                    evaluation.recorded_ms,
                )
            }
            RuleChange::Enqueue(invocation) => {
                let key = Key::new().i64(invocation.due_ms).str(&invocation.id);
                tx.put(INVOCATIONS, key.as_bytes(), &json(invocation)?)
            }
            RuleChange::Attempted { invocation, retry } => {
                tx.remove(INVOCATIONS, Key::new().i64(invocation.due_ms).str(&invocation.id).as_bytes())?;
                if let Some(due_ms) = retry {
                    let again =
                        Invocation { attempts: invocation.attempts + 1, due_ms: *due_ms, ..(**invocation).clone() };
                    tx.put(INVOCATIONS, Key::new().i64(*due_ms).str(&again.id).as_bytes(), &json(&again)?)?;
                }
                Ok(())
            }
        }
    }
}

/// The rules of an account and region, in name order.
pub fn rules(reader: &Reader, account: &str, region: &str) -> Result<Vec<Rule>, ReadError> {
    reader.prefixed(RULES, &scoped(account, region))?.iter().map(|(_, bytes)| parse(bytes, "config rule")).collect()
}

/// Every rule of every account and region.
pub fn all_rules(reader: &Reader) -> Result<Vec<(String, String, Rule)>, ReadError> {
    let mut found = Vec::new();
    for (key, value) in reader.all(RULES)? {
        let mut parts = KeyReader::new(&key);
        let (Some(account), Some(region)) = (parts.str(), parts.str()) else {
            return Err(ReadError::Corrupt("config rule key".into()));
        };
        found.push((account, region, parse(&value, "config rule")?));
    }
    Ok(found)
}

/// One rule.
pub fn rule(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Rule>, ReadError> {
    reader.get(RULES, scoped(account, region).str(name).as_bytes())?.map(|b| parse(&b, "config rule")).transpose()
}

/// One rule's evaluation of one resource.
pub fn evaluation(
    reader: &Reader,
    (account, region): (&str, &str),
    rule: &str,
    (resource_type, resource_id): (&str, &str),
) -> Result<Option<Evaluation>, ReadError> {
    let key = scoped(account, region).str(rule).str(resource_type).str(resource_id);
    reader.get(EVALUATIONS, key.as_bytes())?.map(|b| parse(&b, "evaluation")).transpose()
}

/// A rule's evaluations, in resource order after `after` (type, id), at most `limit`, those `keep` keeps.
pub fn rule_evaluations(
    reader: &Reader,
    (account, region, name): (&str, &str, &str),
    after: Option<(&str, &str)>,
    limit: usize,
    mut keep: impl FnMut(&Evaluation) -> bool,
) -> Result<Vec<Evaluation>, ReadError> {
    let prefix = scoped(account, region).str(name);
    let low = match after {
        Some((t, id)) => {
            let mut bytes = prefix.clone().str(t).str(id).into_bytes();
            bytes.push(0);
            bytes
        }
        None => prefix.as_bytes().to_vec(),
    };
    let high = prefix.prefix_end();
    collect(reader, EVALUATIONS, (&low, high.as_deref()), limit, &mut keep)
}

/// A resource's evaluations, one a rule.
pub fn resource_evaluations(
    reader: &Reader,
    (account, region): (&str, &str),
    resource_type: &str,
    resource_id: &str,
) -> Result<Vec<Evaluation>, ReadError> {
    let prefix = scoped(account, region).str(resource_type).str(resource_id);
    let high = prefix.prefix_end();
    collect(reader, BY_RESOURCE, (prefix.as_bytes(), high.as_deref()), usize::MAX, &mut |_| true)
}

/// Evaluations of every resource of an account and region (of one type when given), at most `limit`.
pub fn evaluations_by_resource(
    reader: &Reader,
    (account, region): (&str, &str),
    resource_type: Option<&str>,
    limit: usize,
) -> Result<Vec<Evaluation>, ReadError> {
    let prefix = match resource_type {
        Some(t) => scoped(account, region).str(t),
        None => scoped(account, region),
    };
    let high = prefix.prefix_end();
    collect(reader, BY_RESOURCE, (prefix.as_bytes(), high.as_deref()), limit, &mut |_| true)
}

fn collect(
    reader: &Reader,
    table: Table,
    (low, high): (&[u8], Option<&[u8]>),
    limit: usize,
    keep: &mut dyn FnMut(&Evaluation) -> bool,
) -> Result<Vec<Evaluation>, ReadError> {
    let mut found = Vec::new();
    let mut failure = None;
    reader.scan(table, (Some(low), high), Direction::Forward, |_, value| {
        match parse::<Evaluation>(value, "evaluation") {
            Ok(e) if keep(&e) => found.push(e),
            Ok(_) => {}
            Err(error) => {
                failure = Some(error);
                return ControlFlow::Break(());
            }
        }
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    match failure {
        Some(error) => Err(error),
        None => Ok(found),
    }
}

/// A resource's compliance changes with `from <= time < to`, oldest first, at most `limit`.
pub fn compliance_history(
    reader: &Reader,
    (account, region): (&str, &str),
    (resource_type, resource_id): (&str, &str),
    (from, to): (i64, i64),
    limit: usize,
) -> Result<Vec<ComplianceChange>, ReadError> {
    let at = || scoped(account, region).str(resource_type).str(resource_id);
    let (low, high) = (at().i64(from), at().i64(to));
    let mut found = Vec::new();
    reader.scan(HISTORY, (Some(low.as_bytes()), Some(high.as_bytes())), Direction::Forward, |_, value| {
        found.push(value.to_vec());
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.iter().map(|bytes| parse(bytes, "compliance change")).collect()
}

/// Every compliance change of an account and region, at most `limit` (compliance over time).
pub fn all_compliance_changes(
    reader: &Reader,
    (account, region): (&str, &str),
    limit: usize,
) -> Result<Vec<ComplianceChange>, ReadError> {
    let prefix = scoped(account, region);
    let high = prefix.prefix_end();
    let mut found = Vec::new();
    reader.scan(HISTORY, (Some(prefix.as_bytes()), high.as_deref()), Direction::Forward, |_, value| {
        found.push(value.to_vec());
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.iter().map(|bytes| parse(bytes, "compliance change")).collect()
}

/// Invocations due by `now_ms`, oldest first, at most `limit`.
pub fn due_invocations(reader: &Reader, now_ms: i64, limit: usize) -> Result<Vec<Invocation>, ReadError> {
    let high = Key::new().i64(now_ms).prefix_end();
    let mut found = Vec::new();
    reader.scan(INVOCATIONS, (None, high.as_deref()), Direction::Forward, |_, value| {
        found.push(value.to_vec());
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.iter().map(|bytes| parse(bytes, "invocation")).collect()
}
