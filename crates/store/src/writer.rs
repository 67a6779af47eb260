//! One thread owns every write transaction. Callers queue mutations and await their commit; the thread drains
//! whatever is queued into a single durable commit, so throughput grows with concurrency instead of being capped
//! at redb's ~1,000 durable commits a second.

use std::sync::Arc;
use std::sync::mpsc;

use redb::Database;
use tokio::sync::oneshot;

use crate::dashboards;
use crate::error::WriteError;
use crate::mutation::Mutation;
use crate::tables;

/// Most mutations grouped into one commit; bounds the latency of a single commit.
const MAX_MUTATIONS_PER_COMMIT: usize = 200_000;

struct Job {
    mutations: Vec<Mutation>,
    done: oneshot::Sender<Result<(), WriteError>>,
    /// The last job: the writer commits it with everything before it, then exits and drops its database handle.
    stop: bool,
}

pub(crate) struct WriterHandle {
    queue: mpsc::Sender<Job>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for WriterHandle {
    /// The last store handle is gone: let the writer finish what is queued, stop, and release the database.
    fn drop(&mut self) {
        let (done, _) = oneshot::channel();
        let _ = self.queue.send(Job { mutations: Vec::new(), done, stop: true });
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl WriterHandle {
    pub(crate) fn spawn(db: Arc<Database>) -> Self {
        let (queue, jobs) = mpsc::channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("skywatch-store-writer".into())
            .spawn(move || {
                run(&db, &jobs);
                drop(db);
            })
            .expect("spawning the store writer thread");
        Self { queue, thread: Some(thread) }
    }

    pub(crate) async fn submit(&self, mutations: Vec<Mutation>) -> Result<(), WriteError> {
        let (done, committed) = oneshot::channel();
        self.queue.send(Job { mutations, done, stop: false }).map_err(|_| WriteError::WriterStopped)?;
        committed.await.map_err(|_| WriteError::WriterStopped)?
    }

    pub(crate) fn submit_blocking(&self, mutations: Vec<Mutation>) -> Result<(), WriteError> {
        let (done, committed) = oneshot::channel();
        self.queue.send(Job { mutations, done, stop: false }).map_err(|_| WriteError::WriterStopped)?;
        committed.blocking_recv().map_err(|_| WriteError::WriterStopped)?
    }

    pub(crate) async fn stop(&self) -> Result<(), WriteError> {
        let (done, committed) = oneshot::channel();
        self.queue.send(Job { mutations: Vec::new(), done, stop: true }).map_err(|_| WriteError::WriterStopped)?;
        committed.await.map_err(|_| WriteError::WriterStopped)?
    }
}

fn run(db: &Database, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        let mut count = batch[0].mutations.len();
        while count < MAX_MUTATIONS_PER_COMMIT {
            match jobs.try_recv() {
                Ok(job) => {
                    count += job.mutations.len();
                    batch.push(job);
                }
                Err(_) => break,
            }
        }
        let result = commit(db, &batch).map_err(|e| {
            tracing::error!(error = %e, jobs = batch.len(), "store commit failed");
            WriteError::Storage(e)
        });
        let stopping = batch.iter().any(|job| job.stop);
        for job in batch {
            // A caller that gave up waiting is fine: its data is committed all the same.
            let _ = job.done.send(result.clone());
        }
        if stopping {
            tracing::debug!("store writer stopped");
            return;
        }
    }
}

fn commit(db: &Database, batch: &[Job]) -> Result<(), String> {
    if batch.iter().all(|job| job.mutations.is_empty()) {
        return Ok(());
    }
    let txn = db.begin_write().map_err(|e| e.to_string())?;
    {
        let mut tables = Tables::open(&txn).map_err(|e| e.to_string())?;
        for mutation in batch.iter().flat_map(|job| &job.mutations) {
            tables.apply(mutation).map_err(|e| e.to_string())?;
        }
    }
    txn.commit().map_err(|e| e.to_string())
}

/// The tables of one write transaction, opened once per commit.
struct Tables<'txn> {
    txn: &'txn redb::WriteTransaction,
    audit: redb::Table<'txn, (&'static str, &'static str, i64, &'static str), &'static [u8]>,
    users: redb::Table<'txn, &'static str, &'static [u8]>,
    sessions: redb::Table<'txn, &'static str, &'static [u8]>,
    meta: redb::Table<'txn, &'static str, &'static [u8]>,
    series: redb::Table<'txn, u64, &'static [u8]>,
    wal: redb::Table<'txn, u64, &'static [u8]>,
    open_chunks: redb::Table<'txn, u64, &'static [u8]>,
    chunks: redb::Table<'txn, (u64, i64, u64), &'static [u8]>,
    rollups: redb::Table<'txn, (u64, u32, i64), &'static [u8]>,
    dashboards: redb::Table<'txn, (&'static str, &'static str), &'static [u8]>,
}

impl<'txn> Tables<'txn> {
    fn open(txn: &'txn redb::WriteTransaction) -> Result<Self, redb::TableError> {
        Ok(Self {
            txn,
            audit: txn.open_table(tables::AUDIT_EVENTS_V1)?,
            users: txn.open_table(tables::USERS_V1)?,
            sessions: txn.open_table(tables::SESSIONS_V1)?,
            meta: txn.open_table(tables::META_V1)?,
            series: txn.open_table(tables::TS_SERIES_V1)?,
            wal: txn.open_table(tables::TS_WAL_V1)?,
            open_chunks: txn.open_table(tables::TS_OPEN_CHUNKS_V1)?,
            chunks: txn.open_table(tables::TS_CHUNKS_V1)?,
            rollups: txn.open_table(tables::TS_ROLLUPS_V1)?,
            dashboards: txn.open_table(tables::DASHBOARDS_V1)?,
        })
    }

    fn apply(&mut self, mutation: &Mutation) -> Result<(), redb::Error> {
        match mutation {
            Mutation::PutAuditEvent { account, region, time_ms, event_id, record_json } => {
                self.audit
                    .insert((account.as_str(), region.as_str(), *time_ms, event_id.as_str()), record_json.as_slice())?;
            }
            Mutation::PutUser { name, record_json } => {
                self.users.insert(name.as_str(), record_json.as_slice())?;
            }
            Mutation::PutSession { token_hash, record_json } => {
                self.sessions.insert(token_hash.as_str(), record_json.as_slice())?;
            }
            Mutation::DeleteSession { token_hash } => {
                self.sessions.remove(token_hash.as_str())?;
            }
            Mutation::PutSeries { id, record } => {
                self.series.insert(*id, record.as_slice())?;
            }
            Mutation::AppendWal { sequence, record } => {
                self.wal.insert(*sequence, record.as_slice())?;
            }
            Mutation::DeleteWal { sequence } => {
                self.wal.remove(*sequence)?;
            }
            Mutation::PutOpenChunk { series, chunk } => {
                self.open_chunks.insert(*series, chunk.as_slice())?;
            }
            Mutation::DeleteOpenChunk { series } => {
                self.open_chunks.remove(*series)?;
            }
            Mutation::PutChunk { series, max_timestamp_ms, number, chunk } => {
                self.chunks.insert((*series, *max_timestamp_ms, *number), chunk.as_slice())?;
            }
            Mutation::DeleteChunk { series, max_timestamp_ms, number } => {
                self.chunks.remove((*series, *max_timestamp_ms, *number))?;
            }
            Mutation::PutRollup { series, period_seconds, day_start_ms, summaries } => {
                self.rollups.insert((*series, *period_seconds, *day_start_ms), summaries.as_slice())?;
            }
            Mutation::DeleteRollup { series, period_seconds, day_start_ms } => {
                self.rollups.remove((*series, *period_seconds, *day_start_ms))?;
            }
            Mutation::PutMeta { key, value } => {
                self.meta.insert(key.as_str(), value.as_slice())?;
            }
            Mutation::DropLegacyMetricPoints => {
                self.txn.delete_table(tables::METRIC_POINTS_V1)?;
            }
            Mutation::PutDashboard { account, name, last_modified_ms, body } => {
                let record = dashboards::encode(*last_modified_ms, body);
                self.dashboards.insert((account.as_str(), name.as_str()), record.as_slice())?;
            }
            Mutation::DeleteDashboard { account, name } => {
                self.dashboards.remove((account.as_str(), name.as_str()))?;
            }
        }
        Ok(())
    }
}
