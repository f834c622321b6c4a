"""Basins of attraction: every start point of a grid coloured by the minimum descent reaches from it.

Colours are the minima's own (palette.minimum_color, the same as their stars on the contour map), plus one
colour for runs that diverged and one for runs that ended near no minimum. The map is computed by the engine on
a worker (Session.run_basin_map); this panel only asks for it (``computeRequested``) and draws the result.

The isolines of a new function are drawn only once the panel is on screen: it usually sits in a tab behind the
loss plot, and a tabbed-away dock is moved off screen rather than hidden, so Qt would otherwise compute them (a
fraction of a second) on every function change nobody looks at.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
import pyqtgraph as pg

from gdstudio.engine.basins import DIVERGED, ELSEWHERE
from gdstudio.engine.surface import Surface
from gdstudio.views import palette
from gdstudio.views.contour_panel import IsolineLayer, grid_transform
from gdstudio.views.update_rule_view import format_vector
from gdstudio.views.widgets import RedrawScheduler, RetranslateOnLanguageChange

__all__ = ["BasinPanel", "RESOLUTIONS", "label_colors"]

RESOLUTIONS = (50, 100, 200)
LEGEND_ROWS = 8  # rastrigin has 121 minima: list the largest basins, summarise the rest


def label_colors(labels: np.ndarray) -> np.ndarray:
    """RGBA image (ny, nx, 4) of a label grid: minimum i → its colour; diverged and elsewhere → theirs."""
    labels = np.asarray(labels, dtype=np.int64)
    count = max(int(labels.max(initial=-1)) + 1, 0)
    lut = np.empty((count + 2, 4), dtype=np.uint8)
    lut[0] = (*palette.BASIN_NOT_CONVERGED, 255)  # ELSEWHERE = -2
    lut[1] = (*palette.BASIN_DIVERGED, 255)       # DIVERGED = -1
    for i in range(count):
        lut[i + 2] = (*palette.minimum_color(i), 255)
    return lut[np.clip(labels, ELSEWHERE, count - 1) + 2]


class BasinPanel(RetranslateOnLanguageChange, QWidget):
    """The basin map with its legend, a progress bar while computing and a small compute toolbar."""

    computeRequested = Signal(int)

    def __init__(self, basin_model, surface_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.basin_model = basin_model
        self.surface_model = surface_model

        self.resolution_combo = QComboBox(self)
        for n in RESOLUTIONS:
            self.resolution_combo.addItem("", n)
        self.resolution_combo.setCurrentIndex(1)
        self.compute_button = QPushButton(self)
        self.compute_button.clicked.connect(self._compute_clicked)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.resolution_combo)
        toolbar.addWidget(self.compute_button)
        toolbar.addWidget(self.progress_bar, 1)
        toolbar.addStretch(0)

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground("w")
        self.plot_item: pg.PlotItem = self.graphics.addPlot()
        self.plot_item.vb.disableAutoRange()  # the map fills the plot (as the contour map does), range set below
        self.plot_item.setMenuEnabled(False)
        self.plot_item.setLabel("bottom", "x")
        self.plot_item.setLabel("left", "y")
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setZValue(-100)
        self.plot_item.addItem(self.image_item)
        self.isolines = IsolineLayer(self.plot_item, pen=(0, 0, 0, 60))
        self.minima_item = pg.ScatterPlotItem(symbol="star", size=16, pen=pg.mkPen("k", width=1))
        self.plot_item.addItem(self.minima_item)

        self.legend_label = QLabel(self)
        self.legend_label.setWordWrap(True)
        self.placeholder_label = QLabel(self)
        self.placeholder_label.setWordWrap(True)
        self.placeholder_label.setStyleSheet("color: #666;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(toolbar)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.placeholder_label)
        layout.addWidget(self.legend_label)

        self._scheduler = RedrawScheduler(self._redraw, self)
        self._surface_pending = False  # a surface arrived while the panel was off screen
        self._watched_dock: QDockWidget | None = None
        basin_model.progress.connect(self._progress)
        basin_model.updated.connect(self._result_changed)
        basin_model.cleared.connect(self._result_changed)
        surface_model.changed.connect(self._surface_changed)
        self._scheduler.mark("result", "surface")
        self._scheduler.flush()  # not flush(): isolines wait until the panel is on screen
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        for i in range(self.resolution_combo.count()):
            n = self.resolution_combo.itemData(i)
            self.resolution_combo.setItemText(i, self.tr("%1 × %1 starts").replace("%1", str(n)))
        self.resolution_combo.setToolTip(self.tr("How many start points per axis; the optimizer, learning rate and "
                                                 "steps are the current experiment's."))
        self.compute_button.setText(self.tr("Compute basins"))
        self.compute_button.setToolTip(self.tr("Run the current optimizer from every start point of the grid."))
        self._scheduler.mark("busy", "result")  # placeholder and legend texts
        self._scheduler.flush()

    # -- public API ------------------------------------------------------------------------------------------
    def resolution(self) -> int:
        return int(self.resolution_combo.currentData())

    def flush(self) -> None:
        """Redraw now whatever changed, including isolines put off while the panel was off screen."""
        self._scheduler.flush()
        self._draw_pending_surface()

    def isolines_pending(self) -> bool:
        """Whether a new surface waits for the panel to come on screen before its isolines are drawn."""
        return self._surface_pending

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._watch_dock()
        if self._surface_pending:
            self._scheduler.mark("surface")  # drawn on the next frame if really on screen

    def _watch_dock(self) -> None:
        """Follow the tab of the dock this panel sits in (a dock tabbed away stays 'visible', off screen)."""
        dock = self.parentWidget()
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is None or dock is self._watched_dock:
            return
        if self._watched_dock is not None:
            self._watched_dock.visibilityChanged.disconnect(self._dock_visibility_changed)
        self._watched_dock = dock
        dock.visibilityChanged.connect(self._dock_visibility_changed)

    def _dock_visibility_changed(self, visible: bool) -> None:
        if visible:
            self._draw_pending_surface()

    def _on_screen(self) -> bool:
        return self.isVisible() and not self.visibleRegion().isEmpty()

    # -- signals ---------------------------------------------------------------------------------------------
    def _compute_clicked(self) -> None:
        self.computeRequested.emit(self.resolution())

    def _progress(self, fraction: float) -> None:
        self.progress_bar.setValue(round(float(fraction) * 1000))
        self._scheduler.mark("busy")

    def _result_changed(self) -> None:
        self._scheduler.mark("result", "busy")

    def _surface_changed(self) -> None:
        self._scheduler.mark("surface")

    # -- drawing ---------------------------------------------------------------------------------------------
    def _redraw(self, dirty: set[str]) -> None:
        if "busy" in dirty or "result" in dirty:
            busy = bool(getattr(self.basin_model, "active", False))
            self.progress_bar.setVisible(busy)
            self.compute_button.setEnabled(not busy)
            self.placeholder_label.setText(
                self.tr("Computing the basin map…") if busy else
                self.tr("Choose a resolution and press “Compute basins” to see which minimum each start point "
                        "leads to."))
        if "surface" in dirty:
            if self._on_screen():
                self._draw_surface()
            else:
                self._surface_pending = True
        if "result" in dirty:
            self._draw_result()

    def _draw_pending_surface(self) -> None:
        if self._surface_pending:
            self._draw_surface()

    def _draw_surface(self) -> None:
        self._surface_pending = False
        surface = self.surface_model.surface
        self.isolines.set_surface(surface if isinstance(surface, Surface) else None)
        function = self.surface_model.function
        if isinstance(surface, Surface) and function is not None and self.basin_model.result is None:
            # the function's window, where the basin map is computed (the contour map may sample a wider area)
            (x0, x1), (y0, y1) = function.window
            self.plot_item.vb.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)

    def _draw_result(self) -> None:
        result = self.basin_model.result
        self.placeholder_label.setVisible(result is None)
        self.legend_label.setVisible(result is not None)
        if result is None:
            self.image_item.clear()
            self.minima_item.setData([], [])
            self.legend_label.setText("")
            return
        self.image_item.setImage(label_colors(result.labels), autoLevels=False)
        self.image_item.setTransform(grid_transform(result.xs, result.ys))
        minima = np.asarray(result.minima, dtype=float).reshape(-1, 2)
        self.minima_item.setData(x=minima[:, 0], y=minima[:, 1],
                                 brush=[pg.mkBrush(palette.minimum_color(i)) for i in range(len(minima))])
        self.plot_item.vb.setRange(xRange=(result.xs[0], result.xs[-1]), yRange=(result.ys[0], result.ys[-1]),
                                   padding=0.0)
        self.legend_label.setText(self._legend_html(result))

    def _legend_html(self, result) -> str:
        """Swatch, what it means, how many starts and which share, largest basins first."""
        total = max(int(np.asarray(result.labels).size), 1)
        counts = {int(k): int(v) for k, v in result.counts.items()}
        minima_rows = sorted((k for k in counts if k >= 0), key=lambda k: (-counts[k], k))
        rows = []

        def row(color, text, count):
            share = 100.0 * count / total
            rows.append(f"<tr><td style='color:{palette.css(color)}'>■</td><td>{text}</td>"
                        f"<td align='right'>&nbsp;{count}</td><td align='right'>&nbsp;{share:.1f}%</td></tr>")

        for k in minima_rows[:LEGEND_ROWS]:
            text = self.tr("minimum %1").replace("%1", format_vector(result.minima[k]))
            row(palette.minimum_color(k), text, counts[k])
        rest = minima_rows[LEGEND_ROWS:]
        if rest:
            hidden = sum(counts[k] for k in rest)
            text = self.tr("%1 more minima").replace("%1", str(len(rest)))
            rows.append(f"<tr><td></td><td>{text}</td><td align='right'>&nbsp;{hidden}</td>"
                        f"<td align='right'>&nbsp;{100.0 * hidden / total:.1f}%</td></tr>")
        row(palette.BASIN_DIVERGED, self.tr("diverged"), counts.get(DIVERGED, 0))
        row(palette.BASIN_NOT_CONVERGED, self.tr("reached no minimum"), counts.get(ELSEWHERE, 0))
        note = ""
        if getattr(result, "discovered", False):
            note = "<br><i>" + self.tr("Minima found from where the runs ended.") + "</i>"
        return "<table cellspacing='2'>" + "".join(rows) + "</table>" + note
