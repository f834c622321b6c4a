"""Why a run ended: the engine's note, its English wording (CLI) and the window's wording (tr) agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdstudio.app import i18n
from gdstudio.engine.descent import NOTE_CODES, DescentConfig, RunNote, divergence_note, iter_descent
from gdstudio.engine.functions import function_from_expression, get_function
from gdstudio.views.run_notes import run_note_text


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
