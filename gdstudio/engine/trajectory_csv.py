"""The trajectory CSV format, written in one place for the CLI's --out and the GUI's Export trajectory CSV."""

from __future__ import annotations

import numpy as np


def trajectory_csv(steps: np.ndarray, params: np.ndarray, values: np.ndarray, grad_norms: np.ndarray) -> str:
    """Header ``step,x0[,x1],value,grad_norm``; shortest round-tripping repr, so no precision is lost; nan/inf as text."""
    params = np.asarray(params, dtype=float)
    dim = params.shape[1] if params.ndim == 2 else 1
    params = params.reshape(len(params), dim)
    lines = [",".join(["step", *(f"x{i}" for i in range(dim)), "value", "grad_norm"])]
    for step, p, value, gn in zip(
        np.asarray(steps).tolist(), params.tolist(), np.asarray(values).tolist(), np.asarray(grad_norms).tolist()
    ):
        lines.append(",".join([str(int(step)), *map(repr, p), repr(float(value)), repr(float(gn))]))
    return "\n".join(lines) + "\n"
