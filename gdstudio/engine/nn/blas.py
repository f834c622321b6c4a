"""Read and set the number of threads numpy's bundled OpenBLAS uses (best effort, no extra dependency).

Why: the network lab multiplies small matrices (batch 100 × a few hundred units). On a 2-core machine a second BLAS
thread buys little for such sizes, and as soon as the other core is busy (the GUI thread drawing, another process)
the BLAS threads wait for each other and one GEMM becomes 5–90× slower (measured). Training therefore runs best with
one BLAS thread; the app and the benchmark call :func:`set_blas_threads` (threadpoolctl does the same thing with more
machinery). When the library cannot be found (another BLAS, another platform) every function here is a no-op.

On an idle machine more threads do help MNIST-sized layers (about 1.3× on 2 cores): :class:`BlasTuner` times the
training steps themselves and keeps whichever thread count is faster right now, checking again now and then.

The same library also provides two routines numpy does not expose, for plain SGD: :func:`axpy_updater`
(θ += α·g in one pass, rounded once as torch does) and :class:`GemmAccumulate` (W += α·xᵀ·δ without writing
∂W). Both return None where the library is missing, and their callers fall back to numpy.
"""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os
import statistics
import time
from collections.abc import Callable, Iterator, Sequence

import numpy as np

__all__ = ["BlasTuner", "GemmAccumulate", "axpy_updater", "blas_threads", "limit_blas_threads", "set_blas_threads"]

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


def _cblas_symbols(routine: str) -> dict[np.dtype, tuple[tuple[str, int], ...]]:
    """Where numpy's OpenBLAS may export a cblas routine, per dtype: (symbol, integer width), the "64_" ILP64
    interface numpy's wheels ship first."""
    return {np.dtype(dtype): tuple((f"{prefix}cblas_{letter}{routine}{suffix}", width)
                                   for suffix, width in (("64_", 64), ("", 32)) for prefix in ("scipy_", ""))
            for dtype, letter in ((np.float32, "s"), (np.float64, "d"))}


_AXPY = _cblas_symbols("axpy")  # y ← y + α·x (BLAS level 1)
_axpy_cache: dict[np.dtype, tuple | None] = {}
_GEMM = _cblas_symbols("gemm")  # C ← α·op(A)·op(B) + β·C (BLAS level 3), row-major cblas interface
_gemm_cache: dict[np.dtype, tuple | None] = {}
_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
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


def _symbol(dtype: np.dtype, table: dict, cache: dict):
    """(function, integer type, real type) of a cblas routine of numpy's OpenBLAS for ``dtype``, or None. The
    function has no declared argument types: callers pass ready-made ctypes objects, which skips ctypes' argument
    conversion (about 1.3 µs of a 14-argument call)."""
    if dtype in cache:
        return cache[dtype]
    found = None
    lib = _library()
    if lib is not None and dtype in table:
        real = ctypes.c_float if dtype == np.float32 else ctypes.c_double
        for name, width in table[dtype]:
            if getattr(lib, name, None) is None:
                continue
            fn = lib[name]  # a fresh function object: its argtypes stay unset whoever else uses the symbol
            fn.restype = None
            found = (fn, ctypes.c_int64 if width == 64 else ctypes.c_int, real)
            break
    cache[dtype] = found
    return found


def axpy_updater(y: np.ndarray, x: np.ndarray) -> Callable[[float], None] | None:
    """``f(alpha)`` doing ``y += alpha * x`` in one pass with the BLAS numpy ships (``cblas_saxpy``/``daxpy``), or
    None when that is unavailable or the arrays do not qualify (1-D, C-contiguous, the same float32/float64 dtype,
    ``y`` writeable, not overlapping ``x``). Each element is ``y + α·x`` with one rounding (a fused multiply-add,
    as ``torch.Tensor.add_(x, alpha=α)`` computes it on the CPU), where numpy's ``y -= lr * x`` rounds twice and
    makes two passes over memory: plain SGD's update of a whole network is 2–3× faster.
    """
    if (
        not isinstance(y, np.ndarray) or not isinstance(x, np.ndarray) or y.ndim != 1 or x.shape != y.shape
        or y.dtype != x.dtype or not (y.flags.c_contiguous and x.flags.c_contiguous and y.flags.writeable)
        or np.shares_memory(x, y)
    ):
        return None
    found = _symbol(y.dtype, _AXPY, _axpy_cache)
    if found is None or y.size == 0:
        return None
    fn, integer, real = found
    n, one = integer(y.size), integer(1)
    xp, yp = ctypes.c_void_p(x.ctypes.data), ctypes.c_void_p(y.ctypes.data)

    def update(alpha: float, _keep=(x, y)) -> None:  # _keep: the arrays' memory stays alive
        fn(n, real(alpha), xp, one, yp, one)

    return update


def _row_major(m: np.ndarray) -> tuple[int, int] | None:
    """(transpose flag, leading dimension) describing the 2-D array ``m`` to row-major cblas, or None when its
    strides fit neither a row-major matrix nor the transpose of one (unit stride along one axis)."""
    r, c = m.shape
    s = m.itemsize
    s0, s1 = m.strides
    if (s1 == s or c == 1) and (r == 1 or (s0 > 0 and s0 % s == 0 and s0 // s >= c)):
        return _NO_TRANS, (s0 // s if r > 1 else max(c, 1))
    if (s0 == s or r == 1) and (c == 1 or (s1 > 0 and s1 % s == 0 and s1 // s >= r)):
        return _TRANS, (s1 // s if c > 1 else max(r, 1))
    return None


class GemmAccumulate:
    """``C += α·A·B`` in one BLAS call (``cblas_sgemm``/``dgemm`` of numpy's OpenBLAS with β = 1): a plain SGD step
    ``W ← W − η·xᵀ·δ`` without writing the gradient ``xᵀ·δ`` to memory and reading it back.

    ``GemmAccumulate.make(C, A, B)`` returns None when BLAS is unavailable or the arrays do not qualify (2-D, one
    float32/float64 dtype, C a writeable row-major matrix not overlapping A or B, A and B row-major or transposed
    row-major, aligned shapes); otherwise the object, bound to those arrays (their memory stays alive), is called
    with α. Each element is rounded as BLAS accumulates (within float rounding of ``C − η·(A·B)``).
    """

    __slots__ = ("_fn", "_head", "_keep", "_real", "_tail")

    @classmethod
    def make(cls, c: np.ndarray, a: np.ndarray, b: np.ndarray) -> GemmAccumulate | None:
        arrays = (c, a, b)
        if not all(isinstance(m, np.ndarray) and m.ndim == 2 for m in arrays):
            return None
        dtype = c.dtype
        if a.dtype != dtype or b.dtype != dtype or not c.flags.writeable or not all(m.flags.aligned for m in arrays):
            return None
        (m, k), (k2, n) = a.shape, b.shape
        if k != k2 or c.shape != (m, n) or 0 in (m, n, k):
            return None
        if np.shares_memory(c, a) or np.shares_memory(c, b):
            return None
        found = _symbol(dtype, _GEMM, _gemm_cache)
        lc, la, lb = _row_major(c), _row_major(a), _row_major(b)
        if found is None or lc is None or la is None or lb is None or lc[0] != _NO_TRANS:
            return None
        fn, integer, real = found
        enum, ptr = ctypes.c_int, ctypes.c_void_p
        self = cls.__new__(cls)
        self._fn = fn
        self._real = real
        self._head = (enum(_ROW_MAJOR), enum(la[0]), enum(lb[0]), integer(m), integer(n), integer(k))
        self._tail = (ptr(a.ctypes.data), integer(la[1]), ptr(b.ctypes.data), integer(lb[1]), real(1.0),
                      ptr(c.ctypes.data), integer(lc[1]))
        self._keep = arrays
        return self

    def __call__(self, alpha: float) -> None:
        self._fn(*self._head, self._real(alpha), *self._tail)


@contextlib.contextmanager
def limit_blas_threads(n: int = 1) -> Iterator[int | None]:
    """``with limit_blas_threads(1): ...`` — temporarily use ``n`` BLAS threads, then restore the previous count."""
    previous = set_blas_threads(n)
    try:
        yield previous
    finally:
        if previous is not None:
            set_blas_threads(previous)


class BlasTuner:
    """Chooses among BLAS thread counts by timing the real training steps (``TrainingConfig(blas_threads="auto")``).

    Every ``period`` steps it times ``probe`` steps with the current count and ``probe`` steps with the next
    candidate, and keeps the candidate only if its median step is at least ``gain`` faster. A probe step slower than
    ``abort``× the current median ends that probe at once, so a busy machine costs one slow step per period.
    While a count other than the first (safe) one is in use, a step slower than ``abort``× the first count's median,
    or a median of the last ``probe`` steps slower than it, goes back to the first count at once: the other core may
    get busy right after a probe, and several waiting BLAS threads are 2–10× slower than one.
    ``setter`` and ``clock`` are injectable for tests.
    """

    def __init__(
        self,
        candidates: Sequence[int] | None = None,
        *,
        period: int = 1000,
        probe: int = 8,
        gain: float = 0.1,
        abort: float = 3.0,
        setter: Callable[[int], int | None] = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if candidates is None:
            n = os.cpu_count() or 1
            candidates = (1, min(n, 4)) if n > 1 else (1,)
        self.candidates = tuple(dict.fromkeys(int(c) for c in candidates))
        self.period, self.probe, self.gain, self.abort = period, probe, gain, abort
        self._set = setter if setter is not None else set_blas_threads
        self._clock = clock
        self.enabled = len(self.candidates) > 1 and self._set(self.candidates[0]) is not None
        self.current = self.candidates[0]
        self._trial: int | None = None
        self._times: list[float] = []
        self._trial_times: list[float] = []
        self._countdown = 0  # steps until the next probe; the first probe starts right away
        self._next = 1  # index of the next candidate to try
        self._t0 = 0.0
        self._ref: float | None = None  # the first count's median step while another count is in use

    def start(self) -> None:
        """Call right before a step's computation."""
        if self.enabled:
            self._t0 = self._clock()

    def stop(self) -> None:
        """Call right after it; may switch the thread count for the next step."""
        if not self.enabled:
            return
        dt = self._clock() - self._t0
        if self._trial is None:
            self._times.append(dt)
            if len(self._times) > self.probe:
                del self._times[0]
            ref = self._ref
            if ref is not None and (
                dt > self.abort * ref or (len(self._times) >= self.probe and statistics.median(self._times) > ref)
            ):
                self._fall_back()
                return
            self._countdown -= 1
            if self._countdown <= 0 and len(self._times) >= self.probe:
                self._trial = self.candidates[self._next]
                self._next = (self._next + 1) % len(self.candidates)
                if self._trial == self.current:
                    self._trial = None
                    self._countdown = self.period
                    return
                self._trial_times = []
                self._set(self._trial)
            return
        base = statistics.median(self._times)
        self._trial_times.append(dt)
        if dt > self.abort * base or len(self._trial_times) >= self.probe:
            trial = statistics.median(self._trial_times)
            if len(self._trial_times) >= self.probe and trial < (1.0 - self.gain) * base:
                if self._trial == self.candidates[0]:
                    self._ref = None
                elif self.current == self.candidates[0]:
                    self._ref = base
                self.current = self._trial
                self._times = list(self._trial_times)
            elif self._trial == self.candidates[0] and len(self._trial_times) >= self.probe:
                self._ref = trial  # the first count, measured again
            self._set(self.current)
            self._trial = None
            self._countdown = self.period

    def _fall_back(self) -> None:
        """Back to the first (safe) count now; the next probe comes after a full period."""
        self.current = self.candidates[0]
        self._set(self.current)
        self._ref = None
        self._times = []
        self._countdown = self.period
