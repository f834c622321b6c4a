"""ContourPanel draws exactly what the models hold: the surface, isolines, minima, trajectory, cursor, compare paths;
and a click on the map becomes ExperimentModel.update(start=...)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, QPoint, QPointF, Qt

from gdstudio.engine.batch import iter_batch
from gdstudio.engine.descent import Snapshot, run_descent
from gdstudio.engine.surface import sample_surface, sample_vector_field
from gdstudio.experiment import DescentExperiment
from gdstudio.models.compare_model import CompareModel
from gdstudio.models.experiment_model import ExperimentModel
from gdstudio.models.run_model import RunModel
from gdstudio.models.surface_model import SurfaceModel
from gdstudio.views import palette
from gdstudio.views.contour_panel import (
    MAX_DRAWN_POINTS,
    SYMBOL_LIMIT,
    ContourPanel,
    display_heights,
    pixel_thin,
    stride_indices,
)
from gdstudio.views.widgets import LiveBudget, RedrawScheduler


def _make(qtbot, keep_alive: list, exp: DescentExperiment, resolution: int = 60):
    function = exp.resolve_function()
    models = {
        "experiment": ExperimentModel(exp),
        "run": RunModel(function.dim),
        "surface": SurfaceModel(),
        "compare": CompareModel(),
    }
    panel = ContourPanel(models["run"], models["surface"], models["compare"], models["experiment"])
    qtbot.addWidget(panel)
    keep_alive.extend([panel, *models.values()])
    panel.resize(640, 520)
    panel.show()
    qtbot.waitExposed(panel)
    models["surface"].set_samples(function, sample_surface(function, resolution=resolution),
                                  sample_vector_field(function, count=8))
    panel.flush()
    return panel, models


def _run(models, exp: DescentExperiment):
    snaps = run_descent(exp.to_config())
    models["run"].append(snaps)
    return snaps


BOWL = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.1}, steps=20)


def test_trajectory_and_current_point_follow_run_and_cursor(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    _run(models, BOWL)
    panel.flush()
    run = models["run"]
    x, y = panel.trajectory_item.getData()
    np.testing.assert_array_equal(x, run.params[:, 0])
    np.testing.assert_array_equal(y, run.params[:, 1])
    cx, cy = panel.current_point_item.getData()
    assert (cx[0], cy[0]) == (run.params[-1, 0], run.params[-1, 1])

    run.set_cursor(5)
    panel.flush()
    x, y = panel.trajectory_item.getData()
    np.testing.assert_array_equal(x, run.params[:6, 0])  # the path up to the cursor
    cx, cy = panel.current_point_item.getData()
    assert (cx[0], cy[0]) == (run.params[5, 0], run.params[5, 1])
    fx, _ = panel.future_item.getData()
    assert len(fx) == run.count - 5  # the rest of the path, drawn faintly


def test_gradient_arrow_points_along_minus_gradient(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    _run(models, BOWL)
    models["run"].set_cursor(0)
    panel.flush()
    x, y = panel.gradient_line_item.getData()
    direction = np.array([x[1] - x[0], y[1] - y[0]])
    expected = -np.array([-6.0, 8.0])  # −∇f at (−3, 4)
    cos = direction @ expected / (np.linalg.norm(direction) * np.linalg.norm(expected))
    assert cos == pytest.approx(1.0, abs=1e-6)
    assert (x[0], y[0]) == (-3.0, 4.0)
    assert panel.gradient_arrow_item.isVisible()


def test_isocurves_one_per_level_and_image_from_surface(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    surface = models["surface"].surface
    assert len(panel.isocurve_items) == len(surface.levels) > 0
    assert [item.level for item in panel.isocurve_items] == pytest.approx(list(surface.levels))
    np.testing.assert_array_equal(panel.image_item.image, surface.Z)
    # the image is placed so pixel centres sit on the sample points
    rect = panel.image_item.mapRectToParent(panel.image_item.boundingRect())
    dx = surface.xs[1] - surface.xs[0]
    assert rect.left() == pytest.approx(surface.xs[0] - dx / 2)
    assert rect.right() == pytest.approx(surface.xs[-1] + dx / 2)


def test_log_scale_surface_uses_log_colours(qtbot, keep_alive):
    exp = DescentExperiment(function_name="rosenbrock", hyper={"lr": 1e-3})
    panel, models = _make(qtbot, keep_alive, exp)
    surface = models["surface"].surface
    assert surface.log_scale
    image, levels, offset = display_heights(surface)
    assert offset is not None and offset > 0
    np.testing.assert_allclose(panel.image_item.image, image)
    assert panel.colorbar_item.levels() == pytest.approx(levels)
    ticks = panel.colorbar_item.axis._tickLevels
    assert ticks and ticks[0], "log colour bar has labelled ticks at round values of f"


def test_minima_markers_at_function_minima(qtbot, keep_alive):
    exp = DescentExperiment(function_name="himmelblau", hyper={"lr": 0.01})
    panel, _ = _make(qtbot, keep_alive, exp)
    x, y = panel.minima_item.getData()
    minima = np.array(exp.resolve_function().minima)
    assert len(minima) == 4
    np.testing.assert_allclose(np.column_stack([x, y]), minima)
    brushes = [spot.brush().color().getRgb()[:3] for spot in panel.minima_item.points()]
    assert brushes == [palette.minimum_color(i) for i in range(4)]


def test_colorbar_toggle(qtbot, keep_alive):
    panel, _ = _make(qtbot, keep_alive, BOWL)
    assert panel.colorbar_visible() and panel.colorbar_item in panel.ci.items
    panel.set_colorbar_visible(False)
    assert panel.colorbar_item not in panel.ci.items
    assert not panel.colorbar_item.isVisible()
    panel.set_colorbar_visible(True)
    assert panel.colorbar_item in panel.ci.items and panel.colorbar_item.isVisible()


def test_vector_field_toggle_draws_field_arrows(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    assert not panel.field_item.isVisible()
    panel.set_vector_field_visible(True)
    assert panel.field_item.isVisible()
    field = models["surface"].field
    x, y = panel.field_item.getData()
    assert len(x) == 6 * field.X.size  # shaft + two head strokes, as point pairs
    np.testing.assert_allclose([x[0], y[0]], [field.X.flat[0], field.Y.flat[0]])
    np.testing.assert_allclose([x[1], y[1]], [field.X.flat[0] + field.U.flat[0], field.Y.flat[0] + field.V.flat[0]])
    panel.set_vector_field_visible(False)
    assert not panel.field_item.isVisible()


def test_one_d_curve_point_and_tangent(qtbot, keep_alive):
    exp = DescentExperiment(function_name="quadratic1d", start=(-10.0,), hyper={"lr": 0.05}, steps=10)
    panel, models = _make(qtbot, keep_alive, exp)
    snaps = _run(models, exp)
    models["run"].set_cursor(2)
    panel.flush()
    curve = models["surface"].surface
    cx, cy = panel.curve_item.getData()
    np.testing.assert_array_equal(cx, curve.xs)
    np.testing.assert_array_equal(cy, curve.ys)
    assert not panel.image_item.isVisible() and not panel.colorbar_item.isVisible()
    tx, ty = panel.trajectory_item.getData()
    np.testing.assert_array_equal(tx, [s.params[0] for s in snaps[:3]])
    np.testing.assert_array_equal(ty, [s.value for s in snaps[:3]])
    px, py = panel.current_point_item.getData()
    assert (px[0], py[0]) == (snaps[2].params[0], snaps[2].value)
    lx, ly = panel.tangent_item.getData()
    assert (ly[1] - ly[0]) / (lx[1] - lx[0]) == pytest.approx(snaps[2].grad[0])  # slope = f'(x)
    assert ((lx[0] + lx[1]) / 2, (ly[0] + ly[1]) / 2) == pytest.approx((snaps[2].params[0], snaps[2].value))


def test_long_runs_are_drawn_by_stride_ending_at_the_newest_point(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    n = 3 * MAX_DRAWN_POINTS + 7
    t = np.linspace(0, 6 * math.pi, n)
    snaps = [Snapshot(i, np.array([math.cos(v), math.sin(v)]), 1.0, np.array([0.1, 0.1]), 0.14, "running")
             for i, v in enumerate(t)]
    models["run"].append(snaps)
    panel.flush()
    x, y = panel.trajectory_item.getData()
    assert len(x) <= MAX_DRAWN_POINTS
    assert (x[-1], y[-1]) == (math.cos(t[-1]), math.sin(t[-1]))
    assert (x[0], y[0]) == (1.0, 0.0)
    assert list(stride_indices(10, 5)) == [0, 3, 6, 9]
    assert list(stride_indices(11, 5))[-1] == 10


def test_redraws_are_coalesced(qtbot):
    calls = []
    scheduler = RedrawScheduler(calls.append)
    for i in range(500):
        scheduler.mark("run" if i % 2 else "cursor")
    assert calls == []
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=1000)
    assert calls == [{"run", "cursor"}]


def test_panel_redraws_later_not_per_signal(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    snaps = run_descent(BOWL.to_config())
    for snap in snaps:  # one signal per snapshot
        models["run"].append([snap])
    assert panel.trajectory_item.getData()[0] is None  # nothing drawn synchronously …
    qtbot.waitUntil(lambda: panel.trajectory_item.getData()[0] is not None, timeout=2000)  # … one redraw later
    assert len(panel.trajectory_item.getData()[0]) == len(snaps)


# QTest reports pyqtgraph's scene-level click handling as "not accepted"; the effect is what is checked.
CLICK_LOG = pytest.mark.qt_log_ignore("Mouse event .* not accepted by receiving widget")


def _click(qtbot, panel, x: float, y: float) -> None:
    scene = panel.plot_item.vb.mapViewToScene(QPointF(x, y))
    pos = panel.mapFromScene(scene)
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))


@CLICK_LOG
def test_click_sets_start_point(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    picked = []
    panel.startPicked.connect(picked.append)
    _click(qtbot, panel, 1.5, -2.0)
    start = models["experiment"].experiment.start
    px, py = panel.plot_item.vb.viewPixelSize()
    assert start[0] == pytest.approx(1.5, abs=2 * px)
    assert start[1] == pytest.approx(-2.0, abs=2 * py)
    assert picked == [start]
    sx, sy = panel.start_item.getData()
    assert (sx[0], sy[0]) == start


@CLICK_LOG
def test_click_ignored_while_running(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    models["run"].set_state("running")
    _click(qtbot, panel, 1.5, -2.0)
    assert models["experiment"].experiment.start == (-3.0, 4.0)


def test_drag_updates_start_throttled(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    updates = []
    models["experiment"].changed.connect(lambda: updates.append(models["experiment"].experiment.start))
    for i in range(20):  # a drag: many intermediate positions in quick succession
        panel._view.sigPick.emit(QPointF(1.0 + i * 0.05, 1.0), False)
    assert len(updates) <= 1
    panel._view.sigPick.emit(QPointF(2.5, 1.0), True)  # release: the final position is applied at once
    assert updates[-1] == (2.5, 1.0)
    assert len(updates) <= 2


def test_compare_paths_with_legend(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    _run(models, BOWL)
    compare = models["compare"]
    groups = [("sgd", {"lr": 0.1}), ("adam", {"lr": 0.3})]
    starts = np.array([[-3.0, 4.0], [-3.0, 4.0]])
    colors = [(0, 114, 178), (230, 159, 0)]
    compare.start(["SGD η=0.1", "Adam η=0.3"], colors, 2)
    compare.append(list(iter_batch(BOWL.resolve_function(), starts, groups, 15)))
    panel.flush()
    assert len(panel.compare_items) == 2
    for i, item in enumerate(panel.compare_items):
        x, y = item.getData()
        np.testing.assert_array_equal(x, compare.paths[:, i, 0])
        np.testing.assert_array_equal(y, compare.paths[:, i, 1])
        assert item.opts["pen"].color().getRgb()[:3] == colors[i]
    assert [label.text for _, label in panel.legend.items] == ["SGD η=0.1", "Adam η=0.3"]
    assert not panel.trajectory_item.isVisible()
    compare.clear()
    panel.flush()
    assert panel.compare_items == [] and panel.trajectory_item.isVisible()


def test_map_keeps_true_shapes_and_fills_a_tall_panel(qtbot, keep_alive):
    """x and y at one scale (isolines keep their shape); the panel asks for, and shows, samples over all it shows."""
    panel, models = _make(qtbot, keep_alive, BOWL)  # a square window …
    wanted: list = []
    function = models["surface"].function

    def resample(window):  # what the session does, on a worker
        wanted.append(window)
        models["surface"].set_samples(function, sample_surface(function, window, resolution=60),
                                      sample_vector_field(function, window, count=8))

    panel.windowWanted.connect(resample)
    panel.resize(400, 800)  # … in a tall panel (the main window's usual shape)
    vb = panel.plot_item.vb
    qtbot.waitUntil(lambda: vb.height() > 1.5 * vb.width(), timeout=2000)
    qtbot.waitUntil(lambda: len(wanted) >= 1, timeout=3000)
    panel.flush()
    px, py = vb.viewPixelSize()
    assert px == pytest.approx(py, rel=1e-3)  # one scale: a circle of the bowl looks round
    (x0, x1), (y0, y1) = vb.viewRange()
    assert (x0, x1) == pytest.approx((-5.0, 5.0), abs=0.2)  # the window's width fills the panel's width …
    assert y1 - y0 > 1.4 * (x1 - x0)  # … and the height shows more of the function, not a blank band
    surface = models["surface"].surface
    assert surface.ys[0] == pytest.approx(y0) and surface.ys[-1] == pytest.approx(y1)
    image = panel.image_item.mapRectToParent(panel.image_item.boundingRect())
    assert image.adjusted(-1e-6, -1e-6, 1e-6, 1e-6).contains(vb.viewRect())
    held = len(wanted)
    qtbot.wait(400)  # the new samples cover the view: nothing more is asked for, and the view did not move
    assert len(wanted) == held and vb.viewRange()[1] == pytest.approx([y0, y1])


def test_zooming_in_asks_for_finer_samples_and_a_new_function_refits_the_view(qtbot, keep_alive):
    panel, models = _make(qtbot, keep_alive, BOWL)
    wanted: list = []
    panel.windowWanted.connect(wanted.append)
    qtbot.wait(300)
    wanted.clear()
    panel.plot_item.vb.setRange(xRange=(0.5, 1.5), yRange=(0.5, 1.5), padding=0)
    qtbot.waitUntil(lambda: len(wanted) == 1, timeout=2000)
    (x0, x1), (y0, y1) = wanted[0]
    assert x1 - x0 < 2 and y1 - y0 < 2
    other = DescentExperiment(function_name="rosenbrock", start=(-1.5, 2.0)).resolve_function()
    models["surface"].set_samples(other, sample_surface(other, resolution=40), sample_vector_field(other, count=8))
    panel.flush()
    (x0, x1), (y0, y1) = panel.plot_item.vb.viewRange()
    assert x0 <= -2.0 + 1e-6 and x1 >= 2.0 - 1e-6 and y0 <= -1.0 + 1e-6 and y1 >= 3.0 - 1e-6  # its whole window


def test_a_surface_load_computes_each_isocurve_once(qtbot, keep_alive, monkeypatch):
    import pyqtgraph as pg

    computed: dict[int, int] = {}
    original = pg.IsocurveItem.generatePath

    def counting(item):
        computed[id(item)] = computed.get(id(item), 0) + 1
        original(item)

    monkeypatch.setattr(pg.IsocurveItem, "generatePath", counting)
    panel, models = _make(qtbot, keep_alive, BOWL)
    assert computed == {}  # not while the surface is set (no bounds are asked of isolines) …
    panel.grab()
    items = panel.isocurve_items
    assert sorted(computed.get(id(item), 0) for item in items) == [1] * len(items)  # … once, when painted
    panel.resize(500, 700)  # a new view size or range reuses the curves
    panel.plot_item.vb.setRange(xRange=(-1, 1), yRange=(-1, 1))
    panel.grab()
    assert sorted(computed.get(id(item), 0) for item in items) == [1] * len(items)
    computed.clear()
    function = DescentExperiment(function_name="himmelblau").resolve_function()
    models["surface"].set_samples(function, sample_surface(function, resolution=60), None)
    panel.flush()
    panel.grab()
    assert sorted(computed.get(id(item), 0) for item in panel.isocurve_items) == [1] * len(panel.isocurve_items)


def test_pixel_thin_keeps_one_point_per_pixel_and_both_ends():
    x = np.array([0.0, 0.1, 0.2, 1.5, 1.6, 3.2, 3.3, 3.4])
    y = np.zeros_like(x)
    assert pixel_thin(x, y, 1.0, 1.0).tolist() == [0, 3, 5, 7]
    assert pixel_thin(x[:2], y[:2], 1.0, 1.0).tolist() == [0, 1]
    assert pixel_thin(x, y, 0.01, 0.01).tolist() == list(range(len(x)))


def test_a_streaming_run_is_drawn_plainly_and_thinned_then_smooth_again(qtbot, keep_alive):
    from PySide6.QtGui import QPainter

    panel, models = _make(qtbot, keep_alive, BOWL)
    run = models["run"]
    n = 4 * SYMBOL_LIMIT
    t = np.linspace(0.0, 1.0, n)  # a slow drift: many steps per pixel
    snaps = [Snapshot(i, np.array([-3.0 + v, 4.0 - v]), 1.0, np.array([0.1, 0.1]), 0.14, "running")
             for i, v in enumerate(t)]
    aa = QPainter.RenderHint.Antialiasing
    run.append(snaps[:1])
    run.set_state("running")
    run.append(snaps[1:n // 2])  # a big batch: the engine runs flat out
    panel.flush()
    x, _ = panel.trajectory_item.getData()
    assert not panel.trajectory_item.opts["antialias"] and not panel.renderHints() & aa
    assert len(x) < n // 10 and x[-1] == snaps[n // 2 - 1].params[0]  # one point per pixel, the newest kept
    run.append(snaps[n // 2:n // 2 + 2])  # a paced run: a couple of steps a frame
    panel.flush()
    assert panel.trajectory_item.opts["antialias"] and panel.renderHints() & aa
    run.append(snaps[n // 2 + 2:])
    panel.flush()
    assert not panel.trajectory_item.opts["antialias"]
    run.set_state("done")
    panel.flush()
    assert panel.trajectory_item.opts["antialias"] and panel.renderHints() & aa


def test_scheduler_slows_down_only_while_a_run_streams(qtbot):
    calls = []
    scheduler = RedrawScheduler(calls.append, budget=LiveBudget(share=1.0))  # a budget that never stretches
    scheduler.note_rows(10_000)
    assert not scheduler.streaming()  # not running: a reset or a loaded file, not a stream
    scheduler.set_running(True)
    scheduler.note_rows(RedrawScheduler.STREAM_ROWS - 1)
    assert not scheduler.streaming() and scheduler.interval() == RedrawScheduler.INTERVAL_MS
    scheduler.note_rows(RedrawScheduler.STREAM_ROWS)
    assert scheduler.streaming() and scheduler.interval() == RedrawScheduler.STREAM_INTERVAL_MS
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < 400:  # marked far more often than it may redraw
        scheduler.mark("run")
        qtbot.wait(5)
    assert 1 <= len(calls) <= 400 // RedrawScheduler.STREAM_INTERVAL_MS + 2
    scheduler.set_running(False)
    assert not scheduler.streaming() and scheduler.interval() == RedrawScheduler.INTERVAL_MS


def test_streaming_redraws_slow_down_further_when_the_gui_thread_takes_more_than_its_share(qtbot):
    clock = {"wall": 0.0, "cpu": 0.0}
    budget = LiveBudget(share=0.05, window_s=0.25, clock=lambda: clock["wall"], cpu=lambda: clock["cpu"])
    calls = []

    def costly_redraw(parts):  # each streaming redraw takes 30 ms of a 100 ms frame: 30 % of the GUI thread
        calls.append(parts)
        clock["wall"] += 0.1
        clock["cpu"] += 0.03

    scheduler = RedrawScheduler(costly_redraw, budget=budget)
    scheduler.set_running(True)
    scheduler.note_rows(10_000)
    assert scheduler.interval() == RedrawScheduler.STREAM_INTERVAL_MS
    for _ in range(6):
        scheduler.mark("run")
        scheduler._timed_out()  # what the timer does (without waiting for it)
    assert budget.scale > 1.0 and scheduler.interval() == round(RedrawScheduler.STREAM_INTERVAL_MS * budget.scale)
    scheduler.set_running(False)  # a paced or stopped run: the full frame rate again
    assert scheduler.interval() == RedrawScheduler.INTERVAL_MS
