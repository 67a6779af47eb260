//! EventBridge (JSON 1.1, `AWSEvents.<Op>`): buses, rules, targets and TestEventPattern in their wire shapes.

use serde_json::{Map, Value, json};
use skywatch_core::events::model::{InputTransformer, RetryPolicy, Target};
use skywatch_core::events::{
    BusDescription, BusNameInput, BusPage, CreateEventBus, CreateEventBusInput, CreatedBus, DeadLetterConfig,
    DeleteEventBus, DeleteRule, DeleteRuleInput, DescribeEventBus, DescribeEventBusInput, DescribeRule, DisableRule,
    EnableRule, ListEventBuses, ListEventBusesInput, ListRules, ListRulesInput, PutRule, PutRuleInput, RuleDescription,
    RuleNameInput, RulePage, Tag, TestEventPattern, TestEventPatternInput,
};
use skywatch_core::events::{
    FailedEntries, ListRuleNamesByTarget, ListRuleNamesByTargetInput, ListTargetsByRule, ListTargetsByRuleInput,
    PutTargets, PutTargetsInput, RemoveTargets, RemoveTargetsInput, RuleNamePage, TargetPage,
};
use skywatch_core::events::{
    ListTagsForResource, ListTagsForResourceInput, TagResource, TagResourceInput, UntagResource, UntagResourceInput,
};
use skywatch_core::ops::Context;

mod archives;
mod connections;
mod delivery;
mod partners;

use crate::errors::ApiError;
use crate::params::{bool_opt, i64_opt, list_opt, str_opt, str_required};
use crate::registry::Wire;

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

/// Adds `value` under `name` when there is one.
fn put(out: &mut Map<String, Value>, name: &str, value: Option<impl Into<Value>>) {
    if let Some(value) = value {
        out.insert(name.to_owned(), value.into());
    }
}

/// A timestamp as JSON 1.1 carries it: epoch seconds.
fn seconds(ms: i64) -> Value {
    json!(ms as f64 / 1000.0)
}

fn tags(params: &Value) -> Result<Vec<Tag>, ApiError> {
    list_opt(params, "Tags")?
        .iter()
        .map(|tag| {
            Ok(Tag {
                key: str_required(tag, "Key")?.to_owned(),
                value: str_opt(tag, "Value")?.unwrap_or_default().to_owned(),
            })
        })
        .collect()
}

fn dead_letter(config: Option<DeadLetterConfig>) -> Option<Value> {
    config.map(|c| {
        let mut out = Map::new();
        put(&mut out, "Arn", c.arn);
        Value::Object(out)
    })
}

impl Wire for CreateEventBus {
    fn decode(_ctx: &Context, params: &Value) -> Result<CreateEventBusInput, ApiError> {
        let dead_letter_config = match params.get("DeadLetterConfig") {
            None | Some(Value::Null) => None,
            Some(config) => Some(DeadLetterConfig { arn: owned(str_opt(config, "Arn")?) }),
        };
        Ok(CreateEventBusInput {
            name: str_required(params, "Name")?.to_owned(),
            event_source_name: owned(str_opt(params, "EventSourceName")?),
            description: owned(str_opt(params, "Description")?),
            kms_key_identifier: owned(str_opt(params, "KmsKeyIdentifier")?),
            dead_letter_config,
            tags: tags(params)?,
        })
    }

    fn encode(created: CreatedBus) -> Value {
        let mut out = Map::new();
        out.insert("EventBusArn".into(), json!(created.event_bus_arn));
        put(&mut out, "Description", created.description);
        put(&mut out, "KmsKeyIdentifier", created.kms_key_identifier);
        put(&mut out, "DeadLetterConfig", dead_letter(created.dead_letter_config));
        Value::Object(out)
    }
}

fn bus(bus: BusDescription) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("Name".into(), json!(bus.name));
    out.insert("Arn".into(), json!(bus.arn));
    put(&mut out, "Description", bus.description);
    put(&mut out, "KmsKeyIdentifier", bus.kms_key_identifier);
    put(&mut out, "DeadLetterConfig", dead_letter(bus.dead_letter_config));
    put(&mut out, "Policy", bus.policy);
    put(&mut out, "CreationTime", bus.created_ms.map(seconds));
    put(&mut out, "LastModifiedTime", bus.modified_ms.map(seconds));
    out
}

impl Wire for DescribeEventBus {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeEventBusInput, ApiError> {
        Ok(DescribeEventBusInput { name: owned(str_opt(params, "Name")?) })
    }

    fn encode(description: BusDescription) -> Value {
        Value::Object(bus(description))
    }
}

impl Wire for ListEventBuses {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListEventBusesInput, ApiError> {
        Ok(ListEventBusesInput {
            name_prefix: owned(str_opt(params, "NamePrefix")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: BusPage) -> Value {
        let mut out = Map::new();
        out.insert(
            "EventBuses".into(),
            Value::Array(page.event_buses.into_iter().map(|b| Value::Object(bus(b))).collect()),
        );
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

impl Wire for DeleteEventBus {
    fn decode(_ctx: &Context, params: &Value) -> Result<BusNameInput, ApiError> {
        Ok(BusNameInput { name: str_required(params, "Name")?.to_owned() })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for PutRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutRuleInput, ApiError> {
        Ok(PutRuleInput {
            name: str_required(params, "Name")?.to_owned(),
            schedule_expression: owned(str_opt(params, "ScheduleExpression")?),
            event_pattern: owned(str_opt(params, "EventPattern")?),
            state: owned(str_opt(params, "State")?),
            description: owned(str_opt(params, "Description")?),
            role_arn: owned(str_opt(params, "RoleArn")?),
            tags: tags(params)?,
            event_bus_name: owned(str_opt(params, "EventBusName")?),
        })
    }

    fn encode(arn: String) -> Value {
        json!({ "RuleArn": arn })
    }
}

fn rule_name(params: &Value) -> Result<RuleNameInput, ApiError> {
    Ok(RuleNameInput {
        name: str_required(params, "Name")?.to_owned(),
        event_bus_name: owned(str_opt(params, "EventBusName")?),
    })
}

/// A rule as DescribeRule shows it (`CreatedBy` included) or as ListRules lists it (without).
fn rule(rule: RuleDescription, created_by: bool) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("Name".into(), json!(rule.name));
    out.insert("Arn".into(), json!(rule.arn));
    put(&mut out, "EventPattern", rule.event_pattern);
    put(&mut out, "ScheduleExpression", rule.schedule_expression);
    out.insert("State".into(), json!(rule.state));
    put(&mut out, "Description", rule.description);
    put(&mut out, "RoleArn", rule.role_arn);
    out.insert("EventBusName".into(), json!(rule.event_bus_name));
    if created_by {
        out.insert("CreatedBy".into(), json!(rule.created_by));
    }
    out
}

impl Wire for DescribeRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<RuleNameInput, ApiError> {
        rule_name(params)
    }

    fn encode(description: RuleDescription) -> Value {
        Value::Object(rule(description, true))
    }
}

impl Wire for EnableRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<RuleNameInput, ApiError> {
        rule_name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DisableRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<RuleNameInput, ApiError> {
        rule_name(params)
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for DeleteRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<DeleteRuleInput, ApiError> {
        Ok(DeleteRuleInput {
            name: str_required(params, "Name")?.to_owned(),
            event_bus_name: owned(str_opt(params, "EventBusName")?),
            force: bool_opt(params, "Force")?,
        })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for ListRules {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListRulesInput, ApiError> {
        Ok(ListRulesInput {
            name_prefix: owned(str_opt(params, "NamePrefix")?),
            event_bus_name: owned(str_opt(params, "EventBusName")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: RulePage) -> Value {
        let mut out = Map::new();
        out.insert(
            "Rules".into(),
            Value::Array(page.rules.into_iter().map(|r| Value::Object(rule(r, false))).collect()),
        );
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

impl Wire for TestEventPattern {
    fn decode(_ctx: &Context, params: &Value) -> Result<TestEventPatternInput, ApiError> {
        Ok(TestEventPatternInput {
            event_pattern: str_required(params, "EventPattern")?.to_owned(),
            event: str_required(params, "Event")?.to_owned(),
        })
    }

    fn encode(result: bool) -> Value {
        json!({ "Result": result })
    }
}

fn target(params: &Value) -> Result<Target, ApiError> {
    let input_transformer = match params.get("InputTransformer") {
        None | Some(Value::Null) => None,
        Some(transformer) => {
            let paths = match transformer.get("InputPathsMap") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(key, path)| match path {
                        Value::String(path) => Ok((key.clone(), path.clone())),
                        _ => Err(ApiError::Serialization(
                            "The parameter InputPathsMap must map names to strings.".into(),
                        )),
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err(ApiError::Serialization("The parameter InputPathsMap must be a map.".into())),
            };
            Some(InputTransformer { paths, template: str_required(transformer, "InputTemplate")?.to_owned() })
        }
    };
    let retry_policy = match params.get("RetryPolicy") {
        None | Some(Value::Null) => None,
        Some(policy) => Some(RetryPolicy {
            maximum_retry_attempts: i64_opt(policy, "MaximumRetryAttempts")?,
            maximum_event_age_seconds: i64_opt(policy, "MaximumEventAgeInSeconds")?,
        }),
    };
    let dead_letter_arn = match params.get("DeadLetterConfig") {
        None | Some(Value::Null) => None,
        Some(config) => owned(str_opt(config, "Arn")?),
    };
    Ok(Target {
        id: str_required(params, "Id")?.to_owned(),
        arn: str_required(params, "Arn")?.to_owned(),
        role_arn: owned(str_opt(params, "RoleArn")?),
        input: owned(str_opt(params, "Input")?),
        input_path: owned(str_opt(params, "InputPath")?),
        input_transformer,
        retry_policy,
        dead_letter_arn,
    })
}

fn failed_entries(failed: FailedEntries) -> Value {
    let entries: Vec<Value> = failed
        .failed
        .into_iter()
        .map(|(id, code, message)| json!({ "TargetId": id, "ErrorCode": code, "ErrorMessage": message }))
        .collect();
    json!({ "FailedEntryCount": entries.len(), "FailedEntries": entries })
}

impl Wire for PutTargets {
    fn decode(_ctx: &Context, params: &Value) -> Result<PutTargetsInput, ApiError> {
        Ok(PutTargetsInput {
            rule: str_required(params, "Rule")?.to_owned(),
            event_bus_name: owned(str_opt(params, "EventBusName")?),
            targets: list_opt(params, "Targets")?.iter().map(target).collect::<Result<_, _>>()?,
        })
    }

    fn encode(failed: FailedEntries) -> Value {
        failed_entries(failed)
    }
}

impl Wire for RemoveTargets {
    fn decode(_ctx: &Context, params: &Value) -> Result<RemoveTargetsInput, ApiError> {
        let ids = list_opt(params, "Ids")?
            .iter()
            .map(|id| {
                id.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ApiError::Serialization("The parameter Ids must be a list of strings.".into()))
            })
            .collect::<Result<_, _>>()?;
        Ok(RemoveTargetsInput {
            rule: str_required(params, "Rule")?.to_owned(),
            event_bus_name: owned(str_opt(params, "EventBusName")?),
            ids,
            force: bool_opt(params, "Force")?,
        })
    }

    fn encode(failed: FailedEntries) -> Value {
        failed_entries(failed)
    }
}

fn target_reply(target: Target) -> Value {
    let mut out = Map::new();
    out.insert("Id".into(), json!(target.id));
    out.insert("Arn".into(), json!(target.arn));
    put(&mut out, "RoleArn", target.role_arn);
    put(&mut out, "Input", target.input);
    put(&mut out, "InputPath", target.input_path);
    if let Some(transformer) = target.input_transformer {
        let paths: Map<String, Value> = transformer.paths.into_iter().map(|(k, v)| (k, json!(v))).collect();
        let mut value = Map::new();
        if !paths.is_empty() {
            value.insert("InputPathsMap".into(), Value::Object(paths));
        }
        value.insert("InputTemplate".into(), json!(transformer.template));
        out.insert("InputTransformer".into(), Value::Object(value));
    }
    if let Some(retry) = target.retry_policy {
        let mut value = Map::new();
        put(&mut value, "MaximumRetryAttempts", retry.maximum_retry_attempts);
        put(&mut value, "MaximumEventAgeInSeconds", retry.maximum_event_age_seconds);
        out.insert("RetryPolicy".into(), Value::Object(value));
    }
    put(&mut out, "DeadLetterConfig", target.dead_letter_arn.map(|arn| json!({ "Arn": arn })));
    Value::Object(out)
}

impl Wire for ListTargetsByRule {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListTargetsByRuleInput, ApiError> {
        Ok(ListTargetsByRuleInput {
            rule: str_required(params, "Rule")?.to_owned(),
            event_bus_name: owned(str_opt(params, "EventBusName")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: TargetPage) -> Value {
        let mut out = Map::new();
        out.insert("Targets".into(), Value::Array(page.targets.into_iter().map(target_reply).collect()));
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

impl Wire for ListRuleNamesByTarget {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListRuleNamesByTargetInput, ApiError> {
        Ok(ListRuleNamesByTargetInput {
            target_arn: str_required(params, "TargetArn")?.to_owned(),
            event_bus_name: owned(str_opt(params, "EventBusName")?),
            next_token: owned(str_opt(params, "NextToken")?),
            limit: i64_opt(params, "Limit")?,
        })
    }

    fn encode(page: RuleNamePage) -> Value {
        let mut out = Map::new();
        out.insert("RuleNames".into(), json!(page.rule_names));
        put(&mut out, "NextToken", page.next_token);
        Value::Object(out)
    }
}

impl Wire for TagResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<TagResourceInput, ApiError> {
        Ok(TagResourceInput { resource_arn: str_required(params, "ResourceARN")?.to_owned(), tags: tags(params)? })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for UntagResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<UntagResourceInput, ApiError> {
        let tag_keys = list_opt(params, "TagKeys")?
            .iter()
            .map(|k| {
                k.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ApiError::Serialization("The parameter TagKeys must be a list of strings.".into()))
            })
            .collect::<Result<_, _>>()?;
        Ok(UntagResourceInput { resource_arn: str_required(params, "ResourceARN")?.to_owned(), tag_keys })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

impl Wire for ListTagsForResource {
    fn decode(_ctx: &Context, params: &Value) -> Result<ListTagsForResourceInput, ApiError> {
        Ok(ListTagsForResourceInput { resource_arn: str_required(params, "ResourceARN")?.to_owned() })
    }

    fn encode(tags: Vec<Tag>) -> Value {
        json!({ "Tags": tags.into_iter().map(|t| json!({ "Key": t.key, "Value": t.value })).collect::<Vec<_>>() })
    }
}
