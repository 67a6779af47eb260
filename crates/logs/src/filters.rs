//! Metric filters: how they are stored (`logs_metric_filters_v1`, by account, region, group and filter name), the
//! checks PutMetricFilter makes, and what they publish: for each accepted event, a matching filter's metric value
//! (a number, or a number the match extracts) with up to three dimensions from the match, or the default value
//! for an event that does not match. Values of one series and minute are gathered into one datum (its distinct
//! values and counts, or a statistic set beyond 150 of them), so a batch of 10,000 events is a handful of points.

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use skywatch_logpattern::{FilterPattern, Selector};
use skywatch_metrics::{MetricDatum, STANDARD_UNITS, StatisticValues};
use skywatch_store::{Direction, Key, ReadError, Reader, Table};

use crate::LogsError;
use crate::block::Event;

/// (account, region, group name, filter name) -> [`MetricFilter`] (JSON).
pub const METRIC_FILTERS: Table = Table::new("logs_metric_filters_v1");
/// The most metric filters a group has.
pub const MAX_METRIC_FILTERS: usize = 100;
/// The most dimensions a metric transformation has.
pub const MAX_DIMENSIONS: usize = 3;
/// Distinct values one datum carries before it becomes a statistic set (PutMetricData's bound).
const MAX_DISTINCT_VALUES: usize = 150;

/// One metric transformation of a metric filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricTransformation {
    pub metric_name: String,
    pub metric_namespace: String,
    pub metric_value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<f64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub dimensions: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A metric filter as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricFilter {
    pub filter_name: String,
    pub filter_pattern: String,
    pub metric_transformations: Vec<MetricTransformation>,
    pub creation_time: i64,
    pub log_group_name: String,
}

pub(crate) fn group_prefix(account: &str, region: &str, group: &str) -> Key {
    Key::new().str(account).str(region).str(group)
}

pub(crate) fn filter_key(account: &str, region: &str, group: &str, name: &str) -> Key {
    group_prefix(account, region, group).str(name)
}

/// How many metric filters group `name` has.
pub fn metric_filter_count(reader: &Reader, (account, region): (&str, &str), group: &str) -> Result<usize, ReadError> {
    Ok(metric_filters(reader, (account, region), group, "")?.len())
}

/// The metric filters of a group whose names start with `prefix`, by name.
pub fn metric_filters(
    reader: &Reader,
    (account, region): (&str, &str),
    group: &str,
    prefix: &str,
) -> Result<Vec<MetricFilter>, ReadError> {
    let base = group_prefix(account, region, group).str_prefix(prefix);
    let end = base.prefix_end();
    let mut out = Vec::new();
    reader.scan(METRIC_FILTERS, (Some(base.as_bytes()), end.as_deref()), Direction::Forward, |_, value| {
        if let Ok(filter) = serde_json::from_slice::<MetricFilter>(value) {
            out.push(filter);
        }
        if out.len() > MAX_METRIC_FILTERS * 2 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(out)
}

/// Every metric filter of an account and region whose group name is at or after `after`, by group and name.
pub fn all_metric_filters(
    reader: &Reader,
    (account, region): (&str, &str),
    limit: usize,
    mut keep: impl FnMut(&MetricFilter) -> bool,
    after: Option<(&str, &str)>,
) -> Result<Vec<MetricFilter>, ReadError> {
    let base = Key::new().str(account).str(region);
    let end = base.prefix_end();
    let from = match after {
        Some((group, name)) => {
            let mut past = filter_key(account, region, group, name).into_bytes();
            past.push(0);
            past
        }
        None => base.into_bytes(),
    };
    let mut out = Vec::new();
    reader.scan(METRIC_FILTERS, (Some(&from), end.as_deref()), Direction::Forward, |_, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        if let Ok(filter) = serde_json::from_slice::<MetricFilter>(value)
            && keep(&filter)
        {
            out.push(filter);
        }
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// A metric filter ready to run: its pattern and selectors parsed once.
#[derive(Debug)]
pub struct CompiledFilter {
    pattern: FilterPattern,
    metrics: Vec<CompiledTransformation>,
}

#[derive(Debug)]
struct CompiledTransformation {
    namespace: String,
    name: String,
    value: Selector,
    default_value: Option<f64>,
    dimensions: Vec<(String, Selector)>,
    unit: Option<String>,
}

fn metric_name_ok(text: &str) -> bool {
    text.chars().count() <= 255 && !text.contains([':', '*', '$'])
}

/// Checks a filter as PutMetricFilter does and compiles it.
pub fn compile(filter: &MetricFilter) -> Result<CompiledFilter, LogsError> {
    let pattern = crate::ops::parse_pattern(&filter.filter_pattern)?;
    if filter.metric_transformations.len() != 1 {
        return Err(LogsError::constraint(
            "metricTransformations",
            &format!("[{} transformations]", filter.metric_transformations.len()),
            "Member must have length less than or equal to 1 and greater than or equal to 1",
        ));
    }
    let mut metrics = Vec::new();
    for (i, t) in filter.metric_transformations.iter().enumerate() {
        let member = |name: &str| format!("metricTransformations.{}.member.{name}", i + 1);
        for (name, text) in [("metricName", &t.metric_name), ("metricNamespace", &t.metric_namespace)] {
            if text.is_empty() || !metric_name_ok(text) {
                return Err(LogsError::constraint(
                    &member(name),
                    text,
                    "Member must satisfy regular expression pattern: [^:*$]* and have length between 1 and 255",
                ));
            }
        }
        if t.metric_namespace.starts_with("AWS/") {
            return Err(LogsError::InvalidParameter(format!(
                "Invalid metric namespace {}: namespaces starting with AWS/ are reserved for AWS services.",
                t.metric_namespace
            )));
        }
        if t.metric_value.is_empty() || t.metric_value.chars().count() > 100 {
            return Err(LogsError::constraint(
                &member("metricValue"),
                &t.metric_value,
                "Member must have length less than or equal to 100",
            ));
        }
        let value = Selector::parse(&t.metric_value).map_err(|e| {
            LogsError::InvalidParameter(format!("Invalid metric value {}: {}", t.metric_value, e.reason))
        })?;
        if !pattern.resolves(&value) {
            return Err(LogsError::InvalidParameter(format!(
                "Invalid metric value {}: the filter pattern does not give events that value.",
                t.metric_value
            )));
        }
        if let Some(default) = t.default_value
            && !default.is_finite()
        {
            return Err(LogsError::InvalidParameter("Invalid default value: not a finite number.".into()));
        }
        if t.dimensions.len() > MAX_DIMENSIONS {
            return Err(LogsError::LimitExceeded(format!(
                "A metric transformation has at most {MAX_DIMENSIONS} dimensions."
            )));
        }
        if !t.dimensions.is_empty() && t.default_value.is_some() {
            return Err(LogsError::InvalidParameter(
                "Invalid metric transformation: a default value cannot be set along with dimensions.".into(),
            ));
        }
        let mut dimensions = Vec::new();
        for (name, selector) in &t.dimensions {
            let parsed = Selector::parse(selector)
                .ok()
                .filter(|s| !matches!(s, Selector::Number(_)) && pattern.resolves(s))
                .ok_or_else(|| {
                    LogsError::InvalidParameter(format!(
                        "Invalid dimension {name}: {selector} is not a field or property the filter pattern gives events."
                    ))
                })?;
            dimensions.push((name.clone(), parsed));
        }
        if let Some(unit) = &t.unit
            && !STANDARD_UNITS.contains(&unit.as_str())
        {
            return Err(LogsError::constraint(
                &member("unit"),
                unit,
                &format!("Member must satisfy enum value set: [{}]", STANDARD_UNITS.join(", ")),
            ));
        }
        metrics.push(CompiledTransformation {
            namespace: t.metric_namespace.clone(),
            name: t.metric_name.clone(),
            value,
            default_value: t.default_value,
            dimensions,
            unit: t.unit.clone(),
        });
    }
    Ok(CompiledFilter { pattern, metrics })
}

/// Compiled filters by their stored form, so a group's filters are parsed once, not on every batch.
#[derive(Default)]
pub struct FilterCache {
    compiled: Mutex<HashMap<String, Arc<CompiledFilter>>>,
}

/// Entries kept before the cache starts over (filters are few; this bounds a churn of puts).
const CACHE_ENTRIES: usize = 4096;

impl FilterCache {
    /// The compiled form of `filter`; None for one that no longer compiles.
    pub fn get(&self, filter: &MetricFilter) -> Option<Arc<CompiledFilter>> {
        let key = serde_json::to_string(filter).ok()?;
        let mut compiled = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = compiled.get(&key) {
            return Some(found.clone());
        }
        let fresh = Arc::new(compile(filter).ok()?);
        if compiled.len() >= CACHE_ENTRIES {
            compiled.clear();
        }
        compiled.insert(key, fresh.clone());
        Some(fresh)
    }
}

/// One series and minute's values.
#[derive(Default)]
struct Gathered {
    values: BTreeMap<u64, f64>,
    unit: Option<String>,
}

/// A series and minute: (namespace, metric name, dimensions, minute).
type SeriesMinute = (String, String, Vec<(String, String)>, i64);

/// Datums gathered by series and minute.
#[derive(Default)]
pub struct Datums {
    series: BTreeMap<SeriesMinute, Gathered>,
}

impl Datums {
    fn add(&mut self, t: &CompiledTransformation, dimensions: Vec<(String, String)>, timestamp_ms: i64, value: f64) {
        let minute = timestamp_ms.div_euclid(60_000) * 60_000;
        let gathered = self.series.entry((t.namespace.clone(), t.name.clone(), dimensions, minute)).or_default();
        gathered.unit.clone_from(&t.unit);
        *gathered.values.entry(value.to_bits()).or_insert(0.0) += 1.0;
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// The datums by namespace: each series and minute one datum of values and counts, or a statistic set when
    /// it has more than 150 distinct values.
    pub fn into_datums(self) -> BTreeMap<String, Vec<MetricDatum>> {
        let mut out: BTreeMap<String, Vec<MetricDatum>> = BTreeMap::new();
        for ((namespace, name, dimensions, minute), gathered) in self.series {
            let mut datum = MetricDatum {
                metric_name: name,
                dimensions,
                timestamp_ms: Some(minute),
                unit: gathered.unit,
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

/// Runs `filters` over `events`, gathering what they publish into `datums`.
pub fn run_filters(filters: &[Arc<CompiledFilter>], events: &[Event], datums: &mut Datums) {
    for filter in filters {
        for event in events {
            match filter.pattern.evaluate(&event.message) {
                Some(found) => {
                    for t in &filter.metrics {
                        let Some(value) = found.number(&t.value) else { continue };
                        let dimensions: Option<Vec<(String, String)>> = t
                            .dimensions
                            .iter()
                            .map(|(name, selector)| found.value(selector).map(|v| (name.clone(), v)))
                            .collect();
                        // An event without a dimension's value publishes nothing, as CloudWatch Logs does.
                        let Some(dimensions) = dimensions.filter(|d| d.iter().all(|(_, v)| !v.is_empty())) else {
                            continue;
                        };
                        datums.add(t, dimensions, event.timestamp_ms, value);
                    }
                }
                None => {
                    for t in &filter.metrics {
                        if let Some(default) = t.default_value {
                            datums.add(t, Vec::new(), event.timestamp_ms, default);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(pattern: &str, value: &str, default: Option<f64>, dimensions: &[(&str, &str)]) -> MetricFilter {
        MetricFilter {
            filter_name: "f".into(),
            filter_pattern: pattern.into(),
            metric_transformations: vec![MetricTransformation {
                metric_name: "M".into(),
                metric_namespace: "App".into(),
                metric_value: value.into(),
                default_value: default,
                dimensions: dimensions.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect(),
                unit: None,
            }],
            creation_time: 0,
            log_group_name: "/g".into(),
        }
    }

    fn events(messages: &[&str]) -> Vec<Event> {
        messages
            .iter()
            .enumerate()
            .map(|(i, m)| Event { timestamp_ms: 60_000 + i as i64, ingestion_ms: 0, message: (*m).into() })
            .collect()
    }

    /// (dimensions, values, counts) of each datum published.
    type Published = Vec<(Vec<(String, String)>, Vec<f64>, Vec<f64>)>;

    fn published(f: &MetricFilter, messages: &[&str]) -> Published {
        let compiled = Arc::new(compile(f).unwrap());
        let mut datums = Datums::default();
        run_filters(&[compiled], &events(messages), &mut datums);
        datums
            .into_datums()
            .remove("App")
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.dimensions, d.values, d.counts))
            .collect()
    }

    /// Issue 14: what metric filters publish, as a table of filters and events.
    #[test]
    fn filters_publish_values_dimensions_and_defaults() {
        let json = [
            r#"{"status": 500, "latency": 1.5, "host": "a"}"#,
            r#"{"status": 200, "latency": 0.5, "host": "b"}"#,
            "not json",
        ];
        assert_eq!(published(&filter("{ $.status >= 500 }", "1", None, &[]), &json), [(vec![], vec![1.0], vec![1.0])]);
        assert_eq!(
            published(&filter("{ $.status >= 500 }", "1", Some(0.0), &[]), &json),
            [(vec![], vec![0.0, 1.0], vec![2.0, 1.0])]
        );
        assert_eq!(
            published(&filter("{ $.status = * }", "$.latency", None, &[("Host", "$.host")]), &json),
            [
                (vec![("Host".into(), "a".into())], vec![1.5], vec![1.0]),
                (vec![("Host".into(), "b".into())], vec![0.5], vec![1.0])
            ]
        );
        let access = [
            "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /a HTTP/1.0\" 200 2326",
            "10.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET /b HTTP/1.0\" 404 7",
        ];
        let spaced = filter(
            "[ip, identity, user, timestamp, request, status_code, bytes]",
            "$bytes",
            None,
            &[("Status", "$status_code")],
        );
        assert_eq!(
            published(&spaced, &access),
            [
                (vec![("Status".into(), "200".into())], vec![2326.0], vec![1.0]),
                (vec![("Status".into(), "404".into())], vec![7.0], vec![1.0])
            ]
        );
        assert_eq!(
            published(&filter("ERROR", "1", None, &[]), &["ERROR a", "ok", "ERROR b"]),
            [(vec![], vec![1.0], vec![2.0])]
        );
    }

    #[test]
    fn put_metric_filter_refusals() {
        let refused = |f: MetricFilter| match compile(&f) {
            Err(LogsError::InvalidParameter(m) | LogsError::LimitExceeded(m)) => m,
            Err(other) => other.to_string(),
            Ok(_) => panic!("{f:?} compiled"),
        };
        assert!(refused(filter("{ $.a = 1 }", "1", Some(0.0), &[("D", "$.b")])).contains("default value"));
        assert!(refused(filter("ERROR", "$.latency", None, &[])).contains("metric value"));
        assert!(refused(filter("[a, b]", "$c", None, &[])).contains("metric value"));
        assert!(refused(filter("{ $.a = 1 }", "1", None, &[("D", "7")])).contains("dimension"));
        assert!(
            refused(filter("{ $.a = 1 }", "1", None, &[("A", "$.a"), ("B", "$.b"), ("C", "$.c"), ("D", "$.d")]))
                .contains("at most 3")
        );
        let mut reserved = filter("ERROR", "1", None, &[]);
        reserved.metric_transformations[0].metric_namespace = "AWS/Logs".into();
        assert!(refused(reserved).contains("reserved"));
        let mut unit = filter("ERROR", "1", None, &[]);
        unit.metric_transformations[0].unit = Some("Parsecs".into());
        assert!(refused(unit).contains("enum value set"));
        assert!(compile(&filter("[a, b]", "$b", None, &[("A", "$a")])).is_ok());
    }

    #[test]
    fn many_distinct_values_become_a_statistic_set() {
        let messages: Vec<String> = (0..200).map(|i| format!(r#"{{"v": {i}}}"#)).collect();
        let borrowed: Vec<&str> = messages.iter().map(String::as_str).collect();
        let compiled = Arc::new(compile(&filter("{ $.v >= 0 }", "$.v", None, &[])).unwrap());
        let mut datums = Datums::default();
        let events: Vec<Event> =
            borrowed.iter().map(|m| Event { timestamp_ms: 120_000, ingestion_ms: 0, message: (*m).into() }).collect();
        run_filters(&[compiled], &events, &mut datums);
        let datum = datums.into_datums().remove("App").unwrap().remove(0);
        let set = datum.statistic_values.unwrap();
        assert_eq!((set.sample_count, set.sum, set.minimum, set.maximum), (200.0, 19_900.0, 0.0, 199.0));
    }
}
