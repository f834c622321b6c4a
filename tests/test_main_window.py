"""The assembled window driven like a student would: buttons, menus, shortcuts, files, settings, language."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from gdstudio.app import i18n
from gdstudio.app.main_window import MainWindow
from gdstudio.app.preferences import MAX_RECENT, Preferences
from gdstudio.experiment import DescentExperiment, load_experiment

TIMEOUT = 15_000


def bowl(**kw) -> DescentExperiment:
    args = dict(function_name="bowl", start=(-3.0, 4.0), optimizer="sgd", hyper={"lr": 0.1}, steps=50)
    args.update(kw)
    return DescentExperiment(**args)


@pytest.fixture
def prefs(tmp_path) -> Preferences:
    return Preferences.from_file(tmp_path / "settings.ini")


def make_window(qtbot, prefs, experiment=None, speed=0) -> MainWindow:
    window = MainWindow(preferences=prefs, experiment=experiment or bowl())
    qtbot.addWidget(window)
    window.session.set_steps_per_frame(speed)
    window.show()
    qtbot.waitUntil(lambda: window.session.run_model.count == 1
                    and window.session.surface_model.surface is not None, timeout=TIMEOUT)
    return window


@pytest.fixture
def window(qtbot, prefs) -> MainWindow:
    yield make_window(qtbot, prefs)
    i18n.install_language("en")


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_play_button_runs_and_every_panel_gets_the_data(qtbot, window):
    run = window.session.run_model
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT):
        click(qtbot, window.transport_bar.play_button)
    assert run.count == 51 and run.steps.tolist() == list(range(51))
    window.contour_panel.flush()
    window.loss_panel.flush()
    xs, ys = window.contour_panel.trajectory_item.getData()
    assert len(xs) == 51
    np.testing.assert_allclose(xs, run.params[:, 0])
    np.testing.assert_allclose(ys, run.params[:, 1])
    lx, ly = window.loss_panel.value_item.getData()
    assert len(lx) == 51 and ly[0] == pytest.approx(25.0)
    assert window.transport_bar.timeline.maximum() == 50
    assert window.transport_bar.position_label.text() == "50 / 50"
    assert window.status_bar.step_label.text() == "step 50"
    assert window.status_bar.status_label.text() == "Finished (step budget used)"
    window.update_rule_view.flush()
    assert "Step 49 → 50" in window.update_rule_view.text()


def test_pause_and_play_buttons_continue_the_same_run(qtbot, prefs):
    window = make_window(qtbot, prefs, bowl(steps=5000), speed=5)  # 300 steps/s: slow enough to pause
    run, bar = window.session.run_model, window.transport_bar
    click(qtbot, bar.play_button)
    assert run.state == "running" and bar.play_action.text() == "Pause"
    qtbot.waitUntil(lambda: run.count > 20, timeout=TIMEOUT)
    click(qtbot, bar.play_button)
    assert run.state == "paused" and bar.play_action.text() == "Play"
    qtbot.waitUntil(lambda: not window.session.live_handles(), timeout=TIMEOUT)
    paused_at = run.count
    window.session.set_steps_per_frame(0)
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT):
        click(qtbot, bar.play_button)
    assert run.count > paused_at
    assert run.steps.tolist() == list(range(5001))


def test_step_and_reset_buttons(qtbot, window):
    run, bar = window.session.run_model, window.transport_bar
    for expected in (2, 3):
        click(qtbot, bar.step_button)
        qtbot.waitUntil(lambda: run.count == expected, timeout=TIMEOUT)
    assert run.steps.tolist() == [0, 1, 2] and run.state == "paused"
    assert window.status_bar.status_label.text() == "Paused"
    with qtbot.waitSignal(run.cleared, timeout=TIMEOUT):
        click(qtbot, bar.reset_button)
    qtbot.waitUntil(lambda: run.count == 1, timeout=TIMEOUT)
    assert run.state == "idle" and run.steps.tolist() == [0]
    window.contour_panel.flush()
    xs, _ = window.contour_panel.trajectory_item.getData()
    assert xs is None or len(xs) <= 1


def test_timeline_scrubs_the_cursor_and_resumes_following_at_the_end(qtbot, window):
    run = window.session.run_model
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT):
        window.session.play()
    timeline = window.transport_bar.timeline
    timeline.setValue(10)
    assert run.cursor == 10 and not run.following
    window.status_bar.flush()  # the labels follow on the next frame
    window.transport_bar.flush()
    assert window.status_bar.step_label.text() == "step 10"
    assert window.transport_bar.position_label.text() == "10 / 50"
    timeline.setValue(timeline.maximum())
    assert run.cursor == 50 and run.following


def test_speed_box_sets_the_pace(qtbot, window):
    combo = window.transport_bar.speed_combo
    combo.setCurrentIndex(combo.findData(20))
    assert window.session.steps_per_frame == 20 and window.session.items_per_second == 1200
    combo.setCurrentIndex(combo.findData(0))
    assert window.session.items_per_second is None
    assert combo.itemText(combo.findData(0)) == "max"


def test_closing_mid_run_stops_every_worker(qtbot, prefs):
    window = make_window(qtbot, prefs, bowl(steps=1_000_000), speed=1)
    session = window.session
    session.play()
    session.run_compare("optimizers")
    qtbot.wait(50)
    assert session.busy
    window.close()
    assert not session.live_handles()  # closeEvent waited for every thread (the conftest also checks all QThreads)
    assert session.run_model.state == "paused"


def test_diverging_run_explains_itself_in_the_status_bar(qtbot, prefs):
    window = make_window(qtbot, prefs, bowl(hyper={"lr": 1.5}))
    run = window.session.run_model
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT) as blocker:
        click(qtbot, window.transport_bar.play_button)
    assert blocker.args[0] == "diverged"
    bar = window.status_bar
    assert bar.status_label.text() == "Diverged"
    assert "learning rate 1.5 is too large" in bar.message_text()
    assert bar.message_label.isVisible()
    assert window.isVisible()
    assert not QApplication.activeModalWidget()  # nothing blocks the student
    with qtbot.waitSignal(run.cleared, timeout=TIMEOUT):
        click(qtbot, window.transport_bar.reset_button)
    assert bar.message_text() == ""


def test_corrupt_experiment_file_gives_a_readable_message(qtbot, window, tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"gdstudio": 1, "kind": "descent",,}', encoding="utf-8")
    before = window.session.experiment
    message = window.open_experiment(bad)
    assert message is not None
    assert "broken.json" in message and "line 1" in message and "Traceback" not in message
    assert window.session.experiment == before and window.isVisible()
    bad_value = tmp_path / "bad_lr.json"
    bad_value.write_text(json.dumps({**window.session.experiment.to_dict(), "optimizer": {"name": "sgd", "lr": -1}}))
    assert "optimizer.lr: must be > 0" in window.open_experiment(bad_value)
    missing = window.open_experiment(tmp_path / "nope.json")
    assert "cannot read the file" in missing
    window.open_path_interactive(str(bad))  # the dialog version: window-modal, does not block this call
    boxes = [w for w in window.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1 and "broken.json" in boxes[0].text()
    boxes[0].close()


def test_save_open_recent_and_title(qtbot, window, tmp_path, prefs):
    path = tmp_path / "mine.json"
    window.session.experiment_model.update(steps=77)
    assert window.isWindowModified()
    assert window.save_experiment(path) is None
    assert load_experiment(path).steps == 77
    assert not window.isWindowModified() and window.windowTitle().startswith("mine.json")
    window.session.experiment_model.update(steps=12)
    assert window.open_experiment(path) is None
    assert window.session.experiment.steps == 77
    assert prefs.recent_files()[0] == str(path)
    for i in range(MAX_RECENT + 2):
        other = tmp_path / f"e{i}.json"
        window.save_experiment(other)
    files = prefs.recent_files()
    assert len(files) == MAX_RECENT and files[0].endswith(f"e{MAX_RECENT + 1}.json")
    window.menu_actions.recent_menu.aboutToShow.emit()
    texts = [a.text() for a in window.menu_actions.recent_menu.actions()]
    assert any(f"e{MAX_RECENT + 1}.json" in t for t in texts)
    window.menu_actions.clear_recent_action.trigger()
    assert prefs.recent_files() == []


def test_presets_menu_loads_a_preset(qtbot, window):
    menu = window.menu_actions.presets_menu
    menu.aboutToShow.emit()
    actions = [a for a in menu.actions() if a.isEnabled()]
    assert actions
    quadratic = next(a for a in actions if "3x²" in a.text())
    quadratic.trigger()
    qtbot.waitUntil(lambda: window.session.run_model.dim == 1 and window.session.run_model.count == 1,
                    timeout=TIMEOUT)
    assert window.session.experiment.function_name == "quadratic1d"


def test_exports(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.session.run_model.finished, timeout=TIMEOUT):
        window.session.play()
    png, svg, csv = tmp_path / "f.png", tmp_path / "f.svg", tmp_path / "t.csv"
    assert window.export_figure(png) is None and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert window.export_figure(svg) is None and b"<svg" in svg.read_bytes()[:2000]
    assert window.export_trajectory(csv) is None
    lines = csv.read_text().splitlines()
    assert lines[0] == "step,x0,x1,value,grad_norm" and len(lines) == 52
    assert window.export_trajectory(tmp_path / "missing-dir" / "t.csv") is not None


def test_settings_survive_a_restart(qtbot, prefs):
    first = make_window(qtbot, prefs)
    first.session.experiment_model.update(steps=77, hyper={"lr": 0.2})
    first.menu_actions.vector_field_action.trigger()
    first.loss_dock.hide()
    first.close()
    second = MainWindow(preferences=prefs)  # no experiment given: the last one comes back
    qtbot.addWidget(second)
    second.show()
    assert second.session.experiment.steps == 77 and second.session.experiment.hyper["lr"] == 0.2
    assert second.menu_actions.vector_field_action.isChecked()
    assert second.contour_panel.vector_field_visible()
    assert not second.loss_dock.isVisible()
    assert second.session.steps_per_frame == 0


def test_space_plays_but_not_while_typing(qtbot, window):
    run = window.session.run_model
    edit = window.controls_panel.expression_edit
    assert isinstance(edit, QLineEdit)
    window.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=TIMEOUT)
    qtbot.keyClick(edit, Qt.Key.Key_Space)
    assert " " in edit.text()
    assert run.state == "idle"
    window.contour_panel.setFocus()
    qtbot.waitUntil(window.contour_panel.hasFocus, timeout=TIMEOUT)
    with qtbot.waitSignal(run.stateChanged, timeout=TIMEOUT):
        qtbot.keyClick(window.contour_panel, Qt.Key.Key_Space)
    assert run.state in ("running", "done")


def test_undo_redo_menu(qtbot, window):
    window.session.experiment_model.update(function_name="rosenbrock")
    assert window.session.experiment.function_name == "rosenbrock"
    window.menu_actions.undo_action.trigger()
    assert window.session.experiment.function_name == "bowl"
    window.menu_actions.redo_action.trigger()
    assert window.session.experiment.function_name == "rosenbrock"


def test_book_comparison_action_draws_four_paths(qtbot, window):
    with qtbot.waitSignal(window.session.compareStateChanged, timeout=TIMEOUT,
                          check_params_cb=lambda running: not running):
        window.menu_actions.compare_book_action.trigger()
    window.contour_panel.flush()
    window.loss_panel.flush()
    assert len(window.contour_panel.compare_items) == 4
    xs, _ = window.contour_panel.compare_items[0].getData()
    assert len(xs) == 31 and xs[0] == -7.0


def test_basin_panel_button_computes_the_map(qtbot, window):
    window.session.experiment_model.update(function_name="himmelblau", hyper={"lr": 0.01}, steps=60)
    with qtbot.waitSignal(window.session.basin_model.updated, timeout=TIMEOUT):
        window.basin_panel.computeRequested.emit(20)
    assert window.session.basin_model.result.labels.shape == (20, 20)
    assert window.basin_dock.isVisible()


def test_language_switch_keeps_the_run_and_the_settings(qtbot, window, prefs):
    run = window.session.run_model
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT):
        window.session.play()
    window.session.experiment_model.update(steps=60)
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT):
        window.session.play()
    undo_count = window.session.experiment_model.undo_stack.count()
    found = i18n.translations_dir() is not None and (i18n.translations_dir() / "gdstudio_zh_CN.qm").is_file()
    window.menu_actions.language_actions["zh_CN"].trigger()
    assert prefs.language() == "zh_CN" and i18n.current_language() == "zh_CN"
    assert window.menu_actions.language_actions["zh_CN"].isChecked()
    if found:
        assert window.menu_actions.file_menu.title() != "&File"
        assert window.transport_bar.play_action.text() != "Play"
    assert run.count == 61 and window.session.experiment.steps == 60
    assert window.session.experiment_model.undo_stack.count() == undo_count
    window.contour_panel.flush()
    window.loss_panel.flush()
    assert len(window.contour_panel.trajectory_item.getData()[0]) == 61  # rebuilt panels show the same run
    assert len(window.loss_panel.value_item.getData()[0]) == 61
    qtbot.wait(20)  # replaced panels are deleted, not left behind
    from gdstudio.views.controls_panel import ControlsPanel
    from gdstudio.views.contour_panel import ContourPanel

    assert len(window.findChildren(ControlsPanel)) == 1 and len(window.findChildren(ContourPanel)) == 1
    window.set_language("en")
    assert window.menu_actions.file_menu.title() == "&File"
    assert window.transport_bar.play_action.text() == "Play"


def test_self_test_passes(qtbot, capsys):
    from gdstudio.app.application import run_self_test

    assert run_self_test() == 0
    assert "self-test: OK" in capsys.readouterr().out


def test_about_text_names_the_version_and_the_sources(qapp):
    from gdstudio import __version__
    from gdstudio.app.about import about_html, about_title

    html = about_html()
    assert f"gdstudio {__version__}" in html and "Deep Learning from Scratch" in html and "PySide6" in html
    assert about_title() == "About gdstudio"


def test_zoomed_map_gets_new_samples_and_fit_brings_the_window_back(qtbot, window):
    """Zoom into the bowl's minimum: the session re-samples what the map shows; View ▸ Fit goes back."""
    panel, surface_model = window.contour_panel, window.session.surface_model
    vb = panel.plot_item.vb
    qtbot.waitUntil(lambda: not window.session.busy, timeout=TIMEOUT)
    with qtbot.waitSignal(surface_model.changed, timeout=TIMEOUT):
        vb.setRange(xRange=(-0.5, 0.5), yRange=(-0.5, 0.5), padding=0.0)
    (x0, x1), (y0, y1) = vb.viewRange()
    surface = surface_model.surface
    assert surface.xs[0] == pytest.approx(x0) and surface.xs[-1] == pytest.approx(x1)
    assert surface.ys[0] == pytest.approx(y0) and surface.ys[-1] == pytest.approx(y1)
    assert surface.xs[-1] - surface.xs[0] < 2  # finer samples where the student looks
    with qtbot.waitSignal(surface_model.changed, timeout=TIMEOUT):
        window.menu_actions.fit_map_action.trigger()
    (x0, x1), (y0, y1) = vb.viewRange()
    assert min(x1 - x0, y1 - y0) == pytest.approx(10.0, rel=1e-3)  # the bowl's 10 × 10 window, widened …
    assert x0 <= -5.0 + 1e-6 and x1 >= 5.0 - 1e-6 and y0 <= -5.0 + 1e-6 and y1 >= 5.0 - 1e-6
    assert surface_model.surface.xs[0] == pytest.approx(x0)  # … and sampled as shown
