"""The map the student watches: f as a coloured height map with isolines (2-D) or as a curve (1-D), the
trajectory so far, the current point with its −∇f arrow (or tangent), the known minima, and compare paths.

Everything drawn comes from the models (surface, field and levels from SurfaceModel, computed by the engine on a
worker; points from RunModel/CompareModel). Plot items are created once and updated with setData; model signals
only mark parts dirty and a RedrawScheduler redraws at ≤ 60 Hz, so a burst of appends costs one redraw. While a
run streams in flat out (see RedrawScheduler) the map is redrawn at most ten times a second and without
antialiasing; it is smooth again as soon as the run is paced, paused or done. A long path is drawn as a line
with one point per pixel it passes (pixel_thin): a slow descent puts thousands of steps in a few pixels.

The 2-D map keeps x and y at the same scale, so isolines have their true shape and −∇f is seen perpendicular to
them, and it still fills the panel: a new function is shown over its window, which the locked aspect widens to
the panel's shape, and whenever the visible area is not covered by the samples (resize, pan, zoom out) or is far
smaller than them (zoom in), the panel asks for the surface over exactly what it shows (``windowWanted``, at most
every WINDOW_DELAY_MS); the session samples it on a worker. The view range is always set explicitly (auto-range
is off) and isolines do not take part in bounds, so a new surface computes each isoline once, when it is first
painted.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QTransform
import pyqtgraph as pg

from gdstudio.engine.surface import Curve1D, Surface
from gdstudio.views import palette
from gdstudio.views.widgets import RedrawScheduler, RetranslateOnLanguageChange, cache_painting

__all__ = ["ContourPanel", "IsolineLayer", "MAX_DRAWN_POINTS", "display_heights", "grid_transform", "pixel_thin",
           "stride_indices"]

MAX_DRAWN_POINTS = 5000
"""Longest trajectory drawn point by point; longer ones are drawn by stride (the newest point always kept)."""

SYMBOL_LIMIT = 1000
"""Above this many drawn points the dots merge into the line anyway, so only the line is drawn."""

PICK_INTERVAL_MS = 50    # a dragged start point reaches the model at most 20 times per second
ARROW_PIXELS = 70        # on-screen length of the −∇f arrow (direction matters, |∇f| is in the loss panel)
TANGENT_PIXELS = 90      # on-screen half-length of the 1-D tangent
WINDOW_DELAY_MS = 150    # a resize, pan or zoom asks for new samples once it has paused this long
ZOOM_RESAMPLE = 0.4      # visible spans below this share of the sampled ones (both axes): sample in more detail
FAR = 100.0              # points further than FAR window-widths outside are clamped (Qt paints finite coords)


def stride_indices(count: int, limit: int = MAX_DRAWN_POINTS) -> np.ndarray:
    """Rows to draw out of ``count``: all of them, or every k-th plus the last so the path still ends 'now'."""
    if count <= limit:
        return np.arange(count)
    step = math.ceil(count / (limit - 1))
    idx = np.arange(0, count, step)
    if idx[-1] != count - 1:
        idx = np.append(idx, count - 1)
    return idx


def pixel_thin(x: np.ndarray, y: np.ndarray, px: float, py: float) -> np.ndarray:
    """Indices of the points of a polyline that show at pixel size (px, py): each point that enters another pixel
    than the point before it, and the last. A slow descent puts thousands of points in a few pixels."""
    n = len(x)
    if n < 3:
        return np.arange(n)
    ix, iy = np.floor(x / px), np.floor(y / py)
    keep = np.empty(n, dtype=bool)
    keep[0] = keep[-1] = True
    keep[1:-1] = (ix[1:-1] != ix[:-2]) | (iy[1:-1] != iy[:-2])
    return np.flatnonzero(keep)


def grid_transform(xs: np.ndarray, ys: np.ndarray) -> QTransform:
    """Maps pixel (i, j) of a grid image onto the data rectangle so pixel centres sit on (xs[i], ys[j])."""
    dx = (xs[-1] - xs[0]) / max(len(xs) - 1, 1) or 1.0
    dy = (ys[-1] - ys[0]) / max(len(ys) - 1, 1) or 1.0
    t = QTransform()
    t.translate(float(xs[0] - dx / 2), float(ys[0] - dy / 2))
    t.scale(float(dx), float(dy))
    return t


def display_heights(surface: Surface) -> tuple[np.ndarray, tuple[float, float], float | None]:
    """The image to colour and its level range; with log colours, log₁₀(f − f_min + offset) and the offset.

    The offset is the distance of the lowest isoline above f_min, so colours and isolines share one scale.
    This is a display transform of already-sampled heights, not an evaluation of f.
    """
    Z = surface.Z
    offset = None
    if surface.log_scale and len(surface.levels) and surface.levels[0] > surface.zmin:
        offset = float(surface.levels[0] - surface.zmin)
        with np.errstate(all="ignore"):
            Z = np.log10(np.maximum(Z - surface.zmin, 0.0) + offset)
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        return Z, (0.0, 1.0), offset
    lo, hi = float(finite.min()), float(finite.max())
    if not hi > lo:
        hi = lo + 1.0
    return Z, (lo, hi), offset


class IsolineLayer:
    """One IsocurveItem per level of a Surface, placed like the surface's image (shared with the basin map).

    Items are pooled and added straight to the plot (each with the grid transform): a new surface reuses them and
    only adds or removes the difference in count. Not a parent item on purpose: pyqtgraph items nested under a
    Python-created parent item crash when Python garbage-collects the panel.
    """

    def __init__(self, plot: pg.PlotItem, pen=palette.ISOLINE, z: float = -90) -> None:
        self._plot = plot
        self._pen = pen
        self._z = z
        self._visible = True
        self.items: list[pg.IsocurveItem] = []

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (reads like the items it manages)
        self._visible = bool(visible)
        for item in self.items:
            item.setVisible(self._visible)

    def set_surface(self, surface: Surface | None) -> None:
        levels = [] if surface is None else [float(v) for v in surface.levels if np.isfinite(v)]
        while len(self.items) > len(levels):
            self._plot.removeItem(self.items.pop())
        while len(self.items) < len(levels):
            item = pg.IsocurveItem(level=0.0, pen=self._pen, axisOrder="row-major")
            item.setZValue(self._z)
            item.setVisible(self._visible)
            # not in the auto-range bounds: computing an isocurve's bounds means computing the isocurve (marching
            # squares in Python), and the image beneath already spans the same rectangle
            self._plot.addItem(item, ignoreBounds=True)
            self.items.append(item)
        if surface is None or not levels:
            return
        Z = surface.Z
        if np.isnan(Z).any():  # marching squares needs finite heights; 'very high' is right for overflowed f
            Z = np.where(np.isnan(Z), surface.zmax, Z)
        transform = grid_transform(surface.xs, surface.ys)
        for item, level in zip(self.items, levels):
            item.setTransform(transform)
            item.setData(Z, level)


class _PickViewBox(pg.ViewBox):
    """A ViewBox where a left click or left drag picks a point (when enabled); Ctrl+drag and middle drag pan."""

    sigPick = Signal(object, bool)  # view point (QPointF), final

    def __init__(self) -> None:
        super().__init__()
        self.picking_enabled = True

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (pyqtgraph override)
        if self.picking_enabled and ev.button() == Qt.MouseButton.LeftButton:
            ev.accept()
            self.sigPick.emit(self.mapSceneToView(ev.scenePos()), True)
            return
        super().mouseClickEvent(ev)

    def mouseDragEvent(self, ev, axis=None) -> None:  # noqa: N802
        if (axis is None and self.picking_enabled and ev.button() == Qt.MouseButton.LeftButton
                and not ev.modifiers() & Qt.KeyboardModifier.ControlModifier):
            ev.accept()
            self.sigPick.emit(self.mapSceneToView(ev.scenePos()), bool(ev.isFinish()))
            return
        super().mouseDragEvent(ev, axis)


class ContourPanel(RetranslateOnLanguageChange, pg.GraphicsLayoutWidget):
    """The descent map. Click or drag (while not running) to choose the start point; Ctrl+drag pans, the wheel
    zooms (new samples follow); :meth:`fit_window` goes back to the function's window."""

    startPicked = Signal(tuple)
    windowWanted = Signal(tuple)
    """((x0, x1), (y0, y1)): the visible area, which the current samples do not cover well (see the module)."""

    def __init__(self, run_model, surface_model, compare_model, experiment_model, parent=None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self.surface_model = surface_model
        self.compare_model = compare_model
        self.experiment_model = experiment_model
        self.setBackground("w")
        self._view = _PickViewBox()
        self._view.disableAutoRange()  # every surface sets the range itself
        self.plot_item: pg.PlotItem = self.addPlot(row=0, col=0, viewBox=self._view)
        self.plot_item.setMenuEnabled(False)
        self._dim = 2
        self._smooth = True
        self._scheduler = RedrawScheduler(self._redraw, self)
        self._pending_start: tuple[float, ...] | None = None
        self._colorbar_visible = True
        self._field_visible = False
        self._compare_key: tuple = ()
        self._log_colors = False

        self._cmap = pg.colormap.get(palette.SURFACE_COLORMAP)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setColorMap(self._cmap)
        self.image_item.setZValue(-100)
        self.plot_item.addItem(self.image_item)
        self.isolines = IsolineLayer(self.plot_item)

        self.colorbar_item = pg.ColorBarItem(colorMap=self._cmap, interactive=False, width=14,
                                             colorMapMenu=False)
        self.colorbar_item.setImageItem(self.image_item)
        self.addItem(self.colorbar_item, row=0, col=1)
        # the axes and the colour bar change only with the surface or the view: paint them from pixmaps, so a
        # streaming run's redraws repaint just the image, the isolines and the path
        cache_painting(self.plot_item.getAxis("left"), self.plot_item.getAxis("bottom"), self.colorbar_item)

        self.field_item = pg.PlotDataItem(connect="pairs", pen=pg.mkPen(palette.VECTOR_FIELD, width=1))
        self.field_item.setZValue(-80)
        self.field_item.setVisible(False)
        self.curve_item = pg.PlotDataItem(pen=pg.mkPen(palette.CURVE, width=2), connect="finite")
        self.future_item = pg.PlotDataItem(
            pen=pg.mkPen(palette.TRAJECTORY_FUTURE, width=1.5, style=Qt.PenStyle.DashLine), connect="finite",
            symbol="o", symbolSize=4, symbolPen=None, symbolBrush=pg.mkBrush(palette.TRAJECTORY_FUTURE),
        )
        self.trajectory_item = pg.PlotDataItem(
            pen=pg.mkPen(palette.TRAJECTORY, width=2), symbol="o", symbolSize=5,
            symbolBrush=pg.mkBrush(palette.TRAJECTORY), symbolPen=None, connect="finite",
        )
        self.tangent_item = pg.PlotDataItem(pen=pg.mkPen(palette.TANGENT, width=2, style=Qt.PenStyle.DashLine))
        self.gradient_line_item = pg.PlotDataItem(pen=pg.mkPen(palette.GRADIENT_ARROW, width=2.5))
        self.gradient_arrow_item = pg.ArrowItem(headLen=14, tipAngle=32, tailLen=0, pen=None,
                                                brush=pg.mkBrush(palette.GRADIENT_ARROW))
        self.minima_item = pg.ScatterPlotItem(symbol="star", size=18, pen=pg.mkPen("k", width=1))
        self.start_item = pg.ScatterPlotItem(symbol="o", size=13, brush=None,
                                             pen=pg.mkPen(palette.START_POINT, width=2))
        self.current_point_item = pg.ScatterPlotItem(symbol="o", size=13, brush=pg.mkBrush(palette.CURRENT_POINT),
                                                     pen=pg.mkPen(palette.TRAJECTORY, width=3))
        for z, item in enumerate((self.field_item, self.curve_item, self.future_item, self.trajectory_item,
                                  self.tangent_item, self.gradient_line_item, self.gradient_arrow_item,
                                  self.minima_item, self.start_item, self.current_point_item)):
            item.setZValue(z)
            self.plot_item.addItem(item)
        self.legend = self.plot_item.addLegend(offset=(10, 10), labelTextColor="k", brush=(255, 255, 255, 200))
        self.compare_items: list[pg.PlotDataItem] = []

        self._pick_timer = QTimer(self)
        self._pick_timer.setSingleShot(True)
        self._pick_timer.setInterval(PICK_INTERVAL_MS)
        self._pick_timer.timeout.connect(self._send_pending_start)
        self._window_timer = QTimer(self)
        self._window_timer.setSingleShot(True)
        self._window_timer.setInterval(WINDOW_DELAY_MS)
        self._window_timer.timeout.connect(self._ask_for_window)
        self._range_function = None  # the function whose window the view was last fitted to

        self._view.sigPick.connect(self._picked)
        self._view.sigRangeChanged.connect(self._view_changed)
        self._view.sigResized.connect(self._view_changed)
        surface_model.changed.connect(self._surface_changed)
        run_model.cleared.connect(self._run_changed)
        run_model.appended.connect(self._rows_appended)
        run_model.cursorChanged.connect(self._run_changed)
        run_model.stateChanged.connect(self._state_changed)
        compare_model.cleared.connect(self._compare_changed)
        compare_model.updated.connect(self._compare_changed)
        experiment_model.changed.connect(self._experiment_changed)
        self._state_changed(getattr(run_model, "state", "idle"))
        self._mark("surface", "field", "run", "compare", "start")
        self.flush()

    # -- public API ------------------------------------------------------------------------------------------
    @property
    def isocurve_items(self) -> list[pg.IsocurveItem]:
        return self.isolines.items

    def fit_window(self) -> None:
        """Show the function's own window again (after a zoom or pan); the locked aspect widens it to the panel."""
        function = self.surface_model.function
        if function is None or self._dim != 2:
            return
        (x0, x1), (y0, y1) = function.window
        self._view.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0.0)

    def set_vector_field_visible(self, visible: bool) -> None:
        """Show the −∇f arrow field (the direction descent would take from every point)."""
        self._field_visible = bool(visible)
        self._mark("field")
        self.flush()

    def vector_field_visible(self) -> bool:
        return self._field_visible

    def set_colorbar_visible(self, visible: bool) -> None:
        """Show the colour scale beside the map (2-D functions only)."""
        self._colorbar_visible = bool(visible)
        self._apply_colorbar()

    def colorbar_visible(self) -> bool:
        return self._colorbar_visible

    def flush(self) -> None:
        """Redraw now whatever the models changed since the last redraw (normally a 60 Hz timer does it)."""
        self._scheduler.flush()

    def close(self) -> bool:
        """pyqtgraph's close() destroys the scene and its items: stop redrawing into them first."""
        self._scheduler.stop()
        self._pick_timer.stop()
        self._window_timer.stop()
        return super().close()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._window_timer.stop()  # a closed window must not start a sampling job
        super().hideEvent(event)

    def retranslate_ui(self) -> None:
        """Axis and colour-bar labels (they depend on the dimension and on log colours)."""
        self.plot_item.setLabel("bottom", "x")
        self.plot_item.setLabel("left", self.tr("f(x)") if self._dim == 1 else "y")
        self.colorbar_item.axis.setLabel(self.tr("f (log colour scale)") if self._log_colors else self.tr("f"))

    # -- dirty tracking --------------------------------------------------------------------------------------
    def _mark(self, *parts: str) -> None:
        self._scheduler.mark(*parts)

    def _redraw(self, dirty: set[str]) -> None:
        if "surface" in dirty:
            self._draw_surface()
        if "field" in dirty:
            self._draw_field()
        if "start" in dirty:
            self._draw_start()
        if "compare" in dirty:
            self._draw_compare()
        if "run" in dirty:
            self._draw_run()
        if dirty & {"run", "pointer", "surface"}:
            self._draw_pointer()
        if "pointer" in dirty and "field" not in dirty and self._field_visible:
            self._draw_field()  # arrow heads are sized in pixels

    # Bound methods, not lambdas: Qt drops the connection when this panel is destroyed before the models.
    def _surface_changed(self) -> None:
        self._mark("surface", "field", "run", "compare", "start")

    def _run_changed(self, *_args) -> None:
        self._mark("run")

    def _rows_appended(self, start: int, stop: int) -> None:
        self._scheduler.note_rows(stop - start)
        self._mark("run")

    def _compare_changed(self) -> None:
        self._mark("compare", "run")

    def _experiment_changed(self) -> None:
        self._mark("start")

    def _view_changed(self, *_args) -> None:
        self._mark("pointer", "run", "compare")  # arrow lengths are in pixels; far points are clamped to the view
        if self._dim == 2:
            self._window_timer.start()

    def _ask_for_window(self) -> None:
        """Emit windowWanted if the visible area needs other samples than the current surface's."""
        surface = self.surface_model.surface
        if (not isinstance(surface, Surface) or not self.isVisible() or self._view.width() < 2
                or self._view.height() < 2):
            return
        (x0, x1), (y0, y1) = self._view.viewRange()
        sx0, sx1, sy0, sy1 = surface.xs[0], surface.xs[-1], surface.ys[0], surface.ys[-1]
        # half a grid cell of tolerance: a view that the samples cover to the pixel needs nothing new
        cx, cy = (sx1 - sx0) / (2 * (len(surface.xs) - 1)), (sy1 - sy0) / (2 * (len(surface.ys) - 1))
        uncovered = x0 < sx0 - cx or x1 > sx1 + cx or y0 < sy0 - cy or y1 > sy1 + cy
        zoomed_in = x1 - x0 < ZOOM_RESAMPLE * (sx1 - sx0) and y1 - y0 < ZOOM_RESAMPLE * (sy1 - sy0)
        if (uncovered or zoomed_in) and all(map(math.isfinite, (x0, x1, y0, y1))) and x1 > x0 and y1 > y0:
            self.windowWanted.emit(((float(x0), float(x1)), (float(y0), float(y1))))

    def _state_changed(self, state: str) -> None:
        self._view.picking_enabled = state != "running"
        self._scheduler.set_running(state == "running")
        self._mark("run")  # antialiasing follows

    # -- drawing ---------------------------------------------------------------------------------------------
    def _draw_surface(self) -> None:
        surface = self.surface_model.surface
        one_d = isinstance(surface, Curve1D)
        self._dim = 1 if one_d else 2
        # 2-D draws on the dark-to-bright colormap, 1-D on the white background: pick the readable variants
        future = palette.TRAJECTORY_FUTURE_ON_LIGHT if one_d else palette.TRAJECTORY_FUTURE
        self.future_item.setPen(pg.mkPen(future, width=1.5, style=Qt.PenStyle.DashLine))
        self.future_item.setSymbolBrush(pg.mkBrush(future))
        start = palette.START_POINT_ON_LIGHT if one_d else palette.START_POINT
        self.start_item.setPen(pg.mkPen(start, width=2))
        self.curve_item.setVisible(one_d)
        self.tangent_item.setVisible(one_d)
        self.image_item.setVisible(isinstance(surface, Surface))
        self.isolines.setVisible(isinstance(surface, Surface))
        self._view.setAspectLocked(isinstance(surface, Surface), ratio=1.0)
        new_function = self.surface_model.function is not self._range_function
        self._range_function = self.surface_model.function
        if isinstance(surface, Surface):
            image, levels, offset = display_heights(surface)
            self.image_item.setImage(image, autoLevels=False, levels=levels)
            self.image_item.setTransform(grid_transform(surface.xs, surface.ys))
            self.colorbar_item.setLevels(levels)
            self._log_colors = offset is not None
            self._colorbar_ticks(levels, offset, surface.zmin)
            self.isolines.set_surface(surface)
            self.curve_item.setData([], [])
            if new_function:  # samples over another window of the same function keep the view where it is
                self._view.setRange(xRange=(surface.xs[0], surface.xs[-1]),
                                    yRange=(surface.ys[0], surface.ys[-1]), padding=0.0)
            self._window_timer.start()
        else:
            self.isolines.set_surface(None)
            self.image_item.clear()
            if one_d:
                self.curve_item.setData(surface.xs, surface.ys)
                finite = surface.ys[np.isfinite(surface.ys)]
                lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
                self._view.setRange(xRange=(surface.xs[0], surface.xs[-1]), yRange=(lo, hi if hi > lo else lo + 1))
        self._apply_colorbar()
        self._draw_minima()
        self.retranslate_ui()

    def _colorbar_ticks(self, levels: tuple[float, float], offset: float | None, zmin: float) -> None:
        """Linear colours: automatic ticks. Log colours: ticks at whole decades of f − f_min, labelled with f."""
        axis = self.colorbar_item.axis
        axis.setTicks(None if offset is None else _log_ticks(levels, zmin - offset))

    def _apply_colorbar(self) -> None:
        show = self._colorbar_visible and isinstance(self.surface_model.surface, Surface)
        in_layout = self.colorbar_item in self.ci.items
        if show and not in_layout:
            self.addItem(self.colorbar_item, row=0, col=1)
        elif not show and in_layout:
            self.ci.removeItem(self.colorbar_item)
        self.colorbar_item.setVisible(show)

    def _draw_minima(self) -> None:
        function = self.surface_model.function
        minima = np.asarray(function.minima if function is not None else (), dtype=float)
        if minima.size == 0:
            self.minima_item.setData([], [])
            return
        x = minima[:, 0]
        surface = self.surface_model.surface
        if isinstance(surface, Curve1D):  # on the sampled curve (display interpolation, not an evaluation)
            y = np.interp(x, surface.xs, surface.ys)
        elif minima.shape[1] > 1:
            y = minima[:, 1]
        else:
            y = np.zeros_like(x)
        brushes = [pg.mkBrush(palette.minimum_color(i)) for i in range(len(x))]
        self.minima_item.setData(x=x, y=y, brush=brushes)

    def _draw_field(self) -> None:
        field = self.surface_model.field
        self.field_item.setVisible(self._field_visible and field is not None)
        if not self._field_visible or field is None:
            return
        color = palette.VECTOR_FIELD if self._dim == 2 else palette.VECTOR_FIELD_ON_LIGHT
        self.field_item.setPen(pg.mkPen(color, width=1))
        X, Y = np.ravel(field.X), np.ravel(field.Y)
        U, V = np.ravel(field.U), np.ravel(field.V)
        keep = np.isfinite(X + Y + U + V) & ((U != 0) | (V != 0))
        X, Y, U, V = X[keep], Y[keep], U[keep], V[keep]
        tips_x, tips_y = X + U, Y + V
        # heads: two strokes back from the tip at ±28°, built in screen pixels so they look the same
        # whatever the axes' aspect (1-D plots are far from square)
        px, py = self._pixel_size()
        su, sv = U / px, V / py
        length = np.hypot(su, sv)
        head = np.minimum(0.3 * length, 8.0) / np.where(length > 0, length, 1.0)
        bx, by = -su * head, -sv * head
        cos, sin = math.cos(math.radians(28)), math.sin(math.radians(28))
        h1x, h1y = (bx * cos - by * sin) * px, (bx * sin + by * cos) * py
        h2x, h2y = (bx * cos + by * sin) * px, (-bx * sin + by * cos) * py
        xs = np.stack([X, tips_x, tips_x, tips_x + h1x, tips_x, tips_x + h2x], axis=1).ravel()
        ys = np.stack([Y, tips_y, tips_y, tips_y + h1y, tips_y, tips_y + h2y], axis=1).ravel()
        self.field_item.setData(xs, ys)

    def _draw_start(self) -> None:
        start = self._pending_start or tuple(self.experiment_model.experiment.start)
        self._place_start(start)

    def _place_start(self, start: tuple[float, ...]) -> None:
        if len(start) == 2 and self._dim == 2:
            self.start_item.setData([start[0]], [start[1]])
            return
        surface = self.surface_model.surface
        if len(start) == 1 and isinstance(surface, Curve1D):
            self.start_item.setData([start[0]], [float(np.interp(start[0], surface.xs, surface.ys))])
            return
        self.start_item.setData([], [])

    def _run_points(self, rows) -> tuple[np.ndarray, np.ndarray]:
        """x and y of run rows: the params (2-D) or (x, f) (1-D), clamped far outside the view."""
        run = self.run_model
        params = np.asarray(run.params, dtype=float)[rows]
        if self._dim == 1 or params.shape[-1] == 1:
            x, y = params[:, 0], np.asarray(run.values, dtype=float)[rows]
        else:
            x, y = params[:, 0], params[:, 1]
        return self._clamp(x, 0), self._clamp(y, 1)

    def _clamp(self, values: np.ndarray, axis: int) -> np.ndarray:
        (x0, x1), (y0, y1) = self._view.viewRange()
        lo, hi = (x0, x1) if axis == 0 else (y0, y1)
        span = (hi - lo) * FAR
        return np.clip(values, lo - span, hi + span)

    def _draw_run(self) -> None:
        run = self.run_model
        count = int(run.count)
        single = not self._compare_active()
        for item in (self.trajectory_item, self.future_item, self.current_point_item):
            item.setVisible(single)
        if count == 0 or not single:
            self.trajectory_item.setData([], [])
            self.future_item.setData([], [])
            self.current_point_item.setData([], [])
            return
        cursor = min(max(int(run.cursor), 0), count - 1)
        smooth = not self._scheduler.streaming()
        if smooth != self._smooth:  # the whole map (isolines, arrow), not only the paths
            self._smooth = smooth
            self.setAntialiasing(smooth)
        past = stride_indices(cursor + 1)
        x, y = self._run_points(past)
        finite = np.isfinite(x) & np.isfinite(y)
        x, y = x[finite], y[finite]
        dots = len(past) <= SYMBOL_LIMIT
        if not dots:  # a line only: points sharing a pixel with the one before add nothing
            keep = pixel_thin(x, y, *self._pixel_size())
            x, y = x[keep], y[keep]
        self.trajectory_item.setData(x, y, symbol="o" if dots else None, antialias=smooth)
        if cursor < count - 1:
            future = cursor + stride_indices(count - cursor)
            fx, fy = self._run_points(future)
            dots = len(future) <= SYMBOL_LIMIT // 5  # a hint, not a crowd
            if not dots and np.isfinite(fx).all() and np.isfinite(fy).all():
                keep = pixel_thin(fx, fy, *self._pixel_size())
                fx, fy = fx[keep], fy[keep]
            self.future_item.setData(fx, fy, symbol="o" if dots else None, antialias=smooth)
        else:
            self.future_item.setData([], [])
        cx, cy = self._run_points([cursor])
        if np.isfinite(cx[0]) and np.isfinite(cy[0]):
            self.current_point_item.setData(cx, cy)
        else:
            self.current_point_item.setData([], [])

    def _pixel_size(self) -> tuple[float, float]:
        """Data units per screen pixel (x, y), with a fallback before the widget has a size."""
        try:
            px, py = self._view.viewPixelSize()
        except Exception:  # noqa: BLE001 — pyqtgraph raises while the view has no geometry
            px = py = float("nan")
        if not (np.isfinite(px) and np.isfinite(py) and px > 0 and py > 0):
            (x0, x1), (y0, y1) = self._view.viewRange()
            px, py = (x1 - x0) / 500.0, (y1 - y0) / 500.0
        return px, py

    def _draw_pointer(self) -> None:
        """The −∇f arrow at the current point and, in 1-D, the tangent; both fixed lengths on screen."""
        run = self.run_model
        hide = run.count == 0 or self._compare_active()
        cursor = min(max(int(run.cursor), 0), max(run.count - 1, 0))
        if not hide:
            snap = run.snapshot(cursor)
            grad = np.asarray(snap.grad, dtype=float).ravel()
            point = np.asarray(snap.params, dtype=float).ravel()
            hide = not (np.all(np.isfinite(grad)) and np.all(np.isfinite(point)) and np.isfinite(snap.value))
        if hide:
            self.gradient_line_item.setData([], [])
            self.gradient_arrow_item.setVisible(False)
            self.tangent_item.setData([], [])
            return
        px, py = self._pixel_size()
        if self._dim == 1 or point.size == 1:
            origin = (float(point[0]), float(snap.value))
            direction = (-float(grad[0]), 0.0)
            slope = float(grad[0])
            half = TANGENT_PIXELS / math.hypot(1.0 / px, slope / py)
            self.tangent_item.setData([origin[0] - half, origin[0] + half],
                                      [origin[1] - slope * half, origin[1] + slope * half])
        else:
            origin = (float(point[0]), float(point[1]))
            direction = (-float(grad[0]), -float(grad[1]))
            self.tangent_item.setData([], [])
        sx, sy = direction[0] / px, -direction[1] / py  # screen pixels, y pointing down
        length = math.hypot(sx, sy)
        if length == 0:
            self.gradient_line_item.setData([], [])
            self.gradient_arrow_item.setVisible(False)
            return
        sx, sy = sx / length * ARROW_PIXELS, sy / length * ARROW_PIXELS
        tip = (origin[0] + sx * px, origin[1] - sy * py)
        self.gradient_line_item.setData([origin[0], tip[0]], [origin[1], tip[1]])
        self.gradient_arrow_item.setStyle(angle=math.degrees(math.atan2(sy, sx)) - 180.0)
        self.gradient_arrow_item.setPos(QPointF(*tip))
        self.gradient_arrow_item.setVisible(True)

    def _compare_active(self) -> bool:
        return bool(getattr(self.compare_model, "active", False)) and len(self.compare_model.labels) > 0

    def _draw_compare(self) -> None:
        model = self.compare_model
        n = len(model.labels) if self._compare_active() else 0
        while len(self.compare_items) > n:
            item = self.compare_items.pop()
            self.plot_item.removeItem(item)
        while len(self.compare_items) < n:
            item = pg.PlotDataItem(connect="finite", symbolSize=4, symbolPen=None)
            item.setZValue(4)
            self.plot_item.addItem(item)
            self.compare_items.append(item)
        colors = [tuple(c) for c in getattr(model, "colors", [])] + [palette.series_color(i) for i in range(n)]
        key = tuple((model.labels[i], colors[i]) for i in range(n))
        if key != self._compare_key:
            self.legend.clear()
            for item, (label, color) in zip(self.compare_items, key):
                item.setPen(pg.mkPen(color, width=2))
                item.setSymbolBrush(pg.mkBrush(color))
                self.legend.addItem(item, label)
            self._compare_key = key
        self.legend.setVisible(n > 0)
        if n == 0:
            return
        paths = np.asarray(model.paths, dtype=float)
        values = np.asarray(model.values, dtype=float)
        rows = stride_indices(paths.shape[0])
        for i, item in enumerate(self.compare_items):
            x = paths[rows, i, 0]
            y = values[rows, i] if self._dim == 1 or paths.shape[-1] == 1 else paths[rows, i, 1]
            item.setSymbol("o" if len(rows) <= SYMBOL_LIMIT // 4 else None)
            item.setData(self._clamp(x, 0), self._clamp(y, 1))

    # -- picking the start point -----------------------------------------------------------------------------
    def _picked(self, point: QPointF, final: bool) -> None:
        if getattr(self.run_model, "state", "idle") == "running":
            return
        px, py = self._pixel_size()
        x = _round_to_pixel(point.x(), px)
        start = (x,) if self._dim == 1 else (x, _round_to_pixel(point.y(), py))
        self._pending_start = start
        self._place_start(start)
        if final:
            self._pick_timer.stop()
            self._send_pending_start()
        elif not self._pick_timer.isActive():
            self._pick_timer.start()

    def _send_pending_start(self) -> None:
        start, self._pending_start = self._pending_start, None
        if start is None:
            return
        if self.experiment_model.update(start=start) is not False:
            self.startPicked.emit(start)


def _round_to_pixel(value: float, pixel: float) -> float:
    """Round a clicked coordinate to the screen's precision, so the start reads (−1.53, 2.07), not 17 digits."""
    if not (pixel > 0 and math.isfinite(pixel)):
        return float(value)
    decimals = max(0, -math.floor(math.log10(pixel)))
    return round(float(value), decimals)


def _log_ticks(levels: tuple[float, float], base: float) -> list[list[tuple[float, str]]]:
    """Colour-bar ticks for colours c = log₁₀(f − base) spanning ``levels``, labelled with round values of f.

    Candidates are 0 and ±{1, 2, 5}·10ᵏ; decades win over 2s and 5s, and ticks closer than an eighth of the
    bar are dropped.
    """
    lo, hi = levels
    top = base + 10.0**hi
    biggest = math.ceil(math.log10(max(abs(top), abs(base + 10.0**lo), 1e-300))) + 1
    exponents = range(biggest - 16, biggest + 1)
    candidates = [0.0] + [sign * m * 10.0**k for m in (1.0, 2.0, 5.0) for k in exponents for sign in (1.0, -1.0)]
    min_gap = (hi - lo) / 8.0
    chosen: list[tuple[float, str]] = []
    for f in candidates:  # ordered: 0, then decades, then 2s, then 5s
        if f - base <= 0:
            continue
        position = math.log10(f - base)
        if lo <= position <= hi and all(abs(position - p) >= min_gap for p, _ in chosen):
            chosen.append((position, _short(f)))
    return [sorted(chosen), []]


def _short(value: float) -> str:
    return f"{value:.3g}".replace("-", "\u2212")
