"""CompareModel: several trajectories run side by side (one per optimizer or learning rate).

Filled step by step from :class:`gdstudio.engine.batch.BatchSnapshot` batches so the race can be watched live;
storage grows by doubling like the RunModel's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QObject, Signal

from gdstudio.engine.batch import BatchSnapshot

__all__ = ["CompareModel"]


class CompareModel(QObject):
    """paths (count, N, dim), values / grad_norms (count, N), one label, colour and status per trajectory."""

    cleared = Signal()
    updated = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reset([], [], 2)
        self.active = False

    def _reset(self, labels: Sequence[str], colors: Sequence[tuple[int, int, int]], dim: int) -> None:
        n = len(labels)
        self.labels: list[str] = list(labels)
        self.colors: list[tuple[int, int, int]] = [tuple(c) for c in colors]
        self.dim = dim
        self._count = 0
        self._steps = np.zeros(64, dtype=np.int64)
        self._paths = np.zeros((64, n, dim))
        self._values = np.zeros((64, n))
        self._grad_norms = np.zeros((64, n))
        self.status: list[str] = ["running"] * n
        self.steps_taken = np.zeros(n, dtype=np.int64)

    @property
    def count(self) -> int:
        return self._count

    @property
    def size(self) -> int:
        """Number of trajectories (N)."""
        return len(self.labels)

    @property
    def steps(self) -> np.ndarray:
        return self._steps[: self._count]

    @property
    def paths(self) -> np.ndarray:
        return self._paths[: self._count]

    @property
    def values(self) -> np.ndarray:
        return self._values[: self._count]

    @property
    def grad_norms(self) -> np.ndarray:
        return self._grad_norms[: self._count]

    def start(self, labels: Sequence[str], colors: Sequence[tuple[int, int, int]], dim: int) -> None:
        """Begin a comparison of ``len(labels)`` trajectories (clears the previous one)."""
        if len(labels) != len(colors):
            raise ValueError("one colour per label is needed")
        self._reset(labels, colors, dim)
        self.active = True
        self.cleared.emit()

    def append(self, snapshots: Sequence[BatchSnapshot]) -> None:
        k = len(snapshots)
        if k == 0:
            return
        stop = self._count + k
        capacity = len(self._steps)
        if stop > capacity:
            while capacity < stop:
                capacity *= 2
            n = self._count
            for name in ("_steps", "_paths", "_values", "_grad_norms"):
                a = getattr(self, name)
                b = np.zeros((capacity, *a.shape[1:]), dtype=a.dtype)
                b[:n] = a[:n]
                setattr(self, name, b)
        sl = slice(self._count, stop)
        self._steps[sl] = [s.step for s in snapshots]
        self._paths[sl] = np.stack([s.params for s in snapshots])
        self._values[sl] = np.stack([s.values for s in snapshots])
        self._grad_norms[sl] = np.stack([s.grad_norms for s in snapshots])
        self._count = stop
        last = snapshots[-1]
        self.status = [str(s) for s in last.status]
        self.steps_taken = np.asarray(last.steps_taken).copy()
        self.updated.emit()

    def clear(self) -> None:
        """Leave compare mode (the views hide the comparison)."""
        self._reset([], [], self.dim)
        self.active = False
        self.cleared.emit()
