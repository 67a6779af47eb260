//! One thread owns every write transaction. Callers queue mutations and await their commit; the thread drains
//! whatever is queued into a single durable commit, so throughput grows with concurrency instead of being capped
//! at redb's ~1,000 durable commits a second.

use std::sync::Arc;
use std::sync::mpsc;

use redb::Database;
use tokio::sync::oneshot;

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

    pub(crate) async fn stop(&self) -> Result<(), WriteError> {
        let (done, committed) = oneshot::channel();
        self.queue.send(Job { mutations: Vec::new(), done, stop: true }).map_err(|_| WriteError::WriterStopped)?;
        committed.await.map_err(|_| WriteError::WriterStopped)?
    }
}

fn run(db: &Database, jobs: &mpsc::Receiver<Job>) {
    let mut sequence = initial_sequence();
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
        let result = commit(db, &batch, &mut sequence).map_err(|e| {
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

/// Sequence numbers tell apart datapoints with the same series and timestamp. Seeded from the clock so that a
/// restart never reuses one.
fn initial_sequence() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0)
}

fn commit(db: &Database, batch: &[Job], sequence: &mut u64) -> Result<(), String> {
    if batch.iter().all(|job| job.mutations.is_empty()) {
        return Ok(());
    }
    let txn = db.begin_write().map_err(|e| e.to_string())?;
    {
        let err = |e: redb::Error| e.to_string();
        let mut audit = txn.open_table(tables::AUDIT_EVENTS_V1).map_err(|e| err(e.into()))?;
        let mut users = txn.open_table(tables::USERS_V1).map_err(|e| err(e.into()))?;
        let mut sessions = txn.open_table(tables::SESSIONS_V1).map_err(|e| err(e.into()))?;
        let mut points = txn.open_table(tables::METRIC_POINTS_V1).map_err(|e| err(e.into()))?;
        for mutation in batch.iter().flat_map(|job| &job.mutations) {
            let result = match mutation {
                Mutation::PutAuditEvent { account, region, time_ms, event_id, record_json } => audit
                    .insert((account.as_str(), region.as_str(), *time_ms, event_id.as_str()), record_json.as_slice())
                    .map(drop),
                Mutation::PutUser { name, record_json } => {
                    users.insert(name.as_str(), record_json.as_slice()).map(drop)
                }
                Mutation::PutSession { token_hash, record_json } => {
                    sessions.insert(token_hash.as_str(), record_json.as_slice()).map(drop)
                }
                Mutation::DeleteSession { token_hash } => sessions.remove(token_hash.as_str()).map(drop),
                Mutation::PutMetricPoint { account, region, series, timestamp_ms, stats } => {
                    *sequence += 1;
                    points
                        .insert(
                            (account.as_str(), region.as_str(), series.as_str(), *timestamp_ms, *sequence),
                            stats.encode(),
                        )
                        .map(drop)
                }
            };
            result.map_err(|e| err(e.into()))?;
        }
    }
    txn.commit().map_err(|e| e.to_string())
}
