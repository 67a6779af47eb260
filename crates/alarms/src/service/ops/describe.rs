//! DescribeAlarms (names, prefix, state, action prefix, alarm types, children or parents of a composite alarm,
//! pages by name) and DescribeAlarmsForMetric (the single-metric alarms on one metric).

use std::ops::ControlFlow;

use serde::Serialize;
use skywatch_ops::{Access, AwsError, Context, Effect, ErrorCode, Limit, Operation, Spec, codes, token};
use skywatch_store::Reader;

use super::{spec, storage};
use crate::AlarmState;
use crate::definition::{Alarm, AlarmType, Kind, Source, referenced_name};
use crate::rule;
use crate::service::storage::{alarm, each_alarm, status, type_selected};
use crate::service::validate::Dimension;
use crate::service::{AlarmView, Alarms};

/// The most names one DescribeAlarms may list, and the largest page.
pub const MAX_RECORDS: usize = 100;
/// The page size when MaxRecords is not given.
pub const DEFAULT_RECORDS: usize = 50;
const TOKEN_KIND: &str = "alarms";

/// Why DescribeAlarms or DescribeAlarmsForMetric refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescribeAlarmsError {
    #[error("The NextToken is invalid or has expired.")]
    InvalidNextToken,
    #[error("{0}")]
    InvalidValue(String),
    #[error("{0}")]
    Combination(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

impl AwsError for DescribeAlarmsError {
    fn code(&self) -> ErrorCode {
        match self {
            DescribeAlarmsError::InvalidNextToken => codes::cloudwatch::INVALID_NEXT_TOKEN,
            DescribeAlarmsError::InvalidValue(_) => codes::cloudwatch::INVALID_PARAMETER_VALUE,
            DescribeAlarmsError::Combination(_) => codes::cloudwatch::INVALID_PARAMETER_COMBINATION,
            DescribeAlarmsError::Storage(_) => codes::INTERNAL,
        }
    }
}

/// DescribeAlarms' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeAlarmsInput {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_names: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm_name_prefix: Option<String>,
    /// As given; none means metric alarms only, as in CloudWatch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children_of_alarm_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parents_of_alarm_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_prefix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_records: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// DescribeAlarms' output: each kind in its list, in name order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DescribedAlarms {
    pub metric_alarms: Vec<AlarmView>,
    pub composite_alarms: Vec<AlarmView>,
    pub next_token: Option<String>,
}

/// The alarms a filter selects before paging.
struct Filter {
    names: Option<Vec<String>>,
    prefix: String,
    types: Vec<AlarmType>,
    state: Option<AlarmState>,
    action_prefix: Option<String>,
}

fn parse_types(types: &[String]) -> Result<Vec<AlarmType>, DescribeAlarmsError> {
    types
        .iter()
        .map(|t| {
            AlarmType::parse(t).ok_or_else(|| {
                DescribeAlarmsError::InvalidValue(format!(
                    "The value {t} for parameter AlarmTypes is not valid; it must be MetricAlarm or CompositeAlarm."
                ))
            })
        })
        .collect()
}

fn rule_of(alarm: &Alarm) -> Option<rule::Rule> {
    match &alarm.kind {
        Kind::Composite(composite) => rule::parse(&composite.rule).ok(),
        Kind::Metric(_) => None,
    }
}

fn select(
    reader: &Reader,
    account: &str,
    region: &str,
    filter: &Filter,
    after: Option<&str>,
    limit: usize,
) -> Result<(Vec<AlarmView>, bool), skywatch_store::ReadError> {
    let mut out = Vec::new();
    let mut more = false;
    let mut failed = None;
    let mut consider = |alarm: Alarm| -> ControlFlow<()> {
        if !type_selected(&filter.types, alarm.alarm_type()) {
            return ControlFlow::Continue(());
        }
        if let Some(prefix) = &filter.action_prefix
            && !alarm.actions.all().any(|action| action.starts_with(prefix.as_str()))
        {
            return ControlFlow::Continue(());
        }
        let state = match status(reader, account, region, &alarm.name) {
            Ok(state) => state,
            Err(error) => {
                failed = Some(error);
                return ControlFlow::Break(());
            }
        };
        let view = AlarmView::new(region, account, alarm, state);
        if filter.state.is_some_and(|wanted| view.status.value != wanted) {
            return ControlFlow::Continue(());
        }
        if out.len() == limit {
            more = true;
            return ControlFlow::Break(());
        }
        out.push(view);
        ControlFlow::Continue(())
    };
    match &filter.names {
        Some(names) => {
            let mut names: Vec<&String> = names.iter().filter(|n| after.is_none_or(|a| n.as_str() > a)).collect();
            names.sort();
            names.dedup();
            for name in names {
                if let Some(found) = alarm(reader, account, region, name)?
                    && consider(found).is_break()
                {
                    break;
                }
            }
        }
        None => each_alarm(reader, account, region, &filter.prefix, after, &mut consider)?,
    }
    if let Some(error) = failed {
        return Err(error);
    }
    Ok((out, more))
}

/// The composite alarms whose rules name `child` (by name or ARN).
fn parents(
    reader: &Reader,
    account: &str,
    region: &str,
    child: &str,
) -> Result<Vec<String>, skywatch_store::ReadError> {
    let mut names = Vec::new();
    each_alarm(reader, account, region, "", None, |alarm| {
        if let Some(rule) = rule_of(&alarm)
            && rule.alarms().iter().any(|r| referenced_name(r, region, account) == Some(child))
        {
            names.push(alarm.name);
        }
        ControlFlow::Continue(())
    })?;
    Ok(names)
}

/// The alarms `composite`'s rule names.
fn children(
    reader: &Reader,
    account: &str,
    region: &str,
    composite: &str,
) -> Result<Vec<String>, skywatch_store::ReadError> {
    let Some(found) = alarm(reader, account, region, composite)? else {
        return Ok(Vec::new());
    };
    Ok(rule_of(&found)
        .map(|rule| {
            rule.alarms().into_iter().filter_map(|r| referenced_name(r, region, account)).map(str::to_owned).collect()
        })
        .unwrap_or_default())
}

/// DescribeAlarms.
pub struct DescribeAlarms;

impl Operation for DescribeAlarms {
    const SPEC: Spec = spec("DescribeAlarms", Access::Read)
        .with_limits(&[Limit::aws("AlarmNames", MAX_RECORDS as u64), Limit::aws("MaxRecords", MAX_RECORDS as u64)]);
    type Engine = Alarms;
    type Input = DescribeAlarmsInput;
    type Output = DescribedAlarms;
    type Error = DescribeAlarmsError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: DescribeAlarmsInput,
    ) -> Result<Effect<DescribedAlarms, DescribeAlarmsError>, DescribeAlarmsError> {
        let limit = match input.max_records {
            None => DEFAULT_RECORDS,
            Some(n) if (1..=MAX_RECORDS as i64).contains(&n) => n as usize,
            Some(n) => {
                return Err(DescribeAlarmsError::InvalidValue(format!(
                    "The value {n} for parameter MaxRecords is not valid; it must be between 1 and {MAX_RECORDS}."
                )));
            }
        };
        if input.alarm_names.len() > MAX_RECORDS {
            return Err(DescribeAlarmsError::InvalidValue(format!(
                "The collection AlarmNames must not have a size greater than {MAX_RECORDS}."
            )));
        }
        let family = input.children_of_alarm_name.is_some() || input.parents_of_alarm_name.is_some();
        let others = !input.alarm_names.is_empty()
            || input.alarm_name_prefix.is_some()
            || input.state_value.is_some()
            || input.action_prefix.is_some();
        if (input.children_of_alarm_name.is_some() && input.parents_of_alarm_name.is_some()) || (family && others) {
            return Err(DescribeAlarmsError::Combination(
                "ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with each other or with AlarmNames, AlarmNamePrefix, StateValue or ActionPrefix.".into(),
            ));
        }
        if !input.alarm_names.is_empty() && input.alarm_name_prefix.is_some() {
            return Err(DescribeAlarmsError::Combination(
                "AlarmNames and AlarmNamePrefix cannot be specified together.".into(),
            ));
        }
        let state = match &input.state_value {
            None => None,
            Some(text) => Some(text.parse::<AlarmState>().map_err(|()| {
                DescribeAlarmsError::InvalidValue(format!(
                    "The value {text} for parameter StateValue is not valid; it must be OK, ALARM or INSUFFICIENT_DATA."
                ))
            })?),
        };
        let mut types = parse_types(&input.alarm_types)?;
        if types.is_empty() {
            // Without AlarmTypes, CloudWatch lists metric alarms only; the family of a composite is either kind.
            types = if family { vec![AlarmType::Metric, AlarmType::Composite] } else { vec![AlarmType::Metric] };
        }
        let after = match &input.next_token {
            None => None,
            Some(t) => Some(token::decode(TOKEN_KIND, t).ok_or(DescribeAlarmsError::InvalidNextToken)?),
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let (views, more) = engine
            .store
            .read(move |reader| {
                let names = if let Some(child) = &input.parents_of_alarm_name {
                    Some(parents(reader, &account, &region, child)?)
                } else if let Some(composite) = &input.children_of_alarm_name {
                    Some(children(reader, &account, &region, composite)?)
                } else if input.alarm_names.is_empty() {
                    None
                } else {
                    Some(input.alarm_names.clone())
                };
                let filter = Filter {
                    names,
                    prefix: input.alarm_name_prefix.clone().unwrap_or_default(),
                    types,
                    state,
                    action_prefix: input.action_prefix.clone(),
                };
                select(reader, &account, &region, &filter, after.as_deref(), limit)
            })
            .await
            .map_err(|error| DescribeAlarmsError::Storage(storage(error)))?;
        let next_token = if more { views.last().map(|v| token::encode(TOKEN_KIND, &v.alarm.name)) } else { None };
        let (metric_alarms, composite_alarms) =
            views.into_iter().partition(|v| v.alarm.alarm_type() == AlarmType::Metric);
        Ok(Effect::reply(DescribedAlarms { metric_alarms, composite_alarms, next_token }))
    }
}

/// DescribeAlarmsForMetric's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeAlarmsForMetricInput {
    pub metric_name: String,
    pub namespace: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extended_statistic: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Dimension>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// DescribeAlarmsForMetric: single-metric alarms only (not metric math, not composite), every match at once.
pub struct DescribeAlarmsForMetric;

impl Operation for DescribeAlarmsForMetric {
    const SPEC: Spec = spec("DescribeAlarmsForMetric", Access::Read).with_limits(&[
        Limit::aws("Dimensions", 30),
        Limit::own("alarms scanned", super::put::MAX_ALARMS_PER_REGION as u64),
    ]);
    type Engine = Alarms;
    type Input = DescribeAlarmsForMetricInput;
    type Output = Vec<AlarmView>;
    type Error = DescribeAlarmsError;

    async fn run(
        engine: &Alarms,
        ctx: &Context,
        input: DescribeAlarmsForMetricInput,
    ) -> Result<Effect<Vec<AlarmView>, DescribeAlarmsError>, DescribeAlarmsError> {
        if input.dimensions.len() > 30 {
            return Err(DescribeAlarmsError::InvalidValue(
                "The collection Dimensions must not have a size greater than 30.".into(),
            ));
        }
        let mut dimensions: Vec<(String, String)> =
            input.dimensions.iter().map(|d| (d.name.clone(), d.value.clone())).collect();
        dimensions.sort();
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let views = engine
            .store
            .read(move |reader| {
                let mut matching = Vec::new();
                each_alarm(reader, &account, &region, "", None, |alarm| {
                    let Kind::Metric(metric) = &alarm.kind else { return ControlFlow::Continue(()) };
                    let Source::Metric { stat, extended } = &metric.source else { return ControlFlow::Continue(()) };
                    let statistic_matches = match (&input.statistic, &input.extended_statistic) {
                        (Some(s), _) => !extended && &stat.stat == s,
                        (None, Some(s)) => *extended && &stat.stat == s,
                        (None, None) => true,
                    };
                    if stat.namespace == input.namespace
                        && stat.metric_name == input.metric_name
                        && stat.dimensions == dimensions
                        && statistic_matches
                        && input.period.is_none_or(|p| p == stat.period)
                        && input.unit.as_ref().is_none_or(|u| stat.unit.as_ref() == Some(u))
                    {
                        matching.push(alarm);
                    }
                    ControlFlow::Continue(())
                })?;
                matching
                    .into_iter()
                    .map(|alarm| {
                        let state = status(reader, &account, &region, &alarm.name)?;
                        Ok(AlarmView::new(&region, &account, alarm, state))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .await
            .map_err(|error| DescribeAlarmsError::Storage(storage(error)))?;
        Ok(Effect::reply(views))
    }
}
