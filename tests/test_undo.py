"""ReplaceValueCommand: the one undo command both labs' settings models push."""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

import gdstudio.models.undo as undo
from gdstudio.models.undo import ReplaceValueCommand, field_merge_key


class ValueModel(QObject):
    """The smallest model: one value, replaced whole through ``_apply`` (what the command calls)."""

    def __init__(self) -> None:
        super().__init__()
        self.value: object = 0
        self.applied: list = []
        self.undo_stack = QUndoStack(self)

    def _apply(self, value: object) -> None:
        self.value = value
        self.applied.append(value)

    def set(self, value: object, *fields: str) -> None:
        self.undo_stack.push(ReplaceValueCommand(self, self.value, value, f"set {value}",
                                                 field_merge_key(fields, ("name",))))


def test_push_applies_and_undo_redo_swap_the_values(qapp):
    m = ValueModel()
    m.set(1)
    m.set(2)
    assert m.value == 2 and m.undo_stack.count() == 2  # no fields: never merges
    m.undo_stack.undo()
    assert m.value == 1
    m.undo_stack.undo()
    assert m.value == 0
    m.undo_stack.redo()
    assert m.value == 1 and m.applied == [1, 2, 1, 0, 1]
    assert m.undo_stack.command(0).text() == "set 1"
    assert (m.undo_stack.command(0).before, m.undo_stack.command(0).after) == (0, 1)


def test_quick_edits_of_the_same_fields_merge(qapp):
    m = ValueModel()
    m.set(1, "lr")
    m.set(2, "lr")
    m.set(3, "lr", "epochs")  # other fields: a new step
    m.set(4, "name")  # unmergeable field: always alone
    m.set(5, "name")
    assert m.undo_stack.count() == 4
    m.undo_stack.undo()
    m.undo_stack.undo()
    m.undo_stack.undo()
    assert m.value == 2
    m.undo_stack.undo()
    assert m.value == 0  # the merged step undoes both edits


def test_edits_far_apart_do_not_merge(qapp, monkeypatch):
    m = ValueModel()
    clock = iter([100.0, 100.0 + undo.MERGE_SECONDS + 0.5])
    monkeypatch.setattr(undo.time, "monotonic", lambda: next(clock))
    m.set(1, "lr")
    m.set(2, "lr")
    assert m.undo_stack.count() == 2


@pytest.mark.parametrize(("fields", "key"), [
    ((), None), (("lr",), frozenset({"lr"})), (("lr", "name"), None), (["a", "b", "a"], frozenset({"a", "b"})),
])
def test_merge_keys(fields, key):
    assert field_merge_key(fields, ("name",)) == key


def test_commands_refer_to_their_model_weakly_and_outlive_it_harmlessly(qapp):
    stack = QUndoStack()  # not the model's child: only a strong reference in a command would keep it alive
    m = ValueModel()
    stack.push(ReplaceValueCommand(m, 0, 1, "set 1", frozenset({"lr"})))
    assert m.value == 1
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None
    stack.undo()  # the model is gone: nothing to apply, no error
    stack.redo()
    stack.clear()
