"""One root error with an exit code; only the CLI turns it into an exit.

Exit codes: 0 ok, 1 findings (stale output, differences, failed pushes),
2 usage or validation errors (bad definitions, SQL, config), 3 an external
service (Grafana, AWS) failed.
"""

from __future__ import annotations


class ToolError(Exception):
    exit_code = 2


class ConfigError(ToolError):
    """dash.yaml is missing, malformed or names an unknown environment."""


class DefinitionError(ToolError):
    """A dashboard definition or query file is wrong; the message says where."""


class OutputError(ToolError):
    """The output directory holds files a build did not write, so replacing it would lose them."""


class QueryError(ToolError):
    """A shipped query names something the pipeline does not write, or breaks a cost rule."""


class ServiceError(ToolError):
    """Grafana or AWS could not be reached or refused the request."""

    exit_code = 3
