"""The menu bar: every command as a QAction, its shortcut, and which window method it calls.

Texts are set in :meth:`MenuActions.retranslate_ui` (re-run on a language change). Run commands reuse the
TransportBar's actions, so the toolbar and the menu share one enabled/checked state and one shortcut.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from gdstudio.app.i18n import LANGUAGES
from gdstudio.views.transport_bar import load_icon

if TYPE_CHECKING:  # pragma: no cover
    from gdstudio.app.main_window import MainWindow

__all__ = ["MenuActions"]


class MenuActions(QObject):
    """Builds the menus of ``window`` and keeps references to their actions (tests trigger them directly)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        session = window.session
        bar: QMenuBar = window.menuBar()

        def action(name: str, slot=None, shortcut=None, checkable: bool = False) -> QAction:
            act = QAction(window)
            act.setObjectName(name)
            if shortcut is not None:
                act.setShortcut(shortcut)
            act.setCheckable(checkable)
            if slot is not None:
                act.triggered.connect(slot)
            return act

        # File
        self.file_menu = bar.addMenu("")
        self.new_action = action("action_new", window.new_experiment, QKeySequence.StandardKey.New)
        self.open_action = action("action_open", window.open_dialog, QKeySequence("Ctrl+O"))
        self.save_action = action("action_save", window.save, QKeySequence("Ctrl+S"))
        self.save_as_action = action("action_save_as", window.save_as_dialog, QKeySequence("Ctrl+Shift+S"))
        self.recent_menu = QMenu(window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.clear_recent_action = action("action_clear_recent", window.clear_recent_files)
        self.presets_menu = QMenu(window)
        self.presets_menu.aboutToShow.connect(self._fill_presets)
        self.download_mnist_action = action("action_download_mnist", window.download_mnist_dialog)
        self.export_png_action = action("action_export_png", partial(window.export_figure_dialog, "png"))
        self.export_svg_action = action("action_export_svg", partial(window.export_figure_dialog, "svg"))
        self.export_csv_action = action("action_export_csv", window.export_trajectory_dialog)
        self.quit_action = action("action_quit", window.close, QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        for item in (self.new_action, self.open_action, self.recent_menu, None, self.save_action,
                     self.save_as_action, None, self.presets_menu, self.download_mnist_action, None,
                     self.export_png_action, self.export_svg_action, self.export_csv_action, None, self.quit_action):
            _add(self.file_menu, item)

        # Edit
        self.edit_menu = bar.addMenu("")
        stack = session.experiment_model.undo_stack
        self.undo_action = stack.createUndoAction(window)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(window)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)

        # Run
        self.run_menu = bar.addMenu("")
        transport = window.transport_bar
        self.play_action, self.step_action, self.reset_action = (
            transport.play_action, transport.step_action, transport.reset_action)
        self.compare_book_action = action("action_compare_book", window.compare_book)
        self.compare_optimizers_action = action("action_compare_optimizers", window.compare_optimizers)
        self.compare_lr_action = action("action_compare_lr", window.compare_learning_rates)
        self.clear_compare_action = action("action_clear_compare", session.clear_compare)
        self.basin_action = action("action_basin_map", window.basin_map)
        self.network_lab_action = action("action_network_lab", window.open_network_lab, QKeySequence("Ctrl+L"))
        self.compare_book_action.setIcon(load_icon("compare"))
        self.basin_action.setIcon(load_icon("basin"))
        for item in (self.play_action, self.step_action, self.reset_action, None, self.compare_book_action,
                     self.compare_optimizers_action, self.compare_lr_action, self.clear_compare_action, None,
                     self.basin_action, None, self.network_lab_action):
            _add(self.run_menu, item)

        # View
        self.view_menu = bar.addMenu("")
        self.dock_actions = [dock.toggleViewAction() for dock in window.docks()]
        for act in self.dock_actions:
            self.view_menu.addAction(act)
        self.view_menu.addSeparator()
        self.vector_field_action = action("action_vector_field", window.set_vector_field_visible, checkable=True)
        self.colorbar_action = action("action_colorbar", window.set_colorbar_visible, checkable=True)
        self.log_y_action = action("action_log_y", window.set_log_y, checkable=True)
        self.fit_map_action = action("action_fit_map", window.fit_map, QKeySequence("Ctrl+0"))
        for act in (self.vector_field_action, self.colorbar_action, self.log_y_action, self.fit_map_action):
            self.view_menu.addAction(act)
        self.view_menu.addSeparator()
        self.toolbar_action = transport.toggleViewAction()
        self.view_menu.addAction(self.toolbar_action)

        # Language
        self.language_menu = bar.addMenu("")
        self.language_group = QActionGroup(window)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGES:
            act = action(f"action_language_{code}", partial(window.set_language, code), checkable=True)
            act.setText(name)  # a language's own name is never translated
            self.language_group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act

        # Help
        self.help_menu = bar.addMenu("")
        self.about_action = action("action_about", window.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.about_action)

        self.retranslate_ui()

    # -- texts ------------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.file_menu.setTitle(self.tr("&File"))
        self.new_action.setText(self.tr("&New"))
        self.open_action.setText(self.tr("&Open…"))
        self.save_action.setText(self.tr("&Save"))
        self.save_as_action.setText(self.tr("Save &As…"))
        self.recent_menu.setTitle(self.tr("Open &Recent"))
        self.clear_recent_action.setText(self.tr("Clear Recent Files"))
        self.presets_menu.setTitle(self.tr("&Presets"))
        self.download_mnist_action.setText(self.tr("Download &MNIST…"))
        self.export_png_action.setText(self.tr("Export Figure as &PNG…"))
        self.export_svg_action.setText(self.tr("Export Figure as S&VG…"))
        self.export_csv_action.setText(self.tr("Export &Trajectory as CSV…"))
        self.quit_action.setText(self.tr("&Quit"))

        self.edit_menu.setTitle(self.tr("&Edit"))
        self.undo_action.setText(self.tr("&Undo"))
        self.redo_action.setText(self.tr("&Redo"))

        self.run_menu.setTitle(self.tr("&Run"))
        self.compare_book_action.setText(self.tr("Compare &Optimizers (the book's race on x²/20 + y²)"))
        self.compare_optimizers_action.setText(self.tr("Compare All Optimizers from This Start"))
        self.compare_lr_action.setText(self.tr("Compare &Learning Rates"))
        self.clear_compare_action.setText(self.tr("&Clear Comparison"))
        self.basin_action.setText(self.tr("Compute &Basin Map"))
        self.network_lab_action.setText(self.tr("&Network Lab…"))
        self.network_lab_action.setToolTip(self.tr("Train small neural networks and watch every layer learn"))

        self.view_menu.setTitle(self.tr("&View"))
        self.vector_field_action.setText(self.tr("&Vector Field (−∇f)"))
        self.colorbar_action.setText(self.tr("&Colour Bar"))
        self.log_y_action.setText(self.tr("&Logarithmic Loss Axis"))
        self.fit_map_action.setText(self.tr("&Fit Map to the Function's Window"))
        self.fit_map_action.setToolTip(self.tr("Undo a zoom or pan of the map (the mouse wheel zooms, Ctrl+drag pans)"))

        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About gdstudio"))

    # -- dynamic menus ----------------------------------------------------------------------------------------
    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.window.preferences.recent_files()
        for i, path in enumerate(files):
            act = menu.addAction(f"&{(i + 1) % 10} {path}")
            act.setData(path)
            act.triggered.connect(partial(self.window.open_path_interactive, path))
        if not files:
            empty = menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
        menu.addSeparator()
        menu.addAction(self.clear_recent_action)
        self.clear_recent_action.setEnabled(bool(files))

    def _fill_presets(self) -> None:
        menu = self.presets_menu
        menu.clear()
        presets, error = self.window.presets()
        if error:
            failed = menu.addAction(self.tr("Presets unavailable"))
            failed.setToolTip(error)
            failed.setEnabled(False)
            return
        chinese = self.window.language() == "zh_CN"
        for preset in presets:
            act = menu.addAction(preset.title_zh if chinese else preset.title_en)
            act.setToolTip(preset.description_zh if chinese else preset.description_en)
            act.setStatusTip(act.toolTip())
            act.triggered.connect(partial(self.window.load_preset, preset.file))
        menu.setToolTipsVisible(True)


def _add(menu: QMenu, item) -> None:
    if item is None:
        menu.addSeparator()
    elif isinstance(item, QMenu):
        menu.addMenu(item)
    else:
        menu.addAction(item)

