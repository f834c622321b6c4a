"""Starting the GUI: the QApplication (names, icon, language) and the two entry points the CLI calls."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

import pyqtgraph as pg

from gdstudio import __version__
from gdstudio.app import i18n
from gdstudio.app.preferences import Preferences

__all__ = ["create_application", "run_gui", "run_self_test"]

ORGANIZATION = APPLICATION = "gdstudio"


def _headless() -> bool:
    """A Linux session without any display server (CI, ssh): Qt must use the offscreen platform."""
    return sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


GUI_SWITCH_INTERVAL = 2e-4
"""Seconds a thread waiting for the GIL lets the holder run before asking for it (Python's default: 5 ms).

The engine's worker thread holds the GIL almost all the time, and the GUI thread needs it for every call from Qt
into Python — each slot, timer and the paint() of every pyqtgraph item — waiting up to this long each time. At
5 ms a redraw of the map made of dozens of such calls took ~100 ms of waiting for ~2 ms of work, and the event loop
could stall for a whole run (measured: no timer fired for 2 s); at 0.2 ms it never stalls more than ~0.1 s and the
run keeps ≥ 0.9 of its speed (benchmarks/bench_gui.py)."""


def create_application(argv: Sequence[str] | None = None, lang: str | None = None,
                       preferences: Preferences | None = None) -> QApplication:
    """The QApplication (reused if one exists) with gdstudio's names, icon, plot options and language.

    Language: ``lang`` if given (not remembered), else the saved choice, else the system's.
    """
    if _headless() and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.setswitchinterval(GUI_SWITCH_INTERVAL)  # the window's thread gets the GIL promptly (see above)
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("gdstudio")
    app.setApplicationVersion(__version__)
    from gdstudio.views.transport_bar import load_icon

    icon = load_icon("gdstudio")
    if not icon.isNull():
        app.setWindowIcon(icon)
    pg.setConfigOptions(antialias=True)
    prefs = preferences if preferences is not None else Preferences(QSettings())
    i18n.install_language(lang or prefs.language() or i18n.system_language())
    return app


def run_gui(lang: str | None = None, experiment_path: str | None = None) -> int:
    """Open the window (and ``experiment_path`` if given); returns the exit status of the event loop."""
    app = create_application(lang=lang)
    from gdstudio.app.main_window import MainWindow

    window = MainWindow()
    window.show()
    if experiment_path:
        window.open_path_interactive(experiment_path)
    return int(app.exec())


def run_self_test() -> int:
    """Open the window, run a short descent through the worker, check the panels got it. 0 = OK."""
    from gdstudio.app.self_test import run_self_test as run

    return run()
