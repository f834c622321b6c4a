"""TransportBar: the run's remote control — Play/Pause, Step, Reset, speed and the timeline.

It only sends intents to the Session and mirrors the RunModel (the timeline at most once per frame, see
RedrawScheduler: a run appends up to 60 batches a second); the same QActions are put in the Run menu, so menu,
toolbar and shortcuts can never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Slot
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QSlider, QStyle, QToolBar, QToolButton, QWidget

from gdstudio.controllers.session import SPEED_CHOICES, Session
from gdstudio.views.widgets import RedrawScheduler, RetranslateOnLanguageChange

__all__ = ["TransportBar", "load_icon"]


def load_icon(name: str, fallback: QStyle.StandardPixmap | None = None, widget: QWidget | None = None) -> QIcon:
    """``resources/icons/<name>.svg`` if bundled, else the style's standard icon (or an empty icon)."""
    try:
        from gdstudio.resources import resource_path

        path = resource_path("icons", f"{name}.svg")
        if path.is_file():
            return QIcon(str(path))
    except (ImportError, FileNotFoundError, ValueError):
        pass
    if fallback is not None and widget is not None:
        return widget.style().standardIcon(fallback)
    return QIcon()


class TransportBar(RetranslateOnLanguageChange, QToolBar):
    """Play/Pause (one toggling button), Step, Reset, "steps per frame" and a scrubbing timeline."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TransportBar")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.session = session
        self.run_model = session.run_model
        SP = QStyle.StandardPixmap
        self._icons = {
            "play": load_icon("play", SP.SP_MediaPlay, self),
            "pause": load_icon("pause", SP.SP_MediaPause, self),
        }

        self.play_action = QAction(self._icons["play"], "", self)
        self.play_action.setObjectName("action_play")
        self.play_action.setShortcut(Qt.Key.Key_Space)
        self.play_action.triggered.connect(session.toggle_play)
        self.step_action = QAction(load_icon("step", SP.SP_MediaSkipForward, self), "", self)
        self.step_action.setObjectName("action_step")
        self.step_action.setShortcut(Qt.Key.Key_Period)
        self.step_action.triggered.connect(session.step)
        self.reset_action = QAction(load_icon("reset", SP.SP_MediaSkipBackward, self), "", self)
        self.reset_action.setObjectName("action_reset")
        self.reset_action.setShortcut("Ctrl+R")
        self.reset_action.triggered.connect(session.reset)
        for action in (self.play_action, self.step_action, self.reset_action):
            self.addAction(action)
        self.play_button: QToolButton = self.widgetForAction(self.play_action)
        self.step_button: QToolButton = self.widgetForAction(self.step_action)
        self.reset_button: QToolButton = self.widgetForAction(self.reset_action)
        self.play_button.setMinimumWidth(self.play_button.fontMetrics().horizontalAdvance("Pause") + 48)

        self.addSeparator()
        self.speed_label = QLabel(self)
        self.speed_label.setContentsMargins(6, 0, 4, 0)
        self.addWidget(self.speed_label)
        self.speed_combo = QComboBox(self)
        self.speed_combo.setObjectName("speed_combo")
        self.speed_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for steps in SPEED_CHOICES:
            self.speed_combo.addItem("", steps)
        self.speed_combo.currentIndexChanged.connect(self._speed_chosen)
        self.addWidget(self.speed_combo)

        self.addSeparator()
        self.timeline_label = QLabel(self)
        self.timeline_label.setContentsMargins(6, 0, 6, 0)
        self.addWidget(self.timeline_label)
        self.timeline = QSlider(Qt.Orientation.Horizontal, self)
        self.timeline.setObjectName("timeline")
        self.timeline.setRange(0, 0)
        self.timeline.setMinimumWidth(220)
        self.timeline.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.timeline.valueChanged.connect(self._scrubbed)
        self.addWidget(self.timeline)
        self.position_label = QLabel(self)
        self.position_label.setObjectName("timeline_position")
        self.position_label.setContentsMargins(6, 0, 6, 0)
        self.position_label.setMinimumWidth(self.position_label.fontMetrics().horizontalAdvance("000000 / 000000") + 12)
        self.addWidget(self.position_label)

        self._timeline_scheduler = RedrawScheduler(self._sync_timeline, self)
        self.run_model.cleared.connect(self._sync_timeline)
        self.run_model.appended.connect(self._rows_appended)
        self.run_model.cursorChanged.connect(self._timeline_changed)
        self.run_model.stateChanged.connect(self._sync_state)
        self.run_model.finished.connect(self.flush)
        session.speedChanged.connect(self._sync_speed)
        self.retranslate_ui()
        self._sync_speed(session.steps_per_frame)
        self._sync_timeline()

    # -- translation -------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Transport"))
        self.step_action.setText(self.tr("Step"))
        self.step_action.setToolTip(self.tr("Take one step (.)"))
        self.reset_action.setText(self.tr("Reset"))
        self.reset_action.setToolTip(self.tr("Back to the start point (Ctrl+R)"))
        self.speed_label.setText(self.tr("Speed:"))
        self.speed_combo.setToolTip(self.tr("Steps per frame (60 frames per second)"))
        for i, steps in enumerate(SPEED_CHOICES):
            if steps == 0:
                text = self.tr("max")
            elif steps == 1:
                text = self.tr("1 step/frame")
            else:
                text = self.tr("%1 steps/frame").replace("%1", str(steps))
            self.speed_combo.setItemText(i, text)
        self.timeline_label.setText(self.tr("Timeline:"))
        self.timeline.setToolTip(self.tr("Drag to look at any step; drag to the end to follow the run again"))
        self._sync_state(self.run_model.state)
        self._sync_timeline()

    # -- model → widgets ---------------------------------------------------------------------------------------
    @Slot()
    def flush(self, *_args) -> None:
        """Bring the timeline up to date now (normally it follows on the next frame)."""
        self._timeline_scheduler.flush()

    @Slot(int, int)
    def _rows_appended(self, start: int, stop: int) -> None:
        self._timeline_scheduler.note_rows(stop - start)
        self._timeline_scheduler.mark("timeline")

    @Slot()
    def _timeline_changed(self, *_args) -> None:
        self._timeline_scheduler.mark("timeline")

    @Slot(str)
    def _sync_state(self, state: str) -> None:
        running = state == "running"
        self._timeline_scheduler.set_running(running)
        self.play_action.setText(self.tr("Pause") if running else self.tr("Play"))
        self.play_action.setToolTip(self.tr("Pause the run (Space)") if running else self.tr("Run (Space)"))
        self.play_action.setIcon(self._icons["pause" if running else "play"])
        self.step_action.setEnabled(state != "done")

    @Slot(int)
    def _sync_speed(self, steps: int) -> None:
        index = self.speed_combo.findData(steps)
        if index < 0:
            return
        with QSignalBlocker(self.speed_combo):
            self.speed_combo.setCurrentIndex(index)

    @Slot()
    def _sync_timeline(self, *_args) -> None:
        model = self.run_model
        count = model.count
        with QSignalBlocker(self.timeline):
            self.timeline.setRange(0, max(count - 1, 0))
            self.timeline.setValue(max(model.cursor, 0))
        self.timeline.setEnabled(count > 1)
        if count == 0:
            self.position_label.setText("–")
            return
        step = int(model.steps[max(model.cursor, 0)])
        last = int(model.steps[count - 1])
        self.position_label.setText(f"{step} / {last}")

    # -- widgets → session -------------------------------------------------------------------------------------
    @Slot(int)
    def _speed_chosen(self, index: int) -> None:
        steps = self.speed_combo.itemData(index)
        if steps is not None:
            self.session.set_steps_per_frame(int(steps))

    @Slot(int)
    def _scrubbed(self, value: int) -> None:
        self.run_model.set_cursor(value)
