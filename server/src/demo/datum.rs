//! PutMetricData requests: datums in the metrics engine's own shape (so tests can hand them to `plan_put`), their
//! JSON 1.0 wire form, and their split into requests within CloudWatch's limits.

use serde_json::{Map, Value, json};
use skywatch_core::metrics::{MAX_METRICS_PER_REQUEST, MetricDatum, StatisticValues};

/// One PutMetricData request.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub namespace: &'static str,
    pub data: Vec<MetricDatum>,
}

impl Batch {
    /// The request body, as an SDK sends it.
    pub fn body(&self) -> Value {
        json!({"Namespace": self.namespace, "MetricData": self.data.iter().map(to_json).collect::<Vec<_>>()})
    }
}

/// Owned dimension pairs from borrowed ones.
pub fn dims(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
}

fn base(name: &str, dimensions: &[(String, String)], unit: &str, timestamp_ms: i64) -> MetricDatum {
    MetricDatum {
        metric_name: name.to_owned(),
        dimensions: dimensions.to_vec(),
        timestamp_ms: Some(timestamp_ms),
        unit: Some(unit.to_owned()),
        ..MetricDatum::default()
    }
}

/// A single value.
pub fn value(name: &str, dimensions: &[(String, String)], unit: &str, timestamp_ms: i64, value: f64) -> MetricDatum {
    MetricDatum { value: Some(value), ..base(name, dimensions, unit, timestamp_ms) }
}

/// A distribution as `Values` and `Counts`; buckets without samples are left out, and an empty one is no datum.
pub fn distribution(
    name: &str,
    dimensions: &[(String, String)],
    unit: &str,
    timestamp_ms: i64,
    buckets: impl IntoIterator<Item = (f64, f64)>,
) -> Option<MetricDatum> {
    let (values, counts): (Vec<f64>, Vec<f64>) =
        buckets.into_iter().filter(|(v, c)| v.is_finite() && c.is_finite() && *c >= 1.0).unzip();
    (!values.is_empty()).then(|| MetricDatum { values, counts, ..base(name, dimensions, unit, timestamp_ms) })
}

/// A pre-aggregated statistic set; none when it holds no samples.
pub fn statistic_set(
    name: &str,
    dimensions: &[(String, String)],
    unit: &str,
    timestamp_ms: i64,
    stats: StatisticValues,
) -> Option<MetricDatum> {
    let valid = stats.sample_count >= 1.0
        && stats.minimum <= stats.maximum
        && [stats.sample_count, stats.sum, stats.minimum, stats.maximum].iter().all(|v| v.is_finite());
    valid.then(|| MetricDatum { statistic_values: Some(stats), ..base(name, dimensions, unit, timestamp_ms) })
}

/// The statistic set of individual samples; none when there are none.
pub fn summary(samples: &[f64]) -> Option<StatisticValues> {
    let first = *samples.first()?;
    let (minimum, maximum) = samples.iter().fold((first, first), |(lo, hi), s| (lo.min(*s), hi.max(*s)));
    Some(StatisticValues { sample_count: samples.len() as f64, sum: samples.iter().sum(), minimum, maximum })
}

/// One `MetricData` member in the JSON protocol; timestamps are epoch seconds.
pub fn to_json(datum: &MetricDatum) -> Value {
    let mut member = Map::new();
    member.insert("MetricName".into(), json!(datum.metric_name));
    if !datum.dimensions.is_empty() {
        let dimensions: Vec<Value> =
            datum.dimensions.iter().map(|(name, value)| json!({"Name": name, "Value": value})).collect();
        member.insert("Dimensions".into(), Value::Array(dimensions));
    }
    if let Some(ms) = datum.timestamp_ms {
        let seconds = if ms % 1000 == 0 { json!(ms / 1000) } else { json!(ms as f64 / 1000.0) };
        member.insert("Timestamp".into(), seconds);
    }
    if let Some(value) = datum.value {
        member.insert("Value".into(), json!(value));
    }
    if let Some(s) = datum.statistic_values {
        member.insert(
            "StatisticValues".into(),
            json!({"SampleCount": s.sample_count, "Sum": s.sum, "Minimum": s.minimum, "Maximum": s.maximum}),
        );
    }
    if !datum.values.is_empty() {
        member.insert("Values".into(), json!(datum.values));
    }
    if !datum.counts.is_empty() {
        member.insert("Counts".into(), json!(datum.counts));
    }
    if let Some(unit) = &datum.unit {
        member.insert("Unit".into(), json!(unit));
    }
    if let Some(resolution) = datum.storage_resolution {
        member.insert("StorageResolution".into(), json!(resolution));
    }
    Value::Object(member)
}

/// Splits one namespace's datums into requests of at most [`MAX_METRICS_PER_REQUEST`] datums whose encoded
/// members add up to at most `max_bytes` (a single larger datum still gets a request of its own).
pub fn split(namespace: &'static str, data: Vec<MetricDatum>, max_bytes: usize) -> Vec<Batch> {
    let mut batches = Vec::new();
    let mut current = Batch { namespace, data: Vec::new() };
    let mut bytes = 0;
    for datum in data {
        let size = to_json(&datum).to_string().len() + 1;
        if !current.data.is_empty() && (current.data.len() == MAX_METRICS_PER_REQUEST || bytes + size > max_bytes) {
            batches.push(std::mem::replace(&mut current, Batch { namespace, data: Vec::new() }));
            bytes = 0;
        }
        bytes += size;
        current.data.push(datum);
    }
    if !current.data.is_empty() {
        batches.push(current);
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims_a() -> Vec<(String, String)> {
        dims(&[("Service", "orders")])
    }

    #[test]
    fn the_wire_form_carries_every_field() {
        let datum = value("Latency", &dims_a(), "Milliseconds", 1_700_000_000_000, 12.5);
        assert_eq!(
            to_json(&datum),
            json!({
                "MetricName": "Latency",
                "Dimensions": [{"Name": "Service", "Value": "orders"}],
                "Timestamp": 1_700_000_000,
                "Value": 12.5,
                "Unit": "Milliseconds"
            })
        );
        let stats = summary(&[3.0, 1.0, 2.0]).and_then(|s| statistic_set("L", &[], "Count", 1_500, s));
        let member = stats.as_ref().map(to_json).unwrap_or_default();
        assert_eq!(member["StatisticValues"], json!({"SampleCount": 3.0, "Sum": 6.0, "Minimum": 1.0, "Maximum": 3.0}));
        assert_eq!(member["Timestamp"], json!(1.5));
        assert!(member.get("Dimensions").is_none());
    }

    #[test]
    fn empty_distributions_and_sets_are_no_datum() {
        assert!(distribution("L", &[], "Seconds", 0, [(0.1, 0.0), (0.2, 0.4)]).is_none());
        let kept = distribution("L", &[], "Seconds", 0, [(0.1, 0.0), (0.2, 3.0)]);
        assert_eq!(kept.map(|d| (d.values, d.counts)), Some((vec![0.2], vec![3.0])));
        assert!(summary(&[]).is_none());
        let empty = StatisticValues { sample_count: 0.0, sum: 0.0, minimum: 0.0, maximum: 0.0 };
        assert!(statistic_set("L", &[], "Count", 0, empty).is_none());
    }

    #[test]
    fn requests_stay_within_the_datum_and_byte_limits() {
        let data: Vec<MetricDatum> = (0..2500).map(|i| value("M", &dims_a(), "Count", 0, f64::from(i))).collect();
        let batches = split("Shop", data.clone(), usize::MAX);
        assert_eq!(batches.iter().map(|b| b.data.len()).collect::<Vec<_>>(), [1000, 1000, 500]);
        let small = split("Shop", data, 4096);
        assert!(small.iter().all(|b| b.body().to_string().len() < 4096 + 64));
        assert_eq!(small.iter().map(|b| b.data.len()).sum::<usize>(), 2500);
        assert!(split("Shop", Vec::new(), 10).is_empty());
    }
}
