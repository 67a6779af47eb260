//! CloudWatch Logs log groups as `AWS::Logs::LogGroup` items: the resource id is the group's name, as in AWS Config,
//! and the configuration is the resource's CloudFormation shape (LogGroupName, RetentionInDays, KmsKeyId,
//! LogGroupClass, Arn), which AWS Config records for this type and the CW_LOGGROUP_RETENTION_PERIOD_CHECK rule reads.

use std::collections::BTreeMap;

use serde_json::json;
use skywatch_config::{Described, Identity};
use skywatch_logs::model::{group_arn, group_arn_star};
use skywatch_logs::storage;
use skywatch_store::{ReadError, Reader};

/// The group name of a log group ARN (with or without the `:*` CloudWatch Logs appends).
fn name_of(arn: &str) -> Option<&str> {
    let name = super::after(arn, ":log-group:")?;
    let name = name.strip_suffix(":*").unwrap_or(name);
    (!name.is_empty() && !name.contains(":log-stream:")).then_some(name)
}

pub fn identify(arn: &str) -> Option<Identity> {
    let name = name_of(arn)?;
    Some(Identity { resource_id: name.to_owned(), resource_name: Some(name.to_owned()), arn: Some(arn.to_owned()) })
}

pub fn describe(
    reader: &Reader,
    (account, region): (&str, &str),
    identity: &Identity,
) -> Result<Option<Described>, ReadError> {
    let Some(group) = storage::group(reader, account, region, &identity.resource_id)? else { return Ok(None) };
    let arn = group_arn(region, account, &group.name);
    let mut configuration = json!({
        "LogGroupName": group.name,
        "Arn": group_arn_star(region, account, &group.name),
        "LogGroupClass": group.class.as_str(),
    });
    if let Some(days) = group.retention_days {
        configuration["RetentionInDays"] = json!(days);
    }
    if let Some(key) = &group.kms_key_id {
        configuration["KmsKeyId"] = json!(key);
    }
    if group.deletion_protection {
        configuration["DeletionProtectionEnabled"] = json!(true);
    }
    if !group.tags.is_empty() {
        configuration["Tags"] = group.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    }
    Ok(Some(Described {
        identity: Identity { resource_id: group.name.clone(), resource_name: Some(group.name.clone()), arn: Some(arn) },
        configuration,
        supplementary: BTreeMap::new(),
        tags: group.tags.clone().into_iter().collect(),
        relationships: Vec::new(),
        created_ms: Some(group.created_ms),
        schema_version_id: None,
    }))
}

pub fn list(reader: &Reader, (account, region): (&str, &str), limit: usize) -> Result<Vec<Identity>, ReadError> {
    Ok(storage::groups(reader, (account, region), "", None, limit, |_| true)?
        .into_iter()
        .map(|g| Identity {
            resource_id: g.name.clone(),
            arn: Some(group_arn(region, account, &g.name)),
            resource_name: Some(g.name),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_name_groups() {
        assert_eq!(name_of("arn:aws:logs:us-east-1:123456789012:log-group:/app:*"), Some("/app"));
        assert_eq!(name_of("arn:aws:logs:us-east-1:123456789012:log-group:/app"), Some("/app"));
        assert_eq!(name_of("arn:aws:logs:us-east-1:123456789012:log-group:/app:log-stream:s"), None);
        assert_eq!(name_of("arn:aws:logs:us-east-1:123456789012:log-group:"), None);
    }
}
