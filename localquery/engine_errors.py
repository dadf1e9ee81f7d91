"""The engines' refusals (DuckDB's binder, parser and conversion errors, sqlglot's parse errors) said as what the
query file does wrong and what to do, without the engines' internal names, class names or their text positions.

DuckDB sees the query translated for it, after variables and macros: its "LINE 1:" and caret point into that
text, not the file, so only the words they point at are quoted; `dash validate` gives the file's line and column.
"""

from __future__ import annotations

import re
from typing import Any

_CLASS = re.compile(r"^[A-Z][A-Za-z ]*Error: ")
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r'Referenced column "(?P<a>[^"]+)" not found in FROM clause!(?:\s*Candidate bindings: (?P<b>.+))?'),
        "column {a} is not in the tables this query reads{did}: a name the data model "
        "(infra/lambdas/connect_ingest/datamodel.py) lacks, or a Timestream column nothing has written yet; "
        "`dash validate` shows where",
    ),
    (
        re.compile(r'Referenced table "(?P<a>[^"]+)" not found!(?:\s*Candidate tables: (?P<b>.+))?'),
        "{a} names no table or alias of this query{did}",
    ),
    (
        re.compile(r"Table with name (?P<a>\S+) does not exist!(?:\s*Did you mean (?P<b>.+)\?)?"),
        "table {a} is not one the pipeline writes{did}; tables are the data model's "
        "(infra/lambdas/connect_ingest/datamodel.py)",
    ),
    (
        re.compile(r"Cannot compare values of type (?P<a>.+?) and type (?P<b>.+?) - an explicit cast is required"),
        "compares a {a} with a {b}{near}, which neither Athena nor DuckDB does without a conversion; "
        "convert one side (a CTR time is a string: from_iso8601_timestamp(...) before comparing it with "
        "$__timeFilter or another time)",
    ),
    (
        re.compile(r"No function matches the given name and argument types '(?P<a>[^(]+)\((?P<b>[^)]*)\)'"),
        "{a} is given ({b}){near}: an argument of the wrong type (text where a number or time is wanted?); "
        "convert it with CAST(... AS ...) or from_iso8601_timestamp(...)",
    ),
    (
        re.compile(r'column "(?P<a>[^"]+)" must appear in the GROUP BY clause'),
        "column {a} is neither in GROUP BY nor inside an aggregate{near}; add it to GROUP BY or aggregate it",
    ),
    (
        re.compile(r"Could not convert string '(?P<a>[^']*)' to (?P<b>\w+)"),
        "the text '{a}' is read as a number ({b}){near}; is a --var value or a column of the wrong kind?",
    ),
    (
        re.compile(r'syntax error at or near "(?P<a>[^"]*)"'),
        "does not parse near {a!r} once translated for the local engine; `dash validate` shows the file's line",
    ),
)


def _near(text: str) -> str:
    """The words DuckDB's caret marks under its "LINE n:" echo of the translated query, if any."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("LINE ") and ":" in line:
            carets = lines[i + 1]
            start, end = carets.find("^"), carets.rfind("^") + 1
            if start >= 0:
                marked = line[start:end].strip()
                return f" (at `{marked}`)" if marked else ""
    return ""


def _did(names: str | None) -> str:
    if not names:
        return ""
    first = names.splitlines()[0].strip()
    return f" (did you mean {first}?)" if first else ""


def explain_duckdb(message: str, where: str) -> str:
    """``where``: what DuckDB refused, as what to change; anything unrecognised keeps DuckDB's first sentence."""
    body = _CLASS.sub("", message.strip())
    for pattern, template in _RULES:
        match = pattern.search(body)
        if match:
            fields = {k: v for k, v in match.groupdict().items() if k != "b" or "{b}" in template}
            said = template.format(
                **{"a": "", "b": "", **fields}, did=_did(match.groupdict().get("b")), near=_near(message)
            )
            return f"{where}: {said}"
    first = body.split("\nLINE ", 1)[0].splitlines()[0] if body else "no reason given"
    return f"{where}: the local engine refused the query: {first}"


def explain_parse(errors: list[dict[str, Any]], where: str, language: str) -> str:
    """sqlglot's first parse error, without its class names or terminal colours, quoting the text it stopped at."""
    if not errors:
        return f"{where}: does not parse as {language}"
    error = errors[0]
    description = re.sub(r"\s*for <class '[^']+'>", "", str(error.get("description", ""))).strip()
    description = re.sub(r"<class '[\w.]+\.(\w+)'>", r"\1", description)
    description = re.sub(r"Required keyword: '\w+' missing", "an expression is missing", description)
    description = re.sub(
        r"<Token token_type: TokenType\.(\w+)[^>]*>",
        lambda m: "the end of the query" if m.group(1) == "SENTINEL" else m.group(1).lower().replace("_", " "),
        description,
    )
    before = str(error.get("start_context", ""))[-30:]
    marked = str(error.get("highlight", ""))
    context = f" at `{before}{marked}`" if before or marked else ""
    return (
        f"{where}: does not parse as {language}{context} ({description or 'unexpected text'}), after variables and "
        "macros are expanded; `dash validate` shows the file's line and column"
    )
