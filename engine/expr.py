"""The small, safe expression language of guards, effects and chance weights.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum     := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := number | 'string' | true | false | name | call | "(" expr ")"
    call    := ("min" | "max" | "clamp" | "abs" | "round") "(" expr ("," expr)* ")"
    effect  := name ("=" | "+=" | "-=") expr

Text is parsed once at load into a tree, type-checked against the declared
variables and persona values, then turned into plain Python closures. Nothing
is ever handed to Python's evaluator. Division by zero gives 0.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Env = Mapping[str, Any]
Evaluator = Callable[[Env], Any]
TypeName = Literal["number", "bool", "string"]


class ExprError(Exception):
    """A mistake in an expression; ``column`` is 1-based within the expression text."""

    def __init__(self, message: str, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


def quoted(text: str, column: int, width: int = 60) -> str:
    """``text`` in quotes for an error message, cut to ``width`` characters around ``column``."""
    if len(text) <= width:
        return repr(text)
    start = max(0, min(column - 1 - width // 2, len(text) - width))
    cut = text[start : start + width]
    return repr(("…" if start else "") + cut + ("…" if start + width < len(text) else ""))


@dataclass(frozen=True)
class NameInfo:
    """What the type checker knows about a name: its type and its possible values."""

    type: TypeName
    low: float | None = None
    high: float | None = None
    values: tuple[str, ...] = ()
    integer: bool = False


# ---------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d+)?|\.\d+)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<op>==|!=|<=|>=|\+=|-=|[-+*/<>=(),])
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false", "True", "False"}
FUNCTIONS = {"min": (2, 99), "max": (2, 99), "clamp": (3, 3), "abs": (1, 1), "round": (1, 1)}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    col: int


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ExprError(f"unexpected character {text[col - 1]!r}", col)
        kind = m.lastgroup or ""
        value = m.group(kind)
        col = m.start(kind) + 1
        if kind == "name" and value in _KEYWORDS:
            kind = "kw"
        tokens.append(Token(kind, value, col))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# ---------------------------------------------------------------- tree


@dataclass(frozen=True)
class Node:
    op: str  # "num", "str", "bool", "name", "call", "not", "neg", or a binary operator
    col: int
    value: Any = None
    args: tuple[Node, ...] = ()


MAX_TEXT = 2000  # characters in one expression
MAX_NESTING = 30  # brackets, function calls, "not" and "-" inside one another
MAX_DEPTH = 100  # levels of the parsed tree (a chain of 'and'/'or' terms adds one each)
MAX_DIGITS = 15  # a number literal beyond this cannot be a sensible value


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_TEXT:
            raise ExprError(f"expression is longer than {MAX_TEXT} characters; split it", 1)
        self.tokens = tokenize(text)
        self.i = 0
        self.nesting = 0

    def deeper(self, col: int) -> None:
        """Count one more level of nesting; refuse text nested beyond what anyone writes."""
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise ExprError(
                f"expression is nested more than {MAX_NESTING} levels deep; simplify it", col
            )

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self, *texts: str) -> Token | None:
        if self.tok.kind in ("op", "kw") and self.tok.text in texts:
            t = self.tok
            self.i += 1
            return t
        return None

    def expect_end(self) -> None:
        if self.tok.kind != "end":
            raise ExprError(f"unexpected {self.tok.text!r}", self.tok.col)

    def expr(self) -> Node:
        return self.or_()

    def or_(self) -> Node:
        left = self.and_()
        while t := self.take("or"):
            left = Node("or", t.col, args=(left, self.and_()))
        return left

    def and_(self) -> Node:
        left = self.not_()
        while t := self.take("and"):
            left = Node("and", t.col, args=(left, self.not_()))
        return left

    def not_(self) -> Node:
        if t := self.take("not"):
            self.deeper(t.col)
            inner = self.not_()
            self.nesting -= 1
            return Node("not", t.col, args=(inner,))
        return self.compare()

    def compare(self) -> Node:
        left = self.sum()
        if t := self.take("==", "!=", "<", "<=", ">", ">="):
            left = Node(t.text, t.col, args=(left, self.sum()))
            if self.tok.text in ("==", "!=", "<", "<=", ">", ">="):
                raise ExprError("comparisons cannot be chained; join them with 'and'", self.tok.col)
        elif self.tok.text == "=":
            raise ExprError("use '==' to compare ('=' only assigns, in effects)", self.tok.col)
        return left

    def sum(self) -> Node:
        left = self.term()
        while t := self.take("+", "-"):
            left = Node(t.text, t.col, args=(left, self.term()))
        return left

    def term(self) -> Node:
        left = self.unary()
        while t := self.take("*", "/"):
            left = Node(t.text, t.col, args=(left, self.unary()))
        return left

    def unary(self) -> Node:
        if t := self.take("-"):
            self.deeper(t.col)
            inner = self.unary()
            self.nesting -= 1
            return Node("neg", t.col, args=(inner,))
        return self.atom()

    def atom(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.i += 1
            if sum(c.isdigit() for c in t.text) > MAX_DIGITS:
                raise ExprError(f"number has more than {MAX_DIGITS} digits", t.col)
            return Node("num", t.col, float(t.text) if "." in t.text else int(t.text))
        if t.kind == "str":
            self.i += 1
            return Node("str", t.col, t.text[1:-1])
        if t.kind == "kw" and t.text in ("true", "True", "false", "False"):
            self.i += 1
            return Node("bool", t.col, t.text in ("true", "True"))
        if t.kind == "name":
            self.i += 1
            if self.take("("):
                if t.text not in FUNCTIONS:
                    known = ", ".join(sorted(FUNCTIONS))
                    raise ExprError(f"unknown function '{t.text}' (known: {known})", t.col)
                self.deeper(t.col)
                args = [self.expr()]
                while self.take(","):
                    args.append(self.expr())
                if not self.take(")"):
                    raise ExprError("missing ')' after function arguments", self.tok.col)
                self.nesting -= 1
                lo, hi = FUNCTIONS[t.text]
                if not lo <= len(args) <= hi:
                    want = str(lo) if lo == hi else f"at least {lo}"
                    raise ExprError(f"{t.text}() takes {want} arguments, not {len(args)}", t.col)
                return Node("call", t.col, t.text, tuple(args))
            return Node("name", t.col, t.text)
        if self.take("("):
            self.deeper(t.col)
            inner = self.expr()
            if not self.take(")"):
                raise ExprError("missing ')'", self.tok.col)
            self.nesting -= 1
            return inner
        if t.kind == "end":
            raise ExprError("expression ends too early", t.col)
        raise ExprError(f"unexpected {t.text!r}", t.col)


@functools.lru_cache(maxsize=65536)
def parse(text: str) -> Node:
    """Parse an expression (a guard or a weight) into a tree.

    Trees are immutable, so the same text (``trust += 1`` appears everywhere) is
    parsed once per process and shared by lint and compile.
    """
    if not isinstance(text, str) or not text.strip():
        raise ExprError("expression is empty", 1)
    p = _Parser(text)
    node = p.expr()
    p.expect_end()
    if _depth(node) > MAX_DEPTH:
        raise ExprError(
            f"expression has more than {MAX_DEPTH} terms in a row; split it into simpler guards "
            "or use a variable that an effect sets",
            1,
        )
    return node


def _depth(root: Node) -> int:
    """How many levels the tree has, counted without recursion (the tree may be long)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((arg, level + 1) for arg in node.args)
    return deepest


@dataclass(frozen=True)
class Assignment:
    target: str
    op: Literal["=", "+=", "-="]
    value: Node
    col: int


_ASSIGN = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\+=|-=|=)(?!=)\s*(.*)$", re.S)


@functools.lru_cache(maxsize=65536)
def parse_effect(text: str) -> Assignment:
    """Parse an effect such as ``trust += 1`` or ``backup_called = true``."""
    m = _ASSIGN.match(text) if isinstance(text, str) else None
    if not m:
        raise ExprError("an effect looks like 'name = value', 'name += value' or 'name -= value'")
    target, op, rest = m.group(1), m.group(2), m.group(3)
    offset = m.start(3)
    try:
        value = parse(rest)
    except ExprError as exc:
        raise ExprError(exc.message, exc.column + offset) from None
    return Assignment(target, op, _shift(value, offset), m.start(1) + 1)  # type: ignore[arg-type]


def _shift(node: Node, offset: int) -> Node:
    return Node(node.op, node.col + offset, node.value, tuple(_shift(a, offset) for a in node.args))


# ---------------------------------------------------------------- types and ranges


def names_in(node: Node) -> set[str]:
    if node.op == "name":
        return {str(node.value)}
    out: set[str] = set()
    for a in node.args:
        out |= names_in(a)
    return out


def check(node: Node, names: Mapping[str, NameInfo]) -> TypeName:
    """Return the expression's type or raise :class:`ExprError` naming the mistake."""
    op = node.op
    if op == "num":
        return "number"
    if op == "str":
        return "string"
    if op == "bool":
        return "bool"
    if op == "name":
        info = names.get(str(node.value))
        if info is None:
            raise ExprError(f"'{node.value}' is not a declared variable or persona value", node.col)
        return info.type
    if op == "call":
        for a in node.args:
            if check(a, names) != "number":
                raise ExprError(f"{node.value}() takes numbers", a.col)
        return "number"
    if op in ("and", "or"):
        for a in node.args:
            if check(a, names) != "bool":
                raise ExprError(f"'{op}' joins true/false conditions", a.col)
        return "bool"
    if op == "not":
        if check(node.args[0], names) != "bool":
            raise ExprError("'not' takes a true/false condition", node.args[0].col)
        return "bool"
    if op == "neg":
        if check(node.args[0], names) != "number":
            raise ExprError("'-' takes a number", node.args[0].col)
        return "number"
    left, right = node.args
    lt, rt = check(left, names), check(right, names)
    if op in ("+", "-", "*", "/", "<", "<=", ">", ">="):
        for side, t in ((left, lt), (right, rt)):
            if t != "number":
                raise ExprError(f"'{op}' needs numbers on both sides, not {t}", side.col)
        return "number" if op in ("+", "-", "*", "/") else "bool"
    # == and !=
    if lt != rt:
        raise ExprError(f"cannot compare {lt} with {rt}", node.col)
    if lt == "string":
        _check_enum_literal(left, right, names)
        _check_enum_literal(right, left, names)
    return "bool"


def _check_enum_literal(name: Node, lit: Node, names: Mapping[str, NameInfo]) -> None:
    if name.op == "name" and lit.op == "str":
        info = names[str(name.value)]
        if info.values and lit.value not in info.values:
            allowed = ", ".join(repr(v) for v in info.values)
            raise ExprError(
                f"'{name.value}' is never {lit.value!r}; it is one of {allowed}", lit.col
            )


Interval = tuple[float, float]


def interval(node: Node, names: Mapping[str, NameInfo]) -> Interval:
    """The range a numeric expression can take given declared ranges (may over-approximate)."""
    op = node.op
    inf = math.inf
    if op == "num":
        v = float(node.value)
        return (v, v)
    if op == "name":
        info = names.get(str(node.value))
        if info is None:
            return (-inf, inf)
        lo = info.low if info.low is not None else -inf
        hi = info.high if info.high is not None else inf
        return (lo, hi)
    if op == "neg":
        lo, hi = interval(node.args[0], names)
        return (-hi, -lo)
    if op == "call":
        parts = [interval(a, names) for a in node.args]
        if node.value == "min":
            return (min(p[0] for p in parts), min(p[1] for p in parts))
        if node.value == "max":
            return (max(p[0] for p in parts), max(p[1] for p in parts))
        if node.value == "clamp":
            (xl, xh), (ll, _), (_, hh) = parts
            return (min(max(xl, ll), hh), max(min(xh, hh), ll))
        if node.value == "abs":
            lo, hi = parts[0]
            if lo >= 0:
                return (lo, hi)
            if hi <= 0:
                return (-hi, -lo)
            return (0.0, max(-lo, hi))
        return parts[0]  # round
    if op in ("+", "-", "*", "/"):
        (al, ah), (bl, bh) = (interval(a, names) for a in node.args)
        if op == "+":
            return (al + bl, ah + bh)
        if op == "-":
            return (al - bh, ah - bl)
        if op == "*":
            products = [_mul(x, y) for x in (al, ah) for y in (bl, bh)]
            return (min(products), max(products))
        if bl > 0 or bh < 0:
            quotients = [_div(x, y) for x in (al, ah) for y in (bl, bh)]
            return (min(quotients), max(quotients))
        return (-inf, inf)
    return (-inf, inf)


def outcomes(node: Node, names: Mapping[str, NameInfo]) -> frozenset[bool]:
    """The truth values a checked yes/no expression can take (may over-approximate).

    A value missing from the result is proven impossible from the declared ranges and
    enumeration values, so lint can say a guard can never be true without guessing.
    """
    both = frozenset({False, True})
    op = node.op
    if op == "bool":
        return frozenset({bool(node.value)})
    if op == "not":
        return frozenset(not v for v in outcomes(node.args[0], names))
    if op in ("and", "or"):
        left, right = (outcomes(a, names) for a in node.args)
        if op == "and":
            return frozenset(x and y for x in left for y in right)
        return frozenset(x or y for x in left for y in right)
    if op in ("==", "!=", "<", "<=", ">", ">="):
        a, b = node.args
        strings = _string_values(a, names), _string_values(b, names)
        if strings[0] is not None and strings[1] is not None:
            can_equal = bool(strings[0] & strings[1])
            can_differ = len(strings[0] | strings[1]) > 1
            if op == "==":
                return frozenset(
                    {True} if not can_differ else {False, True} if can_equal else {False}
                )
            if op == "!=":
                return frozenset(
                    {False} if not can_differ else {False, True} if can_equal else {True}
                )
            return both
        try:
            (al, ah), (bl, bh) = interval(a, names), interval(b, names)
        except (TypeError, ValueError):
            return both
        truth = {
            "<": (al < bh, ah >= bl),
            "<=": (al <= bh, ah > bl),
            ">": (ah > bl, al <= bh),
            ">=": (ah >= bl, al < bh),
            "==": (al <= bh and bl <= ah, not (al == ah == bl == bh)),
            "!=": (not (al == ah == bl == bh), al <= bh and bl <= ah),
        }[op]
        return frozenset(v for v, possible in zip((True, False), truth, strict=True) if possible)
    return both


def _string_values(node: Node, names: Mapping[str, NameInfo]) -> frozenset[str] | None:
    """The texts a string operand can be, when they are known (literal or enumeration)."""
    if node.op == "str":
        return frozenset({str(node.value)})
    if node.op == "name":
        info = names.get(str(node.value))
        if info is not None and info.type == "string" and info.values:
            return frozenset(info.values)
    return None


def _mul(x: float, y: float) -> float:
    if x == 0 or y == 0:
        return 0.0
    return x * y


def _div(x: float, y: float) -> float:
    if math.isinf(y):
        return 0.0
    return x / y


# ---------------------------------------------------------------- closures


@functools.lru_cache(maxsize=65536)
def compile_expr(node: Node) -> Evaluator:
    """Turn a checked tree into a closure over an environment mapping."""
    op = node.op
    if op in ("num", "str", "bool"):
        value = node.value
        return lambda env: value
    if op == "name":
        key = node.value
        return lambda env: env[key]
    if op == "not":
        a = compile_expr(node.args[0])
        return lambda env: not a(env)
    if op == "neg":
        a = compile_expr(node.args[0])
        return lambda env: -a(env)
    if op == "call":
        fns = [compile_expr(a) for a in node.args]
        name = node.value
        if name == "min":
            return lambda env: min(f(env) for f in fns)
        if name == "max":
            return lambda env: max(f(env) for f in fns)
        if name == "clamp":
            x, lo, hi = fns
            return lambda env: min(max(x(env), lo(env)), hi(env))
        if name == "abs":
            f0 = fns[0]
            return lambda env: abs(f0(env))
        f0 = fns[0]
        return lambda env: round(f0(env))
    a, b = (compile_expr(x) for x in node.args)
    return _BINARY[op](a, b)


def _safe_div(x: float, y: float) -> float:
    return x / y if y else 0


_BINARY: dict[str, Callable[[Evaluator, Evaluator], Evaluator]] = {
    "and": lambda a, b: lambda env: bool(a(env)) and bool(b(env)),
    "or": lambda a, b: lambda env: bool(a(env)) or bool(b(env)),
    "==": lambda a, b: lambda env: a(env) == b(env),
    "!=": lambda a, b: lambda env: a(env) != b(env),
    "<": lambda a, b: lambda env: a(env) < b(env),
    "<=": lambda a, b: lambda env: a(env) <= b(env),
    ">": lambda a, b: lambda env: a(env) > b(env),
    ">=": lambda a, b: lambda env: a(env) >= b(env),
    "+": lambda a, b: lambda env: a(env) + b(env),
    "-": lambda a, b: lambda env: a(env) - b(env),
    "*": lambda a, b: lambda env: a(env) * b(env),
    "/": lambda a, b: lambda env: _safe_div(a(env), b(env)),
}


def type_problem(text: str, names: Mapping[str, NameInfo], want: TypeName, what: str) -> str | None:
    """Why ``text`` is not a ``want`` expression over ``names`` (None when it is), as lint
    words it: a syntax or name error with its column, or the type it gives instead of
    ``what`` ("a true/false condition")."""
    try:
        got = check(parse(text), names)
    except ExprError as exc:
        return f"{exc.message} (column {exc.column} of {quoted(text, exc.column)})"
    if got != want:
        return f"{text!r} gives a {got}, but {what} is needed here"
    return None
