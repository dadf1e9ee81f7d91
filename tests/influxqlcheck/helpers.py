"""Template variables as the compiler types them, for the InfluxQL tests."""

from __future__ import annotations

from core.template_variable import TemplateVariable


def variable(
    name: str, *, multi: bool = False, include_all: bool = False, all_value: str = "", options: tuple[str, ...] = ()
) -> TemplateVariable:
    """A query variable of the InfluxDB kind (a custom all value counts only with All offered)."""
    return TemplateVariable(name, "query", "influxdb", multi, include_all, all_value, False, options)
