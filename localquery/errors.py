"""The local engine's errors: each says what is wrong, where, and what to do (exit code 2)."""

from __future__ import annotations

from dashcompiler.errors import ToolError


class DataError(ToolError):
    """The data directory is missing or holds a record the pipeline would reject."""


class UntranslatableError(ToolError):
    """A query construct with no faithful DuckDB translation; never run as something else."""


class QueryError(ToolError):
    """An unknown dashboard, panel or variable, a bad time range, or DuckDB refusing the query."""
