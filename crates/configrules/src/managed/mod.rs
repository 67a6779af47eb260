//! AWS Config managed rules evaluated natively: the registry of rules Skywatch implements, each with
//! AWS's source identifier, default scope of resource types, trigger kinds and parameters, and the
//! evaluation every rule shares (a deleted or unrecorded resource, or a resource type outside the
//! rule's types, is NOT_APPLICABLE) before its own check.

mod alarm_actions;
mod alarm_settings;
mod ec2_instance;
mod log_retention;
mod required_tags;
mod restricted_ports;
mod restricted_ssh;
mod s3_acl;
mod s3_policy;
mod s3_public;
mod s3_versioning;
mod security_group;
mod sg_authorized_ports;

use crate::compliance::Verdict;
use crate::error::RuleError;
use crate::item::Item;
use crate::parameters::{self, ParamSpec, Parameters};
use serde_json::Value;

/// A rule's own check: the item's configuration is present and the rule applies to its type.
type Check = fn(&Parameters, &Item<'_>, &Value) -> Verdict;

/// One AWS Config managed rule.
#[derive(Debug)]
pub struct ManagedRule {
    identifier: &'static str,
    default_name: &'static str,
    resource_types: &'static [&'static str],
    /// The rule evaluates any resource type its rule's scope names (REQUIRED_TAGS); the resource
    /// types above are then only the default scope.
    any_resource_type: bool,
    change_triggered: bool,
    periodic: bool,
    parameters: &'static [ParamSpec],
    check: Check,
}

static RULES: [ManagedRule; 13] = [
    restricted_ssh::RULE,
    restricted_ports::RULE,
    sg_authorized_ports::RULE,
    s3_public::READ_RULE,
    s3_public::WRITE_RULE,
    s3_versioning::RULE,
    required_tags::RULE,
    alarm_actions::RULE,
    alarm_settings::RULE,
    log_retention::RULE,
    ec2_instance::DETAILED_MONITORING_RULE,
    ec2_instance::NO_PUBLIC_IP_RULE,
    alarm_actions::ENABLED_RULE,
];

/// Every managed rule Skywatch evaluates.
pub fn managed_rules() -> &'static [ManagedRule] {
    &RULES
}

/// The managed rule with this source identifier (AWS's spelling, case-sensitive).
pub fn managed_rule(source_identifier: &str) -> Option<&'static ManagedRule> {
    RULES.iter().find(|r| r.identifier == source_identifier)
}

impl ManagedRule {
    /// The source identifier, e.g. `INCOMING_SSH_DISABLED`.
    pub fn identifier(&self) -> &'static str {
        self.identifier
    }

    /// The rule name AWS gives the rule by default, e.g. `restricted-ssh`.
    pub fn default_name(&self) -> &'static str {
        self.default_name
    }

    /// The resource types the rule evaluates: its default scope when the rule has none.
    pub fn resource_types(&self) -> &'static [&'static str] {
        self.resource_types
    }

    /// Whether the rule evaluates a resource of this type (REQUIRED_TAGS evaluates any type its
    /// scope names; every other rule only its own types).
    pub fn applies_to(&self, resource_type: &str) -> bool {
        self.any_resource_type || self.resource_types.contains(&resource_type)
    }

    /// Evaluated when a configuration item in scope changes.
    pub fn change_triggered(&self) -> bool {
        self.change_triggered
    }

    /// Evaluated at the rule's maximum execution frequency.
    pub fn periodic(&self) -> bool {
        self.periodic
    }

    /// The parameters the rule takes.
    pub fn parameter_specs(&self) -> &'static [ParamSpec] {
        self.parameters
    }

    /// Checks `InputParameters` (a JSON object as text, possibly absent or blank) into typed
    /// parameters, refusing them as AWS Config does.
    pub fn parameters(&self, input_parameters: Option<&str>) -> Result<Parameters, RuleError> {
        parameters::parse(self.parameters, input_parameters)
    }

    /// Checks `MaximumExecutionFrequency`: AWS Config refuses one for a rule that only
    /// configuration changes trigger.
    pub fn check_maximum_execution_frequency(&self, frequency: Option<&str>) -> Result<(), RuleError> {
        if frequency.is_some() && !self.periodic {
            return Err(RuleError::InvalidParameterValue(
                "A maximum execution frequency for this rule is not allowed because only a change in resources \
                 triggers this managed rule."
                    .to_string(),
            ));
        }
        Ok(())
    }

    /// Evaluates one configuration item. Parameters missing from `parameters` take the rule's
    /// defaults.
    pub fn evaluate(&self, parameters: &Parameters, item: &Value) -> Verdict {
        let item = Item::new(item);
        if item.is_gone() {
            return Verdict::not_applicable();
        }
        if !item.resource_type().is_some_and(|t| self.applies_to(t)) {
            return Verdict::not_applicable();
        }
        let Some(configuration) = item.configuration() else {
            return Verdict::not_applicable();
        };
        let parameters = parameters.with_defaults(self.parameters);
        (self.check)(&parameters, &item, &configuration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_consistent() {
        for (i, rule) in managed_rules().iter().enumerate() {
            assert!(managed_rule(rule.identifier()).is_some_and(|r| std::ptr::eq(r, rule)));
            assert!(managed_rules()[..i].iter().all(|r| r.identifier() != rule.identifier()));
            assert!(!rule.resource_types().is_empty());
            assert!(rule.change_triggered() || rule.periodic());
            let defaults = Parameters::default().with_defaults(rule.parameter_specs());
            for spec in rule.parameter_specs().iter().filter(|s| s.default.is_some()) {
                assert!(
                    defaults.get(spec.name).is_some(),
                    "{}: the default of {} must parse",
                    rule.identifier(),
                    spec.name
                );
            }
        }
        assert!(managed_rule("incoming_ssh_disabled").is_none());
    }

    #[test]
    fn frequency_only_for_periodic_rules() {
        let ssh = managed_rule("INCOMING_SSH_DISABLED");
        assert_eq!(ssh.map(|r| r.check_maximum_execution_frequency(Some("One_Hour"))), Some(Ok(())));
        let tags = managed_rule("REQUIRED_TAGS");
        let refused = tags.and_then(|r| r.check_maximum_execution_frequency(Some("One_Hour")).err());
        assert_eq!(refused.map(|e| e.code()), Some("InvalidParameterValueException"));
        assert_eq!(tags.map(|r| r.check_maximum_execution_frequency(None)), Some(Ok(())));
    }
}
