//! Export tasks as stored: the task record (what to export, its status, its progress), its three tables
//! (`logs_export_tasks_v1` by account, region and creation time, `logs_export_task_ids_v1` from a task id to its
//! creation time, `logs_export_active_v1` the PENDING and RUNNING tasks in creation order, which the runner works
//! through), and [`ExportChange`], whose updates only ever move a task that is still active, so a cancel committed
//! while the runner works is never overwritten by its progress.

use std::ops::ControlFlow;

use serde::{Deserialize, Serialize};
use skywatch_store::{Change, Direction, Key, KeyReader, Mutation, ReadError, Reader, Table, Tx, WriteError};

/// (account, region, creation ms, task id) -> [`ExportTask`] (JSON).
pub const EXPORT_TASKS: Table = Table::new("logs_export_tasks_v1");
/// (account, region, task id) -> creation ms (8 bytes, big-endian).
pub const EXPORT_TASK_IDS: Table = Table::new("logs_export_task_ids_v1");
/// (creation ms, account, region, task id) -> (): the tasks still PENDING or RUNNING.
pub const EXPORT_ACTIVE: Table = Table::new("logs_export_active_v1");

/// The prefix of exported objects when CreateExportTask names none.
pub const DEFAULT_PREFIX: &str = "exportedlogs";

/// An export task's status code (`ExportTaskStatusCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExportStatus {
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    /// In the model; Skywatch cancels at once, so no task is ever in it.
    PendingCancel,
}

impl ExportStatus {
    pub const ALL: [ExportStatus; 6] = [
        ExportStatus::Cancelled,
        ExportStatus::Completed,
        ExportStatus::Failed,
        ExportStatus::Pending,
        ExportStatus::PendingCancel,
        ExportStatus::Running,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportStatus::Pending => "PENDING",
            ExportStatus::Running => "RUNNING",
            ExportStatus::Completed => "COMPLETED",
            ExportStatus::Failed => "FAILED",
            ExportStatus::Cancelled => "CANCELLED",
            ExportStatus::PendingCancel => "PENDING_CANCEL",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// PENDING or RUNNING (what AWS counts against the one active task an account may have).
    pub fn is_active(self) -> bool {
        matches!(self, ExportStatus::Pending | ExportStatus::Running | ExportStatus::PendingCancel)
    }
}

/// How far an export has come (zero until it runs; kept when it ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    /// Streams written to the end of the range.
    pub streams_done: u64,
    /// Streams the task exports (those matching its prefix when it started running).
    pub streams_total: u64,
    /// Events written.
    pub events: u64,
    /// Bytes of lines written, before compression.
    pub bytes: u64,
}

impl ExportProgress {
    /// The status message of a running task, e.g. "Exported 3 of 10 log streams (12,345 events)".
    pub fn message(&self) -> String {
        format!(
            "Exported {} of {} log streams ({} events)",
            self.streams_done,
            self.streams_total,
            thousands(self.events)
        )
    }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One export task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportTask {
    pub task_id: String,
    pub task_name: Option<String>,
    pub account: String,
    pub region: String,
    pub log_group_name: String,
    pub log_stream_name_prefix: Option<String>,
    /// Events with `from_ms <= timestamp <= to_ms` are exported.
    pub from_ms: i64,
    pub to_ms: i64,
    /// The bucket (a directory under the export dir).
    pub destination: String,
    /// The prefix as the call gave it (AWS writes its permission check object under it, or at the bucket's top).
    pub destination_prefix: Option<String>,
    pub status: ExportStatus,
    pub message: Option<String>,
    pub created_ms: i64,
    pub completed_ms: Option<i64>,
    #[serde(default)]
    pub progress: ExportProgress,
}

impl ExportTask {
    /// The prefix of every exported object (`exportedlogs` when the call gave none).
    pub fn prefix(&self) -> &str {
        self.destination_prefix.as_deref().unwrap_or(DEFAULT_PREFIX)
    }
}

fn task_key(account: &str, region: &str, created_ms: i64, task_id: &str) -> Key {
    Key::new().str(account).str(region).i64(created_ms).str(task_id)
}

fn id_key(account: &str, region: &str, task_id: &str) -> Key {
    Key::new().str(account).str(region).str(task_id)
}

fn active_key(task: &ExportTask) -> Key {
    Key::new().i64(task.created_ms).str(&task.account).str(&task.region).str(&task.task_id)
}

fn json(task: &ExportTask) -> Result<Vec<u8>, WriteError> {
    serde_json::to_vec(task).map_err(|e| WriteError::Storage(e.to_string()))
}

fn decode(bytes: &[u8]) -> Result<ExportTask, ReadError> {
    serde_json::from_slice(bytes).map_err(|_| ReadError::Corrupt("export task".into()))
}

/// A change to the export tables.
#[derive(Debug, Clone)]
pub enum ExportChange {
    /// Stores a new (PENDING) task.
    Create(Box<ExportTask>),
    /// Replaces a task's record (status, progress), if the stored task is still active; a task that ends leaves
    /// the active list.
    Update(Box<ExportTask>),
    /// Cancels a task, if it is still active.
    Cancel { account: String, region: String, task_id: String, now_ms: i64 },
}

impl ExportChange {
    pub fn mutation(self) -> Mutation {
        Mutation::new(self)
    }
}

fn stored(tx: &mut Tx<'_>, account: &str, region: &str, task_id: &str) -> Result<Option<ExportTask>, WriteError> {
    let Some(created) = tx.get(EXPORT_TASK_IDS, id_key(account, region, task_id).as_bytes())? else {
        return Ok(None);
    };
    let Ok(created) = <[u8; 8]>::try_from(created.as_slice()) else { return Ok(None) };
    let key = task_key(account, region, i64::from_be_bytes(created), task_id);
    Ok(tx.get(EXPORT_TASKS, key.as_bytes())?.and_then(|bytes| decode(&bytes).ok()))
}

fn put(tx: &mut Tx<'_>, task: &ExportTask) -> Result<(), WriteError> {
    let key = task_key(&task.account, &task.region, task.created_ms, &task.task_id);
    tx.put(EXPORT_TASKS, key.as_bytes(), &json(task)?)?;
    if task.status.is_active() {
        tx.put(EXPORT_ACTIVE, active_key(task).as_bytes(), &[])
    } else {
        tx.remove(EXPORT_ACTIVE, active_key(task).as_bytes())
    }
}

impl Change for ExportChange {
    fn apply(&self, tx: &mut Tx<'_>) -> Result<(), WriteError> {
        match self {
            ExportChange::Create(task) => {
                let id = id_key(&task.account, &task.region, &task.task_id);
                tx.put(EXPORT_TASK_IDS, id.as_bytes(), &task.created_ms.to_be_bytes())?;
                put(tx, task)
            }
            ExportChange::Update(task) => {
                match stored(tx, &task.account, &task.region, &task.task_id)? {
                    Some(current) if current.status.is_active() && current.created_ms == task.created_ms => {
                        put(tx, task)
                    }
                    // Cancelled (or gone) meanwhile: the runner's news is stale.
                    _ => Ok(()),
                }
            }
            ExportChange::Cancel { account, region, task_id, now_ms } => {
                let Some(mut task) = stored(tx, account, region, task_id)? else { return Ok(()) };
                if !task.status.is_active() {
                    return Ok(());
                }
                task.status = ExportStatus::Cancelled;
                task.message = Some("Cancelled by user".into());
                task.completed_ms = Some(*now_ms);
                put(tx, &task)
            }
        }
    }
}

/// Task `task_id` of `account` and `region`.
pub fn task(reader: &Reader, (account, region): (&str, &str), task_id: &str) -> Result<Option<ExportTask>, ReadError> {
    let Some(created) = reader.get(EXPORT_TASK_IDS, id_key(account, region, task_id).as_bytes())? else {
        return Ok(None);
    };
    let created = <[u8; 8]>::try_from(created.as_slice()).map_err(|_| ReadError::Corrupt("export task id".into()))?;
    let key = task_key(account, region, i64::from_be_bytes(created), task_id);
    reader.get(EXPORT_TASKS, key.as_bytes())?.map(|bytes| decode(&bytes)).transpose()
}

/// Where a listing of tasks (newest first) resumes: strictly before this (creation ms, task id).
pub type TaskPosition = (i64, String);

/// A page of an account's tasks in a region, newest first, strictly before `before`: those `keep` accepts, up to
/// `limit`, visiting at most `budget` tasks. Also says where the listing stopped when more may follow: after the
/// last task returned (a full page) or the last task visited (the budget ran out).
pub fn tasks(
    reader: &Reader,
    (account, region): (&str, &str),
    before: Option<&TaskPosition>,
    limit: usize,
    budget: usize,
    mut keep: impl FnMut(&ExportTask) -> bool,
) -> Result<(Vec<ExportTask>, Option<TaskPosition>), ReadError> {
    let base = Key::new().str(account).str(region);
    let end = match before {
        Some((created, id)) => Some(task_key(account, region, *created, id).into_bytes()),
        None => base.prefix_end(),
    };
    let mut out = Vec::new();
    let mut visited = 0usize;
    let mut stopped = None;
    let mut failed = None;
    reader.scan(EXPORT_TASKS, (Some(base.as_bytes()), end.as_deref()), Direction::Backward, |_, value| {
        if out.len() >= limit {
            stopped = out.last().map(|t: &ExportTask| (t.created_ms, t.task_id.clone()));
            return ControlFlow::Break(());
        }
        visited += 1;
        match decode(value) {
            Ok(task) => {
                let position = (task.created_ms, task.task_id.clone());
                if keep(&task) {
                    out.push(task);
                }
                if visited >= budget {
                    stopped = Some(position);
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            }
            Err(error) => {
                failed = Some(error);
                ControlFlow::Break(())
            }
        }
    })?;
    if let Some(error) = failed {
        return Err(error);
    }
    Ok((out, stopped))
}

/// The active tasks of every account, oldest first, up to `limit`.
pub fn active(reader: &Reader, limit: usize) -> Result<Vec<ExportTask>, ReadError> {
    let mut ids = Vec::new();
    reader.scan(EXPORT_ACTIVE, (None, None), Direction::Forward, |key, _| {
        if ids.len() >= limit {
            return ControlFlow::Break(());
        }
        let mut key = KeyReader::new(key);
        if let (Some(_), Some(account), Some(region), Some(id)) = (key.i64(), key.str(), key.str(), key.str()) {
            ids.push((account, region, id));
        }
        ControlFlow::Continue(())
    })?;
    let mut out = Vec::with_capacity(ids.len());
    for (account, region, id) in ids {
        if let Some(task) = task(reader, (&account, &region), &id)? {
            out.push(task);
        }
    }
    Ok(out)
}

/// The active task of `account` in any region, if it has one.
pub fn active_of(reader: &Reader, account: &str) -> Result<Option<ExportTask>, ReadError> {
    // Every account has at most one active task, so the list is as long as the accounts exporting right now.
    let mut found = None;
    let mut failed = None;
    reader.scan(EXPORT_ACTIVE, (None, None), Direction::Forward, |key, _| {
        let mut key = KeyReader::new(key);
        if let (Some(_), Some(owner), Some(region), Some(id)) = (key.i64(), key.str(), key.str(), key.str())
            && owner == account
        {
            match task(reader, (&owner, &region), &id) {
                Ok(task) => found = task,
                Err(error) => failed = Some(error),
            }
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    })?;
    failed.map_or(Ok(found), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_a_sentence_with_grouped_digits() {
        let cases = [(0, "0"), (999, "999"), (1_000, "1,000"), (12_345, "12,345"), (1_234_567, "1,234,567")];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
        let progress = ExportProgress { streams_done: 3, streams_total: 10, events: 12_345, bytes: 1 };
        assert_eq!(progress.message(), "Exported 3 of 10 log streams (12,345 events)");
    }

    #[test]
    fn status_codes_round_trip_and_only_pending_and_running_are_active() {
        for status in ExportStatus::ALL {
            assert_eq!(ExportStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
        assert_eq!(ExportStatus::parse("DONE"), None);
        let active: Vec<_> = ExportStatus::ALL.into_iter().filter(|s| s.is_active()).collect();
        assert_eq!(active, [ExportStatus::Pending, ExportStatus::PendingCancel, ExportStatus::Running]);
    }
}
