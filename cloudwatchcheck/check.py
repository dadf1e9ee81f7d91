"""One CloudWatch query file against what the pipeline publishes (connect_ingest.published_metrics): the namespace,
the metric in it, the exact set of dimension names it is published with, and every dimension value, which names a
resource of this deployment (its `name_prefix`) or a value the service publishes. Also the statistic and period
Grafana's CloudWatch datasource and CloudWatch accept.
"""

from __future__ import annotations

import re
from difflib import get_close_matches

from connect_ingest.published_metrics import FAMILIES, MetricFamily

from cloudwatchcheck.document import Finding, MetricQuery, read_query

STATISTICS = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")
PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d+)?|100)$")  # p50, p99.9
WILDCARD = "*"


def check_metric_query(text: str, name_prefix: str) -> list[Finding]:
    """Every problem of one rendered query file, at its line."""
    query, findings = read_query(text)
    if any(f.rule == "syntax" for f in findings):
        return findings
    findings += _statistic_and_period(query)
    namespaces = sorted({f.namespace for f in FAMILIES})
    at = query.lines.get
    if query.namespace and query.namespace not in namespaces:
        return [*findings, _unknown(at("namespace", 1), "unknown-namespace", "namespace", query.namespace, namespaces)]
    in_namespace = [f for f in FAMILIES if f.namespace == query.namespace]
    metrics = sorted({m for f in in_namespace for m in f.metrics})
    if query.metric and query.metric not in metrics:
        where = f"metric of {query.namespace}"
        return [*findings, _unknown(at("metric", 1), "unknown-metric", where, query.metric, metrics)]
    names = frozenset(name for name, _ in query.dimensions)
    families = [f for f in in_namespace if query.metric in f.metrics]
    family = next((f for f in families if frozenset(f.dimensions) == names), None)
    if family is None:
        published = " or ".join("{" + ", ".join(f.dimensions) + "}" for f in families) or "no dimensions"
        return [
            *findings,
            Finding(
                at("dimensions", 1),
                1,
                "unknown-dimension",
                f"{query.namespace} publishes {query.metric} by {published}, not by "
                f"{{{', '.join(sorted(names))}}}; a query must name exactly those dimensions",
            ),
        ]
    return findings + _values(query, family, name_prefix)


def _values(query: MetricQuery, family: MetricFamily, name_prefix: str) -> list[Finding]:
    series = family.series(name_prefix)
    findings = []
    for name, values in query.dimensions:
        known = sorted({s[name] for s in series})
        for value in values:
            if value != WILDCARD and value not in known:
                line = query.lines.get(f"dimensions.{name}={value}", query.lines.get(f"dimensions.{name}", 1))
                findings.append(
                    _unknown(
                        line, "unknown-dimension-value", f"{name} of {query.namespace} {query.metric}", value, known
                    )
                )
    return findings


def _statistic_and_period(query: MetricQuery) -> list[Finding]:
    findings = []
    if query.statistic and query.statistic not in STATISTICS and not PERCENTILE.match(query.statistic):
        findings.append(
            _unknown(query.lines.get("statistic", 1), "statistic", "statistic", query.statistic, list(STATISTICS))
        )
    period = query.period
    if period and period != "auto" and not (period.isdigit() and int(period) >= 60 and int(period) % 60 == 0):
        findings.append(
            Finding(
                query.lines.get("period", 1),
                1,
                "period",
                f"period {period!r} must be whole minutes in seconds (60, 300, ...) or auto: the pipeline's metrics "
                "are published per minute",
            )
        )
    return findings


def _unknown(line: int, rule: str, what: str, value: str, known: list[str]) -> Finding:
    close = get_close_matches(value, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
    return Finding(line, 1, rule, f"{what} {value!r} is not published by the pipeline; {hint}")
