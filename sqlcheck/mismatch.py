"""``type-mismatch``: comparisons and arithmetic over types the engine will not put together.

Reads the types ``annotate.Typer`` put on a resolved query; an operand of unknown type is never reported, and
only the innermost mistake is (a mismatch inside an expression is not reported again by what contains it).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from sqlcheck.coercion import Side, TypeRules, arithmetic_advice, article, compares, comparison_advice, computes
from sqlcheck.resolve import Finding, offset_of

D = exp.DType
_COMPARISONS: dict[type[exp.Expr], str] = {
    exp.EQ: "=",
    exp.NEQ: "<>",
    exp.LT: "<",
    exp.LTE: "<=",
    exp.GT: ">",
    exp.GTE: ">=",
}
_ARITHMETIC: dict[type[exp.Expr], str] = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%"}
_NAMES = {
    D.INT: "integer",
    D.TINYINT: "tinyint",
    D.SMALLINT: "smallint",
    D.BIGINT: "bigint",
    D.DOUBLE: "double",
    D.FLOAT: "real",
    D.DECIMAL: "decimal",
    D.VARCHAR: "varchar",
    D.CHAR: "char",
    D.TEXT: "varchar",
    D.BOOLEAN: "boolean",
    D.DATE: "date",
    D.TIME: "time",
    D.INTERVAL: "interval",
    D.TIMESTAMPTZ: "timestamp with time zone",
}
_CHECKED = frozenset({*_COMPARISONS, *_ARITHMETIC, exp.Between, exp.In})
# Shows an operand: its text as written, or the macro that produced it.
Shown = Callable[[exp.Expr], tuple[str, bool]]


def kind_of(node: exp.Expr) -> tuple[str, str] | None:
    """(kind, type name) of an annotated node, None when unknown or not a kind the rule compares."""
    type_ = node.type
    if type_ is None:
        return None
    this = type_.this
    if this in exp.DataType.TEXT_TYPES:
        return "varchar", "varchar"
    if this in exp.DataType.NUMERIC_TYPES:
        return "number", _NAMES.get(this, "number")
    if this == D.BOOLEAN:
        return "boolean", "boolean"
    if this == D.DATE:
        return "date", "date"
    if this in (D.TIME, D.TIMETZ):
        return "time", "time"
    if this == D.INTERVAL:
        return "interval", "interval"
    if this in exp.DataType.TEMPORAL_TYPES:
        return "timestamp", _NAMES.get(this, "timestamp")
    return None


def type_mismatches(tree: exp.Expr, rules: TypeRules, shown: Shown) -> list[Finding]:
    """Every comparison and arithmetic operation whose operands the engine will not combine, innermost only."""
    findings: list[Finding] = []
    spoiled: set[int] = set()  # nodes holding a reported mistake
    candidates = [node for node in tree.walk(bfs=False) if type(node) in _CHECKED]
    for node in reversed(candidates):  # reversed pre-order: every node after all it contains
        if id(node) in spoiled:
            continue
        finding = _check(node, rules, shown)
        if finding is not None:
            findings.append(finding)
            ancestor: exp.Expr | None = node
            while ancestor is not None:
                spoiled.add(id(ancestor))
                ancestor = ancestor.parent
    return findings


def _check(node: exp.Expr, rules: TypeRules, shown: Shown) -> Finding | None:
    if type(node) in _COMPARISONS:
        assert isinstance(node, exp.Binary)
        return _compare(node, node.left, node.right, _COMPARISONS[type(node)], rules, shown)
    if isinstance(node, exp.Between):
        for bound in (node.args.get("low"), node.args.get("high")):
            if isinstance(bound, exp.Expr):
                found = _compare(node, node.this, bound, "BETWEEN", rules, shown)
                if found is not None:
                    return found
        return None
    if isinstance(node, exp.In):
        query = node.args.get("query")
        values = list(node.expressions)
        inner = query.unnest() if isinstance(query, exp.Expr) else None
        if isinstance(inner, exp.Query):
            values = inner.selects[:1] if len(inner.selects) == 1 else []
        for value in values:
            found = _compare(node, node.this, value, "IN", rules, shown)
            if found is not None:
                return found
        return None
    if type(node) in _ARITHMETIC:
        assert isinstance(node, exp.Binary)
        return _arithmetic(node, _ARITHMETIC[type(node)], rules, shown)
    return None


def _side(node: exp.Expr, kind: tuple[str, str], shown: Shown) -> Side:
    text, from_macro = shown(node)
    literal = node.name if isinstance(node, exp.Literal) and not from_macro else None
    if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not from_macro:
        literal = f"-{node.this.name}"
    return Side(kind[0], kind[1], text, literal, from_macro)


def _compare(
    node: exp.Expr, left: exp.Expr, right: exp.Expr, operator: str, rules: TypeRules, shown: Shown
) -> Finding | None:
    left_kind, right_kind = kind_of(left), kind_of(right)
    if left_kind is None or right_kind is None or compares(rules, left_kind[0], right_kind[0]):
        return None
    first, second = _side(left, left_kind, shown), _side(right, right_kind, shown)
    subject, other, at = (second, first, right) if _rewrite_right(first, second) else (first, second, left)
    advice = comparison_advice(rules, subject, other)
    message = (
        f"{subject.text} is {article(subject.type_name)} and {other.text} {article(other.type_name)}: "
        f"{rules.engine} does not compare them ({operator}) without a cast; {advice}"
    )
    return Finding(offset_of(at), "type-mismatch", message)


def _rewrite_right(first: Side, second: Side) -> bool:
    """Which operand to rewrite: a varchar or number against a time, else the literal one, else the left."""
    times = ("timestamp", "date", "interval")
    if first.kind in ("varchar", "number") and second.kind in times:
        return False
    if second.kind in ("varchar", "number") and first.kind in times:
        return True
    if second.kind == "number" and first.kind == "boolean":
        return True
    # a value written in the query, or the dashboard's, rather than a column
    return (second.literal is not None or second.from_macro) and not (first.literal is not None or first.from_macro)


def _rewrite_right_operand(left: str, right: str) -> bool:
    """A varchar or boolean next to a number or a time, a number next to a time: that one is the mistake."""
    if right in ("varchar", "boolean"):
        return left in ("interval", "timestamp", "date", "time", "number")
    return right == "number" and left in ("interval", "timestamp", "date")


def _arithmetic(node: exp.Binary, operator: str, rules: TypeRules, shown: Shown) -> Finding | None:
    left_kind, right_kind = kind_of(node.left), kind_of(node.right)
    if left_kind is None or right_kind is None or computes(rules, operator, left_kind[0], right_kind[0]):
        return None
    left, right = _side(node.left, left_kind, shown), _side(node.right, right_kind, shown)
    subject, other, at = left, right, node.left
    if _rewrite_right_operand(left.kind, right.kind):
        subject, other, at = right, left, node.right
    advice = arithmetic_advice(rules, operator, subject, other)
    message = (
        f"{left.text} {operator} {right.text}: {rules.engine} has no {operator} of "
        f"{article(left.type_name)} and {article(right.type_name)}; {advice}"
    )
    return Finding(offset_of(at), "type-mismatch", message)
