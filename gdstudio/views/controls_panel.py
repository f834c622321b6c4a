"""The experiment's settings as controls: function (built-in or typed), start, optimizer with its
hyper-parameters, gradient method, step budget and stop rule.

Every control is generated from a declaration (FieldSpec in experiment.py; the optimizer's ParamSpecs through
``hyper_fields``), so ranges and tooltips cannot drift from what the validator enforces, and the optimizer form is
rebuilt by one generic builder. All controls are bound to the model in ONE table (``_bindings``): each entry
knows how to read its value from a DescentExperiment and which ExperimentModel.update(...) a user edit becomes.
The model is the only source of truth: a rejected edit is reverted and its reason shown inline.

Mid-run policy: while the run is *running* the settings are disabled (pause first). When paused or finished,
any change is allowed and the Session restarts the run from step 0 with the new settings.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from gdstudio.engine.functions import BUILTIN_FUNCTIONS
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.experiment import FIELDS, DescentExperiment, hyper_fields
from gdstudio.views import palette
from gdstudio.views.docs_catalog import translate_doc
from gdstudio.views.widgets import FieldBinding, FieldEditor, RetranslateOnLanguageChange

__all__ = ["ControlsPanel"]

CUSTOM = ""  # combo data of the "Custom expression…" entry
_EXPRESSION_FIELD = "function.expression"




class ControlsPanel(RetranslateOnLanguageChange, QWidget):
    """The settings form. Edits go to ``experiment_model.update``; model changes (undo, File ▸ Open) come back."""

    def __init__(self, experiment_model, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.experiment_model = experiment_model
        self.session = session
        self._bindings: dict[str, FieldBinding] = {}
        self._hyper_names: list[str] = []
        self._form_optimizer: str | None = None
        self._model_expression: str | None = None

        self.function_group = QGroupBox(self)
        self.function_form = QFormLayout(self.function_group)
        self.optimizer_group = QGroupBox(self)
        self.optimizer_form = QFormLayout(self.optimizer_group)
        self.run_group = QGroupBox(self)
        self.run_form = QFormLayout(self.run_group)
        for form in (self.function_form, self.optimizer_form, self.run_form):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        # The binding table: field → (editor from the field's declaration, model → value, value → update(...)).
        self._bind(self.function_form, "function.name",
                   read=lambda e: e.function_name if e.function_name is not None else CUSTOM,
                   changes=self._function_changes, extra_choices=((CUSTOM, ""),))
        self._bind(self.function_form, _EXPRESSION_FIELD,
                   read=lambda e: e.expression, changes=lambda text: {"expression": text})
        self.expression_error_label = QLabel(self)
        self.expression_error_label.setWordWrap(True)
        self.expression_error_label.setStyleSheet(f"color: {palette.css(palette.ERROR_TEXT)};")
        self.expression_error_label.hide()
        self.function_form.addRow(self.expression_error_label)
        self._bind(self.function_form, "start", read=lambda e: e.start, changes=lambda p: {"start": tuple(p)})
        self._bind(self.optimizer_form, "optimizer.name",
                   read=lambda e: e.optimizer, changes=lambda name: {"optimizer": name})
        self._bind(self.run_form, "steps", read=lambda e: e.steps, changes=lambda n: {"steps": n})
        self._bind(self.run_form, "gradient.method",
                   read=lambda e: e.gradient_method, changes=lambda m: {"gradient_method": m})
        self._bind(self.run_form, "gradient.h", read=lambda e: e.h, changes=lambda h: {"h": h})
        self._bind(self.run_form, "stop.grad_norm_below",
                   read=lambda e: e.grad_norm_below, changes=lambda t: {"grad_norm_below": t})

        self.running_label = QLabel(self)
        self.running_label.setStyleSheet("color: #666;")
        self.running_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {palette.css(palette.ERROR_TEXT)};")
        self.error_label.hide()

        layout = QVBoxLayout(self)
        for widget in (self.function_group, self.optimizer_group, self.run_group, self.running_label,
                       self.error_label):
            layout.addWidget(widget)
        layout.addStretch(1)

        experiment_model.changed.connect(self.refresh)
        experiment_model.error.connect(self._show_error)
        run_model = getattr(session, "run_model", None)
        if run_model is not None:
            run_model.stateChanged.connect(self._run_state_changed)
            self._run_state_changed(run_model.state)
        self.refresh()
        self.retranslate_ui()

    # -- texts -----------------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        """Every visible text: group titles, row labels, choice texts, tooltips (from the declared docs)."""
        self.function_group.setTitle(self.tr("Function"))
        self.optimizer_group.setTitle(self.tr("Optimizer"))
        self.run_group.setTitle(self.tr("Run"))
        self.running_label.setText(self.tr("Pause the run to change its settings."))
        labels = {
            "function.name": self.tr("Function"),
            _EXPRESSION_FIELD: self.tr("f ="),
            "start": self.tr("Start"),
            "optimizer.name": self.tr("Optimizer"),
            "optimizer.lr": self.tr("Learning rate η"),
            "steps": self.tr("Steps"),
            "gradient.method": self.tr("Gradient"),
            "gradient.h": self.tr("Step h"),
            "stop.grad_norm_below": self.tr("Stop when |∇f| <"),
        }
        for field, binding in self._bindings.items():
            label = binding.form.labelForField(binding.editor)
            if label is not None:
                # hyper-parameters keep PyTorch's names (weight_decay, betas): what the student will type later
                label.setText(labels.get(field, field.split(".", 1)[-1]))
            binding.editor.setToolTip(self._tooltip(binding.editor.spec))
        combo = self.function_combo
        for i in range(combo.count()):
            name = combo.itemData(i)
            if name in BUILTIN_FUNCTIONS:
                function = BUILTIN_FUNCTIONS[name]
                combo.setItemText(i, f"{name} — {function.formula}")
                combo.setItemData(i, translate_doc(function.description), Qt.ItemDataRole.ToolTipRole)
            else:
                combo.setItemText(i, self.tr("Custom expression…"))
        combo = self.optimizer_combo
        for i in range(combo.count()):
            combo.setItemText(i, translate_doc(OPTIMIZERS[combo.itemData(i)].display_name))

    # -- the binding table -----------------------------------------------------------------------------------
    def _bind(self, form: QFormLayout, field: str, *, read, changes, spec=None, **editor_options) -> None:
        """Create the editor for ``field`` from its declaration and enter it in the binding table."""
        spec = spec or FIELDS[field]
        editor = FieldEditor(spec, self, **editor_options)
        editor.setToolTip(self._tooltip(spec))
        editor.setObjectName(field)
        editor.edited.connect(lambda value, f=field: self._edited(f, value))
        form.addRow(field, editor)  # the label text is set by retranslate_ui
        self._bindings[field] = FieldBinding(form, editor, read, changes)

    def _tooltip(self, spec) -> str:
        text = translate_doc(spec.doc)
        if spec.type in ("float", "int", "pair", "vector") and spec.minimum is not None and spec.maximum is not None:
            lo = "(" if getattr(spec, "exclusive_minimum", False) else "["
            hi = ")" if getattr(spec, "exclusive_maximum", False) else "]"
            text += "\n" + self.tr("Allowed: %1").replace("%1", f"{lo}{spec.minimum:g}, {spec.maximum:g}{hi}")
        return text

    def editor(self, field: str) -> FieldEditor:
        """The control bound to a field name (``"optimizer.lr"``, ``"start"``, …)."""
        return self._bindings[field].editor

    def bound_fields(self) -> list[str]:
        return list(self._bindings)

    @property
    def function_combo(self):
        return self._bindings["function.name"].editor.input

    @property
    def expression_edit(self):
        return self._bindings[_EXPRESSION_FIELD].editor.input

    @property
    def optimizer_combo(self):
        return self._bindings["optimizer.name"].editor.input

    # -- model → controls ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the model's experiment in every control (after any change, including undo and File ▸ Open)."""
        exp = self.experiment_model.experiment
        if exp.optimizer != self._form_optimizer:
            self._rebuild_hyper_form(exp.optimizer)
        for field, binding in self._bindings.items():
            if field == _EXPRESSION_FIELD:
                continue
            binding.editor.set_value(binding.read(exp))
        # The expression text is only replaced when the model's expression changed: an unrelated change must not
        # wipe what the student is still typing (and fixing).
        if exp.expression != self._model_expression:
            self._model_expression = exp.expression
            self.editor(_EXPRESSION_FIELD).set_value(exp.expression or "")
        self._sync_expression_error()
        function = exp.resolve_function()
        self.expression_edit.setPlaceholderText(function.formula if exp.expression is None else "")
        self.editor("start").input.setDim(len(exp.start))
        self.editor("gradient.h").setEnabled(exp.gradient_method != "analytic")

    def _rebuild_hyper_form(self, optimizer: str) -> None:
        """Replace the hyper-parameter rows with the ones the optimizer declares (one generic builder)."""
        for name in self._hyper_names:
            self._bindings.pop(f"optimizer.{name}")
        while self.optimizer_form.rowCount() > 1:
            self.optimizer_form.removeRow(1)
        self._hyper_names = []
        for spec in hyper_fields(optimizer):
            name = spec.name.split(".", 1)[1]
            self._bind(self.optimizer_form, spec.name, spec=spec,
                       read=lambda e, n=name: e.effective_hyper().get(n),
                       changes=lambda v, n=name: {"hyper": {n: v}},
                       labels=("β₁", "β₂") if name == "betas" else None)
            self._hyper_names.append(name)
        self._form_optimizer = optimizer
        self.optimizer_group.setToolTip(OPTIMIZERS[optimizer].formula)
        self.retranslate_ui()

    # -- controls → model ------------------------------------------------------------------------------------
    def _function_changes(self, name: str) -> dict[str, Any]:
        if name != CUSTOM:
            return {"function_name": name}
        text = self.expression_edit.text().strip() or FIELDS[_EXPRESSION_FIELD].default
        return {"expression": text}

    def _edited(self, field: str, value: Any) -> None:
        binding = self._bindings[field]
        accepted = self.experiment_model.update(**binding.changes(value))
        if not accepted and field != _EXPRESSION_FIELD:
            binding.editor.set_value(binding.read(self.experiment_model.experiment))  # show what is in force

    def _show_error(self, message: str) -> None:
        prefix = _EXPRESSION_FIELD + ": "
        if message.startswith(prefix):
            self.expression_error_label.setText(message[len(prefix):])
            self.expression_error_label.show()
            self.error_label.hide()
            return
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))
        self._sync_expression_error()

    def _sync_expression_error(self) -> None:
        """The expression's error stays up while the edit still holds the rejected text, whatever else changes."""
        if self.expression_edit.text() == (self.experiment_model.experiment.expression or ""):
            self.expression_error_label.hide()

    def _run_state_changed(self, state: str) -> None:
        running = state == "running"
        for group in (self.function_group, self.optimizer_group, self.run_group):
            group.setEnabled(not running)
        self.running_label.setVisible(running)
