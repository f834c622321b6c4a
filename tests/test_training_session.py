"""TrainingSession: set-up, play/pause/step/step-epoch/reset/re-draw and weight edits on worker threads."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from gdstudio.controllers.training_session import (
    TrainingSession,
    landscape_every,
    pca_landscape_mode,
    trajectory_every,
)
from gdstudio.models.training_settings_model import TrainingSettings

TIMEOUT = 20_000


def xor(**kw) -> TrainingSettings:
    return TrainingSettings(**kw)


@pytest.fixture
def make_session(qtbot):
    sessions = []

    def make(settings: TrainingSettings | None = None) -> TrainingSession:
        s = TrainingSession(settings or xor())
        sessions.append(s)
        s.initialize()
        qtbot.waitUntil(lambda: s.run_model.count == 1 or not s.preparing, timeout=TIMEOUT)
        return s

    yield make
    for s in sessions:
        s.stop_all()
        qtbot.waitUntil(lambda s=s: not s.busy, timeout=TIMEOUT)


def circle(**kw) -> TrainingSettings:
    """50 training points in batches of 10: 5 steps per epoch."""
    args = dict(dataset={"name": "circle", "n": 100, "test_fraction": 0.5}, hidden=(4,), activation=("tanh",),
                epochs=40, batch_size=10, hyper={"lr": 0.3})
    args.update(kw)
    return TrainingSettings(**args)


def test_set_up_on_a_worker_shows_step_zero(make_session):
    s = make_session()
    model = s.run_model
    assert model.state == "idle" and model.count == 1 and model.steps.tolist() == [0]
    info = model.info
    assert info.layer_sizes == (2, 4, 1) and info.param_names == ("W1", "b1", "W2", "b2") and info.n_params == 17
    assert info.task == "classification" and info.n_classes == 2 and info.steps_per_epoch == 1
    assert info.total_steps == 500 and info.points_train.shape == (4, 2) and info.dataset_name == "xor"
    assert model.weights is not None and model.detail is not None and model.epoch_count == 1


def test_play_learns_xor(qtbot, make_session):
    s = make_session()
    model = s.run_model
    busy = []
    s.busyChanged.connect(busy.append)
    with qtbot.waitSignal(model.finished, timeout=TIMEOUT) as blocker:
        s.play()
    assert blocker.args == ["finished", ""]
    qtbot.waitUntil(lambda: busy == [True, False], timeout=TIMEOUT)
    assert model.state == "done" and model.count == 501 and model.steps.tolist() == list(range(501))
    assert model.epoch_count == 501 and model.epochs[-1] == 500  # step 0 plus one row per epoch
    assert model.train_loss[-1] < 0.1 * model.train_loss[0]
    assert model.batch_losses[-50:].mean() < model.batch_losses[:50].mean()
    assert model.train_accuracy[-1] == 1.0
    assert model.landscape is not None and model.decision is not None


def test_pause_and_step_a_batch_add_exactly_one_row(qtbot, make_session):
    s = make_session(xor(epochs=100_000))
    model = s.run_model
    s.play()
    qtbot.waitUntil(lambda: model.count > 20, timeout=TIMEOUT)
    s.pause()
    assert model.state == "paused"
    qtbot.waitUntil(lambda: not s.busy, timeout=TIMEOUT)
    n = model.count
    qtbot.wait(50)
    assert model.count == n  # really paused
    s.step_batch()
    qtbot.waitUntil(lambda: model.count == n + 1 and not s.busy, timeout=TIMEOUT)
    qtbot.wait(30)
    assert model.count == n + 1 and model.steps.tolist() == list(range(n + 1)) and model.state == "paused"


def test_step_epoch_adds_steps_per_epoch_and_stops_at_the_boundary(qtbot, make_session):
    s = make_session(circle())
    model = s.run_model
    assert model.info.steps_per_epoch == 5
    s.step_epoch()
    qtbot.waitUntil(lambda: model.count == 6 and not s.busy, timeout=TIMEOUT)
    assert model.epoch_steps.tolist() == [0, 5] and model.last_epoch == 1
    s.step_batch()
    s.step_batch()
    s.step_epoch()  # finishes the epoch: 3 more steps
    qtbot.waitUntil(lambda: model.count == 11 and not s.busy, timeout=TIMEOUT)
    qtbot.wait(30)
    assert model.steps.tolist() == list(range(11)) and model.epoch_steps.tolist() == [0, 5, 10]


def test_rapid_steps_queue_instead_of_being_lost(qtbot, make_session):
    s = make_session(circle())
    for _ in range(7):
        s.step_batch()  # no waiting: each starts when the previous one has ended
    qtbot.waitUntil(lambda: s.run_model.count == 8 and not s.busy, timeout=TIMEOUT)
    assert s.run_model.steps.tolist() == list(range(8))


def test_play_right_away_waits_for_the_set_up(qtbot):
    s = TrainingSession(circle(epochs=3))
    try:
        s.initialize()
        s.play()  # the trainer is still being built
        qtbot.waitUntil(lambda: s.run_model.state == "done", timeout=TIMEOUT)
        assert s.run_model.count == 16 and s.run_model.status == "finished"
    finally:
        s.stop_all()
        qtbot.waitUntil(lambda: not s.busy, timeout=TIMEOUT)


def test_reset_restarts_from_the_same_weights(qtbot, make_session):
    s = make_session(circle())
    model = s.run_model
    first_weights = model.weights.copy()
    s.step_epoch()
    qtbot.waitUntil(lambda: model.count == 6 and not s.busy, timeout=TIMEOUT)
    losses = model.batch_losses.copy()
    with qtbot.waitSignal(model.cleared, timeout=TIMEOUT):
        s.reset()
    qtbot.waitUntil(lambda: model.count == 1, timeout=TIMEOUT)
    assert model.batch_losses[0] == losses[0]
    np.testing.assert_array_equal(model.weights, first_weights)
    s.step_epoch()
    qtbot.waitUntil(lambda: model.count == 6 and not s.busy, timeout=TIMEOUT)
    np.testing.assert_array_equal(model.batch_losses, losses)  # the same run again, step for step


def test_redraw_draws_new_weights_and_reset_keeps_them(qtbot, make_session):
    s = make_session()
    model = s.run_model
    before = model.weights.copy()
    seed = s.settings.settings.init["seed"]
    s.redraw_weights()
    assert s.settings.settings.init["seed"] != seed
    qtbot.waitUntil(lambda: model.count == 1 and model.weights is not None, timeout=TIMEOUT)
    redrawn = model.weights.copy()
    assert not np.array_equal(redrawn, before)
    s.reset()
    qtbot.waitUntil(lambda: model.count == 1 and model.weights is not None, timeout=TIMEOUT)
    np.testing.assert_array_equal(model.weights, redrawn)
    s.settings.undo_stack.undo()  # Re-draw is undoable: back to the first weights
    qtbot.waitUntil(lambda: model.count == 1 and model.weights is not None, timeout=TIMEOUT)
    np.testing.assert_array_equal(model.weights, before)


def test_huge_learning_rate_diverges_with_a_message_and_intact_data(qtbot, make_session):
    s = make_session(TrainingSettings(dataset={"name": "line"}, hidden=(), activation=(), output="identity",
                                      loss="mse", hyper={"lr": 10.0}, epochs=200, batch_size=10))
    notices = []
    s.notice.connect(notices.append)
    model = s.run_model
    with qtbot.waitSignal(model.finished, timeout=TIMEOUT) as blocker:
        s.play()
    status, message = blocker.args
    assert status == "diverged" and model.status == "diverged" and model.state == "done"
    assert "learning rate 10" in message and notices[-1] == message
    assert model.count >= 2 and np.isfinite(model.batch_losses[0])
    assert model.steps.tolist() == list(range(model.count))
    s.play()  # after the end Play starts over (and diverges again)
    qtbot.waitUntil(lambda: model.state == "done" and model.count > 1, timeout=TIMEOUT)
    assert model.status == "diverged"


def test_a_step_function_network_explains_itself_instead_of_crashing(qtbot, make_session):
    s = make_session(xor(activation=("step",)))
    notices = []
    s.notice.connect(notices.append)
    model = s.run_model
    qtbot.waitUntil(lambda: model.info is not None and not s.busy, timeout=TIMEOUT)
    assert model.count == 0 and model.weights is not None and model.decision is not None
    s.play()
    s.step_batch()
    assert model.state == "idle"
    assert len(notices) == 2 and notices[0] == notices[1]
    assert notices[0].startswith("The step function cannot be trained")
    # the perceptron lesson: weights are set by hand, and the decision map follows
    s.set_weight(0, 2.5)
    qtbot.waitUntil(lambda: model.weights[0] == 2.5, timeout=TIMEOUT)


def test_set_weight_edits_the_network_between_steps(qtbot, make_session):
    s = make_session(circle(epochs=100_000))
    model = s.run_model
    notices = []
    s.notice.connect(notices.append)
    s.play()
    qtbot.waitUntil(lambda: model.count > 10, timeout=TIMEOUT)
    s.set_weight(3, 1.25)
    assert model.state == "paused"  # editing pauses the run
    qtbot.waitUntil(lambda: model.weights is not None and model.weights[3] == 1.25, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: not s.busy, timeout=TIMEOUT)
    assert notices[-1].startswith("W1[0,3] set to 1.25.")
    n = model.count
    s.step_batch()  # training continues from the edited weights
    qtbot.waitUntil(lambda: model.count == n + 1 and not s.busy, timeout=TIMEOUT)
    s.set_weight(10_000, 1.0)
    s.set_weight(0, math.nan)
    assert notices[-2:] == ["There is no weight number 10000.", "A weight must be a finite number."]


def test_changing_a_setting_starts_a_new_run(qtbot, make_session):
    s = make_session()
    model = s.run_model
    s.step_batch()
    qtbot.waitUntil(lambda: model.count == 2 and not s.busy, timeout=TIMEOUT)
    assert s.settings.update(hidden=(3, 3))
    qtbot.waitUntil(lambda: model.count == 1 and model.info.layer_sizes == (2, 3, 3, 1), timeout=TIMEOUT)
    assert model.state == "idle"


def test_missing_and_broken_data_folders_are_reported(qtbot, make_session, tmp_path):
    s = make_session()
    notices, errors = [], []
    s.notice.connect(notices.append)
    s.settings.error.connect(errors.append)
    assert s.settings.update(dataset={"name": "mnist"})
    assert notices[-1] == "Choose the folder that holds the MNIST files." and s.run_model.info is None
    assert s.settings.update(dataset={"path": str(tmp_path)})
    qtbot.waitUntil(lambda: notices[-1].startswith("Cannot start the run"), timeout=TIMEOUT)
    assert "dataset.path" in notices[-1] and "dataset.path" in errors[-1]
    s.play()  # nothing to play: tries again, says so again
    qtbot.waitUntil(lambda: not s.busy, timeout=TIMEOUT)
    assert s.run_model.state == "idle"


def test_appended_signals_are_throttled_to_the_frame_rate(qtbot, make_session):
    s = make_session(circle(epochs=3000))
    model = s.run_model
    signals = []
    model.appended.connect(lambda first, count: signals.append(count))
    t0 = time.monotonic()
    s.play()
    qtbot.waitUntil(lambda: model.state == "done", timeout=60_000)
    elapsed = time.monotonic() - t0
    assert model.count == 15_001 and sum(signals) == 15_000
    assert len(signals) <= 60 * elapsed + 3, (len(signals), elapsed)
    assert len(signals) < 2_000  # far fewer signals than snapshots


def test_stop_all_mid_run_ends_every_thread(qtbot, make_session):
    s = make_session(xor(epochs=100_000))
    s.play()
    qtbot.waitUntil(lambda: s.run_model.count > 10, timeout=TIMEOUT)
    assert s.busy
    assert s.stop_all() is True
    assert s.run_model.state == "paused"
    qtbot.waitUntil(lambda: not s.busy, timeout=TIMEOUT)


def test_landscape_interval_adapts_to_the_network_size():
    small = landscape_every((2, 4, 1), n_train=4, batch_size=4, epochs=500)
    mnist = landscape_every((784, 100, 10), n_train=60_000, batch_size=100, epochs=10)
    assert 1 <= small <= 25  # ~25 slices over a tiny run
    assert mnist >= 3  # a handful over a big one
    assert landscape_every((2, 4, 1), 4, 4, 1) == 1
    assert trajectory_every(500) == 1 and trajectory_every(600_000) == 2000
    assert pca_landscape_mode(17, 500, 500) == "auto" and pca_landscape_mode(2, 10**6, 10**6) == "auto"
    assert pca_landscape_mode(17, 20_000, 20_000) == "auto"  # a long run of a small net keeps its PCA plane
    assert pca_landscape_mode(7510, 5000 * 43, 5000) == "random"  # big path × big net: random directions
