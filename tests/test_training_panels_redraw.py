"""The network lab's panels reuse their plot items: a run only updates them (setData/setImage/setText), so the
scenes hold as many items after a whole run as after its first epoch (and after a reset, for the same network);
hidden panels catch up when shown. While a run trains each panel redraws at its own live rate (live_redraw)."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QGraphicsView
import pyqtgraph as pg

from conftest import PANELS_ALIVE as _ALIVE
from gdstudio.app.network_lab_window import NetworkLabWindow
from gdstudio.app.preferences import Preferences
from gdstudio.engine.nn import TrainingSnapshot
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.models.training_settings_model import TrainingSettings
from gdstudio.views.live_redraw import LIVE_HEADROOM, LIVE_INTERVAL_MS, LiveRanges, LiveRedrawScheduler
from gdstudio.views.training_status_bar import TrainingStatusBar
from gdstudio.views.widgets import LIVE_BUDGET, LiveBudget, RedrawScheduler

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


# -- the live redraw policy (views/live_redraw.py) ---------------------------------------------------------------

def _marking(qtbot, scheduler, parts, seconds: float) -> float:
    """Mark ``parts`` every ~10 ms for ``seconds`` (a run sending batches); returns the time it really took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        scheduler.mark(*parts)
        qtbot.wait(10)
    return time.monotonic() - start


def test_a_live_run_redraws_at_the_panels_rate_and_a_stop_redraws_within_a_frame(qtbot):
    model = TrainingRunModel()
    drawn: list[set[str]] = []
    switches: list[bool] = []
    scheduler = LiveRedrawScheduler(lambda parts: drawn.append(set(parts)), live_interval_ms=150, run_model=model,
                                    on_live=switches.append, budget=LiveBudget(share=1.0))
    assert not scheduler.live() and scheduler.interval() == RedrawScheduler.INTERVAL_MS
    model.set_state("running")
    assert scheduler.live() and scheduler.interval() == 150 and switches == [True]
    elapsed = _marking(qtbot, scheduler, ("steps",), 0.6)
    assert 1 <= len(drawn) <= elapsed / 0.150 + 1  # ~60 marks a second, at most one redraw per 150 ms
    scheduler.mark("steps")
    model.set_state("paused")  # the pending redraw comes at the frame interval now
    assert not scheduler.live() and scheduler.interval() == RedrawScheduler.INTERVAL_MS and switches == [True, False]
    qtbot.waitUntil(lambda: not scheduler.pending(), timeout=2000)
    model.set_state("done")
    assert switches == [True, False]  # paused → done: still not live


def test_the_budget_stretches_every_live_interval_while_the_gui_thread_takes_too_much():
    clock = {"wall": 0.0, "cpu": 0.0}
    budget = LiveBudget(share=0.05, window_s=0.45, max_scale=8.0, clock=lambda: clock["wall"],
                        cpu=lambda: clock["cpu"])  # a window closes every fifth redraw

    def run(seconds: float, share: float) -> float:  # live redraws every 0.1 s taking ``share`` of the GUI thread
        for _ in range(round(seconds / 0.1)):
            clock["wall"] += 0.1
            clock["cpu"] += 0.1 * share
            budget.note()
        return budget.scale

    budget.start()
    assert run(0.4, 0.20) == 1.0  # less than a window: not measured yet
    assert run(0.1, 0.20) == 2.0  # 4× the share: at most ×2 per window
    assert run(0.5, 0.20) == 4.0 and run(2.0, 0.20) == 8.0  # … up to max_scale
    assert run(0.5, 0.04) == 8.0  # within the share: kept
    assert run(0.5, 0.01) == pytest.approx(6.4)  # well below: relaxing towards the panels' rates
    assert run(20.0, 0.0) == 1.0  # never faster than the panels' own rates
    clock["wall"] += 60.0  # a long pause (idle, cheap) …
    clock["cpu"] += 0.01
    budget.start()  # … does not count: the next run is measured afresh
    assert run(0.5, 0.20) == 2.0
    budget.reset()
    assert budget.scale == 1.0


def test_a_live_scheduler_stretches_its_interval_by_the_budget(qtbot):
    model = TrainingRunModel()
    budget = LiveBudget()
    budget.scale = 3.0
    scheduler = LiveRedrawScheduler(lambda parts: None, live_interval_ms=100, run_model=model, budget=budget)
    model.set_state("running")
    assert scheduler.interval() == 300
    model.set_state("paused")
    assert scheduler.interval() == RedrawScheduler.INTERVAL_MS
    assert LIVE_BUDGET.max_scale * LIVE_INTERVAL_MS["loss"] <= 1000  # even fully stretched: a loss frame a second


def test_slow_parts_wait_while_live_but_flush_draws_everything(qtbot):
    model = TrainingRunModel()
    drawn: list[set[str]] = []
    scheduler = LiveRedrawScheduler(lambda parts: drawn.append(set(parts)), live_interval_ms=40, run_model=model,
                                    slow_parts={"detail": 400}, budget=LiveBudget(share=1.0))
    model.set_state("running")
    elapsed = _marking(qtbot, scheduler, ("norms", "detail"), 1.0)
    details = sum("detail" in parts for parts in drawn)
    assert 1 <= details <= elapsed / 0.400 + 1
    assert len(drawn) > details  # the fast part went on without it
    scheduler.mark("detail")
    scheduler.flush()  # tests, exporters, a hidden panel shown: everything now
    assert "detail" in drawn[-1] and not scheduler.pending()


def test_live_ranges_hold_grow_with_headroom_and_give_the_axes_back(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    curve = plot.plot()
    item = plot.getPlotItem()
    vb = item.getViewBox()
    ranges = LiveRanges([(item, 0), (item, 1)], limit=lambda axis: (0.0, 1000.0) if axis == 0 else None)
    curve.setData(np.arange(101.0), np.linspace(1.0, 0.5, 101))
    vb.prepareForPaint()  # auto-range fits the first data
    ranges.update(True)
    assert vb.autoRangeEnabled() == [False, False] and len(ranges.held()) == 2
    held = [list(r) for r in vb.viewRange()]
    curve.setData(np.arange(101.0), np.linspace(1.0, 0.5, 101))  # the same extent: nothing moves
    ranges.update(True)
    assert [list(r) for r in vb.viewRange()] == held
    curve.setData(np.arange(201.0), np.linspace(1.0, 0.3, 201))  # steps and loss leave the held ranges
    ranges.update(True)
    (x0, x1), (y0, y1) = vb.viewRange()
    assert x1 >= 200 + LIVE_HEADROOM[0] * 150 and x0 == held[0][0]  # doubled, the left side stays
    assert y0 < 0.3 and y1 == held[1][1]
    curve.setData(np.arange(901.0), np.linspace(1.0, 0.2, 901))
    ranges.update(True)
    assert vb.viewRange()[0][1] <= 1000.0  # never past the run's last step
    ranges.update(False)
    assert vb.autoRangeEnabled() == [True, True] and ranges.held() == []


def test_the_status_bar_follows_a_live_run_at_its_rate_and_is_exact_when_it_ends(qtbot):
    model = TrainingRunModel()
    bar = TrainingStatusBar(model)
    qtbot.addWidget(bar)
    _ALIVE.append(model)
    info = TrainingInfo("2-1", (2, 1), ("sigmoid",), ("Layer 1",), ("W1", "b1"), ((2, 1), (1,)), 3,
                        "classification", 2, None, None, None, None, None, None, 1, 500, "gates")
    model.begin(info)
    model.set_state("running")
    texts = []
    set_text = bar.step_label.setText
    bar.step_label.setText = lambda text: (texts.append(text), set_text(text))
    start = time.monotonic()
    for step in range(1, 400):
        model.append([TrainingSnapshot(step, step, step, 1.0 / step, "running", epoch_end=True, train_loss=0.5,
                                       train_accuracy=0.5, test_loss=0.5, test_accuracy=0.5)])
        if step % 8 == 0:
            qtbot.wait(5)
    elapsed = time.monotonic() - start
    assert len(texts) <= elapsed / (LIVE_INTERVAL_MS["status"] / 1000) + 1  # not once per batch
    model.append([TrainingSnapshot(400, 400, 400, 0.01, "finished", epoch_end=True, train_loss=0.01,
                                   train_accuracy=1.0, test_loss=0.01, test_accuracy=1.0)])
    model.finish("finished")
    assert bar.step_label.text() == "step 400 / 500" and bar.state_label.text() == "Finished"
    assert "100.0%" in bar.accuracy_label.text()


def test_a_reset_keeps_the_diagrams_and_digits_items_for_the_same_network(qtbot, window):
    session, model = window.session, window.session.run_model
    diagram = window.panels["network_diagram"]
    diagram.flush()
    texts = list(diagram.text_items)
    assert texts
    session.reset()  # cleared (drawn: no network) … then the same network again
    diagram.flush()
    qtbot.waitUntil(lambda: model.count == 1 and not session.busy, timeout=TIMEOUT)
    diagram.flush()
    assert diagram.text_items == texts and all(item.isVisible() for item in texts)
    assert diagram.unit_position(1, 0) is not None
