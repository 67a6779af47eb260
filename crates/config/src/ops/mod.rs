//! Config's operations, over JSON 1.1 at the edge (`StarlingDoveService.<Op>`): the recorder and delivery
//! channel, third-party resources, and the queries over configuration items.

mod aggregation;
mod aggregation_compliance;
mod aggregation_reads;
mod channels;
mod compliance;
mod queries;
mod recorders;
mod remediation;
mod reported;
mod rules;
mod select;

pub use aggregation::{
    AggregatorNameInput, AggregatorPage, AuthorizationInput, AuthorizationPage, DeleteAggregationAuthorization,
    DeleteConfigurationAggregator, DescribeAggregationAuthorizations, DescribeAggregationAuthorizationsInput,
    DescribeConfigurationAggregatorSourcesStatus, DescribeConfigurationAggregators,
    DescribeConfigurationAggregatorsInput, OrganizationSource, PutAggregationAuthorization, PutConfigurationAggregator,
    PutConfigurationAggregatorInput, SourceStatus, SourcesStatusInput, SourcesStatusPage,
};
pub use aggregation_compliance::{
    AggregateComplianceByRuleInput, AggregateComplianceByRuleOutput, AggregateDetailsInput, AggregateDetailsPage,
    AggregateRuleCompliance, AggregateSummaryInput, AggregateSummaryOutput, DescribeAggregateComplianceByConfigRules,
    GetAggregateComplianceDetailsByConfigRule, GetAggregateConfigRuleComplianceSummary, RULE_CAP,
    RuleComplianceFilters, SummaryFilters,
};
pub use aggregation_reads::{
    AggregateCountsInput, AggregateCountsOutput, AggregateResource, AggregateResourcePage,
    BatchGetAggregateResourceConfig, BatchGetAggregateResourceConfigInput, BatchGetAggregateResourceConfigOutput,
    CountFilters, GetAggregateDiscoveredResourceCounts, GetAggregateResourceConfig, GetAggregateResourceConfigInput,
    ListAggregateDiscoveredResources, ListAggregateResourcesInput, MAX_BATCH_IDENTIFIERS, ResourceFilters,
    SelectAggregateResourceConfig, SelectAggregateResourceConfigInput,
};
pub use channels::{
    ChannelNamesInput, DeleteDeliveryChannel, DeleteDeliveryChannelInput, DeliverConfigSnapshot,
    DeliverConfigSnapshotInput, DescribeDeliveryChannelStatus, DescribeDeliveryChannels, PutDeliveryChannel,
    PutDeliveryChannelInput, frequency_ms,
};
pub use compliance::{
    CAP, ComplianceByResourceInput, ComplianceByResourceOutput, ComplianceByRuleInput, ComplianceByRuleOutput,
    CountSummary, DescribeComplianceByConfigRule, DescribeComplianceByResource, DetailsByResourceInput,
    DetailsByRuleInput, EvaluationInput, EvaluationPage, GetComplianceDetailsByConfigRule,
    GetComplianceDetailsByResource, GetComplianceSummaryByConfigRule, GetComplianceSummaryByResourceType,
    PutEvaluations, PutEvaluationsInput, Summary, SummaryByTypeInput,
};
pub use queries::{
    BatchGetResourceConfig, BatchGetResourceConfigInput, BatchGetResourceConfigOutput, GetDiscoveredResourceCounts,
    GetDiscoveredResourceCountsInput, GetDiscoveredResourceCountsOutput, GetResourceConfigHistory,
    GetResourceConfigHistoryInput, GetResourceConfigHistoryOutput, ListDiscoveredResources,
    ListDiscoveredResourcesInput, ListDiscoveredResourcesOutput, MAX_BATCH_KEYS, ResourceKey,
};
pub use recorders::{
    DeleteConfigurationRecorder, DescribeConfigurationRecorderStatus, DescribeConfigurationRecorders,
    PutConfigurationRecorder, PutConfigurationRecorderInput, RecorderNameInput, RecorderNamesInput,
    StartConfigurationRecorder, StopConfigurationRecorder,
};
pub use remediation::{
    DeleteRemediationConfiguration, DeleteRemediationConfigurationInput, DescribeRemediationConfigurations,
    DescribeRemediationConfigurationsInput, DescribeRemediationExecutionStatus,
    DescribeRemediationExecutionStatusInput, ExecutionPage, PutRemediationConfigurations,
    PutRemediationConfigurationsInput, RemediationInput, StartRemediationExecution, StartRemediationExecutionInput,
};
pub use reported::{DeleteResourceConfig, DeleteResourceConfigInput, PutResourceConfig, PutResourceConfigInput};
pub use rules::{
    DeleteConfigRule, DescribeConfigRuleEvaluationStatus, DescribeConfigRuleEvaluationStatusInput, DescribeConfigRules,
    DescribeConfigRulesInput, PutConfigRule, PutConfigRuleInput, RuleNameInput, RulePage, StartConfigRulesEvaluation,
    StartConfigRulesEvaluationInput,
};
pub use select::{SELECT_PAGE, SelectResourceConfig, SelectResourceConfigInput, SelectResourceConfigOutput};

use skywatch_ops::{Access, Spec};

pub(crate) const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "config", event_source: "config.amazonaws.com", name, access, limits: &[] }
}

/// Tags a recorder, rule or aggregator may have.
pub const MAX_TAGS: usize = 50;

/// Checks a list of tags as AWS does (at most 50; keys 1..128, values 0..256 characters).
pub(crate) fn check_tags(tags: &[(String, String)]) -> Result<(), crate::ConfigError> {
    if tags.len() > MAX_TAGS {
        return Err(crate::ConfigError::Validation(format!(
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to {MAX_TAGS}"
        )));
    }
    for (key, value) in tags {
        let length = key.chars().count();
        if length == 0 || length > 128 {
            return Err(crate::error::constraint(key, "tags.member.key", "Member must have length between 1 and 128"));
        }
        if value.chars().count() > 256 {
            return Err(crate::error::constraint(
                value,
                "tags.member.value",
                "Member must have length less than or equal to 256",
            ));
        }
    }
    Ok(())
}
