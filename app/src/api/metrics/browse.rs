//! The browser's levels over the metric catalogue: namespaces with counts, the dimension-name sets of a
//! namespace, and the metrics of one set, each filtered by a free-text search.

use std::collections::BTreeMap;

use leptos::prelude::ServerFnError;
use skywatch_core::Services;
use skywatch_core::metrics::{ListMetrics, ListRequest, ListView, MAX_LIST_PAGE_SIZE};
use skywatch_core::ops::Context;

use super::{BrowseLevel, BrowseQuery, GroupRow, MetricId, MetricRow, NamespaceRow};
use crate::api::ssr;

/// The most rows one answer carries, whatever the page asks for.
const MAX_ROWS: usize = 5_000;

/// The listed metrics of the context's account and region, with their unit, in the namespace if given and with
/// every search word: one ListMetrics call (the API's own operation and listing rule) in the console's large page,
/// answered from the catalogue index.
pub async fn catalogue(
    services: &Services,
    ctx: &Context,
    namespace: Option<String>,
    words: Vec<String>,
) -> Result<Vec<MetricRow>, ServerFnError> {
    let request = ListRequest {
        namespace,
        page_size: Some(MAX_LIST_PAGE_SIZE),
        view: ListView::Containing(words),
        ..ListRequest::default()
    };
    let page = services.invoke::<ListMetrics>(ctx, request).await.map_err(ssr::failed)?;
    Ok(page
        .metrics
        .into_iter()
        .map(|info| MetricRow {
            metric: MetricId {
                namespace: info.key.namespace.clone(),
                metric_name: info.key.metric_name.clone(),
                dimensions: info.key.dimensions.clone(),
            },
            unit: info.unit.clone().filter(|unit| unit != "None"),
        })
        .collect())
}

/// The listed metrics counted by namespace and dimension-name set (of `namespace` if given): the same
/// operation, answered from the catalogue's counts.
pub async fn groups(
    services: &Services,
    ctx: &Context,
    namespace: Option<String>,
) -> Result<Vec<GroupRow>, ServerFnError> {
    let request = ListRequest { namespace, view: ListView::Groups, ..ListRequest::default() };
    let page = services.invoke::<ListMetrics>(ctx, request).await.map_err(ssr::failed)?;
    Ok(page
        .groups
        .into_iter()
        .map(|group| GroupRow {
            namespace: group.namespace,
            dimension_set: group.dimension_names,
            metrics: group.metrics,
        })
        .collect())
}

/// The levels that only count (no search, no dimension set chosen), from the catalogue's counts: what
/// [`browse`] gives for the same query over the metrics themselves.
pub fn counted(groups: Vec<GroupRow>, query: &BrowseQuery) -> BrowseLevel {
    match &query.namespace {
        None => {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for group in groups {
                *counts.entry(group.namespace).or_default() += group.metrics;
            }
            BrowseLevel::Namespaces(
                counts.into_iter().map(|(namespace, metrics)| NamespaceRow { namespace, metrics }).collect(),
            )
        }
        Some(namespace) => {
            let mut rows: Vec<GroupRow> = groups.into_iter().filter(|g| g.namespace == *namespace).collect();
            rows.truncate(MAX_ROWS);
            BrowseLevel::Groups(rows)
        }
    }
}

/// The most words of a search that count, and the most bytes of each (a longer search is cut: issue 10).
pub const MAX_SEARCH_WORDS: usize = 16;
pub const MAX_SEARCH_WORD_BYTES: usize = 256;

/// The words of a search box, lower-cased, at most [`MAX_SEARCH_WORDS`] of at most [`MAX_SEARCH_WORD_BYTES`].
pub fn search_words(search: &str) -> Vec<String> {
    search
        .split_whitespace()
        .take(MAX_SEARCH_WORDS)
        .map(|word| {
            let end =
                (0..=word.len().min(MAX_SEARCH_WORD_BYTES)).rev().find(|i| word.is_char_boundary(*i)).unwrap_or(0);
            word[..end].to_lowercase()
        })
        .collect()
}

/// Whether every word of the search occurs (ignoring case) in the namespace, metric name or a dimension. Each
/// field is lower-cased once.
pub fn matches(metric: &MetricId, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let fields: Vec<String> = [metric.namespace.as_str(), metric.metric_name.as_str()]
        .into_iter()
        .chain(metric.dimensions.iter().flat_map(|(name, value)| [name.as_str(), value.as_str()]))
        .map(str::to_lowercase)
        .collect();
    words.iter().all(|word| fields.iter().any(|field| field.contains(word.as_str())))
}

fn dimension_names(metric: &MetricId) -> Vec<String> {
    metric.dimensions.iter().map(|(name, _)| name.clone()).collect()
}

/// The rows of the level the query asks for.
pub fn browse(metrics: Vec<MetricRow>, query: &BrowseQuery) -> BrowseLevel {
    let words = search_words(&query.search);
    let found = metrics.into_iter().filter(|row| {
        matches(&row.metric, &words) && query.namespace.as_ref().is_none_or(|ns| *ns == row.metric.namespace)
    });
    match (&query.namespace, &query.dimension_set) {
        (Some(_), Some(set)) => {
            let mut rows: Vec<MetricRow> = found.filter(|row| dimension_names(&row.metric) == *set).collect();
            rows.sort_by(|a, b| {
                let values = |m: &MetricId| m.dimensions.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>();
                (values(&a.metric), &a.metric.metric_name).cmp(&(values(&b.metric), &b.metric.metric_name))
            });
            let total = rows.len();
            rows.truncate(query.limit.clamp(1, MAX_ROWS));
            BrowseLevel::Metrics { columns: set.clone(), rows, total }
        }
        (None, None) if words.is_empty() => {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for row in found {
                *counts.entry(row.metric.namespace).or_default() += 1;
            }
            BrowseLevel::Namespaces(
                counts.into_iter().map(|(namespace, metrics)| NamespaceRow { namespace, metrics }).collect(),
            )
        }
        _ => {
            let mut counts: BTreeMap<(String, Vec<String>), usize> = BTreeMap::new();
            for row in found {
                let names = dimension_names(&row.metric);
                *counts.entry((row.metric.namespace, names)).or_default() += 1;
            }
            let mut groups: Vec<GroupRow> = counts
                .into_iter()
                .map(|((namespace, dimension_set), metrics)| GroupRow { namespace, dimension_set, metrics })
                .collect();
            groups.truncate(MAX_ROWS);
            BrowseLevel::Groups(groups)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(namespace: &str, metric: &str, dims: &[(&str, &str)]) -> MetricRow {
        let mut dimensions: Vec<(String, String)> =
            dims.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        dimensions.sort();
        MetricRow {
            metric: MetricId { namespace: namespace.into(), metric_name: metric.into(), dimensions },
            unit: None,
        }
    }

    fn catalogue() -> Vec<MetricRow> {
        vec![
            row("AWS/EC2", "CPUUtilization", &[("InstanceId", "i-2")]),
            row("AWS/EC2", "CPUUtilization", &[("InstanceId", "i-1")]),
            row("AWS/EC2", "NetworkIn", &[("InstanceId", "i-1")]),
            row("AWS/EC2", "CPUUtilization", &[("AutoScalingGroupName", "web"), ("InstanceId", "i-1")]),
            row("AWS/EC2", "CPUUtilization", &[]),
            row("Shop", "Orders", &[("Service", "checkout")]),
        ]
    }

    fn query(namespace: Option<&str>, set: Option<&[&str]>, search: &str) -> BrowseQuery {
        BrowseQuery {
            namespace: namespace.map(str::to_owned),
            dimension_set: set.map(|s| s.iter().map(|n| (*n).to_owned()).collect()),
            search: search.into(),
            limit: 100,
        }
    }

    #[test]
    fn namespaces_are_counted() {
        let BrowseLevel::Namespaces(rows) = browse(catalogue(), &query(None, None, "")) else { panic!("level") };
        let counts: Vec<(&str, usize)> = rows.iter().map(|r| (r.namespace.as_str(), r.metrics)).collect();
        assert_eq!(counts, [("AWS/EC2", 5), ("Shop", 1)]);
    }

    #[test]
    fn a_namespace_has_its_dimension_sets() {
        let BrowseLevel::Groups(rows) = browse(catalogue(), &query(Some("AWS/EC2"), None, "")) else { panic!("level") };
        let sets: Vec<(String, usize)> = rows.iter().map(|r| (r.dimension_set.join(","), r.metrics)).collect();
        assert_eq!(sets, [("".into(), 1), ("AutoScalingGroupName,InstanceId".into(), 1), ("InstanceId".into(), 3)]);
    }

    /// Issue 15: the counting levels come from the catalogue's counts; they must read as the rows would.
    #[test]
    fn counted_levels_read_as_the_rows_do() {
        let mut groups: BTreeMap<(String, Vec<String>), usize> = BTreeMap::new();
        for row in catalogue() {
            *groups.entry((row.metric.namespace.clone(), dimension_names(&row.metric))).or_default() += 1;
        }
        let groups: Vec<GroupRow> = groups
            .into_iter()
            .map(|((namespace, dimension_set), metrics)| GroupRow { namespace, dimension_set, metrics })
            .collect();
        for namespace in [None, Some("AWS/EC2"), Some("Shop"), Some("Nothing")] {
            let q = query(namespace, None, "");
            assert_eq!(counted(groups.clone(), &q), browse(catalogue(), &q), "{namespace:?}");
        }
    }

    #[test]
    fn a_set_lists_its_metrics_sorted_by_dimension_values_and_limited() {
        let mut q = query(Some("AWS/EC2"), Some(&["InstanceId"]), "");
        let BrowseLevel::Metrics { columns, rows, total } = browse(catalogue(), &q) else { panic!("level") };
        assert_eq!(columns, ["InstanceId"]);
        assert_eq!(total, 3);
        let labels: Vec<String> = rows.iter().map(|r| r.metric.label()).collect();
        assert_eq!(labels, ["i-1 CPUUtilization", "i-1 NetworkIn", "i-2 CPUUtilization"]);
        q.limit = 2;
        let BrowseLevel::Metrics { rows, total, .. } = browse(catalogue(), &q) else { panic!("level") };
        assert_eq!((rows.len(), total), (2, 3));
    }

    #[test]
    fn search_matches_every_word_anywhere_and_groups_across_namespaces() {
        let BrowseLevel::Groups(rows) = browse(catalogue(), &query(None, None, "cpu I-1")) else { panic!("level") };
        let found: Vec<(String, String, usize)> =
            rows.iter().map(|r| (r.namespace.clone(), r.dimension_set.join(","), r.metrics)).collect();
        assert_eq!(
            found,
            [
                ("AWS/EC2".into(), "AutoScalingGroupName,InstanceId".into(), 1),
                ("AWS/EC2".into(), "InstanceId".into(), 1)
            ]
        );
        let BrowseLevel::Groups(rows) = browse(catalogue(), &query(None, None, "checkout")) else { panic!("level") };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].namespace, "Shop");
        let BrowseLevel::Groups(rows) = browse(catalogue(), &query(None, None, "nothing-like-this")) else {
            panic!("level")
        };
        assert!(rows.is_empty());
    }
}
