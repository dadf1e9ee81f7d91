"""``raw-variable``: a dashboard variable whose value reaches the SQL as typed.

A dashboard link sets any variable (``?var-instance=...``), custom values included, and Grafana's
``allowCustomValue: false`` does not stop a value from the URL. The Timestream and Athena plugins quote a
multi-value or include-All selection (``'a','b'``, ``'`` doubled) but insert a single value raw, so
``'$instance'`` ends at a ``'`` in the value and ``<= $sl_seconds`` takes any SQL. Safe by construction:
``${var:sqlstring}`` (quoted, ``'`` doubled), through ``CAST(... AS DOUBLE)`` where a number is meant.
A variable in a comment is raw too: a newline in its value ends the comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from core.template_variable import VARIABLE_PATTERN, TemplateVariable
from sqlcheck.substitution import FORMATS

Context = Literal["code", "string", "comment"]


def raw_variables(sql: str, variables: Mapping[str, TemplateVariable]) -> list[tuple[int, str, str]]:
    """(offset, rule, message) for each use a crafted value could turn into SQL."""
    problems: list[tuple[int, str, str]] = []
    contexts = lexical_contexts(sql)
    for match in VARIABLE_PATTERN.finditer(sql):
        name = match.group(1) or match.group(2) or match.group(4)
        fmt = (match.group(3) or match.group(6) or "").split(":")[0]
        variable = variables.get(name)
        if variable is None or variable.kind == "constant" or (fmt and fmt not in FORMATS):
            continue  # undeclared or an unknown format: unknown-variable says so; a constant is not in the URL
        written, where = match.group(), contexts[match.start()]
        if where == "comment":
            message = f"{written} in a comment: a newline in its value ends the comment; name it without the $"
        elif fmt == "sqlstring" or (fmt == "" and variable.takes_many):
            continue  # quoted by Grafana (sqlstring) or by the plugin (a list), ' doubled; in '' a syntax error
        elif where == "string":
            message = (
                f"{written} goes into the string as typed, so a ' in a value from a dashboard link ends it; "
                f"write ${{{name}:sqlstring}} in place of the quoted '{written}': it quotes the value and doubles '"
            )
        elif variable.numeric:
            message = (
                f"{written} goes in as typed, so a dashboard link can put any SQL here; "
                f"write CAST(${{{name}:sqlstring}} AS DOUBLE): a value that is no number fails the query"
            )
        else:
            message = (
                f"{written} goes in as typed, so a dashboard link can put any SQL here; write ${{{name}:sqlstring}}"
            )
        problems.append((match.start(), "raw-variable", message))
    return problems


def lexical_contexts(sql: str) -> list[Context]:
    """For each offset: inside a '...' string, a comment (-- or /* */), or other code."""
    contexts: list[Context] = []
    i, n = 0, len(sql)
    while i < n:
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            contexts += ["comment"] * (end - i)
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
            contexts += ["comment"] * (end - i)
            i = end
        elif sql[i] in "'\"":
            quote, j = sql[i], i + 1
            while j < n and not (sql[j] == quote and not sql.startswith(quote * 2, j)):
                j += 2 if sql.startswith(quote * 2, j) else 1
            end = min(j + 1, n)
            contexts += ["string" if quote == "'" else "code"] * (end - i)
            i = end
        else:
            contexts.append("code")
            i += 1
    return contexts
