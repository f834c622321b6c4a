"""DigitsPanel shows the fixed sample of test images with "predicted (true)" and confidence (wrong ones framed in
red) and the confusion matrix with its counts and per-class accuracy — from a real TrainingRunModel fed by a real
digits run."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from conftest import PANELS_ALIVE as _ALIVE
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


# -- scaling to the dock ----------------------------------------------------------------------------------------
def _inside(rect, width, height, what) -> None:
    assert rect.left() >= -0.5 and rect.right() <= width + 0.5, (what, rect, width)
    assert rect.top() >= -0.5 and rect.bottom() <= height + 0.5, (what, rect, height)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
@pytest.mark.parametrize("size", [(450, 380), (535, 380), (1000, 560), (360, 700)])
def test_grid_and_matrix_fit_the_dock_nothing_cut_off(qtbot, lang, size):
    from gdstudio.app import i18n

    try:
        assert i18n.install_language(lang)
        panel, model, trainer, _ds = _digits(qtbot, epochs=1)
        model.append(list(trainer.iterate()))
        panel.resize(*size)
        qtbot.waitUntil(lambda: panel.size().toTuple() == size)
        for _ in range(3):  # the splitter settles, then the grid takes its columns
            qtbot.wait(30)
            panel.flush()
        graphics, scroll = panel.sample_graphics, panel.sample_scroll
        assert scroll.horizontalScrollBar().maximum() == 0  # never sideways
        assert 1 <= panel.sample_columns() <= 8 and len(panel.sample_cells) == 32
        for i, cell in enumerate(panel.sample_cells):  # every caption and thumbnail lies inside the grid widget …
            for item in (cell.caption, cell.view):
                _inside(item.sceneBoundingRect(), graphics.width(), graphics.height(), f"sample {i}")
            assert cell.view.width() >= 20  # … and is big enough to show a digit
        if graphics.height() > scroll.viewport().height() + 1:  # … which scrolls when it is taller than its room
            assert panel.scrolls() and scroll.verticalScrollBar().maximum() > 0
        matrix = panel.matrix_graphics
        _inside(panel.matrix_title.sceneBoundingRect(), matrix.width(), matrix.height(), "matrix title")
        _inside(panel.matrix_plot.sceneBoundingRect(), matrix.width(), matrix.height(), "matrix plot")
        for name in ("left", "bottom", "right"):
            _inside(panel.matrix_plot.getAxis(name).sceneBoundingRect(), matrix.width(), matrix.height(), name)
        assert panel.count_font_size() is not None  # the counts stay readable
        if size[0] >= 1000:
            assert panel.sample_columns() >= 6 and not panel.scrolls()
    finally:
        i18n.install_language("en")


def test_grid_fit_keeps_every_caption_in_its_column():
    from gdstudio.views.digits_panel import grid_fit, plan_panel

    caption = (60.0, 13.0)
    columns, side, height = grid_fit(32, 600, 400, caption, 14)
    assert columns * caption[0] <= 600 and side >= 24 and height == 400  # room enough: no scrolling
    columns, side, height = grid_fit(32, 150, 340, caption, 14)
    assert columns == 2 and side >= 24 and height > 340  # too little: a denser grid that scrolls
    assert grid_fit(32, 50, 340, caption, 14)[0] == 1
    beside, share, _form = plan_panel(1000, 500, 32, 10, [caption])
    assert beside and 0.35 <= share <= 0.75
    assert not plan_panel(360, 700, 32, 10, [caption])[0]  # a tall dock stacks them


def test_a_reset_keeps_the_cells_and_counts_for_the_next_run(qtbot):
    panel, model, trainer, ds = _digits(qtbot, epochs=1)
    model.append([next(trainer.iterate())])
    panel.flush()
    cells, texts = list(panel.sample_cells), list(panel.cell_texts)
    assert len(cells) == 32 and len(texts) == 100 and panel.count_font_size() is not None
    info = model.info
    model.clear()  # Reset: drawn empty before the new run is set up …
    panel.flush()
    assert panel.sample_cells == cells and not any(item.isVisible() for item in texts)
    assert all(cell.caption_html == "" and cell.image.image is None for cell in cells)
    model.begin(info)  # … then the same data set again: the cells and counts are reused, not rebuilt
    trainer2 = Trainer(TrainingConfig(trainer.config.network, ds, epochs=1, optimizer="adam", hyper={"lr": 0.003},
                                      batch_size=32))
    model.append([next(trainer2.iterate())])
    panel.flush()
    assert panel.sample_cells == cells and panel.cell_texts == texts
    assert all(cell.caption_html for cell in cells) and all(item.isVisible() for item in texts)
    _check_matrix(panel, model.evaluation.confusion)
