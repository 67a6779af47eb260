//! What an alarm is, as PutMetricAlarm and PutCompositeAlarm configure it and DescribeAlarms shows it: its name,
//! description, actions and tags, and either a metric alarm's metric (or metric-math queries) and condition or a
//! composite alarm's rule and actions suppressor. Values are kept as the client spelled them (they are echoed by
//! DescribeAlarms); validation happens before a definition is built.

use serde::{Deserialize, Serialize};

/// The alarm's actions per state, and whether they run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actions {
    pub enabled: bool,
    pub ok: Vec<String>,
    pub alarm: Vec<String>,
    pub insufficient_data: Vec<String>,
}

impl Actions {
    /// The actions of a transition into `state`.
    pub fn for_state(&self, state: crate::AlarmState) -> &[String] {
        match state {
            crate::AlarmState::Ok => &self.ok,
            crate::AlarmState::Alarm => &self.alarm,
            crate::AlarmState::InsufficientData => &self.insufficient_data,
        }
    }

    /// Every action, of any state.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.ok.iter().chain(&self.alarm).chain(&self.insufficient_data)
    }
}

/// One metric, with the statistic and period it is fetched at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricStat {
    pub namespace: String,
    pub metric_name: String,
    /// Sorted by name.
    pub dimensions: Vec<(String, String)>,
    pub period: i64,
    /// The statistic as given: a basic one (`Average`) or an extended one (`p99`).
    pub stat: String,
    pub unit: Option<String>,
}

/// One entry of a metric-math alarm's `Metrics`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlarmQuery {
    pub id: String,
    pub metric_stat: Option<MetricStat>,
    pub expression: Option<String>,
    pub label: Option<String>,
    /// As given (absent means true).
    pub return_data: Option<bool>,
    pub period: Option<i64>,
    pub account_id: Option<String>,
}

impl AlarmQuery {
    pub fn returns_data(&self) -> bool {
        self.return_data.unwrap_or(true)
    }
}

/// What a metric alarm watches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Source {
    /// One metric with `Statistic` (basic) or `ExtendedStatistic`.
    Metric { stat: MetricStat, extended: bool },
    /// Metric-math queries; the one returning data is watched, and `threshold_metric_id` names an anomaly band.
    Queries { queries: Vec<AlarmQuery>, threshold_metric_id: Option<String> },
}

impl Source {
    /// The period the alarm is evaluated at: the metric's, or the watched query's.
    pub fn period(&self) -> i64 {
        match self {
            Source::Metric { stat, .. } => stat.period,
            Source::Queries { queries, threshold_metric_id } => queries
                .iter()
                .filter(|q| q.returns_data() && Some(&q.id) != threshold_metric_id.as_ref())
                .find_map(|q| q.metric_stat.as_ref().map(|s| s.period).or(q.period))
                .or_else(|| queries.iter().find_map(|q| q.metric_stat.as_ref().map(|s| s.period)))
                .unwrap_or(60),
        }
    }
}

/// A metric alarm's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricAlarm {
    pub source: Source,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: Option<u32>,
    pub threshold: Option<f64>,
    /// `ComparisonOperator`, validated.
    pub comparison: String,
    /// `TreatMissingData` as given (`missing` when absent).
    pub treat_missing_data: Option<String>,
    /// `EvaluateLowSampleCountPercentile` as given.
    pub low_sample_percentile: Option<String>,
}

/// A composite alarm's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompositeAlarm {
    /// The rule as given.
    pub rule: String,
    /// The alarm (name or ARN) whose ALARM state suppresses this alarm's actions.
    pub suppressor: Option<String>,
    /// Seconds to wait for the suppressor to go into ALARM once this alarm does.
    pub suppressor_wait_s: Option<i64>,
    /// Seconds actions stay suppressed once the suppressor leaves ALARM.
    pub suppressor_extension_s: Option<i64>,
}

/// Metric or composite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Kind {
    Metric(MetricAlarm),
    Composite(CompositeAlarm),
}

/// `MetricAlarm` or `CompositeAlarm`, as `AlarmTypes` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlarmType {
    Metric,
    Composite,
}

impl AlarmType {
    pub fn as_str(self) -> &'static str {
        match self {
            AlarmType::Metric => "MetricAlarm",
            AlarmType::Composite => "CompositeAlarm",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "MetricAlarm" => Some(AlarmType::Metric),
            "CompositeAlarm" => Some(AlarmType::Composite),
            _ => None,
        }
    }
}

/// An alarm's whole configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub description: Option<String>,
    pub actions: Actions,
    pub kind: Kind,
    pub tags: Vec<(String, String)>,
    /// When the configuration was last put, epoch milliseconds.
    pub configured_ms: i64,
}

impl Alarm {
    pub fn alarm_type(&self) -> AlarmType {
        match self.kind {
            Kind::Metric(_) => AlarmType::Metric,
            Kind::Composite(_) => AlarmType::Composite,
        }
    }
}

/// The ARN of alarm `name`, in the region's partition.
pub fn alarm_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:{}:cloudwatch:{region}:{account}:alarm:{name}", skywatch_model::partition(region))
}

/// The alarm a rule or a suppressor names, as a name in `account` and `region`: a plain name, or the ARN of an
/// alarm there (in the region's partition). An ARN of another account or region names no alarm here.
pub fn referenced_name<'a>(reference: &'a str, region: &str, account: &str) -> Option<&'a str> {
    if !reference.starts_with("arn:") {
        return Some(reference);
    }
    let arn = skywatch_model::Arn::parse(reference)?;
    let name = arn.resource.strip_prefix("alarm:")?;
    (arn.partition == skywatch_model::partition(region)
        && arn.service == "cloudwatch"
        && arn.region == region
        && arn.account == account)
        .then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_names_or_local_arns() {
        assert_eq!(referenced_name("cpu", "us-east-1", "1"), Some("cpu"));
        assert_eq!(referenced_name(&alarm_arn("us-east-1", "1", "a:b"), "us-east-1", "1"), Some("a:b"));
        assert_eq!(referenced_name(&alarm_arn("eu-west-1", "1", "a"), "us-east-1", "1"), None);
        assert_eq!(referenced_name("arn:aws:sns:us-east-1:1:alarm:a", "us-east-1", "1"), None);
        assert_eq!(referenced_name("arn:aws:cloudwatch", "us-east-1", "1"), None);
        let cn = alarm_arn("cn-north-1", "1", "a");
        assert_eq!(cn, "arn:aws-cn:cloudwatch:cn-north-1:1:alarm:a");
        assert_eq!(referenced_name(&cn, "cn-north-1", "1"), Some("a"));
        assert_eq!(referenced_name("arn:aws:cloudwatch:cn-north-1:1:alarm:a", "cn-north-1", "1"), None);
    }
}
