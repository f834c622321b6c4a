"""Outputs + losses and the weight penalties: definitions as in the book, numerical stability, target forms, and
gradients against central differences (float64, relative error < 1e-7)."""

from __future__ import annotations

import numpy as np
import pytest

from gdstudio.engine.nn.gradcheck import numerical_gradient, relative_error
from gdstudio.engine.nn.initializers import InitSpec
from gdstudio.engine.nn.losses import (
    LOSSES,
    OUTPUTS,
    MSEHead,
    SigmoidBCE,
    SoftmaxCrossEntropy,
    canonical_output_loss,
    make_head,
)
from gdstudio.engine.nn.network import Network, NetworkSpec

TOL = 1e-7


def _check_head(head, z, t):
    """∂L/∂z of the head against central differences of its loss."""
    head.forward(z, t)
    dz = head.backward().copy()
    num = numerical_gradient(lambda: head.forward(z, t), z)
    err = relative_error(dz, num)
    assert err < TOL, err
    return dz


def test_softmax_cross_entropy_matches_the_book_formula():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((6, 4))
    labels = rng.integers(0, 4, 6)
    y = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(y[np.arange(6), labels]))
    head = SoftmaxCrossEntropy()
    t = head.prepare_targets(labels, 4, np.float64)
    assert head.forward(z, t) == pytest.approx(expected, rel=1e-13)
    np.testing.assert_allclose(head.out, y, rtol=1e-13)


@pytest.mark.parametrize("form", ["labels", "one_hot", "soft"])
def test_softmax_cross_entropy_gradient(form):
    rng = np.random.default_rng(1)
    z = rng.standard_normal((5, 3)) * 2
    labels = rng.integers(0, 3, 5)
    head = SoftmaxCrossEntropy()
    if form == "labels":
        raw = labels
    elif form == "one_hot":
        raw = np.eye(3)[labels]
    else:
        raw = rng.dirichlet(np.ones(3), 5)
    t = head.prepare_targets(raw, 3, np.float64)
    assert t.ndim == (2 if form == "soft" else 1)  # exact one-hot rows take the fast integer path
    dz = _check_head(head, z, t)
    if form != "soft":
        head.forward(z, t)
        np.testing.assert_allclose(dz, (head.out - np.eye(3)[labels]) / 5, rtol=1e-14)  # fused (y − t)/N


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    head = SoftmaxCrossEntropy()
    z = np.array([[1000.0, 0.0, -1000.0], [-1e6, 1e6, 0.0]])
    t = head.prepare_targets([0, 0], 3, np.float64)
    with np.errstate(all="raise", under="ignore"):
        loss = head.forward(z, t)
    assert np.isfinite(loss)
    assert loss == pytest.approx((0.0 + 2e6) / 2)
    assert np.all(np.isfinite(head.backward()))


def test_binary_cross_entropy_definition_and_gradient():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((7, 1)) * 3
    t01 = rng.integers(0, 2, 7).astype(float)
    head = SigmoidBCE()
    t = head.prepare_targets(t01, 1, np.float64)
    y = 1 / (1 + np.exp(-z[:, 0]))
    expected = -np.mean(t01 * np.log(y) + (1 - t01) * np.log(1 - y))
    assert head.forward(z, t) == pytest.approx(expected, rel=1e-12)
    dz = _check_head(head, z, t)
    np.testing.assert_allclose(dz[:, 0], (y - t01) / 7, rtol=1e-12)


def test_binary_cross_entropy_is_stable_via_logits():
    head = SigmoidBCE()
    z = np.array([[800.0], [-800.0]])
    t = head.prepare_targets([0.0, 1.0], 1, np.float64)
    with np.errstate(over="ignore"):
        loss = head.forward(z, t)
    assert loss == pytest.approx(800.0)  # a log(0) implementation would give inf
    with pytest.raises(ValueError, match="between 0 and 1"):
        head.prepare_targets([2.0, 0.0], 1, np.float64)


@pytest.mark.parametrize("output", ["identity", "sigmoid", "tanh", "softmax"])
def test_mse_is_half_sum_per_sample_averaged(output):
    rng = np.random.default_rng(3)
    z = rng.standard_normal((4, 3))
    t = rng.uniform(0, 1, (4, 3))
    head = MSEHead(output)
    y = head.predict(z)
    expected = np.mean(0.5 * np.sum((y - t) ** 2, axis=1))
    assert head.forward(z, t) == pytest.approx(expected, rel=1e-13)
    _check_head(head, z, t)


def test_mse_with_step_output_has_no_gradient():
    head = MSEHead("step")
    z = np.array([[0.5], [-0.5]])
    head.forward(z, np.array([[1.0], [1.0]]))
    with pytest.raises(ValueError, match="step function"):
        head.backward()


def test_batched_loss_equals_single_loss():
    rng = np.random.default_rng(4)
    for head, t_raw, k in [
        (SoftmaxCrossEntropy(), rng.integers(0, 3, 6), 3),
        (SoftmaxCrossEntropy(), rng.dirichlet(np.ones(3), 6), 3),
        (SigmoidBCE(), rng.integers(0, 2, 6).astype(float), 1),
        (MSEHead("sigmoid"), rng.uniform(size=(6, 2)), 2),
    ]:
        t = head.prepare_targets(t_raw, k, np.float64)
        Z = rng.standard_normal((3, 6, k))
        batched = head.batched_loss(Z, t)
        singles = [head.forward(Z[i].copy(), t) for i in range(3)]
        np.testing.assert_allclose(batched, singles, rtol=1e-12)


def test_target_forms():
    head = MSEHead("identity")
    np.testing.assert_array_equal(head.prepare_targets([1, 0, 2], 3, np.float64), np.eye(3)[[1, 0, 2]])
    assert head.prepare_targets([0.5, 0.2], 1, np.float32).shape == (2, 1)
    ce = SoftmaxCrossEntropy()
    with pytest.raises(ValueError, match="0..2"):
        ce.prepare_targets([0, 3], 3, np.float64)
    with pytest.raises(ValueError, match="whole numbers"):
        ce.prepare_targets([0.5, 1], 3, np.float64)
    with pytest.raises(ValueError, match="at least 2 outputs"):
        ce.prepare_targets([0, 1], 1, np.float64)


def test_output_loss_pairs():
    assert canonical_output_loss("softmax", None) == ("softmax", "cross_entropy")
    assert canonical_output_loss("sigmoid", None) == ("sigmoid", "bce")
    assert canonical_output_loss("identity", None) == ("identity", "mse")
    assert canonical_output_loss("sigmoid", "mse") == ("sigmoid", "mse")  # the seed's worked example
    assert canonical_output_loss("softmax", "ce") == ("softmax", "cross_entropy")
    with pytest.raises(ValueError, match="needs a softmax output"):
        canonical_output_loss("sigmoid", "cross_entropy")
    with pytest.raises(ValueError, match="needs a sigmoid output"):
        canonical_output_loss("identity", "bce")
    with pytest.raises(ValueError, match="unknown output"):
        canonical_output_loss("relu", None)
    with pytest.raises(ValueError, match="unknown loss"):
        canonical_output_loss("identity", "hinge")
    assert set(OUTPUTS) >= {"softmax", "sigmoid", "identity"} and set(LOSSES) == {"cross_entropy", "bce", "mse"}
    assert isinstance(make_head("identity"), MSEHead)


def _net(l1=0.0, l2=0.0, batchnorm=False):
    spec = NetworkSpec((3, 4, 2), "tanh", "softmax", l1=l1, l2=l2, batchnorm=batchnorm,
                       init=InitSpec("normal", sigma=0.8, bias=0.1, seed=3))
    return Network(spec)


@pytest.mark.parametrize("l1,l2", [(0.0, 0.3), (0.2, 0.0), (0.1, 0.05)])
def test_weight_penalties_in_loss_and_gradient(l1, l2):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((6, 3))
    t = rng.integers(0, 2, 6)
    plain, reg = _net(), _net(l1, l2, batchnorm=True)
    plain_bn = _net(batchnorm=True)
    W = [reg.param("W1"), reg.param("W2")]
    penalty = 0.5 * l2 * sum(np.sum(w**2) for w in W) + l1 * sum(np.sum(np.abs(w)) for w in W)
    assert reg.loss(x, t, train=True) == pytest.approx(plain_bn.loss(x, t, train=True) + penalty, rel=1e-12)
    assert reg.regularization() == pytest.approx(penalty, rel=1e-12)
    analytic = [g.copy() for g in reg.gradient(x, t)]
    numeric = reg.numerical_gradient(x, t)
    for name, a, n in zip(reg.param_names(), analytic, numeric):
        assert relative_error(a, n) < TOL, name
    # weights only: the bias and γ/β gradients are unchanged by the penalty
    base = [g.copy() for g in plain_bn.gradient(x, t)]
    for name, a, b in zip(reg.param_names(), analytic, base):
        if name.startswith("W"):
            np.testing.assert_allclose(a - b, l2 * reg.param(name) + l1 * np.sign(reg.param(name)), atol=1e-12)
        else:
            np.testing.assert_allclose(a, b, atol=1e-15)
    assert plain.regularization() == 0.0
