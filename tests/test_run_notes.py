"""Why a run ended: the engine's note, its English wording (CLI) and the window's wording (tr) agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdstudio.app import i18n
from gdstudio.engine.descent import NOTE_CODES, DescentConfig, RunNote, divergence_note, iter_descent
from gdstudio.engine.functions import function_from_expression, get_function
from gdstudio.run_notes import run_note_text


def _notes() -> list[RunNote]:
    notes = [RunNote("converged", 42, (0.1, -0.2), 0.05, 9.5e-7, tol=1e-6)]
    for expression in (False, True):
        notes += [
            RunNote("undefined", 0, (-1.0, 2.5), math.nan, math.nan, expression=expression),
            RunNote("undefined", 7, (-1.0,), math.nan, math.nan, expression=expression),
            RunNote("unbounded_below", 12, (3.0,), -math.inf, expression=expression),
            RunNote("unbounded_below", 12, (3.0,), -2e12, expression=expression),
            RunNote("not_differentiable", 3, (0.0, 0.0), 1.0, math.inf, expression=expression),
        ]
    for code in ("position_infinite", "position_beyond", "value_infinite", "value_beyond"):
        notes += [RunNote(code, 5, (1e13, 0.0), 1e26, 1e13, lr=1.5), RunNote(code, 0, (1e13,), 1e26, lr=math.nan)]
    return notes


def test_every_code_is_exercised():
    assert {n.code for n in _notes()} == set(NOTE_CODES)


@pytest.mark.parametrize("note", _notes(), ids=lambda n: f"{n.code}-{n.step}-{n.expression}")
def test_the_window_words_a_note_as_the_engine_does_when_untranslated(qapp, note):
    i18n.install_language("en")
    assert run_note_text(note) == note.english()


def test_a_real_divergence_carries_its_note_and_chinese_wording(qapp):
    config = DescentConfig(get_function("bowl"), (-3.0, 4.0), "sgd", {"lr": 1.5}, steps=500)
    last = list(iter_descent(config))[-1]
    assert last.status == "diverged" and last.note is not None
    assert last.note.code == "value_beyond" and last.message == last.note.english()
    assert "1.5" in last.message and "0.15" in last.message
    try:
        assert i18n.install_language("zh_CN")
        text = run_note_text(last.note)
        assert text != last.message and "1.5" in text and "0.15" in text
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    finally:
        i18n.install_language("en")


def test_a_typed_expression_undefined_at_the_start():
    fn = function_from_expression("log(x0) + x1**2")
    note = divergence_note(fn, 0, np.array([-1.0, 0.0]), math.nan, math.nan, 0.1)
    assert note.code == "undefined" and note.expression
    assert note.english().startswith("The typed expression has no real value at the start point, at x = (-1, 0)")


def test_convergence_note():
    config = DescentConfig(get_function("bowl"), (-3.0, 4.0), "sgd", {"lr": 0.1}, steps=1000, grad_norm_below=1e-3)
    last = list(iter_descent(config))[-1]
    assert last.status == "converged" and last.note.code == "converged"
    assert last.note.tol == 1e-3 and last.note.grad_norm < 1e-3


# -- training runs: the TrainingNote of a divergence ---------------------------------------------------------------


def _training_notes():
    from gdstudio.engine.nn.training import TrainingNote

    notes = []
    for loss in (math.nan, math.inf, -math.inf, 3e12):
        notes.append(TrainingNote("initial", 0, 0, loss))
        for lr in (10.0, 0.75, math.nan):
            notes += [TrainingNote("after_step", 120, 3, loss, lr), TrainingNote("at_step", 37, 2, loss, lr)]
    return notes


def test_every_training_code_is_exercised():
    from gdstudio.engine.nn.training import TRAINING_NOTE_CODES

    assert {n.code for n in _training_notes()} == set(TRAINING_NOTE_CODES)


@pytest.mark.parametrize("note", _training_notes(), ids=lambda n: f"{n.code}-{n.loss}-{n.lr}")
def test_the_lab_words_a_training_note_as_the_engine_does_when_untranslated(qapp, note):
    from gdstudio.run_notes import training_note_text

    i18n.install_language("en")
    assert training_note_text(note) == note.english()


def test_a_real_training_divergence_carries_its_note_and_chinese_wording(qapp):
    from gdstudio.engine.datasets import load_dataset
    from gdstudio.engine.nn import InitSpec, NetworkSpec, TrainingConfig, iter_training
    from gdstudio.run_notes import training_note_text

    data = load_dataset({"name": "line", "n": 40, "noise": 0.0})
    spec = NetworkSpec((1, 16, 1), "relu", "identity", init=InitSpec(seed=0))
    last = list(iter_training(TrainingConfig(spec, data, "sgd", {"lr": 10.0}, epochs=50, batch_size=10)))[-1]
    assert last.status == "diverged" and last.note is not None
    assert last.note.code in ("at_step", "after_step") and last.message == last.note.english()
    assert "learning rate 10 " in last.message and "(for example 1)" in last.message
    assert f"step {last.note.step}" in last.message
    try:
        assert i18n.install_language("zh_CN")
        text = training_note_text(last.note)
        assert text != last.message and any("\u4e00" <= ch <= "\u9fff" for ch in text)
        assert str(last.note.step) in text and "10" in text and "1" in text
        if last.note.code == "at_step":
            assert str(last.note.epoch) in text
    finally:
        i18n.install_language("en")


def test_hopeless_initial_weights_have_an_initial_note():
    from gdstudio.engine.datasets import load_dataset
    from gdstudio.engine.nn import InitSpec, NetworkSpec, TrainingConfig, run_training

    data = load_dataset({"name": "spiral", "n": 20})
    spec = NetworkSpec((2, 8, 1), "relu", "sigmoid", init=InitSpec("normal", sigma=1e200, seed=0))
    snaps = run_training(TrainingConfig(spec, data, "sgd", {"lr": 0.1}, epochs=3))
    assert snaps[-1].status == "diverged" and snaps[-1].note.code == "initial" and snaps[-1].note.step == 0
    assert snaps[-1].message == snaps[-1].note.english() and "initial weights" in snaps[-1].message


def test_the_lab_session_announces_a_divergence_in_the_interface_language(qtbot):
    from gdstudio.controllers.training_session import TrainingSession
    from gdstudio.models.training_settings_model import TrainingSettings

    settings = TrainingSettings(dataset={"name": "line"}, hidden=(), activation=(), output="identity", loss="mse",
                                hyper={"lr": 10.0}, epochs=200, batch_size=10)
    session = TrainingSession(settings)
    notices: list[str] = []
    session.notice.connect(notices.append)
    try:
        assert i18n.install_language("zh_CN")
        session.initialize()
        qtbot.waitUntil(lambda: session.run_model.count == 1 or not session.preparing, timeout=20_000)
        with qtbot.waitSignal(session.run_model.finished, timeout=20_000) as blocker:
            session.play()
        status, message = blocker.args
        assert status == "diverged" and "learning rate 10" in message  # the model keeps the engine's English
        assert notices and notices[-1] != message and any("\u4e00" <= ch <= "\u9fff" for ch in notices[-1])
        assert "10" in notices[-1]
    finally:
        i18n.install_language("en")
        session.stop_all()
        qtbot.waitUntil(lambda: not session.busy, timeout=20_000)
