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


def _status_bar(session: Session) -> RunStatusBar:
    return RunStatusBar(session.run_model)


@pytest.mark.parametrize(("make_bar", "label", "newest", "scrubbed"), [
    pytest.param(_status_bar, "step_label", "step 100", "step 40", id="status_bar"),
    pytest.param(TransportBar, "position_label", "100 / 100", "40 / 100", id="transport_timeline"),
])
def test_bar_shows_a_burst_of_appends_once(qtbot, keep_alive, session, make_bar, label, newest, scrubbed):
    run = session.run_model
    bar = make_bar(session)
    qtbot.addWidget(bar)
    keep_alive.append(bar)
    bar.show()
    snaps = run_descent(RUN.to_config())
    run.append(snaps[:1])
    bar.flush()
    texts = _count_texts(getattr(bar, label))
    timeline = getattr(bar, "timeline", None)  # the transport bar's slider follows the run as its label does
    run.set_state("running")
    for snap in snaps[1:]:  # 100 appends, each moving the cursor
        run.append([snap])
    assert texts == []  # nothing synchronously …
    assert timeline is None or timeline.maximum() == 0
    qtbot.waitUntil(lambda: texts[-1:] == [newest], timeout=2000)
    assert texts == [newest]  # … and one refresh for all of them
    assert timeline is None or (timeline.maximum() == 100 and timeline.value() == 100)
    run.set_cursor(40)
    run.finish("finished")
    assert texts[-1] == scrubbed  # the end of a run is shown at once
    assert timeline is None or timeline.maximum() == 100
