"""Build-time checks of InfluxQL panel queries against the data model, without a server."""

from influxqlcheck.check import RULES, Finding, check_influxql
from influxqlcheck.schema import SCHEMA, Measurement
from influxqlcheck.variables import ALL, pin_now, substitute

__all__ = ["ALL", "RULES", "SCHEMA", "Finding", "Measurement", "check_influxql", "pin_now", "substitute"]
