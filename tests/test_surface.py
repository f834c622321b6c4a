"""Sampled surfaces, isoline levels and the −∇f arrow field behind the contour panel."""

from __future__ import annotations

import numpy as np
import pytest

from gdstudio.engine.functions import BUILTIN_FUNCTIONS, function_from_expression, get_function
from gdstudio.engine.surface import (
    Curve1D,
    Surface,
    VectorField,
    contour_levels,
    sample_surface,
    sample_vector_field,
)

TWO_D = [n for n, f in BUILTIN_FUNCTIONS.items() if f.dim == 2]


@pytest.mark.parametrize("name", TWO_D)
def test_surface_grid_matches_function(name):
    f = get_function(name)
    s = sample_surface(f, resolution=60)
    assert isinstance(s, Surface)
    assert s.xs.shape == (60,) and s.ys.shape == (60,) and s.Z.shape == (60, 60)
    (x0, x1), (y0, y1) = f.window
    assert (s.xs[0], s.xs[-1], s.ys[0], s.ys[-1]) == (x0, x1, y0, y1)
    j, i = 17, 41  # Z[row j, column i] = f(xs[i], ys[j])
    assert s.Z[j, i] == f.value(np.array([s.xs[i], s.ys[j]]))
    assert s.zmin == np.nanmin(s.Z) and s.zmax == np.nanmax(s.Z)
    assert 15 <= len(s.levels) <= 20
    assert np.all(np.diff(s.levels) > 0)
    assert s.zmin < s.levels[0] and s.levels[-1] <= s.zmax


@pytest.mark.parametrize(
    "name,log_scale",
    [("rosenbrock", True), ("beale", True), ("himmelblau", True), ("bowl", False), ("book_ellipse", False),
     ("saddle", False), ("local_minima", False), ("plateau", False), ("rastrigin", False)],
)
def test_log_levels_for_wide_ranges(name, log_scale):
    s = sample_surface(get_function(name), resolution=120)
    assert s.log_scale is log_scale
    above = s.levels - s.zmin
    if log_scale:
        ratios = above[1:] / above[:-1]
        np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
        assert above[0] < 5e-3 * (s.zmax - s.zmin)  # the valley floor gets isolines too
    else:
        np.testing.assert_allclose(np.diff(s.levels), np.diff(s.levels)[0], rtol=1e-9)


def test_log_choice_is_scale_invariant():
    a = contour_levels(sample_surface(get_function("rosenbrock"), resolution=80).Z)
    b = contour_levels(1e-6 * sample_surface(get_function("rosenbrock"), resolution=80).Z)
    assert a[1] and b[1]
    np.testing.assert_allclose(a[0] * 1e-6, b[0], rtol=1e-9)


def test_non_finite_values_become_nan():
    f = function_from_expression("log(x) + y")
    s = sample_surface(f, resolution=21)
    assert np.all(np.isnan(s.Z[:, s.xs <= 0]))
    assert np.all(np.isfinite(s.Z[:, s.xs > 0]))
    assert np.isfinite(s.zmin) and np.isfinite(s.zmax)
    assert np.all((s.levels > s.zmin) & (s.levels <= s.zmax))


def test_degenerate_surfaces():
    const = sample_surface(function_from_expression("y*0 + 3"), resolution=10)
    assert const.zmin == const.zmax == 3.0 and const.levels.tolist() == [3.0]
    empty = sample_surface(function_from_expression("log(-1 - x*x) + y"), resolution=10)
    assert np.isnan(empty.Z).all() and np.isnan(empty.zmin) and empty.levels.size == 0


def test_custom_window_and_resolution():
    f = get_function("bowl")
    s = sample_surface(f, window=((0, 1), (-2, -1)), resolution=3)
    assert s.xs.tolist() == [0.0, 0.5, 1.0] and s.ys.tolist() == [-2.0, -1.5, -1.0]
    assert s.Z[0, 2] == 1.0 + 4.0


@pytest.mark.parametrize(
    "kwargs",
    [{"window": ((1, 0), (0, 1))}, {"window": ((0, 1),)}, {"window": ((0, np.inf), (0, 1))},
     {"window": "abc"}, {"resolution": 1}, {"resolution": 2.5}, {"resolution": 10**6}],
)
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        sample_surface(get_function("bowl"), **kwargs)


def test_one_dimensional_functions_give_a_curve():
    f = get_function("quadratic1d")
    c = sample_surface(f, resolution=101)
    assert isinstance(c, Curve1D)
    assert c.xs[0] == -12 and c.xs[-1] == 12 and c.xs.shape == (101,)
    np.testing.assert_allclose(c.ys, 3 * c.xs**2 + 2 * c.xs + 1, rtol=1e-14)
    c = sample_surface(function_from_expression("sqrt(x)"), resolution=11)
    assert np.isnan(c.ys[c.xs < 0]).all() and np.isfinite(c.ys[c.xs >= 0]).all()


@pytest.mark.parametrize("name", TWO_D)
def test_vector_field_points_downhill_with_fixed_length(name):
    f = get_function(name)
    vf = sample_vector_field(f, count=12)
    assert isinstance(vf, VectorField)
    (x0, x1), (y0, y1) = f.window
    ratio = (x1 - x0) / (y1 - y0)  # square cells: 12 along the shorter side
    shape = (12, round(12 * ratio)) if ratio >= 1 else (round(12 / ratio), 12)
    for arr in (vf.X, vf.Y, vf.U, vf.V):
        assert arr.shape == shape
    assert np.diff(vf.X[0])[0] == pytest.approx(np.diff(vf.Y[:, 0])[0])
    assert x0 < vf.X.min() and vf.X.max() < x1 and y0 < vf.Y.min() and vf.Y.max() < y1
    G = f.gradient(np.stack([vf.X, vf.Y], axis=-1))
    length = np.hypot(vf.U, vf.V)
    nonzero = np.hypot(G[..., 0], G[..., 1]) > 0
    spacing = min((x1 - x0) / 12, (y1 - y0) / 12)
    np.testing.assert_allclose(length[nonzero], 0.8 * spacing, rtol=1e-12)
    gnorm = np.hypot(G[..., 0], G[..., 1])
    cos = -(vf.U * G[..., 0] + vf.V * G[..., 1])[nonzero] / (length[nonzero] * gnorm[nonzero])
    np.testing.assert_allclose(cos, 1.0, rtol=1e-12)


def test_vector_field_is_zero_where_the_gradient_is():
    f = get_function("bowl")
    vf = sample_vector_field(f, window=((-2, 2), (-2, 2)), count=5)
    assert vf.X[2, 2] == 0.0 and vf.Y[2, 2] == 0.0
    assert vf.U[2, 2] == 0.0 and vf.V[2, 2] == 0.0
    far = sample_vector_field(get_function("plateau"), window=((40, 50), (40, 50)), count=4)
    assert np.all(far.U == 0) and np.all(far.V == 0)  # exp underflows: gradient exactly zero
    bad = sample_vector_field(function_from_expression("sqrt(x) + y"), count=6)
    assert np.all(np.isfinite(bad.U)) and np.all(bad.U[:, bad.X[0] < 0] == 0)


def test_vector_field_for_one_dimensional_functions():
    f = get_function("book1d")
    vf = sample_vector_field(f, count=5)
    assert vf.X.shape == (1, 5)
    assert vf.X[0].tolist() == [-21.0, -13.0, -5.0, 3.0, 11.0]
    np.testing.assert_array_equal(vf.Y[0], f.value(vf.X[0][:, None]))
    assert vf.U[0].tolist() == [6.4, 6.4, 0.0, -6.4, -6.4] and np.all(vf.V == 0)


def test_widen_to_aspect_only_widens_about_the_centre():
    from gdstudio.engine.surface import widen_to_aspect

    assert widen_to_aspect(((-2.0, 2.0), (-1.0, 3.0)), 4.0) == ((-8.0, 8.0), (-1.0, 3.0))
    assert widen_to_aspect(((-2.0, 2.0), (-1.0, 3.0)), 0.5) == ((-2.0, 2.0), (-3.0, 5.0))
    assert widen_to_aspect(((0.0, 1.0), (0.0, 1.0)), 1.0) == ((0.0, 1.0), (0.0, 1.0))
    assert widen_to_aspect(((0.0, 1.0), (0.0, 1.0)), float("nan")) == ((0.0, 1.0), (0.0, 1.0))
