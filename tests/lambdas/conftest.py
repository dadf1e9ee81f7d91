"""Real servers for the ingest tests: moto in server mode and Debian's InfluxDB 1.x, on 127.0.0.1 free ports.

A missing binary skips its tests with the package to install, except under CI (env CI set), where it fails.
Each server is started once per session and stopped by its PID.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REGION = "eu-west-1"  # Timestream for LiveAnalytics has an endpoint here (moto 500s in eu-west-2)


def _binary(name: str, install: str) -> str:
    beside_python = Path(sys.executable).parent / name
    path = str(beside_python) if beside_python.is_file() else shutil.which(name)
    if path is None:
        message = f"{name} is not installed: {install}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set, so this is a failure, not a skip)")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], name: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer {url} within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    binary = _binary("moto_server", "pip install 'moto[server]'")
    port = free_port()
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{url}/moto-api/", process, "moto_server")
        yield url
    finally:
        _stop(process)


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every boto3 client of the test talks to the moto server, which starts empty."""
    request = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=5).close()
    for name, value in {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    from connect_ingest import config

    config.reset()
    yield moto_url
    config.reset()


_INFLUX_CONFIG = """\
reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"
[meta]
  dir = "{root}/meta"
[data]
  dir = "{root}/data"
  wal-dir = "{root}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:{http_port}"
  auth-enabled = {auth}
  log-enabled = false
[continuous_queries]
  enabled = false
"""


@contextmanager
def _influxd(auth: bool) -> Iterator[str]:
    """Debian's influxd on a free port with a throw-away data directory; its URL while it runs."""
    binary = _binary("influxd", "apt-get install -y influxdb (Debian's InfluxDB 1.x)")
    with tempfile.TemporaryDirectory(prefix="influxd-") as root:
        http_port = free_port()
        config_path = Path(root) / "influxdb.conf"
        config_path.write_text(
            _INFLUX_CONFIG.format(root=root, rpc_port=free_port(), http_port=http_port, auth=str(auth).lower())
        )
        process = subprocess.Popen(
            [binary, "-config", str(config_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{http_port}"
            _wait_until_up(f"{url}/ping", process, "influxd")
            yield url
        finally:
            _stop(process)


@pytest.fixture(scope="session")
def influx_url() -> Iterator[str]:
    with _influxd(auth=False) as url:
        yield url


@dataclass(frozen=True)
class SecuredInflux:
    """An influxd with ``auth-enabled = true`` and its admin, whose password is made up for this session."""

    url: str
    admin: str
    password: str = field(repr=False)


@pytest.fixture(scope="session")
def secured_influx() -> Iterator[SecuredInflux]:
    """With auth enabled and no user yet, InfluxDB 1.x accepts one unauthenticated CREATE USER: the admin."""
    with _influxd(auth=True) as url:
        server = SecuredInflux(url, "admin", secrets.token_urlsafe(16))
        query = urllib.parse.urlencode(
            {"q": f"CREATE USER {server.admin} WITH PASSWORD '{server.password}' WITH ALL PRIVILEGES"}
        )
        urllib.request.urlopen(urllib.request.Request(f"{url}/query?{query}", method="POST"), timeout=10).close()
        yield server
