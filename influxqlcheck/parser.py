"""Parse InfluxQL text into ``nodes`` statements, or one syntax error at the offending token.

The grammar (``grammar.lark``) is LALR; what it cannot say simply is checked while building the
nodes: an unquoted keyword used as a name, fill() and ::type arguments, and operators that are
not unary. Keywords are InfluxData's list (influxql README.md, "Keywords").
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from influxqlcheck.nodes import (
    Binary,
    Call,
    Clause,
    Expr,
    Field,
    Literal,
    Ref,
    Select,
    Show,
    Source,
    Statement,
    Wildcard,
)

_KEYWORD_LIST = """
ALL ALTER ANALYZE ANY AS ASC BEGIN BY CREATE CONTINUOUS DATABASE DATABASES DEFAULT DELETE DESC DESTINATIONS
DIAGNOSTICS DISTINCT DROP DURATION END EVERY EXPLAIN FIELD FOR FROM GRANT GRANTS GROUP GROUPS IN INF INSERT
INTO KEY KEYS KILL LIMIT SHOW MEASUREMENT MEASUREMENTS NAME OFFSET ON ORDER PASSWORD POLICY POLICIES PRIVILEGES
QUERIES QUERY READ REPLICATION RESAMPLE RETENTION REVOKE SELECT SERIES SET SHARD SHARDS SLIMIT SOFFSET STATS
SUBSCRIPTION SUBSCRIPTIONS TAG TO USER USERS VALUES WHERE WITH WRITE
"""
KEYWORDS = frozenset(_KEYWORD_LIST.split())
FILL_OPTIONS = frozenset({"null", "none", "previous", "linear"})
CASTS = frozenset({"field", "tag", "integer", "float", "string", "boolean", "unsigned"})
_SHOW_KINDS = {
    "show_tag_values": "TAG VALUES",
    "show_tag_keys": "TAG KEYS",
    "show_field_keys": "FIELD KEYS",
    "show_measurements": "MEASUREMENTS",
    "show_series": "SERIES",
    "show_databases": "DATABASES",
    "show_retention_policies": "RETENTION POLICIES",
}
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"'}


class InfluxQLSyntaxError(ValueError):
    """Where (an offset in the parsed text) and why the text is not InfluxQL."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


@cache
def _lark() -> Lark:
    grammar = (Path(__file__).parent / "grammar.lark").read_text()
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True, maybe_placeholders=False)


def parse(text: str) -> list[Statement]:
    """Every ``;``-separated statement of ``text``; InfluxQLSyntaxError at the first token that does not fit."""
    try:
        tree = _lark().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    return [_statement(child) for child in tree.children if isinstance(child, Tree)]


def _syntax_error(text: str, exc: UnexpectedInput) -> InfluxQLSyntaxError:
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        return InfluxQLSyntaxError(len(text), f"the query ends too early; expected {_expected(exc)}")
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        return InfluxQLSyntaxError(_at(token), f"unexpected {str(token)!r}; expected {_expected(exc)}")
    if isinstance(exc, UnexpectedCharacters):
        # lark declares UnexpectedInput.pos_in_stream as a bare `= None`; UnexpectedCharacters sets the lexer's offset.
        pos: int = exc.pos_in_stream  # type: ignore[assignment]
        near = text[pos : pos + 10]
        return InfluxQLSyntaxError(pos, f"cannot read the query from {near!r}")
    return InfluxQLSyntaxError(0, str(exc))


def _expected(exc: UnexpectedInput) -> str:
    names = sorted({_display(name) for name in getattr(exc, "expected", None) or ()})
    return " or ".join(names[:8]) + (" ..." if len(names) > 8 else "") if names else "more"


def _display(name: str) -> str:
    readable = {"IDENT": "a name", "QUOTED_IDENT": "a name", "STRING": "a string", "INTEGER": "an integer"}
    if name in readable:
        return readable[name]
    if name == "$END":  # lark's end of input: not a terminal of the grammar
        return "the end of the query"
    pattern = _lark().get_terminal(name).pattern
    return pattern.value.upper() if pattern.type == "str" else name.lower().replace("_", " ")


def _statement(tree: Tree) -> Statement:
    if tree.data == "select":
        return _select(tree)
    return _show(tree)


def _start(tree: Tree) -> int:
    return int(tree.meta.start_pos)


def _token(node: Tree | Token) -> Token:
    """A child the grammar makes a terminal (a named token, kept in the tree)."""
    assert isinstance(node, Token), f"expected a token, got {node!r}"
    return node


def _at(node: Tree | Token) -> int:
    """Where a terminal child starts; the lexer sets start_pos on every token it makes."""
    token = _token(node)
    assert token.start_pos is not None, f"token {token!r} has no position"
    return token.start_pos


def _select(tree: Tree) -> Select:
    parts = {child.data: child for child in tree.children if isinstance(child, Tree)}
    clauses = tuple(
        Clause(str(child.children[0]).upper(), _at(child.children[0]))
        for child in tree.children
        if isinstance(child, Tree) and child.data in ("into", "slimit", "soffset", "limit", "offset", "tz", "fill")
    )
    return Select(
        pos=_start(tree),
        fields=tuple(_field(f) for f in parts["fields"].children),
        sources=tuple(_select(s) if s.data == "select" else _source(s) for s in parts["sources"].children),
        where=_expr(parts["where"].children[1]) if "where" in parts else None,
        group_by=tuple(_expr(e) for e in parts["group_by"].children[2:]) if "group_by" in parts else (),
        fill=_fill(parts["fill"]) if "fill" in parts else None,
        clauses=clauses,
        into=_source(parts["into"].children[1]) if "into" in parts else None,
    )


def _field(tree: Tree) -> Field:
    alias = _ident(tree.children[2]) if len(tree.children) == 3 else None
    return Field(_expr(tree.children[0]), alias)


def _fill(tree: Tree) -> str:
    option = tree.children[1:]
    text = "".join(str(t) for t in option)
    first = option[0]
    if isinstance(first, Token) and first.type == "IDENT" and text.lower() not in FILL_OPTIONS:
        raise InfluxQLSyntaxError(
            _at(first), f"fill({text}) is not a fill option; use null, none, previous, linear or a number"
        )
    if isinstance(first, Token) and first.type == "ADD" and str(first) not in "+-":
        raise InfluxQLSyntaxError(_at(first), f"fill({text}) is not a fill option; use a number")
    return text.lower()


def _show(tree: Tree) -> Show:
    parts = {child.data: child for child in tree.children if isinstance(child, Tree)}
    sources: tuple[Source, ...] = ()
    if "from" in parts:
        sources = tuple(_source(m) for m in parts["from"].children[1:])
    elif "with_measurement" in parts:
        sources = (_source(parts["with_measurement"].children[-1]),)
    keys: tuple[Ref, ...] = ()
    if "with_key" in parts:
        keys = tuple(Ref(_ident(i), None, _start(i)) for i in parts["with_key"].children if isinstance(i, Tree))
    where = _expr(parts["where"].children[1]) if "where" in parts else None
    return Show(_SHOW_KINDS[tree.data], _start(tree), sources, keys, where)


def _source(tree: Tree) -> Source:
    last = tree.children[-1]
    if isinstance(last, Token):
        return Source(None, str(last)[1:-1].replace("\\/", "/"), _at(last))
    return Source(_ident(last), None, _start(last))


def _ident(tree: Tree) -> str:
    token = _token(tree.children[0])
    if token.type == "QUOTED_IDENT":
        return _unescape(str(token)[1:-1])
    if str(token).upper() in KEYWORDS:
        raise InfluxQLSyntaxError(
            _at(token), f'{token} is an InfluxQL keyword; double-quote it to use it as a name: "{token}"'
        )
    return str(token)


def _unescape(text: str) -> str:
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(_ESCAPES.get(following, "\\" + following))
        else:
            out.append(char)
    return "".join(out)


def _expr(node: Tree | Token) -> Expr:
    if isinstance(node, Token):  # an expression in parentheses that is a single token cannot happen
        raise InfluxQLSyntaxError(_at(node), f"unexpected {node!s}")
    kind = node.data
    if kind == "binary":
        left, op, right = node.children
        return Binary(str(op).upper(), _expr(left), _expr(right), _at(op))
    if kind == "var_ref":
        idents = [c for c in node.children if isinstance(c, Tree) and c.data == "ident"]
        casts = [c for c in node.children if isinstance(c, Tree) and c.data == "cast"]
        return Ref(_ident(idents[-1]), _cast(casts[0]) if casts else None, _start(node))
    if kind == "call":
        name = node.children[0]
        return Call(str(name).lower(), tuple(_expr(a) for a in node.children[1:]), _at(name))
    if kind == "distinct":
        return Call("distinct", (Ref(_ident(node.children[1]), None, _start(node.children[1])),), _start(node))
    if kind == "wildcard":
        star = node.children[0]
        if str(star) != "*":
            raise InfluxQLSyntaxError(_at(star), f"unexpected {star!s}; expected a name, a number or a string")
        return Wildcard(_cast(node.children[1]) if len(node.children) > 1 else None, _at(star))
    if kind == "signed":
        return _signed(node)
    token = node.children[0]
    value = str(token)
    if kind == "string":
        value = _unescape(value[1:-1])
    elif kind == "regex":
        value = value[1:-1].replace("\\/", "/")
    return Literal(kind, value, _at(token))


def _signed(node: Tree) -> Expr:
    sign, operand = node.children
    if str(sign) not in "+-":
        raise InfluxQLSyntaxError(_at(sign), f"unexpected {sign!s}; expected a name, a number or a string")
    inner = _expr(operand)
    if isinstance(inner, Literal) and inner.kind in ("integer", "float", "duration"):
        value = inner.value if str(sign) == "+" else "-" + inner.value
        return Literal(inner.kind, value, _at(sign))
    if str(sign) == "+":
        return inner
    return Binary("*", Literal("integer", "-1", _at(sign)), inner, _at(sign))


def _cast(tree: Tree) -> str:
    token = tree.children[0]
    if str(token).lower() not in CASTS:
        raise InfluxQLSyntaxError(
            _at(token), f"::{token} is not a type; use ::field, ::tag, ::integer, ::float, ::string or ::boolean"
        )
    return str(token).lower()
