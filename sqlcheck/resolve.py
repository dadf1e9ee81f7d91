"""Resolve every table and column of a parsed query against the declared data model.

Walks sqlglot's scopes (CTEs, derived tables, subqueries, UNNEST) bottom-up, so a name
used outside a CTE is checked against what the CTE selects, and nested CTR fields
(``agent.routingprofile.name``) are checked against the Glue struct types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher, get_close_matches

from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope, walk_in_scope

from sqlcheck.annotate import Typer, scalar_name
from sqlcheck.catalog import Catalog, TableInfo, TypeTree

# What a source exposes: column name -> type (None when unknown); None when the shape is unknown.
Outputs = dict[str, TypeTree | None] | None


@dataclass(frozen=True)
class Finding:
    offset: int  # character offset in the text that was parsed
    rule: str
    message: str


@dataclass(frozen=True)
class Scan:
    """A read of a declared table: the cost rules look at the WHERE of ``select``."""

    table: exp.Table
    info: TableInfo
    alias: str
    select: exp.Expr
    others: tuple[Outputs, ...] = ()  # what the scope's other sources expose: an unqualified name may be theirs


def offset_of(node: exp.Expr | None) -> int:
    """Start offset of a node: the earliest identifier or literal in it that has one."""
    if node is None:
        return 0
    starts = [int(n.meta["start"]) for n in node.walk() if n.meta and n.meta.get("start") is not None]
    return min(starts, default=0)


def suggest(name: str, known: list[str]) -> str:
    """``did you mean x?`` from the closest known names, or an empty string."""
    exact_case = [k for k in known if k.lower() == name.lower() and k != name]
    scored = [(SequenceMatcher(None, name, c).ratio(), c) for c in get_close_matches(name, known, n=3, cutoff=0.6)]
    best = max((score for score, _ in scored), default=0.0)
    close = exact_case + [c for score, c in scored if score >= best - 0.1 and c not in exact_case]
    if not close:
        return ""
    listed = close[0] if len(close) == 1 else ", ".join(close[:-1]) + " or " + close[-1]
    return f"; did you mean {listed}?"


@dataclass
class _Resolver:
    catalog: Catalog
    findings: list[Finding] = field(default_factory=list)
    scans: list[Scan] = field(default_factory=list)
    outputs: dict[int, Outputs] = field(default_factory=dict)  # by id(scope.expression)
    sources: dict[int, dict[str, Outputs]] = field(default_factory=dict)  # by id(scope)
    labels: dict[int, dict[str, str]] = field(default_factory=dict)  # alias -> what to call it
    types: dict[int, TypeTree | None] = field(default_factory=dict)  # by id of a column path's top node
    typed: list[tuple[exp.Expr, TypeTree]] = field(default_factory=list)  # column paths typed since the last scope
    deferred: list[tuple[exp.Column, Scope, Scope]] = field(default_factory=list)  # correlated references
    typer: Typer | None = None  # types each scope once its names are resolved

    def add(self, node: exp.Expr | None, rule: str, message: str) -> None:
        self.findings.append(Finding(offset_of(node), rule, message))

    def visit(self, scope: Scope) -> None:
        if isinstance(scope.expression, exp.SetOperation):
            left = scope.set_operation_scopes[0].expression if scope.set_operation_scopes else None
            self.outputs[id(scope.expression)] = self.outputs.get(id(left)) if left is not None else None
            if self.typer is not None:
                self.typer.annotate(scope, self.typed)
                self.typed.clear()
            return
        sources: dict[str, Outputs] = {}
        labels: dict[str, str] = {}
        first_scan = len(self.scans)
        # A CTE is in scope.sources wherever it could be named, but only one in FROM/JOIN provides columns.
        visible = scope.sources if scope.is_udtf else scope.selected_sources
        for alias, source in scope.sources.items():
            if alias not in visible:
                continue
            key = self.catalog.norm(alias)
            if isinstance(source, exp.Table) and scope.is_udtf:
                sources[key] = self._known_columns(source)  # the FROM's scope already checked this table
            elif isinstance(source, exp.Table):
                sources[key] = self._table(source, scope)
                labels[key] = source.name if self.catalog.norm(source.name) == key else f"{source.name} (as {alias})"
            else:
                sources[key] = self._source_outputs(source)
                labels[key] = alias or source.expression.sql()
        for index in range(first_scan, len(self.scans)):
            scan = self.scans[index]
            others = tuple(o for key, o in sources.items() if key != scan.alias)
            self.scans[index] = replace(scan, others=others)
        self.sources[id(scope)] = sources
        self.labels[id(scope)] = labels
        own = {id(node) for node in walk_in_scope(scope.expression) if isinstance(node, exp.Column)}
        for column in scope.columns:
            if id(column) in own:  # sqlglot also lists a subquery's outer references here
                self._column(column, scope)
        self._bracket_fields(scope)
        if self.typer is not None:
            self.typer.annotate(scope, self.typed)
            self.typed.clear()
        self.outputs[id(scope.expression)] = self._select_outputs(scope, sources)

    # --- tables ------------------------------------------------------------------------------

    def _table(self, table: exp.Table, scope: Scope) -> Outputs:
        cat = self.catalog
        name, db, catalog_name = cat.norm(table.name), cat.norm(table.db), cat.norm(table.catalog)
        shown_db = cat.shown_database()
        if cat.database_required:
            if catalog_name:
                self.add(table, "unknown-table", f"Timestream tables are database.table; drop {table.catalog}")
                return None
            if not db:
                self.add(table, "unknown-table", f"table {name} needs its database: write {shown_db}.{name}")
                return None
        elif catalog_name and catalog_name != cat.catalog_name:
            hint = suggest(catalog_name, [cat.catalog_name or ""])
            self.add(table.args.get("catalog"), "unknown-table", f"unknown data catalog {table.catalog}{hint}")
            return None
        if db and db != cat.database:
            self.add(table.args.get("db"), "unknown-table", f"unknown database {table.db}{suggest(db, [cat.database])}")
            return None
        info = cat.tables.get(name)
        if info is None:
            known = sorted(cat.tables)
            hint = suggest(name, known) or f"; the pipeline writes {', '.join(known)}"
            self.add(table.this, "unknown-table", f"unknown table {table.name}{hint}")
            return None
        self.scans.append(Scan(table, info, cat.norm(table.alias_or_name), scope.expression))
        return dict(info.columns)

    def _known_columns(self, table: exp.Table) -> Outputs:
        info = self.catalog.tables.get(self.catalog.norm(table.name))
        return dict(info.columns) if info is not None else None

    def _source_outputs(self, source: Scope) -> Outputs:
        expression = source.expression
        alias = expression.args.get("alias")
        if alias is None and isinstance(expression.parent, exp.Subquery | exp.CTE):
            alias = expression.parent.args.get("alias")
        renamed = [self.catalog.norm(c.name) for c in alias.columns] if isinstance(alias, exp.TableAlias) else []
        if isinstance(expression, exp.Unnest):
            return self._unnest_outputs(expression, renamed)
        inner = self.outputs.get(id(expression))
        if renamed:
            types = list(inner.values()) if inner else []
            return {name: types[i] if i < len(types) else None for i, name in enumerate(renamed)}
        return inner

    def _unnest_outputs(self, unnest: exp.Unnest, renamed: list[str]) -> Outputs:
        """Trino's UNNEST columns: an array's element (a row's fields, each its own column), a map's key and
        value, then the ordinality; the alias renames them in order and must name them all."""
        columns: list[tuple[str | None, TypeTree | None]] = []
        for arg in unnest.expressions:
            type_ = self._type_of(arg)
            element = type_.get("[]") if isinstance(type_, dict) else None
            if isinstance(element, dict) and "[]" not in element and "{}" not in element:
                columns += [(name, sub if isinstance(sub, str | dict) else None) for name, sub in element.items()]
            elif isinstance(element, str | dict):
                columns.append((None, element))
            elif isinstance(type_, dict) and "{}" in type_:
                value = type_["{}"]
                columns += [(None, "string"), (None, value if isinstance(value, str | dict) else None)]
            else:
                return dict.fromkeys(renamed) if renamed else None  # not a declared array or map: shape unknown
        ordinality = unnest.args.get("offset")
        counter = {self.catalog.norm(ordinality.name): "bigint"} if isinstance(ordinality, exp.Identifier) else {}
        if not renamed:
            named = all(name for name, _ in columns)
            return {**{name: t for name, t in columns if name}, **counter} if named else None
        if len(renamed) != len(columns):
            fields = ", ".join(name or "?" for name, _ in columns)
            self.add(
                unnest.args.get("alias"),
                "unknown-column",
                f"UNNEST gives {len(columns)} columns ({fields}) but the alias names {len(renamed)}; name each one",
            )
            return dict.fromkeys(renamed)  # which alias is which column is anyone's guess
        return {**{name: columns[i][1] for i, name in enumerate(renamed)}, **counter}

    # --- columns -----------------------------------------------------------------------------

    def _column(self, column: exp.Column, scope: Scope, start: Scope | None = None) -> None:
        if isinstance(column.this, exp.Star):
            return
        ids: list[exp.Expr] = list(column.parts)  # identifiers, which sqlglot types as any node
        top: exp.Expr = column
        while isinstance(top.parent, exp.Dot) and top.parent.this is top:
            part = top.parent.expression
            if not isinstance(part, exp.Identifier):
                break
            ids.append(part)
            top = top.parent
        names = [self.catalog.norm(i.name) for i in ids]
        current: Scope | None = start or scope
        while current is not None:
            sources = self.sources.get(id(current), {})
            labels = self.labels.get(id(current), {})
            if len(names) >= 2 and names[0] in sources:
                outputs = sources[names[0]]
                if outputs is None:
                    return
                if names[1] not in outputs:
                    hint = suggest(names[1], list(outputs))
                    self.add(ids[1], "unknown-column", f"unknown column {ids[1].name} in {labels[names[0]]}{hint}")
                    return
                self._fields(top, outputs[names[1]], ids[2:], f"{names[0]}.{names[1]}")
                return
            having = {alias: o for alias, o in sources.items() if o is not None and names[0] in o}
            if len(having) > 1 and names[0] not in _using(current.expression, self.catalog.norm):
                shown = ", ".join(labels.get(alias, alias) for alias in having)
                self.add(ids[0], "ambiguous-column", f"ambiguous column {ids[0].name} in {shown}; qualify it")
                return
            if having:
                outputs = next(iter(having.values()))
                self._fields(top, outputs[names[0]], ids[1:], names[0])
                return
            if any(o is None for o in sources.values()):
                return  # a source of unknown shape may have it
            current = current.parent if current.is_subquery or current.is_udtf else None
            if current is not None and id(current) not in self.sources:
                self.deferred.append((column, scope, current))  # outer scopes are visited after inner ones
                return
        self._unknown_column(ids[0], scope)

    def _unknown_column(self, ident: exp.Expr, scope: Scope) -> None:
        name = self.catalog.norm(ident.name)
        select = scope.expression
        aliases = {self.catalog.norm(p.alias) for p in select.expressions if isinstance(p, exp.Alias)}
        if name in aliases and ident.find_ancestor(exp.Where, exp.Group, exp.Having) is not None:
            self.add(
                ident,
                "unknown-column",
                f"{ident.name} is an output alias, which cannot be used here; repeat the expression",
            )
            return
        candidates = sorted({c for o in self.sources.get(id(scope), {}).values() if o for c in o})
        hint = suggest(name, candidates)
        if not self.sources.get(id(scope)):
            self.add(ident, "unknown-column", f"unknown column {ident.name}: the query reads no table here{hint}")
            return
        tables = ", ".join(self.labels[id(scope)].values())
        self.add(ident, "unknown-column", f"unknown column {ident.name} in {tables}{hint}")

    def _fields(self, top: exp.Expr, type_: TypeTree | None, ids: list[exp.Expr], path: str) -> None:
        """Check struct field access against the declared nested type."""
        for ident in ids:
            name = self.catalog.norm(ident.name)
            if type_ is None:
                break
            if isinstance(type_, str):
                self.add(ident, "unknown-column", f"{path} is a {type_}, which has no field {ident.name}")
                return
            if "[]" in type_:
                self.add(ident, "unknown-column", f"{path} is an array; index it ({path}[1].{name}) or UNNEST it")
                return
            if "{}" in type_:
                self.add(ident, "unknown-column", f"{path} is a map; use element_at({path}, '{ident.name}')")
                return
            if name not in type_:
                fields = [k for k in type_ if isinstance(k, str)]
                self.add(ident, "unknown-column", f"unknown field {ident.name} in {path}{suggest(name, fields)}")
                return
            sub = type_[name]
            type_ = sub if isinstance(sub, str | dict) else None
            path = f"{path}.{name}"
        self.types[id(top)] = type_
        if type_ is not None:
            self.typed.append((top, type_))

    def _type_of(self, node: exp.Expr) -> TypeTree | None:
        if isinstance(node, exp.Column | exp.Dot):
            return self.types.get(id(node))
        if isinstance(node, exp.Bracket):
            base = self._type_of(node.this)
            if isinstance(base, dict):
                inner = base.get("[]", base.get("{}"))
                return inner if isinstance(inner, str | dict) else None
        return None

    def _bracket_fields(self, scope: Scope) -> None:
        """``recordings[1].location``: a field read from an array element or map value."""
        for node in walk_in_scope(scope.expression):
            if isinstance(node, exp.Dot) and isinstance(node.this, exp.Bracket):
                base = self._type_of(node.this)
                if isinstance(node.expression, exp.Identifier):
                    self._fields(node, base, [node.expression], f"{node.this.this.sql()}[...]")

    def _select_outputs(self, scope: Scope, sources: dict[str, Outputs]) -> Outputs:
        select = scope.expression
        if not isinstance(select, exp.Select):
            return None
        outputs: dict[str, TypeTree | None] = {}
        for projection in select.expressions:
            if isinstance(projection, exp.Star):
                for source in sources.values():
                    if source is None:
                        return None
                    outputs.update(source)
            elif isinstance(projection, exp.Column) and isinstance(projection.this, exp.Star):
                source = sources.get(self.catalog.norm(projection.table))
                if source is None:
                    return None
                outputs.update(source)
            else:
                name = self.catalog.norm(projection.alias_or_name)
                inner = projection.this if isinstance(projection, exp.Alias) else projection
                if name:  # a column path's declared type, else what the typer computed
                    outputs[name] = self.types[id(inner)] if id(inner) in self.types else scalar_name(inner)
        return outputs


def _using(select: exp.Expr, norm: Callable[[str], str]) -> set[str]:
    """Columns joined with ``USING (...)``, which Trino merges into one unqualified column."""
    return {norm(i.name) for join in select.args.get("joins") or () for i in join.args.get("using") or ()}


def resolve(tree: exp.Expr, catalog: Catalog, typer: Typer | None = None) -> tuple[list[Finding], list[Scan]]:
    """Findings about names, and the scans of declared tables; with a typer, every expression typed too."""
    resolver = _Resolver(catalog, typer=typer)
    for scope in traverse_scope(tree):
        resolver.visit(scope)
    for column, scope, outer in resolver.deferred:
        resolver._column(column, scope, outer)
    return resolver.findings, resolver.scans
