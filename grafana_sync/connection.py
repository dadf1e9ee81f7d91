"""A connection to Grafana through grafana-client: auth, org, TLS, timeout, and retries.

Each worker thread gets its own GrafanaApi (and so its own niquests session), so concurrent
pushes share nothing mutable. Transient failures (429, 5xx, timeouts, dropped connections) are
retried a bounded number of times with exponential backoff and full jitter, honouring
Retry-After. grafana-client does not expose response headers, so a response hook on the session
keeps the last Retry-After per thread.
"""

from __future__ import annotations

import ipaddress
import json
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlparse

import niquests
from grafana_client import GrafanaApi
from grafana_client.client import GrafanaClientError, GrafanaException, GrafanaServerError

from core.errors import GrafanaUnavailable, UsageError

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    url: str
    token: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    org_id: int = 1
    verify: bool | str = True  # False with --insecure, a CA bundle path with --ca-cert
    timeout: float = 10.0


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base: float = 0.25
    cap: float = 8.0
    max_retry_after: float = 30.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Full-jitter exponential backoff; a server's Retry-After is a floor (capped)."""
        jitter = random.uniform(0, min(self.cap, self.base * 2 ** (attempt - 1)))
        if retry_after is not None:
            return max(min(retry_after, self.max_retry_after), jitter)
        return jitter


class Grafana:
    """Thread-safe access to one Grafana: `call(what, fn)` runs fn(api) with retries."""

    def __init__(
        self,
        settings: Settings,
        policy: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        secrets: Iterable[str] = (),
    ) -> None:
        """secrets: values sent in request bodies (datasource secure fields), masked in every error like the
        token and password, since Grafana may echo a request body in its error message."""
        parsed = urlparse(settings.url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise UsageError(f"--grafana-url {settings.url!r}: expected http(s)://host[:port][/path]")
        if parsed.username or parsed.password:
            raise UsageError("--grafana-url must not carry credentials; use --token/GRAFANA_TOKEN or --user")
        if not settings.token and not (settings.user and settings.password):
            raise UsageError(
                "no Grafana credentials: set GRAFANA_TOKEN (or --token) to a service-account token, "
                "or pass --user with --password/GRAFANA_PASSWORD"
            )
        self.settings = settings
        self.secrets = frozenset(v for v in (settings.token, settings.password, *secrets) if v)
        self.policy = policy
        self.sleep = sleep
        self._local = threading.local()
        self._lock = threading.Lock()
        self.requests = 0

    def api(self) -> GrafanaApi:
        api = getattr(self._local, "api", None)
        if api is None:
            s = self.settings
            parsed = urlparse(s.url)
            auth: Any = s.token if s.token else (s.user, s.password)
            api = GrafanaApi(
                auth=auth,
                host=parsed.hostname,
                port=parsed.port,
                url_path_prefix=parsed.path.strip("/") + "/" if parsed.path.strip("/") else "",
                protocol=parsed.scheme,
                verify=s.verify,
                timeout=s.timeout,
                organization_id=s.org_id,
            )
            api.client.s.hooks["response"].append(self._remember_retry_after)
            self._local.api = api
        return api

    def _remember_retry_after(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        self._local.retry_after = response.headers.get("Retry-After")
        return response

    def call(self, what: str, fn: Callable[[GrafanaApi], T]) -> T:
        """Run one request with retries; `what` (e.g. "GET /api/folders/x") names it in errors."""
        for attempt in range(1, self.policy.attempts + 1):
            self._local.retry_after = None
            with self._lock:
                self.requests += 1
            try:
                return fn(self.api())
            except Exception as exc:
                if not is_transient(exc) or attempt == self.policy.attempts:
                    mask_secrets(exc, self.secrets)
                    raise
                self.sleep(self.policy.delay(attempt, _seconds(getattr(self._local, "retry_after", None))))
        raise AssertionError("unreachable: the last attempt returns or raises")


def status_of(exc: BaseException) -> int:
    """The HTTP status of a grafana-client error; 0 for transport failures."""
    return int(getattr(exc, "status_code", 0) or 0)


def is_transient(exc: BaseException) -> bool:
    """429, 5xx, timeouts and dropped connections; a failed TLS verification is not (retrying cannot fix it)."""
    if isinstance(exc, niquests.exceptions.SSLError):
        return False
    if isinstance(exc, GrafanaServerError):
        return True
    if isinstance(exc, GrafanaClientError):
        return status_of(exc) == 429
    if isinstance(exc, GrafanaException):
        return status_of(exc) == 0  # timeouts and wrapped transport errors
    return isinstance(exc, niquests.exceptions.RequestException) and not isinstance(exc, ValueError)


def mask_secrets(exc: BaseException, secrets: frozenset[str]) -> None:
    """Replace every secret value by *** in the error's message and in Grafana's response body it carries."""
    if isinstance(exc, GrafanaException):
        exc.response = _mask(exc.response, secrets)
        exc.message = _mask(exc.message, secrets)
    exc.args = tuple(_mask(arg, secrets) for arg in exc.args)


def mask_text(text: str, secrets: frozenset[str]) -> str:
    """Text to print with every secret value replaced by ***."""
    return str(_mask(text, secrets))


def _mask(value: Any, secrets: frozenset[str]) -> Any:
    if isinstance(value, str):
        for secret in sorted(secrets, key=len, reverse=True):
            value = value.replace(secret, "***").replace(json.dumps(secret)[1:-1], "***")  # raw or echoed as JSON
        return value
    if isinstance(value, dict):
        return {_mask(k, secrets): _mask(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, secrets) for v in value]
    return value


def describe(exc: BaseException) -> str:
    """A one-line reason without request bodies (which may hold secrets)."""
    status = status_of(exc)
    if isinstance(exc, GrafanaException) and status:
        body = exc.response
        message = body.get("message") if isinstance(body, dict) else None
        return f"HTTP {status}" + (f": {message}" if message else "")
    return f"{type(exc).__name__}: {exc}".split("\n")[0][:300]


def preflight(grafana: Grafana) -> str:
    """Check /api/health, then the credentials; return Grafana's version or raise GrafanaUnavailable."""
    url = grafana.settings.url
    try:
        health = grafana.call("GET /api/health", lambda api: api.client.GET("/health"))
    except Exception as exc:
        if status_of(exc) == 503:
            raise GrafanaUnavailable(
                f"Grafana at {url} is unhealthy (503 from /api/health: database failing)"
            ) from None
        if isinstance(exc, GrafanaException) and status_of(exc):
            raise GrafanaUnavailable(f"Grafana at {url}: /api/health answered {describe(exc)}") from None
        if isinstance(exc, niquests.exceptions.SSLError):
            raise GrafanaUnavailable(tls_failure(url, exc)) from None
        raise GrafanaUnavailable(f"cannot reach Grafana at {url}: {describe(exc)}") from None
    try:
        grafana.call(
            "GET /api/search",
            lambda api: api.search.search_dashboards(type_="dash-folder", limit=1),
        )
    except Exception as exc:
        raise refusal(exc, "GET /api/search (credentials check)") from None
    return str(health.get("version", "unknown")) if isinstance(health, dict) else "unknown"


def plaintext_warning(url: str) -> str | None:
    """Why sending credentials to this URL is unsafe, or None: plain http:// is fine only to this machine (a
    port forward such as Session Manager's ends there), anywhere else the token or password travels in clear."""
    parsed = urlparse(url)
    if parsed.scheme != "http" or _is_loopback(parsed.hostname or ""):
        return None
    return (
        f"warning: {url} is plain HTTP to another host: the Grafana token or password, and the datasource "
        "secrets of --update-secrets, travel unencrypted; use https://, or a port forward to localhost "
        "(infra/README.md, Reaching Grafana)"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def tls_failure(url: str, exc: BaseException) -> str:
    """Why the TLS handshake failed, and the option that fixes it."""
    reason = re.search(r"\] ([^(]+?) \(_ssl", str(exc))
    return (
        f"TLS verification of Grafana at {url} failed ({reason.group(1) if reason else describe(exc)}): "
        "pass --ca-cert FILE with the CA that signed Grafana's certificate (--insecure skips the check)"
    )


def refusal(exc: BaseException, what: str) -> GrafanaUnavailable:
    """The one clear message for 401/403 and for a Grafana that stays unreachable."""
    status = status_of(exc)
    if status == 401:
        return GrafanaUnavailable(
            f"Grafana rejected the credentials (401 on {what}): check GRAFANA_TOKEN/--token "
            "(a service-account token) or --user/GRAFANA_PASSWORD"
        )
    if status == 403:
        return GrafanaUnavailable(
            f"the credentials lack rights (403 on {what}): give the service account the Editor role "
            "in this org for folders and dashboards, Admin for datasources; check --org-id"
        )
    return GrafanaUnavailable(f"Grafana failed on {what}: {describe(exc)}")


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
