"""Loss-landscape slices: the vectorised grid equals the network's own loss at the moved weights, the exact (w, b)
surface of linear regression, PCA / chosen-weights / filter-normalised directions, trajectory projection."""

from __future__ import annotations

import numpy as np
import pytest

from gdstudio.engine.nn.initializers import InitSpec
from gdstudio.engine.nn.landscape import (
    filter_normalized_direction,
    loss_landscape,
    pca_directions,
    plane_losses,
    project,
)
from gdstudio.engine.nn.network import Network, NetworkSpec
from gdstudio.engine.optimizers import make_optimizer


def _moved_loss(net, x, t, origin, d1, d2, a, b):
    net.set_flat_params(origin + a * d1 + b * d2)
    loss = net.evaluate(x, t)[0]
    net.set_flat_params(origin)
    return loss


@pytest.mark.parametrize(
    "spec",
    [
        NetworkSpec((3, 5, 4, 3), "tanh", "softmax", batchnorm=True, dropout=0.3, l1=0.02, l2=0.1),
        NetworkSpec((3, 6, 1), "relu", "sigmoid", "bce", l2=0.05),
        NetworkSpec((3, 4, 2), "sigmoid", "identity"),
        NetworkSpec((3, 4, 3), "leaky_relu", "softmax", loss="mse"),
    ],
    ids=["bn-dropout-l1-l2", "bce", "mse", "softmax-mse"],
)
def test_grid_losses_equal_the_networks_loss(spec):
    rng = np.random.default_rng(0)
    net = Network(spec.replace(init=InitSpec("normal", sigma=0.5, bias=0.1, seed=1)))
    x = rng.standard_normal((20, 3))
    n_out = spec.sizes[-1]
    t = rng.integers(0, n_out, 20) if spec.loss == "cross_entropy" else rng.uniform(0, 1, (20, n_out))
    opt = make_optimizer("sgd", net.params(), lr=0.05)
    for _ in range(3):  # move off the initial point and give batch norm running statistics
        opt.step(net.gradient(x, t))
    origin = net.flat_params()
    d1 = rng.standard_normal(net.n_params)
    d2 = rng.standard_normal(net.n_params)
    A = np.array([0.0, 0.3, -0.7, 0.1])
    B = np.array([0.0, -0.2, 0.5, 0.9])
    grid = plane_losses(net, x, t, origin, d1, d2, A, B)
    expected = [_moved_loss(net, x, t, origin, d1, d2, a, b) for a, b in zip(A, B)]
    np.testing.assert_allclose(grid, expected, rtol=1e-10)
    np.testing.assert_array_equal(net.flat_params(), origin)  # the network was left alone


def test_exact_surface_of_linear_regression():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1, (50, 1))
    y = 3 * x + 0.8
    net = Network(NetworkSpec((1, 1), output="identity", init=InitSpec(weights=[{"W": [[0.5]], "b": [0.0]}])))
    traj = []
    opt = make_optimizer("sgd", net.params(), lr=0.5)
    for _ in range(30):
        traj.append(net.flat_params())
        opt.step(net.gradient(x, y))
    land = loss_landscape(net, x, y, np.array(traj), resolution=21)
    assert land.mode == "exact" and land.labels == ("w", "b") and land.indices == (0, 1)
    W, B = np.meshgrid(land.xs, land.ys)
    pred = W[..., None] * x[:, 0] + B[..., None]
    exact = np.mean(0.5 * (pred - y[:, 0]) ** 2, axis=-1)  # the book's ½·Σ(y − t)², averaged
    np.testing.assert_allclose(land.Z, exact, rtol=1e-12)
    np.testing.assert_allclose(land.path[:-1], np.array(traj))  # coordinates are the weights themselves
    np.testing.assert_allclose(land.center, net.flat_params())
    assert land.xs[0] <= 0.5 <= land.xs[-1] and land.ys[0] <= 0.0 <= land.ys[-1]  # the whole path is inside
    assert land.zmin == pytest.approx(np.nanmin(exact)) and len(land.levels) > 0


def test_pca_plane_contains_a_planar_trajectory():
    rng = np.random.default_rng(2)
    net = Network(NetworkSpec((4, 5, 3), "tanh", init=InitSpec(seed=3)))
    origin = net.flat_params()
    u = rng.standard_normal(net.n_params)
    v = rng.standard_normal(net.n_params)
    coeffs = rng.standard_normal((12, 2))
    traj = origin + coeffs[:, :1] * u + coeffs[:, 1:] * v
    d1, d2, s = pca_directions(traj, origin)
    assert d1 @ d1 == pytest.approx(1) and d2 @ d2 == pytest.approx(1) and abs(d1 @ d2) < 1e-10
    path = project(traj, origin, d1, d2)
    np.testing.assert_allclose(origin + path[:, :1] * d1 + path[:, 1:] * d2, traj, atol=1e-9)
    x = rng.standard_normal((10, 4))
    t = rng.integers(0, 3, 10)
    land = loss_landscape(net, x, t, traj, mode="pca", resolution=7)
    assert land.mode == "pca" and land.labels == ("PC1", "PC2")
    assert sum(land.explained) == pytest.approx(1.0)
    np.testing.assert_allclose(land.path[:-1], path, atol=1e-9)
    np.testing.assert_array_equal(land.path[-1], [0, 0])  # the current weights are the origin
    lo = np.array([land.xs[0], land.ys[0]])
    hi = np.array([land.xs[-1], land.ys[-1]])
    assert np.all(land.path >= lo) and np.all(land.path <= hi)
    assert (hi - lo)[0] == pytest.approx((hi - lo)[1])  # equal scales on both axes
    # the centre of the grid (when it is on the grid) holds the current loss
    centred = loss_landscape(net, x, t, traj, mode="pca", resolution=7, span=1.0)
    assert centred.Z[3, 3] == pytest.approx(net.evaluate(x, t)[0], rel=1e-12)


def test_short_or_straight_trajectories_fall_back():
    net = Network(NetworkSpec((3, 4, 2), "relu", init=InitSpec(seed=4)))
    x = np.random.default_rng(5).standard_normal((8, 3))
    t = np.array([0, 1] * 4)
    short = loss_landscape(net, x, t, None, resolution=5)
    assert short.mode == "random" and "too short" in short.note
    origin = net.flat_params()
    line = origin + np.linspace(-1, 0, 6)[:, None] * np.ones(net.n_params)
    straight = loss_landscape(net, x, t, line, resolution=5)
    assert straight.mode == "pca" and "straight line" in straight.note
    assert np.all(np.isfinite(straight.Z))


def test_filter_normalized_directions():
    net = Network(NetworkSpec((6, 5, 4), "relu", batchnorm=True, init=InitSpec(seed=6)))
    d = filter_normalized_direction(net, np.random.default_rng(0))
    sl = net.flat_slices()
    for name in ("W1", "W2"):
        W = net.param(name)
        D = d[sl[name]].reshape(W.shape)
        np.testing.assert_allclose(np.linalg.norm(D, axis=0), np.linalg.norm(W, axis=0))  # per neuron
    for name in ("b1", "gamma1", "beta1", "b2"):
        np.testing.assert_array_equal(d[sl[name]], 0)
    x = np.random.default_rng(1).standard_normal((10, 6))
    land = loss_landscape(net, x, np.arange(10) % 4, mode="random", resolution=5)
    assert land.labels == ("δ1", "δ2") and land.xs[0] <= -1 and land.xs[-1] >= 1


def test_two_chosen_weights():
    net = Network(NetworkSpec((2, 3, 2), "tanh", init=InitSpec(seed=7)))
    x = np.random.default_rng(2).standard_normal((9, 2))
    t = np.arange(9) % 2
    land = loss_landscape(net, x, t, mode="weights", weights=(("W1", (0, 1)), ("b2", 0)), resolution=9, span=0.5)
    assert land.labels == ("W1[0,1]", "b2[0]")
    i, j = land.indices
    w0, b0 = net.flat_params()[[i, j]]
    np.testing.assert_allclose(land.center, [w0, b0])
    np.testing.assert_allclose([land.xs[0], land.xs[-1]], [w0 - 0.5, w0 + 0.5])
    W = net.param("W1")
    W[0, 1] = land.xs[2]
    net.param("b2")[0] = land.ys[6]
    assert land.Z[6, 2] == pytest.approx(net.evaluate(x, t)[0], rel=1e-12)


def test_landscape_arguments_are_checked():
    net = Network(NetworkSpec((2, 3, 2)))
    x, t = np.zeros((2, 2)), np.array([0, 1])
    with pytest.raises(ValueError, match="unknown landscape mode"):
        loss_landscape(net, x, t, mode="tsne")
    with pytest.raises(ValueError, match="exactly two parameters"):
        loss_landscape(net, x, t, mode="exact")
    with pytest.raises(ValueError, match="two different"):
        loss_landscape(net, x, t, mode="weights", weights=(0, 0))
    with pytest.raises(ValueError, match="needs two weights"):
        loss_landscape(net, x, t, mode="weights")
    with pytest.raises(ValueError, match="resolution"):
        loss_landscape(net, x, t, resolution=1)


def test_a_mnist_sized_slice_is_vectorised():
    rng = np.random.default_rng(3)
    net = Network(NetworkSpec((784, 100, 10), "relu", dtype="float32", init=InitSpec(seed=0)))
    x = rng.random((200, 784), dtype=np.float32)
    t = rng.integers(0, 10, 200)
    traj = net.flat_params() + rng.standard_normal((5, net.n_params)).astype(np.float32) * 0.01
    land = loss_landscape(net, x, t, traj, resolution=21)
    assert land.Z.shape == (21, 21) and np.all(np.isfinite(land.Z))


def test_pca_directions_handle_long_runs_of_small_nets():
    """20,000 recorded points of a 17-parameter net (XOR for 20,000 epochs): the P × P route, same plane."""
    rng = np.random.default_rng(7)
    origin = rng.standard_normal(17)
    u, v = rng.standard_normal(17), rng.standard_normal(17)
    coeffs = rng.standard_normal((20_000, 2)) * [3.0, 1.0]
    traj = origin + coeffs[:, :1] * u + coeffs[:, 1:] * v + 1e-3 * rng.standard_normal((20_000, 17))
    d1, d2, s = pca_directions(traj, origin)
    assert d1 @ d1 == pytest.approx(1) and d2 @ d2 == pytest.approx(1) and abs(d1 @ d2) < 1e-10
    assert s.shape == (17,) and s[0] >= s[1] > 100 * s[2]
    basis = np.linalg.qr(np.stack([u, v], axis=1))[0]
    for d in (d1, d2):  # in the plane of u, v
        assert np.linalg.norm(d - basis @ (basis.T @ d)) < 1e-3
    # the same directions (and signs) as the m × m route on a subset small enough for it
    sub = traj[:12]
    e1, e2, _ = pca_directions(sub, origin)
    f1, f2, _ = pca_directions(sub[:, :17], origin)
    np.testing.assert_allclose(e1, f1)
    wide = np.concatenate([sub, np.zeros((12, 20))], axis=1)  # m < P: the m × m route
    g1, g2, _ = pca_directions(wide, np.concatenate([origin, np.zeros(20)]))
    np.testing.assert_allclose(g1[:17], e1, atol=1e-9)
    np.testing.assert_allclose(g2[:17], e2, atol=1e-9)
    assert d1[np.argmax(np.abs(d1))] > 0 and d2[np.argmax(np.abs(d2))] > 0
