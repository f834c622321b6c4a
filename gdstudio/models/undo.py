"""ReplaceValueCommand: one undoable replacement of a model's immutable value (an experiment, training settings).

Both labs' settings models keep one frozen value and swap it whole, so one command class serves them: redo/undo
hand the after/before value to ``model._apply(value)``. Quick consecutive edits with the same ``merge_key`` (a
dragged slider) merge into one undo step.

The stack (a child of the model) owns its commands, so a command refers to the model only weakly: a strong
reference cycle through Qt-owned commands crashes in ``~QUndoStack`` at collection (docs/architecture.md,
"PySide rules").
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Collection, Hashable
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

__all__ = ["MERGE_SECONDS", "ReplaceValueCommand", "field_merge_key"]

MERGE_SECONDS = 1.0
"""Edits of the same fields closer than this merge into one undo step."""


class _Applies(Protocol):
    def _apply(self, value: Any) -> None: ...


def field_merge_key(fields: Collection[str], unmergeable: Collection[str] = ()) -> frozenset[str] | None:
    """The merge key of an edit of ``fields``: the field set, or None (never merges) for a whole-value
    replacement (no fields) or an edit touching one of ``unmergeable`` (a switch the user wants to undo alone)."""
    keys = frozenset(fields)
    if not keys or keys & set(unmergeable):
        return None
    return keys


class ReplaceValueCommand(QUndoCommand):
    """Replace ``before`` by ``after`` in ``model`` (through ``model._apply``); merges with the next command of
    the same ``merge_key`` pushed within :data:`MERGE_SECONDS` (None: never merges)."""

    MERGE_ID = 0x6764

    def __init__(self, model: _Applies, before: Any, after: Any, text: str,
                 merge_key: Hashable | None = None) -> None:
        super().__init__(text)
        self._model = weakref.ref(model)
        self._before, self._after = before, after
        self._merge_key = merge_key
        self._time = time.monotonic()

    @property
    def before(self) -> Any:
        return self._before

    @property
    def after(self) -> Any:
        return self._after

    def redo(self) -> None:
        model = self._model()
        if model is not None:
            model._apply(self._after)

    def undo(self) -> None:
        model = self._model()
        if model is not None:
            model._apply(self._before)

    def id(self) -> int:
        return -1 if self._merge_key is None else self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(other, ReplaceValueCommand) or self._merge_key is None:
            return False
        if other._merge_key != self._merge_key or other._time - self._time > MERGE_SECONDS:
            return False
        self._after, self._time = other._after, other._time
        return True
