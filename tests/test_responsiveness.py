"""The window stays responsive while a run goes flat out: the event loop keeps turning and Pause takes effect."""

from __future__ import annotations

import sys
import time

import pytest
from PySide6.QtCore import QTimer

from gdstudio.app.application import GUI_SWITCH_INTERVAL, create_application
from gdstudio.app.main_window import MainWindow
from gdstudio.app.preferences import Preferences
from gdstudio.experiment import DescentExperiment

TIMEOUT = 10_000


@pytest.fixture
def app_switch_interval():
    """create_application's GIL switch interval for this test only (other tests keep Python's default)."""
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_event_loop_keeps_turning_and_pause_lands_during_a_flat_out_run(qtbot, tmp_path, app_switch_interval):
    prefs = Preferences.from_file(tmp_path / "settings.ini")
    create_application(lang="en", preferences=prefs)  # the app's settings, on pytest-qt's QApplication
    assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL)
    exp = DescentExperiment(function_name="rosenbrock", start=(-1.5, 2.0), hyper={"lr": 1e-4}, steps=1_000_000)
    window = MainWindow(preferences=prefs, experiment=exp)
    qtbot.addWidget(window)
    window.show()
    session = window.session
    session.set_steps_per_frame(0)  # as fast as possible
    qtbot.waitUntil(lambda: session.run_model.count == 1 and not session.busy, timeout=TIMEOUT)
    qtbot.wait(400)  # the map asks for samples over the panel's shape once it is shown: let those land and draw
    qtbot.waitUntil(lambda: not session.busy, timeout=TIMEOUT)
    window.contour_panel.flush()
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start()
    session.play()
    qtbot.wait(1500)
    heartbeat.stop()
    gaps = [b - a for a, b in zip(beats, beats[1:])]
    # Python's default 5 ms switch interval let the engine thread starve the event loop for the whole run
    where = gaps.index(max(gaps)) if gaps else -1
    assert len(beats) > 20 and max(gaps) < 0.5, (f"{len(beats)} heartbeats, longest gap {max(gaps, default=0):.2f} s "
                                                 f"after heartbeat {where}")
    assert session.run_model.count > 1000  # the run did go on meanwhile
    session.pause()
    qtbot.waitUntil(lambda: not session.busy, timeout=2000)
    count = session.run_model.count
    qtbot.wait(100)
    assert session.run_model.state == "paused" and session.run_model.count == count
