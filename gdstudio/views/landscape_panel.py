"""Where the weights travel: a slice of the loss landscape through the current weights, drawn like the descent
lab's contour map, with the training trajectory projected onto it.

For a two-parameter model (y = w·x + b) the slice is the exact (w, b) loss surface; otherwise it is a plane
through the current weights — along the two principal directions of the path so far (default), two chosen weights,
or two random filter-normalised directions. Slices are computed on the training thread every few epochs
(``LandscapeSlice``); between two slices, when the axes are real weights (exact / weights modes), the current
weights are marked live from the run model. While the run trains, new slices are drawn at most twice a second and
without isolines (see live_redraw); they are added when it pauses or ends.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
import pyqtgraph as pg

from gdstudio.views import palette
from gdstudio.views.contour_image import HeightMap
from gdstudio.views.contour_panel import stride_indices
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS, LiveRedrawScheduler
from gdstudio.views.widgets import DeferWhileHidden, RetranslateOnLanguageChange, cache_painting

__all__ = ["LIVE_TRAIL_LIMIT", "LandscapePanel"]

LIVE_TRAIL_LIMIT = 2000
"""Live positions (one per redraw) kept between two slices; older ones are thinned."""

_AXIS_MODES = ("exact", "weights")
"""Modes whose coordinates are the values of two weights: the current weights can be placed without projecting."""


class LandscapePanel(RetranslateOnLanguageChange, DeferWhileHidden, QWidget):
    """The slice as an image with isolines and colour bar, the projected path, the start and the current point."""

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self._slice_step: int | None = None
        self._extent: tuple = ()
        self._trail: list[tuple[float, float]] = []

        self.title_label = QLabel(self)
        self.title_label.setWordWrap(True)
        self.title_label.setContentsMargins(6, 4, 6, 0)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("color: #555; padding: 24px;")
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #666;")
        self.note_label.setContentsMargins(6, 0, 6, 4)

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground("w")
        self.plot_item: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.plot_item.setMenuEnabled(False)
        for name in ("left", "bottom"):
            self.plot_item.getAxis(name).enableAutoSIPrefix(False)
        self.height_map = HeightMap(self.plot_item, self.graphics.ci, row=0, col=1)
        cache_painting(*(self.plot_item.getAxis(name) for name in ("left", "bottom")))

        self.path_item = pg.PlotDataItem(pen=pg.mkPen(palette.TRAJECTORY, width=2), symbol="o", symbolSize=4,
                                         symbolBrush=pg.mkBrush(palette.TRAJECTORY), symbolPen=None,
                                         connect="finite")
        self.trail_item = pg.PlotDataItem(pen=pg.mkPen(palette.TRAJECTORY_FUTURE, width=1.5,
                                                       style=Qt.PenStyle.DashLine), connect="finite")
        self.start_item = pg.ScatterPlotItem(symbol="o", size=12, brush=None,
                                             pen=pg.mkPen(palette.START_POINT, width=2))
        self.current_item = pg.ScatterPlotItem(symbol="o", size=13, brush=pg.mkBrush(palette.CURRENT_POINT),
                                               pen=pg.mkPen(palette.TRAJECTORY, width=3))
        self.live_item = pg.ScatterPlotItem(symbol="o", size=11, brush=pg.mkBrush(palette.GRADIENT_ARROW),
                                            pen=pg.mkPen((255, 255, 255), width=1.5))
        for z, item in enumerate((self.path_item, self.trail_item, self.start_item, self.current_item,
                                  self.live_item)):
            item.setZValue(z)
            self.plot_item.addItem(item)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.note_label)

        self._scheduler = LiveRedrawScheduler(self._redraw_when_shown, self,
                                              live_interval_ms=LIVE_INTERVAL_MS["landscape"], run_model=run_model,
                                              on_live=self._live_changed)
        run_model.cleared.connect(self._run_reset)
        run_model.began.connect(self._run_reset)
        run_model.landscapeChanged.connect(self._landscape_changed)
        run_model.weightsChanged.connect(self._weights_changed)
        self.retranslate_ui()

    # -- Qt plumbing -------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._mode_titles = {
            "pca": self.tr("Loss along the two directions the weights moved most (principal components of the "
                           "path)"),
            "weights": self.tr("Loss as two chosen weights vary, all others held at their current values"),
            "random": self.tr("Loss along two random filter-normalised directions through the current weights"),
            "exact": self.tr("The whole loss surface L(w, b) of the two-parameter model"),
        }
        # the engine's notes are English sentences: known ones are translated here
        self._notes = {
            "The trajectory is a straight line so far; the second axis is a random direction.":
                self.tr("The trajectory is a straight line so far; the second axis is a random direction."),
            "The trajectory is too short for PCA yet; showing two random filter-normalized directions.":
                self.tr("The trajectory is too short for PCA yet; showing two random filter-normalised "
                        "directions."),
        }
        self.current_item.setToolTip(self.tr("The weights when this slice was computed"))
        self._scheduler.mark("slice", "live")
        self.flush()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._scheduler.stop()
        super().closeEvent(event)

    # -- public API --------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Redraw now whatever changed (normally a 60 Hz timer does it)."""
        self._flush_all()

    @property
    def isocurve_items(self) -> list[pg.IsocurveItem]:
        return self.height_map.isolines.items

    @property
    def image_item(self) -> pg.ImageItem:
        return self.height_map.image_item

    @property
    def colorbar_item(self) -> pg.ColorBarItem:
        return self.height_map.colorbar_item

    # -- model signals -----------------------------------------------------------------------------------------
    def _run_reset(self, *_args) -> None:
        self._slice_step = None
        self._trail = []
        self._extent = ()
        self._scheduler.mark("slice", "live")

    def _landscape_changed(self, *_args) -> None:
        self._slice_step = int(self.run_model.last_step) if self.run_model.count else 0
        self._trail = []  # the new slice's path covers everything up to now
        self._scheduler.mark("slice", "live")

    def _live_changed(self, live: bool) -> None:
        if not live and not self.height_map.has_isolines:
            self._scheduler.mark("slice")

    def _weights_changed(self, *_args) -> None:
        landscape = self.run_model.landscape
        if landscape is not None and landscape.mode in _AXIS_MODES and landscape.indices is not None:
            self._scheduler.mark("live")

    # -- drawing -----------------------------------------------------------------------------------------------
    def _redraw(self, dirty: set[str]) -> None:
        if "slice" in dirty:
            self._draw_slice()
        if "live" in dirty:
            self._draw_live()

    def _draw_slice(self) -> None:
        model = self.run_model
        landscape = model.landscape if model.info is not None else None
        show = landscape is not None
        self.graphics.setVisible(show)
        self.note_label.setVisible(show)
        self.title_label.setVisible(show)
        self.message_label.setVisible(not show)
        if not show:
            self.height_map.set_surface(None)
            for item in (self.path_item, self.start_item, self.current_item):
                item.setData([], [])
            if model.info is None:
                self.message_label.setText(self.tr("No run yet. When a run starts, a slice of the loss landscape "
                                                   "through the current weights appears here with the path the "
                                                   "weights took."))
            else:
                self.message_label.setText(self.tr("No landscape slice yet. Slices are computed on the training "
                                                   "thread at the start and every few epochs; switch them on in the "
                                                   "settings if this stays empty."))
            return
        self.height_map.set_surface(landscape, isolines=not self._scheduler.live())
        self.colorbar_item.axis.setLabel(self.tr("loss (log colour scale)") if self.height_map.log_colors
                                         else self.tr("loss"))
        path = np.asarray(landscape.path, dtype=float).reshape(-1, 2)
        rows = stride_indices(len(path))
        drawn = path[rows]
        keep = np.all(np.isfinite(drawn), axis=1)
        self.path_item.setSymbol("o" if len(rows) <= 400 else None)
        self.path_item.setData(drawn[keep, 0], drawn[keep, 1])
        if len(path) and np.all(np.isfinite(path[0])):
            self.start_item.setData([path[0, 0]], [path[0, 1]])
        else:
            self.start_item.setData([], [])
        center = np.asarray(landscape.center, dtype=float)
        self.current_item.setData([center[0]], [center[1]])
        labels = tuple(landscape.labels)
        explained = landscape.explained
        axis_texts = []
        for k in range(2):
            text = labels[k] if k < len(labels) else ""
            if explained is not None and k < len(explained):
                text = self.tr("%1 (%2 of the path's spread)").replace("%1", text).replace(
                    "%2", f"{100.0 * explained[k]:.0f} %")
            axis_texts.append(text)
        self.plot_item.setLabel("bottom", axis_texts[0])
        self.plot_item.setLabel("left", axis_texts[1])
        self.title_label.setText(self._mode_titles.get(landscape.mode, landscape.mode))
        self.plot_item.setAspectLocked(landscape.mode in ("pca", "random"))  # equal extents: distances look right
        extent = (float(landscape.xs[0]), float(landscape.xs[-1]), float(landscape.ys[0]), float(landscape.ys[-1]))
        if extent != self._extent:
            self._extent = extent
            self.plot_item.getViewBox().setRange(xRange=extent[:2], yRange=extent[2:], padding=0.0)
        notes = []
        if landscape.note:
            notes.append(self._notes.get(landscape.note, landscape.note))
        if self._slice_step is not None:
            notes.append(self.tr("Slice of step %1: white dot = the weights then, ring = the start.").replace(
                "%1", str(self._slice_step)))
        if landscape.mode in _AXIS_MODES:
            notes.append(self.tr("Cyan dot: the weights now."))
        self.note_label.setText(" ".join(notes))

    def _draw_live(self) -> None:
        model = self.run_model
        landscape = model.landscape if model.info is not None else None
        weights = model.weights
        if (landscape is None or weights is None or landscape.mode not in _AXIS_MODES or landscape.indices is None
                or max(landscape.indices) >= len(weights)):
            self.live_item.setData([], [])
            self.trail_item.setData([], [])
            return
        i, j = landscape.indices
        point = (float(weights[i]), float(weights[j]))
        if not all(np.isfinite(point)):
            self.live_item.setData([], [])
            return
        if not self._trail or self._trail[-1] != point:
            self._trail.append(point)
            if len(self._trail) > LIVE_TRAIL_LIMIT:
                self._trail = self._trail[::2] + ([self._trail[-1]] if len(self._trail) % 2 == 0 else [])
        self.live_item.setData([point[0]], [point[1]])
        center = np.asarray(landscape.center, dtype=float)
        trail = np.array([tuple(center)] + self._trail, dtype=float)
        self.trail_item.setData(trail[:, 0], trail[:, 1])
