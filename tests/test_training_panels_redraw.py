"""The network lab's panels reuse their plot items: a run only updates them (setData/setImage/setText), so the
scenes hold as many items after a whole run as after its first epoch; hidden panels catch up when shown."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QGraphicsView

from gdstudio.app.network_lab_window import NetworkLabWindow
from gdstudio.app.preferences import Preferences
from gdstudio.models.training_settings_model import TrainingSettings

TIMEOUT = 30_000


def _item_counts(window: NetworkLabWindow) -> dict[str, int]:
    counts = {}
    for name, panel in window.panels.items():
        for k, view in enumerate(panel.findChildren(QGraphicsView)):
            counts[f"{name}[{k}]"] = len(view.scene().items())
    return counts


def _flush(window: NetworkLabWindow) -> None:
    for panel in window.panels.values():
        panel.flush()


@pytest.fixture
def window(qtbot, tmp_path):
    settings = TrainingSettings(epochs=40)  # XOR 2-4-1 tanh
    win = NetworkLabWindow(Preferences.from_file(tmp_path / "settings.ini"), settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.session.run_model.count == 1, timeout=TIMEOUT)
    yield win
    win.session.stop_all()
    qtbot.waitUntil(lambda: not win.session.busy, timeout=TIMEOUT)


def test_a_run_reuses_every_panels_items(qtbot, window):
    session, model = window.session, window.session.run_model
    session.step_epoch()
    qtbot.waitUntil(lambda: model.last_epoch >= 1 and not session.busy, timeout=TIMEOUT)
    _flush(window)
    after_first = _item_counts(window)
    assert sum(after_first.values()) > 0
    session.play()
    qtbot.waitUntil(lambda: model.state == "done", timeout=TIMEOUT)
    _flush(window)
    assert _item_counts(window) == after_first


def test_a_hidden_panel_defers_its_redraw_until_shown(qtbot, window):
    panel = window.panels["gradient_panel"]
    dock = window.panel_docks["gradient_panel"]
    dock.hide()  # closed (or behind another tab): the window is shown, the panel is not
    assert not panel.isVisible() and window.isVisible()
    drawn = []
    original = panel._redraw
    panel._redraw = lambda dirty: (drawn.append(set(dirty)), original(dirty))
    panel._scheduler.mark("structure")
    panel._scheduler.flush()  # the timer path: kept for later
    assert drawn == []
    dock.show()
    qtbot.waitUntil(lambda: panel.isVisible(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: bool(drawn), timeout=TIMEOUT)
    assert "structure" in drawn[0]
