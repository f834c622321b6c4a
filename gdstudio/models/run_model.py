"""RunModel: the history of one descent run, as columns that grow, plus the cursor the views display.

Columns (not Snapshot objects, see :class:`~gdstudio.models.columns.GrowingColumns`) so a million-step run stays
a few tens of MB and the plots can take slices without copying.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QObject, Signal

from gdstudio.engine.descent import RunNote, Snapshot, snapshot_columns
from gdstudio.engine.trajectory_csv import trajectory_csv
from gdstudio.models.columns import GrowingColumns

__all__ = ["RUN_STATES", "RunModel", "RunStateMixin"]

RUN_STATES = ("idle", "running", "paused", "done")


class RunStateMixin:
    """What a run is doing and how its newest snapshot stands, the same in both labs' run models.

    The QObject subclass declares ``stateChanged = Signal(str)`` and sets ``_state``, ``_status``, ``_message``.
    """

    _state: str
    _status: str
    _message: str

    @property
    def status(self) -> str:
        """Status of the newest snapshot ("running", "finished", "diverged", "stopped", …; "" when empty)."""
        return self._status

    @property
    def message(self) -> str:
        return self._message

    @property
    def state(self) -> str:
        """What the run is doing: "idle" | "running" | "paused" | "done" (set by the session)."""
        return self._state

    def set_state(self, state: str) -> None:
        if state not in RUN_STATES:
            raise ValueError(f"unknown run state {state!r}")
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)  # type: ignore[attr-defined]


class RunModel(QObject, RunStateMixin):
    """One run's snapshots (step, params, value, grad, |grad|) and which of them the views show."""

    cleared = Signal()
    appended = Signal(int, int)
    cursorChanged = Signal(int)
    stateChanged = Signal(str)
    finished = Signal(str, str)

    def __init__(self, dim: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = "idle"
        self._reset_storage(dim)

    # -- storage ---------------------------------------------------------------------------------------------
    def _reset_storage(self, dim: int) -> None:
        if dim < 1:
            raise ValueError("dim must be >= 1")
        self._dim = int(dim)
        self._cols = GrowingColumns(
            steps=((), np.int64), params=((self._dim,), np.float64), values=((), np.float64),
            grads=((self._dim,), np.float64), grad_norms=((), np.float64),
        )
        self._cursor = -1
        self._following = True
        self._status = ""
        self._message = ""
        self._note: RunNote | None = None

    # -- read access (views of the filled part; do not modify) -------------------------------------------------
    @property
    def dim(self) -> int:
        return self._dim

    @property
    def count(self) -> int:
        return self._cols.count

    @property
    def capacity(self) -> int:
        return self._cols.capacity

    @property
    def steps(self) -> np.ndarray:
        return self._cols.view("steps")

    @property
    def params(self) -> np.ndarray:
        return self._cols.view("params")

    @property
    def values(self) -> np.ndarray:
        return self._cols.view("values")

    @property
    def grads(self) -> np.ndarray:
        return self._cols.view("grads")

    @property
    def grad_norms(self) -> np.ndarray:
        return self._cols.view("grad_norms")

    @property
    def note(self) -> RunNote | None:
        """Why the run ended, as data (views word it in the user's language); None while running or stopped."""
        return self._note

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def following(self) -> bool:
        """True while the cursor tracks the newest row (the user has not scrubbed back)."""
        return self._following

    def snapshot(self, i: int) -> Snapshot:
        """Row ``i`` (negative counts from the end) as an engine Snapshot (copies)."""
        n = self._cols.count
        if not -n <= i < n:
            raise IndexError(f"row {i} out of range for a run of {n} snapshots")
        i %= n
        last = i == n - 1
        a = self._cols.arrays
        return Snapshot(
            step=int(a["steps"][i]),
            params=a["params"][i].copy(),
            value=float(a["values"][i]),
            grad=a["grads"][i].copy(),
            grad_norm=float(a["grad_norms"][i]),
            status=self._status if last else "running",
            message=self._message if last else "",
            note=self._note if last else None,
        )

    # -- changes -----------------------------------------------------------------------------------------------
    def append(self, snapshots: Sequence[Snapshot]) -> None:
        """Add snapshots (in order); the cursor moves to the newest one unless the user scrubbed back.

        A :class:`~gdstudio.engine.descent.SnapshotBatch` (what the run's worker sends) arrives already packed
        into columns, so the GUI thread only copies arrays.
        """
        k = len(snapshots)
        if k == 0:
            return
        columns = snapshot_columns(snapshots)
        start, _ = self._cols.extend(
            steps=columns.steps, values=columns.values, grad_norms=columns.grad_norms,
            params=np.reshape(columns.params, (k, self._dim)), grads=np.reshape(columns.grads, (k, self._dim)),
        )
        stop = start + k
        last = snapshots[-1]
        self._status, self._message, self._note = last.status, last.message, last.note
        self.appended.emit(start, stop)
        if self._following:
            self._move_cursor(stop - 1)

    def set_cursor(self, i: int) -> None:
        """Show row ``i`` (clamped); scrubbing to the newest row resumes following the run."""
        n = self._cols.count
        if n == 0:
            return
        i = max(0, min(int(i), n - 1))
        self._following = i == n - 1
        self._move_cursor(i)

    def _move_cursor(self, i: int) -> None:
        if i != self._cursor:
            self._cursor = i
            self.cursorChanged.emit(i)

    def clear(self, dim: int | None = None) -> None:
        """Forget the history (optionally switching dimension); the cursor follows again."""
        self._reset_storage(self._dim if dim is None else dim)
        self.cleared.emit()

    def finish(self, status: str, message: str = "") -> None:
        """The run ended: record the final status and tell the views (state becomes "done").

        The note of the last snapshot stays when the status and message are that snapshot's."""
        if (status, message) != (self._status, self._message):
            self._note = None
        self._status, self._message = status, message
        self.set_state("done")
        self.finished.emit(status, message)

    # -- export ------------------------------------------------------------------------------------------------
    def to_csv(self) -> str:
        """The trajectory as CSV, in the same format as ``gdstudio run --out`` writes."""
        return trajectory_csv(self.steps, self.params, self.values, self.grad_norms)
