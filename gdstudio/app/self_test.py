"""``gdstudio --self-test``: prove the installed GUI works end to end, without a person watching.

Opens the real window (offscreen when there is no display), runs x² + y² for 50 steps through the worker thread,
and checks that the models and the plots received every step. Settings go to a temporary INI file, so the
user's own settings are never touched. Prints ``self-test: OK`` and returns 0, or prints why and returns 1.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QtMsgType, QTimer, qInstallMessageHandler

__all__ = ["SELF_TEST_STEPS", "run_self_test"]

SELF_TEST_STEPS = 50
TIMEOUT_MS = 30_000


def _fail(reason: str) -> int:
    print(f"self-test: FAILED: {reason}", file=sys.stderr)
    return 1


def _wait(condition, timeout_ms: int, app) -> bool:
    """Run the event loop until ``condition()`` holds or the time is up."""
    deadline = time.monotonic() + timeout_ms / 1000
    loop = QEventLoop()
    while not condition():
        if time.monotonic() > deadline:
            return False
        QTimer.singleShot(10, loop.quit)
        loop.exec()
    return True


_PLATFORM_NOISE = ("does not support propagateSizeHints",)
"""Warnings the offscreen platform prints for every window; they say nothing about gdstudio."""


def _quiet_platform_noise(mode: QtMsgType, context, message: str) -> None:
    if mode == QtMsgType.QtDebugMsg or any(noise in message for noise in _PLATFORM_NOISE):
        return
    print(message, file=sys.stderr)


def run_self_test() -> int:
    previous = qInstallMessageHandler(_quiet_platform_noise)
    try:
        return _run()
    except Exception as exc:  # noqa: BLE001 — the self-test reports, it does not crash
        return _fail(f"{type(exc).__name__}: {exc}")
    finally:
        qInstallMessageHandler(previous)


def _run() -> int:
    from gdstudio.app.application import create_application
    from gdstudio.app.preferences import Preferences
    from gdstudio.experiment import DescentExperiment

    with tempfile.TemporaryDirectory(prefix="gdstudio-self-test-") as folder:
        prefs = Preferences.from_file(Path(folder) / "settings.ini")
        app = create_application(lang="en", preferences=prefs)
        from gdstudio.app.main_window import MainWindow

        experiment = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), optimizer="sgd",
                                       hyper={"lr": 0.1}, steps=SELF_TEST_STEPS)
        window = MainWindow(preferences=prefs, experiment=experiment)
        try:
            window.resize(1200, 800)
            window.show()
            session = window.session
            session.set_steps_per_frame(0)
            if not _wait(lambda: session.run_model.count >= 1 and session.surface_model.surface is not None,
                         TIMEOUT_MS, app):
                return _fail("the start point or the surface was not computed")
            session.play()
            if not _wait(lambda: session.run_model.state == "done", TIMEOUT_MS, app):
                return _fail(f"the run did not finish (state {session.run_model.state}, "
                             f"{session.run_model.count} steps)")
            return _check(window)
        finally:
            window.close()  # closeEvent stops and waits for every worker
            _wait(lambda: False, 50, app)  # let the finished threads be deleted


def _check(window) -> int:
    run = window.session.run_model
    if run.count != SELF_TEST_STEPS + 1:
        return _fail(f"expected {SELF_TEST_STEPS + 1} snapshots, got {run.count}")
    if run.status != "finished":
        return _fail(f"expected status 'finished', got {run.status!r}")
    if list(run.steps) != list(range(SELF_TEST_STEPS + 1)):
        return _fail("the steps are not contiguous")
    if not run.values[-1] < run.values[0]:
        return _fail("f did not decrease")
    window.contour_panel.flush()
    window.loss_panel.flush()
    xs, _ys = window.contour_panel.trajectory_item.getData()
    if xs is None or len(xs) < 2:
        return _fail("the contour panel shows no trajectory")
    lx, _ly = window.loss_panel.value_item.getData()
    if lx is None or len(lx) < 2:
        return _fail("the loss panel shows no curve")
    print("self-test: OK")
    return 0
