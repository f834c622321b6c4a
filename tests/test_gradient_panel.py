"""GradientPanel draws ‖∇‖ per layer from the TrainingRunModel and histograms of a chosen layer's latest samples.

Everything is fed by the real engine (XOR 2-4-1 tanh, the book's 5-layer sigmoid init experiment on the digits) into
the real TrainingRunModel, as the session does.
"""

from __future__ import annotations

import gc
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PySide6.QtCore import QCoreApplication, QEvent

import pyqtgraph as pg

from conftest import PANELS_ALIVE as _ALIVE
from gdstudio.engine.datasets import load_dataset
from gdstudio.engine.nn import InitSpec, NetworkSpec, Trainer, TrainingConfig
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.views import palette
from gdstudio.views.gradient_panel import HISTOGRAM_BINS, GradientPanel, histogram_range
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS
from gdstudio.views.widgets import LIVE_BUDGET
from gdstudio.views.loss_panel import MAX_DRAWN_POINTS


def start_run(spec: NetworkSpec, dataset_spec: dict, *, epochs: int, batch_size: int, lr: float, **options):
    """(model after begin(info), trainer, its snapshot generator) — the session's first moves."""
    dataset = load_dataset(dataset_spec)
    trainer = Trainer(TrainingConfig(spec, dataset, optimizer="sgd", hyper={"lr": lr}, epochs=epochs,
                                     batch_size=batch_size, **options))
    model = TrainingRunModel()
    model.begin(TrainingInfo.describe(trainer.network, dataset, trainer.steps_per_epoch, trainer.total_steps))
    _ALIVE.append(model)
    return model, trainer, trainer.iterate()


XOR = NetworkSpec(layers=(2, 4, 1), activation="tanh", output="sigmoid", loss="bce", init=InitSpec("xavier", seed=0))


def deep_sigmoid(init: InitSpec) -> NetworkSpec:
    """The book's init experiment: five hidden sigmoid layers of 100 units (here on the 8×8 digits)."""
    return NetworkSpec(layers=(64, 100, 100, 100, 100, 100, 10), activation="sigmoid", output="softmax", init=init)


def curve(item) -> tuple[np.ndarray, np.ndarray]:
    """The data a curve was given (getData() would be log10 of it on a log axis); empty arrays when none."""
    x, y = item.xData, item.yData
    return (np.zeros(0) if x is None else x), (np.zeros(0) if y is None else y)


def _panel(qtbot, model) -> GradientPanel:
    panel = GradientPanel(model)
    qtbot.addWidget(panel)
    _ALIVE.append(panel)
    panel.resize(800, 600)
    panel.show()
    return panel


def _xor_trained(qtbot, epochs: int = 120):
    model, _, snapshots = start_run(XOR, {"name": "xor"}, epochs=epochs, batch_size=4, lr=0.5)
    panel = _panel(qtbot, model)
    model.append(list(snapshots))
    panel.flush()
    return panel, model


# -- the ‖∇‖ curves ----------------------------------------------------------------------------------------------
def test_one_curve_per_layer_holds_every_norm_row(qtbot):
    panel, model = _xor_trained(qtbot)
    assert len(panel.norm_items) == 2
    assert len(model.norm_steps) == 120  # one update per epoch: 4 samples, batch 4
    for i, item in enumerate(panel.norm_items):
        x, y = curve(item)
        np.testing.assert_array_equal(x, model.norm_steps)
        np.testing.assert_array_equal(y, model.grad_norms[:, i])
        assert item.opts["pen"].color().getRgb()[:3] == palette.layer_color(i, 2)
    assert panel.log_y_effective()
    legend = panel.legend_label.text()
    assert "Layer 1" in legend and "Layer 2" in legend


def test_redraws_wait_for_the_frame_not_for_each_batch(qtbot):
    model, _, snapshots = start_run(XOR, {"name": "xor"}, epochs=30, batch_size=4, lr=0.5)
    panel = _panel(qtbot, model)
    panel.flush()
    for _ in range(3):  # three throttled batches inside one frame
        model.append([next(snapshots) for _ in range(5)])
    assert len(curve(panel.norm_items[0])[0]) == 0  # nothing drawn per batch
    assert panel._scheduler.pending()
    qtbot.waitUntil(lambda: not panel._scheduler.pending(), timeout=2000)  # the 60 Hz timer redraws once
    assert len(curve(panel.norm_items[0])[0]) == len(model.norm_steps) == 14


def test_long_runs_are_downsampled_but_keep_the_newest_point(qtbot):
    # y = 3x + 0.8 on 50 points, batch 1: 50 updates per epoch
    model, _, snapshots = start_run(NetworkSpec(layers=(1, 1), output="identity"), {"name": "line"},
                                    epochs=90, batch_size=1, lr=0.01)
    panel = _panel(qtbot, model)
    model.append(list(snapshots))
    panel.flush()
    assert len(model.norm_steps) == 4500 > MAX_DRAWN_POINTS
    x, y = curve(panel.norm_items[0])
    assert len(x) <= MAX_DRAWN_POINTS + 2
    assert x[-1] == model.norm_steps[-1] and y[-1] == model.grad_norms[-1, 0]


def test_vanishing_gradients_fan_out_by_depth_on_the_log_axis(qtbot):
    model, _, snapshots = start_run(deep_sigmoid(InitSpec("xavier", seed=0)), {"name": "digits"},
                                    epochs=1, batch_size=100, lr=0.1)
    panel = _panel(qtbot, model)
    model.append(list(snapshots))
    panel.flush()
    assert len(panel.norm_items) == 6 and panel.log_y_effective()
    last = [curve(item)[1][-1] for item in panel.norm_items]
    assert all(a < b for a, b in zip(last, last[1:]))  # layer 1 gets the least: each layer's curve is lower
    assert last[-1] / last[0] > 100
    colors = {item.opts["pen"].color().getRgb()[:3] for item in panel.norm_items}
    assert len(colors) == 6


def test_a_layer_with_exactly_zero_gradient_keeps_the_axis_linear_and_says_why(qtbot):
    # all-zero weights: tanh(0) = 0 and W2 = 0, so the first layer's gradient is exactly 0 forever (symmetry)
    spec = XOR.replace(init=InitSpec("zeros"))
    model, _, snapshots = start_run(spec, {"name": "xor"}, epochs=5, batch_size=4, lr=0.5)
    panel = _panel(qtbot, model)
    model.append(list(snapshots))
    panel.flush()
    assert np.all(model.grad_norms[:, 0] == 0)
    assert not panel.log_y_effective()
    assert panel.note_label.isVisibleTo(panel) and "exactly 0" in panel.note_label.text()
    panel.set_log_y(False)
    assert not panel.note_label.isVisibleTo(panel)


def test_log_switch_follows_the_check_box(qtbot):
    panel, _ = _xor_trained(qtbot, epochs=20)
    panel.log_check.setChecked(False)
    assert not panel.log_y_effective()
    panel.log_check.setChecked(True)
    assert panel.log_y_effective()


# -- "nothing yet" states ------------------------------------------------------------------------------------------
def test_empty_model_and_step_zero_say_what_is_missing(qtbot):
    model = TrainingRunModel()
    _ALIVE.append(model)
    panel = _panel(qtbot, model)
    assert panel.norm_placeholder.isVisible() and "No run" in panel.norm_placeholder.textItem.toPlainText()
    assert panel.layer_combo.count() == 0
    assert all(len(c) == 0 for c in panel.hist_counts.values())

    model, _, snapshots = start_run(XOR, {"name": "xor"}, epochs=3, batch_size=4, lr=0.5)
    panel = _panel(qtbot, model)
    first = next(snapshots)
    assert first.grad_norms is None and first.detail[0].grads is None
    model.append([first])
    panel.flush()
    assert "No gradients yet" in panel.norm_placeholder.textItem.toPlainText()
    assert panel.norm_placeholder.isVisible()
    assert len(panel.hist_counts["grads"]) == 0 and panel.hist_placeholders["grads"].isVisible()
    assert panel.hist_counts["weights"].sum() == first.detail[0].weights.size  # weights exist at step 0
    model.append([next(snapshots)])
    panel.flush()
    assert not panel.norm_placeholder.isVisible()


def test_clearing_the_model_empties_the_panel(qtbot):
    panel, model = _xor_trained(qtbot, epochs=10)
    model.clear()
    panel.flush()
    assert all(len(curve(item)[0]) == 0 for item in panel.norm_items)
    assert panel.layer_combo.count() == 0
    assert "No run" in panel.norm_placeholder.textItem.toPlainText()


# -- histograms ----------------------------------------------------------------------------------------------------
def test_histograms_count_every_sample_of_the_chosen_layer(qtbot):
    panel, model = _xor_trained(qtbot)
    assert panel.layer_combo.count() == 2
    for index in (0, 1):
        panel.set_chosen_layer(index)
        layer = model.detail[index]
        for kind, samples in (("weights", layer.weights), ("grads", layer.grads), ("activations", layer.activations)):
            counts = panel.hist_counts[kind]
            assert len(counts) == HISTOGRAM_BINS
            assert counts.sum() == samples.size
            x, y = panel.hist_items[kind].getData()
            assert len(x) == HISTOGRAM_BINS + 1 and np.array_equal(y, counts)
        assert panel.hist_items["weights"].opts["fillBrush"].color().getRgb()[:3] == palette.layer_color(index, 2)
    assert "output" in panel.layer_combo.itemText(1)


def _activation_shares(qtbot, init: InitSpec, layer: int = 4) -> tuple[float, float]:
    """(share in the outer 2 bins at each end, share within 0.45–0.55) of hidden layer ``layer``'s activations."""
    model, _, snapshots = start_run(deep_sigmoid(init), {"name": "digits"}, epochs=1, batch_size=100, lr=0.1)
    panel = _panel(qtbot, model)
    model.append([next(snapshots)])  # the book looks at the initial weights
    panel.set_chosen_layer(layer)
    counts = panel.hist_counts["activations"]
    x, _ = panel.hist_items["activations"].getData()
    assert x[0] == 0.0 and x[-1] == 1.0  # sigmoid: fixed bins over its whole range
    n = counts.sum()
    assert n == model.detail[layer].activations.size
    centre = counts[int(0.45 * HISTOGRAM_BINS): int(0.55 * HISTOGRAM_BINS)].sum()
    return (counts[:2].sum() + counts[-2:].sum()) / n, centre / n


def test_init_experiment_sigma_1_piles_activations_at_0_and_1(qtbot):
    ends, centre = _activation_shares(qtbot, InitSpec("normal", sigma=1.0, seed=0))
    assert ends > 0.5 and centre < 0.1


def test_init_experiment_sigma_001_piles_activations_at_one_half(qtbot):
    ends, centre = _activation_shares(qtbot, InitSpec("normal", sigma=0.01, seed=0))
    assert centre > 0.99 and ends == 0


def test_init_experiment_xavier_spreads_activations(qtbot):
    ends, centre = _activation_shares(qtbot, InitSpec("xavier", seed=0))
    assert ends < 0.1 and centre < 0.6


def test_dead_relu_share_is_read_out_and_explained(qtbot):
    # biases of -100: every ReLU input is negative for every sample, so the whole first layer is dead
    spec = NetworkSpec(layers=(2, 8, 1), activation="relu", output="sigmoid", init=InitSpec("he", bias=-100.0))
    model, _, snapshots = start_run(spec, {"name": "xor"}, epochs=2, batch_size=4, lr=0.1)
    panel = _panel(qtbot, model)
    model.append(list(snapshots))
    panel.set_chosen_layer(0)
    assert model.detail[0].dead_share == 1.0
    text = panel.dead_label.text()
    assert "Dead units: 8 of 8 (100.0 %)" in text and "exact zeros: 100.0 %" in text
    assert "no gradient" in text  # the one-line explanation
    panel.set_chosen_layer(1)  # the sigmoid output has no dead share
    assert "only ReLU-like" in panel.dead_label.text()


def test_language_change_rebuilds_the_texts(qtbot):
    panel, _ = _xor_trained(qtbot, epochs=5)
    QCoreApplication.sendEvent(panel, QEvent(QEvent.Type.LanguageChange))
    assert panel.layer_combo.count() == 2 and "Layer 2" in panel.legend_label.text()


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(["weights", "grads", "activations"]),
       activation=st.sampled_from(["relu", "identity", "leaky_relu", "tanh", "sigmoid"]),
       values=arrays(np.float64, st.integers(0, 60), elements=st.floats(-1e6, 1e6, allow_subnormal=False)))
def test_histogram_range_covers_every_sample(kind, activation, values):
    if kind == "activations" and activation == "tanh":
        values = np.tanh(values)
    elif kind == "activations" and activation == "sigmoid":
        values = 0.5 + 0.5 * np.tanh(values / 2)
    lo, hi = histogram_range(kind, values, activation)
    assert lo < hi
    counts, _ = np.histogram(values, bins=HISTOGRAM_BINS, range=(lo, hi))
    assert counts.sum() == values.size
    if kind != "activations":
        assert lo == -hi  # weights and gradients: centred on 0


def test_a_narrow_panel_stacks_the_histograms_and_keeps_log_labels_apart(qtbot):
    panel, model = _xor_trained(qtbot, epochs=20)
    assert panel.histogram_columns() == 3
    panel.resize(320, 600)
    qtbot.waitUntil(lambda: panel.histogram_columns() == 1, timeout=2000)
    rows = [panel.hist_widget.ci.items[panel.hist_plots[kind]][0] for kind in panel.HISTOGRAMS]
    assert rows == [(0, 0), (1, 0), (2, 0)]
    panel.flush()
    assert panel.hist_counts["weights"].sum() == model.detail[0].weights.size  # still drawn after the move
    panel.resize(800, 600)
    qtbot.waitUntil(lambda: panel.histogram_columns() == 3, timeout=2000)
    # under two decades: 10ᵏ first, then 2·10ᵏ and 5·10ᵏ, then the rest (the level a short axis leaves unlabelled)
    levels = panel.norm_plot.getAxis("left").logTickValues(-2.3, -1.05, 150, [])
    assert [np.round(10 ** np.asarray(v), 6).tolist() for _, v in levels] == [
        [0.01], [0.02, 0.05], [0.006, 0.007, 0.008, 0.009, 0.03, 0.04, 0.06, 0.07, 0.08]]


# -- the legend in a narrow dock ---------------------------------------------------------------------------------
def _legend_lines(label) -> list[str]:
    """The lines the word-wrapping legend label shows at its current width (laid out as QLabel lays it out)."""
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.documentLayout().documentSize()
    lines, block = [], doc.begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            lines.append(text[line.textStart(): line.textStart() + line.textLength()].replace("\xa0", " "))
        block = block.next()
    return lines


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_legend_entries_never_break_inside_in_a_narrow_dock(qtbot, lang):
    from gdstudio.app import i18n

    model, _, _ = start_run(deep_sigmoid(InitSpec("xavier", seed=0)), {"name": "digits"}, epochs=1,
                            batch_size=100, lr=0.1)
    try:
        assert i18n.install_language(lang)
        panel = _panel(qtbot, model)
        names = panel._layer_names()
        assert len(names) == 6
        for width in range(300, 481, 30):
            panel.resize(width, 600)
            qtbot.waitUntil(lambda w=width: panel.width() == w)
            panel.flush()
            qtbot.wait(10)
            lines = _legend_lines(panel.legend_label)
            assert len(lines) >= 2  # it does wrap at these widths …
            for name in names:  # … but only between two entries
                assert sum(name in line for line in lines) == 1, (name, lines)
    finally:
        i18n.install_language("en")


def test_while_live_the_norms_are_thin_and_the_histograms_wait_a_second(qtbot, monkeypatch):
    monkeypatch.setitem(pg.CONFIG_OPTIONS, "antialias", True)  # as the application sets it
    LIVE_BUDGET.reset()  # the panels' own rates (not stretched by an earlier test's load)
    model, _, snapshots = start_run(XOR, {"name": "xor"}, epochs=3000, batch_size=4, lr=0.5, detail_min_gap=1)
    panel = _panel(qtbot, model)
    model.append([next(snapshots) for _ in range(5)])
    panel.flush()
    assert panel.antialiased()
    drawn = []
    original = panel._redraw
    panel._redraw = lambda dirty: (drawn.append(set(dirty)), original(dirty))
    model.set_state("running")
    start = time.monotonic()
    while time.monotonic() - start < 1.2:  # a detail (new histograms) with every batch
        model.append([next(snapshots) for _ in range(5)])
        qtbot.wait(16)
    elapsed = time.monotonic() - start
    assert len(drawn) <= elapsed / (LIVE_INTERVAL_MS["gradients"] / 1000) + 1
    assert sum("detail" in parts for parts in drawn) <= elapsed / (LIVE_INTERVAL_MS["histograms"] / 1000) + 1
    assert any("norms" in parts for parts in drawn) and not panel.antialiased()
    assert all(item.opts["pen"].widthF() == 1 for item in panel.norm_items)
    model.set_state("paused")
    qtbot.waitUntil(panel.antialiased, timeout=2000)
    assert all(item.opts["pen"].widthF() == 2 for item in panel.norm_items)
    assert panel.hist_counts["weights"].sum() > 0
