//! Where CloudTrail records live: the `audit_events_v2` table ((account, region, event time in epoch ms, event
//! id) -> record JSON), its change type and its reads.

use std::ops::ControlFlow;

use skywatch_store::{Change, Direction, Key, KeyReader, ReadError, Reader, Table, Tx, WriteError};

/// CloudTrail records: (account, region, event time in epoch ms, event id) -> record JSON.
pub const AUDIT_EVENTS: Table = Table::new("audit_events_v2");

/// Every table of the audit trail.
pub const TABLES: &[Table] = &[AUDIT_EVENTS];

/// Stores one record (committed with the data it describes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutAuditEvent {
    pub account: String,
    pub region: String,
    pub time_ms: i64,
    pub event_id: String,
    pub record_json: Vec<u8>,
}

impl Change for PutAuditEvent {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let key = Key::new().str(&self.account).str(&self.region).i64(self.time_ms).str(&self.event_id);
        tx.put(AUDIT_EVENTS, key.as_bytes(), &self.record_json)
    }
}

/// One stored CloudTrail record with its key parts.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub time_ms: i64,
    pub event_id: String,
    pub record_json: Vec<u8>,
}

/// CloudTrail records of one account and region with `start_ms <= time < end_ms`, newest first, strictly older
/// than `before` (a (time, event id) cursor) when given. `keep` filters rows; scanning stops once `limit` rows
/// are kept.
pub fn newest_first(
    reader: &Reader,
    (account, region): (&str, &str),
    (start_ms, end_ms): (i64, i64),
    before: Option<(i64, &str)>,
    limit: usize,
    mut keep: impl FnMut(&[u8]) -> bool,
) -> Result<Vec<AuditRow>, ReadError> {
    let scope = || Key::new().str(account).str(region);
    let low = scope().i64(start_ms);
    let high = match before {
        Some((time_ms, event_id)) if time_ms < end_ms => scope().i64(time_ms).str(event_id),
        _ => scope().i64(end_ms),
    };
    let mut rows = Vec::new();
    let mut corrupt = false;
    reader.scan(AUDIT_EVENTS, (Some(low.as_bytes()), Some(high.as_bytes())), Direction::Backward, |key, value| {
        if !keep(value) {
            return ControlFlow::Continue(());
        }
        let mut parts = KeyReader::new(key);
        let (Some(_), Some(_), Some(time_ms), Some(event_id)) = (parts.str(), parts.str(), parts.i64(), parts.str())
        else {
            corrupt = true;
            return ControlFlow::Break(());
        };
        rows.push(AuditRow { time_ms, event_id, record_json: value.to_vec() });
        if rows.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    if corrupt {
        return Err(ReadError::Corrupt("audit event key".into()));
    }
    Ok(rows)
}

/// Removes stored records by key (retention).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoveAuditEvents {
    pub keys: Vec<Vec<u8>>,
}

impl Change for RemoveAuditEvents {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        self.keys.iter().try_for_each(|key| tx.remove(AUDIT_EVENTS, key))
    }
}

/// The keys of up to `limit` records older than `cutoff_ms`, in every account and region: each (account,
/// region) scope's old records are the start of its key range, so the walk reads only what it returns plus one
/// key per scope.
pub fn expired(reader: &Reader, cutoff_ms: i64, limit: usize) -> Result<Vec<Vec<u8>>, ReadError> {
    let mut out = Vec::new();
    let mut from: Option<Vec<u8>> = None;
    while out.len() < limit {
        // The first key at or after `from` names the next scope.
        let mut scope = None;
        reader.scan(AUDIT_EVENTS, (from.as_deref(), None), Direction::Forward, |key, _| {
            let mut parts = KeyReader::new(key);
            scope = parts.str().zip(parts.str());
            ControlFlow::Break(())
        })?;
        let Some((account, region)) = scope else { break };
        let prefix = Key::new().str(&account).str(&region);
        let high = Key::new().str(&account).str(&region).i64(cutoff_ms);
        reader.scan(AUDIT_EVENTS, (Some(prefix.as_bytes()), Some(high.as_bytes())), Direction::Forward, |key, _| {
            out.push(key.to_vec());
            if out.len() >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })?;
        match prefix.prefix_end() {
            Some(end) => from = Some(end),
            None => break,
        }
    }
    Ok(out)
}

/// How many CloudTrail records are stored in all.
pub fn event_count(reader: &Reader) -> Result<u64, ReadError> {
    reader.len(AUDIT_EVENTS)
}
