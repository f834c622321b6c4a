"""GrowingColumns: named numpy columns of equal length that grow by doubling, read as views of the filled part.

The run models keep their histories as columns (not lists of snapshot objects) so a million-step run stays a few
tens of MB and the plots slice views without copying; doubling the capacity when full makes appending n rows
cost O(n) amortised. One helper serves the descent lab's ``RunModel`` and the network lab's ``TrainingRunModel``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["INITIAL_CAPACITY", "GrowingColumns"]

INITIAL_CAPACITY = 256


class GrowingColumns:
    """Columns declared as ``name=(trailing shape, dtype)``; the filled part of each is ``[:count]``."""

    def __init__(self, initial_capacity: int = INITIAL_CAPACITY, **columns: tuple[tuple[int, ...], Any]) -> None:
        if not columns:
            raise ValueError("declare at least one column")
        if initial_capacity < 1:
            raise ValueError("initial_capacity must be >= 1")
        self.count = 0
        self.arrays: dict[str, np.ndarray] = {
            name: np.zeros((initial_capacity, *shape), dtype=dtype) for name, (shape, dtype) in columns.items()
        }

    @property
    def capacity(self) -> int:
        return len(next(iter(self.arrays.values())))

    def reserve(self, needed: int) -> None:
        """Make room for ``needed`` rows (doubling), keeping the filled part."""
        capacity = self.capacity
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        n = self.count
        for name, a in self.arrays.items():
            b = np.zeros((capacity, *a.shape[1:]), dtype=a.dtype)
            b[:n] = a[:n]
            self.arrays[name] = b

    def view(self, name: str) -> np.ndarray:
        """The filled part of column ``name`` (a view: do not modify, it may be replaced by the next growth)."""
        return self.arrays[name][: self.count]

    def extend(self, **values: Any) -> tuple[int, int]:
        """Write k new rows (every column given, each k rows long); returns (first, k)."""
        missing = self.arrays.keys() - values.keys()
        unknown = values.keys() - self.arrays.keys()
        if missing or unknown:
            raise KeyError(f"give every column once (missing: {sorted(missing)}, unknown: {sorted(unknown)})")
        k = len(next(iter(values.values())))
        first = self.count
        self.reserve(first + k)
        for name, v in values.items():
            self.arrays[name][first : first + k] = v
        self.count = first + k
        return first, k
