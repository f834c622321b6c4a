"""A student's own CSV table as a data set: header row, numeric feature columns, one target column.

The target decides the task: whole numbers or text -> classification (classes sorted, numbers numerically);
other numbers -> regression (override with ``task``). Every problem is reported where it is — ``line 7, column
'petal_width': not a number: 'abc'`` — because a student fixing a spreadsheet needs the cell, not a traceback.
Anything that goes wrong is a :class:`CsvError`; files above ``max_bytes`` are refused unread.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from gdstudio.engine.datasets.base import Dataset, DatasetError, split_dataset

__all__ = ["CSV_TASKS", "MAX_CLASSES", "MAX_CSV_BYTES", "CsvError", "csv_columns", "load_csv", "parse_csv"]

MAX_CSV_BYTES = 20_000_000
"""Largest file load_csv reads (20 MB, about a million numbers): bigger tables are not for an interactive lab."""

MAX_CLASSES = 256
CSV_TASKS = ("auto", "classification", "regression")
_MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}  # spreadsheet spellings of "no value"
_MISSING_LABEL = {"", "na", "n/a", "nan", "null", "?"}  # "none" may well be a class name
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")  # longer digit strings are treated as text labels


class CsvError(DatasetError):
    """A CSV problem; ``field`` is the file name, ``line`` (1-based) and ``column`` (a name) locate it if known."""

    def __init__(self, field: str, message: str, line: int | None = None, column: str | None = None) -> None:
        self.line = line
        self.column = column
        where = ", ".join(
            part for part in (f"line {line}" if line else "", f"column {column!r}" if column else "") if part
        )
        super().__init__(field, f"{where}: {message}" if where else message)
        self.message = message

    def __reduce__(self):
        return (type(self), (self.field, self.message, self.line, self.column))


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else GB18030 (what spreadsheet
    programs on Chinese Windows write)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CsvError(name, "not a valid UTF-16 text file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        first = e
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise CsvError(name, f"not a text file in UTF-8 or GB18030 (undecodable byte at offset {first.start:,})") from None


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," in first:
        return ","
    for d in ("\t", ";"):
        if d in first:
            return d
    return ","


def _show(cell: str) -> str:
    return repr(cell if len(cell) <= 30 else cell[:29] + "…")


def _number(cell: str) -> float | None:
    """The finite float in ``cell``, or None if it is not a plain number."""
    if "_" in cell:  # float() accepts 1_000; a spreadsheet would not
        return None
    try:
        x = float(cell)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _rows(text: str, name: str):
    """(line number, stripped cells) for every non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise CsvError(name, f"malformed CSV: {e}", line=reader.line_num or 1) from None
        cells = [c.strip() for c in row]
        if any(cells):
            yield reader.line_num, cells


def _header(cells: list[str], line: int, name: str) -> tuple[str, ...]:
    for j, c in enumerate(cells):
        if not c:
            raise CsvError(name, f"column {j + 1} of the header has no name", line=line)
    seen: dict[str, int] = {}
    for j, c in enumerate(cells):
        if c in seen:
            raise CsvError(name, f"duplicate column name {c!r} (columns {seen[c] + 1} and {j + 1})", line=line)
        seen[c] = j
    if all(_number(c) is not None for c in cells):
        raise CsvError(name, "the first row must be a header of column names, but it holds only numbers", line=line)
    return tuple(cells)


def _pick(header: tuple[str, ...], column: str, what: str, name: str) -> int:
    if not isinstance(column, str) or column not in header:
        match = difflib.get_close_matches(str(column), header, n=1)
        hint = f"; did you mean {match[0]!r}?" if match else ""
        raise CsvError(name, f"unknown {what} column {column!r} (columns: {', '.join(header)}){hint}")
    return header.index(column)


def csv_columns(path: str | os.PathLike[str], max_bytes: int = MAX_CSV_BYTES) -> tuple[str, ...]:
    """The header's column names (for the GUI's target chooser); the same checks as a full load's header."""
    name = Path(path).name
    text = _decode(_read(path, max_bytes), name)
    for line, cells in _rows(text, name):
        return _header(cells, line, name)
    raise CsvError(name, "the file is empty")


def _read(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    name = Path(path).name
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise CsvError(name, f"cannot open the file: {e.strerror or e}") from None
    if len(data) > max_bytes:
        raise CsvError(name, f"the file is larger than {max_bytes:,} bytes; use a smaller table")
    return data


def _labels(values: list[str], lines: list[int], task: str, name: str, column: str) -> tuple[str, np.ndarray, tuple[str, ...]]:
    """(task, targets, class names) from the target column's cells."""
    integers = all(_INTEGER.fullmatch(v) for v in values)
    if task == "auto":
        task = "classification" if integers or any(_number(v) is None for v in values) else "regression"
    if task == "regression":
        out = np.empty((len(values), 1))
        for i, v in enumerate(values):
            x = _number(v)
            if x is None:
                raise CsvError(name, f"not a number: {_show(v)} (a regression target must be numeric)", lines[i], column)
            out[i, 0] = x
        return task, out, ()
    if integers:
        keys = [int(v) for v in values]
        classes = sorted(set(keys))
        names = tuple(str(c) for c in classes)
    else:
        keys = values  # type: ignore[assignment]
        classes = sorted(set(values))  # type: ignore[arg-type]
        names = tuple(classes)  # type: ignore[arg-type]
    if len(classes) < 2:
        raise CsvError(name, f"the target has only one class ({names[0]!r}); classification needs two or more", column=column)
    if len(classes) > MAX_CLASSES:
        raise CsvError(
            name,
            f"the target has {len(classes):,} different values, more than {MAX_CLASSES} classes; "
            'if it is a quantity, load it with task "regression"',
            column=column,
        )
    index = {c: i for i, c in enumerate(classes)}
    return task, np.array([index[k] for k in keys], dtype=np.int64), names


def parse_csv(
    text: str,
    *,
    target: str | None = None,
    columns: Sequence[str] | None = None,
    task: str = "auto",
    test_fraction: float = 0.2,
    seed: int | None = 0,
    standardize: bool = False,
    name: str = "data.csv",
    dtype: type | str = np.float64,
) -> Dataset:
    """A Dataset from CSV text. ``target``: column name (default: the last column); ``columns``: the feature
    columns (default: all others); ``standardize``: scale features to mean 0, std 1 using training statistics."""
    if task not in CSV_TASKS:
        raise CsvError(name, f"task must be one of: {', '.join(CSV_TASKS)} (got {task!r})")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CsvError(name, "the file is empty")
    nul = text.find("\0")
    if nul >= 0:
        raise CsvError(
            name, "the file contains NUL characters: it is not plain text (save it as CSV in UTF-8)",
            line=text.count("\n", 0, nul) + 1,
        )
    rows = _rows(text, name)
    first = next(rows, None)
    if first is None:
        raise CsvError(name, "the file is empty")
    header = _header(first[1], first[0], name)
    if len(header) < 2:
        raise CsvError(name, "needs at least two columns: one or more features and the target", line=first[0])
    t_col = len(header) - 1 if target is None else _pick(header, target, "target", name)
    if columns is None:
        f_cols = [j for j in range(len(header)) if j != t_col]
    else:
        f_cols = []
        for c in columns:
            j = _pick(header, c, "feature", name)
            if j == t_col:
                raise CsvError(name, f"column {c!r} is the target; it cannot also be a feature")
            if j in f_cols:
                raise CsvError(name, f"feature column {c!r} is listed twice")
            f_cols.append(j)
        if not f_cols:
            raise CsvError(name, "select at least one feature column")
    features: list[list[float]] = []
    targets: list[str] = []
    lines: list[int] = []
    for line, cells in rows:
        if len(cells) != len(header):
            raise CsvError(
                name, f"expected {len(header)} values (one per column), found {len(cells)}", line=line
            )
        values = []
        for j in f_cols:
            cell = cells[j]
            if cell.lower() in _MISSING:
                raise CsvError(name, f"missing value{f' ({_show(cell)})' if cell else ''}", line, header[j])
            x = _number(cell)
            if x is None:
                raise CsvError(name, f"not a number: {_show(cell)}", line, header[j])
            values.append(x)
        label = cells[t_col]
        if label.lower() in _MISSING_LABEL:
            raise CsvError(name, f"missing target value{f' ({_show(label)})' if label else ''}", line, header[t_col])
        features.append(values)
        targets.append(label)
        lines.append(line)
    if not features:
        raise CsvError(name, "there are no data rows after the header")
    task, t, class_names = _labels(targets, lines, task, name, header[t_col])
    x = np.array(features, dtype=np.float64).reshape(len(features), len(f_cols))
    ds = split_dataset(
        "csv", task, x, t, test_fraction, seed,
        feature_names=tuple(header[j] for j in f_cols), class_names=class_names,
        description=(
            f"{name}: {len(x):,} rows, {len(f_cols)} features, target {header[t_col]!r}"
            + (f" ({len(class_names)} classes)" if class_names else " (regression)")
        ),
    )
    if standardize:
        mean = ds.x_train.mean(axis=0)
        std = ds.x_train.std(axis=0)
        std[std == 0] = 1.0
        x_train = (ds.x_train - mean) / std
        x_test = x_train if ds.test_is_train else (ds.x_test - mean) / std
        ds = Dataset(
            ds.name, ds.task, x_train, ds.t_train, x_test, ds.t_test, ds.feature_names, ds.class_names,
            ds.description + ", standardized",
        )
    return ds.astype(dtype)


def load_csv(
    path: str | os.PathLike[str],
    *,
    target: str | None = None,
    columns: Sequence[str] | None = None,
    task: str = "auto",
    test_fraction: float = 0.2,
    seed: int | None = 0,
    standardize: bool = False,
    dtype: type | str = np.float64,
    max_bytes: int = MAX_CSV_BYTES,
) -> Dataset:
    """Read and parse a CSV file (UTF-8 or GB18030, comma/tab/semicolon separated); see parse_csv."""
    name = Path(path).name
    text = _decode(_read(path, max_bytes), name)
    try:
        return parse_csv(
            text, target=target, columns=columns, task=task, test_fraction=test_fraction, seed=seed,
            standardize=standardize, name=name, dtype=dtype,
        )
    except CsvError:
        raise
    except DatasetError as e:  # e.g. a bad test_fraction, reported against the file
        raise CsvError(name, str(e)) from None
