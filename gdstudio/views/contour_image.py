"""A height grid drawn as a contour map: coloured image, isolines and a colour bar with log ticks when the
colours are logarithmic. Any object with the ``Surface`` fields (``xs, ys, Z, levels, log_scale, zmin, zmax``)
works: ``engine.surface.Surface`` (the descent map) and ``engine.nn.LandscapeSlice`` (the loss landscape).

It bundles the pieces ContourPanel draws its background with (``display_heights``, ``grid_transform``,
``IsolineLayer`` and the log-tick labelling from contour_panel), so a second map looks exactly like the first.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore  # noqa: F401  (PySide6 before pyqtgraph: it picks its Qt binding from what is loaded)
import pyqtgraph as pg

from gdstudio.views import palette
from gdstudio.views.contour_panel import IsolineLayer, _log_ticks, display_heights, grid_transform

__all__ = ["HeightMap", "log_ticks"]

MIN_LOG_TICKS = 3


def log_ticks(levels: tuple[float, float], base: float) -> list[list[tuple[float, str]]]:
    """Colour-bar ticks for colours c = log₁₀(f − base): round values of f (contour_panel's rule), or — when fewer
    than three round values fall inside, as for a loss slice between 0.61 and 0.82 — five ticks evenly spaced on
    the bar, labelled with f to as many digits as it takes to tell them apart."""
    ticks = _log_ticks(levels, base)
    if len(ticks[0]) >= MIN_LOG_TICKS:
        return ticks
    lo, hi = levels
    positions = np.linspace(lo, hi, 5)
    values = base + 10.0**positions
    for digits in range(2, 10):
        labels = [f"{v:.{digits}g}".replace("-", "\u2212") for v in values]
        if len(set(labels)) == len(labels):
            break
    return [list(zip(positions.tolist(), labels)), []]


class HeightMap:
    """Image + isolines + colour bar on ``plot``; the colour bar goes into ``layout`` at (``row``, ``col``).

    ``set_surface(s)`` redraws everything from a Surface-like grid (None clears); ``log_colors`` tells whether the
    colours are log-scaled (the panel labels the colour bar accordingly).
    """

    def __init__(self, plot: pg.PlotItem, layout: pg.GraphicsLayout, row: int = 0, col: int = 1,
                 colormap: str = palette.SURFACE_COLORMAP) -> None:
        self.plot = plot
        self.cmap = pg.colormap.get(colormap)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setColorMap(self.cmap)
        self.image_item.setZValue(-100)
        plot.addItem(self.image_item)
        self.isolines = IsolineLayer(plot)
        self.colorbar_item = pg.ColorBarItem(colorMap=self.cmap, interactive=False, width=14, colorMapMenu=False)
        self.colorbar_item.axis.setWidth(None)  # as wide as its labels ("0.6114" does not fit the fixed 45 px)
        self.colorbar_item.axis.enableAutoSIPrefix(False)  # a loss of 0.7 reads "0.7", not "700 (×0.001)"
        self.colorbar_item.setImageItem(self.image_item)
        layout.addItem(self.colorbar_item, row=row, col=col)
        self.log_colors = False
        self.levels: tuple[float, float] = (0.0, 1.0)
        self.has_isolines = True

    def set_surface(self, surface, *, isolines: bool = True) -> None:
        """Show ``surface`` (None clears). ``isolines=False`` leaves them out (hidden until a later call draws
        them): they are marching squares in Python, a few ms per level, too dear while a run trains."""
        self.isolines.setVisible(isolines)
        self.has_isolines = isolines
        if surface is None:
            self.image_item.clear()
            self.isolines.set_surface(None)
            self.colorbar_item.setVisible(False)
            self.log_colors = False
            return
        image, levels, offset = display_heights(surface)
        self.image_item.setImage(image, autoLevels=False, levels=levels)
        self.image_item.setTransform(grid_transform(surface.xs, surface.ys))
        self.colorbar_item.setLevels(levels)
        self.colorbar_item.axis.setTicks(None if offset is None else log_ticks(levels, surface.zmin - offset))
        self.colorbar_item.setVisible(True)
        if isolines:
            self.isolines.set_surface(surface)
        self.log_colors = offset is not None
        self.levels = levels
