//! ListMetrics: the metrics of an account and region (each once, whatever its units) filtered by namespace,
//! metric name and dimensions, sorted for stable pages of 500 with an opaque NextToken.

use skywatch_tsdb::{SeriesInfo, SeriesKey, Tsdb};

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
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    pub metrics: Vec<SeriesInfo>,
    pub next_token: Option<String>,
}

fn sort_key(key: &SeriesKey) -> String {
    let mut out = format!("{}\u{1f}{}", key.namespace, key.metric_name);
    for (name, value) in &key.dimensions {
        out.push('\u{1f}');
        out.push_str(name);
        out.push('\u{1e}');
        out.push_str(value);
    }
    out
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
    // A metric written with several units has a series a unit: it is listed once, as its newest series (whose
    // unit it is listed with in the console, and whose last write says whether it is recently active).
    let mut found: Vec<(String, SeriesInfo)> = tsdb
        .series_where(|key| matches(request, key))
        .into_iter()
        .map(|info| (sort_key(&info.key), info))
        .filter(|(sort, _)| after.as_ref().is_none_or(|after| sort > after))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.last_put_ms.cmp(&a.1.last_put_ms)));
    found.dedup_by(|later, first| later.0 == first.0);
    // Series of unknown age (imported from schema 1) count as listed, never as recently active.
    let listed = |info: &SeriesInfo| info.last_put_ms >= since || (info.last_put_ms == 0 && !request.recently_active);
    found.retain(|(_, info)| listed(info));
    let next_token =
        (found.len() > page_size).then(|| skywatch_ops::token::encode(TOKEN_KIND, &found[page_size - 1].0));
    found.truncate(page_size);
    Ok(ListPage { metrics: found.into_iter().map(|(_, info)| info).collect(), next_token })
}
