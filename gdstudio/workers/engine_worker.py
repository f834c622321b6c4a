"""Run any engine iterator off the GUI thread, throttled to what the screen can show.

``EngineWorker`` pulls items from an iterator and hands them over in batches at most 60 times a second while a
run is paced (one signal per frame) and 20 times a second while it goes flat out, however fast the engine is, so
the GUI never drowns in queued signals. It stops between two
items when asked, leaving the iterator intact: the next worker resumes exactly where this one stopped (pause →
play continues the same run).

``WorkerHandle`` is the canonical QThread wiring (moveToThread, started→run, done→quit, finished→deleteLater on
both ends) and re-emits the worker's signals on the GUI thread; after :meth:`WorkerHandle.detach` stale batches
still in the event queue are dropped, so a reset can never mix two runs.

Lifetime rule (PySide): a Python reference to the worker or the thread must never be the last one to go while
Qt is still deleting them (``deleteLater`` runs the worker's destructor on the worker thread during
``QThread::finish``). So the handle keeps both wrappers until the thread object itself has been destroyed, and
talks to a running worker only through :class:`WorkerControl`, a plain Python object that outlives it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from shiboken6 import Shiboken

from gdstudio.engine.descent import SnapshotBatch

__all__ = ["EMIT_INTERVAL", "EngineWorker", "WorkerControl", "WorkerHandle"]

EMIT_INTERVAL = 1.0 / 60.0
"""Seconds between two progress signals of a paced run (one per frame at 60 fps)."""

STREAM_EMIT_INTERVAL = 1.0 / 20.0
"""Seconds between two progress signals of a run going as fast as it can. Its views redraw at most ten times a
second then (RedrawScheduler), and taking in a batch costs the GUI thread about as much whatever its size, so 60
batches a second would cost three times the GUI time (and GIL hand-overs) of 20 for the same picture."""

_SLEEP_SLICE = 0.005
"""Longest single sleep while pacing, so a stop request is honoured within a few milliseconds."""


class WorkerControl:
    """Thread-safe stop flag and pacing shared by a worker and whoever controls it (no Qt object)."""

    def __init__(self, items_per_second: float | None = None) -> None:
        self.stop_event = threading.Event()
        self._lock = threading.Lock()
        self._rate: float | None = None
        # (time, items) from which the pacing schedule counts; None: from the worker's next item. Anchoring
        # lazily keeps the schedule right although an unpaced worker updates ``produced`` only now and then.
        self._origin: tuple[float, int] | None = None
        self.produced = 0  # items taken from the iterator so far (an unpaced worker adds them up per chunk)
        self.set_items_per_second(items_per_second)

    def request_stop(self) -> None:
        self.stop_event.set()

    @property
    def stop_requested(self) -> bool:
        return self.stop_event.is_set()

    @property
    def paced(self) -> bool:
        """True when items follow a schedule (a plain read: the worker polls it without taking the lock)."""
        return self._rate is not None

    def set_items_per_second(self, rate: float | None) -> None:
        """None or <= 0: as fast as possible. The new pace counts from the next item."""
        with self._lock:
            self._rate = float(rate) if rate is not None and rate > 0 else None
            self._origin = None

    def restart_schedule(self) -> None:
        with self._lock:
            self._origin = None

    def due_time(self) -> float | None:
        """When the next item is due (None: no pacing)."""
        with self._lock:
            if self._rate is None:
                return None
            if self._origin is None:
                self._origin = (time.monotonic(), self.produced)
            t0, n0 = self._origin
            return t0 + max(self.produced - n0, 0) / self._rate


_CHUNK_SECONDS = 0.004
"""An unpaced worker looks at the clock, the stop flag and the pacing about this often, not after every item: a
block source then computes ~400 descent steps per take (each take costs ~20 µs of bookkeeping; measured, 1 ms
chunks kept 0.89–0.93 of the headless CPU efficiency, 4 ms ones 0.96–1.0), and a stop still lands within a frame."""

_MAX_CHUNK = 4096


class _IteratorBlocks:
    """An iterator seen as a block source (see :class:`EngineWorker`). If the iterator raises, the items it
    yielded before stay in ``unfinished``, so the worker still delivers them."""

    __slots__ = ("_iterator", "unfinished")

    def __init__(self, iterator: Iterator[Any]) -> None:
        self._iterator = iterator
        self.unfinished: list[Any] | None = None

    def take(self, n: int) -> list[Any]:
        self.unfinished = block = []
        for item in islice(self._iterator, n):
            block.append(item)
        self.unfinished = None
        return block


class EngineWorker(QObject):
    """Drives ``iterator``; emits ``progress(list)`` batches, then ``done(reason)`` or ``failed(message)``.

    ``iterator`` is an iterator or a *block source*: an object whose ``take(n)`` returns the next items, at most
    ``n``, as a sequence (fewer: the source has ended) — e.g. :class:`~gdstudio.engine.descent.DescentRun`, which
    computes a block of steps straight into columns, so the worker costs the engine almost nothing per step.

    ``max_items``: stop after this many items (None: until exhausted) — a Step is a budget of 1.
    ``items_per_second``: pacing (None: as fast as possible); change it while running via ``control``.
    Reasons: "exhausted" (iterator ended), "interrupted" (stop requested), "budget" (max_items reached).

    Batches are sequences: a list of the items taken since the last signal, or, when the source hands out
    :class:`~gdstudio.engine.descent.SnapshotBatch` blocks (DescentRun), one SnapshotBatch of them all, so the GUI
    thread only copies columns. ``progress`` is declared ``Signal(object)`` so PySide hands the batch over by
    reference (``Signal(list)`` converts it to a QVariantList and back, item by item, on both threads).
    """

    progress = Signal(object)
    done = Signal(str)
    failed = Signal(str)

    def __init__(self, iterator: Iterator[Any], max_items: int | None = None,
                 items_per_second: float | None = None, interval: float = EMIT_INTERVAL,
                 stream_interval: float = STREAM_EMIT_INTERVAL) -> None:
        super().__init__()
        if max_items is not None and max_items < 0:
            raise ValueError("max_items must be >= 0 or None")
        self._source = iterator if callable(getattr(iterator, "take", None)) else _IteratorBlocks(iterator)
        self._max_items = max_items
        self._interval = float(interval)
        self._stream_interval = max(float(stream_interval), self._interval)
        self.control = WorkerControl(items_per_second)
        self.emissions = 0  # progress signals emitted so far
        self._home = QThread.currentThread()  # where run() sends the worker back (see _go_home)

    def request_stop(self) -> None:
        """Thread-safe: finish the current item, flush, emit done("interrupted")."""
        self.control.request_stop()

    def set_items_per_second(self, rate: float | None) -> None:
        self.control.set_items_per_second(rate)

    @Slot()
    def run(self) -> None:
        try:
            self._run()
        finally:
            self._go_home()

    def _go_home(self) -> None:
        """Move back to the thread that created this worker, so ``deleteLater`` destroys it there.

        Destroying a Python-backed QObject on the worker thread (in QThread::finish) can deadlock: ~QObject holds
        one of Qt's shared signal/slot mutexes while PySide waits for the GIL, and the GUI thread may hold the GIL
        while it waits for that same mutex (any connect/disconnect, e.g. inside pyqtgraph). Only the thread that
        owns an object may push it to another, hence here, at the end of run().
        """
        home = self._home
        if home is not None and self.thread() is not home and self.thread() is QThread.currentThread():
            self.moveToThread(home)

    def _run(self) -> None:
        # Hot loop: per item only next(), append and the stop flag; the clock, the budget and the pacing are
        # looked at once per chunk, whose length adapts so that a chunk lasts about _CHUNK_SECONDS.
        control = self.control
        stopped = control.stop_event.is_set
        take = self._source.take
        budget = self._max_items
        paced_interval, stream_interval = self._interval, self._stream_interval
        clock = time.monotonic
        pending: list[Sequence[Any]] = []  # blocks taken since the last emit
        last_emit = clock()
        reason = "interrupted"
        chunk = 1
        control.restart_schedule()
        try:
            while True:
                if stopped():
                    break
                if budget is not None and control.produced >= budget:
                    reason = "budget"
                    break
                if control.paced:
                    last_emit = self._wait_until_due(pending, last_emit)
                    if stopped():
                        break
                    n = 1
                else:
                    n = chunk if budget is None else min(chunk, budget - control.produced)
                started = clock()
                block = take(n)
                taken = len(block)
                if taken:
                    pending.append(block)
                control.produced += taken
                if taken < n:
                    reason = "exhausted"
                    break
                now = clock()
                if now - last_emit >= (paced_interval if control.paced else stream_interval):
                    self._emit(pending)
                    pending = []
                    last_emit = now
                spent = now - started
                if spent < _CHUNK_SECONDS / 2 and chunk < _MAX_CHUNK:
                    chunk *= 2
                elif spent > _CHUNK_SECONDS and chunk > 1:
                    chunk //= 2
        except Exception as exc:  # noqa: BLE001 — any engine error becomes a message, never a dead thread
            unfinished = getattr(self._source, "unfinished", None)
            if unfinished:
                pending.append(unfinished)
            if pending:
                self._emit(pending)
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        if pending:
            self._emit(pending)
        self.done.emit(reason)

    def _emit(self, blocks: list[Sequence[Any]]) -> None:
        """One progress signal for the blocks taken since the last one, as one sequence."""
        if all(type(block) is SnapshotBatch for block in blocks):
            items: Sequence[Any] = SnapshotBatch.concat(blocks)
        else:
            items = [item for block in blocks for item in block]
        self.emissions += 1
        self.progress.emit(items)

    def _wait_until_due(self, pending: list[Any], last_emit: float) -> float:
        """Sleep until the next item is due, in short slices; flush pending items (in place) meanwhile."""
        control = self.control
        while not control.stop_requested:
            due = control.due_time()
            if due is None:
                break
            now = time.monotonic()
            if pending and now - last_emit >= self._interval:
                self._emit(pending[:])
                pending.clear()
                last_emit = now
            if now >= due:
                break
            remaining = due - now
            if pending:
                remaining = min(remaining, max(last_emit + self._interval - now, 0.0))
            time.sleep(min(remaining, _SLEEP_SLICE))
        return last_emit


class WorkerHandle(QObject):
    """Owns one EngineWorker on its own QThread; re-emits its signals here (the GUI thread).

    ``finished`` is emitted (on this thread) once the thread has stopped running; ``disposable`` becomes True
    once Qt has deleted the thread (and, before it, the worker), after which the handle may be dropped.
    """

    progress = Signal(object)  # a list (see EngineWorker: by reference, not converted)
    done = Signal(str)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, worker: EngineWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.control = worker.control
        self._worker = worker  # kept until the thread is destroyed (see the module's lifetime rule)
        self._detached = False
        self._finished = threading.Event()
        self._finished_emitted = False
        self._started = False
        thread = QThread()
        thread.setObjectName("gdstudio-engine-worker")
        self._thread = thread
        worker.moveToThread(thread)
        thread.finished.connect(self._on_thread_finished)
        worker.progress.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        thread.started.connect(worker.run)
        # quit() is thread-safe; calling it directly from the worker thread ends the thread even while the
        # GUI thread is blocked in stop() waiting for it.
        worker.done.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)

    # -- control -----------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._started:
            raise RuntimeError("a WorkerHandle starts only once")
        self._started = True
        self._thread.start()

    @property
    def running(self) -> bool:
        """True from start() until the thread has stopped."""
        return self._started and not self._finished.is_set()

    @property
    def _thread_gone(self) -> bool:
        return not Shiboken.isValid(self._thread)

    @property
    def disposable(self) -> bool:
        """True when dropping this handle cannot delete a Qt object that is still in use: never started, or
        Qt has already deleted the thread (its deleteLater ran, after the worker's)."""
        return not self._started or self._thread_gone

    def request_stop(self) -> None:
        self.control.request_stop()

    def set_items_per_second(self, rate: float | None) -> None:
        self.control.set_items_per_second(rate)

    def detach(self) -> None:
        """Stop forwarding signals (batches already queued are dropped): the run this served is gone."""
        self._detached = True

    def wait(self, wait_ms: int = 5000) -> bool:
        """Wait (without asking it to stop) until the thread has ended; True if it has."""
        if not self._started or self._thread_gone:
            return True
        ended = bool(self._thread.wait(max(int(wait_ms), 0)))
        if ended:
            self._finished.set()
        return ended

    def stop(self, wait_ms: int = 5000) -> bool:
        """Request a stop, end the thread's event loop and wait for it; True if the thread has ended."""
        self.control.request_stop()
        if not self._started or self._thread_gone:
            return True  # (a finished thread still gets waited for: it may be inside QThread::finish)
        thread = self._thread
        thread.quit()
        ended = bool(thread.wait(max(int(wait_ms), 0)))
        if ended:
            self._finished.set()
        return ended

    # -- forwarding (runs on the GUI thread) -------------------------------------------------------------------
    @Slot(object)
    def _on_progress(self, items: list) -> None:
        if not self._detached:
            self.progress.emit(items)

    @Slot(str)
    def _on_done(self, reason: str) -> None:
        if not self._detached:
            self.done.emit(reason)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if not self._detached:
            self.failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        self._finished.set()
        if not self._finished_emitted:
            self._finished_emitted = True
            self.finished.emit()
