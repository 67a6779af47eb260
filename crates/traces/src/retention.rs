//! Retention: traces are kept 30 days, as X-Ray keeps them. Traces first seen in an hour more than 30 days ago are
//! removed whole (documents, summary, its annotation index entries, waits), and the service graph's minutes older than that; a batch a commit,
//! so a sweep that stops midway loses nothing it has not already committed.

use std::ops::ControlFlow;

use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Tx, WriteError};

use crate::Traces;
use crate::id::TraceId;
use crate::storage::{AGES, ANNOTATIONS, GRAPH, PENDING, SEGMENTS, SUMMARIES, SUMMARY_INDEX, summary_place, trace_key};
use crate::summary::Summary;

/// How long traces and the graph are kept.
pub const RETENTION_MS: i64 = 30 * 86_400_000;
/// Rows removed in one commit.
const BATCH: usize = 10_000;

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("reading: {0}")]
    Read(#[from] ReadError),
    #[error("writing: {0}")]
    Write(#[from] WriteError),
}

/// Removes the rows named.
#[derive(Debug)]
struct Remove(Vec<(skywatch_store::Table, Vec<u8>)>);

impl Change for Remove {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        for (table, key) in &self.0 {
            tx.remove(*table, key)?;
        }
        Ok(())
    }
}

/// The rows of expired traces, up to about [`BATCH`].
fn expired_traces(reader: &Reader, cutoff_ms: i64) -> Result<Vec<(skywatch_store::Table, Vec<u8>)>, ReadError> {
    let mut traces: Vec<(Vec<u8>, String, String, TraceId)> = Vec::new();
    let end = Key::new().i64(cutoff_ms).into_bytes();
    reader.scan(AGES, (None, Some(&end)), Direction::Forward, |key, _| {
        let mut parts = KeyReader::new(key);
        if let (Some(_), Some(account), Some(region), Some(high), Some(low)) =
            (parts.i64(), parts.str(), parts.str(), parts.u64(), parts.u64())
        {
            traces.push((key.to_vec(), account, region, TraceId::from_halves(high, low)));
        }
        if traces.len() >= BATCH / 4 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    let mut rows = Vec::new();
    for (age_key, account, region, trace) in traces {
        rows.push((AGES, age_key));
        let key = trace_key(&account, &region, trace);
        for (segment, _) in reader.prefixed(SEGMENTS, &key)? {
            rows.push((SEGMENTS, segment));
        }
        if let Some(place) = summary_place(reader, &account, &region, trace)? {
            let (high, low) = trace.halves();
            let at = Key::new().str(&account).str(&region).i64(place.start_ms).u64(high).u64(low);
            // A summary that cannot be read goes all the same; only its index entries need it.
            if let Some(bytes) = reader.get(SUMMARIES, at.as_bytes())?
                && let Ok(summary) = postcard::from_bytes::<Summary>(&bytes)
            {
                for entry in crate::annotation_index::entries(&account, &region, &summary) {
                    rows.push((ANNOTATIONS, entry));
                }
            }
            rows.push((SUMMARIES, at.into_bytes()));
            rows.push((SUMMARY_INDEX, key.as_bytes().to_vec()));
        }
        rows.push((PENDING, key.into_bytes()));
    }
    Ok(rows)
}

/// Graph rows of minutes before the cutoff, up to [`BATCH`].
fn expired_minutes(reader: &Reader, cutoff_ms: i64) -> Result<Vec<(skywatch_store::Table, Vec<u8>)>, ReadError> {
    let mut rows = Vec::new();
    reader.scan(GRAPH, (None, None), Direction::Forward, |key, _| {
        let mut parts = KeyReader::new(key);
        if let (Some(_), Some(_), Some(_), Some(minute)) = (parts.str(), parts.str(), parts.str(), parts.i64())
            && minute < cutoff_ms
        {
            rows.push((GRAPH, key.to_vec()));
        }
        if rows.len() >= BATCH { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(rows)
}

impl Traces {
    /// Removes what is older than 30 days at `now_ms`; returns how many traces and graph rows went.
    pub async fn expire(&self, now_ms: i64) -> Result<(usize, usize), RetentionError> {
        let cutoff = now_ms.saturating_sub(RETENTION_MS);
        let mut traces = 0;
        loop {
            let rows = self.store.read(move |reader| expired_traces(reader, cutoff)).await?;
            if rows.is_empty() {
                break;
            }
            traces += rows.iter().filter(|(table, _)| *table == AGES).count();
            self.store.apply(vec![Mutation::new(Remove(rows))]).await?;
        }
        let mut minutes = 0;
        loop {
            let rows = self.store.read(move |reader| expired_minutes(reader, cutoff)).await?;
            if rows.is_empty() {
                break;
            }
            minutes += rows.len();
            let full = rows.len() >= BATCH;
            self.store.apply(vec![Mutation::new(Remove(rows))]).await?;
            if !full {
                break;
            }
        }
        Ok((traces, minutes))
    }
}
