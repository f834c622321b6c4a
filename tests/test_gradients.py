"""Numerical gradients: correct formulas, expected convergence orders, and round-off for tiny h."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdstudio.engine.functions import BUILTIN_FUNCTIONS, function_from_expression, get_function
from gdstudio.engine.gradients import GRADIENT_METHODS, make_gradient


def test_methods_tuple_is_exact():
    assert GRADIENT_METHODS == ("analytic", "central", "forward")


def test_analytic_is_the_exact_gradient():
    f = get_function("rosenbrock")
    P = np.array([[-1.5, 2.0], [0.3, -0.4]])
    np.testing.assert_array_equal(make_gradient(f, "analytic")(P), f.gradient(P))
    np.testing.assert_array_equal(make_gradient(f)(P), f.gradient(P))


@pytest.mark.parametrize("method", ["central", "forward"])
def test_formulas_as_documented(method):
    f = function_from_expression("sin(x)*exp(y)")
    h = 1e-3
    p = np.array([0.4, -0.3])
    g = make_gradient(f, method, h)(p)
    v = lambda q: float(f.value(np.array(q)))  # noqa: E731
    if method == "central":
        expected = [(v([0.4 + h, -0.3]) - v([0.4 - h, -0.3])) / (2 * h),
                    (v([0.4, -0.3 + h]) - v([0.4, -0.3 - h])) / (2 * h)]
    else:
        expected = [(v([0.4 + h, -0.3]) - v(p)) / h, (v([0.4, -0.3 + h]) - v(p)) / h]
    np.testing.assert_allclose(g, expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("method", GRADIENT_METHODS)
@pytest.mark.parametrize("name", list(BUILTIN_FUNCTIONS))
def test_vectorized_shapes_and_agreement(method, name):
    f = get_function(name)
    rng = np.random.default_rng(2)
    P = rng.uniform(-1.5, 1.5, size=(3, 5, f.dim))
    grad = make_gradient(f, method, 1e-6)
    G = grad(P)
    assert G.shape == P.shape
    np.testing.assert_array_equal(G.reshape(-1, f.dim), [grad(p) for p in P.reshape(-1, f.dim)])
    scale = np.maximum(np.linalg.norm(f.gradient(P), axis=-1), 1.0)
    err = np.linalg.norm(G - f.gradient(P), axis=-1) / scale
    assert err.max() < (1e-6 if method == "central" else 1e-3)


def _order(method, f, p, h1, h2):
    exact = f.gradient(p)
    e1 = np.abs(make_gradient(f, method, h1)(p) - exact).max()
    e2 = np.abs(make_gradient(f, method, h2)(p) - exact).max()
    return math.log10(e1 / e2) / math.log10(h1 / h2)


@pytest.mark.parametrize("name,point", [("rosenbrock", (-1.2, 1.0)), ("rastrigin", (0.3, -1.2)),
                                        ("local_minima", (0.5, 0.5))])
def test_convergence_orders(name, point):
    f = get_function(name)
    p = np.array(point)
    assert _order("central", f, p, 1e-2, 1e-3) == pytest.approx(2.0, abs=0.15)
    assert _order("forward", f, p, 1e-3, 1e-4) == pytest.approx(1.0, abs=0.15)


def test_round_off_dominates_for_tiny_h():
    """The book's point: shrinking h below ~1e-5 makes the answer worse, and 1e-50 rounds away entirely."""
    f = get_function("book1d")
    x = np.array([5.0])
    exact = 0.2  # f'(x) = 0.02x + 0.1
    err = {h: abs(make_gradient(f, "central", h)(x)[0] - exact) for h in (1e-4, 1e-8, 1e-12)}
    assert err[1e-4] < 1e-10  # a quadratic: central differences only suffer round-off
    assert err[1e-8] > 10 * err[1e-4]
    assert err[1e-12] > 1e-6 and err[1e-12] > 10 * err[1e-8]
    assert make_gradient(f, "central", 1e-50)(x)[0] == 0.0  # 5 + 1e-50 == 5 in float64
    g = get_function("rosenbrock")
    p = np.array([-1.2, 1.0])
    truth = g.gradient(p)
    best = np.abs(make_gradient(g, "central", 1e-5)(p) - truth).max()
    tiny = np.abs(make_gradient(g, "central", 1e-12)(p) - truth).max()
    assert tiny > 100 * best
    tiny_forward = np.abs(make_gradient(g, "forward", 1e-13)(p) - truth).max()
    assert tiny_forward > np.abs(make_gradient(g, "forward", 1e-8)(p) - truth).max()


@pytest.mark.parametrize("bad", [0.0, -1e-4, float("nan"), float("inf"), "0.1", None, True])
def test_bad_step_is_a_value_error(bad):
    with pytest.raises(ValueError):
        make_gradient(get_function("bowl"), "central", bad)


def test_unknown_method_is_a_value_error():
    with pytest.raises(ValueError, match="analytic, central, forward"):
        make_gradient(get_function("bowl"), "backward")


def test_numeric_h_types_accepted():
    f = get_function("bowl")
    for h in (1, np.float32(1e-3), np.float64(1e-4), np.int64(1)):
        assert make_gradient(f, "central", h)(np.array([1.0, 2.0])) == pytest.approx([2.0, 4.0])


def test_non_finite_values_pass_through_silently():
    f = function_from_expression("log(x)")
    with np.errstate(all="raise"):
        g = make_gradient(f, "forward", 1e-3)(np.array([[-1.0], [0.0], [1.0]]))
    assert np.isnan(g[0, 0]) and g[2, 0] == pytest.approx(1.0, rel=1e-3)
