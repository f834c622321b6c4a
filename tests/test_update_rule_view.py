"""UpdateRuleView writes the current step out with the run's own numbers (4 significant digits, unicode minus)."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from conftest import PANELS_ALIVE as _ALIVE
from gdstudio.engine.descent import run_descent
from gdstudio.experiment import DescentExperiment, default_experiment
from gdstudio.models.experiment_model import ExperimentModel
from gdstudio.models.run_model import RunModel
from gdstudio.views.update_rule_view import UpdateRuleView, format_scalar, format_vector


def _view(qtbot, exp: DescentExperiment):
    model = ExperimentModel(exp)
    run = RunModel(exp.resolve_function().dim)
    view = UpdateRuleView(run, model)
    qtbot.addWidget(view)
    _ALIVE.extend([view, model, run])
    run.append(run_descent(exp.to_config()))
    return view, run, model


def test_seed_first_step_written_out(qtbot):
    """The seed: x0² + x1² from (−3, 4), lr 0.1 (central differences): (−3, 4) − 0.1·(−6, 8) = (−2.4, 3.2)."""
    view, run, _ = _view(qtbot, default_experiment())
    run.set_cursor(1)
    view.flush()
    assert view.numbers_label.text() == "x ← x − η·∇f = (−3, 4) − 0.1·(−6, 8) = (−2.4, 3.2)"
    assert view.formula_label.text() == "x ← x − η·∇f"
    assert view.values_label.text() == "f: 25 → 16    |∇f|: 10 → 8"
    assert "0" in view.step_label.text() and "1" in view.step_label.text()
    run.set_cursor(2)
    view.flush()
    assert view.numbers_label.text() == "x ← x − η·∇f = (−2.4, 3.2) − 0.1·(−4.8, 6.4) = (−1.92, 2.56)"


def test_start_point_shows_position_and_values(qtbot):
    view, run, _ = _view(qtbot, default_experiment())
    run.set_cursor(0)
    view.flush()
    assert view.numbers_label.text() == "x = (−3, 4)"
    assert view.values_label.text() == "f = 25    |∇f| = 10"


def test_one_d_shows_scalars(qtbot):
    exp = DescentExperiment(function_name="quadratic1d", start=(-10.0,), hyper={"lr": 0.1}, steps=3)
    view, run, _ = _view(qtbot, exp)
    run.set_cursor(1)
    view.flush()
    # f'(−10) = 6·(−10) + 2 = −58; −10 − 0.1·(−58) = −4.2
    assert view.numbers_label.text() == "x ← x − η·∇f = −10 − 0.1·(−58) = −4.2"


def test_other_optimizers_show_their_formula_and_the_displacement(qtbot):
    exp = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), optimizer="adam", hyper={"lr": 0.5}, steps=3)
    view, run, _ = _view(qtbot, exp)
    run.set_cursor(1)
    view.flush()
    before, after = run.params[0], run.params[1]
    delta = after - before
    assert view.numbers_label.text() == (
        f"x ← x + Δx = (−3, 4) + {format_vector(delta)} = {format_vector(after)}"
    )
    assert format_vector(delta) == "(0.5, −0.5)"  # Adam's first step is lr·sign(g)
    assert "m ← β₁m + (1−β₁)g" in view.formula_label.text()
    assert len(view.formula_label.text().splitlines()) == 3


def test_sgd_with_momentum_is_not_written_as_plain_sgd(qtbot):
    exp = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.1, "momentum": 0.9}, steps=3)
    view, run, _ = _view(qtbot, exp)
    run.set_cursor(2)
    view.flush()
    assert view.numbers_label.text().startswith("x ← x + Δx = ")


def test_follows_cursor_and_clear(qtbot):
    view, run, _ = _view(qtbot, default_experiment())
    run.set_cursor(3)
    qtbot.waitUntil(lambda: view.numbers_label.text().startswith("x ← x − η·∇f = (−1.92, 2.56)"), timeout=2000)
    run.clear()
    qtbot.waitUntil(lambda: view.numbers_label.text() == "", timeout=2000)


@pytest.mark.parametrize(("value", "text"), [
    (-2.4, "−2.4"), (3.2, "3.2"), (0.0, "0"), (-0.0, "0"), (1234567.0, "1.235e+06"), (-1.23456e-5, "−1.235e−05"),
    (float("inf"), "∞"), (float("-inf"), "−∞"), (float("nan"), "nan"), (2.0 / 3.0, "0.6667"),
])
def test_format_scalar(value, text):
    assert format_scalar(value) == text


def test_format_vector():
    assert format_vector([-3.0, 4.0]) == "(−3, 4)"
    assert format_vector([2.5]) == "2.5"
