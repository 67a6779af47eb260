//! PutMetricAlarm's and PutCompositeAlarm's checks, in CloudWatch's order and words, before an [`Alarm`] is built:
//! names, descriptions, actions (at most 5 a state, each an ARN of an action CloudWatch can take), the metric or
//! the metric-math queries, periods (10, 20, 30 or a multiple of 60; at most a day of evaluation for periods under
//! an hour, a week otherwise), M of N, threshold or anomaly band, missing-data and low-sample options, and tags.

use serde::Serialize;
use skywatch_metrics::STANDARD_UNITS;
use skywatch_metrics::tsdb::statistic::Statistic;

use crate::condition::{Comparison, LowSamples};
use crate::definition::{Actions, AlarmQuery, CompositeAlarm, MetricAlarm, MetricStat, Source};
use crate::evaluate::MissingData;
use crate::rule;

/// Actions per state.
pub const MAX_ACTIONS: usize = 5;
/// Tags on one alarm.
pub const MAX_TAGS: usize = 50;
/// Entries of a metric-math alarm's `Metrics` that fetch a metric.
pub const MAX_ALARM_METRICS: usize = 10;
/// Entries of `Metrics` in all (metrics and expressions).
pub const MAX_ALARM_QUERIES: usize = 20;
pub const MAX_NAME_CHARS: usize = 255;
pub const MAX_DESCRIPTION_CHARS: usize = 1024;
const DAY_S: i64 = 86_400;
const WEEK_S: i64 = 7 * DAY_S;

const BASIC_STATISTICS: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

/// Why a PutMetricAlarm or PutCompositeAlarm was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PutAlarmError {
    #[error("{0}")]
    Missing(String),
    #[error("{0}")]
    InvalidValue(String),
    #[error("{0}")]
    Combination(String),
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    LimitExceeded(String),
    #[error("storage failed: {0}")]
    Storage(String),
}

fn validation(message: impl Into<String>) -> PutAlarmError {
    PutAlarmError::Validation(message.into())
}

/// A `Dimension` of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dimension {
    pub name: String,
    pub value: String,
}

/// The settings both alarm kinds share.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Common {
    pub alarm_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alarm_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions_enabled: Option<bool>,
    #[serde(rename = "oKActions", skip_serializing_if = "Vec::is_empty")]
    pub ok_actions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alarm_actions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub insufficient_data_actions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// A tag of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

fn control_free(text: &str) -> bool {
    !text.chars().any(char::is_control)
}

/// An alarm name: 1 to 255 characters, no control characters.
pub fn check_name(name: &str, member: &str) -> Result<(), PutAlarmError> {
    let length = name.chars().count();
    if length == 0 || length > MAX_NAME_CHARS || !control_free(name) {
        return Err(validation(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length between 1 and {MAX_NAME_CHARS} and contain no control characters"
        )));
    }
    Ok(())
}

/// Whether CloudWatch can take an action: an SNS topic, an EC2 action (`arn:aws:automate:region:ec2:stop`), an
/// Auto Scaling policy, a Lambda function, a Systems Manager OpsItem or incident response plan.
pub fn is_action_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [arn_prefix, partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    if *arn_prefix != "arn" || !partition.starts_with("aws") || resource.is_empty() {
        return false;
    }
    match *service {
        "automate" => *account == "ec2" && ["stop", "terminate", "reboot", "recover"].contains(resource),
        "sns" | "lambda" | "autoscaling" | "ssm" | "ssm-incidents" | "swf" => {
            !region.is_empty() || *service == "ssm-incidents"
        }
        _ => false,
    }
}

fn check_actions(list: &[String], member: &str) -> Result<(), PutAlarmError> {
    if list.len() > MAX_ACTIONS {
        return Err(validation(format!(
            "1 validation error detected: Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {MAX_ACTIONS}"
        )));
    }
    match list.iter().find(|arn| !is_action_arn(arn)) {
        Some(bad) => Err(validation(format!("Invalid arn syntax: {bad}"))),
        None => Ok(()),
    }
}

/// Checks tags: at most 50, keys 1 to 128 characters and unique, values at most 256.
pub fn check_tags(tags: &[Tag]) -> Result<(), PutAlarmError> {
    if tags.len() > MAX_TAGS {
        return Err(PutAlarmError::LimitExceeded(format!("The maximum number of tags is {MAX_TAGS}.")));
    }
    for (i, tag) in tags.iter().enumerate() {
        let key = tag.key.chars().count();
        if key == 0 || key > 128 || tag.value.chars().count() > 256 {
            return Err(PutAlarmError::InvalidValue(format!(
                "The value for Tags.member.{}.Key must be 1 to 128 characters and Value at most 256.",
                i + 1
            )));
        }
        if tags[..i].iter().any(|t| t.key == tag.key) {
            return Err(PutAlarmError::InvalidValue(format!("Duplicate tag key {}.", tag.key)));
        }
    }
    Ok(())
}

fn actions(common: &Common) -> Result<Actions, PutAlarmError> {
    check_actions(&common.ok_actions, "oKActions")?;
    check_actions(&common.alarm_actions, "alarmActions")?;
    check_actions(&common.insufficient_data_actions, "insufficientDataActions")?;
    Ok(Actions {
        enabled: common.actions_enabled.unwrap_or(true),
        ok: common.ok_actions.clone(),
        alarm: common.alarm_actions.clone(),
        insufficient_data: common.insufficient_data_actions.clone(),
    })
}

/// Checks what both kinds share and returns the actions.
pub fn common(common: &Common) -> Result<Actions, PutAlarmError> {
    check_name(&common.alarm_name, "alarmName")?;
    if common.alarm_description.as_ref().is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
        return Err(validation(format!(
            "1 validation error detected: Value at 'alarmDescription' failed to satisfy constraint: Member must have length less than or equal to {MAX_DESCRIPTION_CHARS}"
        )));
    }
    check_tags(&common.tags)?;
    actions(common)
}

/// Whether a period is one an alarm may have: 10, 20, 30 or a multiple of 60 seconds.
pub fn is_alarm_period(period: i64) -> bool {
    matches!(period, 10 | 20 | 30) || (period > 0 && period % 60 == 0)
}

/// A statistic for `Statistic` (basic) or `ExtendedStatistic` (anything else CloudWatch can compute).
pub fn parse_statistic(text: &str, extended: bool) -> Option<Statistic> {
    if !extended {
        return BASIC_STATISTICS.contains(&text).then(|| text.parse().ok()).flatten();
    }
    text.parse::<Statistic>().ok().filter(Statistic::is_extended)
}

/// PutMetricAlarm's metric-specific input.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_periods: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datapoints_to_alarm: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison_operator: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub treat_missing_data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluate_low_sample_count_percentile: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<AlarmQuery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_metric_id: Option<String>,
}

fn check_unit(unit: Option<&str>, member: &str) -> Result<(), PutAlarmError> {
    match unit {
        Some(unit) if !STANDARD_UNITS.contains(&unit) => {
            Err(PutAlarmError::InvalidValue(format!("The value {unit} for parameter {member} is not a valid unit.")))
        }
        _ => Ok(()),
    }
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && id.len() <= 255
}

fn is_band_expression(expression: &str) -> bool {
    matches!(
        skywatch_metricmath::parse(expression).map(|e| e.kind),
        Ok(skywatch_metricmath::ExprKind::Call { func: skywatch_metricmath::Func::AnomalyDetectionBand, .. })
    )
}

fn metric_source(input: &MetricInput) -> Result<Source, PutAlarmError> {
    let Some(metric_name) = input.metric_name.clone() else {
        return Err(PutAlarmError::Missing("The parameter MetricName is required.".into()));
    };
    let Some(namespace) = input.namespace.clone() else {
        return Err(PutAlarmError::Missing("The parameter Namespace is required.".into()));
    };
    let (stat, extended) = match (&input.statistic, &input.extended_statistic) {
        (Some(_), Some(_)) => {
            return Err(PutAlarmError::Combination(
                "The parameters Statistic and ExtendedStatistic are mutually exclusive and you have specified both."
                    .into(),
            ));
        }
        (None, None) => {
            return Err(PutAlarmError::Missing(
                "One of the parameters Statistic or ExtendedStatistic is required.".into(),
            ));
        }
        (Some(stat), None) => (stat.clone(), false),
        (None, Some(stat)) => (stat.clone(), true),
    };
    if parse_statistic(&stat, extended).is_none() {
        let member = if extended { "ExtendedStatistic" } else { "Statistic" };
        return Err(PutAlarmError::InvalidValue(format!("The value {stat} for parameter {member} is not supported.")));
    }
    let Some(period) = input.period else {
        return Err(PutAlarmError::Missing("The parameter Period is required.".into()));
    };
    if input.dimensions.len() > 30 {
        return Err(validation(
            "1 validation error detected: Value at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 30",
        ));
    }
    check_unit(input.unit.as_deref(), "Unit")?;
    let mut dimensions: Vec<(String, String)> =
        input.dimensions.iter().map(|d| (d.name.clone(), d.value.clone())).collect();
    dimensions.sort();
    Ok(Source::Metric {
        stat: MetricStat { namespace, metric_name, dimensions, period, stat, unit: input.unit.clone() },
        extended,
    })
}

fn query_source(input: &MetricInput) -> Result<Source, PutAlarmError> {
    let single = [
        input.metric_name.is_some(),
        input.namespace.is_some(),
        input.statistic.is_some(),
        input.extended_statistic.is_some(),
        !input.dimensions.is_empty(),
        input.period.is_some(),
        input.unit.is_some(),
    ];
    if single.iter().any(|given| *given) {
        return Err(PutAlarmError::Combination(
            "The parameters MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit cannot be specified together with Metrics.".into(),
        ));
    }
    let queries = &input.metrics;
    let metric_count = queries.iter().filter(|q| q.metric_stat.is_some()).count();
    if metric_count > MAX_ALARM_METRICS || queries.len() > MAX_ALARM_QUERIES {
        return Err(validation(format!(
            "An alarm can use at most {MAX_ALARM_METRICS} metrics and {MAX_ALARM_QUERIES} entries in Metrics."
        )));
    }
    for (i, query) in queries.iter().enumerate() {
        let member = format!("Metrics.member.{}", i + 1);
        if !valid_id(&query.id) {
            return Err(validation(format!(
                "The value {} for parameter {member}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.",
                query.id
            )));
        }
        if queries[..i].iter().any(|q| q.id == query.id) {
            return Err(validation("The values for parameter id in Metrics are not unique."));
        }
        match (&query.metric_stat, &query.expression) {
            (Some(stat), None) => {
                if !is_alarm_period(stat.period) {
                    return Err(validation(format!(
                        "The parameter {member}.MetricStat.Period must be 10, 20, 30 or a multiple of 60."
                    )));
                }
                if parse_statistic(&stat.stat, false).or_else(|| parse_statistic(&stat.stat, true)).is_none() {
                    return Err(PutAlarmError::InvalidValue(format!(
                        "The value {} for parameter {member}.MetricStat.Stat is not supported.",
                        stat.stat
                    )));
                }
                check_unit(stat.unit.as_deref(), &format!("{member}.MetricStat.Unit"))?;
            }
            (None, Some(expression)) => {
                if let Err(error) = skywatch_metricmath::parse(expression) {
                    return Err(validation(format!("Invalid metrics math expression in {member}.Expression: {error}")));
                }
                if query.period.is_some_and(|p| !is_alarm_period(p)) {
                    return Err(validation(format!(
                        "The parameter {member}.Period must be 10, 20, 30 or a multiple of 60."
                    )));
                }
            }
            // AWS's text as quoted by an AWS SDK maintainer (boto/boto3#3856, 2023).
            (Some(_), Some(_)) => {
                return Err(validation(
                    "The parameters MetricDataQuery Expression and MetricStat are mutually exclusive and you have \
                     specified both.",
                ));
            }
            (None, None) => {
                return Err(validation(format!(
                    "Exactly one of the parameters {member}.MetricStat and {member}.Expression must be specified."
                )));
            }
        }
    }
    let threshold_id = input.threshold_metric_id.as_ref();
    let returning = queries.iter().filter(|q| q.returns_data() && Some(&q.id) != threshold_id).count();
    if returning != 1 {
        return Err(validation("Exactly one element of the metrics list should return data."));
    }
    if let Some(id) = threshold_id {
        let band = queries.iter().find(|q| &q.id == id);
        if !band.and_then(|q| q.expression.as_deref()).is_some_and(is_band_expression) {
            return Err(validation(format!(
                "ThresholdMetricId {id} must be the id of an ANOMALY_DETECTION_BAND expression in Metrics."
            )));
        }
    }
    Ok(Source::Queries { queries: queries.clone(), threshold_metric_id: input.threshold_metric_id.clone() })
}

/// Checks a PutMetricAlarm and builds the metric alarm's configuration.
pub fn metric_alarm(input: &MetricInput) -> Result<MetricAlarm, PutAlarmError> {
    let source = if input.metrics.is_empty() { metric_source(input)? } else { query_source(input)? };
    let Some(evaluation_periods) = input.evaluation_periods else {
        return Err(PutAlarmError::Missing("The parameter EvaluationPeriods is required.".into()));
    };
    let Some(comparison_text) = input.comparison_operator.clone() else {
        return Err(PutAlarmError::Missing("The parameter ComparisonOperator is required.".into()));
    };
    let comparison = Comparison::parse(&comparison_text).ok_or_else(|| {
        PutAlarmError::InvalidValue(format!(
            "The value {comparison_text} for parameter ComparisonOperator is not valid."
        ))
    })?;
    if evaluation_periods < 1 {
        return Err(validation("The parameter EvaluationPeriods must be at least 1."));
    }
    let period = source.period();
    if !is_alarm_period(period) {
        return Err(validation("The parameter Period must be 10, 20, 30 or a multiple of 60."));
    }
    let span = evaluation_periods.checked_mul(period).unwrap_or(i64::MAX);
    if period < 3600 && span > DAY_S {
        return Err(validation(format!(
            "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= {DAY_S})."
        )));
    }
    if span > WEEK_S {
        return Err(validation(format!(
            "Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= {WEEK_S})."
        )));
    }
    if let Some(m) = input.datapoints_to_alarm
        && !(1..=evaluation_periods).contains(&m)
    {
        return Err(validation("DatapointsToAlarm must be between 1 and EvaluationPeriods."));
    }
    let band_source = matches!(&source, Source::Queries { threshold_metric_id: Some(_), .. });
    if comparison.is_band() && !band_source {
        return Err(validation(format!(
            "The comparison operator {comparison_text} requires ThresholdMetricId naming an anomaly detection band."
        )));
    }
    if !comparison.is_band() && band_source {
        return Err(validation(format!(
            "ThresholdMetricId can only be used with the comparison operators LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold and GreaterThanUpperThreshold, not {comparison_text}."
        )));
    }
    if comparison.is_band() && input.threshold.is_some() {
        return Err(PutAlarmError::Combination(
            "The parameters Threshold and ThresholdMetricId cannot be specified together.".into(),
        ));
    }
    if !comparison.is_band() && !input.threshold.is_some_and(f64::is_finite) {
        return Err(PutAlarmError::Missing("The parameter Threshold is required for a static threshold alarm.".into()));
    }
    if let Some(missing) = &input.treat_missing_data
        && MissingData::parse(missing).is_none()
    {
        return Err(validation(format!(
            "The value {missing} for parameter TreatMissingData is not valid; it must be one of breaching, notBreaching, ignore, missing."
        )));
    }
    if let Some(low) = &input.evaluate_low_sample_count_percentile
        && LowSamples::parse(low).is_none()
    {
        return Err(validation(format!(
            "The value {low} for parameter EvaluateLowSampleCountPercentile is not valid; it must be evaluate or ignore."
        )));
    }
    let to_u32 = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(MetricAlarm {
        source,
        evaluation_periods: to_u32(evaluation_periods),
        datapoints_to_alarm: input.datapoints_to_alarm.map(to_u32),
        threshold: input.threshold,
        comparison: comparison_text,
        treat_missing_data: input.treat_missing_data.clone(),
        low_sample_percentile: input.evaluate_low_sample_count_percentile.clone(),
    })
}

/// PutCompositeAlarm's composite-specific input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositeInput {
    pub alarm_rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions_suppressor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions_suppressor_wait_period: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions_suppressor_extension_period: Option<i64>,
}

/// Checks a PutCompositeAlarm's rule and suppressor (the alarms it names are checked against the store by the
/// operation) and builds the composite alarm's configuration.
pub fn composite_alarm(input: &CompositeInput) -> Result<(CompositeAlarm, rule::Rule), PutAlarmError> {
    let parsed = rule::parse(&input.alarm_rule).map_err(|error| validation(error.to_string()))?;
    let (wait, extension) = (input.actions_suppressor_wait_period, input.actions_suppressor_extension_period);
    match &input.actions_suppressor {
        None if wait.is_some() || extension.is_some() => {
            return Err(validation(
                "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod can only be given with ActionsSuppressor.",
            ));
        }
        Some(_) if wait.is_none() || extension.is_none() => {
            return Err(validation(
                "ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod are required with ActionsSuppressor.",
            ));
        }
        _ => {}
    }
    if wait.is_some_and(|w| w < 0) || extension.is_some_and(|e| e < 0) {
        return Err(validation("Suppressor periods must not be negative."));
    }
    Ok((
        CompositeAlarm {
            rule: input.alarm_rule.clone(),
            suppressor: input.actions_suppressor.clone(),
            suppressor_wait_s: wait,
            suppressor_extension_s: extension,
        },
        parsed,
    ))
}
