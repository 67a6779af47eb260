//! Export tasks: CreateExportTask, DescribeExportTasks and CancelExportTask. The export itself runs in the
//! background ([`crate::export::runner`]); these calls record, list and cancel tasks.

use serde::Serialize;
use skywatch_ops::{Access, Context, Effect, Limit, Operation, Spec, token};

use super::streams::check_stream_name;
use super::{check_group_name, existing_group, group_resource, read, spec};
use crate::export::path::{MAX_PREFIX_BYTES, prefix_problem, valid_bucket};
use crate::export::task::{self, ExportChange, ExportProgress, ExportStatus, ExportTask};
use crate::{Logs, LogsError};

/// Tasks a page of DescribeExportTasks at most (and by default).
pub const PAGE: usize = 50;
/// Tasks one DescribeExportTasks call reads at most while filtering by status.
pub const SCAN_TASKS: usize = 10_000;
const TOKEN_KIND: &str = "logs-export-tasks";

fn check_length(member: &str, value: &str, max: usize) -> Result<(), LogsError> {
    let len = value.chars().count();
    if len == 0 || len > max {
        return Err(LogsError::constraint(
            member,
            value,
            &format!("Member must have length less than or equal to {max} and greater than or equal to 1"),
        ));
    }
    Ok(())
}

/// CreateExportTask's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateExportTaskInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_name: Option<String>,
    pub log_group_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_stream_name_prefix: Option<String>,
    pub from: i64,
    pub to: i64,
    pub destination: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination_prefix: Option<String>,
}

/// CreateExportTask's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateExportTaskOutput {
    pub task_id: String,
}

/// CreateExportTask: records a PENDING task and wakes the runner.
pub struct CreateExportTask;

impl Operation for CreateExportTask {
    const SPEC: Spec = spec("CreateExportTask", Access::Write).with_limits(&[
        Limit::aws("active (PENDING or RUNNING) export tasks an account", 1),
        Limit::aws("taskName characters", 512),
        Limit::aws("logGroupName characters", 512),
        Limit::aws("logStreamNamePrefix characters", 512),
        Limit::aws("destination characters", 512),
        Limit::aws("destinationPrefix bytes", MAX_PREFIX_BYTES as u64),
    ]);
    type Engine = Logs;
    type Input = CreateExportTaskInput;
    type Output = CreateExportTaskOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: CreateExportTaskInput,
    ) -> Result<Effect<CreateExportTaskOutput, LogsError>, LogsError> {
        if let Some(name) = &input.task_name {
            check_length("taskName", name, 512)?;
        }
        check_group_name("logGroupName", &input.log_group_name)?;
        if let Some(prefix) = &input.log_stream_name_prefix {
            check_stream_name("logStreamNamePrefix", prefix)?;
        }
        check_length("destination", &input.destination, 512)?;
        if input.from < 0 || input.to < 0 || input.from >= input.to {
            return Err(LogsError::InvalidParameter(format!(
                "Specified time range of '{}' and '{}' is not valid. Please make sure the values are non-negative and \
                 the start time is before the end time.",
                input.from, input.to
            )));
        }
        if let Some(prefix) = &input.destination_prefix
            && let Some(problem) = prefix_problem(prefix)
        {
            return Err(LogsError::InvalidParameter(format!("The destinationPrefix {problem}.")));
        }
        if !valid_bucket(&input.destination) {
            return Err(LogsError::InvalidParameter(
                "The given bucket does not exist. Please make sure the bucket is valid.".into(),
            ));
        }
        let limit_exceeded = || LogsError::LimitExceeded("Resource limit exceeded.".into());
        // Held until the task is committed, so a second call of the account sees it (or this reservation).
        let reservation = logs.exports.reserve(&ctx.account).ok_or_else(limit_exceeded)?;
        let (c, group) = (ctx.clone(), input.log_group_name.clone());
        let active = read(logs, move |r| {
            existing_group(r, &c, &group)?;
            Ok(task::active_of(r, &c.account)?)
        })
        .await?;
        if active.is_some() {
            return Err(limit_exceeded());
        }
        let task = ExportTask {
            task_id: uuid::Uuid::new_v4().to_string(),
            task_name: input.task_name,
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            log_group_name: input.log_group_name.clone(),
            log_stream_name_prefix: input.log_stream_name_prefix,
            from_ms: input.from,
            to_ms: input.to,
            destination: input.destination,
            destination_prefix: input.destination_prefix,
            status: ExportStatus::Pending,
            message: Some("Pending".into()),
            created_ms: ctx.now_ms,
            completed_ms: None,
            progress: ExportProgress::default(),
        };
        let output = CreateExportTaskOutput { task_id: task.task_id.clone() };
        let exports = logs.exports.clone();
        Ok(Effect::commit(output, vec![ExportChange::Create(Box::new(task)).mutation()])
            .with_resources(vec![group_resource(ctx, &input.log_group_name)])
            .then(move || {
                drop(reservation);
                exports.wake();
            }))
    }
}

/// DescribeExportTasks' input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DescribeExportTasksInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

/// DescribeExportTasks' output: the tasks (with their progress counters), newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DescribeExportTasksOutput {
    pub tasks: Vec<ExportTask>,
    pub next_token: Option<String>,
}

/// DescribeExportTasks: one task by id, or the account's tasks in the region, newest first, maybe of one status.
pub struct DescribeExportTasks;

impl Operation for DescribeExportTasks {
    const SPEC: Spec = spec("DescribeExportTasks", Access::Read).with_limits(&[
        Limit::aws("limit", PAGE as u64),
        Limit::aws("taskId characters", 512),
        Limit::own("export tasks read a call", SCAN_TASKS as u64),
    ]);
    type Engine = Logs;
    type Input = DescribeExportTasksInput;
    type Output = DescribeExportTasksOutput;
    type Error = LogsError;

    async fn run(
        logs: &Logs,
        ctx: &Context,
        input: DescribeExportTasksInput,
    ) -> Result<Effect<DescribeExportTasksOutput, LogsError>, LogsError> {
        let limit = match input.limit {
            None => PAGE,
            Some(n @ 1..=50) => n as usize,
            Some(n) => {
                let bound = if n < 1 { "greater than or equal to 1" } else { "less than or equal to 50" };
                return Err(LogsError::constraint("limit", &n.to_string(), &format!("Member must have value {bound}")));
            }
        };
        let status = match &input.status_code {
            None => None,
            Some(code) => Some(ExportStatus::parse(code).ok_or_else(|| {
                LogsError::constraint(
                    "statusCode",
                    code,
                    "Member must satisfy enum value set: [CANCELLED, COMPLETED, FAILED, PENDING, PENDING_CANCEL, RUNNING]",
                )
            })?),
        };
        if let Some(id) = &input.task_id {
            check_length("taskId", id, 512)?;
        }
        let bad_token = || LogsError::InvalidParameter("The specified nextToken is invalid.".into());
        let before = match &input.next_token {
            None => None,
            Some(text) => {
                let cursor = token::decode(TOKEN_KIND, text).ok_or_else(bad_token)?;
                let (created, id) = cursor.split_once('\n').ok_or_else(bad_token)?;
                Some((created.parse::<i64>().map_err(|_| bad_token())?, id.to_owned()))
            }
        };
        let (account, region) = (ctx.account.clone(), ctx.region.clone());
        let keep = move |t: &ExportTask| status.is_none_or(|s| t.status == s);
        let (tasks, stopped) = read(logs, move |r| {
            let owner = (account.as_str(), region.as_str());
            Ok(match &input.task_id {
                // An unknown id is an empty list (DescribeExportTasks has no not-found error).
                Some(id) => (task::task(r, owner, id)?.into_iter().filter(|t| keep(t)).collect(), None),
                None => task::tasks(r, owner, before.as_ref(), limit, SCAN_TASKS, keep)?,
            })
        })
        .await?;
        let next_token = stopped.map(|(created, id)| token::encode(TOKEN_KIND, &format!("{created}\n{id}")));
        Ok(Effect::reply(DescribeExportTasksOutput { tasks, next_token }))
    }
}

/// CancelExportTask's input.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelExportTaskInput {
    pub task_id: String,
}

/// CancelExportTask: a PENDING or RUNNING task becomes CANCELLED (a running export stops after its chunk).
pub struct CancelExportTask;

impl Operation for CancelExportTask {
    const SPEC: Spec = spec("CancelExportTask", Access::Write).with_limits(&[Limit::aws("taskId characters", 512)]);
    type Engine = Logs;
    type Input = CancelExportTaskInput;
    type Output = ();
    type Error = LogsError;

    async fn run(logs: &Logs, ctx: &Context, input: CancelExportTaskInput) -> Result<Effect<(), LogsError>, LogsError> {
        check_length("taskId", &input.task_id, 512)?;
        let (account, region, id) = (ctx.account.clone(), ctx.region.clone(), input.task_id.clone());
        let found = read(logs, move |r| Ok(task::task(r, (&account, &region), &id)?)).await?;
        let task = found.ok_or_else(|| LogsError::NotFound("The specified export task does not exist.".into()))?;
        if !task.status.is_active() {
            return Err(LogsError::InvalidOperation("The specified export task has already finished".into()));
        }
        let change = ExportChange::Cancel {
            account: ctx.account.clone(),
            region: ctx.region.clone(),
            task_id: input.task_id,
            now_ms: ctx.now_ms,
        };
        Ok(Effect::commit((), vec![change.mutation()]).with_resources(vec![group_resource(ctx, &task.log_group_name)]))
    }
}
