"""A multi-layer perceptron built from a :class:`NetworkSpec`: Affine → [BatchNorm] → activation → [Dropout] per
hidden layer, then Affine → output + loss (the book's ``MultiLayerNetExtend`` layout).

The parameter arrays are created once and only ever changed in place, so ``params()`` / ``grads()`` can be handed
to the descent lab's optimizers (``make_optimizer(name, net.params(), lr=…).step(net.grads())``). Their order is
stable and named by ``param_names()``: ``W1, b1, [gamma1, beta1,] W2, b2, …`` (``weights.npz`` keys).

Losses include the weight penalties: ``½·λ₂·Σ‖W‖²`` (the book's weight decay) and ``λ₁·Σ|W|`` over the weight
matrices only (not biases, not γ/β), and ``gradient`` adds ``λ₂·W`` and ``λ₁·sign(W)`` to the weight gradients.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .blas import axpy_updater
from .activations import HIDDEN_ACTIVATIONS, Activation, Step, make_activation
from .gradcheck import numerical_gradient
from .initializers import InitSpec, check_weight_sizes, draw_parameters, resolve_seed
from .layers import Affine, BatchNorm, Dropout, Layer, NotTrainableError
from .losses import Head, MSEHead, canonical_output_loss, make_head

__all__ = ["DTYPES", "EVAL_CHUNK", "SGD_ACCUMULATE_MIN", "Block", "Network", "NetworkSpec", "auto_dtype"]

DTYPES = ("float64", "float32", "auto")
EVAL_CHUNK = 512
"""Rows per forward pass when evaluating or predicting many samples (bounds the buffers, keeps BLAS efficient)."""
AUTO_FLOAT32_INPUTS = 64
"""``dtype="auto"`` uses float32 when the input layer has at least this many units (digits 8×8, MNIST 28×28)."""


SGD_ACCUMULATE_MIN = 20_000
"""``Network.train_step`` updates weight matrices from this many entries by BLAS accumulation (W += −η·xᵀ·δ)
instead of writing ∂W and reading it back; smaller ones cost more per call that way than they save."""


def _axpy(p: np.ndarray, g: np.ndarray):
    """``f(α)``: p += α·g — numpy's BLAS axpy (one rounding, as torch), else numpy in two passes (as SGD.step)."""
    fn = axpy_updater(p, g)
    if fn is not None:
        return fn
    tmp = np.empty_like(p)

    def update(alpha: float) -> None:
        np.multiply(g, -alpha, out=tmp)
        np.subtract(p, tmp, out=p)

    return update


def auto_dtype(n_inputs: int) -> str:
    """float32 for image-sized inputs (speed; plenty of precision for training), float64 for small lessons."""
    return "float32" if n_inputs >= AUTO_FLOAT32_INPUTS else "float64"


def _per_hidden(value: Any, n_hidden: int, name: str) -> tuple:
    if isinstance(value, (list, tuple)):
        values = tuple(value)
        if len(values) != n_hidden:
            raise ValueError(f"network.{name}: give one value for all hidden layers or exactly {n_hidden}")
    else:
        values = (value,) * n_hidden
    return values


@dataclass(frozen=True)
class NetworkSpec:
    """Everything that defines a network before training. Validated on construction (ValueError "network.…: …").

    ``layers`` counts units from the input to the output layer, e.g. ``(784, 100, 10)``; it may be None when
    ``init.weights`` is given (then the weights' shapes define it). ``activation``, ``dropout`` and ``batchnorm``
    take one value for every hidden layer or a sequence with one per hidden layer.
    """

    layers: tuple[int, ...] | None = None
    activation: str | tuple[str, ...] = "relu"
    output: str = "softmax"
    loss: str | None = None
    init: InitSpec = field(default_factory=InitSpec)
    dropout: float | tuple[float, ...] = 0.0
    batchnorm: bool | tuple[bool, ...] = False
    l2: float = 0.0
    l1: float = 0.0
    leaky_alpha: float = 0.01
    dtype: str = "float64"

    def __post_init__(self) -> None:
        init = self.init
        if isinstance(init, Mapping):
            init = InitSpec.from_dict(init)
            object.__setattr__(self, "init", init)
        if not isinstance(init, InitSpec):
            raise ValueError("network.init: must be an InitSpec or an object")
        layers = self.layers
        if layers is None:
            if init.weights is None:
                raise ValueError("network.layers: give the layer sizes (or explicit weights in init.weights)")
            layers = (init.weights[0][0].shape[0],) + tuple(W.shape[1] for W, _ in init.weights)
        if isinstance(layers, (str, bytes)) or not isinstance(layers, Sequence):
            raise ValueError("network.layers: must be a list of unit counts, input to output")
        sizes = []
        for n in layers:
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError("network.layers: every layer needs a whole number >= 1 of units")
            sizes.append(int(n))
        if len(sizes) < 2:
            raise ValueError("network.layers: needs at least an input and an output layer")
        if sum(a * b for a, b in zip(sizes[:-1], sizes[1:])) > 50_000_000:
            raise ValueError("network.layers: more than 50 million weights is beyond this app")
        object.__setattr__(self, "layers", tuple(sizes))
        n_hidden = len(sizes) - 2
        acts = _per_hidden(self.activation, n_hidden, "activation")
        for a in acts + ((self.activation,) if isinstance(self.activation, str) else ()):
            if a not in HIDDEN_ACTIVATIONS:
                raise ValueError(
                    f"network.activation: unknown activation {a!r} (valid: {', '.join(HIDDEN_ACTIVATIONS)})"
                )
        object.__setattr__(self, "activation", acts if isinstance(self.activation, (list, tuple)) else self.activation)
        try:
            output, loss = canonical_output_loss(self.output, self.loss)
        except ValueError as e:
            raise ValueError(f"network.output/loss: {e}") from None
        object.__setattr__(self, "loss", loss)
        if output == "softmax" and sizes[-1] < 2:
            raise ValueError("network.output: softmax needs at least 2 output units (use sigmoid for one)")
        drops = _per_hidden(self.dropout, n_hidden, "dropout")
        for d in drops:
            if isinstance(d, bool) or not isinstance(d, (int, float, np.floating, np.integer)) or not (0 <= d < 1):
                raise ValueError("network.dropout: the drop ratio must be a number in [0, 1)")
        if isinstance(self.dropout, (list, tuple)):
            object.__setattr__(self, "dropout", tuple(float(d) for d in drops))
        else:
            object.__setattr__(self, "dropout", float(self.dropout))
        norms = _per_hidden(self.batchnorm, n_hidden, "batchnorm")
        for bn in norms:
            if not isinstance(bn, (bool, np.bool_)):
                raise ValueError("network.batchnorm: must be true or false")
        if isinstance(self.batchnorm, (list, tuple)):
            object.__setattr__(self, "batchnorm", tuple(bool(b) for b in norms))
        for name in ("l2", "l1", "leaky_alpha"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.floating, np.integer)) or not math.isfinite(v):
                raise ValueError(f"network.{name}: must be a finite number")
            if v < 0:
                raise ValueError(f"network.{name}: must be >= 0")
            object.__setattr__(self, name, float(v))
        if self.leaky_alpha >= 1:
            raise ValueError("network.leaky_alpha: must be in [0, 1)")
        if self.dtype not in DTYPES:
            raise ValueError(f"network.dtype: must be one of {', '.join(DTYPES)}")
        if init.weights is not None:
            try:
                check_weight_sizes(init.weights, sizes)
            except ValueError as e:
                raise ValueError(f"network.{e}") from None

    # -- derived ---------------------------------------------------------------------------------------------
    @property
    def sizes(self) -> tuple[int, ...]:
        return self.layers  # type: ignore[return-value]

    @property
    def n_hidden(self) -> int:
        return len(self.sizes) - 2

    @property
    def hidden_activations(self) -> tuple[str, ...]:
        return _per_hidden(self.activation, self.n_hidden, "activation")

    @property
    def hidden_dropout(self) -> tuple[float, ...]:
        return tuple(float(d) for d in _per_hidden(self.dropout, self.n_hidden, "dropout"))

    @property
    def hidden_batchnorm(self) -> tuple[bool, ...]:
        return tuple(bool(b) for b in _per_hidden(self.batchnorm, self.n_hidden, "batchnorm"))

    @property
    def resolved_dtype(self) -> str:
        return auto_dtype(self.sizes[0]) if self.dtype == "auto" else self.dtype

    @property
    def trainable(self) -> bool:
        """False when a step function sits anywhere (hidden or output): gradients cannot pass it."""
        return "step" not in self.hidden_activations and self.output != "step"

    def replace(self, **changes: Any) -> NetworkSpec:
        """A copy with some fields changed (validated again)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return NetworkSpec(**values)

    # -- experiment files ------------------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> NetworkSpec:
        """From the experiment-file object ``{"layers": [2, 4, 1], "activation": "tanh", …}`` (strict keys)."""
        if not isinstance(d, Mapping):
            raise ValueError("network: must be an object")
        names = {f.name for f in fields(cls)}
        for key in d:
            if key not in names:
                raise ValueError(f"network.{key}: unknown key (valid: {', '.join(sorted(names))})")
        values = dict(d)
        if "init" in values:
            values["init"] = InitSpec.from_dict(values["init"])
        for key in ("layers", "activation", "dropout", "batchnorm"):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The experiment-file object (JSON-ready)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name == "init":
                v = v.to_dict()
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out


@dataclass(frozen=True)
class Block:
    """One layer as a student sees it: Affine k, its optional BatchNorm, its activation, its optional Dropout.

    ``index`` counts from 1 (W1 belongs to block 1). The output block's activation is the head's output.
    """

    index: int
    affine: Affine
    batchnorm: BatchNorm | None
    activation: Activation | None
    dropout: Dropout | None
    activation_name: str
    is_output: bool
    head: Head | None = None

    @property
    def params(self) -> list[np.ndarray]:
        out = [self.affine.W, self.affine.b]
        if self.batchnorm is not None:
            out += [self.batchnorm.gamma, self.batchnorm.beta]
        return out

    @property
    def grads(self) -> list[np.ndarray]:
        out = [self.affine.dW, self.affine.db]
        if self.batchnorm is not None:
            out += [self.batchnorm.dgamma, self.batchnorm.dbeta]
        return out

    @property
    def pre_activation(self) -> np.ndarray | None:
        """a (after BatchNorm when present) of the last forward pass."""
        return (self.batchnorm or self.affine).out

    @property
    def activation_out(self) -> np.ndarray | None:
        """h = activation(a) of the last forward pass (the output block: y)."""
        if self.is_output:
            return self.head.out if self.head is not None else None
        return self.activation.out if self.activation is not None else None


class Network:
    """The trainable network. ``dropout_seed`` seeds the dropout masks (default: derived from the init seed)."""

    def __init__(self, spec: NetworkSpec, *, dropout_seed: int | None = None) -> None:
        self.spec = spec
        self.dtype = np.dtype(spec.resolved_dtype)
        self.init_seed = resolve_seed(spec.init.seed)
        sizes = spec.sizes
        hidden = spec.hidden_activations
        weights = draw_parameters(spec.init, sizes, hidden[0] if hidden else spec.output, self.init_seed)
        seq = np.random.SeedSequence(self.init_seed if dropout_seed is None else dropout_seed)
        self.layers: list[Layer] = []
        self.blocks: list[Block] = []
        self.head: Head = make_head(spec.output, spec.loss)
        n_layers = len(sizes) - 1
        drops, norms = spec.hidden_dropout, spec.hidden_batchnorm
        drop_rngs = iter([np.random.default_rng(s) for s in seq.spawn(max(1, n_layers))])
        for k, (W, b) in enumerate(weights, start=1):
            affine = Affine(W.astype(self.dtype), b.astype(self.dtype), name=f"Affine{k}", need_dx=k > 1,
                            order="F" if k == n_layers else "C")
            self.layers.append(affine)
            if k == n_layers:
                out_act = self.head.activation if isinstance(self.head, MSEHead) else None
                self.blocks.append(Block(k, affine, None, out_act, None, spec.output, True, self.head))
                continue
            bn = BatchNorm(sizes[k], self.dtype, name=f"BatchNorm{k}") if norms[k - 1] else None
            if bn is not None:
                self.layers.append(bn)
            act = make_activation(hidden[k - 1], spec.leaky_alpha, f"{hidden[k - 1]}{k}")
            self.layers.append(act)
            drop = Dropout(drops[k - 1], next(drop_rngs), name=f"Dropout{k}") if drops[k - 1] > 0 else None
            if drop is not None:
                self.layers.append(drop)
            self.blocks.append(Block(k, affine, bn, act, drop, hidden[k - 1], False))
        self._flat, self._flat_grad = self._pack()
        self._params: list[np.ndarray] = []
        self._grads: list[np.ndarray] = []
        self._names: list[str] = []
        for block in self.blocks:
            k = block.index
            self._params += block.params
            self._grads += block.grads
            self._names += [f"W{k}", f"b{k}"] + ([f"gamma{k}", f"beta{k}"] if block.batchnorm is not None else [])
        self._weights = [b.affine.W for b in self.blocks]
        self._weight_grads = [b.affine.dW for b in self.blocks]
        self._reg_tmp = [np.empty_like(W) for W in self._weights] if (spec.l1 or spec.l2) else []
        self._offsets = np.cumsum([0] + [p.size for p in self._params])
        self._initial = [p.copy() for p in self._params]
        self._trainable = spec.trainable
        self._regularized = bool(spec.l1 or spec.l2)
        # The training pass's calls, bound once (the hot path of training; the layers never change).
        self._train_forward = tuple(layer.forward for layer in self.layers)
        self._train_backward = tuple(layer.backward for layer in reversed(self.layers))
        # train_step's plain-SGD pass: Affine layers update their W and b while backpropagating (no batch norm —
        # its γ/β would need an update of their own — and no penalty terms, which change ∂W)
        # Weight matrices from SGD_ACCUMULATE_MIN entries are accumulated into (W += −η·xᵀ·δ); every other
        # parameter gets its gradient written and is updated afterwards, one pass per piece of the flat vector.
        self._affines = tuple(layer for layer in self.layers if isinstance(layer, Affine))
        big = {id(a) for a in self._affines if a.W.size >= SGD_ACCUMULATE_MIN}
        self._sgd_backward = tuple(
            (layer.backward_sgd, True) if id(layer) in big else (layer.backward, False)
            for layer in reversed(self.layers)
        )
        segments, start = [], 0
        for name, a, b in zip(self._names, self._offsets[:-1], self._offsets[1:]):
            if name.startswith("W") and id(self.blocks[int(name[1:]) - 1].affine) in big:
                if a > start:
                    segments.append((start, int(a)))
                start = int(b)
        if self.n_params > start:
            segments.append((start, self.n_params))
        self._sgd_segments = segments
        self._sgd_updaters: list | None = None
        self._fusable = self._trainable and not self._regularized and not any(norms)
        self._fused_for: tuple = (None, None)  # (optimizer, its learning rate or None) last asked
        self.last_loss = math.nan

    def _pack(self) -> tuple[np.ndarray, np.ndarray]:
        """Every parameter becomes a view of one flat vector and every gradient a view of another, in ``params()``
        order: an optimizer step is then one operation per term of its formula instead of one per array, and the
        trajectory's ``flat_params`` one copy."""
        owners: list[Layer] = []
        for block in self.blocks:
            owners.append(block.affine)
            if block.batchnorm is not None:
                owners.append(block.batchnorm)
        total = sum(p.size for layer in owners for p in layer.params.values())
        flat = np.empty(total, self.dtype)
        flat_grad = np.zeros(total, self.dtype)
        pos = 0
        for layer in owners:
            views, grad_views = {}, {}
            for name, p in layer.params.items():
                views[name] = flat[pos : pos + p.size].reshape(p.shape)
                grad_views[name] = flat_grad[pos : pos + p.size].reshape(p.shape)
                pos += p.size
            layer.adopt(views, grad_views)
        return flat, flat_grad

    # -- parameters ------------------------------------------------------------------------------------------
    @property
    def n_inputs(self) -> int:
        return self.spec.sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.spec.sizes[-1]

    @property
    def n_params(self) -> int:
        return int(self._offsets[-1])

    def params(self) -> list[np.ndarray]:
        """The parameter arrays themselves (updated in place by optimizers), order of :meth:`param_names`."""
        return list(self._params)

    def grads(self) -> list[np.ndarray]:
        """The gradient arrays (same order and shapes as ``params()``), filled by :meth:`gradient`."""
        self.materialize_grads()
        return list(self._grads)

    def materialize_grads(self) -> None:
        """Write the gradients a fused :meth:`train_step` left unwritten (cheap no-op when they are current). Call it
        before reading gradient arrays directly (``Block.grads``, ``affine.dW``) after ``train_step``; ``grads()``
        and ``flat_grads()`` do it themselves."""
        for affine in self._affines:
            if affine._pending is not None:
                affine.materialize()

    def param_names(self) -> list[str]:
        return list(self._names)

    def param(self, name: str) -> np.ndarray:
        """One parameter array by name (``"W2"``); KeyError listing the names otherwise."""
        try:
            return self._params[self._names.index(name)]
        except ValueError:
            raise KeyError(f"no parameter {name!r} (valid: {', '.join(self._names)})") from None

    def flat_params(self, out: np.ndarray | None = None) -> np.ndarray:
        """All parameters as one vector (a copy, or written into ``out``), in ``params()`` order."""
        if out is None:
            return self._flat.copy()
        out[...] = self._flat
        return out

    def flat_grads(self) -> np.ndarray:
        self.materialize_grads()
        return self._flat_grad.copy()

    def set_flat_params(self, v: np.ndarray) -> None:
        """Write a flat vector back into the parameter arrays (in place; optimizers keep their references)."""
        v = np.asarray(v)
        if v.shape != (self.n_params,):
            raise ValueError(f"expected a vector of {self.n_params} parameters, got shape {v.shape}")
        self._flat[...] = v

    def flat_slices(self) -> dict[str, slice]:
        """Where each named parameter sits in the flat vector."""
        return {n: slice(int(a), int(b)) for n, a, b in zip(self._names, self._offsets[:-1], self._offsets[1:])}

    def flat_index(self, name: str, index: int | Sequence[int] = 0) -> int:
        """Flat-vector position of ``name[index]``, e.g. ``flat_index("W1", (0, 1))``."""
        p = self.param(name)
        idx = (index,) if isinstance(index, (int, np.integer)) else tuple(index)
        try:
            local = int(np.ravel_multi_index(idx, p.shape))
        except ValueError:
            raise ValueError(f"{name}{list(idx)} is outside {name} of shape {p.shape}") from None
        return int(self._offsets[self._names.index(name)]) + local

    def describe_flat_index(self, i: int) -> str:
        """``"W1[0,1]"`` for a flat-vector position."""
        if not 0 <= i < self.n_params:
            raise ValueError(f"parameter index {i} outside 0..{self.n_params - 1}")
        k = int(np.searchsorted(self._offsets, i, side="right")) - 1
        p = self._params[k]
        idx = np.unravel_index(i - int(self._offsets[k]), p.shape)
        return f"{self._names[k]}[{','.join(str(int(j)) for j in idx)}]"

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        """Copies per block: ``{"W", "b"}`` (plus ``"gamma", "beta"`` with batch norm)."""
        out = []
        for block in self.blocks:
            d = {"W": block.affine.W.copy(), "b": block.affine.b.copy()}
            if block.batchnorm is not None:
                d["gamma"] = block.batchnorm.gamma.copy()
                d["beta"] = block.batchnorm.beta.copy()
            out.append(d)
        return out

    def set_weights(self, weights: Sequence[Mapping[str, Any]]) -> None:
        """Write weights given as in :meth:`get_weights` (missing keys keep their values); shapes are checked."""
        if len(weights) != len(self.blocks):
            raise ValueError(f"expected weights for {len(self.blocks)} layers, got {len(weights)}")
        staged = []
        for block, d in zip(self.blocks, weights):
            targets = {"W": block.affine.W, "b": block.affine.b}
            if block.batchnorm is not None:
                targets.update(gamma=block.batchnorm.gamma, beta=block.batchnorm.beta)
            for key, value in d.items():
                if key not in targets:
                    raise ValueError(f"layer {block.index}: unknown parameter {key!r}")
                arr = np.asarray(value, dtype=np.float64)
                if arr.shape != targets[key].shape:
                    raise ValueError(
                        f"{key}{block.index}: expected shape {targets[key].shape}, got {arr.shape}"
                    )
                if not np.all(np.isfinite(arr)):
                    raise ValueError(f"{key}{block.index}: must contain finite numbers only")
                staged.append((targets[key], arr))
        for target, arr in staged:
            target[...] = arr

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of every parameter (``W1, b1, …``) and the batch-norm running statistics (``weights.npz``)."""
        out = {n: p.copy() for n, p in zip(self._names, self._params)}
        for block in self.blocks:
            if block.batchnorm is not None:
                out[f"running_mean{block.index}"] = block.batchnorm.running_mean.copy()
                out[f"running_var{block.index}"] = block.batchnorm.running_var.copy()
        return out

    def load_state_dict(self, state: Mapping[str, np.ndarray]) -> None:
        """Restore what :meth:`state_dict` saved (in place)."""
        own = self.state_dict()
        missing = [k for k in own if k not in state]
        if missing:
            raise ValueError(f"state lacks {', '.join(missing)}")
        targets = dict(zip(self._names, self._params))
        for block in self.blocks:
            if block.batchnorm is not None:
                targets[f"running_mean{block.index}"] = block.batchnorm.running_mean
                targets[f"running_var{block.index}"] = block.batchnorm.running_var
        for key, target in targets.items():
            arr = np.asarray(state[key])
            if arr.shape != target.shape:
                raise ValueError(f"{key}: expected shape {target.shape}, got {arr.shape}")
            target[...] = arr

    def reset(self) -> None:
        """Back to the initial weights (same seed, same values) and fresh batch-norm statistics; in place."""
        for p, p0 in zip(self._params, self._initial):
            p[...] = p0
        for block in self.blocks:
            if block.batchnorm is not None:
                block.batchnorm.running_mean[...] = 0
                block.batchnorm.running_var[...] = 1

    # -- data ------------------------------------------------------------------------------------------------
    def as_input(self, x: Any) -> np.ndarray:
        """Inputs as a (N, n_inputs) array of the network's dtype (1-D: N samples if 1 input, else one sample)."""
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim == 1:
            x = x.reshape(-1, 1) if self.n_inputs == 1 else x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != self.n_inputs:
            got = x.shape[1] if x.ndim == 2 else x.shape
            raise ValueError(
                f"the data has {got} feature(s) per sample but the network's input layer has {self.n_inputs} unit(s)"
            )
        return x

    def prepare_targets(self, t: Any) -> np.ndarray:
        """Targets in the form the loss computes with (labels for softmax + cross-entropy, else float rows)."""
        return self.head.prepare_targets(t, self.n_outputs, self.dtype)

    # -- forward ---------------------------------------------------------------------------------------------
    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """Logits z of the output layer (internal buffer, overwritten by the next pass of that batch size)."""
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def _chunks(self, n: int):
        return range(0, n, EVAL_CHUNK) if n else range(0)

    def logits(self, x: Any) -> np.ndarray:
        """z for every sample (evaluation mode, a new array)."""
        x = self.as_input(x)
        out = np.empty((x.shape[0], self.n_outputs), self.dtype)
        with np.errstate(over="ignore", under="ignore"):  # e^z overflowing inside σ(z) = 1/(1 + e^−z) is harmless
            for s in self._chunks(x.shape[0]):
                out[s : s + EVAL_CHUNK] = self.forward(x[s : s + EVAL_CHUNK], False)
        return out

    def predict(self, x: Any) -> np.ndarray:
        """Outputs y (probabilities for softmax/sigmoid, values for identity) in evaluation mode: a new array."""
        z = self.logits(x)
        with np.errstate(over="ignore", under="ignore"):
            return self.head.predict(z)

    def regularization(self) -> float:
        """½·λ₂·Σ‖W‖² + λ₁·Σ|W| over the weight matrices."""
        l1, l2 = self.spec.l1, self.spec.l2
        total = 0.0
        if l2:
            total += 0.5 * l2 * sum(float(np.vdot(W, W)) for W in self._weights)
        if l1:
            total += l1 * sum(float(np.sum(np.abs(W))) for W in self._weights)
        return total

    def evaluate(self, x: Any, t: Any, *, prepared: bool = False) -> tuple[float, float]:
        """(loss incl. penalties, accuracy) in evaluation mode over all samples, chunked."""
        x = self.as_input(x)
        tp = t if prepared else self.prepare_targets(t)
        n = x.shape[0]
        if n == 0:
            return math.nan, math.nan
        total = 0.0
        correct = 0
        head = self.head
        with np.errstate(over="ignore", under="ignore"):
            for s in self._chunks(n):
                xc = x[s : s + EVAL_CHUNK]
                tc = tp[s : s + EVAL_CHUNK]
                total += head.forward(self.forward(xc, False), tc, False) * xc.shape[0]
                correct += head.correct(head.out, tc)
        return total / n + self.regularization(), correct / n

    def loss(self, x: Any, t: Any, train: bool = False) -> float:
        """Mean loss plus penalties (evaluation mode unless ``train``)."""
        if not train:
            return self.evaluate(x, t)[0]
        x = self.as_input(x)
        with np.errstate(over="ignore", under="ignore"):
            return self.head.forward(self.forward(x, True), self.prepare_targets(t), True) + self.regularization()

    def accuracy(self, x: Any, t: Any) -> float:
        """Share of samples classified right (argmax, or threshold 0.5 — 0 for tanh — with one output)."""
        return self.evaluate(x, t)[1]

    # -- backward --------------------------------------------------------------------------------------------
    def check_trainable(self) -> None:
        """NotTrainableError when a step function blocks the gradient."""
        if not self._trainable:
            raise NotTrainableError(Step.MESSAGE)

    def loss_and_gradient(self, x: np.ndarray, t: np.ndarray) -> tuple[float, list[np.ndarray]]:
        """One training pass over a batch: (loss incl. penalties, grads). ``x``/``t`` must already be prepared
        (``as_input`` / ``prepare_targets``): this is the hot path of training. The grads are the network's own
        arrays (``grads()``), overwritten by the next call.
        """
        if not self._trainable:
            self.check_trainable()
        head = self.head
        for forward in self._train_forward:
            x = forward(x, True)
        loss = head.forward(x, t, True)
        dout = head.backward()
        for backward in self._train_backward:
            dout = backward(dout)
        if self._regularized:
            l1, l2 = self.spec.l1, self.spec.l2
            for W, dW, tmp in zip(self._weights, self._weight_grads, self._reg_tmp):
                if l2:
                    loss += 0.5 * l2 * float(np.vdot(W, W))
                    np.multiply(W, l2, out=tmp)
                    dW += tmp
                if l1:
                    np.abs(W, out=tmp)
                    loss += l1 * float(np.sum(tmp))
                    np.sign(W, out=tmp)
                    tmp *= l1
                    dW += tmp
        self.last_loss = loss
        return loss, self._grads

    def train_step(self, x: np.ndarray, t: np.ndarray, optimizer: Any, bound: float = math.inf,
                   fuse: bool = True) -> tuple[float, bool]:
        """One training step on a prepared batch: the loss (incl. penalties) and, when it is a number within
        ±``bound``, the optimizer's update. Returns (loss, updated).

        The same as ``loss, grads = loss_and_gradient(x, t)`` then ``optimizer.step(grads)`` if the loss is in
        bounds — and that is what runs, unless ``fuse`` and the optimizer is plain SGD over exactly this network's
        parameters (``SGD.fused_lr``) and the network has no batch norm and no L1/L2 penalty. Then every Affine
        layer applies θ ← θ − η·∂θ while backpropagating, as a BLAS accumulation into W and b (see
        ``Affine.backward_sgd``): about 4 % faster on MNIST, within float rounding of the unfused step (torch's
        ``p.add_(g, alpha=−η)``). The gradient arrays are then written only on demand: ``grads()``,
        ``flat_grads()`` and :meth:`materialize_grads` compute them from the remembered batch ``x`` and the
        backpropagated signals, so leave ``x`` unchanged until then (a trainer overwrites it with the next batch).
        Out of bounds, no update happens and the full gradients are written either way.
        """
        if not self._trainable:
            self.check_trainable()
        lr = None
        if fuse and self._fusable:
            cached_opt, lr = self._fused_for
            if cached_opt is not optimizer:
                fused_lr = getattr(optimizer, "fused_lr", None)
                lr = fused_lr(self._params) if fused_lr is not None else None
                self._fused_for = (optimizer, lr)
        if lr is None:
            loss, grads = self.loss_and_gradient(x, t)
            ok = -bound <= loss <= bound  # NaN fails too
            if ok:
                optimizer.step(grads)
            return loss, ok
        head = self.head
        for forward in self._train_forward:
            x = forward(x, True)
        loss = head.forward(x, t, True)
        dout = head.backward()
        self.last_loss = loss
        if not (-bound <= loss <= bound):
            for backward in self._train_backward:
                dout = backward(dout)
            return loss, False
        alpha = -lr
        for backward, fused in self._sgd_backward:
            dout = backward(dout, alpha) if fused else backward(dout)
        updaters = self._sgd_updaters
        if updaters is None:
            updaters = self._sgd_updaters = [_axpy(self._flat[a:b], self._flat_grad[a:b])
                                             for a, b in self._sgd_segments]
        for update in updaters:
            update(alpha)
        optimizer.step_count += 1
        return loss, True

    def gradient(self, x: Any, t: Any) -> list[np.ndarray]:
        """Gradients of the training-mode loss by backpropagation, in ``params()`` order (the network's arrays)."""
        x, t = self.as_input(x), self.prepare_targets(t)
        with np.errstate(over="ignore", under="ignore"):
            return self.loss_and_gradient(x, t)[1]

    def numerical_gradient(self, x: Any, t: Any, h: float | None = None) -> list[np.ndarray]:
        """Central differences (f(θ + h) − f(θ − h)) / 2h of the training-mode loss, for checking backprop.

        Slow (two passes per parameter): for tests and small networks only. Dropout masks are replayed (the RNG
        state is restored before every pass) and batch-norm running statistics are restored afterwards, so the
        result is the gradient of exactly the function that :meth:`gradient` differentiates next.
        """
        x = self.as_input(x)
        tp = self.prepare_targets(t)
        if h is None:
            h = 1e-5 if self.dtype == np.float64 else 1e-2
        drops = [b.dropout for b in self.blocks if b.dropout is not None]
        states = [d.rng.bit_generator.state for d in drops]
        norms = [b.batchnorm for b in self.blocks if b.batchnorm is not None]
        saved = [(bn.running_mean.copy(), bn.running_var.copy()) for bn in norms]

        def f() -> float:
            for d, s in zip(drops, states):
                d.rng.bit_generator.state = s
            return self.head.forward(self.forward(x, True), tp, True) + self.regularization()

        out = [numerical_gradient(f, p, h).astype(self.dtype) for p in self._params]
        for d, s in zip(drops, states):
            d.rng.bit_generator.state = s
        for bn, (m, v) in zip(norms, saved):
            bn.running_mean[...] = m
            bn.running_var[...] = v
        return out

    def describe(self) -> str:
        """One line, e.g. ``"2-4-1 tanh → sigmoid + bce"``."""
        acts = self.spec.hidden_activations
        act = (acts[0] if len(set(acts)) == 1 else "/".join(acts)) if acts else "no hidden layer"
        return f"{'-'.join(map(str, self.spec.sizes))} {act} → {self.spec.output} + {self.spec.loss}"

    def __repr__(self) -> str:
        return f"Network({self.describe()}, {self.dtype.name}, {self.n_params} parameters)"
