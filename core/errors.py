"""One root error with an exit code; only the CLI turns it into an exit.

Exit codes: 0 ok, 1 findings (stale output, differences, failed pushes),
2 usage or validation errors (bad definitions, SQL, config, data), 3 an external
service (Grafana, InfluxDB) failed.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_SERVICE = 3


class ToolError(Exception):
    exit_code = EXIT_USAGE


class UsageError(ToolError):
    """Options that contradict each other or are missing."""


class ConfigError(ToolError):
    """dash.yaml is missing, malformed or names an unknown environment."""


class DefinitionError(ToolError):
    """A dashboard definition or query file is wrong; the message says where."""


class OutputError(ToolError):
    """The output directory holds files a build did not write, so replacing it would lose them."""


class QueryError(ToolError):
    """A query is wrong: it names something the pipeline does not write, breaks a cost rule,
    names an unknown dashboard, panel or variable, or an engine refused it."""


class UntranslatableError(ToolError):
    """A query construct with no faithful translation for the local engine; never run as something else."""


class DataError(ToolError):
    """A data directory is missing or holds a record the pipeline would reject."""


class BundleError(ToolError):
    """A provisioning bundle is malformed or references an unset secret."""


class ServiceError(ToolError):
    """A service (Grafana, InfluxDB) could not be reached or refused the request."""

    exit_code = EXIT_SERVICE


class GrafanaUnavailable(ServiceError):
    """Grafana is unreachable, unhealthy, rejects the credentials or lacks rights."""
