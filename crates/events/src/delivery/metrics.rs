//! EventBridge's metrics in `AWS/Events`, as AWS publishes them: per rule (`RuleName` alone on the default bus,
//! `EventBusName` and `RuleName` on another bus) and without dimensions. PutEvents counts `MatchedEvents`,
//! `TriggeredRules` and `InvocationsCreated`; the deliverer counts `InvocationAttempts`,
//! `SuccessfulInvocationAttempts`, `RetryInvocationAttempts`, `Invocations`, `FailedInvocations`,
//! `InvocationsSentToDlq`, `InvocationsFailedToBeSentToDlq` and the `IngestiontoInvocationStartLatency` and
//! `IngestiontoInvocationSuccessLatency` milliseconds. A tally's points are written in the commit of what they
//! count.

use std::collections::BTreeMap;

use skywatch_metrics::tsdb::{PreparedWrite, Tsdb};
use skywatch_metrics::{MetricDatum, StatisticValues, plan_service_put};

use crate::model::DEFAULT_BUS;

/// The namespace.
pub const NAMESPACE: &str = "AWS/Events";

/// One series of a tally: account, region, metric name and dimensions.
type SeriesKey = (String, String, &'static str, Vec<(String, String)>);

/// What one tally adds up, per account and region, metric and dimensions.
#[derive(Debug, Default)]
pub struct Tally {
    counts: BTreeMap<SeriesKey, f64>,
    latencies: BTreeMap<SeriesKey, StatisticValues>,
}

/// The dimensions of a rule's metrics.
pub fn rule_dimensions(bus: &str, rule: &str) -> Vec<(String, String)> {
    if bus == DEFAULT_BUS {
        vec![("RuleName".to_owned(), rule.to_owned())]
    } else {
        vec![("EventBusName".to_owned(), bus.to_owned()), ("RuleName".to_owned(), rule.to_owned())]
    }
}

impl Tally {
    /// Counts `n` of `metric` for a rule, and in the metric without dimensions.
    pub fn rule(&mut self, (account, region): (&str, &str), (bus, rule): (&str, &str), metric: &'static str, n: f64) {
        self.add(account, region, metric, rule_dimensions(bus, rule), n);
        self.add(account, region, metric, Vec::new(), n);
    }

    /// Counts `n` of `metric` under one dimension (`EventSourceName` for partner events), and without.
    pub fn by(&mut self, (account, region): (&str, &str), (name, value): (&str, &str), metric: &'static str, n: f64) {
        self.add(account, region, metric, vec![(name.to_owned(), value.to_owned())], n);
        self.add(account, region, metric, Vec::new(), n);
    }

    /// Counts `n` of `metric` without dimensions only.
    pub fn total(&mut self, (account, region): (&str, &str), metric: &'static str, n: f64) {
        self.add(account, region, metric, Vec::new(), n);
    }

    fn add(&mut self, account: &str, region: &str, metric: &'static str, dims: Vec<(String, String)>, n: f64) {
        *self.counts.entry((account.to_owned(), region.to_owned(), metric, dims)).or_default() += n;
    }

    /// Records a latency of `ms` for a rule.
    pub fn latency(
        &mut self,
        (account, region): (&str, &str),
        (bus, rule): (&str, &str),
        metric: &'static str,
        ms: f64,
    ) {
        for dims in [rule_dimensions(bus, rule), Vec::new()] {
            let entry = self.latencies.entry((account.to_owned(), region.to_owned(), metric, dims)).or_insert(
                StatisticValues { sample_count: 0.0, sum: 0.0, minimum: f64::INFINITY, maximum: f64::NEG_INFINITY },
            );
            entry.sample_count += 1.0;
            entry.sum += ms;
            entry.minimum = entry.minimum.min(ms);
            entry.maximum = entry.maximum.max(ms);
        }
    }

    /// Adds another tally's counts to this one.
    pub fn merge(&mut self, other: Tally) {
        for (key, n) in other.counts {
            *self.counts.entry(key).or_default() += n;
        }
        for (key, stats) in other.latencies {
            match self.latencies.get_mut(&key) {
                Some(mine) => {
                    mine.sample_count += stats.sample_count;
                    mine.sum += stats.sum;
                    mine.minimum = mine.minimum.min(stats.minimum);
                    mine.maximum = mine.maximum.max(stats.maximum);
                }
                None => {
                    self.latencies.insert(key, stats);
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty() && self.latencies.is_empty()
    }

    /// The write of the tally into `tsdb`, at `now_ms`.
    pub fn prepare(self, tsdb: &Tsdb, now_ms: i64) -> Option<PreparedWrite> {
        let mut by_scope: BTreeMap<(String, String), Vec<MetricDatum>> = BTreeMap::new();
        for ((account, region, metric, dims), n) in self.counts {
            by_scope.entry((account, region)).or_default().push(MetricDatum {
                metric_name: metric.to_owned(),
                dimensions: dims,
                timestamp_ms: Some(now_ms),
                value: Some(n),
                unit: Some("Count".into()),
                ..MetricDatum::default()
            });
        }
        for ((account, region, metric, dims), stats) in self.latencies {
            by_scope.entry((account, region)).or_default().push(MetricDatum {
                metric_name: metric.to_owned(),
                dimensions: dims,
                timestamp_ms: Some(now_ms),
                statistic_values: Some(stats),
                unit: Some("Milliseconds".into()),
                ..MetricDatum::default()
            });
        }
        let mut points = Vec::new();
        for ((account, region), data) in by_scope {
            for chunk in data.chunks(skywatch_metrics::MAX_METRICS_PER_REQUEST) {
                match plan_service_put(&account, &region, NAMESPACE, chunk, now_ms) {
                    Ok(planned) => points.extend(planned),
                    Err(error) => tracing::debug!(%error, "AWS/Events metrics not published"),
                }
            }
        }
        (!points.is_empty()).then(|| tsdb.prepare(&points))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_on_the_default_bus_have_only_their_name() {
        assert_eq!(rule_dimensions("default", "r"), vec![("RuleName".to_owned(), "r".to_owned())]);
        assert_eq!(rule_dimensions("orders", "r")[0], ("EventBusName".to_owned(), "orders".to_owned()));
    }

    #[test]
    fn a_tally_adds_per_rule_and_in_total() {
        let mut tally = Tally::default();
        tally.rule(("1", "r"), ("orders", "a"), "Invocations", 1.0);
        tally.rule(("1", "r"), ("orders", "b"), "Invocations", 2.0);
        tally.latency(("1", "r"), ("orders", "a"), "IngestiontoInvocationStartLatency", 5.0);
        tally.latency(("1", "r"), ("orders", "a"), "IngestiontoInvocationStartLatency", 7.0);
        let total = tally.counts.get(&("1".into(), "r".into(), "Invocations", Vec::new())).copied();
        assert_eq!(total, Some(3.0));
        let stats = tally.latencies.get(&("1".into(), "r".into(), "IngestiontoInvocationStartLatency", Vec::new()));
        let stats = stats.unwrap();
        assert_eq!((stats.sample_count, stats.sum, stats.minimum, stats.maximum), (2.0, 12.0, 5.0, 7.0));
    }
}
