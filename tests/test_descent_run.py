"""DescentRun: the descent loop in blocks of columns, which the CLI and the GUI worker take directly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.descent import DescentConfig, DescentRun, SnapshotBatch, iter_descent
from gdstudio.engine.functions import get_function
from gdstudio.workers.engine_worker import EngineWorker


def _config(name="rosenbrock", lr=1e-3, steps=40, optimizer="adam", **kw) -> DescentConfig:
    fn = get_function(name)
    return DescentConfig(fn, fn.default_start, optimizer, {"lr": lr}, "analytic", 1e-4, steps, **kw)


def _drain(run: DescentRun, sizes) -> SnapshotBatch:
    blocks = []
    for n in sizes:
        block = run.take(n)
        blocks.append(block)
        if len(block) < n:
            break
    while not run.ended:
        blocks.append(run.take(7))
    return SnapshotBatch.concat([b for b in blocks if len(b)])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 50), min_size=1, max_size=10))
def test_any_block_sizes_give_the_same_run_as_one_snapshot_at_a_time(sizes):
    reference = list(iter_descent(_config()))
    batch = _drain(DescentRun(_config()), sizes)
    assert len(batch) == len(reference) == 41
    for got, want in zip(batch, reference):
        assert got.step == want.step and got.status == want.status
        np.testing.assert_array_equal(got.params, want.params)
        np.testing.assert_array_equal(got.grad, want.grad)
        assert got.value == want.value and got.grad_norm == want.grad_norm


def test_bowl_columns_follow_the_closed_form():
    # f = x0² + x1², SGD lr η: x_k = (1 − 2η)^k x_0 exactly (up to rounding), ∇f = 2x.
    fn = get_function("bowl")
    config = DescentConfig(fn, (-3.0, 4.0), "sgd", {"lr": 0.1}, "analytic", 1e-4, 20)
    c = DescentRun(config).take(100).columns()
    k = np.arange(21)[:, None]
    np.testing.assert_allclose(c.params, np.array([-3.0, 4.0]) * 0.8 ** k, rtol=1e-12)
    np.testing.assert_allclose(c.grads, 2 * c.params, rtol=1e-12)
    np.testing.assert_allclose(c.values, (c.params ** 2).sum(axis=1), rtol=1e-12)
    np.testing.assert_array_equal(c.steps, np.arange(21))


def test_a_block_stops_at_the_final_status_and_later_takes_are_empty():
    run = DescentRun(_config(steps=5))
    block = run.take(100)
    assert len(block) == 6 and run.ended
    assert [s.status for s in block] == ["running"] * 5 + ["finished"]
    assert len(run.take(10)) == 0


def test_divergence_ends_the_block_with_its_note():
    run = DescentRun(_config("bowl", lr=5.0, steps=1000, optimizer="sgd"))
    block = run.take(1000)
    last = block[-1]
    assert last.status == "diverged" and "learning rate" in last.message and last.note is not None
    assert all(s.status == "running" for s in block[:-1]) and run.ended


def test_convergence_note_is_kept_through_concatenation():
    run = DescentRun(_config("bowl", lr=0.1, steps=1000, optimizer="sgd", grad_norm_below=1e-3))
    batch = SnapshotBatch.concat([run.take(3), run.take(3), run.take(1000)])
    assert batch[-1].status == "converged" and batch[-1].grad_norm < 1e-3
    assert [s.status for s in batch[:-1]] == ["running"] * (len(batch) - 1)


def test_close_ends_the_run_and_settings_are_checked_on_construction():
    run = DescentRun(_config())
    assert len(run.take(3)) == 3
    run.close()
    assert run.ended and len(run.take(3)) == 0
    with pytest.raises(ValueError, match="steps"):
        DescentRun(_config(steps=-1))


def test_worker_takes_blocks_and_a_budget_of_one_is_one_step(qapp):
    run = DescentRun(_config(steps=30))
    got: list = []
    worker = EngineWorker(run, max_items=1)
    worker.progress.connect(got.append)
    worker.run()
    assert [len(b) for b in got] == [1] and got[0][0].step == 0
    worker = EngineWorker(run)  # Play continues the same run
    done: list = []
    worker.progress.connect(got.append)
    worker.done.connect(done.append)
    worker.run()
    steps = np.concatenate([b.columns().steps for b in got])
    np.testing.assert_array_equal(steps, np.arange(31))
    assert done == ["exhausted"] and all(type(b) is SnapshotBatch for b in got)


def test_blocks_cover_the_run_once_and_end_with_it():
    run = DescentRun(_config(steps=10))
    sizes = [len(b) for b in run.blocks(4)]
    assert sizes == [4, 4, 3] and run.ended  # steps 0–10: 11 snapshots
    assert list(run.blocks(4)) == []
