"""`dash preview --influx-url`: the real-time panels' InfluxQL on a real influxd, each stat reading as
`dash query --engine influxdb` prints the same panel, and an unreachable InfluxDB stopping the run (exit 3)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from connect_ingest.sinks.influx import InfluxAuth
from typer.testing import CliRunner

import cli
from localquery.influx import load_simulation
from tests.preview.conftest import ROOT, SPAN
from tests.servers import free_port, influxd

UID = "connect-rt-queues"


@pytest.fixture(scope="module")
def influx_url(preview_data: Path) -> Iterator[str]:
    with influxd(auth=False) as url:
        stats = load_simulation(preview_data, url, "connect", InfluxAuth())
        assert stats.rejected == 0 and stats.unwritten == 0, stats
        yield url


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, list(args), env={"INFLUX_TOKEN": ""})
    return result.exit_code, result.output


def test_stats_read_as_dash_query_on_influxdb_prints_them(influx_url: str, preview_data: Path, tmp_path: Path) -> None:
    instance = json.loads((preview_data / "manifest.json").read_text())["instance"]["id"]
    chosen = [f"instance={instance}", "queue=Sales", "queue=Billing", "channel=VOICE"]
    where = ["--influx-url", influx_url, "--influx-database", "connect", *SPAN, *(f"--var={v}" for v in chosen)]
    code, output = _invoke(
        "preview", UID, "--data", str(preview_data), "--out", str(tmp_path), *where, "--root", str(ROOT)
    )
    assert code == 0, output
    html = (tmp_path / f"{UID}.html").read_text()
    shown = {
        key: unescape(text)
        for key, text in re.findall(r'id="panel-(\w+)".*?class="stat-value"[^>]*>([^<]*)<', html, re.S)
    }
    assert {"contacts_in_queue", "agents_online", "oldest_contact_age"} <= shown.keys()
    assert shown["agents_online"] not in ("0", "No data")  # the selection has agents: a number that can differ
    for key in ("contacts_in_queue", "agents_online", "oldest_contact_age"):
        code, table = _invoke("query", UID, key, "--engine", "influxdb", *where, "--root", str(ROOT))
        assert code == 0, table
        cells = [line.strip("│ ").strip() for line in table.splitlines() if line.startswith("│")]
        assert shown[key] in cells, f"{key}: page shows {shown[key]!r}; dash query printed\n{table}"


def test_an_unreachable_influxdb_stops_the_preview_with_exit_3(preview_data: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    code, output = _invoke(
        "preview",
        UID,
        "--data",
        str(preview_data),
        "--out",
        str(tmp_path),
        "--influx-url",
        url,
        *SPAN,
        "--root",
        str(ROOT),
    )
    assert code == 3, output
    assert url in output
