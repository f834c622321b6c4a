"""Test-session setup: headless Qt, settings sandboxed away from the user's, no QThread left running, hypothesis.

Nothing here imports Qt at module import time. pytest-qt imports PySide6 into the pytest process anyway, which is
why the engine-purity checks (tests/test_engine_purity.py) run in fresh subprocesses. The environment variables set
below are inherited by those subprocesses (and by the CLI subprocesses), so they too stay headless and sandboxed.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# --- before any Qt import ---------------------------------------------------------------------------------------
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_SANDBOX = Path(tempfile.mkdtemp(prefix="gdstudio-tests-"))
"""Session-wide home for everything Qt or the app would otherwise write under the user's home."""

for _var, _sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                   ("XDG_STATE_HOME", "state"), ("XDG_RUNTIME_DIR", "runtime")):
    (_SANDBOX / _sub).mkdir(mode=0o700)
    os.environ[_var] = str(_SANDBOX / _sub)  # always overridden: tests must never see the real user settings

# --- hypothesis -------------------------------------------------------------------------------------------------
# No deadline: timings on a loaded 2-core CI machine are noise, not failures. Tests set max_examples (<= 200).
settings.register_profile("gdstudio", deadline=None, print_blob=True)
settings.register_profile("ci", deadline=None, print_blob=True, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "gdstudio"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)


# --- Qt settings sandbox ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _qt_identity() -> None:
    """Organisation/application names the app's default QSettings() use (only when the test did not set them)."""
    from PySide6.QtCore import QCoreApplication

    if not QCoreApplication.organizationName():
        QCoreApplication.setOrganizationName("gdstudio")
    if not QCoreApplication.applicationName():
        QCoreApplication.setApplicationName("gdstudio")


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every test gets empty settings: QSettings() of any scope and format lands in a fresh temporary folder."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder / scope.name))
    return folder


# --- no QThread may outlive its test ----------------------------------------------------------------------------

_started_threads: weakref.WeakSet = weakref.WeakSet()
"""Every QThread started from Python during the session (weak: a finished, deleted thread drops out)."""


def _install_thread_registry() -> bool:
    """Record each QThread.start() so the leak check needs no scan of every object; idempotent."""
    from PySide6.QtCore import QThread

    if getattr(QThread.start, "_gdstudio_registry", False):
        return True
    original = QThread.start

    def start(self, *args, **kwargs):
        _started_threads.add(self)
        return original(self, *args, **kwargs)

    start._gdstudio_registry = True  # type: ignore[attr-defined]
    try:
        QThread.start = start
    except (AttributeError, TypeError):  # a binding that refuses: fall back to the gc scan below
        return False
    return True


def _running_threads(use_registry: bool) -> list:
    from PySide6.QtCore import QThread

    if use_registry:
        candidates = list(_started_threads)
    else:
        import gc

        candidates = [o for o in gc.get_objects() if isinstance(o, QThread)]
    running = []
    for thread in candidates:
        try:
            if thread.isRunning() and thread is not QThread.currentThread():
                running.append(thread)
        except RuntimeError:  # "Internal C++ object already deleted": deleteLater did its job
            continue
    return running


@pytest.fixture(autouse=True)
def _no_running_qthread(request: pytest.FixtureRequest):
    """Fail the test that leaves a QThread running (a worker nobody stopped crashes the process at exit).

    Autouse fixtures are set up before the test's own (qtbot included) and torn down after them, so widgets the
    test registered with qtbot are already closed when this looks.
    """
    use_registry = _install_thread_registry()
    yield
    leaked = _running_threads(use_registry)
    if not leaked:
        return
    names = ", ".join(f"{type(t).__name__}({t.objectName()!r})" for t in leaked)
    for thread in leaked:  # clean up so the next tests do not inherit it; never terminate()
        thread.requestInterruption()
        thread.quit()
        thread.wait(5000)
    pytest.fail(f"{request.node.nodeid} left {len(leaked)} QThread(s) running: {names}", pytrace=False)


# --- panels a test built: deleted by Qt before Python collects them --------------------------------------------


PANELS_ALIVE: list = []
"""Panels (and their models) a test built: kept referenced until Qt has deleted them (see ``keep_alive``).
Test modules that build panels in helpers append here: ``from conftest import PANELS_ALIVE``."""


@pytest.fixture(autouse=True)
def _collect_panels_after_qt() -> Iterator[None]:
    """A top-level panel is owned by Python; if the cycle collector frees its wrappers before qtbot's deleteLater has
    run, pyqtgraph items lose their Python half while still in a live scene and the next paint crashes. pytest-qt
    closes the widgets before fixtures are torn down, so here the deferred deletes run first, then the collector."""
    yield
    if not PANELS_ALIVE:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for obj in PANELS_ALIVE:  # an ExperimentModel collected with commands on its undo stack (with its panels) crashed
        stack = getattr(obj, "undo_stack", None)
        if stack is not None:
            stack.clear()
    PANELS_ALIVE.clear()
    gc.collect()


@pytest.fixture
def keep_alive() -> list:
    """Append the test's panels (and their models) here; they stay referenced until Qt has deleted them."""
    return PANELS_ALIVE
