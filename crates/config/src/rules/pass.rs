//! When rules run: on each new configuration item (the recorder's pass hands its items here, so the item and
//! the evaluations it triggers commit together), and in runs over every resource in scope — asked for by
//! PutConfigRule and StartConfigRulesEvaluation, or due by a periodic rule's frequency.

use std::collections::BTreeMap;

use skywatch_configrules::{Compliance, Verdict};
use skywatch_store::{Mutation, ReadError, Reader};

use super::evaluate::{change_triggered, in_scope, periodic_every_ms, verdict};
use super::invocation::{invocation, webhook};
use super::model::{Evaluation, Owner, Rule};
use super::storage::{self, RuleChange, Touch};
use crate::model::Item;
use crate::storage as items;

/// Resources one run evaluates at most.
pub const RUN_RESOURCES: usize = 10_000;
/// Invocations one run of a function-backed rule queues at most.
pub const RUN_INVOCATIONS: usize = 1_000;

fn evaluated(scope: (&str, &str), rule: &Rule, item: &Item, verdict: Verdict, now_ms: i64) -> Mutation {
    RuleChange::Evaluated {
        account: scope.0.to_owned(),
        region: scope.1.to_owned(),
        evaluation: Box::new(Evaluation {
            rule: rule.name.clone(),
            resource_type: item.resource_type.clone(),
            resource_id: item.resource_id.clone(),
            compliance: verdict.compliance,
            annotation: verdict.annotation,
            ordering_ms: item.capture_ms,
            recorded_ms: now_ms,
            invoked_ms: now_ms,
        }),
    }
    .mutation()
}

fn touch(scope: (&str, &str), rule: &Rule, touch: Touch) -> Mutation {
    RuleChange::Touch { account: scope.0.to_owned(), region: scope.1.to_owned(), name: rule.name.clone(), touch }
        .mutation()
}

/// Why a function-backed rule cannot be invoked: Skywatch posts to webhooks, not to Lambda.
fn unreachable(rule: &Rule) -> (String, String) {
    (
        "InvalidFunction".to_owned(),
        format!(
            "Skywatch cannot invoke {}: give the rule an http(s) webhook URL as its SourceIdentifier.",
            rule.source.identifier.as_deref().unwrap_or("a function")
        ),
    )
}

/// What `rule` does about `item`: its evaluation, or its function's invocation.
fn about(
    reader: &Reader,
    scope: (&str, &str),
    rule: &Rule,
    item: &Item,
    now_ms: i64,
) -> Result<Vec<Mutation>, ReadError> {
    let inside = in_scope(rule, item);
    if !inside {
        // A resource that left the rule's scope is no longer its concern: a result it had becomes not applicable.
        let had = storage::evaluation(reader, scope, &rule.name, (&item.resource_type, &item.resource_id))?;
        if had.is_none_or(|e| e.compliance == Compliance::NotApplicable) {
            return Ok(Vec::new());
        }
    }
    if rule.source.owner == Owner::CustomLambda {
        let id = uuid::Uuid::now_v7().to_string();
        return Ok(match invocation(scope, rule, Some(item), !inside, now_ms, id) {
            Some(i) => vec![RuleChange::Enqueue(Box::new(i)).mutation()],
            None => vec![touch(scope, rule, Touch::Invoked { at: now_ms, error: Some(unreachable(rule)) })],
        });
    }
    let verdict = if inside { verdict(rule, item) } else { Some(Verdict::not_applicable()) };
    Ok(match verdict {
        Some(verdict) => {
            let failed = (verdict.compliance == Compliance::InsufficientData)
                .then(|| ("EvaluationError".to_owned(), verdict.annotation.clone().unwrap_or_default()));
            vec![
                evaluated(scope, rule, item, verdict, now_ms),
                touch(scope, rule, Touch::Evaluated { at: now_ms, error: failed }),
            ]
        }
        None => Vec::new(),
    })
}

/// The evaluations and invocations new items trigger.
pub fn on_items(reader: &Reader, new_items: &[Item], now_ms: i64) -> Result<Vec<Mutation>, ReadError> {
    let mut rules: BTreeMap<(String, String), Vec<Rule>> = BTreeMap::new();
    let mut changes = Vec::new();
    for item in new_items {
        let key = (item.account_id.clone(), item.aws_region.clone());
        if !rules.contains_key(&key) {
            let found = storage::rules(reader, &key.0, &key.1)?;
            rules.insert(key.clone(), found.into_iter().filter(change_triggered).collect());
        }
        let scope = (item.account_id.as_str(), item.aws_region.as_str());
        for rule in rules.get(&key).into_iter().flatten() {
            changes.extend(about(reader, scope, rule, item, now_ms)?);
        }
    }
    Ok(changes)
}

/// Runs every rule that is due at `now_ms` over the resources in its scope.
pub fn run_due(reader: &Reader, now_ms: i64) -> Result<Vec<Mutation>, ReadError> {
    let mut changes = Vec::new();
    for (account, region, rule) in storage::all_rules(reader)? {
        let scope = (account.as_str(), region.as_str());
        let every = periodic_every_ms(&rule);
        let requested = rule.status.run_requested_ms.is_some_and(|at| at <= now_ms);
        let periodic_due = every.is_some() && rule.status.next_periodic_ms.is_none_or(|next| next <= now_ms);
        if !requested && !periodic_due {
            continue;
        }
        if rule.source.owner == Owner::CustomLambda && !change_triggered(&rule) {
            // A periodic function gets one scheduled notification and reports on what it finds itself.
            let id = uuid::Uuid::now_v7().to_string();
            changes.push(match invocation(scope, &rule, None, false, now_ms, id) {
                Some(i) => RuleChange::Enqueue(Box::new(i)).mutation(),
                None => touch(scope, &rule, Touch::Invoked { at: now_ms, error: Some(unreachable(&rule)) }),
            });
        } else {
            let resources = items::resources(reader, scope, None, None, RUN_RESOURCES, |r| r.deleted_ms.is_none())?;
            let mut invoked = 0;
            for resource in resources {
                let Some(item) = items::latest(reader, scope, &resource.resource_type, &resource.resource_id)? else {
                    continue;
                };
                if !in_scope(&rule, &item) {
                    continue;
                }
                if webhook(&rule).is_some() {
                    invoked += 1;
                    if invoked > RUN_INVOCATIONS {
                        break;
                    }
                }
                changes.extend(about(reader, scope, &rule, &item, now_ms)?);
            }
        }
        let next = every.map(|every| now_ms.saturating_add(every));
        changes.push(touch(scope, &rule, Touch::RunDone { at: now_ms, next }));
    }
    Ok(changes)
}
