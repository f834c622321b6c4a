"""LandscapePanel draws the loss-landscape slice like the contour map (image + isolines + colour bar) with the
projected trajectory, the start and the current weights, axis labels from the slice, and its note — from a real
TrainingRunModel fed by real runs (the exact (w, b) surface of y = 3x + 0.8, and a PCA slice)."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF

from conftest import PANELS_ALIVE as _ALIVE
from gdstudio.engine.datasets import load_dataset
from gdstudio.engine.nn import InitSpec, NetworkSpec, Trainer, TrainingConfig
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.views.contour_image import log_ticks
from gdstudio.views.contour_panel import display_heights
from gdstudio.views.landscape_panel import LandscapePanel


def _setup(qtbot, spec_ds, spec, epochs, **kw):
    ds = load_dataset(spec_ds)
    model = TrainingRunModel()
    panel = LandscapePanel(model)
    qtbot.addWidget(panel)
    _ALIVE.extend([panel, model])
    panel.resize(760, 620)
    panel.show()
    trainer = Trainer(TrainingConfig(spec, ds, epochs=epochs, **kw))
    model.begin(TrainingInfo.describe(trainer.network, ds, trainer.steps_per_epoch, trainer.total_steps))
    return panel, model, trainer


def _line(qtbot, epochs=40):
    spec = NetworkSpec((1, 1), output="identity", init=InitSpec("zeros"))
    return _setup(qtbot, {"name": "line", "n": 50, "noise": 0.0, "seed": 0}, spec, epochs, optimizer="sgd",
                  hyper={"lr": 0.5}, batch_size=10, landscape_every=5)


def test_exact_surface_of_the_two_parameter_line(qtbot):
    panel, model, trainer = _line(qtbot)
    snaps = list(trainer.iterate())
    model.append(snaps[:60])  # the first slices, and the run goes on
    panel.flush()
    mid = model.landscape
    model.append(snaps[60:])
    panel.flush()
    land = model.landscape
    assert land is not mid and land.mode == "exact" and land.labels == ("w", "b")
    assert panel.graphics.isVisible() and not panel.message_label.isVisible()
    # the image is the slice (log colours when the slice asks for them), placed on its grid
    image, levels, offset = display_heights(land)
    np.testing.assert_array_equal(panel.image_item.image, image)
    assert land.log_scale and offset is not None and "log" in panel.colorbar_item.axis.labelText
    assert len(panel.isocurve_items) == np.count_nonzero(np.isfinite(land.levels))
    assert sorted(item.level for item in panel.isocurve_items) == sorted(float(v) for v in land.levels)
    # orientation: the darkest pixel is the least-squares solution w = 3, b = 0.8
    j, i = np.unravel_index(np.nanargmin(panel.image_item.image), image.shape)
    p = panel.image_item.mapToParent(QPointF(i + 0.5, j + 0.5))
    dx, dy = land.xs[1] - land.xs[0], land.ys[1] - land.ys[0]
    assert abs(p.x() - 3.0) <= dx and abs(p.y() - 0.8) <= dy
    # the trajectory, its start (w = b = 0) and the current weights
    x, y = panel.path_item.getData()
    np.testing.assert_array_equal(np.column_stack([x, y]), land.path)
    assert (panel.start_item.data["x"][0], panel.start_item.data["y"][0]) == (0.0, 0.0)
    assert (panel.current_item.data["x"][0], panel.current_item.data["y"][0]) == tuple(land.center)
    np.testing.assert_allclose(land.center, [trainer.network.param("W1")[0, 0], trainer.network.param("b1")[0]])
    assert panel.plot_item.getAxis("bottom").labelText == "w" and panel.plot_item.getAxis("left").labelText == "b"
    assert "exact" not in panel.title_label.text() and "L(w, b)" in panel.title_label.text()


def test_live_point_follows_the_weights_between_slices(qtbot):
    panel, model, trainer = _line(qtbot, epochs=12)
    it = trainer.iterate()
    model.append([next(it)])  # step 0: the first slice
    panel.flush()
    assert model.landscape is not None and len(panel.live_item.data) == 1
    for _ in range(8):  # a few frames of training before the next slice (every 5 epochs = 25 steps)
        model.append([next(it) for _ in range(2)])
        panel.flush()
    w = model.weights
    assert (panel.live_item.data["x"][0], panel.live_item.data["y"][0]) == (w[0], w[1])
    trail_x, _trail_y = panel.trail_item.getData()
    assert len(trail_x) == 1 + 9  # from the slice's point through every frame's weights
    model.append([next(it) for _ in range(25)])  # a new slice: its own path covers the way so far
    panel.flush()
    assert len(panel.trail_item.getData()[0]) == 2


def test_pca_slice_labels_with_explained_share(qtbot):
    spec = NetworkSpec((2, 6, 1), "tanh", "sigmoid", init=InitSpec(seed=0))
    panel, model, trainer = _setup(qtbot, {"name": "circle", "n": 100, "noise": 0.1}, spec, 10, optimizer="adam",
                                   hyper={"lr": 0.03}, batch_size=25, landscape_every=5, landscape_resolution=21)
    model.append(list(trainer.iterate()))
    panel.flush()
    land = model.landscape
    assert land.mode == "pca" and land.explained is not None
    bottom = panel.plot_item.getAxis("bottom").labelText
    left = panel.plot_item.getAxis("left").labelText
    assert bottom.startswith("PC1 (") and f"{100 * land.explained[0]:.0f} %" in bottom
    assert left.startswith("PC2 (") and f"{100 * land.explained[1]:.0f} %" in left
    assert panel.plot_item.getViewBox().state["aspectLocked"]  # distances in weight space look like distances
    assert len(panel.live_item.data) == 0  # not weight axes: no live point
    np.testing.assert_array_equal(panel.image_item.image, display_heights(land)[0])
    assert "step" in panel.note_label.text()


def test_the_first_pca_slice_shows_the_engines_note(qtbot):
    spec = NetworkSpec((2, 4, 1), "tanh", "sigmoid", init=InitSpec(seed=1))
    panel, model, trainer = _setup(qtbot, {"name": "circle", "n": 40}, spec, 2, batch_size=40, landscape_every=1,
                                   landscape_resolution=11, landscape_mode="pca")
    model.append([next(trainer.iterate())])
    panel.flush()
    assert model.landscape.note and model.landscape.mode == "random"
    assert "too short for PCA" in panel.note_label.text()
    assert panel.plot_item.getAxis("bottom").labelText == "δ1"


def test_without_slices_the_panel_says_so(qtbot):
    spec = NetworkSpec((2, 4, 1), "tanh", "sigmoid")
    panel, model, trainer = _setup(qtbot, {"name": "circle", "n": 40}, spec, 1, batch_size=20)
    model.append(list(trainer.iterate()))
    panel.flush()
    assert model.landscape is None and not panel.graphics.isVisible()
    assert "No landscape slice yet" in panel.message_label.text()
    model.clear()
    panel.flush()
    assert "No run yet" in panel.message_label.text() and panel.image_item.image is None


def test_log_ticks_fall_back_to_even_ticks_for_a_narrow_range():
    levels = (-3.4, -0.67)
    base = 0.6104
    ticks = log_ticks(levels, base)[0]
    assert len(ticks) == 5 and len({label for _p, label in ticks}) == 5
    assert ticks[0][0] == pytest.approx(levels[0]) and ticks[-1][0] == pytest.approx(levels[1])
    assert float(ticks[-1][1]) == pytest.approx(base + 10 ** levels[1], rel=1e-2)
    wide = log_ticks((-3.0, 2.0), 0.0)[0]  # round decades when there are enough of them
    assert [label for _p, label in wide][:3] == ["0.001", "0.01", "0.1"]


def test_while_live_new_slices_come_without_isolines_which_return_when_the_run_stops(qtbot):
    panel, model, trainer = _line(qtbot)
    snaps = list(trainer.iterate())
    model.append(snaps[:60])
    panel.flush()
    assert all(item.isVisible() for item in panel.isocurve_items)
    model.set_state("running")
    model.append(snaps[60:120])  # a new slice while the run trains
    panel.flush()
    np.testing.assert_array_equal(panel.image_item.image, display_heights(model.landscape)[0])
    assert panel.isocurve_items and not any(item.isVisible() for item in panel.isocurve_items)
    model.set_state("paused")
    qtbot.waitUntil(lambda: all(item.isVisible() for item in panel.isocurve_items), timeout=2000)
    assert sorted(item.level for item in panel.isocurve_items) == sorted(
        float(v) for v in model.landscape.levels if np.isfinite(v))
