"""Qt models: RunModel history/cursor, ExperimentModel validation and undo, CompareModel, BasinModel, SurfaceModel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.basins import iter_basin_map
from gdstudio.engine.batch import iter_batch
from gdstudio.engine.descent import DescentConfig, Snapshot, run_descent
from gdstudio.engine.functions import get_function
from gdstudio.engine.surface import sample_surface, sample_vector_field
from gdstudio.experiment import DescentExperiment
from gdstudio.models.basin_model import BasinModel
from gdstudio.models.compare_model import CompareModel
from gdstudio.models.experiment_model import ExperimentModel
from gdstudio.models.run_model import RunModel
from gdstudio.models.surface_model import SurfaceModel


class Recorder:
    """Collects the arguments of every emission of the signals it is connected to."""

    def __init__(self, *signals) -> None:
        self.calls: list[tuple] = []
        for sig in signals:
            sig.connect(self)

    def __call__(self, *args) -> None:
        self.calls.append(args)


def snapshots(n: int, dim: int = 2, start: int = 0) -> list[Snapshot]:
    out = []
    for k in range(start, start + n):
        p = np.arange(dim, dtype=float) + k
        out.append(Snapshot(k, p, float(k * k), -p, float(np.linalg.norm(p)), "running"))
    return out


# -- RunModel ---------------------------------------------------------------------------------------------------


def test_run_model_append_grows_and_keeps_every_row(qapp):
    model = RunModel(2)
    appended = Recorder(model.appended)
    rows = snapshots(1000)
    model.append(rows[:1])
    model.append(rows[1:600])
    model.append(rows[600:])
    assert model.count == 1000
    assert appended.calls == [(0, 1), (1, 600), (600, 1000)]
    assert model.capacity >= 1000 and model.capacity & (model.capacity - 1) == 0  # doubled, a power of two
    np.testing.assert_array_equal(model.steps, np.arange(1000))
    np.testing.assert_array_equal(model.params[:, 1], np.arange(1000) + 1.0)
    np.testing.assert_array_equal(model.grads, -model.params)
    np.testing.assert_array_equal(model.values, np.arange(1000) ** 2.0)


def test_run_model_growth_is_amortised(qapp):
    """Capacity changes only O(log n) times for n single-row appends."""
    model = RunModel(1)
    capacities = set()
    for snap in snapshots(5000, dim=1):
        model.append([snap])
        capacities.add(model.capacity)
    assert model.count == 5000
    assert len(capacities) <= 6  # 256 → 512 → … → 8192


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=12))
def test_run_model_chunking_does_not_matter(qapp, chunks):
    rows = snapshots(sum(chunks), dim=2)
    model = RunModel(2)
    i = 0
    for n in chunks:
        model.append(rows[i:i + n])
        i += n
    assert model.count == len(rows)
    np.testing.assert_array_equal(model.steps, [r.step for r in rows])
    if rows:
        assert model.cursor == len(rows) - 1


def test_run_model_snapshot_round_trip_and_final_status(qapp):
    model = RunModel(2)
    rows = snapshots(3)
    last = Snapshot(3, np.array([1.0, 2.0]), 5.0, np.array([2.0, 4.0]), 4.47, "diverged", "too big")
    model.append(rows + [last])
    assert model.status == "diverged" and model.message == "too big"
    s = model.snapshot(-1)
    assert (s.step, s.status, s.message) == (3, "diverged", "too big")
    np.testing.assert_array_equal(s.params, [1.0, 2.0])
    assert model.snapshot(1).status == "running"
    with pytest.raises(IndexError):
        model.snapshot(4)


def test_run_model_cursor_follows_until_scrubbed_and_resumes_at_end(qapp):
    model = RunModel(2)
    cursor = Recorder(model.cursorChanged)
    model.append(snapshots(10))
    assert model.cursor == 9 and model.following
    model.set_cursor(3)
    assert model.cursor == 3 and not model.following
    model.append(snapshots(5, start=10))
    assert model.cursor == 3  # the user is looking at step 3: do not yank the view away
    model.set_cursor(10_000)  # clamped to the newest row → following again
    assert model.cursor == 14 and model.following
    model.append(snapshots(1, start=15))
    assert model.cursor == 15
    model.set_cursor(-5)
    assert model.cursor == 0
    assert [c[0] for c in cursor.calls] == [9, 3, 14, 15, 0]


def test_run_model_clear_switches_dimension_and_state_signals(qapp):
    model = RunModel(2)
    cleared = Recorder(model.cleared)
    states = Recorder(model.stateChanged)
    finished = Recorder(model.finished)
    model.append(snapshots(4))
    model.set_state("running")
    model.finish("finished", "")
    assert model.state == "done"
    assert states.calls == [("running",), ("done",)]
    assert finished.calls == [("finished", "")]
    model.clear(1)
    assert cleared.calls == [()]
    assert (model.count, model.dim, model.cursor, model.status) == (0, 1, -1, "")
    model.append(snapshots(2, dim=1))
    assert model.params.shape == (2, 1)
    with pytest.raises(ValueError):
        model.set_state("flying")


def test_run_model_csv_has_full_precision_and_non_finite_values(qapp):
    model = RunModel(2)
    model.append([
        Snapshot(0, np.array([0.1, -1 / 3]), 1 / 7, np.zeros(2), 0.0, "running"),
        Snapshot(1, np.array([np.inf, np.nan]), np.inf, np.zeros(2), np.nan, "diverged", "x"),
    ])
    lines = model.to_csv().splitlines()
    assert lines[0] == "step,x0,x1,value,grad_norm"
    fields = lines[1].split(",")
    assert float(fields[2]) == -1 / 3 and float(fields[3]) == 1 / 7
    assert lines[2] == "1,inf,nan,inf,nan"


def test_run_model_matches_an_engine_run(qapp):
    fn = get_function("rosenbrock")
    snaps = run_descent(DescentConfig(fn, fn.default_start, "adam", {"lr": 0.05}, steps=50))
    model = RunModel(2)
    model.append(snaps)
    np.testing.assert_array_equal(model.params, np.stack([s.params for s in snaps]))
    np.testing.assert_array_equal(model.grad_norms, [s.grad_norm for s in snaps])
    assert model.status == snaps[-1].status


# -- ExperimentModel ----------------------------------------------------------------------------------------------


def test_experiment_model_update_valid_and_invalid(qapp):
    model = ExperimentModel(DescentExperiment(function_name="bowl", hyper={"lr": 0.1}))
    changed = Recorder(model.changed)
    function_changed = Recorder(model.functionChanged)
    errors = Recorder(model.error)
    assert model.update(steps=250) is True
    assert model.experiment.steps == 250
    assert len(changed.calls) == 1 and not function_changed.calls
    assert model.update(hyper={"lr": -1.0}) is False
    assert errors.calls[-1][0].startswith("optimizer.lr: must be > 0")
    assert model.experiment.hyper["lr"] == 0.1  # unchanged
    assert model.update(expression="x**2 + (") is False
    assert "function.expression" in errors.calls[-1][0]
    assert model.function.name == "bowl"
    assert model.update(expression="x**2 + 3*y**2") is True
    assert errors.calls[-1] == ("",)  # a valid change clears the inline message
    assert len(function_changed.calls) == 1
    assert model.function.name == "expression" and model.experiment.start == (-3.0, 4.0)  # 2-D: start kept
    with pytest.raises(TypeError):
        model.update(colour="red")


def test_experiment_model_function_switch_to_1d_and_optimizer_switch(qapp):
    model = ExperimentModel(DescentExperiment(function_name="bowl", hyper={"lr": 0.3}))
    assert model.update(function_name="quadratic1d")
    assert model.function.dim == 1 and len(model.experiment.start) == 1
    assert model.update(optimizer="adam", hyper={"betas": (0.8, 0.99)})
    exp = model.experiment
    assert exp.optimizer == "adam" and exp.hyper["lr"] == 0.3 and exp.hyper["betas"] == (0.8, 0.99)
    assert model.update(hyper={"betas": None})  # None removes → the optimizer's default
    assert "betas" not in model.experiment.hyper


def test_experiment_model_undo_redo(qapp):
    model = ExperimentModel(DescentExperiment(function_name="bowl"))
    stack = model.undo_stack
    original = model.experiment
    model.update(function_name="himmelblau")
    model.update(steps=42)
    assert stack.count() == 2
    stack.undo()
    assert model.experiment.steps == original.steps and model.function.name == "himmelblau"
    stack.undo()
    assert model.experiment == original
    stack.redo()
    stack.redo()
    assert model.experiment.steps == 42


def test_experiment_model_quick_edits_of_one_field_merge(qapp):
    model = ExperimentModel(DescentExperiment(function_name="bowl", hyper={"lr": 0.1}))
    for lr in (0.11, 0.12, 0.13):  # a dragged slider
        model.update(hyper={"lr": lr})
    assert model.undo_stack.count() == 1
    model.undo_stack.undo()
    assert model.experiment.hyper["lr"] == 0.1


def test_experiment_model_set_experiment(qapp):
    model = ExperimentModel()
    fc = Recorder(model.functionChanged)
    new = DescentExperiment(function_name="rosenbrock")
    model.set_experiment(new)
    assert model.experiment is new and len(fc.calls) == 1
    model.set_experiment(new)  # unchanged: no signal, no undo step
    assert len(fc.calls) == 1 and model.undo_stack.count() == 1


# -- CompareModel / BasinModel / SurfaceModel -------------------------------------------------------------------


def test_compare_model_collects_batches(qapp):
    fn = get_function("book_ellipse")
    groups = [("sgd", {"lr": 0.95}), ("momentum", {"lr": 0.1}), ("adam", {"lr": 0.3})]
    snaps = list(iter_batch(fn, np.tile([-7.0, 2.0], (3, 1)), groups, 30))
    model = CompareModel()
    updated = Recorder(model.updated)
    model.start(["a", "b", "c"], [(1, 2, 3)] * 3, 2)
    assert model.active and model.count == 0
    model.append(snaps[:10])
    model.append(snaps[10:])
    assert model.count == len(snaps) == 31 and len(updated.calls) == 2
    assert model.paths.shape == (31, 3, 2) and model.values.shape == (31, 3)
    np.testing.assert_array_equal(model.paths[-1], snaps[-1].params)
    assert model.status == ["finished"] * 3
    model.clear()
    assert not model.active and model.size == 0
    with pytest.raises(ValueError):
        model.start(["a"], [], 2)


def test_basin_model_progress_and_result(qapp):
    fn = get_function("himmelblau")
    items = list(iter_basin_map(fn, "sgd", {"lr": 0.01}, 60, resolution=(12, 10)))
    model = BasinModel()
    progress = Recorder(model.progress)
    updated = Recorder(model.updated)
    model.begin()
    for item in items[:-1]:
        model.set_progress(item)
    model.set_result(items[-1])
    assert model.result.labels.shape == (10, 12) and not model.active
    assert progress.calls[0] == (0.0,) and progress.calls[-1] == (1.0,)
    assert updated.calls == [()]
    model.clear()
    assert model.result is None


def test_surface_model(qapp):
    fn = get_function("bowl")
    model = SurfaceModel()
    changed = Recorder(model.changed)
    model.set_samples(fn, sample_surface(fn, resolution=20), sample_vector_field(fn, count=5))
    assert model.surface.Z.shape == (20, 20) and model.field.U.shape == (5, 5) and model.function is fn
    model.clear()
    assert model.surface is None and len(changed.calls) == 2


def test_experiment_models_with_commands_on_their_undo_stack_are_collected_safely(qapp):
    """The commands refer to their model weakly: a strong cycle used to crash in ~QUndoStack at collection."""
    import gc
    import weakref

    from gdstudio.experiment import default_experiment
    from gdstudio.models.experiment_model import ExperimentModel

    refs = []
    for k in range(20):
        model = ExperimentModel(default_experiment())
        model.update(steps=100 + k)
        model.update(start=(float(k), 2.0))
        model.undo_stack.undo()
        assert model.undo_stack.count() >= 1
        refs.append(weakref.ref(model))
        del model
    gc.collect()
    assert all(r() is None for r in refs)
