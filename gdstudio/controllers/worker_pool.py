"""WorkerPool: the workers a session has started, kept referenced until Qt has deleted their threads.

Both labs' sessions start engine iterators on worker threads, drop the ones whose results are no longer wanted
(a reset, a new comparison) without waiting, and stop them all when the window closes. A dropped handle must stay
referenced until its thread is gone (docs/architecture.md, "PySide rules" 1), so the pool forgets a handle only
once it is ``disposable`` — never in the very slot that reports its thread's end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from gdstudio.workers.engine_worker import EngineWorker, WorkerHandle

__all__ = ["WorkerPool"]


class WorkerPool(QObject):
    """Starts ``EngineWorker``s on their own threads and keeps their handles until Qt has deleted the threads.

    ``jobFinished`` is emitted (on the GUI thread) after a worker's thread has ended and the pool has forgotten
    the handles it may.
    """

    jobFinished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._live: list[WorkerHandle] = []  # every handle whose thread may still run (keeps them referenced)

    @property
    def busy(self) -> bool:
        """True while any worker thread is alive."""
        return any(h.running for h in self._live)

    def live_handles(self) -> list[WorkerHandle]:
        """The handles whose thread is still running."""
        return [h for h in self._live if h.running]

    def start(self, iterator: Iterator[Any], max_items: int | None = None, items_per_second: float | None = None,
              *, on_progress: Callable[[Any], None], on_done: Callable[[str], None] | None = None,
              on_failed: Callable[[str], None]) -> WorkerHandle:
        """Drive ``iterator`` on a new worker thread; the callbacks (``@Slot`` methods) get its signals."""
        self.prune()
        handle = WorkerHandle(EngineWorker(iterator, max_items=max_items, items_per_second=items_per_second))
        handle.progress.connect(on_progress)
        if on_done is not None:
            handle.done.connect(on_done)
        handle.failed.connect(on_failed)
        handle.finished.connect(self._job_finished)
        self._live.append(handle)
        handle.start()
        return handle

    @staticmethod
    def drop(handle: WorkerHandle | None) -> None:
        """Detach (late batches are dropped) and ask to stop without waiting; the pool keeps it until it ends."""
        if handle is not None:
            handle.detach()
            handle.request_stop()

    def stop_all(self, wait_ms: int) -> bool:
        """Ask every worker to stop, then wait for each thread; True if all have ended."""
        for handle in self._live:
            handle.request_stop()
        ok = all([handle.stop(wait_ms) for handle in self._live])  # a list: wait for every one, even after a failure
        self.prune()
        return ok

    @Slot()
    def prune(self) -> None:
        """Forget handles whose thread Qt has deleted (never earlier: see engine_worker's lifetime rule)."""
        self._live = [h for h in self._live if not h.disposable]

    @Slot()
    def _job_finished(self) -> None:
        self.prune()
        self.jobFinished.emit()
