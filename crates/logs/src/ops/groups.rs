//! Log groups: CreateLogGroup, DeleteLogGroup, DescribeLogGroups, Put/DeleteRetentionPolicy and
//! Associate/DisassociateKmsKey.

use std::collections::BTreeMap;

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::tags::check_tags;
use super::{check_group_name, existing_group, group_resource, named_group, read, spec};
use crate::keys::parse_key_arn;
use crate::model::{LogGroup, LogGroupClass, RETENTION_DAYS, group_arn, group_arn_star, group_from_identifier};
use crate::storage::{self, LogsChange};
use crate::{Logs, LogsError};

/// Groups a page of DescribeLogGroups at most (and by default).
pub const PAGE: usize = 50;
const TOKEN_KIND: &str = "logs-groups";

/// CreateLogGroup's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateLogGroupInput {
    pub log_group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_class: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_protection_enabled: Option<bool>,
}

/// Checks a KMS key ARN for a group of the call's account and region and makes sure its key exists.
async fn usable_key(logs: &Logs, ctx: &Context, arn: &str) -> Result<(), LogsError> {
    let partition = skywatch_model::partition(&ctx.region);
    let own = parse_key_arn(arn)
        .is_some_and(|k| k.partition == partition && k.region == ctx.region && k.account == ctx.account);
    if !own {
        return Err(LogsError::InvalidParameter(format!(
            "Specified KMS key {arn} is not a valid KMS key ARN of this account and region (arn:{partition}:kms:{}:{}:key/<key-id>).",
            ctx.region, ctx.account
        )));
    }
    let (keys, arn) = (logs.keys.clone(), arn.to_owned());
    tokio::task::spawn_blocking(move || keys.ensure(&arn)).await.map_err(|e| LogsError::Storage(e.to_string()))??;
    Ok(())
}

/// CreateLogGroup.
pub struct CreateLogGroup;

impl Operation for CreateLogGroup {
    const SPEC: Spec = spec("CreateLogGroup", Access::Write)
        .with_limits(&[Limit::aws("logGroupName characters", 512), Limit::aws("tags a log group", 50)]);
    type Engine = Logs;
    type Input = CreateLogGroupInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: CreateLogGroupInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        check_tags(&input.tags)?;
        let class = match input.log_group_class.as_deref() {
            None => LogGroupClass::Standard,
            Some(text) => LogGroupClass::parse(text).ok_or_else(|| {
                LogsError::constraint(
                    "logGroupClass",
                    text,
                    "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY, ESSENTIALS]",
                )
            })?,
        };
        if let Some(arn) = &input.kms_key_id {
            usable_key(logs, ctx, arn).await?;
        }
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.log_group_name.clone());
        let existing = read(logs, move |r| Ok(storage::group(r, &account, &region, &name)?)).await?;
        if existing.is_some() {
            return Err(LogsError::AlreadyExists("The specified log group already exists".into()));
        }
        let group = LogGroup {
            name: input.log_group_name.clone(),
            id: logs.next_id(ctx.now_ms),
            created_ms: ctx.now_ms,
            retention_days: None,
            kms_key_id: input.kms_key_id,
            class,
            tags: input.tags,
            deletion_protection: input.deletion_protection_enabled.unwrap_or(false),
            stored_bytes: 0,
            max_span_ms: 0,
        };
        let change =
            LogsChange::PutGroup { account: ctx.account.clone(), region: ctx.region.clone(), group: Box::new(group) };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &input.log_group_name)]))
    }
}

/// The input of calls that name one group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupNameInput {
    pub log_group_name: String,
}

/// DeleteLogGroup: the group goes at once; its streams and events are swept in the background.
pub struct DeleteLogGroup;

impl Operation for DeleteLogGroup {
    const SPEC: Spec = spec("DeleteLogGroup", Access::Write).with_limits(super::GROUP_LIMITS);
    type Engine = Logs;
    type Input = GroupNameInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: GroupNameInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        let (c, name) = (ctx.clone(), input.log_group_name.clone());
        let group = read(logs, move |r| existing_group(r, &c, &name)).await?;
        if group.deletion_protection {
            return Err(LogsError::Validation(format!(
                "Log group {} has deletion protection enabled and cannot be deleted.",
                group.name
            )));
        }
        let change = LogsChange::DeleteGroup {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            name: group.name,
            id: group.id,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &input.log_group_name)]))
    }
}

/// DescribeLogGroups' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeLogGroupsInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_name_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_name_pattern: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_class: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_group_identifiers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One group as DescribeLogGroups shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub group: LogGroup,
    pub arn: String,
    pub log_group_arn: String,
    pub metric_filter_count: usize,
    /// Not on the wire (DescribeLogGroups has no such member); the console shows it.
    pub subscription_filter_count: usize,
}

/// DescribeLogGroups' output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeLogGroupsOutput {
    pub groups: Vec<GroupRow>,
    pub next_token: Option<String>,
}

/// DescribeLogGroups: by name, filtered by prefix or by a case-insensitive pattern, by class and by identifiers.
pub struct DescribeLogGroups;

impl Operation for DescribeLogGroups {
    const SPEC: Spec = spec("DescribeLogGroups", Access::Read)
        .with_limits(&[Limit::aws("limit", PAGE as u64), Limit::aws("logGroupIdentifiers", 50)]);
    type Engine = Logs;
    type Input = DescribeLogGroupsInput;
    type Output = DescribeLogGroupsOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: DescribeLogGroupsInput,
    ) -> Result<Effect<DescribeLogGroupsOutput, LogsError>, LogsError> {
        let limit = match input.limit {
            None => PAGE,
            Some(n @ 1..=50) => n as usize,
            Some(n) => {
                return Err(LogsError::constraint(
                    "limit",
                    &n.to_string(),
                    &format!(
                        "Member must have value {}",
                        if n < 1 { "greater than or equal to 1" } else { "less than or equal to 50" }
                    ),
                ));
            }
        };
        if input.log_group_name_prefix.is_some() && input.log_group_name_pattern.is_some() {
            return Err(LogsError::InvalidParameter(
                "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.".into(),
            ));
        }
        if input.log_group_identifiers.len() > 50 {
            return Err(LogsError::constraint(
                "logGroupIdentifiers",
                "[...]",
                "Member must have length less than or equal to 50",
            ));
        }
        let prefix = input.log_group_name_prefix.clone().unwrap_or_default();
        if !prefix.is_empty() {
            check_group_name("logGroupNamePrefix", &prefix)?;
        }
        let pattern = input.log_group_name_pattern.as_deref().map(str::to_ascii_lowercase);
        if let Some(pattern) = &pattern
            && (pattern.len() > 512
                || !pattern.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b'#')))
        {
            return Err(LogsError::constraint(
                "logGroupNamePattern",
                pattern,
                "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*",
            ));
        }
        let class = match input.log_group_class.as_deref() {
            None => None,
            Some(text) => Some(LogGroupClass::parse(text).ok_or_else(|| {
                LogsError::constraint(
                    "logGroupClass",
                    text,
                    "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY, ESSENTIALS]",
                )
            })?),
        };
        let identified: Option<Vec<String>> = (!input.log_group_identifiers.is_empty()).then(|| {
            input
                .log_group_identifiers
                .iter()
                .filter_map(|i| group_from_identifier(i, &ctx.region, &ctx.account).map(str::to_owned))
                .collect()
        });
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(
                token::decode(TOKEN_KIND, t)
                    .ok_or_else(|| LogsError::InvalidParameter("The specified nextToken is invalid.".into()))?,
            ),
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (groups, more) = read(logs, move |r| {
            let keep = |g: &LogGroup| {
                class.is_none_or(|c| g.class == c)
                    && pattern.as_ref().is_none_or(|p| g.name.to_ascii_lowercase().contains(p.as_str()))
                    && identified.as_ref().is_none_or(|names| names.contains(&g.name))
            };
            let mut groups = storage::groups(r, (&account, &region), &prefix, after.as_deref(), limit + 1, keep)?;
            let more = groups.len() > limit;
            groups.truncate(limit);
            let rows = groups
                .into_iter()
                .map(|group| {
                    let count = crate::filters::metric_filter_count(r, (&account, &region), &group.name)?;
                    let subscriptions =
                        crate::subscription::storage::subscription_filters(r, (&account, &region), &group.name, "")?;
                    Ok(GroupRow {
                        subscription_filter_count: subscriptions.len(),
                        arn: group_arn_star(&region, &account, &group.name),
                        log_group_arn: group_arn(&region, &account, &group.name),
                        metric_filter_count: count,
                        group,
                    })
                })
                .collect::<Result<Vec<_>, LogsError>>()?;
            Ok((rows, more))
        })
        .await?;
        let next_token = (more && !groups.is_empty())
            .then(|| groups.last().map(|g| token::encode(TOKEN_KIND, &g.group.name)))
            .flatten();
        Ok(Effect::reply(DescribeLogGroupsOutput { groups, next_token }))
    }
}

/// PutRetentionPolicy's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PutRetentionPolicyInput {
    pub log_group_name: String,
    pub retention_in_days: i64,
}

/// PutRetentionPolicy: one of CloudWatch Logs' allowed periods.
pub struct PutRetentionPolicy;

impl Operation for PutRetentionPolicy {
    const SPEC: Spec = spec("PutRetentionPolicy", Access::Write).with_limits(super::GROUP_LIMITS);
    type Engine = Logs;
    type Input = PutRetentionPolicyInput;
    type Output = ();
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: PutRetentionPolicyInput,
    ) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        let days = u32::try_from(input.retention_in_days).ok().filter(|d| RETENTION_DAYS.contains(d));
        let Some(days) = days else {
            let allowed = RETENTION_DAYS.map(|d| d.to_string()).join(", ");
            return Err(LogsError::constraint(
                "retentionInDays",
                &input.retention_in_days.to_string(),
                &format!("Member must satisfy enum value set: [{allowed}]"),
            ));
        };
        update_group(logs, ctx, &input.log_group_name, move |g| g.retention_days = Some(days)).await
    }
}

/// DeleteRetentionPolicy: events are kept forever again.
pub struct DeleteRetentionPolicy;

impl Operation for DeleteRetentionPolicy {
    const SPEC: Spec = spec("DeleteRetentionPolicy", Access::Write).with_limits(super::GROUP_LIMITS);
    type Engine = Logs;
    type Input = GroupNameInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: GroupNameInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_group_name("logGroupName", &input.log_group_name)?;
        update_group(logs, ctx, &input.log_group_name, |g| g.retention_days = None).await
    }
}

/// Reads group `name`, changes it and commits the change, naming the group in the record.
pub(crate) async fn update_group(
    logs: &Logs,
    ctx: &Context,
    name: &str,
    change: impl FnOnce(&mut LogGroup),
) -> Result<Effect<(), LogsError>, LogsError> {
    let (c, n) = (ctx.clone(), name.to_owned());
    let mut group = read(logs, move |r| existing_group(r, &c, &n)).await?;
    change(&mut group);
    let put = LogsChange::PutGroup { account: ctx.account.clone(), region: ctx.region.clone(), group: Box::new(group) };
    Ok(Effect::commit((), vec![put.mutation()]).with_resources(vec![group_resource(ctx, name)]))
}

const KMS_LIMITS: &[Limit] = &[Limit::aws("logGroupName characters", 512), Limit::aws("kmsKeyId characters", 256)];

/// AssociateKmsKey's and DisassociateKmsKey's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KmsKeyInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kms_key_id: Option<String>,
}

fn kms_group(ctx: &Context, input: &KmsKeyInput) -> Result<String, LogsError> {
    if input.log_group_name.is_some() && input.resource_identifier.is_some() {
        return Err(LogsError::InvalidParameter(
            "logGroupName and resourceIdentifier are mutually exclusive parameters.".into(),
        ));
    }
    if let Some(identifier) = &input.resource_identifier
        && identifier.ends_with(":query-result:*")
    {
        return Err(LogsError::InvalidParameter(
            "Encrypting Logs Insights query results is not supported by Skywatch; name a log group.".into(),
        ));
    }
    named_group(ctx, input.log_group_name.as_deref(), input.resource_identifier.as_deref())
}

/// AssociateKmsKey: events ingested from now on are sealed with the key; earlier ones keep theirs.
pub struct AssociateKmsKey;

impl Operation for AssociateKmsKey {
    const SPEC: Spec = spec("AssociateKmsKey", Access::Write).with_limits(KMS_LIMITS);
    type Engine = Logs;
    type Input = KmsKeyInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: KmsKeyInput) -> Result<Effect<(), LogsError>, LogsError> {
        let name = kms_group(ctx, &input)?;
        let arn = input.kms_key_id.clone().ok_or_else(|| {
            LogsError::InvalidParameter("1 validation error detected: Value null at 'kmsKeyId' failed to satisfy constraint: Member must not be null".into())
        })?;
        if arn.len() > 256 {
            return Err(LogsError::constraint("kmsKeyId", &arn, "Member must have length less than or equal to 256"));
        }
        usable_key(logs, ctx, &arn).await?;
        update_group(logs, ctx, &name, move |g| g.kms_key_id = Some(arn)).await
    }
}

/// DisassociateKmsKey: new events are stored unsealed; sealed ones still need the key.
pub struct DisassociateKmsKey;

impl Operation for DisassociateKmsKey {
    const SPEC: Spec = spec("DisassociateKmsKey", Access::Write).with_limits(KMS_LIMITS);
    type Engine = Logs;
    type Input = KmsKeyInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: KmsKeyInput) -> Result<Effect<(), LogsError>, LogsError> {
        let name = kms_group(ctx, &input)?;
        update_group(logs, ctx, &name, |g| g.kms_key_id = None).await
    }
}
