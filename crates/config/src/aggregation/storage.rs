//! Where aggregation keeps its state: the aggregators of each account and region (`config_aggregators_v1`) and the
//! authorizations each source account and region has given (`config_aggregation_authorizations_v1`, keyed by the
//! authorized account and region so that an aggregator's read checks one key per source). Values are JSON.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use super::model::{Aggregator, Authorization};

/// (account, region, aggregator name) -> [`Aggregator`].
pub const AGGREGATORS: Table = Table::new("config_aggregators_v1");
/// (source account, source region, authorized account, authorized region) -> [`Authorization`].
pub const AUTHORIZATIONS: Table = Table::new("config_aggregation_authorizations_v1");

/// The aggregation tables.
pub const AGGREGATION_TABLES: &[Table] = &[AGGREGATORS, AUTHORIZATIONS];

fn scoped(account: &str, region: &str) -> Key {
    Key::new().str(account).str(region)
}

fn json(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(value).map_err(|error| WriteError::Storage(error.to_string()))
}

fn parse<T: for<'de> Deserialize<'de>>(bytes: &[u8], what: &str) -> Result<T, ReadError> {
    serde_json::from_slice(bytes).map_err(|error| ReadError::Corrupt(format!("{what}: {error}")))
}

/// A change to the aggregation tables.
#[derive(Debug, Clone)]
pub enum AggregationChange {
    PutAggregator { account: String, region: String, aggregator: Box<Aggregator> },
    DeleteAggregator { account: String, region: String, name: String },
    PutAuthorization { account: String, region: String, authorization: Box<Authorization> },
    DeleteAuthorization { account: String, region: String, authorized_account: String, authorized_region: String },
}

impl AggregationChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for AggregationChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            AggregationChange::PutAggregator { account, region, aggregator } => {
                tx.put(AGGREGATORS, scoped(account, region).str(&aggregator.name).as_bytes(), &json(aggregator)?)
            }
            AggregationChange::DeleteAggregator { account, region, name } => {
                tx.remove(AGGREGATORS, scoped(account, region).str(name).as_bytes())
            }
            AggregationChange::PutAuthorization { account, region, authorization } => {
                let key = scoped(account, region)
                    .str(&authorization.authorized_account)
                    .str(&authorization.authorized_region);
                tx.put(AUTHORIZATIONS, key.as_bytes(), &json(authorization)?)
            }
            AggregationChange::DeleteAuthorization { account, region, authorized_account, authorized_region } => {
                let key = scoped(account, region).str(authorized_account).str(authorized_region);
                tx.remove(AUTHORIZATIONS, key.as_bytes())
            }
        }
    }
}

/// The aggregators of an account and region, in name order, at most `limit`.
pub fn aggregators(reader: &Reader, account: &str, region: &str, limit: usize) -> Result<Vec<Aggregator>, ReadError> {
    let prefix = scoped(account, region);
    let high = prefix.prefix_end();
    let mut found = Vec::new();
    reader.scan(AGGREGATORS, (Some(prefix.as_bytes()), high.as_deref()), Direction::Forward, |_, value| {
        found.push(value.to_vec());
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.iter().map(|bytes| parse(bytes, "configuration aggregator")).collect()
}

/// One aggregator.
pub fn aggregator(reader: &Reader, account: &str, region: &str, name: &str) -> Result<Option<Aggregator>, ReadError> {
    reader
        .get(AGGREGATORS, scoped(account, region).str(name).as_bytes())?
        .map(|bytes| parse(&bytes, "configuration aggregator"))
        .transpose()
}

/// The authorizations an account and region has given, in (account, region) order, at most `limit`.
pub fn authorizations(
    reader: &Reader,
    account: &str,
    region: &str,
    limit: usize,
) -> Result<Vec<Authorization>, ReadError> {
    let prefix = scoped(account, region);
    let high = prefix.prefix_end();
    let mut found = Vec::new();
    reader.scan(AUTHORIZATIONS, (Some(prefix.as_bytes()), high.as_deref()), Direction::Forward, |_, value| {
        found.push(value.to_vec());
        if found.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    found.iter().map(|bytes| parse(bytes, "aggregation authorization")).collect()
}

/// The authorization `source` gave `aggregator` (each an account and region), if it did.
pub fn authorization(
    reader: &Reader,
    (source_account, source_region): (&str, &str),
    (aggregator_account, aggregator_region): (&str, &str),
) -> Result<Option<Authorization>, ReadError> {
    let key = scoped(source_account, source_region).str(aggregator_account).str(aggregator_region);
    reader.get(AUTHORIZATIONS, key.as_bytes())?.map(|bytes| parse(&bytes, "aggregation authorization")).transpose()
}

/// The regions where `account` has a configuration recorder, in order, at most `limit`.
pub fn recorder_regions(reader: &Reader, account: &str, limit: usize) -> Result<Vec<String>, ReadError> {
    let prefix = Key::new().str(account);
    let high = prefix.prefix_end();
    let mut regions: Vec<String> = Vec::new();
    let mut corrupt = false;
    reader.scan(
        crate::storage::RECORDERS,
        (Some(prefix.as_bytes()), high.as_deref()),
        Direction::Forward,
        |key, _| {
            let mut parts = KeyReader::new(key);
            match (parts.str(), parts.str()) {
                (Some(_), Some(region)) => {
                    if regions.last() != Some(&region) {
                        regions.push(region);
                    }
                }
                _ => corrupt = true,
            }
            if corrupt || regions.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        },
    )?;
    if corrupt {
        return Err(ReadError::Corrupt("configuration recorder key".into()));
    }
    Ok(regions)
}

/// Visits the resources of an account and region (of one type when given) in key order, after `after` (a resource
/// type and id) when given, each one charged to `budget`; stops when `visit` breaks or the budget is spent.
/// Returns `Break` when it stopped early.
pub fn visit_resources(
    reader: &Reader,
    (account, region): (&str, &str),
    resource_type: Option<&str>,
    after: Option<(&str, &str)>,
    budget: &mut usize,
    mut visit: impl FnMut(crate::storage::Resource) -> ControlFlow<()>,
) -> Result<ControlFlow<()>, ReadError> {
    if *budget == 0 {
        return Ok(ControlFlow::Break(()));
    }
    let prefix = match resource_type {
        Some(t) => scoped(account, region).str(t),
        None => scoped(account, region),
    };
    let low = match after {
        Some((t, id)) => {
            let mut bytes = scoped(account, region).str(t).str(id).into_bytes();
            bytes.push(0);
            bytes
        }
        None => prefix.as_bytes().to_vec(),
    };
    let high = prefix.prefix_end();
    let mut failure = None;
    let mut outcome = ControlFlow::Continue(());
    reader.scan(crate::storage::RESOURCES, (Some(&low), high.as_deref()), Direction::Forward, |_, value| {
        *budget -= 1;
        match parse::<crate::storage::Resource>(value, "resource") {
            Ok(resource) => outcome = visit(resource),
            Err(error) => {
                failure = Some(error);
                return ControlFlow::Break(());
            }
        }
        if outcome.is_continue() && *budget == 0 {
            outcome = ControlFlow::Break(());
        }
        outcome
    })?;
    match failure {
        Some(error) => Err(error),
        None => Ok(outcome),
    }
}
