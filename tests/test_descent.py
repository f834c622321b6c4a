"""Single-trajectory descent: the seed examples' numbers, closed forms, and the stop rules."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest

from gdstudio.engine.descent import (
    DIVERGENCE_BOUND,
    STATUSES,
    DescentConfig,
    Snapshot,
    divergence_message,
    iter_descent,
    run_descent,
)
from gdstudio.engine.functions import function_from_expression, get_function
from gdstudio.engine.optimizers import OPTIMIZERS

BOWL = get_function("bowl")


def test_contract_constants():
    assert STATUSES == ("running", "finished", "converged", "diverged", "stopped")
    assert DIVERGENCE_BOUND == 1e12
    assert dataclasses.is_dataclass(Snapshot) and Snapshot.__slots__


def test_book_bowl_with_central_differences():
    """x0² + x1² from (−3, 4), lr 0.1, 100 steps, h = 1e-4 → (−6.1111e−10, 8.1481e−10) (closed form (−3,4)·0.8¹⁰⁰)."""
    snaps = run_descent(DescentConfig(BOWL, (-3.0, 4.0), "sgd", {"lr": 0.1}, "central", 1e-4, steps=100))
    final = snaps[-1]
    assert final.step == 100 and final.status == "finished" and final.message == ""
    np.testing.assert_allclose(final.params, [-6.1111e-10, 8.1481e-10], rtol=1e-4)
    np.testing.assert_allclose(final.params, np.array([-3.0, 4.0]) * 0.8**100, rtol=1e-4)


def test_bowl_analytic_follows_closed_form_every_step():
    snaps = run_descent(DescentConfig(BOWL, (-3.0, 4.0), "sgd", {"lr": 0.1}, steps=60))
    assert [s.step for s in snaps] == list(range(61))
    assert [s.status for s in snaps] == ["running"] * 60 + ["finished"]
    for s in snaps:
        x = np.array([-3.0, 4.0]) * 0.8**s.step
        np.testing.assert_allclose(s.params, x, rtol=1e-12)
        np.testing.assert_allclose(s.grad, 2 * x, rtol=1e-12)
        assert s.value == pytest.approx(float(x @ x), rel=1e-12)
        assert s.grad_norm == pytest.approx(2 * 5 * 0.8**s.step, rel=1e-12)


def test_quadratic1d_reaches_two_thirds():
    """3x² + 2x + 1 from −10 with lr 0.2: x ← x − 0.2(6x + 2) = −0.2x − 0.4, so x → −1/3 and f → 2/3."""
    f = get_function("quadratic1d")
    snaps = run_descent(DescentConfig(f, (-10.0,), "sgd", {"lr": 0.2}, steps=1000))
    x = -10.0
    for s in snaps[:40]:
        assert s.params.shape == (1,)
        assert s.params[0] == pytest.approx(x, rel=1e-12, abs=1e-15)
        assert s.value == pytest.approx(3 * x * x + 2 * x + 1, rel=1e-12)
        x = x - 0.2 * (6 * x + 2)
    assert snaps[-1].value == pytest.approx(2.0 / 3.0, abs=1e-12)
    assert snaps[-1].params[0] == pytest.approx(-1.0 / 3.0, abs=1e-12)
    assert round(snaps[-1].value, 2) == 0.67


def test_book1d_numerical_gradient_and_descent():
    """0.01x² + 0.1x: the book's central difference gives 0.2 at x = 5, 0.3 at x = 10; descent ends at −5."""
    f = get_function("book1d")
    for x0, slope in ((5.0, 0.2), (10.0, 0.3)):
        first = next(iter_descent(DescentConfig(f, (x0,), "sgd", {"lr": 1.0}, "central", 1e-4, steps=1)))
        assert first.grad[0] == pytest.approx(slope, rel=1e-9)
    snaps = run_descent(DescentConfig(f, (10.0,), "sgd", {"lr": 10.0}, steps=200))
    for s in snaps[:30]:  # x_k = −5 + 15·(1 − 0.02·10)^k
        assert s.params[0] == pytest.approx(-5 + 15 * 0.8**s.step, rel=1e-12, abs=1e-12)
    assert snaps[-1].params[0] == pytest.approx(-5.0, abs=1e-12)
    assert snaps[-1].value == pytest.approx(-0.25, abs=1e-12)


def test_converges_as_soon_as_gradient_norm_is_below_threshold():
    """|∇f| = 10·0.8^k on the bowl from (−3, 4) with lr 0.1; first k with 10·0.8^k < 1e-6 is 73."""
    snaps = run_descent(DescentConfig(BOWL, (-3.0, 4.0), "sgd", {"lr": 0.1}, steps=500, grad_norm_below=1e-6))
    expected = next(k for k in range(500) if 10 * 0.8**k < 1e-6)
    assert expected == 73
    assert len(snaps) == expected + 1
    assert all(s.status == "running" for s in snaps[:-1])
    last = snaps[-1]
    assert last.status == "converged" and last.step == 73 and last.grad_norm < 1e-6 <= snaps[-2].grad_norm
    assert "step 73" in last.message and "1e-06" in last.message


def test_converged_at_start_point():
    snaps = run_descent(DescentConfig(BOWL, (0.0, 0.0), "adam", steps=10, grad_norm_below=1e-9))
    assert len(snaps) == 1 and snaps[0].status == "converged" and snaps[0].step == 0


def test_zero_steps_is_just_the_start():
    snaps = run_descent(DescentConfig(BOWL, (1.0, 2.0), steps=0))
    assert len(snaps) == 1 and snaps[0].status == "finished"
    assert snaps[0].value == 5.0


def test_too_large_learning_rate_diverges_with_advice():
    """lr 1.5 on the bowl: x_k = (−2)^k·x0, f = 25·4^k passes 10¹² at k = 18."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # overflow must not leak RuntimeWarnings either
        snaps = run_descent(DescentConfig(BOWL, (-3.0, 4.0), "sgd", {"lr": 1.5}, steps=100))
    last = snaps[-1]
    assert last.status == "diverged" and last.step == 18
    assert all(s.status == "running" for s in snaps[:-1])
    assert abs(last.value) > DIVERGENCE_BOUND >= abs(snaps[-2].value)
    assert last.message == (
        "The value exceeded 10¹² at step 18: the learning rate 1.5 is too large for this function — "
        "try a smaller one (for example 0.15)."
    )


def test_value_becoming_infinite():
    f = function_from_expression("exp(x**2)")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        snaps = run_descent(DescentConfig(f, (3.0,), "sgd", {"lr": 0.01}, steps=10))
    last = snaps[-1]
    assert last.status == "diverged" and last.step == 1 and math.isinf(last.value)
    assert last.message.startswith("The value became infinite at step 1: the learning rate 0.01 is too large")
    assert "0.001" in last.message


def test_position_becoming_nan_is_diverged():
    """Rosenbrock with a huge learning rate overflows to inf/NaN: still a clean 'diverged' snapshot."""
    f = get_function("rosenbrock")
    snaps = run_descent(DescentConfig(f, (-1.5, 2.0), "sgd", {"lr": 10.0}, steps=50))
    assert snaps[-1].status == "diverged" and snaps[-1].step < 50
    assert "learning rate 10" in snaps[-1].message and "1" in snaps[-1].message


def test_undefined_expression_value_is_reported_as_such():
    """sqrt(x) from x = 1 with lr 10 jumps to x = −4, where √x has no real value."""
    f = function_from_expression("sqrt(x)")
    snaps = run_descent(DescentConfig(f, (1.0,), "sgd", {"lr": 10.0}, steps=10))
    last = snaps[-1]
    assert last.status == "diverged" and last.step == 1 and last.params[0] == pytest.approx(-4.0)
    assert last.message.startswith("The typed expression has no real value at step 1, at x = (-4)")
    assert "square root of a negative number" in last.message


def test_non_finite_gradient_of_typed_expression():
    """sqrt(abs(x)) lands exactly on 0 (x = 1 − 2·0.5): the value is 0 but the slope is not a number."""
    f = function_from_expression("sqrt(abs(x))")
    snaps = run_descent(DescentConfig(f, (1.0,), "sgd", {"lr": 2.0}, steps=10))
    last = snaps[-1]
    assert last.status == "diverged" and last.step == 1 and last.value == 0.0
    assert not math.isfinite(last.grad_norm)
    assert last.message.startswith("The gradient is not a finite number at step 1, at x = (0)")
    assert "typed expression is not differentiable there" in last.message


def test_undefined_at_the_start_point():
    f = function_from_expression("log(x)")
    snaps = run_descent(DescentConfig(f, (-1.0,), "sgd", {"lr": 0.1}, steps=10))
    assert len(snaps) == 1 and snaps[0].status == "diverged" and snaps[0].step == 0
    assert "at the start point" in snaps[0].message


def test_unbounded_below_is_explained():
    f = get_function("saddle")
    snaps = run_descent(DescentConfig(f, (1.0, 0.5), "sgd", {"lr": 0.4}, steps=1000))
    last = snaps[-1]
    assert last.status == "diverged"
    assert last.value < -DIVERGENCE_BOUND
    assert "no lowest point" in last.message


def test_divergence_message_mentions_default_lr_when_not_given():
    snaps = run_descent(DescentConfig(BOWL, (1e11, 0.0), "sgd", {}, steps=5))  # |x| ok but f = 1e22
    assert snaps[0].status == "diverged" and "learning rate 0.001" in snaps[0].message
    msg = divergence_message(BOWL, 3, np.array([np.inf, 0.0]), np.inf, np.inf, 0.5)
    assert msg.startswith("The position became infinite at step 3: the learning rate 0.5")


def test_stop_early_by_closing_the_generator():
    gen = iter_descent(DescentConfig(BOWL, (-3.0, 4.0), "sgd", {"lr": 0.1}, steps=1000))
    taken = [next(gen) for _ in range(5)]
    assert [s.step for s in taken] == [0, 1, 2, 3, 4] and all(s.status == "running" for s in taken)
    gen.close()
    with pytest.raises(StopIteration):
        next(gen)


def test_snapshots_are_independent_copies():
    gen = iter_descent(DescentConfig(BOWL, (-3.0, 4.0), "momentum", {"lr": 0.1}, steps=10))
    first = next(gen)
    first.params[:] = 99.0
    first.grad[:] = 99.0
    second = next(gen)
    np.testing.assert_allclose(second.params, [-3.0 + 0.1 * 6.0, 4.0 - 0.1 * 8.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        second.step = 5  # type: ignore[misc]


def test_settings_are_checked_when_the_iterator_is_made():
    with pytest.raises(ValueError, match="start has 1 coordinate"):
        iter_descent(DescentConfig(BOWL, (1.0,)))
    with pytest.raises(ValueError, match="unknown optimizer"):
        iter_descent(DescentConfig(BOWL, (1.0, 2.0), optimizer="newton"))
    with pytest.raises(ValueError, match=r"^adam: betas\[0\] must be in \[0, 1\)$"):
        iter_descent(DescentConfig(BOWL, (1.0, 2.0), "adam", {"betas": (1.5, 0.9)}))
    with pytest.raises(ValueError, match="gradient method"):
        iter_descent(DescentConfig(BOWL, (1.0, 2.0), gradient_method="symbolic"))
    with pytest.raises(ValueError):
        iter_descent(DescentConfig(BOWL, (1.0, 2.0), gradient_method="central", h=0.0))
    with pytest.raises(ValueError, match="steps"):
        iter_descent(DescentConfig(BOWL, (1.0, 2.0), steps=-1))
    with pytest.raises(ValueError, match="grad_norm_below"):
        iter_descent(DescentConfig(BOWL, (1.0, 2.0), grad_norm_below=0.0))
    with pytest.raises(ValueError, match="finite"):
        iter_descent(DescentConfig(BOWL, (float("nan"), 2.0)))


def test_config_is_immutable_and_normalised():
    hyper = {"lr": 0.1}
    cfg = DescentConfig(BOWL, [1, 2], "sgd", hyper)
    hyper["lr"] = 5.0
    assert cfg.start == (1.0, 2.0) and cfg.hyper["lr"] == 0.1
    with pytest.raises(TypeError):
        cfg.hyper["lr"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_descends_rosenbrock(name):
    f = get_function("rosenbrock")
    lr = {"sgd": 1e-3, "momentum": 1e-4, "nesterov": 1e-4, "adagrad": 0.1, "rmsprop": 1e-3}.get(name, 1e-2)
    snaps = run_descent(DescentConfig(f, f.default_start, name, {"lr": lr}, steps=300))
    assert snaps[-1].status == "finished"
    assert snaps[-1].value < snaps[0].value


@pytest.mark.parametrize("method", ["central", "forward"])
def test_numerical_gradients_track_the_analytic_run(method):
    f = get_function("himmelblau")
    exact = run_descent(DescentConfig(f, (1.0, 1.0), "sgd", {"lr": 0.01}, steps=50))
    approx = run_descent(DescentConfig(f, (1.0, 1.0), "sgd", {"lr": 0.01}, method, 1e-5, steps=50))
    np.testing.assert_allclose(approx[-1].params, exact[-1].params, rtol=1e-3)
    assert not np.array_equal(approx[-1].params, exact[-1].params)


# -- columns and packed batches ----------------------------------------------------------------------------------


def test_snapshot_batch_round_trips_every_field():
    import numpy as np

    from gdstudio.engine.descent import SnapshotBatch, snapshot_columns

    config = DescentConfig(get_function("bowl"), (-3.0, 4.0), "sgd", {"lr": 1.5}, steps=200)
    snaps = list(iter_descent(config))
    assert snaps[-1].status == "diverged" and snaps[-1].message
    batch = SnapshotBatch.pack(snaps)
    assert len(batch) == len(snaps)
    for i in (0, 1, len(snaps) // 2, -1):
        a, b = batch[i], snaps[i]
        assert (a.step, a.value, a.grad_norm, a.status, a.message) == (b.step, b.value, b.grad_norm, b.status,
                                                                     b.message)
        np.testing.assert_array_equal(a.params, b.params)
        np.testing.assert_array_equal(a.grad, b.grad)
    plain, packed = snapshot_columns(snaps), snapshot_columns(batch)
    for x, y in zip(plain, packed):
        np.testing.assert_array_equal(x, y)
    assert packed.params.shape == (len(snaps), 2) and packed.steps.dtype == np.int64
    assert [s.step for s in batch[2:5]] == [2, 3, 4]
    with pytest.raises(IndexError):
        batch[len(snaps)]
