"""The Grafana emulator fixture: a real threaded HTTP server on 127.0.0.1, stopped in teardown."""

from __future__ import annotations

import contextlib
import ssl
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.conftest import REFERENCE_DATA
from tests.grafana.emulator import GrafanaEmulator

SPEC = REFERENCE_DATA / "grafana-9.3.2" / "openapi3.json"
ALERTING_SPEC = REFERENCE_DATA / "grafana-alerting-provisioning" / "openapi3.json"
ADMIN_TOKEN = "glsa_admin_token_0123456789abcdef"
VIEWER_TOKEN = "glsa_viewer_token_0123456789abcdef"
EDITOR_TOKEN = "glsa_editor_token_0123456789abcdef"
BASIC_USER = ("pusher", "basic-password-s3cret")
SECRETS = {"CONNECT_ATHENA_ACCESS_KEY": "AKIAEMULATEDKEY00001", "CONNECT_ATHENA_SECRET_KEY": "s3cr3t/Value+Never-Print"}


@contextlib.contextmanager
def serving(tls: ssl.SSLContext | None = None) -> Iterator[GrafanaEmulator]:
    """An emulator on 127.0.0.1 that fails the test if it met a bug or a request outside Grafana's spec."""
    server = GrafanaEmulator(
        SPEC,
        tokens={ADMIN_TOKEN: "Admin", VIEWER_TOKEN: "Viewer", EDITOR_TOKEN: "Editor"},
        users={BASIC_USER: "Admin"},
        alerting_spec_path=ALERTING_SPEC,
    )
    if server.validation_note:
        warnings.warn(server.validation_note, stacklevel=1)
    server.start(tls=tls)
    try:
        yield server
    finally:
        server.stop()
    assert not server.server_errors, "emulator errors:\n" + "\n".join(server.server_errors)
    assert not server.validation_errors, "requests outside Grafana's OpenAPI description:\n" + "\n".join(
        server.validation_errors
    )


@pytest.fixture
def emulator() -> Iterator[GrafanaEmulator]:
    with serving() as server:
        yield server


@pytest.fixture
def https_emulator(tmp_path: Path) -> Iterator[tuple[GrafanaEmulator, Path]]:
    """The emulator over HTTPS with a certificate from a CA made for this test, and that CA's PEM file."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with serving(context) as server:
        yield server, ca_file
