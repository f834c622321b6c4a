"""The built-in 8×8 handwritten digits (1,797 images, UCI optdigits, CC BY 4.0) that ship with the app.

The default set of the digits lessons, available offline. The arrays come from ``resources/data/digits.npz``
(made by ``tools/convert_digits.py``; provenance in ``DIGITS-ATTRIBUTION.md`` beside it), are read once without
pickle, checked, and cached read-only. Pixels 0..16 are scaled to [0, 1]; the train/test split is stratified and
seeded, so every class appears on both sides in proportion.
"""

from __future__ import annotations

import functools
import importlib.util
import zipfile
from pathlib import Path

import numpy as np

from gdstudio.engine.datasets.base import Dataset, DatasetError, readonly, split_dataset

__all__ = ["DIGITS_COUNT", "digits_path", "load_digits", "read_digits"]

DIGITS_COUNT = 1797
_RESOURCE = ("data", "digits.npz")
_REPO_FALLBACK = Path(__file__).resolve().parents[3] / "resources" / _RESOURCE[0] / _RESOURCE[1]


def digits_path() -> Path:
    """Where digits.npz is: via gdstudio.resources.resource_path when present (packaged app), else the repo."""
    if importlib.util.find_spec("gdstudio.resources") is not None:
        from gdstudio.resources import resource_path  # written by the packaging helper

        try:
            path = Path(resource_path(*_RESOURCE))
        except (OSError, ValueError):  # no resources folder found: try the checkout layout below
            pass
        else:
            if path.is_file():
                return path
    return _REPO_FALLBACK


@functools.lru_cache(maxsize=1)
def read_digits() -> tuple[np.ndarray, np.ndarray]:
    """(images (1797, 8, 8) uint8 0..16, labels (1797,) uint8 0..9), read-only and cached."""
    path = digits_path()
    try:
        with np.load(path, allow_pickle=False) as npz:
            images, labels = npz["images"], npz["labels"]
    except FileNotFoundError:
        raise DatasetError("digits", f"the built-in digits file is missing: {path}") from None
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        raise DatasetError("digits", f"cannot read {path}: {e}") from None
    if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (8, 8):
        raise DatasetError("digits", f"{path}: images must be uint8 (n, 8, 8), found {images.dtype} {images.shape}")
    if labels.dtype != np.uint8 or labels.shape != (len(images),):
        raise DatasetError("digits", f"{path}: labels must be uint8 ({len(images)},), found {labels.dtype} {labels.shape}")
    if images.max(initial=0) > 16 or labels.max(initial=0) > 9:
        raise DatasetError("digits", f"{path}: pixels must be 0..16 and labels 0..9")
    return readonly(images), readonly(labels)


def load_digits(test_fraction: float = 0.25, seed: int | None = 0, dtype: type | str = np.float32) -> Dataset:
    """The digits as a Dataset: x (n, 64) in [0, 1], stratified seeded split (default 75 % train / 25 % test)."""
    images, labels = read_digits()
    dtype = np.dtype(dtype)
    x = images.reshape(len(images), 64).astype(dtype)
    x /= dtype.type(16)
    return split_dataset(
        "digits", "classification", x, labels.astype(np.int64), test_fraction, seed,
        feature_names=tuple(f"r{r}c{c}" for r in range(8) for c in range(8)),
        class_names=tuple(str(i) for i in range(10)),
        description="1,797 handwritten digits, 8×8 pixels (UCI optdigits, CC BY 4.0).",
        image_shape=(8, 8),
    )
