"""CloudWatch Logs export tasks (issue 14), with boto3 and the aws CLI: CreateExportTask, DescribeExportTasks and
CancelExportTask as CloudWatch Logs answers them, and the gzip objects the task writes in AWS's layout under the
server's export directory (`<data-dir>/s3/<bucket>/<prefix>/<task id>/<stream>/000000.gz`). AKIDEXPORT's
account (171717171717) is used by this module only: an account has one active task at a time, so each test waits
for its tasks to end."""

from __future__ import annotations

import datetime
import gzip
import time
import uuid

import botocore.exceptions
import pytest

from conftest import events_for_requests

KEY = "AKIDEXPORT"
ACCOUNT = "171717171717"


@pytest.fixture(scope="module")
def logs(server):
    return server.client("logs", key=KEY)


def now_ms() -> int:
    return int(time.time() * 1000)


def iso(ms: int) -> str:
    moment = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def error(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def wait_until_ended(describe, task_id: str, timeout: float = 60.0) -> dict:
    """The task once it has left PENDING and RUNNING, by DescribeExportTasks."""
    deadline = time.monotonic() + timeout
    while True:
        task = describe(task_id)
        if task["status"]["code"] not in ("PENDING", "RUNNING"):
            return task
        assert time.monotonic() < deadline, f"the export never ended: {task}"
        time.sleep(0.1)


def boto3_task(logs):
    def describe(task_id: str) -> dict:
        tasks = logs.describe_export_tasks(taskId=task_id)["exportTasks"]
        assert len(tasks) == 1, tasks
        return tasks[0]
    return describe


def lines_of(path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode().splitlines()


def test_boto3_exports_a_groups_events_in_aws_layout(server, logs, unique):
    group = f"/export/{unique}"
    logs.create_log_group(logGroupName=group)
    for stream in ("web/1", "web/2026/12/07/[$LATEST]f00", "worker"):
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    base = now_ms() - 60_000
    logs.put_log_events(logGroupName=group, logStreamName="web/1", logEvents=[
        {"timestamp": base - 10_000, "message": "before the range"},
        {"timestamp": base, "message": "GET / 200"},
        {"timestamp": base + 1_234, "message": '{"status": 500, "path": "/pay"}'},
    ])
    logs.put_log_events(logGroupName=group, logStreamName="web/2026/12/07/[$LATEST]f00", logEvents=[
        {"timestamp": base + 500, "message": "START RequestId: 1"},
    ])
    logs.put_log_events(logGroupName=group, logStreamName="worker", logEvents=[
        {"timestamp": base + 600, "message": "not under web/"},
    ])
    reply = logs.create_export_task(taskName="nightly", logGroupName=group, logStreamNamePrefix="web/",
                                    fromTime=base, to=base + 30_000, destination="compat-exports",
                                    destinationPrefix=f"shop/{unique}")
    task_id = reply["taskId"]
    assert uuid.UUID(task_id).version == 4

    task = wait_until_ended(boto3_task(logs), task_id)
    assert task["status"] == {"code": "COMPLETED", "message": "Completed successfully"}
    assert task["taskName"] == "nightly" and task["logGroupName"] == group
    assert (task["from"], task["to"]) == (base, base + 30_000)
    assert (task["destination"], task["destinationPrefix"]) == ("compat-exports", f"shop/{unique}")
    info = task["executionInfo"]
    assert abs(info["creationTime"] - now_ms()) < 60_000 and info["completionTime"] >= info["creationTime"]

    prefix = server.data_dir / "s3" / "compat-exports" / "shop" / unique
    assert (prefix / "aws-logs-write-test").read_bytes() == b"Permission Check Successful"
    objects = sorted(p.relative_to(prefix / task_id).as_posix() for p in (prefix / task_id).rglob("*") if p.is_file())
    assert objects == ["web/1/000000.gz", "web/2026/12/07/[$LATEST]f00/000000.gz"]
    assert lines_of(prefix / task_id / "web/1/000000.gz") == [
        f"{iso(base)} GET / 200",
        f'{iso(base + 1_234)} {{"status": 500, "path": "/pay"}}',
    ]
    assert lines_of(prefix / task_id / "web/2026/12/07/[$LATEST]f00/000000.gz") == [
        f"{iso(base + 500)} START RequestId: 1",
    ]

    code, message = error(logs.cancel_export_task, taskId=task_id)
    assert (code, message) == ("InvalidOperationException", "The specified export task has already finished")
    code, message = error(logs.cancel_export_task, taskId=str(uuid.uuid4()))
    assert (code, message) == ("ResourceNotFoundException", "The specified export task does not exist.")
    assert logs.describe_export_tasks(taskId=str(uuid.uuid4()))["exportTasks"] == []

    # The call is in CloudTrail with its parameters as sent.
    trail = server.client("cloudtrail", key=KEY)
    request_id = reply["ResponseMetadata"]["RequestId"]
    record = events_for_requests(trail, [request_id], "CreateExportTask")[request_id]
    assert record["eventSource"] == "logs.amazonaws.com" and record["readOnly"] is False
    assert record["requestParameters"]["logGroupName"] == group
    assert (record["requestParameters"]["from"], record["requestParameters"]["to"]) == (base, base + 30_000)


def test_refusals_are_cloudwatch_logs_own(logs, unique):
    group = f"/export-refusals/{unique}"
    logs.create_log_group(logGroupName=group)
    code, message = error(logs.create_export_task, logGroupName=group, fromTime=2000, to=1000, destination="ok-bucket")
    assert code == "InvalidParameterException"
    assert message == ("Specified time range of '2000' and '1000' is not valid. Please make sure the values are "
                       "non-negative and the start time is before the end time.")
    code, message = error(logs.create_export_task, logGroupName=group, fromTime=0, to=1, destination="Not_A_Bucket")
    assert (code, message) == ("InvalidParameterException",
                               "The given bucket does not exist. Please make sure the bucket is valid.")
    for prefix in ("../../etc", "/absolute", "a\\..\\b"):
        code, message = error(logs.create_export_task, logGroupName=group, fromTime=0, to=1, destination="ok-bucket",
                              destinationPrefix=prefix)
        assert code == "InvalidParameterException" and "destinationPrefix" in message, (prefix, message)
    code, message = error(logs.create_export_task, logGroupName=f"{group}/missing", fromTime=0, to=1,
                          destination="ok-bucket")
    assert (code, message) == ("ResourceNotFoundException", "The specified log group does not exist.")
    code, _ = error(logs.describe_export_tasks, statusCode="DONE")
    assert code == "InvalidParameterException"
    code, _ = error(logs.describe_export_tasks, nextToken="garbage")
    assert code == "InvalidParameterException"


def test_the_aws_cli_creates_describes_and_cancels(server, aws, logs, unique):
    group = f"/export-cli/{unique}"
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName="app")
    base = now_ms() - 30_000
    logs.put_log_events(logGroupName=group, logStreamName="app", logEvents=[
        {"timestamp": base + i, "message": f"cli line {i}"} for i in range(3)
    ])
    ids = []
    for _ in range(2):
        created = aws("logs", "create-export-task", "--log-group-name", group, "--from", str(base),
                      "--to", str(base + 10_000), "--destination", "cli-exports", key=KEY)
        assert created.returncode == 0, created.stderr
        ids.append(created.json["taskId"])

        def describe(task_id: str) -> dict:
            shown = aws("logs", "describe-export-tasks", "--task-id", task_id, key=KEY)
            assert shown.returncode == 0, shown.stderr
            return shown.json["exportTasks"][0]

        task = wait_until_ended(describe, ids[-1])
        assert task["status"]["code"] == "COMPLETED", task
        assert task["destinationPrefix"] == "exportedlogs"

    bucket = server.data_dir / "s3" / "cli-exports"
    assert (bucket / "aws-logs-write-test").read_bytes() == b"Permission Check Successful"
    for task_id in ids:
        assert lines_of(bucket / "exportedlogs" / task_id / "app" / "000000.gz") == [
            f"{iso(base + i)} cli line {i}" for i in range(3)
        ]

    cancelled = aws("logs", "cancel-export-task", "--task-id", ids[0], key=KEY)
    assert cancelled.returncode != 0
    assert "InvalidOperationException" in cancelled.stderr and "already finished" in cancelled.stderr

    listed = aws("logs", "describe-export-tasks", "--status-code", "COMPLETED", key=KEY)
    assert listed.returncode == 0, listed.stderr
    shown = [t["taskId"] for t in listed.json["exportTasks"]]
    assert shown.index(ids[1]) < shown.index(ids[0]), "newest first"

    # Pages of one, followed by hand, give the same tasks in the same order.
    paged, token = [], None
    while True:
        page = logs.describe_export_tasks(limit=1, **({"nextToken": token} if token else {}))
        assert len(page["exportTasks"]) <= 1
        paged += [t["taskId"] for t in page["exportTasks"]]
        token = page.get("nextToken")
        if not token:
            break
        assert len(paged) < 1000, "nextToken never ran out"
    all_tasks = [t["taskId"] for t in logs.describe_export_tasks()["exportTasks"]]
    assert paged == all_tasks and set(ids) <= set(all_tasks)
