//! The summarizer: a trace's summary is made once its documents have stopped arriving for [`QUIET_MS`], and made
//! again (its revision bumped) when more arrive later. Waiting traces are in the store, so a restart loses none.

use std::future::Future;
use std::ops::ControlFlow;
use std::time::Duration;

use skywatch_store::{KeyReader, ReadError};

use crate::Traces;
use crate::groups::Parsed;
use crate::id::TraceId;
use crate::storage::{NewSummary, PENDING, Pending, PutSummaries, documents, groups, summary_place};
use crate::summary::summarize;

/// How long a trace must be quiet before its summary is made.
pub const QUIET_MS: i64 = 2_000;
/// Traces summarized in one commit.
const BATCH: usize = 2_000;
/// Waiting traces looked at in one round.
const LOOK_AT: usize = 50_000;
/// The longest the summarizer sleeps.
const IDLE: Duration = Duration::from_secs(1);

impl Traces {
    /// Makes the summaries of the traces quiet since `now_ms - QUIET_MS`, a batch at a time; returns how many.
    pub async fn summarize_due(&self, now_ms: i64) -> Result<usize, ReadError> {
        let mut made = 0;
        loop {
            let changes = self
                .store
                .read(move |reader| {
                    let mut due: Vec<(String, String, TraceId, Pending)> = Vec::new();
                    let mut looked = 0;
                    let mut failure = None;
                    reader.scan(PENDING, (None, None), skywatch_store::Direction::Forward, |key, value| {
                        looked += 1;
                        let mut key = KeyReader::new(key);
                        if let (Some(account), Some(region), Some(high), Some(low)) =
                            (key.str(), key.str(), key.u64(), key.u64())
                        {
                            match postcard::from_bytes::<Pending>(value) {
                                Ok(p) if p.last_ms <= now_ms - QUIET_MS => {
                                    due.push((account, region, TraceId::from_halves(high, low), p));
                                }
                                Ok(_) => {}
                                Err(error) => failure = Some(ReadError::Storage(error.to_string())),
                            }
                        }
                        if due.len() >= BATCH || looked >= LOOK_AT || failure.is_some() {
                            ControlFlow::Break(())
                        } else {
                            ControlFlow::Continue(())
                        }
                    })?;
                    if let Some(error) = failure {
                        return Err(error);
                    }
                    let mut made = Vec::with_capacity(due.len());
                    let mut known: Vec<Parsed> = Vec::new();
                    for (account, region, trace, waiting) in due {
                        let stored = documents(reader, &account, &region, trace)?;
                        let revision = summary_place(reader, &account, &region, trace)?.map_or(1, |p| p.revision + 1);
                        let mut summary = summarize(trace, &stored, revision);
                        if !known.iter().any(|g| g.account == account && g.region == region) {
                            known.push(Parsed::new(&account, &region, groups(reader, &account, &region)?));
                        }
                        if let Some(parsed) = known.iter().find(|g| g.account == account && g.region == region) {
                            summary.groups = parsed.matching(&summary);
                        }
                        made.push(NewSummary { account, region, summary, pending_ms: waiting.last_ms });
                    }
                    Ok(made)
                })
                .await?;
            let count = changes.len();
            if count == 0 {
                return Ok(made);
            }
            let change = PutSummaries(changes).mutation();
            self.store.apply(vec![change]).await.map_err(|e| ReadError::Storage(e.to_string()))?;
            made += count;
            if count < BATCH {
                return Ok(made);
            }
        }
    }

    /// The summarizer's loop, until `stop` resolves.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        if let Err(error) = self.index_annotations().await {
            tracing::warn!(%error, "indexing the annotations of earlier traces failed");
        }
        loop {
            let now = now_ms();
            tokio::select! {
                () = &mut stop => return,
                made = self.summarize_due(now) => {
                    if let Err(error) = made {
                        tracing::warn!(%error, "summarizing traces failed");
                    }
                }
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(IDLE) => {}
                () = self.woken() => {
                    // Documents arrived: their traces are due once quiet.
                    tokio::time::sleep(Duration::from_millis(u64::try_from(QUIET_MS).unwrap_or(2_000))).await;
                }
            }
        }
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
