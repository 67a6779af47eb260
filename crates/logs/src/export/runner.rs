//! The export runner: works through the active tasks oldest first, one at a time. A run starts afresh (a task
//! found RUNNING after a restart is started again from scratch): it clears the task's directory, writes AWS's
//! permission check object, counts the streams to export and marks the task RUNNING. Then each step reads one
//! bounded chunk of one stream's events through the log store's read path (off the async runtime), appends them to
//! the stream's objects and commits the progress; before each step it reads the task again, so a cancel stops it
//! between two chunks (finished objects stay, the unfinished one is dropped).

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use skywatch_store::Direction;

use super::files::{StreamObjects, line, write_test_object};
use super::path::{prefix_dir, stream_dir};
use super::task::{self, ExportChange, ExportProgress, ExportStatus, ExportTask};
use crate::model::{LogGroup, LogStream};
use crate::read::{Ended, EventKey, Scan, scan_events};
use crate::retention::retention_cut;
use crate::storage;
use crate::{Logs, LogsError};

/// How an export reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSettings {
    /// Events one step reads at most.
    pub chunk_events: usize,
    /// Decompressed bytes one step reads at most (FilterLogEvents' scan budget).
    pub chunk_budget_bytes: u64,
    /// Bytes of lines an object holds before the next one starts.
    pub object_bytes: u64,
    /// How often the runner looks for tasks when nothing wakes it.
    pub poll: Duration,
}

impl Default for ExportSettings {
    fn default() -> Self {
        Self {
            chunk_events: 10_000,
            chunk_budget_bytes: 256 * 1024 * 1024,
            object_bytes: 64 * 1024 * 1024,
            poll: Duration::from_secs(5),
        }
    }
}

/// What a step left to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// More to export.
    More,
    /// The task ended (completed, failed or cancelled), as stored.
    Done(Box<ExportTask>),
}

/// A chunk's budget grows this many times at most (doubling) while it finds no event to export.
const MAX_BUDGET_DOUBLINGS: u32 = 6;

/// The stream being exported.
struct Current {
    stream: LogStream,
    objects: StreamObjects,
    position: Option<EventKey>,
    doublings: u32,
}

/// One run of one task.
pub struct ExportRun {
    task: ExportTask,
    task_dir: PathBuf,
    group: LogGroup,
    from_ms: i64,
    to_ms: i64,
    /// The last stream started, so the next one is the first name after it.
    after: Option<String>,
    current: Option<Current>,
    settings: ExportSettings,
}

fn failed(error: impl std::fmt::Display) -> String {
    format!("Export failed: {error}")
}

impl Logs {
    /// The oldest active task of any account, if any.
    pub async fn next_export(&self) -> Result<Option<ExportTask>, LogsError> {
        Ok(self.store.read(|r| task::active(r, 1)).await?.into_iter().next())
    }

    /// Stores `task`'s new state (if it is still active) and returns it as stored.
    async fn update_export(&self, task: ExportTask) -> Result<ExportTask, LogsError> {
        let (account, region, id) = (task.account.clone(), task.region.clone(), task.task_id.clone());
        self.store.apply(vec![ExportChange::Update(Box::new(task)).mutation()]).await?;
        self.store
            .read(move |r| task::task(r, (&account, &region), &id))
            .await?
            .ok_or_else(|| LogsError::Storage("an export task vanished".into()))
    }

    /// Ends `task` as FAILED with `message`.
    async fn fail_export(&self, mut task: ExportTask, message: String, now_ms: i64) -> Result<Step, LogsError> {
        task.status = ExportStatus::Failed;
        task.message = Some(message);
        task.completed_ms = Some(now_ms);
        Ok(Step::Done(Box::new(self.update_export(task).await?)))
    }

    /// Starts `task` afresh: its directory cleared, the permission check written, its streams counted, RUNNING.
    /// A task that cannot start ends FAILED (Err(step)).
    pub async fn start_export(
        &self,
        export_dir: &Path,
        mut task: ExportTask,
        settings: ExportSettings,
        now_ms: i64,
    ) -> Result<Result<ExportRun, Step>, LogsError> {
        let Some(prefix_dir) = prefix_dir(export_dir, &task.destination, task.prefix()) else {
            let message = failed("the destination is not a valid bucket and prefix");
            return Ok(Err(self.fail_export(task, message, now_ms).await?));
        };
        let (account, region, name) = (task.account.clone(), task.region.clone(), task.log_group_name.clone());
        let Some(group) = self.store.read(move |r| storage::group(r, &account, &region, &name)).await? else {
            return Ok(Err(self.fail_export(task, "The specified log group does not exist.".into(), now_ms).await?));
        };
        let prefix = task.log_stream_name_prefix.clone().unwrap_or_default();
        let (streams_total, task_dir) = {
            let (store, group_id) = (self.store.clone(), group.id);
            let dir = prefix_dir.join(&task.task_id);
            // The permission check goes where AWS puts it: under the prefix the call gave, else the bucket's top.
            let check_dir = match task.destination_prefix {
                Some(_) => prefix_dir.clone(),
                None => export_dir.join(&task.destination),
            };
            let prepared = tokio::task::spawn_blocking(move || -> Result<_, String> {
                let total = count_streams(&store, group_id, &prefix).map_err(|e| e.to_string())?;
                match std::fs::remove_dir_all(&dir) {
                    Ok(()) => {}
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(error) => return Err(error.to_string()),
                }
                write_test_object(&check_dir).map_err(|e| e.to_string())?;
                Ok((total, dir))
            })
            .await
            .map_err(|e| LogsError::Storage(e.to_string()))?;
            match prepared {
                Ok(prepared) => prepared,
                Err(error) => return Ok(Err(self.fail_export(task, failed(error), now_ms).await?)),
            }
        };
        task.status = ExportStatus::Running;
        task.progress = ExportProgress { streams_total, ..ExportProgress::default() };
        task.message = Some(task.progress.message());
        task.completed_ms = None;
        let task = self.update_export(task).await?;
        if !task.status.is_active() {
            return Ok(Err(Step::Done(Box::new(task))));
        }
        let from = retention_cut(now_ms, group.retention_days).map_or(task.from_ms, |cut| cut.max(task.from_ms));
        let to = task.to_ms.saturating_add(1);
        Ok(Ok(ExportRun { task, task_dir, group, from_ms: from, to_ms: to, after: None, current: None, settings }))
    }

    /// Runs the active tasks, oldest first, until `shutdown` resolves; looks again when a task is created, and
    /// every `settings.poll`. A task interrupted by shutdown stays RUNNING and is started afresh next time.
    pub async fn run_exports(
        self,
        export_dir: PathBuf,
        settings: ExportSettings,
        clock: impl Fn() -> i64 + Send + Sync + 'static,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) {
        tokio::pin!(shutdown);
        loop {
            match self.drain_exports(&export_dir, settings, &clock, shutdown.as_mut()).await {
                Ok(true) => return,
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "log export runner failed; trying again"),
            }
            tokio::select! {
                () = shutdown.as_mut() => return,
                () = self.exports.wake.notified() => {}
                () = tokio::time::sleep(settings.poll) => {}
            }
        }
    }

    /// Runs active tasks until none is left (false) or `shutdown` resolves (true).
    async fn drain_exports(
        &self,
        export_dir: &Path,
        settings: ExportSettings,
        clock: &(impl Fn() -> i64 + Send + Sync),
        mut shutdown: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
    ) -> Result<bool, LogsError> {
        while let Some(task) = self.next_export().await? {
            tracing::info!(task = %task.task_id, group = %task.log_group_name, "log export starting");
            let mut run = match self.start_export(export_dir, task, settings, clock()).await? {
                Ok(run) => run,
                Err(step) => {
                    log_end(&step);
                    continue;
                }
            };
            loop {
                // Between two chunks: stop here if the server is shutting down.
                tokio::select! {
                    biased;
                    () = shutdown.as_mut() => {
                        run.abandon();
                        return Ok(true);
                    }
                    () = std::future::ready(()) => {}
                }
                let step = run.step(self, clock()).await?;
                if let Step::Done(_) = &step {
                    log_end(&step);
                    break;
                }
            }
        }
        Ok(false)
    }
}

fn log_end(step: &Step) {
    if let Step::Done(task) = step {
        tracing::info!(
            task = %task.task_id,
            status = task.status.as_str(),
            message = task.message.as_deref().unwrap_or(""),
            "log export ended"
        );
    }
}

/// How many streams of a group have names starting with `prefix`.
fn count_streams(store: &skywatch_store::Store, group_id: u64, prefix: &str) -> Result<u64, LogsError> {
    const PAGE: usize = 1_000;
    let mut total = 0u64;
    let mut after: Option<String> = None;
    loop {
        let page =
            store.read_blocking(|r| storage::streams_by_name(r, group_id, prefix, after.as_deref(), false, PAGE))?;
        total += page.len() as u64;
        match page.last() {
            Some(last) if page.len() == PAGE => after = Some(last.name.clone()),
            _ => return Ok(total),
        }
    }
}

/// What one chunk read.
struct Chunk {
    objects: StreamObjects,
    ended: Ended,
    events: u64,
    bytes: u64,
    failure: Option<String>,
}

impl ExportRun {
    /// The task as this run last stored it.
    pub fn task(&self) -> &ExportTask {
        &self.task
    }

    /// Gives the run up unfinished (shutdown): the open object is dropped; the task stays as stored.
    pub fn abandon(mut self) {
        if let Some(current) = self.current.take() {
            current.objects.abandon();
        }
    }

    /// Exports one chunk, or finds the task cancelled, or finishes it.
    pub async fn step(&mut self, logs: &Logs, now_ms: i64) -> Result<Step, LogsError> {
        let (account, region, id) = (self.task.account.clone(), self.task.region.clone(), self.task.task_id.clone());
        let stored = logs.store.read(move |r| task::task(r, (&account, &region), &id)).await?;
        match stored {
            Some(stored) if stored.status.is_active() => {}
            stored => {
                if let Some(current) = self.current.take() {
                    current.objects.abandon();
                }
                return Ok(Step::Done(Box::new(stored.unwrap_or_else(|| self.task.clone()))));
            }
        }
        if self.current.is_none() {
            let (group_id, prefix) = (self.group.id, self.task.log_stream_name_prefix.clone().unwrap_or_default());
            let after = self.after.clone();
            let next = logs
                .store
                .read(move |r| storage::streams_by_name(r, group_id, &prefix, after.as_deref(), false, 1))
                .await?
                .into_iter()
                .next();
            let Some(stream) = next else {
                let mut task = self.task.clone();
                task.status = ExportStatus::Completed;
                task.message = Some("Completed successfully".into());
                task.completed_ms = Some(now_ms);
                self.task = logs.update_export(task).await?;
                return Ok(Step::Done(Box::new(self.task.clone())));
            };
            self.after = Some(stream.name.clone());
            let objects = StreamObjects::new(self.task_dir.join(stream_dir(&stream.name)), self.settings.object_bytes);
            self.current = Some(Current { stream, objects, position: None, doublings: 0 });
        }
        let Some(Current { stream, objects, position, doublings }) = self.current.take() else {
            return Ok(Step::More);
        };
        let chunk = match self.read_chunk(logs, &stream, objects, position, doublings).await {
            Ok(chunk) => chunk,
            Err(error) => return logs.fail_export(self.task.clone(), failed(error), now_ms).await,
        };
        let mut progress = self.task.progress;
        progress.events += chunk.events;
        progress.bytes += chunk.bytes;
        if let Some(problem) = chunk.failure {
            chunk.objects.abandon();
            return logs.fail_export(self.task.clone(), failed(problem), now_ms).await;
        }
        match chunk.ended {
            Ended::Exhausted => {
                let objects = chunk.objects;
                let finished = tokio::task::spawn_blocking(move || objects.finish())
                    .await
                    .map_err(|e| LogsError::Storage(e.to_string()))?;
                if let Err(error) = finished {
                    return logs.fail_export(self.task.clone(), failed(error), now_ms).await;
                }
                progress.streams_done += 1;
                // A stream created since the count still gets exported (its name comes after the last one done).
                progress.streams_total = progress.streams_total.max(progress.streams_done);
            }
            Ended::Stopped(key) | Ended::OutOfBudget(Some(key)) => {
                self.current = Some(Current { stream, objects: chunk.objects, position: Some(key), doublings: 0 });
            }
            Ended::OutOfBudget(None) => {
                // Blocks ahead of the position held nothing to export within the budget: read further next time.
                if doublings >= MAX_BUDGET_DOUBLINGS {
                    chunk.objects.abandon();
                    let message =
                        failed(format!("log stream {} could not be read within the scan budget", stream.name));
                    return logs.fail_export(self.task.clone(), message, now_ms).await;
                }
                self.current = Some(Current { stream, objects: chunk.objects, position, doublings: doublings + 1 });
            }
        }
        let mut task = self.task.clone();
        task.progress = progress;
        task.message = Some(progress.message());
        self.task = logs.update_export(task).await?;
        if !self.task.status.is_active() {
            if let Some(current) = self.current.take() {
                current.objects.abandon();
            }
            return Ok(Step::Done(Box::new(self.task.clone())));
        }
        Ok(Step::More)
    }

    /// Reads the next chunk of `stream` after `position` and appends it to its objects, off the async runtime (the
    /// objects travel into the blocking task and back; a read that fails drops the unfinished one).
    async fn read_chunk(
        &self,
        logs: &Logs,
        stream: &LogStream,
        mut objects: StreamObjects,
        position: Option<EventKey>,
        doublings: u32,
    ) -> Result<Chunk, LogsError> {
        let (store, keys) = (logs.store.clone(), logs.keys.clone());
        let (group_id, stream_id, max_span_ms) = (self.group.id, stream.id, self.group.max_span_ms);
        let (from_ms, to_ms) = (self.from_ms, self.to_ms);
        let limit = self.settings.chunk_events;
        let budget = self.settings.chunk_budget_bytes.saturating_mul(1 << doublings);
        tokio::task::spawn_blocking(move || {
            let scan = Scan {
                group_id,
                stream_id: Some(stream_id),
                from_ms,
                to_ms,
                position,
                direction: Direction::Forward,
                max_span_ms,
                streams: None,
                budget_bytes: budget,
            };
            let (mut events, mut bytes, mut failure) = (0u64, 0u64, None);
            let ended = store.read_blocking(|r| {
                Ok(scan_events(r, &keys, &scan, |found| {
                    let text = line(found.key.timestamp_ms, found.message);
                    if let Err(error) = objects.push(&text) {
                        failure = Some(error.to_string());
                        return ControlFlow::Break(());
                    }
                    events += 1;
                    bytes += text.len() as u64;
                    if events as usize >= limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
                }))
            });
            match ended {
                Ok(Ok(ended)) => Ok(Chunk { objects, ended, events, bytes, failure }),
                Ok(Err(error)) => {
                    objects.abandon();
                    Err(error)
                }
                Err(error) => {
                    objects.abandon();
                    Err(error.into())
                }
            }
        })
        .await
        .map_err(|e| LogsError::Storage(e.to_string()))?
    }
}
