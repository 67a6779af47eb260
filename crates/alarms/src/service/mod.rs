//! The alarm service over the store and the metrics engine: the alarm operations (PutMetricAlarm,
//! PutCompositeAlarm, DescribeAlarms, DescribeAlarmsForMetric, DescribeAlarmHistory, SetAlarmState,
//! Enable/DisableAlarmActions, DeleteAlarms, and tagging) and the evaluator that moves alarms between states.

pub mod actions;
mod engine;
pub mod evaluator;
mod ops;
pub mod retention;
pub mod state_event;
pub mod storage;
pub mod transition;
pub mod validate;
mod view;

pub use engine::Alarms;
pub use ops::*;
pub use storage::{HistoryItem, TABLES};
pub use validate::{Common, CompositeInput, Dimension, MetricInput, PutAlarmError, Tag};
pub use view::AlarmView;

/// The resource type CloudTrail records for alarms.
pub const RESOURCE_TYPE: &str = "AWS::CloudWatch::Alarm";
