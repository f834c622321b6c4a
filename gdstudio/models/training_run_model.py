"""TrainingRunModel: what one training run has produced so far, as growing columns, plus the latest heavy data.

Columns (per step, per epoch end, per gradient-norm record) are ``GrowingColumns`` like ``RunModel``'s, so
appending a batch of k snapshots costs O(k) and the plots slice views without copying. Heavy data (layer samples,
decision map, landscape, class evaluation, weight vector) is not kept per step: only the latest of each, which is
what the panels show. ``TrainingInfo`` is the run's structure, known before the first snapshot arrives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from gdstudio.models.columns import GrowingColumns
from gdstudio.models.run_model import RUN_STATES, RunStateMixin

__all__ = ["RUN_STATES", "TrainingInfo", "TrainingRunModel"]


def _split_points(ds: Any, split: str) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Raw points (Playground sets before feature toggles; any set with one or two inputs) and their labels
    (regression: the first target)."""
    points = getattr(ds, f"points_{split}", None)
    x = getattr(ds, f"x_{split}")
    if points is None and x.shape[1] in (1, 2):
        points = x
    if points is None:
        return None, None
    t = np.asarray(getattr(ds, f"t_{split}"))
    labels = t if ds.task == "classification" else t.reshape(len(t), -1)[:, 0]
    return np.asarray(points), labels


@dataclass(frozen=True)
class TrainingInfo:
    """What the panels need to know about the run before its first snapshot (see docs/training-lab.md)."""

    description: str
    layer_sizes: tuple[int, ...]
    activations: tuple[str, ...]
    block_labels: tuple[str, ...]
    param_names: tuple[str, ...]
    param_shapes: tuple[tuple[int, ...], ...]
    n_params: int
    task: str
    n_classes: int | None
    class_names: tuple[str, ...] | None
    points_train: np.ndarray | None
    labels_train: np.ndarray | None
    points_test: np.ndarray | None
    labels_test: np.ndarray | None
    image_shape: tuple[int, int] | None
    steps_per_epoch: int
    total_steps: int
    dataset_name: str

    @classmethod
    def describe(cls, network: Any, ds: Any, steps_per_epoch: int, total_steps: int) -> TrainingInfo:
        """What the panels need about a run, from its engine network and data set (raw 1-/2-input sets give
        their x as points)."""
        points_train, labels_train = _split_points(ds, "train")
        points_test, labels_test = _split_points(ds, "test")
        classification = ds.task == "classification"
        return cls(
            description=network.describe(),
            layer_sizes=tuple(network.spec.sizes),
            activations=tuple(b.activation_name for b in network.blocks),
            block_labels=tuple(f"Layer {b.index}" for b in network.blocks),
            param_names=tuple(network.param_names()),
            param_shapes=tuple(tuple(p.shape) for p in network.params()),
            n_params=int(network.n_params),
            task=str(ds.task),
            n_classes=int(ds.n_classes) if classification else None,
            class_names=tuple(ds.class_names) if classification else None,
            points_train=points_train,
            labels_train=labels_train,
            points_test=points_test,
            labels_test=labels_test,
            image_shape=tuple(ds.image_shape) if ds.image_shape is not None else None,
            steps_per_epoch=int(steps_per_epoch),
            total_steps=int(total_steps),
            dataset_name=str(ds.name),
        )

    @property
    def n_blocks(self) -> int:
        return len(self.layer_sizes) - 1


_STEP_FIELDS = attrgetter("step", "samples")
_EPOCH_FIELDS = attrgetter("step", "epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy")
"""Read in one call per snapshot: ``append`` runs on the GUI thread up to 60 times a second during a run."""


def _norm_columns(n_blocks: int) -> GrowingColumns:
    return GrowingColumns(norm_steps=((), np.int64), grad_norms=((n_blocks,), np.float64))


class TrainingRunModel(QObject, RunStateMixin):
    """One training run: step/epoch/norm columns, the latest details, status and state (set by the session)."""

    cleared = Signal()
    began = Signal()
    appended = Signal(int, int)  # first row, number of rows added to the step columns
    epochsAppended = Signal()
    detailChanged = Signal()
    decisionChanged = Signal()
    landscapeChanged = Signal()
    evaluationChanged = Signal()
    weightsChanged = Signal()
    stateChanged = Signal(str)
    finished = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = "idle"
        self._reset_storage(None)

    # -- storage ---------------------------------------------------------------------------------------------
    def _reset_storage(self, info: TrainingInfo | None) -> None:
        self._info = info
        self._step_cols = GrowingColumns(steps=((), np.int64), batch_losses=((), np.float64), samples=((), np.int64))
        self._epoch_cols = GrowingColumns(
            epoch_steps=((), np.int64), epochs=((), np.int64), train_loss=((), np.float64),
            train_accuracy=((), np.float64), test_loss=((), np.float64), test_accuracy=((), np.float64),
        )
        self._norm_cols = _norm_columns(info.n_blocks) if info is not None else None
        self._detail = None
        self._detail_step: int | None = None  # the step the latest details were sampled at
        self._decision = None
        self._landscape = None
        self._evaluation = None
        self._weights: np.ndarray | None = None
        self._status = ""
        self._message = ""
        self._last_epoch = 0

    # -- read access (views of the filled part; do not modify) -------------------------------------------------
    @property
    def info(self) -> TrainingInfo | None:
        return self._info

    @property
    def count(self) -> int:
        return self._step_cols.count

    @property
    def capacity(self) -> int:
        return self._step_cols.capacity

    @property
    def steps(self) -> np.ndarray:
        return self._step_cols.view("steps")

    @property
    def batch_losses(self) -> np.ndarray:
        return self._step_cols.view("batch_losses")

    @property
    def samples(self) -> np.ndarray:
        return self._step_cols.view("samples")

    @property
    def epoch_count(self) -> int:
        return self._epoch_cols.count

    @property
    def epoch_steps(self) -> np.ndarray:
        return self._epoch_cols.view("epoch_steps")

    @property
    def epochs(self) -> np.ndarray:
        return self._epoch_cols.view("epochs")

    @property
    def train_loss(self) -> np.ndarray:
        return self._epoch_cols.view("train_loss")

    @property
    def train_accuracy(self) -> np.ndarray:
        return self._epoch_cols.view("train_accuracy")

    @property
    def test_loss(self) -> np.ndarray:
        return self._epoch_cols.view("test_loss")

    @property
    def test_accuracy(self) -> np.ndarray:
        return self._epoch_cols.view("test_accuracy")

    @property
    def norm_steps(self) -> np.ndarray:
        if self._norm_cols is None:
            return np.zeros(0, np.int64)
        return self._norm_cols.view("norm_steps")

    @property
    def grad_norms(self) -> np.ndarray:
        """(m, n_blocks) ‖∇‖ per layer at the steps ``norm_steps``."""
        if self._norm_cols is None:
            return np.zeros((0, self._info.n_blocks if self._info is not None else 0))
        return self._norm_cols.view("grad_norms")

    @property
    def detail(self):
        """The latest tuple of ``LayerDetail`` (or None)."""
        return self._detail

    @property
    def detail_step(self) -> int | None:
        """The step the latest ``detail`` was sampled at (None before any)."""
        return self._detail_step

    @property
    def decision(self):
        return self._decision

    @property
    def landscape(self):
        return self._landscape

    @property
    def evaluation(self):
        return self._evaluation

    @property
    def weights(self) -> np.ndarray | None:
        """The latest flat weight vector (read-only) or None."""
        return self._weights

    def weight_arrays(self) -> list[np.ndarray] | None:
        """``weights`` split into arrays shaped ``info.param_shapes`` (views; None when there are no weights)."""
        if self._weights is None or self._info is None:
            return None
        out, start = [], 0
        for shape in self._info.param_shapes:
            size = math.prod(shape)
            out.append(self._weights[start : start + size].reshape(shape))
            start += size
        return out

    @property
    def last_step(self) -> int:
        """Step of the newest snapshot (0 before any)."""
        n = self._step_cols.count
        return int(self._step_cols.arrays["steps"][n - 1]) if n else 0

    @property
    def last_epoch(self) -> int:
        """Epochs completed at the newest snapshot."""
        return self._last_epoch

    # -- changes -----------------------------------------------------------------------------------------------
    def begin(self, info: TrainingInfo) -> None:
        """A new run's structure is known: empty columns sized for it."""
        self._reset_storage(info)
        self.began.emit()

    def clear(self) -> None:
        """Forget everything (reset / new settings); ``info`` becomes None until the next ``begin``."""
        self._reset_storage(None)
        self.cleared.emit()

    def append(self, snapshots: Sequence[Any]) -> None:
        """Add a batch of ``TrainingSnapshot`` (in order). O(batch): one pass to gather, numpy slices to store."""
        k = len(snapshots)
        if k == 0:
            return
        counters = np.array([_STEP_FIELDS(s) for s in snapshots], dtype=np.int64).reshape(k, 2)
        first, _ = self._step_cols.extend(
            steps=counters[:, 0],
            batch_losses=np.fromiter((s.batch_loss for s in snapshots), np.float64, k),
            samples=counters[:, 1],
        )
        ends = [s for s in snapshots if s.epoch_end]
        if ends:
            # float columns: a None metric (no test split) becomes nan; steps and epochs stay exact below 2⁵³
            rows = np.array([_EPOCH_FIELDS(s) for s in ends], dtype=np.float64).reshape(len(ends), 6)
            self._epoch_cols.extend(
                epoch_steps=rows[:, 0].astype(np.int64), epochs=rows[:, 1].astype(np.int64),
                train_loss=rows[:, 2], train_accuracy=rows[:, 3], test_loss=rows[:, 4], test_accuracy=rows[:, 5],
            )
        normed = [s for s in snapshots if s.grad_norms is not None]
        if normed:
            self._store_norms(normed)
        last = snapshots[-1]
        self._status, self._message = last.status, last.message
        self._last_epoch = int(last.epoch)
        latest: dict[str, Any] = {}
        detail_step = None
        for s in reversed(snapshots):  # newest first: each kind taken once
            for name in ("detail", "decision", "landscape", "evaluation", "weights"):
                if name not in latest:
                    value = getattr(s, name)
                    if value is not None:
                        latest[name] = value
                        if name == "detail":
                            detail_step = int(s.step)
            if len(latest) == 5:
                break
        self.appended.emit(first, k)
        if ends:
            self.epochsAppended.emit()
        if detail_step is not None:
            self._detail_step = detail_step
        self._set_latest(latest)

    def _store_norms(self, normed: list[Any]) -> None:
        if self._norm_cols is None:  # no info (a bare model): the first norms fix the width
            self._norm_cols = _norm_columns(np.size(normed[0].grad_norms))
        width = self._norm_cols.arrays["grad_norms"].shape[1]
        try:  # the usual case: one norm per block in every snapshot
            rows = np.array([s.grad_norms for s in normed], dtype=np.float64).reshape(len(normed), width)
        except ValueError:
            rows = np.full((len(normed), width), np.nan)
            for i, s in enumerate(normed):
                g = np.asarray(s.grad_norms, dtype=np.float64).reshape(-1)[:width]
                rows[i, : g.size] = g
        self._norm_cols.extend(norm_steps=np.fromiter((s.step for s in normed), np.int64, len(normed)),
                               grad_norms=rows)

    def _set_latest(self, latest: dict[str, Any]) -> None:
        if "weights" in latest:
            w = np.array(latest["weights"], dtype=np.float64)
            w.setflags(write=False)
            self._weights = w
        for name in ("detail", "decision", "landscape", "evaluation"):
            if name in latest:
                setattr(self, f"_{name}", latest[name])
        signals = (("detail", self.detailChanged), ("decision", self.decisionChanged),
                   ("landscape", self.landscapeChanged), ("evaluation", self.evaluationChanged),
                   ("weights", self.weightsChanged))
        for name, signal in signals:
            if name in latest:
                signal.emit()

    def set_weights(self, flat: np.ndarray) -> None:
        """The weights changed outside a step (a weight was edited)."""
        self._set_latest({"weights": flat})

    def set_latest(self, **latest: Any) -> None:
        """Replace some of the latest heavy data (``detail``, ``decision``, ``landscape``, ``evaluation``,
        ``weights``) outside a step — after an edit — and emit their signals. None values are ignored."""
        unknown = set(latest) - {"detail", "decision", "landscape", "evaluation", "weights"}
        if unknown:
            raise TypeError(f"unknown latest field(s): {', '.join(sorted(unknown))}")
        self._set_latest({k: v for k, v in latest.items() if v is not None})

    def finish(self, status: str, message: str = "") -> None:
        """The run ended ("finished" | "diverged" | "stopped"): record it, state "done", tell the views."""
        self._status, self._message = status, message
        self.set_state("done")
        self.finished.emit(status, message)
