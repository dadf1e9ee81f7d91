"""A dashboard's template variable, typed once: rendering, the checks and the local engines all read this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


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
