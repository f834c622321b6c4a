"""Guard against the PySide6 6.12.0 regression that aborts Python 3.11: every Signal.emit() drops a reference to True.

On Python < 3.12 True is an ordinary refcounted object, so a few thousand emits free it and the interpreter
aborts ("Fatal Python error: none_dealloc"-style crashes, or a corrupt bool later). The emits run in a subprocess
so that a crash shows up as a failed test with its exit code instead of killing the test session.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EMITS = 5000

_SCRIPT = textwrap.dedent(
    """
    import ctypes, sys
    from PySide6.QtCore import QCoreApplication, QObject, QThread, Qt, Signal, Slot

    N = int(sys.argv[1])
    SIMULATE_BUG = len(sys.argv) > 2 and sys.argv[2] == "simulate-6.12.0-bug"

    class Source(QObject):
        flag = Signal(bool)
        pair = Signal(bool, int)
        plain = Signal()

    class Sink(QObject):
        def __init__(self):
            super().__init__()
            self.count = 0
            self.trues = 0
            self.simulate = False

        @Slot(bool)
        def on_flag(self, value):
            self.count += 1
            if self.simulate and value is True:   # what 6.12.0 does on each emit; only used to test this test
                ctypes.pythonapi.Py_DecRef(ctypes.py_object(True))
            self.trues += value is True

        @Slot(bool, int)
        def on_pair(self, value, i):
            self.count += 1

        @Slot()
        def on_plain(self):
            self.count += 1

    app = QCoreApplication(sys.argv[:1])
    source, direct, queued = Source(), Sink(), Sink()
    direct.simulate = SIMULATE_BUG
    source.flag.connect(direct.on_flag, Qt.ConnectionType.DirectConnection)
    source.flag.connect(queued.on_flag, Qt.ConnectionType.QueuedConnection)
    source.pair.connect(direct.on_pair)
    source.plain.connect(direct.on_plain)
    seen = []
    source.flag.connect(lambda v: seen.append(v))   # a plain Python callable as well

    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(N):
        source.flag.emit(True)
        source.flag.emit(False)
        source.pair.emit(True, i)
        source.plain.emit()
    app.processEvents()
    app.processEvents()
    assert len(seen) == 2 * N and seen.count(True) == N
    del seen
    after = sys.getrefcount(True), sys.getrefcount(False)

    assert direct.count == 4 * N, direct.count
    assert queued.count == 2 * N, queued.count
    assert direct.trues == queued.trues == N, (direct.trues, queued.trues)
    # The bug loses one reference per emit; a little slack for references the interpreter holds or frees itself.
    drift = [a - b for a, b in zip(after, before)]
    assert all(d > -20 for d in drift), f"refcount of True/False dropped by {drift} over {N} emits"

    # And across threads: a worker thread emitting into the main thread (the app's real pattern).
    class Worker(QObject):
        tick = Signal(bool)
        done = Signal()

        @Slot()
        def run(self):
            for _ in range(N):
                self.tick.emit(True)
            self.done.emit()

    thread = QThread()
    worker = Worker()
    worker.moveToThread(thread)
    received = Sink()
    worker.tick.connect(received.on_flag)        # auto -> queued, delivered in the main thread
    worker.done.connect(thread.quit)
    thread.started.connect(worker.run)
    thread.start()
    while not thread.wait(10):
        app.processEvents()
    app.processEvents()
    assert received.count == N, received.count
    print("ok", before, after, flush=True)
    """
)


def _emit(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    return subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", _SCRIPT, *args],
        capture_output=True, text=True, timeout=300, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
    )


def test_many_signal_emits_do_not_crash_or_leak_true():
    proc = _emit(str(EMITS))
    assert proc.returncode == 0, (
        f"signal emits crashed or failed (exit code {proc.returncode}); with PySide6 6.12.0 this is the known "
        f"refcount bug, keep PySide6-Essentials <6.12.\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr[-4000:]}"
    )
    assert proc.stdout.startswith("ok"), proc.stdout


def test_the_check_detects_a_lost_reference_per_emit():
    """Simulating the bug (one reference to True lost per emit) makes the script fail with the refcount message.

    Few emits (True has only a few hundred references), so the process lives until the check reports.
    """
    if sys.version_info >= (3, 12):  # True is immortal there: the bug cannot hurt, the check cannot see it
        return
    proc = _emit("60", "simulate-6.12.0-bug")
    assert proc.returncode != 0
    assert "refcount of True/False dropped" in proc.stderr, proc.stderr[-2000:]


def _release(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


def test_installed_pyside6_is_within_the_pin():
    import PySide6
    import shiboken6

    installed = _release(PySide6.__version__)
    assert (6, 11) <= installed[:2] < (6, 12), f"PySide6 {PySide6.__version__} is outside >=6.11,<6.12"
    assert _release(shiboken6.__version__)[:2] == installed[:2], (shiboken6.__version__, PySide6.__version__)
    assert _release(version("PySide6-Essentials"))[:2] == installed[:2]


def test_pin_in_pyproject_matches_this_check():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"PySide6-Essentials>=6.11,<6.12"' in text
