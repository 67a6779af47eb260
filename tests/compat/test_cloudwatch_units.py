"""CloudWatch units belong to each datapoint, as in AWS (issue 15): GetMetricStatistics answers one datapoint a
unit, GetMetricData with a MetricStat Unit reads only that unit's datapoints, and without one answers with one unit
and a `MultipleUnits` message on the result. Through boto3 in every protocol CloudWatch speaks (JSON 1.0, the
default; awsQuery; RPCv2 CBOR).

Each test names its source (see /work/issue15-facts.md, section 1): "recorded from AWS" means a LocalStack snapshot
test recorded against real AWS (tests/aws/services/cloudwatch/test_cloudwatch.snapshot.json, the key given as
`test_name / match-key`; the three protocols record the same content); "moto" marks a hint not verified against AWS.
The account is AKIDUNITS's, which no other module uses.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from conftest import CLOUDWATCH_PROTOCOLS, cloudwatch_client

KEY = "AKIDUNITS"
PROTOCOLS = list(CLOUDWATCH_PROTOCOLS)
METRIC = "m-test"


def namespace() -> str:
    return f"n-sp-{uuid.uuid4().hex[:10]}"


def put(cw, ns: str, now: dt.datetime, data: list[tuple[float, str | None]]) -> None:
    """Puts (value, unit) datums of METRIC, all timestamped `now`, in one call."""
    datums = [dict({"MetricName": METRIC, "Timestamp": now, "Value": value}, **({"Unit": unit} if unit else {}))
              for value, unit in data]
    cw.put_metric_data(Namespace=ns, MetricData=datums)


def statistics(cw, ns: str, now: dt.datetime, statistic: str, **unit) -> dict:
    return cw.get_metric_statistics(Namespace=ns, MetricName=METRIC, StartTime=now - dt.timedelta(seconds=60),
                                    EndTime=now + dt.timedelta(seconds=60), Period=60, Statistics=[statistic],
                                    **unit)


def metric_data(cw, ns: str, now: dt.datetime, stat: str, unit: str | None = None) -> dict:
    """One MetricStat query `m1` over [now, now + 60 s), MaxDatapoints 10, as the recorded cases ask."""
    metric_stat = {"Metric": {"Namespace": ns, "MetricName": METRIC}, "Period": 60, "Stat": stat}
    if unit:
        metric_stat["Unit"] = unit
    return cw.get_metric_data(MetricDataQueries=[{"Id": "m1", "MetricStat": metric_stat}], StartTime=now,
                              EndTime=now + dt.timedelta(seconds=60), MaxDatapoints=10)


def only_result(response: dict) -> dict:
    assert response["Messages"] == [], "the top-level Messages stay empty"
    assert len(response["MetricDataResults"]) == 1
    result = response["MetricDataResults"][0]
    assert (result["Id"], result["Label"], result["StatusCode"]) == ("m1", METRIC, "Complete")
    assert len(result["Timestamps"]) == len(result["Values"])
    return result


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_statistics_without_a_unit_answer_each_unit(server, protocol):
    """GetMetricStatistics without a Unit over {1 Seconds, 5 Count, 10 without a unit} at one timestamp: three
    datapoints, one a unit (the unitless one says "None"), not one average of 5.33. Recorded from AWS: LocalStack
    snapshot test_handle_different_units / get_metric_statistics_with_different_units (sorted by Average,
    descending, as the test sorts them; AWS's own order is not recorded)."""
    cw = cloudwatch_client(server, protocol, key=KEY)
    ns, now = namespace(), dt.datetime.now(dt.timezone.utc)
    put(cw, ns, now, [(1, "Seconds"), (5, "Count"), (10, None)])
    response = statistics(cw, ns, now, "Average")
    assert response["Label"] == METRIC
    points = sorted(response["Datapoints"], key=lambda p: p["Average"], reverse=True)
    assert [(p["Average"], p["Unit"]) for p in points] == [(10.0, "None"), (5.0, "Count"), (1.0, "Seconds")]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_statistics_with_a_unit_answer_that_unit(server, protocol):
    """GetMetricStatistics with Unit=Seconds over {1 Seconds, 5 Count, 10 without a unit}: only the Seconds
    datapoint. Not a recording of its own: it follows from the recorded per-unit datapoints of
    test_handle_different_units / get_metric_statistics_with_different_units and the documented Unit parameter
    ("If you specify a unit that does not match the data collected, the results of the operation are null")."""
    cw = cloudwatch_client(server, protocol, key=KEY)
    ns, now = namespace(), dt.datetime.now(dt.timezone.utc)
    put(cw, ns, now, [(1, "Seconds"), (5, "Count"), (10, None)])
    points = statistics(cw, ns, now, "Average", Unit="Seconds")["Datapoints"]
    assert [(p["Average"], p["Unit"]) for p in points] == [(1.0, "Seconds")]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_metric_data_with_a_unit_reads_only_that_unit(server, protocol):
    """GetMetricData Sum with MetricStat.Unit=Seconds over {1 Seconds, 1 Count}: only the Seconds datapoint counts,
    and the result has no Messages member. Recorded from AWS: LocalStack snapshot
    test_get_metric_data_with_different_units / get_metric_data_with_different_units."""
    cw = cloudwatch_client(server, protocol, key=KEY)
    ns, now = namespace(), dt.datetime.now(dt.timezone.utc)
    put(cw, ns, now, [(1, "Seconds"), (1, "Count")])
    result = only_result(metric_data(cw, ns, now, "Sum", unit="Seconds"))
    assert result["Values"] == [1.0]
    assert len(result["Timestamps"]) == 1
    assert "Messages" not in result


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_sample_count_with_a_unit_counts_that_unit(server, protocol):
    """SampleCount with MetricStat.Unit=Seconds over {50 Seconds, -50 without a unit} is 1. From moto's
    test_get_metric_data_for_unit (not verified against AWS), kept because it agrees with the recording of
    test_get_metric_data_with_different_units / get_metric_data_with_different_units; moto's other assertion (2
    without a Unit) contradicts the recordings of test_get_metric_data_different_units_no_unit_in_query and is not
    checked."""
    cw = cloudwatch_client(server, protocol, key=KEY)
    ns, now = namespace(), dt.datetime.now(dt.timezone.utc)
    put(cw, ns, now, [(50, "Seconds"), (-50, None)])
    result = only_result(metric_data(cw, ns, now, "SampleCount", unit="Seconds"))
    assert result["Values"] == [1.0]


MS, S, COUNT = (60000, "Milliseconds"), (60, "Seconds"), (5, "Count")
TWO_UNITS = "Multiple units returned: '[Milliseconds, Seconds]'"
THREE_UNITS = "Multiple units returned: '[Count, Milliseconds, Seconds]'"
# Each case: datums put -> (Values, the result's MultipleUnits message).
NO_UNIT_IN_QUERY = {
    "metric_data0": ([MS, S], [60000.0], TWO_UNITS),
    "metric_data1": ([MS, S, MS, S], [120000.0], TWO_UNITS),
    "metric_data2": ([MS, S, MS, S, COUNT], [5.0], THREE_UNITS),
}


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("case", list(NO_UNIT_IN_QUERY))
def test_metric_data_without_a_unit_answers_with_one_unit(server, protocol, case):
    """GetMetricData Sum without a Unit over datapoints in several units: the statistic covers one unit's
    datapoints (no conversion, no mixing), and the result's Messages hold one MultipleUnits entry naming every
    unit, sorted; the top-level Messages stay empty and StatusCode stays Complete. Recorded from AWS: LocalStack
    snapshot test_get_metric_data_different_units_no_unit_in_query[<case>] / get_metric_data_with_no_unit_specified
    (run against AWS only)."""
    data, values, message = NO_UNIT_IN_QUERY[case]
    cw = cloudwatch_client(server, protocol, key=KEY)
    ns, now = namespace(), dt.datetime.now(dt.timezone.utc)
    put(cw, ns, now, data)
    result = only_result(metric_data(cw, ns, now, "Sum"))
    assert result["Values"] == values
    assert len(result["Timestamps"]) == 1
    assert result["Messages"] == [{"Code": "MultipleUnits", "Value": message}]
