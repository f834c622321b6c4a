"""Layers and activations of the network engine: forward values, and backward checked against central differences
(float64, relative error < 1e-7, kinks avoided), buffers reused, the step function refusing to be trained."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.nn.activations import (
    ACTIVATIONS,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Step,
    Tanh,
    make_activation,
)
from gdstudio.engine.nn.gradcheck import numerical_gradient, relative_error
from gdstudio.engine.nn.layers import Affine, BatchNorm, Dropout, NotTrainableError

TOL = 1e-7


def _away_from_zero(rng, shape, gap=0.05):
    """Values with |x| >= gap: central differences never straddle a kink at 0."""
    x = rng.uniform(gap, 2.0, shape)
    return x * rng.choice([-1.0, 1.0], shape)


def _check_layer(layer, x, train=True, params=True):
    """Backward of L = Σ out·R (R random) against central differences in x and in every parameter."""
    rng = np.random.default_rng(1)
    out = layer.forward(x, train)
    R = rng.standard_normal(out.shape)

    def loss():
        return float(np.sum(layer.forward(x, train) * R))

    layer.forward(x, train)
    dx = layer.backward(R)
    dx = None if dx is None else dx.copy()
    analytic = {k: g.copy() for k, g in layer.grads.items()}
    if dx is not None:
        assert relative_error(dx, numerical_gradient(loss, x)) < TOL
    if params:
        for k, p in layer.params.items():
            err = relative_error(analytic[k], numerical_gradient(loss, p))
            assert err < TOL, (k, err)
    return dx


@pytest.mark.parametrize("cls", [Sigmoid, Tanh, ReLU, Identity, Softmax])
def test_activation_gradients(cls):
    rng = np.random.default_rng(0)
    x = _away_from_zero(rng, (5, 4))
    _check_layer(cls(), x)


@pytest.mark.parametrize("alpha", [0.0, 0.01, 0.3])
def test_leaky_relu_gradient(alpha):
    rng = np.random.default_rng(2)
    _check_layer(LeakyReLU(alpha), _away_from_zero(rng, (6, 3)))


def test_activation_values_match_their_formulas():
    x = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]])
    np.testing.assert_allclose(Sigmoid().forward(x), 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(Tanh().forward(x), np.tanh(x))
    np.testing.assert_array_equal(ReLU().forward(x), [[0, 0, 0, 0.5, 3]])
    np.testing.assert_allclose(LeakyReLU(0.1).forward(x), [[-0.3, -0.05, 0, 0.5, 3]])
    np.testing.assert_array_equal(Step().forward(x), [[0, 0, 0, 1, 1]])
    assert Identity().forward(x) is x
    y = Softmax().forward(x)
    np.testing.assert_allclose(y.sum(axis=1), 1.0)
    np.testing.assert_allclose(y, np.exp(x) / np.exp(x).sum())


def test_pure_functions_equal_the_layers():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 6))
    for name in ACTIVATIONS:
        layer = make_activation(name, alpha=0.2)
        np.testing.assert_allclose(layer.function(x), layer.forward(x), rtol=1e-15, err_msg=name)
    # any leading axes (the landscape grid stacks networks)
    stacked = rng.standard_normal((3, 4, 6))
    np.testing.assert_allclose(Softmax.function(stacked)[1], Softmax.function(stacked[1]))


def test_kinks_follow_pytorch():
    x = np.zeros((1, 3))
    r = ReLU()
    r.forward(x)
    np.testing.assert_array_equal(r.backward(np.ones((1, 3))), 0.0)
    lk = LeakyReLU(0.2)
    lk.forward(x)
    np.testing.assert_array_equal(lk.backward(np.ones((1, 3))), 0.2)


def test_sigmoid_extremes_are_finite():
    x = np.array([[-1000.0, 1000.0]])
    with np.errstate(over="ignore"):  # e^1000 overflows to inf, and 1/(1 + inf) is exactly the right 0
        y = Sigmoid().forward(x)
    np.testing.assert_array_equal(y, [[0.0, 1.0]])
    np.testing.assert_array_equal(Sigmoid.function(x), [[0.0, 1.0]])


def test_step_refuses_to_be_trained_and_says_why():
    s = Step()
    x = _away_from_zero(np.random.default_rng(4), (3, 2))
    s.forward(x)
    with pytest.raises(NotTrainableError, match="cannot be trained by gradient descent") as info:
        s.backward(np.ones_like(x))
    assert "sigmoid" in str(info.value)
    # the claim is true: away from 0 its numerical derivative is exactly zero
    R = np.random.default_rng(5).standard_normal(x.shape)
    num = numerical_gradient(lambda: float(np.sum(s.forward(x) * R)), x)
    np.testing.assert_array_equal(num, 0.0)


def test_unknown_activation_and_bad_alpha():
    with pytest.raises(ValueError, match="valid: step, sigmoid"):
        make_activation("swish")
    with pytest.raises(ValueError, match="slope"):
        LeakyReLU(1.5)


def test_affine_gradients_and_book_shapes():
    rng = np.random.default_rng(6)
    W = rng.standard_normal((4, 3))  # inputs × outputs, as in the book
    b = rng.standard_normal(3)
    layer = Affine(W, b)
    x = rng.standard_normal((5, 4))
    np.testing.assert_allclose(layer.forward(x), x @ W + b)
    _check_layer(layer, x)


def test_first_affine_skips_the_input_gradient():
    rng = np.random.default_rng(7)
    layer = Affine(rng.standard_normal((3, 2)), np.zeros(2), need_dx=False)
    x = rng.standard_normal((4, 3))
    layer.forward(x)
    assert layer.backward(np.ones((4, 2))) is None
    np.testing.assert_allclose(layer.dW, x.T @ np.ones((4, 2)))


def test_affine_rejects_mismatched_bias():
    with pytest.raises(ValueError, match="inputs, outputs"):
        Affine(np.zeros((3, 2)), np.zeros(3))


def test_buffers_are_reused_per_batch_size():
    rng = np.random.default_rng(8)
    layer = Affine(rng.standard_normal((3, 2)), np.zeros(2))
    a = layer.forward(rng.standard_normal((4, 3)))
    b = layer.forward(rng.standard_normal((4, 3)))
    assert a is b  # same buffer for the same batch size: no allocation per step
    c = layer.forward(rng.standard_normal((5, 3)))
    assert c is not a and c.shape == (5, 2)


def test_dropout_train_and_eval():
    rng = np.random.default_rng(9)
    x = rng.standard_normal((200, 50))
    d = Dropout(0.3, np.random.default_rng(0))
    assert d.forward(x, train=False) is x
    out = d.forward(x, train=True)
    dropped = np.mean(out == 0)
    assert 0.25 < dropped < 0.35
    kept = out != 0
    np.testing.assert_allclose(out[kept], x[kept] / 0.7)  # inverted dropout: survivors scaled by 1/(1 − p)


def test_dropout_gradient_with_its_mask():
    rng = np.random.default_rng(10)
    x = rng.standard_normal((6, 5))
    d = Dropout(0.5, np.random.default_rng(1))
    d.forward(x, True)
    mask = d.mask.copy()
    R = rng.standard_normal(x.shape)
    dx = d.backward(R)
    num = numerical_gradient(lambda: float(np.sum(x * mask * R)), x)
    assert relative_error(dx, num) < TOL


def test_dropout_is_seeded():
    x = np.ones((10, 10))
    a = Dropout(0.5, np.random.default_rng(42)).forward(x, True).copy()
    b = Dropout(0.5, np.random.default_rng(42)).forward(x, True).copy()
    np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="ratio"):
        Dropout(1.0)


def test_batchnorm_train_gradient():
    rng = np.random.default_rng(11)
    bn = BatchNorm(4)
    bn.gamma[...] = rng.uniform(0.5, 2.0, 4)
    bn.beta[...] = rng.standard_normal(4)
    x = rng.standard_normal((7, 4)) * 3 + 1
    _check_layer(bn, x, train=True)


def test_batchnorm_eval_gradient_and_running_stats():
    rng = np.random.default_rng(12)
    bn = BatchNorm(3, momentum=0.1)
    x = rng.standard_normal((50, 3)) * 2 + 5
    out = bn.forward(x, True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), 1, rtol=1e-5)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0))
    bn.gamma[...] = [1.5, 0.5, 2.0]
    _check_layer(bn, rng.standard_normal((6, 3)), train=False)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 6),
    k=st.integers(1, 5),
    name=st.sampled_from(["sigmoid", "tanh", "identity", "softmax"]),
    seed=st.integers(0, 2**31),
)
def test_smooth_activation_gradients_any_shape(n, k, name, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-4, 4, (n, k))
    _check_layer(make_activation(name), x)
