"""Strict readers for JSON-shaped settings: one set of rules and one wording for experiment files and data-set specs.

Both the experiment parser (``gdstudio.experiment``, ``gdstudio.training_experiment``) and the data-set registry
(``engine.datasets.registry``) check the same things — unknown keys (with "did you mean"), keys given twice,
booleans where numbers belong, NaN/Infinity, non-whole integers, values out of range — and report them as
``"<dotted.field>: <message>"``. The readers live here, bound to each caller's own error class
(:class:`SpecReader`), so a file gets the same message for the same mistake wherever it sits in the file.

Pure Python (the engine never imports Qt); numpy only to recognise its scalar types.
"""

from __future__ import annotations

import difflib
import json
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NoReturn, Protocol

import numpy as np

__all__ = [
    "JsonObject",
    "Limits",
    "NonFinite",
    "SpecReader",
    "fmt_limit",
    "is_number",
    "join",
    "show",
    "suggest",
    "within",
]


class NonFinite:
    """What the JSON reader produces for NaN/Infinity (``parse_constant``), so the validator can name the field."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class JsonObject(dict):
    """A JSON object that remembers keys given twice (json keeps the last silently; the readers refuse)."""

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> JsonObject:
        obj = cls(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            obj.duplicates = tuple(k for k, _ in pairs if k in seen or seen.add(k))
        return obj


class Limits(Protocol):
    """Anything with numeric bounds (``FieldSpec``, ``DatasetParam``); the exclusive flags are optional."""

    minimum: float | None
    maximum: float | None


# ----------------------------------------------------------------------------------------------- message helpers

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def join(path: str, key: Any) -> str:
    """``optimizer`` + ``lr`` -> ``optimizer.lr``; keys that are not identifiers are bracketed: ``a["b c"]``."""
    if isinstance(key, str) and _IDENTIFIER.match(key):
        return f"{path}.{key}" if path else key
    return f"{path}[{show(key)}]"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(value: Any) -> str:
    """A short, single-line rendering of a user value for messages (JSON spelling: null, true, "text")."""
    if isinstance(value, NonFinite):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, str):
        text = json.dumps(_clip(value), ensure_ascii=False)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates stay printable
    if isinstance(value, numbers.Integral):
        n = int(value)
        return str(n) if abs(n) < 10**30 else ("a huge integer" if n.bit_length() > 1000 else f"{float(n):.3g}")
    if isinstance(value, numbers.Real):
        return repr(float(value))
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return _clip(type(value).__name__)


def fmt_limit(x: float) -> str:
    """A bound as written in messages: whole floats without ``.0`` (``10``, ``1e-06``)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def suggest(word: Any, options: Iterable[str]) -> str:
    """``"; did you mean 'adam'?"`` for a near miss, else ``""``."""
    if not isinstance(word, str):
        return ""
    match = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def is_number(value: Any) -> bool:
    """A real number that is not a boolean (JSON's true is not 1 here)."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def within(x: float, limits: Limits | None) -> bool:
    """Whether ``x`` lies within ``limits`` (``exclusive_minimum``/``exclusive_maximum`` honoured when present)."""
    if limits is None:
        return True
    lo, hi = limits.minimum, limits.maximum
    if lo is not None and (x <= lo if getattr(limits, "exclusive_minimum", False) else x < lo):
        return False
    return not (hi is not None and (x >= hi if getattr(limits, "exclusive_maximum", False) else x > hi))


# ------------------------------------------------------------------------------------------------------ readers


class SpecReader:
    """The readers, raising ``error(field, message)`` — the caller's own error class (ExperimentError, DatasetError).

    Each reader checks one value's type (and limits), returns it normalised (ints for whole numbers, floats for
    numbers) and names ``path`` in the error.
    """

    def __init__(self, error: Callable[[str, str], Exception]) -> None:
        self.error = error

    def fail(self, path: str, message: str) -> NoReturn:
        raise self.error(path, message)

    def number(self, value: Any, path: str, limits: Limits | None = None) -> float:
        """A finite number (int or float, not a boolean) within ``limits``."""
        if isinstance(value, NonFinite):
            self.fail(path, f"must be a finite number (got {value.text})")
        if not is_number(value):
            self.fail(path, f"must be a number (got {show(value)})")
        try:
            x = float(value)
        except OverflowError:
            self.fail(path, f"is too large (got {show(value)})")
        if not math.isfinite(x):
            self.fail(path, f"must be a finite number (got {show(value)})")
        self.check_limits(x, value, limits, path)
        return x

    def whole(self, value: Any, path: str, limits: Limits | None = None) -> int:
        """A whole number (``3`` or ``3.0``, not ``true``) within ``limits``."""
        if isinstance(value, NonFinite) or not is_number(value):
            self.fail(path, f"must be a whole number (got {show(value)})")
        if not isinstance(value, numbers.Integral):
            x = float(value)
            if not math.isfinite(x) or not x.is_integer():
                self.fail(path, f"must be a whole number (got {show(value)})")
        n = int(value)
        self.check_limits(n, value, limits, path)
        return n

    def check_limits(self, x: float, shown: Any, limits: Limits | None, path: str) -> None:
        """Refuse ``x`` outside ``limits``; a quantity that must be positive is told just that ("must be > 0")."""
        if within(x, limits):
            return
        assert limits is not None
        lo, hi = limits.minimum, limits.maximum
        open_lo = getattr(limits, "exclusive_minimum", False)
        open_hi = getattr(limits, "exclusive_maximum", False)
        got = f" (got {show(shown)})"
        positive = lo is not None and (lo > 0 or (lo == 0 and open_lo))
        if positive and x <= 0:
            self.fail(path, "must be > 0" + got)
        lower = None if lo is None else (f"> {fmt_limit(lo)}" if open_lo else f">= {fmt_limit(lo)}")
        upper = None if hi is None else (f"< {fmt_limit(hi)}" if open_hi else f"<= {fmt_limit(hi)}")
        if lower and upper:
            if not open_lo and not open_hi:
                self.fail(path, f"must be between {fmt_limit(lo)} and {fmt_limit(hi)}" + got)
            self.fail(path, f"must be {lower} and {upper}" + got)
        self.fail(path, f"must be {lower or upper}" + got)

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            self.fail(path, f"must be true or false (got {show(value)})")
        return bool(value)

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, f"must be a string (got {show(value)})")
        return value

    def choice(self, value: Any, path: str, choices: Sequence[str], noun: str) -> str:
        """One of ``choices``; the error calls an unknown value by ``noun`` (``unknown optimizer "Adam" …``)."""
        text = self.string(value, path)
        if text not in choices:
            self.fail(
                path,
                f"unknown {noun} {show(text)} (expected one of: {', '.join(choices)})" + suggest(text, choices),
            )
        return text

    def sequence(self, value: Any, path: str, what: str) -> Sequence[Any]:
        """A JSON list (or tuple / 1-D array); ``what`` says what it holds (``"numbers"``) for the message."""
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple, np.ndarray)):
            self.fail(path, f"must be a list of {what} (got {show(value)})")
        if isinstance(value, np.ndarray) and value.ndim != 1:
            self.fail(path, f"must be a list of {what} (got a {value.ndim}-D array)")
        return value

    def mapping(
        self, value: Any, path: str, allowed: Sequence[str] | None, required: Sequence[str] = (), owner: str = ""
    ) -> Mapping[str, Any]:
        """An object with string keys, each at most once, only ``allowed`` ones (None: any), every ``required`` one.

        ``owner`` names what the keys belong to in the unknown-key message (``unknown key for "circle"``).
        """
        if not isinstance(value, Mapping):
            self.fail(path, f"must be an object (got {show(value)})")
        for key in getattr(value, "duplicates", ()):
            self.fail(join(path, key), "is given twice")
        for key in value:
            if not isinstance(key, str):
                self.fail(path, f"keys must be strings (got {show(key)})")
            if allowed is not None and key not in allowed:
                self.fail(
                    join(path, key),
                    f"unknown key{f' for {show(owner)}' if owner else ''} (expected one of: {', '.join(allowed)})"
                    + suggest(key, allowed),
                )
        for key in required:
            if key not in value:
                self.fail(join(path, key), "is required")
        return value

    def plain(self, value: Any, path: str) -> None:
        """Walk a JSON value another validator will read: refuse keys given twice and NaN/Infinity anywhere,
        naming the exact place (``network.init.weights[0].W[1][0]: must be a finite number (got NaN)``)."""
        stack = [(value, path)]
        while stack:  # iterative: a deeply nested file must not exhaust the interpreter's stack
            item, where = stack.pop()
            if isinstance(item, NonFinite):
                self.fail(where, f"must be a finite number (got {item.text})")
            if isinstance(item, float) and not math.isfinite(item):
                self.fail(where, f"must be a finite number (got {show(item)})")
            if isinstance(item, Mapping):
                self.mapping(item, where, None)
                stack.extend((v, join(where, k)) for k, v in reversed(list(item.items())))
            elif isinstance(item, (list, tuple)):
                stack.extend((v, f"{where}[{i}]") for i, v in reversed(list(enumerate(item))))
