//! X-Ray (`xray`, rest-json): trace ingest and reads in their wire shapes.

use serde_json::{Map, Value, json};
use skywatch_core::ops::{Context, codes};
use skywatch_core::traces::document::{Annotation, Http};
use skywatch_core::traces::graph::{GraphNode, Stats};
use skywatch_core::traces::groups::Group;
use skywatch_core::traces::sampling::{Counts, Rule, RuleFields};
use skywatch_core::traces::summary::{RootCause, Summary};
use skywatch_core::traces::trace_graph::{Role, ServiceKey};
use skywatch_core::traces::{
    BatchGetTraces, BatchGetTracesInput, GetServiceGraph, GetServiceGraphInput, GetTraceGraph, GetTraceGraphInput,
    GetTraceSummaries, GetTraceSummariesInput, PutTraceSegments, PutTraceSegmentsInput, ServiceGraph, SummaryPage,
    TracePage, Unprocessed,
};
use skywatch_core::traces::{
    CreateGroup, DeleteGroup, GetGroup, GetGroups, GroupInput, GroupList, GroupRecord, UpdateGroup,
};
use skywatch_core::traces::{
    CreateSamplingRule, CreateSamplingRuleInput, DeleteSamplingRule, DeleteSamplingRuleInput, GetSamplingRules,
    GetSamplingStatisticSummaries, GetSamplingTargets, GetSamplingTargetsInput, PageInput, RuleList, RuleRecord,
    StatisticsInput, TargetsReply, UpdateSamplingRule, UpdateSamplingRuleInput,
};
use skywatch_core::traces::{GetTimeSeriesServiceStatistics, TimePoint, TimeSeriesInput};

use crate::errors::ApiError;
use crate::params::{bool_opt, f64_opt, i64_opt, list_opt, str_opt, timestamp_ms_opt};
use crate::registry::Wire;

/// X-Ray answers every malformed request with `InvalidRequestException`.
fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::Domain { code: codes::xray::INVALID_REQUEST, message: message.into(), members: Box::default() }
}

/// A list of strings (`TraceSegmentDocuments`, `TraceIds`); anything else in it is refused.
fn strings(params: &Value, name: &str) -> Result<Vec<String>, ApiError> {
    let list = match params.get(name) {
        None | Some(Value::Null) => return Err(invalid(format!("{name} is required"))),
        Some(_) => list_opt(params, name).map_err(|_| invalid(format!("{name} must be a list")))?,
    };
    list.iter()
        .map(|item| {
            item.as_str().map(str::to_owned).ok_or_else(|| invalid(format!("{name}: every member must be a string")))
        })
        .collect()
}

impl Wire for PutTraceSegments {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutTraceSegmentsInput, ApiError> {
        Ok(PutTraceSegmentsInput { trace_segment_documents: strings(params, "TraceSegmentDocuments")? })
    }

    fn encode(unprocessed: Vec<Unprocessed>) -> Value {
        let list: Vec<Value> = unprocessed
            .into_iter()
            .map(|u| {
                let mut item = json!({ "ErrorCode": u.error_code, "Message": u.message });
                if let Some(id) = u.id {
                    item["Id"] = json!(id);
                }
                item
            })
            .collect();
        json!({ "UnprocessedTraceSegments": list })
    }
}

impl Wire for BatchGetTraces {
    fn decode(_ctx: &Context, params: &Value) -> Result<BatchGetTracesInput, ApiError> {
        Ok(BatchGetTracesInput {
            trace_ids: strings(params, "TraceIds")?,
            next_token: str_opt(params, "NextToken").map_err(|e| invalid(e.to_string()))?.map(str::to_owned),
        })
    }

    fn encode(page: TracePage) -> Value {
        let traces: Vec<Value> = page
            .traces
            .into_iter()
            .map(|trace| {
                let segments: Vec<Value> = trace
                    .segments
                    .into_iter()
                    .map(|(id, document)| json!({ "Id": id.to_string(), "Document": document }))
                    .collect();
                let mut item = json!({
                    "Id": trace.id.to_string(),
                    "LimitExceeded": trace.limit_exceeded,
                    "Segments": segments,
                });
                if let Some(duration) = trace.duration {
                    item["Duration"] = json!(duration);
                }
                item
            })
            .collect();
        let mut reply = json!({ "Traces": traces, "UnprocessedTraceIds": page.unprocessed });
        if let Some(token) = page.next_token {
            reply["NextToken"] = json!(token);
        }
        reply
    }
}

/// A time in epoch seconds, as X-Ray's JSON carries it.
fn seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

impl Wire for GetTraceSummaries {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetTraceSummariesInput, ApiError> {
        let time = |name: &str| -> Result<i64, ApiError> {
            timestamp_ms_opt(params, name)
                .map_err(|e| invalid(e.to_string()))?
                .ok_or_else(|| invalid(format!("{name} is required")))
        };
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            Ok(str_opt(params, name).map_err(|e| invalid(e.to_string()))?.map(str::to_owned))
        };
        bool_opt(params, "Sampling").map_err(|e| invalid(e.to_string()))?;
        Ok(GetTraceSummariesInput {
            start_time_ms: time("StartTime")?,
            end_time_ms: time("EndTime")?,
            time_range_type: text("TimeRangeType")?,
            filter_expression: text("FilterExpression")?,
            next_token: text("NextToken")?,
        })
    }

    fn encode(page: SummaryPage) -> Value {
        let account = page.account.clone();
        let summaries: Vec<Value> = page.summaries.iter().map(|s| summary(s, &account)).collect();
        let mut reply = json!({
            "TraceSummaries": summaries,
            "ApproximateTime": seconds(page.approximate_time_ms),
            "TracesProcessedCount": page.processed,
        });
        if let Some(token) = page.next_token {
            reply["NextToken"] = json!(token);
        }
        reply
    }
}

fn service_id(key: &ServiceKey, account: &str) -> Value {
    let mut id = json!({ "Name": key.name, "Names": [key.name], "AccountId": account });
    if let Some(kind) = &key.kind {
        id["Type"] = json!(kind);
    }
    id
}

fn annotation_value(value: &Annotation) -> Value {
    match value {
        Annotation::Text(text) => json!({ "StringValue": text }),
        Annotation::Number(number) => json!({ "NumberValue": number }),
        Annotation::Bool(flag) => json!({ "BooleanValue": flag }),
    }
}

fn http(http: &Http) -> Value {
    let mut out = Map::new();
    let mut put = |name: &str, value: Option<Value>| {
        if let Some(value) = value {
            out.insert(name.to_owned(), value);
        }
    };
    put("HttpURL", http.url.as_ref().map(|v| json!(v)));
    put("HttpStatus", http.status.map(|v| json!(v)));
    put("HttpMethod", http.method.as_ref().map(|v| json!(v)));
    put("UserAgent", http.user_agent.as_ref().map(|v| json!(v)));
    put("ClientIp", http.client_ip.as_ref().map(|v| json!(v)));
    Value::Object(out)
}

fn root_causes(causes: &[RootCause], account: &str) -> Value {
    Value::Array(
        causes
            .iter()
            .map(|cause| {
                let path: Vec<Value> = cause
                    .path
                    .iter()
                    .map(|(name, exceptions, remote)| {
                        let exceptions: Vec<Value> =
                            exceptions.iter().map(|e| json!({ "Name": e.kind, "Message": e.message })).collect();
                        json!({ "Name": name, "Exceptions": exceptions, "Remote": remote })
                    })
                    .collect();
                let mut service = service_id(&cause.service, account);
                service["Inferred"] = json!(cause.inferred);
                service["EntityPath"] = Value::Array(path);
                json!({ "Services": [service], "ClientImpacting": cause.client_impacting })
            })
            .collect(),
    )
}

/// A TraceSummary in X-Ray's shape.
fn summary(s: &Summary, account: &str) -> Value {
    let mut annotations = Map::new();
    for a in &s.annotations {
        let entry = json!({
            "AnnotationValue": annotation_value(&a.value),
            "ServiceIds": a.services.iter().map(|k| service_id(k, account)).collect::<Vec<_>>(),
        });
        match annotations.get_mut(&a.key) {
            Some(Value::Array(list)) => list.push(entry),
            _ => {
                annotations.insert(a.key.clone(), Value::Array(vec![entry]));
            }
        }
    }
    let mut out = json!({
        "Id": s.id.to_string(),
        "StartTime": s.start,
        "Duration": s.duration(),
        "HasFault": s.has_fault,
        "HasError": s.has_error,
        "HasThrottle": s.has_throttle,
        "IsPartial": s.is_partial,
        "Http": s.http.as_ref().map(http).unwrap_or_else(|| json!({})),
        "Annotations": annotations,
        "Users": s.users.iter().map(|(name, services)| json!({
            "UserName": name,
            "ServiceIds": services.iter().map(|k| service_id(k, account)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "ServiceIds": s.services().map(|k| service_id(k, account)).collect::<Vec<_>>(),
        "ResourceARNs": s.resource_arns.iter().map(|a| json!({ "ARN": a })).collect::<Vec<_>>(),
        "InstanceIds": s.instance_ids.iter().map(|i| json!({ "Id": i })).collect::<Vec<_>>(),
        "AvailabilityZones": s.availability_zones.iter().map(|z| json!({ "Name": z })).collect::<Vec<_>>(),
        "FaultRootCauses": root_causes(&s.fault_root_causes, account),
        "ErrorRootCauses": root_causes(&s.error_root_causes, account),
        "ResponseTimeRootCauses": [],
        "Revision": s.revision,
    });
    if let Some(response_time) = s.response_time {
        out["ResponseTime"] = json!(response_time);
    }
    if let Some(entry) = &s.entry_point {
        out["EntryPoint"] = service_id(entry, account);
    }
    out
}

impl Wire for GetServiceGraph {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetServiceGraphInput, ApiError> {
        let time = |name: &str| -> Result<i64, ApiError> {
            timestamp_ms_opt(params, name)
                .map_err(|e| invalid(e.to_string()))?
                .ok_or_else(|| invalid(format!("{name} is required")))
        };
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            Ok(str_opt(params, name).map_err(|e| invalid(e.to_string()))?.map(str::to_owned))
        };
        Ok(GetServiceGraphInput {
            start_time_ms: time("StartTime")?,
            end_time_ms: time("EndTime")?,
            group_name: text("GroupName")?,
            group_arn: text("GroupARN")?,
        })
    }

    fn encode(graph: ServiceGraph) -> Value {
        json!({
            "StartTime": seconds(graph.start_ms),
            "EndTime": seconds(graph.end_ms),
            "Services": services(&graph),
            "ContainsOldGroupVersions": false,
        })
    }
}

impl Wire for GetTraceGraph {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetTraceGraphInput, ApiError> {
        Ok(GetTraceGraphInput { trace_ids: strings(params, "TraceIds")? })
    }

    fn encode(graph: ServiceGraph) -> Value {
        json!({ "Services": services(&graph) })
    }
}

fn statistics(stats: &Stats) -> Value {
    json!({
        "OkCount": stats.ok,
        "ErrorStatistics": {
            "ThrottleCount": stats.throttle,
            "OtherCount": stats.error,
            "TotalCount": stats.error + stats.throttle,
        },
        "FaultStatistics": { "OtherCount": stats.fault, "TotalCount": stats.fault },
        "TotalCount": stats.total(),
        "TotalResponseTime": stats.total_response_time,
    })
}

fn histogram(stats: &Stats) -> Value {
    Value::Array(
        stats.histogram.iter().map(|(ms, count)| json!({ "Value": f64::from(*ms) / 1000.0, "Count": count })).collect(),
    )
}

/// Whole seconds around the stats' first start and last end, as X-Ray shows node and edge times.
fn times(stats: &Stats, into: &mut Value) {
    if stats.total() > 0 {
        into["StartTime"] = json!(stats.first_start.floor());
        into["EndTime"] = json!(stats.last_end.ceil());
    }
}

/// Services in X-Ray's shape: clients and inferred nodes `unknown`, services `active`; clients carry no
/// statistics of their own.
fn services(graph: &ServiceGraph) -> Value {
    Value::Array(
        graph
            .nodes
            .iter()
            .map(|node: &GraphNode| {
                let edges: Vec<Value> = node
                    .edges
                    .iter()
                    .map(|(to, stats)| {
                        let mut edge = json!({
                            "ReferenceId": to,
                            "SummaryStatistics": statistics(stats),
                            "ResponseTimeHistogram": histogram(stats),
                            "Aliases": [],
                        });
                        times(stats, &mut edge);
                        edge
                    })
                    .collect();
                let mut service = service_id(&node.key, &graph.account);
                service["ReferenceId"] = json!(node.reference);
                service["State"] = json!(if node.role == Role::Service { "active" } else { "unknown" });
                service["Edges"] = Value::Array(edges);
                if node.root {
                    service["Root"] = json!(true);
                }
                if node.role == Role::Client {
                    // A client's times are its calls'.
                    if let Some((_, stats)) = node.edges.first() {
                        times(stats, &mut service);
                    }
                } else {
                    service["SummaryStatistics"] = statistics(&node.stats);
                    service["DurationHistogram"] = histogram(&node.stats);
                    service["ResponseTimeHistogram"] = histogram(&node.stats);
                    times(&node.stats, &mut service);
                }
                service
            })
            .collect(),
    )
}

fn page_input(params: &Value) -> Result<PageInput, ApiError> {
    Ok(PageInput { next_token: str_opt(params, "NextToken").map_err(|e| invalid(e.to_string()))?.map(str::to_owned) })
}

/// A rule in X-Ray's shape (`SamplingRule`).
fn rule_json(rule: &Rule, account: &str, region: &str) -> Value {
    json!({
        "RuleName": rule.name,
        "RuleARN": rule.arn(region, account),
        "ResourceARN": rule.resource_arn,
        "Priority": rule.priority,
        "FixedRate": rule.fixed_rate,
        "ReservoirSize": rule.reservoir_size,
        "ServiceName": rule.service_name,
        "ServiceType": rule.service_type,
        "Host": rule.host,
        "HTTPMethod": rule.http_method,
        "URLPath": rule.url_path,
        "Version": rule.version,
        "Attributes": rule.attributes,
    })
}

/// A `SamplingRuleRecord`.
fn record_json(rule: &Rule, account: &str, region: &str) -> Value {
    json!({
        "SamplingRule": rule_json(rule, account, region),
        "CreatedAt": seconds(rule.created_ms),
        "ModifiedAt": seconds(rule.modified_ms),
    })
}

/// The members of a `SamplingRule` or `SamplingRuleUpdate` object.
fn rule_fields(params: &Value, member: &str) -> Result<RuleFields, ApiError> {
    let object = match params.get(member) {
        Some(value @ Value::Object(_)) => value,
        _ => return Err(invalid(format!("{member} is required"))),
    };
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        Ok(str_opt(object, name).map_err(|e| invalid(e.to_string()))?.map(str::to_owned))
    };
    let integer = |name: &str| i64_opt(object, name).map_err(|e| invalid(e.to_string()));
    let attributes = match object.get("Attributes") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(
            map.iter()
                .map(|(k, v)| {
                    v.as_str()
                        .map(|v| (k.clone(), v.to_owned()))
                        .ok_or_else(|| invalid("Attributes: values must be strings"))
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(_) => return Err(invalid("Attributes must be a map")),
    };
    Ok(RuleFields {
        rule_name: text("RuleName")?,
        rule_arn: text("RuleARN")?,
        resource_arn: text("ResourceARN")?,
        priority: integer("Priority")?,
        fixed_rate: f64_opt(object, "FixedRate").map_err(|e| invalid(e.to_string()))?,
        reservoir_size: integer("ReservoirSize")?,
        service_name: text("ServiceName")?,
        service_type: text("ServiceType")?,
        host: text("Host")?,
        http_method: text("HTTPMethod")?,
        url_path: text("URLPath")?,
        version: integer("Version")?,
        attributes,
    })
}

impl Wire for GetSamplingRules {
    fn decode(_ctx: &Context, params: &Value) -> Result<PageInput, ApiError> {
        page_input(params)
    }

    fn encode(list: RuleList) -> Value {
        let records: Vec<Value> = list.rules.iter().map(|r| record_json(r, &list.account, &list.region)).collect();
        json!({ "SamplingRuleRecords": records })
    }
}

impl Wire for CreateSamplingRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<CreateSamplingRuleInput, ApiError> {
        let tags = list_opt(params, "Tags")
            .map_err(|e| invalid(e.to_string()))?
            .iter()
            .map(|tag| {
                let key = str_opt(tag, "Key").ok().flatten();
                let value = str_opt(tag, "Value").ok().flatten();
                match (key, value) {
                    (Some(k), Some(v)) => Ok((k.to_owned(), v.to_owned())),
                    _ => Err(invalid("Tags: each tag has a Key and a Value")),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(CreateSamplingRuleInput { rule: rule_fields(params, "SamplingRule")?, tags })
    }

    fn encode(record: RuleRecord) -> Value {
        json!({ "SamplingRuleRecord": record_json(&record.rule, &record.account, &record.region) })
    }
}

impl Wire for UpdateSamplingRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<UpdateSamplingRuleInput, ApiError> {
        Ok(UpdateSamplingRuleInput { update: rule_fields(params, "SamplingRuleUpdate")? })
    }

    fn encode(record: RuleRecord) -> Value {
        json!({ "SamplingRuleRecord": record_json(&record.rule, &record.account, &record.region) })
    }
}

impl Wire for DeleteSamplingRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteSamplingRuleInput, ApiError> {
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            Ok(str_opt(params, name).map_err(|e| invalid(e.to_string()))?.map(str::to_owned))
        };
        Ok(DeleteSamplingRuleInput { rule_name: text("RuleName")?, rule_arn: text("RuleARN")? })
    }

    fn encode(record: RuleRecord) -> Value {
        json!({ "SamplingRuleRecord": record_json(&record.rule, &record.account, &record.region) })
    }
}

impl Wire for GetSamplingTargets {
    fn decode(_ctx: &Context, params: &Value) -> Result<GetSamplingTargetsInput, ApiError> {
        if params.get("SamplingStatisticsDocuments").is_none() {
            return Err(invalid("SamplingStatisticsDocuments is required"));
        }
        let documents = list_opt(params, "SamplingStatisticsDocuments")
            .map_err(|e| invalid(e.to_string()))?
            .iter()
            .map(|d| {
                let text = |name: &str| -> Result<String, ApiError> {
                    str_opt(d, name)
                        .map_err(|e| invalid(e.to_string()))?
                        .map(str::to_owned)
                        .ok_or_else(|| invalid(format!("{name} is required")))
                };
                let count = |name: &str| -> Result<i64, ApiError> {
                    Ok(i64_opt(d, name).map_err(|e| invalid(e.to_string()))?.unwrap_or(0))
                };
                Ok(StatisticsInput {
                    rule_name: text("RuleName")?,
                    client_id: text("ClientID")?,
                    request_count: count("RequestCount")?,
                    sampled_count: count("SampledCount")?,
                    borrow_count: count("BorrowCount")?,
                })
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(GetSamplingTargetsInput { sampling_statistics_documents: documents })
    }

    fn encode(reply: TargetsReply) -> Value {
        let targets: Vec<Value> = reply
            .targets
            .iter()
            .map(|t| {
                json!({
                    "RuleName": t.rule,
                    "FixedRate": t.fixed_rate,
                    "ReservoirQuota": t.quota,
                    "ReservoirQuotaTTL": seconds(t.ttl_ms),
                    "Interval": t.interval_s,
                })
            })
            .collect();
        let unprocessed: Vec<Value> = reply
            .unprocessed
            .iter()
            .map(|(rule, code, message)| json!({ "RuleName": rule, "ErrorCode": code, "Message": message }))
            .collect();
        json!({
            "SamplingTargetDocuments": targets,
            "LastRuleModification": seconds(reply.last_rule_modification_ms),
            "UnprocessedStatistics": unprocessed,
        })
    }
}

impl Wire for GetSamplingStatisticSummaries {
    fn decode(_ctx: &Context, params: &Value) -> Result<PageInput, ApiError> {
        page_input(params)
    }

    fn encode(summaries: Vec<(String, i64, Counts)>) -> Value {
        let list: Vec<Value> = summaries
            .iter()
            .map(|(rule, start, counts)| {
                json!({
                    "RuleName": rule,
                    "Timestamp": seconds(*start),
                    "RequestCount": counts.requests,
                    "BorrowCount": counts.borrowed,
                    "SampledCount": counts.sampled,
                })
            })
            .collect();
        json!({ "SamplingStatisticSummaries": list })
    }
}

fn group_input(params: &Value) -> Result<GroupInput, ApiError> {
    let text = |name: &str| -> Result<Option<String>, ApiError> {
        Ok(str_opt(params, name).map_err(|e| invalid(e.to_string()))?.map(str::to_owned))
    };
    let insights = params.get("InsightsConfiguration").cloned().unwrap_or(Value::Null);
    let flag = |name: &str| bool_opt(&insights, name).map_err(|e| invalid(e.to_string()));
    let tags = list_opt(params, "Tags")
        .map_err(|e| invalid(e.to_string()))?
        .iter()
        .map(|tag| match (str_opt(tag, "Key").ok().flatten(), str_opt(tag, "Value").ok().flatten()) {
            (Some(k), Some(v)) => Ok((k.to_owned(), v.to_owned())),
            _ => Err(invalid("Tags: each tag has a Key and a Value")),
        })
        .collect::<Result<_, _>>()?;
    Ok(GroupInput {
        group_name: text("GroupName")?,
        group_arn: text("GroupARN")?,
        filter_expression: text("FilterExpression")?,
        insights_enabled: flag("InsightsEnabled")?,
        notifications_enabled: flag("NotificationsEnabled")?,
        tags,
    })
}

fn group_json(group: &Group, account: &str, region: &str) -> Value {
    let mut out = json!({
        "GroupName": group.name,
        "GroupARN": group.arn(region, account),
        "InsightsConfiguration": {
            "InsightsEnabled": group.insights_enabled,
            "NotificationsEnabled": group.notifications_enabled,
        },
    });
    if let Some(expression) = &group.filter_expression {
        out["FilterExpression"] = json!(expression);
    }
    out
}

fn group_reply(record: GroupRecord) -> Value {
    match &record.group {
        Some(group) => json!({ "Group": group_json(group, &record.account, &record.region) }),
        None => json!({}),
    }
}

impl Wire for CreateGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<GroupInput, ApiError> {
        group_input(params)
    }

    fn encode(record: GroupRecord) -> Value {
        group_reply(record)
    }
}

impl Wire for GetGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<GroupInput, ApiError> {
        group_input(params)
    }

    fn encode(record: GroupRecord) -> Value {
        group_reply(record)
    }
}

impl Wire for UpdateGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<GroupInput, ApiError> {
        group_input(params)
    }

    fn encode(record: GroupRecord) -> Value {
        group_reply(record)
    }
}

impl Wire for DeleteGroup {
    fn decode(_ctx: &Context, params: &Value) -> Result<GroupInput, ApiError> {
        group_input(params)
    }

    fn encode(record: GroupRecord) -> Value {
        group_reply(record)
    }
}

impl Wire for GetGroups {
    fn decode(_ctx: &Context, params: &Value) -> Result<PageInput, ApiError> {
        page_input(params)
    }

    fn encode(list: GroupList) -> Value {
        let groups: Vec<Value> = list.groups.iter().map(|g| group_json(g, &list.account, &list.region)).collect();
        json!({ "Groups": groups })
    }
}

impl Wire for GetTimeSeriesServiceStatistics {
    fn decode(_ctx: &Context, params: &Value) -> Result<TimeSeriesInput, ApiError> {
        let time = |name: &str| -> Result<i64, ApiError> {
            timestamp_ms_opt(params, name)
                .map_err(|e| invalid(e.to_string()))?
                .ok_or_else(|| invalid(format!("{name} is required")))
        };
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            Ok(str_opt(params, name).map_err(|e| invalid(e.to_string()))?.map(str::to_owned))
        };
        Ok(TimeSeriesInput {
            start_time_ms: time("StartTime")?,
            end_time_ms: time("EndTime")?,
            group_name: text("GroupName")?,
            group_arn: text("GroupARN")?,
            entity_selector_expression: text("EntitySelectorExpression")?,
            period: i64_opt(params, "Period").map_err(|e| invalid(e.to_string()))?,
            forecast_statistics: bool_opt(params, "ForecastStatistics")
                .map_err(|e| invalid(e.to_string()))?
                .unwrap_or(false),
        })
    }

    fn encode(points: Vec<TimePoint>) -> Value {
        let list: Vec<Value> = points
            .iter()
            .map(|point| {
                let member = if point.service { "ServiceSummaryStatistics" } else { "EdgeSummaryStatistics" };
                let mut out = json!({
                    "Timestamp": seconds(point.timestamp_ms),
                    member: statistics(&point.stats),
                    "ResponseTimeHistogram": histogram(&point.stats),
                });
                if let Some((high, low)) = point.forecast {
                    out["ServiceForecastStatistics"] = json!({ "FaultCountHigh": high, "FaultCountLow": low });
                }
                out
            })
            .collect();
        json!({ "TimeSeriesServiceStatistics": list, "ContainsOldGroupVersions": false })
    }
}
