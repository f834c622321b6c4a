"""Sampled backgrounds for the plots: the height map and isolines, the −∇f arrow field, the 1-D curve.

Computed off the GUI thread; everything here is plain numpy so the views only draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .functions import Function

__all__ = [
    "widen_to_aspect",
    "Surface",
    "VectorField",
    "Curve1D",
    "LEVEL_COUNT",
    "LOG_DECADES",
    "sample_surface",
    "sample_vector_field",
    "contour_levels",
]

LEVEL_COUNT = 18
# Log-spaced levels are used when the lowest tenth of the sampled heights sits more than this many
# decades below the full range (Rosenbrock, Beale, Himmelblau): linear levels would leave the whole
# interesting region inside the first band.
LOG_DECADES = 1.5
MAX_RESOLUTION = 4000


@dataclass(frozen=True)
class Surface:
    """f sampled on a grid: Z[j, i] = f(xs[i], ys[j]) (nan where non-finite) and the isoline levels."""

    xs: np.ndarray
    ys: np.ndarray
    Z: np.ndarray
    levels: np.ndarray
    log_scale: bool
    zmin: float
    zmax: float


@dataclass(frozen=True)
class VectorField:
    """Arrows of −∇f at grid points: direction exact, length fixed (80 % of the grid spacing) for legibility."""

    X: np.ndarray
    Y: np.ndarray
    U: np.ndarray
    V: np.ndarray


@dataclass(frozen=True)
class Curve1D:
    """A 1-D function sampled along its window (nan where non-finite)."""

    xs: np.ndarray
    ys: np.ndarray


def _window(function: Function, window) -> tuple[tuple[float, float], ...]:
    win = function.window if window is None else window
    try:
        pairs = tuple((float(lo), float(hi)) for lo, hi in win)
    except (TypeError, ValueError):
        raise ValueError(f"window must be {function.dim} (low, high) pairs, got {window!r}") from None
    if len(pairs) != function.dim:
        raise ValueError(f"window must have {function.dim} (low, high) pairs, got {len(pairs)}")
    for lo, hi in pairs:
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"window range ({lo}, {hi}) must be finite with low < high")
    return pairs


def _count(value, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if not minimum <= int(value) <= MAX_RESOLUTION:
        raise ValueError(f"{name} must be between {minimum} and {MAX_RESOLUTION}, got {value}")
    return int(value)


def contour_levels(Z: np.ndarray, count: int = LEVEL_COUNT) -> tuple[np.ndarray, bool]:
    """Isoline levels for the finite values of Z, and whether they are log-spaced.

    Log spacing (between zmin + a small offset and zmax) when the heights span many decades above the
    minimum; linear spacing strictly inside (zmin, zmax) otherwise.
    """
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return np.empty(0), False
    zmin = float(finite.min())
    zmax = float(finite.max())
    span = zmax - zmin
    if not span > 0 or not math.isfinite(span):
        return np.array([zmin]), False
    above = finite - zmin
    low_tenth = float(np.quantile(above, 0.1))
    if low_tenth <= 0 or math.log10(span / low_tenth) > LOG_DECADES:
        offset = max(float(np.quantile(above, 0.005)), span * 1e-6)
        offset = min(offset, span * 1e-2)
        levels = zmin + np.geomspace(offset, span, count)
        return levels, True
    return np.linspace(zmin, zmax, count + 2)[1:-1], False


def widen_to_aspect(window, aspect: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """The 2-D ``window`` widened about its centre along x or y until width / height == ``aspect`` (never narrowed):
    what a map at one scale on both axes shows of it in a panel of that shape."""
    (x0, x1), (y0, y1) = window
    width, height = x1 - x0, y1 - y0
    if not (math.isfinite(aspect) and aspect > 0):
        return (x0, x1), (y0, y1)
    if width < aspect * height:
        grow = (aspect * height - width) / 2
        return (x0 - grow, x1 + grow), (y0, y1)
    grow = (width / aspect - height) / 2
    return (x0, x1), (y0 - grow, y1 + grow)


def sample_surface(function: Function, window=None, resolution: int = 200) -> Surface | Curve1D:
    """Z on a resolution × resolution grid over the window (2-D) or the curve y = f(x) (1-D)."""
    win = _window(function, window)
    n = _count(resolution, "resolution", 2)
    if function.dim == 1:
        xs = np.linspace(win[0][0], win[0][1], n)
        ys = function.value(xs[:, None])
        ys = np.where(np.isfinite(ys), ys, np.nan)
        return Curve1D(xs, ys)
    xs = np.linspace(win[0][0], win[0][1], n)
    ys = np.linspace(win[1][0], win[1][1], n)
    X, Y = np.meshgrid(xs, ys)
    Z = function.value(np.stack([X, Y], axis=-1))
    Z = np.where(np.isfinite(Z), Z, np.nan)
    levels, log_scale = contour_levels(Z)
    if np.isnan(Z).all():
        zmin = zmax = math.nan
    else:
        zmin, zmax = float(np.nanmin(Z)), float(np.nanmax(Z))
    return Surface(xs, ys, Z, levels, log_scale, zmin, zmax)


def sample_vector_field(function: Function, window=None, count: int = 20) -> VectorField:
    """−∇f at the centres of square cells, ``count`` of them along the window's shorter side (count × count for a
    square window; at most 4 × count along the longer one), normalised to 0.8 × the cell size.

    Arrows keep their true direction in data coordinates; zero (and non-finite) gradients give zero
    arrows.  For a 1-D function the field is one row (shape (1, count)) sitting on the curve y = f(x)
    with horizontal arrows pointing downhill.
    """
    win = _window(function, window)
    m = _count(count, "count", 1)
    (x0, x1) = win[0]
    dx = (x1 - x0) / m
    xs = x0 + dx * (np.arange(m) + 0.5)
    if function.dim == 1:
        g = function.gradient(xs[:, None])[:, 0]
        ok = np.isfinite(g) & (g != 0)
        U = np.where(ok, -np.sign(np.where(ok, g, 0.0)) * 0.8 * dx, 0.0)
        fx = function.value(xs[:, None])
        Y = np.where(np.isfinite(fx), fx, np.nan)
        return VectorField(xs[None, :], Y[None, :], U[None, :], np.zeros((1, m)))
    (y0, y1) = win[1]
    if x1 - x0 > y1 - y0:  # cells square in data units: more columns in a wide window
        m_x, m_y = min(round(m * (x1 - x0) / (y1 - y0)), 4 * m), m
    else:
        m_x, m_y = m, min(round(m * (y1 - y0) / (x1 - x0)), 4 * m)
    dx = (x1 - x0) / m_x
    xs = x0 + dx * (np.arange(m_x) + 0.5)
    dy = (y1 - y0) / m_y
    ys = y0 + dy * (np.arange(m_y) + 0.5)
    X, Y = np.meshgrid(xs, ys)
    G = function.gradient(np.stack([X, Y], axis=-1))
    with np.errstate(all="ignore"):
        norm = np.hypot(G[..., 0], G[..., 1])
        ok = np.isfinite(norm) & (norm > 0)
        scale = np.where(ok, 0.8 * min(dx, dy) / np.where(ok, norm, 1.0), 0.0)
        U = np.where(ok, -G[..., 0] * scale, 0.0)
        V = np.where(ok, -G[..., 1] * scale, 0.0)
    return VectorField(X, Y, U, V)
