//! A change of state, written the same way whoever makes it (the evaluator or SetAlarmState): the new state
//! and its `StateUpdate` history entry ("Alarm updated from OK to ALARM" with the old and new states as JSON),
//! committed only while the alarm exists and its state is still the one the change was computed from.

use serde_json::{Value, json};
use skywatch_store::Mutation;

use crate::definition::Alarm;
use crate::service::storage::{AlarmChange, HistoryItem};
use crate::status::Status;

fn state_json(status: &Status) -> Value {
    let mut state = json!({ "stateValue": status.value.as_str(), "stateReason": status.reason });
    if let Some(data) = &status.reason_data {
        state["stateReasonData"] = serde_json::from_str(data).unwrap_or(Value::String(data.clone()));
    }
    state
}

/// The history entry of a move from `old` to `new`.
pub fn state_update(alarm: &Alarm, old: &Status, new: &Status) -> HistoryItem {
    HistoryItem::new(
        alarm,
        new.updated_ms,
        "StateUpdate",
        format!("Alarm updated from {} to {}", old.value, new.value),
        json!({ "version": "1.0", "oldState": state_json(old), "newState": state_json(new) }).to_string(),
    )
}

/// The change that moves `alarm` from `old` to `new`: the state, and a history entry when the value changes.
pub fn transition(account: &str, region: &str, alarm: &Alarm, old: &Status, new: Status) -> Mutation {
    let history = if old.value != new.value { vec![state_update(alarm, old, &new)] } else { Vec::new() };
    AlarmChange::SetState {
        account: account.to_owned(),
        region: region.to_owned(),
        name: alarm.name.clone(),
        expected_updated_ms: Some(old.updated_ms),
        status: Box::new(new),
        history,
    }
    .mutation()
}
