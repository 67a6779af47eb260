"""CloudWatch Logs Live Tail (issue 14) with boto3's start_live_tail: the event stream (initial-response, then
sessionStart and a sessionUpdate each second) read through botocore's own decoder, events put from another thread
arriving filtered by pattern and by stream, the session's quota given back when the client closes its stream, and
the refusals. boto3 prefixes the host with `stream-` for this call; AWS_DISABLE_HOST_PREFIX_INJECTION=true makes it
call the endpoint as given. AKIDTAIL's account (161616161616) is used by this module only. The aws CLI (v1, which
has `aws logs start-live-tail` as a customization printing each event's message) tails a group until interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import botocore.exceptions
import pytest

from conftest import BASE_ENV, SCRUBBED, SECRETS, _bin

KEY = "AKIDTAIL"
ACCOUNT = "161616161616"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def logs(server):
    previous = os.environ.get("AWS_DISABLE_HOST_PREFIX_INJECTION")
    os.environ["AWS_DISABLE_HOST_PREFIX_INJECTION"] = "true"
    try:
        # Made (and cached by the server fixture) while the variable is set, so the client keeps the setting.
        yield server.client("logs", key=KEY)
    finally:
        if previous is None:
            os.environ.pop("AWS_DISABLE_HOST_PREFIX_INJECTION", None)
        else:
            os.environ["AWS_DISABLE_HOST_PREFIX_INJECTION"] = previous


def arn(group: str) -> str:
    return f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}"


def make_group(logs, group: str, streams: list[str]) -> None:
    logs.create_log_group(logGroupName=group)
    for stream in streams:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)


def put_later(logs, group: str, puts: list[tuple[str, list[str]]]) -> threading.Thread:
    """Puts each (stream, messages) from another thread, as an application would while the session runs."""

    def run():
        time.sleep(0.3)
        for stream, messages in puts:
            now = int(time.time() * 1000)
            logs.put_log_events(logGroupName=group, logStreamName=stream,
                                logEvents=[{"timestamp": now, "message": m} for m in messages])

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def gather(events, want: int, updates: int = 10) -> list[dict]:
    """The session results of the next updates, until `want` results have come or `updates` updates have passed."""
    results = []
    for _ in range(updates):
        event = next(events)
        assert set(event) == {"sessionUpdate"}, event
        update = event["sessionUpdate"]
        assert update["sessionMetadata"] == {"sampled": False}
        results.extend(update["sessionResults"])
        if len(results) >= want:
            break
    return results


def error(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_a_session_streams_the_matching_events_put_after_it_starts(logs, unique):
    group = f"/tail/{unique}/app"
    make_group(logs, group, ["web-1", "api-1"])
    response = logs.start_live_tail(logGroupIdentifiers=[arn(group)], logEventFilterPattern="ERROR")
    stream = response["responseStream"]
    try:
        events = iter(stream)
        start = next(events)["sessionStart"]
        assert start["requestId"] == response["ResponseMetadata"]["RequestId"]
        assert start["sessionId"]
        assert start["logGroupIdentifiers"] == [arn(group)]
        assert start["logEventFilterPattern"] == "ERROR"
        assert "logStreamNames" not in start and "logStreamNamePrefixes" not in start

        before = time.time() * 1000
        put_later(logs, group, [("web-1", ["ERROR payment declined", "INFO all good"]), ("api-1", ["ERROR timeout"])])
        results = gather(events, want=2)
        assert [(r["logStreamName"], r["message"]) for r in results] == [
            ("web-1", "ERROR payment declined"),
            ("api-1", "ERROR timeout"),
        ]
        for result in results:
            assert result["logGroupIdentifier"] == arn(group)
            assert result["timestamp"] >= before - 1000 and result["ingestionTime"] >= result["timestamp"] - 1000
        # Quiet seconds still send an (empty) update.
        assert next(events)["sessionUpdate"]["sessionResults"] == []
    finally:
        stream.close()


def test_a_session_takes_only_its_streams(logs, unique):
    group = f"/tail/{unique}/streams"
    make_group(logs, group, ["web-1", "web-2", "api-1"])
    response = logs.start_live_tail(logGroupIdentifiers=[group], logStreamNames=["web-2"])
    stream = response["responseStream"]
    try:
        events = iter(stream)
        assert next(events)["sessionStart"]["logStreamNames"] == ["web-2"]
        put_later(logs, group, [("web-1", ["one"]), ("api-1", ["two"]), ("web-2", ["three"])])
        results = gather(events, want=1)
        assert [(r["logStreamName"], r["message"], r["logGroupIdentifier"]) for r in results] == [
            ("web-2", "three", group)]
    finally:
        stream.close()

    response = logs.start_live_tail(logGroupIdentifiers=[group], logStreamNamePrefixes=["web"])
    stream = response["responseStream"]
    try:
        events = iter(stream)
        assert next(events)["sessionStart"]["logStreamNamePrefixes"] == ["web"]
        put_later(logs, group, [("api-1", ["four"]), ("web-1", ["five"]), ("web-2", ["six"])])
        results = gather(events, want=2)
        assert [(r["logStreamName"], r["message"]) for r in results] == [("web-1", "five"), ("web-2", "six")]
    finally:
        stream.close()


def test_an_account_has_15_sessions_and_closing_one_gives_its_place_back(logs, unique):
    group = f"/tail/{unique}/quota"
    make_group(logs, group, [])
    streams = [logs.start_live_tail(logGroupIdentifiers=[group])["responseStream"] for _ in range(15)]
    try:
        code, message = error(logs.start_live_tail, logGroupIdentifiers=[group])
        assert code == "LimitExceededException", message
    finally:
        for stream in streams:
            stream.close()
    # The server ends a session when it finds its client gone (at its next update).
    deadline = time.monotonic() + 15
    while True:
        try:
            logs.start_live_tail(logGroupIdentifiers=[group])["responseStream"].close()
            break
        except botocore.exceptions.ClientError as raised:
            assert raised.response["Error"]["Code"] == "LimitExceededException"
            assert time.monotonic() < deadline, "closed sessions were not ended"
            time.sleep(0.2)


def test_refusals(logs, unique):
    group = f"/tail/{unique}/refused"
    make_group(logs, group, ["s"])
    code, message = error(logs.start_live_tail, logGroupIdentifiers=[arn(f"/tail/{unique}/missing")])
    assert (code, message) == ("ResourceNotFoundException", "The specified log group does not exist.")
    code, message = error(logs.start_live_tail, logGroupIdentifiers=[f"{group}-{i}" for i in range(11)])
    assert code == "InvalidParameterException" and "logGroupIdentifiers" in message, message
    code, message = error(logs.start_live_tail, logGroupIdentifiers=[group], logStreamNames=["s"],
                          logStreamNamePrefixes=["s"])
    assert code == "InvalidParameterException" and "mutually exclusive" in message, message
    code, message = error(logs.start_live_tail, logGroupIdentifiers=[group, arn(group) + "x"],
                          logStreamNamePrefixes=["s"])
    assert code == "InvalidParameterException" and "exactly one log group" in message, message
    code, message = error(logs.start_live_tail, logGroupIdentifiers=[group], logEventFilterPattern='{ $.a = ')
    assert code == "InvalidParameterException", message


def cli_tail(server, *args: str) -> subprocess.Popen:
    """`aws logs start-live-tail ARGS` running against the server, its output read as it comes."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in SCRUBBED}
    env.update(BASE_ENV)
    env.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRETS[KEY],
                "AWS_DISABLE_HOST_PREFIX_INJECTION": "true", "PYTHONUNBUFFERED": "1"})
    command = [str(_bin("AWSCLI", ".venv/awscli/bin/aws")), "logs", "start-live-tail", *args,
               "--endpoint-url", server.endpoint]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_aws_cli_tails_a_group_until_interrupted(server, logs, unique):
    group = f"/tail/{unique}/cli"
    make_group(logs, group, ["s"])
    tail = cli_tail(server, "--log-group-identifiers", arn(group), "--log-event-filter-pattern", "ERROR")
    lines: list[str] = []

    def read():
        for line in tail.stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        # The CLI prints nothing until events come: put until they do (a batch put before its session started
        # is, rightly, never shown).
        deadline = time.monotonic() + 30
        while not any("ERROR from the cli test" in line for line in lines):
            assert tail.poll() is None, tail.stderr.read()
            assert time.monotonic() < deadline, lines
            now = int(time.time() * 1000)
            logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[
                {"timestamp": now, "message": "INFO not shown"}, {"timestamp": now, "message": "ERROR from the cli test"}])
            time.sleep(1)
    finally:
        tail.send_signal(signal.SIGINT)
        code = tail.wait(timeout=15)
    reader.join(timeout=5)
    assert code == 0
    assert lines and all(line == "ERROR from the cli test\n" for line in lines), lines

    refused = cli_tail(server, "--log-group-identifiers", f"/tail/{unique}/missing")
    out, err = refused.communicate(timeout=60)
    assert refused.returncode != 0 and "ResourceNotFoundException" in err, (out, err)
