"""DigitsPanel shows the fixed sample of test images with "predicted (true)" and confidence (wrong ones framed in
red) and the confusion matrix with its counts and per-class accuracy — from a real TrainingRunModel fed by a real
digits run."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from gdstudio.engine.datasets import load_dataset
from gdstudio.engine.nn import InitSpec, NetworkSpec, Trainer, TrainingConfig
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.views import palette
from gdstudio.views.digits_panel import (
    RIGHT_RGB,
    WRONG_RGB,
    DigitsPanel,
    confusion_colors,
    per_class_accuracy,
)

_ALIVE: list = []


@pytest.fixture(autouse=True)
def _delete_panels_deterministically():
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _ALIVE.clear()
    gc.collect()


def _setup(qtbot, spec_ds, spec, epochs, **kw):
    ds = load_dataset(spec_ds)
    model = TrainingRunModel()
    panel = DigitsPanel(model)
    qtbot.addWidget(panel)
    _ALIVE.extend([panel, model])
    panel.resize(1000, 560)
    panel.show()
    trainer = Trainer(TrainingConfig(spec, ds, epochs=epochs, **kw))
    model.begin(TrainingInfo.describe(trainer.network, ds, trainer.steps_per_epoch, trainer.total_steps))
    return panel, model, trainer, ds


def _digits(qtbot, epochs=2):
    spec = NetworkSpec((64, 32, 10), "relu", "softmax", init=InitSpec("he", seed=0), dtype="auto")
    return _setup(qtbot, {"name": "digits"}, spec, epochs, optimizer="adam", hyper={"lr": 0.003}, batch_size=32)


def _check_matrix(panel, confusion):
    k = confusion.shape[0]
    texts = [item.toPlainText() for item in panel.cell_texts]
    assert texts == [str(int(v)) for v in confusion.ravel()]
    for index, item in enumerate(panel.cell_texts):  # each count sits in its cell: row = true, column = predicted
        r, c = divmod(index, k)
        assert (item.pos().x(), item.pos().y()) == (c + 0.5, r + 0.5)


def test_sample_grid_and_confusion_matrix_of_a_digits_run(qtbot):
    panel, model, trainer, ds = _digits(qtbot)
    it = trainer.iterate()
    model.append([next(it)])  # the untrained network: many wrong answers
    panel.flush()
    _check_matrix(panel, model.evaluation.confusion)
    wrong_before = sum(cell.wrong for cell in panel.sample_cells)
    model.append(list(it))
    panel.flush()
    e = model.evaluation
    assert panel.available() and panel.splitter.isVisible() and not panel.message_label.isVisible()
    # the sample: each image is its input reshaped to 8 × 8, captioned "predicted (true)" and the confidence
    assert len(panel.sample_cells) == len(e.sample_labels) == 32
    for i, cell in enumerate(panel.sample_cells):
        np.testing.assert_array_equal(cell.image.image, e.sample_inputs[i].reshape(8, 8))
        pred, true = int(e.sample_predicted[i]), int(e.sample_labels[i])
        caption = cell.caption.text
        assert f"{pred} ({true})" in caption
        assert f"{100 * e.sample_confidence[i]:.0f} %" in caption
        assert cell.wrong == (pred != true)
        assert (palette.css(palette.ERROR_TEXT) in caption) == cell.wrong
        border = cell.image.border.color().getRgb()[:3]
        assert (border == palette.ERROR_TEXT) == cell.wrong
    assert sum(cell.wrong for cell in panel.sample_cells) < wrong_before  # it learned
    # the matrix: counts written in the cells, colours and per-class accuracy on the right axis
    confusion = e.confusion
    _check_matrix(panel, confusion)
    image, _strength = confusion_colors(confusion)
    np.testing.assert_array_equal(panel.matrix_image.image, image)
    ticks = panel.matrix_plot.getAxis("right")._tickLevels[0]
    expected = [f"{100 * a:.0f} %" for a in per_class_accuracy(confusion)]
    assert [label for _pos, label in ticks] == expected
    assert [label for _pos, label in panel.matrix_plot.getAxis("bottom")._tickLevels[0]] == list(ds.class_names)
    right, total = int(np.trace(confusion)), int(confusion.sum())
    assert total == len(ds.x_test)
    assert f"{right} of {total} right" in panel.summary_label.text()
    assert model.test_accuracy[-1] == right / total


def test_colours_and_accuracy_helpers():
    confusion = np.array([[8, 2, 0], [0, 10, 0], [0, 0, 0]])
    acc = per_class_accuracy(confusion)
    assert acc[0] == 0.8 and acc[1] == 1.0 and np.isnan(acc[2])  # a class absent from the split
    image, strength = confusion_colors(confusion)
    assert tuple(image[1, 1, :3]) == RIGHT_RGB  # all of class 1 right: full blue
    assert tuple(image[2, 2, :3]) == (255, 255, 255)  # nothing: white
    assert strength[0, 1] == pytest.approx(np.sqrt(0.2))
    assert image[0, 1, 0] > image[0, 1, 2]  # a confusion leans towards vermillion
    assert WRONG_RGB[0] > WRONG_RGB[2]


def test_no_predictions_yet_then_reset(qtbot):
    panel, model, _trainer, _ds = _digits(qtbot)
    panel.flush()
    assert panel.available() and "No predictions yet" in panel.summary_label.text()
    assert panel.sample_cells == [] and panel.cell_texts == []
    model.clear()
    panel.flush()
    assert not panel.available() and "No run yet" in panel.message_label.text()


def test_data_that_are_not_images_get_a_message(qtbot):
    spec = NetworkSpec((2, 4, 1), "tanh", "sigmoid")
    panel, model, trainer, _ds = _setup(qtbot, {"name": "circle", "n": 40}, spec, 1, batch_size=10)
    model.append(list(trainer.iterate()))
    panel.flush()
    assert model.evaluation is not None  # a classifier, but not of images
    assert not panel.available() and not panel.splitter.isVisible()
    assert "needs image data" in panel.message_label.text() and "circle" in panel.message_label.text()
    assert panel.sample_cells == [] and panel.cell_texts == []
    panel.retranslate_ui()
    assert "needs image data" in panel.message_label.text()
