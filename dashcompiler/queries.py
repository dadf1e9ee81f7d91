"""Query files under queries/<kind>/, rendered with Jinja2 per environment.

Rendering is strict and sandboxed (core.templates): an undefined name or a reach for Python internals is an
error naming the file and line, never an empty string or a side effect. Substitutions happen inline, so a
line of the rendered query is the same line of the file, which the checks rely on.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from core.errors import DefinitionError
from core.files import not_utf8
from core.templates import SecurityError, template_environment


class QueryTemplates:
    """Renders queries/<kind>/<name> for one environment, each file once."""

    def __init__(self, queries_dir: Path, context: dict[str, Any], origin: str = "dash.yaml") -> None:
        self.root = queries_dir
        self.context = context
        self.origin = origin  # where the context's values are set, for messages: dash.yaml and the environment
        self._rendered: dict[str, str] = {}
        self._env = template_environment(jinja2.FileSystemLoader(str(queries_dir)))

    def path(self, kind: str, name: str) -> Path:
        return self.root / kind / name

    def render(self, kind: str, name: str, where: str) -> str:
        template_name = f"{kind}/{name}"
        if template_name not in self._rendered:
            self._rendered[template_name] = self._render(template_name, where)
        return self._rendered[template_name]

    def render_text(self, text: str, where: str) -> str:
        """A short template written in a definition (a variable's values), with the same context."""
        if "{" not in text:
            return text
        try:
            return self._env.from_string(text).render(self.context)
        except SecurityError as exc:
            raise DefinitionError(f"{where}: {text!r}: {_unsafe(exc)}") from None
        except jinja2.TemplateError as exc:
            raise DefinitionError(f"{where}: {text!r}: {exc}") from None
        except Exception as exc:
            raise DefinitionError(f"{where}: {text!r}: {type(exc).__name__} while rendering: {exc}") from None

    def settings_in(self, text: str) -> list[str]:
        """The environment settings a short template reads (`{{ service_level_seconds }}` -> that name)."""
        if "{" not in text:
            return []
        try:
            names = jinja2.meta.find_undeclared_variables(self._env.parse(text))
        except jinja2.TemplateError:
            return []
        return sorted(names & set(self.context))

    def _render(self, template_name: str, where: str) -> str:
        path = self.root / template_name
        try:
            return self._env.get_template(template_name).render(self.context).rstrip()
        except jinja2.TemplateNotFound as exc:
            if exc.name == template_name:
                raise DefinitionError(
                    f"{where}: query file {path} does not exist; create it or fix the name in the definition"
                ) from None
            raise DefinitionError(
                f"{self._at(exc, path)}: {where}: imports or includes {exc.name!r}, which does not exist under "
                f"{self.root}; create it or fix the name"
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            file = Path(exc.filename) if exc.filename else path
            raise DefinitionError(f"{file}:{exc.lineno}: {where}: Jinja2 syntax error: {exc.message}") from None
        except SecurityError as exc:
            raise DefinitionError(f"{self._at(exc, path)}: {where}: {_unsafe(exc)}") from None
        except UnicodeDecodeError:
            raise DefinitionError(self._not_utf8(path, where)) from None
        except jinja2.UndefinedError as exc:
            known = ", ".join(sorted(self.context))
            raise DefinitionError(
                f"{self._at(exc, path)}: {where}: {exc.message}; the templates know: {known}"
            ) from None
        except Exception as exc:
            raise DefinitionError(
                f"{self._at(exc, path)}: {where}: {type(exc).__name__} while rendering: {exc}; fix the expression"
            ) from None

    def _not_utf8(self, path: Path, where: str) -> str:
        """Name the query file, or the fragment it includes, that is not UTF-8 (Jinja2's error names neither)."""
        candidates = [path, *sorted(p for p in self.root.rglob("*") if p.is_file() and p != path)]
        for candidate in candidates:
            problem = not_utf8(candidate.read_bytes())
            if problem is not None:
                return f"{candidate}: {problem} (read for {where}); save it as UTF-8 text"
        return f"{path}: {where}: a file it reads is not UTF-8 text; save it as UTF-8"

    def _at(self, exc: BaseException, path: Path) -> str:
        """file:line of the innermost template line in Jinja2's rewritten traceback (the query file if none)."""
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if Path(frame.filename).is_relative_to(self.root):
                return f"{frame.filename}:{frame.lineno}"
        return f"{path}:0"


def _unsafe(exc: SecurityError) -> str:
    return (
        f"the template reaches for Python internals ({exc}), which query templates may not; "
        "use only the environment's values and the shared fragments' macros"
    )
