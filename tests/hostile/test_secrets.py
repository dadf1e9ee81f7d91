"""Secrets never reach the output, whatever they hold and wherever they travel.

Generated secrets (line ends, tabs, escapes, quotes, markup, non-ASCII, emoji) go through every path that prints
an error: a credential that cannot be sent (exit 2, named by its source, not echoed), a server that echoes the
Authorization header or the request body back in HTML, in a JSON message, in a 401, 400 or 500, and an
unreachable server. The Grafana token (--token, $GRAFANA_TOKEN), the Grafana password ($GRAFANA_PASSWORD with
--user), a datasource secret `dash push` sends ($INFLUX_READ_TOKEN) and the InfluxDB credentials of
`dash query --engine influxdb` and `dash influx load` ($INFLUX_TOKEN, $INFLUX_PASSWORD)."""

from __future__ import annotations

import base64
import html
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.grafana.emulator import Faults, GrafanaEmulator
from tests.hostile.conftest import assert_clean_error, leaked, reset, run, secrets, tree
from tests.servers import POLL_SECONDS, free_port

PROPERTY = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
USER = "pusher"
# The bundle's datasource token, and the address its contact point reads (without it Grafana refuses the point).
READ_TOKEN = {"INFLUX_READ_TOKEN": "influx-read-token-fixed", "ALERT_EMAIL_ADDRESSES": "ops@example.com"}
ADMIN = "glsa_hostile_admin_token_0123456789"
Answer = Callable[[str, str, dict[str, str], bytes], tuple[int, str, bytes]]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the committed bundle (an InfluxDB datasource with a secret, an Athena one, four dashboards)."""
    shutil.copytree(ROOT / "provisioning", tmp_path / "provisioning")
    return tmp_path


def grafana_args(url: str, command: str) -> list[str]:
    return [*command.split(), "--grafana-url", url, "--bundle", "provisioning", "--retries", "2", "--timeout", "5"]


def credential(source: str, secret: str) -> tuple[list[str], dict[str, str | None]]:
    """Options and environment that hand the secret to dash by `source`."""
    if source == "--token":
        return ["--token", secret], {}
    if source == "$GRAFANA_TOKEN":
        return [], {"GRAFANA_TOKEN": secret}
    return ["--user", USER], {"GRAFANA_PASSWORD": secret}


def header_bad() -> st.SearchStrategy[str]:
    return secrets(sendable=False)


def password_bad() -> st.SearchStrategy[str]:
    """A control character: fine in base64, but a paste accident."""
    return st.tuples(secrets(sendable=True), st.sampled_from(["\n", "\r\n", "\t", "\x1b[0m", "\x7f"])).map(
        lambda pair: pair[0][:5] + pair[1] + pair[0][5:]
    )


@pytest.mark.parametrize("command", ["push", "push --dry-run", "diff"])
@pytest.mark.parametrize("source", ["--token", "$GRAFANA_TOKEN", "$GRAFANA_PASSWORD"])
@PROPERTY
@given(data=st.data())
def test_a_grafana_credential_that_cannot_be_sent_is_a_usage_error_naming_its_source(
    grafana: GrafanaEmulator, root: Path, command: str, source: str, data: st.DataObject
) -> None:
    secret = data.draw(password_bad() if source == "$GRAFANA_PASSWORD" else header_bad())
    reset(grafana)
    before = tree(root)
    options, env = credential(source, secret)
    result = run(root, *grafana_args(grafana.url, command), *options, env={**READ_TOKEN, **env})
    line = assert_clean_error(result, 2, source, "cannot be sent with", "set it to the credential alone")
    assert not leaked(secret, result.stdout + result.stderr, USER), line
    assert grafana.log == []  # refused before any request
    assert tree(root) == before


def echo_answer(status: int, kind: str, shape: str) -> Answer:
    """A server that quotes the request back: its Authorization header (and the decoded Basic credential) and
    body, raw, JSON-escaped and HTML-escaped, in an HTML page or a JSON message."""

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        auth = headers.get("Authorization", "")
        decoded = ""
        if auth.startswith("Basic "):
            decoded = base64.b64decode(auth[6:]).decode("utf-8", "replace")
        quoted = f"{auth} {decoded} {body.decode('utf-8', 'replace')}"
        if shape == "html":
            page = f"<html><head><title>Sign in {html.escape(quoted)}</title></head><body>{quoted}</body></html>"
            return status, kind, page.encode()
        return status, kind, json.dumps({"message": f"invalid request: {quoted}", "echo": quoted}).encode()

    return answer


ECHOES = {
    # where the server echoes: (fault regex, status, content type, shape, expected exit, phrase in the output)
    "health-html": (r"GET /api/health", 200, "text/html", "html", 3, "not a Grafana API at"),
    "search-401": (r"GET /api/search", 401, "application/json", "json", 3, "rejected the credentials"),
    "folder-404-html": (r"GET /api/folders/.*", 404, "text/html", "html", 3, "not a Grafana API at"),
    "dashboard-500": (r"GET /api/dashboards/uid/connect-rt-agents", 500, "application/json", "json", 3, "HTTP 500"),
    "datasource-400": (r"POST /api/datasources", 400, "application/json", "json", 1, "failed: datasource"),
    "save-200-html": (r"POST /api/dashboards/db", 200, "text/html", "html", 3, "not a Grafana API at"),
}


@pytest.mark.parametrize("echo", sorted(ECHOES))
@pytest.mark.parametrize("source", ["--token", "$GRAFANA_TOKEN", "$GRAFANA_PASSWORD"])
@PROPERTY
@given(secret=secrets(sendable=True))
def test_a_grafana_credential_the_server_echoes_back_is_masked_everywhere(
    grafana: GrafanaEmulator, root: Path, echo: str, source: str, secret: str
) -> None:
    only, status, kind, shape, code, phrase = ECHOES[echo]
    reset(grafana)
    grafana.tokens[secret] = "Admin"
    grafana.users[(USER, secret)] = "Admin"
    options, env = credential(source, secret)
    if echo.startswith("dashboard"):  # the dashboards exist, so that the plan reads them
        assert run(root, *grafana_args(grafana.url, "push"), *options, env={**READ_TOKEN, **env}).exit_code == 0
    grafana.set_faults(Faults(rate=1.0, kinds=("answer",), only=only, answer=echo_answer(status, kind, shape)))
    before = tree(root)
    command = "push --dry-run" if echo.startswith(("dashboard", "folder")) else "push"
    result = run(root, *grafana_args(grafana.url, command), *options, env={**READ_TOKEN, **env})
    text = result.stdout + result.stderr
    assert result.exit_code == code, text
    assert phrase in result.stderr and "Traceback" not in text
    assert not leaked(secret, text, USER), text
    assert tree(root) == before
    del grafana.tokens[secret], grafana.users[(USER, secret)]


@pytest.mark.parametrize("fault", ["echo", "answer"])
@PROPERTY
@given(secret=secrets())
def test_a_datasource_secret_the_server_echoes_back_is_masked(
    grafana: GrafanaEmulator, root: Path, fault: str, secret: str
) -> None:
    """$INFLUX_READ_TOKEN goes in POST /api/datasources' body as `Token <value>`: a 400 quoting the body (Grafana's
    own validation errors do) or a proxy's HTML page quoting it."""
    reset(grafana)
    grafana.tokens[ADMIN] = "Admin"
    answer = echo_answer(200, "text/html", "html")
    grafana.set_faults(Faults(rate=1.0, kinds=(fault,), only=r"POST /api/datasources", answer=answer))
    result = run(root, *grafana_args(grafana.url, "push"), env={"GRAFANA_TOKEN": ADMIN, "INFLUX_READ_TOKEN": secret})
    text = result.stdout + result.stderr
    assert result.exit_code == (1 if fault == "echo" else 3), text
    assert "Traceback" not in text
    assert "failed: datasource connect-influxdb" in text if fault == "echo" else "not a Grafana API at" in text
    assert not leaked(secret, text), text


@PROPERTY
@given(secret=secrets(sendable=True))
def test_an_unreachable_grafana_is_one_line_without_library_internals_or_the_token(root: Path, secret: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run(root, *grafana_args(url, "push"), env={"GRAFANA_TOKEN": secret, **READ_TOKEN})
    line = assert_clean_error(result, 3, f"cannot reach Grafana at {url}: connection refused", "check --grafana-url")
    for internal in ("HTTPConnectionPool", "urllib3", "Max retries", "object at 0x", "Errno", "NewConnectionError"):
        assert internal not in line
    assert not leaked(secret, result.stdout + result.stderr)


class _InfluxEcho(BaseHTTPRequestHandler):
    """An InfluxDB that refuses every statement quoting the request's Authorization header back."""

    requests: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.requests.append(self.path)
        auth = self.headers.get("Authorization", "")
        decoded = base64.b64decode(auth[6:]).decode("utf-8", "replace") if auth.startswith("Basic ") else ""
        body = json.dumps({"error": f"authorization failed for {auth!r} ({decoded}) {html.escape(auth)}"}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def influx_echo() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _InfluxEcho)
    thread = threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


INFLUX_COMMANDS = {
    "query": ["query", "connect-rt-agents", "online", "--engine", "influxdb", "--influx-database", "connect"],
    "load": ["influx", "load", "SIM"],
}
RANGE = ["--from", "2026-01-31T23:16:00Z", "--to", "2026-02-01T00:16:00Z"]


def influx_args(command: str, url: str, data: Path) -> list[str]:
    args = [str(data) if a == "SIM" else a for a in INFLUX_COMMANDS[command]]
    return [*args, "--influx-url", url, *([*RANGE, "--root", str(ROOT)] if command == "query" else [])]


@pytest.mark.parametrize("variable", ["$INFLUX_TOKEN", "$INFLUX_PASSWORD"])
@pytest.mark.parametrize("command", sorted(INFLUX_COMMANDS))
@PROPERTY
@given(data=st.data())
def test_an_influxdb_credential_that_cannot_be_sent_is_a_usage_error(
    influx_echo: str, tmp_path: Path, command: str, variable: str, data: st.DataObject
) -> None:
    secret = data.draw(header_bad() if variable == "$INFLUX_TOKEN" else password_bad())
    env = (
        {"INFLUX_TOKEN": secret}
        if variable == "$INFLUX_TOKEN"
        else {"INFLUX_USERNAME": USER, "INFLUX_PASSWORD": secret}
    )
    _InfluxEcho.requests.clear()
    before = tree(tmp_path)
    result = run(None, *influx_args(command, influx_echo, tmp_path / "sim"), env=env)
    assert_clean_error(result, 2, variable, "cannot be sent with", "set it to the credential alone")
    assert not leaked(secret, result.stdout + result.stderr, USER)
    assert _InfluxEcho.requests == [] and tree(tmp_path) == before


@pytest.mark.parametrize("variable", ["$INFLUX_TOKEN", "$INFLUX_PASSWORD"])
@pytest.mark.parametrize("command", sorted(INFLUX_COMMANDS))
@settings(PROPERTY, max_examples=4)
@given(secret=secrets(sendable=True))
def test_an_influxdb_credential_the_server_echoes_back_is_masked(
    influx_echo: str, tmp_path: Path, command: str, variable: str, secret: str
) -> None:
    env = (
        {"INFLUX_TOKEN": secret}
        if variable == "$INFLUX_TOKEN"
        else {"INFLUX_USERNAME": USER, "INFLUX_PASSWORD": secret}
    )
    (tmp_path / "sim").mkdir(exist_ok=True)
    result = run(None, *influx_args(command, influx_echo, tmp_path / "sim"), env=env)
    line = assert_clean_error(result, 2, "refused the query", "authorization failed")
    assert "***" in line
    assert not leaked(secret, result.stdout + result.stderr, USER), line
