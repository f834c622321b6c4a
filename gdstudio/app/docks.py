"""Dock widgets for both labs' windows: a named dock that can be moved, closed and floated, and a scrolling holder
for a long settings form.

The object name is what ``saveState``/``restoreState`` match docks by, so every dock is created here with one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QMainWindow, QScrollArea, QWidget

__all__ = ["add_dock", "scrolling"]


def add_dock(window: QMainWindow, name: str, area: Qt.DockWidgetArea, widget: QWidget | None = None) -> QDockWidget:
    """A movable, closable, floatable dock named ``name`` (saved layouts find it by that), added to ``window``
    in ``area``, holding ``widget`` if given."""
    dock = QDockWidget(window)
    dock.setObjectName(name)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    if widget is not None:
        dock.setWidget(widget)
    window.addDockWidget(area, dock)
    return dock


def scrolling(panel: QWidget, parent: QWidget, name: str) -> QScrollArea:
    """``panel`` in a scroll area named ``name``: a long form scrolls on a small screen instead of being squeezed,
    and is never narrower than the form itself (no horizontal scroll bar)."""
    scroll = QScrollArea(parent)
    scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(panel)
    scroll.setMinimumWidth(panel.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
    return scroll
