"""Expand `$VAR` / `${VAR}` references in datasource secure fields, as Grafana's provisioning does.

The expanded values live only in memory for the request that sends them: they are never
printed, logged or put into error messages (errors name the variable, not its value).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from grafana_sync.errors import BundleError

_REFERENCE = re.compile(r"\$\$|\$\{(\w+)\}|\$(\w+)")


def expand(value: str, environ: Mapping[str, str], where: str) -> str:
    """Replace each reference by its environment value; `$$` is a literal `$`."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(2)
        if name not in environ:
            raise BundleError(
                f"{where} references ${{{name}}}, which is not set in the environment; "
                f"export {name} before pushing (its value is sent to Grafana, never printed)"
            )
        return environ[name]

    return _REFERENCE.sub(substitute, value)
