"""Loss and accuracy of a training run: the noisy loss of every mini-batch (with an optional moving average on
top), the train/test loss at each epoch end, and below it the train/test accuracy.

Presentation only: the numbers come from the TrainingRunModel. The moving average is display smoothing (like
TensorBoard's slider), computed here incrementally — each redraw only smooths the rows added since the last one —
and redraws are coalesced to one per frame by the RedrawScheduler, however fast batches arrive. While the run
trains (see live_redraw) they come ~10 times a second, in thin lines without antialiasing, and the axes only grow
with headroom instead of fitting the data every frame; pausing or finishing draws the curves smooth and fits the
axes again.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget
import pyqtgraph as pg

from gdstudio.views import palette
from gdstudio.views.loss_panel import peak_decimate
from gdstudio.views.live_redraw import (
    LIVE_INTERVAL_MS,
    LiveRanges,
    LiveRedrawScheduler,
    curve_style,
    drawn_points,
    step_axis_limit,
)
from gdstudio.views.widgets import LogYSwitch, RetranslateOnLanguageChange, cache_painting, log_y_shown

__all__ = ["SMOOTHING_STEPS", "TrainingLossPanel", "ema"]

SMOOTHING_STEPS = 100
"""The smoothing slider runs from 0 (off) to SMOOTHING_STEPS; its value / 100 is the EMA weight α (≤ 0.99)."""
_MAX_ALPHA = 0.99
_MARKER_EPOCHS = 60
"""Up to this many epoch rows are drawn with markers; more would only blur the line."""

BATCH_COLOR = (170, 190, 215)
SMOOTH_COLOR = palette.CURVE
TRAIN_COLOR = palette.CATEGORICAL[5]  # vermillion
TEST_COLOR = palette.CATEGORICAL[2]  # bluish green


def ema(values: np.ndarray, alpha: float, previous: float | None = None) -> np.ndarray:
    """Exponential moving average y_t = α·y_{t−1} + (1 − α)·x_t, starting at y_0 = x_0 (or continuing from
    ``previous``). Vectorised: within a chunk, y_t = α^(t+1)·(y_{−1} + (1 − α)·Σ_{k≤t} α^(−k−1)·x_k), with the
    chunk short enough that α^(−k) stays far from overflow; non-finite values propagate, as the recursion would.
    """
    x = np.asarray(values, dtype=np.float64)
    n = x.size
    out = np.empty(n)
    if n == 0:
        return out
    if alpha <= 0.0:
        out[:] = x
        return out
    alpha = min(float(alpha), _MAX_ALPHA)
    chunk = max(1, int(200.0 / -math.log(alpha)))  # α^(−chunk) ≤ e^200
    state = x[0] if previous is None else float(previous)
    for start in range(0, n, chunk):
        xs = x[start : start + chunk]
        k = np.arange(1, xs.size + 1, dtype=np.float64)
        grow = alpha ** (-k)
        with np.errstate(all="ignore"):
            ys = (state + (1.0 - alpha) * np.cumsum(grow * xs)) / grow
        out[start : start + xs.size] = ys
        state = ys[-1]
    return out


class _Smoother:
    """The EMA of the batch losses, extended by the new rows only (recomputed when α changes or rows vanish)."""

    def __init__(self) -> None:
        self.alpha = -1.0
        self.values = np.empty(0)

    def update(self, losses: np.ndarray, alpha: float) -> np.ndarray:
        n, have = len(losses), len(self.values)
        if alpha != self.alpha or n < have:
            self.values = ema(losses, alpha)
        elif n > have:
            previous = self.values[-1] if have else None
            self.values = np.concatenate([self.values, ema(losses[have:], alpha, previous)])
        self.alpha = alpha
        return self.values


def _finite_or_nan(values: np.ndarray) -> np.ndarray:
    """Float copy with ±inf as nan: an overflowing loss leaves a gap, which is the honest picture."""
    out = np.array(values, dtype=np.float64)
    out[~np.isfinite(out)] = np.nan
    return out


class TrainingLossPanel(RetranslateOnLanguageChange, LogYSwitch, QWidget):
    """Loss per step and per epoch (top), accuracy per epoch (bottom, classification only), sharing the x axis."""

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self._log_requested = False
        self._smoother = _Smoother()
        self._pens: dict[pg.PlotDataItem, object] = {}  # each curve's pen when the run is not live

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground("w")
        self.loss_plot: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.accuracy_plot: pg.PlotItem = self.graphics.addPlot(row=1, col=0)
        self.accuracy_plot.setXLink(self.loss_plot)
        self.accuracy_plot.setYRange(-0.06, 1.06, padding=0)
        self.accuracy_plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0.0, 0.5, 1.0)],
                                                     [(v, "") for v in (0.25, 0.75)]])
        self.accuracy_plot.getViewBox().setMouseEnabled(x=True, y=False)
        self.graphics.ci.layout.setRowStretchFactor(0, 3)
        self.graphics.ci.layout.setRowStretchFactor(1, 2)
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.getAxis("left").setWidth(52)  # both plots' axes line up
            # no grid: pyqtgraph's grid lines cost ~3× the curves per repaint, taken from the training thread (GIL)
        self.loss_legend = self.loss_plot.addLegend(offset=(-10, 10), labelTextColor="k",
                                                    brush=(255, 255, 255, 210))
        self.accuracy_legend = self.accuracy_plot.addLegend(offset=(-10, -10), labelTextColor="k",
                                                            brush=(255, 255, 255, 210))

        self.batch_item = self._curve(self.loss_plot, pg.mkPen(BATCH_COLOR, width=1))
        self.smooth_item = self._curve(self.loss_plot, pg.mkPen(SMOOTH_COLOR, width=2))
        self.train_item = self._curve(self.loss_plot, pg.mkPen(TRAIN_COLOR, width=2), TRAIN_COLOR)
        self.test_item = self._curve(self.loss_plot, pg.mkPen(TEST_COLOR, width=2, style=Qt.PenStyle.DashLine),
                                     TEST_COLOR)
        self.train_accuracy_item = self._curve(self.accuracy_plot, pg.mkPen(TRAIN_COLOR, width=2), TRAIN_COLOR)
        self.test_accuracy_item = self._curve(
            self.accuracy_plot, pg.mkPen(TEST_COLOR, width=2, style=Qt.PenStyle.DashLine), TEST_COLOR)

        self.log_check = QCheckBox(self)
        self.log_check.setObjectName("log_y_check")
        self.log_check.toggled.connect(self.set_log_y)
        self.smoothing_label = QLabel(self)
        self.smoothing_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.smoothing_slider.setObjectName("smoothing_slider")
        self.smoothing_slider.setRange(0, SMOOTHING_STEPS)
        self.smoothing_slider.setValue(60)
        self.smoothing_slider.setMaximumWidth(160)
        self.smoothing_slider.valueChanged.connect(self._smoothing_changed)
        self.smoothing_value = QLabel(self)
        self.smoothing_value.setMinimumWidth(self.smoothing_value.fontMetrics().horizontalAdvance("0.00") + 4)
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #666;")
        self.note_label.hide()

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 0, 6, 0)
        bar.addWidget(self.log_check)
        bar.addSpacing(12)
        bar.addWidget(self.smoothing_label)
        bar.addWidget(self.smoothing_slider)
        bar.addWidget(self.smoothing_value)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.graphics, 1)
        layout.addLayout(bar)
        layout.addWidget(self.note_label)

        self._ranges = LiveRanges([(self.loss_plot, 0), (self.loss_plot, 1), (self.accuracy_plot, 1)],
                                  limit=step_axis_limit(run_model))
        self._scheduler = LiveRedrawScheduler(self._redraw, self, live_interval_ms=LIVE_INTERVAL_MS["loss"],
                                              run_model=run_model, on_live=self._live_changed)
        run_model.cleared.connect(self._everything_changed)
        run_model.began.connect(self._everything_changed)
        run_model.appended.connect(self._steps_changed)
        run_model.epochsAppended.connect(self._epochs_changed)
        self._scheduler.mark("steps", "epochs", "layout", "axes")
        self.retranslate_ui()
        self.flush()

    def _curve(self, plot: pg.PlotItem, pen, symbol_color=None) -> pg.PlotDataItem:
        item = pg.PlotDataItem(pen=pen, connect="finite")
        self._pens[item] = pen
        if symbol_color is None:
            item.setDownsampling(auto=True, method="peak")  # on top of peak_decimate, when zoomed out further
            item.setClipToView(True)
        else:
            item.setSymbolBrush(pg.mkBrush(symbol_color))
            item.setSymbolPen(pg.mkPen("w", width=0.5))
            item.setSymbolSize(5)
        plot.addItem(item)
        return item

    # -- texts -----------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.loss_plot.setLabel("left", self.tr("loss"))
        self.accuracy_plot.setLabel("left", self.tr("accuracy"))
        self.accuracy_plot.setLabel("bottom", self.tr("step"))
        self.log_check.setText(self.tr("Log scale"))
        self.log_check.setToolTip(self.tr("Logarithmic loss axis: steady progress becomes a straight line."))
        self.smoothing_label.setText(self.tr("Smoothing"))
        self.smoothing_slider.setToolTip(
            self.tr("Moving average of the batch loss: each point is α × the previous one + (1 − α) × the new loss."))
        self.loss_legend.clear()
        for item, text in ((self.batch_item, self.tr("batch loss")), (self.smooth_item, self.tr("smoothed")),
                           (self.train_item, self.tr("train loss")), (self.test_item, self.tr("test loss"))):
            self.loss_legend.addItem(item, text)
        self.accuracy_legend.clear()
        for item, text in ((self.train_accuracy_item, self.tr("train accuracy")),
                           (self.test_accuracy_item, self.tr("test accuracy"))):
            self.accuracy_legend.addItem(item, text)
        cache_painting(self.loss_legend, self.accuracy_legend,
                       *(plot.getAxis(name) for plot in (self.loss_plot, self.accuracy_plot)
                         for name in ("left", "bottom")))
        self._show_smoothing_value()
        self._scheduler.mark("axes")

    # -- public API ------------------------------------------------------------------------------------------
    def log_y_effective(self) -> bool:
        """Whether the loss axis is logarithmic now (asked for with ``set_log_y``; linear while a loss is ≤ 0)."""
        return log_y_shown(self.loss_plot)

    def smoothing(self) -> float:
        """The EMA weight α (0 = off)."""
        return min(self.smoothing_slider.value() / SMOOTHING_STEPS, _MAX_ALPHA)

    def set_smoothing(self, alpha: float) -> None:
        self.smoothing_slider.setValue(round(min(max(alpha, 0.0), _MAX_ALPHA) * SMOOTHING_STEPS))

    def flush(self) -> None:
        """Redraw now whatever changed (normally the 60 Hz scheduler does it)."""
        self._scheduler.flush()

    def antialiased(self) -> bool:
        """Whether the curves are drawn antialiased (not while the run trains)."""
        return bool(self.batch_item.opts["antialias"])

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._scheduler.stop()
        super().closeEvent(event)

    # -- model signals ---------------------------------------------------------------------------------------
    def _everything_changed(self, *_args) -> None:
        self._scheduler.mark("steps", "epochs", "layout", "axes")

    def _steps_changed(self, *_args) -> None:
        self._scheduler.mark("steps", "axes")

    def _epochs_changed(self) -> None:
        self._scheduler.mark("epochs", "axes")

    def _live_changed(self, _live: bool) -> None:
        self._scheduler.mark("steps", "epochs", "axes")  # line style and axis ranges follow

    def _smoothing_changed(self, _value: int) -> None:
        self._show_smoothing_value()
        self._scheduler.mark("steps")

    def _show_smoothing_value(self) -> None:
        alpha = self.smoothing()
        self.smoothing_value.setText(f"{alpha:.2f}" if alpha > 0 else self.tr("off"))

    # -- drawing ---------------------------------------------------------------------------------------------
    def _redraw(self, dirty: set[str]) -> None:
        if "layout" in dirty:
            self._draw_layout()
        if "steps" in dirty:
            self._draw_steps()
        if "epochs" in dirty:
            self._draw_epochs()
        if "axes" in dirty:
            self._apply_log()
        self._ranges.update(self._scheduler.live())

    def _draw_layout(self) -> None:
        info = self.run_model.info
        classification = info is None or info.task == "classification"
        self.accuracy_plot.setVisible(classification)
        self.loss_plot.getAxis("bottom").setStyle(showValues=not classification)
        self.loss_plot.setLabel("bottom", "" if classification else self.tr("step"))

    def _draw_steps(self) -> None:
        run = self.run_model
        if run.count == 0:
            self.batch_item.setData([], [])
            self.smooth_item.setData([], [])
            self._smoother = _Smoother()
            return
        steps = np.asarray(run.steps, dtype=np.float64)
        losses = _finite_or_nan(run.batch_losses)
        live = self._scheduler.live()
        limit = drawn_points(self.loss_plot, live)
        self.batch_item.setData(*peak_decimate(steps, losses, limit), **curve_style(self._pens[self.batch_item], live))
        alpha = self.smoothing()
        self.smooth_item.setVisible(alpha > 0)
        if alpha > 0:
            self.smooth_item.setData(*peak_decimate(steps, self._smoother.update(losses, alpha), limit),
                                     **curve_style(self._pens[self.smooth_item], live))

    def _draw_epochs(self) -> None:
        run = self.run_model
        x = np.asarray(run.epoch_steps, dtype=np.float64)
        markers = "o" if 0 < run.epoch_count <= _MARKER_EPOCHS else None
        live = self._scheduler.live()
        limit = drawn_points(self.loss_plot, live)
        for item, values in ((self.train_item, run.train_loss), (self.test_item, run.test_loss),
                             (self.train_accuracy_item, run.train_accuracy),
                             (self.test_accuracy_item, run.test_accuracy)):
            y = _finite_or_nan(values)
            if item.opts["symbol"] != markers:
                item.setSymbol(markers)
            item.setData(*peak_decimate(x, y, limit), **curve_style(self._pens[item], live))
            item.setVisible(bool(np.isfinite(y).any()) if y.size else True)

    def _apply_log(self) -> None:
        run = self.run_model
        shown = [a[np.isfinite(a)] for a in (_finite_or_nan(run.batch_losses), _finite_or_nan(run.train_loss),
                                              _finite_or_nan(run.test_loss))]
        positive = all(a.size == 0 or a.min() > 0 for a in shown)
        log = self._log_requested and positive
        self.loss_plot.setLogMode(x=False, y=log)
        if self._log_requested and not positive:
            self.note_label.setText(self.tr("A loss of 0 cannot be drawn on a log scale, so the axis stays linear."))
            self.note_label.show()
        else:
            self.note_label.hide()
