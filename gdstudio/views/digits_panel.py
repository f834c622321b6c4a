"""How the classifier does on images: a fixed sample of test images with what the network says they are (wrong
ones framed in red, with the network's confidence), and the confusion matrix of the whole test split — which
digits it mistakes for which.

The sample and the matrix arrive computed in the run model (``ClassEvaluation``, made on the training thread);
turning counts into shares and colours is presentation.

Both scale to the dock (nothing is cut off): ``plan_panel`` puts the matrix beside the grid or below it and shares
the room so thumbnails and matrix cells are both as readable as the dock allows (the user may move the splitter
afterwards); the grid takes as many columns as its captions leave room for (up to SAMPLE_COLUMNS) and scrolls
rather than shrink a digit below _MIN_THUMB_PX; the matrix fills its area like a table, with a two-line title and
smaller counts when narrow.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget
import pyqtgraph as pg

from gdstudio.engine.nn.training import EVALUATION_SAMPLE_SIZE
from gdstudio.views import palette
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS, LiveRedrawScheduler
from gdstudio.views.widgets import DeferWhileHidden, RetranslateOnLanguageChange

__all__ = ["DigitsPanel", "MAX_CELL_TEXTS", "SAMPLE_COLUMNS", "caption_size", "confusion_colors", "grid_fit",
           "grid_layout", "per_class_accuracy", "plan_panel"]

SAMPLE_COLUMNS = 8
"""The grid's columns when there is room for them; a narrower grid takes fewer (down to one)."""
MAX_CELL_TEXTS = 400
"""Counts are written into the cells up to 20 × 20 classes; beyond that the colours alone must do."""

RIGHT_RGB: palette.RGB = (0, 114, 178)   # the diagonal (right answers): blue
WRONG_RGB: palette.RGB = (213, 94, 0)    # confusions: vermillion
WRONG_CSS = palette.css(palette.ERROR_TEXT)
_INK_LUT = np.repeat(np.linspace(255, 0, 256).astype(np.uint8)[:, None], 3, axis=1)
"""Grey ramp from white (0) to black (the brightest pixel): dark ink on paper, as the digits were written."""
_WRONG_BORDER = pg.mkPen(palette.ERROR_TEXT, width=3)
_RIGHT_BORDER = pg.mkPen((190, 190, 190), width=1)
_CAPTION_PT = (8, 7)  # caption point sizes, the roomiest first: a cramped grid takes the smaller
_CAPTION_MARGIN = 1  # px of document margin around a caption (Qt's default 4 wastes a narrow column)
_GRID_MARGIN = 4  # px around the sample grid
_GRID_SPACING = 2  # px between its cells
_COUNT_FONT_PT = (9, 8, 7)  # the counts' font, by how wide a matrix cell is on screen
_COUNT_MIN_CELL_PX = 11.0  # narrower cells show colours only
_MATRIX_CHROME = (120.0, 90.0)  # px the matrix plot needs besides its cells: axes with labels (x), title + axis (y)
_GOOD_THUMB_PX = 30.0  # a thumbnail of this size reads well …
_GOOD_CELL_PX = (18.0, 14.0)  # … and so does a matrix cell of this width and height (the counts are one line)
_MIN_THUMB_PX = 24.0  # smaller thumbnails would not show a digit: the grid scrolls instead
_SHARES = np.linspace(0.35, 0.75, 17)  # the grid's share of the panel the layout plan tries


def caption_size(predicted: str, true: str, point_size: int) -> tuple[float, float]:
    """(width, height) in pixels of the widest caption "predicted (true) 100 %" at ``point_size``, margins included."""
    bold, plain = QFont(), QFont()
    for font in (bold, plain):
        font.setPointSize(point_size)
    bold.setBold(True)
    width = (QFontMetricsF(bold).horizontalAdvance(f"{predicted} ({true})")
             + QFontMetricsF(plain).horizontalAdvance(" 100 %"))
    return width + 2 * _CAPTION_MARGIN + 2, QFontMetricsF(bold).lineSpacing() + 2 * _CAPTION_MARGIN


def grid_layout(count: int, width: float, height: float, caption: tuple[float, float]) -> tuple[int, float]:
    """(columns, thumbnail side in px) of a grid of ``count`` captioned square thumbnails in ``width`` × ``height``
    pixels: every caption fits its column, and among those the choice with the largest thumbnails (at most
    SAMPLE_COLUMNS columns, at least one)."""
    best, best_side = 1, -math.inf
    for columns in range(1, min(SAMPLE_COLUMNS, max(count, 1)) + 1):
        column = (width - 2 * _GRID_MARGIN - (columns - 1) * _GRID_SPACING) / columns
        if columns > 1 and column < caption[0]:
            break
        rows = math.ceil(count / columns)
        row = (height - 2 * _GRID_MARGIN - (rows - 1) * _GRID_SPACING) / max(rows, 1)
        side = min(column, row - caption[1])
        if side > best_side + 0.5:  # a tie goes to fewer columns … unless the next is clearly larger
            best, best_side = columns, side
    return best, best_side


def grid_fit(count: int, width: float, height: float, caption: tuple[float, float],
             scrollbar: float) -> tuple[int, float, float]:
    """(columns, thumbnail side, grid height) in a ``width`` × ``height`` room: the largest thumbnails that fit
    (grid height = ``height``), or — when they would be smaller than _MIN_THUMB_PX — the densest grid whose
    captions fit beside a ``scrollbar`` px wide scroll bar, with thumbnails of a comfortable size, taller than the
    room (it scrolls)."""
    columns, side = grid_layout(count, width, height, caption)
    if side >= _MIN_THUMB_PX or not count:
        return columns, side, height
    width -= scrollbar
    columns = 1
    for c in range(2, min(SAMPLE_COLUMNS, count) + 1):
        if (width - 2 * _GRID_MARGIN - (c - 1) * _GRID_SPACING) / c >= caption[0]:
            columns = c
    column = (width - 2 * _GRID_MARGIN - (columns - 1) * _GRID_SPACING) / columns
    side = max(min(column, _GOOD_THUMB_PX), _MIN_THUMB_PX)
    rows = math.ceil(count / columns)
    return columns, side, 2 * _GRID_MARGIN + rows * (side + caption[1]) + (rows - 1) * _GRID_SPACING


def plan_panel(width: float, height: float, count: int, classes: int, captions: list[tuple[float, float]],
               scrollbar: float = 14.0) -> tuple[bool, float, int]:
    """(side by side?, the grid's share of the panel along that direction, caption form) that shows both the
    thumbnails and the matrix cells as large as possible relative to a comfortable size: the smaller of the two
    ratios is maximised, less the share of the grid a scroll bar would hide (and more if fewer than three rows
    would be in view); the larger caption font wins unless the smaller one helps clearly."""
    best, best_score = (True, 0.55, 0), -math.inf
    k = max(classes, 1)
    for form, caption in enumerate(captions):
        for beside in (True, False):
            total = width if beside else height
            for share in _SHARES:
                first = total * share
                second = total - first - 6.0  # the splitter handle
                gw, gh, mw, mh = (first, height, second, height) if beside else (width, first, width, second)
                _columns, side, grid_h = grid_fit(count, gw, gh, caption, scrollbar)
                hidden = 1.0 - min(gh / grid_h, 1.0) if grid_h > 0 else 0.0
                cramped = hidden > 0 and gh < 3 * (side + caption[1] + _GRID_SPACING)  # under 3 rows in view
                cell = min((mw - _MATRIX_CHROME[0]) / k / _GOOD_CELL_PX[0],
                           (mh - _MATRIX_CHROME[1]) / k / _GOOD_CELL_PX[1])
                score = min(side / _GOOD_THUMB_PX, cell) - 0.05 * form - 0.6 * hidden - (0.3 if cramped else 0.0)
                if score > best_score + 1e-9:
                    best, best_score = (beside, float(share), form), score
    return best


def per_class_accuracy(confusion: np.ndarray) -> np.ndarray:
    """Share of each true class (row) predicted right; nan for a class with no samples in the split."""
    confusion = np.asarray(confusion, dtype=float)
    rows = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rows > 0, np.diag(confusion) / np.where(rows > 0, rows, 1), np.nan)


def confusion_colors(confusion: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(RGBA image (K, K, 4), strength (K, K)): each cell's share of its row as colour strength (square root, so
    a 2 % confusion is still visible), blue on the diagonal and vermillion off it."""
    confusion = np.asarray(confusion, dtype=float)
    rows = confusion.sum(axis=1, keepdims=True)
    share = confusion / np.where(rows > 0, rows, 1)
    strength = np.sqrt(np.clip(share, 0.0, 1.0))
    k = confusion.shape[0]
    target = np.where(np.eye(k, dtype=bool)[..., None], np.array(RIGHT_RGB, float), np.array(WRONG_RGB, float))
    rgb = 255.0 + (target - 255.0) * strength[..., None]
    image = np.empty((k, k, 4), np.uint8)
    image[..., :3] = np.round(rgb)
    image[..., 3] = 255
    return image, strength


class _SampleCell:
    """One sample image with its caption above it."""

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int, point_size: int) -> None:
        self.caption = layout.addLabel("", row=2 * row, col=col, size=f"{point_size}pt")
        self.caption.item.document().setDocumentMargin(_CAPTION_MARGIN)
        self.view: pg.ViewBox = layout.addViewBox(row=2 * row + 1, col=col, lockAspect=True, enableMouse=False,
                                                  invertY=True)
        self.view.setMenuEnabled(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(_INK_LUT)
        self.view.addItem(self.image)
        self.wrong = False
        self.shape: tuple[int, ...] = ()
        self.caption_html = ""
        self.border: bool | None = None  # the border drawn: wrong (True), right (False), none yet (None)


class _ResizeWatch(QObject):
    """Calls ``callback`` when the watched widget is resized (the splitter moves the grid's edge, not the panel's)."""

    def __init__(self, widget: QWidget, callback) -> None:
        super().__init__(widget)
        self._callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, _obj, event) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Resize:
            self._callback()
        return False


class DigitsPanel(RetranslateOnLanguageChange, DeferWhileHidden, QWidget):
    """Left (or above): the sample grid. Right (or below): the confusion matrix with counts, per-class accuracy on
    the right axis."""

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self._k = 0
        self._class_key: tuple = ()
        self._right_ticks: list | None = None
        self._title = ""
        self._cells: dict[int, tuple[str, tuple[int, int, int]]] = {}  # cell text index → (text, colour) shown
        self._columns = SAMPLE_COLUMNS
        self._caption_form = 0  # index into _CAPTION_PT
        self._count_font_pt = -1  # point size of the counts; 0: hidden; -1: not set yet
        self._title_parts: tuple[str, str] = ("", "")

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setStyleSheet("color: #555; padding: 24px;")
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setContentsMargins(6, 4, 6, 2)

        self.sample_graphics = pg.GraphicsLayoutWidget(self)
        self.sample_graphics.setBackground("w")
        self.sample_cells: list[_SampleCell] = []
        self.sample_scroll = QScrollArea(self)  # scrolls only when the thumbnails would be too small to read
        self.sample_scroll.setWidgetResizable(True)
        self.sample_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.sample_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sample_scroll.setWidget(self.sample_graphics)

        self.matrix_graphics = pg.GraphicsLayoutWidget(self)
        self.matrix_graphics.setBackground("w")
        # the title spans the axes too (a plot's own title only gets the cells' width and would widen the plot)
        self.matrix_title = self.matrix_graphics.addLabel("", row=0, col=0, size="10pt", color="k")
        self.matrix_plot: pg.PlotItem = self.matrix_graphics.addPlot(row=1, col=0)
        self.matrix_plot.setMenuEnabled(False)
        self.matrix_plot.setMouseEnabled(x=False, y=False)
        self.matrix_plot.hideButtons()
        self.matrix_plot.invertY(True)  # class 0 at the top, as a table reads
        self.matrix_plot.setAspectLocked(False)  # a table: its cells take the room there is, square or not
        self.matrix_plot.showAxis("right")
        for name in ("left", "bottom", "right"):
            self.matrix_plot.getAxis(name).setStyle(tickLength=0)
        self.matrix_image = pg.ImageItem(axisOrder="row-major")
        self.matrix_plot.addItem(self.matrix_image)
        self.cell_texts: list[pg.TextItem] = []

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sample_scroll)
        self.splitter.addWidget(self.matrix_graphics)
        self.splitter.setSizes([550, 450])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)

        self._scheduler = LiveRedrawScheduler(self._redraw_when_shown, self,
                                              live_interval_ms=LIVE_INTERVAL_MS["digits"], run_model=run_model)
        self._watches = (_ResizeWatch(self.splitter, lambda: self._scheduler.mark("arrange")),
                         _ResizeWatch(self.sample_scroll, lambda: self._scheduler.mark("grid")),
                         _ResizeWatch(self.matrix_graphics, lambda: self._scheduler.mark("matrix_fit")))
        run_model.cleared.connect(self._structure_changed)
        run_model.began.connect(self._structure_changed)
        run_model.evaluationChanged.connect(self._evaluation_changed)
        self.retranslate_ui()

    # -- Qt plumbing -------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.matrix_plot.setLabel("left", self.tr("true class"))
        self.matrix_plot.setLabel("bottom", self.tr("predicted class"))
        self.matrix_plot.setLabel("right", self.tr("accuracy per class"))
        self.sample_graphics.setToolTip(self.tr("The same test images all run: above each, the network's answer and "
                                                "(in brackets) the true digit, then its confidence. Red: wrong."))
        self._class_key = ()
        self._scheduler.mark("structure", "evaluation")
        self.flush()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._scheduler.stop()
        super().closeEvent(event)

    def _arrange(self) -> None:
        """A new size of the splitter: samples beside the matrix or above it, and how to share the room (see
        plan_panel). Dragging the splitter afterwards is the user's choice, kept until the panel is resized."""
        info = self.run_model.info
        count = len(self.sample_cells) or EVALUATION_SAMPLE_SIZE
        classes = (info.n_classes if info is not None else None) or 10
        width, height = self.splitter.width(), self.splitter.height()
        if width <= 1 or height <= 1:
            return
        beside, share, form = plan_panel(width, height, count, classes, self._caption_sizes())
        self.splitter.setOrientation(Qt.Orientation.Horizontal if beside else Qt.Orientation.Vertical)
        total = (width if beside else height) - self.splitter.handleWidth()
        self.splitter.setSizes([round(share * total), total - round(share * total)])
        if form != self._caption_form:
            self._caption_form = form
            self._scheduler.mark("grid_rebuild")
        self._scheduler.mark("grid")

    # -- public API --------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Redraw now whatever changed (normally a 60 Hz timer does it)."""
        self._flush_all()

    def sample_columns(self) -> int:
        """Columns of the sample grid now (fewer in a narrow panel)."""
        return self._columns

    def available(self) -> bool:
        """Whether the run's data are images (digits, MNIST): otherwise the panel shows why it is empty."""
        info = self.run_model.info
        return info is not None and info.image_shape is not None

    # -- model signals -----------------------------------------------------------------------------------------
    def _structure_changed(self, *_args) -> None:
        self._scheduler.mark("structure", "evaluation", "arrange")

    def _evaluation_changed(self, *_args) -> None:
        self._scheduler.mark("evaluation")

    def _redraw(self, dirty: set[str]) -> None:
        if "structure" in dirty:
            self._draw_structure()
        if "arrange" in dirty:
            self._arrange()
        # (no run, or not images: the grid is hidden and keeps its cells for the next run — a hidden grid has no room
        # to fit, and rebuilding 32 cells costs half a second)
        if dirty & {"grid", "grid_rebuild"} and self.available() and self._fit_columns("grid_rebuild" in dirty):
            dirty.add("evaluation")
        if "evaluation" in dirty:
            self._draw_evaluation()
        if dirty & {"evaluation", "matrix_fit"}:
            self._fit_matrix_texts()

    # -- drawing -----------------------------------------------------------------------------------------------
    def _class_name(self, k: int) -> str:
        names = self.run_model.info.class_names if self.run_model.info is not None else None
        return names[k] if names is not None and 0 <= k < len(names) else str(k)

    def _draw_structure(self) -> None:
        info = self.run_model.info
        show = self.available()
        self.splitter.setVisible(show)
        self.summary_label.setVisible(show)
        self.message_label.setVisible(not show)
        if info is None:
            self.message_label.setText(self.tr("No run yet. Choose the built-in digits (or MNIST) and press Play: "
                                               "sample images with the network's answers and a confusion matrix "
                                               "appear here."))
        elif not show:
            self.message_label.setText(self.tr("This view needs image data: choose the built-in digits or MNIST. "
                                               "The current data set (%1) is not made of images.").replace(
                                                   "%1", info.dataset_name))

    def _draw_evaluation(self) -> None:
        evaluation = self.run_model.evaluation if self.available() else None
        self._draw_samples(evaluation)
        self._draw_matrix(evaluation)
        if not self.available():
            self.summary_label.setText("")
            return
        if evaluation is None:
            self.summary_label.setText(self.tr("No predictions yet: they are computed at the start, at epoch ends and "
                                               "at the end of the run."))
            return
        confusion = np.asarray(evaluation.confusion)
        total = int(confusion.sum())
        right = int(np.trace(confusion))
        wrong_shown = int(np.count_nonzero(evaluation.sample_predicted != evaluation.sample_labels))
        split = self.tr("test set") if evaluation.split == "test" else self.tr("training set")
        share = f"{100.0 * right / total:.1f} %" if total else "–"
        text = self.tr("<b>%1: %2 of %3 right (%4)</b> · %5 of the %6 samples below are wrong")
        for key, value in (("%1", split), ("%2", str(right)), ("%3", str(total)), ("%4", share),
                           ("%5", str(wrong_shown)), ("%6", str(len(evaluation.sample_labels)))):
            text = text.replace(key, value)
        self.summary_label.setText(text)

    def _draw_samples(self, evaluation) -> None:
        info = self.run_model.info
        if evaluation is None and self.sample_cells:
            self._blank_cells()
            return
        count = 0 if evaluation is None else len(evaluation.sample_labels)
        self._ensure_cells(count)
        if evaluation is None:
            return
        shape = tuple(info.image_shape)
        inputs = np.asarray(evaluation.sample_inputs, dtype=float)
        finite = inputs[np.isfinite(inputs)]
        lo = float(min(finite.min(), 0.0)) if finite.size else 0.0
        hi = float(finite.max()) if finite.size else 1.0
        levels = (lo, hi if hi > lo else lo + 1.0)
        for i, cell in enumerate(self.sample_cells):
            predicted = int(evaluation.sample_predicted[i])
            true = int(evaluation.sample_labels[i])
            confidence = float(evaluation.sample_confidence[i])
            cell.image.setImage(inputs[i].reshape(shape), autoLevels=False, levels=levels)
            if cell.shape != shape:  # the range only changes with the image size (set once per data set)
                cell.shape = shape
                cell.view.setRange(xRange=(0, shape[1]), yRange=(0, shape[0]), padding=0.02)
            cell.wrong = predicted != true
            caption = self.tr("%1 (%2)").replace("%1", self._class_name(predicted)).replace(
                "%2", self._class_name(true))
            percent = f"{100.0 * confidence:.0f} %" if math.isfinite(confidence) else "–"
            if cell.wrong:
                html = f'<span style="color:{WRONG_CSS}"><b>{caption}</b> {percent}</span>'
            else:
                html = (f'<span style="color:#222"><b>{caption}</b></span> '
                        f'<span style="color:#777">{percent}</span>')
            if html != cell.caption_html:  # a label re-lays out its scene row on every setText
                cell.caption_html = html
                cell.caption.setText(html)
            if cell.border is not cell.wrong:
                cell.border = cell.wrong
                cell.image.setBorder(_WRONG_BORDER if cell.wrong else _RIGHT_BORDER)

    def _caption_sizes(self) -> list[tuple[float, float]]:
        """The widest caption of this run's class names in each caption form."""
        info = self.run_model.info
        names = [self._class_name(k) for k in range(info.n_classes or 0)] if info is not None else []
        widest = max(names, key=len, default="0")
        return [caption_size(widest, widest, pt) for pt in _CAPTION_PT]

    def _grid_plan(self, count: int) -> tuple[int, float]:
        """(columns, minimum height of the grid widget: 0 unless it scrolls) for the scroll area's room."""
        caption = self._caption_sizes()[self._caption_form]
        width, height = self.sample_scroll.width(), self.sample_scroll.height()  # the whole room, scroll bar or not
        scrollbar = self.sample_scroll.verticalScrollBar().sizeHint().width()
        columns, _side, grid_h = grid_fit(count, width, height, caption, scrollbar)
        return columns, (grid_h if grid_h > height else 0.0)

    def _fit_columns(self, rebuild: bool = False) -> bool:
        """Choose the grid's columns for the room it has; True when the cells were rebuilt (new columns or
        caption size)."""
        count = len(self.sample_cells)
        columns, min_height = self._grid_plan(count) if count else (SAMPLE_COLUMNS, 0.0)
        self.sample_graphics.setMinimumHeight(math.ceil(min_height))
        if columns == self._columns and not rebuild:
            return False
        self._columns = columns
        self._ensure_cells(count, rebuild=True)
        return True

    def scrolls(self) -> bool:
        """Whether the sample grid is taller than its room (it scrolls rather than shrink the digits)."""
        return self.sample_graphics.minimumHeight() > self.sample_scroll.viewport().height()

    def _blank_cells(self) -> None:
        """No predictions (a reset): the cells stay, empty, for the next run's samples — building 32 view boxes
        again would cost the run's first second half a second of the GUI thread."""
        for cell in self.sample_cells:
            cell.image.clear()
            if cell.caption_html:
                cell.caption_html = ""
                cell.caption.setText("")
            if cell.border is not None:
                cell.border = None
                cell.image.setBorder(None)

    def _ensure_cells(self, count: int, rebuild: bool = False) -> None:
        if len(self.sample_cells) == count and not rebuild:
            return
        if len(self.sample_cells) != count and count:
            self._columns, min_height = self._grid_plan(count)
            self.sample_graphics.setMinimumHeight(math.ceil(min_height))
        layout = self.sample_graphics.ci
        layout.clear()
        layout.setContentsMargins(_GRID_MARGIN, _GRID_MARGIN, _GRID_MARGIN, _GRID_MARGIN)
        layout.setSpacing(_GRID_SPACING)
        columns, point_size = self._columns, _CAPTION_PT[self._caption_form]
        self.sample_cells = [_SampleCell(layout, i // columns, i % columns, point_size) for i in range(count)]
        if count == 0:
            layout.addLabel(self.tr("No sample images yet."), color=(120, 120, 120))

    def _draw_matrix(self, evaluation) -> None:
        plot = self.matrix_plot
        if evaluation is None:
            self.matrix_image.clear()
            for item in self.cell_texts:  # kept for the next run (hidden; the next fit shows them)
                item.hide()
            self._count_font_pt = -1
            self.matrix_title.setText("")
            for name in ("left", "bottom", "right"):
                plot.getAxis(name).setTicks([[]])
            self._class_key, self._right_ticks, self._title, self._cells = (), None, "", {}
            self._title_parts = ("", "")
            return
        confusion = np.asarray(evaluation.confusion, dtype=np.int64)
        k = confusion.shape[0]
        image, strength = confusion_colors(confusion)
        self.matrix_image.setImage(image, autoLevels=False, levels=(0, 255))
        self.matrix_image.setRect(0, 0, k, k)
        accuracy = per_class_accuracy(confusion)
        names = [self._class_name(i) for i in range(k)]
        centres = [i + 0.5 for i in range(k)]
        right_ticks = [(c, f"{100.0 * a:.0f} %" if math.isfinite(a) else "–") for c, a in zip(centres, accuracy)]
        if right_ticks != self._right_ticks:  # the axes re-lay out the plot on every setTicks
            self._right_ticks = right_ticks
            plot.getAxis("right").setTicks([right_ticks])
        split = self.tr("test set") if evaluation.split == "test" else self.tr("training set")
        images = str(int(confusion.sum()))
        self._title_parts = (
            self.tr("Confusion matrix (%1, %2 images)").replace("%1", split).replace("%2", images),
            self.tr("Confusion matrix") + "<br>" + self.tr("%1, %2 images").replace("%1", split).replace("%2", images))
        if (k, tuple(names)) != self._class_key:
            self._class_key = (k, tuple(names))
            self._cells = {}
            plot.getAxis("left").setTicks([list(zip(centres, names))])
            plot.getAxis("bottom").setTicks([list(zip(centres, names))])
            plot.getViewBox().setRange(xRange=(0, k), yRange=(0, k), padding=0.0)
        if k * k > MAX_CELL_TEXTS:
            self._ensure_texts(0)
            return
        self._ensure_texts(k * k)
        for index, item in enumerate(self.cell_texts):
            r, c = divmod(index, k)
            color = (255, 255, 255) if strength[r, c] > 0.6 else (40, 40, 40) if confusion[r, c] else (170, 170, 170)
            cell = (str(int(confusion[r, c])), color)
            if self._cells.get(index) == cell:  # most cells keep their count from one epoch to the next
                continue
            self._cells[index] = cell
            item.setText(cell[0])
            item.setColor(color)
            item.setPos(c + 0.5, r + 0.5)

    def _fit_matrix_texts(self) -> None:
        """Title on one line when it fits the matrix's width (else two), counts in a font their cells can hold."""
        plot = self.matrix_plot
        one_line, two_lines = self._title_parts
        if one_line:
            font = QFont()
            font.setPointSize(10)
            fits = QFontMetricsF(font).horizontalAdvance(one_line) + 12 <= self.matrix_graphics.width()
            title = one_line if fits else two_lines
            if title != self._title:
                self._title = title
                self.matrix_title.setText(title)
        k = self._class_key[0] if self._class_key else 0
        if not k or not self.cell_texts:
            return
        box = plot.getViewBox()
        view = box.viewRect()
        cell_w = box.width() / view.width() if view.width() > 0 else 0.0  # a cell is one unit square
        cell_h = box.height() / view.height() if view.height() > 0 else 0.0
        size = next((pt for pt in _COUNT_FONT_PT if cell_w >= 2.2 * pt and cell_h >= 1.6 * pt), _COUNT_FONT_PT[-1])
        size = size if min(cell_w, 1.2 * cell_h) >= _COUNT_MIN_CELL_PX else 0
        if size == self._count_font_pt:
            return
        self._count_font_pt = size
        for item in self.cell_texts:
            item.setVisible(size > 0)
            if size > 0:
                font = item.textItem.font()
                font.setPointSize(size)
                item.setFont(font)

    def count_font_size(self) -> int | None:
        """Point size of the counts in the matrix cells now (None: cells too small, colours only)."""
        return self._count_font_pt if self._count_font_pt > 0 else None

    def _ensure_texts(self, count: int) -> None:
        while len(self.cell_texts) > count:
            self.matrix_plot.removeItem(self.cell_texts.pop())
        while len(self.cell_texts) < count:
            item = pg.TextItem("", anchor=(0.5, 0.5))
            item.setZValue(10)
            self._count_font_pt = -1  # the new items get the font on the next fit
            self.matrix_plot.addItem(item)
            self.cell_texts.append(item)
            self._cells.pop(len(self.cell_texts) - 1, None)
