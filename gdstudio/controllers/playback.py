"""PlaybackSession: the Pause and Play/Pause intents that both labs' sessions share (Session, TrainingSession).

Each session plays one run at a time: ``run_model.state`` says whether it is "running", and ``_run`` is the
WorkerHandle of the job that plays it. A pause asks that job to stop after its current step and shows the run as
paused at once; the run is kept, so the next ``play()`` continues it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Slot

from gdstudio.workers.engine_worker import WorkerHandle

__all__ = ["PlaybackSession"]


class PlaybackSession(QObject):
    """Base of a session with ``run_model`` and ``_run``; a subclass provides ``play()`` and may add to a pause
    through ``_pausing()``."""

    run_model: Any
    _run: WorkerHandle | None

    @Slot()
    def play(self) -> None:
        raise NotImplementedError

    @Slot()
    def pause(self) -> None:
        """Stop after the current step; the run is kept and play() continues it."""
        if self.run_model.state != "running":
            return
        if self._run is not None:
            self._run.request_stop()
        self._pausing()
        self.run_model.set_state("paused")

    def _pausing(self) -> None:
        """Called by ``pause`` once the playing job was asked to stop, before the run shows as paused."""

    @Slot()
    def toggle_play(self) -> None:
        if self.run_model.state == "running":
            self.pause()
        else:
            self.play()
