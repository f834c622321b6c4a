"""Training experiments (``"kind": "training"``): a data set, a network, an optimizer and a budget, in the same
versioned, strictly validated JSON as descent experiments, so the network lab's runs can be saved, shared and run
headless (``gdstudio run``).

```json
{"gdstudio": 1, "kind": "training",
 "dataset": {"name": "xor"},
 "network": {"layers": [2, 4, 1], "activation": "tanh", "output": "sigmoid", "loss": "bce",
             "init": {"scheme": "xavier", "seed": 0}},
 "optimizer": {"name": "sgd", "lr": 0.5}, "epochs": 500, "batch_size": 4, "seed": 0}
```

Optional: ``"batch_size"`` (100), ``"seed"`` (0; null = a fresh one) and ``"shuffle"`` (true; written only when
false).

Each part is declared once where it belongs: the data-set parameters by the registry (``engine.datasets.DATASETS``),
the network by ``engine.nn.NetworkSpec``, the optimizers by ``engine.optimizers``, the run settings here
(``TRAINING_FIELDS``). Validation does no I/O: a CSV or MNIST folder is read only by :meth:`load_data` /
:meth:`to_config`, relative paths taken from the experiment file's folder (``base_dir``). The descent module's
readers and header check are reused (same messages, same ``ExperimentError``); importing this module registers
the kind in ``experiment.EXPERIMENT_KINDS``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from gdstudio.engine.datasets import DatasetError, load_dataset, validate_spec
from gdstudio.engine.datasets.base import Dataset
from gdstudio.engine.nn import DTYPES, HIDDEN_ACTIVATIONS, INIT_SCHEMES, OUTPUTS, InitSpec, NetworkSpec, TrainingConfig
from gdstudio.engine.optimizers import OPTIMIZERS
from gdstudio.experiment import (
    EXPERIMENT_KINDS,
    FIELDS,
    FORMAT_VERSION,
    ExperimentError,
    FieldSpec,
    _FrozenDict,
    _read_choice,
    _read_header,
    _read_hyper,
    _reader,
)

__all__ = ["TRAINING_FIELDS", "TrainingExperiment"]

_SEED_MAX = 2**32 - 1

TRAINING_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FIELDS["optimizer.name"],
        FIELDS["optimizer.lr"],
        FieldSpec("epochs", "int", 10, 1, 100_000, "Passes over the training set."),
        FieldSpec(
            "batch_size", "int", 100, 1, 100_000,
            "Samples per update (mini-batch); more than the training set means full-batch gradient descent.",
            log=True,
        ),
        FieldSpec(
            "seed", "int", 0, 0, _SEED_MAX,
            "Seed of the shuffling, the dropout masks and the sampled views; null = a fresh one each run. "
            "The initial weights have their own seed (network.init.seed).",
            nullable=True,
        ),
        FieldSpec("shuffle", "bool", True, None, None, "Shuffle the training set at every epoch."),
    )
}
"""The run settings of a training experiment (the data set and the network declare their own fields)."""

_TOP_KEYS = ("gdstudio", "kind", "dataset", "network", "optimizer", "epochs", "batch_size", "seed", "shuffle")
_REQUIRED = ("dataset", "network", "optimizer", "epochs")
_NETWORK_KEYS = tuple(f.name for f in dataclasses.fields(NetworkSpec))
_INIT_KEYS = tuple(f.name for f in dataclasses.fields(InitSpec))
_PATH_KEYS = ("csv", "path")  # data-set keys holding a file or folder
_UNITS = FieldSpec("network.layers", "int", 1, 1, None, "Units of one layer.")


def _engine_error(exc: Exception) -> ExperimentError:
    """The engine's ``"network.layers: …"`` / ``"init.seed: …"`` ValueError as an ExperimentError on that field."""
    text = " ".join(str(exc).split())  # one line, whatever user text the engine quoted
    where, sep, message = text.partition(": ")
    if not sep or " " in where:
        return ExperimentError("network", text)
    if where == "network.output/loss":  # outputs are checked before: what is left is the loss (unknown, or no fit)
        where = "network.loss"
    elif not where.startswith("network"):
        where = f"network.{where}"
    return ExperimentError(where, message)


def _read_per_hidden(values: dict[str, Any], key: str, read: Callable[[Any, str], Any]) -> None:
    """``activation``/``dropout``/``batchnorm``: one value, or a list with one per hidden layer (types here)."""
    if key not in values:
        return
    raw, path = values[key], f"network.{key}"
    if isinstance(raw, (list, tuple)):
        values[key] = [read(v, f"{path}[{i}]") for i, v in enumerate(raw)]
    else:
        values[key] = read(raw, path)


def _read_network(value: Any) -> NetworkSpec:
    """A NetworkSpec from the file's ``"network"`` object.

    The types are read here, with the file's messages and exact paths (``network.layers[1]``,
    ``network.activation[0]``); the meaning (ranges, which output goes with which loss, weight shapes) is the
    engine's, whose ValueError is turned into an ExperimentError on the field it names.
    """
    _reader.plain(value, "network")  # keys given twice or NaN anywhere inside, with the exact place
    values = dict(_reader.mapping(value, "network", _NETWORK_KEYS))
    if isinstance(values.get("layers"), (list, tuple)):  # 4.0 is a whole number in JSON; the engine wants ints
        values["layers"] = [_reader.whole(n, f"network.layers[{i}]", _UNITS) for i, n in enumerate(values["layers"])]
    if "output" in values:
        values["output"] = _reader.choice(values["output"], "network.output", OUTPUTS, "output")
    if values.get("loss") is not None:
        values["loss"] = _reader.string(values["loss"], "network.loss")
    if "dtype" in values:
        values["dtype"] = _reader.choice(values["dtype"], "network.dtype", DTYPES, "dtype")
    _read_per_hidden(values, "activation",
                     lambda v, path: _reader.choice(v, path, HIDDEN_ACTIVATIONS, "activation"))
    _read_per_hidden(values, "dropout", _reader.number)
    _read_per_hidden(values, "batchnorm", _reader.boolean)
    for key in ("l2", "l1", "leaky_alpha"):
        if key in values:
            values[key] = _reader.number(values[key], f"network.{key}")
    if "init" in values:
        init = dict(_reader.mapping(values["init"], "network.init", _INIT_KEYS))
        if "scheme" in init:
            init["scheme"] = _reader.choice(init["scheme"], "network.init.scheme", INIT_SCHEMES, "scheme")
        for key in ("sigma", "a", "c", "bias"):
            if key in init:
                init[key] = _reader.number(init[key], f"network.init.{key}")
        if init.get("seed") is not None:
            init["seed"] = _reader.whole(init["seed"], "network.init.seed", TRAINING_FIELDS["seed"])
        if isinstance(init.get("weights"), (list, tuple)):
            for i, layer in enumerate(init["weights"]):
                _reader.mapping(layer, f"network.init.weights[{i}]", ("W", "b"), ("W",))
        values["init"] = init
    try:
        return NetworkSpec.from_dict(values)
    except (ValueError, TypeError) as exc:
        raise _engine_error(exc) from None


def _read_dataset(value: Any) -> _FrozenDict:
    """The canonical data-set spec (every parameter present), read-only, lists stored as tuples."""
    try:
        spec = validate_spec(value, field="dataset")
    except DatasetError as exc:
        raise ExperimentError(exc.field, exc.message) from None
    return _FrozenDict((k, tuple(v) if isinstance(v, list) else v) for k, v in spec.items())


@dataclass(frozen=True, eq=False)
class TrainingExperiment:
    """One training run: data set spec, network spec, optimizer and hyper-parameters, epochs, batch size, seeds.

    Construction validates and normalises like :class:`~gdstudio.experiment.DescentExperiment` (so
    ``dataclasses.replace(exp, epochs=0)`` raises ExperimentError). ``dataset`` is stored as the registry's
    canonical spec (defaults filled in); ``network`` may be given as a NetworkSpec or its file object.
    ``base_dir`` is where relative data paths are taken from (the file's folder; set by ``load_experiment``);
    it is not part of the file and not compared.
    """

    KIND: ClassVar[str] = "training"

    dataset: Mapping[str, Any]
    network: NetworkSpec
    optimizer: str = TRAINING_FIELDS["optimizer.name"].default
    hyper: Mapping[str, Any] = field(default_factory=dict)
    epochs: int = TRAINING_FIELDS["epochs"].default
    batch_size: int = TRAINING_FIELDS["batch_size"].default
    seed: int | None = TRAINING_FIELDS["seed"].default
    shuffle: bool = TRAINING_FIELDS["shuffle"].default
    base_dir: str | None = None

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "dataset", _read_dataset(self.dataset))
        if not isinstance(self.network, NetworkSpec):
            put(self, "network", _read_network(self.network))
        optimizer = _read_choice(self.optimizer, TRAINING_FIELDS["optimizer.name"], "optimizer.name")
        put(self, "hyper", _read_hyper(optimizer, self.hyper, 1))
        put(self, "epochs", _reader.whole(self.epochs, "epochs", TRAINING_FIELDS["epochs"]))
        put(self, "batch_size", _reader.whole(self.batch_size, "batch_size", TRAINING_FIELDS["batch_size"]))
        if self.seed is not None:
            put(self, "seed", _reader.whole(self.seed, "seed", TRAINING_FIELDS["seed"]))
        put(self, "shuffle", _reader.boolean(self.shuffle, "shuffle"))
        if self.base_dir is not None:
            put(self, "base_dir", os.fspath(self.base_dir))

    # -- identity: the file contents (explicit weights included; the engine's InitSpec does not compare them) ----

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict() == other.to_dict()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.KIND, self.network, self.optimizer, self.epochs, self.batch_size, self.seed, self.shuffle))

    # -- conversions ---------------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready file contents; ``TrainingExperiment.from_dict(exp.to_dict()) == exp``."""
        hyper = {k: list(v) if isinstance(v, tuple) else v for k, v in self.hyper.items()}
        d: dict[str, Any] = {
            "gdstudio": FORMAT_VERSION,
            "kind": self.KIND,
            "dataset": {k: list(v) if isinstance(v, tuple) else v for k, v in self.dataset.items()},
            "network": self.network.to_dict(),
            "optimizer": {"name": self.optimizer, **hyper},
            "epochs": self.epochs,
            "batch_size": self.batch_size,
            "seed": self.seed,
        }
        if not self.shuffle:  # written only when off: files stay readable by readers that predate the key
            d["shuffle"] = False
        return d

    @classmethod
    def from_dict(cls, d: Any) -> TrainingExperiment:
        """Validate file contents (header included) into an experiment; ExperimentError names the bad field."""
        _read_header(d, cls.KIND)
        body = _reader.mapping(d, "", _TOP_KEYS, _REQUIRED)
        optimizer = _reader.mapping(body["optimizer"], "optimizer", None, ("name",))  # hyper keys: checked later
        return cls(
            dataset=body["dataset"],
            network=body["network"],
            optimizer=optimizer["name"],
            hyper={k: v for k, v in optimizer.items() if k != "name"},
            epochs=body["epochs"],
            batch_size=body.get("batch_size", TRAINING_FIELDS["batch_size"].default),
            seed=body.get("seed", TRAINING_FIELDS["seed"].default),
            shuffle=body.get("shuffle", TRAINING_FIELDS["shuffle"].default),
        )

    def effective_hyper(self) -> dict[str, Any]:
        """Every hyper-parameter of the optimizer: the given ones plus the optimizer's defaults."""
        values = {p.name: p.default for p in OPTIMIZERS[self.optimizer].specs}
        values.update(self.hyper)
        return values

    # -- data paths ----------------------------------------------------------------------------------------------

    def with_base_dir(self, folder: str | os.PathLike[str] | None) -> TrainingExperiment:
        """The same experiment with relative data paths taken from ``folder`` (the experiment file's folder)."""
        return dataclasses.replace(self, base_dir=None if folder is None else os.fspath(folder))

    def relocated(self, folder: str | os.PathLike[str]) -> TrainingExperiment:
        """The experiment as saved into ``folder``: a relative data path is rewritten to reach the same file
        from there (absolute paths stay; a path on another drive becomes absolute)."""
        key = next((k for k in _PATH_KEYS if isinstance(self.dataset.get(k), str)), None)
        target = os.path.abspath(folder)
        if key is None or os.path.isabs(self.dataset[key]):
            return self.with_base_dir(target)
        where = os.path.normpath(os.path.join(self.base_dir or os.getcwd(), self.dataset[key]))
        try:
            moved = os.path.relpath(where, target)
        except ValueError:  # another drive (Windows): no relative path exists
            moved = where
        return dataclasses.replace(self, dataset={**self.dataset, key: Path(moved).as_posix()}, base_dir=target)

    # -- running -------------------------------------------------------------------------------------------------

    def load_data(self) -> Dataset:
        """Build the data set (reads CSV / MNIST files) and check that the network fits it (ExperimentError)."""
        try:
            ds = load_dataset(dict(self.dataset), base_dir=self.base_dir, field="dataset")
        except DatasetError as exc:
            raise ExperimentError(exc.field, exc.message) from None
        _check_fit(self.network, ds)
        return ds

    def to_config(self, dataset: Dataset | None = None, **options: Any) -> TrainingConfig:
        """The engine's run configuration; the data set is loaded unless given. ``options`` are further
        TrainingConfig settings (``blas_threads``, ``map_resolution``, …)."""
        if dataset is None:
            dataset = self.load_data()
        else:
            _check_fit(self.network, dataset)
        config = TrainingConfig(
            network=self.network, dataset=dataset, optimizer=self.optimizer, hyper=dict(self.hyper),
            epochs=self.epochs, batch_size=self.batch_size, seed=self.seed, shuffle=self.shuffle, **options,
        )
        try:
            config.check()
        except ValueError as exc:
            raise ExperimentError("", str(exc)) from None
        return config


def _check_fit(spec: NetworkSpec, ds: Dataset) -> None:
    """The input layer must match the data's features and the output layer its classes / targets."""
    n_in, n_out = spec.sizes[0], spec.sizes[-1]
    what = f"the data set {ds.name!r}"
    if n_in != ds.n_features:
        raise ExperimentError(
            "network.layers",
            f"the input layer has {n_in} unit(s) but {what} has {ds.n_features} input feature(s)",
        )
    if ds.task == "classification":
        k = ds.n_classes
        if n_out != k and not (n_out == 1 and k == 2 and spec.output != "softmax"):
            hint = " (or 1 with a sigmoid output)" if k == 2 else ""
            raise ExperimentError(
                "network.layers",
                f"the output layer has {n_out} unit(s) but {what} has {k} classes: use {k} output units{hint}",
            )
    elif n_out != ds.n_outputs:
        raise ExperimentError(
            "network.layers",
            f"the output layer has {n_out} unit(s) but {what} has {ds.n_outputs} target value(s) per sample",
        )


EXPERIMENT_KINDS[TrainingExperiment.KIND] = TrainingExperiment
