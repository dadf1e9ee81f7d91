"""dash.yaml's `alerts` block: the shipped rules' thresholds, where notifications go, the opening hours.

Contact details are names of variables in Grafana's environment (`email_env: ALERT_EMAIL_ADDRESSES`), which the
alerting files reference as `$NAME`: no address or ARN is written into the repository or the build.
"""

from __future__ import annotations

import re
from typing import Any

from core.environment import AlertSettings, OpeningHours
from core.errors import ConfigError

CONTACT_KEYS = frozenset({"email_env", "sns_topic_arn_env", "sns_region"})
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
THRESHOLD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOURS = re.compile(
    r"^(?P<days>[A-Za-z]{3}(?:-[A-Za-z]{3})?(?:,[A-Za-z]{3}(?:-[A-Za-z]{3})?)*)\s+(?P<start>\d\d):(?P<sm>\d\d)-(?P<end>\d\d):(?P<em>\d\d)$"
)


def alert_settings(where: str, node: Any) -> AlertSettings:
    """The block, each key's form checked; threshold values are checked by the rules that read them."""
    where = f"{where}: alerts"
    if not isinstance(node, dict):
        raise ConfigError(f"{where} must be a mapping (thresholds, contact, opening_hours), not {node!r}")
    thresholds = node.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise ConfigError(f"{where}.thresholds must map a threshold's name to its value, not {thresholds!r}")
    for name in thresholds:
        if not THRESHOLD_NAME.match(str(name)):
            raise ConfigError(f"{where}.thresholds: {name!r} is not a threshold name (lower snake_case)")
    contact = node.get("contact") or {}
    if not isinstance(contact, dict):
        raise ConfigError(f"{where}.contact must be a mapping ({', '.join(sorted(CONTACT_KEYS))}), not {contact!r}")
    for key in contact:
        if key not in CONTACT_KEYS:
            raise ConfigError(f"{where}.contact: unknown key {key!r}; known: {', '.join(sorted(CONTACT_KEYS))}")
    refs = {key: str(contact.get(key) or "") for key in ("email_env", "sns_topic_arn_env")}
    for key, value in refs.items():
        if value and not VARIABLE_NAME.match(value):
            raise ConfigError(
                f"{where}.contact.{key} must name a variable of Grafana's environment (letters, digits, _) that "
                "holds the value, not the value itself (not shown); set the variable where Grafana runs"
            )
    region = str(contact.get("sns_region") or "")
    if region and not REGION.match(region):
        raise ConfigError(f"{where}.contact.sns_region {region!r} is not an AWS region such as eu-west-2")
    return AlertSettings(
        thresholds={str(k): v for k, v in thresholds.items()},
        email_env=refs["email_env"],
        sns_topic_arn_env=refs["sns_topic_arn_env"],
        sns_region=region,
        opening_hours=_opening_hours(where, node.get("opening_hours")),
    )


def _opening_hours(where: str, value: Any) -> OpeningHours:
    """`Mon-Fri 08:00-18:00` (days as ranges or lists, Mon,Wed-Fri); absent: always open."""
    if value is None:
        return AlertSettings().opening_hours
    match = HOURS.match(str(value).strip())
    wrong = (
        f"{where}.opening_hours {value!r} is not of the form 'Mon-Fri 08:00-18:00' (days as three-letter names, "
        "ranges or lists, then from-to in 24-hour time, in the environment's timezone)"
    )
    if not match:
        raise ConfigError(wrong)
    days: list[int] = []
    for part in match["days"].lower().split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ConfigError(wrong)
        start, end = DAYS.index(first), DAYS.index(last or first)
        if end < start:
            raise ConfigError(f"{where}.opening_hours {value!r}: day range {part!r} runs backwards; write it Mon-Fri")
        days.extend(range(start + 1, end + 2))
    begin = int(match["start"]) * 60 + int(match["sm"])
    finish = int(match["end"]) * 60 + int(match["em"])
    if int(match["sm"]) > 59 or int(match["em"]) > 59 or not 0 <= begin < finish <= 24 * 60:
        raise ConfigError(f"{where}.opening_hours {value!r}: the hours must run forwards within one day (00:00-24:00)")
    return OpeningHours(tuple(sorted(set(days))), begin, finish)
