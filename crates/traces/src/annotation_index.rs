//! The annotation index: each summary's annotation values by (account, region, key, value, start, trace) in
//! `xray_annotations_v1`, so a filter expression that requires `annotation.key = value` reads the traces that
//! have it instead of every trace in the window. PutSummaries keeps it (a summary's old entries go with it),
//! retention removes it with the trace, and summaries stored before the index existed are indexed once, when the
//! summarizer starts.

use std::collections::BTreeSet;
use std::ops::ControlFlow;

use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Tx, WriteError};

use crate::Traces;
use crate::document::Annotation;
use crate::filter::{AnyOp, Compare, Expr, Literal};
use crate::id::TraceId;
use crate::storage::{ANNOTATIONS, META, SUMMARIES, start_ms};
use crate::summary::Summary;

/// The marker `xray_meta_v1` holds once every summary is indexed.
const INDEXED_MARKER: &[u8] = b"annotations-indexed";
/// Summaries indexed a commit while catching up.
const CATCH_UP_BATCH: usize = 2_000;

/// An annotation value as an index key part: equal values (as the filter language compares them) are equal parts.
fn value_part(value: &Annotation) -> String {
    match value {
        Annotation::Text(text) => format!("s{text}"),
        // 0.0 and -0.0 compare equal, so they share a key.
        Annotation::Number(n) => format!("n{:016x}", if *n == 0.0 { 0.0f64 } else { *n }.to_bits()),
        Annotation::Bool(b) => format!("b{}", u8::from(*b)),
    }
}

fn literal_part(literal: &Literal) -> String {
    match literal {
        Literal::Text(text) => value_part(&Annotation::Text(text.clone())),
        Literal::Number(n) => value_part(&Annotation::Number(*n)),
        Literal::Bool(b) => value_part(&Annotation::Bool(*b)),
    }
}

fn prefix(account: &str, region: &str, key: &str, value: &str) -> Key {
    Key::new().str(account).str(region).str(key).str(value)
}

/// The index keys of `summary`, one per distinct key and value.
pub fn entries(account: &str, region: &str, summary: &Summary) -> Vec<Vec<u8>> {
    let (high, low) = summary.id.halves();
    let start = start_ms(summary);
    let distinct: BTreeSet<(&str, String)> =
        summary.annotations.iter().map(|a| (a.key.as_str(), value_part(&a.value))).collect();
    distinct
        .into_iter()
        .map(|(key, value)| prefix(account, region, key, &value).i64(start).u64(high).u64(low).into_bytes())
        .collect()
}

/// The annotation equality an expression requires of every trace it matches, if any: one of the conjuncts at
/// its top (`annotation.k = v AND ...`). A trace without that value cannot match, so the index's traces are
/// all the candidates.
pub fn required(expr: &Expr) -> Option<(&str, &Literal)> {
    match expr {
        Expr::And(left, right) => required(left).or_else(|| required(right)),
        Expr::Annotation(key, Some((AnyOp::Compare(Compare::Eq), literal))) => Some((key.as_str(), literal)),
        _ => None,
    }
}

/// The traces with annotation `key` = `literal` that start in `[from_ms, to_ms)`, in start order after `after`.
pub fn lookup(
    reader: &Reader,
    (account, region): (&str, &str),
    (key, literal): (&str, &Literal),
    (from_ms, to_ms): (i64, i64),
    after: Option<(i64, TraceId)>,
    mut visit: impl FnMut(i64, TraceId) -> ControlFlow<()>,
) -> Result<(), ReadError> {
    let value = literal_part(literal);
    let base = || prefix(account, region, key, &value);
    let from = match after {
        Some((start, trace)) => {
            let (high, low) = trace.halves();
            let mut bytes = base().i64(start).u64(high).u64(low).into_bytes();
            bytes.push(0);
            bytes
        }
        None => base().i64(from_ms).into_bytes(),
    };
    let to = base().i64(to_ms).into_bytes();
    reader.scan(ANNOTATIONS, (Some(&from), Some(&to)), Direction::Forward, |entry, _| {
        let mut parts = KeyReader::new(entry);
        let found = (|| {
            let _ = (parts.str()?, parts.str()?, parts.str()?, parts.str()?);
            Some((parts.i64()?, TraceId::from_halves(parts.u64()?, parts.u64()?)))
        })();
        match found {
            Some((start, trace)) => visit(start, trace),
            None => ControlFlow::Continue(()),
        }
    })
}

/// Writes index entries for summaries stored before the index existed.
#[derive(Debug)]
struct Index {
    entries: Vec<Vec<u8>>,
    done: bool,
}

impl Change for Index {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        for entry in &self.entries {
            tx.put(ANNOTATIONS, entry, &[])?;
        }
        if self.done {
            tx.put(META, INDEXED_MARKER, &[])?;
        }
        Ok(())
    }
}

/// One catch-up step: the index entries of a batch of summaries, and the summary key to go on after (none at the
/// end).
struct CatchUp {
    entries: Vec<Vec<u8>>,
    next: Option<Vec<u8>>,
}

/// Up to [`CATCH_UP_BATCH`] summaries after `after` (a summary key).
fn catch_up_batch(reader: &Reader, after: Option<Vec<u8>>) -> Result<CatchUp, ReadError> {
    let from = after.map(|mut key| {
        key.push(0);
        key
    });
    let mut entries = Vec::new();
    let mut last = None;
    let mut seen = 0;
    reader.scan(SUMMARIES, (from.as_deref(), None), Direction::Forward, |key, value| {
        let mut parts = KeyReader::new(key);
        if let (Some(account), Some(region), Ok(summary)) =
            (parts.str(), parts.str(), postcard::from_bytes::<Summary>(value))
        {
            entries.extend(self::entries(&account, &region, &summary));
        }
        last = Some(key.to_vec());
        seen += 1;
        if seen >= CATCH_UP_BATCH { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    })?;
    Ok(CatchUp { entries, next: if seen >= CATCH_UP_BATCH { last } else { None } })
}

impl Traces {
    /// Indexes the annotations of summaries stored before the index existed, once per store.
    pub async fn index_annotations(&self) -> Result<(), crate::retention::RetentionError> {
        if self.store.read(|reader| reader.get(META, INDEXED_MARKER)).await?.is_some() {
            return Ok(());
        }
        let mut after = None;
        loop {
            let CatchUp { entries, next } = self.store.read(move |reader| catch_up_batch(reader, after)).await?;
            let done = next.is_none();
            self.store.apply(vec![Mutation::new(Index { entries, done })]).await?;
            if done {
                return Ok(());
            }
            after = next;
        }
    }
}
