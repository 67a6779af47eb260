//! CloudWatch Logs export tasks for the console: the list with each task's progress (`DescribeExportTasks`, by
//! status, paged with its tokens), creating one (`CreateExportTask`), cancelling one (`CancelExportTask`), and the
//! log groups the form offers (`DescribeLogGroups`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The status codes a task may have (`ExportTaskStatusCode`; a test keeps it equal to the engine's), as the
/// status filter offers them.
pub const EXPORT_STATUSES: [&str; 6] = ["PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "PENDING_CANCEL"];

/// The object prefix CreateExportTask uses when none is given.
pub const DEFAULT_EXPORT_PREFIX: &str = "exportedlogs";

/// One export task, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExportTaskView {
    pub task_id: String,
    pub task_name: Option<String>,
    pub log_group_name: String,
    pub stream_prefix: Option<String>,
    /// Events with `from_ms <= timestamp <= to_ms` are exported.
    pub from_ms: i64,
    pub to_ms: i64,
    /// The bucket.
    pub destination: String,
    /// The object prefix (the default when the task named none).
    pub destination_prefix: String,
    /// `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED` or `PENDING_CANCEL`.
    pub status: String,
    pub message: Option<String>,
    pub created_ms: i64,
    pub completed_ms: Option<i64>,
    pub streams_done: u64,
    pub streams_total: u64,
    /// Events and bytes (of lines, before compression) written so far.
    pub events: u64,
    pub bytes: u64,
}

impl ExportTaskView {
    /// PENDING, RUNNING or PENDING_CANCEL: it may still move, and it may be cancelled.
    pub fn is_active(&self) -> bool {
        matches!(self.status.as_str(), "PENDING" | "RUNNING" | "PENDING_CANCEL")
    }

    /// How far it has come, in per cent of its streams: a completed task is whole (also with no stream to
    /// export), one not yet counting its streams is at nothing.
    pub fn percent(&self) -> u32 {
        if self.status == "COMPLETED" {
            return 100;
        }
        if self.streams_total == 0 {
            return 0;
        }
        let done = self.streams_done.min(self.streams_total);
        (done.saturating_mul(100) / self.streams_total) as u32
    }

    /// Where its objects go: `s3://bucket/prefix`.
    pub fn destination_url(&self) -> String {
        format!("s3://{}/{}", self.destination, self.destination_prefix)
    }
}

/// A page of export tasks, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExportTaskList {
    pub tasks: Vec<ExportTaskView>,
    /// DescribeExportTasks' `nextToken`: older tasks.
    pub next_token: Option<String>,
}

/// What "Create export task" asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NewExportTask {
    /// Empty: none.
    pub task_name: String,
    pub log_group_name: String,
    /// Empty: every stream.
    pub stream_prefix: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub bucket: String,
    /// Empty: the default (`exportedlogs`).
    pub prefix: String,
}

/// The log groups the form offers, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ExportGroupChoices {
    pub names: Vec<String>,
    /// More groups exist than are listed.
    pub more: bool,
}

/// One page of the account's export tasks in the region, newest first, of one status when `status` is not empty.
#[server(endpoint = "logs_export_tasks", input = leptos::server_fn::codec::Json)]
pub async fn logs_export_tasks(
    region: String,
    account: Option<String>,
    status: String,
    token: Option<String>,
) -> Result<ExportTaskList, ServerFnError> {
    server::list(region, account, status, token).await
}

/// CreateExportTask; returns the new task's id.
#[server(endpoint = "logs_export_task_create", input = leptos::server_fn::codec::Json)]
pub async fn logs_export_task_create(
    region: String,
    account: Option<String>,
    task: NewExportTask,
) -> Result<String, ServerFnError> {
    server::create(region, account, task).await
}

/// CancelExportTask.
#[server(endpoint = "logs_export_task_cancel", input = leptos::server_fn::codec::Json)]
pub async fn logs_export_task_cancel(
    region: String,
    account: Option<String>,
    task_id: String,
) -> Result<(), ServerFnError> {
    server::cancel(region, account, task_id).await
}

/// The account's log groups in the region, for the form's select (the first 500).
#[server(endpoint = "logs_export_groups", input = leptos::server_fn::codec::Json)]
pub async fn logs_export_groups(region: String, account: Option<String>) -> Result<ExportGroupChoices, ServerFnError> {
    server::groups(region, account).await
}

#[cfg(feature = "ssr")]
mod server {
    use leptos::prelude::*;
    use skywatch_core::logs::export::ExportTask;
    use skywatch_core::logs::ops::{
        CancelExportTask, CancelExportTaskInput, CreateExportTask, CreateExportTaskInput, DescribeExportTasks,
        DescribeExportTasksInput, DescribeLogGroups, DescribeLogGroupsInput,
    };

    use super::{DEFAULT_EXPORT_PREFIX, ExportGroupChoices, ExportTaskList, ExportTaskView, NewExportTask};
    use crate::api::ssr;

    /// Pages of DescribeLogGroups the form's select reads (50 groups a page).
    const GROUP_PAGES: usize = 10;

    fn view(task: ExportTask) -> ExportTaskView {
        let ExportTask {
            task_id,
            task_name,
            log_group_name,
            log_stream_name_prefix,
            from_ms,
            to_ms,
            destination,
            destination_prefix,
            status,
            message,
            created_ms,
            completed_ms,
            progress,
            ..
        } = task;
        ExportTaskView {
            task_id,
            task_name,
            log_group_name,
            stream_prefix: log_stream_name_prefix,
            from_ms,
            to_ms,
            destination,
            destination_prefix: destination_prefix.unwrap_or_else(|| DEFAULT_EXPORT_PREFIX.to_owned()),
            status: status.as_str().to_owned(),
            message,
            created_ms,
            completed_ms,
            streams_done: progress.streams_done,
            streams_total: progress.streams_total,
            events: progress.events,
            bytes: progress.bytes,
        }
    }

    fn some(text: String) -> Option<String> {
        let text = text.trim().to_owned();
        (!text.is_empty()).then_some(text)
    }

    pub async fn list(
        region: String,
        account: Option<String>,
        status: String,
        token: Option<String>,
    ) -> Result<ExportTaskList, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let input = DescribeExportTasksInput {
            status_code: some(status),
            next_token: token.and_then(some),
            ..Default::default()
        };
        let output = services.invoke::<DescribeExportTasks>(&ctx, input).await.map_err(ssr::failed)?;
        Ok(ExportTaskList { tasks: output.tasks.into_iter().map(view).collect(), next_token: output.next_token })
    }

    pub async fn create(region: String, account: Option<String>, task: NewExportTask) -> Result<String, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let input = CreateExportTaskInput {
            task_name: some(task.task_name),
            log_group_name: task.log_group_name,
            log_stream_name_prefix: some(task.stream_prefix),
            from: task.from_ms,
            to: task.to_ms,
            destination: task.bucket.trim().to_owned(),
            destination_prefix: some(task.prefix),
        };
        let output = services.invoke::<CreateExportTask>(&ctx, input).await.map_err(ssr::failed)?;
        Ok(output.task_id)
    }

    pub async fn cancel(region: String, account: Option<String>, task_id: String) -> Result<(), ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        services.invoke::<CancelExportTask>(&ctx, CancelExportTaskInput { task_id }).await.map_err(ssr::failed)
    }

    pub async fn groups(region: String, account: Option<String>) -> Result<ExportGroupChoices, ServerFnError> {
        let (services, ctx) = ssr::context(&region, account.as_deref()).await?;
        let mut found = ExportGroupChoices::default();
        let mut next_token = None;
        for page_number in 0..GROUP_PAGES {
            let input = DescribeLogGroupsInput { next_token, ..Default::default() };
            let page = services.invoke::<DescribeLogGroups>(&ctx, input).await.map_err(ssr::failed)?;
            found.names.extend(page.groups.into_iter().map(|row| row.group.name));
            next_token = page.next_token;
            if next_token.is_none() {
                break;
            }
            found.more = page_number + 1 == GROUP_PAGES;
        }
        Ok(found)
    }

    #[cfg(test)]
    mod tests {
        use skywatch_core::logs::export::ExportStatus;

        #[test]
        fn the_console_knows_the_engines_statuses_and_default_prefix() {
            for status in ExportStatus::ALL {
                assert!(super::super::EXPORT_STATUSES.contains(&status.as_str()), "{}", status.as_str());
                let shown = super::super::ExportTaskView { status: status.as_str().into(), ..Default::default() };
                assert_eq!(shown.is_active(), status.is_active(), "{}", status.as_str());
            }
            assert_eq!(super::super::EXPORT_STATUSES.len(), ExportStatus::ALL.len());
            assert_eq!(super::super::DEFAULT_EXPORT_PREFIX, skywatch_core::logs::export::task::DEFAULT_PREFIX);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_a_share_of_the_streams_and_whole_once_completed() {
        let task = |status: &str, done, total| ExportTaskView {
            status: status.into(),
            streams_done: done,
            streams_total: total,
            ..Default::default()
        };
        let cases = [
            (task("PENDING", 0, 0), 0),
            (task("RUNNING", 0, 0), 0),
            (task("RUNNING", 1, 3), 33),
            (task("RUNNING", 3, 3), 100),
            (task("RUNNING", 5, 3), 100),
            (task("COMPLETED", 0, 0), 100),
            (task("COMPLETED", 2, 2), 100),
            (task("CANCELLED", 1, 4), 25),
            (task("FAILED", 0, 4), 0),
        ];
        for (task, percent) in cases {
            assert_eq!(task.percent(), percent, "{task:?}");
        }
        let task = ExportTaskView {
            destination: "logs-bucket".into(),
            destination_prefix: "app/x".into(),
            ..task("PENDING", 0, 0)
        };
        assert_eq!(task.destination_url(), "s3://logs-bucket/app/x");
        assert!(task.is_active());
    }
}
