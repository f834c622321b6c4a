"""The update rule written out with the current numbers, so the student sees the formula *happen*:

    x ← x − η·∇f = (−3, 4) − 0.1·(−6, 8) = (−2.4, 3.2)

Every number is read from the run (params and gradient before the step from snapshot cursor−1, params after it
from snapshot cursor); η comes from the experiment. Nothing is recomputed: for optimizers whose step depends on
internal state the view shows the formula and x ← x + Δx with Δx = after − before (a display subtraction).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.views.widgets import RedrawScheduler, RetranslateOnLanguageChange

__all__ = ["UpdateRuleView", "format_scalar", "format_vector"]

MINUS = "\u2212"


def format_scalar(value: float, digits: int = 4) -> str:
    """``digits`` significant digits with a typographic minus: −2.4, 1.235e−05, ∞."""
    value = float(value)
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞" if value > 0 else MINUS + "∞"
    if value == 0:
        return "0"
    return f"{value:.{digits}g}".replace("-", MINUS)


def format_vector(values, digits: int = 4) -> str:
    """A point or gradient: ``(−2.4, 3.2)``; a 1-D one is a plain scalar."""
    values = np.ravel(np.asarray(values, dtype=float))
    if values.size == 1:
        return format_scalar(values[0], digits)
    return "(" + ", ".join(format_scalar(v, digits) for v in values) + ")"


def _operand(values) -> str:
    """A vector, or a scalar in parentheses when negative, so ``0.1·(−58)`` and ``3 + (−0.5)`` read right."""
    text = format_vector(values)
    return f"({text})" if text.startswith(MINUS) else text


class UpdateRuleView(RetranslateOnLanguageChange, QWidget):
    """The optimizer's symbolic rule, the current step with numbers, and f and |∇f| before → after."""

    def __init__(self, run_model, experiment_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_model = run_model
        self.experiment_model = experiment_model
        self.formula_label = QLabel(self)
        self.step_label = QLabel(self)
        self.numbers_label = QLabel(self)
        self.values_label = QLabel(self)
        font = self.numbers_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        for label in (self.formula_label, self.numbers_label, self.values_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        self.numbers_label.setFont(font)
        self.step_label.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        for label in (self.formula_label, self.step_label, self.numbers_label, self.values_label):
            layout.addWidget(label)
        layout.addStretch(1)

        self._scheduler = RedrawScheduler(self._redraw, self)
        run_model.cleared.connect(self._changed)
        run_model.appended.connect(self._rows_appended)
        run_model.cursorChanged.connect(self._changed)
        run_model.stateChanged.connect(self._state_changed)
        experiment_model.changed.connect(self._changed)
        self.flush()

    def retranslate_ui(self) -> None:
        self.flush()

    def text(self) -> str:
        """Everything shown, one label per line (for tests, copy and export)."""
        return "\n".join(label.text() for label in
                         (self.formula_label, self.step_label, self.numbers_label, self.values_label))

    def flush(self) -> None:
        self._scheduler.mark("all")
        self._scheduler.flush()

    def _changed(self, *_args) -> None:
        self._scheduler.mark("all")

    def _rows_appended(self, start: int, stop: int) -> None:
        self._scheduler.note_rows(stop - start)  # a run streaming flat out is redrawn at the streaming rate
        self._scheduler.mark("all")

    def _state_changed(self, state: str) -> None:
        self._scheduler.set_running(state == "running")
        if state != "running":
            self.flush()  # the last step is written out at once when the run stops

    def _redraw(self, _dirty: set[str]) -> None:
        exp = self.experiment_model.experiment
        optimizer = OPTIMIZERS[exp.optimizer]
        hyper = exp.effective_hyper()
        plain_sgd = exp.optimizer == "sgd" and not hyper.get("momentum") and not hyper.get("weight_decay")
        self.formula_label.setText("\n".join(part.strip() for part in optimizer.formula.split(";")))
        run = self.run_model
        if run.count == 0:
            self.step_label.setText(self.tr("No run yet: press Play or Step."))
            self.numbers_label.setText("")
            self.values_label.setText("")
            return
        cursor = min(max(int(run.cursor), 0), run.count - 1)
        after = run.snapshot(cursor)
        if cursor == 0:
            self.step_label.setText(self.tr("Start point (step 0)"))
            self.numbers_label.setText(f"x = {format_vector(after.params)}")
            self.values_label.setText(f"f = {format_scalar(after.value)}    |∇f| = {format_scalar(after.grad_norm)}")
            return
        before = run.snapshot(cursor - 1)
        self.step_label.setText(self.tr("Step %1 → %2").replace("%1", str(before.step)).replace("%2", str(after.step)))
        x_before = np.asarray(before.params, dtype=float)
        x_after = np.asarray(after.params, dtype=float)
        if plain_sgd:
            lr = format_scalar(hyper["lr"])
            line = (f"x ← x − η·∇f = {format_vector(x_before)} − {lr}·{_operand(before.grad)}"
                    f" = {format_vector(x_after)}")
        else:
            line = (f"x ← x + Δx = {format_vector(x_before)} + {_operand(x_after - x_before)}"
                    f" = {format_vector(x_after)}")
        self.numbers_label.setText(line)
        self.values_label.setText(
            f"f: {format_scalar(before.value)} → {format_scalar(after.value)}    "
            f"|∇f|: {format_scalar(before.grad_norm)} → {format_scalar(after.grad_norm)}"
        )
