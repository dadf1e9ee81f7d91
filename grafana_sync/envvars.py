"""Read datasource provisioning values as Grafana's file provisioning reads them.

Grafana (pkg/services/provisioning/values, interpolateValue) splits every string value on `$$`
(a literal `$`), runs its expanders on each part (`${NAME}` and `$__env{NAME}` from the
environment), then os.ExpandEnv (`$NAME`, `${NAME}`, shell specials such as `$1`; an unset
variable reads as empty) and joins the parts with `$`. The push runs the same steps on its own
environment, so it sends what provisioning the same file beside the same environment would store.
`$__file{PATH}` and `$__vault{...}` read Grafana's host, which the push cannot see: an error.

Expanded secure values live only in memory for the request that sends them: errors and warnings
name the variable, never its value.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.errors import BundleError

_EXPANDER = re.compile(r"\$(|__\w+)\{([^}]+)\}", re.ASCII)  # Grafana's setting.ExpandVar pattern
_SPECIAL = frozenset("*#$@!?-0123456789")  # Go's isShellSpecialVar: a one-character name
_NAME_CHARS = frozenset(string.ascii_letters + string.digits + "_")
_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True}
_BOOLS |= {"0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}
BOOL_FIELDS = ("basicAuth", "withCredentials", "isDefault", "editable")  # values.BoolValue in Grafana


@dataclass(frozen=True)
class Expansion:
    value: str
    unset: tuple[str, ...]  # variables referenced but not in the environment (read as "")
    used: tuple[str, ...] = field(default=(), compare=False)  # every variable referenced


def expand(value: str, environ: Mapping[str, str], where: str) -> Expansion:
    """One string value as Grafana's provisioning reads it."""
    unset: list[str] = []
    used: list[str] = []

    def lookup(name: str) -> str:
        used.append(name)
        if name not in environ:
            unset.append(name)
        return environ.get(name, "")

    parts = [_expand_env(_expanders(part, lookup, where), lookup) for part in value.split("$$")]
    return Expansion("$".join(parts), tuple(dict.fromkeys(unset)), tuple(dict.fromkeys(used)))


def expand_secret(value: str, environ: Mapping[str, str], where: str) -> str:
    """A secureJsonData value: an unset variable fails the push instead of sending an empty secret."""
    result = expand(value, environ, where)
    if result.unset:
        name = result.unset[0]
        raise BundleError(
            f"{where} references ${{{name}}}, which is not set in the environment; "
            f"export {name} before pushing (its value is sent to Grafana, never printed)"
        )
    return result.value


def secret_values(refs: Mapping[str, str], environ: Mapping[str, str], where: str) -> frozenset[str]:
    """What to mask wherever text is printed: each secureJsonData value as sent (`Token abc`) and each
    variable it reads (`abc`), since an error may quote either. Unset variables are skipped, not an error."""
    values: set[str] = set()
    for key, ref in refs.items():
        result = expand(ref, environ, f"{where}.{key}")
        if not result.unset:  # with a variable unset the value is no secret (`Token `), and is never sent
            values.add(result.value)
        values.update(environ.get(name, "") for name in result.used)
    return frozenset(v for v in values if v)


def expand_item(item: Mapping[str, Any], environ: Mapping[str, str], where: str) -> tuple[dict[str, Any], list[str]]:
    """A datasource item with every value expanded except secureJsonData (resolved strictly at push time),
    and a warning for each unset variable it references."""
    warnings: list[str] = []
    result: dict[str, Any] = {}
    for key, value in item.items():
        if key == "secureJsonData":
            result[key] = value
            continue
        result[key] = expand_tree(value, environ, f"{where}.{key}", warnings)
        if key in BOOL_FIELDS and isinstance(result[key], str):
            if result[key] not in _BOOLS:
                raise BundleError(f"{where}.{key}: {value!r} reads as {result[key]!r}, which is not a boolean")
            result[key] = _BOOLS[result[key]]
    return result, warnings


def expand_tree(value: Any, environ: Mapping[str, str], where: str, warnings: list[str]) -> Any:
    """Strings anywhere in nested maps and lists, as Grafana's transformInterface; keys stay as written."""
    if isinstance(value, str):
        result = expand(value, environ, where)
        warnings.extend(
            f"{where} references ${{{name}}}, which is not set; Grafana's provisioning reads it as empty, "
            "and so does this push (export it, or write $$ for a literal $)"
            for name in result.unset
        )
        return result.value
    if isinstance(value, dict):
        return {k: expand_tree(v, environ, f"{where}.{k}", warnings) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_tree(v, environ, f"{where}[{i}]", warnings) for i, v in enumerate(value)]
    return value


def _expanders(part: str, lookup: Callable[[str], str], where: str) -> str:
    """setting.ExpandVar: `${NAME}` and `$__env{NAME}` from the environment, replaced one by one."""
    for match in _EXPANDER.finditer(part):
        if match.group(1) not in ("", "__env"):
            raise BundleError(
                f"{where}: {match.group(0)!r} is read on Grafana's host, which `dash push` cannot see; "
                "use an environment variable ($NAME) instead"
            )
    for match in list(_EXPANDER.finditer(part)):
        part = part.replace(match.group(0), lookup(match.group(2)), 1)
    return part


def _expand_env(text: str, lookup: Callable[[str], str]) -> str:
    """Go's os.Expand: `$NAME`, `${NAME}`, `$` + one special; bad syntax is dropped, a lone `$` kept."""
    out: list[str] = []
    start = 0
    index = 0
    while index < len(text):
        if text[index] == "$" and index + 1 < len(text):
            out.append(text[start:index])
            name, width = _shell_name(text[index + 1 :])
            if name:
                out.append(lookup(name))
            elif width == 0:
                out.append("$")
            index += width
            start = index + 1
        index += 1
    return "".join(out) + text[start:]


def _shell_name(text: str) -> tuple[str, int]:
    """Go's getShellName: the name after a `$` and how many characters it spans."""
    if text[0] == "{":
        if len(text) > 2 and text[1] in _SPECIAL and text[2] == "}":
            return text[1], 3
        close = text.find("}", 1)
        if close == 1:
            return "", 2  # "${}": dropped
        if close == -1:
            return "", 1  # "${" unclosed: dropped
        return text[1:close], close + 1
    if text[0] in _SPECIAL:
        return text[0], 1
    width = 0
    while width < len(text) and text[width] in _NAME_CHARS:
        width += 1
    return text[:width], width
