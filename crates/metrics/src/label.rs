//! GetMetricData's default label for a MetricStat query sent without a `Label`.
//!
//! Recorded from AWS (LocalStack's `test_label_generation`, `test_get_metric_data_with_zero_and_labels` and
//! `test_get_metric_data_for_multiple_metrics` snapshots): the label is the metric name, then `" <Stat>"` when the
//! request's MetricStat queries do not all have the same Stat, then `" <Period>"` (whole seconds) when they do not
//! all have the same Period. Stat always comes before Period; the unit and the dimensions never add anything, so two
//! queries may get the same label.
//!
//! Every recording has its differing queries on one metric, so whether the comparison runs over every MetricStat
//! query of the request or only over the queries on the same metric is not recorded. Skywatch compares over
//! **every MetricStat query of the request** (whatever its metric, its own `Label` or its `ReturnData`): metric1/Sum
//! beside metric2/Average gives "metric1 Sum" and "metric2 Average". A query's Stat is compared as the request
//! wrote it.

/// What the default label of one MetricStat query depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StatQuery<'a> {
    pub metric_name: &'a str,
    pub stat: &'a str,
    pub period_seconds: i64,
}

/// The default label of each query of `queries`, which are all the MetricStat queries of one request, in order.
pub(crate) fn default_labels(queries: &[StatQuery<'_>]) -> Vec<String> {
    let differ = |same: fn(&StatQuery<'_>, &StatQuery<'_>) -> bool| {
        queries.first().is_some_and(|first| queries.iter().any(|q| !same(first, q)))
    };
    let with_stat = differ(|a, b| a.stat == b.stat);
    let with_period = differ(|a, b| a.period_seconds == b.period_seconds);
    queries
        .iter()
        .map(|q| {
            let mut label = q.metric_name.to_owned();
            if with_stat {
                label.push(' ');
                label.push_str(q.stat);
            }
            if with_period {
                label.push(' ');
                label.push_str(&q.period_seconds.to_string());
            }
            label
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(metric_name: &'static str, stat: &'static str, period_seconds: i64) -> StatQuery<'static> {
        StatQuery { metric_name, stat, period_seconds }
    }

    /// Each case: the request's MetricStat queries (metric, Stat, Period) and the labels AWS gives them, with the
    /// recording it comes from. The Unit of test_label_generation's queries is left out: it never changes a label.
    #[test]
    fn labels_follow_the_recorded_rule() {
        type Case = (&'static str, Vec<StatQuery<'static>>, Vec<&'static str>);
        let cases: Vec<Case> = vec![
            // Recorded from AWS: test_label_generation[input_pairs0] and [input_pairs3] (Seconds/Milliseconds).
            (
                "stat and period differ",
                vec![q("metric1", "Sum", 60), q("metric1", "Minimum", 30)],
                vec!["metric1 Sum 60", "metric1 Minimum 30"],
            ),
            // Recorded: input_pairs1 and input_pairs4.
            (
                "stat differs",
                vec![q("metric1", "Sum", 60), q("metric1", "Minimum", 60)],
                vec!["metric1 Sum", "metric1 Minimum"],
            ),
            // Recorded: input_pairs2 and input_pairs5.
            (
                "period differs",
                vec![q("metric1", "Sum", 60), q("metric1", "Sum", 30)],
                vec!["metric1 60", "metric1 30"],
            ),
            // Recorded: input_pairs6 (only the unit differs: duplicate labels).
            ("nothing differs", vec![q("metric1", "Sum", 60), q("metric1", "Sum", 60)], vec!["metric1", "metric1"]),
            // Recorded: test_get_metric_data_with_zero_and_labels.
            (
                "four stats",
                vec![
                    q("metric1", "Average", 60),
                    q("metric1", "Sum", 60),
                    q("metric1", "Minimum", 60),
                    q("metric1", "Maximum", 60),
                ],
                vec!["metric1 Average", "metric1 Sum", "metric1 Minimum", "metric1 Maximum"],
            ),
            // Recorded: test_get_metric_data_for_multiple_metrics.
            (
                "three metrics alike",
                vec![q("metric1", "Sum", 60), q("metric2", "Sum", 60), q("metric3", "Sum", 60)],
                vec!["metric1", "metric2", "metric3"],
            ),
            // Recorded: a single query gets the bare metric name.
            ("one query", vec![q("metric1", "p99", 300)], vec!["metric1"]),
            // Skywatch's reading (not recorded): the comparison runs over every MetricStat query of the request.
            (
                "two metrics, two stats",
                vec![q("metric1", "Sum", 60), q("metric2", "Average", 60)],
                vec!["metric1 Sum", "metric2 Average"],
            ),
            (
                "one of three differs",
                vec![q("a", "Sum", 60), q("b", "Sum", 60), q("a", "Sum", 300)],
                vec!["a 60", "b 60", "a 300"],
            ),
            ("none", vec![], vec![]),
        ];
        for (name, queries, expected) in cases {
            assert_eq!(default_labels(&queries), expected, "{name}");
        }
    }
}
