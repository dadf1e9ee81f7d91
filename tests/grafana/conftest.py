"""The Grafana emulator fixture: a real threaded HTTP server on 127.0.0.1, stopped in teardown."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest

from tests.conftest import REFERENCE_DATA
from tests.grafana.emulator import GrafanaEmulator

SPEC = REFERENCE_DATA / "grafana-9.3.2" / "openapi3.json"
ADMIN_TOKEN = "glsa_admin_token_0123456789abcdef"
VIEWER_TOKEN = "glsa_viewer_token_0123456789abcdef"
EDITOR_TOKEN = "glsa_editor_token_0123456789abcdef"
BASIC_USER = ("pusher", "basic-password-s3cret")
SECRETS = {"CONNECT_ATHENA_ACCESS_KEY": "AKIAEMULATEDKEY00001", "CONNECT_ATHENA_SECRET_KEY": "s3cr3t/Value+Never-Print"}


@pytest.fixture
def emulator() -> Iterator[GrafanaEmulator]:
    server = GrafanaEmulator(
        SPEC,
        tokens={ADMIN_TOKEN: "Admin", VIEWER_TOKEN: "Viewer", EDITOR_TOKEN: "Editor"},
        users={BASIC_USER: "Admin"},
    )
    if server.validation_note:
        warnings.warn(server.validation_note, stacklevel=1)
    server.start()
    try:
        yield server
    finally:
        server.stop()
    assert not server.server_errors, "emulator errors:\n" + "\n".join(server.server_errors)
    assert not server.validation_errors, "requests outside Grafana's OpenAPI description:\n" + "\n".join(
        server.validation_errors
    )
