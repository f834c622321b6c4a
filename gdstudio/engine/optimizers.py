"""Optimizers with PyTorch ``torch.optim`` semantics, written in numpy for watching (and later training) descent.

Names, defaults and update rules follow the torch implementation (single-tensor path, ``maximize=False``), so a
student can carry what they see here straight into PyTorch. Each class declares its hyper-parameters once as
:class:`ParamSpec` tuples; validation of experiment files and the GUI controls are driven by those declarations.

Parameters are numpy arrays updated **in place**. Hyper-parameters may be scalars or arrays that broadcast to every
parameter (e.g. ``lr`` of shape ``(N, 1)`` for ``N`` trajectories of shape ``(N, dim)``): that is how compare mode
and basin maps run many learning rates at once. ``step`` allocates nothing proportional to the parameters: every
intermediate lives in buffers made once in ``__init__``. When the parameters are consecutive pieces of one array
(a network's, see ``Network._pack``) and every hyper-parameter is a scalar, each formula term is one operation
over that whole vector instead of one per array — the same arithmetic element by element, so the same numbers.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Mapping, Sequence

import numpy as np

__all__ = [
    "OPTIMIZERS",
    "SGD",
    "Adagrad",
    "Adam",
    "AdamW",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "ParamSpec",
    "RMSprop",
    "make_optimizer",
]

Hyper = float | bool | tuple | np.ndarray


@dataclass(frozen=True)
class ParamSpec:
    """One hyper-parameter: its name, kind (``"float"``, ``"bool"`` or ``"pair"`` of floats), default and range.

    ``minimum``/``maximum`` bound every float (each element of a pair); ``min_open``/``max_open`` exclude the bound
    itself. ``log`` tells controls to use a logarithmic scale. ``doc`` is a one-line English explanation.
    """

    name: str
    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    log: bool = False
    doc: str = ""
    min_open: bool = False
    max_open: bool = False

    def range_text(self) -> str:
        """The allowed interval in math notation, e.g. ``"[0, 1)"``."""
        lo = "(" if self.min_open else "["
        hi = ")" if self.max_open else "]"
        return f"{lo}{_fmt(self.minimum, '−∞')}, {_fmt(self.maximum, '∞')}{hi}"

    def contains(self, value: float | np.ndarray) -> bool:
        """True when ``value`` (every element of it) is finite and inside the range."""
        v = np.asarray(value, dtype=np.float64)
        if not np.all(np.isfinite(v)):
            return False
        if self.minimum is not None:
            if not np.all(v > self.minimum if self.min_open else v >= self.minimum):
                return False
        if self.maximum is not None:
            if not np.all(v < self.maximum if self.max_open else v <= self.maximum):
                return False
        return True

    def validate(self, value: Any, owner: str) -> Hyper:
        """Return ``value`` normalised (float, bool, tuple or float64 array); ValueError naming it otherwise."""
        if self.kind == "bool":
            if isinstance(value, (bool, np.bool_)):
                return bool(value)
            raise ValueError(f"{owner}: {self.name} must be true or false")
        if self.kind == "pair":
            if isinstance(value, np.ndarray) and value.ndim >= 1 and value.shape[0] == 2:
                value = (value[0], value[1])
            if not isinstance(value, (tuple, list)) or len(value) != 2:
                raise ValueError(f"{owner}: {self.name} must be a pair of two numbers")
            return tuple(self._number(v, f"{self.name}[{i}]", owner) for i, v in enumerate(value))
        return self._number(value, self.name, owner)

    def _number(self, value: Any, label: str, owner: str) -> float | np.ndarray:
        if isinstance(value, np.ndarray):
            ok = value.dtype.kind in "iuf"
        else:
            ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
        if not ok:
            raise ValueError(f"{owner}: {label} must be a number")
        arr = np.asarray(value, dtype=np.float64)
        if arr.size == 0:
            raise ValueError(f"{owner}: {label} must not be empty")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{owner}: {label} must be a finite number")
        if not self.contains(arr):
            raise ValueError(f"{owner}: {label} must be in {self.range_text()}")
        return float(arr) if arr.ndim == 0 else arr


def _fmt(x: float | None, inf: str) -> str:
    if x is None or math.isinf(x):
        return inf if x is None or x > 0 else "−∞"
    return f"{x:g}"


# Shared declarations (one place for each meaning; optimizers specialise defaults with dataclasses.replace).
_LR = ParamSpec("lr", "float", 1e-3, 0.0, 10.0, True, "learning rate η: how far each step moves", min_open=True)
_MOMENTUM = ParamSpec("momentum", "float", 0.0, 0.0, 1.0, False, "momentum μ: fraction of the previous step kept")
_DAMPENING = ParamSpec("dampening", "float", 0.0, 0.0, 1.0, False, "dampening τ: shrinks the new gradient's share")
_WEIGHT_DECAY = ParamSpec(
    "weight_decay", "float", 0.0, 0.0, 1.0, False, "weight decay λ: adds λ·x to the gradient (L2 penalty)"
)
_EPS = ParamSpec("eps", "float", 1e-8, 0.0, 1.0, True, "ε: keeps the denominator away from zero", min_open=True)
_ALPHA = ParamSpec("alpha", "float", 0.99, 0.0, 1.0, False, "smoothing α of the running average of g²")
_BETAS = ParamSpec(
    "betas", "pair", (0.9, 0.999), 0.0, 1.0, False, "(β₁, β₂): decay of the running averages of g and g²",
    max_open=True,
)
_AMSGRAD = ParamSpec("amsgrad", "bool", False, doc="AMSGrad: divide by the largest v seen so far")


class Optimizer:
    """Base class: validates hyper-parameters, owns the step counter and the per-parameter state buffers.

    Subclasses declare ``name`` (registry id), ``display_name``, ``short_name``, ``specs``, ``formula`` and
    implement ``_init_state`` and ``_update``.
    """

    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    short_name: ClassVar[str] = ""
    specs: ClassVar[tuple[ParamSpec, ...]] = ()
    formula: ClassVar[str] = ""
    fixed: ClassVar[Mapping[str, Any]] = {}  # settings a variant pins (not user-editable), e.g. nesterov=True
    buffer_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: Sequence[np.ndarray], **hyper: Any) -> None:
        self.params: list[np.ndarray] = _check_params(params, self.name)
        self.hyper: dict[str, Hyper] = self.validate_hyper(hyper)
        self._check_broadcast()
        self.step_count = 0
        scalar = not any(isinstance(v, np.ndarray) for value in self.hyper.values()
                         for v in (value if isinstance(value, tuple) else (value,)))
        # One vector over all parameters when they are consecutive pieces of one array (and nothing broadcasts
        # per parameter); then every buffer below is one vector too and the per-parameter arrays are views of it.
        self._flat = _flat_view(self.params) if scalar else None
        self._flat_state: dict[str, np.ndarray] = {}
        self._grads_seen: list[np.ndarray] | None = None
        self._flat_grads: np.ndarray | None = None
        # Two scratch buffers per parameter hold every intermediate of an update.
        self._tmp_flat, self._tmp = self._new_buffers()
        self._tmp2_flat, self._tmp2 = self._new_buffers()
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        self._init_state()

    # -- hyper-parameters ------------------------------------------------------------------------------------
    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """The declared defaults, keyed by hyper-parameter name."""
        return {s.name: s.default for s in cls.specs}

    @classmethod
    def spec(cls, name: str) -> ParamSpec:
        """The declaration of one hyper-parameter (KeyError if this optimizer has none of that name)."""
        for s in cls.specs:
            if s.name == name:
                return s
        raise KeyError(name)

    @classmethod
    def validate_hyper(cls, hyper: Mapping[str, Any]) -> dict[str, Hyper]:
        """Defaults filled in, every value checked against its ParamSpec; ValueError naming the bad one."""
        known = {s.name: s for s in cls.specs}
        for key in hyper:
            if key not in known:
                valid = ", ".join(known) or "none"
                raise ValueError(f"{cls.name}: unknown hyper-parameter {key!r} (valid: {valid})")
        out: dict[str, Hyper] = {}
        for s in cls.specs:
            out[s.name] = s.validate(hyper[s.name], cls.name) if s.name in hyper else s.default
        out.update(cls.fixed)
        cls._check_combination(out)
        return out

    @classmethod
    def _check_combination(cls, hyper: Mapping[str, Hyper]) -> None:
        """Rules that involve several hyper-parameters (subclasses override)."""

    def _check_broadcast(self) -> None:
        for key, value in self.hyper.items():
            values = value if isinstance(value, tuple) else (value,)
            for v in values:
                if not isinstance(v, np.ndarray):
                    continue
                for p in self.params:
                    try:
                        ok = np.broadcast_shapes(v.shape, p.shape) == p.shape
                    except ValueError:
                        ok = False
                    if not ok:
                        raise ValueError(
                            f"{self.name}: {key} has shape {v.shape}, which does not broadcast to the "
                            f"parameter shape {p.shape}"
                        )

    # -- stepping --------------------------------------------------------------------------------------------
    def step(self, grads: Sequence[np.ndarray]) -> None:
        """Apply one update to every parameter in place, given the gradients (same shapes, left untouched)."""
        seen = self._grads_seen
        if seen is None or len(grads) != len(seen) or not all(map(operator.is_, grads, seen)):
            self._check_grads(grads)
        self.step_count += 1
        self._update(grads)

    def _check_grads(self, grads: Sequence[np.ndarray]) -> None:
        """Validate a new list of gradient arrays and find its flat vector (the same arrays are not checked again:
        an array keeps its shape, and a network hands over the same ones every step)."""
        if len(grads) != len(self.params):
            raise ValueError(f"{self.name}: expected {len(self.params)} gradients, got {len(grads)}")
        for p, g in zip(self.params, grads):
            if g.shape != p.shape:
                raise ValueError(f"{self.name}: gradient shape {g.shape} does not match parameter {p.shape}")
        self._flat_grads = None
        if len(grads) == 1:  # one array (a descent run: a new gradient every step) is already one unit: no search
            self._grads_seen = None
            return
        if self._flat is not None and all(isinstance(g, np.ndarray) for g in grads):
            flat = _flat_view(grads)
            if flat is not None and flat.dtype == self._flat.dtype:
                self._flat_grads = flat
        self._grads_seen = list(grads) if all(isinstance(g, np.ndarray) for g in grads) else None

    def _units(self, grads: Sequence[np.ndarray]):
        """What ``_update`` loops over: (θ, g, state dict, scratch 1, scratch 2) — once for the flat vector, else
        per parameter."""
        if self._flat_grads is not None:
            return ((self._flat, self._flat_grads, self._flat_state, self._tmp_flat, self._tmp2_flat),)
        return zip(self.params, grads, self.state, self._tmp, self._tmp2)

    def _init_state(self) -> None:
        raise NotImplementedError

    def _update(self, grads: Sequence[np.ndarray]) -> None:
        raise NotImplementedError

    def _new_buffers(self) -> tuple[np.ndarray | None, list[np.ndarray]]:
        """One uninitialised array per parameter: (None, arrays), or (vector, views of it) when the parameters are
        flat."""
        if self._flat is None:
            return None, [np.empty_like(p) for p in self.params]
        flat = np.empty_like(self._flat)
        return flat, self._views(flat)

    def _views(self, flat: np.ndarray) -> list[np.ndarray]:
        out, pos = [], 0
        for p in self.params:
            out.append(flat[pos : pos + p.size].reshape(p.shape))
            pos += p.size
        return out

    def _buffer(self, i: int, key: str, fill: float | np.ndarray = 0.0) -> np.ndarray:
        if self._flat is not None:
            flat = self._flat_state.get(key)
            if flat is None:
                flat = np.empty_like(self._flat)
                flat[...] = fill
                self._flat_state[key] = flat
                for state, view in zip(self.state, self._views(flat)):
                    state[key] = view
            return self.state[i][key]
        buf = np.empty_like(self.params[i])
        buf[...] = fill
        self.state[i][key] = buf
        return buf

    @staticmethod
    def _decayed(p: np.ndarray, g: np.ndarray, wd: float | np.ndarray, t: np.ndarray) -> np.ndarray:
        """``g + wd·θ`` in scratch buffer ``t`` (L2 weight decay folded into the gradient, as torch does)."""
        np.multiply(p, wd, out=t)
        np.add(t, g, out=t)
        return t

    # -- state -----------------------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """Step count, hyper-parameters and copies of every state buffer (torch buffer names)."""
        return {
            "optimizer": self.name,
            "step": self.step_count,
            "hyper": {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in self.hyper.items()},
            "state": [{k: v * self._scale(k) for k, v in s.items()} for s in self.state],
        }

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Restore the step count and buffers saved by :meth:`state_dict` (hyper-parameters stay as constructed)."""
        if state.get("optimizer") != self.name:
            raise ValueError(f"{self.name}: state belongs to optimizer {state.get('optimizer')!r}")
        buffers = state["state"]
        if len(buffers) != len(self.state):
            raise ValueError(f"{self.name}: state has {len(buffers)} parameters, expected {len(self.state)}")
        for mine, theirs in zip(self.state, buffers):
            if set(mine) != set(theirs):
                raise ValueError(f"{self.name}: state buffers {sorted(theirs)} do not match {sorted(mine)}")
            for key, buf in mine.items():
                src = np.asarray(theirs[key])
                if src.shape != buf.shape:
                    raise ValueError(f"{self.name}: buffer {key} has shape {src.shape}, expected {buf.shape}")
                buf[...] = src / self._scale(key)
        self.step_count = int(state["step"])

    def _scale(self, key: str) -> float | np.ndarray:
        """Stored buffer × this = the torch buffer (1 unless a subclass stores a rescaled form)."""
        return 1.0

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k}={'array' + str(v.shape) if isinstance(v, np.ndarray) else v!r}" for k, v in self.hyper.items()
        )
        return f"{type(self).__name__}({shown})"


def _check_params(params: Sequence[np.ndarray], owner: str) -> list[np.ndarray]:
    out = list(params)
    if not out:
        raise ValueError(f"{owner}: no parameters to optimise")
    for p in out:
        if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
            raise ValueError(f"{owner}: parameters must be floating-point numpy arrays")
        if not p.flags.writeable:
            raise ValueError(f"{owner}: parameters must be writeable (they are updated in place)")
    return out


def _flat_view(arrays: Sequence[np.ndarray]) -> np.ndarray | None:
    """A 1-D view covering ``arrays`` when they are C-contiguous consecutive pieces of one array (same dtype), in
    order, else None."""
    first = arrays[0]
    base = first if first.base is None else first.base
    if not isinstance(base, np.ndarray) or base.dtype != first.dtype or not base.flags.c_contiguous:
        return None
    start = addr = first.ctypes.data
    for a in arrays:
        owner = a if a.base is None else a.base
        if owner is not base or a.dtype != first.dtype or not a.flags.c_contiguous or a.ctypes.data != addr:
            return None
        addr += a.nbytes
    offset = (start - base.ctypes.data) // first.itemsize
    return base.reshape(-1)[offset : offset + (addr - start) // first.itemsize]


def _nonzero(x: float | np.ndarray) -> bool:
    return bool(np.any(np.asarray(x) != 0))


_CHUNK = 1 << 15
"""Elements per piece of a flat update: the scratch piece stays in cache between the two passes (an MNIST
784-100-10 step's update is ~4 µs faster in three pieces than in one)."""


def _chunked(p: np.ndarray, g: np.ndarray, t: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(θ, g, scratch) pieces of three flat vectors; every scratch piece is the front of ``t``."""
    n = p.shape[0]
    return [(p[i : i + _CHUNK], g[i : i + _CHUNK], t[: min(_CHUNK, n - i)]) for i in range(0, n, _CHUNK)]


def _axpy_updater(y: np.ndarray, x: np.ndarray):
    """``f(α)`` doing y += α·x with numpy's BLAS, or None (see :func:`gdstudio.engine.nn.blas.axpy_updater`).
    Imported on first use: only a network's flat update needs it, and the nn package imports this module."""
    if not AXPY:
        return None
    from .nn.blas import axpy_updater

    return axpy_updater(y, x)


AXPY = True
"""Whether plain SGD on a network's flat vector may use BLAS ``axpy`` (tests switch it off to check the fallback)."""


class SGD(Optimizer):
    """torch.optim.SGD: plain gradient descent, optionally with (Nesterov) momentum, dampening and weight decay."""

    name = "sgd"
    display_name = "Gradient descent (SGD)"
    short_name = "SGD"
    specs = (
        _LR,
        _MOMENTUM,
        _DAMPENING,
        _WEIGHT_DECAY,
        ParamSpec("nesterov", "bool", False, doc="Nesterov: look ahead along the momentum before stepping"),
    )
    formula = "x ← x − η·∇f"
    buffer_names = ("momentum_buffer",)

    @classmethod
    def _check_combination(cls, hyper: Mapping[str, Hyper]) -> None:
        if hyper["nesterov"] and (
            not np.all(np.asarray(hyper["momentum"]) > 0) or _nonzero(hyper["dampening"])
        ):
            raise ValueError(f"{cls.name}: Nesterov momentum requires momentum > 0 and dampening = 0")

    def _init_state(self) -> None:
        h = self.hyper
        self._lr = h["lr"]
        self._wd = h["weight_decay"]
        self._mu = h["momentum"]
        self._nesterov = bool(h["nesterov"])
        self._use_momentum = _nonzero(self._mu)
        # torch skips dampening where momentum is 0 (the buffer is just g there); 1 − τ is the new gradient's share.
        damp = np.where(np.asarray(self._mu) == 0, 0.0, h["dampening"]) if self._use_momentum else 0.0
        self._keep = 1.0 - damp if np.ndim(damp) else 1.0 - float(damp)
        self._damped = _nonzero(np.asarray(self._keep) - 1.0)
        self._use_wd = _nonzero(self._wd)
        self._plain = not (self._use_momentum or self._use_wd)
        self._chunks: tuple | None = None  # (flat gradient, its pieces) of plain SGD's update
        if self._use_momentum:
            for i in range(len(self.params)):
                self._buffer(i, "momentum_buffer")

    def fused_lr(self, params: Sequence[np.ndarray]) -> float | None:
        """η when this optimizer's update is exactly θ ← θ − η·g for ``params`` (plain SGD: no momentum, no weight
        decay, a scalar learning rate, the very arrays it was made with), else None. A network may then apply the
        update itself while backpropagating (``Network.train_step``), adding 1 to ``step_count``."""
        if not self._plain or isinstance(self._lr, np.ndarray):
            return None
        if len(params) != len(self.params) or not all(map(operator.is_, params, self.params)):
            return None
        return float(self._lr)

    def _update(self, grads: Sequence[np.ndarray]) -> None:
        if self._plain and self._flat_grads is not None:  # plain SGD on a flat vector (training's hot path)
            chunks = self._chunks
            if chunks is None or chunks[0] is not self._flat_grads:
                chunks = self._chunks = (self._flat_grads, _chunked(self._flat, self._flat_grads, self._tmp2_flat),
                                         _axpy_updater(self._flat, self._flat_grads))
            lr = self._lr
            if chunks[2] is not None:  # θ ← θ + (−η)·g in one BLAS pass, one rounding (as torch's add_(g, alpha=−η))
                chunks[2](-lr)
                return
            for p, g, t in chunks[1]:
                np.multiply(g, lr, out=t)
                np.subtract(p, t, out=p)
            return
        first = self.step_count == 1
        damped, use_wd = self._damped, self._use_wd
        for p, g, s, t1, t2 in self._units(grads):
            d = self._decayed(p, g, self._wd, t1) if use_wd else g
            if self._use_momentum:
                buf = s["momentum_buffer"]
                if first:
                    np.copyto(buf, d)
                else:
                    buf *= self._mu
                    if damped:
                        np.multiply(d, self._keep, out=t2)
                        buf += t2
                    else:
                        buf += d
                if self._nesterov:
                    np.multiply(buf, self._mu, out=t2)
                    t2 += d
                    d = t2
                else:
                    d = buf
            np.multiply(d, self._lr, out=t2)
            p -= t2


class Momentum(SGD):
    """SGD with classical (heavy-ball) momentum: torch.optim.SGD(momentum=0.9)."""

    name = "momentum"
    display_name = "SGD with momentum"
    short_name = "Momentum"
    specs = (_LR, replace(_MOMENTUM, default=0.9), _DAMPENING, _WEIGHT_DECAY)
    fixed = {"nesterov": False}
    formula = "b ← μ·b + (1−τ)·∇f;  x ← x − η·b"


class Nesterov(SGD):
    """SGD with Nesterov momentum: torch.optim.SGD(momentum=0.9, nesterov=True)."""

    name = "nesterov"
    display_name = "SGD with Nesterov momentum"
    short_name = "Nesterov"
    specs = (_LR, replace(_MOMENTUM, default=0.9, min_open=True), _WEIGHT_DECAY)
    fixed = {"nesterov": True, "dampening": 0.0}
    formula = "b ← μ·b + ∇f;  x ← x − η·(∇f + μ·b)"


class Adagrad(Optimizer):
    """torch.optim.Adagrad: each coordinate's step shrinks with the sum of its squared gradients so far."""

    name = "adagrad"
    display_name = "Adagrad"
    short_name = "Adagrad"
    specs = (
        replace(_LR, default=1e-2),
        ParamSpec("lr_decay", "float", 0.0, 0.0, 10.0, False, "learning-rate decay: η/(1 + (t−1)·decay)"),
        _WEIGHT_DECAY,
        ParamSpec(
            "initial_accumulator_value", "float", 0.0, 0.0, 100.0, False, "starting value of the sum of g²"
        ),
        replace(_EPS, default=1e-10),
    )
    formula = "s ← s + g²;  x ← x − η·g/(√s + ε)"
    buffer_names = ("sum",)

    def _init_state(self) -> None:
        for i in range(len(self.params)):
            self._buffer(i, "sum", self.hyper["initial_accumulator_value"])
        self._use_wd = _nonzero(self.hyper["weight_decay"])

    def _update(self, grads: Sequence[np.ndarray]) -> None:
        h = self.hyper
        clr = h["lr"] / (1.0 + (self.step_count - 1) * h["lr_decay"])
        use_wd = self._use_wd
        eps = h["eps"]
        for p, g, s, t1, t2 in self._units(grads):
            d = self._decayed(p, g, h["weight_decay"], t1) if use_wd else g
            acc = s["sum"]
            np.multiply(d, d, out=t2)
            acc += t2
            np.sqrt(acc, out=t2)
            t2 += eps
            np.divide(d, t2, out=t2)
            t2 *= clr
            p -= t2


class RMSprop(Optimizer):
    """torch.optim.RMSprop: divide the gradient by a running root-mean-square of recent gradients."""

    name = "rmsprop"
    display_name = "RMSprop"
    short_name = "RMSprop"
    specs = (
        replace(_LR, default=1e-2),
        _ALPHA,
        _EPS,
        _WEIGHT_DECAY,
        _MOMENTUM,
        ParamSpec("centered", "bool", False, doc="centered: subtract the squared mean gradient (a variance)"),
    )
    formula = "v ← α·v + (1−α)·g²;  x ← x − η·g/(√v + ε)"
    buffer_names = ("square_avg", "momentum_buffer", "grad_avg")

    def _init_state(self) -> None:
        h = self.hyper
        self._use_momentum = _nonzero(h["momentum"])
        for i in range(len(self.params)):
            self._buffer(i, "square_avg")
            if self._use_momentum:
                self._buffer(i, "momentum_buffer")
            if h["centered"]:
                self._buffer(i, "grad_avg")
        self._one_minus_alpha = 1.0 - h["alpha"]
        self._use_wd = _nonzero(h["weight_decay"])

    def _update(self, grads: Sequence[np.ndarray]) -> None:
        h = self.hyper
        use_wd = self._use_wd
        oma = self._one_minus_alpha
        for p, g, s, t1, t2 in self._units(grads):
            d = self._decayed(p, g, h["weight_decay"], t1) if use_wd else g
            v = s["square_avg"]
            v *= h["alpha"]
            np.multiply(d, d, out=t2)
            t2 *= oma
            v += t2
            if h["centered"]:
                ga = s["grad_avg"]  # lerp towards g, as torch: ga ← ga + (1−α)(g − ga)
                np.subtract(d, ga, out=t2)
                t2 *= oma
                ga += t2
                np.multiply(ga, ga, out=t2)
                np.subtract(v, t2, out=t2)
                np.sqrt(t2, out=t2)
            else:
                np.sqrt(v, out=t2)
            t2 += h["eps"]
            np.divide(d, t2, out=t2)
            if self._use_momentum:
                buf = s["momentum_buffer"]
                buf *= h["momentum"]
                buf += t2
                np.multiply(buf, h["lr"], out=t2)
            else:
                t2 *= h["lr"]
            p -= t2


class Adam(Optimizer):
    """torch.optim.Adam: momentum on g plus RMSprop-style scaling, both bias-corrected for their zero start.

    For speed the running averages are stored divided by (1 − β): m̃ = m/(1−β₁), ṽ = v/(1−β₂), which turns each
    update into ``m̃ ← β₁m̃ + g`` and ``ṽ ← β₂ṽ + g²``; the constant factors move into the step size and ε
    (ten array operations per step instead of thirteen). Mathematically this is torch's update exactly (equal to
    rounding); :meth:`state_dict` reports torch's m and v.
    """

    name = "adam"
    display_name = "Adam"
    short_name = "Adam"
    specs = (_LR, _BETAS, _EPS, _WEIGHT_DECAY, _AMSGRAD)
    formula = "m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  x ← x − η·m̂/(√v̂ + ε)"
    buffer_names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
    decoupled = False  # AdamW: weight decay shrinks x directly instead of entering the gradient

    def _init_state(self) -> None:
        h = self.hyper
        beta1, beta2 = h["betas"]
        self._beta1, self._beta2 = beta1, beta2
        self._one_minus_beta1 = 1.0 - beta1
        self._one_minus_beta2 = 1.0 - beta2
        self._use_wd = _nonzero(h["weight_decay"])
        self._shrink = 1.0 - h["lr"] * h["weight_decay"]
        for i in range(len(self.params)):
            self._buffer(i, "exp_avg")
            self._buffer(i, "exp_avg_sq")
            if h["amsgrad"]:
                self._buffer(i, "max_exp_avg_sq")

    def _scale(self, key: str) -> float | np.ndarray:
        """Stored buffer × this = torch's buffer."""
        return self._one_minus_beta1 if key == "exp_avg" else self._one_minus_beta2

    def _update(self, grads: Sequence[np.ndarray]) -> None:
        h = self.hyper
        t = self.step_count
        # torch: x ← x − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε). With m = (1−β₁)m̃, v = (1−β₂)ṽ and c = √((1−β₂ᵗ)/(1−β₂)):
        #        x ← x − [η(1−β₁)c/(1−β₁ᵗ)] · m̃ / (√ṽ + ε·c)
        c = np.sqrt((1.0 - self._beta2**t) / self._one_minus_beta2)
        step_size = h["lr"] * self._one_minus_beta1 * c / (1.0 - self._beta1**t)
        eps_c = h["eps"] * c
        amsgrad = h["amsgrad"]
        for p, g, s, t1, t2 in self._units(grads):
            if self._use_wd:
                if self.decoupled:
                    p *= self._shrink
                    d = g
                else:
                    d = self._decayed(p, g, h["weight_decay"], t1)
            else:
                d = g
            m = s["exp_avg"]
            m *= self._beta1
            m += d
            v = s["exp_avg_sq"]
            v *= self._beta2
            np.multiply(d, d, out=t2)
            v += t2
            if amsgrad:  # torch keeps the max of the raw v and bias-corrects it afterwards
                vmax = s["max_exp_avg_sq"]
                np.maximum(vmax, v, out=vmax)
                v = vmax
            np.sqrt(v, out=t2)
            t2 += eps_c
            np.divide(m, t2, out=t2)
            t2 *= step_size
            p -= t2


class AdamW(Adam):
    """torch.optim.AdamW: Adam with decoupled weight decay (x shrinks by η·λ·x before the Adam step)."""

    name = "adamw"
    display_name = "AdamW"
    short_name = "AdamW"
    specs = (_LR, _BETAS, _EPS, replace(_WEIGHT_DECAY, default=1e-2), _AMSGRAD)
    formula = "x ← x − η·λ·x;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  x ← x − η·m̂/(√v̂ + ε)"
    decoupled = True


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW)
}


def make_optimizer(name: str, params: Sequence[np.ndarray], **hyper: Any) -> Optimizer:
    """Build the optimizer registered as ``name``; ValueError for an unknown name or hyper-parameter."""
    try:
        cls = OPTIMIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown optimizer {name!r} (valid: {', '.join(OPTIMIZERS)})") from None
    return cls(params, **hyper)
