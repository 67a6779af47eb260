//! Where traces live: every document as received with its [`Entity`] facts (`xray_segments_v1`, by account,
//! region, trace and document id, so a trace is one range), the traces changed since their summary was made
//! (`xray_pending_v1`), and the hour each trace was first seen (`xray_trace_ages_v1`, which retention walks).
//! Values are postcard. A document replaces the one with the same id, except that an in-progress document never
//! replaces a finished one that arrived first.

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

use crate::document::{Document, Entity, Kind};
use crate::id::{SegmentId, TraceId};

/// (account, region, trace, document id) -> [`Stored`].
pub const SEGMENTS: Table = Table::new("xray_segments_v1");
/// (account, region, trace) -> [`Pending`].
pub const PENDING: Table = Table::new("xray_pending_v1");
/// (hour ms, account, region, trace) -> nothing.
pub const AGES: Table = Table::new("xray_trace_ages_v1");

/// Every table of the trace store.
pub const TABLES: &[Table] = &[SEGMENTS, PENDING, AGES];

const HOUR_MS: i64 = 3_600_000;

/// A stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    pub received_ms: i64,
    pub kind: Kind,
    pub in_progress: bool,
    pub json: String,
    pub entities: Vec<Entity>,
}

/// A trace waiting for its summary: when its last document arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub last_ms: i64,
}

fn encode(value: &impl Serialize) -> Result<Vec<u8>, WriteError> {
    postcard::to_stdvec(value).map_err(|e| WriteError::Storage(e.to_string()))
}

fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, ReadError> {
    postcard::from_bytes(bytes).map_err(|e| ReadError::Storage(e.to_string()))
}

pub fn trace_key(account: &str, region: &str, trace: TraceId) -> Key {
    let (high, low) = trace.halves();
    Key::new().str(account).str(region).u64(high).u64(low)
}

fn segment_key(account: &str, region: &str, trace: TraceId, id: SegmentId) -> Key {
    trace_key(account, region, trace).u64(id.0)
}

fn age_key(hour_ms: i64, account: &str, region: &str, trace: TraceId) -> Key {
    let (high, low) = trace.halves();
    Key::new().i64(hour_ms).str(account).str(region).u64(high).u64(low)
}

/// Stores documents of one account and region, received at `now_ms`, and marks their traces pending.
#[derive(Debug)]
pub struct PutDocuments {
    pub account: String,
    pub region: String,
    pub now_ms: i64,
    pub documents: Vec<Document>,
}

impl PutDocuments {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

impl Change for PutDocuments {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        let (account, region) = (self.account.as_str(), self.region.as_str());
        let mut traces: Vec<TraceId> = Vec::new();
        for document in &self.documents {
            let key = segment_key(account, region, document.trace, document.id);
            if document.in_progress
                && let Some(existing) = tx.get(SEGMENTS, key.as_bytes())?
                && postcard::from_bytes::<Stored>(&existing).is_ok_and(|s| !s.in_progress)
            {
                continue;
            }
            let stored = Stored {
                received_ms: self.now_ms,
                kind: document.kind,
                in_progress: document.in_progress,
                json: document.json.clone(),
                entities: document.entities.clone(),
            };
            tx.put(SEGMENTS, key.as_bytes(), &encode(&stored)?)?;
            if !traces.contains(&document.trace) {
                traces.push(document.trace);
            }
        }
        let pending = encode(&Pending { last_ms: self.now_ms })?;
        let hour = self.now_ms - self.now_ms.rem_euclid(HOUR_MS);
        for trace in traces {
            tx.put(PENDING, trace_key(account, region, trace).as_bytes(), &pending)?;
            tx.put(AGES, age_key(hour, account, region, trace).as_bytes(), &[])?;
        }
        Ok(())
    }
}

/// The documents of one trace, by document id.
pub fn documents(reader: &Reader, account: &str, region: &str, trace: TraceId) -> Result<Vec<Stored>, ReadError> {
    reader.prefixed(SEGMENTS, &trace_key(account, region, trace))?.iter().map(|(_, value)| decode(value)).collect()
}

/// The traces waiting for a summary: (account, region, trace, pending).
pub fn pending(reader: &Reader) -> Result<Vec<(String, String, TraceId, Pending)>, ReadError> {
    let mut out = Vec::new();
    for (key, value) in reader.all(PENDING)? {
        let mut key = KeyReader::new(&key);
        let (Some(account), Some(region), Some(high), Some(low)) = (key.str(), key.str(), key.u64(), key.u64()) else {
            continue;
        };
        out.push((account, region, TraceId::from_halves(high, low), decode(&value)?));
    }
    Ok(out)
}
