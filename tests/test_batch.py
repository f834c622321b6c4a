"""Vectorized trajectories: identical to running each one alone, with stopped rows frozen and isolated."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from gdstudio.engine.batch import BatchConfig, BatchResult, BatchSnapshot, iter_batch, run_batch
from gdstudio.engine.descent import DescentConfig, run_descent
from gdstudio.engine.functions import function_from_expression, get_function


def single_runs(function, starts, per_row, steps, **kw):
    """Each row run alone through iter_descent: (optimizer, hyper) per row."""
    return [
        run_descent(DescentConfig(function, tuple(s), name, hyper, steps=steps, **kw))
        for s, (name, hyper) in zip(starts, per_row)
    ]


def assert_matches_singles(result: BatchResult, singles):
    T = len(result.steps)
    assert T == max(len(s) for s in singles)
    for i, snaps in enumerate(singles):
        last = snaps[-1]
        assert result.status[i] == last.status, f"row {i}"
        assert result.steps_taken[i] == last.step, f"row {i}"
        for k in range(T):
            s = snaps[min(k, len(snaps) - 1)]  # a stopped row keeps its last state
            np.testing.assert_allclose(result.paths[k, i], s.params, rtol=1e-12, atol=1e-300, err_msg=f"row {i}")
            np.testing.assert_allclose(result.values[k, i], s.value, rtol=1e-12, atol=1e-300, err_msg=f"row {i}")
            np.testing.assert_allclose(
                result.grad_norms[k, i], s.grad_norm, rtol=1e-12, atol=1e-300, err_msg=f"row {i}"
            )


def test_several_optimizers_and_learning_rates_equal_single_runs():
    f = get_function("himmelblau")
    starts = np.array(
        [[1.0, 1.0], [-1.0, 2.0], [0.5, -3.0], [4.0, 4.0], [-4.5, -0.5], [2.0, 0.1], [0.0, 0.0], [-3.0, 3.0]]
    )
    lrs = np.array([0.001, 0.01, 0.02, 0.3])  # 0.3 diverges
    groups = [
        ("sgd", {"lr": lrs}),  # rows 0-3: one lr per trajectory
        ("adam", {"lr": 0.1}),  # rows 4-5
        ("rmsprop", {"lr": 0.01, "momentum": 0.5, "centered": True}),  # rows 6-7
    ]
    groups = [groups[0] + (slice(0, 4),), groups[1] + (slice(4, 6),), groups[2] + (slice(6, 8),)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run_batch(f, starts, groups, 120, grad_norm_below=1e-3)
    per_row = [("sgd", {"lr": float(lr)}) for lr in lrs] + [("adam", {"lr": 0.1})] * 2
    per_row += [("rmsprop", {"lr": 0.01, "momentum": 0.5, "centered": True})] * 2
    singles = single_runs(f, starts, per_row, 120, grad_norm_below=1e-3)
    statuses = set(result.status)
    assert {"diverged", "converged", "finished"} <= statuses, statuses  # every rule is exercised
    assert_matches_singles(result, singles)


def test_rows_in_any_order_and_evenly_split_groups():
    f = get_function("rosenbrock")
    rng = np.random.default_rng(3)
    starts = rng.uniform([-2, -1], [2, 3], size=(6, 2))
    # index arrays, interleaved: adam owns rows 0, 2, 4 and momentum rows 5, 1, 3 (in that order)
    groups = [("adam", {"lr": np.array([0.01, 0.02, 0.05])}, np.array([0, 2, 4])),
              ("momentum", {"lr": 1e-4}, [5, 1, 3])]
    result = run_batch(f, starts, groups, 60)
    per_row = [None] * 6
    for lr, i in zip([0.01, 0.02, 0.05], [0, 2, 4]):
        per_row[i] = ("adam", {"lr": lr})
    for i in (5, 1, 3):
        per_row[i] = ("momentum", {"lr": 1e-4})
    assert_matches_singles(result, single_runs(f, starts, per_row, 60))
    # no rows given: equal consecutive blocks
    even = run_batch(f, starts, [("adam", {"lr": 0.01}), ("sgd", {"lr": 1e-3})], 30)
    per_row = [("adam", {"lr": 0.01})] * 3 + [("sgd", {"lr": 1e-3})] * 3
    assert_matches_singles(even, single_runs(f, starts, per_row, 30))


def test_one_dimensional_functions_and_flat_starts():
    f = get_function("quadratic1d")
    result = run_batch(f, np.array([-10.0, 3.0, 0.5]), [("sgd", {"lr": np.array([0.2, 0.05, 0.4])})], 50)
    assert result.paths.shape == (51, 3, 1)
    singles = single_runs(f, [[-10.0], [3.0], [0.5]], [("sgd", {"lr": lr}) for lr in (0.2, 0.05, 0.4)], 50)
    assert_matches_singles(result, singles)
    assert result.final_values[0] == pytest.approx(2 / 3, abs=1e-12)
    assert result.status[2] == "diverged"  # |1 − 6·0.4| = 1.4 > 1


def test_diverged_rows_are_frozen_and_never_contaminate_others():
    f = get_function("bowl")
    starts = np.array([[-3.0, 4.0], [-3.0, 4.0], [1.0, 1.0]])
    result = run_batch(f, starts, [("sgd", {"lr": np.array([[1.5], [0.1], [0.2]])})], 40)
    assert list(result.status) == ["diverged", "finished", "finished"]
    assert list(result.steps_taken) == [18, 40, 40]
    frozen = result.paths[18:, 0]
    assert np.all(frozen == frozen[0]) and np.all(result.values[18:, 0] == result.values[18, 0])
    assert np.all(np.isfinite(result.paths[:, 1:])) and np.all(np.isfinite(result.values[:, 1:]))
    np.testing.assert_allclose(result.paths[-1, 1], np.array([-3.0, 4.0]) * 0.8**40, rtol=1e-12)
    np.testing.assert_allclose(result.paths[-1, 2], np.array([1.0, 1.0]) * 0.6**40, rtol=1e-12)


def test_nan_rows_from_expressions_are_isolated():
    f = function_from_expression("sqrt(x)")
    starts = np.array([[1.0], [1.0], [4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run_batch(f, starts, [("sgd", {"lr": np.array([10.0, 0.01, 0.01])})], 20)
    assert list(result.status) == ["diverged", "finished", "finished"]
    assert result.steps_taken[0] == 1 and np.isnan(result.values[-1, 0])
    singles = single_runs(f, starts, [("sgd", {"lr": lr}) for lr in (10.0, 0.01, 0.01)], 20)
    assert_matches_singles(result, singles)


def test_converged_rows_freeze_and_the_batch_ends_when_all_stop():
    f = get_function("bowl")
    starts = np.array([[-3.0, 4.0], [0.3, 0.4]])
    result = run_batch(f, starts, [("sgd", {"lr": 0.1})], 1000, grad_norm_below=1e-6)
    assert list(result.status) == ["converged", "converged"]
    assert result.steps_taken[0] == 73 and result.steps_taken[1] < 73
    assert len(result.steps) == 74  # ended at step 73, not 1000
    k = result.steps_taken[1]
    assert np.all(result.paths[k:, 1] == result.paths[k, 1])


def test_record_false_keeps_start_and_end():
    f = get_function("rosenbrock")
    starts = np.random.default_rng(1).uniform(-1, 1, size=(16, 2))
    full = run_batch(f, starts, [("adam", {"lr": 0.05})], 80)
    fast = run_batch(f, starts, [("adam", {"lr": 0.05})], 80, record=False)
    assert list(fast.steps) == [0, 80] and fast.paths.shape == (2, 16, 2)
    np.testing.assert_array_equal(fast.paths[0], starts)
    np.testing.assert_array_equal(fast.final_params, full.final_params)
    np.testing.assert_array_equal(fast.final_values, full.final_values)
    np.testing.assert_array_equal(fast.grad_norms[-1], full.grad_norms[-1])
    np.testing.assert_array_equal(fast.status, full.status)
    np.testing.assert_array_equal(fast.steps_taken, full.steps_taken)


def test_iter_batch_yields_every_chunk_and_a_final_snapshot():
    f = get_function("bowl")
    starts = np.array([[1.0, 2.0], [3.0, -1.0]])
    snaps = list(iter_batch(f, starts, [("sgd", {"lr": 0.1})], 25, chunk=10))
    assert [s.step for s in snaps] == [0, 10, 20, 25]
    assert all(isinstance(s, BatchSnapshot) for s in snaps)
    assert list(snaps[1].status) == ["running", "running"] and list(snaps[-1].status) == ["finished"] * 2
    assert list(snaps[-1].steps_taken) == [25, 25] and list(snaps[1].steps_taken) == [10, 10]
    assert snaps[0].params.shape == (2, 2) and snaps[0].values.shape == (2,) and snaps[0].grad_norms.shape == (2,)
    np.testing.assert_allclose(snaps[2].params, starts * 0.8**20, rtol=1e-12)
    snaps[2].params[:] = 0.0  # snapshots are copies
    np.testing.assert_allclose(snaps[3].params, starts * 0.8**25, rtol=1e-12)
    gen = iter_batch(f, starts, [("sgd", {"lr": 0.1})], 10**6)
    next(gen)
    gen.close()


def test_batch_config_runs_and_iterates():
    f = get_function("bowl")
    cfg = BatchConfig(f, np.array([[1.0, 1.0]]), (("adam", {"lr": 0.1}),), steps=5)
    assert cfg.run().paths.shape == (6, 1, 2)
    assert [s.step for s in cfg.iterate(chunk=2)] == [0, 2, 4, 5]


def test_constant_expression_gradient_broadcasts():
    f = function_from_expression("2*x + 1")
    result = run_batch(f, np.array([[0.0], [1.0]]), [("sgd", {"lr": 0.5})], 3)
    np.testing.assert_allclose(result.final_params[:, 0], [-3.0, -2.0])
    np.testing.assert_allclose(result.grad_norms[-1], [2.0, 2.0])


def test_invalid_batches_are_rejected_up_front():
    f = get_function("bowl")
    starts = np.zeros((4, 2))
    with pytest.raises(ValueError, match="cannot be split evenly"):
        iter_batch(f, starts, [("sgd", {}), ("adam", {}), ("adagrad", {})])
    with pytest.raises(ValueError, match="exactly once"):
        iter_batch(f, starts, [("sgd", {}, [0, 1, 2]), ("adam", {}, [2, 3])])
    with pytest.raises(ValueError, match="every optimizer group or for none"):
        iter_batch(f, starts, [("sgd", {}, [0, 1]), ("adam", {})])
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        iter_batch(f, np.zeros((4, 3)), [("sgd", {})])
    with pytest.raises(ValueError, match="finite"):
        iter_batch(f, np.full((1, 2), np.nan), [("sgd", {})])
    with pytest.raises(ValueError, match="unknown optimizer"):
        iter_batch(f, starts, [("lbfgs", {})])
    with pytest.raises(ValueError, match="does not broadcast"):
        iter_batch(f, starts, [("sgd", {"lr": np.full(3, 0.1)})])
    with pytest.raises(ValueError, match="chunk"):
        iter_batch(f, starts, [("sgd", {})], chunk=0)
    with pytest.raises(ValueError, match="at least one"):
        iter_batch(f, starts, [])
