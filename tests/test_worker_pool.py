"""WorkerPool: the workers both sessions start, keep referenced until Qt deleted their threads, drop and stop."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QObject, Slot

from gdstudio.controllers.worker_pool import WorkerPool


class Receiver(QObject):
    """Slots like a session's (the pool connects the handles' signals to them)."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list = []
        self.done: list[str] = []
        self.failed: list[str] = []

    @Slot(object)
    def progress(self, batch) -> None:
        self.items.extend(batch)

    @Slot(str)
    def on_done(self, reason: str) -> None:
        self.done.append(reason)

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.failed.append(message)


def _start(pool: WorkerPool, r: Receiver, iterator, max_items=None, items_per_second=None):
    return pool.start(iterator, max_items, items_per_second, on_progress=r.progress, on_done=r.on_done,
                      on_failed=r.on_failed)


def test_a_job_runs_reports_and_is_forgotten_once_its_thread_is_gone(qtbot):
    pool, r = WorkerPool(), Receiver()
    with qtbot.waitSignal(pool.jobFinished, timeout=5000):
        handle = _start(pool, r, iter(range(100)))
        assert pool.busy and pool.live_handles() == [handle]
    assert r.items == list(range(100)) and r.done == ["exhausted"] and not r.failed
    assert not pool.busy and pool.live_handles() == []
    assert handle in pool._live  # still referenced: Qt has not deleted the thread yet (lifetime rule)
    qtbot.waitUntil(lambda: handle.disposable, timeout=5000)
    pool.prune()
    assert pool._live == []


def test_budget_and_failure_reach_their_slots(qtbot):
    pool, r = WorkerPool(), Receiver()

    def broken():
        yield 1
        raise RuntimeError("engine exploded")

    with qtbot.waitSignal(pool.jobFinished, timeout=5000):
        _start(pool, r, iter(range(100)), max_items=3)
    assert r.items == [0, 1, 2] and r.done == ["budget"]
    with qtbot.waitSignal(pool.jobFinished, timeout=5000):
        _start(pool, r, broken())
    assert r.failed == ["engine exploded"]
    assert pool.stop_all(5000)


def test_a_dropped_job_sends_nothing_more_and_stops(qtbot):
    pool, r = WorkerPool(), Receiver()
    handle = _start(pool, r, itertools.count(), items_per_second=1000)
    qtbot.waitUntil(lambda: len(r.items) > 0, timeout=5000)
    with qtbot.waitSignal(pool.jobFinished, timeout=5000):
        pool.drop(handle)
    seen = len(r.items)
    qtbot.wait(50)
    assert len(r.items) == seen and r.done == []  # detached: the interruption is not reported either
    pool.drop(None)  # harmless


def test_stop_all_waits_for_every_thread(qtbot):
    pool, r = WorkerPool(), Receiver()
    handles = [_start(pool, r, itertools.count(), items_per_second=500) for _ in range(3)]
    qtbot.waitUntil(lambda: all(h.running for h in handles), timeout=5000)
    assert pool.busy and len(pool.live_handles()) == 3
    assert pool.stop_all(5000) is True
    assert not pool.busy and not any(h.running for h in handles)
