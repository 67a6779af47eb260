//! SetAlarmState (force a state for testing; a composite parent follows at once, a metric alarm returns to its
//! real state at its next evaluation) and Enable/DisableAlarmActions.

use serde::Serialize;
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, Limit, Operation, Spec, codes};

use super::{resource, spec, storage};
use crate::AlarmState;
use crate::service::Alarms;
use crate::service::storage::{AlarmChange, alarm, status};
use crate::service::transition::Transition;
use crate::status::Status;

/// `StateReason` characters.
pub const MAX_REASON_CHARS: usize = 1023;
/// `StateReasonData` characters.
pub const MAX_REASON_DATA_CHARS: usize = 4000;
/// Names one Enable/DisableAlarmActions takes.
pub const MAX_ACTION_NAMES: usize = 100;

/// Why SetAlarmState refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetAlarmStateError {
    #[error("Alarm {0} not found")]
    NotFound(String),
    #[error("{0}")]
    InvalidFormat(String),
    #[error("{0}")]
    Validation(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl AwsError for SetAlarmStateError {
    fn code(&self) -> ErrorCode {
        match self {
            SetAlarmStateError::NotFound(_) => codes::cloudwatch::RESOURCE_NOT_FOUND,
            SetAlarmStateError::InvalidFormat(_) => codes::cloudwatch::INVALID_FORMAT,
            SetAlarmStateError::Validation(_) => codes::cloudwatch::VALIDATION,
            SetAlarmStateError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// SetAlarmState's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetAlarmStateInput {
    pub alarm_name: String,
    pub state_value: String,
    pub state_reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason_data: Option<String>,
}

/// SetAlarmState.
pub struct SetAlarmState;

impl Operation for SetAlarmState {
    const SPEC: Spec = spec("SetAlarmState", Access::Write).with_limits(&[
        Limit::aws("StateReason characters", MAX_REASON_CHARS as u64),
        Limit::aws("StateReasonData characters", MAX_REASON_DATA_CHARS as u64),
    ]);
    type Engine = Alarms;
    type Input = SetAlarmStateInput;
    type Output = ();
    type Error = SetAlarmStateError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: SetAlarmStateInput,
    ) -> Result<Effect<(), SetAlarmStateError>, SetAlarmStateError> {
        let value: AlarmState = input.state_value.parse().map_err(|()| {
            SetAlarmStateError::Validation(format!(
                "1 validation error detected: Value '{}' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]",
                input.state_value
            ))
        })?;
        if input.state_reason.chars().count() > MAX_REASON_CHARS {
            return Err(SetAlarmStateError::Validation(format!(
                "1 validation error detected: Value at 'stateReason' failed to satisfy constraint: Member must have length less than or equal to {MAX_REASON_CHARS}"
            )));
        }
        if let Some(data) = &input.state_reason_data {
            if data.chars().count() > MAX_REASON_DATA_CHARS {
                return Err(SetAlarmStateError::Validation(format!(
                    "1 validation error detected: Value at 'stateReasonData' failed to satisfy constraint: Member must have length less than or equal to {MAX_REASON_DATA_CHARS}"
                )));
            }
            if serde_json::from_str::<serde_json::Value>(data).is_err() {
                return Err(SetAlarmStateError::InvalidFormat("Invalid JSON in StateReasonData".into()));
            }
        }
        let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), input.alarm_name.clone());
        let found = engine
            .store
            .read(move |reader| {
                Ok(match alarm(reader, &account, &region, &name)? {
                    Some(found) => {
                        let state = status(reader, &account, &region, &name)?;
                        Some((found, state))
                    }
                    None => None,
                })
            })
            .await
            .map_err(|error| SetAlarmStateError::Storage(storage(error)))?;
        let Some((found, old)) = found else {
            return Err(SetAlarmStateError::NotFound(input.alarm_name));
        };
        let old = old.unwrap_or_else(|| Status::created(found.configured_ms));
        let new = old.moved(value, input.state_reason.clone(), input.state_reason_data.clone(), ctx.now_ms);
        let transition = Transition {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            alarm: found.clone(),
            old,
            new,
            held_actions_due: false,
        };
        let base = engine.sns.base_url();
        let events = engine.events.clone();
        let change = engine
            .store
            .read(move |reader| Ok(crate::service::transition::commit(reader, &base, events.as_deref(), transition)))
            .await
            .map_err(|error| SetAlarmStateError::Storage(storage(error)))?;
        let waker = engine.clone();
        Ok(Effect::commit((), vec![change])
            .with_resources(vec![resource(&ctx.region, &ctx.account, &found.name)])
            .then(move || {
                waker.wake();
                waker.sns.wake();
                if let Some(events) = &waker.events {
                    events.committed();
                }
            }))
    }
}

/// EnableAlarmActions' and DisableAlarmActions' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlarmActionsInput {
    pub alarm_names: Vec<String>,
}

/// Why Enable/DisableAlarmActions refused.
fn too_many(names: &[String]) -> Result<(), SetAlarmStateError> {
    if names.len() > MAX_ACTION_NAMES {
        return Err(SetAlarmStateError::Validation(format!(
            "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to {MAX_ACTION_NAMES}"
        )));
    }
    Ok(())
}

fn switch(ctx: &Context, input: &AlarmActionsInput, enabled: bool) -> Effect<(), SetAlarmStateError> {
    let changes = input
        .alarm_names
        .iter()
        .map(|name| {
            AlarmChange::ActionsEnabled {
                account: ctx.account.clone(),
                region: ctx.region.clone(),
                name: name.clone(),
                enabled,
            }
            .mutation()
        })
        .collect();
    let resources = input.alarm_names.iter().map(|name| resource(&ctx.region, &ctx.account, name)).collect();
    Effect::commit((), changes).with_resources(resources)
}

/// EnableAlarmActions: names with no alarm are passed over, as in CloudWatch.
pub struct EnableAlarmActions;

impl Operation for EnableAlarmActions {
    const SPEC: Spec =
        spec("EnableAlarmActions", Access::Write).with_limits(&[Limit::aws("AlarmNames", MAX_ACTION_NAMES as u64)]);
    type Engine = Alarms;
    type Input = AlarmActionsInput;
    type Output = ();
    type Error = SetAlarmStateError;

    async fn run(
        _: &Alarms,
        ctx: &Context,
        input: AlarmActionsInput,
    ) -> Result<Effect<(), SetAlarmStateError>, SetAlarmStateError> {
        too_many(&input.alarm_names)?;
        Ok(switch(ctx, &input, true))
    }
}

/// DisableAlarmActions.
pub struct DisableAlarmActions;

impl Operation for DisableAlarmActions {
    const SPEC: Spec =
        spec("DisableAlarmActions", Access::Write).with_limits(&[Limit::aws("AlarmNames", MAX_ACTION_NAMES as u64)]);
    type Engine = Alarms;
    type Input = AlarmActionsInput;
    type Output = ();
    type Error = SetAlarmStateError;

    async fn run(
        _: &Alarms,
        ctx: &Context,
        input: AlarmActionsInput,
    ) -> Result<Effect<(), SetAlarmStateError>, SetAlarmStateError> {
        too_many(&input.alarm_names)?;
        Ok(switch(ctx, &input, false))
    }
}
