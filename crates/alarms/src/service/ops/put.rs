//! PutMetricAlarm and PutCompositeAlarm: create or replace an alarm's configuration. A new alarm starts in
//! INSUFFICIENT_DATA; an existing one keeps its state (CloudWatch: "the update completely overwrites the previous
//! configuration", and the state is left unchanged). Each put is a `ConfigurationUpdate` in the alarm's history.

use serde::Serialize;
use serde_json::json;
use skywatch_ops::{Context, Effect, Limit, Operation, Spec};

use super::{resource, spec, storage};
use crate::definition::{Alarm, Kind, referenced_name};
use crate::service::Alarms;
use crate::service::storage::{self as stored, AlarmChange, HistoryItem, alarm_count};
use crate::service::validate::{
    self, Common, CompositeInput, MAX_ACTIONS, MAX_ALARM_METRICS, MAX_TAGS, MetricInput, PutAlarmError,
};
use crate::status::Status;

/// The most alarms one account may have in one region (CloudWatch's quota is adjustable; this is Skywatch's).
pub const MAX_ALARMS_PER_REGION: usize = 100_000;

/// PutMetricAlarm's input.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PutMetricAlarmInput {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub metric: MetricInput,
}

/// PutCompositeAlarm's input.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PutCompositeAlarmInput {
    #[serde(flatten)]
    pub common: Common,
    #[serde(flatten)]
    pub composite: CompositeInput,
}

const PUT_LIMITS: &[Limit] = &[
    Limit::aws("actions a state", MAX_ACTIONS as u64),
    Limit::aws("tags an alarm", MAX_TAGS as u64),
    Limit::aws("AlarmName characters", validate::MAX_NAME_CHARS as u64),
    Limit::aws("metrics an alarm", MAX_ALARM_METRICS as u64),
    Limit::aws("EvaluationPeriods x Period seconds", 7 * 86_400),
    Limit::own("alarms an account and region", MAX_ALARMS_PER_REGION as u64),
];

/// Builds the changes of a put: the configuration (a new alarm's first state with it) and the history entry.
async fn put(
    engine: &Alarms,
    ctx: &Context,
    alarm: Alarm,
    summary_type: &str,
) -> Result<Effect<(), PutAlarmError>, PutAlarmError> {
    let (account, region, name) = (ctx.account.clone(), ctx.region.clone(), alarm.name.clone());
    let (existing, count) = engine
        .store
        .read(move |reader| {
            Ok((stored::alarm(reader, &account, &region, &name)?, alarm_count(reader, &account, &region)?))
        })
        .await
        .map_err(|error| PutAlarmError::Storage(storage(error)))?;
    if existing.is_none() && count >= MAX_ALARMS_PER_REGION {
        return Err(PutAlarmError::LimitExceeded(format!(
            "The maximum number of alarms ({MAX_ALARMS_PER_REGION}) for this account and region has been reached."
        )));
    }
    let verb = if existing.is_some() { "updated" } else { "created" };
    let history = HistoryItem::new(
        &alarm,
        ctx.now_ms,
        "ConfigurationUpdate",
        format!("Alarm \"{}\" {verb}", alarm.name),
        json!({
            "version": "1.0",
            "type": if existing.is_some() { "Update" } else { "Create" },
            "alarmType": summary_type,
        })
        .to_string(),
    );
    let changes = vec![
        AlarmChange::Put {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            alarm: Box::new(alarm.clone()),
            initial: Status::created(ctx.now_ms),
        }
        .mutation(),
        AlarmChange::History { account: ctx.account.clone(), region: ctx.region.clone(), items: vec![history] }
            .mutation(),
    ];
    let waker = engine.clone();
    Ok(Effect::commit((), changes)
        .with_resources(vec![resource(&ctx.region, &ctx.account, &alarm.name)])
        .then(move || waker.wake()))
}

fn tags(common: &Common) -> Vec<(String, String)> {
    common.tags.iter().map(|t| (t.key.clone(), t.value.clone())).collect()
}

/// PutMetricAlarm.
pub struct PutMetricAlarm;

impl Operation for PutMetricAlarm {
    const SPEC: Spec = spec("PutMetricAlarm", skywatch_ops::Access::Write).with_limits(PUT_LIMITS);
    type Engine = Alarms;
    type Input = PutMetricAlarmInput;
    type Output = ();
    type Error = PutAlarmError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: PutMetricAlarmInput,
    ) -> Result<Effect<(), PutAlarmError>, PutAlarmError> {
        let actions = validate::common(&input.common)?;
        let metric = validate::metric_alarm(&input.metric)?;
        let alarm = Alarm {
            name: input.common.alarm_name.clone(),
            description: input.common.alarm_description.clone(),
            actions,
            kind: Kind::Metric(metric),
            tags: tags(&input.common),
            configured_ms: ctx.now_ms,
        };
        put(engine, ctx, alarm, "MetricAlarm").await
    }
}

/// PutCompositeAlarm: the rule's alarms must exist (in this account and region).
pub struct PutCompositeAlarm;

impl Operation for PutCompositeAlarm {
    const SPEC: Spec = spec("PutCompositeAlarm", skywatch_ops::Access::Write).with_limits(&[
        Limit::aws("AlarmRule characters", crate::rule::MAX_RULE_LENGTH as u64),
        Limit::aws("alarms a rule", crate::rule::MAX_ALARMS as u64),
        Limit::own("rule nesting", crate::rule::MAX_DEPTH as u64),
        Limit::aws("actions a state", MAX_ACTIONS as u64),
        Limit::aws("tags an alarm", MAX_TAGS as u64),
    ]);
    type Engine = Alarms;
    type Input = PutCompositeAlarmInput;
    type Output = ();
    type Error = PutAlarmError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: PutCompositeAlarmInput,
    ) -> Result<Effect<(), PutAlarmError>, PutAlarmError> {
        let actions = validate::common(&input.common)?;
        let (composite, rule) = validate::composite_alarm(&input.composite)?;
        let mut named: Vec<String> = rule.alarms().into_iter().map(str::to_owned).collect();
        named.extend(composite.suppressor.clone());
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let missing = engine
            .store
            .read(move |reader| {
                let mut missing = Vec::new();
                for reference in named {
                    let found = match referenced_name(&reference, &region, &account) {
                        Some(name) => stored::alarm(reader, &account, &region, name)?.is_some(),
                        None => false,
                    };
                    if !found {
                        missing.push(reference);
                    }
                }
                Ok(missing)
            })
            .await
            .map_err(|error| PutAlarmError::Storage(storage(error)))?;
        if !missing.is_empty() {
            return Err(PutAlarmError::Validation(format!(
                "Could not save the composite alarm as alarms [{}] in the alarm rule do not exist",
                missing.join(", ")
            )));
        }
        let alarm = Alarm {
            name: input.common.alarm_name.clone(),
            description: input.common.alarm_description.clone(),
            actions,
            kind: Kind::Composite(composite),
            tags: tags(&input.common),
            configured_ms: ctx.now_ms,
        };
        put(engine, ctx, alarm, "CompositeAlarm").await
    }
}
