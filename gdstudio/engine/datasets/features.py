"""TF-Playground feature toggles: a 2-D point (x1, x2) becomes the inputs the student switched on.

With x1² and x2² a single linear unit can separate the circle; with sin x1 and sin x2 a tiny net bends around
the spiral — the point of the lesson is that good inputs make the network's job easy. The expansion is pure
array arithmetic over any leading shape, so the decision-boundary grid goes through exactly the same code.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

import numpy as np

from gdstudio.engine.datasets.base import DatasetError

__all__ = ["DEFAULT_FEATURES", "FEATURES", "FEATURE_LABELS", "check_features", "expand"]

_COLUMNS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: np.sin(a),
    "sin(x2)": lambda a, b: np.sin(b),
}

FEATURES: tuple[str, ...] = tuple(_COLUMNS)
"""Feature ids as written in experiment files, in the order the GUI shows the toggles."""

FEATURE_LABELS: dict[str, str] = {
    "x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁·x₂", "sin(x1)": "sin x₁", "sin(x2)": "sin x₂",
}
"""Display text for each feature id (mathematical notation, needs no translation)."""

DEFAULT_FEATURES: tuple[str, ...] = ("x1", "x2")


def check_features(names: Sequence[str], field: str = "features") -> tuple[str, ...]:
    """Validate a feature selection: known ids, each once, at least one; DatasetError names the bad entry."""
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise DatasetError(field, f"must be a list of feature names (expected some of: {', '.join(FEATURES)})")
    if not names:
        raise DatasetError(field, "select at least one feature")
    seen: set[str] = set()
    for i, name in enumerate(names):
        if not isinstance(name, str) or name not in _COLUMNS:
            match = difflib.get_close_matches(name, FEATURES, n=1) if isinstance(name, str) else []
            hint = f"; did you mean {match[0]!r}?" if match else ""
            raise DatasetError(
                f"{field}[{i}]", f"unknown feature {name!r} (expected one of: {', '.join(FEATURES)}){hint}"
            )
        if name in seen:
            raise DatasetError(f"{field}[{i}]", f"feature {name!r} is selected twice")
        seen.add(name)
    return tuple(names)


def expand(points: np.ndarray, names: Sequence[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Points (..., 2) -> (features (..., len(names)), names), columns in the order given."""
    names = check_features(names)
    try:
        p = np.asarray(points)
        if p.dtype.kind != "f":
            p = p.astype(np.float64)
    except (TypeError, ValueError):
        raise DatasetError("points", "must be numbers") from None
    if p.ndim < 1 or p.shape[-1] != 2:
        raise DatasetError("points", f"must have shape (..., 2), got {p.shape}")
    a, b = p[..., 0], p[..., 1]
    out = np.empty(p.shape[:-1] + (len(names),), dtype=p.dtype)
    for j, name in enumerate(names):
        out[..., j] = _COLUMNS[name](a, b)
    return out, names
