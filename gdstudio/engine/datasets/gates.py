"""The logic gates of chapter 2: four input pairs and their truth table — the perceptron's first lesson.

AND, OR and NAND are linearly separable (one perceptron suffices); XOR is not, which is why it needs a hidden
layer. There is nothing to hold out, so the test set *is* the training set.
"""

from __future__ import annotations

import numpy as np

from gdstudio.engine.datasets.base import Dataset, DatasetError

__all__ = ["GATES", "gate"]

_INPUTS = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=np.float64)  # the book's order

GATES: dict[str, tuple[int, int, int, int]] = {
    # outputs for (0,0), (1,0), (0,1), (1,1)
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "xor": (0, 1, 1, 0),
}


def gate(name: str, dtype: type | str = np.float64) -> Dataset:
    """The 4-point truth table of gate ``name`` ("and", "or", "nand", "xor"); labels 0/1."""
    key = name.lower()
    if key not in GATES:
        raise DatasetError("name", f"unknown gate {name!r} (expected one of: {', '.join(GATES)})")
    x = _INPUTS.astype(dtype)
    t = np.array(GATES[key], dtype=np.int64)
    separable = "not linearly separable: needs a hidden layer" if key == "xor" else "linearly separable"
    return Dataset(
        name=key,
        task="classification",
        x_train=x,
        t_train=t,
        x_test=x,
        t_test=t,
        feature_names=("x1", "x2"),
        class_names=("0", "1"),
        description=f"{key.upper()} gate: 4 points, {separable}.",
    )
