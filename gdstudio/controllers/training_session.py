"""TrainingSession: turns what the student asks for in the network lab (play, pause, step a batch or an epoch,
reset, re-draw the weights, edit a weight) into jobs on worker threads.

Everything numerical runs on a worker: loading the data set and building the ``Trainer`` (MNIST takes a second),
the training steps, and the fresh details after a weight edit. Jobs that touch the trainer run one at a time, in
the order asked: an intent that arrives while a job still runs (Play right after Pause, ten quick Steps, an edit
while the current step finishes) waits in a queue and starts when that job's thread has ended, so the GUI thread
never blocks and never shares the network with a worker. A reset detaches the old job (its late batches are
dropped) and starts a new set-up job at once: it builds a new trainer and never touches the old one.

While a run plays, the worker's batches (up to 60 a second) reach the run model at most every
``APPLY_INTERVAL_MS``: each append wakes every panel and the status bar, and that GUI-thread time is taken from
training (docs/training-lab.md, "Speed with the window open"). The last batch of a run, a pause, a step and an
end are applied at once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from gdstudio.controllers.playback import PlaybackSession
from gdstudio.controllers.worker_pool import WorkerPool
from gdstudio.engine.datasets import load_dataset, new_seed
from gdstudio.engine.nn import Network, NotTrainableError, Trainer, TrainingConfig, decision_map
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel
from gdstudio.models.training_settings_model import TrainingSettings, TrainingSettingsModel, network_spec_for
from gdstudio.run_notes import training_note_text
from gdstudio.workers.engine_worker import WorkerHandle

__all__ = ["APPLY_INTERVAL_MS", "MAP_RESOLUTION", "STOP_WAIT_MS", "TrainingSession", "landscape_every",
           "pca_landscape_mode", "trajectory_every"]

STOP_WAIT_MS = 5000
APPLY_INTERVAL_MS = 50
"""While a run plays, its snapshots are added to the run model at most this often (the panels redraw slower)."""
MAP_RESOLUTION = 60
"""Grid of the decision map (60 × 60 network evaluations at each detail point)."""

_LANDSCAPE_SLICES = 25
"""At most this many landscape slices per run (plus the first and the last)."""
_LANDSCAPE_SHARE = 0.1
"""Landscapes may cost about this share of the training time (or half a second in all, whichever is more)."""
_TRAJECTORY_POINTS = 300
"""Weight vectors recorded per run (besides epoch ends): enough for the drawn path, and it keeps the landscape's
PCA cheap for big nets."""


_PCA_MAX_SIDE = 1500
"""The engine's PCA decomposes the smaller of the m × m and P × P Gram matrices (m recorded weight vectors, P
parameters): beyond this side it would stall the run, and random directions are drawn instead."""


def trajectory_every(total_steps: int) -> int:
    """Steps between two recorded weight vectors: every step for short runs, ~300 points for long ones."""
    return max(1, total_steps // _TRAJECTORY_POINTS)


def _recorded(total_steps: int, epochs: int) -> int:
    """Weight vectors a run records: the thinned steps plus every epoch end (and the start)."""
    return total_steps // trajectory_every(total_steps) + epochs + 1


def pca_landscape_mode(n_params: int, total_steps: int, epochs: int) -> str:
    """"auto" (the exact surface for two parameters, else the PCA plane of the path) unless both the recorded
    path and the net are big — a long run of a big net (digits for 5,000 epochs: 5,300 points × 7,510
    parameters) — where the PCA's O(min(m, P)³) would stall the run; then two random directions. A long run of
    a small net (XOR for 20,000 epochs) keeps its PCA plane."""
    small = min(_recorded(total_steps, epochs), n_params) <= _PCA_MAX_SIDE
    return "auto" if n_params <= 2 or small else "random"


def landscape_every(sizes: tuple[int, ...], n_train: int, batch_size: int, epochs: int,
                    resolution: int = 41, samples: int = 500) -> int:
    """Epochs between two loss-landscape slices: small nets every few epochs, big nets rarely.

    A rough cost model: matrix products at ~20 GFLOP/s, element-wise work (activations, losses) at ~5 ns per
    value, ~40 µs of Python per training step. A slice evaluates ``resolution²`` weight vectors on ≤ ``samples``
    rows (the first layer only once per direction, it is linear in them); an epoch does forward + backward on
    every training row. The slices together may take ~10 % of the training time or half a second, whichever is
    more, and there are never more than 25 of them.
    """
    gemm, elementwise = 2e10, 5e-9
    first = sizes[0] * sizes[1] + sizes[1]
    rest = sum(a * b + b for a, b in zip(sizes[1:-1], sizes[2:]))
    units = sum(sizes[1:])
    rows = max(1, min(samples, n_train))
    grid = resolution**2
    steps = -(-n_train // max(1, min(batch_size, n_train)))
    epoch_seconds = steps * 40e-6 + n_train * (6.0 * (first + rest) / gemm + 3 * units * elementwise)
    slice_seconds = 5e-3 + 6.0 * rows * first / gemm + grid * rows * (2.0 * rest / gemm + units * elementwise)
    budget = max(_LANDSCAPE_SHARE * epochs * epoch_seconds, 0.5)
    slices = int(min(max(budget // slice_seconds, 1), _LANDSCAPE_SLICES))
    return max(1, -(-epochs // slices))


def _describe_dataset_shape(ds: Any) -> tuple[int, str, int]:
    targets = ds.n_classes if ds.task == "classification" else ds.n_outputs
    return int(ds.n_features), str(ds.task), int(targets)


@dataclass
class _Prepared:
    """What a set-up job hands to the GUI thread: a ready trainer (or why there is none) and step 0."""

    generation: int
    dataset_key: str
    dataset: Any
    shape: tuple[int, str, int]
    info: TrainingInfo
    network: Network
    trainer: Trainer | None = None
    generator: Iterator[Any] | None = None
    first: Any = None  # TrainingSnapshot of step 0
    blocked: str = ""  # why this network cannot be trained (the step function), else ""
    weights: np.ndarray | None = None
    decision: Any = None


@dataclass
class _Edited:
    """Fresh data after a weight edit (computed on the worker)."""

    name: str
    value: float
    weights: np.ndarray
    detail: Any
    decision: Any
    train_loss: float | None


def _dataset_key(spec: dict[str, Any], base_dir: str | None) -> str:
    return json.dumps([spec, base_dir], sort_keys=True, default=str)


def _setup_job(generation: int, settings: TrainingSettings, base_dir: str | None,
               cached: tuple[str, Any] | None) -> Iterator[_Prepared]:
    """One item: the data set loaded (or taken from the cache), the trainer built, step 0 computed."""
    key = _dataset_key(settings.dataset, base_dir)
    ds = cached[1] if cached is not None and cached[0] == key else load_dataset(settings.dataset, base_dir=base_dir)
    shape = _describe_dataset_shape(ds)
    spec = network_spec_for(settings, shape)
    steps = -(-ds.n_train // min(settings.batch_size, ds.n_train))
    n_params = sum(a * b + b for a, b in zip(spec.sizes[:-1], spec.sizes[1:]))
    config = TrainingConfig(
        spec, ds, optimizer=settings.optimizer, hyper=dict(settings.hyper), epochs=settings.epochs,
        batch_size=settings.batch_size, seed=settings.seed, shuffle=settings.shuffle, map_resolution=MAP_RESOLUTION,
        landscape_every=landscape_every(spec.sizes, ds.n_train, settings.batch_size, settings.epochs),
        trajectory_every=trajectory_every(steps * settings.epochs),
        landscape_mode=pca_landscape_mode(n_params, steps * settings.epochs, settings.epochs),
    )
    if not spec.trainable:
        network = Network(spec)
        yield _Prepared(
            generation, key, ds, shape, TrainingInfo.describe(network, ds, steps, steps * settings.epochs), network,
            blocked=_not_trainable_message(network), weights=network.flat_params(),
            decision=decision_map(network, ds, MAP_RESOLUTION),
        )
        return
    trainer = Trainer(config)
    generator = trainer.iterate()
    first = next(generator)
    info = TrainingInfo.describe(trainer.network, ds, trainer.steps_per_epoch, trainer.total_steps)
    yield _Prepared(generation, key, ds, shape, info, trainer.network, trainer, generator, first)


def _not_trainable_message(network: Network) -> str:
    try:
        network.check_trainable()
    except NotTrainableError as exc:
        return str(exc)
    return ""


def _edit_job(network: Network, trainer: Trainer | None, dataset: Any, index: int,
              value: float) -> Iterator[_Edited]:
    """One item: the weight written into the network, then its weights, layer samples and decision map."""
    flat = network.flat_params()
    flat[index] = value
    network.set_flat_params(flat)
    detail = train_loss = None
    if trainer is not None:
        detail = trainer.details()
        train_loss = trainer.evaluate()[0]
    decision = decision_map(network, dataset, MAP_RESOLUTION)
    weights = network.flat_params()
    weights.setflags(write=False)
    yield _Edited(network.describe_flat_index(index), float(weights[index]), weights, detail, decision, train_loss)


class TrainingSession(PlaybackSession):
    """Owns the settings, the run model, the trainer and the workers; every method is a user intent (``pause``
    and ``toggle_play`` come from PlaybackSession)."""

    notice = Signal(str)
    """A sentence for the status bar: a failure, a refused action, why a run diverged."""
    busyChanged = Signal(bool)

    def __init__(self, settings: TrainingSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = TrainingSettingsModel(settings, self)
        self.run_model = TrainingRunModel(self)
        self.base_dir: str | None = None
        """Folder that relative data paths (an experiment file's) are read from."""
        self._trainer: Trainer | None = None
        self._network: Network | None = None
        self._dataset: Any = None
        self._dataset_cache: tuple[str, Any] | None = None
        self._generator: Iterator[Any] | None = None
        self._blocked = ""
        self._generation = 0
        self._preparing = False
        self._run: WorkerHandle | None = None  # the one job that may touch the trainer
        self._queue: list[Callable[[], None]] = []  # intents waiting for that job to end
        self._backlog: list[Any] = []  # snapshots of the playing run not yet in the model (see APPLY_INTERVAL_MS)
        self._backlog_timer = QTimer(self)
        self._backlog_timer.setSingleShot(True)
        self._backlog_timer.setInterval(APPLY_INTERVAL_MS)
        self._backlog_timer.timeout.connect(self._apply_backlog)
        self._workers = WorkerPool(self)
        self._workers.jobFinished.connect(self._job_finished)
        self._busy = False
        self.settings.changed.connect(self.reset)

    # -- properties -------------------------------------------------------------------------------------------
    @property
    def trainer(self) -> Trainer | None:
        """The current run's trainer (owned by the worker jobs: read it only while ``busy`` is False)."""
        return self._trainer

    @property
    def busy(self) -> bool:
        """True while any worker thread is alive."""
        return self._workers.busy

    @property
    def preparing(self) -> bool:
        """True while the data set is loaded and the trainer built."""
        return self._preparing

    def live_handles(self) -> list[WorkerHandle]:
        return self._workers.live_handles()

    def initialize(self) -> None:
        """Build the first run (call once the views are connected)."""
        self.reset()

    # -- intents ------------------------------------------------------------------------------------------------
    @Slot()
    def play(self) -> None:
        """Train until the run ends or is paused; after the end (or with nothing set up), start over."""
        model = self.run_model
        if model.state == "running":
            return
        if self._blocked:
            self.notice.emit(self._blocked)
            return
        if model.state == "done" or (self._generator is None and not self._preparing):
            self.reset()
            if not self._preparing:
                return
        model.set_state("running")
        self._submit(self._start_play)

    def _pausing(self) -> None:
        """A pause also drops a queued Play and shows the snapshots the run model has not taken in yet."""
        self._queue = [q for q in self._queue if q != self._start_play]
        self._apply_backlog()

    @Slot()
    def step_batch(self) -> None:
        """One update (one mini-batch); while running, pauses instead."""
        self._step(lambda: 1)

    @Slot()
    def step_epoch(self) -> None:
        """Train to the end of the current epoch (``steps_per_epoch`` updates from an epoch boundary)."""
        def budget() -> int:
            info = self.run_model.info
            per = info.steps_per_epoch if info is not None else 1
            return per - self.run_model.last_step % per
        self._step(budget)

    def _step(self, budget: Callable[[], int]) -> None:
        model = self.run_model
        if model.state == "running":
            self.pause()
            return
        if self._blocked:
            self.notice.emit(self._blocked)
            return
        if model.state == "done":
            self.notice.emit(self.tr("The run has ended: press Reset (or Play) to start again."))
            return
        if self._generator is None and not self._preparing:
            self.reset()
        self._submit(lambda: self._start_steps(budget()))

    @Slot()
    def reset(self) -> None:
        """Drop the run and start a new one from the same initial weights (set up on a worker)."""
        self._queue.clear()
        self._drop_run()
        self._trainer = self._network = None
        self._blocked = ""
        self._generation += 1
        model = self.run_model
        model.clear()
        model.set_state("idle")
        problem = self.settings.problem()
        if problem:
            self._preparing = False
            self.notice.emit(problem)
            return
        self._preparing = True
        job = _setup_job(self._generation, self.settings.settings, self.base_dir, self._dataset_cache)
        self._run = self._start(job, None, self._setup_progress, None, self._setup_failed)

    @Slot()
    def redraw_weights(self) -> None:
        """New initial weights (a new init seed; the settings change restarts the run)."""
        self.settings.redraw_seed(new_seed())

    @Slot(int, float)
    def set_weight(self, flat_index: int, value: float) -> None:
        """Edit one weight between two steps (the run pauses); fresh details follow from a worker."""
        info = self.run_model.info
        if self.run_model.state == "running":
            self.pause()
        if info is None or (self._network is None and not self._preparing):
            self.notice.emit(self.tr("There is no network to edit yet."))
            return
        if not 0 <= int(flat_index) < info.n_params:
            self.notice.emit(self.tr("There is no weight number %1.").replace("%1", str(flat_index)))
            return
        if not math.isfinite(value):
            self.notice.emit(self.tr("A weight must be a finite number."))
            return
        self._submit(lambda: self._start_edit(int(flat_index), float(value)))

    def stop_all(self, wait_ms: int = STOP_WAIT_MS) -> bool:
        """Stop every worker and wait for the threads (closing the window); True if all have ended."""
        self._queue.clear()
        self._apply_backlog()
        if self.run_model.state == "running":
            self.run_model.set_state("paused")
        return self._workers.stop_all(wait_ms)

    # -- job starters (run when the previous trainer job has ended) ----------------------------------------------
    def _submit(self, starter: Callable[[], None]) -> None:
        """Run ``starter`` now if no job uses the trainer, else when the current one has ended (in order)."""
        if self._preparing or (self._run is not None and self._run.running):
            self._queue.append(starter)
        else:
            starter()

    def _start_play(self) -> None:
        if self.run_model.state != "running" or self._generator is None:
            if self._generator is None and self.run_model.state == "running":
                self.run_model.set_state("idle")
            return
        self._run = self._start(self._generator, None, self._run_progress, self._run_done, self._run_failed)

    def _start_steps(self, n: int) -> None:
        model = self.run_model
        if self._generator is None or model.state in ("running", "done") or n <= 0:
            return
        model.set_state("paused")
        self._run = self._start(self._generator, n, self._run_progress, self._run_done, self._run_failed)

    def _start_edit(self, index: int, value: float) -> None:
        network = self._network
        if network is None or index >= network.n_params:
            return
        job = _edit_job(network, self._trainer, self._dataset, index, value)
        self._run = self._start(job, None, self._edit_progress, None, self._edit_failed)

    # -- results (GUI thread) --------------------------------------------------------------------------------------
    @Slot(object)
    def _setup_progress(self, items: list) -> None:
        for prepared in items:
            if prepared.generation != self._generation:
                continue
            self._preparing = False
            self._dataset_cache = (prepared.dataset_key, prepared.dataset)
            self._dataset = prepared.dataset
            self.settings.note_dataset(self.settings.settings.dataset, *prepared.shape)
            self._network = prepared.network
            self._trainer = prepared.trainer
            self._generator = prepared.generator
            model = self.run_model
            model.begin(prepared.info)
            if prepared.blocked:
                self._blocked = prepared.blocked
                model.set_latest(weights=prepared.weights, decision=prepared.decision)
                self._queue.clear()
                model.set_state("idle")
                self.notice.emit(prepared.blocked)
                continue
            model.append([prepared.first])
            if prepared.first.status != "running":
                self._end(prepared.first.status, prepared.first.message, prepared.first.note)

    @Slot(str)
    def _setup_failed(self, message: str) -> None:
        self._preparing = False
        self._queue.clear()
        self.run_model.set_state("idle")
        text = self.tr("Cannot start the run: %1").replace("%1", message)
        self.settings.report_problem(message)
        self.notice.emit(text)

    @Slot(object)
    def _run_progress(self, snapshots: list) -> None:
        if not len(snapshots):
            return
        self._backlog.extend(snapshots)
        if self.run_model.state == "running" and snapshots[-1].status == "running":
            if not self._backlog_timer.isActive():
                self._backlog_timer.start()
            return
        self._apply_backlog()

    @Slot()
    def _apply_backlog(self) -> None:
        """Add the snapshots received so far to the run model; end the run if the last one ended it."""
        self._backlog_timer.stop()
        if not self._backlog:
            return
        snapshots, self._backlog = self._backlog, []
        model = self.run_model
        model.append(snapshots)
        if model.status not in ("running", "") and model.state != "done":
            self._end(model.status, model.message, snapshots[-1].note)

    @Slot(str)
    def _run_done(self, reason: str) -> None:
        self._apply_backlog()
        model = self.run_model
        if reason == "exhausted" and model.state != "done":
            self._end(model.status if model.status not in ("", "running") else "finished", model.message)
        elif reason == "budget" and model.state == "running":
            model.set_state("paused")

    @Slot(str)
    def _run_failed(self, message: str) -> None:
        self._apply_backlog()
        self._generator = None
        text = self.tr("The run stopped because of an error: %1").replace("%1", message)
        self.run_model.finish("stopped", text)
        self.notice.emit(text)

    def _end(self, status: str, message: str, note=None) -> None:
        """``note``: the engine's TrainingNote of a divergence, worded here in the user's language."""
        self._generator = None
        self._queue = [q for q in self._queue if q != self._start_play]
        self.run_model.finish(status, message)
        if status == "diverged":
            self.notice.emit(training_note_text(note) if note is not None else message)

    @Slot(object)
    def _edit_progress(self, items: list) -> None:
        for edited in items:
            self.run_model.set_latest(weights=edited.weights, detail=edited.detail, decision=edited.decision)
            text = self.tr("%1 set to %2.").replace("%1", edited.name).replace("%2", f"{edited.value:.6g}")
            if edited.train_loss is not None:
                text += " " + self.tr("Training loss now %1.").replace("%1", f"{edited.train_loss:.6g}")
            self.notice.emit(text)

    @Slot(str)
    def _edit_failed(self, message: str) -> None:
        self.notice.emit(self.tr("Could not change the weight: %1").replace("%1", message))

    # -- workers ----------------------------------------------------------------------------------------------
    def _start(self, iterator, max_items, on_progress, on_done, on_failed) -> WorkerHandle:
        handle = self._workers.start(iterator, max_items, on_progress=on_progress, on_done=on_done,
                                     on_failed=on_failed)
        self._update_busy()
        return handle

    def _drop_run(self) -> None:
        """Detach the current job (its late batches are dropped) and ask it to stop, without waiting."""
        handle, self._run = self._run, None
        self._workers.drop(handle)
        self._backlog = []  # the dropped run's
        self._backlog_timer.stop()
        generator, self._generator = self._generator, None
        close = getattr(generator, "close", None)
        if close is not None:
            try:
                close()
            except ValueError:  # still executing on a worker that has not stopped yet: it ends by itself
                pass

    @Slot()
    def _job_finished(self) -> None:
        """A job's thread ended (the pool has pruned): start the next queued intent if that was the trainer's."""
        if self._queue and not self._preparing and (self._run is None or not self._run.running):
            self._queue.pop(0)()
        self._update_busy()

    def _update_busy(self) -> None:
        busy = self.busy
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)
