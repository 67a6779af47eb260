//! ListMetrics: the metrics of an account and region (each once, whatever its units) filtered by namespace,
//! metric name and dimensions, sorted for stable pages of 500 with an opaque NextToken.

use skywatch_tsdb::{CatalogFilter, CatalogGroup, CatalogMetric, CatalogTerm, SeriesInfo, SeriesKey, Tsdb, sort_text};

use crate::error::MetricsQueryError;

pub const PAGE_SIZE: usize = 500;
/// The largest page the console's catalogue may ask for.
pub const MAX_PAGE_SIZE: usize = 100_000;
/// Metrics that received no data for two weeks are not listed.
const LISTED_FOR_MS: i64 = 14 * 86_400_000;
const RECENTLY_ACTIVE_MS: i64 = 3 * 3_600_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListRequest {
    pub account: String,
    pub region: String,
    pub namespace: Option<String>,
    pub metric_name: Option<String>,
    /// Dimension name, and the value it must have if given.
    pub dimensions: Vec<(String, Option<String>)>,
    /// Only metrics written in the past three hours (`RecentlyActive=PT3H`).
    pub recently_active: bool,
    pub next_token: Option<String>,
    /// Metrics per page: ListMetrics' 500 when None (the API never sets it); the console reads its catalogue in
    /// larger pages, at most [`MAX_PAGE_SIZE`]. Not part of the recorded request.
    pub page_size: Option<usize>,
    /// What the console asks for beyond the API's listing (the API never sets it). Not part of the recorded
    /// request.
    pub view: ListView,
}

/// The console's listings, answered by the same operation and listing rule as ListMetrics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ListView {
    /// ListMetrics' metrics.
    #[default]
    Metrics,
    /// The listed metrics counted by namespace and dimension-name set (of the request's namespace if given),
    /// in [`ListPage::groups`].
    Groups,
    /// Only metrics with every one of these lower-cased words in their namespace, metric name or a dimension
    /// name or value (the console's search box).
    Containing(Vec<String>),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListPage {
    pub metrics: Vec<SeriesInfo>,
    pub next_token: Option<String>,
    /// [`ListView::Groups`]' counts.
    pub groups: Vec<CatalogGroup>,
}

const TOKEN_KIND: &str = "metrics";

/// Whether `key` passes the request's filters (account and region included).
pub fn matches(request: &ListRequest, key: &SeriesKey) -> bool {
    key.account == request.account
        && key.region == request.region
        && request.namespace.as_ref().is_none_or(|n| *n == key.namespace)
        && request.metric_name.as_ref().is_none_or(|m| *m == key.metric_name)
        && request.dimensions.iter().all(|(name, value)| {
            key.dimensions.iter().any(|(n, v)| n == name && value.as_ref().is_none_or(|value| value == v))
        })
}

pub fn list_metrics(tsdb: &Tsdb, request: &ListRequest, now_ms: i64) -> Result<ListPage, MetricsQueryError> {
    if request.dimensions.len() > 10 {
        return Err(MetricsQueryError::InvalidParameterValue(
            "The collection Dimensions must not have a size greater than 10.".into(),
        ));
    }
    let after = match &request.next_token {
        Some(token) => Some(
            skywatch_ops::token::decode(TOKEN_KIND, token)
                .ok_or_else(|| MetricsQueryError::InvalidNextToken("The NextToken is invalid.".into()))?,
        ),
        None => None,
    };
    let page_size = request.page_size.unwrap_or(PAGE_SIZE).clamp(1, MAX_PAGE_SIZE);
    let since = now_ms - if request.recently_active { RECENTLY_ACTIVE_MS } else { LISTED_FOR_MS };
    // Series of unknown age (imported from schema 1) count as listed, never as recently active.
    let listed = |info: &SeriesInfo| info.last_put_ms >= since || (info.last_put_ms == 0 && !request.recently_active);
    // A metric written with several units has a series a unit: it is listed once, as its newest series (whose
    // unit it is listed with in the console, and whose last write says whether it is recently active).
    let accept = |metric: &CatalogMetric| {
        metric.newest().filter(|newest| listed(newest) && matches(request, &metric.key)).cloned()
    };
    let (account, region) = (request.account.as_str(), request.region.as_str());
    let words = match &request.view {
        ListView::Groups => {
            let mut groups = tsdb.catalog_groups(account, region);
            groups.retain(|group| request.namespace.as_ref().is_none_or(|ns| *ns == group.namespace));
            return Ok(ListPage { groups, ..ListPage::default() });
        }
        ListView::Containing(words) => words.as_slice(),
        ListView::Metrics => &[],
    };
    let mut found: Vec<(String, SeriesInfo)> = Vec::new();
    if !words.is_empty() || request.dimensions.iter().any(|(_, value)| value.is_some()) {
        // A dimension value or a search word narrows most: its metrics, sorted.
        let mut filter = terms(request);
        filter.extend(words.iter().map(|word| CatalogFilter::Substring(word.clone())));
        let keep = |key: &SeriesKey| matches(request, key) && contains_all(key, words);
        found = tsdb
            .catalog_matching(account, region, &CatalogFilter::And(filter), keep)
            .iter()
            .filter_map(|metric| accept(metric).map(|info| (sort_text(&metric.key), info)))
            .filter(|(text, _)| after.as_ref().is_none_or(|after| text > after))
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
    } else {
        // In the catalogue's order from the token, within the namespace (and metric name) if given, until the page
        // and one more are found.
        let prefix = match (&request.namespace, &request.metric_name) {
            (Some(namespace), Some(metric)) => format!("{namespace}\u{1f}{metric}"),
            (Some(namespace), None) => format!("{namespace}\u{1f}"),
            (None, _) => String::new(),
        };
        tsdb.catalog_scan(account, region, after.as_deref(), &prefix, |text, metric| {
            if let Some(info) = accept(&metric) {
                found.push((text.to_owned(), info));
            }
            found.len() <= page_size
        });
    }
    let next_token =
        (found.len() > page_size).then(|| skywatch_ops::token::encode(TOKEN_KIND, &found[page_size - 1].0));
    found.truncate(page_size);
    Ok(ListPage { metrics: found.into_iter().map(|(_, info)| info).collect(), next_token, groups: Vec::new() })
}

/// Whether every word (lower-cased) occurs in the key's namespace, metric name or a dimension name or value,
/// ignoring case.
pub fn contains_all(key: &SeriesKey, words: &[String]) -> bool {
    if words.is_empty() {
        return true;
    }
    let fields: Vec<String> = [key.namespace.as_str(), key.metric_name.as_str()]
        .into_iter()
        .chain(key.dimensions.iter().flat_map(|(name, value)| [name.as_str(), value.as_str()]))
        .map(str::to_lowercase)
        .collect();
    words.iter().all(|word| fields.iter().any(|field| field.contains(word.as_str())))
}

/// The catalogue terms every listed metric must have.
fn terms(request: &ListRequest) -> Vec<CatalogFilter> {
    let mut terms = Vec::new();
    if let Some(namespace) = &request.namespace {
        terms.push(CatalogFilter::Term(CatalogTerm::Namespace(namespace.as_str().into())));
    }
    if let Some(metric) = &request.metric_name {
        terms.push(CatalogFilter::Term(CatalogTerm::MetricName(metric.as_str().into())));
    }
    for (name, value) in &request.dimensions {
        terms.push(CatalogFilter::Term(match value {
            Some(value) => CatalogTerm::Dimension(name.as_str().into(), value.as_str().into()),
            None => CatalogTerm::DimensionName(name.as_str().into()),
        }));
    }
    terms
}
