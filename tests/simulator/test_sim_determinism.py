"""Same arguments, same bytes, whatever the hash seed; a different seed, different traffic."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SMALL = ["--agents", "9", "--contacts", "150", "--hours", "1.5", "--start", "2026-03-31T23:30:00Z"]
_RUN = (
    "import sys; from pathlib import Path; from connect_simulator import SimulationConfig, simulate; "
    "a = sys.argv[1:]; simulate(Path(a[0]), SimulationConfig(seed=int(a[1]), agents=int(a[3]), contacts=int(a[5]), "
    "hours=float(a[7]), start=a[9]))"
)


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _run(out: Path, seed: int, hash_seed: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONHASHSEED": hash_seed,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "infra" / "lambdas")]),
    }
    subprocess.run(
        [sys.executable, "-c", _RUN, str(out), str(seed), *SMALL], check=True, env=env, cwd=ROOT, timeout=120
    )
    return _digest(out)


def test_identical_bytes_under_different_hash_seeds(tmp_path: Path) -> None:
    first = _run(tmp_path / "a", 7, "0")
    second = _run(tmp_path / "b", 7, "4242")
    assert first == second
    assert {"agent_events.jsonl", "contact_events.jsonl", "ground_truth.jsonl", "manifest.json"} <= first.keys()


def test_a_different_seed_gives_different_traffic(tmp_path: Path) -> None:
    first = _run(tmp_path / "a", 7, "0")
    other = _run(tmp_path / "b", 8, "0")
    for name in ("agent_events.jsonl", "contact_events.jsonl", "ground_truth.jsonl"):
        assert first[name] != other[name]


def test_rerun_into_the_same_directory_replaces_it(tmp_path: Path) -> None:
    first = _run(tmp_path / "a", 7, "1")
    # a partition an earlier run (another --start) wrote, listed in its manifest: replaced with the rest
    (tmp_path / "a" / "ctr" / "initiation_date=1999-01-01").mkdir()
    (tmp_path / "a" / "ctr" / "initiation_date=1999-01-01" / "stale.json").write_text("{}\n")
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    manifest["files"]["ctr/initiation_date=1999-01-01/stale.json"] = hashlib.sha256(b"{}\n").hexdigest()
    (tmp_path / "a" / "manifest.json").write_text(json.dumps(manifest))
    assert _run(tmp_path / "a", 7, "1") == first
