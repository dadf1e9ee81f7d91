"""The one Jinja2 environment query files are rendered with, everywhere they are rendered.

Sandboxed: a query file is text from a pull request, and `{{ cycler.__init__.__globals__.os }}` must be a
build error, not a shell. Strict: an undefined name is an error, never an empty string in shipped SQL.
Rendering and source-mapping share this factory, so a setting added here reaches both alike.
"""

from __future__ import annotations

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

__all__ = ["SecurityError", "template_environment"]


def template_environment(loader: jinja2.BaseLoader | None = None) -> SandboxedEnvironment:
    """A sandboxed, strict environment without autoescaping (the output is a query, not HTML)."""
    return SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )
