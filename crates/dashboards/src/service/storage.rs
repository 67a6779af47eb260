//! Where dashboards live: the `dashboards_v2` table (global per account: account, name -> last modified epoch
//! ms as 8 little-endian bytes, then the body text exactly as given), its change type and its reads.

use std::ops::ControlFlow;

use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

/// Dashboards: (account, dashboard name) -> record.
pub const DASHBOARDS: Table = Table::new("dashboards_v2");

/// Every table of the dashboard service.
pub const TABLES: &[Table] = &[DASHBOARDS];

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

/// A change to the dashboards table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DashboardChange {
    /// Insert or replace; the body is kept byte for byte.
    Put { account: String, name: String, last_modified_ms: i64, body: String },
    /// Remove (nothing happens when there is none).
    Delete { account: String, name: String },
}

impl DashboardChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

const TIME_BYTES: usize = 8;

fn key(account: &str, name: &str) -> Key {
    Key::new().str(account).str(name)
}

impl Change for DashboardChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            DashboardChange::Put { account, name, last_modified_ms, body } => {
                let mut record = Vec::with_capacity(TIME_BYTES + body.len());
                record.extend_from_slice(&last_modified_ms.to_le_bytes());
                record.extend_from_slice(body.as_bytes());
                tx.put(DASHBOARDS, key(account, name).as_bytes(), &record)
            }
            DashboardChange::Delete { account, name } => tx.remove(DASHBOARDS, key(account, name).as_bytes()),
        }
    }
}

fn decode(name: &str, bytes: &[u8]) -> Result<DashboardRecord, ReadError> {
    let corrupt = || ReadError::Corrupt(format!("dashboard {name}"));
    let (time, body) = bytes.split_at_checked(TIME_BYTES).ok_or_else(corrupt)?;
    let time: [u8; TIME_BYTES] = time.try_into().map_err(|_| corrupt())?;
    let body = std::str::from_utf8(body).map_err(|_| corrupt())?;
    Ok(DashboardRecord { name: name.to_owned(), body: body.to_owned(), last_modified_ms: i64::from_le_bytes(time) })
}

/// The dashboard `name` of `account`, if there is one.
pub fn dashboard(reader: &Reader, account: &str, name: &str) -> Result<Option<DashboardRecord>, ReadError> {
    reader.get(DASHBOARDS, key(account, name).as_bytes())?.map(|value| decode(name, &value)).transpose()
}

/// Up to `limit` dashboards of `account` whose names start with `prefix`, by name, strictly after `after` when
/// given.
pub fn dashboards(
    reader: &Reader,
    account: &str,
    prefix: &str,
    after: Option<&str>,
    limit: usize,
) -> Result<Vec<DashboardRecord>, ReadError> {
    let start = Key::new().str(account).str_prefix(prefix);
    let end = start.prefix_end();
    let from = match after {
        // Just past `after`: its own key followed by one more byte (every longer name sorts after it).
        Some(after) if after >= prefix => {
            let mut past = key(account, after).into_bytes();
            past.push(0);
            past
        }
        _ => start.into_bytes(),
    };
    let mut out = Vec::new();
    let mut failed = None;
    reader.scan(DASHBOARDS, (Some(&from), end.as_deref()), Direction::Forward, |key, value| {
        if out.len() >= limit {
            return ControlFlow::Break(());
        }
        let mut parts = KeyReader::new(key);
        let name = parts.str().and_then(|_| parts.str());
        match name.map(|name| decode(&name, value)) {
            Some(Ok(record)) => out.push(record),
            Some(Err(error)) => failed = Some(error),
            None => failed = Some(ReadError::Corrupt("dashboard key".into())),
        }
        if failed.is_some() { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    failed.map_or(Ok(out), Err)
}

/// How many dashboards `account` has.
pub fn dashboard_count(reader: &Reader, account: &str) -> Result<u64, ReadError> {
    Ok(reader.prefixed(DASHBOARDS, &Key::new().str(account))?.len() as u64)
}
