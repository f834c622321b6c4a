"""The network drawn as neurons and connections, coloured by sign and as wide as they are strong; click one to edit.

Every connection of a small network is drawn (a 2-4-1 XOR net has 12, a 2-8-8-1 Playground net 88). A wide layer
(784 pixels, 100 hidden units) is summarised the way numpy prints a long array: its first and last units with a
"⋮ N more" between them, and between two layers only the strongest connections among the shown units — the
panel says so on screen. All connections are painted by one item (one path per colour and width), and hover and
click are hit-tested against the segment list, so a big network costs a bounded number of scene items.
While the run trains the diagram is redrawn ~2.5 times a second, its connections without antialiasing (wide
antialiased lines are the costliest thing the lab paints; see live_redraw); pausing redraws them smooth.

Column headers ("Layer 1 / 100 units / sigmoid") and the "⋮ N more" labels are sized in pixels, so a narrow dock
gets shorter forms (``HEADER_FORMS``: the unit word dropped, a smaller font, "L1", the activation dropped; "+84")
chosen in :meth:`NetworkDiagram._fit_view` so neighbours never overlap and nothing is cut off at the sides.

Weights are W shaped inputs × outputs, as in the book: W[i, j] joins unit i of the layer below to unit j above.
Edits leave as ``weightEditRequested(flat_index, value)`` in the order of ``info.param_names``/``param_shapes``;
the session pauses the run and applies them between two steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QInputDialog, QLabel, QVBoxLayout, QWidget
import pyqtgraph as pg

from gdstudio.views import palette
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS, LiveRedrawScheduler
from gdstudio.views.widgets import DeferWhileHidden, RetranslateOnLanguageChange

__all__ = ["EDGES_PER_PAIR", "HEADER_FORMS", "HEAD_UNITS", "NetworkDiagram"]

HEAD_UNITS = 8
"""A layer wider than 2 × HEAD_UNITS shows its first and last HEAD_UNITS units and an ellipsis between them."""

EDGES_PER_PAIR = 64
"""Between two layers of which one is summarised, only this many strongest connections are drawn."""

LAYER_DX = (1.6, 12.0)  # horizontal distance between layers (bounds), in units of the vertical neuron spacing
_SIDE = 1.4  # room left of the inputs and right of the outputs for their names, same units
RADIUS = 0.3  # neuron radius, same units
_WIDTH_LEVELS = 12  # connection widths are drawn in this many steps (one path per sign and step)
_MIN_WIDTH, _MAX_WIDTH = 0.6, 7.0  # pixels
_HOVER_PX = 5.0  # a connection within this many pixels of the cursor is hovered
_BIAS_TEXT_MIN_PX = 44.0  # bias values are written beside the neurons when a neuron row is at least this tall
_NAME_GAP = 0.08  # between a neuron and its name, units
_LABEL_GAP_PX = 3.0  # least free space between two neighbouring headers or "more" labels
_TEXT_MARGIN_PX = 2.0  # document margin of the header and "more" texts (Qt's default 4 wastes a narrow column)

HEADER_FORMS: tuple[tuple[str, int], ...] = (
    ("full", 9),  # Layer 1 / 100 units / sigmoid
    ("count", 9),  # Layer 1 / 100 / sigmoid
    ("count", 8),
    ("count", 7),
    ("short", 7),  # L1 / 100 / sigmoid
    ("bare", 7),  # L1 / 100
)
"""Column header forms (lines, point size) from the roomiest to the tightest; the first that fits is shown."""
_MORE_FORMS: tuple[tuple[str, int], ...] = (("full", 9), ("short", 8), ("line", 8))
"""The "more" label: "⋮ / 84 more", "⋮ / +84", then "+84" on one line when the gap between two units is short."""


def _fmt(value: float) -> str:
    return f"{value:.3g}"


@dataclass
class _Layout:
    """Where the shown units sit: per layer the shown unit indices, their (x, y) and the ellipsis slot if any."""

    units: list[np.ndarray]  # per layer: indices of the shown units
    xy: list[np.ndarray]  # per layer: (len(units), 2) positions
    more: list[tuple[float, float, int] | None]  # per layer: (x, y, hidden count) of the "⋮" slot
    summarised: bool
    height: float  # slots in the tallest layer
    dx: float  # distance between layers


@dataclass
class _Edges:
    """The drawn connections (arrays of equal length), in drawing order."""

    seg: np.ndarray  # (n, 4) x0, y0, x1, y1 in view coordinates
    layer: np.ndarray  # (n,) 0-based weight layer k (W{k+1})
    i: np.ndarray  # (n,) input unit (row of W)
    j: np.ndarray  # (n,) output unit (column of W)
    value: np.ndarray  # (n,) float
    flat: np.ndarray  # (n,) flat parameter index
    width: np.ndarray  # (n,) pixels
    color: np.ndarray  # (n, 4) RGBA

    @classmethod
    def empty(cls) -> _Edges:
        z = np.zeros(0)
        zi = np.zeros(0, np.int64)
        return cls(np.zeros((0, 4)), zi, zi, zi, z, zi, z, np.zeros((0, 4), np.int64))

    def __len__(self) -> int:
        return len(self.value)


class _EdgesItem(pg.GraphicsObject):
    """All connections in one item: one QPainterPath per (colour, width) group, cosmetic pens (pixel widths)."""

    def __init__(self) -> None:
        super().__init__()
        self._groups: list[tuple[object, object]] = []  # (QPen, QPainterPath)
        self._pens: dict[tuple, object] = {}  # (RGBA, width) → QPen: the groups' pens recur every redraw
        self._rect = QRectF()
        self._antialias = True

    def antialiased(self) -> bool:
        return self._antialias

    def set_antialias(self, on: bool) -> None:
        if bool(on) != self._antialias:
            self._antialias = bool(on)
            self.update()

    def _pen(self, color, width: float):
        """An opaque pen of ``color``'s RGBA blended onto the white background: the same colour where lines do not
        cross (stronger lines are drawn later, on top), and a translucent wide line costs Qt ~10× an opaque one to
        stroke (it must not blend twice where its own segments overlap)."""
        key = (tuple(int(c) for c in color), float(width))
        pen = self._pens.get(key)
        if pen is None:
            r, g, b, a = key[0] if len(key[0]) == 4 else (*key[0], 255)
            opaque = tuple(round(255 + (c - 255) * a / 255.0) for c in (r, g, b))
            pen = self._pens[key] = pg.mkPen(opaque, width=key[1])
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        return pen

    def set_edges(self, edges: _Edges) -> None:
        self.prepareGeometryChange()
        self._groups = []
        if len(edges):
            seg = edges.seg
            level = np.round((edges.width - _MIN_WIDTH) / (_MAX_WIDTH - _MIN_WIDTH) * (_WIDTH_LEVELS - 1)).astype(int)
            negative = edges.value < 0
            for neg in (False, True):
                for lv in range(_WIDTH_LEVELS):
                    mask = (negative == neg) & (level == lv)
                    if not mask.any():
                        continue
                    k = np.flatnonzero(mask)[0]
                    s = seg[mask]
                    path = pg.arrayToQPath(s[:, [0, 2]].ravel(), s[:, [1, 3]].ravel(), connect="pairs")
                    self._groups.append((self._pen(edges.color[k], edges.width[k]), path))
            x = seg[:, [0, 2]]
            y = seg[:, [1, 3]]
            self._rect = QRectF(float(x.min()), float(y.min()), float(x.max() - x.min()), float(y.max() - y.min()))
        else:
            self._rect = QRectF()
        self.update()

    def group_count(self) -> int:
        return len(self._groups)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect.adjusted(-0.5, -0.5, 0.5, 0.5)

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self._antialias)
        for pen, path in self._groups:
            painter.setPen(pen)
            painter.drawPath(path)


def _font(size: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSize(size)
    font.setBold(bold)
    return font


def _block_size(lines: list[str], size: int, bold_first: bool) -> tuple[float, float]:
    """(width, height) in pixels of centred ``lines`` as _center_lines draws them, margins included."""
    plain, bold = QFontMetricsF(_font(size)), QFontMetricsF(_font(size, True))
    width = max((bold if bold_first and k == 0 else plain).horizontalAdvance(line) for k, line in enumerate(lines))
    height = sum((bold if bold_first and k == 0 else plain).lineSpacing() for k in range(len(lines)))
    return width + 2 * _TEXT_MARGIN_PX + 2, height + 2 * _TEXT_MARGIN_PX


def _center_lines(item: pg.TextItem, lines: list[str], bold_first: bool = False, size: int | None = None) -> None:
    """Centre several lines under one another in a TextItem (its anchor then centres the block), as wide as the
    widest line: its bounding box is what the neighbours must keep clear of."""
    if size is not None:
        item.setFont(_font(size))
    item.textItem.document().setDocumentMargin(_TEXT_MARGIN_PX)
    html = "<br>".join(
        (f"<b>{escape(line)}</b>" if bold_first and k == 0 else escape(line)) for k, line in enumerate(lines))
    item.setHtml(f'<div style="text-align:center">{html}</div>')
    item.setTextWidth(_block_size(lines, item.textItem.font().pointSize(), bold_first)[0])


class NetworkDiagram(RetranslateOnLanguageChange, DeferWhileHidden, QWidget):
    """Neurons per layer and the connections between them; hover shows a value, click edits it."""

    weightEditRequested = Signal(int, float)
    """(flat index in info.param_names order, new value) — the session pauses the run and applies it."""

    editStarted = Signal()
    """A weight or bias was clicked and its editor is about to open (the window may pause the run now)."""

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self._layout: _Layout | None = None
        self._structure_key: tuple = ()
        self._kept: tuple = ((), None, {})  # (structure key, layout, offsets) of texts hidden by a reset
        self._offsets: dict[str, int] = {}
        self.edges = _Edges.empty()
        self._hover_text = ""
        self._biases: list[np.ndarray | None] = []
        self._brushes: dict[tuple[int, ...], object] = {}

        self.graphics = pg.GraphicsLayoutWidget(self)
        self.graphics.setBackground("w")
        self.view: pg.ViewBox = self.graphics.addViewBox(lockAspect=True, enableMenu=False)
        self.view.setMouseEnabled(x=True, y=True)
        self.edges_item = _EdgesItem()
        self.edges_item.setZValue(0)
        self.view.addItem(self.edges_item)
        self.highlight = pg.PlotCurveItem(connect="pairs")  # the hovered connection: a dark outline …
        self.highlight.setZValue(5)
        self.view.addItem(self.highlight)
        self.highlight_top = pg.PlotCurveItem(connect="pairs")  # … around it redrawn opaque on top
        self.highlight_top.setZValue(6)
        self.view.addItem(self.highlight_top)
        self.neurons = pg.ScatterPlotItem(pxMode=False, pen=pg.mkPen((70, 70, 70), width=1.2))
        self.neurons.setZValue(10)
        self.view.addItem(self.neurons)
        self.hover_item = pg.TextItem("", color=(20, 20, 20), fill=pg.mkBrush(255, 255, 255, 230),
                                      border=pg.mkPen((150, 150, 150)), anchor=(0, 1))
        self.hover_item.setZValue(30)
        self.hover_item.hide()
        self.view.addItem(self.hover_item, ignoreBounds=True)
        self.placeholder = pg.TextItem("", color=(120, 120, 120), anchor=(0.5, 0.5))
        self.placeholder.setParentItem(self.view)
        self.placeholder.setZValue(20)
        self.view.sigResized.connect(self._view_resized)
        self.headers: list[pg.TextItem] = []
        self.more_items: list[pg.TextItem | None] = []  # per layer: its "⋮ N more" label, if summarised
        self.name_items: tuple[list[pg.TextItem], list[pg.TextItem]] = ([], [])  # input names, output names
        self._header_lines: list[dict[str, list[str]]] = []  # per layer: header form → lines
        self._forms: tuple[int, int] = (-1, -1)  # (HEADER_FORMS index, _MORE_FORMS index) shown
        self.text_items: list[pg.TextItem] = []  # headers, unit names, ellipses (rebuilt with the structure)
        self.bias_items: list[pg.TextItem] = []  # one per shown non-input unit

        self.legend_label = QLabel(self)
        self.legend_label.setWordWrap(True)
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("color: #666;")
        for label in (self.legend_label, self.summary_label):
            label.setContentsMargins(4, 0, 4, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.summary_label)

        scene = self.graphics.scene()
        scene.sigMouseMoved.connect(self._mouse_moved)
        scene.sigMouseClicked.connect(self._mouse_clicked)

        self._scheduler = LiveRedrawScheduler(self._redraw_when_shown, self,
                                              live_interval_ms=LIVE_INTERVAL_MS["diagram"], run_model=run_model,
                                              on_live=self._live_changed)
        self.edges_item.set_antialias(not self._scheduler.live())
        run_model.cleared.connect(self._structure_changed)
        run_model.began.connect(self._structure_changed)
        run_model.weightsChanged.connect(self._weights_changed)
        self.retranslate_ui()

    # -- Qt plumbing -------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._structure_key = ()  # headers and notes are rebuilt in the new language
        self._kept = ((), None, {})
        self._scheduler.mark("structure", "weights")
        self.flush()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._scheduler.stop()
        super().closeEvent(event)

    def leaveEvent(self, event) -> None:  # noqa: N802
        self._set_hover(None)
        super().leaveEvent(event)

    # -- public API --------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Redraw now whatever changed (normally a 60 Hz timer does it)."""
        self._flush_all()

    def hover_text(self) -> str:
        """What the hover label shows now ("W1[0,1] = 0.523"), or ""."""
        return self._hover_text

    def unit_position(self, layer: int, unit: int) -> QPointF | None:
        """View position of ``unit`` of ``layer`` (0 = inputs) if it is shown."""
        lay = self._layout
        if lay is None or layer >= len(lay.units):
            return None
        hit = np.flatnonzero(lay.units[layer] == unit)
        if not hit.size:
            return None
        x, y = lay.xy[layer][hit[0]]
        return QPointF(float(x), float(y))

    def edge_index(self, layer: int, i: int, j: int) -> int | None:
        """Row of connection W{layer+1}[i, j] in ``edges`` if it is drawn."""
        hit = np.flatnonzero((self.edges.layer == layer) & (self.edges.i == i) & (self.edges.j == j))
        return int(hit[0]) if hit.size else None

    def edge_point(self, index: int, t: float = 0.5) -> QPointF:
        """A view point on drawn connection ``index`` (``t`` from its input end); tests and tours hover it."""
        x0, y0, x1, y1 = self.edges.seg[index]
        return QPointF(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)

    def target_at(self, view_pos: QPointF) -> tuple[str, int, float] | None:
        """(label, flat index, value) of the bias or connection under ``view_pos`` (view coordinates), or None."""
        lay = self._layout
        if lay is None or self.run_model.info is None:
            return None
        px, py = view_pos.x(), view_pos.y()
        for layer in range(1, len(lay.units)):  # neurons first: they sit on top of the line ends
            biases = self._biases[layer] if layer < len(self._biases) else None
            if biases is None:
                continue
            d2 = (lay.xy[layer][:, 0] - px) ** 2 + (lay.xy[layer][:, 1] - py) ** 2
            k = int(np.argmin(d2)) if d2.size else -1
            if k >= 0 and d2[k] <= RADIUS**2:
                unit = int(lay.units[layer][k])
                name = f"b{layer}"
                return f"{name}[{unit}]", self._offsets[name] + unit, float(biases[unit])
        for layer in range(len(lay.units)):
            d2 = (lay.xy[layer][:, 0] - px) ** 2 + (lay.xy[layer][:, 1] - py) ** 2
            if d2.size and d2.min() <= RADIUS**2:
                return None  # an input unit (no parameter) covers the line ends
        k = self._edge_near(view_pos)
        if k is None:
            return None
        e = self.edges
        name = f"W{int(e.layer[k]) + 1}"
        return f"{name}[{int(e.i[k])},{int(e.j[k])}]", int(e.flat[k]), float(e.value[k])

    def edit_at(self, view_pos: QPointF) -> bool:
        """Open the editor for what is under ``view_pos``; True when something editable was there."""
        target = self.target_at(view_pos)
        if target is None:
            return False
        label, flat, value = target
        self.editStarted.emit()
        new, ok = QInputDialog.getDouble(
            self, self.tr("Edit parameter"), self.tr("New value of %1:").replace("%1", label),
            value, -1e6, 1e6, 6)
        if ok:
            self.weightEditRequested.emit(int(flat), float(new))
        return True

    # -- model signals -----------------------------------------------------------------------------------------
    def _structure_changed(self, *_args) -> None:
        self._scheduler.mark("structure", "weights")

    def _weights_changed(self, *_args) -> None:
        self._scheduler.mark("weights")

    def _live_changed(self, live: bool) -> None:
        if not live:
            self._scheduler.mark("quality")  # smooth again (while live the next weights redraw drops it)

    def antialiased(self) -> bool:
        """Whether the connections are drawn antialiased (not while the run trains)."""
        return self.edges_item.antialiased()

    def _view_resized(self, *_args) -> None:
        self.placeholder.setPos(self.view.rect().center())
        self._scheduler.mark("fit", "labels")

    # -- mouse -------------------------------------------------------------------------------------------------
    def _mouse_moved(self, scene_pos) -> None:
        if not self.view.sceneBoundingRect().contains(scene_pos):
            self._set_hover(None)
            return
        view_pos = self.view.mapSceneToView(scene_pos)
        self._set_hover(view_pos)

    def _mouse_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if not self.view.sceneBoundingRect().contains(event.scenePos()):
            return
        if event.double():  # panned or zoomed away: a double click shows the whole network again
            self._fit_view()
            event.accept()
            return
        if self.edit_at(self.view.mapSceneToView(event.scenePos())):
            event.accept()

    def _set_hover(self, view_pos: QPointF | None) -> None:
        target = self.target_at(view_pos) if view_pos is not None else None
        if target is None:
            self._hover_text = ""
            self.hover_item.hide()
            self.highlight.setData([], [])
            self.highlight_top.setData([], [])
            return
        label, _flat, value = target
        self._hover_text = f"{label} = {_fmt(value)}"
        self.hover_item.setText(self._hover_text)
        self.hover_item.setPos(view_pos.x() + 0.15, view_pos.y() + 0.15)
        self.hover_item.show()
        k = self._edge_near(view_pos) if label.startswith("W") else None
        if k is not None:
            x0, y0, x1, y1 = self.edges.seg[k]
            width = float(self.edges.width[k])
            self.highlight.setData([x0, x1], [y0, y1], pen=pg.mkPen(30, 30, 30, 200, width=width + 3))
            self.highlight_top.setData([x0, x1], [y0, y1], pen=pg.mkPen(tuple(self.edges.color[k, :3]), width=width))
        else:
            self.highlight.setData([], [])
            self.highlight_top.setData([], [])

    def _edge_near(self, view_pos: QPointF) -> int | None:
        """The drawn connection nearest the point, measured in pixels, if within _HOVER_PX."""
        e = self.edges
        if not len(e):
            return None
        self.view.updateMatrix()
        t = self.view.childGroup.sceneTransform()
        s = e.seg

        def scene(x, y):
            return t.m11() * x + t.m21() * y + t.m31(), t.m12() * x + t.m22() * y + t.m32()

        ax, ay = scene(s[:, 0], s[:, 1])
        bx, by = scene(s[:, 2], s[:, 3])
        p = self.view.mapViewToScene(view_pos)
        px, py = p.x(), p.y()
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        u = np.clip(((px - ax) * dx + (py - ay) * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
        d2 = (ax + u * dx - px) ** 2 + (ay + u * dy - py) ** 2
        k = int(np.argmin(d2))
        return k if d2[k] <= _HOVER_PX**2 else None

    # -- drawing -----------------------------------------------------------------------------------------------
    def _redraw(self, dirty: set[str]) -> None:
        lay = self._layout
        if "fit" in dirty and lay is not None and abs(self._layer_dx(lay.height, len(lay.units)) / lay.dx - 1) > 0.15:
            self._structure_key = ()  # the widget's shape changed a lot: spread the layers anew
            self._kept = ((), None, {})
            dirty |= {"structure", "weights"}
        if "structure" in dirty:
            self._draw_structure()
        if dirty & {"structure", "fit"}:
            self._fit_view()
        if dirty & {"structure", "weights"}:
            self._draw_weights()
        if dirty & {"structure", "weights", "labels"}:
            self._draw_bias_texts()
        self.edges_item.set_antialias(not self._scheduler.live())

    def _layer_dx(self, height: float, n_layers: int) -> float:
        """Distance between layers that fills the view's shape (a wide dock spreads the layers out)."""
        w, h = self.view.width(), self.view.height()
        if n_layers < 2 or w <= 0 or h <= 0:
            return LAYER_DX[0] + 1.0
        wanted = (w / h) * (height + 3.0) - 2 * _SIDE  # + about 3 rows for the headers
        return float(min(max(wanted / (n_layers - 1), LAYER_DX[0]), LAYER_DX[1]))

    def _make_layout(self, sizes: tuple[int, ...]) -> _Layout:
        units, more_counts = [], []
        for n in sizes:
            if n > 2 * HEAD_UNITS:
                units.append(np.concatenate([np.arange(HEAD_UNITS), np.arange(n - HEAD_UNITS, n)]))
                more_counts.append(n - 2 * HEAD_UNITS)
            else:
                units.append(np.arange(n))
                more_counts.append(0)
        slots = [len(u) + (1 if m else 0) for u, m in zip(units, more_counts)]
        height = float(max(slots))
        dx = self._layer_dx(height, len(sizes))
        xy, more = [], []
        for layer, (u, m, n_slots) in enumerate(zip(units, more_counts, slots)):
            x = layer * dx
            top = (n_slots - 1) / 2.0
            ys = top - np.arange(n_slots, dtype=float)
            if m:
                shown_y = np.concatenate([ys[:HEAD_UNITS], ys[HEAD_UNITS + 1:]])
                more.append((x, float(ys[HEAD_UNITS]), m))
            else:
                shown_y = ys
                more.append(None)
            xy.append(np.column_stack([np.full(len(u), x), shown_y]))
        return _Layout(units, xy, more, any(more_counts), height, dx)

    def _text(self, text: str, x: float, y: float, anchor, color=(60, 60, 60), size: int = 9,
              fill=None) -> pg.TextItem:
        item = pg.TextItem("", color=color, anchor=anchor, fill=fill)
        font = item.textItem.font()
        font.setPointSize(size)
        item.setFont(font)
        item.setText(text)
        item.setPos(x, y)
        self.view.addItem(item, ignoreBounds=True)
        self.text_items.append(item)
        return item

    def _draw_structure(self) -> None:
        info = self.run_model.info
        key = () if info is None else (tuple(info.layer_sizes), tuple(info.activations), tuple(info.param_names),
                                       tuple(tuple(s) for s in info.param_shapes), info.class_names,
                                       info.image_shape)
        if key == self._structure_key and key:
            return
        self._set_hover(None)
        if key and key == self._kept[0]:  # the same network again after a reset: its texts were only hidden
            self._structure_key, self._layout, self._offsets = self._kept
            self._kept = ((), None, {})
            for item in self.text_items:
                item.show()
            self._set_summary()
            return
        if info is None:
            if self._structure_key:  # keep the texts (a big net has ~60 to lay out) for the run a reset prepares
                self._kept = (self._structure_key, self._layout, self._offsets)
                for item in self.text_items + self.bias_items:
                    item.hide()
            else:
                self._remove_texts()
            self._structure_key = key
            self._layout = None
            self._offsets = {}
            self.neurons.setData([])
            self.edges = _Edges.empty()
            self.edges_item.set_edges(self.edges)
            self._show_placeholder(self.tr("No network yet: choose a data set and press Play or Step."))
            self.legend_label.setText("")
            self.summary_label.setText("")
            return
        self._structure_key = key
        self._remove_texts()
        offsets, position = {}, 0
        for name, shape in zip(info.param_names, info.param_shapes):
            offsets[name] = position
            position += int(np.prod(shape, dtype=np.int64))
        self._offsets = offsets
        lay = self._layout = self._make_layout(tuple(info.layer_sizes))
        n_layers = len(lay.units)
        top = lay.height / 2.0 + 0.15
        self._header_lines = [self._header_forms(info, layer) for layer in range(n_layers)]
        for layer in range(n_layers):
            self.headers.append(self._text("", layer * lay.dx, top, anchor=(0.5, 1.0), color=(30, 30, 30)))
            more = None
            if lay.more[layer] is not None:
                mx, my, _hidden = lay.more[layer]
                more = self._text("", mx, my, anchor=(0.5, 0.5), color=(90, 90, 90),
                                  fill=pg.mkBrush(255, 255, 255, 215))
            self.more_items.append(more)
        self._show_forms(0, 0)
        names_in = [self.tr("x%1").replace("%1", str(int(u) + 1)) for u in lay.units[0]]
        for (x, y), name in zip(lay.xy[0], names_in):
            self.name_items[0].append(self._text(name, x - RADIUS - _NAME_GAP, y, anchor=(1.0, 0.5)))
        out_units = lay.units[-1]
        classes = info.class_names
        for (x, y), u in zip(lay.xy[-1], out_units):
            if classes and len(classes) == info.layer_sizes[-1]:
                name = str(classes[int(u)])
            elif info.layer_sizes[-1] == 1:
                name = self.tr("y")
            else:
                name = self.tr("y%1").replace("%1", str(int(u) + 1))
            self.name_items[1].append(self._text(name, x + RADIUS + _NAME_GAP, y, anchor=(0.0, 0.5)))
        for layer in range(1, n_layers):
            for x, y in lay.xy[layer]:
                item = pg.TextItem("", color=(90, 90, 90), anchor=(0.5, 0.0))
                font = item.textItem.font()
                font.setPointSize(8)
                item.setFont(font)
                item.setPos(float(x), float(y) - RADIUS - 0.02)
                self.view.addItem(item, ignoreBounds=True)
                self.bias_items.append(item)
        self._set_summary()

    def _remove_texts(self) -> None:
        for item in self.text_items + self.bias_items:
            self.view.removeItem(item)
        self.text_items, self.bias_items, self.headers, self.more_items = [], [], [], []
        self.name_items = ([], [])
        self._header_lines, self._forms = [], (-1, -1)
        self._kept = ((), None, {})

    def _header_forms(self, info, layer: int) -> dict[str, list[str]]:
        """The lines of ``layer``'s column header in every form of HEADER_FORMS."""
        n_layers = len(info.layer_sizes)
        size = info.layer_sizes[layer]
        units = self.tr("1 unit") if size == 1 else self.tr("%1 units").replace("%1", str(size))
        if layer == 0:
            title, short, extra = self.tr("Input"), self.tr("In"), []
            if info.image_shape:
                h, w = (str(v) for v in info.image_shape[:2])
                extra = [self.tr("%1 × %2 image").replace("%1", h).replace("%2", w),
                         self.tr("%1 × %2", "image size").replace("%1", h).replace("%2", w)]
        else:
            act = info.activations[layer - 1] if layer - 1 < len(info.activations) else ""
            extra = [act, act]
            if layer == n_layers - 1:
                title, short = self.tr("Output"), self.tr("Out")
            else:
                title = self.tr("Layer %1").replace("%1", str(layer))
                short = self.tr("L%1", "layer number, short").replace("%1", str(layer))
        return {
            "full": [title, units] + extra[:1],
            "count": [title, str(size)] + extra[1:],
            "short": [short, str(size)] + extra[1:],
            "bare": [short, str(size)],
        }

    def _more_lines(self, form: str, hidden: int) -> list[str]:
        if form == "full":
            return ["⋮", self.tr("%1 more").replace("%1", str(hidden))]
        short = self.tr("+%1", "units not drawn, short").replace("%1", str(hidden))
        return ["⋮", short] if form == "short" else [short]

    def _show_forms(self, header_form: int, more_form: int) -> None:
        """Write the headers and "more" labels in the given forms (indices into HEADER_FORMS / _MORE_FORMS)."""
        if self._forms == (header_form, more_form):
            return
        self._forms = (header_form, more_form)
        lines_key, size = HEADER_FORMS[header_form]
        for header, forms in zip(self.headers, self._header_lines):
            _center_lines(header, forms[lines_key], bold_first=True, size=size)
        more_key, more_size = _MORE_FORMS[more_form]
        for item, more in zip(self.more_items, self._layout.more if self._layout is not None else ()):
            if item is not None and more is not None:
                _center_lines(item, self._more_lines(more_key, more[2]), size=more_size)

    def header_form(self) -> str:
        """The header form shown now ("full", "count", "short" or "bare"), for tests and tours."""
        return HEADER_FORMS[self._forms[0]][0] if self._forms[0] >= 0 else ""

    def _fit_view(self) -> None:
        """Show the whole network with its headers and unit names. They are sized in pixels, so their share of the
        view depends on the widget's size: the scale (pixels per unit) is worked out here, with the roomiest header
        and "more" forms whose neighbours keep clear of each other at that scale (the aspect lock then centres the
        rest)."""
        lay = self._layout
        if lay is None:
            return
        w, h = max(self.view.width(), 1.0), max(self.view.height(), 1.0)
        n_layers = len(lay.units)
        span = (n_layers - 1) * lay.dx
        y0, y1 = -lay.height / 2.0 - 0.3, lay.height / 2.0 + 0.15  # the last neuron's bias text … the headers
        name_px = [max((item.boundingRect().width() for item in items), default=0.0) for items in self.name_items]
        name_units = RADIUS + _NAME_GAP
        hidden = [m[2] if m is not None else None for m in lay.more]
        more_sizes = [[_block_size(self._more_lines(key, n), size, False) if n is not None else (0.0, 0.0)
                       for n in hidden] for key, size in _MORE_FORMS]
        choice = None
        for index, (key, size) in enumerate(HEADER_FORMS):
            blocks = [_block_size(forms[key], size, True) for forms in self._header_lines]
            widths = [b[0] for b in blocks]
            header_px = max(b[1] for b in blocks) + 4.0
            edge = [max(widths[0], more_sizes[0][0][0]) / 2.0, max(widths[-1], more_sizes[0][-1][0]) / 2.0]
            # widest scale at which names or headers still fit at both sides (each side: the larger of the two)
            ppu = (h - header_px) / (y1 - y0)
            for left in ((name_px[0], name_units), (edge[0], 0.0)):
                for right in ((name_px[1], name_units), (edge[1], 0.0)):
                    ppu = min(ppu, (w - left[0] - right[0] - 4.0) / max(span + left[1] + right[1], 1e-9))
            ppu = max(ppu, 1e-3)
            choice = (index, ppu, header_px, edge)
            column = lay.dx * ppu
            if all((a + b) / 2.0 + _LABEL_GAP_PX <= column for a, b in zip(widths, widths[1:])):
                break
        index, ppu, header_px, edge = choice
        column, slot = lay.dx * ppu, 1.4 * ppu  # free height between the two units around a "⋮"
        more_form = len(_MORE_FORMS) - 1
        for k, sizes in enumerate(more_sizes):
            present = [s for s in sizes if s[0] > 0]
            if all(s[0] + _LABEL_GAP_PX <= column and s[1] <= slot for s in present):
                more_form = k
                break
        self._show_forms(index, more_form)
        left = max(name_px[0] + name_units * ppu, edge[0]) + 2.0
        right = max(name_px[1] + name_units * ppu, edge[1]) + 2.0
        self.view.setRange(xRange=(-left / ppu, span + right / ppu), yRange=(y0, y1 + header_px / ppu), padding=0.0)

    def _set_summary(self) -> None:
        lay = self._layout
        if lay is not None and lay.summarised:
            self.summary_label.setText(self.tr(
                "Large network: layers wider than %1 units show their first and last %2, and between two layers "
                "only the %3 strongest connections among the shown units are drawn.").replace(
                "%1", str(2 * HEAD_UNITS)).replace("%2", str(HEAD_UNITS)).replace("%3", str(EDGES_PER_PAIR)))
            self.summary_label.show()
        else:
            self.summary_label.setText("")
            self.summary_label.hide()

    def _show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self.placeholder.setVisible(bool(text))
        self.placeholder.setPos(self.view.rect().center())

    def _draw_weights(self) -> None:
        lay = self._layout
        info = self.run_model.info
        if lay is None or info is None:
            return
        arrays = self.run_model.weight_arrays() if self.run_model.weights is not None else None
        params = dict(zip(info.param_names, arrays)) if arrays is not None else {}
        n_layers = len(lay.units)
        Ws = [params.get(f"W{k}") for k in range(1, n_layers)]
        bs: list[np.ndarray | None] = [None] + [params.get(f"b{k}") for k in range(1, n_layers)]
        self._biases = bs
        if arrays is None or any(W is None for W in Ws):
            self.edges = _Edges.empty()
            self.edges_item.set_edges(self.edges)
            self._draw_neurons(None, 1.0)
            self._show_placeholder(self.tr("No weights yet: press Play or Step."))
            self.legend_label.setText("")
            return
        self._show_placeholder("")
        scale = 0.0
        for a in Ws + bs[1:]:
            if a is not None and a.size:
                finite = np.abs(a[np.isfinite(a)])
                if finite.size:
                    scale = max(scale, float(finite.max()))
        scale = scale if scale > 0 else 1.0
        parts = []
        for k, W in enumerate(Ws):
            rows, cols = lay.units[k], lay.units[k + 1]
            values = np.asarray(W, dtype=float)[np.ix_(rows, cols)]
            ii = np.repeat(rows, len(cols))
            jj = np.tile(cols, len(rows))
            vv = values.ravel()
            p0 = np.repeat(lay.xy[k], len(cols), axis=0)
            p1 = np.tile(lay.xy[k + 1], (len(rows), 1))
            full = len(rows) == info.layer_sizes[k] and len(cols) == info.layer_sizes[k + 1]
            if not full and vv.size > EDGES_PER_PAIR:
                keep = np.sort(np.argsort(-np.nan_to_num(np.abs(vv), nan=-1.0), kind="stable")[:EDGES_PER_PAIR])
                ii, jj, vv, p0, p1 = ii[keep], jj[keep], vv[keep], p0[keep], p1[keep]
            flat = self._offsets[f"W{k + 1}"] + ii * info.layer_sizes[k + 1] + jj
            parts.append((np.column_stack([p0, p1]), np.full(len(vv), k), ii, jj, vv, flat))
        seg = np.concatenate([p[0] for p in parts])
        value = np.concatenate([p[4] for p in parts])
        strength = np.clip(np.nan_to_num(np.abs(value), nan=0.0) / scale, 0.0, 1.0)
        levels = np.round(strength * (_WIDTH_LEVELS - 1)) / (_WIDTH_LEVELS - 1)
        width = _MIN_WIDTH + (_MAX_WIDTH - _MIN_WIDTH) * levels
        rgb = np.where((value < 0)[:, None], np.array(palette.WEIGHT_NEGATIVE), np.array(palette.WEIGHT_POSITIVE))
        alpha = np.round(70 + 185 * levels).astype(np.int64)
        color = np.column_stack([rgb, alpha]).astype(np.int64)
        finite = np.isfinite(value)
        self.edges = _Edges(
            seg[finite], np.concatenate([p[1] for p in parts])[finite], np.concatenate([p[2] for p in parts])[finite],
            np.concatenate([p[3] for p in parts])[finite], value[finite],
            np.concatenate([p[5] for p in parts])[finite], width[finite], color[finite])
        self.edges_item.set_edges(self.edges)
        self._draw_neurons(bs, scale)
        pos, neg = palette.css(palette.WEIGHT_POSITIVE), palette.css(palette.WEIGHT_NEGATIVE)
        self.legend_label.setText(
            f'<span style="color:{pos}">■</span> ' + self.tr("positive") + "  "
            + f'<span style="color:{neg}">■</span> ' + self.tr("negative") + " · "
            + self.tr("width ∝ |w| (widest: %1) · neuron fill = bias · hover for a value, click to edit, "
                      "double-click to fit").replace(
                "%1", _fmt(scale)))
        if self.hover_item.isVisible():
            self._set_hover(QPointF(self.hover_item.pos().x() - 0.15, self.hover_item.pos().y() - 0.15))

    def _brush(self, rgb: tuple[int, ...]):
        """One QBrush per colour, kept: a redraw would otherwise make one per neuron (~2.5 times a second)."""
        brush = self._brushes.get(rgb)
        if brush is None:
            brush = self._brushes[rgb] = pg.mkBrush(*rgb)
        return brush

    def _draw_neurons(self, bs: list[np.ndarray | None] | None, scale: float) -> None:
        lay = self._layout
        pos = np.concatenate(lay.xy)
        brushes = []
        for layer in range(len(lay.units)):
            b = bs[layer] if bs is not None else None
            for u in lay.units[layer]:
                if layer == 0:
                    brushes.append(self._brush((225, 225, 225)))
                elif b is None or not np.isfinite(b[u]):
                    brushes.append(self._brush((255, 255, 255)))
                else:
                    f = min(abs(float(b[u])) / scale, 1.0)
                    c = palette.weight_color(float(b[u]))
                    brushes.append(self._brush(tuple(round(255 + (ch - 255) * (0.12 + 0.78 * f)) for ch in c)))
        if len(self._brushes) > 4096:  # (a long run's colours: start again rather than grow)
            self._brushes.clear()
        self.neurons.setData(pos=pos, size=2 * RADIUS, brush=brushes)

    def _draw_bias_texts(self) -> None:
        lay = self._layout
        if lay is None or not self.bias_items:
            return
        self.view.updateMatrix()
        px_per_unit = abs(self.view.childGroup.sceneTransform().m22()) if self.view.height() > 0 else 0.0
        show = px_per_unit >= _BIAS_TEXT_MIN_PX
        k = 0
        for layer in range(1, len(lay.units)):
            b = self._biases[layer] if layer < len(self._biases) else None
            for u in lay.units[layer]:
                item = self.bias_items[k]
                k += 1
                if show and b is not None:
                    text = self.tr("b = %1").replace("%1", _fmt(float(b[u])))
                    if text != item.toPlainText():  # (setText lays the text document out again)
                        item.setText(text)
                    item.show()
                else:
                    item.hide()
