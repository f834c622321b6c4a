"""Many descent trajectories stepped together as one ``(N, dim)`` array: compare mode and basin maps.

Rows are split into *groups*; each group has its own optimizer object that updates its own contiguous slice of
the array in place, so several optimizers and several learning rates (``lr`` as an ``(n, 1)`` array) run in one
loop. The status rules are exactly those of :mod:`.descent` (same divergence bound, same convergence test), and a
trajectory that stops — diverged, converged — is frozen: its position and value stop changing and its NaNs or
infinities never reach the others (every operation is row-wise).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .descent import DIVERGENCE_BOUND, check_run_settings, value_and_gradient_function
from .functions import Function
from .optimizers import Optimizer, make_optimizer

__all__ = ["BatchConfig", "BatchResult", "BatchSnapshot", "Group", "iter_batch", "run_batch"]

Rows = slice | Sequence[int] | np.ndarray
Group = tuple[str, Mapping[str, Any]] | tuple[str, Mapping[str, Any], Rows]
"""``(optimizer_name, hyper)`` or ``(optimizer_name, hyper, rows)``.

Without rows, the groups split the N starts into equal consecutive blocks (one group: all rows; N groups: one row
each). With rows (a slice or index array, given for every group) each row must belong to exactly one group. An
array hyper-parameter is per trajectory of its group: shape ``(n,)`` or ``(n, 1)`` for the group's ``n`` rows.
"""

_RUNNING, _FINISHED, _CONVERGED, _DIVERGED = 0, 1, 2, 3
_STATUS_NAMES = np.array(["running", "finished", "converged", "diverged"])
# Fast-path threshold for the sums of squares: a hair under B² so that rounding can never hide a row over B.
_FAST_LIMIT = DIVERGENCE_BOUND**2 * (1.0 - 1e-9)


@dataclass(frozen=True, slots=True)
class BatchSnapshot:
    """All trajectories after ``step`` updates. Frozen rows show the state they stopped in."""

    step: int
    params: np.ndarray  # (N, dim)
    values: np.ndarray  # (N,)
    grad_norms: np.ndarray  # (N,)
    status: np.ndarray  # (N,) str: "running" | "finished" | "converged" | "diverged"
    steps_taken: np.ndarray  # (N,) int: updates applied to each row so far


@dataclass(frozen=True)
class BatchResult:
    """A finished batch. Row ``k`` of ``paths``/``values``/``grad_norms`` is the state at step ``steps[k]``.

    With ``record=False`` only the start and the end are kept (``steps == [0, last]``).
    """

    steps: np.ndarray  # (T+1,) int
    paths: np.ndarray  # (T+1, N, dim)
    values: np.ndarray  # (T+1, N)
    grad_norms: np.ndarray  # (T+1, N)
    status: np.ndarray  # (N,) str
    steps_taken: np.ndarray  # (N,) int

    @property
    def final_params(self) -> np.ndarray:
        return self.paths[-1]

    @property
    def final_values(self) -> np.ndarray:
        return self.values[-1]


@dataclass(frozen=True)
class BatchConfig:
    """The arguments of :func:`iter_batch` as one immutable value (what the Session hands to a worker)."""

    function: Function
    starts: np.ndarray
    groups: tuple[Group, ...]
    steps: int = 100
    gradient_method: str = "analytic"
    h: float = 1e-4
    grad_norm_below: float | None = None

    def iterate(self, chunk: int = 1) -> Iterator[BatchSnapshot]:
        return iter_batch(
            self.function, self.starts, self.groups, self.steps, gradient_method=self.gradient_method,
            h=self.h, grad_norm_below=self.grad_norm_below, chunk=chunk,
        )

    def run(self, record: bool = True) -> BatchResult:
        return run_batch(
            self.function, self.starts, self.groups, self.steps, gradient_method=self.gradient_method,
            h=self.h, grad_norm_below=self.grad_norm_below, record=record,
        )


def iter_batch(
    function: Function,
    starts: np.ndarray,
    groups: Sequence[Group],
    steps: int = 100,
    *,
    gradient_method: str = "analytic",
    h: float = 1e-4,
    grad_norm_below: float | None = None,
    chunk: int = 1,
) -> Iterator[BatchSnapshot]:
    """Snapshots at step 0, every ``chunk`` steps, and at the end (always; it carries the final statuses).

    Settings are checked now (ValueError). The run ends early once every trajectory has stopped.
    """
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError("chunk must be a whole number >= 1")
    run = _BatchRun(function, starts, groups, steps, gradient_method, h, grad_norm_below)
    return _iterate(run, int(chunk))


def _iterate(run: _BatchRun, chunk: int) -> Iterator[BatchSnapshot]:
    yield run.snapshot()
    while not run.done:
        for _ in range(chunk):
            run.advance()
            if run.done:
                break
        yield run.snapshot()


def run_batch(
    function: Function,
    starts: np.ndarray,
    groups: Sequence[Group],
    steps: int = 100,
    *,
    gradient_method: str = "analytic",
    h: float = 1e-4,
    grad_norm_below: float | None = None,
    record: bool = True,
) -> BatchResult:
    """Run to the end; ``record=False`` keeps only the start and final states (fastest)."""
    run = _BatchRun(function, starts, groups, steps, gradient_method, h, grad_norm_below)
    first = run.snapshot()
    n, dim = first.params.shape
    if not record:
        while not run.done:
            run.advance()
        last = run.snapshot()
        return BatchResult(
            steps=np.array([0, last.step]),
            paths=np.stack([first.params, last.params]),
            values=np.stack([first.values, last.values]),
            grad_norms=np.stack([first.grad_norms, last.grad_norms]),
            status=last.status,
            steps_taken=last.steps_taken,
        )
    paths = np.empty((run.steps + 1, n, dim))
    values = np.empty((run.steps + 1, n))
    grad_norms = np.empty((run.steps + 1, n))
    paths[0], values[0], grad_norms[0] = first.params, first.values, first.grad_norms
    while not run.done:
        run.advance()
        run.write_state(paths[run.step], values[run.step], grad_norms[run.step])
    t = run.step + 1
    last = run.snapshot()
    return BatchResult(
        steps=np.arange(t),
        paths=paths[:t],
        values=values[:t],
        grad_norms=grad_norms[:t],
        status=last.status,
        steps_taken=last.steps_taken,
    )


def _resolve_rows(groups: Sequence[Group], n: int) -> list[np.ndarray]:
    """Row indices of every group (checked: each row in exactly one group)."""
    with_rows = [len(g) == 3 for g in groups]
    if not groups:
        raise ValueError("at least one optimizer group is needed")
    if not any(with_rows):
        if n % len(groups):
            raise ValueError(f"{n} starts cannot be split evenly among {len(groups)} optimizer groups")
        block = n // len(groups)
        return [np.arange(k * block, (k + 1) * block) for k in range(len(groups))]
    if not all(with_rows):
        raise ValueError("give rows for every optimizer group or for none")
    out = []
    for g in groups:
        rows = g[2]
        idx = np.arange(n)[rows] if isinstance(rows, slice) else np.asarray(rows)
        if idx.ndim != 1 or (idx.size and not np.issubdtype(idx.dtype, np.integer)):
            raise ValueError("group rows must be a slice or a 1-D array of row indices")
        out.append(idx.astype(np.intp))
    allrows = np.concatenate(out) if out else np.empty(0, np.intp)
    if allrows.size != n or not np.array_equal(np.sort(allrows), np.arange(n)):
        raise ValueError(f"group rows must cover each of the {n} starts exactly once")
    return out


def _per_row(value: Any, n: int) -> Any:
    """A 1-D array hyper-parameter of length n means one value per trajectory: make it a column (n, 1)."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return type(value)(_per_row(v, n) for v in value)
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.shape[0] == n:
        return value.reshape(n, 1)
    return value


class _BatchRun:
    """The loop state of one batch; ``advance`` applies one update to every group and re-checks every row."""

    def __init__(self, function, starts, groups, steps, gradient_method, h, grad_norm_below) -> None:
        check_run_settings(steps, grad_norm_below)
        starts = np.array(starts, dtype=np.float64)
        if starts.ndim == 1 and function.dim == 1:
            starts = starts[:, None]
        if starts.ndim != 2 or starts.shape[1] != function.dim or starts.shape[0] == 0:
            raise ValueError(f"starts must have shape (N, {function.dim}) with N >= 1, got {starts.shape}")
        if not np.all(np.isfinite(starts)):
            raise ValueError("starts must contain finite numbers")
        n = starts.shape[0]
        rows = _resolve_rows(list(groups), n)
        order = np.concatenate(rows)
        self.inverse = None if np.array_equal(order, np.arange(n)) else np.argsort(order)
        self.P = np.ascontiguousarray(starts[order])
        self.n, self.dim = n, function.dim
        self.steps = int(steps)
        self.tol = grad_norm_below
        self.vg = value_and_gradient_function(function, gradient_method, h)
        self.groups: list[tuple[Optimizer, slice]] = []
        a = 0
        for g, idx in zip(groups, rows):
            name, hyper = g[0], g[1]
            b = a + idx.size
            if b > a:
                hyper = {k: _per_row(v, b - a) for k, v in dict(hyper).items()}
                self.groups.append((make_optimizer(name, [self.P[a:b]], **hyper), slice(a, b)))
            a = b
        self.step = 0
        self.codes = np.zeros(n, np.int8)
        self.stop_step = np.zeros(n, np.int64)
        self.frozen = np.zeros(n, bool)
        self.frozen_idx = np.empty(0, np.intp)
        self.keep_P = np.empty_like(self.P)  # the state each frozen row stopped in
        self.keep_V = np.empty(n)
        self.keep_gn = np.empty(n)
        self._fz_P = self._fz_V = self._fz_gn = None
        self._own_V = np.empty(n)  # masked copies, used only while some rows are frozen
        self._own_G = np.empty_like(self.P)
        self._own_P = np.empty_like(self.P)
        self._gsq = np.empty_like(self.P)
        self.gn2 = np.empty(n)
        self.gn = np.empty(n)
        self._gn_step = -1  # step at which gn2/gn were last computed
        self.done = False
        with np.errstate(all="ignore"):
            self._evaluate()

    # -- the loop ------------------------------------------------------------------------------------------
    def advance(self) -> None:
        """One update of every trajectory still running, then values, gradients and statuses at the new point."""
        G = self.G
        with np.errstate(all="ignore"):
            for opt, sl in self.groups:
                opt.step([G[sl]])
            if self.frozen_idx.size:
                self.P[self.frozen_idx] = self._fz_P
            self.step += 1
            self._evaluate()

    def _evaluate(self) -> None:
        """Values, gradients and status checks at the current positions (caller suppresses float warnings).

        The common case — every row fine — is decided by three dot products: Σv² ≤ B², Σx² ≤ B² and Σ|g|²
        finite imply the per-row rules of :mod:`.descent` (NaN or overflow fails them). Only otherwise are the
        rows checked one by one, with exactly the single-trajectory tests.
        """
        n, fi = self.n, self.frozen_idx
        P = self.P
        V, G = self.vg(P)
        if not (isinstance(V, np.ndarray) and V.shape == (n,) and V.dtype == np.float64):
            V = self._own(self._own_V, V)
        if not (isinstance(G, np.ndarray) and G.shape == P.shape and G.dtype == np.float64 and G.flags.c_contiguous):
            G = self._own(self._own_G, G)
        elif np.may_share_memory(G, P):  # a gradient aliasing the positions must not move with them
            G = self._own(self._own_G, G)
        if fi.size:  # frozen rows: neutral for the checks and zero gradient for the optimizers
            V = self._own(self._own_V, V)
            G = self._own(self._own_G, G)
            P = self._own(self._own_P, P)
            V[fi] = 0.0
            G[fi] = 0.0
            P[fi] = 0.0
        self.V, self.G = V, G
        flat_P, flat_G = P.reshape(-1), G.reshape(-1)
        fine = (
            np.dot(V, V) <= _FAST_LIMIT
            and np.dot(flat_P, flat_P) <= _FAST_LIMIT
            and np.dot(flat_G, flat_G) < np.inf
        )
        stopped = None
        if not fine:  # NaN fails every comparison, so "not <=" catches it too
            bound = DIVERGENCE_BOUND
            bad = ~(np.abs(V) <= bound) | ~np.all(np.abs(P) <= bound, axis=1) | ~(self.grad_norms_squared() < np.inf)
            bad &= ~self.frozen
            if bad.any():
                self.codes[bad] = _DIVERGED
                stopped = bad
        if self.tol is not None:
            conv = self.grad_norms() < self.tol
            conv &= ~self.frozen
            if stopped is not None:
                conv &= ~stopped
            if conv.any():
                self.codes[conv] = _CONVERGED
                stopped = conv if stopped is None else stopped | conv
        if stopped is not None:
            self._freeze(stopped)
        if self.step >= self.steps or self.frozen_idx.size == n:
            self.codes[self.codes == _RUNNING] = _FINISHED
            self.done = True

    @staticmethod
    def _own(buffer: np.ndarray, value) -> np.ndarray:
        """``value`` copied (and broadcast, e.g. a constant's gradient) into a buffer this loop may write into."""
        if value is not buffer:
            np.copyto(buffer, value)
        return buffer

    def _freeze(self, new: np.ndarray) -> None:
        self.keep_P[new] = self.P[new]
        self.keep_V[new] = self.V[new]
        self.keep_gn[new] = self.grad_norms()[new]
        self.stop_step[new] = self.step
        self.frozen |= new
        self.frozen_idx = np.flatnonzero(self.frozen)
        self._fz_P = self.keep_P[self.frozen_idx]
        self._fz_V = self.keep_V[self.frozen_idx]
        self._fz_gn = self.keep_gn[self.frozen_idx]

    def grad_norms_squared(self) -> np.ndarray:
        """|∇f|² of every row, summed coordinate by coordinate in the single-trajectory order."""
        if self._gn_step != self.step:
            gsq, gn2 = self._gsq, self.gn2
            np.multiply(self.G, self.G, out=gsq)
            np.copyto(gn2, gsq[:, 0])
            for j in range(1, self.dim):  # column adds: add.reduce along a short axis is ~10x slower
                gn2 += gsq[:, j]
            np.sqrt(gn2, out=self.gn)
            self._gn_step = self.step
        return self.gn2

    def grad_norms(self) -> np.ndarray:
        """|∇f| of every row at the current step (computed on demand: the plain loop does not need it)."""
        self.grad_norms_squared()
        return self.gn

    # -- output --------------------------------------------------------------------------------------------
    def write_state(self, params: np.ndarray, values: np.ndarray, grad_norms: np.ndarray) -> None:
        """Copy the current positions, values and gradient norms (frozen rows: their last state) into outputs."""
        fi = self.frozen_idx
        inv = self.inverse
        self.grad_norms()  # fills self.gn
        if inv is None:
            params[...] = self.P
            values[...] = self.V
            grad_norms[...] = self.gn
            if fi.size:
                values[fi] = self._fz_V
                grad_norms[fi] = self._fz_gn
        else:
            V, gn = self.V.copy(), self.gn.copy()
            if fi.size:
                V[fi] = self._fz_V
                gn[fi] = self._fz_gn
            np.take(self.P, inv, axis=0, out=params)
            np.take(V, inv, out=values)
            np.take(gn, inv, out=grad_norms)

    def snapshot(self) -> BatchSnapshot:
        params = np.empty_like(self.P)
        values = np.empty(self.n)
        gn = np.empty(self.n)
        self.write_state(params, values, gn)
        taken = np.where(self.frozen, self.stop_step, self.step)
        status = _STATUS_NAMES[self.codes]
        if self.inverse is not None:
            taken, status = taken[self.inverse], status[self.inverse]
        return BatchSnapshot(self.step, params, values, gn, status, taken)
