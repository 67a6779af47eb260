//! One thread owns every write transaction. Callers queue mutations and await their commit; the thread drains
//! whatever is queued into a single durable commit, so throughput grows with concurrency instead of being capped
//! at redb's ~1,000 durable commits a second.

use std::sync::Arc;
use std::sync::mpsc;

use redb::Database;
use tokio::sync::oneshot;

use crate::error::WriteError;
use crate::mutation::{Mutation, Tx};

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
        let mut tx = Tx::new(&txn);
        for mutation in batch.iter().flat_map(|job| &job.mutations) {
            mutation.apply(&mut tx).map_err(|e| e.to_string())?;
        }
    }
    txn.commit().map_err(|e| e.to_string())
}
