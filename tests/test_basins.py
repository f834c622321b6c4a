"""Basin maps: a grid of starts coloured by the minimum each run reaches."""

from __future__ import annotations

import numpy as np
import pytest

from gdstudio.engine.basins import (
    DIVERGED,
    ELSEWHERE,
    BasinResult,
    iter_basin_map,
    label_endpoints,
)
from gdstudio.engine.descent import DescentConfig, run_descent
from gdstudio.engine.functions import function_from_expression, get_function


def run_map(*args, **kwargs):
    items = list(iter_basin_map(*args, **kwargs))
    progress, result = items[:-1], items[-1]
    assert isinstance(result, BasinResult)
    assert all(isinstance(p, float) and 0.0 <= p <= 1.0 for p in progress)
    assert progress == sorted(progress) and progress[-1] == 1.0
    return progress, result


def test_himmelblau_has_four_basins():
    f = get_function("himmelblau")
    progress, result = run_map(f, "sgd", {"lr": 0.01}, 500, (100, 100))
    assert 15 <= len(progress) <= 25  # about every 5 %
    assert result.labels.shape == (100, 100) and result.xs.shape == (100,) and result.ys.shape == (100,)
    assert result.minima == f.minima and not result.discovered
    assert sum(result.counts.values()) == 10_000
    for k in range(4):
        assert result.fraction(k) >= 0.10, result.counts
    assert set(np.unique(result.labels)) == {0, 1, 2, 3}
    # a start right next to each minimum ends in that minimum; row = y index, column = x index
    for k, (mx, my) in enumerate(f.minima):
        ix = np.argmin(abs(result.xs - mx))
        iy = np.argmin(abs(result.ys - my))
        assert result.labels[iy, ix] == k


def test_labels_agree_with_single_runs():
    f = get_function("himmelblau")
    _, result = run_map(f, "momentum", {"lr": 0.002}, 300, (7, 5), window=((-4.0, 4.0), (-4.0, 4.0)))
    assert result.labels.shape == (5, 7)
    minima = np.array(f.minima)
    for iy, y in enumerate(result.ys):
        for ix, x in enumerate(result.xs):
            end = run_descent(DescentConfig(f, (x, y), "momentum", {"lr": 0.002}, steps=300))[-1]
            d = np.hypot(*(minima - end.params).T)
            expected = int(np.argmin(d)) if d.min() <= 0.01 * np.hypot(8, 8) else ELSEWHERE
            if end.status == "diverged":
                expected = DIVERGED
            assert result.labels[iy, ix] == expected
            assert result.steps_taken[iy, ix] == end.step


def test_diverged_starts_are_labelled():
    f = get_function("rosenbrock")
    _, result = run_map(f, "sgd", {"lr": 0.01}, 100, (10, 10))  # far too large for Rosenbrock's walls
    assert result.counts[DIVERGED] >= 90
    assert result.counts[DIVERGED] == np.count_nonzero(result.labels == DIVERGED)
    assert sum(result.counts.values()) == 100


def test_early_end_still_reports_full_progress():
    f = get_function("rosenbrock")
    progress, _ = run_map(f, "sgd", {"lr": 1.0}, 1000, (4, 4))  # every run diverges within a few steps
    assert progress[-1] == 1.0 and len(progress) <= 3


def test_minima_of_typed_expressions_are_discovered():
    f = function_from_expression("(x**2 + y - 11)**2 + (x + y**2 - 7)**2")
    _, result = run_map(f, "sgd", {"lr": 0.01}, 400, (40, 40))
    assert result.discovered and len(result.minima) == 4
    exact = np.array(get_function("himmelblau").minima)
    for m in result.minima:
        assert np.hypot(*(exact - m).T).min() < 1e-6
    assert all(result.fraction(k) >= 0.1 for k in range(4))


def test_saddle_has_no_minimum():
    f = get_function("saddle")
    _, result = run_map(f, "sgd", {"lr": 0.01}, 200, (21, 21))  # the row y = 0 runs into the saddle point
    assert result.minima == () and result.counts[ELSEWHERE] + result.counts[DIVERGED] == 21 * 21


def test_label_endpoints():
    ends = np.array([[0.0, 0.0], [1.02, 1.0], [5.0, 5.0], [np.nan, 0.0], [0.97, 1.0]])
    diverged = np.array([False, False, False, True, False])
    labels = label_endpoints(ends, diverged, [(1.0, 1.0), (0.0, 0.01)], radius=0.05)
    assert list(labels) == [1, 0, ELSEWHERE, DIVERGED, 0]
    assert list(label_endpoints(ends, diverged, [], 0.05)) == [ELSEWHERE] * 3 + [DIVERGED, ELSEWHERE]


def test_invalid_settings():
    f = get_function("himmelblau")
    with pytest.raises(ValueError, match="two variables"):
        iter_basin_map(get_function("quadratic1d"))
    with pytest.raises(ValueError, match="resolution"):
        iter_basin_map(f, resolution=(1, 10))
    with pytest.raises(ValueError, match="resolution"):
        iter_basin_map(f, resolution=100)
    with pytest.raises(ValueError, match="window"):
        iter_basin_map(f, window=((1.0, -1.0), (0.0, 1.0)))
    with pytest.raises(ValueError, match="tolerance"):
        iter_basin_map(f, tolerance=0.0)
    with pytest.raises(ValueError, match="lr must be in"):
        iter_basin_map(f, "adam", {"lr": -1.0})
    with pytest.raises(ValueError, match="steps"):
        iter_basin_map(f, steps=-5)
