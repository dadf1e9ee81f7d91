"""Evaluate the Terraform expressions of variable validations in Python, so their rules are tested without a binary.

It covers what `condition = ...` lines under infra/ use: literals, lists, `var.` references, attribute and index
access, for-expressions, the operators and the functions in FUNCTIONS. Semantics follow Terraform 1.5-1.11: `&&` and
`||` evaluate both sides (an error on either side is an error, whatever the other says), `? :` only the chosen branch,
`can` and `try` turn errors into false or the fallback. Anything else is refused, so a condition it cannot read
fails the tests instead of passing them.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

Node = Callable[[dict[str, Any]], Any]


class HclError(Exception):
    """An evaluation error, as Terraform would report one (invalid index, wrong type, failed function)."""


_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_-]*)'
    r"|(?P<op>==|!=|<=|>=|&&|\|\||[-!<>?:()\[\],.+*/%{}]))"
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_BINARY = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _need(ok: bool, message: str) -> None:
    if not ok:
        raise HclError(message)


def _regex(pattern: str, text: str) -> Any:
    match = re.search(pattern, text)
    _need(match is not None, f"regex {pattern!r} does not match {text!r}")
    assert match is not None
    if match.groupdict():
        return match.groupdict()
    return list(match.groups()) if match.groups() else match.group(0)


def _network(prefix: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """Go's net.ParseCIDR: an address, a slash and a prefix length; host bits allowed."""
    _need(isinstance(prefix, str) and "/" in prefix, f"invalid CIDR address {prefix!r}")
    try:
        return ipaddress.ip_network(prefix, strict=False)
    except ValueError:
        raise HclError(f"invalid CIDR address {prefix!r}") from None


def _cidrsubnet(prefix: str, newbits: int, netnum: int) -> str:
    network = _network(prefix)
    length = network.prefixlen + newbits
    _need(length <= network.max_prefixlen and 0 <= netnum < 2**newbits, f"cidrsubnet({prefix}, {newbits}, {netnum})")
    start = int(network.network_address) + (netnum << (network.max_prefixlen - length))
    return f"{ipaddress.ip_address(start) if network.version == 4 else ipaddress.IPv6Address(start)}/{length}"


def _cidrhost(prefix: str, hostnum: int) -> str:
    network = _network(prefix)
    _need(0 <= hostnum < network.num_addresses, f"cidrhost({prefix}, {hostnum}): no such host")
    return str(network.network_address + hostnum)


def _tonumber(value: Any) -> Any:
    if value is None or _number(value):
        return value
    _need(isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) is not None, f"tonumber({value!r})")
    return float(value) if "." in value else int(value)


def _collection(value: Any) -> list[tuple[Any, Any]]:
    """(key, value) pairs: list indices or map keys in lexical order, as Terraform iterates."""
    if isinstance(value, list):
        return list(enumerate(value))
    _need(isinstance(value, dict), f"cannot iterate over {value!r}")
    return sorted(value.items())


def _alltrue(values: list[Any]) -> bool:
    _need(all(isinstance(v, bool) for v in values), f"alltrue needs booleans, got {values!r}")
    return all(values)


def _jsondecode(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        raise HclError(f"jsondecode: not JSON: {text!r}") from None


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "alltrue": _alltrue,
    "cidrhost": _cidrhost,
    "cidrsubnet": _cidrsubnet,
    "contains": lambda items, value: value in items,
    "jsondecode": _jsondecode,
    "keys": lambda m: sorted(m),
    "length": lambda v: len(v),
    "regex": _regex,
    "setsubtract": lambda a, b: sorted(set(a) - set(b)),
    "split": lambda sep, text: text.split(sep),
    "startswith": lambda text, prefix: text.startswith(prefix),
    "tonumber": _tonumber,
    "values": lambda m: [v for _, v in sorted(m.items())],
}


def _call(name: str, args: list[Any]) -> Any:
    _need(all(a is not None for a in args), f"{name}(): null argument")
    try:
        return FUNCTIONS[name](*args)
    except HclError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, re.error) as exc:
        raise HclError(f"{name}(): {exc}") from None


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("==", "!="):
        same = type(left) is type(right) or (_number(left) and _number(right))
        return (same and left == right) == (op == "==")
    if op in ("&&", "||"):
        _need(isinstance(left, bool) and isinstance(right, bool), f"{op} needs booleans, got {left!r}, {right!r}")
        return (left and right) if op == "&&" else (left or right)
    _need(_number(left) and _number(right), f"{op} needs numbers, got {left!r}, {right!r}")
    operations = {
        "<": lambda: left < right,
        ">": lambda: left > right,
        "<=": lambda: left <= right,
        ">=": lambda: left >= right,
        "+": lambda: left + right,
        "-": lambda: left - right,
        "*": lambda: left * right,
        "/": lambda: left / right,
        "%": lambda: left % right,
    }
    try:
        return operations[op]()
    except ZeroDivisionError:
        raise HclError("division by zero") from None


def _not(value: Any) -> bool:
    _need(isinstance(value, bool), f"! needs a boolean, got {value!r}")
    return not value


def _index(value: Any, key: Any) -> Any:
    if isinstance(value, list):
        _need(_number(key) and 0 <= key < len(value), f"invalid index {key!r} into a list of {len(value)}")
        return value[int(key)]
    _need(isinstance(value, dict) and key in value, f"no attribute or key {key!r} in {value!r}")
    return value[key]


def _constant(value: Any) -> Node:
    return lambda env: value


def _binary_node(op: str, left: Node, right: Node) -> Node:
    return lambda env: _binary(op, left(env), right(env))


def _index_node(inner: Node, key: Node) -> Node:
    return lambda env: _index(inner(env), key(env))


class _Parser:
    """Recursive descent over the tokens of one expression; each method returns a Node."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while text[position:].strip():
            match = _TOKEN.match(text, position)
            if not match:
                raise HclError(f"cannot read {text[position:]!r} in {text!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.at = 0

    def peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens) or (expected is not None and self.peek() != expected):
            raise HclError(f"expected {expected or 'more'} at token {self.at} of {self.text!r}")
        self.at += 1
        return self.tokens[self.at - 1]

    def parse(self) -> Node:
        node = self.conditional()
        if self.at != len(self.tokens):
            raise HclError(f"unexpected {self.peek()!r} in {self.text!r}")
        return node

    def conditional(self) -> Node:
        test = self.binary(0)
        if self.peek() != "?":
            return test
        self.take("?")
        yes = self.conditional()
        self.take(":")
        no = self.conditional()

        def choose(env: dict[str, Any]) -> Any:
            chosen = test(env)
            _need(isinstance(chosen, bool), f"condition is {chosen!r}, not a boolean")
            return yes(env) if chosen else no(env)

        return choose

    def binary(self, level: int) -> Node:
        if level == len(_BINARY):
            return self.unary()
        node = self.binary(level + 1)
        while self.peek() in _BINARY[level] and self.tokens[self.at][0] == "op":
            op = self.take()[1]
            right = self.binary(level + 1)
            node = _binary_node(op, node, right)
        return node

    def unary(self) -> Node:
        if self.peek() == "!":
            self.take()
            operand = self.unary()
            return lambda env: _not(operand(env))
        if self.peek() == "-":
            self.take()
            operand = self.unary()
            return lambda env: _binary("-", 0, operand(env))
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while self.peek() in (".", "["):
            if self.take()[1] == ".":
                name = self.take()[1]
                node = _index_node(node, _constant(name))
            else:
                key = self.conditional()
                self.take("]")
                node = _index_node(node, key)
        return node

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "str":
            literal = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), value[1:-1])
            _need("${" not in literal and "%{" not in literal, f"templates are not supported: {value}")
            return _constant(literal)
        if kind == "num":
            return _constant(float(value) if "." in value else int(value))
        if value == "(":
            node = self.conditional()
            self.take(")")
            return node
        if value == "[":
            return self.list_or_for()
        if kind == "name":
            return self.name(value)
        raise HclError(f"unexpected {value!r} in {self.text!r}")

    def name(self, value: str) -> Node:
        constants = {"true": True, "false": False, "null": None}
        if value in constants:
            return _constant(constants[value])
        if self.peek() != "(":
            return lambda env: _index(env, value)
        self.take("(")
        args = self.items(")")
        if value == "can":
            return lambda env: _attempt(args[0], env, fallback=False, succeeded=True)
        if value == "try":
            return lambda env: _attempt(args[0], env, fallback=args[1](env))
        if value not in FUNCTIONS:
            raise HclError(f"function {value}() is not supported: add it to FUNCTIONS")
        return lambda env: _call(value, [a(env) for a in args])

    def list_or_for(self) -> Node:
        if self.peek() == "for":
            self.take("for")
            names = [self.take()[1]]
            if self.peek() == ",":
                self.take(",")
                names.append(self.take()[1])
            self.take("in")
            collection = self.conditional()
            self.take(":")
            body = self.conditional()
            keep = None
            if self.peek() == "if":
                self.take("if")
                keep = self.conditional()
            self.take("]")
            return lambda env: _for(names, collection(env), body, keep, env)
        items = self.items("]")
        return lambda env: [item(env) for item in items]

    def items(self, close: str) -> list[Node]:
        """Comma-separated expressions up to and including `close` (a trailing comma is allowed)."""
        found: list[Node] = []
        while self.peek() != close:
            found.append(self.conditional())
            if self.peek() != close:
                self.take(",")
        self.take(close)
        return found


def _attempt(node: Node, env: dict[str, Any], fallback: Any, succeeded: Any = None) -> Any:
    try:
        value = node(env)
    except HclError:
        return fallback
    return value if succeeded is None else succeeded


def _for(names: list[str], collection: Any, body: Node, keep: Node | None, env: dict[str, Any]) -> list[Any]:
    out = []
    for key, value in _collection(collection):
        scope = {**env, **({names[0]: value} if len(names) == 1 else {names[0]: key, names[1]: value})}
        if keep is None or keep(scope) is True:
            out.append(body(scope))
    return out


def evaluate(expression: str, variables: dict[str, Any]) -> Any:
    """The value of `expression` with `var.NAME` bound to `variables`; HclError where Terraform would fail."""
    return _Parser(expression).parse()({"var": variables})
