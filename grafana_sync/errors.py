"""The push and diff errors, each carrying the exit code documented in dashcompiler.errors."""

from __future__ import annotations

from dashcompiler.errors import ServiceError, ToolError


class BundleError(ToolError):
    """The provisioning bundle is malformed or references an unset secret (exit 2)."""


class UsageError(ToolError):
    """Options that contradict each other or are missing (exit 2)."""


class GrafanaUnavailable(ServiceError):
    """Grafana is unreachable, unhealthy, rejects the credentials or lacks rights (exit 3)."""
