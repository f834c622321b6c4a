"""Read and set the number of threads numpy's bundled OpenBLAS uses (best effort, no extra dependency).

Why: the network lab multiplies small matrices (batch 100 × a few hundred units). On a 2-core machine a second BLAS
thread buys little for such sizes, and as soon as the other core is busy (the GUI thread drawing, another process)
the BLAS threads wait for each other and one GEMM becomes 5–90× slower (measured). Training therefore runs best with
one BLAS thread; the app and the benchmark call :func:`set_blas_threads` (threadpoolctl does the same thing with more
machinery). When the library cannot be found (another BLAS, another platform) every function here is a no-op.

On an idle machine more threads do help MNIST-sized layers (about 1.3× on 2 cores): :class:`BlasTuner` times the
training steps themselves and keeps whichever thread count is faster right now, checking again now and then.
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

__all__ = ["BlasTuner", "blas_threads", "limit_blas_threads", "set_blas_threads"]

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
