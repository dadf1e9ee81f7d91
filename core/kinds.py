"""What a datasource kind is: everything the compiler, the checks and the engines need to know of one.

The kinds themselves live in the `kinds` package, one module each; nothing else branches on a kind's name.
Heavy work (parsing, engines) sits behind the callables, which import what they need when called, so
that a build whose checks are cached never loads a parser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from core.environment import Environment
    from core.problems import Problem
    from core.template_variable import TemplateVariable
    from core.timerange import TimeRange


@dataclass(frozen=True)
class QueryContext:
    """What checking, expanding or running a query of one kind needs from an environment."""

    database: str
    default_table: str = ""
    catalog: str = ""
    table_names: Mapping[str, str] | None = None  # declared table name -> its name in this environment
    template_context: Mapping[str, Any] | None = None  # what the query files were rendered with


@dataclass(frozen=True)
class CheckRequest:
    """One rendered query file to check, with everything its findings must point back to."""

    text: str
    file: str  # as written in findings
    context: QueryContext
    variables: Mapping[str, TemplateVariable]
    target: Mapping[str, str]  # the target fields the kind's macros read
    template_root: str | None  # queries/ folder, when the file is a template under it
    template_name: str | None  # its Jinja2 name under template_root


@dataclass(frozen=True)
class ResultShape:
    """What a query returns, as Grafana's alerting reads a result: each value column (field) is a series or number of
    its own, told apart from the others only by the label columns (tags); a time column makes each label set a
    series of points, which a rule must reduce to one number. ``one_row``: at most one row (an aggregate without
    GROUP BY, or LIMIT 1)."""

    labels: tuple[str, ...]
    values: tuple[str, ...]
    time: bool
    one_row: bool


class TypedQuery(Protocol):
    """A panel target of one kind, as a definition writes it."""

    # Read-only (properties) so that the kinds' frozen dataclasses satisfy the protocol.
    @property
    def file(self) -> str: ...  # the query file, under queries/<kind>/

    @property
    def ref_id(self) -> str: ...

    def target(self, text: str, ds_ref: dict[str, str]) -> dict[str, Any]: ...

    def macro_fields(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class DatasourceKind:
    """One kind of datasource: its Grafana plugin, its query language and how each stage treats it."""

    name: str  # key under dash.yaml's datasources and the folder under queries/
    order: int  # where its datasource stands in generated lists: real-time stores before history
    display_name: str  # as people read it: "Amazon Timestream"
    plugin_id: str  # Grafana's plugin type id
    query_type: type  # the typed target definitions use (a TypedQuery)
    format_enum: type[Enum]  # the target's `format` values
    query_suffix: str  # query files end so: ".sql", ".influxql"
    provisioned_name: str  # the datasource's name in Grafana
    json_data: Callable[[Environment], dict[str, Any]]  # provisioning jsonData
    context: Callable[[Environment], QueryContext]
    check: Callable[[CheckRequest], list[Problem]]
    expand: Callable[[str, QueryContext, Mapping[str, str], TimeRange], str]  # macros as the plugin expands them
    local_dialect: Callable[[], Any] | None = None  # sqlglot dialect the local engine translates from
    secure_json_data: Callable[[Environment], dict[str, str]] | None = None  # $VAR references, never a secret
    # Top-level provisioning fields of a datasource Grafana reaches by URL: url, and user where one logs in.
    connection: Callable[[Environment], dict[str, str]] | None = None
    # A kind that can be an environment's real-time store: a query name (no suffix), time series or table, refId
    # and series alias (for kinds whose targets take one) -> its typed target. Real-time panels name a query
    # once and get the store's kind.
    realtime: Callable[[str, bool, str, str], TypedQuery] | None = None
    # What an environment using this kind as its store must also satisfy: the problem, or "".
    validate: Callable[[Environment], str] | None = None
    # Settings a store's dash.yaml block gets when `dash env import` moves an environment onto it: block -> missing
    # keys and their values.
    import_defaults: Callable[[Mapping[str, Any]], dict[str, str]] | None = None
    # The result's shape as alerting reads it, from the query's text with its macros expanded (None: unknown, e.g.
    # CloudWatch, whose results are always labelled series).
    shape: Callable[[str], ResultShape] | None = None
