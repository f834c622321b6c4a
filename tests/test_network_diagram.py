"""NetworkDiagram draws the latest weights of the TrainingRunModel: neurons, connections coloured by sign and as wide
as they are strong, hover values, click-to-edit (weightEditRequested with the flat index), and a bounded summary of
big networks. Fed by the real engine and the real model."""

from __future__ import annotations

import gc
import time

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog

from conftest import PANELS_ALIVE as _ALIVE
from gdstudio.engine.nn import InitSpec, Network, NetworkSpec
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.views import palette
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS
from gdstudio.views.widgets import LIVE_BUDGET
from gdstudio.views.network_diagram import EDGES_PER_PAIR, HEAD_UNITS, NetworkDiagram, _EdgesItem
from test_gradient_panel import XOR, start_run  # the same engine → model set-up as the gradient panel's tests


def _diagram(qtbot, model, size=(700, 500)) -> NetworkDiagram:
    diagram = NetworkDiagram(model)
    qtbot.addWidget(diagram)
    _ALIVE.append(diagram)
    diagram.resize(*size)
    diagram.show()
    qtbot.waitExposed(diagram)
    diagram.flush()
    return diagram


def _xor(qtbot, epochs: int = 200):
    model, trainer, snapshots = start_run(XOR, {"name": "xor"}, epochs=epochs, batch_size=4, lr=0.5)
    _ALIVE.append(model)
    diagram = _diagram(qtbot, model)
    model.append(list(snapshots))
    _settle(qtbot, diagram)
    return diagram, model, trainer


def _settle(qtbot, diagram) -> None:
    """Redraw, let the layout take the new legend's height, redraw again: neurons are where the mouse will go."""
    diagram.flush()
    qtbot.wait(20)
    diagram.flush()


def _viewport_point(diagram: NetworkDiagram, view_point) -> QPoint:
    """Widget pixel of a point in the diagram's view coordinates."""
    scene = diagram.view.mapViewToScene(view_point)
    return diagram.graphics.mapFromScene(scene)


def _double_click(widget, pos: QPoint) -> None:
    """What a real double click delivers: press, release, double-click (instead of a second press), release.
    (QTest.mouseDClick sends a second press as well, which pyqtgraph then reports as a single click.)"""
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(widget, left, none, pos)
    global_pos = QPointF(widget.mapToGlobal(pos))
    QCoreApplication.sendEvent(widget, QMouseEvent(QEvent.Type.MouseButtonDblClick, QPointF(pos), global_pos,
                                                   left, left, none))
    QTest.mouseRelease(widget, left, none, pos)


def _hover(qtbot, diagram, view_point) -> str:
    QTest.mouseMove(diagram.graphics.viewport(), _viewport_point(diagram, view_point))
    qtbot.waitUntil(lambda: diagram.hover_text() != "", timeout=1000)
    return diagram.hover_text()


# -- drawing -------------------------------------------------------------------------------------------------------
def test_every_connection_of_a_small_net_is_drawn_with_its_weight(qtbot):
    diagram, model, _ = _xor(qtbot)
    W1, b1, W2, b2 = model.weight_arrays()
    edges = diagram.edges
    assert len(edges) == 2 * 4 + 4 * 1
    for k in range(len(edges)):
        W = (W1, W2)[edges.layer[k]]
        assert edges.value[k] == W[edges.i[k], edges.j[k]]
    assert len(diagram.neurons.data) == 2 + 4 + 1
    assert not diagram.summary_label.isVisibleTo(diagram)


def test_colour_follows_sign_and_width_follows_magnitude(qtbot):
    diagram, _, _ = _xor(qtbot)
    e = diagram.edges
    assert (e.value > 0).any() and (e.value < 0).any()  # trained XOR has both signs
    for k in range(len(e)):
        expected = palette.WEIGHT_NEGATIVE if e.value[k] < 0 else palette.WEIGHT_POSITIVE
        assert tuple(e.color[k, :3]) == expected
    order = np.argsort(np.abs(e.value))
    assert np.all(np.diff(e.width[order]) >= 0)
    assert e.width[order[-1]] > 3 * e.width[order[0]]
    assert diagram.edges_item.group_count() >= 2


def test_the_biases_colour_their_neurons_and_are_written_when_there_is_room(qtbot):
    diagram, model, _ = _xor(qtbot)
    b1 = model.weight_arrays()[1]
    brushes = [spot.brush().color().getRgb()[:3] for spot in diagram.neurons.points()]
    hidden = brushes[2:6]
    for value, rgb in zip(b1, hidden):  # tinted towards the sign colour
        red, _, blue = rgb
        assert (blue > red) if value >= 0 else (red > blue)  # a light blue (positive) or orange (negative)
    shown = [item for item in diagram.bias_items if item.isVisible()]
    assert len(shown) == 5
    assert shown[0].textItem.toPlainText() == f"b = {float(b1[0]):.3g}"


def test_weights_changed_redraws_the_edited_value(qtbot):
    diagram, model, _ = _xor(qtbot)
    flat = np.array(model.weights)
    k = diagram.edge_index(0, 0, 1)
    flat[1] = -abs(flat[1]) - 1.0  # W1[0,1] is flat position 1
    model.set_weights(flat)
    assert diagram._scheduler.pending()
    diagram.flush()
    assert diagram.edges.value[k] == flat[1]
    assert tuple(diagram.edges.color[k, :3]) == palette.WEIGHT_NEGATIVE


# -- hover and click -----------------------------------------------------------------------------------------------
def test_hover_shows_the_weight_under_the_cursor(qtbot):
    diagram, model, _ = _xor(qtbot)
    W1 = model.weight_arrays()[0]
    k = diagram.edge_index(0, 0, 1)
    text = _hover(qtbot, diagram, diagram.edge_point(k, 0.4))
    assert text == f"W1[0,1] = {float(W1[0, 1]):.3g}"
    assert diagram.hover_item.isVisible()
    assert diagram.highlight.xData is not None and len(diagram.highlight.xData) == 2


def test_hover_on_a_hidden_neuron_shows_its_bias(qtbot):
    diagram, model, _ = _xor(qtbot)
    b1 = model.weight_arrays()[1]
    assert _hover(qtbot, diagram, diagram.unit_position(1, 2)) == f"b1[2] = {float(b1[2]):.3g}"


@pytest.mark.parametrize(("what", "name", "index"), [
    (("edge", 0, 0, 1), "W1", (0, 1)),
    (("edge", 1, 2, 0), "W2", (2, 0)),
    (("unit", 1, 2), "b1", (2,)),
    (("unit", 2, 0), "b2", (0,)),
])
def test_click_emits_an_edit_with_the_flat_index(qtbot, monkeypatch, what, name, index):
    diagram, model, trainer = _xor(qtbot)
    asked = []

    def get_double(parent, title, label, value, *args):
        asked.append((label, value))
        return 0.25, True

    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(get_double))
    point = diagram.edge_point(diagram.edge_index(*what[1:]), 0.4) if what[0] == "edge" else \
        diagram.unit_position(*what[1:])
    events = []
    diagram.editStarted.connect(lambda: events.append("started"))
    diagram.weightEditRequested.connect(lambda *args: events.append(args))
    QTest.mouseClick(diagram.graphics.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     _viewport_point(diagram, point))
    qtbot.waitUntil(lambda: len(events) == 2, timeout=1000)
    assert events[0] == "started"  # the window can pause before the editor opens
    flat, value = events[1]
    assert flat == trainer.network.flat_index(name, index)  # the engine's own flat order
    assert value == 0.25
    label = f"{name}[{','.join(map(str, index))}]"
    assert asked == [(f"New value of {label}:", float(model.weights[flat]))]


def test_cancelled_edit_and_clicks_on_nothing_emit_nothing(qtbot, monkeypatch):
    diagram, _, _ = _xor(qtbot)
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *args: (9.0, False)))
    with qtbot.assertNotEmitted(diagram.weightEditRequested):
        assert diagram.edit_at(diagram.edge_point(0, 0.4))  # the editor opened, then was cancelled
        assert not diagram.edit_at(diagram.unit_position(0, 0))  # an input unit has no parameter
        QTest.mouseClick(diagram.graphics.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(3, 3))


# -- states and big networks -----------------------------------------------------------------------------------------
def test_no_network_and_no_weights_yet_are_said(qtbot):
    model = TrainingRunModel()
    _ALIVE.append(model)
    diagram = _diagram(qtbot, model)
    assert "No network yet" in diagram.placeholder.textItem.toPlainText() and diagram.placeholder.isVisible()
    assert len(diagram.edges) == 0
    model2, _, snapshots = start_run(XOR, {"name": "xor"}, epochs=2, batch_size=4, lr=0.5)
    diagram = _diagram(qtbot, model2)
    assert "No weights yet" in diagram.placeholder.textItem.toPlainText()
    assert len(diagram.neurons.data) == 7 and len(diagram.edges) == 0
    model2.append([next(snapshots)])  # step 0 carries the initial weights
    diagram.flush()
    assert not diagram.placeholder.isVisible() and len(diagram.edges) == 12


def _big_model(sizes: tuple[int, ...]) -> TrainingRunModel:
    """A model holding a real engine network's initial weights (784-100-10 needs no MNIST to be drawn)."""
    net = Network(NetworkSpec(layers=sizes, activation="relu", output="softmax", init=InitSpec("he", seed=1)))
    model = TrainingRunModel()
    model.begin(TrainingInfo(
        description=net.describe(), layer_sizes=sizes, activations=tuple(b.activation_name for b in net.blocks),
        block_labels=tuple(f"Layer {b.index}" for b in net.blocks), param_names=tuple(net.param_names()),
        param_shapes=tuple(tuple(p.shape) for p in net.params()), n_params=net.n_params, task="classification",
        n_classes=sizes[-1], class_names=tuple(str(i) for i in range(sizes[-1])), points_train=None,
        labels_train=None, points_test=None, labels_test=None, image_shape=(28, 28), steps_per_epoch=1,
        total_steps=1, dataset_name="mnist"))
    model.set_weights(net.flat_params())
    _ALIVE.append(model)
    return model


def test_a_784_100_10_network_is_summarised_with_a_bounded_number_of_items(qtbot):
    model = _big_model((784, 100, 10))
    diagram = _diagram(qtbot, model, size=(900, 600))
    e = diagram.edges
    assert 0 < len(e) <= 2 * EDGES_PER_PAIR
    for k in (0, 1):
        assert (e.layer == k).sum() <= EDGES_PER_PAIR
    assert len(diagram.neurons.data) == 2 * HEAD_UNITS + 2 * HEAD_UNITS + 10
    assert len(diagram.graphics.scene().items()) < 150  # not 79,510 connections
    assert diagram.summary_label.isVisibleTo(diagram) and "strongest" in diagram.summary_label.text()
    W1 = model.weight_arrays()[0]
    shown = np.concatenate([np.arange(HEAD_UNITS), np.arange(784 - HEAD_UNITS, 784)])
    hidden = np.concatenate([np.arange(HEAD_UNITS), np.arange(100 - HEAD_UNITS, 100)])
    candidates = np.abs(W1[np.ix_(shown, hidden)]).ravel()
    drawn = np.abs(e.value[e.layer == 0])
    assert drawn.min() >= np.sort(candidates)[-EDGES_PER_PAIR]  # the strongest ones
    k = int(np.flatnonzero(e.layer == 0)[0])  # flat index of a drawn W1 entry: row × 100 + column
    assert e.flat[k] == e.i[k] * 100 + e.j[k]
    texts = [item.textItem.toPlainText() for item in diagram.text_items]
    assert any("768 more" in t for t in texts) and any("28 × 28" in t for t in texts)


def test_the_deep_sigmoid_net_on_the_digits_keeps_the_edit_order(qtbot, monkeypatch):
    spec = NetworkSpec(layers=(64, 100, 100, 10), activation="sigmoid", output="softmax",
                       init=InitSpec("xavier", seed=0))
    model, trainer, snapshots = start_run(spec, {"name": "digits"}, epochs=1, batch_size=200, lr=0.1)
    _ALIVE.append(model)
    diagram = _diagram(qtbot, model, size=(900, 600))
    model.append(list(snapshots))
    diagram.flush()
    e = diagram.edges
    k = int(np.flatnonzero(e.layer == 1)[-1])
    i, j = int(e.i[k]), int(e.j[k])
    assert e.flat[k] == trainer.network.flat_index("W2", (i, j))
    assert e.value[k] == model.weights[e.flat[k]]
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *args: (1.5, True)))
    with qtbot.waitSignal(diagram.weightEditRequested) as blocker:
        diagram.edit_at(diagram.edge_point(k, 0.4))
    assert blocker.args == [trainer.network.flat_index("W2", (i, j)), 1.5]


def test_a_wide_view_spreads_the_layers_and_a_double_click_fits_the_network_again(qtbot, monkeypatch):
    diagram, model, _ = _xor(qtbot)
    narrow = diagram._layout.dx
    diagram.resize(1400, 350)
    qtbot.waitUntil(lambda: diagram._layout.dx > 1.5 * narrow, timeout=2000)
    diagram.flush()
    k = diagram.edge_index(1, 3, 0)  # connections follow their neurons to the new places
    hidden, output = diagram.unit_position(1, 3), diagram.unit_position(2, 0)
    np.testing.assert_allclose(diagram.edges.seg[k], [hidden.x(), hidden.y(), output.x(), output.y()])
    fitted = diagram.view.viewRange()
    diagram.view.translateBy(x=30.0)
    assert diagram.view.viewRange() != fitted
    monkeypatch.setattr(QInputDialog, "getDouble", staticmethod(lambda *args: pytest.fail("no editor here")))
    corner = diagram.view.sceneBoundingRect().bottomLeft() + QPointF(4, -4)  # inside the view, away from neurons
    _double_click(diagram.graphics.viewport(), diagram.graphics.mapFromScene(corner))
    np.testing.assert_allclose(diagram.view.viewRange(), fitted)


# -- headers and "more" labels of a deep net in a narrow dock --------------------------------------------------
def _deep_sigmoid_model():
    from test_gradient_panel import deep_sigmoid

    model, _, snapshots = start_run(deep_sigmoid(InitSpec("xavier", seed=0)), {"name": "digits"}, epochs=1,
                                    batch_size=200, lr=0.1)
    model.append([next(snapshots)])
    _ALIVE.append(model)
    return model


def _assert_apart(items, label) -> None:
    rects = [item.sceneBoundingRect() for item in items]
    for a, b in zip(rects, rects[1:]):
        assert a.right() <= b.left(), (label, a, b)  # side by side, not on top of each other


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_init_experiment_headers_fit_side_by_side_at_any_dock_width(qtbot, lang):
    from gdstudio.app import i18n

    try:
        assert i18n.install_language(lang)
        model = _deep_sigmoid_model()
        diagram = _diagram(qtbot, model, size=(900, 650))
        forms = []
        for size in ((900, 650), (520, 700), (390, 700), (300, 600)):
            diagram.resize(*size)
            qtbot.waitUntil(lambda s=size: diagram.width() == s[0] and diagram.height() == s[1])
            _settle(qtbot, diagram)
            forms.append(diagram.header_form())
            view = diagram.view.sceneBoundingRect()
            assert len(diagram.headers) == 7 and sum(m is not None for m in diagram.more_items) == 6
            _assert_apart(diagram.headers, f"headers at {size}")
            _assert_apart([m for m in diagram.more_items if m is not None], f"more labels at {size}")
            for item in diagram.headers + diagram.name_items[0] + diagram.name_items[1]:
                rect = item.sceneBoundingRect()  # nothing cut off at the sides or the top
                assert view.left() - 0.5 <= rect.left() and rect.right() <= view.right() + 0.5, (size, rect, view)
                assert rect.top() >= view.top() - 0.5
            texts = [item.textItem.toPlainText() for item in diagram.more_items if item is not None]
            assert all("84" in t for t in texts[1:]) and "48" in texts[0]  # the counts stay readable
        assert forms[0] == "full" and forms[-1] != "full"  # a wide dock says it all, a narrow one abbreviates
        plain = diagram.headers[1].textItem.toPlainText()
        assert "100" in plain
    finally:
        i18n.install_language("en")


# -- while a run trains ----------------------------------------------------------------------------------------------
def test_a_live_run_redraws_the_diagram_a_few_times_a_second_without_antialiasing(qtbot):
    diagram, model, _ = _xor(qtbot)
    assert diagram.antialiased()
    LIVE_BUDGET.reset()  # the panels' own rates (not stretched by an earlier test's load)
    drawn = []
    original = diagram._redraw
    diagram._redraw = lambda dirty: (drawn.append(set(dirty)), original(dirty))
    flat = np.array(model.weights)
    model.set_state("running")
    start = time.monotonic()
    while time.monotonic() - start < 1.0:  # the weights change with every batch (~60 a second)
        flat = flat * 1.001
        model.set_weights(flat)
        qtbot.wait(16)
    elapsed = time.monotonic() - start
    assert 1 <= len(drawn) <= elapsed / (LIVE_INTERVAL_MS["diagram"] / 1000) + 1
    assert not diagram.antialiased()
    model.set_state("done")
    qtbot.waitUntil(diagram.antialiased, timeout=2000)  # the picture the student studies is smooth again
    diagram.flush()
    np.testing.assert_allclose(diagram.edges.value[diagram.edge_index(0, 0, 1)], flat[1])


def test_connections_are_painted_opaque_in_their_blended_colour():
    edges = _EdgesItem()
    pen = edges._pen((0, 114, 178, 70), 3.0)  # a weak positive weight: 70 / 255 of the colour on white
    assert pen.color().alpha() == 255 and pen.widthF() == 3.0
    a = 70 / 255
    assert (pen.color().red(), pen.color().green(), pen.color().blue()) == tuple(
        round(255 + (c - 255) * a) for c in (0, 114, 178))
    assert edges._pen((0, 114, 178, 70), 3.0) is pen  # one pen per colour and width
