"""Small reusable pieces of the views: numeric inputs (a spin box that speaks scientific notation, a log-scale
slider + spin box pair — learning rates span seven decades — and an editor for points and pairs), the
redraw scheduler every plot panel uses to stay at ≤ 60 redraws per second, and the mixins the panels share
(``RetranslateOnLanguageChange``, ``DeferWhileHidden``, ``LogYSwitch``).

Programmatic ``setValue`` never emits: signals mean "the user changed this", so binding a widget to a model
cannot loop.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QSpinBox,
    QWidget,
)

__all__ = ["LIVE_BUDGET", "DeferWhileHidden", "FieldBinding", "FieldEditor", "LiveBudget", "LogSpinBox", "LogYSwitch",
           "PointEdit", "RedrawScheduler", "RetranslateOnLanguageChange", "SciSpinBox", "cache_painting",
           "format_number", "log_y_shown"]

_MINUS = "\u2212"


def format_number(value: float, digits: int = 6) -> str:
    """Shortest ``g`` rendering with ``digits`` significant digits (ASCII minus: this text is edited)."""
    return f"{value:.{digits}g}"


def _parse(text: str) -> float | None:
    try:
        value = float(text.strip().replace(_MINUS, "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class SciSpinBox(QDoubleSpinBox):
    """A QDoubleSpinBox that shows and accepts ``1e-05`` as well as ``0.25``; with ``log`` the arrows step
    through 1, 2, 5, 10, … instead of adding a constant.

    QDoubleSpinBox rounds its value to ``decimals()``; 323 (its documented maximum) keeps every double intact.
    """

    def __init__(self, parent: QWidget | None = None, *, log: bool = False, digits: int = 6) -> None:
        super().__init__(parent)
        self._log = log
        self._digits = digits
        self.setDecimals(323)
        self.setKeyboardTracking(False)  # one valueChanged per finished edit, not per keystroke
        self.setStepType(QAbstractSpinBox.StepType.DefaultStepType)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return format_number(value, self._digits)

    def valueFromText(self, text: str) -> float:  # noqa: N802
        value = _parse(self._strip(text))
        return self.value() if value is None else value

    def validate(self, text: str, pos: int):  # noqa: D401
        body = self._strip(text)
        value = _parse(body)
        if value is not None:
            if self.minimum() <= value <= self.maximum():
                return QValidator.State.Acceptable, text, pos
            return QValidator.State.Intermediate, text, pos
        allowed = set("0123456789.-+eE" + _MINUS)
        if all(c in allowed for c in body):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def fixup(self, text: str) -> str:
        value = _parse(self._strip(text))
        if value is None:
            return self.textFromValue(self.value())
        return self.textFromValue(min(max(value, self.minimum()), self.maximum()))

    def stepBy(self, steps: int) -> None:  # noqa: N802
        if not self._log or self.value() <= 0:
            super().stepBy(steps)
            return
        value = self.value()
        for _ in range(abs(steps)):
            value = _nice_step(value, up=steps > 0)
        self.setValue(min(max(value, self.minimum()), self.maximum()))

    def _strip(self, text: str) -> str:
        body = text
        if self.prefix() and body.startswith(self.prefix()):
            body = body[len(self.prefix()):]
        if self.suffix() and body.endswith(self.suffix()):
            body = body[: -len(self.suffix())]
        return body.strip()


_MANTISSAS = (1.0, 2.0, 5.0)


def _nice_step(value: float, up: bool) -> float:
    """The next number of the 1–2–5 series above (or below) ``value``."""
    exponent = math.floor(math.log10(value))
    candidates = [m * 10.0**e for e in (exponent - 1, exponent, exponent + 1) for m in _MANTISSAS]
    if up:
        return min(c for c in candidates if c > value * (1 + 1e-9))
    return max(c for c in candidates if c < value * (1 - 1e-9))


class LogSpinBox(QWidget):
    """A log-scale slider beside a scientific spin box, for quantities that span decades (lr, h, ε).

    The slider snaps to three significant digits so dragging yields readable values such as 0.0316.
    """

    valueChanged = Signal(float)
    SLIDER_STEPS = 1000

    def __init__(self, minimum: float = 1e-6, maximum: float = 10.0, value: float | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setRange(0, self.SLIDER_STEPS)
        self.spin = SciSpinBox(self, log=True)
        self.spin.setMinimumWidth(90)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.setRange(minimum, maximum)
        self.setValue(minimum if value is None else value)
        self.slider.valueChanged.connect(self._slider_moved)
        self.spin.valueChanged.connect(self._spin_changed)

    def setRange(self, minimum: float, maximum: float) -> None:  # noqa: N802 (Qt naming)
        if not 0 < minimum < maximum:
            raise ValueError("a log scale needs 0 < minimum < maximum")
        self._lo, self._hi = math.log10(minimum), math.log10(maximum)
        with QSignalBlocker(self.spin):
            self.spin.setRange(minimum, maximum)

    def minimum(self) -> float:
        return self.spin.minimum()

    def maximum(self) -> float:
        return self.spin.maximum()

    def value(self) -> float:
        return self.spin.value()

    def setValue(self, value: float) -> None:  # noqa: N802
        with QSignalBlocker(self.spin):
            self.spin.setValue(value)
        self._place_slider(self.spin.value())

    def setToolTip(self, text: str) -> None:  # noqa: N802
        super().setToolTip(text)
        self.slider.setToolTip(text)
        self.spin.setToolTip(text)

    def _place_slider(self, value: float) -> None:
        position = (math.log10(max(value, 10**self._lo)) - self._lo) / (self._hi - self._lo)
        with QSignalBlocker(self.slider):
            self.slider.setValue(round(position * self.SLIDER_STEPS))

    def _slider_moved(self, position: int) -> None:
        exponent = self._lo + (self._hi - self._lo) * position / self.SLIDER_STEPS
        value = float(f"{10.0**exponent:.3g}")
        with QSignalBlocker(self.spin):
            self.spin.setValue(min(max(value, self.minimum()), self.maximum()))
        self.valueChanged.emit(self.spin.value())

    def _spin_changed(self, value: float) -> None:
        self._place_slider(value)
        self.valueChanged.emit(value)


class PointEdit(QWidget):
    """One spin box per coordinate (x, y for a start point; β₁, β₂ for Adam's betas).

    ``setDim`` shows the first ``dim`` boxes, so a 1-D function's start is a single number.
    """

    valueChanged = Signal(tuple)

    def __init__(self, labels: tuple[str, ...] = ("x", "y"), minimum: float = -1e6, maximum: float = 1e6,
                 step: float = 0.1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        self.spins: list[SciSpinBox] = []
        for text in labels:
            label = QLabel(text, self)
            spin = SciSpinBox(self)
            spin.setRange(minimum, maximum)
            spin.setSingleStep(step)
            spin.valueChanged.connect(self._changed)
            layout.addWidget(label)
            layout.addWidget(spin, 1)
            self.labels.append(label)
            self.spins.append(spin)
        self._dim = len(labels)

    def dim(self) -> int:
        return self._dim

    def setDim(self, dim: int) -> None:  # noqa: N802
        self._dim = max(1, min(dim, len(self.spins)))
        for i, (label, spin) in enumerate(zip(self.labels, self.spins)):
            label.setVisible(i < self._dim and self._dim > 1)
            spin.setVisible(i < self._dim)

    def value(self) -> tuple[float, ...]:
        return tuple(spin.value() for spin in self.spins[: self._dim])

    def setValue(self, value) -> None:  # noqa: N802
        for spin, v in zip(self.spins, value):
            with QSignalBlocker(spin):
                spin.setValue(float(v))

    def setToolTip(self, text: str) -> None:  # noqa: N802
        super().setToolTip(text)
        for spin in self.spins:
            spin.setToolTip(text)

    def _changed(self, _value: float) -> None:
        self.valueChanged.emit(self.value())


class LiveBudget:
    """The share of the GUI thread's time a live run's window may take, kept by slowing every panel down alike.

    ``LIVE_INTERVAL_MS`` are the fastest the panels redraw; what a redraw and its repaint cost depends on the
    machine, its load, the panels' sizes and the network (a loss redraw: ~1.5 ms on an idle machine, 5 ms when the
    cores are shared). Each ``window_s`` of a live run the budget compares the GUI thread's CPU time with the wall
    time: above ``share`` every live interval is stretched (by the overshoot, at most ×2 a step and ×``max_scale``
    in all); below half of it they relax towards the panels' own rates. The factor carries over to the next run
    (the machine is as busy as it was); a pause longer than ``stale_s`` only restarts the measurement. The GUI
    thread's time includes what no scheduler controls (taking in the worker's batches), so the share is of
    everything the window does while the run trains.
    """

    def __init__(self, share: float = 0.07, window_s: float = 0.3, max_scale: float = 8.0, stale_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, cpu: Callable[[], float] = time.thread_time) -> None:
        self.share = share
        self.window_s = window_s
        self.max_scale = max_scale
        self.stale_s = stale_s
        self.scale = 1.0
        self._clock = clock
        self._cpu = cpu
        self._start: tuple[float, float] | None = None  # (wall, GUI-thread CPU) where the window began
        self._last = -math.inf

    def start(self) -> None:
        """A run goes live: after a while without live redraws, measure afresh (the idle time does not count)."""
        now = self._clock()
        if now - self._last > self.stale_s:
            self._start = (now, self._cpu())
        self._last = now

    def reset(self) -> None:
        """Back to the panels' own rates."""
        self.scale = 1.0
        self._start = None
        self._last = -math.inf

    def note(self) -> float:
        """A live redraw happened (on the GUI thread): update and return the factor for the live intervals."""
        now, cpu = self._clock(), self._cpu()
        if self._start is None or now - self._last > self.stale_s:
            self._start = (now, cpu)
        self._last = now
        wall = now - self._start[0]
        if wall >= self.window_s:
            share = (cpu - self._start[1]) / wall
            if share > self.share:
                self.scale = min(self.max_scale, self.scale * min(2.0, share / self.share))
            elif share < self.share / 2:
                self.scale = max(1.0, self.scale * 0.8)
            self._start = (now, cpu)
        return self.scale


LIVE_BUDGET = LiveBudget()
"""The one budget of the GUI thread (every window's panels share it: the descent lab's streaming redraws and the
network lab's live ones)."""


class RedrawScheduler(QObject):
    """Coalesces model signals into at most one redraw per frame (60 Hz).

    Panels ``mark`` the parts a signal made stale; a single-shot timer later calls ``redraw(parts)`` once with
    everything marked since the previous redraw. ``flush`` redraws immediately (tests, exporters).

    While a run *streams* — it is running (``set_running``) and its batches are big (``note_rows``: the worker
    sends at most one batch per frame, so STREAM_ROWS rows per batch means the engine is running flat out) —
    redraws come at most every STREAM_INTERVAL_MS: each one holds the GIL the engine thread needs (measured: at
    20 redraws a second the window costs a run about a quarter of its speed, at 10 about a tenth), and a run that
    fast is a blur anyway. That interval is stretched by the shared ``budget`` (:class:`LiveBudget`) when the
    GUI thread still takes more than its share of the time (a fast engine sends more rows per batch, a slow or
    busy machine draws more slowly). A paced run, the one a student watches step by step, keeps the full frame
    rate.

    Subclasses (live_redraw.LiveRedrawScheduler) change the pace through ``_set_interval``, the timer's redraw by
    overriding ``_timed_out``, and hold parts back with ``marked`` / ``_unmark``.
    """

    INTERVAL_MS = 16
    STREAM_INTERVAL_MS = 100
    STREAM_ROWS = 150

    def __init__(self, redraw: Callable[[set[str]], None], parent: QObject | None = None, *,
                 budget: LiveBudget | None = None) -> None:
        super().__init__(parent)
        self._redraw = redraw
        self.budget = budget if budget is not None else LIVE_BUDGET
        self._dirty: set[str] = set()
        self._stopped = False
        self._running = False
        self._streaming = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self._timed_out)

    def mark(self, *parts: str) -> None:
        if self._stopped:
            return
        self._dirty.update(parts)
        if not self._timer.isActive():
            self._timer.start()

    def set_running(self, running: bool) -> None:
        """The run started (True) or paused / ended (False)."""
        self._running = bool(running)
        self._set_streaming(self._streaming and self._running)

    def note_rows(self, rows: int) -> None:
        """A batch of ``rows`` rows arrived (RunModel.appended)."""
        self._set_streaming(self._running and rows >= self.STREAM_ROWS)

    def streaming(self) -> bool:
        return self._streaming

    def interval(self) -> int:
        """Milliseconds from a first mark to its redraw now."""
        return self._timer.interval()

    def _set_interval(self, ms: int) -> None:
        """Redraw ``ms`` after a first mark from now on; a pending redraw's countdown restarts at it."""
        self._timer.setInterval(ms)

    def _stream_interval(self) -> int:
        return round(self.STREAM_INTERVAL_MS * self.budget.scale)

    def _set_streaming(self, streaming: bool) -> None:
        if streaming and not self._streaming:
            self.budget.start()
        self._streaming = streaming
        interval = self._stream_interval() if streaming else self.INTERVAL_MS
        if self.interval() != interval:  # (setting it restarts a pending redraw's countdown)
            self._set_interval(interval)

    def stop(self) -> None:
        """No more redraws (the panel's plot items are being destroyed; late model signals are ignored)."""
        self._stopped = True
        self._timer.stop()
        self._dirty.clear()

    def pending(self) -> bool:
        return bool(self._dirty)

    def marked(self) -> frozenset[str]:
        """The parts marked since the last redraw."""
        return frozenset(self._dirty)

    def _unmark(self, *parts: str) -> None:
        """Leave ``parts`` out of the next redraw (a subclass marks them again when they are due)."""
        self._dirty.difference_update(parts)

    @Slot()
    def flush(self) -> None:
        self._timer.stop()
        dirty, self._dirty = self._dirty, set()
        if dirty:
            self._redraw(dirty)

    @Slot()
    def _timed_out(self) -> None:
        """The timer's redraw (``flush`` here; LiveRedrawScheduler holds slow parts back); while streaming, the
        budget learns what it cost and sets the next interval."""
        self.flush()
        if self._streaming:
            self.budget.note()
            interval = self._stream_interval()
            if self.interval() != interval:
                self._set_interval(interval)


class RetranslateOnLanguageChange:
    """Mixin for a widget with ``retranslate_ui()``: calls it on ``QEvent.LanguageChange`` (installing a translator
    sends one to every widget), then passes the event on.

    List it before the Qt class (``class Panel(RetranslateOnLanguageChange, QWidget)``) so its ``changeEvent``
    comes first in the MRO and ``super()`` reaches the Qt one.
    """

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class DeferWhileHidden:
    """Mixin for a panel with ``self._scheduler`` and ``self._redraw(parts)``: while its window is shown but the
    panel is not (a dock behind another tab, a closed dock), redraws are kept and done when it is shown again.

    Drawing a hidden histogram or image still costs the training thread the GIL. The public ``flush()`` always
    draws (tests, exporters).
    """

    _hidden_parts: set[str]
    _forced_redraw = False

    def _redraw_when_shown(self, dirty: set[str]) -> None:
        parts = getattr(self, "_hidden_parts", set())
        if not self._forced_redraw and self.window().isVisible() and not self.isVisible():
            parts |= dirty
            self._hidden_parts = parts
            return
        self._hidden_parts = set()
        self._redraw(dirty | parts)

    def _flush_all(self) -> None:
        parts = getattr(self, "_hidden_parts", set())
        if parts:
            self._scheduler.mark(*parts)
        self._forced_redraw = True
        try:
            self._scheduler.flush()
        finally:
            self._forced_redraw = False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        parts = getattr(self, "_hidden_parts", set())
        if parts:
            self._hidden_parts = set()
            self._scheduler.mark(*parts)


def log_y_shown(plot) -> bool:
    """Whether a pyqtgraph PlotItem's y axis is logarithmic now (``setLogMode`` sets its "Log Y" switch)."""
    return bool(plot.ctrl.logYCheck.isChecked())


class LogYSwitch:
    """Mixin for a panel whose y axes the user may ask to be logarithmic: ``set_log_y`` records the request (and
    ticks the panel's ``log_check`` box, if it has one), marks ``"axes"`` on ``self._scheduler`` and flushes.

    The panel's ``_apply_log`` (run by its redraw of "axes") decides what the axes really show: a logarithm cannot
    show values ≤ 0, so an axis whose data has them stays linear and a note says why; ``log_y_effective`` tells.
    """

    _log_requested = False
    log_check: QCheckBox | None = None

    @Slot(bool)
    def set_log_y(self, enabled: bool) -> None:
        """Ask for logarithmic y axes; one whose data has values ≤ 0 stays linear (the note says so)."""
        self._log_requested = bool(enabled)
        if self.log_check is not None and self.log_check.isChecked() != self._log_requested:
            self.log_check.setChecked(self._log_requested)
        self._scheduler.mark("axes")
        self.flush()

    def log_y_requested(self) -> bool:
        return self._log_requested


_LOG_FLOOR = 1e-12  # lower end of a log scale whose declared minimum is 0 (exclusive): h, ε, tolerances


class FieldEditor(QWidget):
    """The control for one declared field (a FieldSpec): its kind picks the input, its limits set the range.

    ``edited(value)`` is emitted only for user edits; text fields wait for a short pause in typing (or Enter),
    so validation does not run on every keystroke. A nullable field gets a check box: unchecked means None.
    """

    edited = Signal(object)
    DEBOUNCE_MS = 300

    def __init__(self, spec, parent: QWidget | None = None, *, choice_texts: dict[str, str] | None = None,
                 extra_choices: tuple[tuple[str, str], ...] = (), labels: tuple[str, ...] | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.toggle: QCheckBox | None = None
        if getattr(spec, "nullable", False):
            self.toggle = QCheckBox(self)
            self.toggle.toggled.connect(self._toggled)
            layout.addWidget(self.toggle)
        self._debounce: QTimer | None = None
        self.input = self._make_input(spec, choice_texts or {}, extra_choices, labels)
        layout.addWidget(self.input, 1)

    # -- construction ----------------------------------------------------------------------------------------
    def _make_input(self, spec, choice_texts, extra_choices, labels) -> QWidget:
        kind = spec.type
        lo, hi = self._bounds(spec)
        if kind == "float" and spec.log:
            lo = lo if lo > 0 else _LOG_FLOOR
            start = spec.default if spec.default is not None else 10.0 ** round((math.log10(lo * hi)) / 2)
            widget = LogSpinBox(lo, hi, start, parent=self)
            widget.valueChanged.connect(self._emit)
        elif kind == "float":
            widget = SciSpinBox(self)
            widget.setRange(lo, hi)
            widget.setSingleStep(_step_for(lo, hi))
            widget.valueChanged.connect(self._emit)
        elif kind == "int":
            widget = QSpinBox(self)
            widget.setRange(int(max(lo, -2**31 + 1)), int(min(hi, 2**31 - 1)))
            widget.setKeyboardTracking(False)
            widget.setGroupSeparatorShown(True)
            widget.valueChanged.connect(self._emit)
        elif kind == "bool":
            widget = QCheckBox(self)
            widget.toggled.connect(self._emit)
        elif kind in ("pair", "vector"):
            widget = PointEdit(labels or (("", "") if kind == "pair" else ("x", "y")), lo, hi,
                               step=_step_for(lo, hi) if kind == "pair" else 0.1, parent=self)
            widget.valueChanged.connect(self._emit)
        elif kind == "choice":
            widget = QComboBox(self)
            for choice in spec.choices:
                widget.addItem(choice_texts.get(choice, choice), choice)
            for data, text in extra_choices:
                widget.addItem(text, data)
            widget.activated.connect(self._emit)
        elif kind == "str":
            widget = QLineEdit(self)
            if spec.maximum is not None:
                widget.setMaxLength(int(spec.maximum))
            self._debounce = QTimer(self)
            self._debounce.setSingleShot(True)
            self._debounce.setInterval(self.DEBOUNCE_MS)
            self._debounce.timeout.connect(self._emit)
            widget.textEdited.connect(self._debounce.start)
            widget.editingFinished.connect(self._text_finished)
        else:
            raise ValueError(f"no editor for field kind {kind!r} ({spec.name})")
        return widget

    @staticmethod
    def _bounds(spec) -> tuple[float, float]:
        """Widget range from the declared limits; exclusive ends are pulled in by a millionth of the span."""
        lo = -1e9 if spec.minimum is None else float(spec.minimum)
        hi = 1e9 if spec.maximum is None else float(spec.maximum)
        nudge = (hi - lo) * 1e-6
        if getattr(spec, "exclusive_minimum", False) and not (spec.log and lo <= 0):
            lo += nudge
        if getattr(spec, "exclusive_maximum", False):
            hi -= nudge
        return lo, hi

    # -- value -----------------------------------------------------------------------------------------------
    def value(self):
        if self.toggle is not None and not self.toggle.isChecked():
            return None
        widget = self.input
        if isinstance(widget, (LogSpinBox, SciSpinBox, QSpinBox)):
            return widget.value()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, PointEdit):
            return widget.value()
        if isinstance(widget, QComboBox):
            return widget.currentData()
        return widget.text()

    def set_value(self, value) -> None:
        """Show ``value`` (from the model) without emitting ``edited``."""
        if self.toggle is not None:
            with QSignalBlocker(self.toggle):
                self.toggle.setChecked(value is not None)
            self.input.setEnabled(value is not None)
            if value is None:
                return
        widget = self.input
        with QSignalBlocker(widget):
            if isinstance(widget, (LogSpinBox, SciSpinBox, PointEdit)):
                widget.setValue(value)
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            else:
                if self._debounce is not None:
                    self._debounce.stop()
                widget.setText("" if value is None else str(value))

    # -- user edits ------------------------------------------------------------------------------------------
    def _emit(self, *_args) -> None:
        self.edited.emit(self.value())

    def _toggled(self, checked: bool) -> None:
        self.input.setEnabled(checked)
        self._emit()

    def _text_finished(self) -> None:
        if self._debounce is not None and self._debounce.isActive():
            self._debounce.stop()
            self._emit()


def _step_for(lo: float, hi: float) -> float:
    """A spin-box step of about a hundredth of the range, rounded to a power of ten (0.01 for [0, 1])."""
    span = hi - lo
    if not (span > 0 and math.isfinite(span)) or span > 1e6:
        return 0.1
    return 10.0 ** math.floor(math.log10(span / 100.0))


@dataclass
class FieldBinding:
    """One control bound to a settings model (both labs' forms): how to show the model's value and what an edit
    asks the model for."""

    form: QFormLayout
    editor: FieldEditor
    read: Callable[[Any], Any]
    changes: Callable[[Any], dict[str, Any]]


def cache_painting(*items: QGraphicsItem) -> None:
    """Paint ``items`` and their children from a pixmap that is re-rendered only when they change: axes (their
    tick labels, and the grid lines across the plot) and legends. Each live redraw repaints the plot area they
    overlap, and replaying their drawing costs more than the thin curves (a norm plot: 1.2 → 0.4 ms)."""
    stack = list(items)
    while stack:
        item = stack.pop()
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        stack.extend(item.childItems())
