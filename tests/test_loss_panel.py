"""LossPanel plots f and |∇f| per step from the RunModel (or CompareModel), with a log-y that falls back to linear
(and says so) when the data has values ≤ 0, and a cursor line that scrubs the run."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from gdstudio.engine.batch import iter_batch
from gdstudio.engine.descent import run_descent
from gdstudio.experiment import DescentExperiment
from gdstudio.models.compare_model import CompareModel
from gdstudio.models.run_model import RunModel
from gdstudio.views.loss_panel import MAX_DRAWN_POINTS, LossPanel, peak_decimate

_ALIVE: list = []
"""Panels of the running test, kept referenced until Qt has deleted them (see the fixture below)."""


@pytest.fixture(autouse=True)
def _delete_panels_deterministically():
    """Let Qt delete each closed panel before Python may garbage-collect it.

    A top-level panel is owned by Python; if the cycle collector frees its wrappers before qtbot's deleteLater has
    run, pyqtgraph items lose their Python half while still in a live scene and the next paint crashes. Holding a
    reference until the deferred delete has happened makes the order deterministic.
    """
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for obj in _ALIVE:  # an ExperimentModel collected with commands on its undo stack crashes (reported)
        stack = getattr(obj, "undo_stack", None)
        if stack is not None:
            stack.clear()
    _ALIVE.clear()
    gc.collect()


BOWL = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.1}, steps=40)
BOOK1D = DescentExperiment(function_name="book1d", start=(10.0,), hyper={"lr": 10.0}, steps=30)


def _panel(qtbot, exp: DescentExperiment):
    run, compare = RunModel(exp.resolve_function().dim), CompareModel()
    panel = LossPanel(run, compare)
    qtbot.addWidget(panel)
    _ALIVE.append(panel)
    panel.resize(500, 400)
    panel.show()
    run.append(run_descent(exp.to_config()))
    panel.flush()
    return panel, run, compare


def test_curves_show_value_and_gradient_norm_per_step(qtbot):
    panel, run, _ = _panel(qtbot, BOWL)
    x, y = panel.value_item.getData()
    np.testing.assert_array_equal(x, run.steps)
    np.testing.assert_array_equal(y, run.values)
    x, y = panel.grad_item.getData()
    np.testing.assert_array_equal(x, run.steps)
    np.testing.assert_array_equal(y, run.grad_norms)


def test_log_y_on_positive_data(qtbot):
    panel, _, _ = _panel(qtbot, BOWL)
    assert panel.log_y_effective() == (False, False)
    panel.set_log_y(True)
    assert panel.log_y_effective() == (True, True)
    assert panel.note_label.isHidden()
    panel.set_log_y(False)
    assert panel.log_y_effective() == (False, False)


def test_log_y_falls_back_to_linear_when_f_is_not_positive(qtbot):
    panel, run, _ = _panel(qtbot, BOOK1D)
    assert run.values.min() < 0  # book1d's minimum is −0.25
    panel.set_log_y(True)
    assert panel.log_y_requested()
    assert panel.log_y_effective() == (False, True)  # only the f plot falls back
    assert not panel.note_label.isHidden()
    assert "≤ 0" in panel.note_label.text()


def test_zero_gradient_norm_keeps_its_axis_linear(qtbot):
    exact = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.5}, steps=3)  # lands on 0
    panel, run, _ = _panel(qtbot, exact)
    assert run.grad_norms[-1] == 0.0
    panel.set_log_y(True)
    assert panel.log_y_effective() == (False, False)
    assert "|∇f|" in panel.note_label.text()


def test_cursor_line_follows_cursor_and_scrubs(qtbot):
    panel, run, _ = _panel(qtbot, BOWL)
    run.set_cursor(7)
    panel.flush()
    assert [line.value() for line in panel.cursor_lines] == [7.0, 7.0]
    line = panel.cursor_lines[1]
    line.setValue(12.3)
    line.sigDragged.emit(line)  # what a drag of the line does
    assert run.cursor == 12


def test_compare_overlays_every_series_in_its_colour(qtbot):
    panel, _, compare = _panel(qtbot, BOWL)
    colors = [(0, 114, 178), (230, 159, 0), (0, 158, 115)]
    groups = [("sgd", {"lr": 0.05}), ("momentum", {"lr": 0.05}), ("adam", {"lr": 0.3})]
    compare.start(["a", "b", "c"], colors, 2)
    compare.append(list(iter_batch(BOWL.resolve_function(), np.tile([-3.0, 4.0], (3, 1)), groups, 25)))
    panel.flush()
    assert len(panel.compare_items) == 3
    for i, (value_item, grad_item) in enumerate(panel.compare_items):
        x, y = value_item.getData()
        np.testing.assert_array_equal(x, compare.steps)
        np.testing.assert_array_equal(y, compare.values[:, i])
        np.testing.assert_array_equal(grad_item.getData()[1], compare.grad_norms[:, i])
        assert value_item.opts["pen"].color().getRgb()[:3] == colors[i]
        assert grad_item.opts["pen"].color().getRgb()[:3] == colors[i]
    assert not panel.value_item.isVisible()
    assert [label.text for _, label in panel.legend.items] == ["a", "b", "c"]
    compare.clear()
    panel.flush()
    assert panel.compare_items == [] and panel.value_item.isVisible()


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_non_finite_values_become_gaps(qtbot, bad):
    panel, run, _ = _panel(qtbot, BOWL)
    run.values[3] = bad  # a diverged run overflows
    panel._run_changed()
    panel.flush()
    y = panel.value_item.getData()[1]
    assert np.isnan(y[3]) and np.isfinite(y[4])


def test_long_curves_are_peak_decimated_keeping_spikes_and_the_newest_point():
    n = 100_003
    x = np.arange(n, dtype=float)
    y = np.ones(n)
    y[31_337] = 1e9  # one spike (a near-divergence) must survive
    y[50_000:50_010] = np.nan  # a gap must not make the bucket vanish or warn
    xs, ys = peak_decimate(x, y, limit=1000)
    assert len(xs) <= 1000 + 1000 // 2
    assert np.nanmax(ys) == 1e9 and np.nanmin(ys) == 1.0
    assert (xs[-1], ys[-1]) == (x[-1], y[-1])
    assert np.all(np.diff(xs) >= 0)
    head_x, head_y = x[:10], y[:10]
    assert peak_decimate(head_x, head_y, limit=1000) == (head_x, head_y)  # short curves pass through as they are


def test_panel_draws_a_bounded_number_of_points_for_long_runs(qtbot):
    from gdstudio.engine.descent import Snapshot

    run, compare = RunModel(1), CompareModel()
    panel = LossPanel(run, compare)
    qtbot.addWidget(panel)
    _ALIVE.append(panel)
    n = 3 * MAX_DRAWN_POINTS
    run.append([Snapshot(i, np.array([float(i)]), float(n - i), np.array([1.0]), 1.0, "running") for i in range(n)])
    panel.flush()
    x, y = panel.value_item.getData()
    assert len(x) <= MAX_DRAWN_POINTS + 2
    assert (x[-1], y[-1]) == (n - 1, 1.0) and y.max() == n
