"""Basins of attraction: start a descent from every point of a grid and colour each start by where it ends.

All starts run at once through :mod:`.batch`, so a 100×100 map is one vectorized run. The map shows students
that the start point (and the learning rate) decide which minimum gradient descent finds.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .batch import iter_batch
from .functions import Function

__all__ = ["DIVERGED", "ELSEWHERE", "BasinResult", "discover_minima", "iter_basin_map", "label_endpoints"]

DIVERGED = -1  # label of starts whose run diverged
ELSEWHERE = -2  # label of starts that ended near no known minimum (still moving, on a saddle, ...)


@dataclass(frozen=True)
class BasinResult:
    """``labels[iy, ix]`` is the index into ``minima`` reached from ``(xs[ix], ys[iy])``, or DIVERGED/ELSEWHERE."""

    xs: np.ndarray  # (nx,)
    ys: np.ndarray  # (ny,)
    labels: np.ndarray  # (ny, nx) int
    minima: tuple[tuple[float, ...], ...]
    counts: dict[int, int]  # label -> number of starts; every minimum index, DIVERGED and ELSEWHERE present
    steps_taken: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.int64))  # (ny, nx)
    discovered: bool = False  # True when the minima were found from the endpoints (function listed none)

    def fraction(self, label: int) -> float:
        """Share of the grid with this label."""
        return self.counts.get(label, 0) / max(1, self.labels.size)


def iter_basin_map(
    function: Function,
    optimizer: str = "sgd",
    hyper: Mapping[str, Any] | None = None,
    steps: int = 500,
    resolution: tuple[int, int] = (100, 100),
    window: Sequence[tuple[float, float]] | None = None,
    tolerance: float = 0.01,
    *,
    gradient_method: str = "analytic",
    h: float = 1e-4,
    minima: Sequence[Sequence[float]] | None = None,
) -> Iterator[float | BasinResult]:
    """Progress floats in [0, 1] (about every 5 % of the steps), then one :class:`BasinResult`.

    A start counts as reaching a minimum when it ends within ``tolerance`` × (window diagonal) of it. ``minima``
    defaults to ``function.minima``; if that is empty they are discovered from where the runs end.
    Settings are checked now (ValueError).
    """
    if function.dim != 2:
        raise ValueError("a basin map needs a function of two variables")
    nx, ny = _resolution(resolution)
    (x0, x1), (y0, y1) = _window(window if window is not None else function.window)
    if not (isinstance(tolerance, (int, float)) and math.isfinite(tolerance) and 0 < tolerance < 1):
        raise ValueError("tolerance must be a number between 0 and 1 (a fraction of the window diagonal)")
    known = tuple(tuple(float(c) for c in m) for m in (function.minima if minima is None else minima))
    if any(len(m) != 2 for m in known):
        raise ValueError("every minimum needs two coordinates")
    xs = np.linspace(x0, x1, nx)
    ys = np.linspace(y0, y1, ny)
    X, Y = np.meshgrid(xs, ys)  # row-major: start k is (iy, ix) = divmod(k, nx)
    starts = np.column_stack([X.ravel(), Y.ravel()])
    chunk = max(1, math.ceil(steps / 20)) if isinstance(steps, int) else 1
    snapshots = iter_batch(
        function, starts, [(optimizer, dict(hyper or {}))], steps, gradient_method=gradient_method, h=h,
        chunk=chunk,
    )
    radius = tolerance * math.hypot(x1 - x0, y1 - y0)
    return _basins(function, snapshots, steps, xs, ys, known, radius)


def _basins(function, snapshots, steps, xs, ys, known, radius) -> Iterator[float | BasinResult]:
    first = last = None
    for snap in snapshots:
        first = snap if first is None else first
        last = snap
        yield 1.0 if steps == 0 else snap.step / steps
    assert last is not None
    if last.step != steps:  # every run stopped early: the map is complete
        yield 1.0
    diverged = last.status == "diverged"
    discovered = not known
    if known:
        minima = known
    else:  # only endpoints where the slope has (nearly) vanished can mark a minimum
        settled = ~diverged & (last.grad_norms <= 1e-3 * _typical_slope(first))
        minima = discover_minima(function, last.params[settled], radius, len(last.params))
    labels = label_endpoints(last.params, diverged, minima, radius)
    shape = (ys.size, xs.size)
    counts = {k: 0 for k in range(len(minima))}
    counts[DIVERGED] = 0
    counts[ELSEWHERE] = 0
    values, numbers = np.unique(labels, return_counts=True)
    counts.update({int(v): int(c) for v, c in zip(values, numbers)})
    yield BasinResult(
        xs=xs, ys=ys, labels=labels.reshape(shape), minima=tuple(minima), counts=counts,
        steps_taken=last.steps_taken.reshape(shape), discovered=discovered,
    )


def label_endpoints(
    ends: np.ndarray, diverged: np.ndarray, minima: Sequence[Sequence[float]], radius: float
) -> np.ndarray:
    """Index of the nearest minimum within ``radius`` of each endpoint; DIVERGED / ELSEWHERE otherwise."""
    labels = np.full(len(ends), ELSEWHERE, dtype=np.int64)
    if len(minima):
        M = np.asarray(minima, dtype=np.float64)
        with np.errstate(all="ignore"):
            d2 = ((ends[:, None, :] - M[None, :, :]) ** 2).sum(axis=-1)
            nearest = np.argmin(np.where(np.isnan(d2), np.inf, d2), axis=1)
            close = d2[np.arange(len(ends)), nearest] <= radius * radius
        labels[close] = nearest[close]
    labels[diverged] = DIVERGED
    return labels


def discover_minima(
    function: Function, ends: np.ndarray, radius: float, total: int, max_minima: int = 32
) -> tuple[tuple[float, float], ...]:
    """Places where many runs ended, as minima (lowest first): for typed expressions, which list none.

    Endpoints (the caller passes only those where the slope vanished) are binned into cells of size ``radius``;
    a cell holding at least 0.5 % of all starts is a candidate if no lower value lies on a small circle around
    its centre (so a saddle that caught a row of starts does not count); candidates closer than two radii merge.
    """
    ends = ends[np.all(np.isfinite(ends), axis=1)]
    if not len(ends):
        return ()
    cells = np.floor(ends / radius).astype(np.int64)
    keys, inverse, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    threshold = max(2, math.ceil(0.005 * total))
    centres: list[np.ndarray] = []
    for k in np.argsort(-counts, kind="stable"):
        if counts[k] < threshold or len(centres) >= max_minima:
            break
        centre = ends[inverse == k].mean(axis=0)
        if all(np.hypot(*(centre - c)) > 2 * radius for c in centres) and _is_local_minimum(
            function, centre, radius
        ):
            centres.append(centre)
    if not centres:
        return ()
    with np.errstate(all="ignore"):
        values = function.value(np.array(centres))
    order = np.argsort(np.where(np.isfinite(values), values, np.inf), kind="stable")
    return tuple((float(centres[i][0]), float(centres[i][1])) for i in order)


def _typical_slope(snapshot) -> float:
    """Median |∇f| over the finite starts: the scale against which "the slope has vanished" is judged."""
    g = snapshot.grad_norms[np.isfinite(snapshot.grad_norms)]
    return float(np.median(g)) if g.size else 0.0


def _is_local_minimum(function: Function, centre: np.ndarray, radius: float) -> bool:
    """No lower value on a small circle around ``centre`` (rules out saddles and ridges)."""
    angles = np.linspace(0.0, 2.0 * np.pi, 16, endpoint=False)
    ring = centre + 0.25 * radius * np.column_stack([np.cos(angles), np.sin(angles)])
    with np.errstate(all="ignore"):
        v0 = function.value(centre)
        around = function.value(ring)
    return bool(np.isfinite(v0) and np.all(around >= v0))


def _resolution(resolution: Sequence[int]) -> tuple[int, int]:
    try:
        nx, ny = resolution
    except (TypeError, ValueError):
        raise ValueError("resolution must be a pair (nx, ny)") from None
    for n in (nx, ny):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= 2000:
            raise ValueError("resolution must be two whole numbers between 2 and 2000")
    return int(nx), int(ny)


def _window(window: Sequence[Sequence[float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        (x0, x1), (y0, y1) = window
        x0, x1, y0, y1 = (float(v) for v in (x0, x1, y0, y1))
    except (TypeError, ValueError):
        raise ValueError("window must be ((xmin, xmax), (ymin, ymax))") from None
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)) or not (x0 < x1 and y0 < y1):
        raise ValueError("window must be ((xmin, xmax), (ymin, ymax)) with finite min < max")
    return (x0, x1), (y0, y1)
