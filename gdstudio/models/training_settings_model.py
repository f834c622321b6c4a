"""TrainingSettingsModel: the network lab's settings (data set, network, optimizer, schedule), always valid, with
undo/redo of every accepted change, and the experiment-file round trip.

The user edits *hidden* layers; the input and output widths follow the data set (features; classes or regression
targets) and the output choice, so switching from XOR to the digits never leaves a network that cannot eat the
data. For the built-in sets those widths are known without loading anything (``dataset_shape``); for a CSV file the
session reports them once it has loaded the file (``note_dataset``).

Validation is an experiment file's: the settings are checked as a ``TrainingExperiment`` (data-set spec, network,
optimizer and hyper-parameters, run settings in ``TRAINING_FIELDS``), so the messages are the ones ``gdstudio run``
gives ("network.dropout: …") and a file loads in the lab exactly when it loads in the CLI; the lab adds only its own
limits (hidden layers, units, a fixed seed, a head that fits the task). A required path still empty (MNIST folder,
CSV file just picked in the list) is accepted: the run cannot start, and ``problem()`` says why.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from gdstudio.engine.datasets import DATASETS, DatasetError, default_spec, new_seed, validate_spec
from gdstudio.engine.datasets.classification2d import POINT_SETS
from gdstudio.engine.datasets.gates import GATES
from gdstudio.engine.nn import HIDDEN_ACTIVATIONS, InitSpec, NetworkSpec
from gdstudio.engine.nn.losses import canonical_output_loss
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.experiment import ExperimentError, FieldSpec
from gdstudio.models.undo import ReplaceValueCommand, field_merge_key
from gdstudio.training_experiment import TRAINING_FIELDS, TrainingExperiment

__all__ = [
    "GROUP_SCHEDULES",
    "MAX_BATCH_SIZE",
    "MAX_EPOCHS",
    "SETTINGS_FIELDS",
    "SettingsError",
    "TrainingSettings",
    "TrainingSettingsModel",
    "dataset_shape",
    "default_settings",
    "experiment_for",
    "layer_sizes",
    "network_spec_for",
    "output_units",
    "settings_from_dict",
    "settings_from_experiment",
]

MAX_EPOCHS = int(TRAINING_FIELDS["epochs"].maximum)
MAX_BATCH_SIZE = int(TRAINING_FIELDS["batch_size"].maximum)
MAX_SEED = int(TRAINING_FIELDS["seed"].maximum)
MAX_HIDDEN_LAYERS = 10
MAX_UNITS = 4096

SETTINGS_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        # The run settings as experiment files declare them (types and ranges: one table), with the lab's defaults
        # (the XOR example) and docs; the lab always fixes the seed, so Reset repeats the run.
        dataclasses.replace(TRAINING_FIELDS["epochs"], default=500, doc="Passes over the training data."),
        dataclasses.replace(TRAINING_FIELDS["batch_size"], default=4,
                            doc="Samples per update (larger than the data set: full batch)."),
        dataclasses.replace(TRAINING_FIELDS["seed"], nullable=False,
                            doc="Seed of the shuffling and of the dropout masks."),
        FieldSpec("network.l2", "float", 0.0, 0.0, 10.0, "L2 weight decay λ: adds ½·λ·Σ‖W‖² to the loss."),
        FieldSpec("network.l1", "float", 0.0, 0.0, 10.0, "L1 penalty λ₁: adds λ₁·Σ|W| to the loss."),
        FieldSpec("network.dropout", "float", 0.0, 0.0, 0.95, "Share of hidden units dropped in each training step.",
                  exclusive_maximum=True),
        FieldSpec("network.batchnorm", "bool", False, None, None, "Batch normalization after every hidden layer."),
        FieldSpec("network.leaky_alpha", "float", 0.01, 0.0, 1.0, "Slope of leaky ReLU for negative inputs.",
                  exclusive_maximum=True),
        FieldSpec("network.dtype", "choice", "auto", None, None,
                  "Float type: auto follows the data (float32 for images), float64 is exact.",
                  choices=("auto", "float64", "float32")),
        FieldSpec("network.init.scheme", "choice", "xavier", None, None, "How the initial weights are drawn.",
                  choices=("auto", "zeros", "constant", "uniform", "normal", "xavier", "glorot_uniform", "he")),
        FieldSpec("network.init.sigma", "float", 0.01, 0.0, 100.0, "Standard deviation σ of the normal scheme."),
        FieldSpec("network.init.a", "float", 0.05, 0.0, 100.0, "Half-width a of the uniform scheme U(−a, a)."),
        FieldSpec("network.init.c", "float", 0.0, -100.0, 100.0, "Value c of every weight (constant scheme)."),
        FieldSpec("network.init.seed", "int", 0, 0, MAX_SEED, "Seed of the initial weights (Reset keeps it)."),
    )
}
"""Declared fields of the form (ranges, tooltips): FieldEditor builds their controls."""

GROUP_SCHEDULES: dict[str, tuple[int, int]] = {
    "gates": (500, 4),
    "regression": (200, 10),
    "playground": (100, 10),
    "images": (10, 32),
    "file": (100, 32),
}
"""(epochs, batch size) suggested when the data set moves to another group (4 gate rows vs 1,797 digits)."""


class SettingsError(ValueError):
    """A refused setting; ``str(e)`` is "field: message" like every experiment-file error."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TrainingSettings:
    """One consistent set of settings (immutable; dict fields are never modified in place).

    ``output_units`` is None (follow the data set) unless an experiment file fixed the output width.
    """

    dataset: dict[str, Any] = field(default_factory=lambda: default_spec("xor"))
    hidden: tuple[int, ...] = (4,)
    activation: tuple[str, ...] = ("tanh",)
    output: str = "sigmoid"
    loss: str = "bce"
    init: dict[str, Any] = field(default_factory=lambda: {"scheme": "xavier", "seed": 0})
    dropout: float | tuple[float, ...] = 0.0
    batchnorm: bool | tuple[bool, ...] = False
    l2: float = 0.0
    l1: float = 0.0
    leaky_alpha: float = 0.01
    dtype: str = "auto"
    optimizer: str = "sgd"
    hyper: dict[str, Any] = field(default_factory=lambda: {"lr": 0.5})
    epochs: int = SETTINGS_FIELDS["epochs"].default
    batch_size: int = SETTINGS_FIELDS["batch_size"].default
    seed: int = SETTINGS_FIELDS["seed"].default
    shuffle: bool = TRAINING_FIELDS["shuffle"].default
    output_units: int | None = None

    @property
    def dataset_name(self) -> str:
        return "csv" if "csv" in self.dataset else str(self.dataset.get("name", ""))

    @property
    def dataset_group(self) -> str:
        return DATASETS[self.dataset_name].group

    @property
    def lr(self) -> float:
        return float(self.effective_hyper()["lr"])

    @property
    def has_explicit_weights(self) -> bool:
        return self.init.get("weights") is not None

    def effective_hyper(self) -> dict[str, Any]:
        """Every hyper-parameter of the optimizer, defaults filled in."""
        out = OPTIMIZERS[self.optimizer].defaults()
        out.update(self.hyper)
        return out


FIELD_NAMES = tuple(f.name for f in dataclasses.fields(TrainingSettings))
_UNMERGEABLE = ("dataset", "hidden", "optimizer")
"""Edits that are undone alone: quick edits of any other fields (a dragged slider) merge into one step."""


def default_settings() -> TrainingSettings:
    """The issue's example: XOR learned by a 2-4-1 tanh net with a sigmoid output, SGD at lr 0.5."""
    return TrainingSettings()


# ------------------------------------------------------------------------------------------------ data set shapes

_STATIC_SHAPES: dict[str, tuple[int, str, int]] = {
    **{g: (2, "classification", 2) for g in GATES},
    "line": (1, "regression", 1),
    "five_points": (1, "regression", 1),
    "plane": (2, "regression", 1),
    "digits": (64, "classification", 10),
    "mnist": (784, "classification", 10),
}


def _spec_key(spec: Mapping[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, default=str)


def dataset_shape(spec: Mapping[str, Any]) -> tuple[int, str, int] | None:
    """(inputs, task, classes or regression outputs) of a built-in set without loading it; None for a CSV file."""
    name = "csv" if "csv" in spec else spec.get("name")
    if name in POINT_SETS:
        return len(spec.get("features") or ("x1", "x2")), "classification", 2
    return _STATIC_SHAPES.get(name)


def output_units(output: str, task: str, targets: int) -> int:
    """Width of the output layer: regression → one unit per target; two classes with a single-unit output
    (sigmoid, tanh, identity, step) → 1; else one unit per class (softmax, or one-hot targets)."""
    if task == "regression":
        return max(1, targets)
    if targets == 2 and output != "softmax":
        return 1
    return max(2, targets)


def layer_sizes(s: TrainingSettings, shape: tuple[int, str, int]) -> tuple[int, ...]:
    """(inputs, hidden…, outputs) of the network for a data set of ``shape`` (inputs, task, targets)."""
    n_in, task, targets = shape
    n_out = s.output_units if s.output_units is not None else output_units(s.output, task, targets)
    return (n_in, *s.hidden, n_out)


def network_spec_for(s: TrainingSettings, shape: tuple[int, str, int]) -> NetworkSpec:
    """The engine's NetworkSpec for these settings on a data set of ``shape`` (pure: callable on a worker)."""
    return _network_spec(s, layer_sizes(s, shape))


# ------------------------------------------------------------------------------------------------ the model


class TrainingSettingsModel(QObject):
    """Holds one valid :class:`TrainingSettings`; ``changed`` after every change, ``error(str)`` for refusals
    ("" clears the message)."""

    changed = Signal()
    error = Signal(str)

    def __init__(self, settings: TrainingSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loaded_shapes: dict[str, tuple[int, str, int]] = {}
        self._settings = _normalized(settings if settings is not None else default_settings())
        self._validate(self._settings)
        self.undo_stack = QUndoStack(self)

    @property
    def settings(self) -> TrainingSettings:
        return self._settings

    # -- shapes ------------------------------------------------------------------------------------------------
    def note_dataset(self, spec: Mapping[str, Any], n_features: int, task: str, targets: int) -> None:
        """The session loaded ``spec``: remember its shape (CSV files cannot be sized without loading)."""
        self._loaded_shapes[_spec_key(spec)] = (int(n_features), str(task), int(targets))

    def dataset_shape(self, settings: TrainingSettings | None = None) -> tuple[int, str, int] | None:
        s = settings or self._settings
        return self._loaded_shapes.get(_spec_key(s.dataset)) or dataset_shape(s.dataset)

    def layer_sizes(self, settings: TrainingSettings | None = None,
                    shape: tuple[int, str, int] | None = None) -> tuple[int, ...] | None:
        """(inputs, hidden…, outputs) for the data set's shape (None while a CSV file's shape is unknown)."""
        s = settings or self._settings
        shape = shape or self.dataset_shape(s)
        return None if shape is None else layer_sizes(s, shape)

    def network_spec(self, shape: tuple[int, str, int] | None = None,
                     settings: TrainingSettings | None = None) -> NetworkSpec:
        """The engine's NetworkSpec for the data set's shape (ValueError "network.…" if impossible)."""
        s = settings or self._settings
        shape = shape or self.dataset_shape(s)
        if shape is None:  # placeholder widths: checks everything else
            return _network_spec(s, (1, *s.hidden, s.output_units or 2))
        return network_spec_for(s, shape)

    def report_problem(self, message: str) -> None:
        """Show a problem found while using the settings (a data file that cannot be read) like a refusal."""
        self.error.emit(message)

    def problem(self) -> str:
        """Why the run cannot start with these (valid) settings, or "" (a required path not chosen yet)."""
        s = self._settings
        for p in DATASETS[s.dataset_name].params:
            if p.required and not str(s.dataset.get(p.name, "")).strip():
                if p.type == "path" and s.dataset_name == "mnist":
                    return self.tr("Choose the folder that holds the MNIST files.")
                return self.tr("Choose the CSV file.")
        return ""

    # -- intents -----------------------------------------------------------------------------------------------
    def update(self, **changes: Any) -> bool:
        """Apply field changes (TrainingSettings field names); False + ``error`` if they are refused.

        Dicts (``dataset``, ``init``, ``hyper``) are merged into the current ones (a None value removes a key),
        except a ``dataset`` naming another data set, which starts from that set's defaults.
        """
        unknown = sorted(set(changes) - set(FIELD_NAMES))
        if unknown:
            raise TypeError(f"unknown training setting(s): {', '.join(unknown)}")
        try:
            new = self._derive(self._settings, changes)
            self._validate(new)
        except (SettingsError, DatasetError, ValueError) as exc:
            self.error.emit(str(exc))
            return False
        if new == self._settings:
            self.error.emit("")
            return True
        text = self.tr("Change %1").replace("%1", ", ".join(sorted(changes)))
        self.undo_stack.push(ReplaceValueCommand(self, self._settings, new, text,
                                                 field_merge_key(changes, _UNMERGEABLE)))
        return True

    def set_settings(self, settings: TrainingSettings, *, undoable: bool = True) -> None:
        """Replace everything (validated; SettingsError/ValueError if impossible)."""
        settings = _normalized(settings)
        self._validate(settings)
        if settings == self._settings:
            return
        if undoable:
            self.undo_stack.push(ReplaceValueCommand(self, self._settings, settings, self.tr("Load experiment")))
        else:
            self._apply(settings)

    def redraw_seed(self, seed: int) -> None:
        """New initial weights ("Re-draw"): a new init seed, explicit weights forgotten (undoable)."""
        init = {k: v for k, v in self._settings.init.items() if k != "weights"}
        init["seed"] = int(seed)
        if init.get("scheme") is None:
            init["scheme"] = "auto"
        new = dataclasses.replace(self._settings, init=init)
        self.undo_stack.push(ReplaceValueCommand(self, self._settings, new, self.tr("Re-draw weights")))

    # -- experiment files ----------------------------------------------------------------------------------------
    def to_experiment_dict(self) -> dict[str, Any]:
        """The settings in the experiment-file form (``"kind": "training"``), JSON-ready: what
        ``TrainingExperiment.to_dict`` writes, with a required path not chosen yet left empty and one activation
        name when every hidden layer has the same."""
        s = self._settings
        d = experiment_for(s, self.network_spec()).to_dict()
        d["dataset"] = copy.deepcopy(s.dataset)
        d["network"] |= _activation_entry(s)
        return d

    def from_experiment_dict(self, d: Mapping[str, Any], *, undoable: bool = True) -> None:
        """Load the experiment-file form, validated as ``gdstudio run`` validates a file
        (``TrainingExperiment.from_dict``); SettingsError / ValueError naming the field if it is not valid."""
        self.set_settings(settings_from_dict(d), undoable=undoable)

    # -- internals ---------------------------------------------------------------------------------------------
    def _apply(self, settings: TrainingSettings) -> None:
        self._settings = settings
        self.error.emit("")
        self.changed.emit()

    def _validate(self, s: TrainingSettings) -> None:
        _validate_settings(s)
        experiment_for(s, self.network_spec(settings=s))  # the engine's network checks, then the file's

    @staticmethod
    def _derive(s: TrainingSettings, changes: dict[str, Any]) -> TrainingSettings:
        rest = dict(changes)
        if "dataset" in rest:
            s = _with_dataset(s, rest.pop("dataset"))
        if "hidden" in rest:
            s = _with_hidden(s, rest.pop("hidden"))
        if "optimizer" in rest:
            s = _with_optimizer(s, rest.pop("optimizer"))
        for name in ("init", "hyper"):
            if name in rest:
                merged = dict(getattr(s, name))
                merged.update(rest.pop(name) or {})
                rest[name] = {k: v for k, v in merged.items() if v is not None}
        if "init" in rest and rest["init"].get("weights") is None:
            rest["init"].pop("weights", None)
        if "activation" in rest and isinstance(rest["activation"], str):
            rest["activation"] = (rest["activation"],) * len(s.hidden)
        if "activation" in rest:
            rest["activation"] = tuple(rest["activation"])
        if {"output", "loss"} & set(rest):
            rest.setdefault("output_units", None)
            if "output" in rest and "loss" not in rest:
                rest["loss"] = None  # the new output's own loss
        s = dataclasses.replace(s, **rest) if rest else s
        return _canonical_loss(s)


# ------------------------------------------------------------------------------------------------ helpers


def _canonical_dataset(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter present (defaults filled in), a required path still empty kept empty."""
    out = validate_spec(_with_placeholder_paths(spec))
    for key in ("path", "csv"):
        if spec.get(key) == "":
            out[key] = ""
    return out


def _normalized(s: TrainingSettings) -> TrainingSettings:
    """Settings built by hand (``TrainingSettings(dataset={"name": "circle"})``) in the canonical form the model
    keeps: the full data-set spec, the loss named, one activation per hidden layer."""
    try:
        dataset = _canonical_dataset(s.dataset)
    except ValueError as exc:
        raise _settings_error(exc) from None
    activation = s.activation
    if isinstance(activation, str):
        activation = (activation,) * len(s.hidden)
    s = dataclasses.replace(s, dataset=dataset, hidden=tuple(s.hidden), activation=tuple(activation))
    return _canonical_loss(s)


def _settings_error(exc: ValueError) -> SettingsError:
    """A "field: message" ValueError from the engine as a SettingsError with the same field."""
    if isinstance(exc, SettingsError):
        return exc
    field, sep, message = str(exc).partition(": ")
    if not sep or " " in field:
        return SettingsError("", str(exc))
    return SettingsError(field, message)


def _canonical_loss(s: TrainingSettings) -> TrainingSettings:
    """``loss=None`` (or an alias) → the canonical name, so equal settings compare equal."""
    try:
        _, loss = canonical_output_loss(s.output, s.loss)
    except ValueError as exc:
        raise SettingsError("network.loss", str(exc)) from None
    return s if loss == s.loss else dataclasses.replace(s, loss=loss)


def _activation_entry(s: TrainingSettings) -> dict[str, Any]:
    """One name when every hidden layer has the same activation (the usual file form), else the list."""
    if not s.activation:
        return {"activation": "relu"}
    if len(set(s.activation)) == 1:
        return {"activation": s.activation[0]}
    return {"activation": list(s.activation)}


def _network_spec(s: TrainingSettings, layers: tuple[int, ...]) -> NetworkSpec:
    activation: Any = s.activation[0] if len(set(s.activation)) == 1 else tuple(s.activation)
    if not s.hidden:
        activation = "relu"  # unused without hidden layers
    return NetworkSpec(
        layers=tuple(layers), activation=activation, output=s.output, loss=s.loss, init=InitSpec.from_dict(s.init),
        dropout=s.dropout, batchnorm=s.batchnorm, l2=s.l2, l1=s.l1, leaky_alpha=s.leaky_alpha, dtype=s.dtype,
    )


def _with_placeholder_paths(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A required path still empty is replaced by a placeholder, so the rest of the spec can be checked."""
    out = dict(spec)
    name = "csv" if "csv" in spec else spec.get("name")
    if name in DATASETS:
        for p in DATASETS[name].params:
            if p.required and p.name in out and out[p.name] == "":
                out[p.name] = "?"
    return out


def _whole(value: Any, name: str, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise SettingsError(name, f"must be a whole number from {lo} to {hi:,}")


def _validate_settings(s: TrainingSettings) -> None:
    validate_spec(_with_placeholder_paths(s.dataset))
    if len(s.hidden) > MAX_HIDDEN_LAYERS:
        raise SettingsError("network.layers", f"at most {MAX_HIDDEN_LAYERS} hidden layers")
    for n in s.hidden:
        _whole(n, "network.layers", 1, MAX_UNITS)
    if len(s.activation) != len(s.hidden):
        raise SettingsError("network.activation", "give one activation per hidden layer")
    for a in s.activation:
        if a not in HIDDEN_ACTIVATIONS:
            raise SettingsError("network.activation",
                                f"unknown activation {a!r} (valid: {', '.join(HIDDEN_ACTIVATIONS)})")
    try:
        output, loss = canonical_output_loss(s.output, s.loss)
    except ValueError as exc:
        raise SettingsError("network.output", str(exc)) from None
    info = DATASETS["csv" if "csv" in s.dataset else s.dataset.get("name")]
    task = info.task if info.name != "csv" else s.dataset.get("task", "auto")
    if task == "regression" and (output == "softmax" or loss in ("cross_entropy", "bce")):
        raise SettingsError("network.output",
                            f"{output} + {loss} needs class labels; this data set is a regression "
                            "(use the identity output with mse)")
    if s.optimizer not in OPTIMIZERS:  # effective_hyper() needs a known optimizer
        raise SettingsError("optimizer.name", f"unknown optimizer {s.optimizer!r} (valid: {', '.join(OPTIMIZERS)})")
    if s.seed is None:
        raise SettingsError("seed", "the lab needs a fixed seed (so that Reset repeats the run)")
    if s.output_units is not None:
        _whole(s.output_units, "network.layers", 1, MAX_UNITS)


def experiment_for(s: TrainingSettings, network: NetworkSpec) -> TrainingExperiment:
    """The settings as a training experiment with ``network`` (a required path not chosen yet filled with a
    placeholder): validated as an experiment file is (SettingsError naming the file's field)."""
    try:
        return TrainingExperiment(
            dataset=_with_placeholder_paths(s.dataset), network=network, optimizer=s.optimizer,
            hyper=s.hyper, epochs=s.epochs, batch_size=s.batch_size, seed=s.seed, shuffle=s.shuffle,
        )
    except ExperimentError as exc:
        raise SettingsError(exc.field, exc.message) from None


def _with_dataset(s: TrainingSettings, spec: Mapping[str, Any]) -> TrainingSettings:
    """Another data set (or new options): defaults of a newly chosen set, the output and schedule adapted."""
    spec = dict(spec)
    old_name = s.dataset_name
    new_name = "csv" if "csv" in spec else spec.get("name", old_name)  # no name: new options of the same set
    if new_name not in DATASETS or new_name == "csv" and "name" in spec:
        raise SettingsError("dataset.name", f"unknown data set {new_name!r}")
    if new_name == old_name:
        merged = dict(s.dataset)
        merged.update(spec)  # None is a value here (train_size null = all images), not a removal
        spec = merged
    else:
        base = default_spec(new_name)
        base.update(spec)
        spec = base
    spec = _canonical_dataset(spec)
    changes: dict[str, Any] = {"dataset": spec}
    if new_name != old_name or dataset_shape(spec) != dataset_shape(s.dataset):
        changes["output_units"] = None
        init = {k: v for k, v in s.init.items() if k != "weights"}
        if init != s.init:
            changes["init"] = init
    old_info, new_info = DATASETS[old_name], DATASETS[new_name]
    if new_name != old_name:
        if new_info.group != old_info.group and new_info.group in GROUP_SCHEDULES:
            changes["epochs"], changes["batch_size"] = GROUP_SCHEDULES[new_info.group]
        if new_info.task == "regression" and new_name != "csv":
            if s.output == "softmax" or (s.loss or "") in ("cross_entropy", "bce") or s.output == "sigmoid":
                changes["output"], changes["loss"] = "identity", None
        else:
            shape = dataset_shape(spec)
            if s.output == "identity" and old_info.task == "regression":
                classes = shape[2] if shape else 3
                changes["output"], changes["loss"] = ("sigmoid" if classes == 2 else "softmax"), None
            elif s.output == "sigmoid" and shape is not None and shape[2] > 2:
                changes["output"], changes["loss"] = "softmax", None
    return _canonical_loss(dataclasses.replace(s, **changes))


def _with_hidden(s: TrainingSettings, hidden: Any) -> TrainingSettings:
    """Other hidden layers: activations follow (new layers copy the last one), explicit weights are dropped."""
    if isinstance(hidden, int):
        hidden = (hidden,)
    hidden = tuple(hidden)
    for n in hidden:
        _whole(n, "network.layers", 1, MAX_UNITS)
    acts = tuple(s.activation[: len(hidden)])
    fill = s.activation[-1] if s.activation else "relu"
    acts += (fill,) * (len(hidden) - len(acts))
    dropout = s.dropout if not isinstance(s.dropout, tuple) else (s.dropout[0] if s.dropout else 0.0)
    batchnorm = s.batchnorm if not isinstance(s.batchnorm, tuple) else (bool(s.batchnorm and s.batchnorm[0]))
    init = {k: v for k, v in s.init.items() if k != "weights"}
    return dataclasses.replace(s, hidden=hidden, activation=acts, dropout=dropout, batchnorm=batchnorm, init=init)


def _with_optimizer(s: TrainingSettings, name: str) -> TrainingSettings:
    """Switch optimizer keeping the learning rate and the hyper-parameters the new one also has."""
    if name not in OPTIMIZERS:
        raise SettingsError("optimizer.name", f"unknown optimizer {name!r} (valid: {', '.join(OPTIMIZERS)})")
    keep = {p.name for p in OPTIMIZERS[name].specs}
    hyper = {k: v for k, v in s.hyper.items() if k in keep}
    return dataclasses.replace(s, optimizer=name, hyper=hyper)


def settings_from_dict(d: Mapping[str, Any]) -> TrainingSettings:
    """Settings from the experiment-file form (a dict already parsed from JSON), validated as ``gdstudio run``
    validates a file; SettingsError naming the field."""
    try:
        experiment = TrainingExperiment.from_dict(d)
    except ExperimentError as exc:
        raise SettingsError(exc.field, exc.message) from None
    return settings_from_experiment(experiment)


def settings_from_experiment(exp: TrainingExperiment) -> TrainingSettings:
    """The lab's settings for a (valid) training experiment; SettingsError if the network cannot take the data
    set's inputs or goes beyond the lab's limits. Seeds left "fresh" (null) are drawn now, so Reset restarts
    from the same weights."""
    net = exp.network
    sizes = net.sizes
    init = net.init.to_dict()
    if init.get("seed") is None:
        init["seed"] = new_seed()
    settings = TrainingSettings(
        dataset=_canonical_dataset(dict(exp.dataset)),
        hidden=tuple(sizes[1:-1]),
        activation=tuple(net.hidden_activations),
        output=net.output,
        loss=str(net.loss),
        init=init,
        dropout=net.dropout,
        batchnorm=net.batchnorm,
        l2=net.l2,
        l1=net.l1,
        leaky_alpha=net.leaky_alpha,
        dtype=net.dtype,
        optimizer=exp.optimizer,
        hyper={"lr": OPTIMIZERS[exp.optimizer].defaults().get("lr"), **exp.hyper},  # the lab always shows an lr
        epochs=exp.epochs,
        batch_size=exp.batch_size,
        seed=new_seed() if exp.seed is None else exp.seed,
        shuffle=exp.shuffle,
        output_units=sizes[-1],
    )
    shape = dataset_shape(settings.dataset)
    if shape is not None and shape[0] != sizes[0]:
        raise SettingsError("network.layers", f"the data set has {shape[0]} input(s) but the network's input "
                                              f"layer has {sizes[0]} unit(s)")
    if shape is not None and output_units(settings.output, shape[1], shape[2]) == sizes[-1]:
        settings = dataclasses.replace(settings, output_units=None)  # the usual width: let it follow the data
    _validate_settings(settings)
    return settings
