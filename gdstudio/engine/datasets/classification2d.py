"""TF-Playground style 2-D classification sets: circle, xor2d, gaussians, spiral, moons.

Points live in about [−6, 6]² as in the Playground, so the sin x1 / sin x2 features bend over a few periods, and
``noise`` (0 … 0.5) means what the Playground's noise slider means for each shape (see ``NOISE_MEANING``). Class 1
is the Playground's orange/positive class. The same (n, noise, test_fraction, seed, features) always gives the same
arrays; "Regenerate" is simply a new seed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from gdstudio.engine.datasets.base import Dataset, DatasetError, split_dataset
from gdstudio.engine.datasets.features import DEFAULT_FEATURES, expand

__all__ = ["NOISE_MEANING", "POINT_SETS", "make_points", "point_set"]

_RADIUS = 5.0  # the Playground's radius for circle/xor/spiral


def _circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_in = n // 2
    r = np.concatenate([rng.uniform(0, 0.5 * _RADIUS, n_in), rng.uniform(0.7 * _RADIUS, _RADIUS, n - n_in)])
    angle = rng.uniform(0, 2 * np.pi, n)
    p = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    jitter = rng.uniform(-_RADIUS, _RADIUS, (n, 2)) * noise  # Playground: the label is read off a jittered point
    labels = (np.hypot(*(p + jitter).T) < 0.5 * _RADIUS).astype(np.int64)
    return p, labels


def _xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    p = rng.uniform(-_RADIUS, _RADIUS, (n, 2))
    p += np.where(p > 0, 0.3, -0.3)  # keep a gap along the axes
    jitter = rng.uniform(-_RADIUS, _RADIUS, (n, 2)) * noise
    q = p + jitter
    labels = (q[:, 0] * q[:, 1] >= 0).astype(np.int64)
    return p, labels


def _gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    variance = 0.5 + noise / 0.5 * 3.5  # Playground: noise 0 … 0.5 -> variance 0.5 … 4
    n_pos = n // 2
    centers = np.repeat(np.array([[2.0, 2.0], [-2.0, -2.0]]), [n_pos, n - n_pos], axis=0)
    p = centers + rng.normal(0.0, np.sqrt(variance), (n, 2))
    labels = np.repeat(np.array([1, 0], dtype=np.int64), [n_pos, n - n_pos])
    return p, labels


def _spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    parts, labels = [], []
    for label, delta, m in ((1, 0.0, n // 2), (0, np.pi, n - n // 2)):
        i = np.arange(m) / max(m, 1)
        r = i * _RADIUS
        t = 1.75 * i * 2 * np.pi + delta
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (m, 2)) * noise)
        labels.append(np.full(m, label, dtype=np.int64))
    return np.concatenate(parts), np.concatenate(labels)


def _moons(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_outer = n // 2
    t = rng.uniform(0, np.pi, n)
    outer = np.column_stack([np.cos(t[:n_outer]), np.sin(t[:n_outer])])
    inner = np.column_stack([1 - np.cos(t[n_outer:]), 0.5 - np.sin(t[n_outer:])])
    p = np.concatenate([outer, inner])
    if noise > 0:
        p += rng.normal(0.0, noise, (n, 2))
    p = (p - (0.5, 0.25)) * 3.0  # centre and stretch to the Playground's scale
    labels = np.repeat(np.array([0, 1], dtype=np.int64), [n_outer, n - n_outer])
    return p, labels


_GENERATORS: dict[str, Callable[[int, float, np.random.Generator], tuple[np.ndarray, np.ndarray]]] = {
    "circle": _circle,
    "xor2d": _xor,
    "gaussians": _gaussians,
    "spiral": _spiral,
    "moons": _moons,
}

POINT_SETS: tuple[str, ...] = tuple(_GENERATORS)

_DESCRIPTIONS = {
    "circle": "A disc of class 1 inside a ring of class 0 (TF Playground 'circle').",
    "xor2d": "Class 1 in the quadrants where x1·x2 > 0: XOR on a plane (TF Playground 'exclusive or').",
    "gaussians": "Two Gaussian clouds around (2, 2) and (−2, −2) (TF Playground 'gaussian').",
    "spiral": "Two interleaved spirals, 1.75 turns each (TF Playground 'spiral').",
    "moons": "Two interleaving half circles (scikit-learn 'moons'), scaled to the Playground's range.",
}

NOISE_MEANING = {
    "circle": "labels are read at a point moved by up to ±5·noise, so the classes overlap near the border",
    "xor2d": "labels are read at a point moved by up to ±5·noise, so the classes overlap near the axes",
    "gaussians": "the clouds' variance grows from 0.5 (noise 0) to 4 (noise 0.5)",
    "spiral": "each point moves by up to ±noise in x1 and x2",
    "moons": "each point moves by Gaussian noise of σ = noise (before the ×3 stretch)",
}


def make_points(name: str, n: int, noise: float, seed: int | None) -> tuple[np.ndarray, np.ndarray]:
    """All n points (n, 2) float64 and their 0/1 labels (n,), before any split."""
    if name not in _GENERATORS:
        raise DatasetError("name", f"unknown 2-D set {name!r} (expected one of: {', '.join(POINT_SETS)})")
    if n < 2:
        raise DatasetError("n", f"must be >= 2 (got {n})")
    if not 0.0 <= noise <= 0.5:
        raise DatasetError("noise", f"must be between 0 and 0.5 (got {noise})")
    return _GENERATORS[name](int(n), float(noise), np.random.default_rng(seed))


def point_set(
    name: str,
    n: int = 500,
    noise: float = 0.0,
    test_fraction: float = 0.5,
    seed: int | None = 0,
    features: Sequence[str] = DEFAULT_FEATURES,
    dtype: type | str = np.float64,
) -> Dataset:
    """A Playground set split into train/test (stratified) with the selected input features."""
    points, labels = make_points(name, n, noise, seed)
    x, names = expand(points, features)
    return split_dataset(
        name, "classification", x.astype(dtype), labels, test_fraction, seed, points=points,
        feature_names=names, class_names=("0", "1"), features=names, description=_DESCRIPTIONS[name],
    )
