"""`dash push` options whose effect is easy to fake: progress, --only, --concurrency."""

from __future__ import annotations

from pathlib import Path

from tests.grafana.bundles import make_bundle
from tests.grafana.emulator import GrafanaEmulator
from tests.grafana.helpers import counts, push_engine, run_cli, summary, write_bundle


def test_progress_is_drawn_on_a_terminal_and_nowhere_else(emulator: GrafanaEmulator) -> None:
    files = make_bundle(4)
    code, _, err = push_engine(emulator, files, terminal=True)
    assert code == 0
    assert "pushing dashboards" in err and "4/4" in err
    code, _, err = push_engine(emulator, files)
    assert code == 0 and err == ""  # a log or pipe gets no bar, no control codes


def test_only_is_repeatable(emulator: GrafanaEmulator, tmp_path: Path) -> None:
    write_bundle(tmp_path, make_bundle(4))
    result = run_cli(tmp_path, "push", "--grafana-url", emulator.url, "--only", "dash-0001", "--only", "dash-0002")
    assert result.exit_code == 0, result.stderr
    assert set(emulator.state.dashboards) == {"dash-0001", "dash-0002"}
    assert summary(result.stdout)["dashboards"] == counts(created=2)


def test_concurrency_is_how_many_requests_are_in_flight_at_once(emulator: GrafanaEmulator) -> None:
    emulator.latency = 0.03  # long enough for requests to overlap when the client sends them together
    files = make_bundle(16)
    for concurrency, most in ((1, 1), (8, 8)):
        emulator.state.dashboards.clear()
        emulator.reset_log()
        code, out, _ = push_engine(emulator, files, concurrency=concurrency)
        assert code == 0 and summary(out)["dashboards"] == counts(created=16)
        assert (concurrency == 1 or emulator.max_in_flight > 1) and emulator.max_in_flight <= most
