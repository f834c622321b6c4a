"""ControlsPanel: every control generated from its declaration, bound both ways to the ExperimentModel through one
table; hyper-parameter forms come from the optimizer's ParamSpecs; invalid expressions are explained inline."""

from __future__ import annotations

import gc
import types

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTranslator

from conftest import PANELS_ALIVE as _ALIVE
from gdstudio.engine.functions import BUILTIN_FUNCTIONS
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.experiment import FIELDS, DescentExperiment, hyper_fields
from gdstudio.models.experiment_model import ExperimentModel
from gdstudio.models.run_model import RunModel
from gdstudio.views import docs_catalog
from gdstudio.views.controls_panel import CUSTOM, ControlsPanel
from gdstudio.views.widgets import LogSpinBox, PointEdit


SEED = DescentExperiment(function_name="bowl", start=(-3.0, 4.0), hyper={"lr": 0.1}, steps=100)


def _panel(qtbot, exp: DescentExperiment = SEED):
    model = ExperimentModel(exp)
    session = types.SimpleNamespace(run_model=RunModel(exp.resolve_function().dim))  # all the panel needs
    panel = ControlsPanel(model, session)
    qtbot.addWidget(panel)
    _ALIVE.extend([panel, model, session.run_model])
    panel.show()
    return panel, model, session


def _choose(combo, data) -> None:
    """What a user's pick in a combo box does: select the item and emit activated."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_controls_show_the_model(qtbot):
    panel, _, _ = _panel(qtbot)
    assert panel.function_combo.currentData() == "bowl"
    assert panel.editor("start").value() == (-3.0, 4.0)
    assert panel.editor("optimizer.lr").value() == pytest.approx(0.1)
    assert panel.editor("steps").value() == 100
    assert panel.editor("gradient.method").value() == "analytic"
    assert panel.editor("stop.grad_norm_below").value() is None
    assert isinstance(panel.editor("optimizer.lr").input, LogSpinBox)
    lr = panel.editor("optimizer.lr").input
    assert (lr.minimum(), lr.maximum()) == (FIELDS["optimizer.lr"].minimum, FIELDS["optimizer.lr"].maximum)


def test_model_changes_reach_the_controls(qtbot):
    """After File ▸ Open (set_experiment) every control shows the new experiment."""
    panel, model, _ = _panel(qtbot)
    model.set_experiment(DescentExperiment(
        function_name="book1d", start=(7.5,), optimizer="adam", hyper={"lr": 0.25, "betas": (0.8, 0.99)},
        gradient_method="central", h=1e-3, steps=250, grad_norm_below=1e-6,
    ))
    assert panel.function_combo.currentData() == "book1d"
    assert panel.editor("start").value() == (7.5,)  # one box for a 1-D function
    assert panel.optimizer_combo.currentData() == "adam"
    assert panel.editor("optimizer.lr").value() == pytest.approx(0.25)
    assert panel.editor("optimizer.betas").value() == pytest.approx((0.8, 0.99))
    assert panel.editor("gradient.method").value() == "central"
    assert panel.editor("gradient.h").value() == pytest.approx(1e-3)
    assert panel.editor("gradient.h").isEnabled()
    assert panel.editor("steps").value() == 250
    assert panel.editor("stop.grad_norm_below").value() == pytest.approx(1e-6)


def test_user_edits_reach_the_model(qtbot):
    panel, model, _ = _panel(qtbot)
    panel.editor("optimizer.lr").input.spin.setValue(0.05)
    assert model.experiment.hyper["lr"] == pytest.approx(0.05)
    panel.editor("steps").input.setValue(321)
    assert model.experiment.steps == 321
    panel.editor("start").input.spins[1].setValue(-1.5)
    assert model.experiment.start == (-3.0, -1.5)
    _choose(panel.editor("gradient.method").input, "forward")
    assert model.experiment.gradient_method == "forward"
    panel.editor("stop.grad_norm_below").toggle.setChecked(True)
    assert model.experiment.grad_norm_below is not None
    panel.editor("stop.grad_norm_below").input.spin.setValue(1e-5)
    assert model.experiment.grad_norm_below == pytest.approx(1e-5)
    panel.editor("stop.grad_norm_below").toggle.setChecked(False)
    assert model.experiment.grad_norm_below is None
    _choose(panel.function_combo, "rosenbrock")
    assert model.experiment.function_name == "rosenbrock"


def test_log_slider_moves_the_learning_rate(qtbot):
    panel, model, _ = _panel(qtbot)
    slider = panel.editor("optimizer.lr").input.slider
    slider.setValue(slider.maximum())
    assert model.experiment.hyper["lr"] == pytest.approx(10.0)
    slider.setValue(slider.minimum())
    assert model.experiment.hyper["lr"] == pytest.approx(1e-6)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_optimizer_form_is_generated_from_its_param_specs(qtbot, optimizer):
    panel, model, _ = _panel(qtbot)
    _choose(panel.optimizer_combo, optimizer)
    assert model.experiment.optimizer == optimizer
    expected = [f"optimizer.{s.name}" for s in OPTIMIZERS[optimizer].specs]
    shown = [f for f in panel.bound_fields() if f.startswith("optimizer.") and f != "optimizer.name"]
    assert shown == expected
    for spec in hyper_fields(optimizer):
        editor = panel.editor(spec.name)
        assert editor.toolTip().startswith(docs_catalog.translate_doc(spec.doc))
        name = spec.name.split(".", 1)[1]
        assert editor.value() == pytest.approx(model.experiment.effective_hyper()[name])
        if spec.type == "pair":
            assert isinstance(editor.input, PointEdit)
    assert panel.editor("optimizer.lr").value() == pytest.approx(0.1)  # the learning rate is kept


def test_hyper_parameter_edit_and_rejection(qtbot):
    panel, model, _ = _panel(qtbot)
    _choose(panel.optimizer_combo, "nesterov")
    momentum = panel.editor("optimizer.momentum")
    momentum.input.setValue(0.5)
    assert model.experiment.effective_hyper()["momentum"] == pytest.approx(0.5)
    momentum.input.setValue(0.0)  # Nesterov needs momentum > 0: the control's range stops just above 0
    assert 0 < model.experiment.effective_hyper()["momentum"] < 1e-3

    _choose(panel.optimizer_combo, "sgd")  # keeps the momentum …
    panel.editor("optimizer.momentum").input.setValue(0.0)  # … which plain SGD may set to 0
    nesterov = panel.editor("optimizer.nesterov")
    nesterov.input.setChecked(True)  # SGD's nesterov=True without momentum: the engine refuses the combination
    assert model.experiment.effective_hyper()["nesterov"] is False
    assert nesterov.value() is False  # the control shows what is in force …
    assert panel.error_label.isVisible() and "Nesterov" in panel.error_label.text()  # … and says why
    panel.editor("steps").input.setValue(77)
    assert not panel.error_label.isVisible()


def test_invalid_expression_shows_inline_error_while_typing(qtbot):
    panel, model, _ = _panel(qtbot)
    edit = panel.expression_edit
    edit.clear()
    qtbot.keyClicks(edit, "x**2 + sin(y")
    qtbot.waitUntil(panel.expression_error_label.isVisible, timeout=2000)
    text = panel.expression_error_label.text()
    assert "column" in text and "never closed" in text
    assert model.experiment.function_name == "bowl"  # nothing changed
    panel.editor("steps").input.setValue(42)  # an unrelated change keeps the rejected text and its error
    assert edit.text() == "x**2 + sin(y" and panel.expression_error_label.isVisible()
    qtbot.keyClicks(edit, ")")
    qtbot.waitUntil(lambda: model.experiment.expression == "x**2 + sin(y)", timeout=2000)
    assert not panel.expression_error_label.isVisible()
    assert panel.function_combo.currentData() == CUSTOM


def test_function_combo_lists_builtins_with_formula_and_custom(qtbot):
    panel, _, _ = _panel(qtbot)
    combo = panel.function_combo
    datas = [combo.itemData(i) for i in range(combo.count())]
    assert datas == [*BUILTIN_FUNCTIONS, CUSTOM]
    bowl = combo.findData("bowl")
    assert BUILTIN_FUNCTIONS["bowl"].formula in combo.itemText(bowl)
    assert combo.itemData(bowl, Qt.ItemDataRole.ToolTipRole) == BUILTIN_FUNCTIONS["bowl"].description


def test_every_control_has_its_declared_tooltip(qtbot):
    panel, _, _ = _panel(qtbot)
    for field in ("function.name", "function.expression", "start", "steps", "gradient.method", "gradient.h",
                  "stop.grad_norm_below", "optimizer.name"):
        assert panel.editor(field).toolTip().startswith(FIELDS[field].doc), field


def test_settings_disabled_while_running(qtbot):
    panel, _, session = _panel(qtbot)
    session.run_model.set_state("running")
    assert not panel.optimizer_group.isEnabled() and not panel.function_group.isEnabled()
    assert not panel.running_label.isHidden()
    session.run_model.set_state("paused")
    assert panel.optimizer_group.isEnabled() and panel.run_group.isEnabled()


def test_docs_catalog_covers_every_declared_doc():
    """Each English doc the controls show is listed literally in docs_catalog (so lupdate sees it) with zh."""
    declared = {spec.doc for spec in FIELDS.values()}
    for name, cls in OPTIMIZERS.items():
        declared |= {spec.doc for spec in cls.specs} | {spec.doc for spec in hyper_fields(name)}
        declared.add(cls.display_name)
    declared |= {f.description for f in BUILTIN_FUNCTIONS.values()}
    catalog = {english for english, _ in docs_catalog.DOCS_ZH_CN}
    missing = sorted(d for d in declared if d and d not in catalog)
    assert not missing, "add to gdstudio/views/docs_catalog.py:\n" + "\n".join(missing)
    assert all(zh.strip() for _, zh in docs_catalog.DOCS_ZH_CN)


class _Brackets(QTranslator):
    """A 'language' that wraps every text in «», to see which texts go through translation."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D102 (Qt override)
        return f"«{source}»"

    def isEmpty(self) -> bool:  # noqa: N802 (Qt skips empty translators)
        return False


def test_language_switch_retranslates_labels_choices_and_docs(qtbot):
    panel, _, _ = _panel(qtbot)
    translator = _Brackets()
    QCoreApplication.installTranslator(translator)  # Qt posts LanguageChange to every widget
    try:
        qtbot.waitUntil(lambda: panel.function_group.title() == "«Function»", timeout=2000)
        assert panel.editor("steps").toolTip().startswith(f"«{FIELDS['steps'].doc}»")
        assert panel.optimizer_combo.itemText(panel.optimizer_combo.findData("sgd")) == "«Gradient descent (SGD)»"
        custom = panel.function_combo.findData(CUSTOM)
        assert panel.function_combo.itemText(custom) == "«Custom expression…»"
        label = panel.optimizer_form.labelForField(panel.editor("optimizer.lr"))
        assert label.text() == "«Learning rate η»"
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: panel.function_group.title() == "Function", timeout=2000)
