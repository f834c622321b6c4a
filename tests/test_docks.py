"""The dock helpers both lab windows build their docks with."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFormLayout, QLineEdit, QMainWindow, QScrollArea, QWidget

from gdstudio.app.docks import add_dock, scrolling


def test_add_dock_names_places_and_fills_the_dock(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = QWidget()
    dock = add_dock(window, "loss_dock", Qt.DockWidgetArea.RightDockWidgetArea, panel)
    empty = add_dock(window, "basin_dock", Qt.DockWidgetArea.LeftDockWidgetArea)
    assert dock.objectName() == "loss_dock" and dock.widget() is panel and dock.parent() is window
    assert empty.widget() is None
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(empty) == Qt.DockWidgetArea.LeftDockWidgetArea
    features = dock.features()
    for feature in (QDockWidget.DockWidgetFeature.DockWidgetMovable, QDockWidget.DockWidgetFeature.DockWidgetClosable,
                    QDockWidget.DockWidgetFeature.DockWidgetFloatable):
        assert features & feature
    state = window.saveState()  # docks are found by name in a saved layout
    window.removeDockWidget(dock)
    assert window.restoreState(state) and window.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea


def test_a_long_form_scrolls_vertically_and_is_never_squeezed(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    form = QWidget()
    layout = QFormLayout(form)
    for i in range(40):
        layout.addRow(f"Field {i}", QLineEdit())
    scroll = scrolling(form, window, "controls_scroll")
    assert isinstance(scroll, QScrollArea) and scroll.objectName() == "controls_scroll"
    assert scroll.widget() is form and scroll.widgetResizable() and scroll.parent() is window
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert scroll.minimumWidth() >= form.minimumSizeHint().width()
