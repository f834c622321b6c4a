"""TrainingStatusBar: where the training run stands — step, epoch, loss, accuracy, state — plus the last notice.

A run's ending explanation (why it diverged, why a network cannot be trained) stays on screen until the next
run begins: the student needs time to read it. The numbers follow the run at most once per frame, and ~10 times a
second while it trains (see live_redraw): every text change lays the status bar out again on the GUI thread.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from gdstudio.views import palette
from gdstudio.views.live_redraw import LIVE_INTERVAL_MS, LiveRedrawScheduler
from gdstudio.views.status_bar import format_value
from gdstudio.views.widgets import RetranslateOnLanguageChange

__all__ = ["TrainingStatusBar"]


class TrainingStatusBar(RetranslateOnLanguageChange, QStatusBar):
    """Permanent fields for the newest snapshot and a message area for notices."""

    def __init__(self, run_model, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TrainingStatusBar")
        self.run_model = run_model
        self.message_label = QLabel(self)
        self.message_label.setObjectName("status_message")
        self.message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.addWidget(self.message_label, 1)
        self.step_label = QLabel(self)
        self.epoch_label = QLabel(self)
        self.loss_label = QLabel(self)
        self.accuracy_label = QLabel(self)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("status_word")
        for label in (self.step_label, self.epoch_label, self.loss_label, self.accuracy_label, self.state_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        self._notice = ""
        self._error = False
        self._numbers = LiveRedrawScheduler(self.refresh, self, live_interval_ms=LIVE_INTERVAL_MS["status"],
                                            run_model=run_model)
        run_model.cleared.connect(self._run_cleared)
        run_model.began.connect(self.refresh)
        run_model.appended.connect(self._rows_appended)
        run_model.stateChanged.connect(self.refresh)
        run_model.finished.connect(self._run_finished)
        self.retranslate_ui()

    # -- public -----------------------------------------------------------------------------------------------
    @Slot(str)
    def show_notice(self, text: str) -> None:
        """Show a sentence until the next run (or notice) replaces it; "" clears."""
        self._set_message(text, error=False)

    def notice(self) -> str:
        return self._notice

    def flush(self) -> None:
        """Show the newest numbers now (normally they follow on the next frame)."""
        self._numbers.flush()

    def retranslate_ui(self) -> None:
        self.refresh()

    # -- model signals ----------------------------------------------------------------------------------------
    @Slot()
    def _run_cleared(self) -> None:
        self._set_message("", error=False)
        self.refresh()

    @Slot(int, int)
    def _rows_appended(self, *_args) -> None:
        self._numbers.mark("numbers")

    @Slot(str, str)
    def _run_finished(self, status: str, message: str) -> None:
        if message:
            self._set_message(message, error=status in ("diverged", "stopped"))
        self.refresh()

    def _set_message(self, text: str, *, error: bool) -> None:
        self._notice, self._error = text, error
        self.message_label.setText(text)
        self.message_label.setToolTip(text)
        self.message_label.setStyleSheet(f"color: {palette.css(palette.ERROR_TEXT)};" if error and text else "")

    @Slot()
    def refresh(self, *_args) -> None:
        """Every field from the model now."""
        run = self.run_model
        info = run.info
        total = f" / {info.total_steps:,}" if info is not None else ""
        self.step_label.setText(self.tr("step %1").replace("%1", f"{run.last_step:,}{total}"))
        if info is not None and info.steps_per_epoch:
            epochs = max(info.total_steps // info.steps_per_epoch, 1)
            self.epoch_label.setText(self.tr("epoch %1").replace("%1", f"{run.last_epoch:,} / {epochs:,}"))
        else:
            self.epoch_label.setText(self.tr("epoch %1").replace("%1", "—"))
        loss = float(run.batch_losses[-1]) if run.count else math.nan
        self.loss_label.setText(self.tr("loss %1").replace("%1", format_value(loss) if run.count else "—"))
        accuracy = ""
        if run.epoch_count:
            train, test = float(run.train_accuracy[-1]), float(run.test_accuracy[-1])
            if not math.isnan(train):
                accuracy = self.tr("accuracy %1 (test %2)").replace("%1", f"{train:.1%}").replace(
                    "%2", f"{test:.1%}" if not math.isnan(test) else "—")
        self.accuracy_label.setText(accuracy)
        self.accuracy_label.setVisible(bool(accuracy))
        words = {
            "idle": self.tr("Ready"), "running": self.tr("Training"), "paused": self.tr("Paused"),
            "finished": self.tr("Finished"), "diverged": self.tr("Diverged"), "stopped": self.tr("Stopped"),
        }
        key = run.status if run.state == "done" and run.status else run.state
        self.state_label.setText(words.get(key, key))
