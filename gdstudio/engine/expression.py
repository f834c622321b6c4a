"""Typed objective functions: parse text with Python's ``ast`` into a small whitelisted tree (never eval).

Only numbers, the variables x0/x1 (x/y), the constants pi/e, + − * / ** with unary ±, and calls to a fixed
list of one-argument functions survive; everything else is refused with a message saying what and where
(1-based column).  Evaluation and reverse-mode gradients live in :mod:`gdstudio.engine.autodiff`.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "MAX_LENGTH",
    "MAX_DEPTH",
    "FUNCTION_NAMES",
    "ExpressionError",
    "Node",
    "Const",
    "Var",
    "Unary",
    "Binary",
    "Call",
    "Expression",
    "parse_expression",
]

MAX_LENGTH = 500
MAX_DEPTH = 40
FUNCTION_NAMES = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid")
VARIABLE_INDEX = {"x0": 0, "x1": 1, "x": 0, "y": 1}
CONSTANTS = {"pi": math.pi, "e": math.e}

_FUNCTION_HINT = ", ".join(FUNCTION_NAMES)
_NAME_HINT = "use x0, x1 (or x, y)"


class ExpressionError(ValueError):
    """A refused expression; ``message`` is the full readable text, ``column`` is 1-based (or None)."""

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


# ----------------------------------------------------------------------------------------------------------
# The tree.  Precedence levels drive to_text(): 1 (+ −), 2 (* /), 3 (unary −), 4 (**), 5 (atoms).

_BINARY_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}


class Node:
    """Base of the expression tree; subclasses are frozen dataclasses (hashable, comparable)."""

    precedence = 5

    def children(self) -> tuple["Node", ...]:
        return ()

    def to_text(self) -> str:
        """Canonical Python-style text that parses back to an equal tree."""
        raise NotImplementedError

    def __str__(self) -> str:
        return self.to_text()


@dataclass(frozen=True)
class Const(Node):
    """A number or named constant; ``name`` is how it was written (shown by to_text)."""

    value: float
    name: str | None = None

    def to_text(self) -> str:
        if self.name is not None:
            return self.name
        if math.isfinite(self.value) and self.value == int(self.value) and abs(self.value) < 1e16:
            return str(int(self.value))
        return repr(float(self.value))


@dataclass(frozen=True)
class Var(Node):
    """Coordinate ``index`` of the point (x0 or x1)."""

    index: int

    @property
    def name(self) -> str:
        return f"x{self.index}"

    def to_text(self) -> str:
        return self.name


@dataclass(frozen=True)
class Unary(Node):
    """Negation (unary plus is dropped while parsing)."""

    op: str
    operand: Node
    precedence = 3

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def to_text(self) -> str:
        inner = self.operand.to_text()
        if self.operand.precedence < self.precedence:
            inner = f"({inner})"
        return f"{self.op}{inner}"


@dataclass(frozen=True)
class Binary(Node):
    """One of + − * / ** applied to two subtrees."""

    op: str
    left: Node
    right: Node

    @property
    def precedence(self) -> int:  # type: ignore[override]
        return _BINARY_PRECEDENCE[self.op]

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)

    def to_text(self) -> str:
        p = self.precedence
        left = self.left.to_text()
        right = self.right.to_text()
        # ** is right-associative (its left operand needs parentheses at equal level); the others are
        # left-associative (the right operand does).  Equal-level parentheses are kept even for + and *
        # because floating-point addition and multiplication are not associative.
        if self.left.precedence < p or (self.op == "**" and self.left.precedence <= p):
            left = f"({left})"
        if self.right.precedence < p or (self.op != "**" and self.right.precedence <= p):
            right = f"({right})"
        if self.op == "**":
            return f"{left}**{right}"
        return f"{left} {self.op} {right}"


@dataclass(frozen=True)
class Call(Node):
    """One of FUNCTION_NAMES applied to one argument."""

    func: str
    arg: Node

    def children(self) -> tuple[Node, ...]:
        return (self.arg,)

    def to_text(self) -> str:
        return f"{self.func}({self.arg.to_text()})"


# ----------------------------------------------------------------------------------------------------------
# Expression


@dataclass(frozen=True)
class Expression:
    """A parsed expression: the user's text, its canonical form, and the tree (evaluated by autodiff)."""

    text: str
    canonical: str
    variables: tuple[str, ...]
    dim: int
    root: Node
    _tape: Any = field(default=None, compare=False, repr=False)

    def _points(self, P) -> np.ndarray:
        P = np.asarray(P, dtype=np.float64)
        if P.ndim == 0 or P.shape[-1] != self.dim:
            raise ValueError(f"expected points of shape (..., {self.dim}), got {P.shape}")
        return P

    def value(self, P) -> np.ndarray:
        """f at every point of P (..., dim) -> (...)."""
        from . import autodiff

        return autodiff.evaluate(self._tape, self._points(P))

    def gradient(self, P) -> np.ndarray:
        """Exact gradient by reverse-mode AD, (..., dim)."""
        from . import autodiff

        return autodiff.value_and_gradient(self._tape, self._points(P))[1]

    def value_and_gradient(self, P) -> tuple[np.ndarray, np.ndarray]:
        """One forward and one backward pass."""
        from . import autodiff

        return autodiff.value_and_gradient(self._tape, self._points(P))


# ----------------------------------------------------------------------------------------------------------
# Parsing

_CHAR_HINTS = {
    "²": "write **2",
    "³": "write **3",
    "−": "use '-'",
    "–": "use '-'",
    "×": "use '*'",
    "·": "use '*'",
    "⋅": "use '*'",
    "÷": "use '/'",
    "π": "use pi",
}

_BAD_OPERATORS = {
    ast.BitXor: "^",
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
}

_ALLOWED_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

_REFUSED_NODES: dict[type, str] = {
    ast.Attribute: "attribute access is",
    ast.Subscript: "indexing is",
    ast.Slice: "slices are",
    ast.Compare: "comparisons are",
    ast.BoolOp: "'and' / 'or' are",
    ast.IfExp: "conditional expressions are",
    ast.Lambda: "lambda is",
    ast.ListComp: "comprehensions are",
    ast.SetComp: "comprehensions are",
    ast.DictComp: "comprehensions are",
    ast.GeneratorExp: "comprehensions are",
    ast.List: "lists are",
    ast.Tuple: "tuples (commas) are",
    ast.Dict: "dictionaries are",
    ast.Set: "sets are",
    ast.JoinedStr: "f-strings are",
    ast.FormattedValue: "f-strings are",
    ast.NamedExpr: "':=' assignments are",
    ast.Starred: "'*' unpacking is",
    ast.Await: "'await' is",
    ast.Yield: "'yield' is",
    ast.YieldFrom: "'yield' is",
}

_TOKEN_RE = re.compile(r"[A-Za-z_0-9.]+|\*\*|//|<<|>>|\S")


class _Parser:
    """Converts a checked ``ast`` tree into Node objects, reporting the first refused construct."""

    def __init__(self, source: str, lead: int) -> None:
        self.source = source  # text handed to ast.parse (leading blanks stripped)
        self.lead = lead  # characters stripped in front, added back to every column
        self.indices: set[int] = set()

    def column(self, offset: int) -> int:
        return offset + 1 + self.lead

    def fail(self, what: str, offset: int, hint: str = "") -> ExpressionError:
        col = self.column(offset)
        msg = f"{what} at column {col}"
        if hint:
            msg += f" — {hint}"
        return ExpressionError(msg, col)

    def operator_offset(self, node: ast.BinOp, token: str) -> int:
        """Where the operator token sits between the two operands (ast only records the operands)."""
        start = node.left.end_col_offset or node.col_offset
        end = node.right.col_offset
        found = self.source.find(token, start, end)
        return found if found >= 0 else node.col_offset

    def convert(self, node: ast.AST) -> Node:
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return Unary("-", self.convert(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self.convert(node.operand)
            token = "not" if isinstance(node.op, ast.Not) else "~"
            raise self.fail(f"'{token}' is not allowed", node.col_offset, "use + - * / **")
        if isinstance(node, ast.BinOp):
            op = _ALLOWED_BINARY.get(type(node.op))
            if op is None:
                token = _BAD_OPERATORS.get(type(node.op), "?")
                offset = self.operator_offset(node, token)
                hint = "use ** for powers" if token == "^" else "use + - * / **"
                raise self.fail(f"'{token}' is not allowed", offset, hint)
            return Binary(op, self.convert(node.left), self.convert(node.right))
        if isinstance(node, ast.Call):
            return self.call(node)
        what = _REFUSED_NODES.get(type(node), f"'{type(node).__name__}' is")
        raise self.fail(f"{what} not allowed", getattr(node, "col_offset", 0))

    def constant(self, node: ast.Constant) -> Const:
        value = node.value
        if isinstance(value, bool) or value is None or value is Ellipsis:
            raise self.fail(f"'{value!r}' is not allowed", node.col_offset, "only numbers, x0, x1, pi, e")
        if isinstance(value, complex):
            raise self.fail("complex numbers are not allowed", node.col_offset)
        if isinstance(value, (str, bytes)):
            raise self.fail("strings are not allowed", node.col_offset)
        if isinstance(value, int):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
        elif isinstance(value, float):
            number = value
        else:  # pragma: no cover - ast produces no other constant types
            raise self.fail("this constant is not allowed", node.col_offset)
        literal = self.source[node.col_offset : node.end_col_offset] if node.end_col_offset else None
        return Const(number, literal or None)

    def name(self, node: ast.Name) -> Node:
        ident = node.id
        if ident in VARIABLE_INDEX:
            index = VARIABLE_INDEX[ident]
            self.indices.add(index)
            return Var(index)
        if ident in CONSTANTS:
            return Const(CONSTANTS[ident], ident)
        if ident in FUNCTION_NAMES:
            raise self.fail(f"function '{ident}' needs an argument", node.col_offset, f"write {ident}(...)")
        raise self.fail(f"unknown name '{ident}'", node.col_offset, _NAME_HINT)

    def call(self, node: ast.Call) -> Call:
        func = node.func
        if isinstance(func, ast.Attribute):  # np.sin(x), math.exp(x): say how to write it here
            hint = f"write {func.attr}(...)" if func.attr in FUNCTION_NAMES else f"use {_FUNCTION_HINT}"
            raise self.fail("attribute access is not allowed", func.col_offset, hint)
        if not isinstance(func, ast.Name):
            raise self.fail("only named functions can be called", node.col_offset, f"use {_FUNCTION_HINT}")
        name = func.id
        if name in VARIABLE_INDEX or name in CONSTANTS:
            raise self.fail(f"'{name}' is not a function", func.col_offset, f"write {name}*(...) for a product")
        if name not in FUNCTION_NAMES:
            raise self.fail(f"unknown function '{name}'", func.col_offset, f"use {_FUNCTION_HINT}")
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments", node.keywords[0].col_offset)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail("'*' unpacking is not allowed", arg.col_offset)
        if len(node.args) != 1:
            raise self.fail(f"{name}() takes exactly one argument ({len(node.args)} given)", func.col_offset)
        return Call(name, self.convert(node.args[0]))


def _chain_group(node: ast.AST) -> int | None:
    """Precedence group of a left-associative + − or * / node (None for anything else)."""
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return 1
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return 2
    return None


def _check_depth(tree: ast.Expression) -> tuple[int, int] | None:
    """Iteratively find the first node nested deeper than MAX_DEPTH: (depth, col_offset) or None.

    A flat chain such as ``a + b - c + d`` counts as one level (its left spine is how the parser
    spells a list of terms, not nesting the reader sees); parentheses, calls, unary minus and powers
    each add a level.
    """
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return depth, getattr(node, "col_offset", 0)
        group = _chain_group(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.expr, ast.keyword)):
                same_chain = group is not None and child is node.left and _chain_group(child) == group
                stack.append((child, depth if same_chain else depth + 1))
    return None


def _token_at(source: str, offset: int) -> str:
    m = _TOKEN_RE.match(source, offset)
    return m.group(0) if m else source[offset : offset + 1]


def _syntax_error(err: SyntaxError, source: str, lead: int) -> ExpressionError:
    """Turn Python's SyntaxError into a short message with a 1-based column in the user's text."""
    msg = err.msg or ""
    offset = err.offset if isinstance(err.offset, int) else 0
    if offset <= 0 or offset > len(source):
        col = len(source) + lead + 1
        if "was never closed" in msg:
            return ExpressionError(f"'(' is never closed — add ')' at column {col}", col)
        return ExpressionError(f"unexpected end of expression at column {col}", col)
    index = offset - 1
    col = index + 1 + lead
    if "was never closed" in msg:
        return ExpressionError(f"'{source[index]}' at column {col} is never closed", col)
    if "too many nested" in msg:
        return ExpressionError(f"expression is nested too deeply (more than {MAX_DEPTH} levels) at column {col}", col)
    if "unterminated string" in msg or "string literal" in msg:
        return ExpressionError(f"strings are not allowed at column {col}", col)
    if "literal" in msg:  # invalid decimal/hex literal, e.g. "2x"
        start = index
        while start > 0 and (source[start - 1].isalnum() or source[start - 1] in "._"):
            start -= 1
        token = _token_at(source, start)
        col = start + 1 + lead
        m = re.fullmatch(r"([0-9][0-9_]*\.?[0-9_]*)([A-Za-z_]\w*)", token)
        hint = f" — write {m.group(1)}*{m.group(2)} for a product" if m else ""
        return ExpressionError(f"invalid number '{token}' at column {col}{hint}", col)
    token = _token_at(source, index)
    hint = " — use ** for powers" if token == "^" else ""
    return ExpressionError(f"unexpected '{token}' at column {col}{hint}", col)


def parse_expression(text: str) -> Expression:
    """Parse and check `text`; raises ExpressionError (never evaluates anything)."""
    from . import autodiff

    if not isinstance(text, str):
        raise ExpressionError(f"expression must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is too long ({len(text)} characters, at most {MAX_LENGTH})")
    for i, ch in enumerate(text):
        if ch in "\t\n\r" or " " <= ch <= "~":
            continue
        col = i + 1
        hint = _CHAR_HINTS.get(ch)
        shown = ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        msg = f"unexpected character '{shown}' at column {col}" + (f" — {hint}" if hint else "")
        raise ExpressionError(msg, col)
    flat = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    source = flat.lstrip(" ")
    lead = len(flat) - len(source)
    source = source.rstrip(" ")
    if not source:
        raise ExpressionError("empty expression")

    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise _syntax_error(err, source, lead) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(f"expression is nested too deeply (at most {MAX_DEPTH} levels)") from None
    except (ValueError, OverflowError, UnicodeError) as err:  # e.g. null bytes (already refused above)
        raise ExpressionError(f"cannot read expression: {err}") from None

    too_deep = _check_depth(tree)
    parser = _Parser(source, lead)
    if too_deep is not None:
        depth, offset = too_deep
        raise parser.fail(f"expression is nested too deeply (more than {MAX_DEPTH} levels)", offset)
    root = parser.convert(tree.body)
    dim = 2 if 1 in parser.indices else 1
    variables = tuple(f"x{i}" for i in sorted(parser.indices))
    return Expression(
        text=source,
        canonical=root.to_text(),
        variables=variables,
        dim=dim,
        root=root,
        _tape=autodiff.compile_tape(root, dim),
    )
