"""The network lab window driven like a student: toolbar buttons, docks, status bar, closing mid-run, settings."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from gdstudio.app import i18n
from gdstudio.app.network_lab_window import LAB_PANELS, SETTINGS_GROUP, NetworkLabWindow, lab_panel_classes
from gdstudio.app.preferences import Preferences
from gdstudio.models.training_settings_model import TrainingSettings

TIMEOUT = 20_000


@pytest.fixture
def prefs(tmp_path) -> Preferences:
    return Preferences.from_file(tmp_path / "settings.ini")


def make_window(qtbot, prefs, settings: TrainingSettings | None = None) -> NetworkLabWindow:
    window = NetworkLabWindow(prefs, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.session.run_model.count == 1, timeout=TIMEOUT)
    return window


@pytest.fixture
def window(qtbot, prefs):
    win = make_window(qtbot, prefs)
    yield win
    win.session.stop_all()
    qtbot.waitUntil(lambda: not win.session.busy, timeout=TIMEOUT)
    i18n.install_language("en")


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_play_button_trains_xor_and_the_loss_panel_has_the_data(qtbot, window):
    run = window.session.run_model
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT) as blocker:
        click(qtbot, window.play_button)
    assert blocker.args == ["finished", ""] and run.count == 501
    assert run.train_accuracy[-1] == 1.0
    panel = window.loss_panel
    panel.flush()
    x, y = panel.batch_item.getData()
    np.testing.assert_array_equal(x, run.steps)
    np.testing.assert_array_equal(y, run.batch_losses)
    assert len(panel.train_item.getData()[0]) == run.epoch_count == 501
    bar = window.status_bar
    assert bar.step_label.text() == "step 500 / 500" and bar.epoch_label.text() == "epoch 500 / 500"
    assert "100.0%" in bar.accuracy_label.text() and bar.state_label.text() == "Finished"
    assert window.play_action.text() == "Play"


def test_step_buttons_and_reset(qtbot, prefs):
    settings = TrainingSettings(dataset={"name": "circle", "n": 100, "test_fraction": 0.5}, epochs=5,
                                batch_size=10)
    window = make_window(qtbot, prefs, settings)
    run = window.session.run_model
    click(qtbot, window.transport.widgetForAction(window.step_action))
    qtbot.waitUntil(lambda: run.count == 2 and not window.session.busy, timeout=TIMEOUT)
    click(qtbot, window.transport.widgetForAction(window.step_epoch_action))
    qtbot.waitUntil(lambda: run.count == 6 and not window.session.busy, timeout=TIMEOUT)
    assert run.state == "paused" and window.status_bar.state_label.text() == "Paused"
    click(qtbot, window.transport.widgetForAction(window.reset_action))
    qtbot.waitUntil(lambda: run.count == 1 and not window.session.busy, timeout=TIMEOUT)
    seed = window.session.settings.settings.init["seed"]
    click(qtbot, window.transport.widgetForAction(window.redraw_action))
    assert window.session.settings.settings.init["seed"] != seed
    qtbot.waitUntil(lambda: run.count == 1 and not window.session.busy, timeout=TIMEOUT)
    window.close()


def test_closing_mid_run_stops_the_worker(qtbot, prefs):
    window = make_window(qtbot, prefs, TrainingSettings(epochs=100_000))
    session = window.session
    click(qtbot, window.play_button)
    qtbot.waitUntil(lambda: session.run_model.count > 20, timeout=TIMEOUT)
    assert session.live_handles() and window.play_action.text() == "Pause"
    window.close()
    assert not session.live_handles()  # closeEvent waited for the thread (the conftest checks all QThreads)
    assert session.run_model.state == "paused"


def test_every_available_panel_is_docked_and_diagram_edits_reach_the_network(qtbot, window):
    classes = lab_panel_classes()
    assert set(window.panels) == set(classes) and "loss_panel" in classes
    for name in window.panels:
        dock = window.panel_docks[name]
        assert dock.widget() is window.panels[name] and dock.objectName() == f"{name}_dock"
    assert set(classes) == {"loss_panel", *(name for name, _ in LAB_PANELS)}
    diagram = window.panels["network_diagram"]
    run = window.session.run_model
    diagram.weightEditRequested.emit(1, -0.75)
    qtbot.waitUntil(lambda: run.weights is not None and run.weights[1] == -0.75, timeout=TIMEOUT)
    assert window.status_bar.notice().startswith("W1[0,1] set to -0.75.")


def test_a_diverging_run_says_why_in_the_status_bar(qtbot, prefs):
    settings = TrainingSettings(dataset={"name": "line"}, hidden=(), activation=(), output="identity", loss="mse",
                                hyper={"lr": 10.0}, epochs=50, batch_size=10)
    window = make_window(qtbot, prefs, settings)
    run = window.session.run_model
    with qtbot.waitSignal(run.finished, timeout=TIMEOUT):
        click(qtbot, window.play_button)
    bar = window.status_bar
    assert run.status == "diverged" and bar.state_label.text() == "Diverged"
    assert "learning rate 10" in bar.notice()
    window.loss_panel.flush()
    assert len(window.loss_panel.batch_item.getData()[0]) == run.count
    window.close()


def test_geometry_and_docks_are_saved_in_their_own_group(qtbot, prefs):
    window = make_window(qtbot, prefs)
    window.loss_panel.set_log_y(True)
    window.loss_panel.set_smoothing(0.3)
    window.panel_docks["loss_panel"].hide()
    window.close()
    keys = prefs.settings.allKeys()
    assert f"{SETTINGS_GROUP}/geometry" in keys and f"{SETTINGS_GROUP}/state" in keys
    assert not any(k.startswith("window/") for k in keys)  # the main window's group is untouched
    again = make_window(qtbot, prefs)
    assert again.loss_panel.log_check.isChecked() and again.loss_panel.smoothing() == 0.3
    assert again.panel_docks["loss_panel"].isHidden()
    again.close()


def test_language_switch_retitles_the_window(qtbot, window):
    i18n.install_language("zh_CN")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    i18n.install_language("en")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    assert window.panel_docks["loss_panel"].windowTitle() == "Loss and accuracy"
    assert window.step_epoch_action.text() == "Step epoch"


def test_undo_shortcut_undoes_a_settings_change(qtbot, window):
    settings = window.session.settings
    settings.update(epochs=42)
    window.undo_action.trigger()
    assert settings.settings.epochs == 500


def test_presets_open_and_save_round_trip_through_experiment_files(qtbot, window, tmp_path):
    import json

    window._fill_presets()
    titles = [a.text() for a in window.presets_menu.actions()]
    assert any("XOR" in t for t in titles) and len(titles) >= 10
    assert window.load_preset("train_spiral_relu.json") is None
    settings = window.session.settings.settings
    assert settings.dataset["name"] == "spiral" and settings.output == "sigmoid"
    path = tmp_path / "spiral.json"
    assert window.save_experiment(path) is None
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["kind"] == "training" and saved["dataset"]["name"] == "spiral"
    assert window.load_preset("train_xor_tanh.json") is None
    assert window.session.settings.settings.dataset["name"] == "xor"
    assert window.open_experiment(path) is None
    assert window.session.settings.settings.dataset["name"] == "spiral"
    bad = tmp_path / "bad.json"
    bad.write_text('{"gdstudio": 1, "kind": "training", "epochs": 0}', encoding="utf-8")
    message = window.open_experiment(bad)
    assert message is not None and "bad.json" in message
    assert window.session.settings.settings.dataset["name"] == "spiral"  # nothing lost


def test_a_downloaded_mnist_folder_becomes_the_data_set(qtbot, window, tmp_path):
    window.download_mnist_dialog()
    dialog = window.mnist_dialog
    assert dialog is not None and dialog.isVisible()
    window.download_mnist_dialog()
    assert window.mnist_dialog is dialog  # one dialog per window
    dialog.downloaded.emit(str(tmp_path))
    dataset = window.session.settings.settings.dataset
    assert dataset["name"] == "mnist" and dataset["path"] == str(tmp_path)
    assert str(tmp_path) in window.status_bar.notice()
    dialog.close()
