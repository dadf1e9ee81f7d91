"""The simulator's arguments, checked once so that the engine can trust them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core.errors import ToolError

DEFAULT_START = "2026-01-31T22:00:00Z"


class SimulationError(ToolError):
    """Bad simulator arguments or an output directory that cannot be written."""


@dataclass(frozen=True)
class SimulationConfig:
    """What to simulate. ``contacts`` counts customer-initiated interactions; transfers and callbacks add records."""

    seed: int = 1
    agents: int = 20
    contacts: int = 500
    start: str = DEFAULT_START
    hours: float = 4.0
    # Share of callbacks an agent accepts whose customer does not answer (Connect retries them as new callback
    # contacts). 0 by default, which leaves every other draw, and so the default scenario, as it was.
    unanswered_callbacks: float = 0.0
    # A named incident (connect_simulator.incidents) layered on the run; "" for none, the default scenario.
    incident: str = ""

    def start_ms(self) -> int:
        """--start as epoch milliseconds (UTC); the only source of time in the whole simulation."""
        return parse_start(self.start)

    def span_ms(self) -> int:
        return round(self.hours * 3_600_000)

    def check(self) -> SimulationConfig:
        """Raise a SimulationError naming the bad argument and what would be accepted."""
        if self.agents < 3 or self.agents > 5000:
            raise SimulationError(f"--agents {self.agents}: use 3 to 5000 (one per routing profile at least)")
        if self.contacts < 0 or self.contacts > 2_000_000:
            raise SimulationError(f"--contacts {self.contacts}: use 0 to 2,000,000")
        if not 0.1 <= self.hours <= 24 * 31:
            raise SimulationError(f"--hours {self.hours}: use 0.1 to 744 (31 days)")
        if not 0 <= self.unanswered_callbacks <= 1:
            raise SimulationError(f"unanswered_callbacks {self.unanswered_callbacks}: use a share from 0 to 1")
        if self.seed < 0:
            raise SimulationError(f"--seed {self.seed}: use a non-negative integer")
        self.start_ms()
        return self


def parse_start(text: str) -> int:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise SimulationError(f"--start {text!r}: not an ISO-8601 time; use e.g. {DEFAULT_START}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return round(parsed.timestamp() * 1000)
