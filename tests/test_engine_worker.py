"""EngineWorker throttling, pacing, budgets, stopping and errors; WorkerHandle thread wiring."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from PySide6.QtCore import QThread

from gdstudio.engine.descent import DescentConfig, iter_descent
from gdstudio.engine.functions import get_function
from gdstudio.workers.engine_worker import EMIT_INTERVAL, EngineWorker, WorkerHandle


class Capture:
    """Records a worker's signals (connected directly: run() is called on this thread in the unit tests)."""

    def __init__(self, source) -> None:
        self.batches: list[list] = []
        self.done: list[str] = []
        self.failed: list[str] = []
        source.progress.connect(self.batches.append)
        source.done.connect(self.done.append)
        source.failed.connect(self.failed.append)

    @property
    def items(self) -> list:
        return [x for batch in self.batches for x in batch]


def test_all_items_in_order_then_exhausted(qapp):
    worker = EngineWorker(iter(range(1000)))
    cap = Capture(worker)
    worker.run()
    assert cap.items == list(range(1000))
    assert cap.done == ["exhausted"] and not cap.failed


def test_throttled_to_about_sixty_signals_per_second_yet_complete(qapp):
    n = 200_000

    def slowish():  # ~2 µs per item keeps the run well above a few frames long
        for i in range(n):
            if i % 64 == 0:
                time.sleep(0)
            yield i

    worker = EngineWorker(slowish())
    cap = Capture(worker)
    t0 = time.monotonic()
    worker.run()
    elapsed = time.monotonic() - t0
    assert len(cap.items) == n and cap.items[-1] == n - 1
    # at most one emission per interval, plus the final flush (and one for rounding)
    assert len(cap.batches) <= elapsed / EMIT_INTERVAL + 2, (len(cap.batches), elapsed)
    assert len(cap.batches) == worker.emissions


def test_budget_stops_after_exactly_that_many_and_iterator_resumes(qapp):
    it = iter(range(10))
    worker = EngineWorker(it, max_items=1)
    cap = Capture(worker)
    worker.run()
    assert cap.items == [0] and cap.done == ["budget"]
    worker2 = EngineWorker(it, max_items=3)
    cap2 = Capture(worker2)
    worker2.run()
    assert cap2.items == [1, 2, 3] and cap2.done == ["budget"]
    with pytest.raises(ValueError):
        EngineWorker(it, max_items=-1)


def test_zero_budget_yields_nothing(qapp):
    worker = EngineWorker(iter(range(3)), max_items=0)
    cap = Capture(worker)
    worker.run()
    assert cap.items == [] and cap.done == ["budget"]


def test_exception_becomes_failed_after_flushing_earlier_items(qapp):
    def broken():
        yield 1
        yield 2
        raise ZeroDivisionError("boom")

    worker = EngineWorker(broken())
    cap = Capture(worker)
    worker.run()
    assert cap.items == [1, 2]
    assert cap.failed == ["boom"] and not cap.done


def test_exception_without_text_names_its_type(qapp):
    def broken():
        raise KeyError()
        yield  # pragma: no cover

    worker = EngineWorker(broken())
    cap = Capture(worker)
    worker.run()
    assert cap.failed == ["KeyError"]


def test_pacing_limits_the_rate(qapp):
    worker = EngineWorker(itertools.count(), items_per_second=200)
    cap = Capture(worker)
    threading.Timer(0.3, worker.request_stop).start()
    t0 = time.monotonic()
    worker.run()
    elapsed = time.monotonic() - t0
    assert cap.done == ["interrupted"]
    assert 1 <= len(cap.items) <= 200 * elapsed + 2
    assert cap.items == list(range(len(cap.items)))


def test_stop_is_honoured_quickly_even_when_paced_slowly(qapp):
    worker = EngineWorker(itertools.count(), items_per_second=0.5)  # one item every two seconds
    cap = Capture(worker)
    threading.Timer(0.1, worker.request_stop).start()
    t0 = time.monotonic()
    worker.run()
    assert time.monotonic() - t0 < 1.0
    assert cap.items == [0] and cap.done == ["interrupted"]


def test_pacing_can_change_while_running(qapp):
    worker = EngineWorker(itertools.count(), items_per_second=1)
    cap = Capture(worker)

    def speed_up_then_stop():
        time.sleep(0.05)
        worker.set_items_per_second(None)
        time.sleep(0.1)
        worker.request_stop()

    threading.Thread(target=speed_up_then_stop).start()
    worker.run()
    assert len(cap.items) > 100  # flat out after the change


def test_slow_pacing_still_delivers_each_item_within_a_frame(qapp):
    """At 20 items/s each item must reach the GUI promptly, not wait for a batch to fill."""
    worker = EngineWorker(itertools.count(), items_per_second=20)
    arrivals: list[float] = []
    worker.progress.connect(lambda batch: arrivals.extend([time.monotonic()] * len(batch)))
    threading.Timer(0.5, worker.request_stop).start()
    worker.run()
    assert len(arrivals) >= 5
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert max(gaps) < 0.2  # 50 ms apart nominally; never bunched into one late batch


def test_a_descent_generator_resumes_across_workers(qapp):
    fn = get_function("bowl")
    gen = iter_descent(DescentConfig(fn, (-3.0, 4.0), "sgd", {"lr": 0.1}, steps=20))
    steps = []
    for budget in (1, 5, None):
        worker = EngineWorker(gen, max_items=budget)
        worker.progress.connect(lambda b: steps.extend(s.step for s in b))
        worker.run()
    assert steps == list(range(21))


# -- WorkerHandle (real threads) ----------------------------------------------------------------------------------


def test_handle_runs_on_another_thread_and_cleans_up(qtbot):
    main = QThread.currentThread()
    seen: list = []

    def probe():
        for i in range(50):
            seen.append(QThread.currentThread() is not main)
            yield i

    handle = WorkerHandle(EngineWorker(probe()))
    cap = Capture(handle)
    with qtbot.waitSignal(handle.finished, timeout=5000):
        handle.start()
    assert cap.items == list(range(50)) and cap.done == ["exhausted"]
    assert all(seen)
    assert not handle.running
    qtbot.waitUntil(lambda: handle.disposable, timeout=5000)  # Qt deleted the thread (deleteLater)
    with pytest.raises(RuntimeError):
        handle.start()


def test_handle_stop_waits_for_an_endless_worker(qtbot):
    handle = WorkerHandle(EngineWorker(itertools.count(), items_per_second=1000))
    cap = Capture(handle)
    handle.start()
    qtbot.waitUntil(lambda: len(cap.items) > 0, timeout=5000)
    assert handle.running
    assert handle.stop(5000) is True
    assert not handle.running
    with qtbot.waitSignal(handle.finished, timeout=5000, raising=False):
        pass
    qtbot.waitUntil(lambda: cap.done == ["interrupted"], timeout=5000)


def test_detached_handle_drops_late_batches(qtbot):
    handle = WorkerHandle(EngineWorker(iter(range(100_000))))
    cap = Capture(handle)
    handle.start()
    handle.detach()
    handle.stop(5000)
    qtbot.wait(50)
    assert cap.items == [] and cap.done == []


def test_failure_on_the_thread_is_reported(qtbot):
    def broken():
        yield 1
        raise RuntimeError("engine exploded")

    handle = WorkerHandle(EngineWorker(broken()))
    with qtbot.waitSignal(handle.failed, timeout=5000) as blocker:
        handle.start()
    assert blocker.args == ["engine exploded"]
    qtbot.waitUntil(lambda: not handle.running, timeout=5000)


def test_stop_before_start_and_after_end_are_harmless(qtbot):
    handle = WorkerHandle(EngineWorker(iter(range(3))))
    assert handle.stop(100) is True  # never started
    handle2 = WorkerHandle(EngineWorker(iter(range(3))))
    with qtbot.waitSignal(handle2.finished, timeout=5000):
        handle2.start()
    assert handle2.stop(100) is True


# -- packed snapshot batches and the worker's way home -----------------------------------------------------------


def test_descent_snapshots_arrive_packed_and_equal_to_the_plain_run(qapp):
    from gdstudio.engine.descent import DescentRun, SnapshotBatch, run_descent

    config = DescentConfig(get_function("rosenbrock"), (-1.5, 2.0), "adam", {"lr": 0.05}, steps=3000)
    worker = EngineWorker(DescentRun(config))  # the session's source: blocks of columns, concatenated per signal
    cap = Capture(worker)
    worker.run()
    assert cap.batches and all(isinstance(b, SnapshotBatch) for b in cap.batches)
    got = cap.items
    want = list(iter_descent(config))
    assert len(got) == len(want) == 3001
    for a, b in zip(got, want):
        assert (a.step, a.value, a.grad_norm, a.status, a.message) == (b.step, b.value, b.grad_norm, b.status,
                                                                     b.message)
        assert list(a.params) == list(b.params) and list(a.grad) == list(b.grad)
    assert got[-1].status == run_descent(config)[-1].status


def test_a_mixed_batch_is_sent_as_a_plain_list(qapp):
    worker = EngineWorker(iter([1, "two", 3.0]))
    cap = Capture(worker)
    worker.run()
    assert cap.items == [1, "two", 3.0] and all(type(b) is list for b in cap.batches)


def test_the_worker_returns_to_its_home_thread_when_run_ends(qtbot):
    """So that deleteLater destroys it on the GUI thread (destroying it on the worker thread can deadlock)."""
    home = QThread.currentThread()
    worker = EngineWorker(iter(range(10)))
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.done.connect(thread.quit)
    with qtbot.waitSignal(thread.finished, timeout=5000):
        thread.start()
    assert thread.wait(5000)
    assert worker.thread() is home
