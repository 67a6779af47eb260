//! An alarm's state as it is kept between evaluations: the state, its reason and reason data, when it was
//! updated and last changed, and for composite alarms whether its actions are suppressed.

use serde::{Deserialize, Serialize};

use crate::AlarmState;

/// The state of one alarm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub value: AlarmState,
    pub reason: String,
    /// JSON text (AWS's `StateReasonData`), when there is any.
    pub reason_data: Option<String>,
    /// When the state (or its reason) was last set, epoch milliseconds.
    pub updated_ms: i64,
    /// When the state value last changed.
    pub transitioned_ms: i64,
    /// `WaitPeriod`, `ExtensionPeriod` or `Alarm` while a composite alarm's actions are suppressed.
    pub suppressed_by: Option<String>,
    pub suppressed_reason: Option<String>,
    /// The value before the last change (a suppressor's extension period runs from its leaving ALARM).
    #[serde(default)]
    pub previous_value: Option<AlarmState>,
    /// When a composite alarm's actions, held for its suppressor's wait period, are due.
    #[serde(default)]
    pub pending_actions_at_ms: Option<i64>,
}

/// The reason of a new alarm's first state.
pub const CREATED_REASON: &str = "Unchecked: Initial alarm creation";

impl Status {
    /// A new alarm's state: INSUFFICIENT_DATA, unchecked.
    pub fn created(now_ms: i64) -> Self {
        Self {
            value: AlarmState::InsufficientData,
            reason: CREATED_REASON.to_owned(),
            reason_data: None,
            updated_ms: now_ms,
            transitioned_ms: now_ms,
            suppressed_by: None,
            suppressed_reason: None,
            previous_value: None,
            pending_actions_at_ms: None,
        }
    }

    /// The state after moving to `value` for `reason` at `now_ms`.
    pub fn moved(&self, value: AlarmState, reason: String, reason_data: Option<String>, now_ms: i64) -> Self {
        Self {
            value,
            reason,
            reason_data,
            updated_ms: now_ms,
            transitioned_ms: if value == self.value { self.transitioned_ms } else { now_ms },
            previous_value: if value == self.value { self.previous_value } else { Some(self.value) },
            ..self.clone()
        }
    }
}
