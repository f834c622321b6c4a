"""MainWindow: assembles the panels around the contour map, the transport toolbar, the status bar and the menus.

It holds no state of its own beyond what the window shows (file name, dock layout): the Session owns the models
and the workers. File commands come in two layers — a method that does the work and returns an error message
(``None`` on success; tests call these) and a thin ``*_dialog`` wrapper that asks for a path or shows the message.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSettings, Qt, Slot
from PySide6.QtGui import QCloseEvent, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QMessageBox, QWidget

import pyqtgraph.exporters as pg_exporters

from gdstudio.app import i18n
from gdstudio.app.about import about_html, about_title
from gdstudio.app.actions import MenuActions
from gdstudio.app.docks import add_dock, scrolling
from gdstudio.app.mnist_download_dialog import MnistDownloadDialog
from gdstudio.app.network_lab_window import NetworkLabWindow
from gdstudio.app.preferences import Preferences
from gdstudio.atomic import atomic_write_text
from gdstudio.controllers.session import DEFAULT_STEPS_PER_FRAME, SPEED_CHOICES, Session
from gdstudio.experiment import (
    DescentExperiment,
    ExperimentError,
    default_experiment,
    experiment_to_json,
    load_experiment,
    load_preset,
    parse_experiment,
    preset_index,
    save_experiment,
)
from gdstudio.views.basin_panel import BasinPanel
from gdstudio.views.contour_panel import ContourPanel
from gdstudio.views.controls_panel import ControlsPanel
from gdstudio.views.loss_panel import LossPanel
from gdstudio.views.status_bar import RunStatusBar
from gdstudio.views.transport_bar import TransportBar, load_icon
from gdstudio.views.update_rule_view import UpdateRuleView
from gdstudio.views.widgets import RetranslateOnLanguageChange

__all__ = ["MainWindow", "PANEL_NAMES"]

PANEL_NAMES = ("contour_panel", "controls_panel", "loss_panel", "update_rule_view", "basin_panel")


class MainWindow(RetranslateOnLanguageChange, QMainWindow):
    """The gdstudio window. ``preferences`` defaults to the application's QSettings."""

    def __init__(self, preferences: Preferences | None = None, experiment: DescentExperiment | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.preferences = preferences if preferences is not None else Preferences(QSettings())
        self.current_path: str | None = None
        self.session = Session(experiment if experiment is not None else self._restored_experiment(), self)
        session = self.session
        speed = self.preferences.steps_per_frame(DEFAULT_STEPS_PER_FRAME)
        session.set_steps_per_frame(speed if speed in SPEED_CHOICES else DEFAULT_STEPS_PER_FRAME)
        self.setWindowIcon(load_icon("gdstudio"))

        # central map and docks (panels are built by _build_panels so a language switch can rebuild them)
        self.controls_dock = add_dock(self, "controls_dock", Qt.DockWidgetArea.LeftDockWidgetArea)
        self.loss_dock = add_dock(self, "loss_dock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.update_rule_dock = add_dock(self, "update_rule_dock", Qt.DockWidgetArea.RightDockWidgetArea)
        self.basin_dock = add_dock(self, "basin_dock", Qt.DockWidgetArea.RightDockWidgetArea)
        self._build_panels()
        self.tabifyDockWidget(self.loss_dock, self.basin_dock)
        self.loss_dock.raise_()

        # toolbar, status bar, menus
        self.transport_bar = TransportBar(session, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.transport_bar)
        self.status_bar = RunStatusBar(session.run_model, self)
        self.setStatusBar(self.status_bar)
        session.notice.connect(self.status_bar.show_notice)
        self.mnist_dialog: MnistDownloadDialog | None = None  # File ▸ Download MNIST…, made on first use
        self.network_lab: NetworkLabWindow | None = None  # Run ▸ Network Lab…, made on first use
        self.menu_actions = MenuActions(self)
        self._restore_view_flags()
        languages = self.menu_actions.language_actions
        languages.get(i18n.current_language(), languages[i18n.DEFAULT_LANGUAGE]).setChecked(True)
        session.experiment_model.undo_stack.cleanChanged.connect(self._update_title)
        session.speedChanged.connect(self.preferences.set_steps_per_frame)

        self.resize(1400, 900)
        self.resizeDocks([self.controls_dock, self.loss_dock], [360, 420], Qt.Orientation.Horizontal)
        self.resizeDocks([self.loss_dock, self.update_rule_dock], [500, 320], Qt.Orientation.Vertical)
        geometry, state = self.preferences.window_geometry(), self.preferences.window_state()
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if not state.isEmpty():
            self.restoreState(state)
        self.retranslate_ui()
        session.initialize()

    def _build_panels(self, only: tuple[str, ...] = PANEL_NAMES) -> None:
        """Create the named panels on the session's models and put them in place (replacing older ones)."""
        session = self.session
        for name in only:
            if name == "contour_panel":
                panel = ContourPanel(session.run_model, session.surface_model, session.compare_model,
                                     session.experiment_model, self)
                panel.windowWanted.connect(session.sample_surface_over)
            elif name == "controls_panel":
                panel = ControlsPanel(session.experiment_model, session, self)
            elif name == "loss_panel":
                panel = LossPanel(session.run_model, session.compare_model, self)
            elif name == "update_rule_view":
                panel = UpdateRuleView(session.run_model, session.experiment_model, self)
            elif name == "basin_panel":
                panel = BasinPanel(session.basin_model, session.surface_model, self)
                panel.computeRequested.connect(self._compute_basins)
            else:
                raise ValueError(f"unknown panel {name!r}")
            panel.setObjectName(name)
            setattr(self, name, panel)
            if name == "contour_panel":
                previous = self.takeCentralWidget()
                self.setCentralWidget(panel)
            else:
                dock = self._panel_docks()[name]
                previous = dock.widget()
                # the controls form is long: on a small screen it scrolls instead of being squeezed
                dock.setWidget(scrolling(panel, self, "controls_scroll") if name == "controls_panel" else panel)
            if previous is not None:
                previous.hide()
                previous.deleteLater()

    def _panel_docks(self) -> dict[str, QDockWidget]:
        return {"controls_panel": self.controls_dock, "loss_panel": self.loss_dock,
                "update_rule_view": self.update_rule_dock, "basin_panel": self.basin_dock}

    def docks(self) -> list[QDockWidget]:
        return [self.controls_dock, self.loss_dock, self.update_rule_dock, self.basin_dock]

    def _restored_experiment(self) -> DescentExperiment:
        """The experiment open at the last exit (or the default one if there is none or it is no longer valid)."""
        text = self.preferences.last_experiment()
        if text:
            try:
                return parse_experiment(text, kind="descent")
            except ExperimentError:
                pass
        return default_experiment()

    # -- translation ------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        if not hasattr(self, "menu_actions"):
            return  # a LanguageChange that arrives while __init__ is still building the window
        self.controls_dock.setWindowTitle(self.tr("Controls"))
        self.loss_dock.setWindowTitle(self.tr("Loss"))
        self.update_rule_dock.setWindowTitle(self.tr("Update rule"))
        self.basin_dock.setWindowTitle(self.tr("Basin map"))
        self.menu_actions.retranslate_ui()
        self._update_title()

    def language(self) -> str:
        return i18n.current_language()

    @Slot(str)
    def set_language(self, lang: str) -> None:
        """Switch the interface language now and remember it.

        Widgets with ``retranslate_ui`` update themselves on QEvent.LanguageChange; panels without it are rebuilt
        on the same models, so the run, the settings and the undo history all survive the switch.
        """
        before = i18n.current_language()
        i18n.install_language(lang)
        # Qt posts LanguageChange to every widget; deliver them now so the whole window switches in one go.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        self.preferences.set_language(i18n.current_language())
        act = self.menu_actions.language_actions.get(i18n.current_language())
        if act is not None:
            act.setChecked(True)
        if i18n.current_language() != before:
            stale = tuple(name for name in PANEL_NAMES if not hasattr(getattr(self, name), "retranslate_ui"))
            if stale:
                self._build_panels(stale)
                self._restore_view_flags()
        self.retranslate_ui()

    @Slot()
    def _update_title(self, *_args) -> None:
        name = Path(self.current_path).name if self.current_path else self.tr("Untitled")
        self.setWindowTitle(f"{name}[*] — gdstudio")
        self.setWindowModified(not self.session.experiment_model.undo_stack.isClean())

    # -- messages ---------------------------------------------------------------------------------------------
    def show_error(self, title: str, message: str) -> QMessageBox:
        """A window-modal message that does not block the caller (returns the box; tests read its text)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("error_box")
        box.open()
        return box

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(self, about_title(), about_html())

    @Slot()
    def download_mnist_dialog(self) -> None:
        """File ▸ Download MNIST…; the downloaded set opens in the network lab."""
        self.mnist_dialog = MnistDownloadDialog.show_for(self, self.mnist_dialog, self._mnist_downloaded)

    @Slot()
    def open_network_lab(self) -> NetworkLabWindow:
        """Lab ▸ Network Lab: one network-lab window beside this one, created on first use."""
        if self.network_lab is None:
            self.network_lab = NetworkLabWindow(self.preferences)
        self.network_lab.show()
        self.network_lab.raise_()
        self.network_lab.activateWindow()
        return self.network_lab

    @Slot(str)
    def _mnist_downloaded(self, folder: str) -> None:
        self.status_bar.show_notice(self.tr("MNIST is ready in %1").replace("%1", folder))
        self.open_network_lab().use_mnist(folder)

    # -- experiments ------------------------------------------------------------------------------------------
    @Slot()
    def new_experiment(self) -> None:
        self.session.experiment_model.set_experiment(default_experiment())
        self._set_current_path(None)

    def open_experiment(self, path: str | os.PathLike[str]) -> str | None:
        """Load an experiment file; returns a readable error message (None on success). Never raises for bad files.

        A training experiment opens in the network lab."""
        try:
            exp = load_experiment(path)
        except ExperimentError as exc:
            return self.tr("Could not open “%1”:\n%2").replace("%1", os.fspath(path)).replace("%2", str(exc))
        if not isinstance(exp, DescentExperiment):
            self.preferences.add_recent_file(path)
            return self.open_network_lab().open_experiment(path)
        self.session.experiment_model.set_experiment(exp)
        self._set_current_path(os.fspath(path))
        self.preferences.add_recent_file(path)
        return None

    @Slot()
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open Experiment"), self._dialog_dir(),
                                              self.tr("gdstudio experiment (*.json)"))
        if path:
            self.open_path_interactive(path)

    @Slot()
    def open_path_interactive(self, path: str) -> None:
        message = self.open_experiment(path)
        if message is not None:
            self.show_error(self.tr("Cannot open the experiment"), message)

    def save_experiment(self, path: str | os.PathLike[str]) -> str | None:
        """Write the experiment (atomically); returns an error message or None."""
        try:
            save_experiment(path, self.session.experiment)
        except OSError as exc:
            return self.tr("Could not save “%1”:\n%2").replace("%1", os.fspath(path)).replace(
                "%2", exc.strerror or str(exc))
        self._set_current_path(os.fspath(path))
        self.preferences.add_recent_file(path)
        self.session.experiment_model.undo_stack.setClean()
        return None

    @Slot()
    def save(self) -> None:
        if self.current_path is None:
            self.save_as_dialog()
            return
        message = self.save_experiment(self.current_path)
        if message is not None:
            self.show_error(self.tr("Cannot save the experiment"), message)

    @Slot()
    def save_as_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Experiment As"), self._dialog_dir("experiment.json"),
                                              self.tr("gdstudio experiment (*.json)"))
        if not path:
            return
        if not path.lower().endswith(".json"):
            path += ".json"
        message = self.save_experiment(path)
        if message is not None:
            self.show_error(self.tr("Cannot save the experiment"), message)

    def presets(self) -> tuple[tuple, str]:
        """(presets, error message or "")."""
        try:
            return preset_index(kind="descent"), ""
        except ExperimentError as exc:
            return (), str(exc)

    @Slot(str)
    def load_preset(self, file: str) -> str | None:
        try:
            exp = load_preset(file, kind="descent")
        except ExperimentError as exc:
            message = self.tr("Could not load the preset “%1”:\n%2").replace("%1", file).replace("%2", str(exc))
            self.show_error(self.tr("Cannot load the preset"), message)
            return message
        self.session.experiment_model.set_experiment(exp)
        self._set_current_path(None)
        return None

    @Slot()
    def clear_recent_files(self) -> None:
        self.preferences.clear_recent_files()

    def _set_current_path(self, path: str | None) -> None:
        self.current_path = path
        if path is not None:
            self.session.experiment_model.undo_stack.setClean()
        self._update_title()

    def _dialog_dir(self, name: str = "") -> str:
        folder = os.path.dirname(self.current_path) if self.current_path else os.path.expanduser("~")
        return os.path.join(folder, name) if name else folder

    # -- export -----------------------------------------------------------------------------------------------
    def export_figure(self, path: str | os.PathLike[str]) -> str | None:
        """Save the map (with its colour bar) as PNG or SVG, chosen by the extension; error message or None."""
        path = os.fspath(path)
        self.contour_panel.flush()
        target = self.contour_panel.ci  # the whole layout: plot and colour bar
        try:
            if path.lower().endswith(".svg"):
                try:
                    pg_exporters.SVGExporter(target).export(path)
                except ValueError:
                    # pyqtgraph's SVG post-processing cannot parse the path syntax newer Qt versions write
                    # (pyqtgraph issue #3485); Qt's own SVG generator draws the same scene.
                    self._render_svg(path)
            else:
                exporter = pg_exporters.ImageExporter(target)
                exporter.parameters()["width"] = max(int(self.contour_panel.width()), 800)
                exporter.export(path)
        except Exception as exc:  # noqa: BLE001 — exporters raise assorted errors; the user gets a message
            return self.tr("Could not export the figure to “%1”:\n%2").replace("%1", path).replace("%2", str(exc))
        if not os.path.isfile(path):
            return self.tr("Could not export the figure to “%1”.").replace("%1", path)
        return None

    def _render_svg(self, path: str) -> None:
        panel = self.contour_panel
        size = panel.size()
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setResolution(int(panel.logicalDpiX()))  # text in points must match the pixels on screen
        generator.setTitle("gdstudio")
        painter = QPainter(generator)
        try:
            panel.render(painter)
        finally:
            painter.end()

    @Slot(str)
    def export_figure_dialog(self, kind: str = "png") -> None:
        pattern = self.tr("SVG image (*.svg)") if kind == "svg" else self.tr("PNG image (*.png)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export Figure"), self._dialog_dir(f"figure.{kind}"),
                                              pattern)
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        message = self.export_figure(path)
        if message is not None:
            self.show_error(self.tr("Cannot export the figure"), message)

    def export_trajectory(self, path: str | os.PathLike[str]) -> str | None:
        """Write the run so far as CSV (atomically); error message or None."""
        try:
            atomic_write_text(path, self.session.run_model.to_csv())
        except OSError as exc:
            return self.tr("Could not write “%1”:\n%2").replace("%1", os.fspath(path)).replace(
                "%2", exc.strerror or str(exc))
        return None

    @Slot()
    def export_trajectory_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export Trajectory"),
                                              self._dialog_dir("trajectory.csv"), self.tr("CSV file (*.csv)"))
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        message = self.export_trajectory(path)
        if message is not None:
            self.show_error(self.tr("Cannot export the trajectory"), message)

    # -- run commands -----------------------------------------------------------------------------------------
    @Slot()
    def compare_book(self) -> None:
        self.session.run_book_comparison()

    @Slot()
    def compare_optimizers(self) -> None:
        self.session.run_compare("optimizers")

    @Slot()
    def compare_learning_rates(self) -> None:
        self.session.run_compare("learning_rates")

    @Slot()
    def basin_map(self) -> None:
        self._compute_basins(self.basin_panel.resolution())

    @Slot(int)
    def _compute_basins(self, resolution: int) -> None:
        if self.session.run_basin_map(resolution):
            self.basin_dock.show()
            self.basin_dock.raise_()

    # -- view flags -------------------------------------------------------------------------------------------
    def _restore_view_flags(self) -> None:
        prefs, acts = self.preferences, self.menu_actions
        for act, name, default, apply in (
            (acts.vector_field_action, "vector_field", False, self.contour_panel.set_vector_field_visible),
            (acts.colorbar_action, "colorbar", True, self.contour_panel.set_colorbar_visible),
            (acts.log_y_action, "log_y", False, self.loss_panel.set_log_y),
        ):
            value = prefs.view_flag(name, default)
            act.setChecked(value)
            apply(value)

    @Slot()
    def fit_map(self) -> None:
        """View ▸ Fit Map: back to the function's window after a zoom or pan."""
        self.contour_panel.fit_window()

    @Slot(bool)
    def set_vector_field_visible(self, visible: bool) -> None:
        self.contour_panel.set_vector_field_visible(visible)
        self.preferences.set_view_flag("vector_field", visible)

    @Slot(bool)
    def set_colorbar_visible(self, visible: bool) -> None:
        self.contour_panel.set_colorbar_visible(visible)
        self.preferences.set_view_flag("colorbar", visible)

    @Slot(bool)
    def set_log_y(self, enabled: bool) -> None:
        self.loss_panel.set_log_y(enabled)
        self.preferences.set_view_flag("log_y", enabled)

    # -- closing ----------------------------------------------------------------------------------------------
    def save_settings(self) -> None:
        prefs = self.preferences
        prefs.set_window(self.saveGeometry(), self.saveState())
        prefs.set_last_experiment(experiment_to_json(self.session.experiment))
        prefs.set_steps_per_frame(self.session.steps_per_frame)
        prefs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_settings()
        if self.mnist_dialog is not None:
            self.mnist_dialog.shutdown()  # cancels a running download and waits for its thread
        if self.network_lab is not None:
            self.network_lab.close()  # stops its workers
        self.session.stop_all()
        super().closeEvent(event)
