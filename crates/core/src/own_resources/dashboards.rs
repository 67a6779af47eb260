//! CloudWatch dashboards as `AWS::CloudWatch::Dashboard` items (dashboards are global per account; each region's
//! recorder records them when told of a change there): the resource id is the dashboard name.

use std::collections::BTreeMap;

use serde_json::json;
use skywatch_config::{Described, Identity};
use skywatch_dashboards::service::{dashboard_arn, storage};
use skywatch_store::{ReadError, Reader};

pub fn identify(arn: &str) -> Option<Identity> {
    let name = super::after(arn, ":dashboard/")?;
    Some(Identity { resource_id: name.to_owned(), resource_name: Some(name.to_owned()), arn: Some(arn.to_owned()) })
}

pub fn describe(
    reader: &Reader,
    (account, region): (&str, &str),
    identity: &Identity,
) -> Result<Option<Described>, ReadError> {
    let Some(dashboard) = storage::dashboard(reader, account, &identity.resource_id)? else { return Ok(None) };
    let arn = dashboard_arn(region, account, &dashboard.name);
    Ok(Some(Described {
        identity: Identity {
            resource_id: dashboard.name.clone(),
            resource_name: Some(dashboard.name.clone()),
            arn: Some(arn.clone()),
        },
        configuration: json!({"dashboardName": dashboard.name, "dashboardArn": arn, "dashboardBody": dashboard.body}),
        supplementary: BTreeMap::new(),
        tags: BTreeMap::new(),
        relationships: Vec::new(),
        created_ms: None,
        schema_version_id: None,
    }))
}

pub fn list(reader: &Reader, (account, region): (&str, &str), limit: usize) -> Result<Vec<Identity>, ReadError> {
    Ok(storage::dashboards(reader, account, "", None, limit)?
        .into_iter()
        .map(|d| Identity {
            arn: Some(dashboard_arn(region, account, &d.name)),
            resource_id: d.name.clone(),
            resource_name: Some(d.name),
        })
        .collect())
}
