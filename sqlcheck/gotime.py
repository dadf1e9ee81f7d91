"""The Go time handling behind the Athena macros, ported so expansions match the plugin's byte for byte.

``parse_interval`` is grafana-plugin-sdk-go ``gtime.ParseInterval`` ($__timeGroup's interval):
``N[dwMy]`` as calendar steps from now, anything else as Go's ``time.ParseDuration``.
``java_to_go_layout`` is viant/toolbox ``DateFormatToLayout`` ($__rawTimeFrom's format), quirks
included: each Java token is replaced once, in a fixed order. ``go_format`` is Go's
``Time.Format`` for a UTC time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

_CALENDAR = re.compile(r"^(\d+)([dwMy])$")
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?([^\d.]*)")
_UNIT_NS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}


class GoTimeError(ValueError):
    """Go's own error text, so a refused macro says what the plugin would say."""


def parse_interval(text: str, now: datetime) -> float:
    """gtime.ParseInterval in seconds, as ``Duration.Seconds()``; a calendar interval counts from ``now`` (UTC),
    so 1M is that month's length."""
    match = _CALENDAR.match(text)
    if match is None:
        seconds, nanoseconds = divmod(parse_duration(text), 10**9)
        return seconds + nanoseconds / 1e9
    count, unit = int(match.group(1)), match.group(2)
    if unit in ("d", "w"):
        return float(count * (7 if unit == "w" else 1) * 86400)
    years, months = (count, 0) if unit == "y" else divmod(now.month - 1 + count, 12)
    month = now.month if unit == "y" else months + 1
    later = datetime(now.year + years, month, 1, now.hour, now.minute, now.second, now.microsecond, tzinfo=UTC)
    return (later + timedelta(days=now.day - 1) - now).total_seconds()  # Go's AddDate: Jan 31 + 1M is Mar 2


def parse_duration(text: str) -> int:
    """time.ParseDuration in nanoseconds: ``300ms``, ``1h30m``, ``1.5h``; a bare number only if it is 0."""
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0
    if body == "":
        raise GoTimeError(f'time: invalid duration "{text}"')
    total = Fraction(0)
    position = 0
    while position < len(body):
        match = _DURATION_PART.match(body, position)
        assert match is not None  # every group may be empty
        whole, fraction, unit = match.groups()
        if not whole and not fraction:
            raise GoTimeError(f'time: invalid duration "{text}"')
        if unit == "":
            raise GoTimeError(f'time: missing unit in duration "{text}"')
        if unit not in _UNIT_NS:
            raise GoTimeError(f'time: unknown unit "{unit}" in duration "{text}"')
        value = Fraction(int(whole or "0")) + (Fraction(int(fraction), 10 ** len(fraction)) if fraction else 0)
        total += int(value * _UNIT_NS[unit])  # Go truncates each part to whole nanoseconds
        position = match.end()
    return -int(total) if text.startswith("-") else int(total)


def go_float(value: float) -> str:
    """Go's ``%v`` of a float64: shortest digits, an exponent from 1e+06 or below 1e-04 (``2.592e+06``)."""
    if value == int(value) and abs(value) < 1e21 and len(str(int(abs(value)))) <= 6:
        return str(int(value))
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    exp10 = len(digits) + exponent - 1
    prefix = "-" if sign else ""
    if exp10 < -4 or exp10 >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'+' if exp10 >= 0 else '-'}{abs(exp10):02d}"
    return prefix + format(Decimal(repr(abs(value))).normalize(), "f")


_JAVA_TO_GO = (
    ("ddd", "_2"),
    ("dd", "02"),
    ("d", "2"),
    ("HH", "15"),
    ("hh", "03"),
    ("h", "3"),
    ("mm", "04"),
    ("m", "4"),
    ("ss", "05"),
    ("s", "5"),
    ("yyyy", "2006"),
    ("yy", "06"),
    ("y", "06"),
    ("SSS", "000"),
    ("a", "pm"),
    ("aa", "PM"),
    ("MMMM", "January"),
    ("MMM", "Jan"),
    ("MM", "01"),
    ("M", "1"),
    ("ZZ", "-0700"),
    ("Z", "-07"),
    ("zz:zz", "Z07:00"),
    ("zzzz", "Z0700"),
    ("z", "MST"),
    ("EEEE", "Monday"),
    ("E", "Mon"),
)


def java_to_go_layout(java: str) -> str:
    """toolbox.DateFormatToLayout: each token's first occurrence only, later rules seeing earlier output."""
    for token, layout in _JAVA_TO_GO:
        java = java.replace(token, layout, 1)
    return java


# Go layout elements, longest first where one is a prefix of another; UTC values for the zone ones.
_GO_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("January", "%B"),
    ("Jan", "%b"),
    ("Monday", "%A"),
    ("Mon", "%a"),
    ("MST", "UTC"),
    ("2006", "%Y"),
    ("002", "%j"),
    ("01", "%m"),
    ("02", "%d"),
    ("03", "%I"),
    ("04", "%M"),
    ("05", "%S"),
    ("06", "%y"),
    ("15", "%H"),
    ("__2", "yday_"),
    ("_2", "day_"),
    ("1", "month"),
    ("2", "day"),
    ("3", "hour12"),
    ("4", "minute"),
    ("5", "second"),
    ("PM", "%p"),
    ("pm", "pm"),
    ("-070000", "+000000"),
    ("-07:00:00", "+00:00:00"),
    ("-0700", "+0000"),
    ("-07:00", "+00:00"),
    ("-07", "+00"),
    ("Z070000", "Z"),
    ("Z07:00:00", "Z"),
    ("Z0700", "Z"),
    ("Z07:00", "Z"),
    ("Z07", "Z"),
)
_FRACTION = re.compile(r"[.,](0+|9+)(?!\d)")


def go_format(moment: datetime, layout: str) -> str:
    """Time.Format for a UTC time: Go's reference-time elements replaced, every other character kept."""
    moment = moment.astimezone(UTC)
    out: list[str] = []
    index = 0
    while index < len(layout):
        fraction = _FRACTION.match(layout, index)
        if fraction is not None:
            out.append(_fraction(moment, fraction.group(0)))
            index = fraction.end()
            continue
        element = next(((e, code) for e, code in _GO_ELEMENTS if layout.startswith(e, index)), None)
        if element is None:
            out.append(layout[index])
            index += 1
            continue
        out.append(_element(moment, element[1]))
        index += len(element[0])
    return "".join(out)


def _element(moment: datetime, code: str) -> str:
    plain = {
        "month": str(moment.month),
        "day": str(moment.day),
        "day_": f"{moment.day:>2}",
        "yday_": f"{moment.timetuple().tm_yday:>3}",
        "hour12": str(moment.hour % 12 or 12),
        "minute": str(moment.minute),
        "second": str(moment.second),
        "pm": "pm" if moment.hour >= 12 else "am",
    }
    if code in plain:
        return plain[code]
    if code.startswith("%"):
        return moment.strftime(code)
    return code


def _fraction(moment: datetime, element: str) -> str:
    """``.000`` gives that many digits of the second; ``.999`` the same with trailing zeros dropped."""
    digits = f"{moment.microsecond:06d}000"[: len(element) - 1]
    if element[1] == "9":
        digits = digits.rstrip("0")
        return element[0] + digits if digits else ""
    return element[0] + digits
