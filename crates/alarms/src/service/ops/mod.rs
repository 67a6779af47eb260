//! The alarm operations, one module per family; each is an `ops::Operation` run alike by the AWS front door and
//! the console.

mod delete;
mod describe;
mod history;
mod put;
mod state;
mod tags;

pub use delete::{DeleteAlarms, DeleteAlarmsError, DeleteAlarmsInput, MAX_DELETE_NAMES};
pub use describe::{
    DescribeAlarms, DescribeAlarmsError, DescribeAlarmsForMetric, DescribeAlarmsForMetricInput, DescribeAlarmsInput,
    DescribedAlarms,
};
pub use history::{DescribeAlarmHistory, DescribeAlarmHistoryInput, HistoryError, HistoryPage};
pub use put::{PutCompositeAlarm, PutCompositeAlarmInput, PutMetricAlarm, PutMetricAlarmInput};
pub use state::{
    AlarmActionsInput, DisableAlarmActions, EnableAlarmActions, SetAlarmState, SetAlarmStateError, SetAlarmStateInput,
};
pub use tags::{
    ListTagsForResource, ResourceInput, TagError, TagResource, TagResourceInput, UntagResource, UntagResourceInput,
};

use skywatch_ops::{Access, AwsError, ErrorCode, EventResource, Spec, codes};

use super::validate::PutAlarmError;
use crate::definition::alarm_arn;

const fn spec(name: &'static str, access: Access) -> Spec {
    Spec { service: "monitoring", event_source: "monitoring.amazonaws.com", name, access, limits: &[] }
}

fn resource(region: &str, account: &str, name: &str) -> EventResource {
    EventResource { resource_type: super::RESOURCE_TYPE.into(), arn: alarm_arn(region, account, name) }
}

fn storage(error: impl std::fmt::Display) -> String {
    error.to_string()
}

impl AwsError for PutAlarmError {
    fn code(&self) -> ErrorCode {
        match self {
            PutAlarmError::Missing(_) => codes::cloudwatch::MISSING_PARAMETER,
            PutAlarmError::InvalidValue(_) => codes::cloudwatch::INVALID_PARAMETER_VALUE,
            PutAlarmError::Combination(_) => codes::cloudwatch::INVALID_PARAMETER_COMBINATION,
            PutAlarmError::Validation(_) => codes::cloudwatch::VALIDATION,
            PutAlarmError::LimitExceeded(_) => codes::cloudwatch::LIMIT_EXCEEDED,
            PutAlarmError::Storage(_) => codes::INTERNAL,
        }
    }
}
