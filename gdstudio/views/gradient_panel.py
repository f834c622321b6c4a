"""How the gradient reaches each layer: ‖∇‖ per layer over the run, and histograms of one layer at the latest detail.

The curves answer "does every layer learn?" (a deep sigmoid net's first layers get gradients orders of magnitude
smaller: a fan of curves on the log axis); the histograms answer "why?" (saturated activations piled at 0 and 1,
weights too small or too large, dead ReLUs). Everything drawn arrives in the TrainingRunModel; binning samples into
a histogram is the only arithmetic here, and it is presentation. While the run trains the curves are redrawn ~5 times
a second in thin lines without antialiasing, on axes that only grow, and the histograms once a second (see
live_redraw).
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget
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
from gdstudio.views.widgets import (DeferWhileHidden, LogYSwitch, RetranslateOnLanguageChange, cache_painting,
                                   log_y_shown)

__all__ = ["HISTOGRAMS_SIDE_BY_SIDE_MIN_WIDTH", "HISTOGRAM_BINS", "GradientPanel", "histogram_range"]

HISTOGRAMS_SIDE_BY_SIDE_MIN_WIDTH = 480
"""Narrower than this (a side dock), the three histograms are stacked instead of squeezed side by side."""

HISTOGRAM_BINS = 40
"""Fixed bin count: enough to show two piles at 0 and 1 apart from a bump at 0.5, few enough for 2,000 samples."""

_NORM_AXIS_WIDTH = 58
"""Pixels of the ‖∇‖ axis: its name and labels such as 0.0001 or 1e-05."""

_BOUNDED = {"sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0), "step": (0.0, 1.0), "tanh": (-1.0, 1.0)}
"""Activations with a known range get that range as fixed bins, so a pile at a limit sits at the plot's edge."""


def _nice_ceil(value: float) -> float:
    """The next 1, 2, 2.5 or 5 × 10ᵏ at or above ``value`` (> 0): bin edges that do not jitter every frame."""
    exponent = math.floor(math.log10(value))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        limit = m * 10.0**exponent
        if limit >= value * (1 - 1e-12):
            return limit
    return 10.0 ** (exponent + 1)


def histogram_range(kind: str, finite: np.ndarray, activation: str = "") -> tuple[float, float]:
    """Bin range for a histogram of ``kind`` ("weights" | "grads" | "activations") over the finite samples.

    Weights and gradients: symmetric around 0 (the sign matters). Bounded activations: their whole range.
    Others: from the data, rounded outwards to a nice number. Always covers every finite sample.
    """
    if kind == "activations" and activation in _BOUNDED:
        return _BOUNDED[activation]
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    if kind == "activations" and lo >= 0.0:  # ReLU: a pile at 0 at the left edge
        return 0.0, _nice_ceil(hi) if hi > 0 else 1.0
    m = max(abs(lo), abs(hi))
    if m == 0.0:
        return -1.0, 1.0
    m = _nice_ceil(m)
    return -m, m


class _Placeholder(pg.TextItem):
    """A grey sentence centred in a plot's view box ("no gradients yet"), independent of the data range."""

    def __init__(self, plot: pg.PlotItem) -> None:
        super().__init__("", color=(120, 120, 120), anchor=(0.5, 0.5))
        self._vb = plot.getViewBox()
        self.setParentItem(self._vb)
        self.setZValue(20)
        self._vb.sigResized.connect(self._place)
        self._place()

    def _place(self, *_args) -> None:
        self.setPos(self._vb.rect().center())

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        self._place()


class _LogAxis(pg.AxisItem):
    """Log-axis labels in three levels — 10ᵏ; 2·10ᵏ and 5·10ᵏ; the other multiples — so a short plot drops the
    crowded last level. (pyqtgraph puts all nine multiples on one always-labelled level when the range spans
    less than about two decades, and in a side dock they print on top of each other.)"""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.setStyle(textFillLimits=[(0, 0.8), (2, 0.45), (4, 0.4), (6, 0.2)])

    def logTickValues(self, minVal, maxVal, size, stdTicks):  # noqa: N802, N803 (pyqtgraph override)
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        if len(ticks) != 1 or ticks[0][0] is not None:
            return ticks
        values = np.asarray(ticks[0][1], dtype=float)
        multiple = np.round(10.0 ** (values - np.floor(values + 1e-9)))
        levels = [values[multiple == 1], values[np.isin(multiple, (2, 5))], values[~np.isin(multiple, (1, 2, 5))]]
        return [(None, level.tolist()) for level in levels]


class GradientPanel(RetranslateOnLanguageChange, DeferWhileHidden, LogYSwitch, QWidget):
    """Top: ‖∇‖ of every layer against the step. Bottom: a layer chooser and that layer's three histograms."""

    HISTOGRAMS = ("weights", "grads", "activations")

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self._log_requested = True
        self._structure: tuple = ()
        self.norm_items: list[pg.PlotDataItem] = []
        self._norm_pens: list = []  # each layer's pen when the run is not live

        # -- top: norms --------------------------------------------------------------------------------------
        self.norm_widget = pg.GraphicsLayoutWidget(self)
        self.norm_widget.setBackground("w")
        self.norm_plot: pg.PlotItem = self.norm_widget.addPlot(row=0, col=0, axisItems={"left": _LogAxis("left")})
        self.norm_plot.getAxis("left").enableAutoSIPrefix(False)
        self.norm_plot.getAxis("left").setWidth(_NORM_AXIS_WIDTH)  # not as wide as its labels: a new label would
        # resize the plot, and a resize repaints the whole view (twice) on the GUI thread while the run trains
        self.norm_plot.showGrid(x=False, y=True, alpha=0.15)
        self.norm_placeholder = _Placeholder(self.norm_plot)

        self.log_check = QCheckBox(self)
        self.log_check.setChecked(True)
        self.log_check.toggled.connect(self.set_log_y)
        self.legend_label = QLabel(self)  # a line beside the switch: a legend inside the plot would hide curves
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.legend_label.setWordWrap(True)
        self.note_label = QLabel(self)
        self.note_label.setStyleSheet("color: #666;")
        self.note_label.setWordWrap(True)

        # -- bottom: one layer ---------------------------------------------------------------------------------
        self.layer_label = QLabel(self)
        self.layer_combo = QComboBox(self)
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_combo.setMinimumContentsLength(16)
        self.layer_combo.currentIndexChanged.connect(self._layer_chosen)
        self.step_label = QLabel(self)
        self.dead_label = QLabel(self)
        self.dead_label.setWordWrap(True)
        self.dead_label.setTextFormat(Qt.TextFormat.RichText)

        self.hist_widget = pg.GraphicsLayoutWidget(self)
        self.hist_widget.setBackground("w")
        self.hist_plots: dict[str, pg.PlotItem] = {}
        self.hist_items: dict[str, pg.PlotDataItem] = {}
        self.hist_placeholders: dict[str, _Placeholder] = {}
        for col, kind in enumerate(self.HISTOGRAMS):
            plot = self.hist_widget.addPlot(row=0, col=col)
            plot.getAxis("left").enableAutoSIPrefix(False)
            plot.getAxis("bottom").enableAutoSIPrefix(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.getAxis("left").setWidth(36)
            item = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=pg.mkPen((90, 90, 90), width=1))
            plot.addItem(item)
            self.hist_plots[kind] = plot
            self.hist_items[kind] = item
            self.hist_placeholders[kind] = _Placeholder(plot)
        self._hist_columns = len(self.HISTOGRAMS)
        cache_painting(*(plot.getAxis(name) for plot in (self.norm_plot, *self.hist_plots.values())
                         for name in ("left", "bottom")))
        self.hist_counts: dict[str, np.ndarray] = {k: np.zeros(0, np.int64) for k in self.HISTOGRAMS}
        self.hist_excluded: dict[str, int] = {k: 0 for k in self.HISTOGRAMS}
        self._hist_titles: dict[str, str] = {}
        self._hist_colors: dict[str, tuple] = {}

        top_bar = QHBoxLayout()
        top_bar.addWidget(self.log_check)
        top_bar.addSpacing(12)
        top_bar.addWidget(self.legend_label, 1)
        layer_bar = QHBoxLayout()
        layer_bar.addWidget(self.layer_label)
        layer_bar.addWidget(self.layer_combo)
        layer_bar.addWidget(self.step_label)
        layer_bar.addStretch(1)
        for bar in (top_bar, layer_bar):
            bar.setContentsMargins(4, 2, 4, 0)
        for label in (self.note_label, self.dead_label):
            label.setContentsMargins(4, 0, 4, 0)
        layout = self._main_layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top_bar)
        layout.addWidget(self.note_label)
        layout.addWidget(self.norm_widget, 3)
        layout.addLayout(layer_bar)
        layout.addWidget(self.dead_label)
        layout.addWidget(self.hist_widget, 2)

        self._ranges = LiveRanges([(self.norm_plot, 0), (self.norm_plot, 1)], limit=step_axis_limit(run_model))
        self._scheduler = LiveRedrawScheduler(self._redraw_when_shown, self,
                                              live_interval_ms=LIVE_INTERVAL_MS["gradients"], run_model=run_model,
                                              on_live=self._live_changed,
                                              slow_parts={"detail": LIVE_INTERVAL_MS["histograms"]})
        run_model.cleared.connect(self._structure_changed)
        run_model.began.connect(self._structure_changed)
        run_model.appended.connect(self._rows_appended)
        run_model.detailChanged.connect(self._detail_changed)
        self.retranslate_ui()  # marks everything and draws

    # -- Qt plumbing -------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.log_check.setText(self.tr("Log scale"))
        self.log_check.setToolTip(self.tr("Logarithmic ‖∇‖ axis: a layer whose gradient is a thousand times smaller "
                                          "than the others' still shows as a curve, not as a line on zero."))
        self.layer_label.setText(self.tr("Histograms of"))
        self.norm_plot.setTitle(self.tr("Gradient norm ‖∂L/∂(W, b)‖ per layer"), color="k", size="10pt")
        self.norm_plot.setLabel("left", self.tr("‖∇‖"))
        self.norm_plot.setLabel("bottom", self.tr("step"))
        self._structure = ()  # legend and chooser texts are rebuilt in the new language
        self._scheduler.mark("structure", "norms", "detail", "axes")
        self.flush()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._scheduler.stop()
        super().closeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._arrange_histograms()

    def histogram_columns(self) -> int:
        """3 when the histograms sit side by side, 1 when they are stacked (a narrow panel)."""
        return self._hist_columns

    def _arrange_histograms(self) -> None:
        columns = len(self.HISTOGRAMS) if self.width() >= HISTOGRAMS_SIDE_BY_SIDE_MIN_WIDTH else 1
        if columns == self._hist_columns:
            return
        self._hist_columns = columns
        grid = self.hist_widget.ci
        for plot in self.hist_plots.values():
            grid.removeItem(plot)
        for k, kind in enumerate(self.HISTOGRAMS):
            grid.addItem(self.hist_plots[kind], row=0 if columns > 1 else k, col=k if columns > 1 else 0)
        stacked = columns == 1  # three rows need more of the height than one
        self._main_layout.setStretchFactor(self.norm_widget, 2 if stacked else 3)
        self._main_layout.setStretchFactor(self.hist_widget, 3 if stacked else 2)

    # -- public API --------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Redraw now whatever changed (normally a 60 Hz timer does it)."""
        self._flush_all()

    def log_y_effective(self) -> bool:
        """Whether the ‖∇‖ axis is logarithmic now (asked for by default; linear while a layer's norm is 0)."""
        return log_y_shown(self.norm_plot)

    def antialiased(self) -> bool:
        """Whether the norm curves are drawn antialiased (not while the run trains)."""
        return all(bool(item.opts["antialias"]) for item in self.norm_items)

    def chosen_layer(self) -> int:
        """0-based block index whose histograms are shown."""
        return max(self.layer_combo.currentIndex(), 0)

    def set_chosen_layer(self, index: int) -> None:
        self.layer_combo.setCurrentIndex(index)
        self.flush()

    # -- model signals -----------------------------------------------------------------------------------------
    def _structure_changed(self, *_args) -> None:
        self._scheduler.mark("structure", "norms", "detail", "axes")

    def _rows_appended(self, *_args) -> None:
        self._scheduler.mark("norms", "axes")

    def _detail_changed(self, *_args) -> None:
        self._scheduler.mark("detail")

    def _live_changed(self, live: bool) -> None:
        self._scheduler.mark("norms", "axes", *(() if live else ("detail",)))  # line style and ranges follow

    @Slot(int)
    def _layer_chosen(self, _index: int) -> None:
        self._scheduler.mark("detail")

    # -- drawing -----------------------------------------------------------------------------------------------
    def _layer_names(self) -> list[str]:
        info = self.run_model.info
        if info is None:
            return []
        return [self.tr("Layer %1").replace("%1", str(i + 1)) for i in range(len(info.layer_sizes) - 1)]

    def _redraw(self, dirty: set[str]) -> None:
        if "structure" in dirty:
            self._draw_structure()
        if "norms" in dirty:
            self._draw_norms()
        if dirty & {"norms", "axes"}:
            self._apply_log()
        if "detail" in dirty:
            self._draw_detail()
        if dirty & {"norms", "axes"}:
            self._ranges.update(self._scheduler.live())

    def _draw_structure(self) -> None:
        info = self.run_model.info
        names = self._layer_names()
        key = (tuple(names), tuple(info.activations), tuple(info.layer_sizes)) if info is not None else ()
        if key == self._structure:
            return
        self._structure = key
        n = len(names)
        while len(self.norm_items) > n:
            self.norm_plot.removeItem(self.norm_items.pop())
        while len(self.norm_items) < n:
            item = pg.PlotDataItem(connect="finite")
            item.setDownsampling(auto=True, method="peak")
            item.setClipToView(True)
            self.norm_plot.addItem(item)
            self.norm_items.append(item)
        entries = []
        self._norm_pens = []
        for i, (item, name) in enumerate(zip(self.norm_items, names)):
            color = palette.layer_color(i, n)
            self._norm_pens.append(pg.mkPen(color, width=2))
            item.setPen(self._norm_pens[-1])
            entries.append(f'<span style="white-space:nowrap"><span style="color:{palette.css(color)}">━━</span>'
                           f'&nbsp;{escape(name)}</span>')
        # a line may break only between two entries, and the label is never narrower than the widest one
        self.legend_label.setText("&nbsp;&nbsp; ".join(entries))
        metrics = self.legend_label.fontMetrics()
        self.legend_label.setMinimumWidth(max((metrics.horizontalAdvance(f"━━ {name}") for name in names), default=0)
                                          + 2 * metrics.horizontalAdvance(" "))
        previous = self.layer_combo.currentIndex()
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for i, name in enumerate(names):
            act = info.activations[i] if i < len(info.activations) else ""
            size = info.layer_sizes[i + 1]
            units = self.tr("1 unit") if size == 1 else self.tr("%1 units").replace("%1", str(size))
            text = self.tr("%1 (output, %2, %3)") if i == n - 1 else self.tr("%1 (%2, %3)")
            self.layer_combo.addItem(text.replace("%3", units).replace("%2", act).replace("%1", name))
        if n:
            self.layer_combo.setCurrentIndex(previous if 0 <= previous < n else 0)
        self.layer_combo.blockSignals(False)
        self.layer_combo.setEnabled(n > 0)

    def _draw_norms(self) -> None:
        model = self.run_model
        norms = np.asarray(model.grad_norms) if model.info is not None else np.zeros((0, 0))
        steps = np.asarray(model.norm_steps, dtype=float) if model.info is not None else np.zeros(0)
        rows = len(steps)
        live = self._scheduler.live()
        limit = drawn_points(self.norm_plot, live)
        for i, item in enumerate(self.norm_items):
            if rows and norms.ndim == 2 and i < norms.shape[1]:
                column = norms[:, i]
                column = np.where(np.isfinite(column), column, np.nan)  # an overflowed norm is a gap, not a spike
                item.setData(*peak_decimate(steps, column, limit), **curve_style(self._norm_pens[i], live))
            else:
                item.setData([], [])
        if model.info is None:
            text = self.tr("No run yet: press Play or Step.")
        elif rows == 0:
            text = self.tr("No gradients yet: the first step computes them.")
        else:
            text = ""
        self.norm_placeholder.show_text(text)

    def _apply_log(self) -> None:
        model = self.run_model
        loggable = True
        has_rows = model.info is not None and len(model.norm_steps) > 0
        if has_rows:
            norms = np.asarray(model.grad_norms, dtype=float)
            finite = norms[np.isfinite(norms)]
            loggable = not (finite.size and finite.min() <= 0)
        log = self._log_requested and loggable and has_rows  # an empty log axis shows stray 2…9 ticks
        self.norm_plot.setLogMode(x=False, y=log)
        note = ""
        if self._log_requested and not loggable:
            note = self.tr("A layer's gradient is exactly 0 (it gets no learning signal), so the axis stays linear.")
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))

    def _draw_detail(self) -> None:
        model = self.run_model
        info = model.info
        detail = model.detail if info is not None else None
        index = self.chosen_layer()
        layer = detail[index] if detail is not None and index < len(detail) else None
        n_layers = len(info.layer_sizes) - 1 if info is not None else 1
        color = palette.layer_color(index, n_layers)
        name = self.tr("Layer %1").replace("%1", str(index + 1))
        is_output = info is not None and index == n_layers - 1
        act = layer.activation if layer is not None else ""
        k = str(index + 1)
        if layer is None:
            titles = {"weights": self.tr("Weights"), "grads": self.tr("Gradients"),
                      "activations": self.tr("Activations")}
        else:
            titles = {
                "weights": self.tr("Weights W%1").replace("%1", k),
                "grads": self.tr("Gradients ∂L/∂W%1").replace("%1", k),
                "activations": (self.tr("Outputs y (%1)").replace("%1", act) if is_output
                                else self.tr("Activations h%1 (%2)").replace("%1", k).replace("%2", act)),
            }
        samples = {
            "weights": None if layer is None else layer.weights,
            "grads": None if layer is None else layer.grads,
            "activations": None if layer is None else layer.activations,
        }
        step = model.detail_step  # the step the samples were taken at
        self.step_label.setText(self.tr("at step %1").replace("%1", str(step))
                                if layer is not None and step is not None else "")
        for kind in self.HISTOGRAMS:
            self._draw_histogram(kind, samples[kind], act, color, titles[kind], layer is None)
        self._draw_dead(layer, name, info)

    def _draw_histogram(self, kind: str, values, activation: str, color, title: str, no_detail: bool) -> None:
        plot, item = self.hist_plots[kind], self.hist_items[kind]
        if values is None:
            item.setData([], [])
            self.hist_counts[kind] = np.zeros(0, np.int64)
            self.hist_excluded[kind] = 0
            self._set_title(kind, title)
            if no_detail:
                text = self.tr("No data yet")
            else:
                text = self.tr("Sampled before\nthe first step:\nno gradients yet")
            self.hist_placeholders[kind].show_text(text)
            return
        values = np.asarray(values, dtype=float).ravel()
        finite = values[np.isfinite(values)]
        lo, hi = histogram_range(kind, finite, activation)
        counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS, range=(lo, hi))
        self.hist_counts[kind] = counts
        self.hist_excluded[kind] = int(values.size - finite.size)
        if self._hist_colors.get(kind) != color:  # (each call re-lays out the item)
            self._hist_colors[kind] = color
            item.setBrush(pg.mkBrush(*color, 150))
            item.setPen(pg.mkPen(color, width=1))
        item.setData(edges, counts, antialias=not self._scheduler.live())
        plot.setXRange(lo, hi, padding=0.02)
        top = max(int(counts.max()) if counts.size else 1, 1)
        plot.setYRange(0, top, padding=0.05)
        axis = plot.getAxis("left")
        if top <= 8:  # counts are whole numbers: no 0.2 ticks for a layer of 8 weights
            axis.setTickSpacing(1 if top <= 3 else 2 if top <= 6 else 4, 1)
        else:
            axis.setTickSpacing()
        if self.hist_excluded[kind]:
            title += "  " + self.tr("(%1 not finite)").replace("%1", str(self.hist_excluded[kind]))
        self._set_title(kind, title)
        text = ""
        if finite.size and kind == "grads" and not np.any(finite):
            text = self.tr("all exactly 0")
        self.hist_placeholders[kind].show_text(text)

    def _set_title(self, kind: str, title: str) -> None:
        if self._hist_titles.get(kind) != title:  # a new title re-lays out the plot's grid
            self._hist_titles[kind] = title
            self.hist_plots[kind].setTitle(title, color="k", size="9pt")

    def _draw_dead(self, layer, name: str, info) -> None:
        if layer is None:
            self.dead_label.setText("")
            return
        if layer.dead_share is None:
            why = self.tr("%1 uses %2: only ReLU-like units can die (stay at ≤ 0 for every input).")
            self.dead_label.setText('<span style="color:#666">' + why.replace("%1", name).replace(
                "%2", layer.activation) + "</span>")
            return
        units = info.layer_sizes[layer.index] if 0 < layer.index < len(info.layer_sizes) else 0
        dead = int(round(layer.dead_share * units))
        share = f"{100.0 * layer.dead_share:.1f} %"
        text = self.tr("<b>Dead units: %1 of %2 (%3)</b>").replace("%1", str(dead)).replace(
            "%2", str(units)).replace("%3", share)
        if layer.zero_share is not None:
            text += " · " + self.tr("exact zeros: %1 of activations").replace(
                "%1", f"{100.0 * layer.zero_share:.1f} %")
        text += '<br><span style="color:#666">' + self.tr(
            "A dead unit's input is ≤ 0 for every probe sample, so ReLU passes it no gradient and it stops learning."
        ) + "</span>"
        self.dead_label.setText(text)
