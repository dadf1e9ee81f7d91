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
from grafana_client.client import GrafanaClientError, GrafanaException, GrafanaServerError, GrafanaTimeoutError

from core.errors import GrafanaUnavailable, UsageError
from core.secrets import mask, masker

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
        basic = f"{settings.user}:{settings.password}" if settings.user and settings.password else None
        self.secrets = frozenset(v for v in (settings.token, settings.password, basic, *secrets) if v)
        self.forms = masker(self.secrets)
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
        self._local.response = response
        return response

    def call(self, what: str, fn: Callable[[GrafanaApi], T], expect: Shape | None = None) -> T:
        """Run one request with retries; `what` (e.g. "GET /api/folders/x") names it in errors.

        expect: the JSON Grafana answers (a type and the keys it always has); anything else, or a body that is
        not JSON, raises NotGrafana (exit 3), as does a 4xx answered with something other than JSON."""
        for attempt in range(1, self.policy.attempts + 1):
            self._local.retry_after = None
            self._local.response = None
            with self._lock:
                self.requests += 1
            try:
                answer = fn(self.api())
            except Exception as exc:
                if _not_json(exc):
                    raise self.not_grafana(what) from None
                if not is_transient(exc) or attempt == self.policy.attempts:
                    mask_secrets(exc, self.forms)
                    raise
                self.sleep(self.policy.delay(attempt, _seconds(getattr(self._local, "retry_after", None))))
                continue
            if expect is not None and not expect.fits(answer):
                raise self.not_grafana(what)
            return answer
        raise AssertionError("unreachable: the last attempt returns or raises")

    def not_grafana(self, what: str) -> NotGrafana:
        """What came back instead of Grafana's JSON, as a short excerpt without secrets."""
        return NotGrafana(
            f"not a Grafana API at {self.settings.url}: {what} answered {excerpt(self._local.response, self.forms)}; "
            "check that --grafana-url is Grafana's base URL (where its web UI answers, not a proxy's login "
            "page or another server)"
        )


class NotGrafana(GrafanaUnavailable):
    """The server at --grafana-url answers, but not as Grafana's HTTP API does (HTML, an unexpected JSON shape)."""


@dataclass(frozen=True)
class Shape:
    """The JSON an endpoint answers: an object whose keys hold values of these types, or a list of such objects."""

    kind: type
    keys: tuple[tuple[str, type], ...] = ()

    def fits(self, value: Any) -> bool:
        if self.kind is list:
            return isinstance(value, list) and all(self._object(item) for item in value)
        return self._object(value)

    def _object(self, value: Any) -> bool:
        return isinstance(value, dict) and all(isinstance(value.get(key), kind) for key, kind in self.keys)


OBJECT = Shape(dict)  # what a write answers
HITS = Shape(list, (("uid", str),))  # search hits
FOLDER = Shape(dict, (("uid", str), ("title", str)))
DATASOURCE = Shape(dict, (("uid", str), ("type", str)))
DASHBOARD = Shape(dict, (("dashboard", dict), ("meta", dict)))


def excerpt(response: Any, forms: tuple[str, ...], limit: int = 80) -> str:
    """HTTP status, content type and the start of the body (its title for an HTML page), secrets masked."""
    if response is None:
        return "nothing readable"
    kind = str(response.headers.get("Content-Type") or "no content type").split(";")[0].strip()
    try:  # as UTF-8, not a guessed charset (Shift_JIS would turn a secret's ~ into another character, unmasked)
        text = mask(bytes(response.content or b"").decode("utf-8", "replace"), forms)
    except Exception:
        text = ""
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        shown = f"an HTML page titled '{_printable(title.group(1), limit)}'"
    elif not text.strip():
        shown = "an empty body"
    else:
        shown = f"'{_printable(text, limit)}'"
    return f"HTTP {response.status_code} ({kind}) with {shown}"


def _printable(text: str, limit: int) -> str:
    """One line, control characters escaped, at most `limit` characters."""
    flat = " ".join(text.split())
    flat = "".join(c if c.isprintable() else repr(c)[1:-1] for c in flat)
    return flat[:limit] + ("..." if len(flat) > limit else "")


def _not_json(exc: BaseException) -> bool:
    """A 2xx body that is not JSON (the client fails decoding it), or a 4xx whose body is not JSON: Grafana's API
    answers JSON on every path, so this is another server (a 5xx from a proxy is retried as transient)."""
    if isinstance(exc, (json.JSONDecodeError, niquests.exceptions.JSONDecodeError)):
        return True
    status = status_of(exc)
    return (
        isinstance(exc, GrafanaClientError)
        and 400 <= status < 500
        and status != 429
        and not isinstance(getattr(exc, "response", None), dict)
    )


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


def mask_secrets(exc: BaseException, forms: tuple[str, ...]) -> None:
    """Replace every form of every secret by *** in the error's message and in Grafana's response body it carries."""
    if isinstance(exc, GrafanaException):
        exc.response = _mask(exc.response, forms)
        exc.message = _mask(exc.message, forms)
    exc.args = tuple(_mask(arg, forms) for arg in exc.args)


def mask_text(text: str, forms: tuple[str, ...]) -> str:
    """Text to print with every secret replaced by ***."""
    return mask(text, forms)


def _mask(value: Any, forms: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return mask(value, forms)
    if isinstance(value, dict):
        return {_mask(k, forms): _mask(v, forms) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, forms) for v in value]
    return value


def describe(exc: BaseException) -> str:
    """A one-line reason in Grafana's words or ours, never an HTTP library's text (it quotes headers and URLs)."""
    status = status_of(exc)
    if isinstance(exc, GrafanaException) and status:
        body = exc.response
        message = body.get("message") if isinstance(body, dict) else None
        return f"HTTP {status}" + (f": {_printable(str(message), 2000)}" if message else "")
    return transport_failure(exc)


def transport_failure(exc: BaseException) -> str:
    """Why no HTTP answer came, in words: refused, no such host, timed out, dropped."""
    if isinstance(exc, (GrafanaTimeoutError, niquests.exceptions.Timeout)):
        return "no answer within --timeout"
    text = str(exc).lower()
    for needle, reason in _TRANSPORT_REASONS:
        if needle in text:
            return reason
    if isinstance(exc, niquests.exceptions.ConnectionError):
        return "the connection failed"
    return f"the request failed ({type(exc).__name__})"


_TRANSPORT_REASONS = (
    ("refused", "connection refused (nothing listens at that host and port)"),
    ("failed to resolve", "the host name does not resolve"),
    ("name or service not known", "the host name does not resolve"),
    ("timed out", "no answer within --timeout"),
    ("reset", "the connection was dropped"),
    ("aborted", "the connection was dropped"),
    ("remote end closed", "the connection was dropped"),
    ("remotedisconnected", "the connection was dropped"),
    ("unreachable", "the network is unreachable"),
)


def preflight(grafana: Grafana) -> str:
    """Check /api/health, then the credentials; return Grafana's version or raise GrafanaUnavailable."""
    url = grafana.settings.url
    try:
        health = grafana.call("GET /api/health", lambda api: api.client.GET("/health"), HEALTH)
    except GrafanaUnavailable:
        raise
    except Exception as exc:
        if status_of(exc) == 503:
            raise GrafanaUnavailable(
                f"Grafana at {url} is unhealthy (503 from /api/health: database failing)"
            ) from None
        if isinstance(exc, GrafanaException) and status_of(exc):
            raise GrafanaUnavailable(f"Grafana at {url}: /api/health answered {describe(exc)}") from None
        if isinstance(exc, niquests.exceptions.SSLError):
            raise GrafanaUnavailable(tls_failure(url, exc)) from None
        raise GrafanaUnavailable(
            f"cannot reach Grafana at {url}: {describe(exc)}; check --grafana-url and that Grafana runs"
        ) from None
    try:
        grafana.call(
            "GET /api/search",
            lambda api: api.search.search_dashboards(type_="dash-folder", limit=1),
            HITS,
        )
    except Exception as exc:
        raise refusal(exc, "GET /api/search (credentials check)") from None
    return str(health.get("version", "unknown"))


HEALTH = Shape(dict, (("database", str),))


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
    if isinstance(exc, GrafanaUnavailable):
        return exc
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
