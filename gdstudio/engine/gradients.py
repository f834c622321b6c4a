"""Gradient methods a run can use: the exact one, or the numerical differences the book starts with.

Letting students switch between them (and vary h) shows truncation error (large h) and round-off error
(tiny h) on the same trajectory.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .functions import Function

__all__ = ["GRADIENT_METHODS", "make_gradient"]

GRADIENT_METHODS = ("analytic", "central", "forward")


def make_gradient(
    function: Function, method: str = "analytic", h: float = 1e-4
) -> Callable[[np.ndarray], np.ndarray]:
    """A vectorized gradient P (..., dim) -> (..., dim) computed by `method` with step `h`.

    central: (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h  (error O(h²));  forward: (f(x + h·eᵢ) − f(x)) / h  (error O(h)).
    Only the coordinate loop is in Python; every evaluation covers all points at once.
    """
    if method not in GRADIENT_METHODS:
        raise ValueError(f"unknown gradient method {method!r}; use one of: {', '.join(GRADIENT_METHODS)}")
    if method == "analytic":
        return function.gradient
    if isinstance(h, bool) or not isinstance(h, (int, float, np.integer, np.floating)):
        raise ValueError(f"step h must be a number, got {h!r}")
    h = float(h)
    if not math.isfinite(h) or h <= 0.0:
        raise ValueError(f"step h must be a finite number > 0, got {h!r}")

    dim = function.dim
    value = function.value

    def central(P) -> np.ndarray:
        P = np.asarray(P, dtype=np.float64)
        out = np.empty(np.broadcast_shapes(P.shape, (dim,)), dtype=np.float64)
        for i in range(dim):
            step = np.zeros(dim)
            step[i] = h
            with np.errstate(all="ignore"):
                out[..., i] = (value(P + step) - value(P - step)) / (2.0 * h)
        return out

    def forward(P) -> np.ndarray:
        P = np.asarray(P, dtype=np.float64)
        out = np.empty(np.broadcast_shapes(P.shape, (dim,)), dtype=np.float64)
        f0 = value(P)
        for i in range(dim):
            step = np.zeros(dim)
            step[i] = h
            with np.errstate(all="ignore"):
                out[..., i] = (value(P + step) - f0) / h
        return out

    fn = central if method == "central" else forward
    fn.__name__ = f"{method}_gradient_{function.name}"
    return fn
