"""Output layer + loss ("heads"): softmax + cross-entropy, sigmoid + binary cross-entropy, any output + MSE.

The two canonical pairs are fused, because then the gradient with respect to the logits z is simply
``(y − t)/N`` — cheaper and numerically safer than chaining the two derivatives:

* ``softmax`` + ``cross_entropy``: L = −(1/N)·Σ_i Σ_k t_ik·log softmax(z_i)_k, computed as log-sum-exp with the row
  maximum subtracted (never overflows, never takes log 0). Targets: integer labels (N,) or one-hot/probability rows.
* ``sigmoid`` + ``bce``: L = (1/N)·Σ_i Σ_k [softplus(z) − t·z], the logits form of −t·log y − (1 − t)·log(1 − y).
* ``mse`` after any output activation (identity, sigmoid, tanh, softmax, step): L = (1/N)·Σ_i ½·Σ_k (y − t)², the
  book's "½·Σ(y − t)² per sample, averaged over the batch". ``sigmoid`` + ``mse`` is the seed's worked example.

Every head also evaluates its loss over a stack of logits (``batched_loss``) for the loss-landscape grid.
"""

from __future__ import annotations

import numpy as np

from .activations import Activation, Sigmoid, Softmax, make_activation
from .layers import Layer, memory_order

__all__ = [
    "DEFAULT_LOSS",
    "LOSSES",
    "OUTPUTS",
    "Head",
    "MSEHead",
    "SigmoidBCE",
    "SoftmaxCrossEntropy",
    "canonical_output_loss",
    "make_head",
]

OUTPUTS = ("softmax", "sigmoid", "identity", "tanh", "step")
LOSSES = ("cross_entropy", "bce", "mse")
DEFAULT_LOSS = {"softmax": "cross_entropy", "sigmoid": "bce", "identity": "mse", "tanh": "mse", "step": "mse"}
_LOSS_ALIASES = {
    "ce": "cross_entropy",
    "cross-entropy": "cross_entropy",
    "crossentropy": "cross_entropy",
    "binary_cross_entropy": "bce",
    "mean_squared_error": "mse",
}


def canonical_output_loss(output: str, loss: str | None) -> tuple[str, str]:
    """Check an output/loss pair; returns canonical names. ValueError says which pairs exist and why."""
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r} (valid: {', '.join(OUTPUTS)})")
    if loss is None:
        loss = DEFAULT_LOSS[output]
    loss = _LOSS_ALIASES.get(loss, loss)
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r} (valid: {', '.join(LOSSES)})")
    if loss == "cross_entropy" and output != "softmax":
        raise ValueError("cross-entropy needs a softmax output (for a sigmoid output use the loss bce)")
    if loss == "bce" and output != "sigmoid":
        raise ValueError("binary cross-entropy (bce) needs a sigmoid output")
    return output, loss


def _sum_of_squares(d: np.ndarray) -> float:
    flat = d.ravel(order="K")  # a view whatever the memory order
    return float(np.dot(flat, flat))


class Head(Layer):
    """The last piece of a network: turns logits z into outputs y and a mean loss, and back into ∂L/∂z."""

    kind = "head"
    output: str = ""
    loss_name: str = ""

    def __init__(self, name: str = "") -> None:
        super().__init__(name or f"{self.output}+{self.loss_name}")
        self.t: np.ndarray | None = None

    # -- targets -----------------------------------------------------------------------------------------------
    def prepare_targets(self, t, n_out: int, dtype) -> np.ndarray:
        """Targets in the form this head computes with: float rows (N, n_out); 1-D labels become one-hot rows."""
        t = np.asarray(t)
        if t.ndim == 1:
            if n_out == 1:
                return np.ascontiguousarray(t.reshape(-1, 1), dtype=dtype)
            labels = _as_labels(t, n_out)
            out = np.zeros((t.shape[0], n_out), dtype)
            out[np.arange(t.shape[0]), labels] = 1
            return out
        if t.ndim == 2 and t.shape[1] == n_out:
            return np.ascontiguousarray(t, dtype=dtype)
        raise ValueError(f"targets of shape {t.shape} do not fit a network with {n_out} output(s)")

    def forward(self, z: np.ndarray, t: np.ndarray, train: bool = True) -> float:  # type: ignore[override]
        raise NotImplementedError

    def backward(self, dout: np.ndarray | None = None) -> np.ndarray:
        raise NotImplementedError

    def predict(self, z: np.ndarray) -> np.ndarray:
        """Outputs y for logits z (allocating; any leading axes)."""
        raise NotImplementedError

    def batched_loss(self, Z: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Mean loss for each stack of logits: Z (..., N, K) -> (...)."""
        raise NotImplementedError

    def correct(self, y: np.ndarray, t: np.ndarray) -> int:
        """How many samples of (y, prepared t) are classified right (argmax; one output: threshold)."""
        if y.shape[1] == 1:
            thr = self.threshold
            return int(np.count_nonzero((y[:, 0] >= thr) == (t.reshape(-1) >= thr)))
        labels = t if t.ndim == 1 else np.argmax(t, axis=1)
        return int(np.count_nonzero(np.argmax(y, axis=1) == labels))

    threshold = 0.5


_ravel_multi_index = np.ravel_multi_index


def _as_labels(t: np.ndarray, n_classes: int) -> np.ndarray:
    if t.size and not np.all(np.isfinite(t) if np.issubdtype(t.dtype, np.floating) else True):
        raise ValueError("class labels must be finite")
    labels = t.astype(np.intp, copy=False)
    if t.size and not np.array_equal(labels, t):
        raise ValueError("class labels must be whole numbers 0, 1, 2, …")
    if t.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"class labels must lie in 0..{n_classes - 1} for {n_classes} outputs, found {labels.min()}..{labels.max()}"
        )
    return labels


class SoftmaxCrossEntropy(Head):
    """Fused softmax + cross-entropy; ∂L/∂z = (y − t)/N. Integer labels take a faster path than one-hot rows."""

    output = "softmax"
    loss_name = "cross_entropy"

    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self._plans: dict[tuple, tuple] = {}
        self._plan: tuple = (None,)  # the arrays of the last forward pass
        self._plan_for: np.ndarray | None = None  # the logits array _plan_z was chosen for
        self._plan_z: tuple = (None,)
        self._fi: np.ndarray | None = None  # flat positions of the labels in y (last forward pass)

    def prepare_targets(self, t, n_out: int, dtype) -> np.ndarray:
        """Integer labels (N,) — also from exactly one-hot rows — or probability rows (N, K) in ``dtype``."""
        if n_out < 2:
            raise ValueError("softmax needs at least 2 outputs; for a single output use sigmoid with bce")
        t = np.asarray(t)
        if t.ndim == 2 and t.shape[1] == 1:
            t = t[:, 0]
        if t.ndim == 1:
            return np.ascontiguousarray(_as_labels(t, n_out))
        if t.ndim == 2 and t.shape[1] == n_out:
            tf = np.asarray(t, dtype=np.float64)
            if not np.all(np.isfinite(tf)) or np.any(tf < 0):
                raise ValueError("target probabilities must be finite and >= 0")
            if np.all((tf == 0) | (tf == 1)) and np.all(tf.sum(axis=1) == 1):
                return np.ascontiguousarray(np.argmax(tf, axis=1).astype(np.intp))
            return np.ascontiguousarray(tf, dtype=dtype)
        raise ValueError(f"targets of shape {t.shape} do not fit a network with {n_out} outputs")

    def _arrays(self, shape: tuple[int, int], dtype, order: str) -> tuple:
        """The per-batch-shape arrays: y, y flat (a view in memory order), the row maxima (n, 1), the row sums (n,)
        and (n, 1), the row numbers, ∂z, ∂z flat, (2, n) rows of the row sums (the same array as before) and the
        labels' shifted logits, the memory order, and (2,) for the two totals."""
        key = (shape, dtype, order)
        arrays = self._plans.get(key)
        if arrays is None:
            if len(self._plans) >= 16:
                self._plans.clear()
            n, k = shape
            y = np.empty(shape, dtype, order=order)
            dz = np.empty(shape, dtype, order=order)
            rows2 = np.empty((2, n), dtype)  # row sums and picked logits side by side: one reduction sums both
            sums = rows2[0]
            arrays = (y, y.ravel(order="K"), np.empty((n, 1), dtype), sums, sums[:, None], np.arange(n), dz,
                      dz.ravel(order="K"), rows2, order, np.empty(2, dtype))
            self._plans[key] = arrays
        return arrays

    def forward(self, z: np.ndarray, t: np.ndarray, train: bool = True) -> float:  # type: ignore[override]
        self.x = z
        self.t = t
        n, k = z.shape
        if z is self._plan_for:  # the same logits buffer as last time (every training step): the same arrays
            plan = self._plan = self._plan_z
        else:
            plan = self._plan = self._plan_z = self._arrays(z.shape, z.dtype, memory_order(z))
            self._plan_for = z
        y, yf, zmax, s, s2, rows, _, _, rows2, order, totals = plan
        np.maximum.reduce(z, axis=1, keepdims=True, out=zmax)
        np.subtract(z, zmax, out=y)  # shifted logits: the largest is 0
        if t.ndim == 1:
            # flat positions of (i, t_i) in y's memory order (one call; it rejects labels out of range): one take
            # instead of a two-array fancy index, reused by backward
            fi = self._fi = _ravel_multi_index((rows, t), (n, k), order=order)
            yf.take(fi, 0, rows2[1])
        else:
            picked = float(np.vdot(t, y))
            weight = t.sum(axis=1)
        np.exp(y, out=y)
        np.add.reduce(y, axis=1, out=s)
        np.divide(y, s2, out=y)
        self.out = y
        np.log(s, out=s)  # log-sum-exp of the shifted logits
        if t.ndim == 1:  # Σ log-sum-exp and Σ picked logits in one call (each row summed as a 1-D array would be)
            total, picked = np.add.reduce(rows2, 1, None, totals).tolist()
        else:
            total = float(np.dot(s, weight))
        return (total - picked) / n

    def backward(self, dout: np.ndarray | None = None) -> np.ndarray:
        y, t = self.out, self.t
        n = y.shape[0]
        plan = self._plan
        if plan[0] is not y:  # out was replaced by hand: find its arrays
            plan = self._arrays(y.shape, y.dtype, memory_order(y))
        dz, dzf = plan[6], plan[7]
        if t.ndim == 1:  # y/N − 1/N at the label positions of the forward pass
            inv = 1.0 / n
            np.multiply(y, inv, out=dz)
            dzf[self._fi] -= inv
        else:  # rows need not sum to 1: ∂L/∂z = y·Σ_k t_k − t
            np.multiply(y, np.sum(t, axis=1, keepdims=True), out=dz)
            dz -= t
            dz *= 1.0 / n
        self.dx = dz
        return dz

    def predict(self, z: np.ndarray) -> np.ndarray:
        return Softmax.function(z)

    def batched_loss(self, Z: np.ndarray, t: np.ndarray) -> np.ndarray:
        m = np.max(Z, axis=-1, keepdims=True)
        lse = np.log(np.sum(np.exp(Z - m), axis=-1)) + m[..., 0]  # (..., N)
        if t.ndim == 1:
            picked = np.take_along_axis(Z, np.broadcast_to(t[:, None], Z.shape[:-1] + (1,)), axis=-1)[..., 0]
            return np.mean(lse - picked, axis=-1)
        return np.mean(lse * np.sum(t, axis=-1) - np.sum(Z * t, axis=-1), axis=-1)


class SigmoidBCE(Head):
    """Fused sigmoid + binary cross-entropy from the logits (softplus form, stable for any z)."""

    output = "sigmoid"
    loss_name = "bce"

    def prepare_targets(self, t, n_out: int, dtype) -> np.ndarray:
        out = super().prepare_targets(t, n_out, dtype)
        if out.size and (not np.all(np.isfinite(out)) or out.min() < 0 or out.max() > 1):
            raise ValueError("binary cross-entropy needs targets between 0 and 1")
        return out

    @staticmethod
    def _softplus(z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))

    def forward(self, z: np.ndarray, t: np.ndarray, train: bool = True) -> float:  # type: ignore[override]
        self.x = z
        self.t = t
        n = z.shape[0]
        y = self._buffer("y", z.shape, z.dtype, memory_order(z))
        with np.errstate(over="ignore"):
            np.negative(z, out=y)
            np.exp(y, out=y)
        y += 1.0
        np.reciprocal(y, out=y)
        self.out = y
        return (float(np.sum(self._softplus(z))) - float(np.vdot(t, z))) / n

    def backward(self, dout: np.ndarray | None = None) -> np.ndarray:
        y = self.out
        dz = self._buffer("dz", y.shape, y.dtype, memory_order(y))
        np.subtract(y, self.t, out=dz)
        dz *= 1.0 / y.shape[0]
        self.dx = dz
        return dz

    def predict(self, z: np.ndarray) -> np.ndarray:
        return Sigmoid.function(z)

    def batched_loss(self, Z: np.ndarray, t: np.ndarray) -> np.ndarray:
        return np.mean(np.sum(self._softplus(Z) - Z * t, axis=-1), axis=-1)


class MSEHead(Head):
    """Output activation (identity, sigmoid, tanh, softmax or step) followed by ½·Σ(y − t)², batch-averaged."""

    loss_name = "mse"

    def __init__(self, output: str = "identity", name: str = "") -> None:
        self.output = output
        self.activation: Activation = make_activation(output, layer_name=output)
        super().__init__(name)
        self.threshold = 0.0 if output == "tanh" else 0.5

    def forward(self, z: np.ndarray, t: np.ndarray, train: bool = True) -> float:  # type: ignore[override]
        self.x = z
        self.t = t
        y = self.activation.forward(z, train)
        self.out = y
        d = self._buffer("d", y.shape, y.dtype, memory_order(y))
        np.subtract(y, t, out=d)
        return 0.5 * _sum_of_squares(d) / y.shape[0]

    def backward(self, dout: np.ndarray | None = None) -> np.ndarray:
        d = self._buffer("d", self.out.shape, self.out.dtype, memory_order(self.out))
        dy = self._buffer("dy", d.shape, d.dtype, memory_order(d))
        np.multiply(d, 1.0 / d.shape[0], out=dy)
        dz = self.activation.backward(dy)  # the step function raises NotTrainableError here
        self.dx = dz
        return dz

    def predict(self, z: np.ndarray) -> np.ndarray:
        return self.activation.function(z)

    def batched_loss(self, Z: np.ndarray, t: np.ndarray) -> np.ndarray:
        d = self.activation.function(Z) - t
        return 0.5 * np.mean(np.sum(d * d, axis=-1), axis=-1)


def make_head(output: str, loss: str | None = None) -> Head:
    """The head for an output/loss pair (see :func:`canonical_output_loss` for the valid pairs)."""
    output, loss = canonical_output_loss(output, loss)
    if loss == "cross_entropy":
        return SoftmaxCrossEntropy()
    if loss == "bce":
        return SigmoidBCE()
    return MSEHead(output)
