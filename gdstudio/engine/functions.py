"""Objective functions students descend on: built-ins with hand-written gradients, plus typed expressions.

Every function is vectorized over leading axes (points ``P`` of shape ``(..., dim)``) so one call can
evaluate a whole grid or a batch of trajectories; gradients of built-ins are exact closed forms so the
numerical methods in :mod:`gdstudio.engine.gradients` have something trustworthy to be compared with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = [
    "Function",
    "BUILTIN_FUNCTIONS",
    "get_function",
    "function_from_expression",
    "refine_critical_point",
]

ArrayFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Function:
    """An objective f: R^dim -> R with its exact gradient and the metadata the views need."""

    name: str
    dim: int
    formula: str
    description: str
    window: tuple[tuple[float, float], ...]
    minima: tuple[tuple[float, ...], ...]
    default_start: tuple[float, ...]
    expression: str | None = None
    value_fn: ArrayFn = field(kw_only=True, compare=False, repr=False)
    gradient_fn: ArrayFn = field(kw_only=True, compare=False, repr=False)
    value_and_gradient_fn: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] | None = field(
        default=None, kw_only=True, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if self.dim not in (1, 2):
            raise ValueError(f"{self.name}: dim must be 1 or 2, got {self.dim}")
        if len(self.window) != self.dim or any(not lo < hi for lo, hi in self.window):
            raise ValueError(f"{self.name}: window needs one (low, high) pair with low < high per dimension")
        if len(self.default_start) != self.dim:
            raise ValueError(f"{self.name}: default_start must have {self.dim} coordinates")
        if any(len(m) != self.dim for m in self.minima):
            raise ValueError(f"{self.name}: every minimum must have {self.dim} coordinates")

    def _points(self, P) -> np.ndarray:
        P = np.asarray(P, dtype=np.float64)
        if P.ndim == 0 or P.shape[-1] != self.dim:
            raise ValueError(f"{self.name}: expected points of shape (..., {self.dim}), got {P.shape}")
        return P

    def value(self, P) -> np.ndarray:
        """f at every point of P (..., dim) -> (...); non-finite results are returned, not raised."""
        P = self._points(P)
        with np.errstate(all="ignore"):
            v = np.asarray(self.value_fn(P), dtype=np.float64)
        return np.broadcast_to(v, P.shape[:-1]).copy() if v.shape != P.shape[:-1] else v

    def gradient(self, P) -> np.ndarray:
        """Exact gradient at every point of P (..., dim) -> (..., dim)."""
        P = self._points(P)
        with np.errstate(all="ignore"):
            g = np.asarray(self.gradient_fn(P), dtype=np.float64)
        return np.broadcast_to(g, P.shape).copy() if g.shape != P.shape else g

    def value_and_gradient(self, P) -> tuple[np.ndarray, np.ndarray]:
        """Both at once (one forward pass for expressions)."""
        if self.value_and_gradient_fn is None:
            return self.value(P), self.gradient(P)
        P = self._points(P)
        with np.errstate(all="ignore"):
            v, g = self.value_and_gradient_fn(P)
        v = np.asarray(v, dtype=np.float64)
        g = np.asarray(g, dtype=np.float64)
        if v.shape != P.shape[:-1]:
            v = np.broadcast_to(v, P.shape[:-1]).copy()
        if g.shape != P.shape:
            g = np.broadcast_to(g, P.shape).copy()
        return v, g


# ----------------------------------------------------------------------------------------------------------
# Helpers for computing minima to full precision (at import time, so the markers are exact).


def refine_critical_point(gradient: ArrayFn, x0, iterations: int = 60) -> np.ndarray:
    """Newton's method on ∇f = 0; the Hessian is a central difference of the exact gradient.

    The fixed point is defined by the exact gradient, so the result is accurate to round-off even
    though the Hessian is approximate (that only affects the convergence speed).
    """
    x = np.array(x0, dtype=np.float64)
    n = x.size
    h = 1e-6
    for _ in range(iterations):
        g = gradient(x)
        H = np.empty((n, n))
        for i in range(n):
            e = np.zeros(n)
            e[i] = h
            H[:, i] = (gradient(x + e) - gradient(x - e)) / (2 * h)
        H = 0.5 * (H + H.T)
        step = np.linalg.solve(H, g)
        x = x - step
        if np.linalg.norm(step) <= 1e-15 * (1.0 + np.linalg.norm(x)):
            break
    return x


def _sorted_minima(points, value: ArrayFn) -> tuple[tuple[float, ...], ...]:
    """Global minimum first, then by increasing value (equal values keep the order given)."""
    pts = [tuple(float(c) for c in p) for p in points]
    return tuple(sorted(pts, key=lambda p: round(float(value(np.array(p))), 12)))


def _xy(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return P[..., 0], P[..., 1]


def _pair(P: np.ndarray, gx, gy) -> np.ndarray:
    """A gradient (..., 2) from its two components, written into one new array (cheaper than np.stack)."""
    G = np.empty(P.shape)
    G[..., 0] = gx
    G[..., 1] = gy
    return G


# ----------------------------------------------------------------------------------------------------------
# Built-in functions. Each is written once as ``f(P, gradient=True) -> (value, gradient)`` (``gradient=False``:
# the value alone, for numerical gradients and surfaces): value and exact hand-written gradient share their
# sub-expressions, which halves the cost of a descent step.


def _bowl(P, gradient=True):
    x, y = _xy(P)
    v = x * x + y * y
    return (v, 2.0 * P) if gradient else v


def _quadratic1d(P, gradient=True):
    x = P[..., 0]
    v = 3.0 * x * x + 2.0 * x + 1.0
    return (v, 6.0 * P + 2.0) if gradient else v


def _book1d(P, gradient=True):
    x = P[..., 0]
    v = 0.01 * x * x + 0.1 * x
    return (v, 0.02 * P + 0.1) if gradient else v


def _book_ellipse(P, gradient=True):
    x, y = _xy(P)
    v = x * x / 20.0 + y * y
    return (v, _pair(P, x / 10.0, 2.0 * y)) if gradient else v


def _rosenbrock(P, gradient=True):
    x, y = _xy(P)
    a = 1.0 - x
    r = y - x * x
    v = a * a + 100.0 * r * r
    return (v, _pair(P, -2.0 * a - 400.0 * x * r, 200.0 * r)) if gradient else v


def _himmelblau(P, gradient=True):
    x, y = _xy(P)
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    v = a * a + b * b
    return (v, _pair(P, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b)) if gradient else v


_BEALE_C = (1.5, 2.25, 2.625)


def _beale(P, gradient=True):
    x, y = _xy(P)
    v = gx = gy = 0.0
    for i, c in enumerate(_BEALE_C, start=1):
        t = c - x + x * y**i
        v = v + t * t
        if gradient:
            gx = gx + 2.0 * t * (y**i - 1.0)
            gy = gy + 2.0 * t * x * i * y ** (i - 1)
    return (v, _pair(P, gx, gy)) if gradient else v


def _saddle(P, gradient=True):
    x, y = _xy(P)
    v = x * x - y * y
    return (v, _pair(P, 2.0 * x, -2.0 * y)) if gradient else v


# local_minima: a gentle bowl with four Gaussian wells of different depths (cx, cy, depth, width).
_WELLS = ((-2.0, -1.5, 2.0, 1.1), (2.2, 1.6, 1.5, 0.9), (-1.0, 2.8, 1.0, 0.8), (2.6, -2.2, 0.7, 0.7))
_WELL_BOWL = 0.06


def _local_minima(P, gradient=True):
    x, y = _xy(P)
    v = _WELL_BOWL * (x * x + y * y)
    gx = 2.0 * _WELL_BOWL * x
    gy = 2.0 * _WELL_BOWL * y
    for cx, cy, a, s in _WELLS:
        well = a * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2.0 * s * s))
        v = v - well
        if gradient:
            w = well / (s * s)
            gx = gx + w * (x - cx)
            gy = gy + w * (y - cy)
    return (v, _pair(P, gx, gy)) if gradient else v


_PLATEAU_S2 = 2.0  # 2σ²: outside radius ~3 the surface is flat to within 1e-4


def _plateau(P, gradient=True):
    x, y = _xy(P)
    dip = np.exp(-(x * x + y * y) / _PLATEAU_S2)
    v = 1.0 - dip
    if not gradient:
        return v
    w = (2.0 / _PLATEAU_S2) * dip
    return v, _pair(P, w * x, w * y)


def _rastrigin(P, gradient=True):
    v = 10.0 * P.shape[-1] + np.sum(P * P - 10.0 * np.cos(2.0 * np.pi * P), axis=-1)
    return (v, 2.0 * P + 20.0 * np.pi * np.sin(2.0 * np.pi * P)) if gradient else v


def _value_of(fn):
    """The value-only callable of a built-in (no gradient work: numerical gradients call it 2–4 times a step)."""
    return lambda P: fn(P, False)


def _gradient_of(fn):
    return lambda P: fn(P)[1]


def _rastrigin_minima() -> tuple[tuple[float, ...], ...]:
    """All local minima with both coordinates near integers in [-5, 5] (the function is separable)."""
    roots = []
    for k in range(-5, 6):
        x = float(k)
        for _ in range(50):  # 1-D Newton on g'(x) = 2x + 20π sin(2πx)
            d = 2.0 * x + 20.0 * np.pi * np.sin(2.0 * np.pi * x)
            dd = 2.0 + 40.0 * np.pi**2 * np.cos(2.0 * np.pi * x)
            step = d / dd
            x -= step
            if abs(step) < 1e-16 * (1.0 + abs(x)):
                break
        roots.append(0.0 if k == 0 else x)
    pts = [(a, b) for a in roots for b in roots]
    return _sorted_minima(pts, _value_of(_rastrigin))


def _refined(points, fn):
    return _sorted_minima([refine_critical_point(_gradient_of(fn), p) for p in points], _value_of(fn))


def _builtin(name, dim, formula, description, window, minima, start, fn) -> Function:
    return Function(
        name=name,
        dim=dim,
        formula=formula,
        description=description,
        window=tuple((float(lo), float(hi)) for lo, hi in window),
        minima=tuple(tuple(float(c) for c in m) for m in minima),
        default_start=tuple(float(c) for c in start),
        value_fn=_value_of(fn),
        gradient_fn=_gradient_of(fn),
        value_and_gradient_fn=fn,
    )


def _make_builtins() -> dict[str, Function]:
    fns = [
        _builtin("bowl", 2, "x² + y²", "Round bowl: the gradient points straight at the minimum.",
                 ((-5, 5), (-5, 5)), [(0.0, 0.0)], (-3.0, 4.0), _bowl),
        _builtin("quadratic1d", 1, "3x² + 2x + 1", "A parabola; f'(x) = 6x + 2 vanishes at x = −1/3.",
                 ((-12, 12),), [(-1.0 / 3.0,)], (-10.0,), _quadratic1d),
        _builtin("book1d", 1, "0.01x² + 0.1x", "The book's numerical-differentiation example; minimum at x = −5.",
                 ((-25, 15),), [(-5.0,)], (10.0,), _book1d),
        _builtin("book_ellipse", 2, "x²/20 + y²",
                 "Stretched bowl from the book's optimizer comparison: steep in y, shallow in x.",
                 ((-10, 10), (-5, 5)), [(0.0, 0.0)], (-7.0, 2.0), _book_ellipse),
        _builtin("rosenbrock", 2, "(1 − x)² + 100(y − x²)²",
                 "Curved narrow valley: easy to reach, slow to follow to the minimum at (1, 1).",
                 ((-2, 2), (-1, 3)), [(1.0, 1.0)], (-1.5, 2.0), _rosenbrock),
        _builtin("himmelblau", 2, "(x² + y − 11)² + (x + y² − 7)²",
                 "Four equally deep minima; the start decides which one you reach.",
                 ((-5, 5), (-5, 5)),
                 _refined([(3.0, 2.0), (-2.8, 3.1), (-3.8, -3.3), (3.6, -1.8)],
                          _himmelblau),
                 (0.0, 0.0), _himmelblau),
        _builtin("beale", 2, "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
                 "Flat valleys and steep walls; the minimum (3, 0.5) sits in a long flat trough.",
                 ((-4.5, 4.5), (-4.5, 4.5)), [(3.0, 0.5)], (1.0, 1.5), _beale),
        _builtin("saddle", 2, "x² − y²",
                 "A saddle point at the origin: downhill along y forever, so there is no minimum.",
                 ((-5, 5), (-5, 5)), [], (-4.0, 0.01), _saddle),
        _builtin("local_minima", 2, "0.06(x² + y²) − Σₖ aₖ·exp(−|p − cₖ|²/(2sₖ²))",
                 "A bowl with four wells of different depths: gradient descent stops in the nearest one.",
                 ((-5, 5), (-5, 5)),
                 _refined([(cx, cy) for cx, cy, _, _ in _WELLS], _local_minima),
                 (0.5, 0.5), _local_minima),
        _builtin("plateau", 2, "1 − exp(−(x² + y²)/2)",
                 "A wide plateau where the gradient almost vanishes, around one narrow dip.",
                 ((-5, 5), (-5, 5)), [(0.0, 0.0)], (3.5, 3.0), _plateau),
        _builtin("rastrigin", 2, "20 + x² − 10cos(2πx) + y² − 10cos(2πy)",
                 "An egg-crate of local minima around the global one at the origin.",
                 ((-5.12, 5.12), (-5.12, 5.12)), _rastrigin_minima(), (-3.3, 2.6),
                 _rastrigin),
    ]
    return {f.name: f for f in fns}


BUILTIN_FUNCTIONS: dict[str, Function] = _make_builtins()


def get_function(name: str) -> Function:
    """The built-in function with this id; KeyError names the valid ids."""
    try:
        return BUILTIN_FUNCTIONS[name]
    except (KeyError, TypeError):
        valid = ", ".join(BUILTIN_FUNCTIONS)
        raise KeyError(f"unknown function {name!r}; valid names: {valid}") from None


_EXPRESSION_STARTS = ((-3.0, 4.0), (3.0, 4.0), (1.0, 1.0), (0.5, 0.5), (2.0, -2.0), (0.1, 0.1))


def function_from_expression(text: str) -> Function:
    """Wrap a typed expression as a Function (gradient by reverse-mode AD). Raises ExpressionError."""
    from .expression import parse_expression  # local: expression imports nothing from here, keep it lazy

    expr = parse_expression(text)
    dim = expr.dim
    start = _EXPRESSION_STARTS[0][:dim]
    for cand in _EXPRESSION_STARTS:  # first candidate where value and gradient are finite
        v, g = expr.value_and_gradient(np.array(cand[:dim]))
        if np.isfinite(v) and np.all(np.isfinite(g)):
            start = cand[:dim]
            break
    return Function(
        name="expression",
        dim=dim,
        formula=expr.text,
        description="Typed expression",
        window=((-5.0, 5.0),) * dim,
        minima=(),
        default_start=tuple(float(c) for c in start),
        expression=expr.text,
        value_fn=expr.value,
        gradient_fn=expr.gradient,
        value_and_gradient_fn=expr.value_and_gradient,
    )
