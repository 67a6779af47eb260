//! What a rule makes of one configuration item: whether the item is in the rule's scope, when the rule runs
//! (on configuration changes, periodically, or both), and its verdict — a managed rule's, evaluated natively,
//! or a Guard policy's. Custom rules backed by a function are invoked instead (see [`super::invocation`]).

use skywatch_configrules::{GuardPolicy, Verdict, input_parameters_object, managed_rule};

use super::guard_runner;
use super::model::{Owner, Rule};
use crate::model::Item;

/// `ConfigurationItemChangeNotification` and its oversized twin.
const CHANGE_MESSAGES: [&str; 2] =
    ["ConfigurationItemChangeNotification", "OversizedConfigurationItemChangeNotification"];
const SCHEDULED: &str = "ScheduledNotification";

/// Whether configuration changes trigger the rule.
pub fn change_triggered(rule: &Rule) -> bool {
    match rule.source.owner {
        Owner::Aws => rule.source.identifier.as_deref().and_then(managed_rule).is_some_and(|m| m.change_triggered()),
        _ => rule.source.details.iter().any(|d| CHANGE_MESSAGES.contains(&d.message_type.as_str())),
    }
}

/// How often the rule runs periodically, if it does.
pub fn periodic_every_ms(rule: &Rule) -> Option<i64> {
    let periodic = match rule.source.owner {
        Owner::Aws => {
            let managed = rule.source.identifier.as_deref().and_then(managed_rule)?;
            managed.periodic() && (!managed.change_triggered() || rule.maximum_execution_frequency.is_some())
        }
        _ => rule.source.details.iter().any(|d| d.message_type == SCHEDULED),
    };
    if !periodic {
        return None;
    }
    let frequency = rule
        .source
        .details
        .iter()
        .find(|d| d.message_type == SCHEDULED)
        .and_then(|d| d.maximum_execution_frequency.clone())
        .or_else(|| rule.maximum_execution_frequency.clone())
        .unwrap_or_else(|| "TwentyFour_Hours".to_owned());
    crate::ops::frequency_ms(&frequency)
}

/// Whether `item`'s resource is in the rule's scope (types, the one resource id, the tag).
pub fn in_scope(rule: &Rule, item: &Item) -> bool {
    if item.resource_type == super::resource_compliance::RESOURCE_COMPLIANCE {
        return false;
    }
    let scope = &rule.scope;
    let type_ok = if scope.resource_types.is_empty() {
        match rule.source.owner {
            Owner::Aws => rule
                .source
                .identifier
                .as_deref()
                .and_then(managed_rule)
                .is_some_and(|m| m.applies_to(&item.resource_type)),
            _ => true,
        }
    } else {
        scope.resource_types.iter().any(|t| t == &item.resource_type)
    };
    let id_ok = scope.resource_id.as_ref().is_none_or(|id| id == &item.resource_id);
    let tag_ok = match (&scope.tag_key, &scope.tag_value) {
        (None, _) => true,
        (Some(key), None) => item.tags.contains_key(key),
        (Some(key), Some(value)) => item.tags.get(key) == Some(value),
    };
    type_ok && id_ok && tag_ok
}

/// The rule's verdict on `item` when Skywatch evaluates it itself (managed and Guard rules); None for rules
/// whose function is invoked.
pub fn verdict(rule: &Rule, item: &Item) -> Option<Verdict> {
    let document = item.document(false);
    match rule.source.owner {
        Owner::Aws => {
            let managed = rule.source.identifier.as_deref().and_then(managed_rule)?;
            Some(match managed.parameters(rule.input_parameters.as_deref()) {
                Ok(parameters) => managed.evaluate(&parameters, &document),
                Err(error) => Verdict::insufficient_data(format!("InputParameters: {}", error.message())),
            })
        }
        Owner::CustomPolicy => {
            let policy = rule.source.policy.as_ref()?;
            Some(match GuardPolicy::parse(&policy.text) {
                Ok(guard) => {
                    let parameters = input_parameters_object(rule.input_parameters.as_deref()).ok();
                    guard_runner::evaluate(&guard, &document, parameters)
                }
                Err(error) => Verdict::insufficient_data(format!("Policy: {}", error.message())),
            })
        }
        Owner::CustomLambda => None,
    }
}
