//! Aggregation: configuration aggregators (one account's view over the (account, region) scopes its sources name)
//! and the aggregation authorizations a source account gives an aggregator account and region. Skywatch keeps every
//! account and region in one store, so an aggregator copies nothing: its reads go to the scopes it covers, at the
//! time of the call ([`scope`]).

pub mod model;
pub mod scope;
pub mod storage;
