//! A change of state, committed the same way whoever makes it (the evaluator or SetAlarmState): the new state,
//! its `StateUpdate` history entry ("Alarm updated from OK to ALARM" with the old and new states as JSON), and
//! the actions it triggers ([`super::actions`]) and its EventBridge event ([`super::state_event`]), all applied only while the alarm exists and its state is still
//! the one the change was computed from.

use serde_json::{Value, json};
use skywatch_store::{Mutation, Reader};

use super::actions::{self, Suppression};
use super::state_event::{StateChangeEvents, state_change_event};
use crate::definition::Alarm;
use crate::service::storage::{AlarmChange, HistoryItem};
use crate::status::Status;

/// One alarm moving from `old` to `new`.
#[derive(Debug, Clone)]
pub struct Transition {
    pub account: String,
    pub region: String,
    pub alarm: Alarm,
    pub old: Status,
    pub new: Status,
    /// Run the new state's actions even though the value did not change (a composite alarm's held actions
    /// coming due).
    pub held_actions_due: bool,
}

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

/// The change that commits `transition`: its state, its history, (when the value changes and actions are
/// enabled, or held actions come due) its actions, and (when the value changes) the deliveries of its
/// "CloudWatch Alarm State Change" event through `events`, planned against `reader`.
pub fn commit(
    reader: &Reader,
    sns_base_url: &str,
    events: Option<&dyn StateChangeEvents>,
    transition: Transition,
) -> Mutation {
    let Transition { account, region, alarm, old, mut new, held_actions_due } = transition;
    let changed = old.value != new.value;
    let mut history = if changed { vec![state_update(&alarm, &old, &new)] } else { Vec::new() };
    let mut carried = Vec::new();
    if changed && let Some(events) = events {
        carried.extend(events.plan(reader, &state_change_event(&account, &region, &alarm, &old, &new)));
    }
    if (changed || held_actions_due) && alarm.actions.enabled {
        let suppression = actions::suppression(reader, &account, &region, &alarm, &new, held_actions_due);
        new.suppressed_by = suppression.by().map(str::to_owned);
        new.suppressed_reason = suppression.reason();
        new.pending_actions_at_ms = match suppression {
            Suppression::Waiting { until_ms, .. } => Some(until_ms),
            _ => None,
        };
        if suppression == Suppression::None {
            for arn in alarm.actions.for_state(new.value) {
                let (item, mutations) =
                    actions::execute(reader, sns_base_url, (&account, &region), &alarm, &old, &new, arn);
                history.push(item);
                carried.extend(mutations);
            }
        }
    }
    AlarmChange::SetState {
        account,
        region,
        name: alarm.name.clone(),
        expected_updated_ms: Some(old.updated_ms),
        status: Box::new(new),
        history,
        carried,
    }
    .mutation()
}
