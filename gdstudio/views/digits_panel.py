"""How the classifier does on images: a fixed sample of test images with what the network says they are (wrong
ones framed in red, with the network's confidence), and the confusion matrix of the whole test split — which
digits it mistakes for which.

The sample and the matrix arrive computed in the run model (``ClassEvaluation``, made on the training thread);
turning counts into shares and colours is presentation.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget
import pyqtgraph as pg

from gdstudio.views import palette
from gdstudio.views.gradient_panel import DeferWhileHidden
from gdstudio.views.widgets import RedrawScheduler

__all__ = ["DigitsPanel", "MAX_CELL_TEXTS", "SAMPLE_COLUMNS", "confusion_colors", "per_class_accuracy"]

SAMPLE_COLUMNS = 8
MAX_CELL_TEXTS = 400
"""Counts are written into the cells up to 20 × 20 classes; beyond that the colours alone must do."""

RIGHT_RGB: palette.RGB = (0, 114, 178)   # the diagonal (right answers): blue
WRONG_RGB: palette.RGB = (213, 94, 0)    # confusions: vermillion
WRONG_CSS = palette.css(palette.ERROR_TEXT)
_INK_LUT = np.repeat(np.linspace(255, 0, 256).astype(np.uint8)[:, None], 3, axis=1)
"""Grey ramp from white (0) to black (the brightest pixel): dark ink on paper, as the digits were written."""
_WRONG_BORDER = pg.mkPen(palette.ERROR_TEXT, width=3)
_RIGHT_BORDER = pg.mkPen((190, 190, 190), width=1)


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

    def __init__(self, layout: pg.GraphicsLayout, row: int, col: int) -> None:
        self.caption = layout.addLabel("", row=2 * row, col=col, size="8pt")
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


class DigitsPanel(DeferWhileHidden, QWidget):
    """Left: the sample grid. Right: the confusion matrix with counts, per-class accuracy on the right axis."""

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self._k = 0
        self._class_key: tuple = ()
        self._right_ticks: list | None = None
        self._title = ""
        self._cells: dict[int, tuple[str, tuple[int, int, int]]] = {}  # cell text index → (text, colour) shown

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

        self.matrix_graphics = pg.GraphicsLayoutWidget(self)
        self.matrix_graphics.setBackground("w")
        self.matrix_plot: pg.PlotItem = self.matrix_graphics.addPlot()
        self.matrix_plot.setMenuEnabled(False)
        self.matrix_plot.setMouseEnabled(x=False, y=False)
        self.matrix_plot.hideButtons()
        self.matrix_plot.invertY(True)  # class 0 at the top, as a table reads
        self.matrix_plot.setAspectLocked(True)
        self.matrix_plot.showAxis("right")
        for name in ("left", "bottom", "right"):
            self.matrix_plot.getAxis(name).setStyle(tickLength=0)
        self.matrix_image = pg.ImageItem(axisOrder="row-major")
        self.matrix_plot.addItem(self.matrix_image)
        self.cell_texts: list[pg.TextItem] = []

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.sample_graphics)
        self.splitter.addWidget(self.matrix_graphics)
        self.splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)

        self._scheduler = RedrawScheduler(self._redraw_when_shown, self)
        run_model.cleared.connect(self._structure_changed)
        run_model.began.connect(self._structure_changed)
        run_model.evaluationChanged.connect(self._evaluation_changed)
        self.retranslate_ui()

    # -- Qt plumbing -------------------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

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

    def resizeEvent(self, event) -> None:  # noqa: N802
        """Samples beside the matrix in a wide panel, above it in a tall one (a narrow dock)."""
        wide = event.size().width() >= 0.8 * event.size().height()
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        super().resizeEvent(event)

    # -- public API --------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Redraw now whatever changed (normally a 60 Hz timer does it)."""
        self._flush_all()

    def available(self) -> bool:
        """Whether the run's data are images (digits, MNIST): otherwise the panel shows why it is empty."""
        info = self.run_model.info
        return info is not None and info.image_shape is not None

    # -- model signals -----------------------------------------------------------------------------------------
    def _structure_changed(self, *_args) -> None:
        self._scheduler.mark("structure", "evaluation")

    def _evaluation_changed(self, *_args) -> None:
        self._scheduler.mark("evaluation")

    def _redraw(self, dirty: set[str]) -> None:
        if "structure" in dirty:
            self._draw_structure()
        if "evaluation" in dirty:
            self._draw_evaluation()

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

    def _ensure_cells(self, count: int) -> None:
        if len(self.sample_cells) == count:
            return
        layout = self.sample_graphics.ci
        layout.clear()
        layout.setSpacing(1)
        self.sample_cells = [_SampleCell(layout, i // SAMPLE_COLUMNS, i % SAMPLE_COLUMNS) for i in range(count)]
        if count == 0:
            layout.addLabel(self.tr("No sample images yet."), color=(120, 120, 120))

    def _draw_matrix(self, evaluation) -> None:
        plot = self.matrix_plot
        if evaluation is None:
            self.matrix_image.clear()
            self._ensure_texts(0)
            plot.setTitle("")
            for name in ("left", "bottom", "right"):
                plot.getAxis(name).setTicks([[]])
            self._class_key, self._right_ticks, self._title, self._cells = (), None, "", {}
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
        title = self.tr("Confusion matrix (%1, %2 images)").replace("%1", split).replace(
            "%2", str(int(confusion.sum())))
        if title != self._title:
            self._title = title
            plot.setTitle(title, color="k", size="10pt")
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

    def _ensure_texts(self, count: int) -> None:
        while len(self.cell_texts) > count:
            self.matrix_plot.removeItem(self.cell_texts.pop())
        while len(self.cell_texts) < count:
            item = pg.TextItem("", anchor=(0.5, 0.5))
            item.setZValue(10)
            self.matrix_plot.addItem(item)
            self.cell_texts.append(item)
            self._cells.pop(len(self.cell_texts) - 1, None)
