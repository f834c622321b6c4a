"""Session: turns what the student asks for (play, pause, step, reset, compare, basin map) into workers.

It owns every Qt model and every running worker. The run's generator outlives its workers, so pause → play
continues the same trajectory; a reset (or any change of the experiment) detaches the old worker so its late
batches are dropped, and starts a fresh generator whose step 0 is produced on a worker too — nothing numerical
ever runs on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from gdstudio.controllers.playback import PlaybackSession
from gdstudio.controllers.worker_pool import WorkerPool
from gdstudio.engine.basins import iter_basin_map
from gdstudio.engine.batch import iter_batch
from gdstudio.engine.descent import DescentRun
from gdstudio.engine.functions import Function
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.engine.surface import sample_surface, sample_vector_field, widen_to_aspect
from gdstudio.experiment import FIELDS, DescentExperiment
from gdstudio.models.basin_model import BasinModel
from gdstudio.models.compare_model import CompareModel
from gdstudio.models.experiment_model import ExperimentModel
from gdstudio.models.run_model import RunModel
from gdstudio.models.surface_model import SurfaceModel
from gdstudio.views.palette import series_color
from gdstudio.workers.engine_worker import WorkerHandle

__all__ = [
    "BOOK_COMPARISON",
    "DEFAULT_STEPS_PER_FRAME",
    "FRAMES_PER_SECOND",
    "LEARNING_RATE_FACTORS",
    "SPEED_CHOICES",
    "Session",
    "compare_label",
]

FRAMES_PER_SECOND = 60
SPEED_CHOICES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 0)
"""Steps per frame offered by the transport bar; 0 = as fast as possible."""
DEFAULT_STEPS_PER_FRAME = 1

BOOK_COMPARISON: dict[str, Any] = {
    "function_name": "book_ellipse",
    "start": (-7.0, 2.0),
    "steps": 30,
    "items": (
        ("sgd", {"lr": 0.95}),
        ("momentum", {"lr": 0.1, "momentum": 0.9}),
        ("adagrad", {"lr": 1.5}),
        ("adam", {"lr": 0.3}),
    ),
}
"""The optimizer race of the book: x²/20 + y² from (−7, 2), 30 updates, each optimizer at its own good lr."""

LEARNING_RATE_FACTORS = (0.1, 0.3, 1.0, 3.0, 10.0)
""""Compare learning rates" by default races these multiples of the experiment's learning rate."""

STOP_WAIT_MS = 5000


def compare_label(optimizer: str, hyper: dict[str, Any]) -> str:
    """``"SGD η=0.95"``: the optimizer's short name and its learning rate."""
    cls = OPTIMIZERS[optimizer]
    lr = hyper.get("lr", cls.defaults().get("lr"))
    return f"{cls.short_name or cls.name} η={float(lr):g}"


def _surface_job(function: Function, window: Any = None) -> Iterator[tuple[Function, Any, Any]]:
    """One item: the function with its sampled surface (or curve) and vector field (over its own window or
    ``window``)."""
    yield function, sample_surface(function, window), sample_vector_field(function, window)


class Session(PlaybackSession):
    """Owns the models and the workers; every method is a user intent and returns at once (``pause`` and
    ``toggle_play`` come from PlaybackSession: a pause keeps the trajectory, play() continues it)."""

    notice = Signal(str)
    """A sentence for the user (shown non-modally in the status bar): a failure, a refused action."""
    speedChanged = Signal(int)
    compareStateChanged = Signal(bool)
    basinStateChanged = Signal(bool)

    def __init__(self, experiment: DescentExperiment | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.experiment_model = ExperimentModel(experiment, self)
        dim = self.experiment_model.experiment.resolve_function().dim
        self.run_model = RunModel(dim, self)
        self.surface_model = SurfaceModel(self)
        self.compare_model = CompareModel(self)
        self.basin_model = BasinModel(self)
        self._steps_per_frame = DEFAULT_STEPS_PER_FRAME
        self._descent: DescentRun | None = None  # the run Play/Step continue (None: ended or not startable)
        self._run: WorkerHandle | None = None
        self._surface: WorkerHandle | None = None
        self._map_aspect: float | None = None  # width / height of what the map last showed (see resample_surface)
        self._compare: WorkerHandle | None = None
        self._basin: WorkerHandle | None = None
        self._workers = WorkerPool(self)
        self.experiment_model.changed.connect(self._experiment_changed)
        self.experiment_model.functionChanged.connect(self.resample_surface)

    # -- properties -------------------------------------------------------------------------------------------
    @property
    def experiment(self) -> DescentExperiment:
        return self.experiment_model.experiment

    @property
    def steps_per_frame(self) -> int:
        return self._steps_per_frame

    @property
    def items_per_second(self) -> float | None:
        """The pacing of runs and comparisons (None: as fast as possible)."""
        return None if self._steps_per_frame <= 0 else float(self._steps_per_frame * FRAMES_PER_SECOND)

    @property
    def busy(self) -> bool:
        """True while any worker thread is alive."""
        return self._workers.busy

    def live_handles(self) -> list[WorkerHandle]:
        return self._workers.live_handles()

    # -- set-up -----------------------------------------------------------------------------------------------
    def initialize(self) -> None:
        """Sample the surface and show the start point (call once the views are connected)."""
        self.resample_surface()
        self.reset()

    def set_steps_per_frame(self, steps: int) -> None:
        """Speed of the animation: steps per frame at 60 fps (0 = as fast as possible); applies at once."""
        steps = max(int(steps), 0)
        if steps == self._steps_per_frame:
            return
        self._steps_per_frame = steps
        for handle in (self._run, self._compare):
            if handle is not None:
                handle.set_items_per_second(self.items_per_second)
        self.speedChanged.emit(steps)

    # -- the single run ---------------------------------------------------------------------------------------
    @Slot()
    def play(self) -> None:
        """Run (or continue) the trajectory until it ends or is paused; after the end, start over."""
        state = self.run_model.state
        if state == "running":
            return
        if state == "done" or self._descent is None:
            self.reset()
            if self._descent is None:
                return
        if not self._release_run_worker():
            return
        self.run_model.set_state("running")
        self._run = self._workers.start(self._descent, None, self.items_per_second, on_progress=self._run_progress,
                                        on_done=self._run_done, on_failed=self._run_failed)

    @Slot()
    def step(self) -> None:
        """One update; while running, Step pauses instead (the next Step then advances by one)."""
        state = self.run_model.state
        if state == "running":
            self.pause()
            return
        if state == "done" or self._descent is None or not self._release_run_worker():
            return
        self._run = self._workers.start(self._descent, 1, on_progress=self._run_progress, on_done=self._run_done,
                                        on_failed=self._run_failed)
        if self.run_model.count > 0:
            self.run_model.set_state("paused")

    @Slot()
    def reset(self) -> None:
        """Forget the trajectory and start a new one at the start point (step 0 is computed on a worker)."""
        self._drop_run_worker()
        self._close_descent()
        exp = self.experiment
        function = exp.resolve_function()
        self.run_model.clear(function.dim)
        self.run_model.set_state("idle")
        try:
            self._descent = DescentRun(exp.to_config())
        except ValueError as exc:
            self._descent = None
            self.notice.emit(self.tr("Cannot start the run: %1").replace("%1", str(exc)))
            return
        self._run = self._workers.start(self._descent, 1, on_progress=self._run_progress, on_done=self._run_done,
                                        on_failed=self._run_failed)

    def _release_run_worker(self) -> bool:
        """Wait until no worker uses the generator: a paused one finishing its current item, or a Step's."""
        handle = self._run
        if handle is None or not handle.running:
            return True
        if handle.wait(STOP_WAIT_MS):
            return True
        self.notice.emit(self.tr("The previous step is still being computed; try again in a moment."))
        return False

    def _drop_run_worker(self) -> None:
        handle, self._run = self._run, None
        if handle is not None:
            handle.detach()
            handle.stop(STOP_WAIT_MS)

    def _close_descent(self) -> None:
        descent, self._descent = self._descent, None
        if descent is not None:
            descent.close()  # a worker still inside a block (it did not stop in time) ends after that block

    @Slot(object)
    def _run_progress(self, snapshots: list) -> None:
        model = self.run_model
        model.append(snapshots)
        if model.status not in ("running", "") and model.state != "done":
            self._descent = None
            model.finish(model.status, model.message)

    @Slot(str)
    def _run_done(self, reason: str) -> None:
        if self.sender() is not self._run:
            return
        model = self.run_model
        if reason == "exhausted" and model.state != "done":
            self._descent = None
            model.finish(model.status or "finished", model.message)
        elif reason == "budget" and model.state == "running":
            model.set_state("paused")

    @Slot(str)
    def _run_failed(self, message: str) -> None:
        self._descent = None
        text = self.tr("The run stopped because of an error: %1").replace("%1", message)
        self.run_model.finish("stopped", text)
        self.notice.emit(text)

    @Slot()
    def _experiment_changed(self) -> None:
        """A new experiment makes the trajectory, the comparison and the basin map obsolete."""
        if self.compare_model.active or self._compare is not None:
            self.clear_compare()
        if self.basin_model.active or self.basin_model.result is not None or self._basin is not None:
            self.cancel_basin_map()
            self.basin_model.clear()
        self.reset()

    # -- surface ----------------------------------------------------------------------------------------------
    @Slot()
    def resample_surface(self) -> None:
        """Recompute the contour background for the current function (on a worker): over its window, widened to the
        shape the map last had, so a map at one scale on both axes is covered at once (not sampled twice)."""
        function = self.experiment.resolve_function()
        window = None
        if function.dim == 2 and self._map_aspect is not None:
            window = widen_to_aspect(function.window, self._map_aspect)
        self._start_surface_job(function, window)

    @Slot(tuple)
    def sample_surface_over(self, window: tuple) -> None:
        """Re-sample the drawn 2-D function over ``window`` ((x0, x1), (y0, y1)): what the map shows after a resize,
        pan or zoom. Ignored while the samples of a newly chosen function are still being computed."""
        (x0, x1), (y0, y1) = window
        self._map_aspect = (x1 - x0) / (y1 - y0)
        function = self.surface_model.function
        if function is None or function.dim != 2 or function is not self.experiment.resolve_function():
            return
        self._start_surface_job(function, window)

    def _start_surface_job(self, function: Function, window: tuple | None) -> None:
        if self._surface is not None:
            self._surface.detach()  # let it finish in the background; its result is dropped
        self._surface = self._workers.start(_surface_job(function, window), on_progress=self._surface_progress,
                                            on_failed=self._failed)

    @Slot(object)
    def _surface_progress(self, items: list) -> None:
        for function, surface, field in items:
            self.surface_model.set_samples(function, surface, field)

    # -- compare mode -----------------------------------------------------------------------------------------
    def run_compare(self, kind: str = "optimizers", items: Sequence[Any] = ()) -> bool:
        """Race several trajectories from the experiment's start.

        kind "optimizers": items are optimizer names or (name, hyper) pairs (default: each optimizer with the
        experiment's learning rate); kind "learning_rates": items are learning rates for the experiment's
        optimizer (default: the experiment's lr times :data:`LEARNING_RATE_FACTORS`, within the allowed range).
        Returns False (and a notice) if it cannot start.
        """
        exp = self.experiment
        groups = self._compare_groups(exp, kind, items)
        if not groups:
            self.notice.emit(self.tr("Nothing to compare."))
            return False
        function = exp.resolve_function()
        starts = np.tile(np.asarray(exp.start, dtype=np.float64), (len(groups), 1))
        try:
            iterator = iter_batch(
                function, starts, groups, exp.steps, gradient_method=exp.gradient_method, h=exp.h,
                grad_norm_below=exp.grad_norm_below,
            )
        except ValueError as exc:
            self.notice.emit(self.tr("Cannot compare: %1").replace("%1", str(exc)))
            return False
        self.stop_compare()
        labels = [compare_label(name, hyper) for name, hyper in groups]
        colors = [series_color(i) for i in range(len(groups))]
        self.compare_model.start(labels, colors, function.dim)
        self._compare = self._workers.start(iterator, None, self.items_per_second, on_progress=self._compare_progress,
                                            on_done=self._compare_done, on_failed=self._compare_failed)
        self.compareStateChanged.emit(True)
        return True

    def run_book_comparison(self) -> bool:
        """The book's optimizer comparison in one click: switch to x²/20 + y² from (−7, 2), then race four."""
        preset = BOOK_COMPARISON
        first_name, first_hyper = preset["items"][0]
        self.experiment_model.update(
            function_name=preset["function_name"], start=preset["start"], steps=preset["steps"],
            optimizer=first_name, hyper=dict(first_hyper),
        )
        return self.run_compare("optimizers", preset["items"])

    @staticmethod
    def _compare_groups(exp: DescentExperiment, kind: str, items: Sequence[Any]) -> list[tuple[str, dict]]:
        if kind == "optimizers":
            if not items:
                items = tuple(OPTIMIZERS)
            groups = []
            for item in items:
                if isinstance(item, str):
                    name, hyper = item, {"lr": exp.effective_hyper()["lr"]}
                else:
                    name, hyper = item[0], dict(item[1])
                groups.append((name, hyper))
            return groups
        if kind == "learning_rates":
            if items:
                rates = tuple(items)
            else:
                lr, spec = float(exp.effective_hyper()["lr"]), FIELDS["optimizer.lr"]
                rates = tuple(dict.fromkeys(
                    float(f"{min(max(lr * k, spec.minimum), spec.maximum):.3g}") for k in LEARNING_RATE_FACTORS))
            return [(exp.optimizer, {**dict(exp.hyper), "lr": float(lr)}) for lr in rates]
        raise ValueError(f"unknown comparison kind {kind!r} (expected 'optimizers' or 'learning_rates')")

    def stop_compare(self) -> None:
        handle, self._compare = self._compare, None
        self._workers.drop(handle)

    @Slot()
    def clear_compare(self) -> None:
        """Leave compare mode."""
        self.stop_compare()
        self.compare_model.clear()
        self.compareStateChanged.emit(False)

    @Slot(object)
    def _compare_progress(self, snapshots: list) -> None:
        self.compare_model.append(snapshots)

    @Slot(str)
    def _compare_done(self, _reason: str) -> None:
        self.compareStateChanged.emit(False)

    @Slot(str)
    def _compare_failed(self, message: str) -> None:
        self.compareStateChanged.emit(False)
        self.notice.emit(self.tr("The comparison stopped because of an error: %1").replace("%1", message))

    # -- basin map --------------------------------------------------------------------------------------------
    def run_basin_map(self, resolution: int | tuple[int, int] = 120) -> bool:
        """Colour every start of a grid by the minimum it reaches with the current optimizer (on a worker)."""
        exp = self.experiment
        function = exp.resolve_function()
        if function.dim != 2:
            self.notice.emit(self.tr("The basin map needs a function of two variables."))
            return False
        res = (resolution, resolution) if isinstance(resolution, int) else tuple(resolution)
        try:
            iterator = iter_basin_map(function, exp.optimizer, dict(exp.hyper), exp.steps, resolution=res,
                                      gradient_method=exp.gradient_method, h=exp.h)
        except ValueError as exc:
            self.notice.emit(self.tr("Cannot compute the basin map: %1").replace("%1", str(exc)))
            return False
        self._workers.drop(self._basin)
        self.basin_model.begin()
        self._basin = self._workers.start(iterator, on_progress=self._basin_progress, on_done=self._basin_done,
                                          on_failed=self._basin_failed)
        self.basinStateChanged.emit(True)
        return True

    @Slot()
    def cancel_basin_map(self) -> None:
        handle, self._basin = self._basin, None
        self._workers.drop(handle)
        if self.basin_model.active:
            self.basin_model.clear()
        self.basinStateChanged.emit(False)

    @Slot(object)
    def _basin_progress(self, items: list) -> None:
        for item in items:
            if isinstance(item, (int, float)):
                self.basin_model.set_progress(float(item))
            else:
                self.basin_model.set_result(item)

    @Slot(str)
    def _basin_done(self, _reason: str) -> None:
        self.basinStateChanged.emit(False)

    @Slot(str)
    def _basin_failed(self, message: str) -> None:
        self.basin_model.clear()
        self.basinStateChanged.emit(False)
        self.notice.emit(self.tr("The basin map stopped because of an error: %1").replace("%1", message))

    # -- workers ----------------------------------------------------------------------------------------------
    @Slot(str)
    def _failed(self, message: str) -> None:
        self.notice.emit(self.tr("A background computation failed: %1").replace("%1", message))

    def stop_all(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """Stop every worker and wait for the threads (closing the window); True if all have ended."""
        if self.run_model.state == "running":
            self.run_model.set_state("paused")
        return self._workers.stop_all(wait_ms)
