"""Initial weights: the schemes the book compares, explicit weights from an experiment file, and the seed.

Schemes (``n_in`` = inputs of the layer, ``n_out`` = its outputs):

====================  =========================================================  =========================
``zeros``             W = 0 (every hidden unit stays identical: the book's warning)
``constant``          W = c
``uniform``           W ~ U(−a, a)
``normal``            W ~ N(0, σ²), σ = 0.01 by default (the book's ``weight_init_std``)
``xavier``            W ~ N(0, 1/n_in) — the book's "Xavier" (σ = √(1/n))           sigmoid, tanh
``glorot_uniform``    W ~ U(−√(6/(n_in + n_out)), +√(6/(n_in + n_out)))             Keras' default
``he``                W ~ N(0, 2/n_in)                                               ReLU
``auto``              ``he`` when the hidden activation is ReLU-like, else ``xavier`` (the book's rule)
====================  =========================================================  =========================

Biases are ``bias`` (0 unless set). Weights are drawn in float64 from ``np.random.default_rng(seed)`` layer by layer,
W before b, so a seed gives the same start in float32 and float64 runs. ``seed=None`` draws a fresh seed and
reports it (:func:`resolve_seed`) so Reset can restart from the same weights until the user asks for new ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "INIT_SCHEMES",
    "InitSpec",
    "check_weight_sizes",
    "draw_parameters",
    "parse_weights",
    "resolve_scheme",
    "resolve_seed",
    "scheme_scale",
]

INIT_SCHEMES = ("auto", "zeros", "constant", "uniform", "normal", "xavier", "glorot_uniform", "he")
_RELU_LIKE = ("relu", "leaky_relu")
_SEED_MAX = 2**32 - 1

Weights = tuple[tuple[np.ndarray, np.ndarray], ...]


@dataclass(frozen=True)
class InitSpec:
    """How to fill the weights: a scheme with its σ/a/c, the bias value and the seed — or explicit weights.

    ``weights`` (explicit) wins over the scheme: a sequence of ``{"W": [[...]], "b": [...]}`` per layer with
    W shaped (inputs, outputs) as in the book (``b`` optional: zeros). It is validated and stored as float64 arrays.
    """

    scheme: str = "auto"
    sigma: float = 0.01
    a: float = 0.05
    c: float = 0.0
    bias: float = 0.0
    seed: int | None = 0
    weights: Weights | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.scheme not in INIT_SCHEMES:
            raise ValueError(f"init.scheme: unknown scheme {self.scheme!r} (valid: {', '.join(INIT_SCHEMES)})")
        for name in ("sigma", "a", "c", "bias"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
                raise ValueError(f"init.{name}: must be a number")
            if not math.isfinite(float(value)):
                raise ValueError(f"init.{name}: must be a finite number")
            object.__setattr__(self, name, float(value))
        if self.sigma < 0:
            raise ValueError("init.sigma: must be >= 0")
        if self.a < 0:
            raise ValueError("init.a: must be >= 0")
        if self.seed is not None:
            if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or not (
                0 <= self.seed <= _SEED_MAX
            ):
                raise ValueError(f"init.seed: must be a whole number from 0 to {_SEED_MAX}, or null")
            object.__setattr__(self, "seed", int(self.seed))
        if self.weights is not None:
            object.__setattr__(self, "weights", parse_weights(self.weights))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> InitSpec:
        """From the experiment-file form ``{"scheme": "xavier", "seed": 0}`` or ``{"weights": [...]}`` (strict)."""
        if not isinstance(d, Mapping):
            raise ValueError("init: must be an object")
        known = {"scheme", "sigma", "a", "c", "bias", "seed", "weights"}
        for key in d:
            if key not in known:
                raise ValueError(f"init.{key}: unknown key (valid: {', '.join(sorted(known))})")
        return cls(**dict(d))

    def to_dict(self) -> dict[str, Any]:
        """The experiment-file form (only what differs from the defaults, plus scheme and seed)."""
        out: dict[str, Any] = {"scheme": self.scheme, "seed": self.seed}
        defaults = InitSpec()
        for name in ("sigma", "a", "c", "bias"):
            if getattr(self, name) != getattr(defaults, name):
                out[name] = getattr(self, name)
        if self.weights is not None:
            out["weights"] = [{"W": W.tolist(), "b": b.tolist()} for W, b in self.weights]
        return out


def resolve_scheme(scheme: str, activation: str) -> str:
    """``auto`` -> ``he`` for ReLU-like hidden activations, ``xavier`` otherwise; other schemes unchanged."""
    if scheme != "auto":
        return scheme
    return "he" if activation in _RELU_LIKE else "xavier"


def resolve_seed(seed: int | None) -> int:
    """The seed itself, or a fresh one (from OS entropy) when None."""
    if seed is not None:
        return int(seed)
    return int(np.random.SeedSequence().generate_state(1)[0])


def scheme_scale(spec: InitSpec, scheme: str, n_in: int, n_out: int) -> tuple[str, float]:
    """What a scheme draws for one layer: ("normal", σ), ("uniform", half-width) or ("constant", value)."""
    if scheme == "zeros":
        return "constant", 0.0
    if scheme == "constant":
        return "constant", spec.c
    if scheme == "uniform":
        return "uniform", spec.a
    if scheme == "normal":
        return "normal", spec.sigma
    if scheme == "xavier":
        return "normal", math.sqrt(1.0 / n_in)
    if scheme == "glorot_uniform":
        return "uniform", math.sqrt(6.0 / (n_in + n_out))
    if scheme == "he":
        return "normal", math.sqrt(2.0 / n_in)
    raise ValueError(f"init.scheme: unknown scheme {scheme!r}")


def draw_parameters(spec: InitSpec, sizes: Sequence[int], activation: str, seed: int) -> Weights:
    """(W, b) float64 pairs for consecutive layer sizes, from ``spec`` (explicit weights are checked and copied)."""
    if spec.weights is not None:
        weights = spec.weights
        check_weight_sizes(weights, sizes)
        return tuple((W.copy(), b.copy()) for W, b in weights)
    scheme = resolve_scheme(spec.scheme, activation)
    rng = np.random.default_rng(seed)
    out = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        kind, scale = scheme_scale(spec, scheme, n_in, n_out)
        if kind == "normal":
            W = rng.standard_normal((n_in, n_out)) * scale
        elif kind == "uniform":
            W = rng.uniform(-scale, scale, (n_in, n_out))
        else:
            W = np.full((n_in, n_out), scale)
        b = np.full(n_out, spec.bias)
        out.append((W, b))
    return tuple(out)


def check_weight_sizes(weights: Weights, sizes: Sequence[int]) -> None:
    """ValueError when explicit weights do not match the layer sizes (names the first mismatch)."""
    if len(weights) != len(sizes) - 1:
        raise ValueError(
            f"init.weights: {len(weights)} layer(s) of weights given, but the network has {len(sizes) - 1}"
        )
    for k, (W, _b) in enumerate(weights):
        expected = (sizes[k], sizes[k + 1])
        if W.shape != expected:
            raise ValueError(
                f"init.weights[{k}].W: expected shape {expected[0]}×{expected[1]} (inputs × outputs), "
                f"got {W.shape[0]}×{W.shape[1]}"
            )


def _table(value: Any, where: str, ndim: int) -> np.ndarray:
    try:
        arr = np.array(value, dtype=np.float64)  # always a copy: the caller's array is never frozen
    except (TypeError, ValueError):
        what = "a rectangular table of numbers" if ndim == 2 else "a list of numbers"
        raise ValueError(f"{where}: must be {what}") from None
    if ndim == 1 and arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != ndim:
        what = "a table (list of rows: one row per input, one column per output)" if ndim == 2 else "a list"
        raise ValueError(f"{where}: must be {what}")
    if arr.size == 0:
        raise ValueError(f"{where}: must not be empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{where}: must contain finite numbers only")
    return arr


def parse_weights(weights: Any) -> Weights:
    """Validate explicit weights ``[{"W": [[...]], "b": [...]}, ...]`` or (W, b) pairs: shapes chain, all finite."""
    if isinstance(weights, (str, bytes, Mapping)) or not isinstance(weights, Sequence) or len(weights) == 0:
        raise ValueError("init.weights: must be a non-empty list of {\"W\": [[...]], \"b\": [...]} layers")
    out = []
    for k, layer in enumerate(weights):
        where = f"init.weights[{k}]"
        if isinstance(layer, Mapping):
            for key in layer:
                if key not in ("W", "b"):
                    raise ValueError(f"{where}.{key}: unknown key (valid: W, b)")
            if "W" not in layer:
                raise ValueError(f"{where}.W: missing")
            W_raw, b_raw = layer["W"], layer.get("b")
        elif isinstance(layer, (tuple, list)) and len(layer) == 2:
            W_raw, b_raw = layer
        else:
            raise ValueError(f"{where}: must be an object with W (and optionally b)")
        W = _table(W_raw, f"{where}.W", 2)
        if b_raw is None:
            b = np.zeros(W.shape[1])
        else:
            b = _table(b_raw, f"{where}.b", 1)
            if b.shape != (W.shape[1],):
                raise ValueError(f"{where}.b: expected {W.shape[1]} value(s) (one per output), got {b.shape[0]}")
        if out and out[-1][0].shape[1] != W.shape[0]:
            prev = out[-1][0].shape[1]
            raise ValueError(
                f"{where}.W: has {W.shape[0]} row(s) (inputs) but the previous layer has {prev} output(s)"
            )
        W.setflags(write=False)
        b.setflags(write=False)
        out.append((W, b))
    return tuple(out)
