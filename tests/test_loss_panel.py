"""LossPanel plots f and |∇f| per step from the RunModel (or CompareModel), with a log-y that falls back to linear
(and says so) when the data has values ≤ 0, and a cursor line that scrubs the run."""

from __future__ import annotations

import numpy as np
import pytest

from gdstudio.engine.batch import iter_batch
from gdstudio.engine.descent import run_descent
from gdstudio.experiment import DescentExperiment
from gdstudio.models.compare_model import CompareModel
from gdstudio.models.run_model import RunModel
from gdstudio.views.loss_panel import MAX_DRAWN_POINTS, LossPanel, live_range, peak_decimate


BOWL = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.1}, steps=40)
BOOK1D = DescentExperiment(function_name="book1d", start=(10.0,), hyper={"lr": 10.0}, steps=30)


def _panel(qtbot, keep_alive: list, exp: DescentExperiment):
    run, compare = RunModel(exp.resolve_function().dim), CompareModel()
    panel = LossPanel(run, compare)
    qtbot.addWidget(panel)
    keep_alive.append(panel)
    panel.resize(500, 400)
    panel.show()
    run.append(run_descent(exp.to_config()))
    panel.flush()
    return panel, run, compare


def test_curves_show_value_and_gradient_norm_per_step(qtbot, keep_alive):
    panel, run, _ = _panel(qtbot, keep_alive, BOWL)
    x, y = panel.value_item.getData()
    np.testing.assert_array_equal(x, run.steps)
    np.testing.assert_array_equal(y, run.values)
    x, y = panel.grad_item.getData()
    np.testing.assert_array_equal(x, run.steps)
    np.testing.assert_array_equal(y, run.grad_norms)


def test_log_y_on_positive_data(qtbot, keep_alive):
    panel, _, _ = _panel(qtbot, keep_alive, BOWL)
    assert panel.log_y_effective() == (False, False)
    panel.set_log_y(True)
    assert panel.log_y_effective() == (True, True)
    assert panel.note_label.isHidden()
    panel.set_log_y(False)
    assert panel.log_y_effective() == (False, False)


def test_log_y_falls_back_to_linear_when_f_is_not_positive(qtbot, keep_alive):
    panel, run, _ = _panel(qtbot, keep_alive, BOOK1D)
    assert run.values.min() < 0  # book1d's minimum is −0.25
    panel.set_log_y(True)
    assert panel.log_y_requested()
    assert panel.log_y_effective() == (False, True)  # only the f plot falls back
    assert not panel.note_label.isHidden()
    assert "≤ 0" in panel.note_label.text()


def test_zero_gradient_norm_keeps_its_axis_linear(qtbot, keep_alive):
    exact = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.5}, steps=3)  # lands on 0
    panel, run, _ = _panel(qtbot, keep_alive, exact)
    assert run.grad_norms[-1] == 0.0
    panel.set_log_y(True)
    assert panel.log_y_effective() == (False, False)
    assert "|∇f|" in panel.note_label.text()


def test_cursor_line_follows_cursor_and_scrubs(qtbot, keep_alive):
    panel, run, _ = _panel(qtbot, keep_alive, BOWL)
    run.set_cursor(7)
    panel.flush()
    assert [line.value() for line in panel.cursor_lines] == [7.0, 7.0]
    line = panel.cursor_lines[1]
    line.setValue(12.3)
    line.sigDragged.emit(line)  # what a drag of the line does
    assert run.cursor == 12


def test_compare_overlays_every_series_in_its_colour(qtbot, keep_alive):
    panel, _, compare = _panel(qtbot, keep_alive, BOWL)
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
def test_non_finite_values_become_gaps(qtbot, bad, keep_alive):
    panel, run, _ = _panel(qtbot, keep_alive, BOWL)
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


def _long_run(n: int) -> list:
    from gdstudio.engine.descent import Snapshot

    return [Snapshot(i, np.array([float(i)]), float(n - i), np.array([1.0]), 1.0, "running") for i in range(n)]


def test_panel_draws_a_bounded_number_of_points_for_long_runs(qtbot, keep_alive):
    run, compare = RunModel(1), CompareModel()
    panel = LossPanel(run, compare)
    qtbot.addWidget(panel)
    keep_alive.append(panel)
    panel.resize(500, 400)
    panel.show()
    n = 3 * MAX_DRAWN_POINTS
    run.append(_long_run(n))
    panel.flush()
    x, y = panel.value_item.getOriginalDataset()  # handed to pyqtgraph: peak-decimated, newest point kept
    assert len(x) <= MAX_DRAWN_POINTS + 2
    assert (x[-1], y[-1]) == (n - 1, 1.0) and y.max() == n
    shown_x, shown_y = panel.value_item.getData()  # painted: the min and max of each pixel column
    width = panel.value_plot.vb.width()
    assert 0 < width and len(shown_x) <= 4 * width + 4
    assert shown_y.max() == n and shown_y.min() <= 1.0 + 2 * n / width
    assert shown_x[-1] >= n - 1 - 2 * panel.value_plot.vb.viewPixelSize()[0]  # reaches the last column


def _streaming_run(qtbot, keep_alive, batches: int = 20, rows: int = 500):
    """A panel fed like a run at full speed: running, then batches of ``rows`` rows."""
    run, compare = RunModel(1), CompareModel()
    panel = LossPanel(run, compare)
    qtbot.addWidget(panel)
    keep_alive.append(panel)
    panel.resize(500, 400)
    panel.show()
    snaps = _long_run(batches * rows)
    run.append(snaps[:1])
    run.set_state("running")
    return panel, run, snaps


def test_curves_lose_antialiasing_only_while_a_run_streams_in(qtbot, keep_alive):
    panel, run, snaps = _streaming_run(qtbot, keep_alive)
    panel.flush()
    assert panel.antialiased()  # running, but nothing streamed yet
    run.append(snaps[1:500])
    panel.flush()
    assert not panel.antialiased()
    run.append(snaps[500:503])  # a paced run: a few rows a frame
    panel.flush()
    assert panel.antialiased()
    run.append(snaps[503:1500])
    panel.flush()
    assert not panel.antialiased()
    run.set_state("paused")
    panel.flush()
    assert panel.antialiased()


def test_axes_hold_still_while_running_and_fit_the_data_after(qtbot, keep_alive):
    panel, run, snaps = _streaming_run(qtbot, keep_alive, batches=40, rows=500)
    vb = panel.value_plot.vb
    ranges = []
    for k in range(1, len(snaps), 500):
        run.append(snaps[k:k + 500])
        panel.flush()
        (x0, x1), (y0, y1) = vb.viewRange()
        assert x0 <= 0 and x1 >= run.steps[-1]  # the newest step is always on show …
        assert y0 <= run.values.min() and y1 >= run.values.max()
        ranges.append((x0, x1, y0, y1))
    assert len(set(ranges)) <= 12  # … but the axes were laid out again a handful of times, not 40
    assert vb.autoRangeEnabled() == [False, False]
    run.set_state("done")
    panel.flush()
    assert all(vb.autoRangeEnabled())
    x1 = vb.viewRange()[0][1]
    assert x1 < run.steps[-1] * 1.1  # fitted to the data again (no headroom)


def test_live_range_grows_with_headroom_only_when_the_data_leaves():
    assert live_range((0.0, 100.0), (0.0, 80.0), 0.5) is None
    assert live_range((0.0, 100.0), (0.0, 120.0), 0.5) == (0.0, 180.0)
    assert live_range((0.0, 10.0), (-2.0, 8.0), 0.1) == (-3.0, 10.0)
    assert live_range((5.0, 5.0), (5.0, 5.0), 0.1) is None  # a flat line fits


def test_a_range_the_user_chose_during_a_run_is_kept(qtbot, keep_alive):
    panel, run, snaps = _streaming_run(qtbot, keep_alive)
    run.append(snaps[1:2000])
    panel.flush()
    vb = panel.value_plot.vb
    vb.setRange(xRange=(100, 200), padding=0.0)  # what a wheel zoom does, and then says so
    vb.sigRangeChangedManually.emit([True, True])
    run.append(snaps[2000:])
    run.set_state("done")
    panel.flush()
    assert vb.viewRange()[0] == pytest.approx([100, 200])
