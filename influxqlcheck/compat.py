"""What InfluxDB 3's InfluxQL does not run, so dashboards work on InfluxDB 2 (Timestream) and 3 alike.

Source: InfluxData's "InfluxQL feature support" page, influxdata/docs-v2
content/shared/influxql-v3-reference/feature-support.md (commit e463491): SLIMIT and SOFFSET are not
supported; of the metaqueries only SHOW RETENTION POLICIES, MEASUREMENTS, TAG KEYS, TAG VALUES and FIELD
KEYS are (no SHOW DATABASES, SHOW SERIES or cardinality); SAMPLE() and every technical and predictive
analysis function are not; all other aggregates (INTEGRAL included, unsupported in earlier revisions
such as 6cc0762), selectors, transformations, now(), time(), tz() and fill() are. The v3 reference's
SELECT syntax (content/shared/influxql-v3-reference/_index.md) has no INTO clause, and InfluxDB 2's
InfluxQL is read-only (no SELECT INTO either).
"""

from __future__ import annotations

from collections.abc import Iterator

from influxqlcheck.names import Issue
from influxqlcheck.nodes import Call, Select, Show, Statement, expressions, selects

UNSUPPORTED_FUNCTIONS = frozenset(
    {"sample", "chande_momentum_oscillator", "double_exponential_moving_average", "exponential_moving_average"}
    | {"holt_winters", "holt_winters_with_fit", "kaufmans_efficiency_ratio", "kaufmans_adaptive_moving_average"}
    | {"relative_strength_index", "triple_exponential_moving_average", "triple_exponential_derivative"}
)
UNSUPPORTED_CLAUSES = {
    "SLIMIT": "SLIMIT is not supported by InfluxDB 3's InfluxQL; limit series with a WHERE on tags instead",
    "SOFFSET": "SOFFSET is not supported by InfluxDB 3's InfluxQL",
    "INTO": "SELECT INTO writes data: InfluxDB 2's InfluxQL is read-only and InfluxDB 3's has no INTO",
}
SUPPORTED_SHOWS = frozenset({"RETENTION POLICIES", "MEASUREMENTS", "TAG KEYS", "TAG VALUES", "FIELD KEYS"})


def unsupported(statement: Statement) -> Iterator[Issue]:
    if isinstance(statement, Show):
        if statement.kind not in SUPPORTED_SHOWS:
            yield Issue(statement.pos, "influxdb3-unsupported", f"SHOW {statement.kind} is not supported by InfluxDB 3")
        return
    for select in selects(statement):
        yield from _clauses(select)
    for node in expressions(statement):
        if isinstance(node, Call) and node.name in UNSUPPORTED_FUNCTIONS:
            yield Issue(node.pos, "influxdb3-unsupported", f"{node.name}() is not supported by InfluxDB 3's InfluxQL")


def _clauses(select: Select) -> Iterator[Issue]:
    for clause in select.clauses:
        if clause.keyword in UNSUPPORTED_CLAUSES:
            yield Issue(clause.pos, "influxdb3-unsupported", UNSUPPORTED_CLAUSES[clause.keyword])
