"""Built-in objective functions: exact gradients, correct minima, sane metadata; typed expressions."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.expression import ExpressionError, parse_expression
from gdstudio.engine.functions import (
    BUILTIN_FUNCTIONS,
    Function,
    function_from_expression,
    get_function,
)

NAMES = (
    "bowl", "quadratic1d", "book1d", "book_ellipse", "rosenbrock", "himmelblau",
    "beale", "saddle", "local_minima", "plateau", "rastrigin",
)

# The same functions written as typed expressions: cross-checks parser + autodiff against the hand gradients.
AS_EXPRESSIONS = {
    "bowl": "x**2 + y**2",
    "quadratic1d": "3*x**2 + 2*x + 1",
    "book1d": "0.01*x**2 + 0.1*x",
    "book_ellipse": "x**2/20 + y**2",
    "rosenbrock": "(1 - x)**2 + 100*(y - x**2)**2",
    "himmelblau": "(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
    "beale": "(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
    "saddle": "x**2 - y**2",
    "local_minima": "0.06*(x**2 + y**2) - 2.0*exp(-((x + 2)**2 + (y + 1.5)**2)/(2*1.1**2))"
                    " - 1.5*exp(-((x - 2.2)**2 + (y - 1.6)**2)/(2*0.9**2))"
                    " - 1.0*exp(-((x + 1)**2 + (y - 2.8)**2)/(2*0.8**2))"
                    " - 0.7*exp(-((x - 2.6)**2 + (y + 2.2)**2)/(2*0.7**2))",
    "plateau": "1 - exp(-(x**2 + y**2)/2)",
    "rastrigin": "20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)",
}


def richardson_gradient(f: Function, P: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Central differences extrapolated to O(h⁴): accurate enough to check exact gradients to 1e-7."""
    out = np.empty_like(P)
    for i in range(f.dim):
        def d(step):
            e = np.zeros(f.dim)
            e[i] = step
            return (f.value(P + e) - f.value(P - e)) / (2 * step)

        out[..., i] = (4 * d(h / 2) - d(h)) / 3
    return out


def random_points(f: Function, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo = np.array([w[0] for w in f.window])
    hi = np.array([w[1] for w in f.window])
    return rng.uniform(lo, hi, size=(n, f.dim))


def hessian(f: Function, p: np.ndarray, h: float = 1e-5) -> np.ndarray:
    H = np.empty((f.dim, f.dim))
    for i in range(f.dim):
        e = np.zeros(f.dim)
        e[i] = h
        H[:, i] = (f.gradient(p + e) - f.gradient(p - e)) / (2 * h)
    return 0.5 * (H + H.T)


def test_builtin_ids_are_exact():
    assert tuple(BUILTIN_FUNCTIONS) == NAMES
    for name, f in BUILTIN_FUNCTIONS.items():
        assert f.name == name
        assert get_function(name) is f
        assert f.expression is None


def test_get_function_lists_valid_names():
    with pytest.raises(KeyError) as info:
        get_function("rosenbrok")
    message = str(info.value)
    assert "rosenbrok" in message
    for name in NAMES:
        assert name in message


@pytest.mark.parametrize("name", NAMES)
def test_metadata_is_consistent(name):
    f = get_function(name)
    assert f.dim == (1 if name in ("quadratic1d", "book1d") else 2)
    assert len(f.window) == f.dim and all(lo < hi for lo, hi in f.window)
    assert f.formula and f.description and "\n" not in f.description
    for point in (f.default_start, *f.minima):
        assert len(point) == f.dim
        assert all(lo <= c <= hi for c, (lo, hi) in zip(point, f.window))
    values = [float(f.value(np.array(m))) for m in f.minima]
    assert all(b >= a - 1e-12 for a, b in zip(values, values[1:])), "minima must be sorted, global first"
    start = np.array(f.default_start)
    assert np.isfinite(f.value(start)) and np.linalg.norm(f.gradient(start)) > 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_analytic_gradient_matches_central_differences(name):
    f = get_function(name)
    P = random_points(f, 200, seed=sum(map(ord, name)))
    g = f.gradient(P)
    ref = richardson_gradient(f, P)
    norms = np.linalg.norm(ref, axis=-1)
    keep = norms > 1e-3  # relative error is meaningless at (near-)critical points
    assert keep.sum() >= 50
    rel = np.linalg.norm(g - ref, axis=-1)[keep] / norms[keep]
    assert rel.max() < 1e-7, (name, rel.max())


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(NAMES), st.floats(0, 1), st.floats(0, 1))
def test_analytic_gradient_property(name, u, v):
    f = get_function(name)
    p = np.array([lo + t * (hi - lo) for t, (lo, hi) in zip((u, v), f.window)])
    ref = richardson_gradient(f, p)
    g = f.gradient(p)
    assert np.linalg.norm(g - ref) <= 1e-7 * max(np.linalg.norm(ref), 1e-2)


@pytest.mark.parametrize("name", NAMES)
def test_listed_minima_are_minima(name):
    f = get_function(name)
    for m in f.minima:
        p = np.array(m)
        assert np.linalg.norm(f.gradient(p)) < 1e-9, (name, m)
        assert np.all(np.linalg.eigvalsh(hessian(f, p)) > 0), (name, m)


@pytest.mark.parametrize(
    "name,point,value",
    [
        ("bowl", (0.0, 0.0), 0.0),
        ("quadratic1d", (-1 / 3,), 2 / 3),
        ("book1d", (-5.0,), -0.25),
        ("book_ellipse", (0.0, 0.0), 0.0),
        ("rosenbrock", (1.0, 1.0), 0.0),
        ("beale", (3.0, 0.5), 0.0),
        ("plateau", (0.0, 0.0), 0.0),
        ("rastrigin", (0.0, 0.0), 0.0),
    ],
)
def test_known_global_minima(name, point, value):
    f = get_function(name)
    assert f.minima[0] == pytest.approx(point, abs=1e-15)
    assert float(f.value(np.array(point))) == pytest.approx(value, abs=1e-15)


def _newton_himmelblau(p):
    """Independent Newton iteration with the analytic Hessian of Himmelblau's function."""
    x, y = p
    for _ in range(50):
        a, b = x * x + y - 11, x + y * y - 7
        g = np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])
        H = np.array([[12 * x * x + 4 * y - 42, 4 * x + 4 * y], [4 * x + 4 * y, 12 * y * y + 4 * x - 26]])
        x, y = np.array([x, y]) - np.linalg.solve(H, g)
    return np.array([x, y])


def test_himmelblau_has_four_exact_minima():
    f = get_function("himmelblau")
    assert len(f.minima) == 4
    assert f.minima[0] == (3.0, 2.0)
    approx = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
    for guess in approx:
        exact = _newton_himmelblau(guess)
        assert np.linalg.norm(f.gradient(exact)) < 1e-11
        assert float(f.value(exact)) < 1e-25
        assert np.allclose(exact, guess, atol=1e-6)
        assert min(np.linalg.norm(exact - np.array(m)) for m in f.minima) < 1e-12


def test_saddle_has_no_minimum():
    f = get_function("saddle")
    assert f.minima == ()
    eig = np.linalg.eigvalsh(hessian(f, np.zeros(2)))
    assert eig.min() < 0 < eig.max()


def _descend(f: Function, starts: np.ndarray, lr: float, steps: int) -> np.ndarray:
    P = starts.copy()
    for _ in range(steps):
        P = P - lr * f.gradient(P)
    return P


def test_local_minima_the_start_decides_the_well():
    f = get_function("local_minima")
    assert len(f.minima) == 4
    depths = [float(f.value(np.array(m))) for m in f.minima]
    assert len(set(np.round(depths, 3))) == 4  # different depths
    xs = np.linspace(-4.5, 4.5, 15)
    starts = np.stack(np.meshgrid(xs, xs), axis=-1).reshape(-1, 2)
    ends = _descend(f, starts, lr=0.5, steps=4000)
    dist = np.linalg.norm(ends[:, None, :] - np.array(f.minima)[None], axis=-1)
    assert np.all(dist.min(axis=1) < 1e-4), "every start must end in a listed minimum"
    reached = set(dist.argmin(axis=1))
    assert reached == {0, 1, 2, 3}


def test_plateau_gradient_almost_vanishes_over_a_wide_area():
    f = get_function("plateau")
    P = random_points(f, 4000, seed=3)
    small = np.linalg.norm(f.gradient(P), axis=-1) < 1e-3
    assert small.mean() > 0.4
    assert np.linalg.norm(f.gradient(np.array(f.default_start))) < 1e-3


def test_rastrigin_local_minima_cover_the_window():
    f = get_function("rastrigin")
    assert len(f.minima) == 121 and f.minima[0] == (0.0, 0.0)
    coords = sorted({round(c, 6) for m in f.minima for c in m})
    assert len(coords) == 11 and coords[0] == pytest.approx(-4.974691, abs=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_vectorized_over_leading_axes(name):
    f = get_function(name)
    P = random_points(f, 24, seed=11).reshape(2, 3, 4, f.dim)
    v, g = f.value_and_gradient(P)
    assert v.shape == (2, 3, 4) and g.shape == (2, 3, 4, f.dim)
    flat = P.reshape(-1, f.dim)
    np.testing.assert_array_equal(v.reshape(-1), [f.value(p) for p in flat])
    np.testing.assert_array_equal(g.reshape(-1, f.dim), [f.gradient(p) for p in flat])
    assert f.value(flat[0]).shape == ()


@pytest.mark.parametrize("name", NAMES)
def test_builtins_agree_with_their_typed_expression(name):
    f = get_function(name)
    e = parse_expression(AS_EXPRESSIONS[name])
    assert e.dim == f.dim
    P = random_points(f, 100, seed=5)
    np.testing.assert_allclose(e.value(P), f.value(P), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(e.gradient(P), f.gradient(P), rtol=1e-10, atol=1e-10)


def test_wrong_point_shape_is_rejected():
    with pytest.raises(ValueError):
        get_function("bowl").value(np.zeros(3))
    with pytest.raises(ValueError):
        get_function("book1d").gradient(np.zeros((4, 2)))


def test_function_from_expression():
    f = function_from_expression("x**2 + 3*y**2")
    assert f.name == "expression" and f.dim == 2
    assert f.formula == "x**2 + 3*y**2" and f.expression == "x**2 + 3*y**2"
    assert f.window == ((-5.0, 5.0), (-5.0, 5.0))
    assert f.minima == ()
    assert f.default_start == (-3.0, 4.0)
    v, g = f.value_and_gradient(np.array([[1.0, 2.0]]))
    assert v.tolist() == [13.0] and g.tolist() == [[2.0, 12.0]]
    one = function_from_expression("(x - 1)**2")
    assert one.dim == 1 and one.window == ((-5.0, 5.0),) and one.default_start == (-3.0,)


def test_function_from_expression_picks_a_finite_start():
    f = function_from_expression("log(x) + log(y)")
    start = np.array(f.default_start)
    assert np.isfinite(f.value(start)) and np.all(np.isfinite(f.gradient(start)))


def test_function_from_expression_propagates_errors():
    with pytest.raises(ExpressionError, match="unknown name 'z'"):
        function_from_expression("z + 1")


def test_engine_does_not_import_qt():
    code = (
        "import sys; import gdstudio.engine.functions, gdstudio.engine.gradients, gdstudio.engine.surface, "
        "gdstudio.engine.expression, gdstudio.engine.autodiff; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=None).returncode == 0
