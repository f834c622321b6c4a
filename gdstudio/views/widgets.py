"""Small numeric inputs the controls are built from: a spin box that speaks scientific notation, a log-scale
slider + spin box pair (learning rates span seven decades) and an editor for points and pairs.

Programmatic ``setValue`` never emits: signals mean "the user changed this", so binding a widget to a model
cannot loop.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QWidget

__all__ = ["LogSpinBox", "PointEdit", "SciSpinBox", "format_number"]

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
