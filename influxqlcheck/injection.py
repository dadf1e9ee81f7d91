"""``raw-variable``: a dashboard variable whose value reaches the InfluxQL as typed.

A dashboard link sets any variable (``?var-instance=...``), custom values included. Grafana's InfluxDB
datasource escapes a multi-value selection (an array) for a regex, but a single value only inside a ``/.../``
and only when JavaScript's parseFloat cannot read it ("1/ OR ..." goes in raw), and never in a string;
``${var:singlequote}`` escapes ``'`` but not ``\\``, so a value ending in a backslash still ends the string.
Safe by construction: ``${var:regex}`` inside a regex (``=~ /^${var:regex}$/``), which escapes every regex
character and ``/``. A variable in a comment is raw too: a newline in its value ends the comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from core.template_variable import VARIABLE_PATTERN, TemplateVariable
from influxqlcheck.variables import FORMATS

Context = Literal["code", "string", "regex", "comment"]
# After these, a / opens a regex; after an operand it divides.
_REGEX_AFTER = ("=~", "!~", "(", ",", "select", "from", "by")


def raw_variables(text: str, variables: Mapping[str, TemplateVariable]) -> list[tuple[int, str]]:
    """(offset, message) for each use a crafted value could turn into InfluxQL."""
    problems: list[tuple[int, str]] = []
    contexts = lexical_contexts(text)
    for match in VARIABLE_PATTERN.finditer(text):
        name = match.group(1) or match.group(2) or match.group(4)
        fmt = (match.group(3) or match.group(6) or "").split(":")[0]
        variable = variables.get(name)
        if variable is None or variable.kind == "constant" or (fmt and fmt not in FORMATS):
            continue  # undeclared or an unknown format: the variable rule says so; a constant is not in the URL
        written, where = match.group(), contexts[match.start()]
        if where == "comment":
            problems.append((match.start(), f"{written} in a comment: a newline in its value ends the comment"))
        elif where == "regex" and (fmt == "regex" or (fmt == "" and variable.multi)):
            continue  # escaped for a regex: by the format, or by the datasource (an array)
        elif where == "regex":
            problems.append(
                (
                    match.start(),
                    f"{written} goes into the regex unescaped when JavaScript reads it as a number "
                    f"(a link's '1/ OR ...'); write ${{{name}:regex}}",
                )
            )
        elif variable.numeric:
            problems.append(
                (
                    match.start(),
                    f"{written} goes in as typed, so a dashboard link can put any InfluxQL here, and InfluxQL "
                    f"cannot cast; match each allowed number against ${{{name}:regex}} in a regex instead",
                )
            )
        else:
            problems.append(
                (
                    match.start(),
                    f"{written} goes in as typed (:singlequote escapes no backslash), so a dashboard link can put "
                    f"any InfluxQL here; match it in a regex: =~ /^${{{name}:regex}}$/",
                )
            )
    return problems


def lexical_contexts(text: str) -> list[Context]:
    """For each offset: inside a '...' string, a /.../ regex, a comment (-- or /* */), or other code."""
    contexts: list[Context] = []
    i, n = 0, len(text)
    last = ""  # the previous token's text, lower-cased, to tell a regex from a division
    while i < n:
        ch = text[i]
        if text.startswith("--", i) or text.startswith("/*", i):
            end = text.find("\n" if ch == "-" else "*/", i + 2)
            end = n if end < 0 else end + (0 if ch == "-" else 2)
            contexts += ["comment"] * (end - i)
            i = end
            continue
        if ch in "'\"" or (ch == "/" and last in _REGEX_AFTER):
            j = i + 1
            while j < n and text[j] != ch:
                j += 2 if text[j] == "\\" else 1
            end = min(j + 1, n)
            contexts += ["string" if ch == "'" else "regex" if ch == "/" else "code"] * (end - i)
            last, i = "'", end  # an operand
            continue
        contexts.append("code")
        if ch.isalnum() or ch == "_":
            j = i + 1
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            contexts += ["code"] * (j - i - 1)
            last, i = text[i:j].lower(), j
        elif text.startswith(("=~", "!~"), i):
            contexts.append("code")
            last, i = text[i : i + 2], i + 2
        elif ch.isspace():
            i += 1
        else:
            last, i = ch, i + 1
    return contexts
