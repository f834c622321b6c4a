"""f and |∇f| against the step number: how fast (and whether) descent is making progress.

Log-y makes geometric convergence a straight line, but a logarithm cannot show f ≤ 0 (book1d's minimum is
−0.25) or an exactly vanishing gradient, so each plot falls back to a linear axis on its own and says why.
A vertical line marks the cursor step; dragging it scrubs the run (intent sent back to RunModel.set_cursor).

While a run is going the axes stop auto-ranging on every frame: laying out tick labels costs more than drawing the
curves, so a range only grows, with headroom, when the data leaves it (live_range). While it streams in flat out
(see RedrawScheduler) the panel also redraws less often and the curves lose their antialiasing (costly, and
invisible in motion). Pausing or finishing redraws the curves antialiased and fits the axes to the data again.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
import pyqtgraph as pg

from gdstudio.views import palette
from gdstudio.views.widgets import (LogYSwitch, RedrawScheduler, RetranslateOnLanguageChange, cache_painting,
                                   log_y_shown)

__all__ = ["LIVE_HEADROOM", "MAX_DRAWN_POINTS", "LossPanel", "live_range", "peak_decimate"]


def _display(values) -> np.ndarray:
    """Float copy with ±inf as nan: diverged runs overflow, and a gap is the honest picture of that."""
    out = np.array(values, dtype=float)
    out[~np.isfinite(out)] = np.nan
    return out


MAX_DRAWN_POINTS = 4000
"""A curve longer than this is drawn as the minimum and maximum of each of MAX_DRAWN_POINTS/2 buckets: a screen
is a few thousand pixels wide, and keeping both extremes keeps every spike (oscillation, divergence) visible."""


def peak_decimate(x: np.ndarray, y: np.ndarray, limit: int = MAX_DRAWN_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) unchanged when short; else per bucket (first x, min y), (middle x, max y), plus the newest point.

    fmin/fmax skip nan (gaps) without warnings; a bucket that is all nan stays a gap.
    """
    n = len(y)
    if n <= limit:
        return x, y
    size = -(-n // (limit // 2))  # ceil
    m = (n // size) * size
    yb = y[:m].reshape(-1, size)
    xb = x[:m].reshape(-1, size)
    xs = np.column_stack([xb[:, 0], xb[:, size // 2]]).ravel()
    ys = np.column_stack([np.fmin.reduce(yb, axis=1), np.fmax.reduce(yb, axis=1)]).ravel()
    return np.concatenate([xs, x[m:], x[-1:]]), np.concatenate([ys, y[m:], y[-1:]])


LIVE_HEADROOM = (0.5, 0.1)
"""While a run is going, how far past the data (in spans of the data) the step axis and the f and |∇f| axes grow
when the data leaves them: the step axis then changes about fifteen times in a run of 200 000 steps."""


def live_range(view: tuple[float, float], data: tuple[float, float], headroom: float) -> tuple[float, float] | None:
    """The range a live axis should move to, or None while ``data`` still fits in ``view``.

    A side the data crossed moves past it by ``headroom`` times the data's span; the other side stays.
    """
    lo, hi = data
    v0, v1 = view
    if v0 <= lo and hi <= v1:
        return None
    margin = headroom * ((hi - lo) or max(abs(hi), 1.0))
    return (lo - margin if lo < v0 else v0), (hi + margin if hi > v1 else v1)


def _view_span(values: np.ndarray, log: bool) -> tuple[float, float] | None:
    """(min, max) of the finite values in view coordinates (log₁₀ on a log axis), None if there are none."""
    v = values[np.isfinite(values)]
    if log:
        v = np.log10(v[v > 0])
    return (float(v.min()), float(v.max())) if v.size else None


def _loggable(arrays: list[np.ndarray]) -> bool:
    """Whether every finite value is > 0 (nan gaps are fine on a log axis, zeros and negatives are not)."""
    for a in arrays:
        finite = a[np.isfinite(a)]
        if finite.size and finite.min() <= 0:
            return False
    return True


class LossPanel(RetranslateOnLanguageChange, LogYSwitch, QWidget):
    """Two stacked plots sharing the step axis: f (top) and |∇f| (bottom)."""

    def __init__(self, run_model, compare_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self.compare_model = compare_model
        self._log_requested = False
        self._compare_key: tuple = ()

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground("w")
        self.value_plot: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.grad_plot: pg.PlotItem = self.graphics.addPlot(row=1, col=0)
        self.grad_plot.setXLink(self.value_plot)
        self.value_plot.getAxis("bottom").setStyle(showValues=False)
        for plot in (self.value_plot, self.grad_plot):
            plot.getAxis("left").enableAutoSIPrefix(False)  # "(x0.001)" beside a log axis only confuses
            # Set on the plot, not the curves: PlotItem.addItem imposes the plot's modes on every curve added.
            # On top of peak_decimate, each curve keeps the min and max per pixel column of the visible range
            # (see _curve) and, once the user has zoomed in, only the visible part.
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
        self.legend = self.value_plot.addLegend(offset=(-10, 10), labelTextColor="k", brush=(255, 255, 255, 200))
        # axes and legend from pixmaps: each redraw of a streaming run repaints the plots they overlap
        cache_painting(self.legend, *(plot.getAxis(name) for plot in (self.value_plot, self.grad_plot)
                                      for name in ("left", "bottom")))

        self.value_item = self._curve(self.value_plot, palette.TRAJECTORY)
        self.grad_item = self._curve(self.grad_plot, palette.TRAJECTORY)
        self.compare_items: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self.cursor_lines: list[pg.InfiniteLine] = []
        for plot in (self.value_plot, self.grad_plot):
            line = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen(palette.CURSOR_LINE, width=2),
                                   hoverPen=pg.mkPen(palette.TRAJECTORY, width=3))
            line.setZValue(10)
            line.sigDragged.connect(self._cursor_dragged)
            plot.addItem(line, ignoreBounds=True)
            self.cursor_lines.append(line)

        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #666;")
        self.note_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.note_label)

        self._scheduler = RedrawScheduler(self._redraw, self)
        self._running = False
        self._grown: list[tuple[pg.PlotItem, int]] = []  # (plot, axis) grown by _follow_data while running
        for plot in (self.value_plot, self.grad_plot):
            plot.vb.sigRangeChangedManually.connect(self._user_ranged)
        run_model.cleared.connect(self._run_changed)
        run_model.appended.connect(self._rows_appended)
        run_model.cursorChanged.connect(self._cursor_changed)
        run_model.stateChanged.connect(self._state_changed)
        compare_model.cleared.connect(self._compare_changed)
        compare_model.updated.connect(self._compare_changed)
        self._state_changed(getattr(run_model, "state", "idle"))
        self._scheduler.mark("run", "compare", "cursor")
        self.flush()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.value_plot.setLabel("left", self.tr("f"))
        self.grad_plot.setLabel("left", self.tr("|∇f|"))
        self.grad_plot.setLabel("bottom", self.tr("step"))
        self._apply_log()

    @staticmethod
    def _curve(plot: pg.PlotItem, color) -> pg.PlotDataItem:
        # autoDownsampleFactor 1 with 'peak': one min/max pair per pixel column, twice the pixel width in points
        item = pg.PlotDataItem(pen=pg.mkPen(color, width=2), connect="finite", autoDownsampleFactor=1.0)
        plot.addItem(item)
        return item

    # -- public API ------------------------------------------------------------------------------------------
    def log_y_effective(self) -> tuple[bool, bool]:
        """Whether the f plot and the |∇f| plot are actually logarithmic now (each falls back on its own)."""
        return log_y_shown(self.value_plot), log_y_shown(self.grad_plot)

    def antialiased(self) -> bool:
        """Whether the run's curves are drawn antialiased (not while a run streams in flat out)."""
        return bool(self.value_item.opts["antialias"])

    def flush(self) -> None:
        """Redraw now whatever changed (normally a 60 Hz timer does it), ranges included: pyqtgraph fits them
        just before painting, and until then the |∇f| plot, which follows the f plot's steps, clips its curve
        to the old range."""
        self._scheduler.flush()
        for plot in (self.value_plot, self.grad_plot):
            plot.vb.prepareForPaint()

    # -- model signals ---------------------------------------------------------------------------------------
    def _run_changed(self, *_args) -> None:
        self._scheduler.mark("run", "cursor", "axes")

    def _rows_appended(self, start: int, stop: int) -> None:
        self._scheduler.note_rows(stop - start)
        self._scheduler.mark("run", "cursor", "axes")

    def _cursor_changed(self, *_args) -> None:
        self._scheduler.mark("cursor")

    def _state_changed(self, state: str) -> None:
        running = state == "running"
        if running != self._running:
            self._running = running
            self._hold_ranges(running)
        self._scheduler.set_running(running)
        self._scheduler.mark("run")  # antialiasing follows

    def _hold_ranges(self, running: bool) -> None:
        """A run starts: stop auto-ranging the axes that do (not those the user zoomed); it stops: resume."""
        x, y = pg.ViewBox.XAxis, pg.ViewBox.YAxis
        if running:  # the step axis is shared: the f plot's carries the |∇f| plot's
            candidates = ((self.value_plot, x), (self.value_plot, y), (self.grad_plot, y))
            self._grown = [(plot, axis) for plot, axis in candidates if plot.vb.autoRangeEnabled()[axis]]
            for plot, axis in self._grown:
                plot.vb.enableAutoRange(axis=axis, enable=False)
        else:
            grown, self._grown = self._grown, []
            for plot, axis in grown:
                plot.vb.enableAutoRange(axis=axis, enable=True)

    def _user_ranged(self, *_args) -> None:
        self._grown = []  # the user zoomed or panned: the ranges are theirs now

    def _compare_changed(self) -> None:
        self._scheduler.mark("compare", "run", "axes")

    def _cursor_dragged(self, line: pg.InfiniteLine) -> None:
        run = self.run_model
        if run.count == 0:
            return
        steps = np.asarray(run.steps)
        index = int(np.clip(np.searchsorted(steps, line.value()), 0, run.count - 1))
        if index > 0 and abs(steps[index - 1] - line.value()) < abs(steps[index] - line.value()):
            index -= 1
        run.set_cursor(index)

    # -- drawing ---------------------------------------------------------------------------------------------
    def _compare_active(self) -> bool:
        return bool(getattr(self.compare_model, "active", False)) and len(self.compare_model.labels) > 0

    def _redraw(self, dirty: set[str]) -> None:
        if "compare" in dirty:
            self._draw_compare()
        if "run" in dirty:
            self._draw_run()
        if "cursor" in dirty:
            self._draw_cursor()
        if dirty & {"axes", "run", "compare"}:
            self._apply_log()
            if self._grown:
                self._follow_data()

    def _follow_data(self) -> None:
        """Grow the held ranges that the newest data has left (see live_range)."""
        for plot, axis in self._grown:
            vb = plot.vb
            if vb.autoRangeEnabled()[axis]:  # a log-mode switch turns auto-range back on
                vb.enableAutoRange(axis=axis, enable=False)
            x, y = (self.value_item if plot is self.value_plot else self.grad_item).getOriginalDataset()
            if x is None or not len(x):
                continue
            if axis == pg.ViewBox.XAxis:
                span = _view_span(x[[0, -1]], False)
            else:
                span = _view_span(y, plot.ctrl.logYCheck.isChecked())
            target = None if span is None else live_range(tuple(vb.viewRange()[axis]), span, LIVE_HEADROOM[axis])
            if target is not None:
                vb.setRange(**{"xRange" if axis == pg.ViewBox.XAxis else "yRange": target}, padding=0.0)

    def _draw_run(self) -> None:
        run = self.run_model
        single = not self._compare_active()
        self.value_item.setVisible(single)
        self.grad_item.setVisible(single)
        if run.count == 0 or not single:
            self.value_item.setData([], [])
            self.grad_item.setData([], [])
            return
        steps = np.asarray(run.steps, dtype=float)
        smooth = not self._scheduler.streaming()
        self.value_item.setData(*peak_decimate(steps, _display(run.values)), antialias=smooth)
        self.grad_item.setData(*peak_decimate(steps, _display(run.grad_norms)), antialias=smooth)

    def _draw_cursor(self) -> None:
        run = self.run_model
        show = run.count > 0 and not self._compare_active()
        for line in self.cursor_lines:
            line.setVisible(show)
            if show:
                line.setValue(float(run.steps[min(max(int(run.cursor), 0), run.count - 1)]))

    def _draw_compare(self) -> None:
        model = self.compare_model
        n = len(model.labels) if self._compare_active() else 0
        while len(self.compare_items) > n:
            value_item, grad_item = self.compare_items.pop()
            self.value_plot.removeItem(value_item)
            self.grad_plot.removeItem(grad_item)
        while len(self.compare_items) < n:
            self.compare_items.append((self._curve(self.value_plot, palette.series_color(0)),
                                       self._curve(self.grad_plot, palette.series_color(0))))
        colors = [tuple(c) for c in getattr(model, "colors", [])] + [palette.series_color(i) for i in range(n)]
        key = tuple((model.labels[i], colors[i]) for i in range(n))
        if key != self._compare_key:
            self.legend.clear()
            for (value_item, grad_item), (label, color) in zip(self.compare_items, key):
                value_item.setPen(pg.mkPen(color, width=2))
                grad_item.setPen(pg.mkPen(color, width=2))
                self.legend.addItem(value_item, label)
            self._compare_key = key
        self.legend.setVisible(n > 0)
        if n == 0:
            return
        values = _display(model.values)
        grad_norms = _display(model.grad_norms)
        steps = np.asarray(model.steps, dtype=float)
        for i, (value_item, grad_item) in enumerate(self.compare_items):
            value_item.setData(*peak_decimate(steps, values[:, i]))
            grad_item.setData(*peak_decimate(steps, grad_norms[:, i]))

    def _shown_data(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The y data of the curves on show: decimated, but every bucket keeps its minimum, so whether the data
        can go on a log axis is the same question as for the whole run (and far cheaper to answer)."""
        pairs = self.compare_items if self._compare_active() else [(self.value_item, self.grad_item)]
        values = [value_item.getOriginalDataset()[1] for value_item, _ in pairs]
        grads = [grad_item.getOriginalDataset()[1] for _, grad_item in pairs]
        return [y for y in values if y is not None], [y for y in grads if y is not None]

    def _apply_log(self) -> None:
        values, grads = self._shown_data()
        log_value = self._log_requested and _loggable(values)
        log_grad = self._log_requested and _loggable(grads)
        self.value_plot.setLogMode(x=False, y=log_value)
        self.grad_plot.setLogMode(x=False, y=log_grad)
        notes = []
        if self._log_requested and not log_value:
            notes.append(self.tr("f takes values ≤ 0, so its axis stays linear."))
        if self._log_requested and not log_grad:
            notes.append(self.tr("|∇f| reaches 0, so its axis stays linear."))
        self.note_label.setText(" ".join(notes))
        self.note_label.setVisible(bool(notes))
