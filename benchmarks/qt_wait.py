"""Waiting in a real Qt event loop, as the app does, for the GUI benchmarks (bench_gui.py, bench_network_gui.py)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, Slot

RUN_TIMEOUT_S = 600
POLL_MS = 100
"""Safety-net period of the wait; the loop is normally woken by the signal that ends the wait."""


class Waiter(QObject):
    """Quits a real QEventLoop once ``done()`` holds (checked on each wake signal and every POLL_MS).

    Not ``app.processEvents(WaitForMoreEvents, ms)`` in a Python loop: Qt drops WaitForMoreEvents there, so that
    loop busy-polls, keeps the GUI thread at 100 % CPU and fights the worker for the GIL, which the app never does.
    """

    def __init__(self, done, timeout_s: float) -> None:
        super().__init__()
        self.done = done
        self.deadline = time.monotonic() + timeout_s
        self.loop = QEventLoop(self)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)

    @Slot()
    def check(self, *_args) -> None:
        if self.done() or time.monotonic() >= self.deadline:
            self.loop.quit()


def wait_until(app, done, timeout_s: float = RUN_TIMEOUT_S, wake=()) -> None:
    """Block in an event loop, as the app does, until ``done()`` or the timeout; ``wake``: signals after which
    ``done()`` may have become true (so the clock stops without waiting for the poll)."""
    if done():
        return
    waiter = Waiter(done, timeout_s)
    for signal in wake:
        signal.connect(waiter.check)
    waiter.timer.start()
    waiter.loop.exec()
    waiter.timer.stop()
    for signal in wake:
        signal.disconnect(waiter.check)
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # a nested loop leaves deleteLater()s to its caller
