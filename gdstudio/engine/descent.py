"""One descent trajectory as a generator of snapshots: the start, then one snapshot after every update.

A generator lets the GUI worker pace, pause and resume a run (it keeps the iterator) and lets the CLI run it flat
out; stopping early is just not asking for more. The last snapshot carries the final status and, for divergence
or convergence, a sentence a student can act on.

Divergence rule (documented for students and tests): a run has diverged as soon as the value or any coordinate of
the position is not finite or exceeds :data:`DIVERGENCE_BOUND` (10¹²) in magnitude, or the gradient is not finite.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from .functions import Function
from .gradients import make_gradient
from .optimizers import OPTIMIZERS, make_optimizer

__all__ = [
    "DIVERGENCE_BOUND",
    "STATUSES",
    "DescentConfig",
    "DescentRun",
    "NOTE_CODES",
    "RunNote",
    "Snapshot",
    "SnapshotBatch",
    "SnapshotColumns",
    "divergence_message",
    "divergence_note",
    "format_point",
    "iter_descent",
    "run_descent",
    "snapshot_columns",
    "value_and_gradient_function",
]

STATUSES = ("running", "finished", "converged", "diverged", "stopped")

DIVERGENCE_BOUND = 1e12
"""|value| or any |coordinate| beyond this (or a non-finite value, position or gradient) means "diverged"."""


@dataclass(frozen=True)
class DescentConfig:
    """Everything that determines one run. Immutable (hyper becomes a read-only mapping), so not hashable."""

    function: Function
    start: tuple[float, ...]
    optimizer: str = "sgd"
    hyper: Mapping[str, Any] = field(default_factory=dict)
    gradient_method: str = "analytic"
    h: float = 1e-4
    steps: int = 100
    grad_norm_below: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", tuple(float(c) for c in np.atleast_1d(self.start)))
        object.__setattr__(self, "hyper", MappingProxyType(dict(self.hyper)))

    def check(self) -> None:
        """ValueError (with a readable message) if this run cannot start; also validates the hyper-parameters."""
        if len(self.start) != self.function.dim:
            raise ValueError(
                f"start has {len(self.start)} coordinate(s) but {self.function.name} needs {self.function.dim}"
            )
        if not all(math.isfinite(c) for c in self.start):
            raise ValueError("start must contain finite numbers")
        check_run_settings(self.steps, self.grad_norm_below)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r} (valid: {', '.join(OPTIMIZERS)})")
        OPTIMIZERS[self.optimizer].validate_hyper(self.hyper)


NOTE_CODES = (
    "converged",  # the gradient norm fell below the threshold
    "undefined",  # the function has no real value at a finite point
    "unbounded_below",  # the value fell below −10¹² (or became −∞)
    "not_differentiable",  # finite value, non-finite gradient
    "position_infinite", "position_beyond", "value_infinite", "value_beyond",  # steps too large
)


@dataclass(frozen=True, slots=True)
class RunNote:
    """Why a run ended, as a code and its numbers, so a window can word it in the user's language.

    :meth:`english` is the engine's wording (the CLI's message); ``gdstudio.run_notes`` words it with tr().
    ``lr`` is nan when unknown; ``expression`` says the function was typed by the user.
    """

    code: str
    step: int
    point: tuple[float, ...] = ()
    value: float = math.nan
    grad_norm: float = math.nan
    tol: float = math.nan
    lr: float = math.nan
    expression: bool = False

    @property
    def lr_known(self) -> bool:
        return math.isfinite(self.lr) and self.lr > 0

    def english(self) -> str:
        where = "at the start point" if self.step == 0 else f"at step {self.step}"
        what = "the typed expression" if self.expression else "the function"
        point = format_point(self.point)
        code = self.code
        if code == "converged":
            return f"Converged at step {self.step}: the gradient norm {self.grad_norm:.3g} fell below {self.tol:.3g}."
        if code == "undefined":
            return (
                f"{what.capitalize()} has no real value {where}, at x = {point}: it is undefined there "
                f"(for example the logarithm or square root of a negative number). "
                f"Try another start point or a smaller learning rate."
            )
        if code == "unbounded_below":
            fell = "became −∞" if math.isinf(self.value) else "fell below −10¹²"
            return (
                f"The value {fell} {where}: {what} has no lowest point in the direction the descent took, "
                f"so it can run downhill forever."
            )
        if code == "not_differentiable":
            return (
                f"The gradient is not a finite number {where}, at x = {point}: {what} is not "
                f"differentiable there (for example √x or log x at 0, or a division by zero). "
                f"Try another start point."
            )
        first = {
            "position_infinite": f"The position became infinite {where}",
            "position_beyond": f"The position moved beyond ±10¹² {where}",
            "value_infinite": f"The value became infinite {where}",
            "value_beyond": f"The value exceeded 10¹² {where}",
        }[code]
        if self.lr_known:
            return (
                f"{first}: the learning rate {self.lr:g} is too large for this function — "
                f"try a smaller one (for example {self.lr / 10:.3g})."
            )
        return f"{first}: the steps are too large for this function — try a smaller learning rate."


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The state after ``step`` updates (0 = the start point)."""

    step: int
    params: np.ndarray
    value: float
    grad: np.ndarray
    grad_norm: float
    status: str
    message: str = ""
    note: RunNote | None = None  # why the run ended, as data (the message is its English wording)


class SnapshotColumns(NamedTuple):
    """The fields of consecutive snapshots as arrays: steps (k,) int64, params (k, dim), values (k,),
    grads (k, dim), grad_norms (k,)."""

    steps: np.ndarray
    params: np.ndarray
    values: np.ndarray
    grads: np.ndarray
    grad_norms: np.ndarray


def _rows(vectors: list, k: int) -> np.ndarray:
    if k == 0:
        return np.zeros((0, 0))
    try:
        flat = np.concatenate(vectors)  # one C loop over the (dim,) arrays: the fast path
    except ValueError:  # 0-d entries (a 1-D run written by hand)
        flat = np.asarray(vectors, dtype=np.float64)
    return np.asarray(flat, dtype=np.float64).reshape(k, -1)


def snapshot_columns(snapshots: Sequence[Snapshot]) -> SnapshotColumns:
    """Columns of a sequence of snapshots (already there if it is a :class:`SnapshotBatch`)."""
    if isinstance(snapshots, SnapshotBatch):
        return snapshots.columns()
    k = len(snapshots)
    return SnapshotColumns(
        np.array([s.step for s in snapshots], dtype=np.int64),
        _rows([s.params for s in snapshots], k),
        np.array([s.value for s in snapshots], dtype=np.float64),
        _rows([s.grad for s in snapshots], k),
        np.array([s.grad_norm for s in snapshots], dtype=np.float64),
    )


class SnapshotBatch(Sequence[Snapshot]):
    """Consecutive snapshots of one run stored as columns: a read-only sequence of :class:`Snapshot`.

    The GUI's worker packs each batch before it sends it, so the GUI thread only copies arrays. Indexing builds a Snapshot (with
    copies); rows whose status is not "running" or that carry a message keep them (normally only the last).
    """

    __slots__ = ("_columns", "_notes")

    def __init__(self, columns: SnapshotColumns, notes: Mapping[int, tuple[str, str, RunNote | None]] | None = None
                 ) -> None:
        self._columns = columns
        self._notes = dict(notes or {})  # row -> (status, message, note), for rows not ("running", "", None)

    @classmethod
    def pack(cls, snapshots: Sequence[Snapshot]) -> SnapshotBatch:
        notes = {i: (s.status, s.message, s.note) for i, s in enumerate(snapshots)
                 if s.status != "running" or s.message or s.note is not None}
        return cls(snapshot_columns(snapshots), notes)

    @classmethod
    def empty(cls, dim: int) -> SnapshotBatch:
        return cls(SnapshotColumns(np.zeros(0, np.int64), np.zeros((0, dim)), np.zeros(0), np.zeros((0, dim)),
                                   np.zeros(0)))

    @classmethod
    def concat(cls, batches: Sequence[SnapshotBatch]) -> SnapshotBatch:
        """One batch of consecutive batches (their notes renumbered)."""
        if len(batches) == 1:
            return batches[0]
        notes: dict[int, tuple[str, str, RunNote | None]] = {}
        offset = 0
        for batch in batches:
            notes.update((offset + i, note) for i, note in batch._notes.items())
            offset += len(batch)
        parts = [batch._columns for batch in batches]
        return cls(SnapshotColumns(*(np.concatenate(column) for column in zip(*parts))), notes)

    def columns(self) -> SnapshotColumns:
        return self._columns

    def __len__(self) -> int:
        return len(self._columns.steps)

    def __iter__(self) -> Iterator[Snapshot]:
        c, notes, running = self._columns, self._notes, ("running", "", None)
        for i, (step, params, value, grad, norm) in enumerate(zip(c.steps.tolist(), c.params, c.values.tolist(),
                                                                  c.grads, c.grad_norms.tolist())):
            status, message, note = notes.get(i, running)
            yield Snapshot(step, params.copy(), value, grad.copy(), norm, status, message, note)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(f"snapshot {i} out of range for a batch of {n}")
        i = int(i) % n
        c = self._columns
        status, message, note = self._notes.get(i, ("running", "", None))
        return Snapshot(int(c.steps[i]), c.params[i].copy(), float(c.values[i]), c.grads[i].copy(),
                        float(c.grad_norms[i]), status, message, note)

    def __repr__(self) -> str:
        return f"SnapshotBatch({len(self)} snapshots)"


def check_run_settings(steps: int, grad_norm_below: float | None) -> None:
    """Shared checks of the step budget and the convergence threshold (single runs and batches)."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError("steps must be a whole number >= 0")
    if grad_norm_below is not None and not (math.isfinite(grad_norm_below) and grad_norm_below > 0):
        raise ValueError("grad_norm_below must be a finite number > 0")


def value_and_gradient_function(
    function: Function, method: str = "analytic", h: float = 1e-4
) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``P -> (f(P), ∇f(P))`` using the chosen gradient method (analytic shares work between the two)."""
    grad = make_gradient(function, method, h)  # validates method and h
    if method == "analytic":
        # The engine loops guard float warnings and normalise shapes themselves, so when the Function exposes its
        # raw callables they are called directly: the public wrappers' per-call checks cost more than the maths.
        raw_vg = getattr(function, "value_and_gradient_fn", None)
        if callable(raw_vg):
            return raw_vg
        raw_v, raw_g = getattr(function, "value_fn", None), getattr(function, "gradient_fn", None)
        if callable(raw_v) and callable(raw_g):
            return lambda P: (raw_v(P), raw_g(P))
        return function.value_and_gradient
    value = function.value

    def value_and_gradient(P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return value(P), grad(P)

    return value_and_gradient


def iter_descent(config: DescentConfig) -> Iterator[Snapshot]:
    """Snapshots of one run: step 0 is the start, each next one follows one update; the last has the status.

    Settings are checked now (ValueError), not at the first ``next``. Closing the generator stops the run. The
    steps are computed a block at a time by :class:`DescentRun` (at most 256 ahead of what was taken).
    """
    return _snapshots(DescentRun(config))


def run_descent(config: DescentConfig) -> list[Snapshot]:
    """All snapshots of a run (until its final status)."""
    return list(iter_descent(config))


def _snapshots(run: DescentRun) -> Iterator[Snapshot]:
    block = 1  # the first snapshot comes at once; later blocks grow so the per-block cost vanishes
    while True:
        batch = run.take(block)
        yield from batch
        if len(batch) < block:
            return
        block = min(block * 4, 256)


class DescentRun:
    """One descent run advanced a block of steps at a time, each block returned as a :class:`SnapshotBatch`.

    This is the engine's descent loop (``iter_descent`` wraps it): writing each step straight into columns, with one
    float-error guard per block, costs less than one :class:`Snapshot` object per step — the CLI and the GUI worker
    take blocks directly. Settings are checked on construction (ValueError); step 0 is computed by the first take.
    """

    def __init__(self, config: DescentConfig) -> None:
        config.check()
        self.config = config
        self._vg = value_and_gradient_function(config.function, config.gradient_method, config.h)
        self._x = np.array(config.start, dtype=np.float64).reshape(-1)  # one row of the params column
        self._optimizer = make_optimizer(config.optimizer, [self._x], **config.hyper)
        self._step = 0
        self._pending: tuple[Any, Any] | None = None  # (value, gradient) at the current point, once computed
        self._ended = False

    @property
    def ended(self) -> bool:
        """True once the snapshot with the final status has been taken (or the run was closed)."""
        return self._ended

    def close(self) -> None:
        """Stop the run: later takes return nothing."""
        self._ended = True

    def blocks(self, size: int) -> Iterator[SnapshotBatch]:
        """Take blocks of ``size`` snapshots until the run ends (the last one may be shorter; no empty ones)."""
        while not self._ended:
            block = self.take(size)
            if len(block):
                yield block

    def take(self, n: int) -> SnapshotBatch:
        """The next snapshots, at most ``n`` (fewer only when the run ends within them; none once it has ended)."""
        x, dim = self._x, self._x.size
        if self._ended or n <= 0:
            return SnapshotBatch.empty(dim)
        config, vg, update = self.config, self._vg, self._optimizer.step
        bound, tol, steps, shape = DIVERGENCE_BOUND, config.grad_norm_below, config.steps, x.shape
        params = np.empty((n, dim))
        grads = np.empty((n, dim))
        values: list[float] = []
        norms: list[float] = []
        notes: dict[int, tuple[str, str, RunNote | None]] = {}
        step = first = self._step
        sqrt, inf = math.sqrt, math.inf
        with np.errstate(all="ignore"):
            v, g = self._pending if self._pending is not None else vg(x)
            for i in range(n):
                value = float(v)
                g = np.asarray(g, dtype=np.float64)
                if g.shape != shape:
                    g = np.array(np.broadcast_to(g, shape))
                gn = sqrt(sum([c * c for c in g.tolist()]))
                params[i] = x
                grads[i] = g
                values.append(value)
                norms.append(gn)
                if -bound <= value <= bound and gn < inf and all([-bound <= c <= bound for c in x.tolist()]):
                    if tol is not None and gn < tol:
                        note = RunNote("converged", step, grad_norm=gn, tol=tol)
                        notes[i] = ("converged", note.english(), note)
                        break
                    if step >= steps:
                        notes[i] = ("finished", "", None)
                        break
                else:  # NaN fails every comparison above, so it lands here too
                    note = divergence_note(config.function, step, x, value, gn, _lr(config))
                    notes[i] = ("diverged", note.english(), note)
                    break
                update([g])
                v, g = vg(x)
                step += 1
        k = len(values)
        if notes:
            self._ended = True
            self._pending = None
        else:
            self._pending = (v, g)
        self._step = first + k
        columns = SnapshotColumns(np.arange(first, first + k, dtype=np.int64), params[:k], np.array(values),
                                  grads[:k], np.array(norms))
        return SnapshotBatch(columns, notes)


def _lr(config: DescentConfig) -> float:
    lr = config.hyper.get("lr", OPTIMIZERS[config.optimizer].defaults().get("lr"))
    try:
        return float(np.asarray(lr, dtype=np.float64).ravel()[0])
    except (TypeError, ValueError, IndexError):
        return float("nan")


def format_point(x) -> str:
    """Coordinates as "(1.5, -2)" with four significant digits (messages and notes)."""
    return "(" + ", ".join(f"{c:.4g}" for c in np.atleast_1d(np.asarray(x, dtype=np.float64)).tolist()) + ")"


def divergence_note(
    function: Function, step: int, params: np.ndarray, value: float, grad_norm: float, lr: float
) -> RunNote:
    """Why a run diverged, as a :class:`RunNote` (pure function)."""
    bound = DIVERGENCE_BOUND
    coords = np.atleast_1d(np.asarray(params, dtype=np.float64))
    params_ok = bool(np.all(np.abs(coords) <= bound))
    if params_ok and math.isnan(value):
        code = "undefined"
    elif params_ok and value < -bound:
        code = "unbounded_below"
    elif params_ok and math.isfinite(value) and abs(value) <= bound:
        code = "not_differentiable"
    elif not np.all(np.isfinite(coords)):
        code = "position_infinite"
    elif not params_ok:
        code = "position_beyond"
    elif math.isinf(value):
        code = "value_infinite"
    else:
        code = "value_beyond"
    return RunNote(code, int(step), tuple(float(c) for c in coords.tolist()), float(value), float(grad_norm),
                   lr=float(lr), expression=bool(getattr(function, "expression", None)))


def divergence_message(
    function: Function, step: int, params: np.ndarray, value: float, grad_norm: float, lr: float
) -> str:
    """One or two sentences saying why a run diverged and what to try (English)."""
    return divergence_note(function, step, params, value, grad_norm, lr).english()
