"""A dashboard's template variable, typed once: rendering, the checks and the local engines all read this."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Literal

# Grafana's templateSrv pattern: $var, [[var]] or [[var:format]], ${var}, ${var.field} or ${var:format}.
VARIABLE_PATTERN = re.compile(r"\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?\}")


@dataclass(frozen=True)
class TemplateVariable:
    """A dashboard's template variable, as rendering, checks and the local engines all read it."""

    name: str
    kind: Literal["query", "custom", "constant"]
    datasource: str | None  # the kind whose query lists the values (query variables)
    multi: bool
    include_all: bool
    all_value: str  # what an All selection inserts, as written ("" when Grafana expands All itself)
    numeric: bool  # a number (inserted bare), else a string
    options: tuple[str, ...] = ()  # fixed values (custom, constant)
    current: tuple[str, ...] = ()  # the saved selection

    @property
    def takes_many(self) -> bool:
        """Substituted as a list (several values, or All): the plugins quote each value."""
        return self.multi or self.include_all


def declared_hint(name: str, declared: Iterable[str]) -> str:
    """What to say of an undeclared ``$name``: the close names, else those the dashboard declares."""
    names = sorted(declared)
    close = get_close_matches(name, names, n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"${c}" for c in close) + "?"
    if names:
        return "declared: " + ", ".join(f"${v}" for v in names)
    return "the dashboard declares no variables"
