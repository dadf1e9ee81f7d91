"""SQL checks for panel queries: expand Grafana macros, parse, resolve names, enforce cost rules.

``dash build`` and ``dash validate`` call ``check_query`` for every query of every panel;
the local query engine reuses ``expand_macros`` and the ``Timestream`` dialect.
"""

from sqlcheck.check import check_query
from sqlcheck.macros import expand_macros
from sqlcheck.problems import Problem, format_problems
from sqlcheck.sourcemap import QueryTemplate
from sqlcheck.timestream_dialect import Timestream
from sqlcheck.variables import SAMPLE_RANGE, TimeRange, VariableSample

__all__ = [
    "SAMPLE_RANGE",
    "Problem",
    "QueryTemplate",
    "TimeRange",
    "Timestream",
    "VariableSample",
    "check_query",
    "expand_macros",
    "format_problems",
]
