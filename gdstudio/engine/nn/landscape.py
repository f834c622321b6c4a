"""A 2-D slice of the loss landscape through the current weights, with the training trajectory projected onto it.

The slice is the plane θ(α, β) = θ_c + α·d₁ + β·d₂ through the current weights θ_c. Directions:

* ``pca`` (default): the two principal directions of the trajectory so far, θ_i − θ_c (Li et al. 2018, §7) — the
  plane in which the weights actually travelled. Coordinates are distances in weight space.
* ``weights``: two chosen individual weights (unit directions e_i, e_j); coordinates are the weights' values.
* ``random``: two random Gaussian directions, filter-normalised (Li et al. 2018, "Visualizing the Loss Landscape of
  Neural Nets"): each neuron's incoming weights in the direction are scaled to the norm of that neuron's weights,
  biases and batch-norm parameters get 0. Coordinates are multiples of the directions.
* ``exact``: a model with exactly two parameters (``y = w·x + b``) — the slice *is* the whole (w, b) loss surface.

``auto`` picks ``exact`` for two-parameter models, else ``pca``; ``pca`` falls back to ``random`` while the
trajectory is too short. The loss (evaluation mode, penalties included) is computed for all grid points at once:
θ is linear in (α, β), so the first layer's pre-activations are x·W_c + α·x·D₁ + β·x·D₂ (three matrix products for
the whole grid), and later layers use batched products over chunks of grid points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..surface import contour_levels
from .network import Network

__all__ = [
    "LANDSCAPE_MODES",
    "LandscapeSlice",
    "filter_normalized_direction",
    "loss_landscape",
    "pca_directions",
    "plane_losses",
    "project",
]

LANDSCAPE_MODES = ("auto", "pca", "weights", "random", "exact")
_CHUNK_ELEMENTS = 2_000_000  # grid points × samples × widest layer evaluated at once (bounds memory to ~16 MB)


@dataclass(frozen=True)
class LandscapeSlice:
    """Loss on a grid: ``Z[j, i]`` at (``xs[i]``, ``ys[j]``), nan where not finite; the same field names as
    :class:`gdstudio.engine.surface.Surface` (plus the trajectory), so the contour panel can draw either.
    """

    mode: str  # "pca" | "weights" | "random" | "exact"
    xs: np.ndarray  # (nx,)
    ys: np.ndarray  # (ny,)
    Z: np.ndarray  # (ny, nx) float64
    levels: np.ndarray
    log_scale: bool
    zmin: float
    zmax: float
    path: np.ndarray  # (m, 2) trajectory projected onto the plane (same coordinates as xs/ys)
    center: np.ndarray  # (2,) coordinates of the current weights
    labels: tuple[str, str]  # axis labels: "PC1"/"PC2", "W1[0,1]"/"b2[0]", "δ1"/"δ2", "w"/"b"
    explained: tuple[float, float] | None = None  # PCA: share of the trajectory's spread along each axis
    note: str = ""  # English sentence when a fallback happened
    indices: tuple[int, int] | None = None  # weights/exact: the two flat parameter positions


def _weights_per_param(network: Network, v: np.ndarray) -> list[np.ndarray]:
    return [v[s].reshape(p.shape) for s, p in zip(network.flat_slices().values(), network.params())]


def filter_normalized_direction(network: Network, rng: np.random.Generator) -> np.ndarray:
    """A random flat direction, each neuron's incoming weights scaled to that neuron's weight norm (Li et al.).

    For a fully connected layer W (inputs × outputs) a "filter" is one output neuron: column W[:, j]. Biases and
    batch-norm γ/β get 0 (the paper's "ignore biasbn" choice).
    """
    d = np.zeros(network.n_params, np.float64)
    for name, sl in network.flat_slices().items():
        if not name.startswith("W"):
            continue
        W = network.param(name).astype(np.float64)
        r = rng.standard_normal(W.shape)
        rn = np.linalg.norm(r, axis=0)
        wn = np.linalg.norm(W, axis=0)
        r *= wn / np.where(rn > 0, rn, 1.0)
        d[sl] = r.reshape(-1)
    return d


def pca_directions(trajectory: np.ndarray, origin: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(d₁, d₂, singular values) of the matrix [θ_i − θ_c]: orthonormal, d₂ = 0 when the path is a line.

    The thin SVD comes from the smaller Gram matrix — m × m for a few hundred points of a big net, P × P for a
    long run of a small one (XOR for 20,000 epochs: 17 × 17 instead of 20,000 × 20,000). Each direction's sign
    is fixed (its largest component positive), so the picture does not flip between two slices.
    """
    M = np.asarray(trajectory, np.float64) - np.asarray(origin, np.float64)
    m, n = M.shape
    if m > 1 and n > 0:
        if m <= n:
            w, U = np.linalg.eigh(M @ M.T)
        else:
            w, V = np.linalg.eigh(M.T @ M)
        order = np.argsort(w)[::-1]
        s = np.sqrt(np.clip(w[order], 0, None))
        basis = (U if m <= n else V)[:, order[:2]]
    else:
        s = np.array([np.linalg.norm(M)]) if M.size else np.zeros(1)
        basis = np.ones((m, 1))
    dirs = []
    tol = (s[0] if s.size else 0.0) * 1e-6  # below this the spread is round-off (a straight path)
    for k in range(2):
        if k < s.size and s[k] > tol and s[k] > 0:
            d = M.T @ basis[:, k] / s[k] if (m <= n or m <= 1) else basis[:, k].copy()
            d /= np.linalg.norm(d)
            if d[np.argmax(np.abs(d))] < 0:
                d = -d
            dirs.append(d)
        else:
            dirs.append(np.zeros(n))
    return dirs[0], dirs[1], s


def project(trajectory: np.ndarray, origin: np.ndarray, d1: np.ndarray, d2: np.ndarray) -> np.ndarray:
    """Plane coordinates (m, 2) of trajectory points: least squares in span(d₁, d₂) (exact for orthonormal d)."""
    M = np.asarray(trajectory, np.float64) - np.asarray(origin, np.float64)
    D = np.stack([d1, d2], axis=1)  # (P, 2)
    gram = D.T @ D
    rhs = M @ D  # (m, 2)
    if abs(np.linalg.det(gram)) > 1e-300:
        return np.linalg.solve(gram, rhs.T).T
    norms = np.diag(gram)
    return rhs / np.where(norms > 0, norms, 1.0)


def plane_losses(
    network: Network, x: np.ndarray, t: np.ndarray, origin: np.ndarray, d1: np.ndarray, d2: np.ndarray,
    A: np.ndarray, B: np.ndarray, *, prepared: bool = False,
) -> np.ndarray:
    """Loss (evaluation mode, penalties included) at θ = origin + a·d₁ + b·d₂ for every pair (A[g], B[g]).

    Does not touch the network's weights; x/t as for :meth:`Network.evaluate`.
    """
    x = network.as_input(x)
    tp = t if prepared else network.prepare_targets(t)
    dtype = network.dtype
    A = np.asarray(A, np.float64).reshape(-1)
    B = np.asarray(B, np.float64).reshape(-1)
    P0 = _weights_per_param(network, np.asarray(origin, dtype))
    P1 = _weights_per_param(network, np.asarray(d1, dtype))
    P2 = _weights_per_param(network, np.asarray(d2, dtype))
    names = network.param_names()
    by_name = {n: (p0, p1, p2) for n, p0, p1, p2 in zip(names, P0, P1, P2)}
    n = x.shape[0]
    widest = max(network.spec.sizes[1:])
    chunk = max(1, _CHUNK_ELEMENTS // max(1, n * widest))
    out = np.empty(A.shape[0], np.float64)
    W0, W1, W2 = by_name["W1"]
    first = (x @ W0, x @ W1, x @ W2)  # (N, h1) each: the first layer is linear in (α, β)
    head = network.head
    with np.errstate(all="ignore"):
        for s in range(0, A.shape[0], chunk):
            a = A[s : s + chunk].astype(dtype)[:, None, None]
            b = B[s : s + chunk].astype(dtype)[:, None, None]
            h = None
            for block in network.blocks:
                k = block.index
                b0, b1, b2 = by_name[f"b{k}"]
                bias = b0 + a * b1 + b * b2  # (g, 1, out)
                if k == 1:
                    z = first[0] + a * first[1] + b * first[2] + bias
                else:
                    Wk0, Wk1, Wk2 = by_name[f"W{k}"]
                    W = Wk0 + a * Wk1 + b * Wk2  # (g, in, out)
                    z = np.matmul(h, W) + bias
                if block.is_output:
                    out[s : s + chunk] = head.batched_loss(z, tp)
                    break
                bn = block.batchnorm
                if bn is not None:
                    g0, g1, g2 = by_name[f"gamma{k}"]
                    e0, e1, e2 = by_name[f"beta{k}"]
                    z = (z - bn.running_mean) / np.sqrt(bn.running_var + bn.eps)
                    z = z * (g0 + a * g1 + b * g2) + (e0 + a * e1 + b * e2)
                h = block.activation.function(z)
        out += _penalties(network, by_name, A, B)
    return out


def _penalties(network: Network, by_name, A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """½λ₂Σ‖W(α, β)‖² (a quadratic in α, β) + λ₁Σ|W(α, β)| (summed per chunk of grid points)."""
    l1, l2 = network.spec.l1, network.spec.l2
    total = np.zeros(A.shape[0], np.float64)
    weights = [by_name[f"W{b.index}"] for b in network.blocks]
    if l2:
        c = np.zeros((3, 3))
        for W in weights:
            flat = [w.reshape(-1).astype(np.float64) for w in W]
            for i in range(3):
                for j in range(i, 3):
                    c[i, j] += float(flat[i] @ flat[j])
        total += 0.5 * l2 * (
            c[0, 0] + 2 * A * c[0, 1] + 2 * B * c[0, 2] + A * A * c[1, 1] + 2 * A * B * c[1, 2] + B * B * c[2, 2]
        )
    if l1:
        for W0, W1, W2 in weights:
            f0, f1, f2 = (w.reshape(-1).astype(np.float64) for w in (W0, W1, W2))
            chunk = max(1, _CHUNK_ELEMENTS // max(1, f0.size))
            for s in range(0, A.shape[0], chunk):
                a = A[s : s + chunk, None]
                b = B[s : s + chunk, None]
                total[s : s + chunk] += l1 * np.sum(np.abs(f0 + a * f1 + b * f2), axis=1)
    return total


def _square_window(points: np.ndarray, margin: float, min_half: float) -> tuple[tuple[float, float], ...]:
    """Equal-sized ranges on both axes (distances look like distances) covering ``points`` with a margin."""
    lo = np.nanmin(points, axis=0)
    hi = np.nanmax(points, axis=0)
    mid = (lo + hi) / 2
    half = float(np.max(hi - lo)) / 2 * (1 + 2 * margin)
    half = max(half, min_half)
    return tuple((float(m - half), float(m + half)) for m in mid)


def loss_landscape(
    network: Network,
    x: np.ndarray,
    t: np.ndarray,
    trajectory: np.ndarray | None = None,
    *,
    mode: str = "auto",
    weights: tuple | None = None,
    resolution: int = 41,
    span: float | None = None,
    margin: float = 0.25,
    seed: int = 0,
    max_samples: int | None = 1000,
    prepared: bool = False,
) -> LandscapeSlice:
    """The loss on a ``resolution``² grid around the network's current weights, and the projected trajectory.

    ``trajectory``: flat weight vectors (m, n_params) visited so far (oldest first; the current point need not be
    included). ``weights`` (mode ``weights``): two flat indices or ``(name, index)`` pairs, e.g.
    ``(("W1", (0, 0)), ("b2", 0))``. ``span``: half-width of the window (default: cover the trajectory with
    ``margin``; random directions: at least ±1). ``max_samples``: the loss uses the first so many samples.
    """
    if mode not in LANDSCAPE_MODES:
        raise ValueError(f"unknown landscape mode {mode!r} (valid: {', '.join(LANDSCAPE_MODES)})")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or not 2 <= resolution <= 401:
        raise ValueError("landscape resolution must be a whole number from 2 to 401")
    if span is not None and not (math.isfinite(span) and span > 0):
        raise ValueError("landscape span must be a finite number > 0")
    x = network.as_input(x)
    tp = t if prepared else network.prepare_targets(t)
    if max_samples is not None and x.shape[0] > max_samples:
        x, tp = x[:max_samples], tp[:max_samples]
    origin = network.flat_params().astype(np.float64)
    P = origin.size
    traj = np.empty((0, P)) if trajectory is None else np.asarray(trajectory, np.float64).reshape(-1, P)
    traj = np.concatenate([traj, origin[None]], axis=0)
    note = ""
    explained = None
    indices = None
    if mode == "auto":
        mode = "exact" if P == 2 else "pca"
    if mode == "exact" and P != 2:
        raise ValueError("the exact landscape needs a model with exactly two parameters")
    if mode in ("weights", "exact"):
        if mode == "exact":
            i, j = 0, 1
        else:
            if weights is None or len(weights) != 2:
                raise ValueError("the weights landscape needs two weights, e.g. ((\"W1\", (0, 0)), (\"W1\", (0, 1)))")
            i, j = (_flat_index(network, w) for w in weights)
            if i == j:
                raise ValueError("choose two different weights for the landscape")
        indices = (i, j)
        d1 = np.zeros(P)
        d2 = np.zeros(P)
        d1[i] = 1.0
        d2[j] = 1.0
        labels = ("w", "b") if mode == "exact" else (network.describe_flat_index(i), network.describe_flat_index(j))
        path = traj[:, [i, j]]
        center = origin[[i, j]]
        min_half = 1.0
        win = _window(path, center, span, margin, min_half)
        xs = np.linspace(*win[0], resolution)
        ys = np.linspace(*win[1], resolution)
        X, Y = np.meshgrid(xs - center[0], ys - center[1])
    else:
        rng = np.random.default_rng(seed)
        d1 = d2 = None
        if mode == "pca":
            if traj.shape[0] >= 3:
                d1, d2, s = pca_directions(traj, origin)
                if not np.any(d1):
                    d1 = d2 = None
                else:
                    total = float(np.sum(s * s))
                    explained = tuple(float(v * v / total) if total > 0 else 0.0 for v in (list(s[:2]) + [0.0])[:2])
                    if not np.any(d2):  # a straight path: complete the plane with a random orthogonal direction
                        r = filter_normalized_direction(network, rng)
                        r -= (r @ d1) * d1
                        nr = np.linalg.norm(r)
                        d2 = r / nr if nr > 0 else d2
                        note = "The trajectory is a straight line so far; the second axis is a random direction."
            if d1 is None:
                mode = "random"
                note = "The trajectory is too short for PCA yet; showing two random filter-normalized directions."
        if mode == "random":
            d1 = filter_normalized_direction(network, rng)
            d2 = filter_normalized_direction(network, rng)
            if not np.any(d1) or not np.any(d2):  # all-zero weights: fall back to plain Gaussian directions
                d1 = rng.standard_normal(P)
                d2 = rng.standard_normal(P)
                d1 /= np.linalg.norm(d1)
                d2 /= np.linalg.norm(d2)
            labels = ("δ1", "δ2")
            min_half = 1.0
        else:
            labels = ("PC1", "PC2")
            min_half = 1e-3 * max(1.0, float(np.linalg.norm(origin)) / math.sqrt(P))
        path = project(traj, origin, d1, d2)
        center = np.zeros(2)
        win = _window(path, center, span, margin, min_half)
        xs = np.linspace(*win[0], resolution)
        ys = np.linspace(*win[1], resolution)
        X, Y = np.meshgrid(xs, ys)
    Z = plane_losses(network, x, tp, origin, d1, d2, X.reshape(-1), Y.reshape(-1), prepared=True)
    Z = Z.reshape(X.shape)
    Z = np.where(np.isfinite(Z), Z, np.nan)
    levels, log_scale = contour_levels(Z)
    finite = Z[np.isfinite(Z)]
    zmin = float(finite.min()) if finite.size else math.nan
    zmax = float(finite.max()) if finite.size else math.nan
    return LandscapeSlice(
        mode, xs, ys, Z, levels, log_scale, zmin, zmax, path, np.asarray(center, np.float64), labels,
        explained, note, indices,
    )


def _window(path: np.ndarray, center: np.ndarray, span: float | None, margin: float, min_half: float):
    if span is not None:
        return tuple((float(c - span), float(c + span)) for c in center)
    return _square_window(np.concatenate([path, center[None]], axis=0), margin, min_half)


def _flat_index(network: Network, w) -> int:
    if isinstance(w, (int, np.integer)) and not isinstance(w, bool):
        if not 0 <= w < network.n_params:
            raise ValueError(f"parameter index {w} outside 0..{network.n_params - 1}")
        return int(w)
    if isinstance(w, (tuple, list)) and len(w) == 2 and isinstance(w[0], str):
        return network.flat_index(w[0], w[1])
    raise ValueError(f"a landscape weight must be a flat index or a (name, index) pair, got {w!r}")
