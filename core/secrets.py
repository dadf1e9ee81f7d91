"""Secrets (tokens, passwords, datasource keys) as they may travel: checked before sending, masked in any text.

A secret is never shown, not even in part: a value that cannot be sent is named by where it came from, and
text about to be printed has every form a server or an HTTP library may quote a secret in replaced by ***.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from core.errors import UsageError

MASK = "***"


def check_sendable(name: str, value: str, *, header: bool) -> None:
    """Refuse (exit 2) a credential that cannot be sent as written, naming `name` (e.g. "$GRAFANA_TOKEN").

    A token goes into an HTTP header as written: it must be printable ASCII without a space at an end. A
    password goes base64-encoded (UTF-8), so non-ASCII is fine, but a control character is a paste accident.
    """
    control = any(ord(c) < 32 or ord(c) == 127 for c in value)
    try:
        value.encode("utf-8")
        encodable = True
    except UnicodeEncodeError:
        encodable = False
    if control or not encodable or (header and (not value.isascii() or value != value.strip())):
        raise UsageError(
            f"{name} holds a character it cannot be sent with (a newline or another control character"
            f"{', a space at an end, or non-ASCII' if header else ''}); set it to the credential alone"
        )


def secret_forms(secret: str) -> set[str]:
    """The ways a value is quoted back: as is, JSON-escaped (Python's and Go's), repr-escaped, HTML-escaped,
    URL-encoded and base64 (a Basic or Bearer header echoed)."""
    forms = {secret, secret.strip(), html.escape(secret), quote(secret, safe=""), quote_plus(secret)}
    for ascii_only in (True, False):
        escaped = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
        forms |= {escaped, escaped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")}
    forms.add(repr(secret)[1:-1])
    try:
        encoded = secret.encode("utf-8")
    except UnicodeEncodeError:
        encoded = secret.encode("utf-8", "surrogateescape")
    forms |= {repr(encoded)[2:-1], base64.b64encode(encoded).decode()}
    return {form for form in forms if len(form) >= 3}  # shorter ones would mask ordinary words


def masker(secrets: Iterable[str]) -> tuple[str, ...]:
    """Every form of every secret, longest first (so a secret inside another is not half-masked)."""
    forms: set[str] = set()
    for secret in secrets:
        if secret:
            forms |= secret_forms(secret)
    return tuple(sorted(forms, key=len, reverse=True))


def mask(text: str, forms: tuple[str, ...]) -> str:
    """text with every form (from `masker`) replaced by ***."""
    for form in forms:
        text = text.replace(form, MASK)
    return text
