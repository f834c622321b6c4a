"""RunStatusBar: where the run stands — step, f, |∇f| and its status in words — plus the last notice.

The numbers follow the RunModel's cursor (so scrubbing the timeline updates them), at most once per frame (see
RedrawScheduler): a run appends up to 60 batches a second. A diverged run's explanation stays on screen (a label,
not a transient message) until the next run starts: the student needs time to read it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from gdstudio.engine.descent import RunNote
from gdstudio.models.run_model import RunModel
from gdstudio.views import palette
from gdstudio.run_notes import run_note_text
from gdstudio.views.widgets import RedrawScheduler, RetranslateOnLanguageChange

__all__ = ["RunStatusBar", "format_value", "status_text"]


def format_value(x: float) -> str:
    """Six significant digits; ±∞ and NaN as symbols."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{x:.6g}".replace("-", "−")


def status_text(status: str) -> str:
    """The run's status (engine word or run state) in the user's language."""
    words = {
        "idle": QCoreApplication.translate("RunStatusBar", "Ready"),
        "running": QCoreApplication.translate("RunStatusBar", "Running"),
        "paused": QCoreApplication.translate("RunStatusBar", "Paused"),
        "finished": QCoreApplication.translate("RunStatusBar", "Finished (step budget used)"),
        "converged": QCoreApplication.translate("RunStatusBar", "Converged"),
        "diverged": QCoreApplication.translate("RunStatusBar", "Diverged"),
        "stopped": QCoreApplication.translate("RunStatusBar", "Stopped"),
    }
    return words.get(status, status)


class RunStatusBar(RetranslateOnLanguageChange, QStatusBar):
    """Permanent fields for the shown snapshot, a status word, and a message area for explanations/notices."""

    def __init__(self, run_model: RunModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RunStatusBar")
        self.run_model = run_model
        self.message_label = QLabel(self)
        self.message_label.setObjectName("status_message")
        self.message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message_label.setWordWrap(False)
        self.addWidget(self.message_label, 1)
        self.step_label = QLabel(self)
        self.value_label = QLabel(self)
        self.grad_label = QLabel(self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status_word")
        for label in (self.step_label, self.value_label, self.grad_label, self.status_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        self._notice = ""
        # kept so a language switch can re-word the explanation on screen
        self._diverged_message: RunNote | str | None = None
        self._converged_note: RunNote | None = None
        run_model.cleared.connect(self._run_cleared)
        self._numbers = RedrawScheduler(self._refresh_numbers, self)
        run_model.appended.connect(self._rows_appended)
        run_model.cursorChanged.connect(self._numbers_changed)
        run_model.stateChanged.connect(self._refresh_status)
        run_model.finished.connect(self._run_finished)
        self.retranslate_ui()

    # -- public -----------------------------------------------------------------------------------------------
    @Slot(str)
    def show_notice(self, text: str) -> None:
        """Show a sentence until the next run (or notice) replaces it; "" clears."""
        self._notice = text
        self._diverged_message = None
        self._converged_note = None
        self.message_label.setText(text)
        self.message_label.setToolTip(text)
        self.message_label.setStyleSheet("")

    def message_text(self) -> str:
        return self.message_label.text()

    def flush(self) -> None:
        """Show the shown snapshot's numbers now (normally they follow on the next frame)."""
        self._numbers.flush()

    # -- translation ------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.step_label.setToolTip(self.tr("Updates applied so far (of the shown snapshot)"))
        self.value_label.setToolTip(self.tr("Value of the function at the shown point"))
        self.grad_label.setToolTip(self.tr("Length of the gradient at the shown point"))
        self.status_label.setToolTip(self.tr("What the run is doing"))
        self._refresh_numbers()
        self._refresh_status()
        if self._diverged_message is not None:
            self._show_divergence(self._diverged_message)
        elif self._converged_note is not None:
            note = self._converged_note
            self.show_notice(run_note_text(note))
            self._converged_note = note

    # -- model → labels ---------------------------------------------------------------------------------------
    @Slot()
    def _run_cleared(self) -> None:
        self.show_notice("")
        self._refresh_numbers()
        self._refresh_status()

    @Slot(int, int)
    def _rows_appended(self, start: int, stop: int) -> None:
        self._numbers.note_rows(stop - start)
        self._numbers.mark("numbers")

    @Slot()
    def _numbers_changed(self, *_args) -> None:
        self._numbers.mark("numbers")

    def _refresh_numbers(self, *_args) -> None:
        model = self.run_model
        if model.count == 0 or model.cursor < 0:
            self.step_label.setText(self.tr("step –"))
            self.value_label.setText("f = –")
            self.grad_label.setText("|∇f| = –")
            return
        i = model.cursor
        self.step_label.setText(self.tr("step %1").replace("%1", str(int(model.steps[i]))))
        self.value_label.setText(f"f = {format_value(float(model.values[i]))}")
        self.grad_label.setText(f"|∇f| = {format_value(float(model.grad_norms[i]))}")

    @Slot()
    def _refresh_status(self, *_args) -> None:
        model = self.run_model
        self._numbers.set_running(model.state == "running")
        word = status_text(model.status) if model.state == "done" and model.status else status_text(model.state)
        self.status_label.setText(word)
        colour = palette.css(palette.ERROR_TEXT) if model.state == "done" and model.status == "diverged" else ""
        self.status_label.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "font-weight: bold;")

    @Slot(str, str)
    def _run_finished(self, status: str, message: str) -> None:
        self._numbers.flush()
        self._refresh_status()
        note = self.run_model.note
        if status == "diverged":
            self._show_divergence(note if note is not None else message)
        elif note is not None:
            self.show_notice(run_note_text(note))
            self._converged_note = note
        elif message:
            self.show_notice(message)

    def _show_divergence(self, message: RunNote | str) -> None:
        """``message``: the run's note (worded in the current language) or, without one, its text."""
        if isinstance(message, RunNote):
            message_text = run_note_text(message)
        else:
            message_text = message
        text = self.tr("Diverged: %1").replace("%1", message_text) if message_text else status_text("diverged")
        self._notice = text
        self._diverged_message = message
        self.message_label.setText(text)
        self.message_label.setToolTip(text)
        self.message_label.setStyleSheet(f"color: {palette.css(palette.ERROR_TEXT)};")
