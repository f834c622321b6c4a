"""BasinModel: which minimum each start point of a grid leads to (computed on a worker, shown by BasinPanel)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

__all__ = ["BasinModel"]


class BasinModel(QObject):
    """``progress`` (0…1) while the map is computed, ``updated`` when ``result`` is ready, ``cleared`` on reset."""

    progress = Signal(float)
    updated = Signal()
    cleared = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.result = None  # gdstudio.engine.basins.BasinResult | None
        self.active = False
        self.fraction = 0.0

    def begin(self) -> None:
        """A new map is being computed: forget the old one."""
        self.result = None
        self.active = True
        self.fraction = 0.0
        self.cleared.emit()
        self.progress.emit(0.0)

    def set_progress(self, fraction: float) -> None:
        self.fraction = float(min(max(fraction, 0.0), 1.0))
        self.progress.emit(self.fraction)

    def set_result(self, result) -> None:
        self.result = result
        self.active = False
        self.fraction = 1.0
        self.progress.emit(1.0)
        self.updated.emit()

    def clear(self) -> None:
        self.result = None
        self.active = False
        self.fraction = 0.0
        self.cleared.emit()
