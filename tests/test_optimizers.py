"""Optimizers against their update rules written out independently (torch.optim pseudo-code), and torch itself."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.optimizers import (
    OPTIMIZERS,
    SGD,
    Adagrad,
    Adam,
    AdamW,
    Momentum,
    Nesterov,
    Optimizer,
    ParamSpec,
    RMSprop,
    make_optimizer,
)

STEPS = 8
RTOL = 1e-12


def gradient_sequence(shape=(3,), steps=STEPS, seed=7) -> list[np.ndarray]:
    """Fixed gradients; large ones first then small, so AMSGrad's running max matters."""
    rng = np.random.default_rng(seed)
    scale = [3.0, 2.0, 0.1, 0.05, 1.0, 0.02, 0.5, 0.01, 0.3, 0.2][:steps]
    return [rng.normal(size=shape) * s for s in scale]


THETA0 = np.array([0.5, -1.5, 2.0])


# ---- reference recurrences, one plain line per pseudo-code line -----------------------------------------------


def ref_sgd(theta, grads, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False):
    out, b = [], None
    for t, g in enumerate(grads, start=1):
        if weight_decay != 0:
            g = g + weight_decay * theta
        if momentum != 0:
            if t > 1:
                b = momentum * b + (1 - dampening) * g
            else:
                b = g
            if nesterov:
                g = g + momentum * b
            else:
                g = b
        theta = theta - lr * g
        out.append(theta)
    return out


def ref_adagrad(theta, grads, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
    out = []
    state_sum = np.full_like(theta, initial_accumulator_value)
    for t, g in enumerate(grads, start=1):
        clr = lr / (1 + (t - 1) * lr_decay)
        if weight_decay != 0:
            g = g + weight_decay * theta
        state_sum = state_sum + g * g
        theta = theta - clr * g / (np.sqrt(state_sum) + eps)
        out.append(theta)
    return out


def ref_rmsprop(theta, grads, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    out = []
    v = np.zeros_like(theta)
    g_ave = np.zeros_like(theta)
    b = np.zeros_like(theta)
    for g in grads:
        if weight_decay != 0:
            g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g * g
        v_tilde = v
        if centered:
            g_ave = alpha * g_ave + (1 - alpha) * g
            v_tilde = v - g_ave * g_ave
        if momentum > 0:
            b = momentum * b + g / (np.sqrt(v_tilde) + eps)
            theta = theta - lr * b
        else:
            theta = theta - lr * g / (np.sqrt(v_tilde) + eps)
        out.append(theta)
    return out


def ref_adam(theta, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, decoupled=False):
    beta1, beta2 = betas
    out = []
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    v_max = np.zeros_like(theta)
    for t, g in enumerate(grads, start=1):
        if decoupled:
            theta = theta - lr * weight_decay * theta
        elif weight_decay != 0:
            g = g + weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        if amsgrad:
            # torch's implementation (and its corrected docs, pytorch#142351): max of the raw v, then bias-correct
            v_max = np.maximum(v_max, v)
            v_hat = v_max / (1 - beta2**t)
        else:
            v_hat = v / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(theta)
    return out


def ref_adamw(theta, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
    return ref_adam(theta, grads, lr, betas, eps, weight_decay, amsgrad, decoupled=True)


CASES = [
    ("sgd", ref_sgd, {}),
    ("sgd", ref_sgd, {"lr": 0.1}),
    ("sgd", ref_sgd, {"lr": 0.1, "weight_decay": 0.2}),
    ("sgd", ref_sgd, {"lr": 0.05, "momentum": 0.9}),
    ("sgd", ref_sgd, {"lr": 0.05, "momentum": 0.8, "dampening": 0.3}),
    ("sgd", ref_sgd, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd", ref_sgd, {"lr": 0.05, "momentum": 0.7, "weight_decay": 0.1, "nesterov": True}),
    ("momentum", lambda th, gs, **k: ref_sgd(th, gs, **{"momentum": 0.9, **k}), {}),
    ("momentum", lambda th, gs, **k: ref_sgd(th, gs, **{"momentum": 0.9, **k}), {"lr": 0.1, "dampening": 0.5}),
    (
        "momentum",
        lambda th, gs, **k: ref_sgd(th, gs, **{"momentum": 0.9, **k}),
        {"lr": 0.1, "momentum": 0.6, "weight_decay": 0.3},
    ),
    ("nesterov", lambda th, gs, **k: ref_sgd(th, gs, **{"momentum": 0.9, "nesterov": True, **k}), {"lr": 0.1}),
    (
        "nesterov",
        lambda th, gs, **k: ref_sgd(th, gs, **{"momentum": 0.9, "nesterov": True, **k}),
        {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01},
    ),
    ("adagrad", ref_adagrad, {}),
    ("adagrad", ref_adagrad, {"lr": 0.1, "lr_decay": 0.05}),
    ("adagrad", ref_adagrad, {"lr": 0.1, "weight_decay": 0.1, "initial_accumulator_value": 0.5, "eps": 1e-6}),
    ("rmsprop", ref_rmsprop, {}),
    ("rmsprop", ref_rmsprop, {"lr": 0.01, "centered": True}),
    ("rmsprop", ref_rmsprop, {"lr": 0.01, "momentum": 0.9}),
    ("rmsprop", ref_rmsprop, {"lr": 0.01, "alpha": 0.9, "momentum": 0.5, "centered": True, "weight_decay": 0.1}),
    ("adam", ref_adam, {}),
    ("adam", ref_adam, {"lr": 0.1, "betas": (0.8, 0.99)}),
    ("adam", ref_adam, {"lr": 0.1, "amsgrad": True}),
    ("adam", ref_adam, {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True, "eps": 1e-3}),
    ("adam", ref_adam, {"lr": 0.05, "betas": (0.0, 0.5)}),
    ("adamw", ref_adamw, {}),
    ("adamw", ref_adamw, {"lr": 0.1, "weight_decay": 0.5}),
    ("adamw", ref_adamw, {"lr": 0.1, "weight_decay": 0.1, "amsgrad": True, "betas": (0.5, 0.9)}),
]


def _ids(case):
    name, _, hyper = case
    return name + "-" + "-".join(f"{k}={v}" for k, v in hyper.items())


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_matches_written_out_update_rule(case):
    name, ref, hyper = case
    grads = gradient_sequence()
    expected = ref(THETA0.copy(), grads, **hyper)
    theta = THETA0.copy()
    opt = make_optimizer(name, [theta], **hyper)
    for k, g in enumerate(grads):
        g_before = g.copy()
        opt.step([g])
        np.testing.assert_allclose(theta, expected[k], rtol=RTOL, atol=1e-15, err_msg=f"step {k + 1}")
        np.testing.assert_array_equal(g, g_before)  # gradients are read, never written
    assert opt.step_count == len(grads)


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_several_parameters_and_shapes(case):
    """A list of arrays (like the weight matrices of a network) is updated as independent tensors."""
    name, ref, hyper = case
    shapes = [(2, 3), (4,), ()]
    params = [(np.linspace(-1.0, 1.0, int(np.prod(s))) + 0.25).reshape(s) for s in shapes]
    starts = [p.copy() for p in params]
    seqs = [gradient_sequence(s, seed=11 + i) for i, s in enumerate(shapes)]
    opt = make_optimizer(name, params, **hyper)
    for k in range(STEPS):
        opt.step([seq[k] for seq in seqs])
    for p, p0, seq in zip(params, starts, seqs):
        np.testing.assert_allclose(p, ref(p0, seq, **hyper)[-1], rtol=RTOL, atol=1e-15)


def test_parameters_are_updated_in_place():
    theta = np.array([1.0, 2.0])
    view = theta[:]
    opt = make_optimizer("sgd", [theta], lr=0.5)
    opt.step([np.array([1.0, -2.0])])
    assert opt.params[0] is theta
    np.testing.assert_array_equal(view, [0.5, 3.0])


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_per_trajectory_hyper_arrays_equal_separate_runs(name):
    """lr (and other floats) of shape (N, 1) act row by row exactly like N optimizers with scalars."""
    defaults = OPTIMIZERS[name].defaults()
    per_row = {"lr": np.array([0.01, 0.05, 0.2, 0.5]), "weight_decay": np.array([0.0, 0.1, 0.2, 0.05])}
    if "momentum" in defaults:  # a zero row checks torch's "no momentum → no dampening" rule per trajectory
        per_row["momentum"] = np.array([0.5, 0.9, 0.3, 0.7]) if name == "nesterov" else np.array([0.5, 0.9, 0.0, 0.3])
    if "dampening" in defaults:
        per_row["dampening"] = np.array([0.2, 0.0, 0.5, 0.1])
    if "eps" in defaults:
        per_row["eps"] = np.array([1e-8, 1e-3, 1e-6, 0.1])
    beta1 = np.array([0.9, 0.5, 0.0, 0.8])
    rows = np.array([[1.0, -2.0], [0.5, 0.5], [-3.0, 1.0], [2.0, 2.0]])
    P = rows.copy()
    batch_hyper = {k: v[:, None] for k, v in per_row.items()}
    if "betas" in defaults:
        batch_hyper["betas"] = (beta1[:, None], 0.99)
    batch = make_optimizer(name, [P], **batch_hyper)
    singles = []
    for i in range(len(rows)):
        hyper = {k: float(v[i]) for k, v in per_row.items()}
        if "betas" in defaults:
            hyper["betas"] = (float(beta1[i]), 0.99)
        x = rows[i].copy()
        singles.append((x, make_optimizer(name, [x], **hyper)))
    for g in gradient_sequence((4, 2)):
        batch.step([g])
        for i, (x, opt) in enumerate(singles):
            opt.step([g[i]])
    for i, (x, _) in enumerate(singles):
        np.testing.assert_allclose(P[i], x, rtol=1e-14, atol=1e-16)


# ---- declarations and validation ------------------------------------------------------------------------------

TORCH_DEFAULTS = {
    "sgd": {"lr": 1e-3, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0, "nesterov": False},
    "momentum": {"lr": 1e-3, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0},
    "nesterov": {"lr": 1e-3, "momentum": 0.9, "weight_decay": 0.0},
    "adagrad": {"lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10},
    "rmsprop": {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8, "weight_decay": 0.0, "momentum": 0.0, "centered": False},
    "adam": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 0.0, "amsgrad": False},
    "adamw": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2, "amsgrad": False},
}
CONTRACT_NAMES = {
    "lr", "momentum", "dampening", "weight_decay", "nesterov", "alpha", "eps", "betas", "lr_decay",
    "initial_accumulator_value", "centered", "amsgrad",
}


def test_registry_and_torch_defaults():
    assert list(OPTIMIZERS) == ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]
    for name, cls in OPTIMIZERS.items():
        assert cls.name == name and issubclass(cls, Optimizer)
        assert cls.defaults() == TORCH_DEFAULTS[name]
        assert cls.formula and cls.short_name and cls.display_name
        names = [s.name for s in cls.specs]
        assert len(names) == len(set(names)) and set(names) <= CONTRACT_NAMES
    assert "∇f" in SGD.formula and "m̂" in Adam.formula and "√v̂" in Adam.formula


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_spec_defaults_are_valid_and_ranges_are_enforced(name):
    cls = OPTIMIZERS[name]
    cls.validate_hyper({})
    for spec in cls.specs:
        assert isinstance(spec, ParamSpec) and spec.kind in ("float", "bool", "pair") and spec.doc
        if spec.kind == "bool":
            with pytest.raises(ValueError, match=f"{name}: {spec.name} must be true or false"):
                cls.validate_hyper({spec.name: 1.0})
            continue
        assert spec.minimum is not None and spec.maximum is not None and spec.minimum < spec.maximum
        below = spec.minimum if spec.min_open else spec.minimum - 1.0
        bad = (below, spec.default[1]) if spec.kind == "pair" else below
        label = re.escape(f"{spec.name}[0]" if spec.kind == "pair" else spec.name)
        with pytest.raises(ValueError, match=rf"^{name}: {label} must be in"):
            cls.validate_hyper({spec.name: bad})


def test_error_messages_name_the_parameter():
    theta = [np.zeros(2)]
    with pytest.raises(ValueError, match=r"^adam: betas\[0\] must be in \[0, 1\)$"):
        make_optimizer("adam", theta, betas=(1.0, 0.999))
    with pytest.raises(ValueError, match=r"^adam: betas\[1\] must be in \[0, 1\)$"):
        make_optimizer("adam", theta, betas=(0.9, -0.1))
    with pytest.raises(ValueError, match=r"^sgd: lr must be in \(0, 10\]$"):
        make_optimizer("sgd", theta, lr=0.0)
    with pytest.raises(ValueError, match=r"^sgd: lr must be a finite number$"):
        make_optimizer("sgd", theta, lr=float("nan"))
    with pytest.raises(ValueError, match=r"^sgd: lr must be a number$"):
        make_optimizer("sgd", theta, lr=True)
    with pytest.raises(ValueError, match=r"^sgd: lr must be a number$"):
        make_optimizer("sgd", theta, lr="0.1")
    with pytest.raises(ValueError, match=r"^adam: unknown hyper-parameter 'beta1'"):
        make_optimizer("adam", theta, beta1=0.9)
    with pytest.raises(ValueError, match=r"^adam: betas must be a pair"):
        make_optimizer("adam", theta, betas=0.9)
    with pytest.raises(ValueError, match=r"^rmsprop: centered must be true or false$"):
        make_optimizer("rmsprop", theta, centered="yes")
    with pytest.raises(ValueError, match=r"unknown optimizer 'lbfgs'"):
        make_optimizer("lbfgs", theta)
    with pytest.raises(ValueError, match=r"^momentum: unknown hyper-parameter 'nesterov'"):
        make_optimizer("momentum", theta, nesterov=True)
    with pytest.raises(ValueError, match=r"^sgd: lr must be in"):
        make_optimizer("sgd", theta, lr=np.array([[0.1], [-0.1]]))


def test_nesterov_requires_momentum_and_no_dampening_like_torch():
    theta = [np.zeros(2)]
    with pytest.raises(ValueError, match="Nesterov momentum requires momentum > 0 and dampening = 0"):
        make_optimizer("sgd", theta, nesterov=True)
    with pytest.raises(ValueError, match="Nesterov momentum requires"):
        make_optimizer("sgd", theta, nesterov=True, momentum=0.9, dampening=0.1)
    with pytest.raises(ValueError, match=r"^nesterov: momentum must be in \(0, 1\]$"):
        make_optimizer("nesterov", theta, momentum=0.0)
    with pytest.raises(ValueError, match="unknown hyper-parameter 'dampening'"):
        make_optimizer("nesterov", theta, dampening=0.1)
    assert make_optimizer("nesterov", theta).hyper["nesterov"] is True


def test_hyper_arrays_must_broadcast_to_each_parameter():
    with pytest.raises(ValueError, match=r"^sgd: lr has shape \(3, 1\), which does not broadcast"):
        make_optimizer("sgd", [np.zeros((4, 2))], lr=np.full((3, 1), 0.1))
    with pytest.raises(ValueError, match="does not broadcast"):
        make_optimizer("sgd", [np.zeros(2)], lr=np.full((2, 2), 0.1))  # would enlarge the parameter


def test_parameters_and_gradients_are_checked():
    with pytest.raises(ValueError, match="floating-point"):
        make_optimizer("sgd", [np.zeros(2, dtype=int)])
    with pytest.raises(ValueError, match="no parameters"):
        make_optimizer("sgd", [])
    frozen = np.zeros(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        make_optimizer("sgd", [frozen])
    opt = make_optimizer("sgd", [np.zeros((3, 2))], lr=0.1)
    with pytest.raises(ValueError, match="gradient shape"):
        opt.step([np.zeros((1, 2))])
    with pytest.raises(ValueError, match="expected 1 gradients"):
        opt.step([])


def test_float32_parameters_stay_float32():
    p = np.ones(4, dtype=np.float32)
    opt = make_optimizer("adam", [p], lr=0.1)
    opt.step([np.full(4, 0.5, dtype=np.float32)])
    assert p.dtype == np.float32
    np.testing.assert_allclose(p, 0.9, rtol=1e-6)


# ---- state -----------------------------------------------------------------------------------------------------


def test_state_dict_uses_torch_buffer_names_and_values():
    grads = gradient_sequence()
    theta = THETA0.copy()
    opt = Adam([theta], lr=0.1, betas=(0.8, 0.9), amsgrad=True)
    for g in grads:
        opt.step([g])
    m = np.zeros(3)
    v = np.zeros(3)
    vmax = np.zeros(3)
    for g in grads:
        m = 0.8 * m + 0.2 * g
        v = 0.9 * v + 0.1 * g * g
        vmax = np.maximum(vmax, v)
    sd = opt.state_dict()
    assert sd["step"] == len(grads) and sd["optimizer"] == "adam"
    np.testing.assert_allclose(sd["state"][0]["exp_avg"], m, rtol=1e-13)
    np.testing.assert_allclose(sd["state"][0]["exp_avg_sq"], v, rtol=1e-13)
    np.testing.assert_allclose(sd["state"][0]["max_exp_avg_sq"], vmax, rtol=1e-13)
    assert set(SGD([np.zeros(1)], momentum=0.5).state_dict()["state"][0]) == {"momentum_buffer"}
    assert set(Adagrad([np.zeros(1)]).state_dict()["state"][0]) == {"sum"}
    assert set(RMSprop([np.zeros(1)], centered=True, momentum=0.1).state_dict()["state"][0]) == {
        "square_avg", "grad_avg", "momentum_buffer",
    }


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_dict_round_trip_continues_identically(name):
    hyper = {"lr": 0.05}
    if name in ("rmsprop",):
        hyper.update(momentum=0.5, centered=True)
    grads = gradient_sequence(steps=10)
    a = THETA0.copy()
    opt_a = make_optimizer(name, [a], **hyper)
    for g in grads[:5]:
        opt_a.step([g])
    saved = opt_a.state_dict()
    b = a.copy()
    opt_b = make_optimizer(name, [b], **hyper)
    opt_b.load_state_dict(saved)
    for g in grads[5:]:
        opt_a.step([g])
        opt_b.step([g])
    np.testing.assert_allclose(a, b, rtol=1e-14)
    with pytest.raises(ValueError, match="belongs to optimizer"):
        make_optimizer("sgd" if name != "sgd" else "adam", [b]).load_state_dict(saved)


def test_subclasses_are_torch_sgd_variants():
    assert issubclass(Momentum, SGD) and issubclass(Nesterov, SGD) and issubclass(AdamW, Adam)
    assert Momentum([np.zeros(1)]).hyper["nesterov"] is False


# ---- torch itself, when it happens to be installed ------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_matches_torch(case):
    torch = pytest.importorskip("torch")
    name, _, hyper = case
    torch_cls, torch_hyper = {
        "sgd": (torch.optim.SGD, {}),
        "momentum": (torch.optim.SGD, {"momentum": 0.9}),
        "nesterov": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
        "adagrad": (torch.optim.Adagrad, {}),
        "rmsprop": (torch.optim.RMSprop, {}),
        "adam": (torch.optim.Adam, {}),
        "adamw": (torch.optim.AdamW, {}),
    }[name]
    kwargs = {"lr": OPTIMIZERS[name].defaults()["lr"], **torch_hyper, **hyper, "foreach": False}
    tp = torch.tensor(THETA0.copy(), dtype=torch.float64, requires_grad=True)
    topt = torch_cls([tp], **kwargs)
    theta = THETA0.copy()
    opt = make_optimizer(name, [theta], **hyper)
    for g in gradient_sequence():
        tp.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
        opt.step([g])
        np.testing.assert_allclose(theta, tp.detach().numpy(), rtol=RTOL, atol=1e-15)


# ---- random hyper-parameters ----------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(
    lr=st.floats(1e-4, 1.0),
    momentum=st.floats(0.0, 0.99),
    dampening=st.floats(0.0, 1.0),
    weight_decay=st.floats(0.0, 0.5),
    nesterov=st.booleans(),
)
def test_sgd_random_hyper_parameters(lr, momentum, dampening, weight_decay, nesterov):
    if nesterov:
        momentum, dampening = max(momentum, 0.01), 0.0
    hyper = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov)
    theta = THETA0.copy()
    opt = make_optimizer("sgd", [theta], **hyper)
    grads = gradient_sequence()
    for g in grads:
        opt.step([g])
    np.testing.assert_allclose(theta, ref_sgd(THETA0.copy(), grads, **hyper)[-1], rtol=1e-10, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    lr=st.floats(1e-4, 1.0),
    beta1=st.floats(0.0, 0.99),
    beta2=st.floats(0.0, 0.9999),
    eps=st.floats(1e-10, 1e-2),
    weight_decay=st.floats(0.0, 0.5),
    amsgrad=st.booleans(),
    decoupled=st.booleans(),
)
def test_adam_random_hyper_parameters(lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled):
    hyper = dict(lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
    theta = THETA0.copy()
    opt = make_optimizer("adamw" if decoupled else "adam", [theta], **hyper)
    grads = gradient_sequence()
    for g in grads:
        opt.step([g])
    expected = ref_adam(THETA0.copy(), grads, decoupled=decoupled, **hyper)[-1]
    np.testing.assert_allclose(theta, expected, rtol=1e-10, atol=1e-12)


def test_one_parameter_updated_with_a_new_gradient_array_each_step_matches_the_formula():
    """A descent run hands a fresh gradient array every step (no flat-vector search): plain SGD, exactly."""
    x = np.array([-1.5, 2.0])
    opt = make_optimizer("sgd", [x], lr=0.1)
    for k in range(3):
        g = np.array([1.0 + k, -2.0])
        before = x.copy()
        opt.step([g])
        np.testing.assert_array_equal(x, before - 0.1 * g)


def test_plain_sgd_on_a_flat_vector_uses_blas_axpy_or_numpy_alike(monkeypatch):
    """A network's flat parameters take one BLAS axpy pass (one rounding, like torch's add_); without it numpy's
    two passes give the same numbers within rounding."""
    from gdstudio.engine import optimizers

    rng = np.random.default_rng(0)

    def run():
        flat = rng.standard_normal(70_000).astype(np.float32)
        grad = rng.standard_normal(70_000).astype(np.float32)
        params = [flat[:50_000].reshape(500, 100), flat[50_000:]]
        grads = [grad[:50_000].reshape(500, 100), grad[50_000:]]
        expect = flat - np.float32(0.1) * grad
        opt = make_optimizer("sgd", params, lr=0.1)
        opt.step(grads)
        np.testing.assert_allclose(flat, expect, rtol=1e-6, atol=1e-7)
        return opt

    assert run()._chunks[2] is not None or blas_unavailable()
    monkeypatch.setattr(optimizers, "AXPY", False)
    assert run()._chunks[2] is None


def blas_unavailable() -> bool:
    from gdstudio.engine.nn.blas import axpy_updater

    a = np.zeros(4, np.float32)
    return axpy_updater(a, np.ones(4, np.float32)) is None
