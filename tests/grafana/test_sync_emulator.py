"""The emulator itself: it must reject what Grafana rejects, or the push tests prove little."""

from __future__ import annotations

import json

import pytest
from grafana_client import GrafanaApi
from grafana_client.client import GrafanaBadInputError, GrafanaClientError

from grafana_sync.connection import Grafana, RetryPolicy, Settings
from tests.grafana.conftest import ADMIN_TOKEN, SPEC
from tests.grafana.emulator import Faults, GrafanaEmulator


def _api(emulator: GrafanaEmulator) -> GrafanaApi:
    return GrafanaApi.from_url(emulator.url, credential=ADMIN_TOKEN)


def test_requests_outside_the_openapi_description_are_rejected(emulator: GrafanaEmulator) -> None:
    if emulator.validator is None:
        pytest.skip(emulator.validation_note)
    with pytest.raises(GrafanaBadInputError):
        _api(emulator).dashboard.update_dashboard({"dashboard": {"title": "x"}, "overwrite": "yes"})
    with pytest.raises(GrafanaBadInputError):
        _api(emulator).search.search_dashboards(type_="not-a-type")
    assert len(emulator.validation_errors) == 2
    assert "overwrite" in emulator.validation_errors[0]
    emulator.validation_errors.clear()


def test_requests_that_meet_a_fault_are_validated_too(emulator: GrafanaEmulator) -> None:
    if emulator.validator is None:
        pytest.skip(emulator.validation_note)
    emulator.set_faults(Faults(rate=1.0, kinds=("5xx",)))
    with pytest.raises(GrafanaBadInputError):
        _api(emulator).search.search_dashboards(type_="not-a-type")
    assert [e.status for e in emulator.log] == [400] and "type" in emulator.validation_errors[0]
    emulator.validation_errors.clear()


def test_dashboard_versions_and_conflicts_follow_grafana(emulator: GrafanaEmulator) -> None:
    api = _api(emulator)
    with pytest.raises(GrafanaBadInputError):  # folder must exist first
        api.dashboard.update_dashboard({"dashboard": {"uid": "a", "title": "A"}, "folderUid": "f"})
    api.folder.create_folder("F", uid="f")
    with pytest.raises(GrafanaClientError) as conflict:
        api.folder.create_folder("F2", uid="f")
    assert conflict.value.status_code == 409
    saved = api.dashboard.update_dashboard({"dashboard": {"uid": "a", "title": "A"}, "folderUid": "f"})
    assert saved["version"] == 1
    with pytest.raises(GrafanaClientError) as stale:
        api.dashboard.update_dashboard({"dashboard": {"uid": "a", "title": "A", "version": 0}, "folderUid": "f"})
    assert stale.value.status_code == 412 and stale.value.response["status"] == "version-mismatch"
    with pytest.raises(GrafanaClientError) as named:
        api.dashboard.update_dashboard({"dashboard": {"uid": "b", "title": "A"}, "folderUid": "f"})
    assert named.value.response["status"] == "name-exists"
    again = api.dashboard.update_dashboard({"dashboard": {"uid": "a", "title": "A", "version": 1}, "folderUid": "f"})
    assert again["version"] == 2
    with pytest.raises(GrafanaClientError) as missing:
        api.dashboard.get_dashboard("nope")
    assert missing.value.status_code == 404 and missing.value.response["message"]


def test_retry_after_is_honoured_and_attempts_are_bounded(emulator: GrafanaEmulator) -> None:
    emulator.set_faults(Faults(rate=1.0, kinds=("429",), retry_after="2.5"))
    slept: list[float] = []
    grafana = Grafana(Settings(emulator.url, token=ADMIN_TOKEN), RetryPolicy(attempts=4), sleep=slept.append)
    with pytest.raises(GrafanaClientError) as exc:
        grafana.call("GET /api/folders", lambda api: api.folder.get_all_folders())
    assert exc.value.status_code == 429
    assert len(emulator.log) == 4 and slept == [2.5, 2.5, 2.5]


def test_backoff_grows_exponentially_with_jitter_under_a_cap() -> None:
    policy = RetryPolicy(attempts=10, base=0.1, cap=1.0)
    for attempt in range(1, 10):
        delays = [policy.delay(attempt, None) for _ in range(200)]
        assert all(0 <= d <= min(1.0, 0.1 * 2 ** (attempt - 1)) for d in delays)
        assert len(set(delays)) > 100  # jittered, not a fixed schedule
    assert policy.delay(1, 999.0) == policy.max_retry_after


def test_a_datasource_reads_back_with_the_fields_grafana_documents(emulator: GrafanaEmulator) -> None:
    if emulator.validator is None:
        pytest.skip(emulator.validation_note)
    documented = json.loads(SPEC.read_text())["components"]["schemas"]["DataSource"]["properties"]
    api = _api(emulator)
    api.datasource.create_datasource({"name": "TS", "type": "grafana-timestream-datasource", "uid": "ts"})
    assert set(api.datasource.get_datasource_by_uid("ts")) == set(documented) - {"accessControl"}
