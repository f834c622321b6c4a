"""Central differences and the relative error used to check backpropagation (tests, and a lesson on why backprop).

``numerical_gradient(f, x)`` perturbs ``x`` in place one element at a time and restores it, so ``x`` may be a
network's own parameter array. The relative error is ‖a − n‖ / (‖a‖ + ‖n‖) over a whole array: element-wise
ratios blow up for gradient entries that are legitimately ~0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """(f(x + h·e_i) − f(x − h·e_i)) / 2h for every element of ``x`` (float64 result, ``x`` restored)."""
    grad = np.zeros(x.shape, np.float64)
    flat = x.reshape(-1)  # a view for contiguous x: writes reach the caller's array
    if not np.shares_memory(flat, x):
        raise ValueError("numerical_gradient needs a contiguous array (it perturbs it in place)")
    gflat = grad.reshape(-1)
    with np.errstate(all="ignore"):
        for i in range(flat.size):
            v = flat[i]
            flat[i] = v + h
            fp = f()
            flat[i] = v - h
            fm = f()
            flat[i] = v
            gflat[i] = (fp - fm) / (2.0 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-8) -> float:
    """‖a − b‖ / max(‖a‖ + ‖b‖, floor), in float64.

    The floor keeps a gradient that is truly 0 (a bias right before batch norm) from turning round-off of
    1e-17 into a "relative error" of 1 (below norm 1e-8 the check becomes absolute: error < 1e-15 for 1e-7).
    """
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    denom = max(float(np.linalg.norm(a) + np.linalg.norm(b)), floor)
    return float(np.linalg.norm(a - b)) / denom
