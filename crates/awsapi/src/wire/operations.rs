//! Every operation name of each service, from the botocore 1.44.5 models; sorted for binary search.
//!
//! Generated, do not edit. To regenerate, save this script as gen_ops.py:
//! ```text
//! import json, sys
//! base = sys.argv[1]
//! services = [("CLOUDWATCH", "cloudwatch"), ("LOGS", "logs"), ("EVENTS", "events"), ("CLOUDTRAIL", "cloudtrail"),
//!             ("CONFIG", "config"), ("XRAY", "xray"), ("SNS", "sns")]
//! print("//! Every operation name of each service, from the botocore 1.44.5 models; sorted for binary search.")
//! print("//!")
//! print("//! Generated, do not edit. To regenerate, save this script as gen_ops.py:")
//! print("//! ```text")
//! for l in open(__file__).read().splitlines():
//!     print(("//! " + l).rstrip())
//! print("//! ```")
//! print("//! and run it from the repository root, with `shared/` beside it:")
//! print("//! `python3 gen_ops.py ../shared/reference/botocore-models > crates/awsapi/src/wire/operations.rs`.")
//! print("//! `tests/wire_protocol.rs` checks these lists against the models.")
//! for const, name in services:
//!     ops = sorted(json.load(open(f"{base}/{name}.json"))["operations"])
//!     print()
//!     print(f"/// The {len(ops)} operations of `{name}.json`.")
//!     print("#[rustfmt::skip]")
//!     print(f"pub const {const}: &[&str] = &[")
//!     line = "   "
//!     for op in ops:
//!         tok = f' "{op}",'
//!         if len(line) + len(tok) > 116:
//!             print(line)
//!             line = "   "
//!         line += tok
//!     if line.strip():
//!         print(line)
//!     print("];")
//! ```
//! and run it from the repository root, with `shared/` beside it:
//! `python3 gen_ops.py ../shared/reference/botocore-models > crates/awsapi/src/wire/operations.rs`.
//! `tests/wire_protocol.rs` checks these lists against the models.

/// The 59 operations of `cloudwatch.json`.
#[rustfmt::skip]
pub const CLOUDWATCH: &[&str] = &[
    "AssociateDatasetKmsKey", "CreateResourceMetricsConfiguration", "DeleteAlarmMuteRule", "DeleteAlarms",
    "DeleteAnomalyDetector", "DeleteDashboards", "DeleteInsightRules", "DeleteMetricDataQueryDefinition",
    "DeleteMetricStream", "DeleteResourceMetricsConfiguration", "DescribeAlarmContributors", "DescribeAlarmHistory",
    "DescribeAlarms", "DescribeAlarmsForMetric", "DescribeAnomalyDetectors", "DescribeInsightRules",
    "DisableAlarmActions", "DisableInsightRules", "DisassociateDatasetKmsKey", "EnableAlarmActions",
    "EnableInsightRules", "GetAlarmMuteRule", "GetDashboard", "GetDataset", "GetInsightRuleReport", "GetMetricData",
    "GetMetricDataQueryDefinition", "GetMetricStatistics", "GetMetricStream", "GetMetricWidgetImage",
    "GetOTelEnrichment", "GetResourceMetricsConfiguration", "ListAlarmMuteRules", "ListDashboards",
    "ListManagedInsightRules", "ListMetricDataQueryDefinitions", "ListMetricStreams", "ListMetrics",
    "ListTagsForResource", "PutAlarmMuteRule", "PutAnomalyDetector", "PutCompositeAlarm", "PutDashboard",
    "PutInsightRule", "PutLogAlarm", "PutManagedInsightRules", "PutMetricAlarm", "PutMetricData",
    "PutMetricDataQueryDefinition", "PutMetricStream", "SetAlarmState", "StartMetricStreams", "StartOTelEnrichment",
    "StopMetricStreams", "StopOTelEnrichment", "TagResource", "UntagResource", "UpdateOTelEnrichment",
    "UpdateResourceMetricsConfiguration",
];

/// The 118 operations of `logs.json`.
#[rustfmt::skip]
pub const LOGS: &[&str] = &[
    "AssociateKmsKey", "AssociateSourceToS3TableIntegration", "CancelExportTask", "CancelImportTask",
    "CreateDelivery", "CreateExportTask", "CreateImportTask", "CreateLogAnomalyDetector", "CreateLogGroup",
    "CreateLogStream", "CreateLookupTable", "CreateScheduledQuery", "DeleteAccountPolicy",
    "DeleteDataProtectionPolicy", "DeleteDelivery", "DeleteDeliveryDestination", "DeleteDeliveryDestinationPolicy",
    "DeleteDeliverySource", "DeleteDestination", "DeleteIndexPolicy", "DeleteIntegration",
    "DeleteLogAnomalyDetector", "DeleteLogGroup", "DeleteLogStream", "DeleteLookupTable", "DeleteMetricFilter",
    "DeleteQueryDefinition", "DeleteResourcePolicy", "DeleteRetentionPolicy", "DeleteScheduledQuery",
    "DeleteSubscriptionFilter", "DeleteSyslogConfiguration", "DeleteTransformer", "DescribeAccountPolicies",
    "DescribeConfigurationTemplates", "DescribeDeliveries", "DescribeDeliveryDestinations",
    "DescribeDeliverySources", "DescribeDestinations", "DescribeExportTasks", "DescribeFieldIndexes",
    "DescribeImportTaskBatches", "DescribeImportTasks", "DescribeIndexPolicies", "DescribeLogGroups",
    "DescribeLogStreams", "DescribeLookupTables", "DescribeMetricFilters", "DescribeQueries",
    "DescribeQueryDefinitions", "DescribeResourcePolicies", "DescribeSubscriptionFilters", "DisassociateKmsKey",
    "DisassociateSourceFromS3TableIntegration", "FilterLogEvents", "GetDataProtectionPolicy", "GetDelivery",
    "GetDeliveryDestination", "GetDeliveryDestinationPolicy", "GetDeliverySource", "GetIntegration",
    "GetLogAnomalyDetector", "GetLogEvents", "GetLogFields", "GetLogGroupFields", "GetLogObject", "GetLogRecord",
    "GetLookupTable", "GetQueryResults", "GetScheduledQuery", "GetScheduledQueryHistory", "GetStorageTierPolicy",
    "GetTransformer", "ListAggregateLogGroupSummaries", "ListAnomalies", "ListIntegrations",
    "ListLogAnomalyDetectors", "ListLogGroups", "ListLogGroupsForQuery", "ListScheduledQueries",
    "ListSourcesForS3TableIntegration", "ListSyslogConfigurations", "ListTagsForResource", "ListTagsLogGroup",
    "PutAccountPolicy", "PutBearerTokenAuthentication", "PutDataProtectionPolicy", "PutDeliveryDestination",
    "PutDeliveryDestinationPolicy", "PutDeliverySource", "PutDestination", "PutDestinationPolicy", "PutIndexPolicy",
    "PutIntegration", "PutLogEvents", "PutLogGroupDeletionProtection", "PutMetricFilter", "PutQueryDefinition",
    "PutResourcePolicy", "PutRetentionPolicy", "PutStorageTierPolicy", "PutSubscriptionFilter",
    "PutSyslogConfiguration", "PutTransformer", "StartLiveTail", "StartQuery", "StopQuery", "TagLogGroup",
    "TagResource", "TestMetricFilter", "TestTransformer", "UntagLogGroup", "UntagResource", "UpdateAnomaly",
    "UpdateDeliveryConfiguration", "UpdateLogAnomalyDetector", "UpdateLookupTable", "UpdateScheduledQuery",
];

/// The 57 operations of `events.json`.
#[rustfmt::skip]
pub const EVENTS: &[&str] = &[
    "ActivateEventSource", "CancelReplay", "CreateApiDestination", "CreateArchive", "CreateConnection",
    "CreateEndpoint", "CreateEventBus", "CreatePartnerEventSource", "DeactivateEventSource",
    "DeauthorizeConnection", "DeleteApiDestination", "DeleteArchive", "DeleteConnection", "DeleteEndpoint",
    "DeleteEventBus", "DeletePartnerEventSource", "DeleteRule", "DescribeApiDestination", "DescribeArchive",
    "DescribeConnection", "DescribeEndpoint", "DescribeEventBus", "DescribeEventSource",
    "DescribePartnerEventSource", "DescribeReplay", "DescribeRule", "DisableRule", "EnableRule",
    "ListApiDestinations", "ListArchives", "ListConnections", "ListEndpoints", "ListEventBuses", "ListEventSources",
    "ListPartnerEventSourceAccounts", "ListPartnerEventSources", "ListReplays", "ListRuleNamesByTarget",
    "ListRules", "ListTagsForResource", "ListTargetsByRule", "PutEvents", "PutPartnerEvents", "PutPermission",
    "PutRule", "PutTargets", "RemovePermission", "RemoveTargets", "StartReplay", "TagResource", "TestEventPattern",
    "UntagResource", "UpdateApiDestination", "UpdateArchive", "UpdateConnection", "UpdateEndpoint",
    "UpdateEventBus",
];

/// The 60 operations of `cloudtrail.json`.
#[rustfmt::skip]
pub const CLOUDTRAIL: &[&str] = &[
    "AddTags", "CancelQuery", "CreateChannel", "CreateDashboard", "CreateEventDataStore", "CreateTrail",
    "DeleteChannel", "DeleteDashboard", "DeleteEventDataStore", "DeleteResourcePolicy", "DeleteTrail",
    "DeregisterOrganizationDelegatedAdmin", "DescribeQuery", "DescribeTrails", "DisableFederation",
    "EnableFederation", "GenerateQuery", "GetChannel", "GetDashboard", "GetEventConfiguration", "GetEventDataStore",
    "GetEventSelectors", "GetImport", "GetInsightSelectors", "GetQueryResults", "GetResourcePolicy", "GetTrail",
    "GetTrailStatus", "ListChannels", "ListDashboards", "ListEventDataStores", "ListImportFailures", "ListImports",
    "ListInsightsData", "ListInsightsMetricData", "ListPublicKeys", "ListQueries", "ListTags", "ListTrails",
    "LookupEvents", "PutEventConfiguration", "PutEventSelectors", "PutInsightSelectors", "PutResourcePolicy",
    "RegisterOrganizationDelegatedAdmin", "RemoveTags", "RestoreEventDataStore", "SearchSampleQueries",
    "StartDashboardRefresh", "StartEventDataStoreIngestion", "StartImport", "StartLogging", "StartQuery",
    "StopEventDataStoreIngestion", "StopImport", "StopLogging", "UpdateChannel", "UpdateDashboard",
    "UpdateEventDataStore", "UpdateTrail",
];

/// The 102 operations of `config.json`.
#[rustfmt::skip]
pub const CONFIG: &[&str] = &[
    "AssociateResourceTypes", "BatchGetAggregateResourceConfig", "BatchGetResourceConfig",
    "DeleteAggregationAuthorization", "DeleteConfigRule", "DeleteConfigurationAggregator",
    "DeleteConfigurationRecorder", "DeleteConformancePack", "DeleteConnector", "DeleteDeliveryChannel",
    "DeleteEvaluationResults", "DeleteOrganizationConfigRule", "DeleteOrganizationConformancePack",
    "DeletePendingAggregationRequest", "DeleteRemediationConfiguration", "DeleteRemediationExceptions",
    "DeleteResourceConfig", "DeleteRetentionConfiguration", "DeleteServiceLinkedConfigurationRecorder",
    "DeleteStoredQuery", "DeliverConfigSnapshot", "DescribeAggregateComplianceByConfigRules",
    "DescribeAggregateComplianceByConformancePacks", "DescribeAggregationAuthorizations",
    "DescribeComplianceByConfigRule", "DescribeComplianceByResource", "DescribeConfigRuleEvaluationStatus",
    "DescribeConfigRules", "DescribeConfigurationAggregatorSourcesStatus", "DescribeConfigurationAggregators",
    "DescribeConfigurationRecorderStatus", "DescribeConfigurationRecorders", "DescribeConformancePackCompliance",
    "DescribeConformancePackStatus", "DescribeConformancePacks", "DescribeDeliveryChannelStatus",
    "DescribeDeliveryChannels", "DescribeOrganizationConfigRuleStatuses", "DescribeOrganizationConfigRules",
    "DescribeOrganizationConformancePackStatuses", "DescribeOrganizationConformancePacks",
    "DescribePendingAggregationRequests", "DescribeRemediationConfigurations", "DescribeRemediationExceptions",
    "DescribeRemediationExecutionStatus", "DescribeRetentionConfigurations", "DisassociateResourceTypes",
    "GetAggregateComplianceDetailsByConfigRule", "GetAggregateConfigRuleComplianceSummary",
    "GetAggregateConformancePackComplianceSummary", "GetAggregateDiscoveredResourceCounts",
    "GetAggregateResourceConfig", "GetComplianceDetailsByConfigRule", "GetComplianceDetailsByResource",
    "GetComplianceSummaryByConfigRule", "GetComplianceSummaryByResourceType", "GetConformancePackComplianceDetails",
    "GetConformancePackComplianceSummary", "GetConnector", "GetCustomRulePolicy", "GetDiscoveredResourceCounts",
    "GetOrganizationConfigRuleDetailedStatus", "GetOrganizationConformancePackDetailedStatus",
    "GetOrganizationCustomRulePolicy", "GetResourceConfigHistory", "GetResourceEvaluationSummary", "GetStoredQuery",
    "ListAggregateDiscoveredResources", "ListConfigurationRecorders", "ListConformancePackComplianceScores",
    "ListConnectors", "ListDiscoveredResources", "ListResourceEvaluations", "ListStoredQueries",
    "ListTagsForResource", "PutAggregationAuthorization", "PutConfigRule", "PutConfigurationAggregator",
    "PutConfigurationRecorder", "PutConformancePack", "PutConnector", "PutDeliveryChannel", "PutEvaluations",
    "PutExternalEvaluation", "PutOrganizationConfigRule", "PutOrganizationConformancePack",
    "PutRemediationConfigurations", "PutRemediationExceptions", "PutResourceConfig", "PutRetentionConfiguration",
    "PutServiceLinkedConfigurationRecorder", "PutStoredQuery", "PutThirdPartyServiceLinkedConfigurationRecorder",
    "SelectAggregateResourceConfig", "SelectResourceConfig", "StartConfigRulesEvaluation",
    "StartConfigurationRecorder", "StartRemediationExecution", "StartResourceEvaluation",
    "StopConfigurationRecorder", "TagResource", "UntagResource",
];

/// The 38 operations of `xray.json`.
#[rustfmt::skip]
pub const XRAY: &[&str] = &[
    "BatchGetTraces", "CancelTraceRetrieval", "CreateGroup", "CreateSamplingRule", "DeleteGroup",
    "DeleteResourcePolicy", "DeleteSamplingRule", "GetEncryptionConfig", "GetGroup", "GetGroups",
    "GetIndexingRules", "GetInsight", "GetInsightEvents", "GetInsightImpactGraph", "GetInsightSummaries",
    "GetRetrievedTracesGraph", "GetSamplingRules", "GetSamplingStatisticSummaries", "GetSamplingTargets",
    "GetServiceGraph", "GetTimeSeriesServiceStatistics", "GetTraceGraph", "GetTraceSegmentDestination",
    "GetTraceSummaries", "ListResourcePolicies", "ListRetrievedTraces", "ListTagsForResource",
    "PutEncryptionConfig", "PutResourcePolicy", "PutTelemetryRecords", "PutTraceSegments", "StartTraceRetrieval",
    "TagResource", "UntagResource", "UpdateGroup", "UpdateIndexingRule", "UpdateSamplingRule",
    "UpdateTraceSegmentDestination",
];

/// The 42 operations of `sns.json`.
#[rustfmt::skip]
pub const SNS: &[&str] = &[
    "AddPermission", "CheckIfPhoneNumberIsOptedOut", "ConfirmSubscription", "CreatePlatformApplication",
    "CreatePlatformEndpoint", "CreateSMSSandboxPhoneNumber", "CreateTopic", "DeleteEndpoint",
    "DeletePlatformApplication", "DeleteSMSSandboxPhoneNumber", "DeleteTopic", "GetDataProtectionPolicy",
    "GetEndpointAttributes", "GetPlatformApplicationAttributes", "GetSMSAttributes", "GetSMSSandboxAccountStatus",
    "GetSubscriptionAttributes", "GetTopicAttributes", "ListEndpointsByPlatformApplication",
    "ListOriginationNumbers", "ListPhoneNumbersOptedOut", "ListPlatformApplications", "ListSMSSandboxPhoneNumbers",
    "ListSubscriptions", "ListSubscriptionsByTopic", "ListTagsForResource", "ListTopics", "OptInPhoneNumber",
    "Publish", "PublishBatch", "PutDataProtectionPolicy", "RemovePermission", "SetEndpointAttributes",
    "SetPlatformApplicationAttributes", "SetSMSAttributes", "SetSubscriptionAttributes", "SetTopicAttributes",
    "Subscribe", "TagResource", "Unsubscribe", "UntagResource", "VerifySMSSandboxPhoneNumber",
];
