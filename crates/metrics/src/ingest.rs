//! PutMetricData validation, following CloudWatch's limits, and its translation into engine write points.

mod source;
mod validate;
mod wire_data;

use std::ops::Range;

use skywatch_tsdb::{PointRef, Sample, SeriesRef, WritePoint};

pub use source::{DatumRef, DatumSource, Datums, Dims};
use validate::{Refusals, check_datum, check_name};
pub use wire_data::{Text, WireData, WireDataBuilder, WireDatum};

pub const MAX_METRICS_PER_REQUEST: usize = 1000;
pub const MAX_DIMENSIONS: usize = 30;
pub const MAX_VALUES: usize = 150;
const TWO_WEEKS_MS: i64 = 14 * 24 * 3_600_000;
const TWO_HOURS_MS: i64 = 2 * 3_600_000;
/// CloudWatch rejects values whose magnitude is beyond 2^360 or, when nonzero, below 2^-260.
const MAX_MAGNITUDE: f64 = 2.348_542_582_773_833_3e108;
const MIN_MAGNITUDE: f64 = 5.397_605_346_934_028e-79;

/// A datum's pre-aggregated statistic set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatisticValues {
    pub sample_count: f64,
    pub sum: f64,
    pub minimum: f64,
    pub maximum: f64,
}

/// One `MetricData` member as the request carried it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricDatum {
    pub metric_name: String,
    pub dimensions: Vec<(String, String)>,
    pub timestamp_ms: Option<i64>,
    pub value: Option<f64>,
    pub statistic_values: Option<StatisticValues>,
    pub values: Vec<f64>,
    pub counts: Vec<f64>,
    pub unit: Option<String>,
    pub storage_resolution: Option<i64>,
}

/// Why a PutMetricData request was refused; names follow CloudWatch's error codes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PutMetricDataError {
    #[error("{0}")]
    MissingParameter(String),
    #[error("{0}")]
    InvalidParameterValue(String),
    #[error("{0}")]
    InvalidParameterCombination(String),
}

/// The units CloudWatch knows (`StandardUnit`), for every engine that takes one.
pub const STANDARD_UNITS: [&str; 27] = [
    "Seconds",
    "Microseconds",
    "Milliseconds",
    "Bytes",
    "Kilobytes",
    "Megabytes",
    "Gigabytes",
    "Terabytes",
    "Bits",
    "Kilobits",
    "Megabits",
    "Gigabits",
    "Terabits",
    "Percent",
    "Count",
    "Bytes/Second",
    "Kilobytes/Second",
    "Megabytes/Second",
    "Gigabytes/Second",
    "Terabytes/Second",
    "Bits/Second",
    "Kilobits/Second",
    "Megabits/Second",
    "Gigabits/Second",
    "Terabits/Second",
    "Count/Second",
    "None",
];

/// Validates the whole request and returns the points that store it. Any invalid datum refuses it all.
/// Timestamps are kept at the datum's storage resolution: whole minutes for standard data (as CloudWatch stores
/// it), whole seconds for high-resolution data.
pub fn plan_put(
    account: &str,
    region: &str,
    namespace: &str,
    data: &[MetricDatum],
    now_ms: i64,
) -> Result<Vec<WritePoint>, PutMetricDataError> {
    if namespace.starts_with("AWS/") {
        return Err(reserved_namespace());
    }
    plan_service_put(account, region, namespace, data, now_ms)
}

/// [`plan_put`] for the metrics a Skywatch service publishes about itself, in AWS's own namespaces (`AWS/Events`),
/// which PutMetricData refuses its callers.
pub fn plan_service_put(
    account: &str,
    region: &str,
    namespace: &str,
    data: &[MetricDatum],
    now_ms: i64,
) -> Result<Vec<WritePoint>, PutMetricDataError> {
    let mut dims = Vec::new();
    let points = plan_points(account, region, namespace, data, now_ms, &mut dims)?;
    Ok(points
        .iter()
        .map(|p| WritePoint {
            series: p.series.to_key(),
            unit: p.unit.map(str::to_owned),
            timestamp_ms: p.timestamp_ms,
            sample: p.sample.clone(),
        })
        .collect())
}

/// [`plan_put`] over any form of datums, the points borrowing the request: the dimensions of every datum go into
/// `dims` (each datum's sorted by name and value, as [`skywatch_tsdb::SeriesKey::new`] sorts them), and nothing is formatted or
/// copied on the valid path.
pub fn plan_put_refs<'a, D: DatumSource + ?Sized>(
    account: &'a str,
    region: &'a str,
    namespace: &'a str,
    data: &'a D,
    now_ms: i64,
    dims: &'a mut Vec<(&'a str, &'a str)>,
) -> Result<Vec<PointRef<'a>>, PutMetricDataError> {
    if namespace.starts_with("AWS/") {
        return Err(reserved_namespace());
    }
    plan_points(account, region, namespace, data, now_ms, dims)
}

fn reserved_namespace() -> PutMetricDataError {
    PutMetricDataError::InvalidParameterValue("The value AWS/ for parameter Namespace is invalid.".into())
}

/// The checks and points of [`plan_put_refs`], in any namespace.
fn plan_points<'a, D: DatumSource + ?Sized>(
    account: &'a str,
    region: &'a str,
    namespace: &'a str,
    data: &'a D,
    now_ms: i64,
    dims: &'a mut Vec<(&'a str, &'a str)>,
) -> Result<Vec<PointRef<'a>>, PutMetricDataError> {
    check_name(namespace, 255, || "Namespace".to_owned())?;
    if data.is_empty() {
        return Err(PutMetricDataError::MissingParameter("The parameter MetricData is required.".into()));
    }
    if data.len() > MAX_METRICS_PER_REQUEST {
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The collection MetricData must not have a size greater than {MAX_METRICS_PER_REQUEST}."
        )));
    }
    // First every datum is checked and its dimensions laid out; then the points slice them.
    let mut planned: Vec<(Range<usize>, i64, Sample)> = Vec::with_capacity(data.len());
    let mut refused: Option<Refusals> = None;
    dims.clear();
    for index in 0..data.len() {
        let datum = data.get(index);
        match check_datum(&datum, index + 1, now_ms) {
            Ok(sample) if refused.is_none() => {
                let timestamp_ms = datum.timestamp_ms.unwrap_or(now_ms);
                let granularity = if datum.storage_resolution == Some(1) { 1000 } else { 60_000 };
                let start = dims.len();
                dims.extend(datum.dimensions.iter());
                if let Some(own) = dims.get_mut(start..) {
                    own.sort_unstable();
                }
                planned.push((start..dims.len(), timestamp_ms.div_euclid(granularity) * granularity, sample));
            }
            Ok(_) => {}
            Err(error) => refused.get_or_insert_with(Refusals::default).add(error),
        }
    }
    if let Some(refusals) = refused {
        return Err(refusals.into_error());
    }
    let dims: &'a [(&'a str, &'a str)] = dims;
    Ok(planned
        .into_iter()
        .enumerate()
        .map(|(index, (range, timestamp_ms, sample))| {
            let datum = data.get(index);
            PointRef {
                series: SeriesRef {
                    account,
                    region,
                    namespace,
                    metric_name: datum.metric_name,
                    dimensions: dims.get(range).unwrap_or_default(),
                },
                unit: datum.unit,
                timestamp_ms,
                sample,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    fn datum(value: f64) -> MetricDatum {
        MetricDatum { metric_name: "Latency".into(), value: Some(value), ..Default::default() }
    }

    #[test]
    fn each_form_becomes_statistic_sets() {
        let forms = [
            datum(2.0),
            MetricDatum {
                metric_name: "Latency".into(),
                statistic_values: Some(StatisticValues { sample_count: 2.0, sum: 4.0, minimum: 1.0, maximum: 3.0 }),
                ..Default::default()
            },
            MetricDatum {
                metric_name: "Latency".into(),
                values: vec![1.0, 3.0],
                counts: vec![1.0, 2.0],
                ..Default::default()
            },
        ];
        let plan = plan_put("000000000000", "us-east-1", "App", &forms, NOW).unwrap();
        let stats: Vec<(f64, f64)> = plan
            .iter()
            .map(|p| match &p.sample {
                Sample::Value(v) => (1.0, *v),
                Sample::Summary(s) => (s.sample_count, s.sum),
            })
            .collect();
        assert_eq!(stats, [(1.0, 2.0), (2.0, 4.0), (3.0, 7.0)]);
        assert!(plan.iter().all(|p| p.timestamp_ms % 60_000 == 0), "standard resolution is kept per minute");
    }

    /// Each case: what to change in an otherwise valid datum, and the error kind CloudWatch answers with.
    #[test]
    fn invalid_data_refuses_the_whole_request() {
        type Case = (&'static str, fn(&mut MetricDatum), fn(&PutMetricDataError) -> bool);
        let cases: [Case; 9] = [
            ("NaN", |d| d.value = Some(f64::NAN), |e| matches!(e, PutMetricDataError::InvalidParameterValue(_))),
            (
                "Infinity",
                |d| d.value = Some(f64::INFINITY),
                |e| matches!(e, PutMetricDataError::InvalidParameterValue(_)),
            ),
            ("no value", |d| d.value = None, |e| matches!(e, PutMetricDataError::InvalidParameterCombination(_))),
            (
                "two forms",
                |d| d.values = vec![1.0],
                |e| matches!(e, PutMetricDataError::InvalidParameterCombination(_)),
            ),
            (
                "bad unit",
                |d| d.unit = Some("Parsecs".into()),
                |e| matches!(e, PutMetricDataError::InvalidParameterValue(_)),
            ),
            (
                "resolution",
                |d| d.storage_resolution = Some(5),
                |e| matches!(e, PutMetricDataError::InvalidParameterValue(_)),
            ),
            (
                "too old",
                |d| d.timestamp_ms = Some(NOW - TWO_WEEKS_MS - 1),
                |e| matches!(e, PutMetricDataError::InvalidParameterValue(_)),
            ),
            (
                "too new",
                |d| d.timestamp_ms = Some(NOW + TWO_HOURS_MS + 1),
                |e| matches!(e, PutMetricDataError::InvalidParameterValue(_)),
            ),
            (
                "31 dimensions",
                |d| d.dimensions = (0..31).map(|i| (format!("D{i}"), "v".to_owned())).collect(),
                |e| matches!(e, PutMetricDataError::InvalidParameterValue(_)),
            ),
        ];
        for (name, change, expected) in cases {
            let mut bad = datum(1.0);
            change(&mut bad);
            let error = plan_put("000000000000", "us-east-1", "App", &[datum(1.0), bad], NOW).unwrap_err();
            assert!(expected(&error), "{name}: {error:?}");
        }
    }

    fn stats() -> StatisticValues {
        StatisticValues { sample_count: 10.0, sum: 55.0, minimum: 1.0, maximum: 10.0 }
    }

    /// Each case: a datum (the second of the request) and the exact error AWS answers, with its source.
    #[test]
    fn refusals_are_worded_as_aws_words_them() {
        type Case = (&'static str, MetricDatum, PutMetricDataError);
        let named = |d: MetricDatum| MetricDatum { metric_name: "Latency".into(), ..d };
        let cases: [Case; 5] = [
            // Recorded from AWS: test_put_metric_data_validation / invalid-param-combination.
            (
                "Value and Values",
                named(MetricDatum { value: Some(1.5), values: vec![1.0, 10.0], ..Default::default() }),
                PutMetricDataError::InvalidParameterCombination(
                    "The parameters MetricData.member.2.Value and MetricData.member.2.Values are mutually exclusive and you have specified both.".into(),
                ),
            ),
            // Recorded: invalid-param-combination-2.
            (
                "Value and StatisticValues",
                named(MetricDatum { value: Some(1.5), statistic_values: Some(stats()), ..Default::default() }),
                PutMetricDataError::InvalidParameterCombination(
                    "The parameters MetricData.member.2.Value and MetricData.member.2.StatisticValues are mutually exclusive and you have specified both.".into(),
                ),
            ),
            // Recorded: invalid-param-value.
            (
                "Values and Counts of different sizes",
                named(MetricDatum { values: vec![1.0, 10.0], counts: vec![2.0, 4.0, 5.0], ..Default::default() }),
                PutMetricDataError::InvalidParameterValue(
                    "The parameters MetricData.member.2.Values and MetricData.member.2.Counts must be of the same size."
                        .into(),
                ),
            ),
            // Seen in the wild: boto/boto3#2790 (2021).
            (
                "no value",
                named(MetricDatum::default()),
                PutMetricDataError::InvalidParameterCombination("At least one of the parameters must be specified.".into()),
            ),
            // Seen in the wild: boto/botocore#1671 (2019); the code is inferred.
            (
                "StorageResolution 300",
                MetricDatum { storage_resolution: Some(300), ..datum(1.0) },
                PutMetricDataError::InvalidParameterValue(
                    "The parameter MetricData.member.2.StorageResolution must be a value in the set [ 1, 60 ].".into(),
                ),
            ),
        ];
        for (name, bad, expected) in cases {
            let error = plan_put("000000000000", "us-east-1", "App", &[datum(1.0), bad], NOW).unwrap_err();
            assert_eq!(error, expected, "{name}");
        }
    }

    /// Validated against AWS (test_put_metric_data_validation's last call): Values with StatisticValues is accepted.
    /// What is stored is Skywatch's choice: the statistic set.
    #[test]
    fn values_with_statistic_values_store_the_statistic_set() {
        let both = MetricDatum {
            metric_name: "Latency".into(),
            values: vec![1.0, 10.0],
            statistic_values: Some(stats()),
            unit: Some("Count".into()),
            ..Default::default()
        };
        let plan = plan_put("000000000000", "us-east-1", "App", std::slice::from_ref(&both), NOW).unwrap();
        let Sample::Summary(summary) = &plan[0].sample else { panic!("a statistic set is a summary") };
        assert_eq!((summary.sample_count, summary.sum, summary.minimum, summary.maximum), (10.0, 55.0, 1.0, 10.0));
        // The values are still checked as if they came alone.
        let bad = MetricDatum { counts: vec![1.0], ..both };
        assert!(matches!(
            plan_put("000000000000", "us-east-1", "App", &[bad], NOW),
            Err(PutMetricDataError::InvalidParameterValue(_))
        ));
    }

    #[test]
    fn request_level_limits() {
        assert!(plan_put("a", "r", "", &[datum(1.0)], NOW).is_err());
        assert!(plan_put("a", "r", "AWS/EC2", &[datum(1.0)], NOW).is_err());
        assert!(plan_put("a", "r", "App", &[], NOW).is_err());
        let many = vec![datum(1.0); MAX_METRICS_PER_REQUEST + 1];
        assert!(plan_put("a", "r", "App", &many, NOW).is_err());
        assert_eq!(plan_put("a", "r", "App", &many[1..], NOW).unwrap().len(), MAX_METRICS_PER_REQUEST);
    }

    /// Issue 15: several bad datums are refused together, their messages joined with a newline as AWS joins them;
    /// the first refusal's code answers, with the messages of that code only.
    #[test]
    fn several_bad_datums_are_reported_together() {
        let old = |d: MetricDatum| MetricDatum { timestamp_ms: Some(NOW - 15 * 24 * 3_600_000), ..d };
        let blank = |d: MetricDatum| MetricDatum { dimensions: vec![("Host".into(), String::new())], ..d };
        let cases: Vec<(&str, Vec<MetricDatum>, PutMetricDataError)> = vec![
            (
                "two old timestamps (aws-robotics/cloudwatchmetrics-ros1#46)",
                vec![old(datum(1.0)), old(datum(2.0)), datum(3.0)],
                PutMetricDataError::InvalidParameterValue(
                    "The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.\n\
                     The parameter MetricData.member.2.Timestamp must specify a time within the past two weeks."
                        .into(),
                ),
            ),
            (
                "blank dimension values in members 1 and 3 (awslabs/collectd-cloudwatch#46)",
                vec![blank(datum(1.0)), datum(2.0), blank(datum(3.0))],
                PutMetricDataError::MissingParameter(
                    "The parameter MetricData.member.1.Dimensions.member.1.Value is required.\n\
                     The parameter MetricData.member.3.Dimensions.member.1.Value is required."
                        .into(),
                ),
            ),
            (
                "the first code answers, with its own messages",
                vec![blank(datum(1.0)), datum(f64::NAN), blank(datum(3.0))],
                PutMetricDataError::MissingParameter(
                    "The parameter MetricData.member.1.Dimensions.member.1.Value is required.\n\
                     The parameter MetricData.member.3.Dimensions.member.1.Value is required."
                        .into(),
                ),
            ),
            (
                "one datum, one message",
                vec![datum(1.0), datum(f64::NAN)],
                PutMetricDataError::InvalidParameterValue(
                    "The value NaN for parameter MetricData.member.2.Value is invalid.".into(),
                ),
            ),
        ];
        for (name, data, expected) in cases {
            assert_eq!(plan_put("a", "r", "App", &data, NOW), Err(expected), "{name}");
        }
    }
}
