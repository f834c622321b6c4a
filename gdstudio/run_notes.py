"""Words a :class:`~gdstudio.engine.descent.RunNote` (why a descent run ended) and a
:class:`~gdstudio.engine.nn.training.TrainingNote` (why a training run diverged) in the user's language.

The engine stays free of Qt and words its notes in English (``english()``, the CLI's text); the windows word
the same notes here with tr(), so a switch to 简体中文 re-words an explanation already on screen. A test checks that,
untranslated, both wordings agree for every code.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from gdstudio.engine.descent import RunNote, format_point
from gdstudio.engine.nn.training import TrainingNote

__all__ = ["run_note_text", "training_note_text"]

translate = QCoreApplication.translate  # called with literal strings so lupdate finds them

def _fill(template: str, *args: object) -> str:
    """Qt-style %1, %2 … placeholders (the translator may reorder them)."""
    for i in range(len(args), 0, -1):  # %10 before %1
        template = template.replace(f"%{i}", str(args[i - 1]))
    return template


def run_note_text(note: RunNote) -> str:
    """One or two sentences in the current language: why the run ended and what to try."""
    code = note.code
    step = note.step
    if code == "converged":
        return _fill(translate("RunNotes", "Converged at step %1: the gradient norm %2 fell below %3."),
                     step, f"{note.grad_norm:.3g}", f"{note.tol:.3g}")
    where = translate("RunNotes", "at the start point") if step == 0 else _fill(translate("RunNotes", "at step %1"), step)
    point = format_point(note.point)
    if code == "undefined":
        if note.expression:
            template = translate("RunNotes", "The typed expression has no real value %1, at x = %2: it is undefined there (for example "
                           "the logarithm or square root of a negative number). Try another start point or a smaller "
                           "learning rate.")
        else:
            template = translate("RunNotes", "The function has no real value %1, at x = %2: it is undefined there (for example the "
                           "logarithm or square root of a negative number). Try another start point or a smaller "
                           "learning rate.")
        return _fill(template, where, point)
    if code == "unbounded_below":
        if math.isinf(note.value):
            template = (translate("RunNotes", "The value became −∞ %1: the typed expression has no lowest point in the direction the "
                            "descent took, so it can run downhill forever.") if note.expression else
                        translate("RunNotes", "The value became −∞ %1: the function has no lowest point in the direction the descent "
                            "took, so it can run downhill forever."))
        else:
            template = (translate("RunNotes", "The value fell below −10¹² %1: the typed expression has no lowest point in the "
                            "direction the descent took, so it can run downhill forever.") if note.expression else
                        translate("RunNotes", "The value fell below −10¹² %1: the function has no lowest point in the direction the "
                            "descent took, so it can run downhill forever."))
        return _fill(template, where)
    if code == "not_differentiable":
        template = (translate("RunNotes", "The gradient is not a finite number %1, at x = %2: the typed expression is not "
                        "differentiable there (for example √x or log x at 0, or a division by zero). Try another "
                        "start point.") if note.expression else
                    translate("RunNotes", "The gradient is not a finite number %1, at x = %2: the function is not differentiable "
                        "there (for example √x or log x at 0, or a division by zero). Try another start point."))
        return _fill(template, where, point)
    first = {
        "position_infinite": translate("RunNotes", "The position became infinite %1"),
        "position_beyond": translate("RunNotes", "The position moved beyond ±10¹² %1"),
        "value_infinite": translate("RunNotes", "The value became infinite %1"),
        "value_beyond": translate("RunNotes", "The value exceeded 10¹² %1"),
    }[code]
    first = _fill(first, where)
    if note.lr_known:
        return _fill(translate("RunNotes", "%1: the learning rate %2 is too large for this function — try a smaller one (for example "
                         "%3)."), first, f"{note.lr:g}", f"{note.lr / 10:.3g}")
    return _fill(translate("RunNotes", "%1: the steps are too large for this function — try a smaller learning rate."), first)


def training_note_text(note: TrainingNote) -> str:
    """One or two sentences in the current language: where the training loss blew up and what to try."""
    kind = note.loss_kind
    if note.code == "initial":
        what = {
            "nan": translate("RunNotes", "The loss is NaN at the initial weights, before any step"),
            "inf": translate("RunNotes", "The loss is infinite at the initial weights, before any step"),
            "large": translate("RunNotes", "The loss exceeds 10¹² at the initial weights, before any step"),
        }[kind]
        return _fill(translate("RunNotes", "%1: the initial weights or the inputs are too large — try a smaller "
                                           "initialization scale or scale the inputs down."), what)
    if note.code == "after_step":
        where = _fill(translate("RunNotes", "after step %1"), note.step)
    else:
        where = _fill(translate("RunNotes", "at step %1 (epoch %2)"), note.step, note.epoch)
    first = _fill({
        "nan": translate("RunNotes", "The loss became NaN %1"),
        "inf": translate("RunNotes", "The loss became infinite %1"),
        "large": translate("RunNotes", "The loss exceeded 10¹² %1"),
    }[kind], where)
    if note.lr_known:
        return _fill(translate("RunNotes", "%1: the learning rate %2 is too large for this network — try a smaller "
                                           "one (for example %3)."), first, f"{note.lr:g}", f"{note.lr / 10:.3g}")
    return _fill(translate("RunNotes", "%1: the steps are too large — try a smaller learning rate."), first)
