"""A panel's CloudWatch metric query, written as a small YAML document (one per query file):

    namespace: AWS/Lambda
    metric: Errors
    dimensions:
      FunctionName: [connect-analytics-agent-events, connect-analytics-collector]
    statistic: Sum
    period: 60          # seconds, or auto
    region: eu-west-2   # optional: the datasource's default region
    label: ${PROP('Dim.FunctionName')}   # optional: the series' name, as Grafana expands it

Reading never fails: what is malformed becomes a `Finding` at its line, and the query keeps what could be read,
so the compiler can build a target and the checker report every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

KEYS = ("namespace", "metric", "dimensions", "statistic", "period", "region", "label")
REQUIRED = ("namespace", "metric", "dimensions", "statistic", "period")


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based in the query file
    column: int
    rule: str
    message: str


@dataclass(frozen=True)
class MetricQuery:
    """The typed CloudWatch target: what Grafana's CloudWatch datasource runs in Metrics / Search / Builder mode."""

    namespace: str = ""
    metric: str = ""
    dimensions: tuple[tuple[str, tuple[str, ...]], ...] = ()  # name -> values; several values match any of them
    statistic: str = ""
    period: str = ""  # seconds as text, or "auto"
    region: str = "default"  # the datasource's defaultRegion
    label: str = ""
    # key, "dimensions.<name>" or "dimensions.<name>=<value>" -> its line in the file
    lines: dict[str, int] = field(default_factory=dict, compare=False)

    def target_fields(self) -> dict[str, Any]:
        """The target's query fields, as Grafana's CloudWatch datasource stores them (metricQueryType 0: Search)."""
        return {
            "dimensions": {name: list(values) if len(values) != 1 else values[0] for name, values in self.dimensions},
            "expression": "",
            "id": "",
            "label": self.label,
            "matchExact": True,
            "metricEditorMode": 0,
            "metricName": self.metric,
            "metricQueryType": 0,
            "namespace": self.namespace,
            "period": self.period,
            "queryMode": "Metrics",
            "region": self.region,
            "statistic": self.statistic,
        }


def read_query(text: str) -> tuple[MetricQuery, list[Finding]]:
    """The query a file declares, and every problem of its form."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        return MetricQuery(), [Finding(line, column, "syntax", f"not valid YAML: {getattr(exc, 'problem', exc)}")]
    if not isinstance(node, yaml.MappingNode):
        return MetricQuery(), [Finding(1, 1, "syntax", f"a CloudWatch query is a mapping of {', '.join(KEYS)}")]
    findings: list[Finding] = []
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key not in KEYS:
            findings.append(Finding(*where, "unknown-key", f"unknown key {key!r}; a query has {', '.join(KEYS)}"))
            continue
        lines[key] = where[0]
        if key == "dimensions":
            values[key] = _dimensions(value_node, lines, findings)
        elif isinstance(value_node, yaml.ScalarNode) and str(value_node.value).strip():
            values[key] = str(value_node.value).strip()
        else:
            findings.append(Finding(*where, "syntax", f"{key} must be a single value"))
    first = node.start_mark.line + 1
    for key in REQUIRED:
        if key not in values and key not in lines:
            findings.append(Finding(first, 1, "missing-key", f"the query lacks {key}"))
    query = MetricQuery(
        namespace=values.get("namespace", ""),
        metric=values.get("metric", ""),
        dimensions=values.get("dimensions", ()),
        statistic=values.get("statistic", ""),
        period=values.get("period", ""),
        region=values.get("region", "default"),
        label=values.get("label", ""),
        lines=lines,
    )
    return query, findings


def _dimensions(
    node: yaml.Node, lines: dict[str, int], findings: list[Finding]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1
        findings.append(Finding(line, 1, "syntax", "dimensions must map each dimension name to a value or a list"))
        return ()
    out = []
    for key_node, value_node in node.value:
        name = str(key_node.value)
        line = key_node.start_mark.line + 1
        lines[f"dimensions.{name}"] = line
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        texts = [str(item.value) for item in items if isinstance(item, yaml.ScalarNode) and str(item.value)]
        for item in items:
            lines.setdefault(f"dimensions.{name}={item.value}", item.start_mark.line + 1)
        if len(texts) != len(items) or not texts:
            findings.append(Finding(line, 1, "syntax", f"dimension {name} needs one value or a list of values"))
        out.append((name, tuple(texts)))
    return tuple(out)
