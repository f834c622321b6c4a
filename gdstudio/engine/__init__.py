"""The pure-NumPy engine: functions, gradients, optimizers and runs; usable from a script, never imports Qt.

Example::

    from gdstudio.engine import DescentConfig, get_function, run_descent
    snaps = run_descent(DescentConfig(get_function("bowl"), (-3.0, 4.0), "sgd", {"lr": 0.1}, "central", 1e-4, 100))
"""

from gdstudio.engine.descent import DescentConfig, Snapshot, iter_descent, run_descent
from gdstudio.engine.expression import ExpressionError, parse_expression
from gdstudio.engine.functions import BUILTIN_FUNCTIONS, Function, function_from_expression, get_function
from gdstudio.engine.gradients import GRADIENT_METHODS, make_gradient
from gdstudio.engine.optimizers import OPTIMIZERS, make_optimizer

__all__ = [
    "BUILTIN_FUNCTIONS",
    "GRADIENT_METHODS",
    "OPTIMIZERS",
    "DescentConfig",
    "ExpressionError",
    "Function",
    "Snapshot",
    "function_from_expression",
    "get_function",
    "iter_descent",
    "make_gradient",
    "make_optimizer",
    "parse_expression",
    "run_descent",
]
