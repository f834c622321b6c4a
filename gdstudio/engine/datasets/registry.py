"""Every data set by name, with its parameters declared once: the experiment-file validator and the GUI's
controls (ranges, defaults, tooltips) both read ``DATASETS``.

A spec is the ``"dataset"`` object of a training experiment: ``{"name": "circle", "n": 500, "noise": 0.1}``,
``{"name": "mnist", "path": "DIR"}`` or ``{"csv": "PATH", "target": "COLUMN"}``. Validation is strict — unknown
names and keys, wrong types, NaN, out-of-range values all raise :class:`DatasetError` with the dotted field
("dataset.noise: must be between 0 and 0.5 (got 0.7)"). Note the two XORs: ``"xor"`` is the 4-point logic gate
of chapter 2, ``"xor2d"`` the Playground's 2-D point cloud.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gdstudio.engine.datasets.base import Dataset, DatasetError
from gdstudio.engine.datasets.classification2d import NOISE_MEANING, POINT_SETS, point_set
from gdstudio.engine.datasets.csv_loader import CSV_TASKS, load_csv
from gdstudio.engine.datasets.digits import load_digits
from gdstudio.engine.datasets.features import DEFAULT_FEATURES, FEATURES, check_features
from gdstudio.engine.datasets.gates import gate
from gdstudio.engine.datasets.mnist import mnist_dataset
from gdstudio.engine.datasets.regression import five_points, line, plane
from gdstudio.engine.spec_checks import SpecReader, join, show, suggest

__all__ = [
    "DATASETS",
    "DATASET_GROUPS",
    "DTYPES",
    "DatasetInfo",
    "DatasetParam",
    "default_spec",
    "load_dataset",
    "new_seed",
    "regenerate",
    "validate_spec",
]

DTYPES = ("float32", "float64")
MAX_SEED = 2**32 - 1
MAX_PATH_CHARS = 4096


@dataclass(frozen=True)
class DatasetParam:
    """One parameter of a data set: what the validator enforces and what the GUI shows."""

    name: str  # key in the spec
    type: str  # "int" | "float" | "bool" | "str" | "path" | "choice" | "features" | "columns"
    default: Any  # None for a required parameter (see ``required``) or "off" (see ``nullable``)
    minimum: float | None = None
    maximum: float | None = None
    doc: str = ""  # one line, English; the GUI's tooltip
    choices: tuple[str, ...] = ()  # "choice": allowed values; "features": the toggles
    nullable: bool = False  # null allowed (train_size null = all images, target null = last column)
    required: bool = False
    log: bool = False  # spans decades: a log slider suits it


@dataclass(frozen=True)
class DatasetInfo:
    """A data set the registry can build."""

    name: str  # the spec's "name" ("csv": the set given by a "csv" key instead)
    group: str  # one of DATASET_GROUPS
    task: str  # "classification" | "regression"
    title: str  # display name, English
    doc: str  # one or two sentences, English
    params: tuple[DatasetParam, ...]
    build: Callable[[dict[str, Any], Path | None], Dataset] = dataclasses.field(repr=False, compare=False)

    @property
    def regenerable(self) -> bool:
        """Whether "Regenerate" (a new seed) draws new data."""
        return any(p.name == "seed" for p in self.params)

    def param(self, name: str) -> DatasetParam:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}")


DATASET_GROUPS = ("gates", "regression", "playground", "images", "file")

# ---------------------------------------------------------------------------------------------------- parameters


def _dtype(default: str) -> DatasetParam:
    return DatasetParam(
        "dtype", "choice", default, doc="Float type of the inputs: float64 (exact) or float32 (fast).", choices=DTYPES
    )


def _seed() -> DatasetParam:
    return DatasetParam("seed", "int", 0, 0, MAX_SEED, "Random seed: the same seed gives the same data.")


def _test_fraction(default: float) -> DatasetParam:
    return DatasetParam(
        "test_fraction", "float", default, 0.0, 0.9,
        "Share of the samples held out for testing (0: test on the training data).",
    )


def _noise(maximum: float, doc: str) -> DatasetParam:
    return DatasetParam("noise", "float", 0.0, 0.0, maximum, doc)


_N_DOC = "Number of points."


def _resolve(path: str, base_dir: Path | None) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() or base_dir is None else base_dir / p


def _build_gate(name: str) -> Callable[[dict[str, Any], Path | None], Dataset]:
    return lambda v, base: gate(name, dtype=v["dtype"])


def _build_points(name: str) -> Callable[[dict[str, Any], Path | None], Dataset]:
    return lambda v, base: point_set(
        name, n=v["n"], noise=v["noise"], test_fraction=v["test_fraction"], seed=v["seed"],
        features=v["features"], dtype=v["dtype"],
    )


_GATE_DOCS = {
    "and": ("AND gate", "The 4-point truth table of AND; one perceptron separates it."),
    "or": ("OR gate", "The 4-point truth table of OR; one perceptron separates it."),
    "nand": ("NAND gate", "The 4-point truth table of NAND; one perceptron separates it."),
    "xor": ("XOR gate", "The 4-point truth table of XOR; not linearly separable, it needs a hidden layer."),
}
_POINT_TITLES = {"circle": "Circle", "xor2d": "XOR (2-D points)", "gaussians": "Two Gaussians",
                 "spiral": "Spiral", "moons": "Moons"}
_POINT_DOCS = {
    "circle": "A disc of class 1 inside a ring of class 0.",
    "xor2d": "Class 1 where x1·x2 > 0: XOR as a cloud of points (the 4-point gate is 'xor').",
    "gaussians": "Two Gaussian clouds around (2, 2) and (−2, −2).",
    "spiral": "Two interleaved spirals; needs a deeper net or the sin features.",
    "moons": "Two interleaving half circles.",
}


def _infos() -> dict[str, DatasetInfo]:
    infos: list[DatasetInfo] = []
    for name, (title, doc) in _GATE_DOCS.items():
        infos.append(DatasetInfo(name, "gates", "classification", title, doc, (_dtype("float64"),), _build_gate(name)))
    infos += [
        DatasetInfo(
            "line", "regression", "regression", "Line y = 3x + 0.8",
            "Points on a line with optional Gaussian noise; the model y = w·x + b has an exact (w, b) loss surface.",
            (
                DatasetParam("n", "int", 50, 2, 10_000, _N_DOC),
                _noise(10.0, "Standard deviation σ of Gaussian noise added to y."),
                _test_fraction(0.0),
                _seed(),
                DatasetParam("slope", "float", 3.0, -100.0, 100.0, "Slope of the true line."),
                DatasetParam("intercept", "float", 0.8, -100.0, 100.0, "Intercept of the true line."),
                _dtype("float64"),
            ),
            lambda v, base: line(
                n=v["n"], noise=v["noise"], seed=v["seed"], test_fraction=v["test_fraction"],
                slope=v["slope"], intercept=v["intercept"], dtype=v["dtype"],
            ),
        ),
        DatasetInfo(
            "five_points", "regression", "regression", "Five points",
            "x = 0, .25, .5, .74, 1 and y = 0, .36, .54, .82, 1: the TensorFlow linear-regression example.",
            (_dtype("float64"),),
            lambda v, base: five_points(dtype=v["dtype"]),
        ),
        DatasetInfo(
            "plane", "regression", "regression", "Plane y = a·x1 + b·x2",
            "Points on a plane over [0, 1)² with optional Gaussian noise.",
            (
                DatasetParam("a", "float", 2.0, -100.0, 100.0, "Coefficient of x1."),
                DatasetParam("b", "float", -1.0, -100.0, 100.0, "Coefficient of x2."),
                DatasetParam("n", "int", 100, 2, 10_000, _N_DOC),
                _noise(10.0, "Standard deviation σ of Gaussian noise added to y."),
                _test_fraction(0.0),
                _seed(),
                _dtype("float64"),
            ),
            lambda v, base: plane(
                a=v["a"], b=v["b"], n=v["n"], noise=v["noise"], seed=v["seed"],
                test_fraction=v["test_fraction"], dtype=v["dtype"],
            ),
        ),
    ]
    for name in POINT_SETS:
        infos.append(
            DatasetInfo(
                name, "playground", "classification", _POINT_TITLES[name], _POINT_DOCS[name],
                (
                    DatasetParam("n", "int", 500, 4, 10_000, _N_DOC),
                    _noise(0.5, f"0 … 0.5: {NOISE_MEANING[name]}."),
                    _test_fraction(0.5),
                    _seed(),
                    DatasetParam(
                        "features", "features", list(DEFAULT_FEATURES),
                        doc="Inputs computed from each point (x1, x2), as in TF Playground.", choices=FEATURES,
                    ),
                    _dtype("float64"),
                ),
                _build_points(name),
            )
        )
    infos += [
        DatasetInfo(
            "digits", "images", "classification", "Handwritten digits 8×8",
            "1,797 real 8×8 handwritten digits that ship with the app (UCI optdigits, CC BY 4.0).",
            (_test_fraction(0.25), _seed(), _dtype("float32")),
            lambda v, base: load_digits(test_fraction=v["test_fraction"], seed=v["seed"], dtype=v["dtype"]),
        ),
        DatasetInfo(
            "mnist", "images", "classification", "MNIST",
            "70,000 handwritten digits 28×28 from the four standard IDX files in a folder.",
            (
                DatasetParam("path", "path", None, doc="Folder holding the four MNIST files (.gz or not).",
                             required=True),
                DatasetParam("train_size", "int", None, 1, 60_000, "Use the first N training images (null: all).",
                             nullable=True, log=True),
                DatasetParam("test_size", "int", None, 1, 10_000, "Use the first N test images (null: all).",
                             nullable=True, log=True),
                DatasetParam("normalize", "bool", True, doc="Scale pixels from 0..255 to [0, 1]."),
                _dtype("float32"),
            ),
            lambda v, base: mnist_dataset(
                _resolve(v["path"], base), train_size=v["train_size"], test_size=v["test_size"],
                normalize=v["normalize"], dtype=v["dtype"],
            ),
        ),
        DatasetInfo(
            "csv", "file", "classification", "CSV file",
            "A table with a header row: numeric feature columns and a target column (whole numbers or text: "
            "classification; other numbers: regression).",
            (
                DatasetParam("csv", "path", None, doc="The CSV file.", required=True),
                DatasetParam("target", "str", None, doc="Name of the target column (null: the last column).",
                             nullable=True),
                DatasetParam("columns", "columns", None, doc="Feature columns (null: all but the target).",
                             nullable=True),
                DatasetParam("task", "choice", "auto", doc="auto: decided by the target's values.",
                             choices=CSV_TASKS),
                _test_fraction(0.2),
                _seed(),
                DatasetParam("standardize", "bool", False,
                             doc="Scale each feature to mean 0 and standard deviation 1 (training statistics)."),
                _dtype("float64"),
            ),
            lambda v, base: load_csv(
                _resolve(v["csv"], base), target=v["target"], columns=v["columns"], task=v["task"],
                test_fraction=v["test_fraction"], seed=v["seed"], standardize=v["standardize"], dtype=v["dtype"],
            ),
        ),
    ]
    return {info.name: info for info in infos}


DATASETS: dict[str, DatasetInfo] = _infos()
"""name -> DatasetInfo, in the order the GUI lists them (grouped by ``group``)."""

# ---------------------------------------------------------------------------------------------------- validation


_reader = SpecReader(DatasetError)


def _read(p: DatasetParam, value: Any, path: str) -> Any:
    if value is None:
        if p.nullable:
            return None
        _reader.fail(path, "must not be null")
    if p.type == "int":
        return _reader.whole(value, path, p)
    if p.type == "float":
        return _reader.number(value, path, p)
    if p.type == "bool":
        return _reader.boolean(value, path)
    if p.type == "choice":
        return _reader.choice(value, path, p.choices, p.name)
    if p.type in ("str", "path"):
        text = _reader.string(value, path)
        if p.type == "path" and (not text.strip() or "\0" in text or len(text) > MAX_PATH_CHARS):
            _reader.fail(path, "must be a file or folder path")
        return text
    if p.type == "features":
        return list(check_features(_reader.sequence(value, path, "feature names"), path))
    if p.type == "columns":
        items = _reader.sequence(value, path, "names")
        for i, item in enumerate(items):
            if not isinstance(item, str):
                _reader.fail(f"{path}[{i}]", f"must be a column name (got {show(item)})")
        if not items:
            _reader.fail(path, "must name at least one column")
        return list(items)
    raise AssertionError(f"unknown parameter type {p.type!r}")  # pragma: no cover - a bug in DATASETS


def _info_for(spec: Any, field: str) -> DatasetInfo:
    _reader.mapping(spec, field, None)
    if "csv" in spec:
        if "name" in spec:
            _reader.fail(field, 'give either "name" or "csv", not both')
        return DATASETS["csv"]
    if "name" not in spec:
        _reader.fail(join(field, "name"), 'is required (or "csv" for a CSV file)')
    names = [n for n in DATASETS if n != "csv"]
    return DATASETS[_reader.choice(spec["name"], join(field, "name"), names, "data set")]


def validate_spec(spec: Any, *, field: str = "dataset") -> dict[str, Any]:
    """The canonical form of ``spec``: every parameter present (defaults filled in), values checked and
    normalised. Raises DatasetError naming the field; ``field`` is the prefix used in messages."""
    info = _info_for(spec, field)
    allowed = [p.name for p in info.params] + ([] if info.name == "csv" else ["name"])
    _reader.mapping(spec, field, allowed, owner=info.name)
    out: dict[str, Any] = {} if info.name == "csv" else {"name": info.name}
    for p in info.params:
        path = join(field, p.name)
        if p.name not in spec:
            if p.required:
                raise DatasetError(path, "is required")
            out[p.name] = list(p.default) if isinstance(p.default, (list, tuple)) else p.default
        else:
            out[p.name] = _read(p, spec[p.name], path)
    return out


def load_dataset(
    spec: Any, *, base_dir: str | os.PathLike[str] | None = None, field: str = "dataset"
) -> Dataset:
    """Validate ``spec`` and build its Dataset; relative paths are taken from ``base_dir`` (the experiment
    file's folder) when given. The Dataset's ``spec`` is the canonical spec, ready to save."""
    canonical = validate_spec(spec, field=field)
    info = DATASETS["csv" if "csv" in canonical else canonical["name"]]
    base = None if base_dir is None else Path(base_dir)
    try:
        ds = info.build(canonical, base)
    except DatasetError as e:
        params = [p.name for p in info.params]
        if e.field.split("[")[0] in params:  # e.g. mnist's train_size larger than the file
            raise DatasetError(join(field, e.field), e.message) from e
        path_key = next((p.name for p in info.params if p.type == "path"), None)
        # a file problem (missing, truncated, a bad CSV cell): point at the path field, keep the file's message;
        # the original error (CsvError with line/column, IdxError) stays available as __cause__
        raise DatasetError(join(field, path_key) if path_key else field, str(e)) from e
    return dataclasses.replace(ds, spec=canonical)


def default_spec(name: str) -> dict[str, Any]:
    """The canonical spec of ``name`` with every default (a required path is left as "")."""
    if name not in DATASETS:
        raise DatasetError("name", f"unknown data set {show(name)}{suggest(name, list(DATASETS))}")
    info = DATASETS[name]
    out: dict[str, Any] = {} if name == "csv" else {"name": name}
    for p in info.params:
        out[p.name] = "" if p.required else (list(p.default) if isinstance(p.default, (list, tuple)) else p.default)
    return out


def new_seed() -> int:
    """A fresh random seed for "Regenerate" (kept below 2**31 so it survives any int widget)."""
    return secrets.randbelow(2**31)


def regenerate(spec: Mapping[str, Any], seed: int | None = None) -> dict[str, Any]:
    """``spec`` with a new seed (random unless given): same shape of data, new draw."""
    out = dict(spec)
    out["seed"] = new_seed() if seed is None else seed
    validate_spec(out)
    return out
