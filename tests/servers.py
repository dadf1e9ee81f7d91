"""Real servers for integration tests on 127.0.0.1 free ports: finding the binary, waiting, stopping by PID.

A missing binary skips its tests with the package to install, except under CI (env CI set), where it fails.
Shared by the ingest tests (tests/lambdas) and the InfluxQL panel tests (tests/influx).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# How often an http.server loop started by a test looks for shutdown(): the default 0.5 s is what each stop waited.
POLL_SECONDS = 0.02


def binary(name: str, install: str) -> str:
    """The executable beside this Python (a venv) or on PATH; skip, or fail under CI, without it."""
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


def wait_until_up(url: str, process: subprocess.Popen[bytes], name: str, timeout: float = 30.0) -> None:
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


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the one process this session started (by its PID), killing it if it lingers."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


_INFLUX_CONFIG = """\
reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"
[meta]
  dir = "{root}/meta"
[data]
  dir = "{root}/data"
  wal-dir = "{root}/wal"
  query-log-enabled = false
  # contact_id is a tag: 1.x's default max-values-per-tag (100,000) refuses every point once that many contacts
  # exist (the bench simulates 100,000 and more); 0 is no limit, as on Timestream for InfluxDB (2.x)
  max-values-per-tag = 0
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
def influxd(auth: bool) -> Iterator[str]:
    """Debian's influxd on a free port with a throw-away data directory; its URL while it runs."""
    path = binary("influxd", "apt-get install -y influxdb (Debian's InfluxDB 1.x)")
    with tempfile.TemporaryDirectory(prefix="influxd-") as root:
        http_port = free_port()
        config_path = Path(root) / "influxdb.conf"
        config_path.write_text(
            _INFLUX_CONFIG.format(root=root, rpc_port=free_port(), http_port=http_port, auth=str(auth).lower())
        )
        process = subprocess.Popen(
            [path, "-config", str(config_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{http_port}"
            wait_until_up(f"{url}/ping", process, "influxd")
            yield url
        finally:
            stop(process)
