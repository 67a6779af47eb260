//! Aggregators, aggregation authorizations and the aggregate reads on the wire.

use serde_json::{Value, json};
use skywatch_core::config::aggregation::model::{AccountSource, Aggregator, AggregatorFilters, Authorization};
use skywatch_core::config::rules::model::{Compliance, Evaluation};
use skywatch_core::config::{
    AggregateComplianceByRuleInput, AggregateComplianceByRuleOutput, AggregateCountsInput, AggregateCountsOutput,
    AggregateDetailsInput, AggregateDetailsPage, AggregateResource, AggregateResourcePage, AggregateSummaryInput,
    AggregateSummaryOutput, AggregatorNameInput, AggregatorPage, AuthorizationInput, AuthorizationPage,
    BatchGetAggregateResourceConfig, BatchGetAggregateResourceConfigInput, BatchGetAggregateResourceConfigOutput,
    ConfigError, CountFilters, CountSummary, DeleteAggregationAuthorization, DeleteConfigurationAggregator,
    DescribeAggregateComplianceByConfigRules, DescribeAggregationAuthorizations,
    DescribeAggregationAuthorizationsInput, DescribeConfigurationAggregatorSourcesStatus,
    DescribeConfigurationAggregators, DescribeConfigurationAggregatorsInput, GetAggregateComplianceDetailsByConfigRule,
    GetAggregateConfigRuleComplianceSummary, GetAggregateDiscoveredResourceCounts, GetAggregateResourceConfig,
    GetAggregateResourceConfigInput, ListAggregateDiscoveredResources, ListAggregateResourcesInput,
    MAX_BATCH_IDENTIFIERS, OrganizationSource, PutAggregationAuthorization, PutConfigurationAggregator,
    PutConfigurationAggregatorInput, RULE_CAP, ResourceFilters, RuleComplianceFilters, SelectAggregateResourceConfig,
    SelectAggregateResourceConfigInput, SelectResourceConfigOutput, SourcesStatusInput, SourcesStatusPage,
    SummaryFilters,
};
use skywatch_core::ops::Context;

use super::items::{base_configuration_item, configuration_item};
use super::{
    bool_opt, i64_opt, list_opt, missing, object_opt, refused, seconds, str_opt, str_required, string_opt, strings,
    tag_list,
};
use crate::errors::ApiError;
use crate::registry::Wire;

fn with_token(mut out: Value, token: Option<String>) -> Value {
    if let Some(token) = token {
        out["NextToken"] = json!(token);
    }
    out
}

fn name(params: &Value) -> Result<String, ApiError> {
    Ok(str_required(params, "ConfigurationAggregatorName")?.to_owned())
}

/// An `AggregatorFilterResourceType` or `AggregatorFilterServicePrincipal`: the INCLUDE list.
fn filter_values(filter: &Value, at: &str) -> Result<Vec<String>, ApiError> {
    if let Some(kind) = str_opt(filter, "Type")?
        && kind != "INCLUDE"
    {
        return Err(refused(ConfigError::Validation(format!(
            "1 validation error detected: Value '{kind}' at 'aggregatorFilters.{at}.type' failed to satisfy constraint: Member must satisfy enum value set: [INCLUDE]"
        ))));
    }
    strings(filter, "Value")
}

fn aggregator_shape(aggregator: &Aggregator) -> Value {
    let sources: Vec<Value> = aggregator
        .account_sources
        .iter()
        .map(|s| {
            let mut one = json!({"AccountIds": s.account_ids, "AllAwsRegions": s.all_aws_regions});
            if !s.aws_regions.is_empty() {
                one["AwsRegions"] = json!(s.aws_regions);
            }
            one
        })
        .collect();
    let mut out = json!({
        "ConfigurationAggregatorName": aggregator.name,
        "ConfigurationAggregatorArn": aggregator.arn,
        "AccountAggregationSources": sources,
        "CreationTime": seconds(aggregator.created_ms),
        "LastUpdatedTime": seconds(aggregator.updated_ms),
    });
    if !aggregator.filters.is_empty() {
        let mut filters = json!({});
        if let Some(types) = &aggregator.filters.resource_types {
            filters["ResourceType"] = json!({"Type": "INCLUDE", "Value": types});
        }
        if let Some(principals) = &aggregator.filters.service_principals {
            filters["ServicePrincipal"] = json!({"Type": "INCLUDE", "Value": principals});
        }
        out["AggregatorFilters"] = filters;
    }
    out
}

impl Wire for PutConfigurationAggregator {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutConfigurationAggregatorInput, ApiError> {
        let account_aggregation_sources = list_opt(params, "AccountAggregationSources")?
            .iter()
            .map(|s| {
                Ok(AccountSource {
                    account_ids: strings(s, "AccountIds")?,
                    all_aws_regions: bool_opt(s, "AllAwsRegions")?.unwrap_or(false),
                    aws_regions: strings(s, "AwsRegions")?,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        let organization_aggregation_source = object_opt(params, "OrganizationAggregationSource")?
            .map(|o| {
                Ok::<_, ApiError>(OrganizationSource {
                    role_arn: str_required(o, "RoleArn")?.to_owned(),
                    aws_regions: strings(o, "AwsRegions")?,
                    all_aws_regions: bool_opt(o, "AllAwsRegions")?.unwrap_or(false),
                })
            })
            .transpose()?;
        let aggregator_filters = object_opt(params, "AggregatorFilters")?
            .map(|f| {
                Ok::<_, ApiError>(AggregatorFilters {
                    resource_types: object_opt(f, "ResourceType")?
                        .map(|t| filter_values(t, "resourceType"))
                        .transpose()?,
                    service_principals: object_opt(f, "ServicePrincipal")?
                        .map(|t| filter_values(t, "servicePrincipal"))
                        .transpose()?,
                })
            })
            .transpose()?;
        Ok(PutConfigurationAggregatorInput {
            configuration_aggregator_name: name(params)?,
            account_aggregation_sources,
            organization_aggregation_source,
            aggregator_filters,
            tags: tag_list(params, "Tags")?,
        })
    }

    fn encode(aggregator: Aggregator) -> Value {
        json!({ "ConfigurationAggregator": aggregator_shape(&aggregator) })
    }
}

impl Wire for DescribeConfigurationAggregators {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeConfigurationAggregatorsInput, ApiError> {
        Ok(DescribeConfigurationAggregatorsInput {
            configuration_aggregator_names: strings(params, "ConfigurationAggregatorNames")?,
            next_token: string_opt(params, "NextToken")?,
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: AggregatorPage) -> Value {
        let list: Vec<Value> = page.aggregators.iter().map(aggregator_shape).collect();
        with_token(json!({ "ConfigurationAggregators": list }), page.next_token)
    }
}

impl Wire for DeleteConfigurationAggregator {
    fn decode(_ctx: &Context, params: &Value) -> Result<AggregatorNameInput, ApiError> {
        Ok(AggregatorNameInput { configuration_aggregator_name: name(params)? })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DescribeConfigurationAggregatorSourcesStatus {
    fn decode(_ctx: &Context, params: &Value) -> Result<SourcesStatusInput, ApiError> {
        Ok(SourcesStatusInput {
            configuration_aggregator_name: name(params)?,
            update_status: strings(params, "UpdateStatus")?,
            next_token: string_opt(params, "NextToken")?,
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: SourcesStatusPage) -> Value {
        let list: Vec<Value> = page
            .statuses
            .iter()
            .map(|s| {
                let mut one = json!({
                    "SourceId": s.account, "SourceType": "ACCOUNT", "AwsRegion": s.region,
                    "LastUpdateStatus": s.state.as_str(), "LastUpdateTime": seconds(s.updated_ms),
                });
                if let Some((code, message)) = &s.error {
                    one["LastErrorCode"] = json!(code);
                    one["LastErrorMessage"] = json!(message);
                }
                one
            })
            .collect();
        with_token(json!({ "AggregatedSourceStatusList": list }), page.next_token)
    }
}

fn authorization_input(params: &Value) -> Result<AuthorizationInput, ApiError> {
    Ok(AuthorizationInput {
        authorized_account_id: str_required(params, "AuthorizedAccountId")?.to_owned(),
        authorized_aws_region: str_required(params, "AuthorizedAwsRegion")?.to_owned(),
        tags: tag_list(params, "Tags")?,
    })
}

fn authorization_shape(a: &Authorization) -> Value {
    json!({
        "AggregationAuthorizationArn": a.arn, "AuthorizedAccountId": a.authorized_account,
        "AuthorizedAwsRegion": a.authorized_region, "CreationTime": seconds(a.created_ms),
    })
}

impl Wire for PutAggregationAuthorization {
    fn decode(_ctx: &Context, params: &Value) -> Result<AuthorizationInput, ApiError> {
        authorization_input(params)
    }

    fn encode(authorization: Authorization) -> Value {
        json!({ "AggregationAuthorization": authorization_shape(&authorization) })
    }
}

impl Wire for DescribeAggregationAuthorizations {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeAggregationAuthorizationsInput, ApiError> {
        Ok(DescribeAggregationAuthorizationsInput {
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: AuthorizationPage) -> Value {
        let list: Vec<Value> = page.authorizations.iter().map(authorization_shape).collect();
        with_token(json!({ "AggregationAuthorizations": list }), page.next_token)
    }
}

impl Wire for DeleteAggregationAuthorization {
    fn decode(_ctx: &Context, params: &Value) -> Result<AuthorizationInput, ApiError> {
        Ok(AuthorizationInput {
            authorized_account_id: str_required(params, "AuthorizedAccountId")?.to_owned(),
            authorized_aws_region: str_required(params, "AuthorizedAwsRegion")?.to_owned(),
            tags: Vec::new(),
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for GetAggregateDiscoveredResourceCounts {
    fn decode(_ctx: &Context, params: &Value) -> Result<AggregateCountsInput, ApiError> {
        let filters = match object_opt(params, "Filters")? {
            Some(f) => CountFilters {
                resource_type: string_opt(f, "ResourceType")?,
                account_id: string_opt(f, "AccountId")?,
                region: string_opt(f, "Region")?,
            },
            None => CountFilters::default(),
        };
        Ok(AggregateCountsInput {
            configuration_aggregator_name: name(params)?,
            filters,
            group_by_key: string_opt(params, "GroupByKey")?,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(output: AggregateCountsOutput) -> Value {
        let mut out = json!({ "TotalDiscoveredResources": output.total });
        if let Some(key) = output.group_by_key {
            out["GroupByKey"] = json!(key);
            out["GroupedResourceCounts"] = output
                .groups
                .iter()
                .map(|(group, count)| json!({"GroupName": group, "ResourceCount": count}))
                .collect();
        }
        with_token(out, output.next_token)
    }
}

fn identifier_shape(r: &AggregateResource) -> Value {
    let mut one = json!({
        "SourceAccountId": r.source_account_id, "SourceRegion": r.source_region,
        "ResourceId": r.resource_id, "ResourceType": r.resource_type,
    });
    if let Some(name) = &r.resource_name {
        one["ResourceName"] = json!(name);
    }
    one
}

fn identifier(value: &Value, at: &str) -> Result<AggregateResource, ApiError> {
    let required = |member: &str| -> Result<String, ApiError> {
        str_opt(value, member)?
            .map(str::to_owned)
            .ok_or_else(|| missing(&format!("{at}.{}", super::lower_first(member))))
    };
    Ok(AggregateResource {
        source_account_id: required("SourceAccountId")?,
        source_region: required("SourceRegion")?,
        resource_id: required("ResourceId")?,
        resource_type: required("ResourceType")?,
        resource_name: string_opt(value, "ResourceName")?,
    })
}

impl Wire for ListAggregateDiscoveredResources {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListAggregateResourcesInput, ApiError> {
        let filters = match object_opt(params, "Filters")? {
            Some(f) => ResourceFilters {
                account_id: string_opt(f, "AccountId")?,
                resource_id: string_opt(f, "ResourceId")?,
                resource_name: string_opt(f, "ResourceName")?,
                region: string_opt(f, "Region")?,
            },
            None => ResourceFilters::default(),
        };
        Ok(ListAggregateResourcesInput {
            configuration_aggregator_name: name(params)?,
            resource_type: str_required(params, "ResourceType")?.to_owned(),
            filters,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: AggregateResourcePage) -> Value {
        let list: Vec<Value> = page.resources.iter().map(identifier_shape).collect();
        with_token(json!({ "ResourceIdentifiers": list }), page.next_token)
    }
}

impl Wire for GetAggregateResourceConfig {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetAggregateResourceConfigInput, ApiError> {
        let resource = object_opt(params, "ResourceIdentifier")?.ok_or_else(|| missing("resourceIdentifier"))?;
        Ok(GetAggregateResourceConfigInput {
            configuration_aggregator_name: name(params)?,
            resource_identifier: identifier(resource, "resourceIdentifier")?,
        })
    }

    fn encode(item: skywatch_core::config::model::Item) -> Value {
        json!({ "ConfigurationItem": configuration_item(&item) })
    }
}

impl Wire for BatchGetAggregateResourceConfig {
    fn decode(_ctx: &Context, params: &Value) -> Result<BatchGetAggregateResourceConfigInput, ApiError> {
        if params.get("ResourceIdentifiers").is_none_or(Value::is_null) {
            return Err(missing("resourceIdentifiers"));
        }
        let list = list_opt(params, "ResourceIdentifiers")?;
        if list.len() > MAX_BATCH_IDENTIFIERS {
            return Err(refused(ConfigError::Validation(format!(
                "1 validation error detected: Value at 'resourceIdentifiers' failed to satisfy constraint: Member must have length less than or equal to {MAX_BATCH_IDENTIFIERS}"
            ))));
        }
        Ok(BatchGetAggregateResourceConfigInput {
            configuration_aggregator_name: name(params)?,
            resource_identifiers: list
                .iter()
                .map(|v| identifier(v, "resourceIdentifiers.member"))
                .collect::<Result<_, _>>()?,
        })
    }

    fn encode(output: BatchGetAggregateResourceConfigOutput) -> Value {
        json!({
            "BaseConfigurationItems": output.items.iter().map(base_configuration_item).collect::<Vec<_>>(),
            "UnprocessedResourceIdentifiers": output.unprocessed.iter().map(identifier_shape).collect::<Vec<_>>(),
        })
    }
}

impl Wire for SelectAggregateResourceConfig {
    fn decode(_ctx: &Context, params: &Value) -> Result<SelectAggregateResourceConfigInput, ApiError> {
        Ok(SelectAggregateResourceConfigInput {
            expression: str_required(params, "Expression")?.to_owned(),
            configuration_aggregator_name: name(params)?,
            limit: i64_opt(params, "Limit")?,
            max_results: i64_opt(params, "MaxResults")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(output: SelectResourceConfigOutput) -> Value {
        let out = json!({
            "Results": output.results,
            "QueryInfo": {"SelectFields": output.select_fields.iter().map(|f| json!({"Name": f})).collect::<Vec<_>>()},
        });
        with_token(out, output.next_token)
    }
}

/// A `ComplianceContributorCount` capped at `cap`.
fn capped(count: usize, cap: usize) -> Value {
    json!({"CappedCount": count.min(cap), "CapExceeded": count > cap})
}

impl Wire for DescribeAggregateComplianceByConfigRules {
    fn decode(_ctx: &Context, params: &Value) -> Result<AggregateComplianceByRuleInput, ApiError> {
        let filters = match object_opt(params, "Filters")? {
            Some(f) => RuleComplianceFilters {
                config_rule_name: string_opt(f, "ConfigRuleName")?,
                compliance_type: string_opt(f, "ComplianceType")?,
                account_id: string_opt(f, "AccountId")?,
                aws_region: string_opt(f, "AwsRegion")?,
            },
            None => RuleComplianceFilters::default(),
        };
        Ok(AggregateComplianceByRuleInput {
            configuration_aggregator_name: name(params)?,
            filters,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(output: AggregateComplianceByRuleOutput) -> Value {
        let list: Vec<Value> = output
            .rules
            .iter()
            .map(|row| {
                let mut compliance = json!({"ComplianceType": row.summary.compliance.as_str()});
                if row.summary.compliance == Compliance::NonCompliant {
                    compliance["ComplianceContributorCount"] = capped(row.summary.count, skywatch_core::config::CAP);
                }
                json!({
                    "ConfigRuleName": row.rule, "Compliance": compliance,
                    "AccountId": row.account, "AwsRegion": row.region,
                })
            })
            .collect();
        with_token(json!({ "AggregateComplianceByConfigRules": list }), output.next_token)
    }
}

fn rule_counts(counts: &CountSummary) -> Value {
    json!({
        "CompliantResourceCount": capped(counts.compliant, RULE_CAP),
        "NonCompliantResourceCount": capped(counts.non_compliant, RULE_CAP),
        "ComplianceSummaryTimestamp": seconds(counts.at_ms),
    })
}

impl Wire for GetAggregateConfigRuleComplianceSummary {
    fn decode(_ctx: &Context, params: &Value) -> Result<AggregateSummaryInput, ApiError> {
        let filters = match object_opt(params, "Filters")? {
            Some(f) => {
                SummaryFilters { account_id: string_opt(f, "AccountId")?, aws_region: string_opt(f, "AwsRegion")? }
            }
            None => SummaryFilters::default(),
        };
        Ok(AggregateSummaryInput {
            configuration_aggregator_name: name(params)?,
            filters,
            group_by_key: string_opt(params, "GroupByKey")?,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(output: AggregateSummaryOutput) -> Value {
        let list: Vec<Value> = output
            .groups
            .iter()
            .map(|(group, counts)| {
                let mut one = json!({"ComplianceSummary": rule_counts(counts)});
                if let Some(group) = group {
                    one["GroupName"] = json!(group);
                }
                one
            })
            .collect();
        let mut out = json!({ "AggregateComplianceCounts": list });
        if let Some(key) = output.group_by_key {
            out["GroupByKey"] = json!(key);
        }
        with_token(out, output.next_token)
    }
}

fn aggregate_result(account: &str, region: &str, e: &Evaluation) -> Value {
    let mut out = json!({
        "EvaluationResultIdentifier": {
            "EvaluationResultQualifier": {
                "ConfigRuleName": e.rule, "ResourceType": e.resource_type, "ResourceId": e.resource_id,
                "EvaluationMode": "DETECTIVE",
            },
            "OrderingTimestamp": seconds(e.ordering_ms),
        },
        "ComplianceType": e.compliance.as_str(),
        "ResultRecordedTime": seconds(e.recorded_ms),
        "ConfigRuleInvokedTime": seconds(e.invoked_ms),
        "AccountId": account,
        "AwsRegion": region,
    });
    if let Some(annotation) = &e.annotation {
        out["Annotation"] = json!(annotation);
    }
    out
}

impl Wire for GetAggregateComplianceDetailsByConfigRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<AggregateDetailsInput, ApiError> {
        Ok(AggregateDetailsInput {
            configuration_aggregator_name: name(params)?,
            config_rule_name: str_required(params, "ConfigRuleName")?.to_owned(),
            account_id: str_required(params, "AccountId")?.to_owned(),
            aws_region: str_required(params, "AwsRegion")?.to_owned(),
            compliance_type: string_opt(params, "ComplianceType")?,
            limit: i64_opt(params, "Limit")?,
            next_token: string_opt(params, "NextToken")?,
        })
    }

    fn encode(page: AggregateDetailsPage) -> Value {
        let list: Vec<Value> = page.results.iter().map(|e| aggregate_result(&page.account, &page.region, e)).collect();
        with_token(json!({ "AggregateEvaluationResults": list }), page.next_token)
    }
}
