"""Experiment files: the versioned, strictly validated JSON a student saves, shares and runs headless.

Every editable field is declared once in ``FIELDS`` (type, default, limits, doc); the validator enforces exactly
those declarations and the GUI builds its controls' ranges and tooltips from them. Optimizer hyper-parameters are
declared once by the engine (``ParamSpec``) and exposed here through :func:`hyper_fields`.

A :class:`DescentExperiment` is always valid: its constructor normalises and checks every value, so
``dataclasses.replace(exp, steps=0)`` raises :class:`ExperimentError` just like a bad file does. Errors carry the
dotted path of the offending field (``"optimizer.betas[1]"``) so both the CLI and the GUI can point at it.

File kinds are looked up in a registry (``EXPERIMENT_KINDS``); a new kind is a new dataclass with ``KIND``,
``from_dict`` and ``to_dict`` registered there. ``"descent"`` lives here; ``"training"`` (the network lab) is
:class:`gdstudio.training_experiment.TrainingExperiment`, which registers itself when this module is imported.
Callers that handle one kind only pass ``kind=`` to the loaders (the descent window refuses training files with a
readable message instead of receiving an object it cannot show).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from gdstudio.atomic import atomic_write_text
from gdstudio.engine.descent import DescentConfig
from gdstudio.engine.expression import MAX_LENGTH as MAX_EXPRESSION_LENGTH
from gdstudio.engine.expression import ExpressionError
from gdstudio.engine.functions import BUILTIN_FUNCTIONS, Function, function_from_expression, get_function
from gdstudio.engine.gradients import GRADIENT_METHODS
from gdstudio.engine.optimizers import OPTIMIZERS, make_optimizer
from gdstudio.engine.spec_checks import JsonObject, NonFinite, SpecReader, join, show, suggest, within

__all__ = [
    "EXPERIMENT_KINDS",
    "FIELDS",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "presets_dir",
    "DescentExperiment",
    "ExperimentError",
    "FieldSpec",
    "Preset",
    "default_experiment",
    "experiment_from_dict",
    "experiment_to_json",
    "hyper_fields",
    "load_experiment",
    "load_preset",
    "parse_experiment",
    "preset_index",
    "pretty_json",
    "save_experiment",
]

FORMAT_VERSION = 1
"""Newest file format this code reads and the one it writes (the top-level ``"gdstudio"`` key)."""

MAX_FILE_BYTES = 1_000_000
"""Experiment files are a few hundred bytes; anything beyond this is not one (and is refused unread)."""

def presets_dir() -> Path:
    """The bundled presets folder, found wherever gdstudio is installed (checkout, wheel or bundle)."""
    from gdstudio.resources import resource_path

    return resource_path("presets")

class ExperimentError(ValueError):
    """An invalid experiment; ``field`` is the dotted path in the file ("" for the file as a whole)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)

    def __reduce__(self):  # keep (field, message) through copy/multiprocessing
        return (type(self), (self.field, self.message))


# --------------------------------------------------------------------------------------------------------------
# Field declarations


@dataclass(frozen=True)
class FieldSpec:
    """One editable field: what the validator enforces and what the GUI shows (range, tooltip)."""

    name: str  # dotted path in the file, e.g. "optimizer.lr"
    type: str  # "int" | "float" | "bool" | "pair" | "vector" | "str" | "choice"
    default: Any
    minimum: float | None
    maximum: float | None  # for "str": the maximum length in characters (enforced by the expression parser)
    doc: str
    exclusive_minimum: bool = False  # True: value must be > minimum (h, thresholds)
    exclusive_maximum: bool = False  # True: value must be < maximum (Adam's betas)
    choices: tuple[str, ...] = ()
    log: bool = False  # spans decades: a log-scale slider suits it
    nullable: bool = False  # null / None allowed (means "off")

    def contains(self, x: float) -> bool:
        """Whether the number ``x`` lies within the declared limits."""
        return within(x, self)


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec("gdstudio", "int", FORMAT_VERSION, 1, FORMAT_VERSION, "Version of the experiment file format."),
        FieldSpec(
            "kind", "choice", "descent", None, None, "What the file describes.", choices=("descent", "training"),
        ),
        FieldSpec(
            "function.name", "choice", "bowl", None, None,
            "A built-in function to minimise.", choices=tuple(BUILTIN_FUNCTIONS),
        ),
        FieldSpec(
            "function.expression", "str", "x0**2 + x1**2", None, MAX_EXPRESSION_LENGTH,
            "A typed function of x0 (x) and optionally x1 (y), e.g. x**2 + 3*sin(y).",
        ),
        FieldSpec(
            "start", "vector", (-3.0, 4.0), -1e6, 1e6,
            "Starting point, one coordinate per variable of the function.",
        ),
        FieldSpec(
            "optimizer.name", "choice", "sgd", None, None,
            "The update rule (PyTorch semantics and defaults).", choices=tuple(OPTIMIZERS),
        ),
        FieldSpec(
            "optimizer.lr", "float", OPTIMIZERS["sgd"].spec("lr").default, 1e-6, 10.0,
            "Learning rate η: how far each step moves against the gradient (default: the optimizer's own).",
            log=True,
        ),
        FieldSpec(
            "gradient.method", "choice", "analytic", None, None,
            "analytic: exact derivative; central/forward: numerical differences with step h.",
            choices=tuple(GRADIENT_METHODS),
        ),
        FieldSpec(
            "gradient.h", "float", 1e-4, 0.0, 1.0,
            "Step h of the numerical differences (ignored by the analytic gradient).",
            exclusive_minimum=True, log=True,
        ),
        FieldSpec("steps", "int", 100, 1, 1_000_000, "Number of updates to perform."),
        FieldSpec(
            "stop.grad_norm_below", "float", None, 0.0, 1e6,
            "Stop early (converged) once the gradient norm falls below this; null = never.",
            exclusive_minimum=True, log=True, nullable=True,
        ),
    )
}


def hyper_fields(optimizer: str) -> tuple[FieldSpec, ...]:
    """FieldSpecs of one optimizer's hyper-parameters, derived from the engine's ParamSpec declarations.

    Defaults are the optimizer's own (PyTorch's); the learning rate keeps the experiment-wide limits of
    ``FIELDS["optimizer.lr"]`` (the engine alone would allow any lr in (0, 10]).
    """
    fields: list[FieldSpec] = []
    for p in OPTIMIZERS[optimizer].specs:
        if p.name == "lr":
            fields.append(dataclasses.replace(FIELDS["optimizer.lr"], default=p.default))
            continue
        fields.append(
            FieldSpec(
                f"optimizer.{p.name}", p.kind, p.default, p.minimum, p.maximum, p.doc,
                exclusive_minimum=p.min_open, exclusive_maximum=p.max_open, log=p.log,
            )
        )
    return tuple(fields)


# --------------------------------------------------------------------------------------------------------------
# Value readers (shared by files and by the constructor): each checks type and limits and names the field. The
# rules and wording are the engine's (engine.spec_checks), shared with the data-set specs.

_reader = SpecReader(ExperimentError)


def _noun(spec: FieldSpec) -> str:
    """What an unknown choice is called: function for function.name, method for gradient.method."""
    parts = spec.name.split(".")
    return parts[0] if parts[-1] == "name" else parts[-1]


def _read_choice(value: Any, spec: FieldSpec, path: str) -> str:
    return _reader.choice(value, path, spec.choices, _noun(spec))


def _read_vector(value: Any, spec: FieldSpec, path: str) -> tuple[float, ...]:
    items = _reader.sequence(value, path, "numbers")
    return tuple(_reader.number(v, f"{path}[{i}]", spec) for i, v in enumerate(items))


# --------------------------------------------------------------------------------------------------------------
# Experiments


class _FrozenDict(dict):
    """A dict that refuses mutation, so a frozen experiment's hyper-parameters (and data-set spec) stay frozen."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("experiment settings are read-only; use dataclasses.replace(exp, ...)")

    __setitem__ = __delitem__ = __ior__ = _refuse  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]

    def __copy__(self) -> _FrozenDict:
        return self

    def __deepcopy__(self, memo: dict) -> _FrozenDict:
        return self

    def __reduce__(self):
        return (_FrozenDict, (dict(self),))


def _resolve_function(name: Any, expression: Any) -> Function:
    if (name is None) == (expression is None):
        if name is None:
            raise ExperimentError("function", 'needs "name" (a built-in function) or "expression"')
        raise ExperimentError("function", 'give either "name" or "expression", not both')
    if name is not None:
        return get_function(_read_choice(name, FIELDS["function.name"], "function.name"))
    text = _reader.string(expression, "function.expression")
    try:
        return function_from_expression(text)
    except ExpressionError as exc:
        raise ExperimentError("function.expression", str(exc)) from None


def _read_hyper(optimizer: str, hyper: Any, dim: int) -> _FrozenDict:
    if not isinstance(hyper, Mapping):
        raise ExperimentError("optimizer", f"hyper-parameters must be an object (got {show(hyper)})")
    specs = {f.name.split(".", 1)[1]: f for f in hyper_fields(optimizer)}
    for key in getattr(hyper, "duplicates", ()):
        raise ExperimentError(join("optimizer", key), "is given twice")
    values: dict[str, Any] = {}
    for key, raw in hyper.items():
        path = join("optimizer", key)
        spec = specs.get(key) if isinstance(key, str) else None
        if spec is None:
            raise ExperimentError(
                path,
                f"not a hyper-parameter of {optimizer} (expected one of: {', '.join(specs)})" + suggest(key, specs),
            )
        if spec.type == "bool":
            values[key] = _reader.boolean(raw, path)
        elif spec.type == "pair":
            items = _reader.sequence(raw, path, "2 numbers")
            if len(items) != 2:
                raise ExperimentError(path, f"must be a list of 2 numbers (got {len(items)} items)")
            values[key] = _read_vector(items, spec, path)
        else:
            values[key] = _reader.number(raw, path, spec)
    try:  # the engine has the last word (e.g. combinations such as nesterov without momentum)
        make_optimizer(optimizer, [np.zeros(dim)], **values)
    except (ValueError, TypeError) as exc:
        raise ExperimentError("optimizer", str(exc).removeprefix(f"{optimizer}: ")) from None
    return _FrozenDict(sorted(values.items(), key=lambda kv: list(specs).index(kv[0])))


@dataclass(frozen=True)
class DescentExperiment:
    """One gradient-descent run: function, start, optimizer and its hyper-parameters, gradient method, budget.

    Construction validates and normalises (ints become floats, lists become tuples); ``start=None`` means the
    function's default start. ``hyper`` holds the hyper-parameters that were given; the optimizer supplies the
    others' (PyTorch) defaults, see :meth:`effective_hyper`.
    """

    KIND: ClassVar[str] = "descent"

    function_name: str | None = None
    expression: str | None = None
    start: tuple[float, ...] | None = None
    optimizer: str = FIELDS["optimizer.name"].default
    hyper: Mapping[str, Any] = field(default_factory=dict, hash=False)
    gradient_method: str = FIELDS["gradient.method"].default
    h: float = FIELDS["gradient.h"].default
    steps: int = FIELDS["steps"].default
    grad_norm_below: float | None = FIELDS["stop.grad_norm_below"].default

    def __post_init__(self) -> None:
        put = object.__setattr__
        function = _resolve_function(self.function_name, self.expression)
        put(self, "_function", function)
        if self.start is None:
            start = tuple(float(v) for v in function.default_start)
        else:
            start = _read_vector(self.start, FIELDS["start"], "start")
        if len(start) != function.dim:
            raise ExperimentError(
                "start",
                f"must have {function.dim} number{'s' if function.dim > 1 else ''} "
                f"for a {function.dim}-D function (got {len(start)})",
            )
        put(self, "start", start)
        optimizer = _read_choice(self.optimizer, FIELDS["optimizer.name"], "optimizer.name")
        put(self, "hyper", _read_hyper(optimizer, self.hyper, function.dim))
        put(self, "gradient_method", _read_choice(self.gradient_method, FIELDS["gradient.method"], "gradient.method"))
        put(self, "h", _reader.number(self.h, "gradient.h", FIELDS["gradient.h"]))
        put(self, "steps", _reader.whole(self.steps, "steps", FIELDS["steps"]))
        if self.grad_norm_below is not None:
            spec = FIELDS["stop.grad_norm_below"]
            put(self, "grad_norm_below", _reader.number(self.grad_norm_below, "stop.grad_norm_below", spec))

    # -- conversions ---------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready file contents; ``DescentExperiment.from_dict(exp.to_dict()) == exp``."""
        function = {"name": self.function_name} if self.function_name is not None else {"expression": self.expression}
        hyper = {k: list(v) if isinstance(v, tuple) else v for k, v in self.hyper.items()}
        d: dict[str, Any] = {
            "gdstudio": FORMAT_VERSION,
            "kind": self.KIND,
            "function": function,
            "start": list(self.start),
            "optimizer": {"name": self.optimizer, **hyper},
            "gradient": {"method": self.gradient_method, "h": self.h},
            "steps": self.steps,
        }
        if self.grad_norm_below is not None:
            d["stop"] = {"grad_norm_below": self.grad_norm_below}
        return d

    @classmethod
    def from_dict(cls, d: Any) -> DescentExperiment:
        """Validate file contents (header included) into an experiment; ExperimentError names the bad field."""
        _read_header(d, cls.KIND)
        body = _reader.mapping(
            d, "", ("gdstudio", "kind", "function", "start", "optimizer", "gradient", "steps", "stop"),
            ("function", "start", "optimizer", "steps"),
        )
        function = _reader.mapping(body["function"], "function", ("name", "expression"))
        optimizer = _reader.mapping(body["optimizer"], "optimizer", None, ("name",))  # hyper keys: checked later
        gradient = _reader.mapping(body.get("gradient", {}), "gradient", ("method", "h"))
        stop = _reader.mapping(body.get("stop", {}), "stop", ("grad_norm_below",))
        if body["start"] is None:  # None in the constructor means "default start"; a file must be explicit
            raise ExperimentError("start", "must be a list of numbers (got null)")
        for key in ("name", "expression"):
            if key in function and function[key] is None:
                raise ExperimentError(f"function.{key}", "must be a string (got null)")
        return cls(
            function_name=function.get("name"),
            expression=function.get("expression"),
            start=body["start"],
            optimizer=optimizer["name"],
            hyper={k: v for k, v in optimizer.items() if k != "name"},
            gradient_method=gradient.get("method", FIELDS["gradient.method"].default),
            h=gradient.get("h", FIELDS["gradient.h"].default),
            steps=body["steps"],
            grad_norm_below=stop.get("grad_norm_below"),
        )

    def resolve_function(self) -> Function:
        """The engine Function (built once, at construction)."""
        return self._function  # type: ignore[attr-defined]

    def effective_hyper(self) -> dict[str, Any]:
        """Every hyper-parameter of the optimizer: the given ones plus the optimizer's defaults."""
        values = {p.name: p.default for p in OPTIMIZERS[self.optimizer].specs}
        values.update(self.hyper)
        return values

    def to_config(self) -> DescentConfig:
        """The engine's run configuration for this experiment."""
        return DescentConfig(
            function=self.resolve_function(),
            start=self.start,
            optimizer=self.optimizer,
            hyper=dict(self.hyper),
            gradient_method=self.gradient_method,
            h=self.h,
            steps=self.steps,
            grad_norm_below=self.grad_norm_below,
        )

    def with_optimizer(self, name: str) -> DescentExperiment:
        """Switch optimizer, keeping the learning rate and the hyper-parameters the new one also has."""
        name = _read_choice(name, FIELDS["optimizer.name"], "optimizer.name")
        keep = {f.name.split(".", 1)[1] for f in hyper_fields(name)}
        return dataclasses.replace(self, optimizer=name, hyper={k: v for k, v in self.hyper.items() if k in keep})

    def with_function(self, *, name: str | None = None, expression: str | None = None) -> DescentExperiment:
        """Switch function; the start is kept when the dimension matches, else the function's default start."""
        probe = _resolve_function(name, expression)
        start = self.start if len(self.start) == probe.dim else None
        return dataclasses.replace(self, function_name=name, expression=expression, start=start)


Experiment = DescentExperiment
"""Any experiment kind: a DescentExperiment or a training_experiment.TrainingExperiment (see EXPERIMENT_KINDS)."""

EXPERIMENT_KINDS: dict[str, type[Experiment]] = {DescentExperiment.KIND: DescentExperiment}


def _read_header(d: Any, expected: str | None = None) -> str:
    """Check the ``gdstudio`` version and ``kind`` (a registered one; ``expected`` if given) before anything else,
    so newer files and files of another kind get the right message."""
    if not isinstance(d, Mapping):
        raise ExperimentError("", f"an experiment file must contain a JSON object (got {show(d)})")
    for key in getattr(d, "duplicates", ()):
        raise ExperimentError(join("", key), "is given twice")
    if "gdstudio" not in d:
        raise ExperimentError(
            "gdstudio", 'is missing: this is not a gdstudio experiment file (expected "gdstudio": 1 at the top)'
        )
    version = _reader.whole(d["gdstudio"], "gdstudio", dataclasses.replace(FIELDS["gdstudio"], maximum=None))
    if version > FORMAT_VERSION:
        raise ExperimentError(
            "gdstudio",
            f"the file uses format version {version}, but this gdstudio reads versions up to {FORMAT_VERSION}; "
            "please update gdstudio",
        )
    if "kind" not in d:
        raise ExperimentError("kind", f"is required (expected one of: {', '.join(EXPERIMENT_KINDS)})")
    kind = _reader.string(d["kind"], "kind")
    if kind not in EXPERIMENT_KINDS:
        raise ExperimentError(
            "kind",
            f"unknown kind {show(kind)} (expected one of: {', '.join(EXPERIMENT_KINDS)})"
            + suggest(kind, EXPERIMENT_KINDS),
        )
    if expected is not None and kind != expected:
        raise ExperimentError("kind", f"expected {expected!r} (got {show(kind)})")
    return kind


def experiment_from_dict(d: Any, kind: str | None = None) -> Experiment:
    """Validate file contents of any registered kind (or of ``kind`` only: another kind is an ExperimentError)."""
    return EXPERIMENT_KINDS[_read_header(d, kind)].from_dict(d)


def _decode_json(data: str | bytes) -> Any:
    if isinstance(data, (bytes, bytearray)):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExperimentError(
                "", f"not a text file in UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
            ) from None
    text = data.removeprefix("\ufeff")
    if not text.strip():
        raise ExperimentError("", "the file is empty")
    try:
        return json.loads(text, parse_constant=NonFinite, object_pairs_hook=JsonObject.from_pairs)
    except json.JSONDecodeError as exc:
        raise ExperimentError("", f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ExperimentError("", "the JSON is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal beyond Python's digit limit
        raise ExperimentError("", f"invalid JSON: {exc}") from None


def parse_experiment(data: str | bytes, kind: str | None = None) -> Experiment:
    """Parse and validate the text (or raw bytes) of an experiment file (of ``kind`` only, when given).

    Relative data paths of a training experiment parsed from text are taken from the working directory; use
    :func:`load_experiment` (or ``exp.with_base_dir(folder)``) to take them from the file's folder.
    """
    return experiment_from_dict(_decode_json(data), kind)


def _read_file(path: str | os.PathLike[str]) -> bytes:
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise ExperimentError("", f"the file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ExperimentError("", f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ExperimentError("", f"the file is too large (the limit is {MAX_FILE_BYTES} bytes)")
    return data


def load_experiment(path: str | os.PathLike[str], kind: str | None = None) -> Experiment:
    """Read and validate an experiment file; any problem (I/O, JSON, contents) is an ExperimentError.

    Relative paths inside the file (a training experiment's CSV file or MNIST folder) are taken from the file's
    folder. ``kind``: accept only that kind of experiment.
    """
    exp = parse_experiment(_read_file(path), kind)
    with_base_dir = getattr(exp, "with_base_dir", None)
    return with_base_dir(Path(path).resolve().parent) if with_base_dir is not None else exp


def pretty_json(value: Any, indent: str = "") -> str:
    """Indented JSON that keeps lists of numbers on one line ("start": [-3.0, 4.0]) for hand editing.

    Non-finite floats raise ValueError (JSON has no NaN): callers convert them first.
    """
    if isinstance(value, Mapping) and value:
        inner = indent + "  "
        items = (f"{inner}{json.dumps(k, ensure_ascii=False)}: {pretty_json(v, inner)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)) and any(isinstance(v, (Mapping, list, tuple)) for v in value):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + pretty_json(v, inner) for v in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def experiment_to_json(exp: Experiment) -> str:
    """The canonical file text: indented JSON (number lists inline), UTF-8, trailing newline."""
    return pretty_json(exp.to_dict()) + "\n"


def save_experiment(path: str | os.PathLike[str], exp: Experiment) -> Experiment:
    """Write the experiment atomically (OSError propagates: the caller decides how to tell the user).

    Returns the experiment as written: a training experiment's relative data path is rewritten so that it still
    reaches the same file from the new folder (keep the returned one as the open experiment).
    """
    relocated = getattr(exp, "relocated", None)
    if relocated is not None:
        exp = relocated(Path(path).parent)
    atomic_write_text(path, experiment_to_json(exp))
    return exp


def default_experiment() -> DescentExperiment:
    """The seed's case: x0² + x1² from (−3, 4), plain SGD with lr 0.1, central differences, 100 steps."""
    return DescentExperiment(
        expression="x0**2 + x1**2",
        start=(-3.0, 4.0),
        optimizer="sgd",
        hyper={"lr": 0.1},
        gradient_method="central",
        h=1e-4,
        steps=100,
    )


# --------------------------------------------------------------------------------------------------------------
# Presets (resources/presets/*.json + index.json with bilingual titles)


@dataclass(frozen=True)
class Preset:
    """One entry of the preset index: the file and what the menu shows."""

    file: str
    kind: str  # the experiment kind of the file ("descent", "training"): menus list the presets they can open
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str


_PRESET_KEYS = ("file", "kind", "title_en", "title_zh", "description_en", "description_zh")


def preset_index(directory: str | os.PathLike[str] | None = None, kind: str | None = None) -> tuple[Preset, ...]:
    """The validated ``index.json`` of a preset directory (default: the bundled presets); ``kind``: only those."""
    folder = Path(directory) if directory is not None else presets_dir()
    keys = ("gdstudio", "presets")
    d = _reader.mapping(_decode_json(_read_file(folder / "index.json")), "", keys, keys)
    _reader.whole(d["gdstudio"], "gdstudio", FIELDS["gdstudio"])
    entries = _reader.sequence(d["presets"], "presets", "objects")
    presets: list[Preset] = []
    for i, raw in enumerate(entries):
        path = f"presets[{i}]"
        entry = _reader.mapping(raw, path, _PRESET_KEYS, _PRESET_KEYS)
        values = {k: _reader.string(entry[k], f"{path}.{k}") for k in _PRESET_KEYS}
        for k, v in values.items():
            if not v.strip():
                raise ExperimentError(f"{path}.{k}", "must not be empty")
        name = values["file"]
        if Path(name).name != name or not name.endswith(".json") or name == "index.json":
            raise ExperimentError(f"{path}.file", f"must be a .json file name in the preset folder (got {show(name)})")
        if any(p.file == name for p in presets):
            raise ExperimentError(f"{path}.file", f"{show(name)} is listed twice")
        _reader.choice(values["kind"], f"{path}.kind", tuple(EXPERIMENT_KINDS), "kind")
        presets.append(Preset(**values))
    return tuple(p for p in presets if kind is None or p.kind == kind)


def load_preset(file: str, directory: str | os.PathLike[str] | None = None, kind: str | None = None) -> Experiment:
    """Load one preset by its file name (as listed in the index); ``kind``: accept only that kind."""
    if Path(file).name != file:
        raise ExperimentError("", f"not a preset file name: {show(file)}")
    return load_experiment((Path(directory) if directory is not None else presets_dir()) / file, kind)


# The second kind registers itself in EXPERIMENT_KINDS (it builds on the readers above, so it is imported last).
import gdstudio.training_experiment  # noqa: E402,F401  (isort: skip)
