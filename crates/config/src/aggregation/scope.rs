//! Which (account, region) scopes an aggregator covers, and which of them it may read.
//!
//! An account source names account ids and either regions or `AllAwsRegions`. Skywatch has no fixed list of
//! regions (a region exists where a client signs for it), so "all regions" of an account is where that account has
//! a configuration recorder (where AWS Config is enabled, which is what AWS aggregates: "existing Config regions and
//! future regions"), and always the aggregator's own region. A source in the aggregator's own account needs no
//! authorization; a source in another account is read only while it has authorized the aggregator's account and
//! region with PutAggregationAuthorization (in the source's account and region).

use std::collections::BTreeSet;

use skywatch_store::{ReadError, Reader};

use super::model::Aggregator;
use super::storage;

/// Regions one account's `AllAwsRegions` expands to at most (AWS has fewer than 40).
pub const MAX_REGIONS: usize = 64;
/// (account, region) scopes one aggregator read covers at most.
pub const MAX_SOURCES: usize = 100_000;

/// One (account, region) an aggregator covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub account: String,
    pub region: String,
    /// The aggregator may read it: its own account, or an authorization is in place.
    pub authorized: bool,
}

/// Every source of `aggregator` (which lives in `home`, an account and region), in (account, region) order, at
/// most [`MAX_SOURCES`]; `account` and `region` narrow them when given.
pub fn sources(
    reader: &Reader,
    home: (&str, &str),
    aggregator: &Aggregator,
    (account, region): (Option<&str>, Option<&str>),
) -> Result<Vec<Source>, ReadError> {
    let mut found = BTreeSet::new();
    for source in &aggregator.account_sources {
        let accounts: BTreeSet<&str> =
            source.account_ids.iter().map(String::as_str).filter(|a| account.is_none_or(|want| want == *a)).collect();
        for source_account in accounts {
            let regions: BTreeSet<String> = if source.all_aws_regions {
                let mut regions: BTreeSet<String> =
                    storage::recorder_regions(reader, source_account, MAX_REGIONS)?.into_iter().collect();
                regions.insert(home.1.to_owned());
                regions
            } else {
                source.aws_regions.iter().cloned().collect()
            };
            for source_region in regions.into_iter().filter(|r| region.is_none_or(|want| want == r)) {
                if found.len() >= MAX_SOURCES {
                    break;
                }
                let authorized = source_account == home.0
                    || storage::authorization(reader, (source_account, &source_region), home)?.is_some();
                found.insert(Source { account: source_account.to_owned(), region: source_region, authorized });
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// The sources `aggregator` may read, narrowed as [`sources`] narrows them.
pub fn readable(
    reader: &Reader,
    home: (&str, &str),
    aggregator: &Aggregator,
    filter: (Option<&str>, Option<&str>),
) -> Result<Vec<Source>, ReadError> {
    Ok(sources(reader, home, aggregator, filter)?.into_iter().filter(|s| s.authorized).collect())
}
