//! CloudWatch dashboards in `dashboards_v1`: the record encoding and the reads (one dashboard, a page of an
//! account's dashboards by name prefix, a count).

use std::ops::Bound;

use crate::error::ReadError;
use crate::reader::Reader;
use crate::tables;

/// One stored dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardRecord {
    /// The dashboard name.
    pub name: String,
    /// The body text exactly as it was put.
    pub body: String,
    /// When it was last put, in epoch milliseconds.
    pub last_modified_ms: i64,
}

const TIME_BYTES: usize = 8;

pub(crate) fn encode(last_modified_ms: i64, body: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(TIME_BYTES + body.len());
    out.extend_from_slice(&last_modified_ms.to_le_bytes());
    out.extend_from_slice(body.as_bytes());
    out
}

fn decode(name: &str, bytes: &[u8]) -> Result<DashboardRecord, ReadError> {
    let corrupt = || ReadError::Corrupt(format!("dashboard {name}"));
    let (time, body) = bytes.split_at_checked(TIME_BYTES).ok_or_else(corrupt)?;
    let time: [u8; TIME_BYTES] = time.try_into().map_err(|_| corrupt())?;
    let body = std::str::from_utf8(body).map_err(|_| corrupt())?;
    Ok(DashboardRecord { name: name.to_owned(), body: body.to_owned(), last_modified_ms: i64::from_le_bytes(time) })
}

impl Reader {
    /// The dashboard `name` of `account`, if there is one.
    pub fn dashboard(&self, account: &str, name: &str) -> Result<Option<DashboardRecord>, ReadError> {
        let table = self.txn.open_table(tables::DASHBOARDS_V1).map_err(ReadError::from_redb)?;
        let value = table.get((account, name)).map_err(ReadError::from_redb)?;
        value.map(|value| decode(name, value.value())).transpose()
    }

    /// Up to `limit` dashboards of `account` whose names start with `prefix`, by name, strictly after `after` when
    /// given.
    pub fn dashboards(
        &self,
        account: &str,
        prefix: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<DashboardRecord>, ReadError> {
        let table = self.txn.open_table(tables::DASHBOARDS_V1).map_err(ReadError::from_redb)?;
        let low = match after {
            Some(after) if after >= prefix => Bound::Excluded((account, after)),
            _ => Bound::Included((account, prefix)),
        };
        let mut out = Vec::new();
        for entry in table.range::<(&str, &str)>((low, Bound::Unbounded)).map_err(ReadError::from_redb)? {
            if out.len() >= limit {
                break;
            }
            let (key, value) = entry.map_err(ReadError::from_redb)?;
            let (key_account, name) = key.value();
            if key_account != account || !name.starts_with(prefix) {
                break;
            }
            out.push(decode(name, value.value())?);
        }
        Ok(out)
    }

    /// How many dashboards `account` has.
    pub fn dashboard_count(&self, account: &str) -> Result<u64, ReadError> {
        let table = self.txn.open_table(tables::DASHBOARDS_V1).map_err(ReadError::from_redb)?;
        let mut count = 0;
        for entry in table.range::<(&str, &str)>((account, "")..).map_err(ReadError::from_redb)? {
            let (key, _) = entry.map_err(ReadError::from_redb)?;
            if key.value().0 != account {
                break;
            }
            count += 1;
        }
        Ok(count)
    }
}
