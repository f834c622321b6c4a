"""DecisionPanel draws the network's output map behind the data points (train filled, test hollow), one small map per
hidden neuron, the fitted curve for one-input sets, and says why it is empty for other data — all from a real
TrainingRunModel fed by the real engine."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF

from conftest import PANELS_ALIVE as _ALIVE
from gdstudio.engine.datasets import load_dataset
from gdstudio.engine.nn import InitSpec, NetworkSpec, Trainer, TrainingConfig
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.views.decision_panel import (
    MAX_NEURONS,
    DecisionPanel,
    class_color,
    label_confidence_image,
    probability_of_class_1,
)


def _setup(qtbot, ds, spec, epochs, **kw):
    model = TrainingRunModel()
    panel = DecisionPanel(model)
    qtbot.addWidget(panel)
    _ALIVE.extend([panel, model])
    panel.resize(900, 560)
    panel.show()
    trainer = Trainer(TrainingConfig(spec, ds, epochs=epochs, **kw))
    model.begin(TrainingInfo.describe(trainer.network, ds, trainer.steps_per_epoch, trainer.total_steps))
    return panel, model, trainer


def _pixel_centre(item, i: float, j: float) -> tuple[float, float]:
    p = item.mapToParent(QPointF(i + 0.5, j + 0.5))
    return p.x(), p.y()


def test_two_class_map_points_boundary_and_neurons(qtbot):
    ds = load_dataset({"name": "circle", "n": 200, "noise": 0.05, "test_fraction": 0.5, "seed": 3})
    spec = NetworkSpec((2, 5, 1), "tanh", "sigmoid", init=InitSpec("xavier", seed=0))
    panel, model, trainer = _setup(qtbot, ds, spec, 30, optimizer="adam", hyper={"lr": 0.05}, batch_size=20,
                                   map_resolution=30)
    it = trainer.iterate()
    model.append([next(it)])  # step 0 only: the initial map
    panel.flush()
    first = np.array(panel.image_item.image)
    model.append(list(it))
    panel.flush()
    d = model.decision
    assert panel.mode == "plane" and panel.splitter.isVisible() and not panel.message_label.isVisible()
    # the image is P(class 1) of the latest map, pixel centres on the grid points
    np.testing.assert_array_equal(panel.image_item.image, d.outputs[..., 0])
    np.testing.assert_array_equal(panel.image_item.image, probability_of_class_1(d.outputs, "sigmoid"))
    assert not np.array_equal(first, panel.image_item.image)  # it learned: the map changed
    assert panel.image_item.levels.tolist() == [0.0, 1.0]
    np.testing.assert_allclose(_pixel_centre(panel.image_item, 0, 0), (d.xs[0], d.ys[0]), atol=1e-9)
    np.testing.assert_allclose(_pixel_centre(panel.image_item, 29, 29), (d.xs[-1], d.ys[-1]), atol=1e-9)
    assert panel.boundary_item.isVisible() and panel.boundary_item.level == 0.5
    # points: every train point filled in its class colour, every test point a ring
    assert len(panel.train_item.data) == len(ds.points_train) and len(panel.test_item.data) == len(ds.points_test)
    np.testing.assert_array_equal(panel.train_item.data["x"], ds.points_train[:, 0])
    for spot, label in zip(panel.train_item.points(), ds.t_train):
        assert spot.brush().color().getRgb()[:3] == class_color(label)
    assert all(spot.brush().color().alpha() == 0 for spot in panel.test_item.points())
    # one small map per hidden neuron: that neuron's activations over the same grid
    assert panel.layer_combo.count() == 1 and len(panel.neuron_cells) == 5
    for j, cell in enumerate(panel.neuron_cells):
        np.testing.assert_array_equal(cell.image.image, d.hidden[0][..., j])
        assert cell.label.toPlainText() == str(j + 1)
    assert "class 1" in panel.note_label.text()
    last = model.status
    assert last == "finished" and model.evaluation is not None


def test_gate_with_raw_inputs_and_a_layer_chooser(qtbot):
    ds = load_dataset({"name": "xor"})
    spec = NetworkSpec((2, 4, 3, 1), "tanh", "sigmoid", init=InitSpec("xavier", seed=0))
    panel, model, trainer = _setup(qtbot, ds, spec, 40, optimizer="sgd", hyper={"lr": 0.5}, batch_size=4,
                                   map_resolution=20)
    model.append(list(trainer.iterate()))
    panel.flush()
    assert panel.mode == "plane"
    assert model.info.points_test is not None  # the test split of a gate is its training data ...
    assert len(panel.train_item.data) == 4 and len(panel.test_item.data) == 0  # ... so no rings
    assert panel.layer_combo.count() == 2 and "4" in panel.layer_combo.itemText(0)
    assert len(panel.neuron_cells) == 4
    panel.set_chosen_layer(1)
    assert len(panel.neuron_cells) == 3
    for j, cell in enumerate(panel.neuron_cells):
        np.testing.assert_array_equal(cell.image.image, model.decision.hidden[1][..., j])


def test_several_classes_colour_the_predicted_class_by_confidence(qtbot):
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
    t = np.repeat(np.arange(3), 40)
    x = centres[t] + rng.normal(0, 0.5, (120, 2))
    ds = SimpleNamespace(x_train=x, t_train=t, x_test=x[:0], t_test=t[:0], task="classification", n_classes=3,
                         class_names=("a", "b", "c"), points_train=None, points_test=None, image_shape=None,
                         name="blobs")
    spec = NetworkSpec((2, 8, 3), "relu", "softmax", init=InitSpec("he", seed=0))
    panel, model, trainer = _setup(qtbot, ds, spec, 30, optimizer="adam", hyper={"lr": 0.05}, batch_size=20,
                                   map_resolution=25)
    model.append(list(trainer.iterate()))
    panel.flush()
    d = model.decision
    image = panel.image_item.image
    assert image.shape == (25, 25, 4) and image.dtype == np.uint8
    np.testing.assert_array_equal(image, label_confidence_image(d.labels, d.confidence, 3))
    assert not panel.boundary_item.isVisible()
    # a confident cell leans clearly towards its class colour; a blind guess would be white
    j, i = np.unravel_index(np.argmax(d.confidence), d.confidence.shape)
    rgb = image[j, i, :3].astype(int)
    target = np.array(class_color(d.labels[j, i]))
    assert np.abs(rgb - target).sum() < np.abs(np.array([255, 255, 255]) - target).sum() / 2
    assert len(panel.train_item.data) == 120


def test_one_input_regression_shows_the_fitted_curve(qtbot):
    ds = load_dataset({"name": "line", "n": 50, "noise": 0.1, "seed": 1})
    spec = NetworkSpec((1, 1), output="identity", init=InitSpec("zeros"))
    panel, model, trainer = _setup(qtbot, ds, spec, 60, optimizer="sgd", hyper={"lr": 0.5}, batch_size=50)
    model.append(list(trainer.iterate()))
    panel.flush()
    d = model.decision
    assert panel.mode == "curve" and len(panel.curve_items) == 1
    xs, ys = panel.curve_items[0].getData()
    np.testing.assert_array_equal(xs, d.xs)
    np.testing.assert_array_equal(ys, d.outputs[0, :, 0])
    w, b = trainer.network.param("W1")[0, 0], trainer.network.param("b1")[0]
    np.testing.assert_allclose(ys, w * d.xs + b, rtol=1e-9)
    np.testing.assert_array_equal(panel.train_item.data["y"], ds.t_train[:, 0])  # the dots are (x, target)
    assert not panel.image_item.isVisible() and not panel.neuron_box.isVisible()


def test_points_without_a_map_are_explained(qtbot):
    ds = load_dataset({"name": "moons", "n": 60})
    spec = NetworkSpec((2, 3, 1), "tanh", "sigmoid")
    panel, model, trainer = _setup(qtbot, ds, spec, 2, batch_size=10, map_resolution=None)
    panel.flush()
    assert panel.mode == "plane" and len(panel.train_item.data) == len(ds.points_train)
    model.append(list(trainer.iterate()))
    panel.flush()
    assert model.decision is None
    assert "No output map yet" in panel.note_label.text()
    assert panel.image_item.image is None


def test_other_data_sets_get_a_clear_message(qtbot):
    ds = load_dataset({"name": "digits"})
    spec = NetworkSpec((64, 8, 10), "relu", dtype="auto")
    panel, model, _trainer = _setup(qtbot, ds, spec, 1, batch_size=100)
    panel.flush()
    assert panel.mode == "none"
    assert not panel.splitter.isVisible() and panel.message_label.isVisible()
    assert "two input features" in panel.message_label.text() and "64" in panel.message_label.text()
    model.clear()
    panel.flush()
    assert "No run yet" in panel.message_label.text()
    assert len(panel.train_item.data) == 0


def test_redraws_are_coalesced_to_the_frame_rate(qtbot, monkeypatch):
    ds = load_dataset({"name": "gaussians", "n": 80})
    spec = NetworkSpec((2, 40, 1), "relu", "sigmoid")
    panel, model, trainer = _setup(qtbot, ds, spec, 12, batch_size=40, detail_every=1, map_resolution=12)
    panel.flush()
    calls = []
    original = panel._draw_map
    monkeypatch.setattr(panel, "_draw_map", lambda: (calls.append(1), original())[1])
    snaps = list(trainer.iterate())
    for k in range(0, len(snaps), 2):  # many decisionChanged in one frame
        model.append(snaps[k : k + 2])
    assert calls == [] and panel._scheduler.pending()
    qtbot.waitUntil(lambda: not panel._scheduler.pending(), timeout=2000)
    assert len(calls) == 1
    assert len(panel.neuron_cells) == MAX_NEURONS and "first 32 of 40" in panel.neuron_note.text()
    panel.retranslate_ui()  # a language change rebuilds texts without losing the picture
    assert panel.layer_combo.count() == 1 and panel.image_item.image is not None
