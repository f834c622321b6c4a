"""Training as a generator of snapshots: the lessons actually learn (XOR, spiral, digits), runs are reproducible,
a diverging run says so, and snapshots stay cheap (bounded samples, heavy data only at detail points)."""

from __future__ import annotations

import gzip
import math
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from gdstudio.engine.nn.initializers import InitSpec
from gdstudio.engine.nn.layers import NotTrainableError
from gdstudio.engine.nn.network import NetworkSpec
from gdstudio.engine.nn.training import STATUSES, Trainer, TrainingConfig, iter_training, run_training

XOR_X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], float)
XOR_T = np.array([0, 1, 1, 0])


def _data(x, t, xt=None, tt=None, task="classification"):
    """A minimal data set object (the trainer only needs these attributes)."""
    return SimpleNamespace(x_train=x, t_train=t, x_test=x if xt is None else xt, t_test=t if tt is None else tt,
                           task=task)


def _spiral(n_per_class=100, classes=3, seed=0):
    """The cs231n spiral: `classes` arms, a little noise."""
    rng = np.random.default_rng(seed)
    xs, ts = [], []
    for c in range(classes):
        r = np.linspace(0.05, 1, n_per_class)
        a = np.linspace(c * 4, (c + 1) * 4, n_per_class) + rng.standard_normal(n_per_class) * 0.2
        xs.append(np.stack([r * np.sin(a), r * np.cos(a)], axis=1))
        ts.append(np.full(n_per_class, c))
    return np.concatenate(xs), np.concatenate(ts)


def _digits():
    """The built-in digits from the app's resources, else straight from the shared CSV."""
    try:
        from gdstudio.engine.datasets import load_digits

        return load_digits(test_fraction=0.25, seed=0)
    except ImportError:  # pragma: no cover - before the data-set package exists
        path = Path(__file__).resolve().parents[2] / "shared" / "data" / "digits" / "digits.csv.gz"
        with gzip.open(path, "rt") as f:
            raw = np.loadtxt(f, delimiter=",")
        rng = np.random.default_rng(0)
        order = rng.permutation(len(raw))
        x = (raw[order, :64] / 16).astype(np.float32)
        t = raw[order, 64].astype(int)
        k = len(x) // 4
        return _data(x[k:], t[k:], x[:k], t[:k])


def test_xor_learned_by_2_4_1_tanh():
    spec = NetworkSpec((2, 4, 1), "tanh", "sigmoid", "bce", init=InitSpec("xavier", seed=0))
    snaps = run_training(TrainingConfig(spec, _data(XOR_X, XOR_T), "sgd", {"lr": 0.5}, epochs=500, batch_size=4))
    last = snaps[-1]
    assert last.status == "finished"
    assert last.train_accuracy == 1.0
    assert last.train_loss < 0.05
    assert snaps[0].train_loss > 0.5  # it really learned: chance level at the start


def test_xor_from_the_datasets_package():
    datasets = pytest.importorskip("gdstudio.engine.datasets")
    ds = datasets.load_dataset({"name": "xor"})
    spec = NetworkSpec((2, 4, 1), "tanh", "sigmoid", "bce", init=InitSpec("xavier", seed=0))
    last = run_training(TrainingConfig(spec, ds, "sgd", {"lr": 0.5}, epochs=500, batch_size=4))[-1]
    assert last.train_accuracy == 1.0


def test_spiral_learned_by_a_deeper_relu_net():
    x, t = _spiral()
    spec = NetworkSpec((2, 32, 32, 3), "relu", "softmax", init=InitSpec("he", seed=1))
    cfg = TrainingConfig(spec, _data(x, t), "adam", {"lr": 0.01}, epochs=150, batch_size=30, map_resolution=None)
    last = run_training(cfg)[-1]
    assert last.status == "finished"
    assert last.train_accuracy >= 0.97
    # a linear model cannot: the same data with no hidden layer stays far below
    linear = NetworkSpec((2, 3), output="softmax", init=InitSpec("xavier", seed=1))
    flat = run_training(TrainingConfig(linear, _data(x, t), "adam", {"lr": 0.01}, epochs=150, batch_size=30,
                                       map_resolution=None))[-1]
    assert flat.train_accuracy < 0.7


def test_digits_reach_95_percent_quickly():
    ds = _digits()
    spec = NetworkSpec((64, 64, 10), "relu", "softmax", init=InitSpec("he", seed=0), dtype="auto")
    cfg = TrainingConfig(spec, ds, "adam", {"lr": 0.003}, epochs=25, batch_size=32)
    start = time.perf_counter()
    trainer = Trainer(cfg)
    assert trainer.network.dtype == np.float32  # digits train in float32
    last = list(trainer.iterate())[-1]
    elapsed = time.perf_counter() - start
    assert last.status == "finished"
    assert last.test_accuracy >= 0.95
    assert elapsed < 30  # generous bound (a few seconds on a quiet machine): a student's patience, not a benchmark


def test_reproducible_with_a_seed():
    x, t = _spiral(30, seed=3)
    spec = NetworkSpec((2, 8, 3), "relu", dropout=0.2, init=InitSpec(seed=5))

    def run(seed):
        snaps = run_training(TrainingConfig(spec, _data(x, t), "momentum", {"lr": 0.05}, epochs=4, batch_size=16,
                                            seed=seed))
        return [s.batch_loss for s in snaps], snaps[-1].weights

    a_loss, a_w = run(7)
    b_loss, b_w = run(7)
    c_loss, _ = run(8)
    assert a_loss == b_loss
    np.testing.assert_array_equal(a_w, b_w)
    assert a_loss != c_loss  # another shuffling/dropout seed, another run


def test_diverging_run_ends_diverged_with_a_message():
    x, t = _spiral(30)
    spec = NetworkSpec((2, 16, 1), "relu", "identity", init=InitSpec(seed=0))
    y = (t == 1).astype(float)
    before = np.geterr()
    snaps = []
    for snap in iter_training(TrainingConfig(spec, _data(x, y, task="regression"), "sgd", {"lr": 10.0},
                                             epochs=200, batch_size=10)):
        assert np.geterr() == before  # the generator's error-state changes never leak into the caller
        snaps.append(snap)
    last = snaps[-1]
    assert last.status == "diverged"
    assert "smaller" in last.message and "learning rate 10" in last.message
    assert all(s.status == "running" for s in snaps[:-1])
    assert len(snaps) < 200 * 9  # it stopped early
    assert all(math.isfinite(s.batch_loss) for s in snaps[:-1])  # the plots before it stay intact


def test_snapshot_contents_and_budgets():
    x, t = _spiral(60)
    spec = NetworkSpec((2, 50, 50, 3), "relu", init=InitSpec(seed=0))
    cfg = TrainingConfig(spec, _data(x, t), "sgd", {"lr": 0.1}, epochs=3, batch_size=20, sample_size=100,
                         probe_size=40, detail_every=4, map_resolution=20)
    snaps = run_training(cfg)
    steps_per_epoch = 9
    assert [s.step for s in snaps] == list(range(3 * steps_per_epoch + 1))
    assert snaps[0].epoch_end and snaps[0].grad_norms is None and snaps[0].detail[0].grads is None
    ends = [s for s in snaps if s.epoch_end]
    assert [s.epoch for s in ends] == [0, 1, 2, 3]
    for s in snaps:
        assert s.status == ("finished" if s is snaps[-1] else "running")
        assert (s.train_loss is not None) == s.epoch_end
        if s.step:
            assert s.grad_norms.shape == (3,) and np.all(s.grad_norms > 0)
        if s.detail is not None:
            assert s.step % 4 == 0 or s is snaps[-1] or s.step == 0
            for d in s.detail:
                assert d.weights.size <= 100 and d.activations.size <= 100 and d.pre_activations.size <= 100
            assert s.detail[0].dead_share is not None and 0 <= s.detail[0].dead_share <= 1
            assert s.decision.outputs.shape == (20, 20, 3) and len(s.decision.hidden) == 2
    assert snaps[1].detail is None and snaps[1].weights is not None  # small net: weights every step
    assert snaps[-1].samples == 3 * len(x)
    n_params = 2 * 50 + 50 + 50 * 50 + 50 + 50 * 3 + 3
    assert snaps[-1].weights.shape == (n_params,)


def test_regression_has_no_accuracy_and_mse_is_the_books():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (50, 1))
    y = 3 * x + 0.8
    spec = NetworkSpec((1, 1), output="identity", init=InitSpec("zeros"))
    trainer = Trainer(TrainingConfig(spec, _data(x, y, task="regression"), "sgd", {"lr": 0.5}, epochs=300,
                                     batch_size=50))
    snaps = list(trainer.iterate())
    first, last = snaps[0], snaps[-1]
    assert first.train_loss == pytest.approx(np.mean(0.5 * y[:, 0] ** 2))
    assert last.train_accuracy is None and last.test_accuracy is None
    np.testing.assert_allclose(trainer.network.param("W1")[0, 0], 3.0, atol=1e-3)
    np.testing.assert_allclose(trainer.network.param("b1")[0], 0.8, atol=1e-3)


def test_caller_may_stop_and_ask_for_a_closing_snapshot():
    x, t = _spiral(40)
    trainer = Trainer(TrainingConfig(NetworkSpec((2, 8, 3), "tanh"), _data(x, t), epochs=100, batch_size=10))
    it = trainer.iterate()
    taken = [next(it) for _ in range(5)]
    assert taken[-1].step == 4
    final = trainer.final_snapshot()
    assert final.status == "stopped" and final.step == 4 and final.train_accuracy is not None
    assert "stopped" in STATUSES
    with pytest.raises(RuntimeError):
        trainer.iterate()
    nxt = next(it)  # the iterator lives on (pause -> play)
    assert nxt.step == 5


def test_the_step_function_cannot_be_trained():
    spec = NetworkSpec((2, 1), output="step", loss="mse")
    with pytest.raises(NotTrainableError, match="cannot be trained by gradient descent"):
        iter_training(TrainingConfig(spec, _data(XOR_X, XOR_T.astype(float)), epochs=1))


def test_config_is_checked_before_the_first_step():
    x, t = _spiral(10)
    spec = NetworkSpec((2, 4, 3))
    with pytest.raises(ValueError, match="unknown optimizer"):
        iter_training(TrainingConfig(spec, _data(x, t), "lbfgs"))
    with pytest.raises(ValueError, match="lr"):
        iter_training(TrainingConfig(spec, _data(x, t), "sgd", {"lr": -1}))
    with pytest.raises(ValueError, match="batch_size"):
        iter_training(TrainingConfig(spec, _data(x, t), batch_size=0))
    with pytest.raises(ValueError, match="input layer has 2"):
        iter_training(TrainingConfig(NetworkSpec((2, 4, 3)), _data(np.zeros((5, 3)), np.zeros(5, int))))


def test_zero_epochs_and_oversized_batches():
    x, t = _spiral(10)
    only = run_training(TrainingConfig(NetworkSpec((2, 4, 3)), _data(x, t), epochs=0))
    assert len(only) == 1 and only[0].status == "finished" and only[0].step == 0
    full = run_training(TrainingConfig(NetworkSpec((2, 4, 3)), _data(x, t), epochs=2, batch_size=10_000))
    assert [s.step for s in full] == [0, 1, 2]  # one full batch per epoch


def test_trajectory_and_landscape_ride_along():
    x, t = _spiral(30)
    cfg = TrainingConfig(NetworkSpec((2, 6, 3), "tanh", init=InitSpec(seed=2)), _data(x, t), "adam",
                         {"lr": 0.05}, epochs=4, batch_size=30, landscape_every=2, landscape_resolution=9)
    trainer = Trainer(cfg)
    snaps = list(trainer.iterate())
    with_land = [s for s in snaps if s.landscape is not None]
    assert [s.epoch for s in with_land] == [0, 2, 4]
    assert with_land[0].landscape.mode == "random"  # no trajectory yet at the start
    land = with_land[-1].landscape
    assert land.Z.shape == (9, 9) and land.mode == "pca"
    steps, traj = trainer.trajectory()
    assert steps.tolist() == list(range(len(snaps)))
    np.testing.assert_array_equal(traj[-1], trainer.network.flat_params())


def test_hopeless_initial_weights_are_blamed_not_the_learning_rate():
    x, t = _spiral(10)
    spec = NetworkSpec((2, 8, 3), "relu", init=InitSpec("normal", sigma=1e200, seed=0))
    snaps = run_training(TrainingConfig(spec, _data(x * 1e200, t), "sgd", {"lr": 0.1}, epochs=3))
    assert len(snaps) == 1 and snaps[0].status == "diverged" and snaps[0].step == 0
    assert "initial weights" in snaps[0].message and "learning rate" not in snaps[0].message


def test_blas_tuner_keeps_the_faster_thread_count():
    from gdstudio.engine.nn.blas import BlasTuner

    state = {"threads": None, "now": 0.0}
    speed = {1: 1.0, 2: 0.6}  # seconds per step at each thread count

    def setter(n):
        previous, state["threads"] = state["threads"], n
        return previous if previous is not None else 1

    tuner = BlasTuner((1, 2), period=50, probe=5, setter=setter, clock=lambda: state["now"])

    def step():
        tuner.start()
        state["now"] += speed[state["threads"]]
        tuner.stop()

    for _ in range(20):
        step()
    assert tuner.current == 2 and state["threads"] == 2  # two threads were faster: kept
    speed[2] = 5.0  # the other core got busy
    step()
    assert tuner.current == 1 and state["threads"] == 1  # one step 3× slower than one thread: back at once
    for _ in range(200):
        step()
    assert tuner.current == 1 and state["threads"] == 1  # and it stays on the faster count
    slow_steps = 0
    for _ in range(500):
        before = state["now"]
        step()
        slow_steps += state["now"] - before > 1.0
    assert slow_steps <= 500 // 50 + 1  # a failing probe costs one slow step per period
    assert not BlasTuner((1, 2), setter=lambda n: None).enabled  # no controllable BLAS: does nothing


def test_auto_blas_threads_trains_the_same():
    x, t = _spiral(30)
    spec = NetworkSpec((2, 8, 3), "tanh", init=InitSpec(seed=1))
    from gdstudio.engine.nn.blas import blas_threads, set_blas_threads

    previous = blas_threads()
    try:
        a = run_training(TrainingConfig(spec, _data(x, t), epochs=3, batch_size=10, blas_threads="auto"))
        b = run_training(TrainingConfig(spec, _data(x, t), epochs=3, batch_size=10, blas_threads=1))
    finally:
        if previous is not None:
            set_blas_threads(previous)
    assert [s.batch_loss for s in a] == [s.batch_loss for s in b]
    with pytest.raises(ValueError, match="blas_threads"):
        TrainingConfig(spec, _data(x, t), blas_threads="many").check()


# -- ClassEvaluation: the confusion matrix and the fixed sample of predictions (digits view) ---------------------


def test_class_evaluation_matches_the_reported_test_accuracy():
    ds = _digits()
    spec = NetworkSpec((64, 32, 10), "relu", "softmax", init=InitSpec("he", seed=0), dtype="auto")
    trainer = Trainer(TrainingConfig(spec, ds, "adam", {"lr": 0.003}, epochs=3, batch_size=32))
    snaps = list(trainer.iterate())
    evals = [s for s in snaps if s.evaluation is not None]
    assert [s.step for s in evals] == [s.step for s in snaps if s.detail is not None]  # with every detail
    assert evals[0].step == 0 and evals[-1] is snaps[-1]
    n_test = len(ds.x_test)
    first = evals[0].evaluation
    for s in evals:
        e = s.evaluation
        assert e.split == "test"
        assert e.confusion.shape == (10, 10) and e.confusion.dtype == np.int64
        assert e.confusion.sum() == n_test
        np.testing.assert_array_equal(e.confusion.sum(axis=1), np.bincount(ds.t_test, minlength=10))
        assert np.trace(e.confusion) / n_test == s.test_accuracy  # the same pass: exactly equal
        # the sample: the same inputs all run, predictions and confidences of this snapshot
        assert e.sample_inputs.shape == (32, 64) and e.sample_labels.shape == (32,)
        assert e.sample_inputs is first.sample_inputs and not e.sample_inputs.flags.writeable
        np.testing.assert_array_equal(e.sample_labels, first.sample_labels)
        assert np.all((e.sample_confidence > 0) & (e.sample_confidence <= 1))
    # the fused pass reports what a separate evaluation reports (loss too), and the sample is the test set's
    last = snaps[-1]
    loss, acc = trainer.network.evaluate(ds.x_test, ds.t_test)
    assert last.test_loss == loss and last.test_accuracy == acc
    e = last.evaluation
    y = trainer.network.predict(e.sample_inputs)
    np.testing.assert_array_equal(e.sample_predicted, np.argmax(y, axis=1))
    np.testing.assert_allclose(e.sample_confidence, np.max(y, axis=1), rtol=1e-5)
    rows = [np.flatnonzero((np.asarray(ds.x_test) == row).all(axis=1))[0] for row in e.sample_inputs]
    np.testing.assert_array_equal(np.asarray(ds.t_test)[rows], e.sample_labels)
    assert set(e.sample_labels[:10].tolist()) == set(range(10))  # classes taken in turn
    assert evals[-1].test_accuracy > evals[0].test_accuracy  # it learned: the diagonal grew


def test_class_evaluation_for_one_sigmoid_output_and_without_a_test_split():
    x, t = _spiral(40, classes=2)
    spec = NetworkSpec((2, 8, 1), "tanh", "sigmoid", init=InitSpec(seed=0))
    data = SimpleNamespace(x_train=x, t_train=t, x_test=x[:0], t_test=t[:0], task="classification")
    snaps = run_training(TrainingConfig(spec, data, "adam", {"lr": 0.05}, epochs=40, batch_size=20))
    last = snaps[-1]
    e = last.evaluation
    assert e.split == "train" and e.confusion.shape == (2, 2) and e.confusion.sum() == len(x)
    assert np.trace(e.confusion) / len(x) == last.train_accuracy
    assert e.sample_inputs.shape == (32, 2) and np.all(e.sample_confidence >= 0.5)
    assert last.test_accuracy is None
    # regression: nothing to count
    reg = run_training(TrainingConfig(NetworkSpec((1, 1), output="identity"),
                                      _data(x[:, :1], x[:, 1:], task="regression"), epochs=1))
    assert all(s.evaluation is None for s in reg)


def test_class_evaluation_rides_along_with_detail_every():
    x, t = _spiral(30)
    cfg = TrainingConfig(NetworkSpec((2, 6, 3), "tanh", init=InitSpec(seed=2)), _data(x, t), "adam",
                         {"lr": 0.05}, epochs=2, batch_size=20, detail_every=3)
    snaps = run_training(cfg)
    for s in snaps:
        assert (s.evaluation is not None) == (s.detail is not None)
        if s.evaluation is not None:
            assert s.evaluation.confusion.sum() == len(x)
            if s.test_accuracy is not None:
                assert np.trace(s.evaluation.confusion) / len(x) == s.test_accuracy


def test_one_input_sets_get_the_fitted_curve_as_a_one_row_decision_map():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (50, 1))
    spec = NetworkSpec((1, 1), output="identity", init=InitSpec("zeros"))
    trainer = Trainer(TrainingConfig(spec, _data(x, 3 * x + 0.8, task="regression"), "sgd", {"lr": 0.5},
                                     epochs=30, batch_size=50, map_resolution=25))
    last = list(trainer.iterate())[-1]
    d = last.decision
    assert d.ys.tolist() == [0.0] and d.xs.shape == (100,) and d.outputs.shape == (1, 100, 1)
    assert d.xs[0] < x.min() and d.xs[-1] > x.max() and d.hidden == ()
    w, b = trainer.network.param("W1")[0, 0], trainer.network.param("b1")[0]
    np.testing.assert_allclose(d.outputs[0, :, 0], w * d.xs + b, rtol=1e-12)


def test_a_tanh_output_taught_zero_one_labels_classifies_at_one_half():
    """Threshold midway between the targets: 0.5 for 0/1 labels (0 only for ±1 targets)."""
    from gdstudio.engine.datasets import load_dataset
    from gdstudio.engine.nn import InitSpec, NetworkSpec, Trainer, TrainingConfig

    spec = NetworkSpec(layers=(2, 4, 1), activation="tanh", output="tanh", loss="mse", init=InitSpec("xavier", seed=0))
    trainer = Trainer(TrainingConfig(spec, load_dataset({"name": "xor"}), "sgd", {"lr": 0.1}, epochs=1, batch_size=4))
    assert trainer.network.head.threshold == 0.5
    net = trainer.network
    y = np.array([[0.3], [0.7], [0.1], [0.9]])
    t = np.array([[0.0], [1.0], [1.0], [0.0]])
    assert net.head.correct(y, t) == 2


def test_steps_without_shown_gradients_fold_sgd_into_backprop_with_the_same_results():
    """Steps whose gradients no snapshot shows use Network.train_step's fused SGD; shown ones and a closing
    snapshot after stopping still report the right gradient norms."""
    rng = np.random.default_rng(4)
    x, t = rng.random((300, 784)), rng.integers(0, 10, 300)
    spec = NetworkSpec((784, 30, 10), "relu", init=InitSpec("auto", seed=2))

    def config(**kw):
        return TrainingConfig(spec, _data(x, t), "sgd", {"lr": 0.05}, epochs=2, batch_size=50, **kw)

    every = run_training(config())
    sparse = run_training(config(norms_every=4))
    assert len(every) == len(sparse)
    for a, b in zip(every, sparse):
        assert a.batch_loss == pytest.approx(b.batch_loss, rel=1e-10)
        if b.grad_norms is not None:
            np.testing.assert_allclose(b.grad_norms, a.grad_norms, rtol=1e-10)
    np.testing.assert_allclose(sparse[-1].weights, every[-1].weights, rtol=1e-10, atol=1e-13)

    trainer = Trainer(config(norms_every=10**9))
    it = trainer.iterate()
    for _ in range(4):  # step 0 and three fused steps
        snap = next(it)
    assert snap.grad_norms is None and trainer.network.blocks[0].affine._pending is not None
    closing = trainer.final_snapshot()
    np.testing.assert_allclose(closing.grad_norms, every[3].grad_norms, rtol=1e-10)
    dW = [d for d in closing.detail if d.index == 1][0]
    assert dW.grad_norm == pytest.approx(float(np.linalg.norm(trainer.network.blocks[0].affine.dW)))
