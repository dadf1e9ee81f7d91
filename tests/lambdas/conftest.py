"""Real servers for the ingest tests: moto in server mode and Debian's InfluxDB 1.x, on 127.0.0.1 free ports.

A missing binary skips its tests with the package to install, except under CI (env CI set), where it fails.
Each server is started once per session and stopped by its PID.
"""

from __future__ import annotations

import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.servers import binary, free_port, influxd, stop, wait_until_up

REGION = "eu-west-1"  # Timestream for LiveAnalytics has an endpoint here (moto 500s in eu-west-2)


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    path = binary("moto_server", "pip install 'moto[server]'")
    port = free_port()
    process = subprocess.Popen(
        [path, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/moto-api/", process, "moto_server")
        yield url
    finally:
        stop(process)


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


@pytest.fixture(scope="session")
def influx_url() -> Iterator[str]:
    with influxd(auth=False) as url:
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
    with influxd(auth=True) as url:
        server = SecuredInflux(url, "admin", secrets.token_urlsafe(16))
        query = urllib.parse.urlencode(
            {"q": f"CREATE USER {server.admin} WITH PASSWORD '{server.password}' WITH ALL PRIVILEGES"}
        )
        urllib.request.urlopen(urllib.request.Request(f"{url}/query?{query}", method="POST"), timeout=10).close()
        yield server
