"""Parameterised layers — Affine (fully connected), Dropout, BatchNorm — and the Layer protocol all layers share.

The protocol is the book's: ``forward(x, train)`` returns the layer's output, ``backward(dout)`` takes ∂L/∂out and
returns ∂L/∂x, filling ``grads`` (same keys and shapes as ``params``). Every layer remembers its last ``x``, ``out``
and ``dx`` so the views can show forward values and gradients of any layer.

Speed: every output and gradient lives in a buffer the layer owns (one per batch shape, made on first use), and
every operation writes into it (``out=``). Arrays returned by ``forward``/``backward`` are therefore overwritten by
the next call with the same batch size: copy what you keep.
"""

from __future__ import annotations

import numpy as np

from .blas import GemmAccumulate

__all__ = ["Affine", "BatchNorm", "Dropout", "Layer", "NotTrainableError", "memory_order"]


class NotTrainableError(ValueError):
    """Raised when a gradient is asked of something that has none (the perceptron's step function)."""


def memory_order(a: np.ndarray) -> str:
    """"F" for a column-major array (the output layer's logits, see Affine), else "C": buffers follow their input."""
    return "F" if a.flags.f_contiguous and not a.flags.c_contiguous else "C"


_dot = np.dot
_DOT_DW_MAX = 20_000  # weights from which Affine.backward computes ∂W with np.matmul instead of np.dot
_MAX_BUFFERS = 48  # distinct (tag, shape) buffers per layer before the cache starts afresh


class Layer:
    """Base: a name, parameters and their gradients (dicts in a stable order), the last forward/backward values."""

    kind = "layer"

    def __init__(self, name: str = "") -> None:
        self.name = name or self.kind
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.x: np.ndarray | None = None
        self.out: np.ndarray | None = None
        self.dx: np.ndarray | None = None
        self._buffers: dict[tuple, np.ndarray] = {}

    def _buffer(self, tag: str, shape: tuple[int, ...], dtype, order: str = "C") -> np.ndarray:
        """A reusable uninitialised array for ``tag`` at this shape (batch sizes differ at epoch ends/eval)."""
        key = (tag, shape, dtype, order)
        buf = self._buffers.get(key)
        if buf is None:
            if len(self._buffers) >= _MAX_BUFFERS:
                self._buffers.clear()  # arrays still referenced elsewhere stay valid; they are just not reused
            buf = np.empty(shape, dtype, order=order)
            self._buffers[key] = buf
        return buf

    def _zeros(self, shape: tuple[int, ...], dtype, order: str = "C") -> np.ndarray:
        """A cached read-only array of zeros: ``np.maximum(x, zeros)`` is 3× faster than ``np.maximum(x, 0.0)``
        (numpy's SIMD loop needs two arrays)."""
        return self._constant(0, shape, dtype, order)

    def _constant(self, value: float, shape: tuple[int, ...], dtype, order: str = "C") -> np.ndarray:
        """A cached read-only array filled with ``value``."""
        tag = f"const{value!r}"
        key = (tag, shape, dtype, order)
        buf = self._buffers.get(key)
        if buf is None:
            buf = self._buffer(tag, shape, dtype, order)
            buf.fill(value)
            buf.setflags(write=False)
        return buf

    def adopt(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        """Move the parameters and gradients into the given arrays (same keys and shapes; values copied), e.g. views
        of one flat vector per network, so that an optimizer updates everything with one operation per formula
        term. The attribute of each key (``W``, ``b``, ``gamma``, …) and its gradient (``dW``, …) follow."""
        for name, view in params.items():
            gview = grads[name]
            view[...] = self.params[name]
            gview[...] = self.grads[name]
            self.params[name] = view
            self.grads[name] = gview
            setattr(self, name, view)
            setattr(self, "d" + name, gview)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}{tuple(v.shape)}" for k, v in self.params.items())
        return f"{type(self).__name__}({self.name}{': ' + shapes if shapes else ''})"


class Affine(Layer):
    """out = x·W + b with W shaped (inputs, outputs), as in the book; ∂W = xᵀ·dout, ∂b = Σ dout, ∂x = dout·Wᵀ.

    ``need_dx=False`` (the first layer) skips ∂x: nobody needs the gradient with respect to the data, and it is one
    of the three big matrix products of a step. ``order="F"`` (the output layer) stores each unit's outputs
    contiguously: the softmax then reduces over a few classes per sample 3–5× faster.
    """

    kind = "affine"

    def __init__(self, W: np.ndarray, b: np.ndarray, name: str = "", need_dx: bool = True, order: str = "C") -> None:
        super().__init__(name)
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"{self.name}: W must be (inputs, outputs) and b (outputs,), got {W.shape} and {b.shape}")
        self.W = W
        self.b = b
        self.dW = np.zeros_like(W)
        self.db = np.zeros_like(b)
        self.params = {"W": W, "b": b}
        self.grads = {"W": self.dW, "b": self.db}
        self.need_dx = need_dx
        self.order = order

    @property
    def n_in(self) -> int:
        return self.W.shape[0]

    @property
    def n_out(self) -> int:
        return self.W.shape[1]

    # The input array the last output buffer was chosen for, and that buffer: the same array again (a training
    # step's batch buffer) skips the size check.
    _fwd_for: np.ndarray | None = None
    _fwd_out: np.ndarray | None = None
    _fwd_out_t: np.ndarray | None = None
    _ones = np.ones(0)  # a cached vector of ones as long as the batch (∂b = 1ᵀ·dout)

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        if x is self._fwd_for:
            o, ot = self._fwd_out, self._fwd_out_t
        else:
            o = self.out  # the last output buffer, when the batch size is the same (nothing else changes)
            if o is None or o.shape[0] != x.shape[0]:
                o = self._buffer("out", (x.shape[0], self.W.shape[1]), self.W.dtype, self.order)
            ot = None if o.flags.c_contiguous else o.T  # column-major: np.dot writes the (C-ordered) transpose
            self._fwd_for, self._fwd_out, self._fwd_out_t = x, o, ot
        # np.dot: the same BLAS call and bits as np.matmul, with less overhead per call (~0.5 µs); it only takes a
        # C-ordered output of exactly the product's dtype, else (mixed dtypes) matmul converts.
        try:
            if ot is None:
                _dot(x, self.W, o)
            else:
                _dot(self.W.T, x.T, ot)
        except ValueError:
            np.matmul(x, self.W, out=o)
        np.add(o, self.b, out=o)
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        self._pending = None
        self._weight_grad(self.x, dout)
        self._bias_grad(dout)
        if not self.need_dx:
            self.dx = None
            return None
        return self._input_grad(dout)

    def _weight_grad(self, x: np.ndarray, dout: np.ndarray) -> None:
        """∂W = xᵀ·dout into dW."""
        if self.W.size >= _DOT_DW_MAX:  # a large xᵀ·dout: matmul is ~1 % faster (measured at 784×100)
            np.matmul(x.T, dout, out=self.dW)
        else:
            try:
                _dot(x.T, dout, self.dW)
            except ValueError:
                np.matmul(x.T, dout, out=self.dW)

    def _bias_grad(self, dout: np.ndarray) -> None:
        """∂b = 1ᵀ·dout into db: a BLAS matrix-vector product, 3× faster than np.add.reduce over the batch axis."""
        ones = self._ones
        if ones.shape[0] != dout.shape[0] or ones.dtype != dout.dtype:
            ones = self._ones = self._constant(1, (dout.shape[0],), dout.dtype)
        try:
            _dot(ones, dout, self.db)
        except ValueError:
            np.add.reduce(dout, axis=0, out=self.db)

    def _input_grad(self, dout: np.ndarray) -> np.ndarray:
        """∂x = dout·Wᵀ into the layer's dx buffer."""
        dx = self.dx
        if dx is None or dx.shape[0] != dout.shape[0]:
            dx = self._buffer("dx", (dout.shape[0], self.W.shape[0]), self.W.dtype)
        try:
            _dot(dout, self.W.T, dx)
        except ValueError:
            np.matmul(dout, self.W.T, out=dx)
        self.dx = dx
        return dx

    # backward_sgd: (x, dout, the W accumulation) of the last pass, and the (x, dout) whose ∂W is not written yet.
    _sgd_plan: tuple = (None, None, None)
    _pending: tuple | None = None

    def backward_sgd(self, dout: np.ndarray, alpha: float) -> np.ndarray | None:
        """``backward`` fused with the plain SGD update W ← W + α·∂W (α = −η): ∂x first (it needs the old W), ∂b
        into db as usual, then ``W += α·xᵀ·dout`` as one BLAS accumulation (β = 1), so the big gradient ∂W is
        never written to memory and read back. ``dW`` is left as it was: :meth:`materialize` writes it from the
        remembered ``x`` and ``dout`` when someone wants it (``Network.materialize_grads``). b is not updated here
        (``Network.train_step`` updates every other parameter in one pass). Without BLAS (or for unusual memory
        layouts) ∂W is written and applied with numpy instead.
        """
        x = self.x
        plan = self._sgd_plan
        if plan[0] is not x or plan[1] is not dout:
            plan = self._sgd_plan = (x, dout, GemmAccumulate.make(self.W, x.T, dout))
        if self.need_dx:
            dx = self._input_grad(dout)
        else:
            dx = self.dx = None
        self._bias_grad(dout)
        accumulate = plan[2]
        if accumulate is None:
            self._pending = None
            self._weight_grad(x, dout)
            self.W += alpha * self.dW
        else:
            accumulate(alpha)
            self._pending = (x, dout)
        return dx

    def materialize(self) -> None:
        """Write dW of the last :meth:`backward_sgd` (no-op when it is current)."""
        pending = self._pending
        if pending is not None:
            self._pending = None
            self._weight_grad(*pending)


class Dropout(Layer):
    """Inverted dropout: in training each unit is zeroed with probability ``ratio`` and the survivors are scaled by
    1/(1 − ratio), so evaluation is the identity (PyTorch's convention; the book scales at test time instead — the
    expected outputs are the same). The mask comes from the layer's own seeded generator ``rng``.
    """

    kind = "dropout"

    def __init__(self, ratio: float, rng: np.random.Generator | None = None, name: str = "") -> None:
        ratio = float(ratio)
        if not (0.0 <= ratio < 1.0):
            raise ValueError(f"dropout ratio must be in [0, 1), got {ratio:g}")
        super().__init__(name)
        self.ratio = ratio
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        if not train or self.ratio == 0.0:
            self.mask = None
            self.out = x
            return x
        shape, dtype = x.shape, x.dtype
        r = self._buffer("rand", shape, dtype)
        self.rng.random(dtype=dtype, out=r)
        keep = self._buffer("keep", shape, np.bool_)
        np.greater_equal(r, self.ratio, out=keep)
        m = self._buffer("mask", shape, dtype)
        np.multiply(keep, 1.0 / (1.0 - self.ratio), out=m)
        self.mask = m
        o = self._buffer("out", shape, dtype)
        np.multiply(x, m, out=o)
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        if self.mask is None:
            self.dx = dout
            return dout
        dx = self._buffer("dx", dout.shape, dout.dtype)
        np.multiply(dout, self.mask, out=dx)
        self.dx = dx
        return dx


class BatchNorm(Layer):
    """Batch normalisation over the batch axis (Ioffe & Szegedy 2015), between Affine and activation as in the book.

    Training uses the batch mean and (biased) variance and updates running averages
    ``running ← (1 − momentum)·running + momentum·batch`` (PyTorch's momentum 0.1 = the book's 0.9);
    evaluation uses the running averages. γ (``gamma``, ones) and β (``beta``, zeros) are trainable.
    """

    kind = "batchnorm"

    def __init__(self, n: int, dtype=np.float64, momentum: float = 0.1, eps: float = 1e-5, name: str = "") -> None:
        super().__init__(name)
        momentum, eps = float(momentum), float(eps)
        if not (0.0 <= momentum <= 1.0):
            raise ValueError(f"batch-norm momentum must be in [0, 1], got {momentum:g}")
        if not eps > 0.0:
            raise ValueError(f"batch-norm ε must be > 0, got {eps:g}")
        self.momentum = momentum
        self.eps = eps
        self.gamma = np.ones(n, dtype)
        self.beta = np.zeros(n, dtype)
        self.dgamma = np.zeros(n, dtype)
        self.dbeta = np.zeros(n, dtype)
        self.running_mean = np.zeros(n, dtype)
        self.running_var = np.ones(n, dtype)
        self.params = {"gamma": self.gamma, "beta": self.beta}
        self.grads = {"gamma": self.dgamma, "beta": self.dbeta}
        self.xn: np.ndarray | None = None
        self.std: np.ndarray | None = None
        self._train = True

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        self.x = x
        shape, dtype = x.shape, x.dtype
        xn = self._buffer("xn", shape, dtype)
        if train:
            mu = np.mean(x, axis=0)
            np.subtract(x, mu, out=xn)
            sq = self._buffer("sq", shape, dtype)
            np.multiply(xn, xn, out=sq)
            var = np.mean(sq, axis=0)
            std = np.sqrt(var + self.eps)
            xn /= std
            m = self.momentum
            self.running_mean *= 1.0 - m
            self.running_mean += m * mu
            self.running_var *= 1.0 - m
            self.running_var += m * var
        else:
            std = np.sqrt(self.running_var + self.eps)
            np.subtract(x, self.running_mean, out=xn)
            xn /= std
        self._train = train
        self.std = std
        self.xn = xn
        o = self._buffer("out", shape, dtype)
        np.multiply(xn, self.gamma, out=o)
        o += self.beta
        self.out = o
        return o

    def backward(self, dout: np.ndarray) -> np.ndarray:
        xn, std = self.xn, self.std
        shape, dtype = dout.shape, dout.dtype
        tmp = self._buffer("sq", shape, dtype)
        np.sum(dout, axis=0, out=self.dbeta)
        np.multiply(dout, xn, out=tmp)
        np.sum(tmp, axis=0, out=self.dgamma)
        dx = self._buffer("dx", shape, dtype)
        np.multiply(dout, self.gamma, out=dx)  # ∂L/∂x̂
        if self._train:
            # ∂x = (∂x̂ − mean(∂x̂) − x̂·mean(∂x̂·x̂)) / σ   (the batch statistics depend on x too)
            np.multiply(dx, xn, out=tmp)
            c = np.mean(tmp, axis=0)
            np.multiply(xn, c, out=tmp)
            dx -= np.mean(dx, axis=0)
            dx -= tmp
        dx /= std
        self.dx = dx
        return dx
