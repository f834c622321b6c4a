"""Session: play/pause/step/reset on worker threads, auto-reset on edits, compare mode, basin map, stop_all."""

from __future__ import annotations

import numpy as np
import pytest

from gdstudio.controllers.session import BOOK_COMPARISON, Session, compare_label
from gdstudio.experiment import DescentExperiment

TIMEOUT = 10_000


def bowl(**kw) -> DescentExperiment:
    args = dict(function_name="bowl", start=(-3.0, 4.0), optimizer="sgd", hyper={"lr": 0.1}, steps=50)
    args.update(kw)
    return DescentExperiment(**args)


@pytest.fixture
def session(qtbot):
    s = Session(bowl())
    s.set_steps_per_frame(0)
    yield s
    s.stop_all()
    qtbot.waitUntil(lambda: not s.busy, timeout=TIMEOUT)


def ready(qtbot, s: Session) -> None:
    s.initialize()
    qtbot.waitUntil(lambda: s.run_model.count == 1 and s.surface_model.surface is not None, timeout=TIMEOUT)


def test_reset_shows_the_start_point_computed_on_a_worker(qtbot, session):
    ready(qtbot, session)
    model = session.run_model
    assert model.state == "idle"
    assert model.steps.tolist() == [0] and model.params[0].tolist() == [-3.0, 4.0]
    assert session.surface_model.function.name == "bowl"


def test_play_runs_to_the_end(qtbot, session):
    ready(qtbot, session)
    with qtbot.waitSignal(session.run_model.finished, timeout=TIMEOUT) as blocker:
        session.play()
    model = session.run_model
    assert blocker.args == ["finished", ""]
    assert model.count == 51 and model.steps.tolist() == list(range(51))
    assert model.state == "done" and model.cursor == 50
    assert model.values[-1] < 1e-8


def test_pause_then_play_continues_the_same_run(qtbot, session):
    session.experiment_model.update(steps=2000)
    ready(qtbot, session)
    session.set_steps_per_frame(2)  # 120 steps/s: slow enough to pause mid-run
    session.play()
    qtbot.waitUntil(lambda: session.run_model.count > 10, timeout=TIMEOUT)
    session.pause()
    assert session.run_model.state == "paused"
    qtbot.waitUntil(lambda: not session.live_handles(), timeout=TIMEOUT)
    paused_at = session.run_model.count
    qtbot.wait(100)
    assert session.run_model.count == paused_at  # really paused
    session.set_steps_per_frame(0)
    with qtbot.waitSignal(session.run_model.finished, timeout=TIMEOUT):
        session.play()
    assert session.run_model.steps.tolist() == list(range(2001))  # contiguous: no step lost or repeated


def test_quick_pause_play_toggling_keeps_steps_contiguous(qtbot, session):
    session.experiment_model.update(steps=3000)
    ready(qtbot, session)
    session.set_steps_per_frame(20)
    for _ in range(8):
        session.toggle_play()
        qtbot.wait(15)
    session.set_steps_per_frame(0)
    if session.run_model.state != "running":
        session.play()
    qtbot.waitUntil(lambda: session.run_model.state == "done", timeout=TIMEOUT)
    assert session.run_model.steps.tolist() == list(range(3001))


def test_step_advances_one_update_at_a_time(qtbot, session):
    ready(qtbot, session)
    for expected in (2, 3, 4):
        session.step()
        qtbot.waitUntil(lambda: session.run_model.count == expected, timeout=TIMEOUT)
    assert session.run_model.steps.tolist() == [0, 1, 2, 3]
    assert session.run_model.state == "paused"
    session.play()
    qtbot.waitUntil(lambda: session.run_model.state == "done", timeout=TIMEOUT)
    assert session.run_model.steps.tolist() == list(range(51))


def test_rapid_steps_are_not_lost(qtbot, session):
    ready(qtbot, session)
    for _ in range(10):
        session.step()  # no waiting in between: each waits for the previous one
    qtbot.waitUntil(lambda: session.run_model.count == 11, timeout=TIMEOUT)
    assert session.run_model.steps.tolist() == list(range(11))


def test_step_while_running_pauses(qtbot, session):
    session.experiment_model.update(steps=100_000)
    ready(qtbot, session)
    session.set_steps_per_frame(1)
    session.play()
    session.step()
    assert session.run_model.state == "paused"


def test_reset_mid_run_drops_the_old_runs_batches(qtbot, session):
    session.experiment_model.update(steps=100_000)
    ready(qtbot, session)
    session.play()
    qtbot.waitUntil(lambda: session.run_model.count > 1000, timeout=TIMEOUT)
    with qtbot.waitSignal(session.run_model.cleared, timeout=TIMEOUT):
        session.reset()
    qtbot.wait(100)  # any late batch of the old run would arrive now
    assert session.run_model.state == "idle"
    assert session.run_model.steps.tolist() == [0]


def test_play_after_the_end_starts_over(qtbot, session):
    ready(qtbot, session)
    with qtbot.waitSignal(session.run_model.finished, timeout=TIMEOUT):
        session.play()
    with qtbot.waitSignal(session.run_model.finished, timeout=TIMEOUT):
        session.play()
    assert session.run_model.steps.tolist() == list(range(51))


def test_editing_the_experiment_resets_and_resamples(qtbot, session):
    ready(qtbot, session)
    session.play()
    qtbot.waitUntil(lambda: session.run_model.state == "done", timeout=TIMEOUT)
    assert session.experiment_model.update(function_name="quadratic1d")
    qtbot.waitUntil(lambda: session.run_model.count == 1 and session.surface_model.function is not None
                    and session.surface_model.function.name == "quadratic1d", timeout=TIMEOUT)
    assert session.run_model.dim == 1 and session.run_model.state == "idle"
    assert session.run_model.params[0].tolist() == [-10.0]


def test_diverging_run_ends_with_status_and_message(qtbot, session):
    session.experiment_model.update(hyper={"lr": 1.5})
    ready(qtbot, session)
    with qtbot.waitSignal(session.run_model.finished, timeout=TIMEOUT) as blocker:
        session.play()
    status, message = blocker.args
    assert status == "diverged" and "learning rate 1.5" in message
    assert session.run_model.state == "done" and session.run_model.count < 51


def test_speed_setting_paces_the_run(qtbot, session):
    session.experiment_model.update(steps=10_000)
    ready(qtbot, session)
    session.set_steps_per_frame(1)  # 60 steps per second
    assert session.items_per_second == 60.0
    session.play()
    qtbot.wait(300)
    session.pause()
    qtbot.waitUntil(lambda: not session.live_handles(), timeout=TIMEOUT)
    assert 2 <= session.run_model.count <= 60 * 1.0 + 5  # bounded rate, generous slack


def test_book_comparison_preset(qtbot, session):
    ready(qtbot, session)
    with qtbot.waitSignal(session.compareStateChanged, timeout=TIMEOUT, check_params_cb=lambda on: not on):
        assert session.run_book_comparison()
    model = session.compare_model
    exp = session.experiment
    assert exp.function_name == "book_ellipse" and exp.start == (-7.0, 2.0) and exp.steps == 30
    assert model.labels == ["SGD η=0.95", "Momentum η=0.1", "Adagrad η=1.5", "Adam η=0.3"]
    assert len(set(model.colors)) == 4
    assert model.paths.shape == (31, 4, 2) and model.steps.tolist() == list(range(31))
    assert np.allclose(model.paths[0], [[-7.0, 2.0]] * 4)
    assert model.status == ["finished"] * 4
    assert all(abs(v) < 1.0 for v in model.values[-1])  # every optimizer got close to the minimum (0, 0)


def test_learning_rate_comparison_and_clear(qtbot, session):
    session.experiment_model.update(hyper={"lr": 0.15})
    ready(qtbot, session)
    with qtbot.waitSignal(session.compareStateChanged, timeout=TIMEOUT, check_params_cb=lambda on: not on):
        assert session.run_compare("learning_rates")
    model = session.compare_model
    assert model.labels == [compare_label("sgd", {"lr": lr}) for lr in (0.015, 0.045, 0.15, 0.45, 1.5)]
    assert model.status == ["finished"] * 4 + ["diverged"]  # on x² + y², lr > 1 overshoots more every step


def test_explicit_learning_rates(qtbot, session):
    ready(qtbot, session)
    with qtbot.waitSignal(session.compareStateChanged, timeout=TIMEOUT, check_params_cb=lambda on: not on):
        assert session.run_compare("learning_rates", [0.2, 0.5])
    assert session.compare_model.labels == ["SGD η=0.2", "SGD η=0.5"]
    session.clear_compare()
    assert not session.compare_model.active


def test_compare_with_an_unknown_kind_is_an_error(session):
    with pytest.raises(ValueError):
        session.run_compare("colours")


def test_basin_map(qtbot, session):
    session.experiment_model.update(function_name="himmelblau", hyper={"lr": 0.01}, steps=80)
    with qtbot.waitSignal(session.basin_model.updated, timeout=TIMEOUT):
        assert session.run_basin_map((16, 12))
    result = session.basin_model.result
    assert result.labels.shape == (12, 16) and len(result.minima) == 4
    assert session.basin_model.fraction == 1.0


def test_basin_map_needs_two_variables(qtbot, session):
    session.experiment_model.update(function_name="quadratic1d")
    with qtbot.waitSignal(session.notice, timeout=TIMEOUT):
        assert session.run_basin_map(10) is False


def test_stop_all_ends_every_thread(qtbot, session):
    session.experiment_model.update(steps=1_000_000)
    ready(qtbot, session)
    session.set_steps_per_frame(1)
    session.play()
    session.run_compare("optimizers")
    session.run_basin_map((60, 60))
    qtbot.wait(50)
    assert session.busy
    assert session.stop_all() is True
    assert not session.live_handles()
    assert session.run_model.state == "paused"


def test_default_book_preset_values():
    items = dict(BOOK_COMPARISON["items"])
    assert items["sgd"]["lr"] == 0.95 and items["momentum"]["lr"] == 0.1
    assert items["adagrad"]["lr"] == 1.5 and items["adam"]["lr"] == 0.3


def test_surface_is_resampled_over_the_window_the_map_shows(qtbot, session):
    ready(qtbot, session)
    function = session.surface_model.function
    with qtbot.waitSignal(session.surface_model.changed, timeout=TIMEOUT):
        session.sample_surface_over(((-8.0, 8.0), (-2.0, 2.0)))
    surface, field = session.surface_model.surface, session.surface_model.field
    assert session.surface_model.function is function
    assert (surface.xs[0], surface.xs[-1], surface.ys[0], surface.ys[-1]) == (-8.0, 8.0, -2.0, 2.0)
    np.testing.assert_allclose(surface.Z, surface.xs[None, :] ** 2 + surface.ys[:, None] ** 2, rtol=1e-12)
    assert field.X.shape[1] == 4 * field.X.shape[0]  # square cells over a 4:1 window
    # a request for the old function while a new one is being sampled is ignored (it would cancel the new one)
    session.experiment_model.update(function_name="rosenbrock", start=(-1.5, 2.0))
    session.sample_surface_over(((-8.0, 8.0), (-2.0, 2.0)))
    qtbot.waitUntil(lambda: session.surface_model.function is not function and not session.busy, timeout=TIMEOUT)
    surface = session.surface_model.surface
    # rosenbrock's own window (widened to the map's 4:1 shape), not the stale request's (-2, 2) in y
    assert (surface.xs[0], surface.xs[-1], surface.ys[0], surface.ys[-1]) == pytest.approx((-8.0, 8.0, -1.0, 3.0))


def test_a_new_function_is_sampled_at_once_in_the_shape_the_map_last_had(qtbot, session):
    ready(qtbot, session)
    with qtbot.waitSignal(session.surface_model.changed, timeout=TIMEOUT):
        session.sample_surface_over(((-8.0, 8.0), (-2.0, 2.0)))  # the map is 4 × as wide as tall
    session.experiment_model.update(function_name="rosenbrock", start=(-1.5, 2.0))
    qtbot.waitUntil(lambda: session.surface_model.function.name == "rosenbrock" and not session.busy,
                    timeout=TIMEOUT)
    surface = session.surface_model.surface
    # rosenbrock's window (-2, 2) × (-1, 3), widened about its centre to 4:1 — what a 1:1 map of that shape shows
    assert (surface.xs[0], surface.xs[-1], surface.ys[0], surface.ys[-1]) == pytest.approx((-8.0, 8.0, -1.0, 3.0))
