"""SurfaceModel: the sampled background of the contour panel (height map or 1-D curve, and the −∇f arrows).

Sampling happens on a worker thread (the Session runs it); this model only holds the latest result for the views.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from gdstudio.engine.functions import Function
from gdstudio.engine.surface import Curve1D, Surface, VectorField

__all__ = ["SurfaceModel"]


class SurfaceModel(QObject):
    """The function currently drawn and its samples; ``changed`` after each recomputation."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.function: Function | None = None
        self.surface: Surface | Curve1D | None = None
        self.field: VectorField | None = None

    def set_samples(self, function: Function, surface: Surface | Curve1D, field: VectorField | None) -> None:
        self.function, self.surface, self.field = function, surface, field
        self.changed.emit()

    def clear(self) -> None:
        self.function = self.surface = self.field = None
        self.changed.emit()
