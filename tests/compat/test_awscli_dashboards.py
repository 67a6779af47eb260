"""The real aws CLI with CloudWatch dashboards (issue 4): put-dashboard, get-dashboard, list-dashboards and
delete-dashboards in an account of their own (AKIDDASHCLI)."""

from __future__ import annotations

import json


BODY = '{"widgets": [{"type": "text", "properties": {"markdown": "# From the CLI ✓"}}],  "start": "-PT3H"}'


def ok(result):
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result.json


def test_cli_put_get_list_delete(aws):
    key = "AKIDDASHCLI"
    put = ok(aws("cloudwatch", "put-dashboard", "--dashboard-name", "cli-main", "--dashboard-body", BODY, key=key))
    assert put["DashboardValidationMessages"] == []
    got = ok(aws("cloudwatch", "get-dashboard", "--dashboard-name", "cli-main", key=key))
    assert got["DashboardBody"] == BODY
    assert got["DashboardArn"] == "arn:aws:cloudwatch::888888888888:dashboard/cli-main"
    listed = ok(aws("cloudwatch", "list-dashboards", "--dashboard-name-prefix", "cli-", key=key))
    assert [e["DashboardName"] for e in listed["DashboardEntries"]] == ["cli-main"]
    assert listed["DashboardEntries"][0]["Size"] == len(BODY.encode())

    bad = aws("cloudwatch", "put-dashboard", "--dashboard-name", "cli-bad", "--dashboard-body",
              json.dumps({"widgets": [{"type": "text", "properties": {}}]}), key=key)
    assert bad.returncode != 0
    assert "InvalidParameterInput" in bad.stderr

    deleted = aws("cloudwatch", "delete-dashboards", "--dashboard-names", "cli-main", key=key)
    assert deleted.returncode == 0, deleted.stderr
    missing = aws("cloudwatch", "get-dashboard", "--dashboard-name", "cli-main", key=key)
    assert missing.returncode != 0
    assert "ResourceNotFound" in missing.stderr
    # The current CloudWatch model: DeleteDashboards "attempts to delete as many dashboards as possible" and lists no
    # not-found error, so deleting one already gone succeeds.
    again = aws("cloudwatch", "delete-dashboards", "--dashboard-names", "cli-main", key=key)
    assert again.returncode == 0, again.stderr
