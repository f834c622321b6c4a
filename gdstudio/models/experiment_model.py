"""ExperimentModel: the experiment being edited, always valid, with undo/redo of every accepted change.

Views propose changes through :meth:`ExperimentModel.update`; a rejected change leaves the experiment as it was
and reports the reason through ``error`` (the expression editor shows it inline), so the rest of the app only
ever sees valid experiments.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from gdstudio.engine.functions import Function
from gdstudio.experiment import DescentExperiment, ExperimentError, default_experiment
from gdstudio.models.undo import ReplaceValueCommand, field_merge_key

__all__ = ["EXPERIMENT_FIELDS", "ExperimentModel"]

EXPERIMENT_FIELDS = tuple(f.name for f in dataclasses.fields(DescentExperiment))
_FUNCTION_FIELDS = ("function_name", "expression")


def _same_function(a: DescentExperiment, b: DescentExperiment) -> bool:
    return (a.function_name, a.expression) == (b.function_name, b.expression)


class ExperimentModel(QObject):
    """Holds one :class:`DescentExperiment`; emits ``changed`` (and ``functionChanged``) after every change."""

    changed = Signal()
    functionChanged = Signal()
    error = Signal(str)

    def __init__(self, experiment: DescentExperiment | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._experiment = experiment if experiment is not None else default_experiment()
        self.undo_stack = QUndoStack(self)

    @property
    def experiment(self) -> DescentExperiment:
        return self._experiment

    @property
    def function(self) -> Function | None:
        """The engine function of the (valid) experiment."""
        return self._experiment.resolve_function()

    # -- intents -----------------------------------------------------------------------------------------------
    def update(self, **changes: Any) -> bool:
        """Apply field changes (names of DescentExperiment fields); False + ``error`` if they are invalid.

        Switching function keeps the start when the dimension matches; switching optimizer keeps the learning
        rate and the hyper-parameters the new one also has (then ``hyper`` in the same call is applied on top).
        """
        unknown = sorted(set(changes) - set(EXPERIMENT_FIELDS))
        if unknown:
            raise TypeError(f"unknown experiment field(s): {', '.join(unknown)}")
        try:
            new = self._derive(self._experiment, changes)
        except ExperimentError as exc:
            self.error.emit(str(exc))
            return False
        if new == self._experiment:
            self.error.emit("")
            return True
        text = self.tr("Change %1").replace("%1", ", ".join(sorted(changes)))
        self.undo_stack.push(ReplaceValueCommand(self, self._experiment, new, text,
                                                 field_merge_key(changes, _FUNCTION_FIELDS)))
        return True

    def set_experiment(self, experiment: DescentExperiment, *, undoable: bool = True) -> None:
        """Replace the whole experiment (file opened, preset chosen)."""
        if experiment == self._experiment:
            return
        if undoable:
            self.undo_stack.push(ReplaceValueCommand(self, self._experiment, experiment, self.tr("Load experiment")))
        else:
            self._apply(experiment)

    # -- internals ---------------------------------------------------------------------------------------------
    @staticmethod
    def _derive(exp: DescentExperiment, changes: dict[str, Any]) -> DescentExperiment:
        rest = dict(changes)
        if "function_name" in rest or "expression" in rest:
            name = rest.pop("function_name", None)
            expression = rest.pop("expression", None)
            if name is None and expression is None:
                name, expression = exp.function_name, exp.expression
            exp = exp.with_function(name=name, expression=expression)
        if "optimizer" in rest and rest["optimizer"] != exp.optimizer:
            exp = exp.with_optimizer(rest.pop("optimizer"))
        rest.pop("optimizer", None)
        if "hyper" in rest:
            hyper = dict(exp.hyper)
            hyper.update(rest.pop("hyper") or {})
            rest["hyper"] = {k: v for k, v in hyper.items() if v is not None}  # None removes (use the default)
        return dataclasses.replace(exp, **rest) if rest else exp

    def _apply(self, experiment: DescentExperiment) -> None:
        before = self._experiment
        self._experiment = experiment
        self.error.emit("")
        if not _same_function(before, experiment):
            self.functionChanged.emit()
        self.changed.emit()
