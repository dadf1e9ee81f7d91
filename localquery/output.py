"""Rows for people (a rich table, numbers as the panel shows them) or for programs (a JSON array of raw rows)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from localquery.display import ColumnFormat, cell_text, column_formats, plain
from localquery.run import Result

__all__ = ["plain", "print_tables", "records", "to_json"]  # plain: the JSON form, shared with localquery.display


def records(result: Result) -> list[dict[str, Any]]:
    return [{c: plain(v) for c, v in zip(result.columns, row, strict=True)} for row in result.rows]


def to_json(results: list[Result]) -> str:
    """One array of row objects; a panel of several queries lists their rows one after another (numbers raw)."""
    return json.dumps([row for result in results for row in records(result)], ensure_ascii=False, indent=2)


def tables(results: list[Result], panel: Mapping[str, Any] | None, where: str) -> list[tuple[str, Table, int]]:
    """Each result as (heading, table, row count); with the panel's JSON, numbers by its units and decimals."""
    out = []
    for result in results:
        formats: dict[str, ColumnFormat] = column_formats(panel, result.columns, where) if panel is not None else {}
        table = Table(*result.columns)
        for row in result.rows:
            table.add_row(*(cell_text(v, formats.get(c)) for c, v in zip(result.columns, row, strict=True)))
        out.append((f"{result.panel} ({result.file})", table, len(result.rows)))
    return out


def print_tables(
    results: list[Result], console: Console, panel: Mapping[str, Any] | None = None, where: str = ""
) -> None:
    for heading, table, count in tables(results, panel, where):
        console.print(heading, style="bold")
        console.print(table)
        console.print(f"{count} row(s)", style="dim")
