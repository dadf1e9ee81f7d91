"""Findings of the SQL checks and their two printed forms (for people, and for editors and CI)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal


@dataclass(frozen=True)
class Problem:
    file: str  # path as given
    line: int  # 1-based, in the SQL file
    column: int  # 1-based
    # unknown-column, ambiguous-column, unknown-table, unknown-variable, syntax, unbounded-time,
    # partition-filter, macro, opt-out
    rule: str
    message: str  # one sentence naming the unknown thing, with a suggestion where there is one


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, so findings point at the file's own lines."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def format_problems(problems: Sequence[Problem], fmt: Literal["text", "json"]) -> str:
    """``file:line:column: rule: message`` lines, or a JSON list of objects with the same fields."""
    ordered = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.rule, p.message))
    if fmt == "json":
        return json.dumps([asdict(p) for p in ordered], indent=2)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; use text or json")
    return "\n".join(f"{p.file}:{p.line}:{p.column}: {p.rule}: {p.message}" for p in ordered)
