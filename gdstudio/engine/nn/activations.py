"""Activation layers (step, sigmoid, tanh, ReLU, leaky ReLU, identity, softmax) with forward/backward by hand.

Each layer keeps its last input ``x`` and output ``out`` (the views draw them) and writes into buffers it owns, so a
training step allocates nothing proportional to the batch. ``function(x)`` is the same map as a pure, allocating
function over any shape: the loss-landscape grid and the decision-boundary maps use it.

Kinks follow PyTorch: ReLU'(0) = 0, leaky ReLU'(0) = α. The step function has slope 0 everywhere except at 0, where
it has none, so no gradient reaches the weights below it: :class:`Step` refuses ``backward`` with
:class:`NotTrainableError` instead of silently training nothing.
"""

from __future__ import annotations

import numpy as np

from .layers import Layer, NotTrainableError, memory_order

__all__ = [
    "ACTIVATIONS",
    "HIDDEN_ACTIVATIONS",
    "Activation",
    "Identity",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Step",
    "Tanh",
    "activation_function",
    "make_activation",
]


class Activation(Layer):
    """An elementwise (or row-wise) map without parameters."""

    kind = "activation"
    #: registry id used in specs and experiment files
    id: str = ""
    #: display formula (the views translate the surrounding words, not the maths)
    formula: str = ""

    def __init__(self, name: str = "") -> None:
        super().__init__(name or self.id)

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def describe(self) -> str:
        return self.id


class Identity(Activation):
    """h(a) = a: the regression output. Passes arrays through without copying."""

    id = "identity"
    formula = "h(a) = a"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return np.array(x, copy=True)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        self.out = x
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        self.dx = dout
        return dout


class Sigmoid(Activation):
    """σ(a) = 1/(1 + e^(−a)); σ' = σ(1 − σ). exp overflow for very negative a correctly gives 0."""

    id = "sigmoid"
    formula = "σ(a) = 1 / (1 + e^(−a))"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-x))

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        o = self.out
        if o is None or o.shape != x.shape or o.strides != x.strides:
            o = self._buffer("out", x.shape, x.dtype, memory_order(x))
        np.negative(x, out=o)
        np.exp(o, out=o)
        o += 1.0
        np.divide(1.0, o, out=o)  # = np.reciprocal, faster
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        o, dx = self.out, self.dx
        if dx is None or dx.shape != o.shape or dx.strides != o.strides:
            dx = self._buffer("dx", o.shape, o.dtype, memory_order(o))
        np.subtract(1.0, o, out=dx)
        dx *= o
        dx *= dout
        self.dx = dx
        return dx


class Tanh(Activation):
    """tanh(a); tanh' = 1 − tanh²."""

    id = "tanh"
    formula = "h(a) = tanh(a)"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return np.tanh(x)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        o = self._buffer("out", x.shape, x.dtype, memory_order(x))
        np.tanh(x, out=o)
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        o = self.out
        dx = self._buffer("dx", o.shape, o.dtype, memory_order(o))
        np.multiply(o, o, out=dx)
        np.subtract(1.0, dx, out=dx)
        dx *= dout
        self.dx = dx
        return dx


class ReLU(Activation):
    """max(0, a); slope 1 for a > 0 and 0 otherwise (0 at the kink, as PyTorch)."""

    id = "relu"
    formula = "h(a) = max(0, a)"
    _zero = np.zeros(0)  # the cached zeros of the last shape (see forward)
    # The arrays the last buffers were chosen for: the same input array (a layer's own buffer, every training
    # step) skips the shape and stride checks.
    _fwd_for: np.ndarray | None = None
    _bwd_for: np.ndarray | None = None

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return np.maximum(x, 0)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        if x is self._fwd_for:
            o = self._fwd_out
        else:
            o, zeros = self.out, self._zero
            if o is None or o.shape != x.shape or o.strides != x.strides or zeros.shape != x.shape:
                order = memory_order(x)
                o = self._buffer("out", x.shape, x.dtype, order)
                self._zero = self._zeros(x.shape, x.dtype, order)
            self._fwd_for, self._fwd_out = x, o
        np.maximum(x, self._zero, out=o)  # the same values as np.maximum(x, 0.0), 3× faster
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        o = self.out
        if o is self._bwd_for:
            dx = self._bwd_dx
        else:
            dx = self.dx
            if dx is None or dx.shape != o.shape or dx.strides != o.strides:
                dx = self._buffer("dx", o.shape, o.dtype, memory_order(o))
            self._bwd_for, self._bwd_dx = o, dx
        np.greater(o, 0.0, out=dx, casting="unsafe")  # the 0/1 slope as floats: float × float is the fast loop
        dx *= dout
        self.dx = dx
        return dx


class LeakyReLU(Activation):
    """a for a > 0, α·a otherwise (0 ≤ α < 1); slope α at and below the kink."""

    id = "leaky_relu"
    formula = "h(a) = max(α·a, a)"

    def __init__(self, alpha: float = 0.01, name: str = "") -> None:
        alpha = float(alpha)
        if not (0.0 <= alpha < 1.0):
            raise ValueError(f"leaky ReLU slope α must be in [0, 1), got {alpha:g}")
        super().__init__(name)
        self.alpha = alpha

    def function(self, x: np.ndarray) -> np.ndarray:  # type: ignore[override]
        return np.maximum(x, self.alpha * x)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        o = self._buffer("out", x.shape, x.dtype, memory_order(x))
        np.multiply(x, self.alpha, out=o)
        np.maximum(x, o, out=o)
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        x = self.x
        mask = self._buffer("mask", x.shape, np.bool_, memory_order(x))
        np.greater(x, 0, out=mask)
        dx = self._buffer("dx", x.shape, x.dtype, memory_order(x))
        np.multiply(dout, self.alpha, out=dx)
        np.copyto(dx, dout, where=mask)
        self.dx = dx
        return dx

    def describe(self) -> str:
        return f"leaky_relu(α={self.alpha:g})"


class Step(Activation):
    """The perceptron's step: 1 if a > 0 else 0. Usable forward (perceptron lessons); never trainable by gradient."""

    id = "step"
    formula = "h(a) = 1 if a > 0 else 0"

    MESSAGE = (
        "The step function cannot be trained by gradient descent: its slope is 0 everywhere except at 0, where it "
        "has none, so no gradient reaches the weights. Set a perceptron's weights by hand, or use sigmoid, tanh or "
        "ReLU to train."
    )

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        return (x > 0).astype(x.dtype if np.issubdtype(np.asarray(x).dtype, np.floating) else np.float64)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        mask = self._buffer("mask", x.shape, np.bool_, memory_order(x))
        np.greater(x, 0, out=mask)
        o = self._buffer("out", x.shape, x.dtype, memory_order(x))
        np.copyto(o, mask)
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotTrainableError(self.MESSAGE)


class Softmax(Activation):
    """Row-wise softmax (max subtracted first, so e^a never overflows). Only as an output (e.g. with MSE)."""

    id = "softmax"
    formula = "y_k = e^(a_k) / Σ_j e^(a_j)"

    @staticmethod
    def function(x: np.ndarray) -> np.ndarray:
        e = np.exp(x - np.max(x, axis=-1, keepdims=True))
        e /= np.sum(e, axis=-1, keepdims=True)
        return e

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        o = self._buffer("out", x.shape, x.dtype, memory_order(x))
        np.subtract(x, np.max(x, axis=-1, keepdims=True), out=o)
        np.exp(o, out=o)
        o /= np.sum(o, axis=-1, keepdims=True)
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        y = self.out
        dx = self._buffer("dx", y.shape, y.dtype, memory_order(y))
        np.multiply(dout, y, out=dx)
        s = np.sum(dx, axis=-1, keepdims=True)
        np.subtract(dout, s, out=dx)
        dx *= y
        self.dx = dx
        return dx


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.id: cls for cls in (Step, Sigmoid, Tanh, ReLU, LeakyReLU, Identity, Softmax)
}
"""Every activation by id. Hidden layers may use all but softmax; outputs are chosen in :mod:`.losses`."""

HIDDEN_ACTIVATIONS = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "identity")


def make_activation(name: str, alpha: float = 0.01, layer_name: str = "") -> Activation:
    """A fresh activation layer; ValueError listing the valid names for an unknown one."""
    cls = ACTIVATIONS.get(name)
    if cls is None:
        raise ValueError(f"unknown activation {name!r} (valid: {', '.join(ACTIVATIONS)})")
    if cls is LeakyReLU:
        return LeakyReLU(alpha, layer_name)
    return cls(layer_name)


def activation_function(name: str, alpha: float = 0.01):
    """The pure map of an activation (allocating, any shape): ``activation_function("relu")(x)``."""
    layer = make_activation(name, alpha)
    return layer.function
