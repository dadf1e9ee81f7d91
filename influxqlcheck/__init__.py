"""Build-time checks of InfluxQL panel queries against the data model, without a server."""

from influxqlcheck.check import RULES, Finding, check_influxql
from influxqlcheck.schema import SCHEMA, Measurement
from influxqlcheck.variables import ALL, SAMPLE_RANGE, TimeRange, Variable, pin_now, substitute

__all__ = [
    "ALL",
    "RULES",
    "SAMPLE_RANGE",
    "SCHEMA",
    "Finding",
    "Measurement",
    "TimeRange",
    "Variable",
    "check_influxql",
    "pin_now",
    "substitute",
]
