//! The All metrics page's state as it lives in the URL, so every view is a shareable link:
//!
//! `?ns=AWS%2FEC2&dims=InstanceId&q=cpu&m=AWS%2FEC2~CPUUtilization~InstanceId%3Di-1&stat=p99&period=60&tab=graphed`
//!
//! * `ns`: the namespace browsed; `dims`: its dimension-name set browsed, names joined by `~` (`!none` for
//!   metrics without dimensions); `q`: the search; `show`: how many metric rows are shown.
//! * `m` (repeated): a graphed metric, `Namespace~MetricName~Name=Value~…`.
//! * `stat`, `period` (seconds; absent means automatic), `tab` (`graphed`; absent means Browse).
//!
//! Inside `ns`, `dims` and `m` the characters `!`, `~`, `=` and `%` of names and values are written `!!`, `!t`,
//! `!e` and `!p`, so the separators stay unambiguous and no `%` reaches the router (which decodes twice).
//! Anything malformed is ignored, never a panic.

use leptos_router::params::ParamsMap;

use crate::api::{MAX_GRAPHED, MetricId, PERIODS, STATISTICS};
use crate::components::query::{encode, href};

pub const PATH: &str = "/cloudwatch/metrics";
/// Metric rows shown at first, and added by each "Show more".
pub const PAGE_ROWS: usize = 100;
const MAX_ROWS: usize = 5_000;
/// `dims` for the set of no dimensions.
const NO_DIMENSIONS: &str = "!none";
const MAX_DIMENSIONS: usize = 30;
const MAX_PART: usize = 1_024;

/// Which tab under the graph is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Browse,
    Graphed,
}

/// Everything the page shows, read from the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricsState {
    pub namespace: Option<String>,
    /// Only with a namespace.
    pub dimension_set: Option<Vec<String>>,
    pub search: String,
    pub metrics: Vec<MetricId>,
    pub statistic: String,
    /// `None`: automatic.
    pub period: Option<i64>,
    pub tab: Tab,
    pub show: usize,
}

impl Default for MetricsState {
    fn default() -> Self {
        Self {
            namespace: None,
            dimension_set: None,
            search: String::new(),
            metrics: Vec::new(),
            statistic: STATISTICS[0].to_owned(),
            period: None,
            tab: Tab::Browse,
            show: PAGE_ROWS,
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '!' => out.push_str("!!"),
            '~' => out.push_str("!t"),
            '=' => out.push_str("!e"),
            '%' => out.push_str("!p"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '!' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('!') => out.push('!'),
            Some('t') => out.push('~'),
            Some('e') => out.push('='),
            Some('p') => out.push('%'),
            Some(other) => {
                out.push('!');
                out.push(other);
            }
            None => out.push('!'),
        }
    }
    out
}

fn usable(part: &str) -> bool {
    !part.trim().is_empty() && part.len() <= MAX_PART
}

/// A metric as one `m` value.
pub fn encode_metric(metric: &MetricId) -> String {
    let mut parts = vec![escape(&metric.namespace), escape(&metric.metric_name)];
    parts.extend(metric.dimensions.iter().map(|(name, value)| format!("{}={}", escape(name), escape(value))));
    parts.join("~")
}

/// Reads one `m` value; `None` when it is not a metric.
pub fn decode_metric(text: &str) -> Option<MetricId> {
    let mut parts = text.split('~');
    let namespace = unescape(parts.next()?);
    let metric_name = unescape(parts.next()?);
    if !usable(&namespace) || !usable(&metric_name) {
        return None;
    }
    let mut dimensions = Vec::new();
    for part in parts {
        let (name, value) = part.split_once('=')?;
        let (name, value) = (unescape(name), unescape(value));
        if !usable(&name) || !usable(&value) || dimensions.iter().any(|(n, _)| *n == name) {
            return None;
        }
        dimensions.push((name, value));
    }
    if dimensions.len() > MAX_DIMENSIONS {
        return None;
    }
    dimensions.sort();
    Some(MetricId { namespace, metric_name, dimensions })
}

/// A dimension-name set as one `dims` value.
pub fn encode_dimension_set(names: &[String]) -> String {
    if names.is_empty() {
        return NO_DIMENSIONS.to_owned();
    }
    names.iter().map(|name| escape(name)).collect::<Vec<_>>().join("~")
}

/// Reads a `dims` value: sorted, distinct, non-empty names.
pub fn decode_dimension_set(text: &str) -> Option<Vec<String>> {
    if text == NO_DIMENSIONS {
        return Some(Vec::new());
    }
    let mut names: Vec<String> = text.split('~').map(unescape).collect();
    if names.len() > MAX_DIMENSIONS || !names.iter().all(|name| usable(name)) {
        return None;
    }
    names.sort();
    names.dedup();
    Some(names)
}

impl MetricsState {
    /// Reads the page's keys of a URL query; what is missing or malformed takes its default.
    pub fn from_query(query: &ParamsMap) -> Self {
        let get = |key: &str| query.get(key).filter(|value| !value.is_empty());
        let namespace = get("ns").map(|ns| unescape(&ns)).filter(|ns| usable(ns));
        let dimension_set = namespace.as_ref().and_then(|_| get("dims")).and_then(|dims| decode_dimension_set(&dims));
        let mut metrics: Vec<MetricId> = Vec::new();
        for metric in query.get_all("m").unwrap_or_default().iter().filter_map(|m| decode_metric(m)) {
            if metrics.len() < MAX_GRAPHED && !metrics.contains(&metric) {
                metrics.push(metric);
            }
        }
        let statistic = get("stat")
            .and_then(|stat| STATISTICS.iter().find(|s| **s == stat))
            .copied()
            .unwrap_or(STATISTICS[0])
            .to_owned();
        let period = get("period")
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| PERIODS.iter().any(|(seconds, _)| seconds == p));
        let tab = if get("tab").as_deref() == Some("graphed") { Tab::Graphed } else { Tab::Browse };
        let show = get("show").and_then(|s| s.parse::<usize>().ok()).unwrap_or(PAGE_ROWS).clamp(PAGE_ROWS, MAX_ROWS);
        let search = get("q").map(|q| q.chars().take(MAX_PART).collect()).unwrap_or_default();
        Self { namespace, dimension_set, search, metrics, statistic, period, tab, show }
    }

    /// The page's keys that differ from the defaults, in a stable order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(namespace) = &self.namespace {
            pairs.push(("ns", escape(namespace)));
            if let Some(set) = &self.dimension_set {
                pairs.push(("dims", encode_dimension_set(set)));
            }
        }
        if !self.search.is_empty() {
            pairs.push(("q", self.search.clone()));
        }
        if self.show != PAGE_ROWS {
            pairs.push(("show", self.show.to_string()));
        }
        pairs.extend(self.metrics.iter().map(|metric| ("m", encode_metric(metric))));
        if self.statistic != STATISTICS[0] {
            pairs.push(("stat", self.statistic.clone()));
        }
        if let Some(period) = self.period {
            pairs.push(("period", period.to_string()));
        }
        if self.tab == Tab::Graphed {
            pairs.push(("tab", "graphed".to_owned()));
        }
        pairs
    }

    /// A link to the page in this state, keeping the console's region, account and time range of `current`.
    pub fn href(&self, current: &ParamsMap) -> String {
        let mut link = href(PATH, current, &[]);
        for (key, value) in self.to_pairs() {
            link.push(if link.contains('?') { '&' } else { '?' });
            link.push_str(key);
            link.push('=');
            link.push_str(&encode(&value));
        }
        link
    }

    pub fn is_graphed(&self, metric: &MetricId) -> bool {
        self.metrics.contains(metric)
    }

    /// The state with `metric` added to the graph, or removed if it is on it.
    pub fn toggled(&self, metric: &MetricId) -> Self {
        let mut next = self.clone();
        if let Some(at) = next.metrics.iter().position(|m| m == metric) {
            next.metrics.remove(at);
        } else if next.metrics.len() < MAX_GRAPHED {
            next.metrics.push(metric.clone());
        }
        next
    }

    /// The state browsing `namespace` (and one of its sets), the row limit back to one page.
    pub fn browsing(&self, namespace: Option<&str>, dimension_set: Option<&[String]>) -> Self {
        Self {
            namespace: namespace.map(str::to_owned),
            dimension_set: namespace.and(dimension_set).map(<[String]>::to_vec),
            show: PAGE_ROWS,
            tab: Tab::Browse,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> ParamsMap {
        let mut map = ParamsMap::new();
        for (key, value) in pairs {
            map.insert((*key).to_owned(), (*value).to_owned());
        }
        map
    }

    fn metric(namespace: &str, name: &str, dims: &[(&str, &str)]) -> MetricId {
        MetricId {
            namespace: namespace.into(),
            metric_name: name.into(),
            dimensions: dims.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect(),
        }
    }

    #[test]
    fn metrics_round_trip_through_their_encoding_whatever_they_contain() {
        for m in [
            metric("AWS/EC2", "CPUUtilization", &[("InstanceId", "i-0abc")]),
            metric("App", "Latency", &[]),
            metric("we~ird!ns", "a=b%c", &[("k~1", "v=!%t"), ("z", "ünïcødé 🚀")]),
        ] {
            let encoded = encode_metric(&m);
            assert!(!encoded.contains('%'), "{encoded}");
            assert_eq!(decode_metric(&encoded), Some(m));
        }
        assert_eq!(encode_metric(&metric("AWS/EC2", "CPU", &[("InstanceId", "i-1")])), "AWS/EC2~CPU~InstanceId=i-1");
    }

    #[test]
    fn hostile_metric_values_are_refused() {
        for text in ["", "~", "ns", "ns~", "~m", "ns~m~noequals", "ns~m~=v", "ns~m~k=", "ns~m~k=1~k=2", "  ~m", "!"] {
            assert_eq!(decode_metric(text), None, "{text:?}");
        }
        let long = "x".repeat(2_000);
        assert_eq!(decode_metric(&format!("ns~{long}")), None);
        let many: Vec<String> = (0..31).map(|i| format!("d{i}=v")).collect();
        assert_eq!(decode_metric(&format!("ns~m~{}", many.join("~"))), None);
        // Unknown escapes are kept as they are.
        assert_eq!(decode_metric("n!s~m!x"), Some(metric("n!s", "m!x", &[])));
    }

    #[test]
    fn dimensions_are_sorted_like_series_keys() {
        assert_eq!(decode_metric("ns~m~b=2~a=1"), Some(metric("ns", "m", &[("a", "1"), ("b", "2")])));
    }

    #[test]
    fn the_state_round_trips_through_the_url() {
        let state = MetricsState {
            namespace: Some("AWS/EC2".into()),
            dimension_set: Some(vec!["AutoScalingGroupName".into(), "InstanceId".into()]),
            search: "cpu 100%".into(),
            metrics: vec![metric("AWS/EC2", "CPUUtilization", &[("InstanceId", "i-1")]), metric("App", "Latency", &[])],
            statistic: "p99".into(),
            period: Some(300),
            tab: Tab::Graphed,
            show: 300,
        };
        let pairs = state.to_pairs();
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(MetricsState::from_query(&map(&borrowed)), state);
        let none = MetricsState { dimension_set: Some(vec![]), ..MetricsState::default().browsing(Some("App"), None) };
        let pairs = none.to_pairs();
        assert!(pairs.contains(&("dims", "!none".to_owned())));
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(MetricsState::from_query(&map(&borrowed)), none);
    }

    #[test]
    fn defaults_leave_the_url_clean_and_links_keep_the_console_keys() {
        assert!(MetricsState::default().to_pairs().is_empty());
        let current = map(&[("region", "eu-west-1"), ("range", "1h"), ("ns", "Old")]);
        let link = MetricsState::default().browsing(Some("AWS/EC2"), None).href(&current);
        assert_eq!(link, "/cloudwatch/metrics?region=eu-west-1&range=1h&ns=AWS%2FEC2");
        assert_eq!(MetricsState::default().href(&map(&[])), "/cloudwatch/metrics");
    }

    #[test]
    fn hostile_state_values_take_defaults() {
        let state = MetricsState::from_query(&map(&[
            ("dims", "InstanceId"),
            ("stat", "DROP TABLE"),
            ("period", "7"),
            ("show", "99999999999999999999999"),
            ("tab", "<script>"),
            ("m", "garbage"),
        ]));
        assert_eq!(state, MetricsState::default());
        let state = MetricsState::from_query(&map(&[("period", "-60"), ("show", "3")]));
        assert_eq!((state.period, state.show), (None, PAGE_ROWS));
    }

    #[test]
    fn toggling_adds_removes_and_caps() {
        let a = metric("ns", "a", &[]);
        let state = MetricsState::default().toggled(&a);
        assert!(state.is_graphed(&a));
        assert!(!state.toggled(&a).is_graphed(&a));
        let mut full = MetricsState::default();
        for i in 0..MAX_GRAPHED + 3 {
            full = full.toggled(&metric("ns", &format!("m{i}"), &[]));
        }
        assert_eq!(full.metrics.len(), MAX_GRAPHED);
    }
}
