"""NetworkLabWindow: the network lab — controls, loss and the other training panels as docks around nothing
(every panel can be moved, closed or floated), its own transport toolbar and status bar.

It holds no state beyond what it shows: the TrainingSession owns the settings, the run model and the workers.
Geometry and dock layout are remembered in their own QSettings group ("network_lab"), apart from the main window.
"""

from __future__ import annotations

import os
from functools import partial

from PySide6.QtCore import QByteArray, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStyle,
    QToolBar,
    QWidget,
)

from gdstudio.app import i18n
from gdstudio.app.docks import add_dock, scrolling
from gdstudio.app.mnist_download_dialog import MnistDownloadDialog
from gdstudio.app.preferences import Preferences
from gdstudio.experiment import (
    ExperimentError,
    experiment_from_dict,
    load_experiment,
    load_preset,
    preset_index,
    save_experiment,
)
from gdstudio.training_experiment import TrainingExperiment
from gdstudio.controllers.training_session import TrainingSession
from gdstudio.models.training_settings_model import TrainingSettings
from gdstudio.views.decision_panel import DecisionPanel
from gdstudio.views.digits_panel import DigitsPanel
from gdstudio.views.gradient_panel import GradientPanel
from gdstudio.views.landscape_panel import LandscapePanel
from gdstudio.views.network_diagram import NetworkDiagram
from gdstudio.views.training_controls import TrainingControls
from gdstudio.views.training_loss_panel import TrainingLossPanel
from gdstudio.views.training_status_bar import TrainingStatusBar
from gdstudio.views.transport_bar import load_icon
from gdstudio.views.widgets import RetranslateOnLanguageChange

__all__ = ["LAB_PANELS", "SETTINGS_GROUP", "NetworkLabWindow", "lab_panel_classes"]

SETTINGS_GROUP = "network_lab"

LAB_PANELS: tuple[tuple[str, type], ...] = (
    ("network_diagram", NetworkDiagram),
    ("decision_panel", DecisionPanel),
    ("digits_panel", DigitsPanel),
    ("landscape_panel", LandscapePanel),
    ("gradient_panel", GradientPanel),
)
"""(object name, class) of the panels beside the loss panel, each built as ``Panel(run_model, parent)``."""


def lab_panel_classes() -> dict[str, type]:
    """Object name → class of every panel the window shows (the loss panel first)."""
    return {"loss_panel": TrainingLossPanel, **dict(LAB_PANELS)}


class NetworkLabWindow(RetranslateOnLanguageChange, QMainWindow):
    """The network lab. ``preferences`` defaults to the application's QSettings."""

    def __init__(self, preferences: Preferences | None = None, settings: TrainingSettings | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NetworkLabWindow")
        self.preferences = preferences if preferences is not None else Preferences(QSettings())
        self.session = TrainingSession(settings, self)
        session = self.session
        self.setWindowIcon(load_icon("gdstudio"))
        self.setDockNestingEnabled(True)
        placeholder = QWidget(self)  # QMainWindow needs a central widget; hidden, the docks share the space
        placeholder.hide()
        self.setCentralWidget(placeholder)

        # panels
        self.controls = TrainingControls(session.settings, session, self)
        self.controls.setObjectName("training_controls")
        # the settings form is long: on a small screen it scrolls instead of being squeezed
        self.controls_dock = add_dock(self, "controls_dock", Qt.DockWidgetArea.LeftDockWidgetArea,
                                      scrolling(self.controls, self, "training_controls_scroll"))
        self.panels: dict[str, QWidget] = {}
        self.panel_docks: dict[str, QDockWidget] = {}
        for name, cls in lab_panel_classes().items():
            panel = cls(session.run_model, self)
            panel.setObjectName(name)
            self.panels[name] = panel
            self.panel_docks[name] = add_dock(self, f"{name}_dock", Qt.DockWidgetArea.RightDockWidgetArea, panel)
        self.loss_panel: TrainingLossPanel = self.panels["loss_panel"]
        self.network_diagram: NetworkDiagram = self.panels["network_diagram"]
        self.network_diagram.editStarted.connect(session.pause)  # the run pauses while a weight is edited
        self.network_diagram.weightEditRequested.connect(session.set_weight)

        # toolbar, status bar
        self.transport = QToolBar(self)
        self.transport.setObjectName("network_lab_transport")
        self.transport.setMovable(False)
        self.transport.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        SP = QStyle.StandardPixmap
        self._play_icon = load_icon("play", SP.SP_MediaPlay, self)
        self._pause_icon = load_icon("pause", SP.SP_MediaPause, self)
        self.play_action = self._action("action_play", self._play_icon, Qt.Key.Key_Space, session.toggle_play)
        self.step_action = self._action("action_step", load_icon("step", SP.SP_MediaSkipForward, self),
                                        Qt.Key.Key_Period, session.step_batch)
        self.step_epoch_action = self._action("action_step_epoch",
                                              load_icon("step_epoch", SP.SP_MediaSeekForward, self),
                                              QKeySequence("Shift+."), session.step_epoch)
        self.reset_action = self._action("action_reset", load_icon("reset", SP.SP_MediaSkipBackward, self),
                                         QKeySequence("Ctrl+R"), session.reset)
        self.redraw_action = self._action("action_redraw", load_icon("redraw", SP.SP_BrowserReload, self),
                                          QKeySequence("Ctrl+Shift+R"), session.redraw_weights)
        for action in (self.play_action, self.step_action, self.step_epoch_action):
            self.transport.addAction(action)
        self.transport.addSeparator()
        for action in (self.reset_action, self.redraw_action):
            self.transport.addAction(action)
        self.play_button = self.transport.widgetForAction(self.play_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.transport)
        self.undo_action = session.settings.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = session.settings.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.addActions([self.undo_action, self.redo_action])
        self._build_menus()

        self.status_bar = TrainingStatusBar(session.run_model, self)
        self.setStatusBar(self.status_bar)
        session.notice.connect(self.status_bar.show_notice)
        session.run_model.stateChanged.connect(self._state_changed)
        session.run_model.began.connect(self._show_relevant_panels)

        self.resize(1600, 1000)
        self._arrange_docks()
        self._restore_settings()
        self.retranslate_ui()
        self._state_changed(session.run_model.state)
        session.initialize()

    # -- construction helpers ---------------------------------------------------------------------------------
    def _arrange_docks(self) -> None:
        """Three columns beside the settings: loss over the decision map (the digits view shares its tab: a data
        set has one or the other) | gradients over the landscape | the network diagram. Missing panels are
        skipped; the user's own arrangement (saved state) replaces this one."""
        docks = self.panel_docks
        loss = docks["loss_panel"]
        H, V = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
        columns = [loss]
        for name in ("gradient_panel", "network_diagram"):
            if name in docks:
                self.splitDockWidget(columns[-1], docks[name], H)
                columns.append(docks[name])
        maps = [docks[n] for n in ("decision_panel", "digits_panel") if n in docks]
        if maps:
            self.splitDockWidget(loss, maps[0], V)
            for dock in maps[1:]:
                self.tabifyDockWidget(maps[0], dock)
            maps[0].raise_()
        if "landscape_panel" in docks:
            anchor = docks.get("gradient_panel") or docks.get("network_diagram") or loss
            self.splitDockWidget(anchor, docks["landscape_panel"], V)
        widths = {"loss_panel": 560, "gradient_panel": 400, "network_diagram": 400}
        self.resizeDocks([self.controls_dock] + columns, [360] + [widths[c.objectName()[:-5]] for c in columns], H)
        if maps:
            self.resizeDocks([loss, maps[0]], [480, 420], V)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.open_action = self._action("action_open", QIcon(), QKeySequence("Ctrl+O"), self.open_dialog)
        self.save_as_action = self._action("action_save_as", QIcon(), QKeySequence("Ctrl+Shift+S"),
                                           self.save_as_dialog)
        self.presets_menu = QMenu(self)
        self.presets_menu.aboutToShow.connect(self._fill_presets)
        self.close_action = self._action("action_close", QIcon(), QKeySequence("Ctrl+W"), self.close)
        self.download_mnist_action = self._action("action_download_mnist", QIcon(), QKeySequence(),
                                                  self.download_mnist_dialog)
        self.mnist_dialog: MnistDownloadDialog | None = None
        self.file_menu.addAction(self.open_action)
        self.file_menu.addAction(self.save_as_action)
        self.file_menu.addSeparator()
        self.file_menu.addMenu(self.presets_menu)
        self.file_menu.addAction(self.download_mnist_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.close_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.run_menu = bar.addMenu("")
        for action in (self.play_action, self.step_action, self.step_epoch_action, self.reset_action,
                       self.redraw_action):
            self.run_menu.addAction(action)
        self.view_menu = bar.addMenu("")

    def _fill_presets(self) -> None:
        menu = self.presets_menu
        menu.clear()
        try:
            presets = preset_index(kind="training")
        except ExperimentError as exc:
            failed = menu.addAction(self.tr("Presets unavailable"))
            failed.setToolTip(str(exc))
            failed.setEnabled(False)
            return
        chinese = i18n.current_language() == "zh_CN"
        for preset in presets:
            act = menu.addAction(preset.title_zh if chinese else preset.title_en)
            act.setToolTip(preset.description_zh if chinese else preset.description_en)
            act.triggered.connect(partial(self.load_preset, preset.file))
        menu.setToolTipsVisible(True)

    @Slot()
    def download_mnist_dialog(self) -> None:
        self.mnist_dialog = MnistDownloadDialog.show_for(self, self.mnist_dialog, self.use_mnist)

    @Slot(str)
    def use_mnist(self, folder: str) -> None:
        """Train on the MNIST files in ``folder`` (after File ▸ Download MNIST…)."""
        if self.session.settings.update(dataset={"name": "mnist", "path": folder}):
            self.status_bar.show_notice(self.tr("MNIST from %1 is the data set now.").replace("%1", folder))

    # -- experiment files -------------------------------------------------------------------------------------
    def _apply(self, exp: TrainingExperiment, base_dir: str | None) -> str | None:
        try:
            self.session.base_dir = base_dir
            self.session.settings.from_experiment_dict(exp.to_dict())
        except ValueError as exc:
            return str(exc)
        return None

    def open_experiment(self, path: str | os.PathLike[str]) -> str | None:
        """Load a training experiment file; returns a readable error message (None on success)."""
        try:
            exp = load_experiment(path, kind="training")
        except ExperimentError as exc:
            message = str(exc)
        else:
            message = self._apply(exp, os.path.dirname(os.path.abspath(path)))
        if message is not None:
            return self.tr("Could not open “%1”:\n%2").replace("%1", os.fspath(path)).replace("%2", message)
        self.status_bar.show_notice(self.tr("Opened %1").replace("%1", os.fspath(path)))
        return None

    def load_preset(self, file: str) -> str | None:
        try:
            exp = load_preset(file, kind="training")
        except ExperimentError as exc:
            message = str(exc)
        else:
            message = self._apply(exp, None)
        if message is not None:
            self.status_bar.show_notice(self.tr("The preset could not be loaded: %1").replace("%1", message))
        return message

    def save_experiment(self, path: str | os.PathLike[str]) -> str | None:
        """Write the settings as a training experiment file (atomically); returns an error message or None."""
        try:
            exp = experiment_from_dict(self.session.settings.to_experiment_dict(), kind="training")
            save_experiment(path, exp)
        except (ExperimentError, OSError) as exc:
            return self.tr("Could not save “%1”:\n%2").replace("%1", os.fspath(path)).replace("%2", str(exc))
        self.status_bar.show_notice(self.tr("Saved %1").replace("%1", os.fspath(path)))
        return None

    @Slot()
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open Training Experiment"), "",
                                              self.tr("gdstudio experiment (*.json)"))
        if path:
            message = self.open_experiment(path)
            if message is not None:
                QMessageBox.warning(self, self.tr("Cannot open the experiment"), message)

    @Slot()
    def save_as_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Training Experiment"), "",
                                              self.tr("gdstudio experiment (*.json)"))
        if path:
            message = self.save_experiment(path)
            if message is not None:
                QMessageBox.warning(self, self.tr("Cannot save the experiment"), message)

    def _action(self, name: str, icon, shortcut, slot) -> QAction:
        action = QAction(icon, "", self)
        action.setObjectName(name)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    # -- translation ------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        if not hasattr(self, "status_bar"):
            return  # a LanguageChange that arrives while __init__ is still building the window
        self.setWindowTitle(self.tr("Network lab — gdstudio"))
        self.transport.setWindowTitle(self.tr("Transport"))
        titles = {
            "loss_panel": self.tr("Loss and accuracy"),
            "network_diagram": self.tr("Network"),
            "decision_panel": self.tr("Decision boundary"),
            "digits_panel": self.tr("Digits"),
            "landscape_panel": self.tr("Loss landscape"),
            "gradient_panel": self.tr("Gradients"),
        }
        self.controls_dock.setWindowTitle(self.tr("Settings"))
        for name, dock in self.panel_docks.items():
            dock.setWindowTitle(titles.get(name, name))
        self.step_action.setText(self.tr("Step"))
        self.step_action.setToolTip(self.tr("One update on one mini-batch (.)"))
        self.step_epoch_action.setText(self.tr("Step epoch"))
        self.step_epoch_action.setToolTip(self.tr("Train to the end of the current epoch (Shift+.)"))
        self.reset_action.setText(self.tr("Reset"))
        self.reset_action.setToolTip(self.tr("Start again from the same initial weights (Ctrl+R)"))
        self.redraw_action.setText(self.tr("Re-draw weights"))
        self.redraw_action.setToolTip(self.tr("Start again from newly drawn initial weights (Ctrl+Shift+R)"))
        self.file_menu.setTitle(self.tr("&File"))
        self.open_action.setText(self.tr("&Open…"))
        self.save_as_action.setText(self.tr("Save &As…"))
        self.presets_menu.setTitle(self.tr("&Presets"))
        self.download_mnist_action.setText(self.tr("Download &MNIST…"))
        self.close_action.setText(self.tr("&Close"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.run_menu.setTitle(self.tr("&Run"))
        self.view_menu.setTitle(self.tr("&View"))
        self.view_menu.clear()
        for dock in [self.controls_dock, *self.panel_docks.values()]:
            self.view_menu.addAction(dock.toggleViewAction())
        self.undo_action.setText(self.tr("Undo"))
        self.redo_action.setText(self.tr("Redo"))
        self._state_changed(self.session.run_model.state)

    # -- reacting to the run --------------------------------------------------------------------------------
    @Slot(str)
    def _state_changed(self, state: str) -> None:
        running = state == "running"
        self.play_action.setIcon(self._pause_icon if running else self._play_icon)
        self.play_action.setText(self.tr("Pause") if running else self.tr("Play"))
        self.play_action.setToolTip(self.tr("Pause training (Space)") if running else self.tr("Train (Space)"))

    @Slot()
    def _show_relevant_panels(self) -> None:
        """Bring the decision map forward for 2-D data and the digits view for images (they share a tab)."""
        info = self.session.run_model.info
        if info is None:
            return
        key = "digits_panel" if info.image_shape is not None else "decision_panel"
        dock = self.panel_docks.get(key)
        if dock is not None and not dock.isFloating():
            dock.raise_()

    # -- settings ---------------------------------------------------------------------------------------------
    def _key(self, name: str) -> str:
        return f"{SETTINGS_GROUP}/{name}"

    def _restore_settings(self) -> None:
        s = self.preferences.settings
        geometry = s.value(self._key("geometry"), QByteArray(), type=QByteArray)
        state = s.value(self._key("state"), QByteArray(), type=QByteArray)
        if geometry is not None and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if state is not None and not state.isEmpty():
            self.restoreState(state)
        self.loss_panel.set_log_y(bool(s.value(self._key("log_y"), False, type=bool)))
        self.loss_panel.set_smoothing(float(s.value(self._key("smoothing"), 0.6, type=float)))

    def save_settings(self) -> None:
        s = self.preferences.settings
        s.setValue(self._key("geometry"), self.saveGeometry())
        s.setValue(self._key("state"), self.saveState())
        s.setValue(self._key("log_y"), bool(self.loss_panel.log_check.isChecked()))
        s.setValue(self._key("smoothing"), float(self.loss_panel.smoothing()))
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_settings()
        if self.mnist_dialog is not None:
            self.mnist_dialog.shutdown()  # cancels a running download and waits for its thread
        self.session.stop_all()
        super().closeEvent(event)
