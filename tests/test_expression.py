"""Parsing typed expressions: what is accepted, how it evaluates, and how refusals are worded."""

from __future__ import annotations

import builtins
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.expression import (
    FUNCTION_NAMES,
    MAX_DEPTH,
    MAX_LENGTH,
    Binary,
    Call,
    Const,
    Expression,
    ExpressionError,
    Unary,
    Var,
    parse_expression,
)

RNG = np.random.default_rng(1234)
P2 = RNG.uniform(-2.0, 2.0, size=(7, 5, 2))
X, Y = P2[..., 0], P2[..., 1]


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


CLOSED_FORMS = [
    ("x0**2 + x1**2", lambda x, y: x**2 + y**2),
    ("(1 - x)**2 + 100*(y - x**2)**2", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2),
    ("(x**2 + y - 11)**2 + (x + y**2 - 7)**2", lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2),
    ("sin(x)*cos(y)", lambda x, y: np.sin(x) * np.cos(y)),
    ("tan(x/3) - exp(y/2)", lambda x, y: np.tan(x / 3) - np.exp(y / 2)),
    ("log(x**2 + 1) + sqrt(y**2 + 2)", lambda x, y: np.log(x**2 + 1) + np.sqrt(y**2 + 2)),
    ("abs(x) + tanh(y)", lambda x, y: np.abs(x) + np.tanh(y)),
    ("sigmoid(x*y)", lambda x, y: _sigmoid(x * y)),
    ("-x**2", lambda x, y: -(x**2)),
    ("(-x)**2", lambda x, y: (-x) ** 2),
    ("2**-x + 2**x**2", lambda x, y: 2.0 ** (-x) + 2.0 ** (x**2)),
    ("x - y - 1", lambda x, y: (x - y) - 1),
    ("x / y / 2", lambda x, y: (x / y) / 2),
    ("pi*x + e*y", lambda x, y: np.pi * x + np.e * y),
    ("+x - -y", lambda x, y: x + y),
    ("1e-3*x + 1_000*y + 0x10", lambda x, y: 1e-3 * x + 1000 * y + 16),
    ("3*x**2 + 2*x + 1", lambda x, y: 3 * x**2 + 2 * x + 1),
    ("x**y", lambda x, y: np.power(x, y)),
    ("exp(-(x**2 + y**2)/2)", lambda x, y: np.exp(-(x**2 + y**2) / 2)),
]


@pytest.mark.parametrize("text,reference", CLOSED_FORMS)
def test_values_match_numpy_closed_forms(text, reference):
    expr = parse_expression(text)
    P = P2[..., : expr.dim]
    with np.errstate(all="ignore"):
        expected = reference(X, Y)
    got = expr.value(P)
    assert got.shape == P2.shape[:-1]
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-13, equal_nan=True)


def test_aliases_and_canonical_names():
    a = parse_expression("x*y + sin(x)")
    b = parse_expression("x0*x1 + sin(x0)")
    assert a.root == b.root
    assert a.canonical == b.canonical == "x0 * x1 + sin(x0)"
    assert a.variables == ("x0", "x1") and a.dim == 2
    assert a.text == "x*y + sin(x)"


@pytest.mark.parametrize(
    "text,dim,variables",
    [("x", 1, ("x0",)), ("y", 2, ("x1",)), ("3 + pi", 1, ()), ("x0*x1", 2, ("x0", "x1")), ("x1 + 1", 2, ("x1",))],
)
def test_dimension_follows_variables(text, dim, variables):
    expr = parse_expression(text)
    assert expr.dim == dim
    assert expr.variables == variables


def test_constant_expression_broadcasts_over_points():
    expr = parse_expression("2*pi")
    v, g = expr.value_and_gradient(np.zeros((4, 3, 1)))
    assert v.shape == (4, 3) and np.all(v == 2 * np.pi)
    assert g.shape == (4, 3, 1) and np.all(g == 0)


def test_single_point_gives_scalar_shape():
    expr = parse_expression("x**2 + y")
    v, g = expr.value_and_gradient(np.array([3.0, 1.0]))
    assert v.shape == () and float(v) == 10.0
    assert g.shape == (2,) and g.tolist() == [6.0, 1.0]


def test_wrong_point_shape_is_a_value_error():
    expr = parse_expression("x + y")
    with pytest.raises(ValueError):
        expr.value(np.zeros((3, 1)))
    with pytest.raises(ValueError):
        expr.gradient(np.float64(1.0))


def test_tree_node_types():
    root = parse_expression("-sin(x) * 2 ** y").root
    assert root == Binary("*", Unary("-", Call("sin", Var(0))), Binary("**", Const(2.0, "2"), Var(1)))


@pytest.mark.parametrize(
    "text",
    [
        "x0**2 + x1**2",
        "-x**2",
        "(-x)**2",
        "2**-x",
        "2**(3**x)",
        "(2**3)**x",
        "x - (y - 1)",
        "x / (y / 2)",
        "x - -y",
        "(x + y) * (x - y)",
        "sigmoid(-(x + 1)) / tanh(y)**2",
        "pi * e / 1.5e3",
        "x + (y + 1)",
    ],
)
def test_canonical_text_parses_back_to_the_same_tree(text):
    expr = parse_expression(text)
    again = parse_expression(expr.canonical)
    assert again.root == expr.root
    assert again.canonical == expr.canonical
    assert str(expr.root) == expr.canonical


EXACT_MESSAGES = [
    ("sin(x))", "unexpected ')' at column 7", 7),
    ("x2 + 1", "unknown name 'x2' at column 1 — use x0, x1 (or x, y)", 1),
    ("foo(x)", "unknown function 'foo' at column 1 — use sin, cos, tan, exp, log, sqrt, abs, tanh, sigmoid", 1),
    ("", "empty expression", None),
    ("   \n ", "empty expression", None),
    ("x ^ 2", "'^' is not allowed at column 3 — use ** for powers", 3),
    ("x0(3)", "'x0' is not a function at column 1 — write x0*(...) for a product", 1),
    ("2x + 1", "invalid number '2x' at column 1 — write 2*x for a product", 1),
    ("(x + 1", "'(' at column 1 is never closed", 1),
    ("x +", "unexpected end of expression at column 4", 4),
    ("x²", "unexpected character '²' at column 2 — write **2", 2),
    ("sin(x, y)", "sin() takes exactly one argument (2 given) at column 1", 1),
]


@pytest.mark.parametrize("text,message,column", EXACT_MESSAGES)
def test_exact_error_messages(text, message, column):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert info.value.message == message
    assert str(info.value) == message
    assert info.value.column == column


REFUSED = [
    ("x.real", "attribute", 1),
    ("x[0]", "indexing", 1),
    ("y + np.sin(x)", "attribute", 5),
    ("__import__('os')", "unknown function '__import__'", 1),
    ("sin(x=1)", "keyword", 5),
    ("[x for x in y]", "comprehensions", 1),
    ("lambda: 1", "lambda", 1),
    ("x < 1", "comparisons", 1),
    ("x and y", "'and' / 'or'", 1),
    ("sin(*x)", "unpacking", 5),
    ("f'{x}'", "f-strings", 1),
    ("'abc'", "strings", 1),
    ("1j * x", "complex", 1),
    ("True + x", "'True'", 1),
    ("x if y else 1", "conditional", 1),
    ("(x := 2)", "':='", 2),
    ("x, y", "tuples", 1),
    ("{x: 1}", "dictionaries", 1),
    ("x % 2", "'%'", 3),
    ("x // 2", "'//'", 3),
    ("~x", "'~'", 1),
    ("not x", "'not'", 1),
    ("sin", "function 'sin' needs an argument", 1),
    ("sin(x)(2)", "only named functions", 1),
    ("(x)(2)", "'x' is not a function", 2),
    ("np.sin(x)", "attribute access is not allowed at column 1 — write sin(...)", 1),
    ("sin()", "exactly one argument (0 given)", 1),
    ("x y", "unexpected 'y'", 3),
    ("  x + $", "unexpected '$'", 7),
    ("x − 1", "unexpected character '−'", 3),
    ("x + 1\x00", "unexpected character", 6),
    ("1 + (2 ^ x)", "'^' is not allowed at column 8", 8),
]


@pytest.mark.parametrize("text,fragment,column", REFUSED)
def test_refusals_name_the_problem_and_column(text, fragment, column):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert fragment in info.value.message
    assert info.value.column == column
    assert f"column {column}" in info.value.message


def test_expression_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_expression("x +* ")
    with pytest.raises(ExpressionError):
        parse_expression(42)  # type: ignore[arg-type]


def test_parsing_and_evaluation_never_call_eval_or_exec(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must never be used")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    expr = parse_expression("sin(x)**2 + sigmoid(y) - log(abs(x) + 1)")
    v, g = expr.value_and_gradient(np.array([[0.3, -0.2], [1.0, 2.0]]))
    assert np.all(np.isfinite(v)) and np.all(np.isfinite(g))
    with pytest.raises(ExpressionError):
        parse_expression("__import__('os').system('true')")


def test_tower_of_powers_does_not_hang():
    start = time.perf_counter()
    expr = parse_expression("9**9**9**9")
    assert expr.value(np.array([0.0])) == np.inf
    assert expr.gradient(np.array([0.0]))[0] == 0.0
    expr = parse_expression("x**9**9**9")
    v = expr.value(np.array([[0.5], [1.0], [2.0]]))
    assert v.tolist() == [0.0, 1.0, np.inf]
    huge = parse_expression("9" * 400 + " * x")  # an int literal beyond float range becomes inf
    assert huge.value(np.array([1.0])) == np.inf
    assert time.perf_counter() - start < 5.0  # bound, not a benchmark: int powers would never finish


@pytest.mark.parametrize(
    "text",
    [
        "(" * 1000 + "x" + ")" * 1000,
        "x" * 10_000,
        "+".join(["x"] * 5000),
        "-" * (MAX_LENGTH - 1) + "x",
        "sin(" * 60 + "x" + ")" * 60,
        "(" * 240 + "x" + ")" * 240,
        "2**" * 120 + "2",
    ],
)
def test_hostile_sizes_are_refused_quickly(text):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert "too long" in info.value.message or "nested too deeply" in info.value.message


def test_depth_limit_boundary():
    ok = "-" * (MAX_DEPTH - 1) + "x"
    assert parse_expression(ok).value(np.array([2.0])) == (-2.0 if (MAX_DEPTH - 1) % 2 else 2.0)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_expression("-" * MAX_DEPTH + "x")


def test_flat_sums_count_as_one_level():
    expr = parse_expression(" + ".join(f"{k}*x" for k in range(1, 60)))
    assert len(expr.text) <= MAX_LENGTH
    assert expr.value(np.array([1.0])) == sum(range(1, 60))
    assert expr.gradient(np.array([1.0]))[0] == sum(range(1, 60))


def test_length_limit_boundary():
    text = "x" + " " * (MAX_LENGTH - 1)
    assert parse_expression(text).canonical == "x0"
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression(text + " ")


def test_columns_count_the_users_leading_blanks():
    with pytest.raises(ExpressionError) as info:
        parse_expression("   x2")
    assert info.value.column == 4


def test_function_names_are_exactly_the_whitelist():
    assert FUNCTION_NAMES == ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid")
    for name in FUNCTION_NAMES:
        assert parse_expression(f"{name}(x)").root == Call(name, Var(0))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_only_ever_raises_expression_error(text):
    try:
        expr = parse_expression(text)
    except ExpressionError as err:
        assert err.message and str(err) == err.message
        return
    assert isinstance(expr, Expression)
    expr.value_and_gradient(np.zeros((2, expr.dim)))


_ALPHABET = st.sampled_from(list("xy01239.+-*/()^ ,e") + ["**", "sin(", "exp(", "log(", "pi", "x0", "x1", "abs("])


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join), st.floats(-3, 3), st.floats(-3, 3))
def test_expression_like_text_parses_or_refuses_and_evaluates_silently(text, a, b):
    try:
        expr = parse_expression(text)
    except ExpressionError as err:
        assert err.column is None or 1 <= err.column <= len(text) + 1
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v, g = expr.value_and_gradient(np.array([a, b])[: expr.dim])
    assert v.shape == () and g.shape == (expr.dim,)
