"""TrainingRunModel: columns that grow by doubling, nan for missing metrics, the latest heavy data, signals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.datasets import load_dataset
from gdstudio.engine.nn import InitSpec, NetworkSpec, TrainingConfig, TrainingSnapshot, run_training
from gdstudio.models.training_run_model import TrainingInfo, TrainingRunModel


def info(shapes=((2, 4), (4,), (4, 1), (1,))) -> TrainingInfo:
    return TrainingInfo(
        description="2-4-1 tanh → sigmoid + bce", layer_sizes=(2, 4, 1), activations=("tanh", "sigmoid"),
        block_labels=("Layer 1", "Layer 2"),
        param_names=("W1", "b1", "W2", "b2"), param_shapes=shapes, n_params=sum(math.prod(s) for s in shapes),
        task="classification", n_classes=2, class_names=("0", "1"), points_train=None, labels_train=None,
        points_test=None, labels_test=None, image_shape=None, steps_per_epoch=1, total_steps=10,
        dataset_name="xor",
    )


def snap(step: int, *, epoch_end: bool = False, norms=None, status="running", message="", **kw) -> TrainingSnapshot:
    return TrainingSnapshot(step, step // 3, step * 4, 1.0 / (step + 1), status, message, epoch_end,
                            grad_norms=None if norms is None else np.asarray(norms, float), **kw)


@pytest.fixture
def xor_snapshots() -> list[TrainingSnapshot]:
    spec = NetworkSpec(layers=(2, 4, 1), activation="tanh", output="sigmoid", init=InitSpec("xavier", seed=0))
    config = TrainingConfig(spec, load_dataset({"name": "xor"}), optimizer="sgd", hyper={"lr": 0.5}, epochs=300,
                            batch_size=4, landscape_every=100)
    return run_training(config)


def test_empty_model_reads_as_empty(qapp):
    model = TrainingRunModel()
    assert model.info is None and model.count == 0 and model.epoch_count == 0
    assert model.steps.shape == (0,) and model.batch_losses.dtype == np.float64
    assert model.grad_norms.shape[0] == 0 and model.norm_steps.shape == (0,)
    assert model.weights is None and model.weight_arrays() is None
    assert model.state == "idle" and model.status == "" and model.last_step == 0 and model.last_epoch == 0


def test_a_real_run_appended_in_chunks_fills_every_column(qapp, xor_snapshots):
    model = TrainingRunModel()
    model.begin(info())
    appended, epochs, details, landscapes, weights = [], [], [], [], []
    model.appended.connect(lambda first, count: appended.append((first, count)))
    model.epochsAppended.connect(lambda: epochs.append(1))
    model.detailChanged.connect(lambda: details.append(1))
    model.landscapeChanged.connect(lambda: landscapes.append(1))
    model.weightsChanged.connect(lambda: weights.append(1))
    snaps = xor_snapshots
    for start in range(0, len(snaps), 37):
        model.append(snaps[start : start + 37])
    n = len(snaps)
    assert model.count == n and appended[0] == (0, 37) and appended[-1][0] + appended[-1][1] == n
    assert model.steps.tolist() == list(range(n))
    np.testing.assert_array_equal(model.batch_losses, [s.batch_loss for s in snaps])
    np.testing.assert_array_equal(model.samples, [s.samples for s in snaps])
    ends = [s for s in snaps if s.epoch_end]
    assert model.epoch_count == len(ends) == 301
    np.testing.assert_array_equal(model.epoch_steps, [s.step for s in ends])
    np.testing.assert_array_equal(model.train_accuracy, [s.train_accuracy for s in ends])
    np.testing.assert_array_equal(model.test_loss, [s.test_loss for s in ends])
    normed = [s for s in snaps if s.grad_norms is not None]
    assert model.grad_norms.shape == (len(normed), 2)
    np.testing.assert_array_equal(model.grad_norms, np.stack([s.grad_norms for s in normed]))
    assert model.capacity >= n and model.capacity & (model.capacity - 1) == 0  # doubled from 256
    assert model.detail is [s for s in snaps if s.detail is not None][-1].detail
    assert model.decision is [s for s in snaps if s.decision is not None][-1].decision
    assert model.landscape is [s for s in snaps if s.landscape is not None][-1].landscape
    np.testing.assert_array_equal(model.weights, snaps[-1].weights)
    assert not model.weights.flags.writeable
    assert model.status == "finished" and model.last_step == 300 and model.last_epoch == 300
    assert len(epochs) == len(appended) and details and landscapes and weights
    W1, b1, W2, b2 = model.weight_arrays()
    assert W1.shape == (2, 4) and b2.shape == (1,)
    np.testing.assert_array_equal(W2.ravel(), snaps[-1].weights[12:16])


def test_missing_metrics_are_nan_and_regression_has_no_accuracy(qapp):
    model = TrainingRunModel()
    model.begin(info())
    model.append([TrainingSnapshot(0, 0, 0, 0.5, "running", epoch_end=True, train_loss=0.5, train_accuracy=None,
                                   test_loss=None, test_accuracy=None)])
    assert model.train_loss.tolist() == [0.5]
    assert math.isnan(model.train_accuracy[0]) and math.isnan(model.test_loss[0]) and math.isnan(model.test_accuracy[0])


def test_appending_within_capacity_writes_in_place(qapp):
    model = TrainingRunModel()
    model.begin(info())
    model.append([snap(0)])
    storage = model.steps.base if model.steps.base is not None else model.steps
    model.append([snap(i) for i in range(1, 200)])
    assert (model.steps.base if model.steps.base is not None else model.steps) is storage  # no copy of old rows
    model.append([snap(i) for i in range(200, 300)])  # grows once: 256 → 512
    assert model.capacity == 512 and model.steps.tolist() == list(range(300))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=1, max_size=30))
def test_any_batching_gives_the_same_columns(qapp, sizes):
    snaps = [snap(i, epoch_end=i % 5 == 0, norms=[i, 2 * i] if i % 3 else None) for i in range(sum(sizes))]
    model = TrainingRunModel()
    model.begin(info())
    start = 0
    for k in sizes:
        model.append(snaps[start : start + k])
        start += k
    assert model.steps.tolist() == list(range(len(snaps)))
    assert model.epoch_steps.tolist() == [i for i in range(len(snaps)) if i % 5 == 0]
    assert model.norm_steps.tolist() == [i for i in range(len(snaps)) if i % 3]
    expected = np.array([[i, 2 * i] for i in range(len(snaps)) if i % 3], dtype=float).reshape(-1, 2)
    np.testing.assert_array_equal(model.grad_norms, expected)


def test_norms_without_info_take_their_width_from_the_data(qapp):
    model = TrainingRunModel()
    model.append([snap(1, norms=[1.0, 2.0, 3.0])])
    assert model.grad_norms.shape == (1, 3)


def test_clear_begin_finish_and_state(qapp):
    model = TrainingRunModel()
    seen = []
    for name in ("cleared", "began", "stateChanged", "finished"):
        getattr(model, name).connect(lambda *args, n=name: seen.append((n, *args)))
    model.begin(info())
    model.append([snap(0), snap(1)])
    model.set_state("running")
    model.set_state("running")  # no repeat signal
    model.finish("diverged", "The loss became NaN")
    assert model.state == "done" and model.status == "diverged" and model.message == "The loss became NaN"
    model.clear()
    assert model.info is None and model.count == 0 and model.status == ""
    assert seen == [("began",), ("stateChanged", "running"), ("stateChanged", "done"),
                    ("finished", "diverged", "The loss became NaN"), ("cleared",)]
    with pytest.raises(ValueError):
        model.set_state("sleeping")


def test_edits_replace_weights_and_details(qapp):
    model = TrainingRunModel()
    model.begin(info())
    hits = []
    model.weightsChanged.connect(lambda: hits.append("w"))
    model.detailChanged.connect(lambda: hits.append("d"))
    model.decisionChanged.connect(lambda: hits.append("m"))
    flat = np.arange(17, dtype=float)
    model.set_weights(flat)
    flat[0] = 99  # the model keeps its own copy
    assert model.weights[0] == 0 and hits == ["w"]
    model.set_latest(weights=np.ones(17), detail=("layer",), decision=None)
    assert model.detail == ("layer",) and model.weights.tolist() == [1.0] * 17 and hits == ["w", "d", "w"]
    with pytest.raises(TypeError):
        model.set_latest(gradients=1)


def test_a_batch_reads_missing_metrics_as_nan_and_pads_short_norm_rows():
    model = TrainingRunModel()
    model.begin(info())
    model.append([snap(0, epoch_end=True, train_loss=0.5, train_accuracy=None, test_loss=None, test_accuracy=None),
                  snap(1, norms=[0.1, 0.2]), snap(2, norms=[0.3]), snap(3, epoch_end=True, train_loss=0.25)])
    np.testing.assert_array_equal(model.epoch_steps, [0, 3])
    assert model.epoch_steps.dtype == np.int64 and model.steps.dtype == np.int64
    np.testing.assert_array_equal(model.train_loss, [0.5, 0.25])
    assert np.isnan(model.train_accuracy).all() and np.isnan(model.test_loss).all()
    np.testing.assert_array_equal(model.samples, [0, 4, 8, 12])
    np.testing.assert_array_equal(model.norm_steps, [1, 2])
    np.testing.assert_array_equal(model.grad_norms, [[0.1, 0.2], [0.3, np.nan]])


def test_the_model_knows_which_step_its_latest_details_were_sampled_at(qapp, xor_snapshots):
    model = TrainingRunModel()
    model.begin(info())
    assert model.detail_step is None
    model.append(xor_snapshots[:3])
    with_detail = [s.step for s in xor_snapshots if s.detail is not None]
    model.append(xor_snapshots[3:])
    assert model.detail_step == with_detail[-1] and model.detail is not None
