"""Reverse-mode gradients of typed expressions against closed forms and an independent complex-step reference."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gdstudio.engine import autodiff
from gdstudio.engine.expression import Binary, Call, Const, Node, Unary, Var, parse_expression

RNG = np.random.default_rng(7)
PTS = RNG.uniform(0.2, 1.8, size=(6, 4, 2))  # positive: log/sqrt/power are defined everywhere here
X, Y = PTS[..., 0], PTS[..., 1]


def _s(a):
    return 1.0 / (1.0 + np.exp(-a))


# (text, f, df/dx, df/dy)
CLOSED = [
    ("sin(x)*y", lambda x, y: np.cos(x) * y, lambda x, y: np.sin(x)),
    ("cos(x*y)", lambda x, y: -np.sin(x * y) * y, lambda x, y: -np.sin(x * y) * x),
    ("tan(x) + y", lambda x, y: 1 / np.cos(x) ** 2, lambda x, y: np.ones_like(y)),
    ("exp(x - 2*y)", lambda x, y: np.exp(x - 2 * y), lambda x, y: -2 * np.exp(x - 2 * y)),
    ("log(x*y)", lambda x, y: 1 / x, lambda x, y: 1 / y),
    ("sqrt(x + y)", lambda x, y: 0.5 / np.sqrt(x + y), lambda x, y: 0.5 / np.sqrt(x + y)),
    ("abs(x - y)", lambda x, y: np.sign(x - y), lambda x, y: -np.sign(x - y)),
    ("tanh(x*y)", lambda x, y: (1 - np.tanh(x * y) ** 2) * y, lambda x, y: (1 - np.tanh(x * y) ** 2) * x),
    ("sigmoid(x - y)", lambda x, y: _s(x - y) * (1 - _s(x - y)), lambda x, y: -_s(x - y) * (1 - _s(x - y))),
    ("x**y", lambda x, y: y * x ** (y - 1), lambda x, y: x**y * np.log(x)),
    ("x / y", lambda x, y: 1 / y, lambda x, y: -x / y**2),
    ("-x*y - y", lambda x, y: -y, lambda x, y: -x - 1),
    ("(1 - x)**2 + 100*(y - x**2)**2",
     lambda x, y: -2 * (1 - x) - 400 * x * (y - x**2), lambda x, y: 200 * (y - x**2)),
    ("x*x*x + y*y", lambda x, y: 3 * x**2, lambda x, y: 2 * y),
    ("sin(x)*sin(x) + sin(x)", lambda x, y: 2 * np.sin(x) * np.cos(x) + np.cos(x), lambda x, y: 0 * y),
    ("(x + y)*(x + y)*(x + y)", lambda x, y: 3 * (x + y) ** 2, lambda x, y: 3 * (x + y) ** 2),
    ("2**x * e**y", lambda x, y: np.log(2) * 2**x * np.e**y, lambda x, y: 2**x * np.e**y),
    ("pi", lambda x, y: 0 * x, lambda x, y: 0 * y),
]


@pytest.mark.parametrize("text,dfx,dfy", CLOSED)
def test_gradient_matches_closed_form(text, dfx, dfy):
    expr = parse_expression(text + " + 0*y")  # force 2-D so every case has two partials
    g = expr.gradient(PTS)
    assert g.shape == PTS.shape
    np.testing.assert_allclose(g[..., 0], dfx(X, Y), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g[..., 1], dfy(X, Y), rtol=1e-12, atol=1e-12)


def test_repeated_subtrees_share_one_tape_slot_and_accumulate():
    expr = parse_expression("sin(x)*sin(x) + sin(x)*sin(x)")
    tape = expr._tape
    assert sum(isinstance(n, Call) for n in tape.nodes) == 1
    x = np.array([0.7])
    assert expr.gradient(x)[0] == pytest.approx(4 * np.sin(0.7) * np.cos(0.7), rel=1e-14)


def test_value_and_gradient_agree_with_separate_calls():
    expr = parse_expression("x**2*sin(y) + exp(-x*y)")
    v, g = expr.value_and_gradient(PTS)
    np.testing.assert_array_equal(v, expr.value(PTS))
    np.testing.assert_array_equal(g, expr.gradient(PTS))


def test_module_level_functions_accept_a_bare_tree():
    root = Binary("*", Var(0), Var(1))
    assert autodiff.evaluate(root, np.array([2.0, 3.0]), dim=2) == 6.0
    np.testing.assert_array_equal(autodiff.gradient(root, np.array([2.0, 3.0]), dim=2), [3.0, 2.0])
    with pytest.raises(ValueError):
        autodiff.evaluate(root, np.array([2.0, 3.0]))


@pytest.mark.parametrize(
    "text,point,expected",
    [
        ("x**2", [-3.0], [-6.0]),  # constant exponent, negative base: no log, no nan
        ("x**3", [-2.0], [12.0]),
        ("x**0", [0.0], [0.0]),
        ("x**1", [0.0], [1.0]),
        ("x**2", [0.0], [0.0]),
        ("x**y", [0.0, 2.0], [0.0, 0.0]),  # d/dy 0**y = 0 for y > 0
        ("2**x", [-1.0], [0.5 * np.log(2)]),
        ("abs(x)", [0.0], [0.0]),
        ("x**(x/x)", [-1.0], [1.0]),  # varying but integer exponent on a negative base: no log(-1)
        ("(-x)**(y - y + 2)", [1.5, 0.3], [3.0, 0.0]),
        ("abs(x)", [-2.0], [-1.0]),
    ],
)
def test_power_and_kink_guards(text, point, expected):
    expr = parse_expression(text)
    g = expr.gradient(np.array(point))
    np.testing.assert_allclose(g, expected, rtol=1e-15, atol=0)


def test_saturating_functions_keep_relative_accuracy():
    expr = parse_expression("sigmoid(x) + tanh(x)")
    for a in (-40.0, -20.0, 20.0, 40.0, 300.0):
        g = expr.gradient(np.array([a]))[0]
        s = np.exp(-abs(a)) / (1 + np.exp(-abs(a))) ** 2
        t = 4 * np.exp(-2 * abs(a)) / (1 + np.exp(-2 * abs(a))) ** 2
        assert g == pytest.approx(s + t, rel=1e-14)
    assert parse_expression("sigmoid(x)").value(np.array([-40.0])) == pytest.approx(np.exp(-40.0), rel=1e-14)


@pytest.mark.parametrize(
    "text,point",
    [("log(x)", [-1.0]), ("sqrt(x)", [0.0]), ("1/x", [0.0]), ("x**0.5", [-4.0]), ("x**y", [-2.0, 0.5]),
     ("exp(x)**x", [1000.0]), ("log(x)*0", [0.0]), ("tan(pi/2*x)", [1.0])],
)
def test_non_finite_results_are_returned_not_raised(text, point):
    expr = parse_expression(text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning leaks either
        v, g = expr.value_and_gradient(np.array(point))
    assert v.shape == () and g.shape == (len(point),)


def test_vectorized_over_any_leading_shape():
    expr = parse_expression("x*y + sin(x)")
    single = np.array([[expr.gradient(p) for p in row] for row in PTS])
    np.testing.assert_array_equal(expr.gradient(PTS), single)
    assert expr.gradient(PTS[None, None]).shape == (1, 1) + PTS.shape
    assert expr.value(np.zeros((0, 2))).shape == (0,)


# --------------------------------------------------------------------------------------------------------
# Property: random expression trees.  Reference: complex-step differentiation (no subtractive cancellation,
# so it reaches round-off) from an independent recursive complex evaluator, cross-checked by a Richardson-
# extrapolated central difference to reject non-smooth or branch-cut points.


def _complex_eval(node: Node, z: list):
    if isinstance(node, Const):
        return np.complex128(node.value)
    if isinstance(node, Var):
        return z[node.index]
    if isinstance(node, Unary):
        return -_complex_eval(node.operand, z)
    if isinstance(node, Binary):
        a, b = _complex_eval(node.left, z), _complex_eval(node.right, z)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if node.op == "/":
            return a / b
        return a**b
    if isinstance(node, Call):
        a = _complex_eval(node.arg, z)
        if node.func == "abs":  # |x| is not analytic; on the real axis it is ±x, which is
            return a if a.real >= 0 else -a
        if node.func == "sigmoid":
            return 1 / (1 + np.exp(-a))
        return getattr(np, node.func)(a)
    raise TypeError(node)


def _abs_derivative(node: Node, point, i: int):
    """(value, Σ over paths of |local partials|): forward mode with absolute values.

    It bounds how much rounding in the chain rule can be amplified, so ||this|| / ||∇f|| is a condition
    number for the gradient (``x1/x1`` at tiny x1 has a huge one: 1/x1 − x1/x1² cancels).
    """
    if isinstance(node, Const):  # numpy scalars throughout: overflow gives inf, never an exception
        return np.float64(node.value), np.float64(0.0)
    if isinstance(node, Var):
        return np.float64(point[node.index]), np.float64(node.index == i)
    if isinstance(node, Unary):
        v, d = _abs_derivative(node.operand, point, i)
        return -v, d
    if isinstance(node, Binary):
        a, da = _abs_derivative(node.left, point, i)
        b, db = _abs_derivative(node.right, point, i)
        if node.op in "+-":
            return (a + b if node.op == "+" else a - b), da + db
        if node.op == "*":
            return a * b, abs(b) * da + abs(a) * db
        if node.op == "/":
            return a / b, da / abs(b) + abs(a) / b**2 * db
        out = a**b
        return out, abs(b * a ** (b - 1)) * da + (abs(out * np.log(abs(a))) * db if db else np.float64(0.0))
    a, da = _abs_derivative(node.arg, point, i)
    local = {
        "sin": np.cos(a), "cos": np.sin(a), "tan": 1 / np.cos(a) ** 2, "exp": np.exp(a), "log": 1 / a,
        "sqrt": 0.5 / np.sqrt(a), "abs": np.float64(1.0), "tanh": 1 - np.tanh(a) ** 2, "sigmoid": np.float64(0.25),
    }[node.func]
    return np.float64(_complex_eval(node, [np.complex128(c) for c in point]).real), abs(local) * da


def _complex_step_gradient(node, point, dim, h=1e-50):
    grads = []
    for i in range(dim):
        z = [np.complex128(c) for c in point]
        z[i] = z[i] + 1j * h
        grads.append(_complex_eval(node, z).imag / h)
    return np.array(grads)


def _richardson_gradient(expr, point, h=1e-3):
    out = []
    for i in range(expr.dim):
        def d(step):
            e = np.zeros(expr.dim)
            e[i] = step
            return (expr.value(point + e) - expr.value(point - e)) / (2 * step)

        s = h * (1 + abs(point[i]))
        out.append((4 * d(s / 2) - d(s)) / 3)
    return np.array(out)


_variables = st.builds(Var, st.sampled_from([0, 1]))
_leaves = st.one_of(
    _variables,
    _variables,  # twice: two thirds of the leaves are variables, so few trees are constant
    st.builds(Const, st.floats(0.1, 3.0).map(lambda v: round(v, 3))),
)


def _extend(children):
    return st.one_of(
        st.builds(Unary, st.just("-"), children),
        st.builds(Binary, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(Binary, st.just("**"), children, st.sampled_from([Const(2.0), Const(3.0), Const(0.5)])),
        st.builds(Binary, st.just("**"), children, children),
        st.builds(Call, st.sampled_from(["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid"]),
                  children),
    )


trees = st.recursive(_leaves, _extend, max_leaves=8)


def _rel(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


# Points on a grid of hundredths: a coordinate like 2e-131 would put a kink (abs, 0**y) closer than any
# difference step can see, so "smooth" could not be checked; the complex step (h = 1e-50) stays far below
# every nonzero intermediate value that such points produce.
coordinates = st.integers(-200, 200).map(lambda k: k / 100)


@settings(max_examples=200, deadline=None)
@given(trees, coordinates, coordinates)
def test_random_trees_gradient_matches_complex_step(tree, a, b):
    text = tree.to_text()
    expr = parse_expression(text)  # also exercises to_text -> parse round trip
    assert parse_expression(expr.canonical).root == expr.root
    point = np.array([a, b])[: expr.dim]
    v, g = expr.value_and_gradient(point)
    with np.errstate(all="ignore"):  # the filters themselves may overflow on wild cases
        ref_v = _complex_eval(expr.root, [np.complex128(c) for c in point])
        ref = _complex_step_gradient(expr.root, point, expr.dim)
        fd = _richardson_gradient(expr, point)
        magnitude = np.array([_abs_derivative(expr.root, point, i)[1] for i in range(expr.dim)])
        # smooth, on the principal (real) branch, moderate sizes:
        assume(np.isfinite(v) and abs(v) < 1e8 and np.isfinite(ref_v) and abs(ref_v.real - v) <= 1e-9 * (1 + abs(v)))
        assume(np.all(np.isfinite(ref)) and np.all(np.isfinite(fd)))
        assume(1e-6 < np.linalg.norm(ref) < 1e8)
        assume(_rel(fd, ref) < 1e-5)
        # well-conditioned: the chain rule does not cancel huge partial products
        assume(np.all(np.isfinite(magnitude)) and np.linalg.norm(magnitude) < 1e6 * np.linalg.norm(ref))
    assert np.all(np.isfinite(g))
    assert _rel(g, ref) < 1e-7, (text, point, g, ref)
