//! How AWS Config sees Skywatch's own resources: the [`Describe`] implementation that reads alarms, dashboards,
//! topics, subscriptions and log groups from their engines' tables and shapes each as a configuration item's
//! `configuration` as AWS Config records the type (lower-camel member names, or the CloudFormation shape for log
//! groups). Alarm state is left out: it changes with the metric, not the configuration.

mod alarms;
mod dashboards;
mod log_groups;
mod subscriptions;
mod topics;

use skywatch_config::{Describe, Described, Identity};
use skywatch_store::{ReadError, Reader};

pub const ALARM: &str = "AWS::CloudWatch::Alarm";
pub const DASHBOARD: &str = "AWS::CloudWatch::Dashboard";
pub const TOPIC: &str = "AWS::SNS::Topic";
pub const SUBSCRIPTION: &str = "AWS::SNS::Subscription";
pub const LOG_GROUP: &str = "AWS::Logs::LogGroup";

/// The describer of Skywatch's own resource types.
pub struct OwnResources;

impl Describe for OwnResources {
    fn resource_types(&self) -> &'static [&'static str] {
        &[ALARM, DASHBOARD, TOPIC, SUBSCRIPTION, LOG_GROUP]
    }

    fn identify(&self, resource_type: &str, arn: &str) -> Option<Identity> {
        match resource_type {
            ALARM => alarms::identify(arn),
            DASHBOARD => dashboards::identify(arn),
            TOPIC => topics::identify(arn),
            SUBSCRIPTION => subscriptions::identify(arn),
            LOG_GROUP => log_groups::identify(arn),
            _ => None,
        }
    }

    fn describe(
        &self,
        reader: &Reader,
        scope: (&str, &str),
        resource_type: &str,
        identity: &Identity,
    ) -> Result<Option<Described>, ReadError> {
        match resource_type {
            ALARM => alarms::describe(reader, scope, identity),
            DASHBOARD => dashboards::describe(reader, scope, identity),
            TOPIC => topics::describe(reader, scope, identity),
            SUBSCRIPTION => subscriptions::describe(reader, scope, identity),
            LOG_GROUP => log_groups::describe(reader, scope, identity),
            _ => Ok(None),
        }
    }

    fn list(
        &self,
        reader: &Reader,
        scope: (&str, &str),
        resource_type: &str,
        limit: usize,
    ) -> Result<Vec<Identity>, ReadError> {
        match resource_type {
            ALARM => alarms::list(reader, scope, limit),
            DASHBOARD => dashboards::list(reader, scope, limit),
            TOPIC => topics::list(reader, scope, limit),
            SUBSCRIPTION => subscriptions::list(reader, scope, limit),
            LOG_GROUP => log_groups::list(reader, scope, limit),
            _ => Ok(Vec::new()),
        }
    }
}

/// The last part of an ARN after `marker` (e.g. `:alarm:` or `:dashboard/`).
fn after<'a>(arn: &'a str, marker: &str) -> Option<&'a str> {
    arn.split_once(marker).map(|(_, rest)| rest).filter(|rest| !rest.is_empty())
}
