"""TrainingLossPanel: batch loss with its moving average, epoch curves, accuracy, log-y, coalesced redraws."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6 import QtCore  # noqa: F401  (PySide6 before pyqtgraph)
import pyqtgraph as pg

from gdstudio.engine.nn import TrainingSnapshot
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS
from gdstudio.views.widgets import LIVE_BUDGET
from gdstudio.views.training_loss_panel import TrainingLossPanel, ema


def make_info(task: str = "classification") -> TrainingInfo:
    return TrainingInfo("1-1 → identity + mse", (1, 1), ("identity",), ("Layer 1",), ("W1", "b1"), ((1, 1), (1,)),
                        2, task, 2 if task == "classification" else None, None, None, None, None, None, None, 5, 50,
                        "line")


def snaps(start: int, stop: int, loss=lambda i: 1.0 / (i + 1)) -> list[TrainingSnapshot]:
    out = []
    for i in range(start, stop):
        end = i % 5 == 0
        metrics = dict(train_loss=loss(i), train_accuracy=min(i / 50, 1.0), test_loss=1.1 * loss(i),
                       test_accuracy=0.5) if end else {}
        out.append(TrainingSnapshot(i, i // 5, i * 10, loss(i), "running", epoch_end=end, **metrics))
    return out


@pytest.fixture
def panel(qtbot):
    model = TrainingRunModel()
    widget = TrainingLossPanel(model)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    return widget


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=300), st.sampled_from([0.0, 0.3, 0.9, 0.99]),
       st.integers(1, 299))
def test_ema_matches_the_recursion_and_can_continue(values, alpha, cut):
    x = np.array(values)
    expected, state = [], x[0]
    for v in x:
        state = alpha * state + (1 - alpha) * v if alpha else v
        expected.append(state)
    np.testing.assert_allclose(ema(x, alpha), expected, rtol=1e-9, atol=1e-9)
    cut = min(cut, len(x))
    head = ema(x[:cut], alpha)
    joined = np.concatenate([head, ema(x[cut:], alpha, head[-1])])
    np.testing.assert_allclose(joined, expected, rtol=1e-9, atol=1e-9)


def test_long_series_stay_finite():
    y = ema(np.ones(200_000), 0.99)
    assert np.all(np.isfinite(y)) and abs(y[-1] - 1) < 1e-9


def test_curves_follow_the_model_after_a_flush(panel):
    model = panel.run_model
    model.begin(make_info())
    model.append(snaps(0, 30))
    model.append(snaps(30, 51))
    assert panel._scheduler.pending()  # nothing drawn per batch: one redraw per frame
    panel.flush()
    x, y = panel.batch_item.getData()
    np.testing.assert_array_equal(x, np.arange(51))
    np.testing.assert_array_equal(y, model.batch_losses)
    xs, ys = panel.smooth_item.getData()
    np.testing.assert_allclose(ys, ema(model.batch_losses, panel.smoothing()))
    x, y = panel.train_item.getData()
    np.testing.assert_array_equal(x, [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50])
    np.testing.assert_array_equal(panel.test_accuracy_item.getData()[1], 0.5)
    assert panel.accuracy_plot.isVisible()


def test_smoothing_slider_and_incremental_average(panel):
    model = panel.run_model
    model.begin(make_info())
    model.append(snaps(0, 40))
    panel.flush()
    model.append(snaps(40, 90))
    panel.flush()
    np.testing.assert_allclose(panel.smooth_item.getData()[1], ema(model.batch_losses, panel.smoothing()))
    panel.set_smoothing(0.9)
    panel.flush()
    np.testing.assert_allclose(panel.smooth_item.getData()[1], ema(model.batch_losses, 0.9))
    panel.set_smoothing(0)
    panel.flush()
    assert not panel.smooth_item.isVisible() and panel.smoothing_value.text() == "off"


def test_log_scale_and_its_fallback(panel):
    model = panel.run_model
    model.begin(make_info())
    model.append(snaps(0, 20))
    panel.log_check.setChecked(True)
    assert panel.log_y_effective() and not panel.note_label.isVisible()
    model.append(snaps(20, 21, loss=lambda i: 0.0))
    panel.flush()
    assert not panel.log_y_effective() and panel.note_label.isVisible()


def test_regression_hides_accuracy_and_divergence_leaves_a_gap(panel):
    model = panel.run_model
    model.begin(make_info("regression"))
    model.append(snaps(0, 10))
    model.append([TrainingSnapshot(10, 2, 100, math.inf, "diverged", "The loss became infinite")])
    panel.flush()
    assert not panel.accuracy_plot.isVisible()
    y = panel.batch_item.getData()[1]
    assert len(y) == 11 and np.isnan(y[-1]) and np.all(np.isfinite(y[:-1]))


def test_clearing_empties_every_curve(panel):
    model = panel.run_model
    model.begin(make_info())
    model.append(snaps(0, 10))
    panel.flush()
    model.clear()
    panel.flush()
    for item in (panel.batch_item, panel.smooth_item, panel.train_item, panel.test_accuracy_item):
        x, _ = item.getData()
        assert x is None or len(x) == 0


def test_a_live_run_redraws_at_the_loss_rate_in_thin_aliased_lines_on_held_axes(panel, qtbot, monkeypatch):
    monkeypatch.setitem(pg.CONFIG_OPTIONS, "antialias", True)  # as the application sets it
    LIVE_BUDGET.reset()  # the panels' own rates (not stretched by an earlier test's load)
    model = panel.run_model
    model.begin(make_info())
    model.append(snaps(0, 5))
    panel.flush()
    assert panel.antialiased() and panel.smooth_item.opts["pen"].widthF() == 2
    drawn = []
    original = panel._draw_steps
    panel._draw_steps = lambda: (drawn.append(1), original())
    model.set_state("running")
    start, step = time.monotonic(), 5
    while time.monotonic() - start < 0.6:  # ~60 batches a second, as the worker sends them
        model.append(snaps(step, step + 5))
        step += 5
        qtbot.wait(16)
    elapsed = time.monotonic() - start
    assert 1 <= len(drawn) <= elapsed / (LIVE_INTERVAL_MS["loss"] / 1000) + 1
    panel.flush()  # (still live: drawn as the timer would)
    assert not panel.antialiased() and panel.smooth_item.opts["pen"].widthF() == 1
    assert panel.loss_plot.getViewBox().autoRangeEnabled() == [False, False]  # held, growing with the data
    assert panel.loss_plot.getViewBox().viewRange()[0][1] >= step - 1
    model.set_state("paused")
    qtbot.waitUntil(panel.antialiased, timeout=2000)  # within a frame: smooth again, axes fitted again
    assert panel.smooth_item.opts["pen"].widthF() == 2
    assert panel.loss_plot.getViewBox().autoRangeEnabled() == [True, True]
    np.testing.assert_array_equal(panel.batch_item.getData()[1], model.batch_losses)
