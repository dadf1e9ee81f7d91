"""One emulated Grafana per module (reset between cases), a CLI runner, and the checks every hostile case makes:
the exit code, one clear line, no traceback, no secret in any form, nothing outside the command's output changed."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from cli import app
from core.secrets import secret_forms
from tests.grafana.conftest import serving
from tests.grafana.emulator import Faults, GrafanaEmulator, State

# What careless pasting and hostile servers put in a secret: line ends, tabs, spaces, escapes, quotes, markup,
# percent and plus signs, backslashes, non-ASCII (accents, the euro sign, CJK, an emoji), DEL and a BOM.
HOSTILE = [
    "\n",
    "\r\n",
    "\t",
    " ",
    "\x1b[31m",
    '"',
    "'",
    "\\",
    "<",
    ">",
    "&",
    "%",
    "+",
    "/",
    "=",
    "é",
    "€",
    "日本",
    "😀",
]
HOSTILE += ["\x7f", "\ufeff", "\x01"]
# A word no output holds by chance (Hypothesis also tries the test modules' own strings, such as "influxdb").
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=6, max_size=14).map(
    lambda word: "Qz" + word
)
PIECES = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=3)), max_size=4).map("".join)
ANY_PIECES = PIECES.filter(lambda s: "\x00" not in s and not any(0xD800 <= ord(c) <= 0xDFFF for c in s))


@st.composite
def secrets(draw: st.DrawFn, sendable: bool | None = None) -> str:
    """A distinctive word, hostile characters, another word: a leak of any part shows as a word in the output.

    sendable=False: at least one character an HTTP header cannot carry; True: printable ASCII only (it can be
    sent, so it reaches the server, which may echo it); None: anything an environment variable can hold."""
    first, last = draw(WORD), draw(WORD)
    if sendable is None:
        middle = draw(ANY_PIECES)
    elif sendable:
        middle = draw(st.text(alphabet=[chr(c) for c in range(0x20, 0x7F)], max_size=8))
    else:
        bad = draw(st.sampled_from(["\n", "\r\n", "\t", "\x1b[31m", "é", "€", "日本", "😀", "\x7f", "\ufeff"]))
        middle = draw(ANY_PIECES) + bad + draw(ANY_PIECES)
    return first + middle + last


def leaked(secret: str, text: str, user: str | None = None) -> list[str]:
    """Every part or form of the secret found in text: its words of 6+ letters, its encodings, and the Basic
    credential (user:secret) in base64."""
    found = [word for word in re.findall(r"[A-Za-z0-9]{6,}", secret) if word in text]
    found += [form for form in secret_forms(secret) if len(form) >= 6 and form in text]
    if user is not None:
        found += [form for form in secret_forms(f"{user}:{secret}") if form in text]
    return found


@pytest.fixture(scope="module")
def grafana() -> Iterator[GrafanaEmulator]:
    with serving() as server:
        yield server


@pytest.fixture
def emulator(grafana: GrafanaEmulator) -> GrafanaEmulator:
    """The module's emulator, empty, without faults or log."""
    return reset(grafana)


def reset(emulator: GrafanaEmulator) -> GrafanaEmulator:
    emulator.set_faults(Faults())
    emulator.state = State()
    emulator.healthy = True
    emulator.reset_log()
    emulator.authorizations.clear()
    return emulator


def run(root: Path | None, *args: str, env: dict[str, str | None] | None = None) -> Result:
    """`dash ARGS --root ROOT` (no --root when None) with only the given variables set among the credentials."""
    cleared: dict[str, str | None] = {
        k: None for k in ("GRAFANA_TOKEN", "GRAFANA_PASSWORD", "INFLUX_TOKEN", "INFLUX_USERNAME", "INFLUX_PASSWORD")
    }
    where = ["--root", str(root)] if root is not None else []
    return CliRunner().invoke(app, [*args, *where], env={**cleared, **(env or {})})


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes: compared before and after a command that must change nothing."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_clean_error(result: Result, code: int, *phrases: str) -> str:
    """Exit `code`, one `error` line on stderr holding every phrase, nothing on stdout, no traceback."""
    text = result.stdout + result.stderr
    assert result.exit_code == code, text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text
    lines = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(lines) == 1, result.stderr
    for phrase in phrases:
        assert phrase in lines[0], (phrase, lines[0])
    return lines[0]


def basic(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()
