"""Grafana's value formats: a number as a panel shows it, by its unit and decimals.

Implemented once from Grafana 12's @grafana/data (valueFormats/), so that `dash query`, previews and diffs print
what a supervisor reads on the dashboard: 329.7 s as "00:05:29" under "dthms", 63.16 as "63.2%" under "percent"
with one decimal. Only the units the dashboards use are known; any other is an error naming it, never a guess.
JavaScript's number rules are kept where they show (Math.round halves up, Number's shortest text, "∞"),
because the dashboards render in a browser.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from core.errors import DefinitionError


@dataclass(frozen=True)
class Formatted:
    """A formatted number in Grafana's three parts (a stat panel draws the suffix smaller)."""

    text: str
    prefix: str = ""
    suffix: str = ""

    def __str__(self) -> str:
        return f"{self.prefix}{self.text}{self.suffix}"


Formatter = Callable[[float, int | None], Formatted]


def js_number(value: float) -> str:
    """JavaScript's String(number): the shortest round-tripping digits, exponent only past 1e21 or below 1e-6."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    shortest = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(str(d) for d in shortest.digits)
    k = len(digits)
    n = k + int(shortest.exponent)  # the decimal point's place after the first n digits (ECMA-262 Number::toString)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    body = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{body}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


def _floor(value: float) -> float:
    """Math.floor, which passes NaN and the infinities through."""
    return value if not math.isfinite(value) else float(math.floor(value))


def _js_round(value: float) -> float:
    """Math.round: to the nearest integer, halves toward +infinity (-2.5 -> -2)."""
    floor = _floor(value)
    return floor + 1 if value - floor >= 0.5 else floor


def _auto_decimals(value: float) -> int:
    """The decimals Grafana picks when a panel sets none: about two significant digits, none for integers."""
    if value % 1 == 0:
        return 0
    magnitude = abs(value)
    dec = -math.floor(math.log(magnitude) / math.log(10)) + 1
    if magnitude / 10.0**-dec > 2.25:
        dec += 1
    return max(0, dec)


def to_fixed(value: float, decimals: int | None) -> str:
    """Grafana's toFixed: rounded to ``decimals`` (auto when None), padded with zeros to that many."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"  # Number.prototype.toLocaleString in English
    if decimals is None:
        if math.isnan(value):
            return "NaN"
        decimals = _auto_decimals(value)
    if value == 0:
        return f"{0:.{max(0, decimals)}f}"
    factor = 10.0 ** max(0, decimals) if decimals else 1.0
    formatted = js_number(_js_round(value * factor) / factor)
    if "e" in formatted:
        return formatted
    point = formatted.find(".")
    precision = 0 if point == -1 else len(formatted) - point - 1
    if precision < decimals:
        return (formatted if precision else formatted + ".") + "0" * (decimals - precision)
    return formatted


def _fixed_unit(unit: str) -> Formatter:
    return lambda value, decimals: Formatted(to_fixed(value, decimals), suffix=f" {unit}" if unit else "")


_PLURAL = (" min", " hour", " day", " week", " year")


def _scaled(value: float, decimals: int | None, suffix: str) -> Formatted:
    """toFixedScaled: time units take a plural past 1 (Grafana 10.3 on: "2.8 hours", "6 mins")."""
    return Formatted(to_fixed(value, decimals), suffix=suffix + "s" if suffix in _PLURAL and abs(value) > 1 else suffix)


def _time(first: tuple[float, str], steps: tuple[tuple[float, float, str], ...], last: tuple[float, str]) -> Formatter:
    """A time unit that rescales: below ``first``'s bound the value as it is (no plural), then each (below,
    divisor, suffix) step in order, then ``last``'s divisor."""

    def run(value: float, decimals: int | None) -> Formatted:
        if abs(value) < first[0]:
            return Formatted(to_fixed(value, decimals), suffix=first[1])
        for below, divisor, suffix in steps:
            if abs(value) < below:
                return _scaled(value / divisor, decimals, suffix)
        return _scaled(value / last[0], decimals, last[1])

    return run


_WHOLE_SECONDS = _time(
    (60, " s"),
    ((3600, 60, " min"), (86400, 3600, " hour"), (604800, 86400, " day"), (31536000, 604800, " week")),
    (31556900, " year"),
)


def _seconds(value: float, decimals: int | None) -> Formatted:
    """s: below a second as ms, µs or ns; from a minute on as minutes, hours, days, weeks, years."""
    if value == 0:
        return Formatted("0", suffix=" s")
    for below, factor, suffix in ((0.000001, 1e9, " ns"), (0.001, 1e6, " µs"), (1, 1e3, " ms")):
        if abs(value) < below:
            return _scaled(value * factor, decimals, suffix)
    return _WHOLE_SECONDS(value, decimals)


_MILLISECONDS = _time(
    (1000, " ms"),
    ((60000, 1000, " s"), (3600000, 60000, " min"), (86400000, 3600000, " hour"), (31536000000, 86400000, " day")),
    (31536000000, " year"),
)
_MINUTES = _time(
    (60, " min"), ((1440, 60, " hour"), (10080, 1440, " day"), (604800, 10080, " week")), (525948, " year")
)
_HOURS = _time((24, " hour"), ((168, 24, " day"), (8760, 168, " week")), (8760, " year"))
_DAYS = _time((0, ""), ((7, 1, " day"), (365, 7, " week")), (365, " year"))  # Grafana pluralises days from the first


def _hms(value: float) -> str:
    hours, minutes, seconds = (_floor(part) for part in (value / 3600, value % 3600 / 60, value % 3600 % 60))
    return ":".join(js_number(part) if part > 9 else f"0{js_number(part)}" for part in (hours, minutes, seconds))


def _duration_hms(value: float, decimals: int | None) -> Formatted:
    """dthms: hh:mm:ss of whole seconds (decimals ignored), hours past 99 as they come; negative is "ago"."""
    if value < 0:
        return Formatted(_hms(-value), suffix=" ago")
    return Formatted(_hms(value))


def _duration_dhms(value: float, decimals: int | None) -> Formatted:
    """dtdhms: "N d hh:mm:ss" from one day on."""
    if value < 0:
        return Formatted(_duration_dhms(-value, decimals).text, suffix=" ago")
    days = _floor(value / 86400)
    return Formatted((f"{js_number(days)} d " if days > 0 else "") + _hms(value - days * 86400))


def _short(value: float, decimals: int | None) -> Formatted:
    """short: scaled by thousands (" K", " Mil", ...)."""
    if not math.isfinite(value):
        return Formatted("NaN" if math.isnan(value) else to_fixed(value, None))
    suffixes = ("", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept")
    index = 0 if value == 0 else math.floor(math.log10(abs(value)) / math.log10(1000))
    step = min(max(index, 0), len(suffixes) - 1)
    return Formatted(to_fixed(value / 1000.0**step, decimals), suffix=suffixes[step])


UNITS: dict[str, Formatter] = {
    "": _fixed_unit(""),
    "none": _fixed_unit(""),
    "short": _short,
    "percent": lambda value, decimals: Formatted(to_fixed(value, decimals), suffix="%"),
    "percentunit": lambda value, decimals: Formatted(to_fixed(100 * value, decimals), suffix="%"),
    "ms": _MILLISECONDS,
    "s": _seconds,
    "m": _MINUTES,
    "h": _HOURS,
    "d": _DAYS,
    "dthms": _duration_hms,
    "dtdhms": _duration_dhms,
}


def formatter(unit: str | None, where: str = "") -> Formatter:
    """The formatter of ``unit`` (None: no unit, as Grafana); an unknown unit is an error naming it and ``where``."""
    found = UNITS.get(unit or "")
    if found is None:
        place = f"{where}: " if where else ""
        raise DefinitionError(
            f"{place}unit {unit!r} is not one dash formats; known: {', '.join(repr(u) for u in UNITS if u)} "
            "(add it to core/valueformat.py from Grafana's valueFormats, with a test)"
        )
    return found


def format_value(value: float | int | None, unit: str | None, decimals: int | None, where: str = "") -> str:
    """A number as Grafana shows it under ``unit`` with ``decimals`` (None: Grafana's automatic); None is ""."""
    run = formatter(unit, where)
    if value is None:
        return ""
    number = float(value)
    if math.isnan(number):
        return "NaN"  # Grafana's display processor shows a NaN as its text, unformatted
    return str(run(number, decimals))
