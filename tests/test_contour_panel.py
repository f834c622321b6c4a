"""ContourPanel draws exactly what the models hold: the surface, isolines, minima, trajectory, cursor, compare paths;
and a click on the map becomes ExperimentModel.update(start=...)."""

from __future__ import annotations

import gc
import math

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt

from gdstudio.engine.batch import iter_batch
from gdstudio.engine.descent import Snapshot, run_descent
from gdstudio.engine.surface import sample_surface, sample_vector_field
from gdstudio.experiment import DescentExperiment
from gdstudio.models.compare_model import CompareModel
from gdstudio.models.experiment_model import ExperimentModel
from gdstudio.models.run_model import RunModel
from gdstudio.models.surface_model import SurfaceModel
from gdstudio.views import palette
from gdstudio.views.contour_panel import MAX_DRAWN_POINTS, ContourPanel, display_heights, stride_indices
from gdstudio.views.widgets import RedrawScheduler


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


def _make(qtbot, exp: DescentExperiment, resolution: int = 60):
    function = exp.resolve_function()
    models = {
        "experiment": ExperimentModel(exp),
        "run": RunModel(function.dim),
        "surface": SurfaceModel(),
        "compare": CompareModel(),
    }
    panel = ContourPanel(models["run"], models["surface"], models["compare"], models["experiment"])
    qtbot.addWidget(panel)
    _ALIVE.extend([panel, *models.values()])
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


def test_trajectory_and_current_point_follow_run_and_cursor(qtbot):
    panel, models = _make(qtbot, BOWL)
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


def test_gradient_arrow_points_along_minus_gradient(qtbot):
    panel, models = _make(qtbot, BOWL)
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


def test_isocurves_one_per_level_and_image_from_surface(qtbot):
    panel, models = _make(qtbot, BOWL)
    surface = models["surface"].surface
    assert len(panel.isocurve_items) == len(surface.levels) > 0
    assert [item.level for item in panel.isocurve_items] == pytest.approx(list(surface.levels))
    np.testing.assert_array_equal(panel.image_item.image, surface.Z)
    # the image is placed so pixel centres sit on the sample points
    rect = panel.image_item.mapRectToParent(panel.image_item.boundingRect())
    dx = surface.xs[1] - surface.xs[0]
    assert rect.left() == pytest.approx(surface.xs[0] - dx / 2)
    assert rect.right() == pytest.approx(surface.xs[-1] + dx / 2)


def test_log_scale_surface_uses_log_colours(qtbot):
    exp = DescentExperiment(function_name="rosenbrock", hyper={"lr": 1e-3})
    panel, models = _make(qtbot, exp)
    surface = models["surface"].surface
    assert surface.log_scale
    image, levels, offset = display_heights(surface)
    assert offset is not None and offset > 0
    np.testing.assert_allclose(panel.image_item.image, image)
    assert panel.colorbar_item.levels() == pytest.approx(levels)
    ticks = panel.colorbar_item.axis._tickLevels
    assert ticks and ticks[0], "log colour bar has labelled ticks at round values of f"


def test_minima_markers_at_function_minima(qtbot):
    exp = DescentExperiment(function_name="himmelblau", hyper={"lr": 0.01})
    panel, _ = _make(qtbot, exp)
    x, y = panel.minima_item.getData()
    minima = np.array(exp.resolve_function().minima)
    assert len(minima) == 4
    np.testing.assert_allclose(np.column_stack([x, y]), minima)
    brushes = [spot.brush().color().getRgb()[:3] for spot in panel.minima_item.points()]
    assert brushes == [palette.minimum_color(i) for i in range(4)]


def test_colorbar_toggle(qtbot):
    panel, _ = _make(qtbot, BOWL)
    assert panel.colorbar_visible() and panel.colorbar_item in panel.ci.items
    panel.set_colorbar_visible(False)
    assert panel.colorbar_item not in panel.ci.items
    assert not panel.colorbar_item.isVisible()
    panel.set_colorbar_visible(True)
    assert panel.colorbar_item in panel.ci.items and panel.colorbar_item.isVisible()


def test_vector_field_toggle_draws_field_arrows(qtbot):
    panel, models = _make(qtbot, BOWL)
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


def test_one_d_curve_point_and_tangent(qtbot):
    exp = DescentExperiment(function_name="quadratic1d", start=(-10.0,), hyper={"lr": 0.05}, steps=10)
    panel, models = _make(qtbot, exp)
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


def test_long_runs_are_drawn_by_stride_ending_at_the_newest_point(qtbot):
    panel, models = _make(qtbot, BOWL)
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


def test_panel_redraws_later_not_per_signal(qtbot):
    panel, models = _make(qtbot, BOWL)
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
def test_click_sets_start_point(qtbot):
    panel, models = _make(qtbot, BOWL)
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
def test_click_ignored_while_running(qtbot):
    panel, models = _make(qtbot, BOWL)
    models["run"].set_state("running")
    _click(qtbot, panel, 1.5, -2.0)
    assert models["experiment"].experiment.start == (-3.0, 4.0)


def test_drag_updates_start_throttled(qtbot):
    panel, models = _make(qtbot, BOWL)
    updates = []
    models["experiment"].changed.connect(lambda: updates.append(models["experiment"].experiment.start))
    for i in range(20):  # a drag: many intermediate positions in quick succession
        panel._view.sigPick.emit(QPointF(1.0 + i * 0.05, 1.0), False)
    assert len(updates) <= 1
    panel._view.sigPick.emit(QPointF(2.5, 1.0), True)  # release: the final position is applied at once
    assert updates[-1] == (2.5, 1.0)
    assert len(updates) <= 2


def test_compare_paths_with_legend(qtbot):
    panel, models = _make(qtbot, BOWL)
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
