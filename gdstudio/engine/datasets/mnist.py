"""MNIST from the four standard IDX files in a folder the student picked (or downloaded into).

Two interfaces: :func:`load_mnist` mirrors the book's ``load_mnist(normalize, flatten, one_hot_label)`` and returns
``(x_train, t_train), (x_test, t_test)`` arrays, so the book's code reads the same; :func:`mnist_dataset` returns a
:class:`Dataset` for the trainer and the views. Both keep the first ``train_size`` / ``test_size`` images (the
files are already shuffled). The decoded files are cached (keyed by path, size and mtime), so changing the subset
size in the GUI does not re-read 55 MB.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import numpy as np

from gdstudio.engine.datasets.base import Dataset, DatasetError, readonly
from gdstudio.engine.datasets.idx import read_idx

__all__ = ["MNIST_FILES", "find_mnist_files", "load_mnist", "mnist_dataset", "read_mnist"]

MNIST_FILES: dict[str, str] = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
"""Role -> canonical file name (each may also end in .gz, or use a dot before idx as some mirrors do)."""


def _candidates(base: str) -> tuple[str, ...]:
    dotted = base.replace("-idx", ".idx")  # "train-images.idx3-ubyte" (Kaggle and others)
    return (base, dotted, base + ".gz", dotted + ".gz")


def find_mnist_files(folder: str | os.PathLike[str]) -> dict[str, Path]:
    """Role -> existing path; DatasetError listing every missing file (uncompressed preferred over .gz)."""
    root = Path(folder)
    if not root.is_dir():
        raise DatasetError("path", f"{str(root)!r} is not a folder")
    found: dict[str, Path] = {}
    missing: list[str] = []
    for role, base in MNIST_FILES.items():
        for candidate in _candidates(base):
            if (root / candidate).is_file():
                found[role] = root / candidate
                break
        else:
            missing.append(f"{base}[.gz]")
    if missing:
        raise DatasetError(
            "path",
            f"the MNIST folder {str(root)!r} is missing {len(missing)} of the 4 files: {', '.join(missing)} "
            "(use File ▸ Download MNIST… to fetch them)",
        )
    return found


@functools.lru_cache(maxsize=1)
def _read_cached(key: tuple[tuple[str, str, int, int], ...]) -> tuple[np.ndarray, ...]:
    arrays = {role: read_idx(path) for role, path, _, _ in key}
    names = {role: Path(path).name for role, path, _, _ in key}
    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        image_file, label_file = names[f"{split}_images"], names[f"{split}_labels"]
        if images.ndim != 3 or images.dtype != np.uint8:
            raise DatasetError(image_file, f"expected 3-D ubyte images, found {images.ndim}-D {images.dtype}")
        if labels.ndim != 1 or labels.dtype != np.uint8:
            raise DatasetError(label_file, f"expected 1-D ubyte labels, found {labels.ndim}-D {labels.dtype}")
        if len(labels) != len(images):
            raise DatasetError(label_file, f"has {len(labels):,} labels for {len(images):,} images in {image_file}")
    if arrays["train_images"].shape[1:] != arrays["test_images"].shape[1:]:
        raise DatasetError(
            "path",
            f"train images are {arrays['train_images'].shape[1:]} but test images {arrays['test_images'].shape[1:]}",
        )
    return tuple(readonly(arrays[role]) for role in MNIST_FILES)


def read_mnist(folder: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(train_images (N, H, W) uint8, train_labels (N,) uint8, test_images, test_labels), read-only and cached."""
    files = find_mnist_files(folder)
    key = []
    for role, path in files.items():
        st = path.stat()
        key.append((role, str(path.resolve()), st.st_size, st.st_mtime_ns))
    return _read_cached(tuple(key))  # type: ignore[return-value]


def _count(size: int | None, available: int, field: str) -> int:
    if size is None:
        return available
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or not 1 <= size <= available:
        raise DatasetError(field, f"must be between 1 and {available:,} (the file holds {available:,} images)")
    return int(size)


def load_mnist(
    folder: str | os.PathLike[str],
    *,
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    train_size: int | None = None,
    test_size: int | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The book's interface: images float32 in [0, 1] if ``normalize`` else uint8 0..255; (N, 784) if ``flatten``
    else (N, 1, 28, 28); labels (N,) uint8, or one-hot (N, 10) float32 with ``one_hot_label``."""
    images_tr, labels_tr, images_te, labels_te = read_mnist(folder)
    n_tr = _count(train_size, len(images_tr), "train_size")
    n_te = _count(test_size, len(images_te), "test_size")
    n_classes = int(max(labels_tr.max(initial=0), labels_te.max(initial=0))) + 1
    out = []
    for images, labels, n in ((images_tr, labels_tr, n_tr), (images_te, labels_te, n_te)):
        x = images[:n]
        x = x.reshape(n, -1) if flatten else x.reshape(n, 1, *x.shape[1:])
        x = x.astype(np.float32) / np.float32(255) if normalize else x.copy()
        t = labels[:n]
        if one_hot_label:
            t = np.eye(n_classes, dtype=np.float32)[t]
        else:
            t = t.copy()
        out.append((x, t))
    return out[0], out[1]


def mnist_dataset(
    folder: str | os.PathLike[str],
    *,
    train_size: int | None = None,
    test_size: int | None = None,
    normalize: bool = True,
    dtype: type | str = np.float32,
) -> Dataset:
    """MNIST as a Dataset: x (N, H·W) in [0, 1] (or 0..255 without ``normalize``), labels int64, classes "0".."9"."""
    images_tr, labels_tr, images_te, labels_te = read_mnist(folder)
    n_tr = _count(train_size, len(images_tr), "train_size")
    n_te = _count(test_size, len(images_te), "test_size")
    n_classes = int(max(labels_tr.max(initial=0), labels_te.max(initial=0))) + 1
    dtype = np.dtype(dtype)
    h, w = images_tr.shape[1:]

    def inputs(images: np.ndarray, n: int) -> np.ndarray:
        x = images[:n].reshape(n, h * w).astype(dtype)
        if normalize:
            x /= dtype.type(255)
        return x

    return Dataset(
        name="mnist",
        task="classification",
        x_train=inputs(images_tr, n_tr),
        t_train=labels_tr[:n_tr].astype(np.int64),
        x_test=inputs(images_te, n_te),
        t_test=labels_te[:n_te].astype(np.int64),
        feature_names=tuple(f"r{r}c{c}" for r in range(h) for c in range(w)),
        class_names=tuple(str(i) for i in range(n_classes)),
        description=f"MNIST handwritten digits: {n_tr:,} training and {n_te:,} test images, {h}×{w}.",
        image_shape=(h, w),
    )
