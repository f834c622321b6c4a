"""RunStatusBar and TransportBar follow a run at most once per frame, not once per appended batch: a run at full
speed appends up to 60 batches a second, and each label or slider update costs the engine thread time."""

from __future__ import annotations

import pytest

from gdstudio.controllers.session import Session
from gdstudio.engine.descent import run_descent
from gdstudio.experiment import DescentExperiment
from gdstudio.views.status_bar import RunStatusBar
from gdstudio.views.transport_bar import TransportBar

RUN = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.01}, steps=100)


def _count_texts(label) -> list[str]:
    """Every text the code sets on ``label`` from now on."""
    texts: list[str] = []
    set_text = label.setText

    def recording(text: str) -> None:
        texts.append(text)
        set_text(text)

    label.setText = recording
    return texts


@pytest.fixture
def session(qtbot, keep_alive):
    session = Session(RUN)
    keep_alive.append(session)
    return session


def test_status_bar_shows_a_burst_of_appends_once(qtbot, keep_alive, session):
    run = session.run_model
    bar = RunStatusBar(run)
    qtbot.addWidget(bar)
    keep_alive.append(bar)
    bar.show()
    snaps = run_descent(RUN.to_config())
    run.append(snaps[:1])
    bar.flush()
    texts = _count_texts(bar.step_label)
    run.set_state("running")
    for snap in snaps[1:]:  # 100 appends, each moving the cursor
        run.append([snap])
    assert texts == []  # nothing synchronously …
    qtbot.waitUntil(lambda: texts[-1:] == ["step 100"], timeout=2000)
    assert texts == ["step 100"]  # … and one refresh for all of them
    run.set_cursor(40)
    run.finish("finished")
    assert texts[-1] == "step 40"  # the end of a run is shown at once


def test_transport_timeline_follows_a_burst_of_appends_once(qtbot, keep_alive, session):
    run = session.run_model
    bar = TransportBar(session)
    qtbot.addWidget(bar)
    keep_alive.append(bar)
    bar.show()
    snaps = run_descent(RUN.to_config())
    run.append(snaps[:1])
    bar.flush()
    texts = _count_texts(bar.position_label)
    run.set_state("running")
    for snap in snaps[1:]:
        run.append([snap])
    assert texts == [] and bar.timeline.maximum() == 0
    qtbot.waitUntil(lambda: texts[-1:] == ["100 / 100"], timeout=2000)
    assert texts == ["100 / 100"] and bar.timeline.maximum() == 100 and bar.timeline.value() == 100
    run.finish("finished")
    assert bar.timeline.maximum() == 100
