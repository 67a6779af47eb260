//! An alarm as DescribeAlarms shows it: its configuration, its ARN and its state.

use crate::definition::{Alarm, alarm_arn};
use crate::status::Status;

/// One described alarm.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmView {
    pub arn: String,
    pub alarm: Alarm,
    pub status: Status,
}

impl AlarmView {
    pub fn new(region: &str, account: &str, alarm: Alarm, status: Option<Status>) -> Self {
        let status = status.unwrap_or_else(|| crate::status::Status::created(alarm.configured_ms));
        Self { arn: alarm_arn(region, account, &alarm.name), alarm, status }
    }
}
