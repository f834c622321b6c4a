"""Regression sets of the gradient-descent lessons: a line, the 5-point set and a plane.

``line`` is the PyTorch lesson's ``y = 3x + 0.8`` on 50 points from U[0, 1) — a model ``y = w·x + b`` has exactly
two parameters, so its loss surface over (w, b) can be drawn exactly. ``five_points`` is the TensorFlow lesson's
set kept as published (x = 0.74, not 0.75). ``plane`` adds a second input. Targets are (n, 1) columns.
"""

from __future__ import annotations

import numpy as np

from gdstudio.engine.datasets.base import Dataset, split_dataset

__all__ = ["FIVE_POINTS_X", "FIVE_POINTS_Y", "five_points", "line", "plane"]

FIVE_POINTS_X = (0.0, 0.25, 0.5, 0.74, 1.0)
FIVE_POINTS_Y = (0.0, 0.36, 0.54, 0.82, 1.0)


def _noisy(y: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    return y + rng.normal(0.0, noise, size=y.shape) if noise > 0 else y


def line(
    n: int = 50,
    noise: float = 0.0,
    seed: int | None = 0,
    test_fraction: float = 0.0,
    slope: float = 3.0,
    intercept: float = 0.8,
    dtype: type | str = np.float64,
) -> Dataset:
    """y = slope·x + intercept (+ N(0, noise²)) at n points x ~ U[0, 1)."""
    rng = np.random.default_rng(seed)
    x = rng.random(n)
    y = _noisy(slope * x + intercept, noise, rng)
    sign = "+" if intercept >= 0 else "−"
    formula = f"y = {slope:g}x {sign} {abs(intercept):g}"
    noisy = f", noise σ = {noise:g}" if noise > 0 else ""
    return split_dataset(
        "line", "regression", x.reshape(-1, 1).astype(dtype), y.reshape(-1, 1).astype(dtype), test_fraction, seed,
        feature_names=("x",), description=f"{formula} on {n} points x ~ U[0, 1){noisy}.",
    )


def five_points(dtype: type | str = np.float64) -> Dataset:
    """The five (x, y) pairs of the TensorFlow linear-regression lesson; test = train."""
    x = np.array(FIVE_POINTS_X, dtype=dtype).reshape(-1, 1)
    y = np.array(FIVE_POINTS_Y, dtype=dtype).reshape(-1, 1)
    return Dataset(
        "five_points", "regression", x, y, x, y, feature_names=("x",),
        description="Five points, roughly y = x: x = 0, .25, .5, .74, 1; y = 0, .36, .54, .82, 1.",
    )


def plane(
    a: float = 2.0,
    b: float = -1.0,
    n: int = 100,
    noise: float = 0.0,
    seed: int | None = 0,
    test_fraction: float = 0.0,
    dtype: type | str = np.float64,
) -> Dataset:
    """y = a·x1 + b·x2 (+ N(0, noise²)) at n points (x1, x2) ~ U[0, 1)²."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 2))
    y = _noisy(a * x[:, 0] + b * x[:, 1], noise, rng)
    noisy = f", noise σ = {noise:g}" if noise > 0 else ""
    return split_dataset(
        "plane", "regression", x.astype(dtype), y.reshape(-1, 1).astype(dtype), test_fraction, seed,
        feature_names=("x1", "x2"), description=f"y = {a:g}·x1 + {b:g}·x2 on {n} points in [0, 1)²{noisy}.",
    )
