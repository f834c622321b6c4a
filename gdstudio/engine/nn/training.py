"""Training as a generator of snapshots, like :func:`gdstudio.engine.descent.iter_descent`: the GUI worker paces,
pauses and resumes it; the CLI runs it flat out; stopping early is just not asking for more.

One snapshot per update (mini-batch step). Each epoch is a seeded shuffle of the training set cut into
mini-batches (the last one may be smaller). Per-step data is tiny (step, loss of the batch, per-layer gradient
norms); heavier data rides along only every so often:

* at epoch ends (and step 0): loss and accuracy on the training set (a fixed subset of at most
  ``eval_train_max`` samples) and on the test set, in evaluation mode;
* at epoch ends at least ``detail_min_gap`` steps apart (or every ``detail_every`` steps instead), at step 0 and
  at the end: per-layer samples of weights, gradients,
  pre-activations and activations (at most ``sample_size`` values each, always at the same positions, on a fixed
  probe batch) for histograms, dead-ReLU shares, for 2-D point sets the decision map, and for classification
  the confusion matrix of the test split with a fixed sample of predictions (:class:`ClassEvaluation`);
* every ``trajectory_every`` steps: the flattened weight vector, for the trajectory on the landscape;
* every ``landscape_every`` epochs: a loss-landscape slice through the current weights.

Statuses: ``running`` on all but the last snapshot; the last is ``finished``, or ``diverged`` (the loss stopped
being a finite number below 10¹²: the message suggests a smaller learning rate). A caller that stops early reports
``stopped`` itself (:meth:`Trainer.final_snapshot` makes that last snapshot with fresh metrics).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import numpy as np

from ..descent import DIVERGENCE_BOUND
from ..optimizers import OPTIMIZERS, Optimizer, make_optimizer
from .blas import BlasTuner, set_blas_threads
from .initializers import resolve_seed
from .landscape import LANDSCAPE_MODES, LandscapeSlice, loss_landscape
from .network import EVAL_CHUNK, Network, NetworkSpec

__all__ = [
    "EVALUATION_SAMPLE_SIZE",
    "STATUSES",
    "TRAINING_NOTE_CODES",
    "ClassEvaluation",
    "DecisionMap",
    "LayerDetail",
    "Trainer",
    "TrainingConfig",
    "TrainingNote",
    "TrainingSnapshot",
    "decision_map",
    "iter_training",
    "run_training",
]

STATUSES = ("running", "finished", "diverged", "stopped")
_RELU_LIKE = ("relu", "leaky_relu")
_MAX_TRAJECTORY_BYTES = 64 * 2**20  # stored weight vectors beyond this are thinned (every other one dropped)
_TRAJECTORY_AUTO_PARAMS = 10_000  # up to this many parameters the weights are recorded at every step
EVALUATION_SAMPLE_SIZE = 32  # inputs shown with their predictions (the digits view's grid)


def _whole(value: Any, name: str, minimum: int, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}{' (or null)' if allow_none else ''}")


@dataclass(frozen=True)
class TrainingConfig:
    """Everything that determines a training run (immutable; ``hyper`` is a read-only mapping).

    ``dataset`` is a :class:`gdstudio.engine.datasets.Dataset` (or any object with ``x_train, t_train, x_test,
    t_test`` and ``task``). ``seed`` drives the shuffling, the dropout masks and the fixed samples (None: fresh,
    reported as ``Trainer.seed``); the initial weights have their own seed in ``network.init``.

    ``blas_threads`` (default 1) is applied process-wide when the trainer is made: small matrix products gain
    little from a second BLAS thread and lose 2–10× when the other core is busy (the GUI thread). ``"auto"`` times
    the steps and keeps the faster count (:class:`~.blas.BlasTuner`; for headless runs). None leaves it alone.
    """

    network: NetworkSpec
    dataset: Any
    optimizer: str = "sgd"
    hyper: Mapping[str, Any] = field(default_factory=dict)
    epochs: int = 10
    batch_size: int = 100
    seed: int | None = 0
    shuffle: bool = True
    norms_every: int = 1
    detail_every: int | None = None
    detail_min_gap: int = 20
    trajectory_every: int | None = None
    sample_size: int = 2000
    probe_size: int = 500
    eval_train_max: int | None = 5_000
    map_resolution: int | None = 60
    landscape_every: int | None = None
    landscape_mode: str = "auto"
    landscape_weights: tuple | None = None
    landscape_resolution: int = 41
    landscape_samples: int = 500
    blas_threads: int | str | None = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "hyper", MappingProxyType(dict(self.hyper)))

    def check(self) -> None:
        """ValueError with a readable message if this run cannot start (hyper-parameters included)."""
        if not isinstance(self.network, NetworkSpec):
            raise ValueError("network must be a NetworkSpec")
        for name in ("x_train", "t_train", "x_test", "t_test"):
            if not hasattr(self.dataset, name):
                raise ValueError(f"dataset lacks {name}")
        if len(self.dataset.x_train) == 0:
            raise ValueError("the data set has no training samples")
        _whole(self.epochs, "epochs", 0)
        _whole(self.batch_size, "batch_size", 1)
        _whole(self.norms_every, "norms_every", 1)
        _whole(self.detail_every, "detail_every", 1, allow_none=True)
        _whole(self.detail_min_gap, "detail_min_gap", 0)
        if self.blas_threads != "auto":
            _whole(self.blas_threads, "blas_threads", 1, allow_none=True)
        _whole(self.trajectory_every, "trajectory_every", 1, allow_none=True)
        _whole(self.sample_size, "sample_size", 1)
        _whole(self.probe_size, "probe_size", 1)
        _whole(self.eval_train_max, "eval_train_max", 1, allow_none=True)
        _whole(self.map_resolution, "map_resolution", 2, allow_none=True)
        _whole(self.landscape_every, "landscape_every", 1, allow_none=True)
        _whole(self.landscape_resolution, "landscape_resolution", 2)
        _whole(self.landscape_samples, "landscape_samples", 1)
        if self.landscape_mode not in LANDSCAPE_MODES:
            raise ValueError(f"unknown landscape mode {self.landscape_mode!r} (valid: {', '.join(LANDSCAPE_MODES)})")
        if self.seed is not None:
            _whole(self.seed, "seed", 0)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r} (valid: {', '.join(OPTIMIZERS)})")
        OPTIMIZERS[self.optimizer].validate_hyper(self.hyper)


@dataclass(frozen=True, slots=True)
class LayerDetail:
    """One layer (block ``index``, from 1) at a detail point: samples for histograms and a few shares.

    Samples are taken at fixed positions (the same weights, the same probe samples × units every time).
    """

    index: int
    activation: str  # the block's activation id (the output block: its output, e.g. "softmax")
    weights: np.ndarray  # sample of W
    grads: np.ndarray | None  # sample of ∂L/∂W at the same positions (None before the first step)
    pre_activations: np.ndarray  # sample of a (after batch norm) on the probe batch
    activations: np.ndarray  # sample of h = activation(a) on the probe batch
    weight_norm: float
    grad_norm: float  # ‖∂L/∂W‖ (nan before the first step)
    dead_share: float | None  # ReLU-like: share of units with a ≤ 0 for every probe sample ("dead")
    zero_share: float | None  # ReLU: share of activations that are exactly 0


@dataclass(frozen=True, slots=True)
class DecisionMap:
    """The network over the plane of a 2-D point set: outputs and every hidden neuron on a grid.

    ``outputs[j, i]`` is y at (``xs[i]``, ``ys[j]``); ``labels``/``confidence`` are the predicted class and its
    probability (one output: y ≥ 0.5 and max(y, 1 − y)). ``hidden[k]`` is (ny, nx, units) of hidden block k + 1.
    A one-input data set gets a single row (``ys == [0]``): the fitted curve x ↦ y and each neuron's curve.
    """

    xs: np.ndarray
    ys: np.ndarray
    outputs: np.ndarray  # (ny, nx, n_out)
    labels: np.ndarray  # (ny, nx) int
    confidence: np.ndarray  # (ny, nx)
    hidden: tuple[np.ndarray, ...]


@dataclass(frozen=True, slots=True)
class ClassEvaluation:
    """How a classifier does on a whole split: the confusion matrix and a fixed sample of its predictions.

    The sample is the same inputs all run (seeded, classes taken in turn), so a view can watch each one change.
    The sample arrays are shared between snapshots and read-only.
    """

    split: str  # "test" (or "train" when the data set has no held-out part)
    confusion: np.ndarray  # (K, K) int64: rows = true class, columns = predicted class
    sample_inputs: np.ndarray  # (m, n_inputs), m <= EVALUATION_SAMPLE_SIZE
    sample_labels: np.ndarray  # (m,) int64 true class
    sample_predicted: np.ndarray  # (m,) int64
    sample_confidence: np.ndarray  # (m,) probability of the predicted class (one output: max(y, 1 − y))


TRAINING_NOTE_CODES = (
    "initial",  # the loss at the initial weights, before any step
    "after_step",  # the training loss evaluated after a step (at an epoch end)
    "at_step",  # the mini-batch loss of a step
)


@dataclass(frozen=True, slots=True)
class TrainingNote:
    """Why a training run diverged, as a code and its numbers, so a window can word it in the user's language.

    :meth:`english` is the engine's wording (the snapshot's ``message``, the CLI's text);
    ``gdstudio.run_notes.training_note_text`` words the same note with tr(). ``step`` and ``epoch`` are the
    numbers the sentence says (``epoch`` 1-based: the epoch the step belongs to; 0 for "initial"); ``lr`` is nan
    when unknown.
    """

    code: str
    step: int
    epoch: int
    loss: float
    lr: float = math.nan

    @property
    def loss_kind(self) -> str:
        """"nan", "inf" or "large" (finite but beyond 10¹²)."""
        return "nan" if math.isnan(self.loss) else ("inf" if math.isinf(self.loss) else "large")

    @property
    def lr_known(self) -> bool:
        return math.isfinite(self.lr) and self.lr > 0

    def english(self) -> str:
        kind = self.loss_kind
        if self.code == "initial":
            what = {"nan": "is NaN", "inf": "is infinite", "large": "exceeds 10¹²"}[kind]
            return (
                f"The loss {what} at the initial weights, before any step: the initial weights or the inputs are "
                f"too large — try a smaller initialization scale or scale the inputs down."
            )
        what = {"nan": "became NaN", "inf": "became infinite", "large": "exceeded 10¹²"}[kind]
        where = f"after step {self.step}" if self.code == "after_step" else f"at step {self.step} (epoch {self.epoch})"
        if self.lr_known:
            return (
                f"The loss {what} {where}: the learning rate {self.lr:g} is too large for this network — "
                f"try a smaller one (for example {self.lr / 10:.3g})."
            )
        return f"The loss {what} {where}: the steps are too large — try a smaller learning rate."


@dataclass(frozen=True, slots=True)
class TrainingSnapshot:
    """The state after ``step`` updates (0 = the initial weights)."""

    step: int
    epoch: int  # epochs completed
    samples: int  # training samples consumed so far
    batch_loss: float  # loss (incl. penalties) of the mini-batch of this step, before its update (step 0: train)
    status: str
    message: str = ""
    epoch_end: bool = False  # True at step 0 and when this step completed an epoch: the metrics below are set
    train_loss: float | None = None
    train_accuracy: float | None = None  # None for regression
    test_loss: float | None = None
    test_accuracy: float | None = None
    grad_norms: np.ndarray | None = None  # (n_blocks,) ‖gradient‖ of each layer's parameters (None: not this step)
    weights: np.ndarray | None = None  # flattened parameters (copy) when recorded this step
    detail: tuple[LayerDetail, ...] | None = None
    decision: DecisionMap | None = None
    landscape: LandscapeSlice | None = None
    evaluation: ClassEvaluation | None = None  # classification: with every detail
    note: TrainingNote | None = None  # why the run diverged, as data (``message`` is its English wording)


def _class_labels(t: Any) -> np.ndarray:
    """True class indices from a data set's targets: labels, one-hot / score rows, or a 0/1 column."""
    t = np.asarray(t)
    if t.ndim == 2 and t.shape[1] > 1:
        return np.argmax(t, axis=1).astype(np.int64)
    t = t.reshape(-1)
    return (np.rint(t) if np.issubdtype(t.dtype, np.floating) else t).astype(np.int64)


def _round_robin(labels: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """``m`` positions drawn at random with the classes taken in turn (0, 1, …, K − 1, 0, 1, …)."""
    order = rng.permutation(labels.shape[0])
    lab = labels[order]
    by_class = np.argsort(lab, kind="stable")
    sorted_lab = lab[by_class]
    first = np.searchsorted(sorted_lab, sorted_lab)  # index of each class's first row among the sorted
    rank = np.empty_like(by_class)
    rank[by_class] = np.arange(by_class.shape[0]) - first  # how many of its class were drawn before it
    key = rank * (int(labels.max(initial=0)) + 1) + (lab - int(labels.min(initial=0)))
    return order[np.argsort(key, kind="stable")[:m]]


def decision_map(network: Network, dataset: Any, resolution: int = 60, margin: float = 0.1) -> DecisionMap | None:
    """Outputs and hidden activations over the bounding box of a 2-D point set, or along the line of a one-input
    set (one row, ``ys == [0]``, 4 × ``resolution`` points: the fitted curve); None for other data sets."""
    pts = [p for p in (getattr(dataset, "points_train", None), getattr(dataset, "points_test", None)) if p is not None]
    raw = not pts and dataset.x_train.shape[1] in (1, 2)
    if raw:
        pts = [dataset.x_train, dataset.x_test]
    pts = [np.asarray(p, np.float64) for p in pts if p is not None and len(p)]
    if not pts:
        return None
    allp = np.concatenate(pts, axis=0)
    lo, hi = allp.min(axis=0), allp.max(axis=0)
    pad = np.maximum((hi - lo) * margin, 1e-3)
    xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution if allp.shape[1] == 2 else 4 * resolution)
    if allp.shape[1] == 2:
        ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
        X, Y = np.meshgrid(xs, ys)
        grid = np.stack([X.reshape(-1), Y.reshape(-1)], axis=1)
    else:  # one input: a curve
        ys = np.zeros(1)
        X = xs.reshape(1, -1)
        grid = xs.reshape(-1, 1)
    inputs = grid if raw else dataset.transform(grid)
    x = network.as_input(inputs)
    n = x.shape[0]
    hidden = [np.empty((n, b.affine.n_out), network.dtype) for b in network.blocks if not b.is_output]
    z = np.empty((n, network.n_outputs), network.dtype)
    with np.errstate(all="ignore"):
        for s in range(0, n, EVAL_CHUNK):
            z[s : s + EVAL_CHUNK] = network.forward(x[s : s + EVAL_CHUNK], False)
            for h, b in zip(hidden, network.blocks):
                h[s : s + EVAL_CHUNK] = b.activation_out
        y = network.head.predict(z)
    if y.shape[1] == 1:
        thr = network.head.threshold
        labels = (y[:, 0] >= thr).astype(np.int64)
        confidence = np.where(labels == 1, y[:, 0], 1 - y[:, 0]) if thr == 0.5 else np.abs(y[:, 0])
    else:
        labels = np.argmax(y, axis=1)
        confidence = np.max(y, axis=1)
    shape = X.shape
    return DecisionMap(
        xs, ys, y.reshape(shape + (-1,)), labels.reshape(shape), confidence.reshape(shape),
        tuple(h.reshape(shape + (-1,)) for h in hidden),
    )


class Trainer:
    """A training run you can step: holds the network, the optimizer, the data in the network's dtype and the
    position in the epoch. :meth:`iterate` is the generator (one per trainer); the network's arrays may be edited
    between steps (the GUI's "click a weight to edit it").
    """

    def __init__(self, config: TrainingConfig, *, network: Network | None = None) -> None:
        config.check()
        self._tuner: BlasTuner | None = None
        if config.blas_threads == "auto":
            self._tuner = BlasTuner()
        elif config.blas_threads is not None:
            set_blas_threads(config.blas_threads)
        ds = config.dataset
        spec = config.network
        if spec.dtype == "auto":
            dt = np.asarray(ds.x_train).dtype
            spec = spec.replace(dtype=dt.name if dt in (np.float32, np.float64) else "float64")
        self.config = config
        self.spec = spec
        self.seed = resolve_seed(config.seed)
        shuffle_ss, dropout_ss, sample_ss = np.random.SeedSequence(self.seed).spawn(3)
        self.network = network if network is not None else Network(
            spec, dropout_seed=int(dropout_ss.generate_state(1)[0])
        )
        net = self.network
        net.check_trainable()
        self.task = getattr(ds, "task", "classification")
        self.x_train = np.ascontiguousarray(net.as_input(ds.x_train))
        self.t_train = np.ascontiguousarray(net.prepare_targets(ds.t_train))
        if net.head.threshold == 0.0 and self.t_train.size and float(self.t_train.min()) >= 0.0:
            # a tanh output taught 0/1 labels: the class boundary lies midway between the targets, at 0.5 (not 0)
            net.head.threshold = 0.5
        self.has_test = ds.x_test is not None and len(ds.x_test) > 0
        if self.has_test:
            self.x_test = np.ascontiguousarray(net.as_input(ds.x_test))
            self.t_test = np.ascontiguousarray(net.prepare_targets(ds.t_test))
        n = self.x_train.shape[0]
        self.n_train = n
        self.batch_size = min(config.batch_size, n)
        self.steps_per_epoch = -(-n // self.batch_size)
        self.total_steps = self.steps_per_epoch * config.epochs
        self._shuffle_rng = np.random.default_rng(shuffle_ss)
        sample_rng = np.random.default_rng(sample_ss)
        order = sample_rng.permutation(n)
        emax = config.eval_train_max
        if emax is not None and n > emax:  # a fixed subset, copied once (indexing it every epoch costs more)
            keep = np.sort(order[:emax])
            self._x_eval, self._t_eval = self.x_train[keep], self.t_train[keep]
        else:
            self._x_eval, self._t_eval = self.x_train, self.t_train
        self._probe = np.ascontiguousarray(self.x_train[np.sort(order[: config.probe_size])])
        self._landscape_idx = np.sort(order[: config.landscape_samples])
        self._w_idx = []
        self._a_idx = []
        for b in net.blocks:
            size = b.affine.W.size
            self._w_idx.append(np.sort(sample_rng.choice(size, min(size, config.sample_size), replace=False)))
            units = self._probe.shape[0] * b.affine.n_out
            self._a_idx.append(np.sort(sample_rng.choice(units, min(units, config.sample_size), replace=False)))
        self._setup_evaluation(ds, sample_rng)
        self.optimizer: Optimizer = make_optimizer(config.optimizer, net.params(), **config.hyper)
        if config.trajectory_every is not None:
            self.trajectory_every = config.trajectory_every
        elif net.n_params <= _TRAJECTORY_AUTO_PARAMS:
            self.trajectory_every = 1
        else:
            self.trajectory_every = max(1, self.steps_per_epoch // 10)
        self._traj_steps: list[int] = []
        self._traj: list[np.ndarray] = []
        self._traj_stride = 1  # grows by doubling when the stored vectors would exceed the memory budget
        self.step = 0
        self.epoch = 0
        self.samples = 0
        self._has_grads = False
        self._block_grads = [b.grads for b in net.blocks]
        self._started = False

    def _setup_evaluation(self, ds: Any, rng: np.random.Generator) -> None:
        """Classification: the split the confusion matrix covers, its true labels and the fixed sample."""
        self._cls_split: str | None = None
        if self.task != "classification":
            return
        if self.has_test:
            x, t, raw = self.x_test, self.t_test, ds.t_test
            split = "train" if getattr(ds, "test_is_train", False) else "test"
        else:
            x, t, raw = self.x_train, self.t_train, ds.t_train
            split = "train"
        labels = _class_labels(raw)
        if labels.shape[0] != x.shape[0] or labels.min(initial=0) < 0:
            return  # not class indices after all: no confusion matrix
        n_out = self.network.n_outputs
        self._cls_split = split
        self._cls_x, self._cls_t, self._cls_labels = x, t, labels
        self._cls_k = max(int(getattr(ds, "n_classes", 0) or 0), int(labels.max(initial=-1)) + 1,
                          n_out if n_out > 1 else 2)
        pos = _round_robin(labels, min(EVALUATION_SAMPLE_SIZE, labels.shape[0]), rng)
        self._cls_pos = pos
        self._cls_inputs = x[pos].copy()
        self._cls_sample_labels = labels[pos].copy()
        for a in (self._cls_inputs, self._cls_sample_labels):
            a.setflags(write=False)

    # -- bookkeeping ---------------------------------------------------------------------------------------------
    @property
    def lr(self) -> float:
        lr = self.optimizer.hyper.get("lr", math.nan)
        try:
            return float(np.asarray(lr, dtype=np.float64).ravel()[0])
        except (TypeError, ValueError, IndexError):
            return math.nan

    def trajectory(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps (m,), weights (m, n_params)) recorded so far (thinned to stay within 64 MB)."""
        if not self._traj:
            return np.empty(0, np.int64), np.empty((0, self.network.n_params), self.network.dtype)
        return np.array(self._traj_steps), np.stack(self._traj)

    def _record(self, flat: np.ndarray) -> None:
        self._traj_steps.append(self.step)
        self._traj.append(flat)
        budget = _MAX_TRAJECTORY_BYTES // max(1, flat.nbytes)
        if len(self._traj) > max(16, budget):
            keep = list(range(0, len(self._traj) - 1, 2)) + [len(self._traj) - 1]
            self._traj = [self._traj[i] for i in keep]
            self._traj_steps = [self._traj_steps[i] for i in keep]
            self._traj_stride *= 2

    def evaluate(self) -> tuple[float, float | None, float | None, float | None]:
        """(train loss, train accuracy, test loss, test accuracy) in evaluation mode (accuracy None: regression)."""
        net = self.network
        with np.errstate(all="ignore"):
            tl, ta = net.evaluate(self._x_eval, self._t_eval, prepared=True)
            vl = va = None
            if self.has_test:
                vl, va = net.evaluate(self.x_test, self.t_test, prepared=True)
        if self.task == "regression":
            ta = va = None
        return tl, ta, vl, va

    def _classify(self) -> tuple[float, float, ClassEvaluation]:
        """One evaluation-mode pass over the evaluation split: its loss and accuracy exactly as
        ``Network.evaluate`` computes them, and every sample's predicted class for the confusion matrix — one
        forward pass instead of two (on MNIST's 10,000 test images the pass costs about as much as an epoch of
        small steps).
        """
        net = self.network
        head = net.head
        x, t = self._cls_x, self._cls_t
        n = x.shape[0]
        predicted = np.empty(n, np.int64)
        confidence = np.empty(n, np.float64)
        total = 0.0
        correct = 0
        thr = head.threshold
        with np.errstate(all="ignore"):
            for s in range(0, n, EVAL_CHUNK):
                xc = x[s : s + EVAL_CHUNK]
                tc = t[s : s + EVAL_CHUNK]
                e = s + xc.shape[0]
                total += head.forward(net.forward(xc, False), tc, False) * xc.shape[0]
                y = head.out
                correct += head.correct(y, tc)
                if y.shape[1] == 1:
                    col = y[:, 0]
                    above = col >= thr
                    predicted[s:e] = above
                    confidence[s:e] = np.where(above, col, 1 - col) if thr == 0.5 else np.abs(col)
                else:
                    k = np.argmax(y, axis=1)
                    predicted[s:e] = k
                    confidence[s:e] = np.take_along_axis(y, k[:, None], axis=1)[:, 0]
            loss = total / n + net.regularization() if n else math.nan
        K = self._cls_k
        codes = self._cls_labels * K + np.clip(predicted, 0, K - 1)
        confusion = np.bincount(codes, minlength=K * K).reshape(K, K).astype(np.int64, copy=False)
        pos = self._cls_pos
        evaluation = ClassEvaluation(self._cls_split, confusion, self._cls_inputs, self._cls_sample_labels,
                                     predicted[pos], confidence[pos])
        return loss, (correct / n if n else math.nan), evaluation

    def grad_norms(self) -> np.ndarray:
        """‖gradient‖ per block (weights, bias and γ/β together), from the last training step."""
        self.network.materialize_grads()
        out = np.empty(len(self._block_grads))
        for k, grads in enumerate(self._block_grads):
            out[k] = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
        return out

    def details(self) -> tuple[LayerDetail, ...]:
        """Per-layer samples on the probe batch (one evaluation-mode forward pass)."""
        net = self.network
        net.materialize_grads()
        with np.errstate(all="ignore"):
            z = net.forward(self._probe, False)
            y = net.head.predict(z)
        out = []
        for b, w_idx, a_idx in zip(net.blocks, self._w_idx, self._a_idx):
            W, dW = b.affine.W, b.affine.dW
            a = b.pre_activation
            h = y if b.is_output else b.activation_out
            dead = zero = None
            if b.activation_name in _RELU_LIKE:
                dead = float(np.mean(np.all(a <= 0, axis=0)))
                if b.activation_name == "relu":
                    zero = float(np.mean(h == 0))
            out.append(
                LayerDetail(
                    b.index,
                    b.activation_name,
                    np.take(W.reshape(-1), w_idx),
                    np.take(dW.reshape(-1), w_idx) if self._has_grads else None,
                    np.take(a.reshape(-1), a_idx),
                    np.take(h.reshape(-1), a_idx),
                    float(np.linalg.norm(W)),
                    float(np.linalg.norm(dW)) if self._has_grads else math.nan,
                    dead,
                    zero,
                )
            )
        return tuple(out)

    def landscape(self, **options: Any) -> LandscapeSlice:
        """A loss-landscape slice through the current weights with this run's trajectory (config defaults)."""
        c = self.config
        kw = dict(
            mode=c.landscape_mode, weights=c.landscape_weights, resolution=c.landscape_resolution,
            seed=self.seed, max_samples=None,
        )
        kw.update(options)
        _, traj = self.trajectory()
        idx = self._landscape_idx
        return loss_landscape(self.network, self.x_train[idx], self.t_train[idx], traj, prepared=True, **kw)

    def _divergence_note(self, loss: float, code: str, step: int, epoch: int) -> TrainingNote:
        """The note of a loss that stopped being a finite number below 10¹² (its english() is the message)."""
        return TrainingNote(code, step, epoch, float(loss), math.nan if code == "initial" else self.lr)

    def _snapshot(self, batch_loss: float, status: str, message: str, *, epoch_end: bool, detail: bool,
                  norms: bool, record: bool, final: bool = False) -> TrainingSnapshot:
        with np.errstate(all="ignore"):  # a diverging run overflows norms and losses: that is reported, not warned
            return self._make_snapshot(batch_loss, status, message, epoch_end=epoch_end, detail=detail,
                                       norms=norms, record=record, final=final)

    def _make_snapshot(self, batch_loss: float, status: str, message: str, *, epoch_end: bool, detail: bool,
                       norms: bool, record: bool, final: bool) -> TrainingSnapshot:
        c = self.config
        metrics: dict[str, Any] = {}
        evaluation = None
        note = None
        classify = detail and self._cls_split is not None
        if classify:
            cls_loss, cls_acc, evaluation = self._classify()
        if epoch_end:
            if classify and self.has_test:  # the pass above was the test split's evaluation: do not repeat it
                tl, ta = self.network.evaluate(self._x_eval, self._t_eval, prepared=True)
                vl, va = cls_loss, cls_acc
            else:
                tl, ta, vl, va = self.evaluate()
            metrics = dict(train_loss=tl, train_accuracy=ta, test_loss=vl, test_accuracy=va)
            if status != "diverged" and not (math.isfinite(tl) and abs(tl) <= DIVERGENCE_BOUND):
                note = self._divergence_note(tl, "initial" if self.step == 0 else "after_step", self.step, self.epoch)
                status, message = "diverged", note.english()
        weights = None
        if record or (final and (not self._traj_steps or self._traj_steps[-1] != self.step)):
            weights = self.network.flat_params()
            weights.setflags(write=False)  # shared with the stored trajectory: nobody may change it
            self._record(weights)
        decision = None
        detail_data = None
        if detail:
            detail_data = self.details()
            if c.map_resolution is not None:
                decision = decision_map(self.network, c.dataset, c.map_resolution)
        land = None
        if c.landscape_every is not None and epoch_end and (self.epoch % c.landscape_every == 0 or final):
            land = self.landscape()
        return TrainingSnapshot(
            self.step, self.epoch, self.samples, batch_loss, status, message, epoch_end,
            grad_norms=self.grad_norms() if (norms and self._has_grads) else None,
            weights=weights, detail=detail_data, decision=decision, landscape=land, evaluation=evaluation,
            note=note, **metrics,
        )

    def final_snapshot(self, status: str = "stopped", message: str = "") -> TrainingSnapshot:
        """A closing snapshot of the current state (fresh metrics and details), e.g. after the user pressed Stop."""
        loss = self.network.last_loss
        return self._snapshot(loss, status, message, epoch_end=True, detail=True, norms=True, record=False,
                              final=True)

    # -- the run ---------------------------------------------------------------------------------------------
    def iterate(self) -> Iterator[TrainingSnapshot]:
        """Snapshots from step 0 (the initial weights) to the final status. One generator per trainer."""
        if self._started:
            raise RuntimeError("this trainer is already running; make a new Trainer to start again")
        self._started = True
        return self._run()

    def _run(self) -> Iterator[TrainingSnapshot]:
        c = self.config
        net = self.network
        X, T = self.x_train, self.t_train
        n, bs = self.n_train, self.batch_size
        last_epoch = c.epochs
        detail_every = c.detail_every
        min_gap = c.detail_min_gap
        last_detail = 0
        norms_every = c.norms_every
        traj_every = self.trajectory_every
        status0 = "finished" if c.epochs == 0 else "running"
        first = self._snapshot(math.nan, status0, "", epoch_end=True, detail=True, norms=False, record=True,
                               final=c.epochs == 0)
        first = replace(first, batch_loss=first.train_loss)  # no batch yet: the loss on the training set
        if first.status == "diverged":
            yield first
            return
        yield first
        if c.epochs == 0:
            return
        # One buffer pair per batch size (the full batch and the epoch's last, smaller one).
        buffers: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        optimizer = self.optimizer
        train_step = net.train_step
        bound = DIVERGENCE_BOUND
        tuner = self._tuner
        while self.epoch < last_epoch:
            perm = self._shuffle_rng.permutation(n) if c.shuffle else np.arange(n)
            for s in range(0, n, bs):
                idx = perm[s : s + bs]
                m = idx.shape[0]
                buf = buffers.get(m)
                if buf is None:
                    buf = (np.empty((m,) + X.shape[1:], X.dtype), np.empty((m,) + T.shape[1:], T.dtype))
                    buffers[m] = buf
                # mode "clip": the indices come from a permutation, never out of range, and the default "raise"
                # copies through a temporary buffer (half the speed: ~30 µs of an MNIST step). The method, with
                # positional arguments, skips np.take's wrapper.
                xb = X.take(idx, 0, buf[0], "clip")
                tb = T.take(idx, 0, buf[1], "clip")
                # Plain SGD may fold its update into backpropagation (Network.train_step) when this step's
                # gradients are not shown: they are then written only if someone asks (materialize_grads).
                step = self.step + 1
                shown = (s + bs >= n or step % norms_every == 0
                         or (detail_every is not None and step % detail_every == 0))
                if tuner is not None:
                    tuner.start()
                with np.errstate(all="ignore"):  # never across a yield: errstate would leak into the caller
                    loss, ok = train_step(xb, tb, optimizer, bound, not shown)  # ok: a number within ±bound
                    if not ok:
                        norms_now = self.grad_norms()
                if tuner is not None:
                    tuner.stop()
                self._has_grads = True
                if not ok:
                    note = self._divergence_note(loss, "at_step", self.step + 1, self.epoch + 1)
                    yield TrainingSnapshot(self.step + 1, self.epoch, self.samples + m, loss, "diverged",
                                           note.english(), grad_norms=norms_now, note=note)
                    return
                self.step += 1
                self.samples += m
                epoch_end = s + bs >= n
                if epoch_end:
                    self.epoch += 1
                final = epoch_end and self.epoch >= last_epoch
                if detail_every is not None:
                    detail = final or self.step % detail_every == 0
                else:
                    detail = final or (epoch_end and self.step - last_detail >= min_gap)
                if detail:
                    last_detail = self.step
                snap = self._snapshot(
                    loss, "finished" if final else "running", "", epoch_end=epoch_end, detail=detail,
                    norms=self.step % norms_every == 0 or epoch_end,
                    record=self.step % (traj_every * self._traj_stride) == 0 or epoch_end, final=final,
                )
                yield snap
                if snap.status != "running":
                    return


def iter_training(config: TrainingConfig) -> Iterator[TrainingSnapshot]:
    """Snapshots of one training run (see :class:`Trainer`); settings are checked now (ValueError)."""
    return Trainer(config).iterate()


def run_training(config: TrainingConfig) -> list[TrainingSnapshot]:
    """All snapshots of a run until its final status."""
    return list(iter_training(config))
