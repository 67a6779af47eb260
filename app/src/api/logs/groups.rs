//! The log groups' server side: DescribeLogGroups for the list and a group's page, CreateLogGroup (with
//! PutRetentionPolicy), DeleteLogGroup, the retention, KMS key and tag operations of the group's page.

use leptos::prelude::*;
use skywatch_core::logs::ops::{
    AssociateKmsKey, CreateLogGroup, CreateLogGroupInput, DeleteLogGroup, DeleteRetentionPolicy, DescribeLogGroups,
    DescribeLogGroupsInput, DisassociateKmsKey, GroupNameInput, GroupRow, KmsKeyInput, PutRetentionPolicy,
    PutRetentionPolicyInput, TagResource, TagResourceInput, UntagResource, UntagResourceInput,
};

use super::{LogGroupList, LogGroupView, NewLogGroup};
use crate::api::ssr;

/// What the list asks for.
pub struct ListQuery {
    pub search: String,
    /// `search` is a name prefix (case-sensitive) rather than a pattern.
    pub prefix: bool,
    pub class: String,
    pub token: Option<String>,
}

fn view(row: GroupRow) -> LogGroupView {
    let GroupRow { group, log_group_arn, metric_filter_count, subscription_filter_count, .. } = row;
    LogGroupView {
        name: group.name,
        arn: log_group_arn,
        created_ms: group.created_ms,
        retention_days: group.retention_days,
        stored_bytes: group.stored_bytes,
        metric_filters: metric_filter_count,
        subscription_filters: subscription_filter_count,
        class: group.class.as_str().to_owned(),
        kms_key: group.kms_key_id,
        deletion_protection: group.deletion_protection,
        tags: group.tags.into_iter().collect(),
    }
}

fn some(text: String) -> Option<String> {
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

pub async fn list(region: String, account: Option<String>, query: ListQuery) -> Result<LogGroupList, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let search = some(query.search);
    let input = DescribeLogGroupsInput {
        log_group_name_prefix: if query.prefix { search.clone() } else { None },
        log_group_name_pattern: if query.prefix { None } else { search },
        log_group_class: some(query.class),
        next_token: query.token.and_then(some),
        ..Default::default()
    };
    let output = services.invoke::<DescribeLogGroups>(&ctx, input).await.map_err(ssr::failed)?;
    Ok(LogGroupList { groups: output.groups.into_iter().map(view).collect(), next_token: output.next_token })
}

pub async fn one(region: String, account: Option<String>, name: String) -> Result<LogGroupView, ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    // The group itself is the first name with its own name as prefix.
    let input =
        DescribeLogGroupsInput { log_group_name_prefix: Some(name.clone()), limit: Some(1), ..Default::default() };
    let output = services.invoke::<DescribeLogGroups>(&ctx, input).await.map_err(ssr::failed)?;
    match output.groups.into_iter().next().filter(|row| row.group.name == name) {
        Some(row) => Ok(view(row)),
        None => {
            ssr::set_status(axum::http::StatusCode::BAD_REQUEST);
            Err(ServerFnError::new("ResourceNotFoundException: The specified log group does not exist."))
        }
    }
}

pub async fn create(region: String, account: Option<String>, group: NewLogGroup) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let name = group.name.trim().to_owned();
    let input = CreateLogGroupInput {
        log_group_name: name.clone(),
        kms_key_id: some(group.kms_key),
        tags: group.tags.into_iter().map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect(),
        log_group_class: some(group.class),
        deletion_protection_enabled: None,
    };
    services.invoke::<CreateLogGroup>(&ctx, input).await.map_err(ssr::failed)?;
    if let Some(days) = group.retention_days {
        let input = PutRetentionPolicyInput { log_group_name: name, retention_in_days: i64::from(days) };
        services.invoke::<PutRetentionPolicy>(&ctx, input).await.map_err(ssr::failed)?;
    }
    Ok(())
}

pub async fn delete(region: String, account: Option<String>, name: String) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = GroupNameInput { log_group_name: name };
    services.invoke::<DeleteLogGroup>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn retention(
    region: String,
    account: Option<String>,
    name: String,
    days: Option<u32>,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    match days {
        Some(days) => {
            let input = PutRetentionPolicyInput { log_group_name: name, retention_in_days: i64::from(days) };
            services.invoke::<PutRetentionPolicy>(&ctx, input).await.map_err(ssr::failed)
        }
        None => {
            let input = GroupNameInput { log_group_name: name };
            services.invoke::<DeleteRetentionPolicy>(&ctx, input).await.map_err(ssr::failed)
        }
    }
}

pub async fn kms_key(
    region: String,
    account: Option<String>,
    name: String,
    key: Option<String>,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    match key.and_then(some) {
        Some(key) => {
            let input = KmsKeyInput { log_group_name: Some(name), resource_identifier: None, kms_key_id: Some(key) };
            services.invoke::<AssociateKmsKey>(&ctx, input).await.map_err(ssr::failed)
        }
        None => {
            let input = KmsKeyInput { log_group_name: Some(name), resource_identifier: None, kms_key_id: None };
            services.invoke::<DisassociateKmsKey>(&ctx, input).await.map_err(ssr::failed)
        }
    }
}

pub async fn tag(
    region: String,
    account: Option<String>,
    arn: String,
    tags: Vec<(String, String)>,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let tags = tags.into_iter().map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned())).collect();
    let input = TagResourceInput { resource_arn: arn, tags };
    services.invoke::<TagResource>(&ctx, input).await.map_err(ssr::failed)
}

pub async fn untag(
    region: String,
    account: Option<String>,
    arn: String,
    keys: Vec<String>,
) -> Result<(), ServerFnError> {
    let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
    let input = UntagResourceInput { resource_arn: arn, tag_keys: keys };
    services.invoke::<UntagResource>(&ctx, input).await.map_err(ssr::failed)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_console_offers_the_engines_retention_periods() {
        assert_eq!(super::super::RETENTION_DAYS, skywatch_core::logs::model::RETENTION_DAYS);
        for (class, _) in super::super::GROUP_CLASSES {
            assert!(skywatch_core::logs::model::LogGroupClass::parse(class).is_some(), "{class}");
        }
    }
}
