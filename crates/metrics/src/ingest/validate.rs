//! Checking one PutMetricData datum against CloudWatch's limits, with AWS's codes and texts; refusals of several
//! datums combined as AWS combines them. Nothing is formatted or allocated on the valid path.

use skywatch_tsdb::{Sample, Summary};

use super::source::DatumRef;
use super::{
    MAX_DIMENSIONS, MAX_MAGNITUDE, MAX_VALUES, MIN_MAGNITUDE, PutMetricDataError, STANDARD_UNITS, TWO_HOURS_MS,
    TWO_WEEKS_MS,
};

/// A finite value CloudWatch can store. `field` names the parameter, and is formatted only when the value is refused:
/// the valid path does not allocate.
fn check_value(value: f64, field: impl FnOnce() -> String) -> Result<(), PutMetricDataError> {
    let magnitude = value.abs();
    if !value.is_finite() || magnitude > MAX_MAGNITUDE || (magnitude != 0.0 && magnitude < MIN_MAGNITUDE) {
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The value {value} for parameter {} is invalid.",
            field()
        )));
    }
    Ok(())
}

/// A name or dimension of at most `max` characters; `field` is formatted only when it is refused.
pub(super) fn check_name(text: &str, max: usize, field: impl FnOnce() -> String) -> Result<(), PutMetricDataError> {
    if text.is_empty() {
        return Err(PutMetricDataError::MissingParameter(format!("The parameter {} is required.", field())));
    }
    // Characters are at least one byte: only a long text needs counting.
    if text.len() > max && text.chars().count() > max {
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The parameter {} must be shorter than {} characters.",
            field(),
            max + 1
        )));
    }
    Ok(())
}

/// The refusals of a request's datums, one a datum. AWS reports several bad datums in one error, their messages
/// joined with a newline (`...member.1.Timestamp must specify a time within the past two weeks.\nThe parameter
/// MetricData.member.2.Timestamp ...`, `...member.1.Dimensions.member.3.Value is required.\nThe parameter
/// MetricData.member.3...`): the first refusal's code answers, with the messages of every refusal of that code.
#[derive(Default)]
pub(super) struct Refusals {
    first: Option<PutMetricDataError>,
    messages: Vec<String>,
}

impl Refusals {
    pub(super) fn add(&mut self, error: PutMetricDataError) {
        match &self.first {
            None => {
                self.messages.push(error.to_string());
                self.first = Some(error);
            }
            Some(first) if std::mem::discriminant(first) == std::mem::discriminant(&error) => {
                self.messages.push(error.to_string());
            }
            Some(_) => {}
        }
    }

    pub(super) fn into_error(self) -> PutMetricDataError {
        let message = self.messages.join("\n");
        match self.first {
            Some(PutMetricDataError::MissingParameter(_)) => PutMetricDataError::MissingParameter(message),
            Some(PutMetricDataError::InvalidParameterCombination(_)) => {
                PutMetricDataError::InvalidParameterCombination(message)
            }
            Some(PutMetricDataError::InvalidParameterValue(_)) | None => {
                PutMetricDataError::InvalidParameterValue(message)
            }
        }
    }
}

/// One datum's first refusal, or its sample.
pub(super) fn check_datum(datum: &DatumRef<'_>, member: usize, now_ms: i64) -> Result<Sample, PutMetricDataError> {
    check_name(datum.metric_name, 255, || format!("MetricData.member.{member}.MetricName"))?;
    if datum.dimensions.len() > MAX_DIMENSIONS {
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The collection MetricData.member.{member}.Dimensions must not have a size greater than {MAX_DIMENSIONS}."
        )));
    }
    for (d, (name, value)) in datum.dimensions.iter().enumerate() {
        let field = |part: &str| format!("MetricData.member.{member}.Dimensions.member.{}.{part}", d + 1);
        check_name(name, 255, || field("Name"))?;
        check_name(value, 1024, || field("Value"))?;
    }
    if let Some(unit) = datum.unit
        && !STANDARD_UNITS.contains(&unit)
    {
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The value {unit} for parameter MetricData.member.{member}.Unit is invalid."
        )));
    }
    if let Some(resolution) = datum.storage_resolution
        && resolution != 1
        && resolution != 60
    {
        // The text is AWS's as seen in the wild (boto/botocore#1671, 2019), spaces inside the brackets
        // included; the code is not quoted there and is inferred.
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The parameter MetricData.member.{member}.StorageResolution must be a value in the set [ 1, 60 ]."
        )));
    }
    let timestamp_ms = datum.timestamp_ms.unwrap_or(now_ms);
    if timestamp_ms < now_ms - TWO_WEEKS_MS {
        // AWS's text as seen in the wild (2016 to 2020, e.g. aws-robotics/cloudwatchmetrics-ros1#46).
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The parameter MetricData.member.{member}.Timestamp must specify a time within the past two weeks."
        )));
    }
    if timestamp_ms > now_ms + TWO_HOURS_MS {
        // Not attested: worded after the past-two-weeks text.
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The parameter MetricData.member.{member}.Timestamp must specify a time no more than two hours in the future."
        )));
    }
    datum_sample(datum, member)
}

/// `MetricData.member.N`, formatted only into a refusal's message.
#[derive(Debug, Clone, Copy)]
struct Member(usize);

impl std::fmt::Display for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MetricData.member.{}", self.0)
    }
}

fn datum_sample(datum: &DatumRef<'_>, member: usize) -> Result<Sample, PutMetricDataError> {
    let prefix = Member(member);
    let both = |other: &str| {
        Err(PutMetricDataError::InvalidParameterCombination(format!(
            "The parameters {prefix}.Value and {prefix}.{other} are mutually exclusive and you have specified both."
        )))
    };
    // Recorded from AWS (LocalStack's test_put_metric_data_validation): Value with Values, and Value with
    // StatisticValues, are refused with these texts. Which of the two AWS names when all three are sent is not
    // recorded: Values is checked first.
    if datum.value.is_some() && !datum.values.is_empty() {
        return both("Values");
    }
    if datum.value.is_some() && datum.statistic_values.is_some() {
        return both("StatisticValues");
    }
    if datum.value.is_none() && datum.statistic_values.is_none() && datum.values.is_empty() {
        // AWS's text as seen in the wild (boto/boto3#2790, 2021), with the code it came with.
        return Err(PutMetricDataError::InvalidParameterCombination(
            "At least one of the parameters must be specified.".into(),
        ));
    }
    if let Some(value) = datum.value {
        check_value(value, || format!("{prefix}.Value"))?;
        return Ok(Sample::Value(value));
    }
    if let Some(s) = datum.statistic_values {
        for (field, value) in
            [("SampleCount", s.sample_count), ("Sum", s.sum), ("Minimum", s.minimum), ("Maximum", s.maximum)]
        {
            check_value(value, || format!("{prefix}.StatisticValues.{field}"))?;
        }
        if s.sample_count <= 0.0 || s.minimum > s.maximum {
            return Err(PutMetricDataError::InvalidParameterValue(format!(
                "The parameter {prefix}.StatisticValues is invalid: SampleCount must be positive and Minimum no greater than Maximum."
            )));
        }
    }
    check_values(datum, prefix)?;
    // Values (with Counts) together with StatisticValues: AWS accepts the datum (validated against AWS in
    // LocalStack's test_put_metric_data_validation) but what it stores is not recorded. Skywatch stores the
    // statistic set, exact for SampleCount, Sum, Minimum and Maximum; the values are checked as if alone and
    // then not kept. (The CloudWatch agent sends both for a histogram, the values being its buckets'.)
    if let Some(s) = datum.statistic_values {
        return Ok(Sample::Summary(Summary::from_statistic_set(s.sample_count, s.sum, s.minimum, s.maximum)));
    }
    Ok(Sample::Summary(Summary::from_values_counts(datum.values, datum.counts)))
}

/// The `Values` and `Counts` of a datum (none is valid).
fn check_values(datum: &DatumRef<'_>, prefix: Member) -> Result<(), PutMetricDataError> {
    if datum.values.len() > MAX_VALUES {
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The collection {prefix}.Values must not have a size greater than {MAX_VALUES}."
        )));
    }
    if !datum.counts.is_empty() && datum.counts.len() != datum.values.len() {
        return Err(PutMetricDataError::InvalidParameterValue(format!(
            "The parameters {prefix}.Values and {prefix}.Counts must be of the same size."
        )));
    }
    for (i, value) in datum.values.iter().enumerate() {
        check_value(*value, || format!("{prefix}.Values.member.{}", i + 1))?;
        let count = datum.counts.get(i).copied().unwrap_or(1.0);
        check_value(count, || format!("{prefix}.Counts.member.{}", i + 1))?;
        if count <= 0.0 {
            return Err(PutMetricDataError::InvalidParameterValue(format!(
                "The value {count} for parameter {prefix}.Counts.member.{} is invalid.",
                i + 1
            )));
        }
    }
    Ok(())
}
