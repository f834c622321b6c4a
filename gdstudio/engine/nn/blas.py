"""Read and set the number of threads numpy's bundled OpenBLAS uses (best effort, no extra dependency).

Why: the network lab multiplies small matrices (batch 100 × a few hundred units). On a 2-core machine a second BLAS
thread buys little for such sizes, and as soon as the other core is busy (the GUI thread drawing, another process)
the BLAS threads wait for each other and one GEMM becomes 5–90× slower (measured). Training therefore runs best with
one BLAS thread; the app and the benchmark call :func:`set_blas_threads` (threadpoolctl does the same thing with more
machinery). When the library cannot be found (another BLAS, another platform) every function here is a no-op.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
from collections.abc import Iterator

import numpy as np

__all__ = ["blas_threads", "limit_blas_threads", "set_blas_threads"]

_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_GETTERS = (
    "scipy_openblas_get_num_threads64_",
    "scipy_openblas_get_num_threads",
    "openblas_get_num_threads64_",
    "openblas_get_num_threads",
)
_lib: ctypes.CDLL | None = None
_searched = False


def _library() -> ctypes.CDLL | None:
    """The OpenBLAS that numpy loaded (its wheel ships it in numpy.libs / numpy/.dylibs), or None."""
    global _lib, _searched
    if _searched:
        return _lib
    _searched = True
    root = os.path.dirname(os.path.dirname(np.__file__))
    here = os.path.dirname(np.__file__)
    patterns = [
        os.path.join(root, "numpy.libs", "*openblas*"),
        os.path.join(here, ".dylibs", "*openblas*"),
        os.path.join(here, "..", "numpy.libs", "*openblas*"),
    ]
    for pattern in patterns:
        for path in sorted(glob.glob(pattern)):
            try:
                lib = ctypes.CDLL(path)
            except OSError:
                continue
            if any(hasattr(lib, name) for name in _SETTERS):
                _lib = lib
                return lib
    return None


def _function(names: tuple[str, ...]):
    lib = _library()
    if lib is None:
        return None
    for name in names:
        fn = getattr(lib, name, None)
        if fn is not None:
            return fn
    return None


def blas_threads() -> int | None:
    """The current OpenBLAS thread count, or None when it cannot be read."""
    fn = _function(_GETTERS)
    if fn is None:
        return None
    fn.restype = ctypes.c_int
    return int(fn())


def set_blas_threads(n: int) -> int | None:
    """Set the OpenBLAS thread count for the whole process; returns the previous count (None: not possible)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError("the number of BLAS threads must be a whole number >= 1")
    setter = _function(_SETTERS)
    if setter is None:
        return None
    previous = blas_threads()
    setter.argtypes = [ctypes.c_int]
    setter.restype = None
    setter(int(n))
    return previous


@contextlib.contextmanager
def limit_blas_threads(n: int = 1) -> Iterator[int | None]:
    """``with limit_blas_threads(1): ...`` — temporarily use ``n`` BLAS threads, then restore the previous count."""
    previous = set_blas_threads(n)
    try:
        yield previous
    finally:
        if previous is not None:
            set_blas_threads(previous)
