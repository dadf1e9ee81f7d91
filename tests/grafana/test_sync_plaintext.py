"""`dash push` and `dash diff` warn once before sending credentials over plain HTTP to another host."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from grafana_sync.connection import plaintext_warning
from tests.grafana.bundles import make_bundle
from tests.grafana.conftest import ADMIN_TOKEN
from tests.grafana.emulator import GrafanaEmulator
from tests.grafana.helpers import run_cli, write_bundle

REMOTE = "grafana.example.test"  # resolved to the emulator below, so the request really goes out over http://


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:3000/",
        "http://grafana.localhost:3000/",
        "http://127.0.0.1:3000",
        "http://127.8.9.10/",
        "http://[::1]:3000/",
        "https://grafana.example.net/",
        "https://203.0.113.7:3000/",
    ],
)
def test_https_or_this_machine_is_no_warning(url: str) -> None:
    assert plaintext_warning(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://grafana.example.net/",
        "http://203.0.113.7:3000/",
        "http://10.0.0.5:3000/grafana/",
        "http://[2001:db8::1]:3000/",
        "http://localhost.example.net/",
        "http://127.0.0.1.example.net/",
        "HTTP://Grafana.Example.NET/",
    ],
)
def test_plain_http_to_another_host_is_a_warning(url: str) -> None:
    warning = plaintext_warning(url)
    assert warning is not None and warning.startswith(f"warning: {url} is plain HTTP to another host")
    assert "use https://" in warning


@pytest.fixture
def remote_emulator(emulator: GrafanaEmulator, monkeypatch: pytest.MonkeyPatch) -> str:
    """The emulator's URL under a name that is not loopback (resolved to it in this process only)."""
    real = socket.getaddrinfo

    def resolve(host: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == REMOTE else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return f"http://{REMOTE}:{urlparse(emulator.url).port}/"


def test_push_and_diff_warn_once_on_stderr_before_sending_credentials_in_clear(
    remote_emulator: str, emulator: GrafanaEmulator, tmp_path: Path
) -> None:
    write_bundle(tmp_path, make_bundle(6))
    warning = f"warning: {remote_emulator} is plain HTTP to another host"
    for command, expected in (("push", 0), ("diff", 0)):
        result = run_cli(tmp_path, command, "--grafana-url", remote_emulator, "--concurrency", "4")
        assert result.exit_code == expected, result.stderr
        assert result.stderr.count(warning) == 1, (command, result.stderr)
        assert warning not in result.stdout, "the warning goes to stderr only"
        assert ADMIN_TOKEN not in result.stderr + result.stdout
    assert len(emulator.log) > 6, "the requests did go to the emulator"


def test_loopback_http_and_https_push_without_the_warning(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    write_bundle(tmp_path, make_bundle(2))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url)
    assert result.exit_code == 0, result.stderr
    assert "plain HTTP" not in result.stderr
