//! Export tasks on the wire: CreateExportTask (`from` and `to` as botocore sends them; boto3 names them
//! `fromTime` and `to`), DescribeExportTasks' `ExportTask` shapes, CancelExportTask.

use serde_json::{Map, Value, json};
use skywatch_core::logs::export::ExportTask;
use skywatch_core::logs::ops::{
    CancelExportTask, CancelExportTaskInput, CreateExportTask, CreateExportTaskInput, CreateExportTaskOutput,
    DescribeExportTasks, DescribeExportTasksInput, DescribeExportTasksOutput,
};
use skywatch_core::ops::Context;

use super::{i64_opt, missing, string_opt, string_required};
use crate::errors::ApiError;
use crate::registry::Wire;

impl Wire for CreateExportTask {
    fn decode(_ctx: &Context, params: &Value) -> Result<CreateExportTaskInput, ApiError> {
        Ok(CreateExportTaskInput {
            task_name: string_opt(params, "taskName")?,
            log_group_name: string_required(params, "logGroupName")?,
            log_stream_name_prefix: string_opt(params, "logStreamNamePrefix")?,
            from: i64_opt(params, "from")?.ok_or_else(|| missing("from"))?,
            to: i64_opt(params, "to")?.ok_or_else(|| missing("to"))?,
            destination: string_required(params, "destination")?,
            destination_prefix: string_opt(params, "destinationPrefix")?,
        })
    }

    fn encode(output: CreateExportTaskOutput) -> Value {
        json!({ "taskId": output.task_id })
    }
}

/// An `ExportTask`.
fn task_shape(task: &ExportTask) -> Value {
    let mut out = Map::new();
    out.insert("taskId".into(), json!(task.task_id));
    if let Some(name) = &task.task_name {
        out.insert("taskName".into(), json!(name));
    }
    out.insert("logGroupName".into(), json!(task.log_group_name));
    out.insert("from".into(), json!(task.from_ms));
    out.insert("to".into(), json!(task.to_ms));
    out.insert("destination".into(), json!(task.destination));
    out.insert("destinationPrefix".into(), json!(task.prefix()));
    let mut status = Map::new();
    status.insert("code".into(), json!(task.status.as_str()));
    if let Some(message) = &task.message {
        status.insert("message".into(), json!(message));
    }
    out.insert("status".into(), Value::Object(status));
    let mut execution = Map::new();
    execution.insert("creationTime".into(), json!(task.created_ms));
    if let Some(done) = task.completed_ms {
        execution.insert("completionTime".into(), json!(done));
    }
    out.insert("executionInfo".into(), Value::Object(execution));
    Value::Object(out)
}

impl Wire for DescribeExportTasks {
    fn decode(_ctx: &Context, params: &Value) -> Result<DescribeExportTasksInput, ApiError> {
        Ok(DescribeExportTasksInput {
            task_id: string_opt(params, "taskId")?,
            status_code: string_opt(params, "statusCode")?,
            next_token: string_opt(params, "nextToken")?,
            limit: i64_opt(params, "limit")?,
        })
    }

    fn encode(output: DescribeExportTasksOutput) -> Value {
        let mut out = json!({ "exportTasks": output.tasks.iter().map(task_shape).collect::<Vec<_>>() });
        if let Some(token) = output.next_token {
            out["nextToken"] = json!(token);
        }
        out
    }
}

impl Wire for CancelExportTask {
    fn decode(_ctx: &Context, params: &Value) -> Result<CancelExportTaskInput, ApiError> {
        Ok(CancelExportTaskInput { task_id: string_required(params, "taskId")? })
    }

    fn encode((): ()) -> Value {
        json!({})
    }
}

#[cfg(test)]
mod tests {
    use skywatch_core::logs::export::{ExportProgress, ExportStatus};

    use super::*;

    fn task(status: ExportStatus, name: Option<&str>, prefix: Option<&str>, completed: Option<i64>) -> ExportTask {
        ExportTask {
            task_id: "t-1".into(),
            task_name: name.map(Into::into),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            log_group_name: "/app".into(),
            log_stream_name_prefix: Some("web".into()),
            from_ms: 1,
            to_ms: 2,
            destination: "bucket".into(),
            destination_prefix: prefix.map(Into::into),
            status,
            message: Some("Completed successfully".into()),
            created_ms: 10,
            completed_ms: completed,
            progress: ExportProgress { streams_done: 1, streams_total: 1, events: 5, bytes: 99 },
        }
    }

    #[test]
    fn tasks_take_the_model_shape() {
        let cases = [
            (
                task(ExportStatus::Completed, Some("nightly"), Some("p"), Some(20)),
                json!({
                    "taskId": "t-1", "taskName": "nightly", "logGroupName": "/app", "from": 1, "to": 2,
                    "destination": "bucket", "destinationPrefix": "p",
                    "status": {"code": "COMPLETED", "message": "Completed successfully"},
                    "executionInfo": {"creationTime": 10, "completionTime": 20},
                }),
            ),
            (
                task(ExportStatus::Running, None, None, None),
                json!({
                    "taskId": "t-1", "logGroupName": "/app", "from": 1, "to": 2,
                    "destination": "bucket", "destinationPrefix": "exportedlogs",
                    "status": {"code": "RUNNING", "message": "Completed successfully"},
                    "executionInfo": {"creationTime": 10},
                }),
            ),
        ];
        for (task, shape) in cases {
            assert_eq!(task_shape(&task), shape);
        }
    }

    #[test]
    fn create_needs_from_and_to_as_integers() {
        let ctx = Context::new(
            skywatch_core::model::Caller::Anonymous { account: "000000000000".into() },
            "us-east-1",
            "r",
            0,
        );
        let full = json!({"logGroupName": "/app", "from": 1, "to": 2, "destination": "b"});
        let input = CreateExportTask::decode(&ctx, &full).unwrap();
        assert_eq!((input.from, input.to, input.destination_prefix), (1, 2, None));
        for (params, member) in [
            (json!({"logGroupName": "/app", "to": 2, "destination": "b"}), "from"),
            (json!({"logGroupName": "/app", "from": 1, "destination": "b"}), "to"),
            (json!({"logGroupName": "/app", "from": "1", "to": 2, "destination": "b"}), "from"),
            (json!({"logGroupName": "/app", "from": 1, "to": 2}), "destination"),
        ] {
            let error = CreateExportTask::decode(&ctx, &params).unwrap_err();
            assert!(format!("{error:?}").contains(&format!("'{member}'")), "{member}: {error:?}");
        }
    }
}
