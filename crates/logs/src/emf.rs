//! CloudWatch's embedded metric format (EMF): a log event whose message is a JSON object with an `_aws` member
//! holding `CloudWatchMetrics` directives becomes metrics, as CloudWatch Logs extracts them. Each directive names a
//! `Namespace`, `Dimensions` (sets of names of root members holding the dimension values; every set is one metric)
//! and `Metrics` (`Name`, optional `Unit` and `StorageResolution`, 1 for high resolution, 60 by default); the values
//! are root members named like the metrics: a number, an array of up to 100 numbers, or an object of `Values` and
//! `Counts` (as the OpenTelemetry exporter writes histograms). The metrics' time is `_aws.Timestamp` (epoch
//! milliseconds; the event's own time when it is missing).
//!
//! What an event that breaks the specification publishes:
//! * not a JSON object, no `_aws`, or an `_aws` without `CloudWatchMetrics`: not EMF, an ordinary log event;
//! * a malformed `_aws` (not an object; directives, dimension sets or metric definitions of the wrong shape; more
//!   than 30 names in a set, more than 100 metrics in a directive; an unknown unit; a storage resolution other than
//!   1 or 60; a namespace or name CloudWatch would refuse; a timestamp more than two weeks old or two hours ahead):
//!   invalid, nothing is published (the event is stored all the same);
//! * a metric whose value member is missing, not numeric or holds more than 100 values: that metric is skipped;
//! * a dimension whose value member is missing, not a string, empty or longer than 1,024 characters: the
//!   directive's metrics are published without dimensions, as CloudWatch does (reported for the EMF libraries).
//!
//! Pure: no I/O. [`Embedded`] gathers a batch's values per series and minute (per second at high resolution) into
//! [`MetricDatum`]s, so a batch of many events is a handful of points.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use skywatch_metrics::{MetricDatum, STANDARD_UNITS, StatisticValues};

use crate::block::Event;

/// The most dimension names a dimension set holds (AWS).
pub const MAX_DIMENSIONS: usize = 30;
/// The most metric definitions a directive holds (AWS).
pub const MAX_METRICS: usize = 100;
/// The most values one metric member holds (AWS).
pub const MAX_VALUES: usize = 100;
/// The longest dimension name (the specification's schema).
pub const MAX_DIMENSION_NAME: usize = 250;
/// The longest dimension value (AWS).
pub const MAX_DIMENSION_VALUE: usize = 1024;
/// The longest namespace and metric name (PutMetricData's bound, which the published data must meet).
pub const MAX_NAME: usize = 255;
/// The most metrics (dimension sets times metric definitions, over every directive) one event publishes: our own
/// bound, so a small document cannot fan out into unbounded work.
pub const MAX_SERIES_PER_EVENT: usize = 1_000;
/// The most values one batch's events publish: our own bound; events past it publish nothing.
pub const MAX_BATCH_VALUES: usize = 1_000_000;
/// Distinct values one datum carries before it becomes a statistic set (PutMetricData's bound).
const MAX_DISTINCT_VALUES: usize = 150;
const TWO_WEEKS_MS: i64 = 14 * 86_400_000;
const TWO_HOURS_MS: i64 = 2 * 3_600_000;
/// CloudWatch refuses values beyond 2^360 in magnitude or, when nonzero, below 2^-260.
const MAX_MAGNITUDE: f64 = 2.348_542_582_773_833_3e108;
const MIN_MAGNITUDE: f64 = 5.397_605_346_934_028e-79;

/// Why a message publishes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmfError {
    /// Not an EMF document: an ordinary log event.
    #[error("not an embedded metric format document")]
    NotEmf,
    /// An EMF document that breaks the specification: stored, but publishes nothing.
    #[error("invalid embedded metric format: {0}")]
    Invalid(String),
}

fn invalid(reason: impl Into<String>) -> EmfError {
    EmfError::Invalid(reason.into())
}

/// One metric an EMF event publishes: its identity, unit and resolution, time, and values with their counts.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddedMetric {
    pub namespace: String,
    pub name: String,
    /// Sorted by name.
    pub dimensions: Vec<(String, String)>,
    pub unit: Option<String>,
    pub high_resolution: bool,
    pub timestamp_ms: i64,
    /// (value, count) pairs.
    pub values: Vec<(f64, f64)>,
}

/// Whether `message` may be EMF and is worth parsing: a JSON object that mentions `"_aws"`. Everything else is
/// passed over at the cost of a substring search.
pub fn is_candidate(message: &str) -> bool {
    message.trim_ascii_start().starts_with('{') && message.contains("\"_aws\"")
}

/// A metric definition as the directive states it.
struct Definition<'a> {
    name: &'a str,
    unit: Option<&'a str>,
    high_resolution: bool,
}

/// The metrics EMF event `message` publishes (`event_ms` is the event's own time, the metrics' time when
/// `_aws.Timestamp` is missing; `now_ms` bounds the time as PutMetricData does).
pub fn extract(message: &str, event_ms: i64, now_ms: i64) -> Result<Vec<EmbeddedMetric>, EmfError> {
    if !is_candidate(message) {
        return Err(EmfError::NotEmf);
    }
    let Ok(Value::Object(root)) = serde_json::from_str::<Value>(message) else {
        return Err(EmfError::NotEmf);
    };
    let aws = match root.get("_aws") {
        None => return Err(EmfError::NotEmf),
        Some(Value::Object(aws)) => aws,
        Some(_) => return Err(invalid("_aws is not an object")),
    };
    let directives = match aws.get("CloudWatchMetrics") {
        None => return Err(EmfError::NotEmf),
        Some(Value::Array(directives)) => directives,
        Some(_) => return Err(invalid("CloudWatchMetrics is not an array")),
    };
    let timestamp_ms = match aws.get("Timestamp") {
        None | Some(Value::Null) => event_ms,
        Some(value) => timestamp(value).ok_or_else(|| invalid("Timestamp is not a number of milliseconds"))?,
    };
    // The earliest instant the metrics are kept at (their minute) must be within two weeks, as PutMetricData wants.
    if timestamp_ms.saturating_sub(timestamp_ms.rem_euclid(60_000)) < now_ms.saturating_sub(TWO_WEEKS_MS)
        || timestamp_ms > now_ms.saturating_add(TWO_HOURS_MS)
    {
        return Err(invalid("Timestamp is more than two weeks in the past or two hours in the future"));
    }
    // Check every directive before publishing any.
    let mut planned = Vec::with_capacity(directives.len());
    let mut series = 0usize;
    for (index, listed) in directives.iter().enumerate() {
        let checked = directive(listed, index)?;
        series = series.saturating_add(checked.sets.len().saturating_mul(checked.definitions.len()));
        if series > MAX_SERIES_PER_EVENT {
            return Err(invalid(format!("more than {MAX_SERIES_PER_EVENT} metrics in one event")));
        }
        planned.push(checked);
    }
    let mut out = Vec::new();
    for Directive { namespace, sets, definitions } in planned {
        let dimension_sets = dimension_values(&root, &sets);
        for definition in definitions {
            let Some(values) = root.get(definition.name).and_then(metric_values) else { continue };
            for dimensions in &dimension_sets {
                out.push(EmbeddedMetric {
                    namespace: namespace.to_owned(),
                    name: definition.name.to_owned(),
                    dimensions: dimensions.clone(),
                    unit: definition.unit.map(str::to_owned),
                    high_resolution: definition.high_resolution,
                    timestamp_ms,
                    values: values.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// A timestamp member: a number of milliseconds (a fraction is dropped).
fn timestamp(value: &Value) -> Option<i64> {
    if let Some(ms) = value.as_i64() {
        return Some(ms);
    }
    let ms = value.as_f64()?;
    // Within i64 and a sensible range of years: anything else is not a time.
    (ms.is_finite() && ms.abs() < 1e15).then_some(ms.trunc() as i64)
}

/// A name CloudWatch takes for a namespace or metric.
fn name_ok(text: &str) -> bool {
    !text.is_empty() && text.chars().count() <= MAX_NAME
}

/// A directive, checked: its namespace, distinct dimension sets (names sorted) and distinct metric definitions.
struct Directive<'a> {
    namespace: &'a str,
    sets: Vec<Vec<&'a str>>,
    definitions: Vec<Definition<'a>>,
}

/// Checks directive `index`.
fn directive(directive: &Value, index: usize) -> Result<Directive<'_>, EmfError> {
    let at = |what: &str| format!("CloudWatchMetrics[{index}]: {what}");
    let Value::Object(directive) = directive else { return Err(invalid(at("not an object"))) };
    let namespace = match directive.get("Namespace") {
        Some(Value::String(namespace)) if name_ok(namespace) && !namespace.starts_with("AWS/") => namespace,
        _ => return Err(invalid(at("Namespace must be a string of 1 to 255 characters, not starting with AWS/"))),
    };
    // No Dimensions (or an empty list of sets) publishes each metric without dimensions.
    let mut sets: Vec<Vec<&str>> = Vec::new();
    match directive.get("Dimensions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(listed)) => {
            for set in listed {
                let Value::Array(names) = set else { return Err(invalid(at("a dimension set is not an array"))) };
                if names.len() > MAX_DIMENSIONS {
                    return Err(invalid(at(&format!("a dimension set has more than {MAX_DIMENSIONS} dimensions"))));
                }
                let mut keys = BTreeSet::new();
                for name in names {
                    match name {
                        Value::String(name) if !name.is_empty() && name.chars().count() <= MAX_DIMENSION_NAME => {
                            keys.insert(name.as_str());
                        }
                        _ => {
                            return Err(invalid(at(&format!(
                                "dimension names must be strings of 1 to {MAX_DIMENSION_NAME} characters"
                            ))));
                        }
                    }
                }
                let keys: Vec<&str> = keys.into_iter().collect();
                if !sets.contains(&keys) {
                    sets.push(keys);
                }
            }
        }
        Some(_) => return Err(invalid(at("Dimensions is not an array of dimension sets"))),
    }
    if sets.is_empty() {
        sets.push(Vec::new());
    }
    let Some(Value::Array(metrics)) = directive.get("Metrics") else {
        return Err(invalid(at("Metrics must be an array")));
    };
    if metrics.len() > MAX_METRICS {
        return Err(invalid(at(&format!("more than {MAX_METRICS} metrics"))));
    }
    let mut definitions: Vec<Definition> = Vec::with_capacity(metrics.len());
    for metric in metrics {
        let Value::Object(metric) = metric else { return Err(invalid(at("a metric definition is not an object"))) };
        let name = match metric.get("Name") {
            Some(Value::String(name)) if name_ok(name) => name.as_str(),
            _ => return Err(invalid(at("a metric Name must be a string of 1 to 255 characters"))),
        };
        let unit = match metric.get("Unit") {
            None | Some(Value::Null) => None,
            Some(Value::String(unit)) if STANDARD_UNITS.contains(&unit.as_str()) => Some(unit.as_str()),
            Some(other) => return Err(invalid(at(&format!("{other} is not a CloudWatch unit")))),
        };
        let high_resolution = match metric.get("StorageResolution") {
            None | Some(Value::Null) => false,
            Some(value) => match value.as_f64() {
                Some(1.0) => true,
                Some(60.0) => false,
                _ => return Err(invalid(at(&format!("StorageResolution {value} is neither 1 nor 60")))),
            },
        };
        if !definitions.iter().any(|d| d.name == name) {
            definitions.push(Definition { name, unit, high_resolution });
        }
    }
    Ok(Directive { namespace, sets, definitions })
}

/// Each dimension set with its values from the root; when any value is missing or unusable, the directive's
/// metrics go without dimensions.
fn dimension_values(root: &Map<String, Value>, sets: &[Vec<&str>]) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(sets.len());
    for set in sets {
        let mut dimensions = Vec::with_capacity(set.len());
        for name in set {
            match root.get(*name) {
                Some(Value::String(value)) if !value.is_empty() && value.chars().count() <= MAX_DIMENSION_VALUE => {
                    dimensions.push(((*name).to_owned(), value.clone()));
                }
                _ => return vec![Vec::new()],
            }
        }
        out.push(dimensions);
    }
    out
}

/// A value CloudWatch takes.
fn value_ok(value: f64) -> bool {
    let magnitude = value.abs();
    value.is_finite() && magnitude <= MAX_MAGNITUDE && (magnitude == 0.0 || magnitude >= MIN_MAGNITUDE)
}

/// A metric member's (value, count) pairs: a number, an array of 1 to 100 numbers, or an object of `Values` and
/// `Counts` (equally long, at most 100, counts positive). None when it is none of these.
fn metric_values(member: &Value) -> Option<Vec<(f64, f64)>> {
    let number = |v: &Value| v.as_f64().filter(|v| value_ok(*v));
    match member {
        Value::Number(_) => Some(vec![(number(member)?, 1.0)]),
        Value::Array(values) if !values.is_empty() && values.len() <= MAX_VALUES => {
            values.iter().map(|v| Some((number(v)?, 1.0))).collect()
        }
        Value::Object(histogram) => {
            let (Some(Value::Array(values)), Some(Value::Array(counts))) =
                (histogram.get("Values"), histogram.get("Counts"))
            else {
                return None;
            };
            if values.is_empty() || values.len() > MAX_VALUES || values.len() != counts.len() {
                return None;
            }
            values.iter().zip(counts).map(|(v, c)| Some((number(v)?, number(c).filter(|c| *c > 0.0)?))).collect()
        }
        _ => None,
    }
}

/// One series at one instant of its resolution: (namespace, metric name, dimensions, high resolution, instant).
type Bucket = (String, String, Vec<(String, String)>, bool, i64);

#[derive(Default)]
struct Gathered {
    /// Value bits -> count.
    values: BTreeMap<u64, f64>,
    unit: Option<String>,
}

/// What a batch's EMF events publish, gathered per series and minute (second, at high resolution).
#[derive(Default)]
pub struct Embedded {
    series: BTreeMap<Bucket, Gathered>,
    /// Values gathered so far (bounded by [`MAX_BATCH_VALUES`]).
    values: usize,
    /// Invalid EMF events seen.
    pub invalid: usize,
}

impl Embedded {
    /// The EMF events among `events`, gathered (`now_ms` bounds their metrics' time).
    pub fn gather(events: &[Event], now_ms: i64) -> Self {
        let mut embedded = Self::default();
        for event in events {
            if !is_candidate(&event.message) {
                continue;
            }
            match extract(&event.message, event.timestamp_ms, now_ms) {
                Ok(metrics) => embedded.add(metrics),
                Err(EmfError::NotEmf) => {}
                Err(EmfError::Invalid(reason)) => {
                    embedded.invalid += 1;
                    tracing::debug!(reason, "invalid embedded metric format event: stored, nothing published");
                }
            }
        }
        embedded
    }

    /// Adds one event's metrics, unless the batch's bound of values is reached.
    pub fn add(&mut self, metrics: Vec<EmbeddedMetric>) {
        let count: usize = metrics.iter().map(|m| m.values.len()).sum();
        if self.values.saturating_add(count) > MAX_BATCH_VALUES {
            tracing::debug!("a batch's embedded metrics passed {MAX_BATCH_VALUES} values: the rest is not published");
            return;
        }
        self.values += count;
        for metric in metrics {
            let granularity = if metric.high_resolution { 1_000 } else { 60_000 };
            let instant = metric.timestamp_ms.saturating_sub(metric.timestamp_ms.rem_euclid(granularity));
            let key = (metric.namespace, metric.name, metric.dimensions, metric.high_resolution, instant);
            let gathered = self.series.entry(key).or_default();
            if metric.unit.is_some() || gathered.unit.is_none() {
                gathered.unit = metric.unit;
            }
            for (value, count) in metric.values {
                *gathered.values.entry(value.to_bits()).or_insert(0.0) += count;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// The datums by namespace: each series and instant one datum of values and counts, or a statistic set when it
    /// has more than 150 distinct values.
    pub fn into_datums(self) -> BTreeMap<String, Vec<MetricDatum>> {
        let mut out: BTreeMap<String, Vec<MetricDatum>> = BTreeMap::new();
        for ((namespace, name, dimensions, high_resolution, instant), gathered) in self.series {
            let mut datum = MetricDatum {
                metric_name: name,
                dimensions,
                timestamp_ms: Some(instant),
                unit: gathered.unit,
                storage_resolution: Some(if high_resolution { 1 } else { 60 }),
                ..Default::default()
            };
            if gathered.values.len() <= MAX_DISTINCT_VALUES {
                for (bits, count) in gathered.values {
                    datum.values.push(f64::from_bits(bits));
                    datum.counts.push(count);
                }
            } else {
                let mut set =
                    StatisticValues { sample_count: 0.0, sum: 0.0, minimum: f64::INFINITY, maximum: f64::NEG_INFINITY };
                for (bits, count) in gathered.values {
                    let value = f64::from_bits(bits);
                    set.sample_count += count;
                    set.sum += value * count;
                    set.minimum = set.minimum.min(value);
                    set.maximum = set.maximum.max(value);
                }
                datum.statistic_values = Some(set);
            }
            out.entry(namespace).or_default().push(datum);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;
    /// A time within the last minute.
    const T: i64 = NOW - 30_000;

    /// One published metric, compactly: (namespace, name, dimensions, unit, high resolution, time, values).
    type Row = (String, String, Vec<(String, String)>, Option<String>, bool, i64, Vec<(f64, f64)>);

    fn rows(message: &str) -> Result<Vec<Row>, EmfError> {
        Ok(extract(message, NOW - 1_000, NOW)?
            .into_iter()
            .map(|m| (m.namespace, m.name, m.dimensions, m.unit, m.high_resolution, m.timestamp_ms, m.values))
            .collect())
    }

    fn row(namespace: &str, name: &str, dimensions: &[(&str, &str)], unit: Option<&str>, values: &[f64]) -> Row {
        (
            namespace.into(),
            name.into(),
            dimensions.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect(),
            unit.map(Into::into),
            false,
            T,
            values.iter().map(|v| (*v, 1.0)).collect(),
        )
    }

    /// A document with one directive of `dimensions` and `metrics` (JSON text) and `members` at the root.
    fn doc(dimensions: &str, metrics: &str, members: &str) -> String {
        format!(
            r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[{{"Namespace":"App","Dimensions":{dimensions},"Metrics":{metrics}}}]}}{members}}}"#
        )
    }

    /// Issue 14: EMF documents that publish, from AWS's specification and the client libraries.
    #[test]
    fn valid_documents_publish_their_metrics() {
        // The specification's example.
        let spec = format!(
            r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[{{"Namespace":"lambda-function-metrics","Dimensions":[["functionVersion"]],"Metrics":[{{"Name":"time","Unit":"Milliseconds","StorageResolution":60}}]}}]}},"functionVersion":"$LATEST","time":100,"requestId":"989ffbf8-9ace-4817-a57c-e4dd734019ee"}}"#
        );
        type Case = (&'static str, String, Vec<Row>);
        let cases: Vec<Case> = vec![
            (
                "the specification's example",
                spec,
                vec![row(
                    "lambda-function-metrics",
                    "time",
                    &[("functionVersion", "$LATEST")],
                    Some("Milliseconds"),
                    &[100.0],
                )],
            ),
            (
                "each dimension set is a metric; [] is none",
                doc(
                    r#"[["Service"],["Service","Region"],[]]"#,
                    r#"[{"Name":"Latency"}]"#,
                    r#","Service":"api","Region":"eu","Latency":5"#,
                ),
                vec![
                    row("App", "Latency", &[("Service", "api")], None, &[5.0]),
                    row("App", "Latency", &[("Region", "eu"), ("Service", "api")], None, &[5.0]),
                    row("App", "Latency", &[], None, &[5.0]),
                ],
            ),
            (
                "[[]] means no dimensions",
                doc("[[]]", r#"[{"Name":"Hits","Unit":"Count"}]"#, r#","Hits":1"#),
                vec![row("App", "Hits", &[], Some("Count"), &[1.0])],
            ),
            (
                "no Dimensions, or none listed, is no dimensions",
                format!(
                    r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[{{"Namespace":"App","Metrics":[{{"Name":"A"}}]}},{{"Namespace":"Other","Dimensions":[],"Metrics":[{{"Name":"A"}}]}}]}},"A":2}}"#
                ),
                vec![row("App", "A", &[], None, &[2.0]), row("Other", "A", &[], None, &[2.0])],
            ),
            (
                "an array of values",
                doc("[[]]", r#"[{"Name":"Latency","Unit":"Milliseconds"}]"#, r#","Latency":[1,2.5,2.5]"#),
                vec![row("App", "Latency", &[], Some("Milliseconds"), &[1.0, 2.5, 2.5])],
            ),
            (
                "values and counts, as the OpenTelemetry exporter writes histograms",
                doc(
                    "[[]]",
                    r#"[{"Name":"D"}]"#,
                    r#","D":{"Values":[1,3],"Counts":[2,5],"Max":3,"Min":1,"Count":7,"Sum":17}"#,
                ),
                vec![("App".into(), "D".into(), vec![], None, false, T, vec![(1.0, 2.0), (3.0, 5.0)])],
            ),
            (
                "a metric without its value is skipped, the others publish",
                doc(
                    "[[]]",
                    r#"[{"Name":"Gone"},{"Name":"Text"},{"Name":"Here"},{"Name":"Many"}]"#,
                    &format!(r#","Text":"12","Here":3,"Many":[{}]"#, ["1"; 101].join(",")),
                ),
                vec![row("App", "Here", &[], None, &[3.0])],
            ),
            (
                "a dimension without a usable value: the metrics go without dimensions",
                doc(r#"[["Service"],["Status"]]"#, r#"[{"Name":"Hits"}]"#, r#","Service":"api","Status":404,"Hits":1"#),
                vec![row("App", "Hits", &[], None, &[1.0])],
            ),
            (
                "an empty dimension value: likewise",
                doc(r#"[["Service"]]"#, r#"[{"Name":"Hits"}]"#, r#","Service":"","Hits":1"#),
                vec![row("App", "Hits", &[], None, &[1.0])],
            ),
            (
                "repeated sets and metrics count once",
                doc(r#"[["A","B"],["B","A"]]"#, r#"[{"Name":"M"},{"Name":"M"}]"#, r#","A":"a","B":"b","M":1"#),
                vec![row("App", "M", &[("A", "a"), ("B", "b")], None, &[1.0])],
            ),
            (
                "30 dimensions, 100 metrics and 100 values are allowed",
                {
                    let names: Vec<String> = (0..30).map(|i| format!("\"D{i}\"")).collect();
                    let members: String = (0..30).map(|i| format!(",\"D{i}\":\"v\"")).collect();
                    let metrics: Vec<String> = (0..100).map(|i| format!("{{\"Name\":\"M{i}\"}}")).collect();
                    let values: String = (0..100).map(|i| format!(",\"M{i}\":[{}]", ["7"; 100].join(","))).collect();
                    doc(
                        &format!("[[{}]]", names.join(",")),
                        &format!("[{}]", metrics.join(",")),
                        &format!("{members}{values}"),
                    )
                },
                vec![],
            ),
        ];
        for (name, message, expected) in cases {
            let found = rows(&message).unwrap_or_else(|e| panic!("{name}: {e}"));
            if name.starts_with("30 dimensions") {
                assert_eq!(found.len(), 100, "{name}");
                assert!(found.iter().all(|r| r.2.len() == 30 && r.6.len() == 100), "{name}");
                continue;
            }
            assert_eq!(found, expected, "{name}");
        }
    }

    #[test]
    fn resolution_time_and_units() {
        let message = format!(
            r#"{{"_aws":{{"Timestamp":{},"CloudWatchMetrics":[{{"Namespace":"App","Dimensions":[[]],"Metrics":[{{"Name":"Fast","Unit":"Count/Second","StorageResolution":1}},{{"Name":"Slow","StorageResolution":60}}]}}]}},"Fast":1,"Slow":2}}"#,
            T as f64 + 0.75
        );
        let metrics = extract(&message, 0, NOW).unwrap();
        assert_eq!(
            metrics.iter().map(|m| (m.name.as_str(), m.high_resolution, m.timestamp_ms)).collect::<Vec<_>>(),
            [("Fast", true, T), ("Slow", false, T)]
        );
        // Without Timestamp, the event's own time.
        let untimed = r#"{"_aws":{"CloudWatchMetrics":[{"Namespace":"App","Metrics":[{"Name":"A"}]}]},"A":1}"#;
        assert_eq!(extract(untimed, NOW - 5_000, NOW).unwrap()[0].timestamp_ms, NOW - 5_000);
    }

    /// Issue 14: what is not EMF, and what is invalid EMF (each kind), publish nothing.
    #[test]
    fn other_and_invalid_documents_publish_nothing() {
        let not_emf = [
            "plain text mentioning \"_aws\"",
            r#"{"message":"no metadata"}"#,
            r#"{"_aws":{"LogGroupName":"only-metadata"}}"#,
            r#"["_aws"]"#,
            r#"{"_aws": {"CloudWatchMetrics": [] "#,
        ];
        for message in not_emf {
            assert_eq!(rows(message), Err(EmfError::NotEmf), "{message}");
        }
        let old = NOW - TWO_WEEKS_MS - 60_000;
        let ahead = NOW + TWO_HOURS_MS + 1_000;
        let many_names: Vec<String> = (0..31).map(|i| format!("\"D{i}\"")).collect();
        let many_metrics: Vec<String> = (0..101).map(|i| format!("{{\"Name\":\"M{i}\"}}")).collect();
        let fanned: Vec<String> = (0..11).map(|i| format!("[\"D{i}\"]")).collect();
        let invalid_cases: Vec<(&str, String)> = vec![
            ("_aws not an object", r#"{"_aws":"x"}"#.into()),
            ("CloudWatchMetrics not an array", r#"{"_aws":{"CloudWatchMetrics":{}}}"#.into()),
            ("Timestamp not a number", r#"{"_aws":{"Timestamp":"now","CloudWatchMetrics":[]}}"#.into()),
            ("Timestamp too old", format!(r#"{{"_aws":{{"Timestamp":{old},"CloudWatchMetrics":[]}}}}"#)),
            ("Timestamp too far ahead", format!(r#"{{"_aws":{{"Timestamp":{ahead},"CloudWatchMetrics":[]}}}}"#)),
            ("the earliest Timestamp", format!(r#"{{"_aws":{{"Timestamp":{},"CloudWatchMetrics":[]}}}}"#, i64::MIN)),
            ("the latest Timestamp", format!(r#"{{"_aws":{{"Timestamp":{},"CloudWatchMetrics":[]}}}}"#, i64::MAX)),
            ("a Timestamp of 1e300", r#"{"_aws":{"Timestamp":1e300,"CloudWatchMetrics":[]}}"#.into()),
            ("directive not an object", format!(r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[1]}}}}"#)),
            (
                "no Namespace",
                format!(r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[{{"Dimensions":[[]],"Metrics":[]}}]}}}}"#),
            ),
            (
                "an AWS/ namespace",
                format!(
                    r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[{{"Namespace":"AWS/EC2","Metrics":[]}}]}}}}"#
                ),
            ),
            (
                "a namespace too long",
                format!(
                    r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[{{"Namespace":"{}","Metrics":[]}}]}}}}"#,
                    "n".repeat(256)
                ),
            ),
            ("Dimensions not a list of sets", doc(r#"["Service"]"#, "[]", "")),
            ("a dimension name not a string", doc("[[1]]", "[]", "")),
            ("an empty dimension name", doc(r#"[[""]]"#, "[]", "")),
            ("31 dimensions in a set", doc(&format!("[[{}]]", many_names.join(",")), "[]", "")),
            ("no Metrics", format!(r#"{{"_aws":{{"Timestamp":{T},"CloudWatchMetrics":[{{"Namespace":"App"}}]}}}}"#)),
            ("101 metrics", doc("[[]]", &format!("[{}]", many_metrics.join(",")), "")),
            ("a metric without a Name", doc("[[]]", r#"[{"Unit":"Count"}]"#, "")),
            ("a metric name too long", doc("[[]]", &format!(r#"[{{"Name":"{}"}}]"#, "m".repeat(256)), "")),
            ("an unknown unit", doc("[[]]", r#"[{"Name":"A","Unit":"Parsecs"}]"#, r#","A":1"#)),
            ("a storage resolution of 5", doc("[[]]", r#"[{"Name":"A","StorageResolution":5}]"#, r#","A":1"#)),
            (
                "more than 1,000 metrics in one event",
                doc(&format!("[{}]", fanned.join(",")), &format!("[{}]", many_metrics[..100].join(",")), ""),
            ),
        ];
        for (name, message) in invalid_cases {
            assert!(matches!(rows(&message), Err(EmfError::Invalid(_))), "{name}: {:?}", rows(&message));
        }
    }

    #[test]
    fn a_batch_gathers_per_series_and_instant() {
        let event = |ts: i64, value: &str, resolution: u8| Event {
            timestamp_ms: ts,
            ingestion_ms: NOW,
            message: format!(
                r#"{{"_aws":{{"Timestamp":{ts},"CloudWatchMetrics":[{{"Namespace":"App","Dimensions":[["S"]],"Metrics":[{{"Name":"L","Unit":"Milliseconds","StorageResolution":{resolution}}}]}}]}},"S":"api","L":{value}}}"#
            ),
        };
        let minute = NOW / 60_000 * 60_000 - 60_000;
        let events = vec![
            event(minute + 1_000, "1", 60),
            event(minute + 2_000, "[1,2]", 60),
            event(minute + 1_000, "5", 1),
            event(minute + 1_500, "6", 1),
            event(minute + 2_000, "7", 1),
            Event { timestamp_ms: minute, ingestion_ms: NOW, message: "plain".into() },
            Event { timestamp_ms: minute, ingestion_ms: NOW, message: r#"{"_aws":{"CloudWatchMetrics":7}}"#.into() },
        ];
        let embedded = Embedded::gather(&events, NOW);
        assert_eq!(embedded.invalid, 1);
        let datums = embedded.into_datums().remove("App").unwrap();
        type Found = (i64, Option<i64>, Vec<f64>, Vec<f64>);
        let found: Vec<Found> = datums
            .iter()
            .map(|d| (d.timestamp_ms.unwrap(), d.storage_resolution, d.values.clone(), d.counts.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (minute, Some(60), vec![1.0, 2.0], vec![2.0, 1.0]),
                (minute + 1_000, Some(1), vec![5.0, 6.0], vec![1.0, 1.0]),
                (minute + 2_000, Some(1), vec![7.0], vec![1.0]),
            ]
        );
        assert!(datums.iter().all(|d| d.dimensions == [("S".to_owned(), "api".to_owned())]));
        assert!(datums.iter().all(|d| d.unit.as_deref() == Some("Milliseconds")));
        // What is gathered passes PutMetricData's checks.
        assert!(skywatch_metrics::plan_put("000000000000", "us-east-1", "App", &datums, NOW).is_ok());
    }

    /// JSON values built from the names, units and numbers EMF documents use, nested a few levels.
    fn json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            prop::sample::select(vec![-1.0, 0.0, 1.0, 60.0, 1e-300, 1e300, 2.5, 1e15])
                .prop_map(|n| serde_json::json!(n)),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            prop::sample::select(vec!["A", "B", "", "AWS/X", "App", "Count", "Parsecs", "Values", "Counts"])
                .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop::sample::select(vec!["A", "B", "Name", "Unit", "StorageResolution", "Values", "Counts"]),
                        inner
                    ),
                    0..4
                )
                .prop_map(|members| Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Whatever a document holds, extraction answers without panicking, and what it publishes PutMetricData takes.
        #[test]
        fn what_is_extracted_is_what_put_metric_data_takes(
            (namespace, dimensions, metrics, a, b) in (json(), json(), json(), json(), json()),
            offset in -1_300_000_000i64..8_000_000,
            with_random_directive in proptest::prelude::any::<bool>(),
        ) {
            let fixed = serde_json::json!(
                {"Namespace": "App", "Dimensions": [["A"], ["A", "B"]], "Metrics": [{"Name": "A"}, {"Name": "B"}]}
            );
            let directives = match with_random_directive {
                true => vec![serde_json::json!({"Namespace": namespace, "Dimensions": dimensions, "Metrics": metrics}), fixed],
                false => vec![fixed],
            };
            let document = serde_json::json!({
                "_aws": {"Timestamp": NOW + offset, "CloudWatchMetrics": directives},
                "A": a,
                "B": b,
            });
            let message = document.to_string();
            if let Ok(metrics) = extract(&message, NOW, NOW) {
                let mut embedded = Embedded::default();
                embedded.add(metrics);
                for (namespace, datums) in embedded.into_datums() {
                    let planned = skywatch_metrics::plan_put("000000000000", "us-east-1", &namespace, &datums, NOW);
                    proptest::prop_assert!(planned.is_ok(), "{message}: {planned:?}");
                }
            }
        }
    }

    #[test]
    fn many_distinct_values_become_a_statistic_set() {
        let values: Vec<String> = (0..200).map(|i| i.to_string()).collect();
        let events: Vec<Event> = values
            .chunks(100)
            .map(|chunk| Event {
                timestamp_ms: T,
                ingestion_ms: NOW,
                message: doc("[[]]", r#"[{"Name":"V"}]"#, &format!(r#","V":[{}]"#, chunk.join(","))),
            })
            .collect();
        let datum = Embedded::gather(&events, NOW).into_datums().remove("App").unwrap().remove(0);
        let set = datum.statistic_values.unwrap();
        assert_eq!((set.sample_count, set.sum, set.minimum, set.maximum), (200.0, 19_900.0, 0.0, 199.0));
    }
}
