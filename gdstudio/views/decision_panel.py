"""What the network has learnt about the input plane: its output as a coloured map behind the data points (train
filled, test hollow), the 0.5 boundary, and — as in TF Playground — a small map per hidden neuron, so the student
sees the first layer cut the plane into half-planes and later layers combine them.

One-input data sets (the line y = 3x + 0.8) get the fitted curve over the points instead. Everything drawn arrives
computed in the run model (``DecisionMap`` from the worker); turning probabilities into colours is the only
arithmetic here, and it is presentation.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget
import pyqtgraph as pg

from gdstudio.views import palette
from gdstudio.views.contour_panel import grid_transform
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS, LiveRedrawScheduler
from gdstudio.views.widgets import DeferWhileHidden, RetranslateOnLanguageChange, cache_painting

__all__ = ["CLASS_COLORS", "MAP_STRENGTH", "MAX_NEURONS", "DecisionPanel", "class_color", "diverging_lut",
           "label_confidence_image", "probability_of_class_1"]

CLASS_COLORS: tuple[palette.RGB, ...] = (
    (230, 159, 0),    # orange  (class 0, as TF Playground)
    (0, 114, 178),    # blue    (class 1)
    (0, 158, 115),    # bluish green
    (204, 121, 167),  # reddish purple
    (213, 94, 0),     # vermillion
    (86, 180, 233),   # sky blue
    (240, 228, 66),   # yellow
    (128, 96, 168),   # purple
)
"""Okabe–Ito colours (readable with colour-vision deficiencies), ordered so two classes are orange and blue."""

MAP_STRENGTH = 0.6
"""How far the background goes from white towards a class colour at full confidence: the points stay readable."""

MAX_NEURONS = 32
"""Small maps drawn for one layer; wider layers show their first MAX_NEURONS neurons."""

BOUNDARY_PEN = (40, 40, 40, 200)
NEURON_COLUMNS = 6


def class_color(index: int) -> palette.RGB:
    return CLASS_COLORS[int(index) % len(CLASS_COLORS)]


def _blend(rgb, strength) -> np.ndarray:
    """White blended towards ``rgb`` by ``strength`` (0 = white, 1 = the colour); broadcasts."""
    white = np.array([255.0, 255.0, 255.0])
    return white + (np.asarray(rgb, float) - white) * np.asarray(strength, float)[..., None]


def diverging_lut(low: palette.RGB, high: palette.RGB, strength: float = 1.0, n: int = 256) -> np.ndarray:
    """(n, 4) uint8 lookup table: ``low`` at the bottom, white in the middle, ``high`` at the top."""
    t = np.linspace(-1.0, 1.0, n)
    rgb = np.where((t < 0)[:, None], _blend(low, -t * strength), _blend(high, t * strength))
    lut = np.empty((n, 4), np.uint8)
    lut[:, :3] = np.round(rgb)
    lut[:, 3] = 255
    return lut


def probability_of_class_1(outputs: np.ndarray, output: str) -> np.ndarray:
    """P(class 1) of a two-class map from its outputs (..., n_out): the second softmax output, the sigmoid, or a
    tanh / linear output read on its own decision scale (tanh: threshold 0 → (y + 1)/2)."""
    outputs = np.asarray(outputs, dtype=float)
    if outputs.shape[-1] >= 2:
        return outputs[..., 1]
    y = outputs[..., 0]
    if output == "tanh":
        y = (y + 1.0) / 2.0
    return np.clip(y, 0.0, 1.0)


def label_confidence_image(labels: np.ndarray, confidence: np.ndarray, n_classes: int,
                           strength: float = MAP_STRENGTH) -> np.ndarray:
    """RGBA image: each cell the predicted class's colour, paler the closer its confidence is to a blind guess."""
    k = max(int(n_classes), 2)
    conf = np.nan_to_num(np.asarray(confidence, float), nan=0.0)
    share = np.clip((conf - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0) * strength
    colors = np.array([class_color(i) for i in range(max(k, int(np.max(labels, initial=0)) + 1))], float)
    rgb = 255.0 + (colors[np.asarray(labels, np.int64)] - 255.0) * share[..., None]
    out = np.empty(rgb.shape[:-1] + (4,), np.uint8)
    out[..., :3] = np.round(rgb)
    out[..., 3] = 255
    return out


def _same_points(a, b) -> bool:
    """Whether the test points are the training points themselves (a data set without a held-out part)."""
    if a is None or b is None:
        return False
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and (np.shares_memory(a, b) or np.array_equal(a, b))


def _darker(rgb: palette.RGB, factor: float = 0.65) -> tuple[int, int, int]:
    return tuple(int(c * factor) for c in rgb)


class _CornerText(pg.TextItem):
    """A small label pinned to the top-left corner of a view box (not to data coordinates)."""

    def __init__(self, view: pg.ViewBox) -> None:
        super().__init__("", color=(60, 60, 60), anchor=(0, 0))
        self.setParentItem(view)
        self.setZValue(30)
        self.setPos(1, 0)


class _NeuronCell:
    """One hidden neuron: a small view box with its map (2-D sets) or its curve (one-input sets)."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int) -> None:
        self.view: pg.ViewBox = layout.addViewBox(row=row, col=col, lockAspect=False, enableMouse=False)
        self.view.setMenuEnabled(False)
        self.view.setBorder(pg.mkPen((170, 170, 170), width=1))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.curve = pg.PlotDataItem(pen=pg.mkPen(palette.CURVE, width=1.5))
        self.zero = pg.InfiniteLine(angle=0, pos=0.0, pen=pg.mkPen((180, 180, 180), width=1))
        for item in (self.image, self.zero, self.curve):
            self.view.addItem(item)
        self.label = _CornerText(self.view)


class DecisionPanel(RetranslateOnLanguageChange, DeferWhileHidden, QWidget):
    """Left: the output map with the points. Right: a layer chooser and one small map per neuron of that layer."""

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self._mode = "none"  # "plane" | "curve" | "none"
        self._extent: tuple = ()
        self._structure: tuple = ()

        # -- the output map -----------------------------------------------------------------------------------
        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground("w")
        self.plot_item: pg.PlotItem = self.graphics.addPlot(row=0, col=0)
        self.plot_item.setMenuEnabled(False)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setZValue(-100)
        self.boundary_item = pg.IsocurveItem(level=0.5, pen=pg.mkPen(BOUNDARY_PEN, width=1.5),
                                             axisOrder="row-major")
        self.boundary_item.setZValue(-50)
        self.curve_items: list[pg.PlotDataItem] = []
        self.train_item = pg.ScatterPlotItem(size=8, symbol="o", pen=pg.mkPen((60, 60, 60), width=1),
                                             brush=pg.mkBrush(150, 150, 150))
        self.test_item = pg.ScatterPlotItem(size=8, symbol="o", pen=pg.mkPen((90, 90, 90), width=2), brush=None)
        for z, item in enumerate((self.train_item, self.test_item)):
            item.setZValue(10 + z)
        for item in (self.image_item, self.boundary_item, self.train_item, self.test_item):
            self.plot_item.addItem(item)
        # below the plot, not over it: a legend box in a corner would hide the points there (XOR's (1, 1))
        self.legend = pg.LegendItem(colCount=2, labelTextColor="k")
        self.graphics.addItem(self.legend, row=1, col=0)
        cache_painting(*(self.plot_item.getAxis(name) for name in ("left", "bottom")))

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("color: #555; padding: 24px;")
        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #666;")

        # -- hidden neurons -----------------------------------------------------------------------------------
        self.layer_label = QLabel(self)
        self.layer_combo = QComboBox(self)
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_combo.currentIndexChanged.connect(self._layer_chosen)
        self.neuron_note = QLabel(self)
        self.neuron_note.setWordWrap(True)
        self.neuron_note.setStyleSheet("color: #666;")
        self.neuron_graphics = pg.GraphicsLayoutWidget(self)
        self.neuron_graphics.setBackground("w")
        self.neuron_cells: list[_NeuronCell] = []

        neuron_box = QWidget(self)
        chooser = QHBoxLayout()
        chooser.addWidget(self.layer_label)
        chooser.addWidget(self.layer_combo, 1)
        neuron_layout = QVBoxLayout(neuron_box)
        neuron_layout.setContentsMargins(0, 0, 0, 0)
        neuron_layout.addLayout(chooser)
        neuron_layout.addWidget(self.neuron_graphics, 1)
        neuron_layout.addWidget(self.neuron_note)
        self.neuron_box = neuron_box

        map_box = QWidget(self)
        map_layout = QVBoxLayout(map_box)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addWidget(self.graphics, 1)
        map_layout.addWidget(self.note_label)
        self.map_box = map_box

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(map_box)
        self.splitter.addWidget(neuron_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message_label)
        layout.addWidget(self.splitter, 1)

        self._scheduler = LiveRedrawScheduler(self._redraw_when_shown, self,
                                              live_interval_ms=LIVE_INTERVAL_MS["decision"], run_model=run_model)
        run_model.cleared.connect(self._structure_changed)
        run_model.began.connect(self._structure_changed)
        run_model.decisionChanged.connect(self._decision_changed)
        self.retranslate_ui()

    # -- Qt plumbing -------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.layer_label.setText(self.tr("Neurons of"))
        self.layer_combo.setToolTip(self.tr("Each small map is one neuron's activation over the input plane "
                                            "(blue positive, orange negative, white zero)."))
        self._structure = ()  # rebuild the chooser, legend and messages in the new language
        self._scheduler.mark("structure", "map", "neurons")
        self.flush()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._scheduler.stop()
        super().closeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Neurons beside the map in a wide panel, below it in a tall one (a narrow dock)."""
        wide = event.size().width() >= 0.8 * event.size().height()
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        super().resizeEvent(event)

    # -- public API --------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Redraw now whatever changed (normally a 60 Hz timer does it)."""
        self._flush_all()

    @property
    def mode(self) -> str:
        """"plane" (2-D map), "curve" (one input) or "none" (the message is shown)."""
        return self._mode

    def chosen_layer(self) -> int:
        """0-based hidden layer whose neurons are shown."""
        return max(self.layer_combo.currentIndex(), 0)

    def set_chosen_layer(self, index: int) -> None:
        self.layer_combo.setCurrentIndex(index)
        self.flush()

    # -- model signals -----------------------------------------------------------------------------------------
    def _structure_changed(self, *_args) -> None:
        self._scheduler.mark("structure", "map", "neurons")

    def _decision_changed(self, *_args) -> None:
        decision = self.run_model.decision
        mode = self._mode_for(self.run_model.info, decision)
        self._scheduler.mark(*(("map", "neurons") if mode == self._mode else ("structure", "map", "neurons")))

    @Slot(int)
    def _layer_chosen(self, _index: int) -> None:
        self._scheduler.mark("neurons")

    # -- what to show --------------------------------------------------------------------------------------------
    @staticmethod
    def _mode_for(info, decision) -> str:
        if info is None:
            return "none"
        if decision is not None:
            return "curve" if len(decision.ys) == 1 else "plane"
        points = info.points_train
        if points is not None and np.ndim(points) == 2 and np.shape(points)[1] == 2:
            return "plane"
        if info.layer_sizes and info.layer_sizes[0] == 1:
            return "curve"
        if points is None and info.layer_sizes and info.layer_sizes[0] == 2:
            return "plane"  # raw two-input sets (gates, plane): the map arrives with the first detail
        return "none"

    def _output_id(self) -> str:
        info = self.run_model.info
        return info.activations[-1] if info is not None and info.activations else ""

    def _n_classes(self) -> int:
        info = self.run_model.info
        if info is None or info.task != "classification":
            return 0
        if info.n_classes:
            return int(info.n_classes)
        return max(2, info.layer_sizes[-1] if info.layer_sizes else 2)

    def _redraw(self, dirty: set[str]) -> None:
        if "structure" in dirty:
            self._draw_structure()
        if "map" in dirty:
            self._draw_map()
        if "neurons" in dirty:
            self._draw_neurons()

    # -- structure: mode, points, chooser ----------------------------------------------------------------------
    def _draw_structure(self) -> None:
        model = self.run_model
        info = model.info
        self._mode = self._mode_for(info, model.decision)
        show = self._mode != "none"
        self.splitter.setVisible(show)
        self.message_label.setVisible(not show)
        if info is None:
            self.message_label.setText(self.tr("No run yet: choose a data set and press Play or Step. "
                                               "The network's output appears here as a map behind the points."))
        elif not show:
            n = info.layer_sizes[0] if info.layer_sizes else 0
            self.message_label.setText(self.tr(
                "The decision boundary needs a data set with two input features (x₁, x₂) — circle, xor, "
                "gaussians, spiral, moons or a logic gate — or with a single input, where the fitted curve is "
                "shown. This data set has %1 inputs: see the loss and accuracy curves, or the digits view for "
                "images.").replace("%1", str(n)))
        self._draw_points()
        self._draw_chooser()
        plane = self._mode == "plane"
        self.plot_item.setAspectLocked(plane)
        self.plot_item.setLabel("bottom", "x₁" if plane else "x")
        self.plot_item.setLabel("left", "x₂" if plane else self._curve_axis_label())
        self._extent = ()

    def _curve_axis_label(self) -> str:
        if self._n_classes() == 2:
            return self.tr("P(class 1)")
        if self._n_classes() > 2:
            return self.tr("P(class)")
        return "y"

    def _draw_points(self) -> None:
        info = self.run_model.info
        self.legend.clear()
        if info is None or self._mode == "none":
            self.train_item.setData([], [])
            self.test_item.setData([], [])
            return
        k = self._n_classes()
        test_points = info.points_test
        if _same_points(test_points, info.points_train):  # gates, test_fraction 0: no held-out part to ring
            test_points = None
        for item, points, labels in ((self.train_item, info.points_train, info.labels_train),
                                     (self.test_item, test_points, info.labels_test)):
            xy = self._point_coordinates(points, labels)
            if xy is None:
                item.setData([], [])
                continue
            x, y, values = xy
            filled = item is self.train_item
            size = 14 if len(x) <= 20 else 9 if len(x) <= 300 else 7  # four gate points need to be seen
            item.setData(x=x, y=y, size=size, **self._point_style(values, k, filled))
        self.legend.addItem(self.train_item, self.tr("training data"))
        if len(self.test_item.data):
            self.legend.addItem(self.test_item, self.tr("test data"))
        self.legend.setVisible(bool(len(self.train_item.data) or len(self.test_item.data)))

    def _point_coordinates(self, points, labels):
        """(x, y, colour values) of a split: the 2-D points, or (x, target) for one input."""
        if points is None or labels is None:
            return None
        points = np.asarray(points, dtype=float)
        labels = np.asarray(labels)
        if len(points) == 0 or len(labels) != len(points):
            return None
        if self._mode == "plane":
            if points.ndim != 2 or points.shape[1] != 2:
                return None
            return points[:, 0], points[:, 1], labels.reshape(len(points), -1)[:, 0]
        x = points.reshape(len(points), -1)[:, 0]
        values = labels.reshape(len(points), -1)[:, 0].astype(float)
        return x, values, values

    def _point_style(self, values: np.ndarray, k: int, filled: bool) -> dict:
        if k:  # classes: the class colour
            colors = [class_color(int(v)) for v in np.asarray(values, dtype=np.int64)]
            if filled:
                return {"brush": [pg.mkBrush(c) for c in colors], "pen": pg.mkPen((40, 40, 40), width=1)}
            return {"brush": pg.mkBrush(255, 255, 255, 0), "pen": [pg.mkPen(_darker(c), width=2) for c in colors]}
        if self._mode == "curve":  # regression over one input: plain dots
            color = (60, 60, 60)
            if filled:
                return {"brush": pg.mkBrush(color), "pen": pg.mkPen((255, 255, 255), width=1)}
            return {"brush": pg.mkBrush(255, 255, 255, 0), "pen": pg.mkPen(color, width=2)}
        # regression over the plane: the target on the same colour map as the output
        lo, hi = self._value_range(values)
        cmap = pg.colormap.get(palette.SURFACE_COLORMAP)
        rgba = cmap.map((np.asarray(values, float) - lo) / (hi - lo), mode="byte")
        if filled:
            return {"brush": [pg.mkBrush(*c) for c in rgba], "pen": pg.mkPen((255, 255, 255), width=1)}
        return {"brush": pg.mkBrush(255, 255, 255, 0), "pen": [pg.mkPen(tuple(c), width=2) for c in rgba]}

    def _value_range(self, extra=None) -> tuple[float, float]:
        """Colour range of a regression map: the targets and the current outputs together."""
        info = self.run_model.info
        parts = [np.asarray(a, float).ravel() for a in (info.labels_train, info.labels_test) if a is not None]
        decision = self.run_model.decision
        if decision is not None:
            parts.append(np.asarray(decision.outputs[..., 0], float).ravel())
        if extra is not None:
            parts.append(np.asarray(extra, float).ravel())
        allv = np.concatenate(parts) if parts else np.zeros(1)
        allv = allv[np.isfinite(allv)]
        if allv.size == 0:
            return 0.0, 1.0
        lo, hi = float(allv.min()), float(allv.max())
        return (lo, hi) if hi > lo else (lo - 0.5, lo + 0.5)

    def _hidden_layers(self) -> list[tuple[int, int, str]]:
        """(hidden block index 0-based, units, activation) of every hidden layer."""
        info = self.run_model.info
        if info is None:
            return []
        return [(i, info.layer_sizes[i + 1], info.activations[i] if i < len(info.activations) else "")
                for i in range(len(info.layer_sizes) - 2)]

    def _draw_chooser(self) -> None:
        layers = self._hidden_layers() if self._mode != "none" else []
        key = tuple(layers)
        if key != self._structure:
            self._structure = key
            previous = self.layer_combo.currentIndex()
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            for i, units, act in layers:
                text = self.tr("Layer %1 (%2, %3 neurons)")
                self.layer_combo.addItem(text.replace("%1", str(i + 1)).replace("%2", act).replace("%3", str(units)))
            if layers:
                self.layer_combo.setCurrentIndex(previous if 0 <= previous < len(layers) else 0)
            self.layer_combo.blockSignals(False)
        self.layer_combo.setEnabled(bool(layers))
        self.neuron_box.setVisible(bool(layers))

    # -- the output map ----------------------------------------------------------------------------------------
    def _draw_map(self) -> None:
        decision = self.run_model.decision if self._mode != "none" else None
        plane = self._mode == "plane" and decision is not None and len(decision.ys) > 1
        curve = self._mode == "curve" and decision is not None
        self.image_item.setVisible(plane)
        self.boundary_item.setVisible(plane and self._n_classes() == 2)
        if not plane:
            self.image_item.clear()
            self.boundary_item.setData(None)
        if plane:
            self._draw_plane(decision)
        self._draw_curves(decision if curve else None)
        if self._mode == "none" or self.run_model.info is None:
            note = ""
        elif decision is None:
            note = self.tr("No output map yet: the training thread computes it at the start, at epoch ends and "
                           "at the end of the run (and not at all when the map resolution is off).")
        elif plane:
            note = self._plane_note()
        else:
            note = self.tr("The line is the network's output for every x; the dots are the data.")
        self.note_label.setText(note)
        if decision is not None:
            extent = (float(decision.xs[0]), float(decision.xs[-1]), float(decision.ys[0]), float(decision.ys[-1]))
            if extent != self._extent:
                self._extent = extent
                if plane:
                    self.plot_item.getViewBox().setRange(xRange=extent[:2], yRange=extent[2:], padding=0.0)
                else:
                    self.plot_item.getViewBox().enableAutoRange()

    def _plane_note(self) -> str:
        k = self._n_classes()
        if k == 2:
            return self.tr("Blue: class 1, orange: class 0, white: undecided; the line is p = 0.5. "
                           "Filled dots: training data, rings: test data.")
        if k > 2:
            return self.tr("Colour: the predicted class, pale where the network is unsure. "
                           "Filled dots: training data, rings: test data.")
        return self.tr("Colour: the network's output y, on the same scale as the dots' targets.")

    def _draw_plane(self, decision) -> None:
        k = self._n_classes()
        transform = grid_transform(decision.xs, decision.ys)
        if k == 2:
            p = probability_of_class_1(decision.outputs, self._output_id())
            self.image_item.setLookupTable(diverging_lut(class_color(0), class_color(1), MAP_STRENGTH))
            self.image_item.setImage(p, autoLevels=False, levels=(0.0, 1.0))
            finite = np.where(np.isfinite(p), p, 0.5)
            self.boundary_item.setData(finite, 0.5)
            self.boundary_item.setTransform(transform)
        elif k > 2:
            self.image_item.setLookupTable(None)
            self.image_item.setImage(label_confidence_image(decision.labels, decision.confidence, k),
                                     autoLevels=False, levels=(0, 255))
        else:
            values = np.asarray(decision.outputs[..., 0], float)
            cmap = pg.colormap.get(palette.SURFACE_COLORMAP)
            self.image_item.setLookupTable(cmap.getLookupTable(nPts=256))
            self.image_item.setImage(values, autoLevels=False, levels=self._value_range())
            self._draw_points()  # the targets' colours follow the map's range
        self.image_item.setTransform(transform)

    def _draw_curves(self, decision) -> None:
        """One-input sets: y(x) (regression), P(class 1) (two classes) or one curve per class."""
        if decision is None:
            series = []
        else:
            outputs = np.asarray(decision.outputs[0], float)  # (nx, n_out)
            k = self._n_classes()
            if k == 2:
                series = [(probability_of_class_1(outputs, self._output_id()), palette.CURVE)]
            elif k > 2:
                series = [(outputs[:, i], class_color(i)) for i in range(outputs.shape[1])]
            else:
                series = [(outputs[:, i], palette.CURVE if i == 0 else palette.series_color(i))
                          for i in range(outputs.shape[1])]
        while len(self.curve_items) > len(series):
            self.plot_item.removeItem(self.curve_items.pop())
        while len(self.curve_items) < len(series):
            item = pg.PlotDataItem(connect="finite")
            item.setZValue(5)
            self.plot_item.addItem(item)
            self.curve_items.append(item)
        for item, (ys, color) in zip(self.curve_items, series):
            item.setPen(pg.mkPen(color, width=2.5))
            item.setData(np.asarray(decision.xs, float), ys)

    # -- hidden neurons ----------------------------------------------------------------------------------------
    def _draw_neurons(self) -> None:
        layers = self._hidden_layers() if self._mode != "none" else []
        decision = self.run_model.decision if self._mode != "none" else None
        index = self.chosen_layer()
        hidden = None
        if layers and decision is not None and index < len(decision.hidden):
            hidden = np.asarray(decision.hidden[index], float)  # (ny, nx, units)
        units = layers[index][1] if layers and index < len(layers) else 0
        shown = min(units, MAX_NEURONS)
        self._ensure_cells(shown)
        activation = layers[index][2] if layers and index < len(layers) else ""
        lo, hi = self._neuron_levels(hidden, activation)
        lut = diverging_lut(palette.WEIGHT_NEGATIVE, palette.WEIGHT_POSITIVE, 0.9)
        curve_mode = decision is not None and len(decision.ys) == 1
        transform = grid_transform(decision.xs, decision.ys) if decision is not None and not curve_mode else None
        for j, cell in enumerate(self.neuron_cells):
            if cell.label.toPlainText() != str(j + 1):
                cell.label.setText(str(j + 1))
            if hidden is None or j >= hidden.shape[-1]:
                cell.image.clear()
                cell.curve.setData([], [])
                continue
            values = hidden[..., j]
            cell.image.setVisible(not curve_mode)
            cell.curve.setVisible(curve_mode)
            cell.zero.setVisible(curve_mode)
            if curve_mode:
                cell.image.clear()
                cell.curve.setData(np.asarray(decision.xs, float), values[0])
                cell.view.setRange(xRange=(decision.xs[0], decision.xs[-1]), yRange=(lo, hi), padding=0.05)
            else:
                cell.curve.setData([], [])
                cell.image.setLookupTable(lut)
                cell.image.setImage(values, autoLevels=False, levels=(lo, hi))
                cell.image.setTransform(transform)
                cell.view.setRange(xRange=(decision.xs[0], decision.xs[-1]),
                                   yRange=(decision.ys[0], decision.ys[-1]), padding=0.0)
        if not layers:
            note = ""
        elif hidden is None:
            note = self.tr("The neurons' maps appear with the output map.")
        elif activation == "sigmoid":
            note = self.tr("Blue: above ½, orange: below ½ (sigmoid).")
        else:
            note = self.tr("Blue: positive, orange: negative (scale ±%1).").replace(
                "%1", f"{max(abs(lo), abs(hi)):.3g}")
            if units > shown:
                note += " " + self.tr("Showing the first %1 of %2 neurons.").replace("%1", str(shown)).replace(
                    "%2", str(units))
        self.neuron_note.setText(note)

    @staticmethod
    def _neuron_levels(hidden, activation: str) -> tuple[float, float]:
        """One colour scale for the whole layer (neurons stay comparable), white at 0 — sigmoid: at 0.5.

        Unbounded activations (ReLU) saturate at the 95th percentile of the non-zero |h|: a few large values
        would otherwise leave every other neuron white.
        """
        if activation == "sigmoid":
            return 0.0, 1.0
        if activation == "tanh":
            return -1.0, 1.0
        if hidden is None:
            return -1.0, 1.0
        magnitudes = np.abs(hidden[np.isfinite(hidden)])
        magnitudes = magnitudes[magnitudes > 0]
        m = float(np.percentile(magnitudes, 95)) if magnitudes.size else 1.0
        m = m if m > 0 else 1.0
        return -m, m

    def _ensure_cells(self, count: int) -> None:
        """Exactly ``count`` neuron cells, laid out in rows of up to NEURON_COLUMNS (rebuilt when it changes)."""
        if len(self.neuron_cells) == count:
            return
        layout = self.neuron_graphics.ci
        layout.clear()
        self.neuron_cells = []
        columns = min(NEURON_COLUMNS, max(1, math.ceil(math.sqrt(count)))) if count else 1
        for j in range(count):
            self.neuron_cells.append(_NeuronCell(layout, j // columns, j % columns))
