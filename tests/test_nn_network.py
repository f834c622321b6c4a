"""The network: the seeds' worked backprop example exactly, whole-network gradient checks, parameter order for the
optimizers, initialisation schemes and explicit weights, the perceptron's step, specs from experiment files."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdstudio.engine.nn.gradcheck import relative_error
from gdstudio.engine.nn.initializers import INIT_SCHEMES, InitSpec, parse_weights
from gdstudio.engine.nn.layers import NotTrainableError
from gdstudio.engine.nn.network import EVAL_CHUNK, Network, NetworkSpec
from gdstudio.engine.optimizers import make_optimizer

TOL = 1e-7

# The seed's 1-2-1 network: x = 2, t = 1, W1 = [[1, −1]], b1 = [3, 3], W2 = [[2], [1]], b2 = [0], sigmoid everywhere,
# E = ½(y − t)², one SGD step with η = 0.2.
SEED_WEIGHTS = [{"W": [[1, -1]], "b": [3, 3]}, {"W": [[2], [1]], "b": [0]}]


def _seed_network() -> Network:
    return Network(NetworkSpec(activation="sigmoid", output="sigmoid", loss="mse",
                               init=InitSpec(weights=SEED_WEIGHTS)))


def test_seed_worked_example_forward_values():
    net = _seed_network()
    assert net.spec.sizes == (1, 2, 1)  # taken from the explicit weights
    x, t = np.array([[2.0]]), np.array([[1.0]])
    loss, _ = net.loss_and_gradient(net.as_input(x), net.prepare_targets(t))
    h = net.blocks[0].activation_out[0]
    a_out = net.blocks[1].pre_activation[0, 0]
    y = net.blocks[1].activation_out[0, 0]
    assert np.round(h, 4).tolist() == [0.9933, 0.7311]  # σ(5), σ(1)
    assert round(a_out, 4) == 2.7177  # 2·σ(5) + 1·σ(1) + 0
    assert round(y, 4) == 0.9381  # σ(2.7177)
    assert loss == pytest.approx(0.5 * (y - 1) ** 2, rel=1e-15)


def test_seed_worked_example_gradient_and_update_follow_the_rule():
    net = _seed_network()
    x, t = np.array([[2.0]]), np.array([[1.0]])
    grads = net.gradient(x, t)
    dW2 = grads[net.param_names().index("W2")]
    # Computed by hand: ∂E/∂w21 = (y − t)·y(1 − y)·h1
    h1 = 1 / (1 + math.exp(-5))
    h2 = 1 / (1 + math.exp(-1))
    y = 1 / (1 + math.exp(-(2 * h1 + h2)))
    expected = (y - 1) * y * (1 - y) * h1
    assert round(expected, 6) == -0.003575
    assert dW2[0, 0] == pytest.approx(expected, rel=1e-12)
    assert round(dW2[0, 0], 6) == -0.003575
    sgd = make_optimizer("sgd", net.params(), lr=0.2)
    sgd.step(grads)
    w21 = net.param("W2")[0, 0]
    # w ← w − η·∂E/∂w: the weight grows (the seed's 1.9992 subtracts the wrong way).
    assert w21 == pytest.approx(2 - 0.2 * expected, rel=1e-15)
    assert round(w21, 6) == 2.000715
    assert w21 > 2


def test_seed_example_numerical_gradient_agrees():
    net = _seed_network()
    x, t = np.array([[2.0]]), np.array([[1.0]])
    analytic = [g.copy() for g in net.gradient(x, t)]
    for a, n in zip(analytic, net.numerical_gradient(x, t)):
        assert relative_error(a, n) < TOL


NETWORK_CASES = [
    dict(layers=(3, 5, 4), activation="sigmoid", output="softmax"),
    dict(layers=(3, 5, 4, 2), activation="tanh", output="sigmoid", loss="bce"),
    dict(layers=(3, 4, 4, 2), activation="relu", output="identity"),
    dict(layers=(3, 6, 3), activation="leaky_relu", leaky_alpha=0.1, output="softmax"),
    dict(layers=(3, 5, 4, 3), activation=("relu", "tanh"), output="softmax", batchnorm=True),
    dict(layers=(3, 5, 5, 3), activation="sigmoid", output="softmax", dropout=0.3),
    dict(layers=(3, 5, 3), activation="tanh", output="softmax", batchnorm=True, dropout=0.2, l1=0.01, l2=0.1),
    dict(layers=(3, 4, 2), activation="identity", output="tanh", loss="mse"),
    dict(layers=(3, 4, 3), activation="relu", output="softmax", loss="mse"),
    dict(layers=(3, 2), output="sigmoid", loss="mse"),
]


@pytest.mark.parametrize("case", NETWORK_CASES, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_backprop_equals_central_differences(case):
    spec = NetworkSpec(init=InitSpec("normal", sigma=0.7, bias=0.05, seed=11), **case)
    net = Network(spec)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((8, 3))
    n_out = spec.sizes[-1]
    if spec.loss == "cross_entropy":
        t = rng.integers(0, n_out, 8)
    else:
        t = rng.uniform(0, 1, (8, n_out))
    if spec.hidden_activations and spec.hidden_activations[0] in ("relu", "leaky_relu"):
        # keep every pre-activation away from the kink so that ±h never crosses it
        a = x @ net.param("W1") + net.param("b1")
        assert np.min(np.abs(a)) > 1e-3
    drops = [b.dropout for b in net.blocks if b.dropout is not None]
    states = [d.rng.bit_generator.state for d in drops]
    numeric = net.numerical_gradient(x, t)
    for d, s in zip(drops, states):
        d.rng.bit_generator.state = s  # the same masks as the numerical passes
    analytic = [g.copy() for g in net.gradient(x, t)]
    for name, a, n in zip(net.param_names(), analytic, numeric):
        assert relative_error(a, n) < TOL, name


def test_parameter_order_and_in_place_updates():
    net = Network(NetworkSpec((4, 3, 3, 2), "relu", batchnorm=(True, False)))
    assert net.param_names() == ["W1", "b1", "gamma1", "beta1", "W2", "b2", "W3", "b3"]
    params = net.params()
    assert [p.shape for p in params] == [(4, 3), (3,), (3,), (3,), (3, 3), (3,), (3, 2), (2,)]
    assert [g.shape for g in net.grads()] == [p.shape for p in params]
    assert all(a is b for a, b in zip(params, net.params()))  # the same arrays every time
    x = np.random.default_rng(0).standard_normal((5, 4))
    t = np.array([0, 1, 1, 0, 1])
    before = net.flat_params()
    opt = make_optimizer("adam", net.params(), lr=0.01)
    opt.step(net.gradient(x, t))
    assert all(a is b for a, b in zip(params, net.params()))
    assert not np.array_equal(before, net.flat_params())
    assert net.n_params == sum(p.size for p in params) == before.size


def test_flat_vector_round_trip_and_names():
    net = Network(NetworkSpec((2, 3, 1), "tanh", "sigmoid"))
    v = np.arange(net.n_params, dtype=float)
    net.set_flat_params(v)
    np.testing.assert_array_equal(net.flat_params(), v)
    assert net.param("W1")[1, 2] == v[net.flat_index("W1", (1, 2))] == 5
    assert net.describe_flat_index(net.flat_index("b2", 0)) == "b2[0]"
    assert net.flat_slices()["W2"] == slice(9, 12)
    with pytest.raises(ValueError):
        net.set_flat_params(v[:-1])
    with pytest.raises(KeyError, match="valid: W1"):
        net.param("W9")


def test_reset_restores_the_initial_weights():
    net = Network(NetworkSpec((2, 3, 2), "relu", init=InitSpec(seed=4)))
    start = net.flat_params()
    net.set_flat_params(start + 1)
    net.reset()
    np.testing.assert_array_equal(net.flat_params(), start)


def test_seed_reproducibility_and_dtype():
    a = Network(NetworkSpec((5, 4, 3), "relu", init=InitSpec("he", seed=7)))
    b = Network(NetworkSpec((5, 4, 3), "relu", init=InitSpec("he", seed=7)))
    c = Network(NetworkSpec((5, 4, 3), "relu", init=InitSpec("he", seed=8)))
    f = Network(NetworkSpec((5, 4, 3), "relu", init=InitSpec("he", seed=7), dtype="float32"))
    np.testing.assert_array_equal(a.flat_params(), b.flat_params())
    assert not np.array_equal(a.flat_params(), c.flat_params())
    assert f.dtype == np.float32 and all(p.dtype == np.float32 for p in f.params())
    np.testing.assert_allclose(f.flat_params(), a.flat_params(), rtol=1e-6)  # same draw, rounded
    fresh = Network(NetworkSpec((5, 4, 3), init=InitSpec(seed=None)))
    assert isinstance(fresh.init_seed, int)
    again = Network(NetworkSpec((5, 4, 3), init=InitSpec(seed=fresh.init_seed)))
    np.testing.assert_array_equal(fresh.flat_params(), again.flat_params())
    assert Network(NetworkSpec((64, 10, 10), dtype="auto")).dtype == np.float32
    assert Network(NetworkSpec((2, 10, 2), dtype="auto")).dtype == np.float64


@pytest.mark.parametrize(
    "scheme,expected_std",
    [("normal", 0.01), ("xavier", math.sqrt(1 / 400)), ("he", math.sqrt(2 / 400)),
     ("glorot_uniform", math.sqrt(6 / 700) / math.sqrt(3)), ("uniform", 0.05 / math.sqrt(3))],
)
def test_init_scheme_scales(scheme, expected_std):
    net = Network(NetworkSpec((400, 300, 10), "sigmoid", init=InitSpec(scheme, seed=0)))
    W = net.param("W1")
    assert abs(W.mean()) < 0.05 * expected_std
    assert W.std() == pytest.approx(expected_std, rel=0.02)
    np.testing.assert_array_equal(net.param("b1"), 0)


def test_init_constant_zeros_bias_and_auto():
    net = Network(NetworkSpec((3, 2, 2), init=InitSpec("constant", c=0.25, bias=0.5)))
    np.testing.assert_array_equal(net.param("W1"), 0.25)
    np.testing.assert_array_equal(net.param("b2"), 0.5)
    np.testing.assert_array_equal(Network(NetworkSpec((3, 2, 2), init=InitSpec("zeros"))).param("W2"), 0)
    relu = Network(NetworkSpec((500, 100, 2), "relu", init=InitSpec("auto", seed=1))).param("W1")
    sig = Network(NetworkSpec((500, 100, 2), "sigmoid", init=InitSpec("auto", seed=1))).param("W1")
    assert relu.std() == pytest.approx(math.sqrt(2 / 500), rel=0.03)  # He for ReLU
    assert sig.std() == pytest.approx(math.sqrt(1 / 500), rel=0.03)  # Xavier otherwise
    assert "glorot_uniform" in INIT_SCHEMES


@pytest.mark.parametrize(
    "weights,match",
    [
        ([{"W": [[1, 2], [3]], "b": [0, 0]}], "rectangular table"),
        ([{"W": [[1, 2]], "b": [0, 0, 0]}], r"expected 2 value\(s\)"),
        ([{"W": [[1, 2]]}, {"W": [[1], [2], [3]]}], "previous layer has 2"),
        ([{"W": [[1, float("nan")]]}], "finite"),
        ([{"W": [[1]], "bias": [0]}], "unknown key"),
        ([], "non-empty"),
        ([{"b": [1]}], "W: missing"),
    ],
)
def test_explicit_weights_are_validated(weights, match):
    with pytest.raises(ValueError, match=match):
        parse_weights(weights)


def test_explicit_weights_must_fit_the_layers():
    with pytest.raises(ValueError, match=r"expected shape 2×3 \(inputs × outputs\), got 3×2"):
        NetworkSpec((2, 3), init=InitSpec(weights=[{"W": [[1, 2], [3, 4], [5, 6]]}]), output="identity")
    src = np.array([[1.0, 2.0]])
    InitSpec(weights=[{"W": src}])
    assert src.flags.writeable  # the caller's array is copied, never frozen


def test_perceptron_gates_with_step_and_no_training():
    # the book's AND / NAND / OR perceptrons: w = (0.5, 0.5), b = −0.7 etc.
    x = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], float)
    for w, b, truth in [((0.5, 0.5), -0.7, [0, 0, 0, 1]), ((-0.5, -0.5), 0.7, [1, 1, 1, 0]),
                        ((0.5, 0.5), -0.2, [0, 1, 1, 1])]:
        net = Network(NetworkSpec(output="step", loss="mse", init=InitSpec(weights=[{"W": [[w[0]], [w[1]]],
                                                                                       "b": [b]}])))
        assert net.predict(x)[:, 0].tolist() == truth
        assert net.accuracy(x, np.array(truth, float)) == 1.0
        assert not net.spec.trainable
        with pytest.raises(NotTrainableError, match="step function"):
            net.gradient(x, np.array(truth, float))
    # a two-layer perceptron (NAND, OR → AND) computes XOR
    xor = Network(NetworkSpec(activation="step", output="step", loss="mse", init=InitSpec(weights=[
        {"W": [[-0.5, 0.5], [-0.5, 0.5]], "b": [0.7, -0.2]}, {"W": [[0.5], [0.5]], "b": [-0.7]}])))
    assert xor.predict(x)[:, 0].tolist() == [0, 1, 1, 0]


def test_predict_evaluate_and_chunking():
    rng = np.random.default_rng(9)
    net = Network(NetworkSpec((3, 8, 4), "tanh", init=InitSpec(seed=2)))
    n = EVAL_CHUNK * 2 + 17
    x = rng.standard_normal((n, 3))
    t = rng.integers(0, 4, n)
    y = net.predict(x)
    assert y.shape == (n, 4)
    np.testing.assert_allclose(y.sum(axis=1), 1)
    direct = np.tanh(x @ net.param("W1") + net.param("b1")) @ net.param("W2") + net.param("b2")
    np.testing.assert_allclose(net.logits(x), direct, rtol=1e-12)
    loss, acc = net.evaluate(x, t)
    p = y[np.arange(n), t]
    assert loss == pytest.approx(-np.mean(np.log(p)), rel=1e-10)
    assert acc == pytest.approx(np.mean(np.argmax(y, 1) == t))
    assert net.accuracy(x, np.eye(4)[t]) == acc  # one-hot targets work too
    with pytest.raises(ValueError, match="3 unit"):
        net.predict(np.zeros((2, 5)))
    assert net.predict(np.zeros(3)).shape == (1, 4)  # one sample as a 1-D row


def test_single_input_network_takes_a_column_of_samples():
    net = Network(NetworkSpec((1, 1), output="identity", init=InitSpec(weights=[{"W": [[3.0]], "b": [0.8]}])))
    np.testing.assert_allclose(net.predict([0.0, 1.0, 2.0])[:, 0], [0.8, 3.8, 6.8])
    assert net.n_params == 2


def test_weights_state_and_describe():
    net = Network(NetworkSpec((2, 3, 2), "relu", batchnorm=True, init=InitSpec(seed=1)))
    w = net.get_weights()
    assert set(w[0]) == {"W", "b", "gamma", "beta"} and set(w[1]) == {"W", "b"}
    w[1]["W"] = np.ones((3, 2))
    net.set_weights(w)
    np.testing.assert_array_equal(net.param("W2"), 1)
    with pytest.raises(ValueError, match="expected shape"):
        net.set_weights([{"W": np.ones((3, 3))}, {}])
    state = net.state_dict()
    assert {"W1", "b1", "gamma1", "beta1", "W2", "b2", "running_mean1", "running_var1"} == set(state)
    other = Network(NetworkSpec((2, 3, 2), "relu", batchnorm=True, init=InitSpec(seed=9)))
    other.load_state_dict(state)
    np.testing.assert_array_equal(other.flat_params(), net.flat_params())
    assert net.describe() == "2-3-2 relu → softmax + cross_entropy"


def test_spec_validation_messages():
    with pytest.raises(ValueError, match="network.layers"):
        NetworkSpec((3,))
    with pytest.raises(ValueError, match="network.activation"):
        NetworkSpec((3, 4, 2), "swish")
    with pytest.raises(ValueError, match="exactly 2"):
        NetworkSpec((3, 4, 4, 2), ("relu",))
    with pytest.raises(ValueError, match="network.dropout"):
        NetworkSpec((3, 4, 2), dropout=1.0)
    with pytest.raises(ValueError, match="network.l2"):
        NetworkSpec((3, 4, 2), l2=-1)
    with pytest.raises(ValueError, match="network.dtype"):
        NetworkSpec((3, 4, 2), dtype="float16")
    with pytest.raises(ValueError, match="softmax needs at least 2"):
        NetworkSpec((3, 4, 1), output="softmax")
    with pytest.raises(ValueError, match="needs a softmax output"):
        NetworkSpec((3, 4, 2), output="sigmoid", loss="cross_entropy")
    with pytest.raises(ValueError, match="init.scheme"):
        InitSpec("lecun")


def test_spec_from_and_to_experiment_dict():
    d = {"layers": [2, 4, 1], "activation": "tanh", "output": "sigmoid", "loss": "bce",
         "init": {"scheme": "xavier", "seed": 0}}
    spec = NetworkSpec.from_dict(d)
    assert spec.sizes == (2, 4, 1) and spec.loss == "bce" and spec.init.scheme == "xavier"
    again = NetworkSpec.from_dict(spec.to_dict())
    assert again == spec
    with pytest.raises(ValueError, match="network.width: unknown key"):
        NetworkSpec.from_dict({"layers": [2, 1], "width": 3})
    with pytest.raises(ValueError, match="init.sd: unknown key"):
        NetworkSpec.from_dict({"layers": [2, 1], "init": {"sd": 1}})
    explicit = NetworkSpec.from_dict({"output": "identity", "init": {"weights": [{"W": [[2.0]], "b": [1.0]}]}})
    assert explicit.sizes == (1, 1)
    assert NetworkSpec.from_dict(explicit.to_dict()).init.weights[0][0].tolist() == [[2.0]]


# ---- train_step: plain SGD folded into backpropagation -------------------------------------------------------------

def _wide_net(dtype="float64", **spec) -> Network:
    """784 inputs × 30 units: W1 has 23,520 entries, so train_step accumulates it (SGD_ACCUMULATE_MIN)."""
    spec.setdefault("activation", "relu")
    return Network(NetworkSpec((784, 30, 12, 10), init=InitSpec("auto", seed=3), dtype=dtype, **spec))


def _batches(n_steps, dtype, seed=0, rows=40):
    rng = np.random.default_rng(seed)
    return [(rng.random((rows, 784)).astype(dtype), rng.integers(0, 10, rows)) for _ in range(n_steps)]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("spec", [{}, {"activation": "sigmoid"}, {"activation": "tanh", "dropout": 0.3}])
def test_fused_sgd_step_matches_loss_and_gradient_then_step(dtype, spec):
    from gdstudio.engine.nn.network import SGD_ACCUMULATE_MIN

    fused, plain = _wide_net(dtype, **spec), _wide_net(dtype, **spec)
    assert fused.blocks[0].affine.W.size >= SGD_ACCUMULATE_MIN > fused.blocks[1].affine.W.size
    opt_f = make_optimizer("sgd", fused.params(), lr=0.05)
    opt_p = make_optimizer("sgd", plain.params(), lr=0.05)
    tol = dict(rtol=1e-12, atol=1e-14) if dtype == "float64" else dict(rtol=2e-5, atol=1e-6)
    for x, t in _batches(6, dtype):
        xf = x.copy()
        loss_f, ok_f = fused.train_step(xf, fused.prepare_targets(t), opt_f, 1e12)
        loss_p, grads = plain.loss_and_gradient(x, plain.prepare_targets(t))
        opt_p.step(grads)
        assert ok_f and loss_f == pytest.approx(loss_p, **{"rel": tol["rtol"]})
        assert fused.blocks[0].affine._pending is not None  # ∂W1 not written yet …
        for g_f, g_p in zip(fused.grads(), plain.grads()):  # … until asked for
            np.testing.assert_allclose(g_f, g_p, **tol)
        assert fused.blocks[0].affine._pending is None
        for p_f, p_p in zip(fused.params(), plain.params()):
            np.testing.assert_allclose(p_f, p_p, **tol)
    assert opt_f.step_count == opt_p.step_count == 6
    assert fused._fused_for[1] == 0.05  # the fused path really ran


def test_fused_sgd_step_without_blas_gives_the_same_numbers(monkeypatch):
    from gdstudio.engine.nn import layers, network

    batches = _batches(4, "float64", seed=1)

    def run():
        net = _wide_net()
        opt = make_optimizer("sgd", net.params(), lr=0.1)
        for x, t in batches:
            net.train_step(x, net.prepare_targets(t), opt, 1e12)
        return net.params(), net.grads()

    with_blas = run()
    monkeypatch.setattr(layers.GemmAccumulate, "make", classmethod(lambda cls, c, a, b: None))
    monkeypatch.setattr(network, "axpy_updater", lambda p, g: None)
    without = run()
    for a, b in zip(with_blas[0] + with_blas[1], without[0] + without[1]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, hyper", [("momentum", {}), ("adam", {}), ("sgd", {"weight_decay": 0.01})])
def test_train_step_runs_other_optimizers_unfused_exactly(name, hyper):
    a, b = _wide_net(), _wide_net()
    opt_a = make_optimizer(name, a.params(), lr=0.01, **hyper)
    opt_b = make_optimizer(name, b.params(), lr=0.01, **hyper)
    for x, t in _batches(3, "float64", seed=2):
        a.train_step(x, a.prepare_targets(t), opt_a, 1e12)
        opt_b.step(b.loss_and_gradient(x, b.prepare_targets(t))[1])
    assert a._fused_for[1] is None
    for p, q in zip(a.params() + a.grads(), b.params() + b.grads()):
        np.testing.assert_array_equal(p, q)


def test_train_step_is_unfused_with_batch_norm_or_penalties_and_on_request():
    for spec in ({"batchnorm": True}, {"l2": 0.01}):
        net = _wide_net(**spec)
        opt = make_optimizer("sgd", net.params(), lr=0.01)
        x, t = _batches(1, "float64")[0]
        net.train_step(x, net.prepare_targets(t), opt)
        assert net.blocks[0].affine._pending is None and opt.step_count == 1
    net = _wide_net()
    opt = make_optimizer("sgd", net.params(), lr=0.01)
    net.train_step(x, net.prepare_targets(t), opt, fuse=False)
    assert net.blocks[0].affine._pending is None and opt.step_count == 1


def test_train_step_out_of_bounds_updates_nothing_and_writes_the_gradients():
    net, ref = _wide_net(), _wide_net()
    opt = make_optimizer("sgd", net.params(), lr=0.1)
    x, t = _batches(1, "float64")[0]
    before = [p.copy() for p in net.params()]
    loss, ok = net.train_step(x, net.prepare_targets(t), opt, bound=1e-3)  # the loss is ~2.3
    assert not ok and loss > 1e-3 and opt.step_count == 0
    for p, p0 in zip(net.params(), before):
        np.testing.assert_array_equal(p, p0)
    assert net.blocks[0].affine._pending is None
    _, grads = ref.loss_and_gradient(x, ref.prepare_targets(t))
    for g, g_ref in zip(net._grads, grads):
        np.testing.assert_array_equal(g, g_ref)


def test_fused_gradients_pass_the_gradient_check():
    net = _wide_net(activation="tanh")
    opt = make_optimizer("sgd", net.params(), lr=0.01)
    x, t = _batches(1, "float64", rows=5)[0]
    before = [p.copy() for p in net.params()]
    net.train_step(x, net.prepare_targets(t), opt)
    grads = [g.copy() for g in net.grads()]  # the gradients at the weights before the step
    for p, p0 in zip(net.params(), before):
        p[...] = p0
    numeric = net.numerical_gradient(x, t)
    assert max(relative_error(g, n) for g, n in zip(grads, numeric)) < TOL
