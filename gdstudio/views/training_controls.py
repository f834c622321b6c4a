"""The network lab's settings as controls: the data set and its options, the network (hidden layers, activation
per layer, output and loss, regularization), the initial weights, the optimizer with its hyper-parameters and the
schedule (epochs, batch size, seed).

Numeric and choice controls are FieldEditors built from declarations (the data sets' DatasetParams, the
optimizers' hyper_fields, SETTINGS_FIELDS), so ranges and tooltips follow what the validator enforces. Every control
is bound to the model in one table (``_bindings``): how to read its value from the settings, and which
``TrainingSettingsModel.update(...)`` an edit becomes. The model is the only source of truth: a refused edit is
reverted and its reason shown inline. While the run is running the settings are disabled (pause first); any change
restarts the run (the session resets on ``settings.changed``).
"""

from __future__ import annotations

import os
from typing import Any, Callable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gdstudio.engine.datasets import DATASETS, FEATURE_LABELS, FEATURES, csv_columns, regenerate
from gdstudio.engine.nn import HIDDEN_ACTIVATIONS, OUTPUTS
from gdstudio.engine.nn.losses import LOSSES
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.experiment import FIELDS, hyper_fields
from gdstudio.models.training_settings_model import SETTINGS_FIELDS, TrainingSettings, TrainingSettingsModel
from gdstudio.views import palette
from gdstudio.views.dataset_texts import dataset_description, dataset_param_doc
from gdstudio.views.docs_catalog import translate_doc
from gdstudio.views.widgets import FieldBinding, FieldEditor, RetranslateOnLanguageChange

__all__ = ["TrainingControls", "format_hidden", "parse_hidden"]

_HIDDEN_PARAMS = ("dtype", "columns")
"""Data-set parameters without a control: the network's dtype decides, and "columns" null = all features."""
_SCHEME_PARAMS = {"normal": "network.init.sigma", "uniform": "network.init.a", "constant": "network.init.c"}


def parse_hidden(text: str) -> tuple[int, ...]:
    """"8, 8" (or "8 8", "8;8") → (8, 8); "" → () (no hidden layer). ValueError for anything else."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    out = []
    for p in parts:
        if not p.strip().isdigit():
            raise ValueError(p.strip())
        out.append(int(p))
    return tuple(out)


def format_hidden(hidden: tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in hidden)




class TrainingControls(RetranslateOnLanguageChange, QWidget):
    """The settings form of the network lab. Edits go to ``settings.update``; model changes come back."""

    def __init__(self, settings: TrainingSettingsModel, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.session = session
        self._bindings: dict[str, FieldBinding] = {}
        self._shown_dataset: str | None = None
        self._shown_optimizer: str | None = None
        self._hyper_keys: list[str] = []
        self._dataset_keys: list[str] = []
        self._activation_combos: list[QComboBox] = []
        self._feature_checks: dict[str, QCheckBox] = {}
        self._path_edit: QLineEdit | None = None
        self._browse_button: QPushButton | None = None
        self._path_label: QLabel | None = None
        self._target_combo: QComboBox | None = None
        self._target_label: QLabel | None = None
        self._features_label: QLabel | None = None
        self._header_cache: tuple[Any, tuple[str, ...]] = (None, ())

        # -- data ---------------------------------------------------------------------------------------------
        self.data_group = QGroupBox(self)
        self.data_form = _form(self.data_group)
        self.dataset_combo = QComboBox(self)
        self.dataset_combo.setObjectName("dataset_combo")
        previous_group = None
        for name, info in DATASETS.items():
            if previous_group is not None and info.group != previous_group:
                self.dataset_combo.insertSeparator(self.dataset_combo.count())
            self.dataset_combo.addItem(info.title, name)
            previous_group = info.group
        self.dataset_combo.activated.connect(self._dataset_chosen)
        self.dataset_label = QLabel(self)
        self.data_form.addRow(self.dataset_label, self.dataset_combo)
        self.dataset_doc = QLabel(self)
        self.dataset_doc.setWordWrap(True)
        self.dataset_doc.setStyleSheet("color: #666;")
        self.data_form.addRow(self.dataset_doc)
        self.dataset_options = QWidget(self)
        self.options_form = _form(self.dataset_options)
        self.options_form.setContentsMargins(0, 0, 0, 0)
        self.data_form.addRow(self.dataset_options)
        self.regenerate_button = QPushButton(self)
        self.regenerate_button.setObjectName("regenerate_button")
        self.regenerate_button.clicked.connect(self._regenerate)
        self.data_form.addRow("", self.regenerate_button)

        # -- network ------------------------------------------------------------------------------------------
        self.network_group = QGroupBox(self)
        self.network_form = _form(self.network_group)
        self.hidden_edit = QLineEdit(self)
        self.hidden_edit.setObjectName("hidden_edit")
        self.hidden_edit.editingFinished.connect(self._hidden_edited)
        self.hidden_label = QLabel(self)
        self.network_form.addRow(self.hidden_label, self.hidden_edit)
        self.sizes_label = QLabel(self)
        self.sizes_label.setObjectName("sizes_label")
        self.sizes_label.setStyleSheet("color: #666;")
        self.sizes_label.setWordWrap(True)
        self.network_form.addRow(self.sizes_label)  # a spanning row: a wrapped label gets its full height
        self.activations_row = QWidget(self)
        self.activations_layout = QGridLayout(self.activations_row)  # two a row, so deep nets stay in the dock
        self.activations_layout.setContentsMargins(0, 0, 0, 0)
        self.activations_label = QLabel(self)
        self.network_form.addRow(self.activations_label, self.activations_row)
        self.output_combo = QComboBox(self)
        self.output_combo.setObjectName("output_combo")
        for output in OUTPUTS:
            self.output_combo.addItem(output, output)
        self.output_combo.activated.connect(
            lambda _i: self._update({"output": self.output_combo.currentData()}, self.refresh))
        self.output_label = QLabel(self)
        self.network_form.addRow(self.output_label, self.output_combo)
        self.loss_combo = QComboBox(self)
        self.loss_combo.setObjectName("loss_combo")
        for loss in LOSSES:
            self.loss_combo.addItem(loss, loss)
        self.loss_combo.activated.connect(
            lambda _i: self._update({"loss": self.loss_combo.currentData()}, self.refresh))
        self.loss_label = QLabel(self)
        self.network_form.addRow(self.loss_label, self.loss_combo)
        self._bind(self.network_form, "network.leaky_alpha", read=lambda s: s.leaky_alpha,
                   changes=lambda v: {"leaky_alpha": v})
        self._bind(self.network_form, "network.dropout", read=lambda s: _first(s.dropout),
                   changes=lambda v: {"dropout": v})
        self._bind(self.network_form, "network.batchnorm", read=lambda s: bool(_first(s.batchnorm)),
                   changes=lambda v: {"batchnorm": v})
        self._bind(self.network_form, "network.l2", read=lambda s: s.l2, changes=lambda v: {"l2": v})
        self._bind(self.network_form, "network.l1", read=lambda s: s.l1, changes=lambda v: {"l1": v})
        self._bind(self.network_form, "network.dtype", read=lambda s: s.dtype, changes=lambda v: {"dtype": v})

        # -- initial weights ----------------------------------------------------------------------------------
        self.init_group = QGroupBox(self)
        self.init_form = _form(self.init_group)
        self._bind(self.init_form, "network.init.scheme", read=lambda s: s.init.get("scheme", "auto"),
                   changes=lambda v: {"init": {"scheme": v}})
        for key in ("sigma", "a", "c"):
            self._bind(self.init_form, f"network.init.{key}",
                       read=lambda s, k=key: s.init.get(k, SETTINGS_FIELDS[f"network.init.{k}"].default),
                       changes=lambda v, k=key: {"init": {k: v}})
        self._bind(self.init_form, "network.init.seed", read=lambda s: s.init.get("seed", 0),
                   changes=lambda v: {"init": {"seed": v}})
        self.explicit_label = QLabel(self)
        self.explicit_label.setWordWrap(True)
        self.forget_weights_button = QPushButton(self)
        self.forget_weights_button.clicked.connect(lambda: self._update({"init": {"weights": None}}, self.refresh))
        self.init_form.addRow(self.explicit_label)
        self.init_form.addRow("", self.forget_weights_button)

        # -- training -----------------------------------------------------------------------------------------
        self.training_group = QGroupBox(self)
        self.training_form = _form(self.training_group)
        self._bind(self.training_form, "optimizer.name", spec=FIELDS["optimizer.name"], read=lambda s: s.optimizer,
                   changes=lambda v: {"optimizer": v})
        self._hyper_anchor = 1  # hyper-parameter rows follow the optimizer row
        self._bind(self.training_form, "epochs", read=lambda s: s.epochs, changes=lambda v: {"epochs": v})
        self._bind(self.training_form, "batch_size", read=lambda s: s.batch_size,
                   changes=lambda v: {"batch_size": v})
        self._bind(self.training_form, "seed", read=lambda s: s.seed, changes=lambda v: {"seed": v})

        # -- messages -----------------------------------------------------------------------------------------
        self.running_label = QLabel(self)
        self.running_label.setStyleSheet("color: #666;")
        self.running_label.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {palette.css(palette.ERROR_TEXT)};")
        self.error_label.hide()

        layout = QVBoxLayout(self)
        for widget in (self.error_label, self.data_group, self.network_group, self.init_group,
                       self.training_group, self.running_label):
            layout.addWidget(widget)
        layout.addStretch(1)

        settings.changed.connect(self.refresh)
        settings.error.connect(self._show_error)
        run_model = getattr(session, "run_model", None)
        if run_model is not None:
            run_model.stateChanged.connect(self._run_state_changed)
            run_model.began.connect(self._refresh_texts)  # a CSV file's layer sizes are known once it is loaded
            self._run_state_changed(run_model.state)
        self.refresh()
        self.retranslate_ui()

    # -- texts -----------------------------------------------------------------------------------------------
    def _dataset_titles(self) -> dict[str, str]:
        return {
            "and": self.tr("AND gate"), "or": self.tr("OR gate"), "nand": self.tr("NAND gate"),
            "xor": self.tr("XOR gate"), "line": self.tr("Line y = 3x + 0.8"), "five_points": self.tr("Five points"),
            "plane": self.tr("Plane y = a·x1 + b·x2"), "circle": self.tr("Circle"),
            "xor2d": self.tr("XOR (2-D points)"), "gaussians": self.tr("Two Gaussians"), "spiral": self.tr("Spiral"),
            "moons": self.tr("Moons"), "digits": self.tr("Handwritten digits 8×8"), "mnist": self.tr("MNIST"),
            "csv": self.tr("CSV file"),
        }

    def _choice_texts(self) -> dict[str, str]:
        return {
            "step": self.tr("step"), "sigmoid": self.tr("sigmoid"), "tanh": self.tr("tanh"), "relu": self.tr("ReLU"),
            "leaky_relu": self.tr("leaky ReLU"), "identity": self.tr("identity"), "softmax": self.tr("softmax"),
            "cross_entropy": self.tr("cross-entropy"), "bce": self.tr("binary cross-entropy"),
            "mse": self.tr("mean squared error ½Σ(y−t)²"),
            "auto": self.tr("auto"), "zeros": self.tr("zeros"), "constant": self.tr("constant c"),
            "uniform": self.tr("uniform U(−a, a)"), "normal": self.tr("normal N(0, σ²)"),
            "xavier": self.tr("Xavier √(1/n)"), "glorot_uniform": self.tr("Glorot uniform"), "he": self.tr("He √(2/n)"),
            "float64": self.tr("float64"), "float32": self.tr("float32"),
        }

    def _field_docs(self) -> dict[str, str]:
        """Tooltips of the form's own fields (SETTINGS_FIELDS declares them in English, outside Qt)."""
        return {
            "epochs": self.tr("Passes over the training data."),
            "batch_size": self.tr("Samples per update (larger than the data set: full batch)."),
            "seed": self.tr("Seed of the shuffling and of the dropout masks."),
            "network.l2": self.tr("L2 weight decay λ: adds ½·λ·Σ‖W‖² to the loss."),
            "network.l1": self.tr("L1 penalty λ₁: adds λ₁·Σ|W| to the loss."),
            "network.dropout": self.tr("Share of hidden units dropped in each training step."),
            "network.batchnorm": self.tr("Batch normalization after every hidden layer."),
            "network.leaky_alpha": self.tr("Slope of leaky ReLU for negative inputs."),
            "network.dtype": self.tr("Float type: auto follows the data (float32 for images), float64 is exact."),
            "network.init.scheme": self.tr("How the initial weights are drawn."),
            "network.init.sigma": self.tr("Standard deviation σ of the normal scheme."),
            "network.init.a": self.tr("Half-width a of the uniform scheme U(−a, a)."),
            "network.init.c": self.tr("Value c of every weight (constant scheme)."),
            "network.init.seed": self.tr("Seed of the initial weights (Reset keeps it)."),
        }

    def retranslate_ui(self) -> None:
        """Every visible text: group titles, row labels, choice texts, tooltips (from the declared docs)."""
        self.data_group.setTitle(self.tr("Data"))
        self.network_group.setTitle(self.tr("Network"))
        self.init_group.setTitle(self.tr("Initial weights"))
        self.training_group.setTitle(self.tr("Training"))
        self.dataset_label.setText(self.tr("Data set"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(self.tr("Draw new points with a new seed."))
        self.hidden_label.setText(self.tr("Hidden layers"))
        self.hidden_edit.setPlaceholderText(self.tr("e.g. 8, 8 (empty: no hidden layer)"))
        self.hidden_edit.setToolTip(self.tr("Units of each hidden layer, separated by commas."))
        self.activations_label.setText(self.tr("Activation"))
        self.output_label.setText(self.tr("Output"))
        self.loss_label.setText(self.tr("Loss"))
        self.forget_weights_button.setText(self.tr("Use the scheme instead"))
        self.explicit_label.setText(self.tr("The initial weights are given explicitly (from the experiment file)."))
        self.running_label.setText(self.tr("Pause the run to change its settings."))
        texts = self._choice_texts()
        titles = self._dataset_titles()
        for i in range(self.dataset_combo.count()):
            name = self.dataset_combo.itemData(i)
            if name in DATASETS:
                self.dataset_combo.setItemText(i, titles.get(name, DATASETS[name].title))
                self.dataset_combo.setItemData(i, dataset_description(name), Qt.ItemDataRole.ToolTipRole)
        for combo in (self.output_combo, self.loss_combo, *self._activation_combos):
            for i in range(combo.count()):
                combo.setItemText(i, texts.get(combo.itemData(i), combo.itemData(i)))
        labels = {
            "network.leaky_alpha": self.tr("Leaky ReLU slope α"),
            "network.dropout": self.tr("Dropout"),
            "network.batchnorm": self.tr("Batch norm"),
            "network.l2": self.tr("L2 weight decay λ"),
            "network.l1": self.tr("L1 penalty λ₁"),
            "network.dtype": self.tr("Float type"),
            "network.init.scheme": self.tr("Scheme"),
            "network.init.sigma": self.tr("σ"),
            "network.init.a": self.tr("a"),
            "network.init.c": self.tr("c"),
            "network.init.seed": self.tr("Weight seed"),
            "optimizer.name": self.tr("Optimizer"),
            "optimizer.lr": self.tr("Learning rate η"),
            "epochs": self.tr("Epochs"),
            "batch_size": self.tr("Batch size"),
            "seed": self.tr("Shuffle seed"),
            "dataset.n": self.tr("Points"),
            "dataset.noise": self.tr("Noise"),
            "dataset.test_fraction": self.tr("Test share"),
            "dataset.seed": self.tr("Data seed"),
            "dataset.slope": self.tr("Slope"),
            "dataset.intercept": self.tr("Intercept"),
            "dataset.a": self.tr("a"),
            "dataset.b": self.tr("b"),
            "dataset.train_size": self.tr("Training images"),
            "dataset.test_size": self.tr("Test images"),
            "dataset.normalize": self.tr("Scale to [0, 1]"),
            "dataset.task": self.tr("Task"),
            "dataset.standardize": self.tr("Standardize"),
        }
        for key, binding in self._bindings.items():
            label = binding.form.labelForField(binding.editor)
            if label is not None:
                # hyper-parameters keep PyTorch's names (momentum, betas): what the student will type later
                label.setText(labels.get(key, key.split(".")[-1]))
            binding.editor.setToolTip(self._tooltip(binding.editor.spec, key))
            combo = binding.editor.input
            if isinstance(combo, QComboBox):
                for i in range(combo.count()):
                    data = combo.itemData(i)
                    if key == "optimizer.name":
                        combo.setItemText(i, translate_doc(OPTIMIZERS[data].display_name))
                    else:
                        combo.setItemText(i, texts.get(data, str(data)))
        if self._path_label is not None:
            self._path_label.setText(self.tr("Folder") if self._shown_dataset == "mnist" else self.tr("File"))
            self._browse_button.setText(self.tr("Browse…"))
            self._path_edit.setToolTip(self._param_tooltip("path" if self._shown_dataset == "mnist" else "csv"))
        if self._target_label is not None:
            self._target_label.setText(self.tr("Target column"))
            self._target_combo.setToolTip(self._param_tooltip("target"))
            if self._target_combo.count():
                self._target_combo.setItemText(0, self.tr("(last column)"))
        if self._features_label is not None:
            self._features_label.setText(self.tr("Features"))
            for check in self._feature_checks.values():
                check.setToolTip(self._param_tooltip("features"))
        self._refresh_texts()

    def _refresh_texts(self) -> None:
        """Texts that depend on the settings (the layer sizes line, the data set's description)."""
        s = self.settings.settings
        self.dataset_doc.setText(dataset_description(s.dataset_name))
        sizes = self.settings.layer_sizes()
        if sizes is None:
            self.sizes_label.setText(self.tr("Layer sizes follow the file once it is loaded."))
        else:
            weights = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
            self.sizes_label.setText(self.tr("%1 units, %2 parameters").replace(
                "%1", " → ".join(str(n) for n in sizes)).replace("%2", f"{weights:,}"))

    def _param_tooltip(self, name: str) -> str:
        """The translated doc of the shown data set's parameter ``name`` ("" if it has none)."""
        info = DATASETS.get(self._shown_dataset or "")
        try:
            return dataset_param_doc(info.param(name).doc) if info is not None else ""
        except KeyError:
            return ""

    def _tooltip(self, spec, key: str = "") -> str:
        """The declared doc (translated: the data set's, the form's own or the shared catalog's) and the allowed
        range."""
        if key.startswith("dataset."):
            text = dataset_param_doc(spec.doc)
        else:
            text = self._field_docs().get(key) or translate_doc(spec.doc)
        if spec.type in ("float", "int") and spec.minimum is not None and spec.maximum is not None:
            lo = "(" if getattr(spec, "exclusive_minimum", False) else "["
            hi = ")" if getattr(spec, "exclusive_maximum", False) else "]"
            text += "\n" + self.tr("Allowed: %1").replace("%1", f"{lo}{spec.minimum:g}, {spec.maximum:g}{hi}")
        return text

    # -- the binding table -----------------------------------------------------------------------------------
    def _bind(self, form: QFormLayout, key: str, *, read, changes, spec=None, row: int | None = None,
              **editor_options) -> FieldEditor:
        """Create the editor for ``key`` from its declaration and enter it in the binding table."""
        spec = spec or SETTINGS_FIELDS[key]
        editor = FieldEditor(spec, self, choice_texts=self._choice_texts(), **editor_options)
        editor.setObjectName(key)
        editor.setToolTip(self._tooltip(spec, key))
        editor.edited.connect(lambda value, k=key: self._edited(k, value))
        if row is None:
            form.addRow(key, editor)  # the label text is set by retranslate_ui
        else:
            form.insertRow(row, key, editor)
        self._bindings[key] = FieldBinding(form, editor, read, changes)
        return editor

    def _unbind(self, keys: list[str]) -> None:
        for key in keys:
            binding = self._bindings.pop(key)
            binding.form.removeRow(binding.editor)  # deletes the editor and its label

    def editor(self, key: str) -> FieldEditor:
        """The control bound to a key (``"optimizer.lr"``, ``"dataset.noise"``, ``"epochs"``, …)."""
        return self._bindings[key].editor

    def bound_keys(self) -> list[str]:
        return list(self._bindings)

    @property
    def activation_combos(self) -> list[QComboBox]:
        return list(self._activation_combos)

    @property
    def feature_checks(self) -> dict[str, QCheckBox]:
        return dict(self._feature_checks)

    # -- model → controls ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the model's settings in every control (after any change, including undo and File ▸ Open)."""
        s = self.settings.settings
        if s.dataset_name != self._shown_dataset:
            self._rebuild_dataset_options(s.dataset_name)
        if s.optimizer != self._shown_optimizer:
            self._rebuild_hyper_rows(s.optimizer)
        if len(self._activation_combos) != len(s.hidden):
            self._rebuild_activation_combos(len(s.hidden))
        with QSignalBlocker(self.dataset_combo):
            self.dataset_combo.setCurrentIndex(max(self.dataset_combo.findData(s.dataset_name), 0))
        for key, binding in self._bindings.items():
            binding.editor.set_value(binding.read(s))
        if parse_hidden_or_none(self.hidden_edit.text()) != s.hidden or not self.hidden_edit.hasFocus():
            self.hidden_edit.setText(format_hidden(s.hidden))
        for combo, activation in zip(self._activation_combos, s.activation):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(combo.findData(activation), 0))
        for combo, value in ((self.output_combo, s.output), (self.loss_combo, s.loss)):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(max(combo.findData(value), 0))
        for name, check in self._feature_checks.items():
            with QSignalBlocker(check):
                check.setChecked(name in (s.dataset.get("features") or ()))
        if self._path_edit is not None:
            key = "path" if s.dataset_name == "mnist" else "csv"
            if not self._path_edit.hasFocus():
                self._path_edit.setText(str(s.dataset.get(key, "")))
        if self._target_combo is not None:
            self._fill_target_columns(s)
        self._sync_visibility(s)
        self._refresh_texts()

    def _sync_visibility(self, s: TrainingSettings) -> None:
        scheme = s.init.get("scheme", "auto")
        for name, key in _SCHEME_PARAMS.items():
            _set_row_visible(self.init_form, self.editor(key), scheme == name)
        _set_row_visible(self.network_form, self.editor("network.leaky_alpha"), "leaky_relu" in s.activation)
        _set_row_visible(self.network_form, self.activations_row, bool(s.hidden))
        for key in ("network.dropout", "network.batchnorm"):
            _set_row_visible(self.network_form, self.editor(key), bool(s.hidden))
        explicit = s.has_explicit_weights
        self.explicit_label.setVisible(explicit)
        _set_row_visible(self.init_form, self.forget_weights_button, explicit)
        for key in ("network.init.scheme", "network.init.seed", *_SCHEME_PARAMS.values()):
            self.editor(key).setEnabled(not explicit)
        _set_row_visible(self.data_form, self.regenerate_button, DATASETS[s.dataset_name].regenerable)
        self.regenerate_button.setEnabled(not self.settings.problem())
        _set_row_visible(self.data_form, self.dataset_options,
                         bool(self._dataset_keys) or self._path_edit is not None or bool(self._feature_checks))

    def _rebuild_dataset_options(self, name: str) -> None:
        """The rows of the chosen data set's parameters (generated from its DatasetParams)."""
        self._unbind(self._dataset_keys)
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self._dataset_keys = []
        self._feature_checks = {}
        self._path_edit = self._browse_button = self._path_label = None
        self._target_combo = self._target_label = self._features_label = None
        for p in DATASETS[name].params:
            if p.name in _HIDDEN_PARAMS:
                continue
            key = f"dataset.{p.name}"
            if p.type in ("int", "float", "bool", "choice"):
                self._bind(self.options_form, key, spec=p, read=lambda s, n=p.name: s.dataset.get(n),
                           changes=lambda v, n=p.name: {"dataset": {n: v}})
                self._dataset_keys.append(key)
            elif p.type == "path":
                self._add_path_row(name, p)
            elif p.type == "str":  # the CSV's target column: chosen from the header
                self._target_combo = QComboBox(self)
                self._target_combo.setObjectName("target_combo")
                self._target_combo.setToolTip(dataset_param_doc(p.doc))
                self._target_combo.activated.connect(self._target_chosen)
                self._target_label = QLabel(self)
                self.options_form.addRow(self._target_label, self._target_combo)
            elif p.type == "features":
                self._add_feature_row(p)
        self._shown_dataset = name
        self.retranslate_ui()

    def _add_path_row(self, name: str, p) -> None:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self._path_edit = QLineEdit(row)
        self._path_edit.setObjectName("path_edit")
        self._path_edit.setToolTip(dataset_param_doc(p.doc))
        self._path_edit.editingFinished.connect(self._path_edited)
        self._browse_button = QPushButton(row)
        self._browse_button.setObjectName("browse_button")
        self._browse_button.clicked.connect(self._browse)
        layout.addWidget(self._path_edit, 1)
        layout.addWidget(self._browse_button)
        self._path_label = QLabel(self)
        self.options_form.addRow(self._path_label, row)

    def _add_feature_row(self, p) -> None:
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        for i, feature in enumerate(FEATURES):
            check = QCheckBox(FEATURE_LABELS.get(feature, feature), box)
            check.setObjectName(f"feature_{feature}")
            check.setToolTip(dataset_param_doc(p.doc))
            check.toggled.connect(self._features_toggled)
            grid.addWidget(check, i // 3, i % 3)  # three a row: the settings dock stays narrow
            self._feature_checks[feature] = check
        self._features_label = QLabel(self)
        self.options_form.addRow(self._features_label, box)

    def _rebuild_hyper_rows(self, optimizer: str) -> None:
        """Replace the hyper-parameter rows with the ones the optimizer declares (one generic builder)."""
        self._unbind(self._hyper_keys)
        self._hyper_keys = []
        row = self._hyper_anchor
        for spec in hyper_fields(optimizer):
            name = spec.name.split(".", 1)[1]
            self._bind(self.training_form, spec.name, spec=spec, row=row,
                       read=lambda s, n=name: s.effective_hyper().get(n),
                       changes=lambda v, n=name: {"hyper": {n: v}},
                       labels=("β₁", "β₂") if name == "betas" else None)
            self._hyper_keys.append(spec.name)
            row += 1
        self._shown_optimizer = optimizer
        self.training_group.setToolTip(OPTIMIZERS[optimizer].formula)
        self.retranslate_ui()

    def _rebuild_activation_combos(self, n: int) -> None:
        while len(self._activation_combos) > n:
            combo = self._activation_combos.pop()
            self.activations_layout.removeWidget(combo)
            combo.hide()  # at once: the deletion waits for the event loop
            combo.deleteLater()
        texts = self._choice_texts()
        while len(self._activation_combos) < n:
            combo = QComboBox(self.activations_row)
            combo.setObjectName(f"activation_{len(self._activation_combos) + 1}")
            for activation in HIDDEN_ACTIVATIONS:
                combo.addItem(texts.get(activation, activation), activation)
            combo.activated.connect(self._activations_chosen)
            i = len(self._activation_combos)
            self.activations_layout.addWidget(combo, i // 2, i % 2)
            self._activation_combos.append(combo)
        for i, combo in enumerate(self._activation_combos, start=1):
            combo.setToolTip(self.tr("Activation of hidden layer %1").replace("%1", str(i)))

    def _fill_target_columns(self, s: TrainingSettings) -> None:
        """The CSV header's columns (read from the file: one line), "(last column)" first."""
        combo = self._target_combo
        path = str(s.dataset.get("csv", ""))
        columns = self._csv_header(self._resolve(path)) if path else ()
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItem(self.tr("(last column)"), None)
            for column in columns:
                combo.addItem(column, column)
            target = s.dataset.get("target")
            if target is not None and combo.findData(target) < 0:
                combo.addItem(str(target), target)
            combo.setCurrentIndex(max(combo.findData(target), 0) if target is not None else 0)

    def _csv_header(self, path: str) -> tuple[str, ...]:
        """The file's column names, read once per file version (csv_columns decodes the whole file)."""
        try:
            stat = os.stat(path)
        except OSError:
            return ()
        key = (path, stat.st_mtime_ns, stat.st_size)
        if self._header_cache[0] != key:
            try:
                columns = tuple(csv_columns(path))
            except (OSError, ValueError):
                columns = ()
            self._header_cache = (key, columns)
        return self._header_cache[1]

    def _resolve(self, path: str) -> str:
        base = getattr(self.session, "base_dir", None)
        return path if os.path.isabs(path) or not base else os.path.join(base, path)

    # -- controls → model ------------------------------------------------------------------------------------
    def _update(self, changes: dict[str, Any], revert: Callable[[], None] | None = None) -> bool:
        accepted = self.settings.update(**changes)
        if not accepted and revert is not None:
            revert()
        return accepted

    def _edited(self, key: str, value: Any) -> None:
        binding = self._bindings[key]
        if not self.settings.update(**binding.changes(value)):
            binding.editor.set_value(binding.read(self.settings.settings))  # show what is in force

    def _dataset_chosen(self, _index: int) -> None:
        name = self.dataset_combo.currentData()
        if name is None or name == self.settings.settings.dataset_name:
            return
        spec = {"csv": ""} if name == "csv" else {"name": name}
        self._update({"dataset": spec}, self.refresh)

    def _regenerate(self) -> None:
        s = self.settings.settings
        if DATASETS[s.dataset_name].regenerable and not self.settings.problem():
            self._update({"dataset": regenerate(s.dataset)}, self.refresh)

    def _features_toggled(self, _checked: bool) -> None:
        chosen = [f for f in FEATURES if self._feature_checks[f].isChecked()]
        if not chosen:
            self._show_error(self.tr("Choose at least one feature."))
            self.refresh()
            return
        self._update({"dataset": {"features": chosen}}, self.refresh)

    def _path_edited(self) -> None:
        key = "path" if self.settings.settings.dataset_name == "mnist" else "csv"
        text = self._path_edit.text().strip()
        if text != str(self.settings.settings.dataset.get(key, "")):
            self._set_path(key, text)

    def _set_path(self, key: str, path: str) -> None:
        changes: dict[str, Any] = {key: path}
        if key == "csv":
            changes["target"] = None  # a new file: its last column until the student picks another
        self._update({"dataset": changes}, self.refresh)

    def _browse(self) -> None:
        s = self.settings.settings
        key = "path" if s.dataset_name == "mnist" else "csv"
        start = str(s.dataset.get(key, "")) or os.path.expanduser("~")
        if key == "path":
            path = QFileDialog.getExistingDirectory(self, self.tr("Folder with the MNIST files"), start)
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a CSV file"), start,
                                                  self.tr("CSV file (*.csv *.txt)"))
        if path:
            self._set_path(key, path)

    def _target_chosen(self, _index: int) -> None:
        self._update({"dataset": {"target": self._target_combo.currentData()}}, self.refresh)

    def _hidden_edited(self) -> None:
        text = self.hidden_edit.text()
        try:
            hidden = parse_hidden(text)
        except ValueError:
            self._show_error(self.tr("Hidden layers: write whole numbers separated by commas, e.g. 8, 8."))
            return
        if hidden != self.settings.settings.hidden:
            self._update({"hidden": hidden})
        else:
            self._show_error("")

    def _activations_chosen(self, _index: int) -> None:
        acts = tuple(combo.currentData() for combo in self._activation_combos)
        self._update({"activation": acts}, self.refresh)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _run_state_changed(self, state: str) -> None:
        running = state == "running"
        for group in (self.data_group, self.network_group, self.init_group, self.training_group):
            group.setEnabled(not running)
        self.running_label.setVisible(running)


# ---------------------------------------------------------------------------------------------------- helpers


def _form(parent: QWidget) -> QFormLayout:
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def _first(value):
    return value[0] if isinstance(value, tuple) and value else value


def parse_hidden_or_none(text: str) -> tuple[int, ...] | None:
    try:
        return parse_hidden(text)
    except ValueError:
        return None


def _set_row_visible(form: QFormLayout, field: QWidget, visible: bool) -> None:
    form.setRowVisible(field, visible)
