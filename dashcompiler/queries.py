"""SQL files under queries/, rendered with Jinja2 per environment.

Rendering is strict: an undefined name is an error naming the file and line,
never an empty string in shipped SQL. Substitutions happen inline, so a line
of the rendered SQL is the same line of the file, which the SQL checks rely on.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from dashcompiler.errors import DefinitionError


@dataclass(frozen=True)
class RenderedQuery:
    """One query as shipped, with where it came from (for error messages)."""

    dashboard: str
    owner: str  # panel key, or "$name" for a template variable
    title: str  # panel title or variable label
    datasource: str
    file: Path
    sql: str
    target: dict[str, str]


class QueryTemplates:
    """Renders queries/<datasource>/<name>.sql for one environment, each file once."""

    def __init__(self, queries_dir: Path, context: dict[str, Any]) -> None:
        self.root = queries_dir
        self.context = context
        self._rendered: dict[str, str] = {}
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(queries_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )

    def path(self, datasource: str, name: str) -> Path:
        return self.root / datasource / name

    def render(self, datasource: str, name: str, where: str) -> str:
        template_name = f"{datasource}/{name}"
        if template_name not in self._rendered:
            self._rendered[template_name] = self._render(template_name, where)
        return self._rendered[template_name]

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
        except jinja2.UndefinedError as exc:
            known = ", ".join(sorted(self.context))
            raise DefinitionError(
                f"{self._at(exc, path)}: {where}: {exc.message}; the templates know: {known}"
            ) from None
        except Exception as exc:
            raise DefinitionError(
                f"{self._at(exc, path)}: {where}: {type(exc).__name__} while rendering: {exc}; fix the expression"
            ) from None

    def _at(self, exc: BaseException, path: Path) -> str:
        """file:line of the innermost template line in Jinja2's rewritten traceback (the query file if none)."""
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if Path(frame.filename).is_relative_to(self.root):
                return f"{frame.filename}:{frame.lineno}"
        return f"{path}:0"
