"""The one shape every data set takes, so the trainer, the views and the CLI never care where the data came from.

A :class:`Dataset` is immutable: its arrays are read-only views, so a cached data set (digits, MNIST) can be shared
by the GUI and a worker without anyone changing it under the other's feet. Inputs are always a 2-D
``(samples, features)`` float array (images flattened; ``image_shape`` says how to fold them back). Targets are
integer class indices ``(samples,)`` for classification and a float column ``(samples, 1)`` for regression.

Also here: :class:`DatasetError` (the only error this package raises) and the seeded train/test split that every
generator and loader shares.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["TASKS", "Dataset", "DatasetError", "readonly", "split_dataset", "train_test_split"]

TASKS = ("classification", "regression")

_SPLIT_STREAM = 0x5EED  # the split draws from its own stream, independent of the generator using the same seed


class DatasetError(ValueError):
    """A data set that cannot be made or read; ``field`` names the spec key, file or column ("" if none)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)

    def __reduce__(self):  # keep (field, message) through copy/multiprocessing
        return (type(self), (self.field, self.message))


def readonly(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (the caller's own array stays writeable)."""
    v = a.view()
    v.flags.writeable = False
    return v


@dataclass(frozen=True, eq=False)
class Dataset:
    """Train and test arrays plus what the views need to label them."""

    name: str  # the registry name ("circle", "digits", "csv:iris.csv", ...)
    task: str  # "classification" | "regression"
    x_train: np.ndarray  # (n_train, n_features) float
    t_train: np.ndarray  # classification: (n_train,) int64 in [0, n_classes); regression: (n_train, n_outputs) float
    x_test: np.ndarray
    t_test: np.ndarray
    feature_names: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()  # classification only; () for regression
    description: str = ""  # one line, English
    image_shape: tuple[int, int] | None = None  # (8, 8) digits, (28, 28) MNIST: how to fold one row of x into an image
    points_train: np.ndarray | None = None  # 2-D sets: the raw (x1, x2) points before feature expansion
    points_test: np.ndarray | None = None
    features: tuple[str, ...] | None = None  # 2-D sets: the feature ids x is made of (see features.FEATURES)
    spec: Mapping[str, Any] = field(default_factory=dict)  # canonical registry spec that rebuilds this data set

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise DatasetError("task", f"must be one of {', '.join(TASKS)} (got {self.task!r})")
        same = self.x_test is self.x_train and self.t_test is self.t_train
        x_train = self._inputs(self.x_train, "x_train")
        set_ = functools.partial(object.__setattr__, self)  # normalising fields of a frozen dataclass
        set_("x_train", x_train)
        set_("x_test", x_train if same else self._inputs(self.x_test, "x_test"))
        if self.x_test.shape[1] != x_train.shape[1]:
            raise DatasetError("x_test", f"has {self.x_test.shape[1]} features, x_train has {x_train.shape[1]}")
        t_train = self._targets(self.t_train, "t_train", len(x_train))
        set_("t_train", t_train)
        set_("t_test", t_train if same else self._targets(self.t_test, "t_test", len(self.x_test)))
        if self.task == "regression" and self.t_test.shape[1] != t_train.shape[1]:
            raise DatasetError("t_test", "has a different number of outputs than t_train")
        names = tuple(self.feature_names) or tuple(f"x{i + 1}" for i in range(x_train.shape[1]))
        if len(names) != x_train.shape[1]:
            raise DatasetError("feature_names", f"has {len(names)} names for {x_train.shape[1]} features")
        set_("feature_names", names)
        classes = tuple(self.class_names)
        if self.task == "classification":
            top = max((int(t.max()) for t in (self.t_train, self.t_test) if t.size), default=-1)
            classes = classes or tuple(str(i) for i in range(top + 1))
            if top >= len(classes):
                raise DatasetError("class_names", f"has {len(classes)} names but a label is {top}")
        elif classes:
            raise DatasetError("class_names", "only classification data sets have classes")
        set_("class_names", classes)
        if self.image_shape is not None:
            shape = tuple(int(s) for s in self.image_shape)
            if len(shape) != 2 or shape[0] * shape[1] != x_train.shape[1]:
                raise DatasetError("image_shape", f"{shape} does not fold {x_train.shape[1]} features")
            set_("image_shape", shape)
        for name, x in (("points_train", self.x_train), ("points_test", self.x_test)):
            p = getattr(self, name)
            if p is not None:
                p = np.asarray(p, dtype=np.float64)
                if p.shape != (len(x), 2):
                    raise DatasetError(name, f"must have shape ({len(x)}, 2), got {p.shape}")
                set_(name, readonly(p))
        if self.features is not None:
            set_("features", tuple(self.features))
        set_("spec", MappingProxyType(dict(self.spec)))

    def _inputs(self, x: Any, name: str) -> np.ndarray:
        x = np.asarray(x)
        if x.ndim != 2:
            raise DatasetError(name, f"must be 2-D (samples, features), got shape {x.shape}")
        if x.dtype.kind != "f":
            raise DatasetError(name, f"must be a float array, got {x.dtype}")
        return readonly(x)

    def _targets(self, t: Any, name: str, n: int) -> np.ndarray:
        t = np.asarray(t)
        if self.task == "classification":
            if t.ndim != 1 or t.dtype.kind not in "iu":
                raise DatasetError(name, f"must be 1-D integer class indices, got {t.dtype} {t.shape}")
            t = t.astype(np.int64, copy=False)
            if t.size and int(t.min()) < 0:
                raise DatasetError(name, "class indices must be >= 0")
        else:
            if t.ndim != 2 or t.dtype.kind != "f":
                raise DatasetError(name, f"must be a 2-D float array (samples, outputs), got {t.dtype} {t.shape}")
        if len(t) != n:
            raise DatasetError(name, f"has {len(t)} samples for {n} inputs")
        return readonly(t)

    # ---------------------------------------------------------------------------------------------- derived
    @property
    def dtype(self) -> np.dtype:
        """The float type of the inputs (float64 for the small sets, float32 for digits/MNIST)."""
        return self.x_train.dtype

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def n_classes(self) -> int:
        """Number of classes (0 for regression)."""
        return len(self.class_names)

    @property
    def n_outputs(self) -> int:
        """Width of a network's output layer for this set: n_classes, or the number of regression targets."""
        return self.n_classes if self.task == "classification" else int(self.t_train.shape[1])

    @property
    def n_train(self) -> int:
        return int(self.x_train.shape[0])

    @property
    def n_test(self) -> int:
        return int(self.x_test.shape[0])

    @property
    def test_is_train(self) -> bool:
        """True for the sets with no held-out data (gates, five_points): test curves then repeat train curves."""
        return self.x_test is self.x_train

    def one_hot(self, split: str = "train", dtype: Any = None) -> np.ndarray:
        """The labels of ``split`` ("train"/"test") as one-hot rows (n, n_classes), in ``dtype`` (default: x's)."""
        if self.task != "classification":
            raise DatasetError("task", "one_hot() needs a classification data set")
        t = self._split(split)[1]
        out = np.zeros((len(t), self.n_classes), dtype=dtype or self.dtype)
        out[np.arange(len(t)), t] = 1
        return out

    def targets(self, split: str = "train", dtype: Any = None) -> np.ndarray:
        """Labels as a float column (n, 1): for one sigmoid output unit (binary sets) or regression."""
        t = self._split(split)[1]
        if self.task == "classification" and self.n_classes > 2:
            raise DatasetError("task", f"a single output column needs 2 classes, this set has {self.n_classes}")
        return np.asarray(t, dtype=dtype or self.dtype).reshape(len(t), -1)

    def _split(self, split: str) -> tuple[np.ndarray, np.ndarray]:
        if split == "train":
            return self.x_train, self.t_train
        if split == "test":
            return self.x_test, self.t_test
        raise DatasetError("split", f"must be 'train' or 'test' (got {split!r})")

    def astype(self, dtype: Any) -> Dataset:
        """The same data in another float type (float32 for speed, float64 for gradient checks)."""
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise DatasetError("dtype", f"must be a float type (got {dtype})")
        if dtype == self.dtype:
            return self
        x_train = self.x_train.astype(dtype)
        x_test = x_train if self.test_is_train else self.x_test.astype(dtype)
        t_train, t_test = self.t_train, self.t_test
        if self.task == "regression":
            t_train = t_train.astype(dtype)
            t_test = t_train if self.test_is_train else t_test.astype(dtype)
        spec = dict(self.spec)
        if "dtype" in spec:
            spec["dtype"] = dtype.name
        return dataclasses.replace(self, x_train=x_train, t_train=t_train, x_test=x_test, t_test=t_test, spec=spec)

    def transform(self, points: np.ndarray) -> np.ndarray:
        """Map raw 2-D points (e.g. a decision-boundary grid, (..., 2)) through this set's feature expansion."""
        if self.features is None:
            raise DatasetError("features", f"{self.name!r} is not a 2-D point set")
        from gdstudio.engine.datasets.features import expand

        return expand(points, self.features)[0].astype(self.dtype, copy=False)

    def __repr__(self) -> str:
        return (
            f"Dataset({self.name!r}, {self.task}, train={self.x_train.shape}, test={self.x_test.shape}, "
            f"classes={self.n_classes}, dtype={self.dtype})"
        )


def train_test_split(
    n: int, test_fraction: float, seed: int | None, labels: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Seeded (train_idx, test_idx) index arrays; stratified per class when ``labels`` are given.

    Each class gives round(count * test_fraction) samples to the test side, but always keeps one for training
    (and, when test_fraction > 0, gives at least one to the test side if it has two or more). Both index
    arrays are shuffled, so a data set generated class by class arrives mixed.
    """
    if not 0.0 <= test_fraction < 1.0:
        raise DatasetError("test_fraction", f"must be >= 0 and < 1 (got {test_fraction})")
    rng = np.random.default_rng(None if seed is None else [int(seed), _SPLIT_STREAM])
    groups: Sequence[np.ndarray]
    if labels is None:
        groups = [np.arange(n)]
    else:
        labels = np.asarray(labels)
        groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    train, test = [], []
    for idx in groups:
        idx = rng.permutation(idx)
        k = int(round(len(idx) * test_fraction))
        if test_fraction > 0 and len(idx) >= 2:
            k = max(k, 1)
        k = min(k, len(idx) - 1) if len(idx) else 0
        test.append(idx[:k])
        train.append(idx[k:])
    train_idx = rng.permutation(np.concatenate(train)) if train else np.arange(0)
    test_idx = rng.permutation(np.concatenate(test)) if test else np.arange(0)
    return train_idx.astype(np.intp), test_idx.astype(np.intp)


def split_dataset(
    name: str,
    task: str,
    x: np.ndarray,
    t: np.ndarray,
    test_fraction: float,
    seed: int | None,
    *,
    stratify: bool | None = None,
    points: np.ndarray | None = None,
    **kwargs: Any,
) -> Dataset:
    """A Dataset from all samples (x, t): held-out split by ``test_fraction``; 0 means test = train."""
    if test_fraction == 0:
        return Dataset(name, task, x, t, x, t, points_train=points, points_test=points, **kwargs)
    stratify = task == "classification" if stratify is None else stratify
    tr, te = train_test_split(len(x), test_fraction, seed, t if stratify else None)
    return Dataset(
        name, task, x[tr], t[tr], x[te], t[te],
        points_train=None if points is None else points[tr],
        points_test=None if points is None else points[te],
        **kwargs,
    )
