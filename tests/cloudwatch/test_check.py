"""The cloudwatch kind's checker: a query file names only what the pipeline publishes, and says where it does not.

Each case is a small query file and the finding expected at its line, worked out by hand from
connect_ingest.published_metrics (name_prefix "cc"): functions cc-agent-events, cc-contact-events, cc-collector;
queues cc-<function>-dlq; streams cc-ctr, cc-agent-events; delivery stream cc-ctr.
"""

from __future__ import annotations

import pytest

from cloudwatchcheck import check_metric_query, read_query

GOOD = """namespace: AWS/Lambda
metric: Errors
dimensions:
  FunctionName: [cc-agent-events, cc-collector]
statistic: Sum
period: 300
"""


def findings(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in check_metric_query(text, "cc")]


def test_a_query_of_published_series_is_clean() -> None:
    assert findings(GOOD) == []
    custom = GOOD.replace("AWS/Lambda", "ConnectIngest").replace("metric: Errors", "metric: RecordsWritten")
    custom = custom.replace(
        "  FunctionName: [cc-agent-events, cc-collector]", "  service: collector\n  source: collector"
    )
    assert findings(custom) == []
    assert findings(GOOD.replace("[cc-agent-events, cc-collector]", '"*"')) == []  # every function
    assert findings(GOOD.replace("Sum", "p99").replace("300", "auto")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("AWS/Lambda", "AWS/Lamda", (1, "unknown-namespace")),
        ("metric: Errors", "metric: Error", (2, "unknown-metric")),
        ("metric: Errors", "metric: IncomingRecords", (2, "unknown-metric")),  # a Kinesis metric, not Lambda's
        ("FunctionName:", "QueueName:", (3, "unknown-dimension")),  # Lambda publishes Errors by FunctionName
        ("cc-collector]", "cc-colector]", (4, "unknown-dimension-value")),
        ("[cc-agent-events", "[other-agent-events", (4, "unknown-dimension-value")),  # another deployment's
        ("statistic: Sum", "statistic: Total", (5, "statistic")),
        ("period: 300", "period: 30", (6, "period")),
        ("period: 300", "period: 90", (6, "period")),
        ("period: 300", "period: 300\nregoin: eu-west-2", (7, "unknown-key")),
        ("statistic: Sum\n", "", (1, "missing-key")),
        ("  FunctionName: [cc-agent-events, cc-collector]", "  FunctionName: [cc-agent-events", (5, "syntax")),
    ],
)
def test_each_mistake_is_a_finding_at_its_line(old: str, new: str, expected: tuple[int, str]) -> None:
    text = GOOD.replace(old, new)
    assert text != GOOD
    assert expected in findings(text), findings(text)


def test_a_finding_suggests_the_published_name() -> None:
    (finding,) = check_metric_query(GOOD.replace("cc-collector]", "cc-colector]"), "cc")
    assert "'cc-colector'" in finding.message and "did you mean 'cc-collector'" in finding.message
    (finding,) = check_metric_query(GOOD.replace("FunctionName:", "QueueName:"), "cc")
    assert "{FunctionName}" in finding.message and "{QueueName}" in finding.message


def test_the_custom_metrics_need_both_of_their_dimensions() -> None:
    text = "namespace: ConnectIngest\nmetric: RecordsWritten\ndimensions:\n  service: collector\nstatistic: Sum\nperiod: 60\n"
    assert findings(text) == [(3, "unknown-dimension")]
    assert findings(text.replace("service: collector", "service: collector\n  source: kinesis:agent-events")) == []
    assert findings(text.replace("service: collector", "service: colector\n  source: collector")) == [
        (4, "unknown-dimension-value")
    ]


def test_the_target_is_grafanas_cloudwatch_metric_query() -> None:
    query, problems = read_query(GOOD.replace("period: 300", "period: 300\nlabel: ${PROP('Dim.FunctionName')}"))
    assert problems == []
    fields = query.target_fields()
    assert fields["namespace"] == "AWS/Lambda" and fields["metricName"] == "Errors"
    assert fields["dimensions"] == {"FunctionName": ["cc-agent-events", "cc-collector"]}
    assert fields["statistic"] == "Sum"  # required: without it Grafana refuses the query
    assert fields["period"] == "300"  # a string, as the datasource stores it
    assert (fields["queryMode"], fields["metricQueryType"], fields["metricEditorMode"]) == ("Metrics", 0, 0)
    assert fields["region"] == "default" and fields["matchExact"] is True
    assert "type" not in fields  # a stray type makes the backend skip the query
    assert fields["label"] == "${PROP('Dim.FunctionName')}"
    single, _ = read_query(GOOD.replace("[cc-agent-events, cc-collector]", "cc-collector"))
    assert single.target_fields()["dimensions"] == {"FunctionName": "cc-collector"}
