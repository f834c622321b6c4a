"""Redraw rates of the network lab while a run trains: each panel slows down to what the eye needs, and all of
them together to a share of the GUI thread.

The engine runs on a worker thread, but every redraw and repaint on the GUI thread holds the GIL (and a core) the
worker needs, so a window redrawing every panel at 60 Hz more than halves training. While a run is *live* (the
model's state is "running") each panel's ``LiveRedrawScheduler`` coalesces its model signals at the panel's own
rate (``LIVE_INTERVAL_MS``): the loss curve, which the student watches, 10 Hz; the gradient norms 5 Hz and their
histograms 1 Hz; the network diagram 2.5 Hz (weights move smoothly); the decision map 2 Hz; landscape and digits,
whose data only arrive at detail points, 1 Hz. ``widgets.LIVE_BUDGET`` stretches all of these alike when the GUI thread
still takes more than ~7 % of the time (a slow or busy machine, a big window). Panels also draw cheaply while live
(``curve_style``: thin lines without antialiasing; ``LiveRanges``: axes that only grow instead of re-laying out
their ticks every frame; ``widgets.cache_painting``: axes and legends painted from pixmaps). When the run pauses or ends,
the pending redraw comes within a frame at full quality: that is the picture the student studies and screenshots.
See docs/training-lab.md, "Speed with the window open".
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from functools import partial

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QPen
import pyqtgraph as pg

from gdstudio.views.loss_panel import MAX_DRAWN_POINTS, live_range
from gdstudio.views.widgets import LiveBudget, RedrawScheduler

__all__ = ["LIVE_HEADROOM", "LIVE_INTERVAL_MS", "LiveRanges", "LiveRedrawScheduler", "curve_style", "drawn_points",
           "step_axis_limit"]

LIVE_INTERVAL_MS: dict[str, int] = {
    "loss": 100,  # the loss and accuracy curves: what the student watches
    "status": 100,  # the status bar's step / epoch / loss numbers
    "gradients": 200,  # ‖∇‖ per layer
    "histograms": 1000,  # the gradient panel's histograms (a slow part of its redraws, see slow_parts)
    "diagram": 400,  # the network's edges: weights move smoothly, a few frames a second show it
    "decision": 500,  # the decision map: new data only at detail points (epoch ends)
    "landscape": 1000,  # loss-landscape slices: a few per run; each new one re-lays out the axes and colour bar
    "digits": 1000,  # sample predictions and confusion matrix: ~140 texts to lay out
}
"""Least milliseconds between two redraws of a panel while its run is live (the idle rate is 60 Hz)."""

_SLACK = 0.02
"""Data this close to a held axis's end (a share of its span) has not left it."""

LIVE_HEADROOM = (1.0, 0.25)
"""How far past the data (in data spans) a held step axis and value axis grow when the data leaves them: the step
axis doubles (a few re-layouts per run, and never past the run's last step), a loss axis gains a quarter."""


class LiveRedrawScheduler(RedrawScheduler):
    """A RedrawScheduler that redraws at most every ``live_interval_ms`` while the run it shows is live.

    Given a ``run_model``, it follows its ``stateChanged`` ("running" = live); ``on_live(live)`` is called after
    each later switch (not for the state at construction: ``live()`` tells it), for the panel to mark what it
    draws differently while live (antialiasing, held axes). Leaving the live state restarts a pending redraw's
    countdown at the frame interval.

    ``slow_parts`` (part → ms): parts redrawn even less often while live — the timer's redraw leaves such a part
    marked until that long after it was last drawn (``flush()`` always draws everything). Both intervals are
    stretched by the ``budget``'s factor (see LiveBudget).
    """

    def __init__(self, redraw: Callable[[set[str]], None], parent: QObject | None = None, *,
                 live_interval_ms: int, run_model=None, on_live: Callable[[bool], None] | None = None,
                 slow_parts: Mapping[str, int] | None = None, budget: LiveBudget | None = None) -> None:
        super().__init__(redraw, parent, budget=budget)
        self.live_interval_ms = int(live_interval_ms)
        self.slow_parts = dict(slow_parts or {})
        self._drawn_at: dict[str, float] = {}
        self._live = False
        self._on_live = None
        if run_model is not None:
            run_model.stateChanged.connect(self._state_changed)
            self.set_live(run_model.state == "running")
        self._on_live = on_live

    def live(self) -> bool:
        """Whether the run is live (redraws at the live rate, cheap drawing)."""
        return self._live

    def set_live(self, live: bool) -> None:
        live = bool(live)
        if live == self._live:
            return
        self._live = live
        if live:
            self.budget.start()
        self._set_interval(self._live_interval() if live else self.INTERVAL_MS)  # (restarts a pending one)
        if self._on_live is not None:
            self._on_live(live)

    def _live_interval(self) -> int:
        return round(self.live_interval_ms * self.budget.scale)

    @Slot()
    def flush(self) -> None:
        now = time.monotonic()
        for part in self.slow_parts.keys() & self.marked():
            self._drawn_at[part] = now
        super().flush()

    @Slot()
    def _timed_out(self) -> None:
        """The timer's redraw: while live, slow parts drawn too recently stay marked for a later one."""
        waiting = set()
        if self._live and self.slow_parts:
            now = time.monotonic()
            scale = self.budget.scale
            waiting = {part for part in self.slow_parts.keys() & self.marked()
                       if now - self._drawn_at.get(part, -math.inf) < scale * self.slow_parts[part] / 1000.0}
        self._unmark(*waiting)
        self.flush()
        if self._live:
            self.budget.note()
            self._set_interval(self._live_interval())
        if waiting:
            self.mark(*waiting)

    @Slot(str)
    def _state_changed(self, state: str) -> None:
        self.set_live(state == "running")


def step_axis_limit(run_model) -> Callable[[int], tuple[float, float] | None]:
    """A ``LiveRanges`` limit for plots against the step: the x axis never grows past the run's last step."""
    def limit(axis: int) -> tuple[float, float] | None:
        info = run_model.info
        return (0.0, float(info.total_steps)) if axis == 0 and info is not None else None
    return limit


def drawn_points(plot: pg.PlotItem, live: bool) -> int:
    """How many points a curve of ``plot`` keeps after ``peak_decimate``: while live one min/max pair per pixel
    column of the plot (a wider curve is drawn onto the same pixels, only slower), else MAX_DRAWN_POINTS."""
    if not live:
        return MAX_DRAWN_POINTS
    return max(400, min(MAX_DRAWN_POINTS, 2 * int(plot.getViewBox().width())))


def curve_style(pen, live: bool) -> dict:
    """``setData`` keywords for a curve drawn with ``pen``: while live a 1-pixel copy without antialiasing (a
    2-pixel line of a thousand noisy points costs ~20× a 1-pixel one to stroke), else ``pen`` antialiased as
    configured."""
    if not live:
        return {"pen": pen, "antialias": pg.getConfigOption("antialias")}
    thin = QPen(pen)
    thin.setWidthF(1.0)
    thin.setCosmetic(True)
    return {"pen": thin, "antialias": False}


class LiveRanges:
    """Axes that stop auto-ranging while a run is live and only grow, with headroom, when the data leaves them.

    ``axes``: (plot, axis) pairs, axis 0 = x, 1 = y; axes that do not auto-range (a fixed accuracy range, a range
    the user zoomed to) are left alone. The panel calls ``update(live)`` after each redraw: the first live one
    holds the axes, the next ones grow them, the first one after the run stops gives them back to auto-range
    (which fits the data again). Switching in the redraws, not when the state changes, keeps that work off the
    moment Play is pressed or the run ends. Data bounds are the view box's children bounds — what auto-range itself
    would fit — in view coordinates (log₁₀ on a log axis). ``limit(axis)`` may give the widest range worth showing
    (the run's steps), or None.
    """

    def __init__(self, axes: list[tuple[pg.PlotItem, int]], headroom: tuple[float, float] = LIVE_HEADROOM,
                 limit: Callable[[int], tuple[float, float] | None] | None = None) -> None:
        self._axes = axes
        self._headroom = headroom
        self._limit = limit
        self._held: list[tuple[pg.ViewBox, int]] = []
        self._holding = False
        for vb in {id(plot.getViewBox()): plot.getViewBox() for plot, _axis in axes}.values():
            vb.sigRangeChangedManually.connect(partial(self._user_ranged, vb))

    def held(self) -> list[tuple[pg.ViewBox, int]]:
        return list(self._held)

    def update(self, live: bool) -> None:
        """After a redraw: hold the axes (the first one while live) and grow them, or release them."""
        if live:
            if not self._holding:
                self._holding = True
                self._held = []
                for plot, axis in self._axes:
                    vb = plot.getViewBox()
                    if plot.isVisible() and vb.autoRangeEnabled()[axis]:
                        vb.enableAutoRange(axis=axis, enable=False)
                        self._held.append((vb, axis))
            self._follow()
        elif self._holding:
            self._holding = False
            held, self._held = self._held, []
            for vb, axis in held:
                vb.enableAutoRange(axis=axis, enable=True)

    def _follow(self) -> None:
        """Grow each held axis the newest data has left (see loss_panel.live_range)."""
        for vb, axis in self._held:
            if vb.autoRangeEnabled()[axis]:  # a log-mode switch turns auto-range back on
                vb.enableAutoRange(axis=axis, enable=False)
            bounds = vb.childrenBounds()[axis]
            if bounds is None:
                continue
            data = (float(bounds[0]), float(bounds[1]))
            v0, v1 = vb.viewRange()[axis]
            slack = _SLACK * (v1 - v0)  # the bounds include the curves' pixel padding, which drifts with the range
            target = live_range((v0 - slack, v1 + slack), data, self._headroom[axis])
            if target is None:
                continue
            limit = self._limit(axis) if self._limit is not None else None
            lo, hi = v0, v1  # the sides the data did not cross stay where they were
            if target[0] < v0 - slack:  # no headroom past the limit, but always the whole data
                lo = target[0] if limit is None else max(target[0], min(limit[0], data[0]))
            if target[1] > v1 + slack:
                hi = target[1] if limit is None else min(target[1], max(limit[1], data[1]))
            vb.setRange(**{"xRange" if axis == 0 else "yRange": (lo, hi)}, padding=0.0)

    def _user_ranged(self, vb: pg.ViewBox, *_args) -> None:
        self._held = [(v, a) for v, a in self._held if v is not vb]  # zoomed or panned: that range is the user's
